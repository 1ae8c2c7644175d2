"""Load the alliance's reference data (governorates, skills + IMPLIES, associations) idempotently.

Governorates and skills are overwritten from `engine.reference` on every run (they are code).
Associations are created with their default sharing policy only when missing: a policy a
coordinator changed in the app is never reset by a re-run; names are kept in sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from engine.reference.associations import ASSOCIATIONS
from engine.reference.governorates import GOVERNORATES
from engine.reference.skills import SKILLS, implication_edges

MERGE_GOVERNORATES: LiteralString = """
UNWIND $rows AS r
MERGE (g:Governorate {code: r.code})
SET g.nameAr = r.nameAr, g.nameEn = r.nameEn, g.lat = r.lat, g.lon = r.lon,
    g.population = r.population
"""

MERGE_SKILLS: LiteralString = """
UNWIND $rows AS r
MERGE (s:Skill {code: r.code})
SET s.nameAr = r.nameAr, s.nameEn = r.nameEn, s.domain = r.domain
"""

# Among the reference skills only, drop IMPLIES edges the reference data no longer declares,
# then add the declared ones; edges touching any other skill (tests', admins') are left alone.
SYNC_IMPLIES: LiteralString = """
MATCH (a:Skill)-[rel:IMPLIES]->(b:Skill)
WHERE a.code IN $codes AND b.code IN $codes AND NOT [a.code, b.code] IN $edges
DELETE rel
WITH count(*) AS dropped
UNWIND $edges AS e
MATCH (a:Skill {code: e[0]}), (b:Skill {code: e[1]})
MERGE (a)-[:IMPLIES]->(b)
"""

EXISTING_ASSOCIATIONS: LiteralString = """
MATCH (a:Association) WHERE a.id IN $ids RETURN collect(a.id) AS ids
"""

CREATE_ASSOCIATIONS: LiteralString = """
UNWIND $rows AS r
MERGE (a:Association {id: r.id})
ON CREATE SET a.lends = r.lends, a.maxShare = r.maxShare,
    a.requiresApproval = r.requiresApproval, a.lendsToAll = r.lendsToAll,
    a.lentHours = 0.0, a.borrowedHours = 0.0
SET a.name = r.name, a.nameAr = r.nameAr, a.focus = r.focus, a.governorates = r.governorates
"""

CREATE_SHARES_WITH: LiteralString = """
UNWIND $rows AS r
MATCH (lender:Association {id: r.lender}), (borrower:Association {id: r.borrower})
MERGE (lender)-[s:SHARES_WITH]->(borrower)
ON CREATE SET s.maxShare = r.maxShare, s.requiresApproval = r.requiresApproval
"""

COUNT_REFERENCE: LiteralString = """
CALL { MATCH (g:Governorate) RETURN count(g) AS governorates }
CALL { MATCH (s:Skill) RETURN count(s) AS skills }
CALL { MATCH (:Skill)-[i:IMPLIES]->(:Skill) RETURN count(i) AS implies }
CALL { MATCH (a:Association) WHERE a.id IN $ids RETURN count(a) AS associations }
RETURN governorates, skills, implies, associations
"""


@dataclass(frozen=True, slots=True)
class ReferenceCounts:
    governorates: int
    skills: int
    implies: int
    associations: int


def governorate_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": g.code,
            "nameAr": g.name_ar,
            "nameEn": g.name_en,
            "lat": g.lat,
            "lon": g.lon,
            "population": g.population,
        }
        for g in GOVERNORATES
    ]


def skill_rows() -> list[dict[str, Any]]:
    return [
        {"code": s.code, "nameAr": s.name_ar, "nameEn": s.name_en, "domain": s.domain}
        for s in SKILLS
    ]


def association_rows() -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "name": a.name,
            "nameAr": a.name_ar,
            "lends": a.policy.lends,
            "maxShare": a.policy.max_share,
            "requiresApproval": a.policy.requires_approval,
            "lendsToAll": a.policy.lends_to_all,
            "focus": list(a.focus),
            "governorates": list(a.governorates),
        }
        for a in ASSOCIATIONS
    ]


def shares_with_rows(new_ids: set[str]) -> list[dict[str, Any]]:
    """Explicit borrower edges, only for associations created in this run."""
    return [
        {
            "lender": a.id,
            "borrower": b,
            "maxShare": a.policy.max_share,
            "requiresApproval": a.policy.requires_approval,
        }
        for a in ASSOCIATIONS
        if a.id in new_ids and not a.policy.lends_to_all
        for b in a.policy.borrowers
    ]


async def _load(tx: AsyncManagedTransaction) -> None:
    await (await tx.run(MERGE_GOVERNORATES, rows=governorate_rows())).consume()
    await (await tx.run(MERGE_SKILLS, rows=skill_rows())).consume()
    edges = [list(e) for e in implication_edges()]
    codes = [row["code"] for row in skill_rows()]
    await (await tx.run(SYNC_IMPLIES, edges=edges, codes=codes)).consume()
    ids = [a.id for a in ASSOCIATIONS]
    record = await (await tx.run(EXISTING_ASSOCIATIONS, ids=ids)).single(strict=True)
    new_ids = set(ids) - set(record["ids"])
    await (await tx.run(CREATE_ASSOCIATIONS, rows=association_rows())).consume()
    rows = shares_with_rows(new_ids)
    if rows:
        await (await tx.run(CREATE_SHARES_WITH, rows=rows)).consume()


async def load_reference_data(driver: AsyncDriver) -> ReferenceCounts:
    """Write governorates, skills with IMPLIES, and the member associations; return counts."""
    async with driver.session() as session:
        await session.execute_write(_load)
    records, _, _ = await driver.execute_query(COUNT_REFERENCE, ids=[a.id for a in ASSOCIATIONS])
    r = records[0]
    return ReferenceCounts(r["governorates"], r["skills"], r["implies"], r["associations"])
