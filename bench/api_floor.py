"""The floor for the GraphQL latency benchmark: a bare Starlette endpoint doing exactly what
`me { assignments(first: N) { ... } }` does — verify the JWT, load the volunteer, read one page
of its assignments with their rows — through the SAME repository functions (the same Cypher
statements, as many of them), without GraphQL.

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
from api.types.values import to_datetime
from graph.batch_lookups import volunteers_by_ids
from graph.driver import create_driver
from graph.settings import get_settings
from graph.volunteer_assignments import AssignmentPage, volunteer_assignment_page_rows


def create_floor_app() -> Starlette:
    settings = get_settings()
    state: dict[str, object] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state["driver"] = create_driver(settings)
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
        driver = state["driver"]
        people = await volunteers_by_ids(driver, [viewer.sub])  # type: ignore[arg-type]
        if not people:
            return JSONResponse({"me": None})
        pages = await volunteer_assignment_page_rows(
            driver,  # type: ignore[arg-type]
            [viewer.sub],
            statuses=None,
            starts_from=None,
            until=None,
            association=None,
            skip=0,
            limit=first,
        )
        page = pages.get(viewer.sub) or AssignmentPage()
        edges = []
        for r in page.rows:
            created = to_datetime(r.get("createdAt"))
            edges.append(
                {
                    "node": {
                        "id": r["id"],
                        "status": r["status"],
                        "cost": float(r.get("cost") or 0.0),
                        "createdAt": created.isoformat() if created else None,
                    }
                }
            )
        return JSONResponse(
            {
                "me": {
                    "id": people[0]["id"],
                    "name": people[0]["name"],
                    "assignments": {"totalCount": page.total, "edges": edges},
                }
            }
        )

    return Starlette(routes=[Route("/me/assignments", my_assignments)], lifespan=lifespan)
