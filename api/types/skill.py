"""Skill, with the skills it implies (holding physician qualifies for nurse)."""

from typing import Any

import strawberry
from strawberry.types import Info

from api.types.enums import Domain


@strawberry.type
class Skill:
    code: str
    name_ar: str
    name_en: str
    domain: Domain
    implies_codes: strawberry.Private[list[str]]

    @strawberry.field
    async def implies(self, info: Info) -> list["Skill"]:
        rows = await info.context.loaders.skills.load_many(self.implies_codes)
        return [Skill.from_row(r) for r in rows if r is not None]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Skill":
        domain = row.get("domain") or "OTHER"
        return cls(
            code=row["code"],
            name_ar=row.get("nameAr") or "",
            name_en=row.get("nameEn") or "",
            domain=Domain(domain) if domain in Domain.__members__ else Domain.OTHER,
            implies_codes=list(row.get("implies") or []),
        )


async def load_skill(info: Info, code: str) -> Skill:
    row = await info.context.loaders.skills.load(code)
    if row is None:
        return Skill(code=code, name_ar=code, name_en=code, domain=Domain.OTHER, implies_codes=[])
    return Skill.from_row(row)
