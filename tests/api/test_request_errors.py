"""Errors raised before any resolver runs carry API.md's code, the offending field and a message
in the request's language: syntax errors, literals and variables that do not coerce, unknown or
missing fields and arguments, and HTTP bodies Strawberry's view refuses.

The schema-level cases run the real schema in process (parse, validation and variable coercion
need no database); the HTTP cases go through the live server.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from api.schema import build_schema

from .conftest import Api
from .server import LiveServer


class _Context:
    def __init__(self, language: str) -> None:
        self.language = language
        self.request = None


@pytest.fixture(scope="module")
def schema() -> Any:
    return build_schema()


def _errors(schema: Any, query: str, variables: Any = None, language: str = "en") -> list[Any]:
    result = asyncio.run(
        schema.execute(query, variable_values=variables, context_value=_Context(language))
    )
    assert result.data is None
    return list(result.errors or [])


EVENT = 'mutation($i: CreateEventInput!) { createEvent(input: $i) { event { id } } }'
GOOD_EVENT = {
    "title": "x",
    "domain": "HEALTH",
    "governorate": "01",
    "latitude": 30.0,
    "longitude": 31.0,
}

# (query, variables, the field every error must name)
CASES: list[tuple[str, Any, str]] = [
    ("{ volunteers { ", None, "query"),
    ("{ volunteers(first: 2147483648) { totalCount } }", None, "first"),
    ("query($n: Int) { volunteers(first: $n) { totalCount } }", {"n": 2147483648}, "first"),
    ("query($n: Int) { volunteers(first: $n) { totalCount } }", {"n": "x"}, "first"),
    ('{ events(filter: {from: "0001-01-01T00:00:00+02:00"}) { totalCount } }', None, "filter.from"),
    (
        'mutation { createEvent(input: {title: "x", domain: SPORTS, governorate: "01", '
        "latitude: 1, longitude: 1, shifts: []}) { event { id } } }",
        None,
        "input.domain",
    ),
    (
        EVENT,
        {
            "i": {
                **GOOD_EVENT,
                "shifts": [
                    {
                        "startsAt": "2030-01-01T09:00:00",
                        "endsAt": "2030-01-01T10:00:00+02:00",
                        "needs": [],
                    }
                ],
            }
        },
        "input.shifts[0].startsAt",
    ),
    (EVENT, {"i": {k: v for k, v in GOOD_EVENT.items() if k != "domain"} | {"shifts": []}}, "input.domain"),
    (
        "mutation($w: [AvailabilityInput!]!) { updateAvailability(availability: $w) { id } }",
        {"w": [{"weekday": "x", "startTime": "09:00", "endTime": "10:00"}]},
        "availability[0].weekday",
    ),
    ("{ volunteers { nope } }", None, "nope"),
    ("{ volunteers(bogus: 1) { totalCount } }", None, "bogus"),
    ("{ volunteer { id } }", None, "id"),
    ("query($id: ID!) { volunteer(id: $id) { id } }", {}, "id"),
]


@pytest.mark.parametrize(("query", "variables", "field"), CASES, ids=[c[2] for c in CASES])
def test_request_errors_name_the_field(schema: Any, query: str, variables: Any, field: str) -> None:
    errors = _errors(schema, query, variables)
    assert errors
    for error in errors:
        assert error.extensions["code"] == "BAD_USER_INPUT", error.message
        assert error.extensions["field"] == field, error.message
        assert "detail" not in error.extensions  # English keeps graphql-core's own message


@pytest.mark.parametrize(("query", "variables", "field"), CASES, ids=[c[2] for c in CASES])
def test_request_errors_in_arabic(schema: Any, query: str, variables: Any, field: str) -> None:
    english = _errors(schema, query, variables)
    arabic = _errors(schema, query, variables, language="ar")
    assert [e.extensions["field"] for e in arabic] == [field] * len(english)
    for en, ar in zip(english, arabic, strict=True):
        assert any("\u0600" <= ch <= "\u06ff" for ch in ar.message), ar.message
        assert ar.extensions["detail"] == en.message  # the English kept beside it


def test_a_variable_names_the_argument_it_is_bound_to(schema: Any) -> None:
    """The client's variable name is not the field; the argument it feeds is."""
    (error,) = _errors(
        schema,
        "query($anything: Int) { volunteers(first: $anything) { totalCount } }",
        {"anything": 2**40},
    )
    assert error.extensions["field"] == "first"


def _post(live: LiveServer, token: str, content: bytes, **headers: str) -> httpx.Response:
    return httpx.post(
        live.url + "/graphql",
        content=content,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers},
        timeout=30,
    )


async def test_http_refusals_are_coded_graphql_errors(live: LiveServer, api: Api) -> None:
    token = api.token("ADMIN")
    syntax = _post(live, token, json.dumps({"query": "{ skills { "}).encode())
    (error,) = syntax.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "query"}
    cases = [
        (b'{"query": "{ skills', {}, "body"),
        (json.dumps({"variables": {}}).encode(), {}, "query"),
        (json.dumps([{"query": "{ skills { code } }"}]).encode(), {}, "body"),
        (b"{ skills { code } }", {"Content-Type": "text/plain"}, "Content-Type"),
    ]
    for content, headers, field in cases:
        for language in ("en", "ar"):
            response = _post(live, token, content, **headers, **{"Accept-Language": language})
            assert response.status_code == 400, content
            assert response.headers["content-type"].startswith("application/json")
            (error,) = response.json()["errors"]
            assert error["extensions"]["code"] == "BAD_USER_INPUT"
            assert error["extensions"]["field"] == field
            arabic = any("\u0600" <= ch <= "\u06ff" for ch in error["message"])
            assert arabic == (language == "ar"), error
    mutation_over_get = httpx.get(
        live.url + "/graphql",
        params={"query": "mutation { dropEnrollment(enrollmentId: \"x\") { id } }"},
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        timeout=30,
    )
    assert mutation_over_get.status_code in (400, 405)
    (error,) = mutation_over_get.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "query"}


def test_a_document_with_many_errors_is_parsed_again_once(schema: Any) -> None:
    """Naming fields re-reads the document; 30 bad literals cost one parse, not 30."""
    from api.request_errors import _values_of

    aliases = " ".join(f"a{i}: volunteers(first: {2**40 + i}) {{ totalCount }}" for i in range(30))
    before = _values_of.cache_info().misses
    errors = _errors(schema, "{ " + aliases + " }")
    assert len(errors) >= 30 and {e.extensions["field"] for e in errors} == {"first"}
    assert _values_of.cache_info().misses == before + 1
