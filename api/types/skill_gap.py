"""SkillGap: open demand for a skill in a governorate against available certified supply."""

from __future__ import annotations

import strawberry

from api.types.governorate import Governorate
from api.types.skill import Skill
from api.types.skill_in_governorate import resolve_governorate, resolve_skill
from graph.skill_gaps import SkillGapRow


@strawberry.type
class SkillGap:
    demand: int = strawberry.field(description="open slots of shifts starting in the window")
    supply: int = strawberry.field(description="available active volunteers holding the skill")
    gap: int = strawberry.field(description="demand - supply")
    skill_code: strawberry.Private[str]
    governorate_code: strawberry.Private[str]
    skill: Skill = strawberry.field(resolver=resolve_skill)
    governorate: Governorate = strawberry.field(resolver=resolve_governorate)

    @classmethod
    def from_row(cls, r: SkillGapRow) -> SkillGap:
        return cls(
            demand=r.demand,
            supply=r.supply,
            gap=r.gap,
            skill_code=r.skill,
            governorate_code=r.governorate,
        )
