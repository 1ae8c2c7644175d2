"""The HTTP short path for documents with a compiled plan (api/plan.py): a plain JSON POST of a
query the schema has a plan for is answered from the plan with Strawberry's own hooks
(`get_sub_response`, `get_context`, `get_root_value`, `process_result`, `create_response`),
without the view's general request handling (content negotiation, batching, multipart, GET,
streaming transports, GraphiQL), which cost ~0.1 ms of a `me { assignments }` request.

Everything else is handed to Strawberry's view unchanged, the body replayed: another method or
content type, a stream-accepting client, a body that is not a JSON object of the four standard
keys, a document without a plan, and a plan that falls back (an error, a null where the type
forbids one: see api/plan_run.py). A request handed back after its plan fell back is marked in
its scope (`NO_PLAN`), so Strawberry's execution does not try the plan a second time.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send
from strawberry.types.execution import ExecutionResult

NO_PLAN = "tahaluf.no_plan"
_KEYS = frozenset(("query", "variables", "operationName", "extensions"))


async def answer_planned(view: Any, scope: Scope, receive: Receive, send: Send) -> Receive | None:
    """Answer the request from a plan, returning None; or return the `receive` (with the body
    replayed) for Strawberry's view to answer it, after setting NO_PLAN in `scope` when a plan
    was tried."""
    if scope["method"] != "POST" or not _plain_json(scope["headers"]):
        return receive
    messages, body = await _read_body(receive)
    replay = _replaying(messages, receive)
    request_data = _request_data(body)
    if request_data is None:
        return replay
    query, variables, operation_name = request_data
    schema = view.schema
    compiled = schema.plans.get(query, operation_name) if schema.plans_enabled else None
    if compiled is None:
        return replay
    request = Request(scope, replay)
    sub_response = await view.get_sub_response(request)
    context = await view.get_context(request, response=sub_response)
    root_value = await view.get_root_value(request)
    data = await schema.answer_from_plan(compiled, variables, context, root_value, operation_name)
    if data is None:
        scope[NO_PLAN] = True
        return _replaying(messages, receive)
    schema.plans.short_path += 1
    result = ExecutionResult(data=data, errors=None, extensions={})
    response = view.create_response(await view.process_result(request, result), sub_response)
    await response(scope, replay, send)
    return None


def _plain_json(headers: list[tuple[bytes, bytes]]) -> bool:
    """Content-Type application/json, and an Accept that asks for no streamed answer."""
    content_type = accept = b""
    for name, value in headers:
        if name == b"content-type":
            content_type = value
        elif name == b"accept":
            accept = value
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" and b"multipart" not in accept and b"stream" not in accept


async def _read_body(receive: Receive) -> tuple[list[Message], bytes]:
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return messages, b"".join(chunks)


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _request_data(body: bytes) -> tuple[str, dict[str, Any] | None, str | None] | None:
    """(query, variables, operationName) of a standard single-operation body, else None."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not data.keys() <= _KEYS or data.get("extensions"):
        return None
    query, variables, name = data.get("query"), data.get("variables"), data.get("operationName")
    if not isinstance(query, str) or not query:
        return None
    if not isinstance(variables, dict | None) or not isinstance(name, str | None):
        return None
    return query, variables, name
