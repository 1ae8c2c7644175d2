"""TrainedVolunteers: volunteers trained in a skill, by the governorate they live in."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.types.governorate import Governorate, load_governorate
from api.types.skill import Skill, load_skill
from graph.training_reports import TrainedRow


@strawberry.type
class TrainedVolunteers:
    trained: int = strawberry.field(description="volunteers who completed a program teaching it")
    certified_now: int = strawberry.field(description="of them, holding the skill unexpired now")
    skill_code: strawberry.Private[str]
    governorate_code: strawberry.Private[str]

    @strawberry.field
    async def skill(self, info: Info) -> Skill:
        return await load_skill(info, self.skill_code)

    @strawberry.field
    async def governorate(self, info: Info) -> Governorate:
        return await load_governorate(info, self.governorate_code)

    @classmethod
    def from_row(cls, r: TrainedRow) -> TrainedVolunteers:
        return cls(
            trained=r.trained,
            certified_now=r.certified_now,
            skill_code=r.skill,
            governorate_code=r.governorate,
        )
