"""The HTTP short path for planned queries (api/planned_http.py), on the live app: a query asked
a second time is answered from its plan with the same bytes and headers as Strawberry's view
sent the first time; a plan that falls back is answered by Strawberry once, errors localized;
and requests the short path does not take get Strawberry's own answers."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from uuid import uuid4

import httpx

from api.schema import TahalufSchema

from .conftest import Api
from .server import LiveServer
from .world import World

HEADERS = ("content-type", "content-length", "x-content-type-options", "referrer-policy")


def _schema(live: LiveServer) -> TahalufSchema:
    app: Any = live.server.config.app
    route = next(r for r in app.routes if getattr(r, "path", "") == "/graphql")
    return route.app.schema  # type: ignore[no-any-return]


async def _post(live: LiveServer, token: str, body: Any, **headers: str) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with httpx.AsyncClient(timeout=30) as client:
        return await client.post(
            live.url + "/graphql",
            content=content,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                **headers,
            },
        )


async def test_the_second_ask_comes_from_the_plan_with_the_same_bytes(
    live: LiveServer, world: World, api: Api
) -> None:
    a = await world.association()
    vid = await world.volunteer(a)
    for days in (2, 1):
        _, shift = await world.event(a, starts_in=timedelta(days=days))
        await world.assignment(vid, shift, "CONFIRMED")
    schema = _schema(live)
    query = (
        f"query Mine{uuid4().hex}($first: Int) {{ me {{ id name assignments(first: $first) "
        "{ totalCount edges { cursor node { id status cost createdAt } } } } }"
    )
    body = {"query": query, "variables": {"first": 5}}
    token = api.token("VOLUNTEER", sub=vid)
    before, short = schema.plans.answered, schema.plans.short_path
    first = await _post(live, token, body)
    second = await _post(live, token, body)
    assert first.status_code == second.status_code == 200
    # the first taught the plan, the second was answered from it on the short path
    assert (schema.plans.answered, schema.plans.short_path) == (before + 1, short + 1)
    assert second.content == first.content
    assert [second.headers.get(h) for h in HEADERS] == [first.headers.get(h) for h in HEADERS]
    page = second.json()["data"]["me"]["assignments"]
    assert page["totalCount"] == 2 and len(page["edges"]) == 2


async def test_a_plan_that_falls_back_is_answered_once_by_strawberry_in_arabic(
    live: LiveServer, world: World, api: Api
) -> None:
    a = await world.association()
    vid = await world.volunteer(a)
    schema = _schema(live)
    query = f"query Who{uuid4().hex} {{ me {{ id name }} }}"
    assert (await _post(live, api.token("VOLUNTEER", sub=vid), {"query": query})).status_code == 200
    coordinator = api.token("COORDINATOR", sub="c1", association=a)
    ordinary_before = await _post(
        live, coordinator, {"query": query + " "}, **{"Accept-Language": "ar"}
    )
    fell_back, short = schema.plans.fell_back, schema.plans.short_path
    refused = await _post(live, coordinator, {"query": query}, **{"Accept-Language": "ar"})
    assert schema.plans.fell_back == fell_back + 1  # tried once, not again by Strawberry
    assert schema.plans.short_path == short
    assert refused.status_code == 200
    assert refused.json() == ordinary_before.json()  # the same answer as a document with no plan
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert any("\u0600" <= ch <= "\u06ff" for ch in error["message"])


async def test_what_the_short_path_leaves_to_strawberry(live: LiveServer, api: Api) -> None:
    """Strawberry's view answers these as it always did (its execution may still use the
    schema's plan: api/schema.py), with the planned document known to the short path."""
    query = f"query R{uuid4().hex} {{ skills {{ code }} }}"
    token = api.token("ADMIN")
    assert (await _post(live, token, {"query": query})).status_code == 200
    assert _schema(live).plans.get(query, None) is not None
    cases = [
        (b'{"query": "{ skills', {}, 400, "Unable to parse request body as JSON"),
        ({"query": query, "extra": 1}, {}, 200, '{"data":{"skills":'),  # an unknown key
        ({"query": query}, {"Accept": "multipart/mixed"}, 200, '{"data":{"skills":'),
        ({"query": query}, {"Content-Type": "text/plain"}, 400, "Unsupported content type"),
        ([{"query": query}], {}, 400, "Batching is not enabled"),
    ]
    for body, headers, status, text in cases:
        response = await _post(live, token, body, **headers)
        assert response.status_code == status, body
        if status == 200:
            assert response.text[: len(text)] == text, body
        else:  # Strawberry's refusal, answered as a coded GraphQL error (api/transport_errors.py)
            (error,) = response.json()["errors"]
            assert error["message"] == text and error["extensions"]["code"] == "BAD_USER_INPUT"
    async with httpx.AsyncClient(timeout=30) as client:
        got = await client.get(
            live.url + "/graphql",
            params={"query": query},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert got.status_code == 200 and got.json()["data"]["skills"]
