"""Governorate: one of Egypt's 27, keyed by the 2-digit national-ID code."""

from typing import Any

import strawberry


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
