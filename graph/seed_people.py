"""Synthetic volunteers of the alliance (pure generation, no I/O).

Deterministic: the same (seed, id prefix) gives the same people, so a re-run writes the same
ids and the loader can MERGE instead of duplicating. Volunteer i's id is f"{prefix}V{i:07d}".
People are drawn in blocks of `BLOCK` with NumPy (block b has its own random stream), which
keeps 250K volunteers to a few seconds of CPU and makes volunteer i the same whatever the total.
National IDs are structurally valid and unique within a run; only their keyed hash leaves this
module, with what they reveal (birth year, gender, birth governorate). Unprefixed runs store
`hash_national_id(id, secret)`; a namespaced run (id prefix, e.g. tests) hashes prefix + ID so
two namespaces never hold "the same person" by chance (the ID space is small enough for random
birthday collisions across 250K people).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from engine.reference.associations import ASSOCIATIONS
from engine.reference.governorates import GOVERNORATES, NATIONAL_ID_BIRTH_CODES
from engine.reference.skills import SKILLS
from graph.arabic_normalize import normalize_arabic
from graph.seed_names import FAMILY, FEMALE_FIRST, MALE_FIRST

BLOCK = 10_000

# Relative frequency of each skill among volunteers (unlisted skills: DEFAULT_SKILL_WEIGHT).
SKILL_WEIGHTS: dict[str, float] = {
    "food_packing": 30,
    "food_distribution": 25,
    "first_aid": 14,
    "tutor": 10,
    "driver": 8,
    "data_entry": 8,
    "field_survey": 8,
    "cooking": 8,
    "crowd_management": 6,
    "health_awareness": 6,
    "social_media": 5,
    "tree_planting": 5,
    "teacher": 5,
    "environmental_awareness": 4,
    "waste_sorting": 4,
    "social_researcher": 3,
    "nurse": 3,
    "warehouse_management": 3,
    "psychosocial_support": 2.5,
    "pharmacist": 2,
    "paramedic": 2,
    "literacy_instructor": 2,
    "english_teacher": 2,
    "agricultural_extension": 2,
    "physician": 1.5,
    "photographer": 2,
    "translator": 1.5,
    "accountant": 1.5,
}
DEFAULT_SKILL_WEIGHT = 0.6

# Skills whose certificate expires (licences, first-aid cards, driving permits).
EXPIRING_SKILLS = frozenset(
    {
        "physician",
        "pediatrician",
        "surgeon",
        "ophthalmologist",
        "gynecologist",
        "dentist",
        "pharmacist",
        "nurse",
        "midwife",
        "paramedic",
        "first_aid",
        "search_and_rescue",
        "firefighting",
        "heavy_vehicle_driver",
        "ambulance_driver",
        "driver",
        "psychological_first_aid",
        "lab_technician",
        "veterinarian",
    }
)
CERTIFIERS = ("وزارة الصحة", "الهلال الأحمر المصري", "نقابة الأطباء", "إدارة المرور", None)

# Weekly availability habits (weekday 1=Mon..7=Sun; Egypt's weekend is Friday and Saturday).
AVAILABILITY_PATTERNS: tuple[tuple[tuple[int, str, str], ...], ...] = (
    ((5, "09:00", "21:00"), (6, "09:00", "21:00")),  # weekends
    tuple((d, "17:00", "22:00") for d in (7, 1, 2, 3, 4)),  # weekday evenings
    tuple((d, "09:00", "15:00") for d in (7, 1, 2, 3, 4)),  # weekday mornings
    ((6, "10:00", "18:00"),),  # Saturdays
    tuple((d, "08:00", "22:00") for d in range(1, 8)),  # any time
    ((5, "13:00", "20:00"), (6, "09:00", "20:00"), (3, "17:00", "22:00")),  # mixed
)
PATTERN_WEIGHTS = (30, 25, 12, 10, 8, 15)

PHONE_PREFIXES = ("010", "011", "012", "015")
TRAVEL_KM = (10.0, 15.0, 25.0, 40.0, 60.0, 100.0)
TRAVEL_WEIGHTS = (15, 20, 30, 20, 10, 5)
HOURS_THIS_MONTH = (0.0, 0.0, 0.0, 2.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0)
MAX_HOURS_WEEK = (6.0, 8.0, 10.0, 12.0, 16.0, 20.0, 24.0, 30.0)
SKILL_COUNT_WEIGHTS = (35, 35, 20, 10)  # 1..4 skills
LEVEL_WEIGHTS = (25, 30, 25, 13, 7)  # level 1..5
VARIANT_RATE = 0.35  # share of names typed with a colloquial spelling


@dataclass(frozen=True, slots=True)
class PeopleConfig:
    seed: int
    id_prefix: str = ""
    id_secret: str = "dev-national-id-secret-change-me"
    today: date = date(2026, 11, 25)
    multi_membership: float = 0.10
    active_share: float = 0.92


@dataclass(frozen=True, slots=True)
class Lookups:
    """Positions of the reference nodes, so rows can point at them by index."""

    governorates: tuple[str, ...]
    skills: tuple[str, ...]
    associations: tuple[str, ...]


def lookups(prefix: str = "") -> Lookups:
    return Lookups(
        governorates=tuple(g.code for g in GOVERNORATES),
        skills=tuple(s.code for s in SKILLS),
        associations=tuple(prefix + a.id for a in ASSOCIATIONS),
    )


def availability_patterns() -> list[str]:
    """The weekly-availability JSON strings rows point at with "a" (sent once per batch)."""
    return [
        json.dumps([{"weekday": d, "start": s, "end": e} for d, s, e in p], separators=(",", ":"))
        for p in AVAILABILITY_PATTERNS
    ]


def volunteer_id(prefix: str, index: int) -> str:
    return f"{prefix}V{index:07d}"


def _variants(word: str) -> tuple[str, str, str, str]:
    """0: as is; 1: no hamza on alef; 2: + ta marbuta as ha; 3: + final ya for alef maqsura."""
    bare = word.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
    ha = bare.replace("ة", "ه")
    ya = " ".join(w[:-1] + "ي" if w.endswith("ى") else w for w in ha.split(" "))
    return (word, bare, ha, ya)


def _cum(weights: Any) -> np.ndarray:
    c = np.cumsum(np.asarray(weights, dtype=np.float64))
    out: np.ndarray = c / c[-1]
    return out


def _pick(rng: np.random.Generator, cum: np.ndarray, size: int) -> np.ndarray:
    return np.searchsorted(cum, rng.random(size), side="right").clip(0, len(cum) - 1)


@dataclass(frozen=True, slots=True)
class _Columns:
    """One block's random draws, as plain Python lists (fast to index per row)."""

    female: list[bool]
    age: list[int]
    birth_offset: list[int]
    gov: list[int]
    born_elsewhere: list[bool]
    elsewhere_code: list[int]
    serial: list[int]
    check: list[int]
    first_i: list[int]
    father_i: list[int]
    family_i: list[int]
    variant: list[int]
    phone_p: list[int]
    phone_n: list[int]
    active: list[bool]
    reliability: list[float]
    hours: list[int]
    travel: list[int]
    max_week: list[int]
    jitter: list[list[float]]
    pattern: list[int]
    n_skills: list[int]
    skill_pick: list[list[int]]
    level: list[list[int]]
    expiry_days: list[list[int]]
    certifier: list[list[int]]
    assoc: list[list[int]]
    second: list[bool]
    since: list[list[int]]


