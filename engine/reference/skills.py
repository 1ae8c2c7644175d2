"""The skills volunteers hold and shifts need, and which skill qualifies for which.

`implies` lists the skills a holder of this skill may also fill, directly; the relation is
transitive ("physician implies nurse", "nurse implies first_aid" => a physician can do first
aid) and forms a DAG over known codes (a test checks both).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

Domain = Literal["HEALTH", "EDUCATION", "POVERTY", "ENVIRONMENT", "AGRICULTURE", "RELIEF", "OTHER"]

DOMAINS: Final[tuple[Domain, ...]] = (
    "HEALTH",
    "EDUCATION",
    "POVERTY",
    "ENVIRONMENT",
    "AGRICULTURE",
    "RELIEF",
    "OTHER",
)


@dataclass(frozen=True, slots=True)
class Skill:
    code: str
    name_ar: str
    name_en: str
    domain: Domain
    implies: tuple[str, ...] = ()


SKILLS: Final[tuple[Skill, ...]] = (
    # HEALTH — medical convoys, clinics, awareness
    Skill("physician", "طبيب بشري", "Physician", "HEALTH", ("nurse", "health_awareness")),
    Skill("pediatrician", "طبيب أطفال", "Pediatrician", "HEALTH", ("physician",)),
    Skill("surgeon", "جراح", "Surgeon", "HEALTH", ("physician",)),
    Skill("ophthalmologist", "طبيب عيون", "Ophthalmologist", "HEALTH", ("physician",)),
    Skill("gynecologist", "طبيب نساء وتوليد", "Gynecologist", "HEALTH", ("physician", "midwife")),
    Skill("dentist", "طبيب أسنان", "Dentist", "HEALTH", ("health_awareness",)),
    Skill("pharmacist", "صيدلي", "Pharmacist", "HEALTH", ("health_awareness",)),
    Skill("nurse", "ممرض", "Nurse", "HEALTH", ("first_aid", "health_awareness")),
    Skill("midwife", "قابلة", "Midwife", "HEALTH", ("first_aid",)),
    Skill("paramedic", "مسعف", "Paramedic", "HEALTH", ("first_aid",)),
    Skill("first_aid", "إسعافات أولية", "First aid", "HEALTH"),
    Skill("lab_technician", "فني معمل تحاليل", "Lab technician", "HEALTH"),
    Skill("physiotherapist", "أخصائي علاج طبيعي", "Physiotherapist", "HEALTH"),
    Skill("psychologist", "أخصائي نفسي", "Psychologist", "HEALTH", ("psychosocial_support",)),
    Skill("psychosocial_support", "دعم نفسي اجتماعي", "Psychosocial support", "HEALTH",
          ("psychological_first_aid",)),
    Skill("health_awareness", "توعية صحية", "Health awareness", "HEALTH"),
    Skill("blood_drive", "تنظيم حملات التبرع بالدم", "Blood drive organiser", "HEALTH"),
    # EDUCATION
    Skill("teacher", "معلم", "Teacher", "EDUCATION", ("tutor",)),
    Skill("english_teacher", "معلم لغة إنجليزية", "English teacher", "EDUCATION", ("teacher",)),
    Skill("special_needs_educator", "معلم تربية خاصة", "Special-needs educator", "EDUCATION",
          ("teacher",)),
    Skill("literacy_instructor", "معلم محو أمية", "Literacy instructor", "EDUCATION", ("tutor",)),
    Skill("tutor", "مدرس تقوية", "Tutor", "EDUCATION"),
    Skill("early_childhood", "تربية الطفولة المبكرة", "Early childhood educator", "EDUCATION"),
    Skill("computer_trainer", "مدرب حاسب آلي", "Computer trainer", "EDUCATION", ("it_support",)),
    Skill("sign_language", "لغة الإشارة", "Sign language interpreter", "EDUCATION"),
    # POVERTY — food boxes, iftar meals, case research
    Skill("social_researcher", "باحث اجتماعي", "Social researcher", "POVERTY", ("field_survey",)),
    Skill("field_survey", "حصر ومسح ميداني للأسر", "Household field survey", "POVERTY"),
    Skill("warehouse_management", "إدارة مخازن", "Warehouse management", "POVERTY",
          ("food_packing",)),
    Skill("food_packing", "تعبئة كراتين غذائية", "Food-box packing", "POVERTY"),
    Skill("food_distribution", "توزيع مساعدات", "Aid distribution", "POVERTY"),
    Skill("cooking", "طهي وجبات", "Community cooking", "POVERTY"),
    Skill("microfinance_advisor", "مستشار قروض صغيرة", "Microfinance advisor", "POVERTY"),
    # ENVIRONMENT
    Skill("tree_planting", "تشجير", "Tree planting", "ENVIRONMENT"),
    Skill("waste_sorting", "فرز المخلفات", "Waste sorting", "ENVIRONMENT"),
    Skill("recycling_trainer", "مدرب إعادة تدوير", "Recycling trainer", "ENVIRONMENT",
          ("waste_sorting", "environmental_awareness")),
    Skill("environmental_awareness", "توعية بيئية", "Environmental awareness", "ENVIRONMENT"),
    Skill("water_quality_testing", "تحليل جودة المياه", "Water quality testing", "ENVIRONMENT"),
    Skill("solar_technician", "فني طاقة شمسية", "Solar technician", "ENVIRONMENT", ("electrician",)),
    # AGRICULTURE
    Skill("agronomist", "مهندس زراعي", "Agronomist", "AGRICULTURE", ("agricultural_extension",)),
    Skill("agricultural_extension", "مرشد زراعي", "Agricultural extension worker", "AGRICULTURE"),
    Skill("irrigation_technician", "فني ري", "Irrigation technician", "AGRICULTURE"),
    Skill("veterinarian", "طبيب بيطري", "Veterinarian", "AGRICULTURE", ("animal_husbandry",)),
    Skill("animal_husbandry", "رعاية الماشية", "Animal husbandry", "AGRICULTURE"),
    Skill("beekeeping", "تربية النحل", "Beekeeping", "AGRICULTURE"),
    # RELIEF — crises, floods, shelters
    Skill("search_and_rescue", "بحث وإنقاذ", "Search and rescue", "RELIEF", ("first_aid",)),
    Skill("shelter_management", "إدارة مراكز الإيواء", "Shelter management", "RELIEF"),
    Skill("crowd_management", "تنظيم الحشود", "Crowd management", "RELIEF"),
    Skill("logistics_coordinator", "منسق لوجستي", "Logistics coordinator", "RELIEF",
          ("warehouse_management",)),
    Skill("firefighting", "إطفاء الحرائق", "Firefighting", "RELIEF"),
    Skill("psychological_first_aid", "إسعاف نفسي أولي", "Psychological first aid", "RELIEF"),
    # OTHER
    Skill("heavy_vehicle_driver", "سائق نقل ثقيل", "Heavy-vehicle driver", "OTHER", ("driver",)),
    Skill("ambulance_driver", "سائق إسعاف", "Ambulance driver", "OTHER", ("driver", "first_aid")),
    Skill("driver", "سائق", "Driver", "OTHER"),
    Skill("translator", "مترجم", "Translator", "OTHER"),
    Skill("it_support", "دعم فني تقني", "IT support", "OTHER", ("data_entry",)),
    Skill("data_entry", "إدخال بيانات", "Data entry", "OTHER"),
    Skill("accountant", "محاسب", "Accountant", "OTHER"),
    Skill("photographer", "مصور", "Photographer", "OTHER"),
    Skill("social_media", "إعلام وتواصل اجتماعي", "Social media and outreach", "OTHER"),
    Skill("electrician", "كهربائي", "Electrician", "OTHER"),
    Skill("plumber", "سباك", "Plumber", "OTHER"),
    Skill("builder", "عامل بناء وترميم", "Builder (home repair)", "OTHER"),
)

SKILL_BY_CODE: Final[Mapping[str, Skill]] = MappingProxyType({s.code: s for s in SKILLS})

SKILL_CODES: Final[frozenset[str]] = frozenset(SKILL_BY_CODE)


def skill(code: str) -> Skill:
    """The skill with this code; KeyError naming the code if unknown."""
    try:
        return SKILL_BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown skill code {code!r}") from None


def implication_edges() -> tuple[tuple[str, str], ...]:
    """Every direct (holder skill, implied skill) pair, in declaration order."""
    return tuple((s.code, implied) for s in SKILLS for implied in s.implies)


def implied_closure(code: str) -> frozenset[str]:
    """The skills a holder of `code` qualifies for, itself included (transitive)."""
    seen: set[str] = set()
    stack = [code]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(skill(current).implies)
    return frozenset(seen)


def qualifying_skills(code: str) -> frozenset[str]:
    """The skills whose holders may fill a need for `code` (itself included): reverse closure."""
    return frozenset(s.code for s in SKILLS if code in implied_closure(s.code))
