"""The floor for the GraphQL latency benchmark: a bare Starlette endpoint doing exactly what
`me { assignments(first: N) { ... } }` does — verify the JWT, read the volunteer with one page of
its assignments (rows included), serialize the same fields (times in Cairo) — through the SAME
repository function (the same single Cypher statement), without GraphQL. Its process settles
its heap after start-up like the app's (`api.heap.settle_heap`): unsettled, the floor's tail was
its own full collections (p95 ~80 ms against ~57 ms settled, wrk, 2026-12-01), which flattered
the GraphQL/floor ratio.

    uvicorn bench.api_floor:create_floor_app --factory   (from the repository root)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.auth import TokenRejected, viewer_from_header
from api.heap import settle_heap
from api.types.values import serialize_datetime
from graph.driver import create_driver
from graph.settings import get_settings
from graph.volunteer_assignments import PageFilter, volunteer_with_assignment_page


def create_floor_app() -> Starlette:
    settings = get_settings()
    state: dict[str, object] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state["driver"] = create_driver(settings)
        settle_heap()  # the process hygiene the app has, so the floor pays no GC cost it avoids
        try:
            yield
        finally:
            await state["driver"].close()  # type: ignore[attr-defined]

    async def my_assignments(request: Request) -> JSONResponse:
        try:
            viewer = viewer_from_header(request.headers.get("authorization"), settings.jwt_secret)
        except TokenRejected:
            return JSONResponse({"error": "unauthenticated"}, status_code=401)
        if viewer is None or not viewer.is_volunteer:
            return JSONResponse({"error": "forbidden"}, status_code=403)
        first = int(request.query_params.get("first", "20"))
        found = await volunteer_with_assignment_page(
            state["driver"],  # type: ignore[arg-type]
            viewer.sub,
            # the fields it serves need no cost breakdown or history: the plain rows, as the
            # app reads them for this selection (api/types/assignment_connection.needs_details)
            PageFilter(skip=0, limit=first, details=False),
        )
        if found is None:
            return JSONResponse({"me": None})
        person, page = found
        edges = [
            {
                "node": {
                    "id": r["id"],
                    "status": r["status"],
                    "cost": float(r.get("cost") or 0.0),
                    "createdAt": serialize_datetime(r["createdAt"]) if r["createdAt"] else None,
                }
            }
            for r in page.rows
        ]
        return JSONResponse(
            {
                "me": {
                    "id": person["id"],
                    "name": person["name"],
                    "assignments": {"totalCount": page.total, "edges": edges},
                }
            }
        )

    return Starlette(routes=[Route("/me/assignments", my_assignments)], lifespan=lifespan)
