"""Why a training write was refused, in terms the API turns into GraphQL error codes.

The graph layer cannot import the API, so it raises these; `api/mutations/training.py`
maps `code` to the matching `extensions.code` (and `field` to `extensions.field`).
"""

from __future__ import annotations

from typing import Literal

RefusalCode = Literal["NOT_FOUND", "CONFLICT", "BAD_USER_INPUT"]


class TrainingRefused(Exception):
    """A training rule refused the request; `field` names the offending input when there is one."""

    def __init__(self, code: RefusalCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code: RefusalCode = code
        self.message = message
        self.field = field


def not_found(message: str, field: str | None = None) -> TrainingRefused:
    return TrainingRefused("NOT_FOUND", message, field)


def conflict(message: str, field: str | None = None) -> TrainingRefused:
    return TrainingRefused("CONFLICT", message, field)


def bad_input(field: str, message: str) -> TrainingRefused:
    return TrainingRefused("BAD_USER_INPUT", message, field)
