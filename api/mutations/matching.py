"""Mutations that start background work: requestVolunteers (matching) and importVolunteersCsv."""

import strawberry
from strawberry.types import Info

from api.errors import NOT_FOUND, ApiError, bad_input, bad_input_text, forbidden
from api.permissions import IsAdminOrCoordinator
from api.types.import_job import ImportJob
from api.types.matching_run import MatchingRun
from graph.csv_import import association_exists, create_import_job
from graph.runs import create_run, shift_owners
from workers.enqueue import enqueue_import, enqueue_matching

MAX_SHIFTS_PER_RUN = 2000
MAX_CSV_CHARS = 20_000_000


@strawberry.type
class MatchingMutation:
    @strawberry.mutation(permission_classes=[IsAdminOrCoordinator])
    async def request_volunteers(
        self,
        info: Info,
        shift_ids: list[strawberry.ID],
        allow_exchange: bool | None = True,
        urgent: bool | None = False,
    ) -> MatchingRun:
        """Start a matching run for the shifts (all of one association); returns it QUEUED.
        Follow it with the `matchingRun` query or subscription."""
        ctx = info.context
        viewer = ctx.require_viewer()
        ids = list(dict.fromkeys(str(s).strip() for s in shift_ids))
        if not ids or any(not s for s in ids):
            raise bad_input("shiftIds", "required")
        if len(ids) > MAX_SHIFTS_PER_RUN:
            raise bad_input_text("shiftIds", f"at most {MAX_SHIFTS_PER_RUN} shifts per request")
        owners = await shift_owners(ctx.driver, ids)
        if len(owners) != len(ids):
            raise ApiError(NOT_FOUND, "not_found", field="shiftIds", kind="shift")
        associations = {o["association"] for o in owners.values()}
        if viewer.is_coordinator and associations != {viewer.association}:
            raise forbidden()
        if len(associations) != 1:
            raise bad_input_text(
                "shiftIds", "all shifts of one request must belong to the same association"
            )
        run = await create_run(
            ctx.driver,
            association=associations.pop(),
            shift_ids=ids,
            urgent=bool(urgent),
            allow_exchange=allow_exchange is not False,
            requested_by=viewer.sub,
        )
        await enqueue_matching(ctx.redis, run["id"], bool(urgent))
        return MatchingRun.from_row(run)

    @strawberry.mutation(permission_classes=[IsAdminOrCoordinator])
    async def import_volunteers_csv(
        self, info: Info, csv: str, association: strawberry.ID | None = None
    ) -> ImportJob:
        """Queue a bulk import of volunteers into an association (a coordinator's own by
        default). Follow it with `importJob(id)`: bad rows are reported with their line."""
        ctx = info.context
        viewer = ctx.require_viewer()
        target = str(association) if association else viewer.association
        if viewer.is_coordinator and target != viewer.association:
            raise forbidden()
        if not target:
            raise bad_input("association", "required")
        if not csv.strip():
            raise bad_input("csv", "required")
        if len(csv) > MAX_CSV_CHARS:
            raise bad_input("csv", "too_long", max=MAX_CSV_CHARS)
        if not await association_exists(ctx.driver, target):
            raise bad_input("association", "unknown_association", id=target)
        job = await create_import_job(ctx.driver, association=target, requested_by=viewer.sub)
        await enqueue_import(ctx.redis, job["id"], csv)
        return ImportJob.from_row(job)
