"""SkillLevelInput."""

import strawberry


@strawberry.input
class SkillLevelInput:
    skill: str
    level: int