class PeopleGenerator:
    """Produces volunteer rows (see `row_block`) for the loader."""

    def __init__(self, config: PeopleConfig) -> None:
        self.config = config
        self._secret = config.id_secret.encode("utf-8")
        if not self._secret:
            raise ValueError("the national-ID hashing secret (TAHALUF_ID_SECRET) is empty")
        self._seen_nids: set[str] = set()
        # A namespaced run hashes prefix+ID: its people can never collide with another run's.
        self._hash_ns = config.id_prefix
        self._gov_cum = _cum([g.population for g in GOVERNORATES])
        self._skill_cum = _cum([SKILL_WEIGHTS.get(s.code, DEFAULT_SKILL_WEIGHT) for s in SKILLS])
        self._pattern_cum = _cum(PATTERN_WEIGHTS)
        self._travel_cum = _cum(TRAVEL_WEIGHTS)
        self._count_cum = _cum(SKILL_COUNT_WEIGHTS)
        self._level_cum = _cum(LEVEL_WEIGHTS)
        self._expiring = [s.code in EXPIRING_SKILLS for s in SKILLS]
        self._birth_codes = sorted(NATIONAL_ID_BIRTH_CODES)
        self._male = [_variants(n) for n in MALE_FIRST]
        self._female = [_variants(n) for n in FEMALE_FIRST]
        self._family = [_variants(n) for n in FAMILY]
        self._norm = {
            v: normalize_arabic(v)
            for group in (self._male, self._female, self._family)
            for vs in group
            for v in vs
        }
        # Associations working in each governorate (nationwide ones weigh less locally).
        self._assoc_by_gov: list[tuple[np.ndarray, np.ndarray]] = []
        for g in GOVERNORATES:
            idx = [
                i
                for i, a in enumerate(ASSOCIATIONS)
                if not a.governorates or g.code in a.governorates
            ]
            weights = [
                ASSOCIATIONS[i].size * (1.0 if ASSOCIATIONS[i].governorates else 0.35) for i in idx
            ]
            self._assoc_by_gov.append((np.array(idx), _cum(weights)))
        midnight = datetime.combine(config.today, datetime.min.time(), tzinfo=UTC)
        self._today_epoch = int(midnight.timestamp())
        self._since_start = int(datetime(2012, 1, 1, tzinfo=UTC).timestamp())

    def _rng(self, block: int) -> np.random.Generator:
        key = f"tahaluf-people:{self.config.seed}:{self.config.id_prefix}:{block}"
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        return np.random.default_rng(int.from_bytes(digest[:16], "big"))

    def row_block(self, block: int, count: int = BLOCK) -> list[dict[str, Any]]:
        """Volunteers block*BLOCK+1 .. block*BLOCK+count (count <= BLOCK).

        Each row: {"p": node properties, "g": governorate index, "a": availability pattern
        index (see `availability_patterns`), "sk": [{"i": skill index,
        "l": level, "c": certifiedBy, "e": expiry epoch seconds | None}],
        "m": [{"i": association index, "s": since epoch seconds, "p": primary}]}.
        Blocks must be asked for in increasing order (national IDs are kept unique).
        """
        cfg = self.config
        n = BLOCK
        rng = self._rng(block)
        female = rng.random(n) < 0.46
        age = np.clip(rng.normal(27, 9, n), 16, 70).astype(np.int64)
        birth_offset = rng.integers(0, 365, n)
        gov = _pick(rng, self._gov_cum, n)
        born_elsewhere = rng.random(n) < 0.2
        elsewhere_code = rng.integers(0, len(self._birth_codes), n)
        serial = rng.integers(0, 5000, n)
        check = rng.integers(0, 10, n)
        first_i = rng.integers(0, 1 << 30, n)
        father_i = rng.integers(0, len(MALE_FIRST), n)
        family_i = rng.integers(0, len(FAMILY), n)
        variant = np.where(rng.random(n) < VARIANT_RATE, rng.integers(1, 4, n), 0)
        phone_p = rng.integers(0, len(PHONE_PREFIXES), n)
        phone_n = rng.integers(0, 10**8, n)
        active = rng.random(n) < cfg.active_share
        reliability = np.round(np.clip(rng.normal(0.88, 0.1, n), 0.3, 1.0), 3)
        hours = rng.integers(0, len(HOURS_THIS_MONTH), n)
        travel = _pick(rng, self._travel_cum, n)
        max_week = rng.integers(0, len(MAX_HOURS_WEEK), n)
        jitter = rng.normal(0, 1, (n, 2))
        pattern = _pick(rng, self._pattern_cum, n)
        n_skills = _pick(rng, self._count_cum, n) + 1
        skill_pick = _pick(rng, self._skill_cum, n * 4).reshape(n, 4)
        level = _pick(rng, self._level_cum, n * 4).reshape(n, 4) + 1
        expiry_days = rng.integers(-120, 3 * 365, (n, 4))
        certifier = rng.integers(0, len(CERTIFIERS), (n, 4))
        assoc_u = rng.random((n, 2))
        assoc = np.zeros((n, 2), dtype=np.int64)
        for g_i, (idx, cum) in enumerate(self._assoc_by_gov):
            rows_g = gov == g_i
            if rows_g.any():
                pos = np.searchsorted(cum, assoc_u[rows_g], side="right").clip(0, len(idx) - 1)
                assoc[rows_g] = idx[pos]
        second = (rng.random(n) < cfg.multi_membership) & (assoc[:, 0] != assoc[:, 1])
        since = rng.integers(self._since_start, self._today_epoch, (n, 2))
        cols = _Columns(
            female=female.tolist(),
            age=age.tolist(),
            birth_offset=birth_offset.tolist(),
            gov=gov.tolist(),
            born_elsewhere=born_elsewhere.tolist(),
            elsewhere_code=elsewhere_code.tolist(),
            serial=serial.tolist(),
            check=check.tolist(),
            first_i=first_i.tolist(),
            father_i=father_i.tolist(),
            family_i=family_i.tolist(),
            variant=variant.tolist(),
            phone_p=phone_p.tolist(),
            phone_n=phone_n.tolist(),
            active=active.tolist(),
            reliability=reliability.tolist(),
            hours=hours.tolist(),
            travel=travel.tolist(),
            max_week=max_week.tolist(),
            jitter=jitter.tolist(),
            pattern=pattern.tolist(),
            n_skills=n_skills.tolist(),
            skill_pick=skill_pick.tolist(),
            level=level.tolist(),
            expiry_days=expiry_days.tolist(),
            certifier=certifier.tolist(),
            assoc=assoc.tolist(),
            second=second.tolist(),
            since=since.tolist(),
        )
        base = block * BLOCK
        return [self._row(base + k + 1, k, cols) for k in range(count)]

    def _row(self, index: int, k: int, c: _Columns) -> dict[str, Any]:
        cfg = self.config
        is_female = c.female[k]
        gender = "F" if is_female else "M"
        birth = date(cfg.today.year - c.age[k], 1, 1) + timedelta(days=c.birth_offset[k])
        if birth > cfg.today:
            birth -= timedelta(days=365)
        g_i = c.gov[k]
        g = GOVERNORATES[g_i]
        birth_code = self._birth_codes[c.elsewhere_code[k]] if c.born_elsewhere[k] else g.code
        ser = c.serial[k]
        head = f"{'2' if birth.year < 2000 else '3'}{birth:%y%m%d}{birth_code}"
        while True:
            four = (ser * 2) % 10_000 + (0 if is_female else 1)
            nid = f"{head}{four:04d}{c.check[k]}"
            if nid not in self._seen_nids:
                self._seen_nids.add(nid)
                break
            ser = (ser + 1) % 5000
        firsts = self._female if is_female else self._male
        v = c.variant[k]
        parts = (
            firsts[c.first_i[k] % len(firsts)][v],
            self._male[c.father_i[k]][v],
            self._family[c.family_i[k]][v],
        )
        spread = 0.12 if g.population > 2_000_000 else 0.07
        jitter = c.jitter[k]
        props = {
            "id": volunteer_id(cfg.id_prefix, index),
            "name": " ".join(parts),
            "nameNorm": " ".join(self._norm[p] for p in parts),
            "gender": gender,
            "birthYear": birth.year,
            "birthGovernorate": birth_code,
            "nationalIdHash": hmac.new(
                self._secret, (self._hash_ns + nid).encode("utf-8"), hashlib.sha256
            ).hexdigest(),
            "phone": f"{PHONE_PREFIXES[c.phone_p[k]]}{c.phone_n[k]:08d}",
            "active": c.active[k],
            "reliability": c.reliability[k],
            "hoursThisMonth": HOURS_THIS_MONTH[c.hours[k]],
            "maxTravelKm": TRAVEL_KM[c.travel[k]],
            "maxHoursWeek": MAX_HOURS_WEEK[c.max_week[k]],
            "lat": round(g.lat + jitter[0] * spread, 5),
            "lon": round(g.lon + jitter[1] * spread, 5),
        }
        skills: list[dict[str, Any]] = []
        seen: set[int] = set()
        picks, levels, days, certs = c.skill_pick[k], c.level[k], c.expiry_days[k], c.certifier[k]
        for j in range(c.n_skills[k]):
            s = picks[j]
            if s in seen:
                continue
            seen.add(s)
            expiring = self._expiring[s]
            skills.append(
                {
                    "i": s,
                    "l": levels[j],
                    "c": CERTIFIERS[certs[j]] if expiring else None,
                    "e": self._today_epoch + days[j] * 86_400 if expiring else None,
                }
            )
        assoc, since = c.assoc[k], c.since[k]
        members = [{"i": assoc[0], "s": since[0], "p": True}]
        if c.second[k]:
            members.append({"i": assoc[1], "s": since[1], "p": False})
        return {"p": props, "g": g_i, "a": c.pattern[k], "sk": skills, "m": members}

    def blocks(self, total: int) -> Iterator[list[dict[str, Any]]]:
        """All `total` volunteers, one block (<= BLOCK rows) at a time, in id order."""
        for block in range((total + BLOCK - 1) // BLOCK):
            yield self.row_block(block, min(BLOCK, total - block * BLOCK))
