"""Governorate reads: governorates by code (in key order, the DataLoader contract) and every
code. Loading the reference governorates: graph/reference_data.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import read_rows
from graph.keyed_reads import Row, one_row_per_key

GOVERNORATES_BY_CODES: LiteralString = """
UNWIND $ids AS key
MATCH (g:Governorate {code: key})
RETURN g.code AS code, g.nameAr AS nameAr, g.nameEn AS nameEn
"""

GOVERNORATE_CODES: LiteralString = "MATCH (g:Governorate) RETURN g.code AS code ORDER BY g.code"


async def get_governorates(driver: AsyncDriver, codes: Sequence[str]) -> list[Row | None]:
    """Each governorate's row (code, Arabic and English names), None where there is none."""
    return await one_row_per_key(driver, GOVERNORATES_BY_CODES, codes, "code")


async def governorate_codes(driver: AsyncDriver) -> list[str]:
    """Every governorate code, in code order."""
    return [r["code"] for r in await read_rows(driver, GOVERNORATE_CODES)]
