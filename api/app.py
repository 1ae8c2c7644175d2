"""The ASGI application: `create_app()` wires everything explicitly; nothing runs at import.

Routes: POST/GET /graphql (GraphiQL on GET, graphql-transport-ws on the same path),
GET /healthz (process up), GET /readyz (Neo4j and Redis reachable, else 503 naming which).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from cross_web import HTTPException  # Strawberry's view raises it (strawberry depends on it)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api.context import Context, build_context, language_of
from api.heap import settle_heap
from api.planned_http import answer_planned
from api.schema import build_schema
from api.transport_errors import transport_error
from graph.settings import Settings, get_settings

log = logging.getLogger("tahaluf.api")

READY_TIMEOUT_S = 3.0


@dataclass
class Services:
    """The process-wide backing services opened by the lifespan (one driver, one redis pool)."""

    settings: Settings
    driver: Any = None
    redis: Any = None


class TahalufGraphQL(GraphQL):
    def __init__(self, services: Services, **kwargs: Any) -> None:
        super().__init__(build_schema(), **kwargs)
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            # a query with a compiled plan is answered here; the rest by Strawberry's view
            handed_back = await answer_planned(self, scope, receive, send)
            if handed_back is None:
                return
            receive = handed_back
            request = Request(scope=scope, receive=receive)
            try:
                response = await self.run(request)
            except HTTPException as refused:  # Strawberry answers these in plain text
                language = language_of(request.headers.get("accept-language"))
                response = transport_error(refused.status_code, refused.reason, language)
            await response(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def get_context(self, request: Any, response: Any = None) -> Context:  # type: ignore[override]
        headers = request.headers
        return build_context(
            request,
            authorization=headers.get("authorization"),
            accept_language=headers.get("accept-language"),
            driver=self.services.driver,
            redis=self.services.redis,
            settings=self.services.settings,
            response=response,
        )

    async def on_ws_connect(self, context: Context) -> Any:  # type: ignore[override]
        """Browsers cannot set headers on a WebSocket: accept the token in connection_init."""
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        token = params.get("Authorization") or params.get("authorization")
        if token and context.viewer is None:
            from api.auth import TokenRejected, viewer_from_header

            try:
                context.viewer = viewer_from_header(str(token), context.settings.jwt_secret)
                context.token_error = None
            except TokenRejected as exc:
                context.token_error = exc.key
        return None


async def open_redis(settings: Settings) -> Any:
    """The arq pool; when Redis is down at start, a lazy pool that connects once it is back."""
    from arq import create_pool
    from arq.connections import ArqRedis, RedisSettings

    redis_settings = RedisSettings.from_dsn(settings.redis_url)
    redis_settings.conn_retries = 0
    redis_settings.conn_timeout = 2
    try:
        return await create_pool(redis_settings)
    except Exception as exc:  # noqa: BLE001 - any connect failure: start degraded, readyz says so
        log.warning(
            "Redis not reachable at start (%s); the API reports UNAVAILABLE until it is", exc
        )
        return ArqRedis.from_url(settings.redis_url, socket_connect_timeout=2)


def open_driver(settings: Settings) -> Any:
    from graph.driver import create_driver

    return create_driver(settings)


async def _neo4j_ok(driver: Any) -> str | None:
    try:
        await asyncio.wait_for(driver.verify_connectivity(), READY_TIMEOUT_S)
        return None
    except Exception as exc:  # noqa: BLE001
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


async def _redis_ok(redis: Any) -> str | None:
    try:
        await asyncio.wait_for(redis.ping(), READY_TIMEOUT_S)
        return None
    except Exception as exc:  # noqa: BLE001
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


class SecurityHeaders:
    """Plain ASGI middleware: a few safe response headers on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AdmissionLimit:
    """Plain ASGI middleware: at most `limit` GraphQL HTTP requests execute at once; the others
    wait here, before touching Neo4j. Without it a burst (1,000 requests at once in
    bench/race.py) interleaved every request on the event loop, each held its pooled Neo4j
    connection for the whole burst, and requests failed on the pool's acquisition timeout."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") != "/graphql":
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)


def create_app(settings: Settings | None = None) -> Starlette:
    services = Services(settings=settings or get_settings())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        services.driver = open_driver(services.settings)
        services.redis = await open_redis(services.settings)
        settle_heap()
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                await services.redis.aclose()
            await services.driver.close()

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        neo4j_error, redis_error = await asyncio.gather(
            _neo4j_ok(services.driver), _redis_ok(services.redis)
        )
        body = {
            "neo4j": "ok" if neo4j_error is None else f"down: {neo4j_error}",
            "redis": "ok" if redis_error is None else f"down: {redis_error}",
        }
        ready = neo4j_error is None and redis_error is None
        return JSONResponse(
            {"status": "ready" if ready else "unavailable", **body},
            status_code=200 if ready else 503,
        )

    graphql_app = TahalufGraphQL(
        services,
        graphql_ide="graphiql",
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
    )
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/graphql", graphql_app),
            WebSocketRoute("/graphql", graphql_app),
        ],
        lifespan=lifespan,
    )
    app.state.services = services
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AdmissionLimit, limit=services.settings.max_concurrent_requests)
    return app
