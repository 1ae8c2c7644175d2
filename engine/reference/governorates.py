"""The 27 governorates of Egypt, keyed by the two-digit code used in the national ID.

The code is digits 8-9 of the 14-digit Egyptian national ID (the governorate of birth);
`BORN_ABROAD_CODE` ("88") is valid in a national ID but is not a governorate of residence.
Coordinates are those of each governorate's capital city; populations are rounded
estimates (CAPMAS, about 2023) used only to weight where synthetic volunteers live.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True, slots=True)
class Governorate:
    code: str
    name_ar: str
    name_en: str
    capital_ar: str
    capital_en: str
    lat: float
    lon: float
    population: int


BORN_ABROAD_CODE: Final = "88"

GOVERNORATES: Final[tuple[Governorate, ...]] = (
    Governorate("01", "القاهرة", "Cairo", "القاهرة", "Cairo", 30.0444, 31.2357, 10_250_000),
    Governorate("02", "الإسكندرية", "Alexandria", "الإسكندرية", "Alexandria", 31.2001, 29.9187, 5_550_000),
    Governorate("03", "بورسعيد", "Port Said", "بورسعيد", "Port Said", 31.2653, 32.3019, 790_000),
    Governorate("04", "السويس", "Suez", "السويس", "Suez", 29.9668, 32.5498, 780_000),
    Governorate("11", "دمياط", "Damietta", "دمياط", "Damietta", 31.4165, 31.8133, 1_610_000),
    Governorate("12", "الدقهلية", "Dakahlia", "المنصورة", "Mansoura", 31.0409, 31.3785, 7_000_000),
    Governorate("13", "الشرقية", "Sharqia", "الزقازيق", "Zagazig", 30.5877, 31.5020, 7_900_000),
    Governorate("14", "القليوبية", "Qalyubia", "بنها", "Banha", 30.4660, 31.1848, 6_000_000),
    Governorate("15", "كفر الشيخ", "Kafr El Sheikh", "كفر الشيخ", "Kafr El Sheikh", 31.1107, 30.9388, 3_700_000),
    Governorate("16", "الغربية", "Gharbia", "طنطا", "Tanta", 30.7865, 31.0004, 5_400_000),
    Governorate("17", "المنوفية", "Monufia", "شبين الكوم", "Shibin El Kom", 30.5590, 31.0100, 4_700_000),
    Governorate("18", "البحيرة", "Beheira", "دمنهور", "Damanhur", 31.0341, 30.4682, 6_900_000),
    Governorate("19", "الإسماعيلية", "Ismailia", "الإسماعيلية", "Ismailia", 30.5965, 32.2715, 1_450_000),
    Governorate("21", "الجيزة", "Giza", "الجيزة", "Giza", 30.0131, 31.2089, 9_400_000),
    Governorate("22", "بني سويف", "Beni Suef", "بني سويف", "Beni Suef", 29.0661, 31.0994, 3_500_000),
    Governorate("23", "الفيوم", "Fayoum", "الفيوم", "Fayoum", 29.3084, 30.8428, 4_000_000),
    Governorate("24", "المنيا", "Minya", "المنيا", "Minya", 28.1099, 30.7503, 6_200_000),
    Governorate("25", "أسيوط", "Asyut", "أسيوط", "Asyut", 27.1809, 31.1837, 4_900_000),
    Governorate("26", "سوهاج", "Sohag", "سوهاج", "Sohag", 26.5591, 31.6957, 5_600_000),
    Governorate("27", "قنا", "Qena", "قنا", "Qena", 26.1551, 32.7160, 3_600_000),
    Governorate("28", "أسوان", "Aswan", "أسوان", "Aswan", 24.0889, 32.8998, 1_650_000),
    Governorate("29", "الأقصر", "Luxor", "الأقصر", "Luxor", 25.6872, 32.6396, 1_400_000),
    Governorate("31", "البحر الأحمر", "Red Sea", "الغردقة", "Hurghada", 27.2579, 33.8116, 400_000),
    Governorate("32", "الوادي الجديد", "New Valley", "الخارجة", "Kharga", 25.4390, 30.5586, 270_000),
    Governorate("33", "مطروح", "Matrouh", "مرسى مطروح", "Marsa Matruh", 31.3543, 27.2373, 530_000),
    Governorate("34", "شمال سيناء", "North Sinai", "العريش", "Arish", 31.1316, 33.7984, 480_000),
    Governorate("35", "جنوب سيناء", "South Sinai", "الطور", "El Tor", 28.2364, 33.6254, 115_000),
)

GOVERNORATE_BY_CODE: Final = MappingProxyType({g.code: g for g in GOVERNORATES})

GOVERNORATE_CODES: Final[frozenset[str]] = frozenset(GOVERNORATE_BY_CODE)

# Codes accepted in the governorate-of-birth field of a national ID.
NATIONAL_ID_BIRTH_CODES: Final[frozenset[str]] = GOVERNORATE_CODES | {BORN_ABROAD_CODE}


def governorate(code: str) -> Governorate:
    """The governorate with this two-digit code; KeyError naming the code if unknown."""
    try:
        return GOVERNORATE_BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown governorate code {code!r}") from None


def population_weights() -> tuple[tuple[str, float], ...]:
    """(code, share of the national population) for every governorate; shares sum to 1."""
    total = sum(g.population for g in GOVERNORATES)
    return tuple((g.code, g.population / total) for g in GOVERNORATES)
