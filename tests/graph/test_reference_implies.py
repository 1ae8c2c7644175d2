"""Reloading reference data manages IMPLIES only among the reference skills it declares."""

from __future__ import annotations

from uuid import uuid4

from neo4j import AsyncDriver

from engine.reference.skills import SKILLS
from graph.reference_data import implication_edges, load_reference_data

EDGE = "MATCH (:Skill {code: $a})-[r:IMPLIES]->(:Skill {code: $b}) RETURN count(r) AS n"


async def _edges(driver: AsyncDriver, a: str, b: str) -> int:
    records, _, _ = await driver.execute_query(EDGE, a=a, b=b)
    return int(records[0]["n"])


async def test_reload_keeps_implies_between_non_reference_skills(neo4j_driver: AsyncDriver) -> None:
    a, b = f"t-{uuid4().hex[:8]}-a", f"t-{uuid4().hex[:8]}-b"
    await neo4j_driver.execute_query(
        "CREATE (:Skill {code: $a, domain: 'OTHER'})-[:IMPLIES]->(:Skill {code: $b, domain: 'OTHER'})",
        a=a, b=b,
    )
    try:
        await load_reference_data(neo4j_driver)
        assert await _edges(neo4j_driver, a, b) == 1
    finally:
        await neo4j_driver.execute_query(
            "MATCH (s:Skill) WHERE s.code IN [$a, $b] DETACH DELETE s", a=a, b=b
        )


async def test_reload_drops_undeclared_implies_between_reference_skills(
    neo4j_driver: AsyncDriver,
) -> None:
    declared = {tuple(e) for e in implication_edges()}
    codes = [s.code for s in SKILLS]
    a, b = next((x, y) for x in codes for y in codes if x != y and (x, y) not in declared)
    await neo4j_driver.execute_query(
        "MATCH (a:Skill {code: $a}), (b:Skill {code: $b}) MERGE (a)-[:IMPLIES]->(b)", a=a, b=b
    )
    try:
        assert await _edges(neo4j_driver, a, b) == 1
        await load_reference_data(neo4j_driver)
        assert await _edges(neo4j_driver, a, b) == 0
    finally:
        await neo4j_driver.execute_query(
            "MATCH (:Skill {code: $a})-[r:IMPLIES]->(:Skill {code: $b}) DELETE r", a=a, b=b
        )
