"""Schema extension that rewrites every error of an operation into the client-safe form."""

from __future__ import annotations

from collections.abc import Iterator

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
