"""The typed per-request Context: who is calling, the backing services, loaders, language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from neo4j import AsyncDriver
from starlette.requests import HTTPConnection

from api.auth import TokenRejected, Viewer, viewer_from_header
from api.errors import unauthenticated
from api.loaders.registry import Loaders
from graph.settings import Settings


@dataclass
class Context:
    viewer: Viewer | None
    token_error: str | None  # message key when a token was presented but refused
    driver: AsyncDriver
    redis: Any  # arq.connections.ArqRedis
    settings: Settings
    language: str
    loaders: Loaders
    request: HTTPConnection | None = None
    response: Any = None
    connection_params: Any = None  # graphql-transport-ws connection_init payload
    extra: dict[str, Any] = field(default_factory=dict)

    def require_viewer(self) -> Viewer:
        """The signed-in viewer, or UNAUTHENTICATED (naming why a presented token failed)."""
        if self.token_error is not None:
            raise unauthenticated(self.token_error)
        if self.viewer is None:
            raise unauthenticated()
        return self.viewer


def language_of(accept_language: str | None) -> str:
    """'ar' when the client prefers Arabic (first listed language), else 'en'."""
    if not accept_language:
        return "en"
    first = accept_language.split(",")[0].split(";")[0].strip().lower()
    return "ar" if first.startswith("ar") else "en"


def build_context(
    connection: HTTPConnection | None,
    *,
    authorization: str | None,
    accept_language: str | None,
    driver: AsyncDriver,
    redis: Any,
    settings: Settings,
    response: Any = None,
) -> Context:
    viewer: Viewer | None = None
    token_error: str | None = None
    try:
        viewer = viewer_from_header(authorization, settings.jwt_secret)
    except TokenRejected as exc:
        token_error = exc.key
    return Context(
        viewer=viewer,
        token_error=token_error,
        driver=driver,
        redis=redis,
        settings=settings,
        language=language_of(accept_language),
        loaders=Loaders.create(driver),
        request=connection,
        response=response,
    )
