"""Queries about matching runs and bulk imports (the requesting association's coordinators, admins)."""

from typing import Any

import strawberry
from strawberry.types import Info

from api.context import Context
from api.errors import forbidden, not_found
from api.permissions import IsAdminOrCoordinator
from api.types.import_job import ImportJob
from api.types.matching_run import MatchingRun
from graph.csv_import import get_import_job
from graph.runs import get_run


def may_see_run(ctx: Context, run: dict[str, Any]) -> bool:
    viewer = ctx.require_viewer()
    return viewer.is_admin or (
        viewer.is_coordinator and viewer.association == run.get("association")
    )


async def visible_run(ctx: Context, run_id: str) -> dict[str, Any]:
    """The run's node, or NOT_FOUND / FORBIDDEN (nothing about the run leaks in the error)."""
    run = await get_run(ctx.driver, run_id)
    if run is None:
        raise not_found("matching run")
    if not may_see_run(ctx, run):
        raise forbidden()
    return run


@strawberry.type
class MatchingQuery:
    @strawberry.field(permission_classes=[IsAdminOrCoordinator])
    async def matching_run(self, info: Info, id: strawberry.ID) -> MatchingRun | None:
        return MatchingRun.from_row(await visible_run(info.context, str(id)))

    @strawberry.field(permission_classes=[IsAdminOrCoordinator])
    async def import_job(self, info: Info, id: strawberry.ID) -> ImportJob | None:
        job = await get_import_job(info.context.driver, str(id))
        if job is None:
            raise not_found("import job")
        viewer = info.context.require_viewer()
        if not (viewer.is_admin or viewer.association == job.get("association")):
            raise forbidden()
        return ImportJob.from_row(job)
