"""Errors the graph layer raises for callers (API, workers, CLI) to turn into one clear line."""

from __future__ import annotations


class GraphError(Exception):
    """Base of the graph layer's own errors."""


class GraphUnavailable(GraphError):
    """Neo4j cannot be used: down, unreachable, or refusing our credentials.

    `str(error)` is one line meant for a human (CLI output, `UNAVAILABLE` GraphQL errors).
    """


class NotFound(GraphError):
    """A node the caller named by id does not exist."""

    def __init__(self, label: str, key: str) -> None:
        super().__init__(f"{label} {key!r} not found")
        self.label = label
        self.key = key
