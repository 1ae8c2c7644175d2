"""Compiled query plans (api/plan.py, api/plan_run.py, TahalufSchema.execute) answer exactly
what Strawberry's own execution answers, byte for byte, and hand everything else back to it:
errors, nulls where the type forbids them, permissions, variables that do not coerce."""

from __future__ import annotations

import enum
import json
from datetime import UTC, datetime
from typing import Any

import strawberry
from graphql import parse
from strawberry.dataloader import DataLoader
from strawberry.permission import BasePermission
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from api.executor import TahalufExecutionContext
from api.plan import compile_plan
from api.schema import DATETIME, TahalufSchema, build_schema


@strawberry.enum
class Colour(enum.Enum):
    RED = "RED"
    BLUE = "BLUE"


class OnlyAllowed(BasePermission):
    message = "not for you"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return bool(info.context.get("allowed"))


@strawberry.type
class Tag:
    code: str
    colour: Colour


@strawberry.type
class Item:
    id: strawberry.ID
    name: str
    at: datetime
    note: str | None
    must: str  # non-null; the context can make one row's None
    secret: str | None = strawberry.field(permission_classes=[OnlyAllowed])

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times

    @strawberry.field
    async def tags(self, info: Info) -> list[Tag]:
        return await info.context["tags"].load(self.id)

    @strawberry.field
    def boom(self) -> str | None:
        raise ValueError("boom")


def _rows(context: dict[str, Any]) -> list[Item]:
    return [
        Item(
            id=strawberry.ID(str(i)),
            name=n,
            at=datetime(2026, 3, 27 + i, 21, tzinfo=UTC),
            note=None if i % 2 else f"note {i}",
            must=None if context.get("null_must") == i else "m",  # type: ignore[arg-type]
            secret=f"s{i}",
        )
        for i, n in enumerate(("a", "b", "c"))
    ]


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Person(Named):
    age: int


@strawberry.type
class Query:
    @strawberry.field
    def items(self, info: Info, first: int = 10) -> list[Item]:
        rows = _rows(info.context)
        if info.context.get("null_item"):
            rows[1] = None  # type: ignore[call-overload]
        return rows[:first]

    @strawberry.field
    def item(self, info: Info, id: strawberry.ID) -> Item | None:
        return next((r for r in _rows(info.context) if r.id == id), None)

    @strawberry.field
    def named(self) -> Named:
        return Person(name="p", age=3)


@strawberry.type
class Mutation:
    @strawberry.mutation
    def touch(self) -> int:
        return 1


def _schema() -> TahalufSchema:
    return TahalufSchema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(scalar_map={datetime: DATETIME}),
        execution_context_class=TahalufExecutionContext,
    )


def _context(**extra: Any) -> dict[str, Any]:
    batches: list[list[str]] = []

    async def load_tags(ids: list[str]) -> list[list[Tag]]:
        batches.append(list(ids))
        return [[Tag(code=f"t{i}", colour=Colour.BLUE)] for i in ids]

    return {"tags": DataLoader(load_fn=load_tags), "batches": batches, **extra}


def _body(result: Any) -> str:
    """What the HTTP view would send: data and errors (message, path), in order."""
    errors = [{"message": e.message, "path": e.path} for e in result.errors or []]
    return json.dumps({"data": result.data, "errors": errors})


QUERY = """
query Page($n: Int!, $twice: Int = 2) {
  items(first: $n) {
    ...Fields
    loud: shout(times: $twice)
    tags { code colour __typename }
  }
  again: items(first: 1) { id ... on Item { name } }
  __typename
}
fragment Fields on Item { id name at note must }
"""


async def _twice(schema: TahalufSchema, query: str, variables: dict[str, Any], **ctx: Any):
    """The ordinary answer (which teaches the schema the document), then the planned one."""
    first = await schema.execute(query, variables, context_value=_context(**ctx))
    context = _context(**ctx)
    second = await schema.execute(query, variables, context_value=context)
    return first, second, context


