"""Skill reads: skills by code (in key order, the DataLoader contract) and every skill code.
Loading the reference skills: graph/reference_data.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import read_rows
from graph.keyed_reads import Row, one_row_per_key

SKILLS_BY_CODES: LiteralString = """
UNWIND $ids AS key
MATCH (s:Skill {code: key})
OPTIONAL MATCH (s)-[:IMPLIES]->(t:Skill)
WITH s, collect(t.code) AS implies
RETURN s.code AS code, s.nameAr AS nameAr, s.nameEn AS nameEn, s.domain AS domain, implies
"""

SKILL_CODES: LiteralString = "MATCH (s:Skill) RETURN s.code AS code ORDER BY s.code"


async def get_skills(driver: AsyncDriver, codes: Sequence[str]) -> list[Row | None]:
    """Each skill's row (names, domain, the codes it directly IMPLIES), None where none."""
    return await one_row_per_key(driver, SKILLS_BY_CODES, codes, "code")


async def skill_codes(driver: AsyncDriver) -> list[str]:
    """Every skill code, in code order."""
    return [r["code"] for r in await read_rows(driver, SKILL_CODES)]
