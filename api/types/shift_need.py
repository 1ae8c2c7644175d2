"""ShiftNeed: how many of a skill a shift needs, at what level, and how many are filled."""

from typing import Any

import strawberry
from strawberry.types import Info

from api.types.enums import Gender
from api.types.skill import Skill, load_skill
from api.types.values import GENDER_FROM_LETTER


@strawberry.type
class ShiftNeed:
    index: int
    count: int
    min_level: int
    gender: Gender | None
    min_age: int | None
    filled: int
    skill_code: strawberry.Private[str]

    @strawberry.field
    async def skill(self, info: Info) -> Skill:
        return await load_skill(info, self.skill_code)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "ShiftNeed":
        letter = row.get("gender")
        return cls(
            index=int(row.get("index") or 0),
            count=int(row["count"]),
            min_level=int(row.get("minLevel") or 1),
            gender=Gender(GENDER_FROM_LETTER[letter]) if letter in GENDER_FROM_LETTER else None,
            min_age=row.get("minAge"),
            filled=int(row.get("filled") or 0),
            skill_code=row["skill"],
        )
