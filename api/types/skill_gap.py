"""SkillGap: open demand for a skill in a governorate against available certified supply."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.types.governorate import Governorate, load_governorate
from api.types.skill import Skill, load_skill
from graph.skill_gaps import SkillGapRow


@strawberry.type
class SkillGap:
    demand: int = strawberry.field(description="open slots of shifts starting in the window")
    supply: int = strawberry.field(description="available active volunteers holding the skill")
    gap: int = strawberry.field(description="demand - supply")
    skill_code: strawberry.Private[str]
    governorate_code: strawberry.Private[str]

    @strawberry.field
    async def skill(self, info: Info) -> Skill:
        return await load_skill(info, self.skill_code)

    @strawberry.field
    async def governorate(self, info: Info) -> Governorate:
        return await load_governorate(info, self.governorate_code)

    @classmethod
    def from_row(cls, r: SkillGapRow) -> SkillGap:
        return cls(
            demand=r.demand,
            supply=r.supply,
            gap=r.gap,
            skill_code=r.skill,
            governorate_code=r.governorate,
        )
