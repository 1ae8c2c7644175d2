"""NeedInput: one need of a shift (skill, count, minimum level, optional gender)."""

import strawberry

from api.types.enums import Gender


@strawberry.input
class NeedInput:
    skill: str
    count: int
    min_level: int | None = 1
    gender: Gender | None = None
    min_age: int | None = None
