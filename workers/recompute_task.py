"""Nightly cron: reliability, hours this month and the exchange ledger from the history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from graph.recompute import recompute_attendance, recompute_ledger

CAIRO = ZoneInfo("Africa/Cairo")


def month_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The current calendar month in Cairo time, as UTC instants [start, end)."""
    local = now.astimezone(CAIRO)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    nxt = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    # re-localise (DST may differ between the two instants)
    start = datetime(start.year, start.month, 1, tzinfo=CAIRO)
    nxt = datetime(nxt.year, nxt.month, 1, tzinfo=CAIRO)
    return start.astimezone(UTC), nxt.astimezone(UTC)


async def recompute(
    ctx: dict[str, Any],
    *,
    volunteer_ids: list[str] | None = None,
    association_ids: list[str] | None = None,
) -> dict[str, Any]:
    """arq job RECOMPUTE_LEDGER: reliability + hoursThisMonth per volunteer, lent/borrowed
    hours per association (the optional id lists narrow it, for tests and repairs)."""
    start, end = month_bounds(datetime.now(UTC))
    volunteers = await recompute_attendance(
        ctx["neo4j"], month_start=start, month_end=end, volunteer_ids=volunteer_ids
    )
    ledger = await recompute_ledger(ctx["neo4j"], association_ids)
    return {"volunteers": volunteers, "associations": len(ledger)}
