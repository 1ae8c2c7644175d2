"""ImportJob: a bulk CSV import of volunteers, its status and its per-line report."""

import json
from datetime import UTC, datetime
from typing import Any

import strawberry

from api.types.enums import RunStatus
from api.types.values import to_datetime


@strawberry.type(description="A rejected CSV row: its line in the file and why.")
class ImportRowError:
    line: int
    field: str
    reason: str


@strawberry.type
class ImportJob:
    id: strawberry.ID
    status: RunStatus
    rows_total: int
    imported: int = strawberry.field(description="Rows written (new people and added memberships).")
    created: int = strawberry.field(description="People who were not in the alliance before.")
    errors: list[ImportRowError]
    error: str | None = strawberry.field(description="Why the whole file was refused, if it was.")
    created_at: datetime
    finished_at: datetime | None
    association_id: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "ImportJob":
        try:
            errors = json.loads(row.get("errors") or "[]")
        except ValueError:
            errors = []
        return cls(
            id=strawberry.ID(row["id"]),
            status=RunStatus(row["status"]),
            rows_total=int(row.get("rowsTotal") or 0),
            imported=int(row.get("imported") or 0),
            created=int(row.get("created") or 0),
            errors=[
                ImportRowError(line=int(e["line"]), field=str(e["field"]), reason=str(e["reason"]))
                for e in errors
            ],
            error=row.get("error"),
            created_at=to_datetime(row.get("createdAt")) or datetime(1970, 1, 1, tzinfo=UTC),
            finished_at=to_datetime(row.get("finishedAt")),
            association_id=str(row.get("association") or ""),
        )
