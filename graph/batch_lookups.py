"""Batched reads by key for the API's DataLoaders: one statement per batch of keys.

Each statement takes `$ids` (a list of keys) and returns rows; the loaders
(api/loaders/keyed.py) put them back in key order. Projections are explicit so secret
properties (nationalIdHash) never leave.
"""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import read_rows

ACTIVE_STATUSES = ["PROPOSED", "CONFIRMED", "CHECKED_IN"]

VOLUNTEERS_BY_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (v:Volunteer {id: key})
OPTIONAL MATCH (v)-[:LIVES_IN]->(g:Governorate)
RETURN v.id AS id, v.name AS name, v.gender AS gender, v.birthYear AS birthYear,
       coalesce(g.code, v.birthGovernorate) AS governorate, v.phone AS phone,
       coalesce(v.reliability, 1.0) AS reliability, coalesce(v.hoursThisMonth, 0.0) AS hoursThisMonth,
       v.availability AS availability, coalesce(v.active, true) AS active
"""

MEMBERSHIPS_BY_VOLUNTEER_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (:Volunteer {id: key})-[m:MEMBER_OF]->(a:Association)
RETURN key AS volunteerId, a.id AS association, m.since AS since, coalesce(m.primary, false) AS primary
ORDER BY key, m.primary DESC, a.id
"""

SKILLS_BY_VOLUNTEER_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (:Volunteer {id: key})-[h:HAS_SKILL]->(s:Skill)
RETURN key AS volunteerId, s.code AS skill, h.level AS level, h.expiresAt AS expiresAt
ORDER BY key, s.code
"""

ASSOCIATIONS_BY_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (a:Association {id: key})
OPTIONAL MATCH (a)-[:SHARES_WITH]->(b:Association)
WITH a, collect(b.id) AS borrowers
RETURN a.id AS id, a.name AS name, a.nameAr AS nameAr, coalesce(a.lends, false) AS lends,
       coalesce(a.maxShare, 0.0) AS maxShare, coalesce(a.requiresApproval, true) AS requiresApproval,
       coalesce(a.lendsToAll, true) AS lendsToAll, coalesce(a.lentHours, 0.0) AS lentHours,
       coalesce(a.borrowedHours, 0.0) AS borrowedHours, borrowers,
       COUNT { (v:Volunteer)-[:MEMBER_OF]->(a) WHERE coalesce(v.active, true) } AS volunteerCount
"""

SKILLS_BY_CODES: LiteralString = """
UNWIND $ids AS key
MATCH (s:Skill {code: key})
OPTIONAL MATCH (s)-[:IMPLIES]->(t:Skill)
WITH s, collect(t.code) AS implies
RETURN s.code AS code, s.nameAr AS nameAr, s.nameEn AS nameEn, s.domain AS domain, implies
"""

GOVERNORATES_BY_CODES: LiteralString = """
UNWIND $ids AS key
MATCH (g:Governorate {code: key})
RETURN g.code AS code, g.nameAr AS nameAr, g.nameEn AS nameEn
"""

EVENTS_BY_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (e:Event {id: key})
OPTIONAL MATCH (a:Association)-[:ORGANIZES]->(e)
OPTIONAL MATCH (e)-[:IN]->(g:Governorate)
RETURN e.id AS id, e.title AS title, e.domain AS domain, e.campaign AS campaign,
       e.lat AS lat, e.lon AS lon, e.startsAt AS startsAt, e.endsAt AS endsAt,
       a.id AS association, g.code AS governorate
"""

SHIFTS_BY_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (e:Event)-[:HAS_SHIFT]->(s:Shift {id: key})
RETURN s.id AS id, e.id AS eventId, s.startsAt AS startsAt, s.endsAt AS endsAt,
       coalesce(s.urgent, false) AS urgent
"""

SHIFTS_BY_EVENT_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (e:Event {id: key})-[:HAS_SHIFT]->(s:Shift)
RETURN s.id AS id, e.id AS eventId, s.startsAt AS startsAt, s.endsAt AS endsAt,
       coalesce(s.urgent, false) AS urgent
ORDER BY s.startsAt, s.id
"""

NEEDS_BY_SHIFT_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (s:Shift {id: key})-[n:NEEDS]->(k:Skill)
RETURN key AS shiftId, n.index AS index, k.code AS skill, n.count AS count,
       coalesce(n.minLevel, 1) AS minLevel, n.gender AS gender, n.minAge AS minAge,
       COUNT { (a:Assignment)-[:FOR]->(s)
               WHERE a.needIndex = n.index
                 AND a.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED'] } AS filled
ORDER BY key, n.index
"""

ASSIGNMENT_FIELDS: LiteralString = """
RETURN a.id AS id, a.status AS status, coalesce(a.needIndex, 0) AS needIndex,
       coalesce(a.viaExchange, false) AS viaExchange, coalesce(a.cost, 0.0) AS cost,
       coalesce(a.termNames, []) AS termNames, coalesce(a.termValues, []) AS termValues,
       a.startsAt AS startsAt, a.endsAt AS endsAt, a.eventId AS eventId,
       a.createdAt AS createdAt, a.updatedAt AS updatedAt, coalesce(a.history, []) AS history,
       a.hours AS hours, a.runId AS runId, v.id AS volunteerId, s.id AS shiftId,
       k.code AS skill, l.id AS lender
"""

ASSIGNMENTS_BY_IDS: LiteralString = (
    """
UNWIND $ids AS key
MATCH (v:Volunteer)-[:ASSIGNED]->(a:Assignment {id: key})-[:FOR]->(s:Shift)
OPTIONAL MATCH (a)-[:AS]->(k:Skill)
OPTIONAL MATCH (a)-[:LENT_BY]->(l:Association)
"""
    + ASSIGNMENT_FIELDS
)

ASSIGNMENTS_BY_SHIFT_IDS: LiteralString = (
    """
UNWIND $ids AS key
MATCH (v:Volunteer)-[:ASSIGNED]->(a:Assignment)-[:FOR]->(s:Shift {id: key})
OPTIONAL MATCH (a)-[:AS]->(k:Skill)
OPTIONAL MATCH (a)-[:LENT_BY]->(l:Association)
"""
    + ASSIGNMENT_FIELDS
    + """
ORDER BY s.id, a.needIndex, a.createdAt, a.id
"""
)

EXCHANGE_REQUESTS_BY_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (x:ExchangeRequest {id: key})
OPTIONAL MATCH (x)-[:BORROWER]->(b:Association)
OPTIONAL MATCH (x)-[:LENDER]->(l:Association)
OPTIONAL MATCH (x)-[:FOR]->(a:Assignment)
RETURN x.id AS id, x.status AS status, x.createdAt AS createdAt, x.decidedAt AS decidedAt,
       b.id AS borrower, l.id AS lender, a.id AS assignmentId
"""


async def volunteers_by_ids(driver: AsyncDriver, ids: list[str]) -> list[dict[str, Any]]:
    """The rows the volunteers loader reads (also used by the bare-Starlette bench floor)."""
    return await read_rows(driver, VOLUNTEERS_BY_IDS, {"ids": list(ids)})


async def assignments_by_ids(driver: AsyncDriver, ids: list[str]) -> list[dict[str, Any]]:
    """The rows the assignments loader reads (also used by the bare-Starlette bench floor)."""
    return await read_rows(driver, ASSIGNMENTS_BY_IDS, {"ids": list(ids)})
