"""The member associations of the alliance and their default sharing policy.

Names are fictional but in the style of Egyptian development NGOs (جمعية / مؤسسة / اتحاد).
`governorates` are where an association mainly works (empty = nationwide), `size` is its
relative share of the alliance's volunteers (used to spread synthetic members).

Default sharing policy: whether it lends volunteers to other members, the largest share of its
active volunteers that may be lent at once, whether each loan needs its approval, and whether it
lends to every member (`lends_to_all`) or only to the explicit `borrowers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from engine.reference.skills import Domain


@dataclass(frozen=True, slots=True)
class SharingPolicy:
    lends: bool
    max_share: float
    requires_approval: bool
    lends_to_all: bool = True
    borrowers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Association:
    id: str
    name: str
    name_ar: str
    focus: tuple[Domain, ...]
    governorates: tuple[str, ...]
    size: float
    policy: SharingPolicy


OPEN = SharingPolicy(lends=True, max_share=0.2, requires_approval=False)
APPROVAL = SharingPolicy(lends=True, max_share=0.15, requires_approval=True)
CLOSED = SharingPolicy(lends=False, max_share=0.0, requires_approval=True)


def _to(*borrowers: str, max_share: float = 0.1, approval: bool = True) -> SharingPolicy:
    return SharingPolicy(True, max_share, approval, lends_to_all=False, borrowers=borrowers)


ASSOCIATIONS: Final[tuple[Association, ...]] = (
    Association("A01", "General Federation of Development Associations",
                "الاتحاد العام لجمعيات التنمية", ("POVERTY", "RELIEF", "HEALTH"), (), 3.0, OPEN),
    Association("A02", "Al-Nour Foundation for Development", "مؤسسة النور للتنمية",
                ("POVERTY", "EDUCATION"), (), 2.5, OPEN),
    Association("A03", "Al-Amal Association for Family Care", "جمعية الأمل لرعاية الأسرة",
                ("POVERTY", "HEALTH"), ("01", "21", "14"), 1.5, APPROVAL),
    Association("A04", "Shifaa Medical Convoys Foundation", "مؤسسة شفاء للقوافل الطبية",
                ("HEALTH",), (), 2.0, APPROVAL),
    Association("A05", "Egyptian Food Bank Alliance Partners", "شركاء بنك الطعام المصري",
                ("POVERTY",), (), 2.5, OPEN),
    Association("A06", "Upper Egypt Development Association", "جمعية تنمية الصعيد",
                ("POVERTY", "AGRICULTURE", "EDUCATION"), ("24", "25", "26", "27", "28", "29"),
                2.0, OPEN),
    Association("A07", "Delta Farmers Support Association", "جمعية دعم مزارعي الدلتا",
                ("AGRICULTURE",), ("12", "13", "15", "16", "17", "18"), 1.2, APPROVAL),
    Association("A08", "Future Generations Education Foundation", "مؤسسة أجيال المستقبل للتعليم",
                ("EDUCATION",), (), 1.8, OPEN),
    Association("A09", "Read and Rise Literacy Association", "جمعية اقرأ وارتقِ لمحو الأمية",
                ("EDUCATION",), ("23", "22", "24"), 0.8, APPROVAL),
    Association("A10", "Green Egypt Environmental Association", "جمعية مصر الخضراء للبيئة",
                ("ENVIRONMENT",), (), 1.0, OPEN),
    Association("A11", "Clean Nile Initiative Association", "جمعية مبادرة نيل نظيف",
                ("ENVIRONMENT",), ("01", "21", "27", "28", "29"), 0.7, APPROVAL),
    Association("A12", "Alexandria Charitable Society", "الجمعية الخيرية بالإسكندرية",
                ("POVERTY", "HEALTH"), ("02", "18", "33"), 1.5, OPEN),
    Association("A13", "Sinai Relief and Development Foundation", "مؤسسة سيناء للإغاثة والتنمية",
                ("RELIEF", "POVERTY"), ("34", "35", "04", "19"), 0.6, _to("A01", "A14", "A20")),
    Association("A14", "Egyptian Relief Volunteers", "متطوعو الإغاثة المصريون",
                ("RELIEF", "HEALTH"), (), 1.5, OPEN),
    Association("A15", "Al-Rahma Orphan Care Association", "جمعية الرحمة لرعاية الأيتام",
                ("POVERTY", "EDUCATION"), ("01", "14", "21"), 0.9, CLOSED),
    Association("A16", "Sohag Women's Development Association", "جمعية تنمية المرأة بسوهاج",
                ("POVERTY", "HEALTH", "EDUCATION"), ("26",), 0.6, _to("A06", "A01")),
    Association("A17", "Canal Cities Youth Association", "جمعية شباب مدن القناة",
                ("OTHER", "RELIEF", "ENVIRONMENT"), ("03", "04", "19"), 0.7, OPEN),
    Association("A18", "Al-Wafaa Elderly Care Association", "جمعية الوفاء لرعاية المسنين",
                ("HEALTH", "POVERTY"), ("01", "02", "12"), 0.6, APPROVAL),
    Association("A19", "Hand in Hand Disability Inclusion", "مؤسسة يدًا بيد لدمج ذوي الإعاقة",
                ("EDUCATION", "HEALTH"), (), 0.8, APPROVAL),
    Association("A20", "Nile Valley Medical Aid", "جمعية وادي النيل للمساعدات الطبية",
                ("HEALTH",), ("22", "23", "24", "25"), 1.0, OPEN),
    Association("A21", "Sharqia Community Development Association", "جمعية تنمية المجتمع بالشرقية",
                ("POVERTY", "AGRICULTURE"), ("13", "14"), 1.0, OPEN),
    Association("A22", "Dakahlia Charity and Services", "جمعية البر والخدمات بالدقهلية",
                ("POVERTY", "HEALTH"), ("12", "11"), 1.0, APPROVAL),
    Association("A23", "Aswan Nubian Heritage and Development", "جمعية النوبة للتراث والتنمية",
                ("EDUCATION", "ENVIRONMENT"), ("28", "29"), 0.5, _to("A06", "A11")),
    Association("A24", "New Valley Oasis Development", "جمعية تنمية الواحات",
                ("AGRICULTURE", "ENVIRONMENT"), ("32",), 0.3, OPEN),
    Association("A25", "Matrouh Bedouin Community Association", "جمعية أهالي مطروح",
                ("POVERTY", "AGRICULTURE"), ("33",), 0.3, APPROVAL),
    Association("A26", "Red Sea Coast Environment Society", "جمعية حماية بيئة البحر الأحمر",
                ("ENVIRONMENT",), ("31",), 0.3, OPEN),
    Association("A27", "Fayoum Rural Women Association", "جمعية المرأة الريفية بالفيوم",
                ("AGRICULTURE", "POVERTY"), ("23",), 0.5, APPROVAL),
    Association("A28", "Giza Youth for Development", "جمعية شباب الجيزة للتنمية",
                ("OTHER", "EDUCATION", "POVERTY"), ("21",), 1.2, OPEN),
    Association("A29", "Cairo Iftar Tables Initiative", "مبادرة موائد الرحمن بالقاهرة",
                ("POVERTY",), ("01",), 1.0, OPEN),
    Association("A30", "Gharbia Health Awareness Society", "جمعية التوعية الصحية بالغربية",
                ("HEALTH",), ("16", "17"), 0.7, APPROVAL),
    Association("A31", "Beheira Water and Sanitation Association", "جمعية المياه والصرف بالبحيرة",
                ("ENVIRONMENT", "AGRICULTURE"), ("18",), 0.5, CLOSED),
    Association("A32", "Kafr El Sheikh Fishermen Support", "جمعية دعم الصيادين بكفر الشيخ",
                ("POVERTY", "AGRICULTURE"), ("15",), 0.4, _to("A07", "A01", max_share=0.2)),
)

ASSOCIATION_BY_ID: Final[Mapping[str, Association]] = MappingProxyType(
    {a.id: a for a in ASSOCIATIONS}
)


def association(association_id: str) -> Association:
    """The association with this id; KeyError naming the id if unknown."""
    try:
        return ASSOCIATION_BY_ID[association_id]
    except KeyError:
        raise KeyError(f"unknown association id {association_id!r}") from None
