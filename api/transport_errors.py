"""HTTP requests refused before GraphQL runs (a body that is not JSON, no query, a batch, a
mutation over GET, an unsupported content type) answered as GraphQL errors.

Strawberry's view answers these with a plain-text body; a client written against API.md reads
`errors[].extensions.code` on every error, so the same status comes back as JSON:
`{"errors": [{"message", "extensions": {"code": "BAD_USER_INPUT", "field", "detail"?}}]}`,
the message in the request's language and Strawberry's English reason in `detail` when the
message is Arabic.
"""

from __future__ import annotations

from typing import Final

from starlette.responses import JSONResponse

from api.errors import BAD_USER_INPUT
from api.messages import render

#: Strawberry's reason (its beginning) -> (message key, the field of the request at fault)
_REASONS: Final[tuple[tuple[str, str, str], ...]] = (
    ("Unable to parse request body as JSON", "transport_json", "body"),
    ("No GraphQL query found", "transport_no_query", "query"),
    ("Unsupported content type", "transport_content_type", "Content-Type"),
    ("Unsupported Media Type", "transport_content_type", "Content-Type"),
    ("Batching is not enabled", "transport_batch", "body"),
    ("mutations are not allowed when using GET", "transport_get_mutation", "query"),
    ("GraphQL only supports GET and POST", "transport_method", "method"),
    ("Unable to parse the multipart body", "transport_multipart", "body"),
    ("File(s) missing in form data", "transport_multipart", "body"),
)


def transport_error(status: int, reason: str, language: str) -> JSONResponse:
    """The JSON answer for one refused HTTP request (same status as Strawberry's)."""
    key, field = next(
        ((k, f) for start, k, f in _REASONS if reason.startswith(start)),
        ("transport_invalid", "body"),
    )
    extensions: dict[str, str] = {"code": BAD_USER_INPUT, "field": field}
    if language == "ar":
        extensions["detail"] = reason
        message = render(key, language)
    else:
        message = reason
    return JSONResponse({"errors": [{"message": message, "extensions": extensions}]}, status)