async def test_a_plan_answers_the_second_time_byte_for_byte_and_batches_loads() -> None:
    schema = _schema()
    first, second, context = await _twice(schema, QUERY, {"n": 3})
    assert first.errors is None and schema.plans.answered == 1, first.errors
    assert _body(second) == _body(first)
    assert list(second.data["items"][0]) == ["id", "name", "at", "note", "must", "loud", "tags"]
    assert second.data["items"][1]["at"] == "2026-03-28T23:00:00+02:00"  # DateTime, in Cairo
    assert context["batches"] == [["0", "1", "2"]]  # one level, one batch, as graphql-core does
    # other variables, same plan
    third = await schema.execute(QUERY, {"n": 1, "twice": 3}, context_value=_context())
    assert third.data["items"][0]["loud"] == "AAA" and schema.plans.answered == 2


async def test_errors_and_forbidden_nulls_are_answered_by_the_ordinary_executor() -> None:
    schema = _schema()
    await _twice(schema, QUERY, {"n": 3})
    cases = [
        ("{ items { id boom } }", {}, {}),  # a resolver raising
        ("{ items { id must } }", {}, {"null_must": 1}),  # a null for a non-null field
        ("{ items { id } }", {}, {"null_item": True}),  # a null item in a [Item!]! list
        ("{ items { id secret } }", {}, {}),  # a permission class refusing
        (QUERY, {"n": "three"}, {}),  # a variable that does not coerce
    ]
    for query, variables, ctx in cases:
        ordinary = await _schema().execute(query, variables, context_value=_context(**ctx))
        assert ordinary.errors, query
        # teach the plan with a clean run where there is one, then ask the failing one
        await schema.execute(query, variables, context_value=_context(allowed=True))
        before = schema.plans.fell_back
        planned = await schema.execute(query, variables, context_value=_context(**ctx))
        assert _body(planned) == _body(ordinary), query
        if query != "{ items { id boom } }":  # boom never ran cleanly, so it has no plan
            assert schema.plans.fell_back == before + 1, query


async def test_a_permission_allowed_then_refused_follows_the_context() -> None:
    schema = _schema()
    query = "{ items(first: 1) { id secret } }"
    allowed = await schema.execute(query, context_value=_context(allowed=True))
    again = await schema.execute(query, context_value=_context(allowed=True))
    refused = await schema.execute(query, context_value=_context())
    assert _body(again) == _body(allowed) and allowed.data["items"][0]["secret"] == "s0"
    assert refused.errors and refused.errors[0].message == "not for you"
    assert refused.data == {"items": [{"id": "0", "secret": None}]}


def test_what_is_not_compiled() -> None:
    schema = _schema()._schema
    for query in (
        "mutation { touch }",
        "{ items { id @include(if: true) } }",
        "{ named { name } }",  # an interface: the runtime type is resolved per value
        "{ __schema { types { name } } }",
        "subscription { x }",
    ):
        assert compile_plan(schema, parse(query), None) is None, query
    plan = compile_plan(schema, parse(QUERY), "Page")
    assert plan is not None
    items = plan.fields[0]
    assert [f.key for f in plan.fields] == ["items", "again", "__typename"]
    assert items.child is not None
    assert [f.key for f in items.child.fields] == [
        "id", "name", "at", "note", "must", "loud", "tags",
    ]  # fmt: skip
    assert [f.leaf_read for f in items.child.fields][:5] == [True, True, True, True, True]
    assert not items.child.fields[5].plain  # shout has arguments and a resolver


def test_the_app_schema_compiles_the_me_page() -> None:
    schema = build_schema()
    assert schema.plans_enabled
    me = """query($first: Int) { me { id name assignments(first: $first) {
              totalCount edges { node { id status cost createdAt } } } } }"""
    plan = compile_plan(schema._schema, parse(me), None)
    assert plan is not None and plan.fields[0].key == "me"
