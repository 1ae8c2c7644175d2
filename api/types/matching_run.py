"""MatchingRun: one request to fill shifts, its progress and its outcome."""

import json
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.pagination import offset_after, page_size
from api.types.assignment_connection import AssignmentConnection, assignment_connection
from api.types.enums import RunStatus
from api.types.unfilled_slot import UnfilledSlot
from api.types.values import to_datetime
from graph.runs import run_assignment_count, run_assignment_ids


@strawberry.type
class MatchingRun:
    id: strawberry.ID
    status: RunStatus
    progress: float
    urgent: bool
    slots_total: int
    slots_filled: int
    exchanged: int
    total_cost: float | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    allow_exchange: bool
    shift_ids: list[strawberry.ID]
    association_id: strawberry.Private[str]
    unfilled_entries: strawberry.Private[list[dict[str, Any]]]

    @strawberry.field
    async def assignments(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> AssignmentConnection:
        limit = page_size(first)
        skip = offset_after(after)
        driver = info.context.driver
        ids = await run_assignment_ids(driver, str(self.id), skip=skip, limit=limit + 1)
        total = await run_assignment_count(driver, str(self.id))
        return await assignment_connection(info, ids, skip, total, limit)

    @strawberry.field(description="One entry per empty slot.")
    def unfilled(self) -> list[UnfilledSlot]:
        return [UnfilledSlot.from_entry(e) for e in self.unfilled_entries]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "MatchingRun":
        try:
            unfilled = json.loads(row.get("unfilled") or "[]")
        except ValueError:
            unfilled = []
        created = to_datetime(row.get("createdAt")) or datetime(1970, 1, 1, tzinfo=UTC)
        return cls(
            id=strawberry.ID(row["id"]),
            status=RunStatus(row["status"]),
            progress=float(row.get("progress") or 0.0),
            urgent=bool(row.get("urgent")),
            slots_total=int(row.get("slotsTotal") or 0),
            slots_filled=int(row.get("slotsFilled") or 0),
            exchanged=int(row.get("exchanged") or 0),
            total_cost=None if row.get("totalCost") is None else float(row["totalCost"]),
            error=row.get("error"),
            created_at=created,
            finished_at=to_datetime(row.get("finishedAt")),
            allow_exchange=bool(row.get("allowExchange")),
            shift_ids=[strawberry.ID(s) for s in row.get("shiftIds") or []],
            association_id=str(row.get("association") or ""),
            unfilled_entries=unfilled if isinstance(unfilled, list) else [],
        )
