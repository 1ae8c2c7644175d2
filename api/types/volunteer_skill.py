"""VolunteerSkill: a skill a volunteer holds, at a level, maybe until an expiry date."""

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.types.skill import Skill, load_skill
from api.types.values import to_datetime


@strawberry.type
class VolunteerSkill:
    level: int
    expires_at: datetime | None
    skill_code: strawberry.Private[str]

    @strawberry.field
    async def skill(self, info: Info) -> Skill:
        return await load_skill(info, self.skill_code)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "VolunteerSkill":
        return cls(
            level=int(row["level"] or 1),
            expires_at=to_datetime(row.get("expiresAt")),
            skill_code=row["skill"],
        )
