"""TrainedVolunteers: volunteers trained in a skill, by the governorate they live in."""

from __future__ import annotations

import strawberry

from api.types.governorate import Governorate
from api.types.skill import Skill
from api.types.skill_in_governorate import resolve_governorate, resolve_skill
from graph.training_reports import TrainedRow


@strawberry.type
class TrainedVolunteers:
    trained: int = strawberry.field(description="volunteers who completed a program teaching it")
    certified_now: int = strawberry.field(description="of them, holding the skill unexpired now")
    skill_code: strawberry.Private[str]
    governorate_code: strawberry.Private[str]
    skill: Skill = strawberry.field(resolver=resolve_skill)
    governorate: Governorate = strawberry.field(resolver=resolve_governorate)

    @classmethod
    def from_row(cls, r: TrainedRow) -> TrainedVolunteers:
        return cls(
            trained=r.trained,
            certified_now=r.certified_now,
            skill_code=r.skill,
            governorate_code=r.governorate,
        )
