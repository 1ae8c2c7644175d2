"""Governorate: one of Egypt's 27, keyed by the 2-digit national-ID code."""

from typing import Any

import strawberry
from strawberry.types import Info


@strawberry.type
class Governorate:
    code: str
    name_ar: str
    name_en: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Governorate":
        return cls(
            code=row["code"], name_ar=row.get("nameAr") or "", name_en=row.get("nameEn") or ""
        )


async def load_governorate(info: Info, code: str) -> Governorate:
    """The governorate through the request's DataLoader; an unknown code shows as itself."""
    row = await info.context.loaders.governorates.load(code)
    if row is None:
        return Governorate(code=code, name_ar=code, name_en=code)
    return Governorate.from_row(row)
