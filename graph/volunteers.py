"""Volunteer repository: volunteers, their skills and memberships by id (in key order, the
DataLoader contract), and filtered keyset pages with totals.

Filters (all optional, combined with AND):
- governorate: lives in it (LIVES_IN);
- skill: holds it or a skill that IMPLIES it (transitively), at >= min_level, not expired;
  min_level alone: holds any unexpired skill at that level;
- association: member of it;
- available_from/available_to: active, the weekly windows (Cairo time) cover the whole
  interval on every day it spans, and no blackout overlaps it;
- search: Arabic-normalised full-text search on name (index `volunteer_names`): every word
  must match, so "احمد" finds "أحمد".
Pages are ordered by id; `after` is the last id of the previous page. The candidates come from
the full-text index with a search, else from the association's members with an association,
else from every volunteer. The national-ID hash is never read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any, LiteralString
from zoneinfo import ZoneInfo

from neo4j import AsyncDriver

from graph.arabic_normalize import normalize_arabic
from graph.cypher_runner import interactive_session, tx_rows
from graph.keyed_reads import Row, one_row_per_key, rows_per_key
from graph.types import Page, VolunteerFilter

CAIRO = ZoneInfo("Africa/Cairo")
MAX_PAGE = 200

# One row per volunteer, the same for every read: the API's `Volunteer` is built from it, and
# its loader is primed with the rows of a page. `governorate` is where the volunteer lives,
# else where it was born. Never the national-ID hash.
VOLUNTEER_ROW: LiteralString = """
OPTIONAL MATCH (v)-[:LIVES_IN]->(g:Governorate)
RETURN v.id AS id, v.name AS name, v.gender AS gender, v.birthYear AS birthYear,
       coalesce(g.code, v.birthGovernorate) AS governorate, v.phone AS phone,
       coalesce(v.reliability, 1.0) AS reliability, coalesce(v.hoursThisMonth, 0.0) AS hoursThisMonth,
       v.availability AS availability, coalesce(v.active, true) AS active
"""

VOLUNTEERS_BY_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (v:Volunteer {id: key})
""" + VOLUNTEER_ROW

# Weekly windows parsed from the availability JSON (any key order, any spacing).
_WINDOWS: LiteralString = """
[w IN split(replace(replace(replace(replace(coalesce(v.availability, '[]'), ' ', ''),
    '[', ''), ']', ''), '},{', '}|{'), '|') WHERE w CONTAINS '"weekday"' |
  {weekday: toInteger(split(split(split(w, '"weekday":')[1], ',')[0], '}')[0]),
   start: split(split(w, '"start":"')[1], '"')[0],
   end: split(split(w, '"end":"')[1], '"')[0]}]
"""
_BLACKOUTS: LiteralString = """
[b IN split(replace(replace(replace(replace(coalesce(v.blackouts, '[]'), ' ', ''),
    '[', ''), ']', ''), '},{', '}|{'), '|') WHERE b CONTAINS '"start"' |
  {start: datetime(split(split(b, '"start":"')[1], '"')[0]),
   end: datetime(split(split(b, '"end":"')[1], '"')[0])}]
"""

_FILTER: LiteralString = """
WHERE ($governorate IS NULL OR EXISTS { (v)-[:LIVES_IN]->(:Governorate {code: $governorate}) })
  AND ($association IS NULL OR EXISTS { (v)-[:MEMBER_OF]->(:Association {id: $association}) })
  AND ($skill IS NULL OR EXISTS {
        MATCH (v)-[h:HAS_SKILL]->(:Skill)-[:IMPLIES*0..]->(:Skill {code: $skill})
        WHERE h.level >= coalesce($minLevel, 1) AND (h.expiresAt IS NULL OR h.expiresAt > $now) })
  AND ($skill IS NOT NULL OR $minLevel IS NULL OR EXISTS {
        MATCH (v)-[h:HAS_SKILL]->(:Skill)
        WHERE h.level >= $minLevel AND (h.expiresAt IS NULL OR h.expiresAt > $now) })
  AND ($reqs IS NULL OR (coalesce(v.active, true)
       AND all(req IN $reqs WHERE any(w IN """ + _WINDOWS + """
               WHERE w.weekday = req.weekday AND w.start <= req.start AND w.end >= req.end))
       AND none(b IN """ + _BLACKOUTS + """ WHERE b.start < $to AND b.end > $from)))
"""

_SCAN: LiteralString = "MATCH (v:Volunteer)\n"
# With an association (always, for a coordinator) start from its members, not all volunteers.
_MEMBERS: LiteralString = """
MATCH (:Association {id: $association})<-[:MEMBER_OF]-(member:Volunteer)
WITH DISTINCT member AS v
"""
_SEARCH: LiteralString = """
CALL db.index.fulltext.queryNodes('volunteer_names', $search) YIELD node AS v
"""

VOLUNTEER_PAGE: LiteralString = (
    _SCAN + _FILTER + " AND ($after IS NULL OR v.id > $after)\n"
    "WITH v ORDER BY v.id LIMIT $limit\n" + VOLUNTEER_ROW + "ORDER BY id\n"
)
VOLUNTEER_COUNT: LiteralString = _SCAN + _FILTER + "RETURN count(v) AS total"
MEMBER_PAGE: LiteralString = (
    _MEMBERS + _FILTER + " AND ($after IS NULL OR v.id > $after)\n"
    "WITH v ORDER BY v.id LIMIT $limit\n" + VOLUNTEER_ROW + "ORDER BY id\n"
)
MEMBER_COUNT: LiteralString = _MEMBERS + _FILTER + "RETURN count(v) AS total"
VOLUNTEER_SEARCH_PAGE: LiteralString = (
    _SEARCH + _FILTER + " AND ($after IS NULL OR v.id > $after)\n"
    "WITH DISTINCT v ORDER BY v.id LIMIT $limit\n" + VOLUNTEER_ROW + "ORDER BY id\n"
)
VOLUNTEER_SEARCH_COUNT: LiteralString = (
    _SEARCH + _FILTER + "RETURN count(DISTINCT v) AS total"
)

