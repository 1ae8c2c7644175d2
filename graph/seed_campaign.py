"""Synthetic events of the alliance: a 30-day Ramadan food-box drive in every governorate,
iftar tables in the largest ones, and medical convoys (pure generation, no I/O).

Times are planned in Africa/Cairo local time and handed over as UTC epoch seconds.
Ids: campaign f"{prefix}C-RAMADAN-1448", events f"{prefix}E{n:04d}", shifts f"{event}-S{d:02d}".
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from engine.reference.associations import ASSOCIATIONS, Association
from engine.reference.governorates import GOVERNORATES, Governorate

CAIRO = ZoneInfo("Africa/Cairo")
# 1 Ramadan 1448 AH is expected on 8 February 2027 (astronomical calculation).
RAMADAN_1448 = date(2027, 2, 8)
CAMPAIGN_DAYS = 30


@dataclass(frozen=True, slots=True)
class CampaignConfig:
    seed: int
    id_prefix: str = ""
    start: date = RAMADAN_1448
    days: int = CAMPAIGN_DAYS
    created_at: datetime = datetime(2026, 11, 25, 9, 0, tzinfo=CAIRO)


@dataclass(slots=True)
class CampaignData:
    campaign: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    shifts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def slots(self) -> int:
        return sum(n["count"] for s in self.shifts for n in s["needs"])


def _epoch(day: date, hhmm: str) -> int:
    h, m = (int(x) for x in hhmm.split(":"))
    return int(datetime.combine(day, time(h, m), tzinfo=CAIRO).timestamp())


def _organizer(rng: random.Random, gov: Governorate, domain: str) -> Association:
    local = [a for a in ASSOCIATIONS if gov.code in a.governorates and domain in a.focus]
    national = [a for a in ASSOCIATIONS if not a.governorates and domain in a.focus]
    pool = local or national or list(ASSOCIATIONS)
    return rng.choice(pool)


def _scale(gov: Governorate) -> float:
    """Bigger governorates need more hands: 1.0 for ~1M people, capped."""
    return max(0.5, min(6.0, gov.population / 1_500_000))


def generate_campaign(config: CampaignConfig) -> CampaignData:
    rng = random.Random(f"tahaluf-campaign:{config.seed}:{config.id_prefix}")
    p = config.id_prefix
    campaign_id = f"{p}C-RAMADAN-1448"
    data = CampaignData(campaign={
        "id": campaign_id,
        "name": "حملة رمضان ١٤٤٨ — كرتونة الخير (Ramadan 1448 food-box drive)",
    })
    created = int(config.created_at.timestamp())
    counter = 0

    def add_event(gov: Governorate, domain: str, title: str, campaign: str | None,
                  days: list[date], hours: tuple[str, str],
                  needs: list[tuple[str, int, int, str | None]]) -> None:
        nonlocal counter
        counter += 1
        org = _organizer(rng, gov, domain)
        event_id = f"{p}E{counter:04d}"
        data.events.append({
            "id": event_id, "title": title, "domain": domain, "campaign": campaign,
            "lat": round(gov.lat + rng.uniform(-0.03, 0.03), 5),
            "lon": round(gov.lon + rng.uniform(-0.03, 0.03), 5),
            "startsAt": _epoch(days[0], hours[0]), "endsAt": _epoch(days[-1], hours[1]),
            "createdAt": created, "association": p + org.id, "governorate": gov.code,
        })
        for d, day in enumerate(days, start=1):
            data.shifts.append({
                "id": f"{event_id}-S{d:02d}", "eventId": event_id,
                "startsAt": _epoch(day, hours[0]), "endsAt": _epoch(day, hours[1]),
                "urgent": False,
                "needs": [
                    {"index": i, "skill": skill, "count": count, "minLevel": level,
                     "gender": gender, "minAge": None}
                    for i, (skill, count, level, gender) in enumerate(needs)
                ],
            })

    drive = [config.start + timedelta(days=i) for i in range(config.days)]
    for gov in GOVERNORATES:
        k = _scale(gov)
        add_event(gov, "POVERTY", f"تعبئة وتوزيع كرتونة رمضان — {gov.name_ar}", campaign_id,
                  drive, ("10:00", "14:00"),
                  [("food_packing", max(4, round(12 * k)), 1, None),
                   ("warehouse_management", 1, 2, None),
                   ("food_distribution", max(2, round(5 * k)), 1, None),
                   ("driver", max(1, round(2 * k)), 2, None)])
    for gov in sorted(GOVERNORATES, key=lambda g: -g.population)[:10]:
        k = _scale(gov)
        add_event(gov, "POVERTY", f"موائد الرحمن — {gov.name_ar}", campaign_id,
                  drive, ("15:30", "19:30"),
                  [("cooking", max(2, round(3 * k)), 2, None),
                   ("food_distribution", max(3, round(6 * k)), 1, None),
                   ("crowd_management", 2, 1, None),
                   ("first_aid", 1, 2, None)])
    # Medical convoys on the four Fridays of the drive, in Upper Egypt and the frontier.
    fridays = [d for d in drive if d.isoweekday() == 5][:4]
    for code in ("24", "25", "26", "27", "28", "32", "33", "34"):
        gov = next(g for g in GOVERNORATES if g.code == code)
        add_event(gov, "HEALTH", f"قافلة طبية — {gov.name_ar}", None, fridays,
                  ("09:00", "16:00"),
                  [("physician", 3, 3, None), ("gynecologist", 1, 3, "F"),
                   ("nurse", 4, 2, None), ("pharmacist", 2, 2, None),
                   ("first_aid", 2, 1, None)])
    return data
