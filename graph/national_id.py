"""Egyptian national ID: validation, what it reveals, keyed hashing, and synthetic generation.

Layout of the 14 digits (C YYMMDD GG SSSS K):
  C       century of birth: 2 = 1900s, 3 = 2000s
  YYMMDD  date of birth (a real calendar date, not in the future)
  GG      governorate of birth: one of the 27 governorate codes, or 88 = born abroad
  SSSS    serial; the parity of its last digit gives the gender (odd male, even female)
  K       check digit

About K: the Civil Status Organization does not publish the check-digit algorithm. Several
formulas circulate (Luhn, mod-11 with weights 2,7,6,5,4,3,2,...) and none is confirmed to hold
for real IDs (users report they fail for many IDs issued after 2000). Rather than reject real
people with an invented rule, this module validates the STRUCTURE only and accepts any K.

The ID itself is never stored: `hash_national_id` gives the keyed HMAC-SHA256 used as the
unique key of a person (`Volunteer.nationalIdHash`).
"""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import dataclass
from datetime import date
from typing import Literal

from engine.reference.governorates import NATIONAL_ID_BIRTH_CODES

Gender = Literal["F", "M"]

_CENTURIES = {"2": 1900, "3": 2000}
_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


class InvalidNationalId(ValueError):
    """The national ID is malformed; `reason` says which part and why (never echoes the ID)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid national ID: {reason}")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class NationalIdInfo:
    """What a valid national ID reveals (all the API may keep besides its hash)."""

    birth_date: date
    gender: Gender
    birth_governorate: str  # two-digit code, "88" = born abroad

    @property
    def birth_year(self) -> int:
        return self.birth_date.year


def clean_national_id(raw: str) -> str:
    """Accept Arabic-Indic digits and the spaces/dashes people type; return the bare digits."""
    return raw.translate(_ARABIC_INDIC).replace(" ", "").replace("-", "")


def parse_national_id(raw: str, *, today: date | None = None) -> NationalIdInfo:
    """Validate the ID's structure and return what it reveals; `InvalidNationalId` otherwise."""
    nid = clean_national_id(raw)
    if len(nid) != 14 or not nid.isascii() or not nid.isdigit():
        raise InvalidNationalId("must be exactly 14 digits")
    century = _CENTURIES.get(nid[0])
    if century is None:
        raise InvalidNationalId("first digit (century) must be 2 (1900s) or 3 (2000s)")
    try:
        born = date(century + int(nid[1:3]), int(nid[3:5]), int(nid[5:7]))
    except ValueError:
        raise InvalidNationalId("digits 2-7 are not a real date of birth (YYMMDD)") from None
    if born > (today or date.today()):
        raise InvalidNationalId("date of birth (digits 2-7) is in the future")
    governorate = nid[7:9]
    if governorate not in NATIONAL_ID_BIRTH_CODES:
        raise InvalidNationalId("digits 8-9 are not a governorate code (01..35 or 88)")
    gender: Gender = "M" if int(nid[12]) % 2 == 1 else "F"
    return NationalIdInfo(birth_date=born, gender=gender, birth_governorate=governorate)


def hash_national_id(nid: str, secret: str) -> str:
    """Keyed HMAC-SHA256 (hex) of the cleaned ID: stable per secret, useless without it."""
    if not secret:
        raise ValueError("the national-ID hashing secret (TAHALUF_ID_SECRET) is empty")
    return hmac.new(
        secret.encode("utf-8"), clean_national_id(nid).encode("ascii"), hashlib.sha256
    ).hexdigest()


def make_national_id(
    birth_date: date, gender: Gender, birth_governorate: str, serial: int, check: int = 0
) -> str:
    """Compose a structurally valid ID; `serial` (0..4999) picks the 4-digit serial of that gender."""
    if birth_governorate not in NATIONAL_ID_BIRTH_CODES:
        raise ValueError(f"unknown birth governorate code {birth_governorate!r}")
    if not 1900 <= birth_date.year <= 2099:
        raise ValueError("birth year must be in 1900..2099")
    if not 0 <= serial < 5000 or not 0 <= check <= 9:
        raise ValueError("serial must be in 0..4999 and check in 0..9")
    century = "2" if birth_date.year < 2000 else "3"
    base = (serial * 2) % 10_000  # even
    four = base + 1 if gender == "M" else base
    return f"{century}{birth_date:%y%m%d}{birth_governorate}{four:04d}{check}"


def random_national_id(
    rng: random.Random,
    *,
    birth_date: date,
    gender: Gender,
    birth_governorate: str,
) -> str:
    """A structurally valid ID for synthetic data (the serial and check digit are random)."""
    return make_national_id(
        birth_date, gender, birth_governorate, rng.randrange(5000), rng.randrange(10)
    )
