"""Event repository: events by id(s), shifts of events, shifts with needs, filtered pages.

Event filter (all optional, AND): governorate (IN), domain, association (ORGANIZES), campaign
(the campaign id stored on the event), and a time window: `starts_from` keeps events that end at
or after it, `starts_to` keeps events that start at or before it (i.e. overlapping the window).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver

from graph.types import EventFilter, EventRecord, NeedRecord, Page, ShiftRecord

MAX_PAGE = 200
DOMAINS = ("HEALTH", "EDUCATION", "POVERTY", "ENVIRONMENT", "AGRICULTURE", "RELIEF", "OTHER")

_EVENT: LiteralString = """
e {.id, .title, .domain, .campaign, .lat, .lon, .startsAt, .endsAt, .createdAt,
   association: head([(a:Association)-[:ORGANIZES]->(e) | a.id]),
   governorate: head([(e)-[:IN]->(g:Governorate) | g.code])} AS e
"""

_SHIFT: LiteralString = """
s {.id, .startsAt, .endsAt, .urgent, eventId: ev.id,
   needs: [(s)-[n:NEEDS]->(k:Skill) | {index: n.index, skill: k.code, count: n.count,
           minLevel: n.minLevel, gender: n.gender, minAge: n.minAge}]} AS s
"""

EVENTS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (e:Event {id: id})
RETURN """ + _EVENT

SHIFTS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (ev:Event)-[:HAS_SHIFT]->(s:Shift {id: id})
RETURN """ + _SHIFT

SHIFTS_OF_EVENTS: LiteralString = """
UNWIND $ids AS id
MATCH (ev:Event {id: id})-[:HAS_SHIFT]->(s:Shift)
WITH ev, s ORDER BY s.startsAt, s.id
RETURN """ + _SHIFT

_EVENT_FILTER: LiteralString = """
MATCH (e:Event)
WHERE ($domain IS NULL OR e.domain = $domain)
  AND ($campaign IS NULL OR e.campaign = $campaign)
  AND ($from IS NULL OR e.endsAt >= $from)
  AND ($to IS NULL OR e.startsAt <= $to)
  AND ($governorate IS NULL OR EXISTS { (e)-[:IN]->(:Governorate {code: $governorate}) })
  AND ($association IS NULL OR EXISTS { (:Association {id: $association})-[:ORGANIZES]->(e) })
"""

EVENT_PAGE: LiteralString = (
    _EVENT_FILTER + "  AND ($after IS NULL OR e.id > $after)\n"
    "WITH e ORDER BY e.id LIMIT $limit\nRETURN " + _EVENT
)
EVENT_COUNT: LiteralString = _EVENT_FILTER + "RETURN count(e) AS total"


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _event(e: dict[str, Any]) -> EventRecord:
    return EventRecord(
        id=e["id"], title=e["title"], domain=e["domain"], campaign=e.get("campaign"),
        association=e.get("association"), governorate=e.get("governorate"),
        lat=float(e["lat"]), lon=float(e["lon"]), starts_at=_native(e["startsAt"]),
        ends_at=_native(e["endsAt"]), created_at=_native(e.get("createdAt")),
    )


def _shift(s: dict[str, Any]) -> ShiftRecord:
    needs = sorted(s.get("needs") or [], key=lambda n: n["index"])
    return ShiftRecord(
        id=s["id"], event_id=s["eventId"], starts_at=_native(s["startsAt"]),
        ends_at=_native(s["endsAt"]), urgent=bool(s.get("urgent", False)),
        needs=tuple(NeedRecord(int(n["index"]), n["skill"], int(n["count"]),
                               int(n.get("minLevel") or 1), n.get("gender"), n.get("minAge"))
                    for n in needs),
    )


async def get_events(driver: AsyncDriver, ids: Sequence[str]) -> list[EventRecord | None]:
    """Events in the order of `ids` (None where missing)."""
    records, _, _ = await driver.execute_query(EVENTS_BY_IDS, ids=list(ids), routing_="r")
    by_id = {r["e"]["id"]: _event(r["e"]) for r in records}
    return [by_id.get(i) for i in ids]


async def get_event(driver: AsyncDriver, event_id: str) -> EventRecord | None:
    return (await get_events(driver, [event_id]))[0]


async def get_shifts(driver: AsyncDriver, ids: Sequence[str]) -> list[ShiftRecord | None]:
    """Shifts with their needs (by index), in the order of `ids` (None where missing)."""
    records, _, _ = await driver.execute_query(SHIFTS_BY_IDS, ids=list(ids), routing_="r")
    by_id = {r["s"]["id"]: _shift(r["s"]) for r in records}
    return [by_id.get(i) for i in ids]


async def get_shift(driver: AsyncDriver, shift_id: str) -> ShiftRecord | None:
    return (await get_shifts(driver, [shift_id]))[0]


async def shifts_of_events(
    driver: AsyncDriver, event_ids: Sequence[str]
) -> list[list[ShiftRecord]]:
    """Each event's shifts in start order, in the order of `event_ids`."""
    records, _, _ = await driver.execute_query(SHIFTS_OF_EVENTS, ids=list(event_ids),
                                               routing_="r")
    out: dict[str, list[ShiftRecord]] = {i: [] for i in event_ids}
    for r in records:
        shift = _shift(r["s"])
        out[shift.event_id].append(shift)
    return [out[i] for i in event_ids]


def _utc(value: datetime | None, field: str) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(f"{field} must be timezone-aware")
    return value.astimezone(UTC)


async def page_events(
    driver: AsyncDriver, f: EventFilter | None = None, *, first: int = 50,
    after: str | None = None,
) -> Page[EventRecord]:
    """One page of events matching `f`, in id order after `after`, with the total."""
    if not 0 <= first <= MAX_PAGE:
        raise ValueError(f"first must be between 0 and {MAX_PAGE}")
    f = f or EventFilter()
    if f.domain is not None and f.domain not in DOMAINS:
        raise ValueError(f"domain must be one of {', '.join(DOMAINS)}")
    params = {
        "governorate": f.governorate, "domain": f.domain, "association": f.association,
        "campaign": f.campaign, "from": _utc(f.starts_from, "from"),
        "to": _utc(f.starts_to, "to"),
    }
    records, _, _ = await driver.execute_query(EVENT_PAGE, params, after=after,
                                               limit=first + 1, routing_="r")
    counted, _, _ = await driver.execute_query(EVENT_COUNT, params, routing_="r")
    items = tuple(_event(r["e"]) for r in records[:first])
    return Page(items, len(records) > first, int(counted[0]["total"]))