SKILLS_OF_VOLUNTEERS: LiteralString = """
UNWIND $ids AS key
MATCH (:Volunteer {id: key})-[h:HAS_SKILL]->(s:Skill)
RETURN key AS volunteerId, s.code AS skill, h.level AS level, h.certifiedBy AS certifiedBy,
       h.expiresAt AS expiresAt
ORDER BY key, s.code
"""

MEMBERSHIPS_OF_VOLUNTEERS: LiteralString = """
UNWIND $ids AS key
MATCH (:Volunteer {id: key})-[m:MEMBER_OF]->(a:Association)
RETURN key AS volunteerId, a.id AS association, m.since AS since,
       coalesce(m.primary, false) AS primary
ORDER BY key, m.primary DESC, a.id
"""

_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


def fulltext_query(search: str) -> str | None:
    """Lucene query for a user's search text: normalised, escaped, every word required."""
    words = [_LUCENE_SPECIAL.sub(r"\\\1", w) for w in normalize_arabic(search).split(" ") if w]
    words = [w for w in words if w.lower() not in ("and", "or", "not")]
    return " AND ".join(words) if words else None


def weekly_requirements(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The (weekday, "HH:MM" start, "HH:MM" end) pieces, in Cairo time, that a volunteer's
    weekly windows must cover to be available for all of [start, end)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("availability bounds must be timezone-aware")
    if end <= start:
        raise ValueError("availableTo must be after availableFrom")
    local_start, local_end = start.astimezone(CAIRO), end.astimezone(CAIRO)
    pieces: list[dict[str, Any]] = []
    day = local_start.date()
    while True:
        day_start = datetime.combine(day, time(0, 0), tzinfo=CAIRO)
        day_end = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=CAIRO)
        lo, hi = max(local_start, day_start), min(local_end, day_end)
        if lo < hi:
            pieces.append({
                "weekday": day.isoweekday(),
                "start": lo.strftime("%H:%M"),
                "end": "23:59" if hi >= day_end else hi.strftime("%H:%M"),
            })
        if day_end >= local_end or len(pieces) > 7:
            break
        day += timedelta(days=1)
    return pieces


async def get_volunteers(driver: AsyncDriver, ids: Sequence[str]) -> list[Row | None]:
    """Each volunteer's row (`VOLUNTEER_ROW`; never the national-ID hash), None where there is none."""
    return await one_row_per_key(driver, VOLUNTEERS_BY_IDS, ids)


async def volunteer_skills(driver: AsyncDriver, ids: Sequence[str]) -> list[list[Row]]:
    """Each volunteer's skills by code: skill, level, certifiedBy, expiresAt."""
    return await rows_per_key(driver, SKILLS_OF_VOLUNTEERS, ids, "volunteerId")


async def volunteer_memberships(driver: AsyncDriver, ids: Sequence[str]) -> list[list[Row]]:
    """Each volunteer's memberships, primary first: association, since, primary."""
    return await rows_per_key(driver, MEMBERSHIPS_OF_VOLUNTEERS, ids, "volunteerId")


def _filter_params(f: VolunteerFilter) -> dict[str, Any]:
    reqs = None
    if f.available_from is not None or f.available_to is not None:
        if f.available_from is None or f.available_to is None:
            raise ValueError("availableFrom and availableTo must be given together")
        reqs = weekly_requirements(f.available_from, f.available_to)
    if f.min_level is not None and not 1 <= f.min_level <= 5:
        raise ValueError("minLevel must be between 1 and 5")
    return {
        "governorate": f.governorate, "association": f.association, "skill": f.skill,
        "minLevel": f.min_level, "reqs": reqs,
        "from": f.available_from.astimezone(UTC) if f.available_from else None,
        "to": f.available_to.astimezone(UTC) if f.available_to else None,
        "now": datetime.now(UTC),
    }


async def page_volunteers(
    driver: AsyncDriver, f: VolunteerFilter | None = None, *, first: int = 50,
    after: str | None = None,
) -> Page[Row]:
    """One page of volunteer rows (as `get_volunteers` reads them) matching `f`, in id order
    after `after`, with the total."""
    if not 0 <= first <= MAX_PAGE:
        raise ValueError(f"first must be between 0 and {MAX_PAGE}")
    f = f or VolunteerFilter()
    params = _filter_params(f)
    search = fulltext_query(f.search) if f.search else None
    if f.search and search is None:
        return Page((), False, 0)
    if search is not None:
        page_q, count_q = VOLUNTEER_SEARCH_PAGE, VOLUNTEER_SEARCH_COUNT
        params["search"] = search
    elif f.association is not None:
        page_q, count_q = MEMBER_PAGE, MEMBER_COUNT
    else:
        page_q, count_q = VOLUNTEER_PAGE, VOLUNTEER_COUNT
    page_params = {**params, "after": after, "limit": first + 1}

    async def read(tx: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return (await tx_rows(tx, page_q, page_params), await tx_rows(tx, count_q, params))

    # The API's short-retry session: UNAVAILABLE in ~3 s when Neo4j is down, not the
    # driver's default 30 s; page and total read in one transaction.
    async with interactive_session(driver) as session:
        records, counted = await session.execute_read(read)
    items = tuple(records[:first])
    return Page(items, len(records) > first, int(counted[0]["total"]))
