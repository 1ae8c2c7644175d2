"""Arabic names for the synthetic alliance, with the spelling variants real registers contain.

Lists of people typed by different associations spell the same name differently: with or
without the hamza on alef (أحمد / احمد), ta marbuta or ha (فاطمة / فاطمه), ya or alef maqsura
at the end (مصطفى / مصطفي). `spelling_variant` reproduces those habits; all variants of a name
normalise to the same `nameNorm`.
"""

from __future__ import annotations

import random
from typing import Final

MALE_FIRST: Final = (
    "محمد",
    "أحمد",
    "محمود",
    "مصطفى",
    "علي",
    "عمر",
    "حسن",
    "حسين",
    "إبراهيم",
    "يوسف",
    "خالد",
    "عبد الرحمن",
    "عبد الله",
    "كريم",
    "طارق",
    "إسلام",
    "أسامة",
    "هشام",
    "وليد",
    "ياسر",
    "عمرو",
    "شريف",
    "مينا",
    "بيتر",
    "جرجس",
    "مارك",
    "أيمن",
    "أشرف",
    "سامح",
    "رامي",
    "إسماعيل",
    "زياد",
    "آدم",
    "مازن",
    "سيف",
    "أنس",
    "حمزة",
    "معاذ",
    "عادل",
    "جمال",
    "صلاح",
    "سعيد",
    "فتحي",
    "رضا",
    "مجدي",
    "عماد",
    "ماجد",
    "بولس",
    "فادي",
    "هاني",
)

FEMALE_FIRST: Final = (
    "فاطمة",
    "مريم",
    "نور",
    "آية",
    "سارة",
    "هدى",
    "منى",
    "إيمان",
    "أسماء",
    "ياسمين",
    "رحمة",
    "سلمى",
    "هبة",
    "دينا",
    "رانيا",
    "نورهان",
    "آمنة",
    "خديجة",
    "زينب",
    "شيماء",
    "مي",
    "ندى",
    "إسراء",
    "آلاء",
    "أميرة",
    "مارينا",
    "مريانا",
    "كريستين",
    "ماريان",
    "دعاء",
    "سمية",
    "حنان",
    "ليلى",
    "جميلة",
    "سعاد",
    "عبير",
    "رشا",
    "غادة",
    "نجلاء",
    "أمل",
    "ملك",
    "جنى",
    "حبيبة",
    "فرح",
    "بسمة",
    "رضوى",
    "إنجي",
    "هالة",
    "نادية",
    "وفاء",
)

# Fathers' and grandfathers' first names (male), and family names.
FAMILY: Final = (
    "السيد",
    "عبد العزيز",
    "الشافعي",
    "المصري",
    "النجار",
    "الحداد",
    "عبد الحميد",
    "سليمان",
    "الشربيني",
    "البحيري",
    "الصعيدي",
    "منصور",
    "عثمان",
    "رمضان",
    "شحاتة",
    "عبد الفتاح",
    "حسانين",
    "الدسوقي",
    "الجندي",
    "فهمي",
    "عوض",
    "بدوي",
    "الأنصاري",
    "الطنطاوي",
    "قاسم",
    "إسكندر",
    "حنا",
    "عبد المسيح",
    "غالي",
    "صبري",
    "زكي",
    "الإمام",
    "مرسي",
    "عطية",
    "يونس",
    "الفقي",
    "درويش",
    "الخولي",
    "أبو زيد",
    "أبو العلا",
    "هلال",
    "الشاذلي",
    "موسى",
    "عيسى",
)


def spelling_variant(name: str, rng: random.Random, rate: float = 0.35) -> str:
    """With probability `rate`, respell `name` the way a hurried clerk would (see module doc)."""
    if rng.random() >= rate:
        return name
    out = name.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
    habit = rng.random()
    if habit < 0.5:
        out = out.replace("ة", "ه")
    if habit > 0.3:
        words = [w[:-1] + "ي" if w.endswith("ى") else w for w in out.split(" ")]
        out = " ".join(words)
    return out


def full_name(rng: random.Random, gender: str) -> str:
    """First name, father's name and family name, e.g. "منى أحمد الشربيني"."""
    first = rng.choice(MALE_FIRST if gender == "M" else FEMALE_FIRST)
    father = rng.choice(MALE_FIRST)
    return spelling_variant(f"{first} {father} {rng.choice(FAMILY)}", rng)
