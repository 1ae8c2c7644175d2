"""Training report: how many volunteers were trained, per governorate (where they live) and skill.

`trained` counts distinct volunteers with a COMPLETED enrollment in a program teaching the
skill; `certifiedNow` those of them whose HAS_SKILL for it is still valid (expiresAt null or in
the future). One server-side statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.training_tx import run_read

TRAINED_VOLUNTEERS: LiteralString = """
MATCH (v:Volunteer)-[:ENROLLED]->(:Enrollment {status: 'COMPLETED'})-[:IN_PROGRAM]->(p:TrainingProgram)
MATCH (p)-[:TEACHES]->(s:Skill)
WHERE $skill IS NULL OR s.code = $skill
MATCH (v)-[:LIVES_IN]->(g:Governorate)
WHERE $governorate IS NULL OR g.code = $governorate
WITH DISTINCT s, g, v
OPTIONAL MATCH (v)-[h:HAS_SKILL]->(s)
WITH s, g, v, (h IS NOT NULL AND (h.expiresAt IS NULL OR h.expiresAt > $now)) AS valid
RETURN s.code AS skill, g.code AS governorate, count(v) AS trained,
       count(CASE WHEN valid THEN 1 END) AS certifiedNow
ORDER BY trained DESC, skill, governorate
"""


@dataclass(frozen=True, slots=True)
class TrainedRow:
    skill: str
    governorate: str
    trained: int
    certified_now: int


async def _rows(tx: AsyncManagedTransaction, **params: Any) -> list[dict[str, Any]]:
    result = await tx.run(TRAINED_VOLUNTEERS, **params)
    return [record.data() async for record in result]


async def trained_volunteers(
    driver: AsyncDriver,
    *,
    skill: str | None = None,
    governorate: str | None = None,
    now: datetime | None = None,
) -> list[TrainedRow]:
    rows = await run_read(
        driver,
        _rows,
        skill=skill,
        governorate=governorate,
        now=(now or datetime.now(UTC)).astimezone(UTC),
    )
    return [
        TrainedRow(r["skill"], r["governorate"], int(r["trained"]), int(r["certifiedNow"]))
        for r in rows
    ]
