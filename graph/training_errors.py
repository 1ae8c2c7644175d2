"""Why a training write was refused, in terms the API turns into GraphQL errors.

The graph layer cannot import the API, so it raises `TrainingRefused`: `code` is the GraphQL
`extensions.code`, `field` the offending input, `key` + `params` the message in the API's
catalog (api/messages.py, English and Arabic); `str(error)` is an English sentence for logs,
workers and the CLI. For NOT_FOUND the key is the kind of thing that is missing.
"""

from __future__ import annotations

from typing import Any, Literal

RefusalCode = Literal["NOT_FOUND", "CONFLICT", "BAD_USER_INPUT"]


class TrainingRefused(Exception):
    """A training rule refused the request."""

    def __init__(
        self,
        code: RefusalCode,
        key: str,
        message: str,
        field: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code: RefusalCode = code
        self.key = key
        self.message = message
        self.field = field
        self.params = dict(params or {})


def not_found(kind: str, key_value: str, field: str | None = None) -> TrainingRefused:
    """No `kind` ("training program", "volunteer", "enrollment") with id `key_value`."""
    return TrainingRefused("NOT_FOUND", kind, f"{kind} '{key_value}' not found", field)


def conflict(key: str, message: str, field: str | None = None, **params: Any) -> TrainingRefused:
    return TrainingRefused("CONFLICT", key, message, field, params)


def bad_input(field: str, key: str, message: str, **params: Any) -> TrainingRefused:
    return TrainingRefused("BAD_USER_INPUT", key, message, field, params)
