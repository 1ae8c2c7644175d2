"""Schema extension that rewrites every error of an operation into the client-safe form."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from api.errors import to_client_error


class ClientSafeErrors(SchemaExtension):
    """Localize messages (Accept-Language), set extensions.code/field, hide internals."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        context = self.execution_context.context
        language = getattr(context, "language", "en")
        result.errors = [to_client_error(error, language) for error in errors]  # type: ignore[union-attr]


def uncoded_to_client(errors: Sequence[GraphQLError], context: Any) -> list[GraphQLError]:
    """The errors that never passed through ``ClientSafeErrors``, rewritten the same way.

    A syntax error raised by the parser-cache hook leaves Strawberry's operation hooks by an
    exception, so the operation's result is built after every ``on_operation`` has ended; such
    an error arrives here with no ``extensions.code``. Errors already rewritten are kept as is.
    """
    language = getattr(context, "language", "en")
    return [
        error if (error.extensions or {}).get("code") else to_client_error(error, language)
        for error in errors
    ]
