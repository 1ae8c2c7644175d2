"""API error codes and the translation of any exception into a client-safe GraphQL error.

Resolvers raise `ApiError` (via the helpers below). Everything else is classified by
`classify`: Neo4j/Redis connectivity problems become UNAVAILABLE, anything unexpected becomes
INTERNAL with a generic message (the traceback is logged, never sent).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any, Final

from graphql import GraphQLError

from api.messages import render
from api.request_errors import describe

log = logging.getLogger("tahaluf.api")

UNAUTHENTICATED: Final = "UNAUTHENTICATED"
FORBIDDEN: Final = "FORBIDDEN"
NOT_FOUND: Final = "NOT_FOUND"
BAD_USER_INPUT: Final = "BAD_USER_INPUT"
CONFLICT: Final = "CONFLICT"
UNAVAILABLE: Final = "UNAVAILABLE"
INTERNAL: Final = "INTERNAL"


class ApiError(Exception):
    """An expected failure: a code, a message key from api/messages.py and its parameters."""

    def __init__(self, code: str, key: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(f"{code}:{key}")
        self.code = code
        self.key = key
        self.field = field
        self.params = params

    def message(self, language: str) -> str:
        params = dict(self.params)
        reason_key = params.pop("reason_key", None)
        if reason_key is not None:
            params["reason"] = render(reason_key, language, **params.pop("reason_params", {}))
        if self.field is not None:
            params.setdefault("field", self.field)
        return render(self.key, language, **params)


def unauthenticated(key: str = "unauthenticated") -> ApiError:
    return ApiError(UNAUTHENTICATED, key)


def forbidden(key: str = "forbidden") -> ApiError:
    return ApiError(FORBIDDEN, key)


def not_found(kind: str) -> ApiError:
    return ApiError(NOT_FOUND, "not_found", kind=kind)


def bad_input(field: str, reason_key: str, **reason_params: Any) -> ApiError:
    return ApiError(
        BAD_USER_INPUT, "bad_input", field=field, reason_key=reason_key, reason_params=reason_params
    )


def bad_input_text(field: str, detail: str) -> ApiError:
    """BAD_USER_INPUT whose reason is already a sentence (e.g. from national ID validation)."""
    return ApiError(
        BAD_USER_INPUT,
        "bad_input",
        field=field,
        reason_key="national_id",
        reason_params={"detail": detail},
    )


def conflict(reason_key: str, **reason_params: Any) -> ApiError:
    return ApiError(CONFLICT, "conflict", reason_key=reason_key, reason_params=reason_params)


def unavailable(service: str) -> ApiError:
    return ApiError(UNAVAILABLE, "unavailable", service=service)


def _service_down(exc: BaseException) -> str | None:
    """Name the backing service an exception says is unreachable, or None."""
    import neo4j.exceptions as neo
    import redis.exceptions as rex

    from graph.errors import GraphUnavailable

    if isinstance(exc, GraphUnavailable):
        return "Neo4j"
    if isinstance(exc, neo.ServiceUnavailable | neo.SessionExpired | neo.AuthError):
        return "Neo4j"
    if isinstance(exc, neo.DriverError) and "connect" in str(exc).lower():
        return "Neo4j"
    if isinstance(exc, neo.ClientError) and "from the pool" in str(exc):
        # every pooled connection stayed busy past the acquisition timeout (a burst of
        # requests): the database is saturated, not the query wrong — retry later
        return "Neo4j"
    if isinstance(exc, neo.TransientError):
        # e.g. a deadlock still detected when the transaction's retry budget ran out
        return "Neo4j"
    if isinstance(exc, rex.ConnectionError | rex.TimeoutError):
        return "Redis"
    if isinstance(exc, ConnectionError | TimeoutError | OSError):
        return "backing service"
    return None


def classify(exc: BaseException | None) -> ApiError | None:
    """The ApiError for an exception, or None when it is a GraphQL-level (query) error."""
    if exc is None:
        return None
    if isinstance(exc, ApiError):
        return exc
    cause = exc
    while isinstance(cause, GraphQLError) and cause.original_error is not None:
        cause = cause.original_error
    if isinstance(cause, ApiError):
        return cause
    service = _service_down(cause)
    if service is not None:
        log.warning("backing service down: %s: %s", service, cause)
        return unavailable(service)
    if isinstance(cause, GraphQLError):
        return None
    log.error("unexpected error in a resolver", exc_info=(type(cause), cause, cause.__traceback__))
    return ApiError(INTERNAL, "internal")


def to_client_error(error: GraphQLError, language: str) -> GraphQLError:
    """Rebuild one GraphQL error for the client: localized message, code, field; no internals."""
    original = error.original_error
    request_level = error.path is None and not isinstance(original, ApiError)
    api_error = None
    if request_level and (original is None or _service_down(original) is None):
        # parse/validation errors: bad query, bad variable values (e.g. a naive DateTime), limits
        described = describe(error, language)
        extensions: dict[str, Any] = {"code": BAD_USER_INPUT}
        if described.field is not None:
            extensions["field"] = described.field
        if described.detail is not None:
            extensions["detail"] = described.detail
        message = described.message
    else:
        api_error = classify(original)
        if api_error is None:
            log.error("GraphQL error at %s: %s", error.path, error.message)
            api_error = ApiError(INTERNAL, "internal")
        extensions = {"code": api_error.code}
        if api_error.field is not None:
            extensions["field"] = api_error.field
        message = api_error.message(language)
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


_KIND_OF_LABEL: Final = {
    "Assignment": "assignment",
    "ExchangeRequest": "exchange request",
    "Volunteer": "volunteer",
    "Event": "event",
    "Shift": "shift",
    "Association": "association",
}


@contextlib.asynccontextmanager
async def graph_refusals() -> AsyncIterator[None]:
    """Turn the graph layer's refusals (NotFound, TransitionRefused) into ApiErrors."""
    try:
        yield
    except Exception as exc:
        mapped = from_graph(exc)
        if mapped is None:
            raise
        raise mapped from None


def from_graph(exc: Exception) -> ApiError | None:
    """The ApiError for a graph-layer refusal (NotFound, TransitionRefused), else None."""
    from graph.assignments import TransitionRefused
    from graph.errors import NotFound

    if isinstance(exc, NotFound):
        return not_found(_KIND_OF_LABEL.get(exc.label, exc.label.lower()))
    if isinstance(exc, TransitionRefused):
        return conflict(exc.key, **exc.params)
    return None
