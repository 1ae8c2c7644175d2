"""The `skill` and `governorate` fields of a per-(skill, governorate) report row (SkillGap,
TrainedVolunteers): resolvers that load them through the DataLoaders from the row's codes.

Shared as resolvers, not as a base type: a base class's fields come first in the schema, and
each row type keeps its counts first."""

from __future__ import annotations

from typing import Protocol

from strawberry.types import Info

from api.types.governorate import Governorate, load_governorate
from api.types.skill import Skill, load_skill


class SkillGovernorateRow(Protocol):
    skill_code: str
    governorate_code: str


async def resolve_skill(root: SkillGovernorateRow, info: Info) -> Skill:
    return await load_skill(info, root.skill_code)


async def resolve_governorate(root: SkillGovernorateRow, info: Info) -> Governorate:
    return await load_governorate(info, root.governorate_code)
