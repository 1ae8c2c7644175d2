"""Cron job: proposals nobody answered in time expire and their slots are matched again."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from graph.proposals import expire_proposals as expire_in_graph
from graph.settings import get_settings
from workers.enqueue import enqueue_refill

log = logging.getLogger("tahaluf.workers.expiry")


async def expire_proposals(
    ctx: dict[str, Any],
    *,
    ttl_minutes: float | None = None,
    shift_ids: list[str] | None = None,
) -> dict[str, Any]:
    """arq job EXPIRE_PROPOSALS: PROPOSED older than the TTL -> EXPIRED, then one refill run
    per affected shift that excludes the volunteers whose proposals expired."""
    now = datetime.now(UTC)
    ttl = get_settings().proposal_ttl_minutes if ttl_minutes is None else ttl_minutes
    expired = await expire_in_graph(
        ctx["neo4j"], cutoff=now - timedelta(minutes=ttl), now=now, shift_ids=shift_ids
    )
    by_shift: dict[str, list[str]] = defaultdict(list)
    for row in expired:
        by_shift[row["shift"]].append(row["volunteer"])
    refills: list[str] = []
    for shift_id, volunteers in sorted(by_shift.items()):
        run = await enqueue_refill(
            ctx["redis"], ctx["neo4j"], shift_id, volunteers, requested_by="system:expiry"
        )
        if run is not None:
            refills.append(run["id"])
    if expired:
        log.info("expired %d proposals on %d shifts; %d refill runs", len(expired), len(by_shift), len(refills))
    return {"expired": len(expired), "shifts": len(by_shift), "refillRuns": refills}
