"""The one error type of the scheduling package: a bad input, naming the field at fault."""

from __future__ import annotations


class SchedulingError(ValueError):
    """A scheduling input is invalid; ``path`` names the field (e.g. ``availability[2].end``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
