"""The executor's short path for plain leaf fields (api/executor.py) answers exactly what
Strawberry's own executor answers: the same data and the same located errors, with
permission classes, resolvers, arguments and nulls still taking the ordinary path."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.executor import TahalufExecutionContext, plain_leaf
from api.schema import DATETIME, build_schema


@strawberry.enum
class Colour(enum.Enum):
    RED = "RED"
    BLUE = "BLUE"


class Never(BasePermission):
    message = "not for you"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Item:
    id: strawberry.ID
    name: str
    score: float
    colour: Colour
    at: datetime
    note: str | None
    count: int | None  # the first row's is not an Int
    must: str  # non-null, given None in one row
    secret: str | None = strawberry.field(permission_classes=[Never])

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times


ROWS = [
    dict(id="1", name="a", score=1.5, colour=Colour.RED, at=datetime(2026, 3, 27, 10, tzinfo=UTC),
         note=None, count="three", must="m", secret="s"),
    dict(id="2", name="b", score=2.0, colour=Colour.BLUE, at=datetime(2026, 10, 29, 21, tzinfo=UTC),
         note="n", count=3, must=None, secret="s"),  # fmt: skip
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return [Item(**row) for row in ROWS]  # type: ignore[arg-type]


QUERY = """
{ items { id name score colour at note must shout twice: shout(times: 2) secret count
          __typename } }
"""


def _schema(context_class: type) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        config=strawberry.schema.config.StrawberryConfig(scalar_map={datetime: DATETIME}),
        execution_context_class=context_class,
    )


def _answer(context_class: type) -> tuple[Any, list[tuple[str, list[Any] | None]]]:
    result = _schema(context_class).execute_sync(QUERY)
    errors = sorted((e.message, e.path) for e in result.errors or [])
    return result.data, errors


def test_the_short_path_answers_what_strawberry_answers() -> None:
    ours, theirs = _answer(TahalufExecutionContext), _answer(StrawberryGraphQLCoreExecutionContext)
    assert ours == theirs
    data, errors = ours
    # the cases the short path must hand back: a refused permission, a value that is not an
    # Int, a null in a non-null field (which nulls its item)
    assert ("not for you", ["items", 0, "secret"]) in errors
    assert any("Int cannot represent" in message for message, _ in errors)
    assert any("Cannot return null for non-nullable field" in message for message, _ in errors)
    assert data["items"][1] is None
    assert data["items"][0]["at"] == "2026-03-27T12:00:00+02:00"  # the Cairo scalar, applied


def test_the_short_path_skips_the_resolve_info_of_plain_leaves(monkeypatch: Any) -> None:
    built: list[str] = []
    original = StrawberryGraphQLCoreExecutionContext.build_resolve_info

    def counting(self: Any, field_def: Any, *args: Any) -> Any:
        built.append(args[0][0].name.value)  # (field_nodes, parent_type, path)
        return original(self, field_def, *args)

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "build_resolve_info", counting)
    _answer(StrawberryGraphQLCoreExecutionContext)
    stock = len(built)
    built.clear()
    _answer(TahalufExecutionContext)
    # id, name, score, colour, at, note of both items and the first item's `must` no longer
    # build an info; the resolvers, permissions, arguments, __typename and the bad count do
    assert stock - len(built) == 13
    assert "secret" in built and "shout" in built


def test_only_basic_scalar_and_enum_fields_are_plain_leaves() -> None:
    fields = build_schema()._schema.type_map["Assignment"].fields  # type: ignore[attr-defined]
    plain = {name for name, field in fields.items() if plain_leaf(field)[0] is not None}
    assert {"id", "status", "cost", "createdAt"} <= plain
    assert not plain & {"volunteer", "shift", "explanation", "history"}
    phone = build_schema()._schema.type_map["Volunteer"].fields["phone"]  # type: ignore[attr-defined]
    assert plain_leaf(phone)[0] is None  # masked by its resolver
