"""The one way to get a Neo4j driver, and a connection check that fails with one clear line."""

from __future__ import annotations

import errno
import weakref
from dataclasses import dataclass

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graph.errors import GraphUnavailable
from graph.settings import Settings, get_settings


@dataclass(frozen=True, slots=True)
class _Target:
    uri: str
    user: str


# Where each driver we created points, so errors can name it without the caller repeating it.
_targets: weakref.WeakKeyDictionary[AsyncDriver, _Target] = weakref.WeakKeyDictionary()


def create_driver(settings: Settings | None = None) -> AsyncDriver:
    """An async driver for the configured Neo4j (nothing is contacted until first use)."""
    s = settings or get_settings()
    driver = AsyncGraphDatabase.driver(
        s.neo4j_uri,
        auth=(s.neo4j_user, s.neo4j_password),
        connection_timeout=10.0,
        max_connection_pool_size=100,
        # The server's hints (e.g. cartesian products) are for developers reading plans,
        # not for every production query's round trip.
        notifications_min_severity="OFF",
    )
    _targets[driver] = _Target(s.neo4j_uri, s.neo4j_user)
    return driver


def _target(driver: AsyncDriver) -> _Target:
    known = _targets.get(driver)
    if known is not None:
        return known
    s = get_settings()
    return _Target(s.neo4j_uri, s.neo4j_user)


def _reason(exc: BaseException) -> str:
    """Dig the OS-level reason (connection refused, name not known, ...) out of the chain."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError) or (
            isinstance(current, OSError) and current.errno == errno.ECONNREFUSED
        ):
            return "connection refused"
        if isinstance(current, TimeoutError):
            return "timed out"
        if isinstance(current, OSError) and current.strerror:
            return current.strerror.lower()
        current = current.__cause__ or current.__context__
    text = str(exc)
    if "Connect call failed" in text or "Errno 111" in text:
        return "connection refused"
    return text.splitlines()[0] if text else type(exc).__name__


def unavailable_error(driver: AsyncDriver, exc: BaseException) -> GraphUnavailable | None:
    """The one-line `GraphUnavailable` for a driver exception, or None if it is not about reach.

    API and worker code can use this to turn a failing query into an `UNAVAILABLE` error.
    """
    t = _target(driver)
    if isinstance(exc, AuthError):
        return GraphUnavailable(
            f"Neo4j refused the credentials for user {t.user} at {t.uri}: check NEO4J_PASSWORD"
        )
    if isinstance(exc, ServiceUnavailable | SessionExpired):
        return GraphUnavailable(
            f"cannot reach Neo4j at {t.uri}: {_reason(exc)} — is it running? try `make services-up`"
        )
    if isinstance(exc, neo4j.exceptions.ConfigurationError):
        return GraphUnavailable(f"cannot use Neo4j at {t.uri}: {str(exc).splitlines()[0]}")
    return None


async def check_connection(driver: AsyncDriver) -> None:
    """Raise `GraphUnavailable` (one line) unless Neo4j answers and accepts our credentials."""
    try:
        await driver.verify_connectivity()
    except Exception as exc:
        error = unavailable_error(driver, exc)
        if error is None:
            raise
        raise error from None
