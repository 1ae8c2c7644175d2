"""Errors raised by the matching engine."""

from __future__ import annotations


class InstanceError(ValueError):
    """Bad instance input. ``path`` names the field (e.g. ``"shifts[3].needs[0].count"``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
