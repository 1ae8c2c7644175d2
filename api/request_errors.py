"""Errors raised before any resolver runs (parsing, validation, variable coercion): the
offending field and a message in the request's language.

graphql-core says what is wrong but not always where in the client's terms:
- a literal that does not coerce (`first: 2147483648`) points at the value node: the field is
  the argument holding it, with its input-object path (`input.shifts[0].startsAt`);
- a variable that does not coerce names the variable (`$n`): the field is the argument the
  variable is bound to where the document uses it (`first`), plus the path inside the value;
- a syntax error is about the document itself: the field is `query`;
- an unknown field or argument, or a missing required one, is named by the message.

English keeps graphql-core's message (developers know it); Arabic gets a sentence of its own,
with graphql-core's English in `extensions.detail`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from graphql import GraphQLError, GraphQLSyntaxError, parse
from graphql.language import (
    ArgumentNode,
    DocumentNode,
    ListValueNode,
    Node,
    ObjectFieldNode,
    ObjectValueNode,
    VariableNode,
)

from api.messages import render

_VARIABLE: Final = re.compile(r"^Variable '\$(\w+)' (?:has|got) invalid value(?: at \.?([\w\[\]\.]+))?")
_VARIABLE_MISSING: Final = re.compile(r"^Variable '\$(\w+)' of (?:required|non-null) type")
_REQUIRED_FIELD: Final = re.compile(r"to include required field '(\w+)'")
_NOT_PROVIDED: Final = re.compile(r"non-null type '[^']+' to be provided|must not be null")
_UNKNOWN_FIELD: Final = re.compile(r"^Cannot query field '(\w+)' on type '(\w+)'")
_UNKNOWN_ARGUMENT: Final = re.compile(r"^Unknown argument '(\w+)' on field '([\w.]+)'")
_MISSING_ARGUMENT: Final = re.compile(r"^Argument '\w+\.\w+\((\w+):\)' of type '[^']+' is required")
_LITERAL_REQUIRED: Final = re.compile(r"^Field '\w+\.(\w+)' of required type")
_TYPE_NAMED: Final = re.compile(r"(?:of type '([^']+)'|(\w+) cannot represent|in '(\w+)' enum)")


@dataclass(frozen=True)
class RequestError:
    """What the client is told about one request-level error."""

    message: str
    field: str | None
    detail: str | None  # graphql-core's English, when the message is another language's


def describe(error: GraphQLError, language: str) -> RequestError:
    """The field and localized message of a parse / validation / variable error."""
    text = error.message
    field, arabic = _classify(error, text)
    if language != "ar":
        return RequestError(message=text, field=field, detail=None)
    return RequestError(message=arabic, field=field, detail=text)


def _classify(error: GraphQLError, text: str) -> tuple[str | None, str]:
    """(field, Arabic message) for one error."""
    if isinstance(error, GraphQLSyntaxError) or text.startswith("Syntax Error"):
        line, column = _position(error)
        return "query", render("query_syntax", "ar", line=line, column=column)
    values = _values(error)
    match = _VARIABLE.match(text)
    if match is not None:
        return _bad_value(_variable_field(values, match.group(1), match.group(2)), text)
    match = _VARIABLE_MISSING.match(text)
    if match is not None:
        field = _usage_path(values, match.group(1)) or match.group(1)
        return field, render("bad_input", "ar", field=field, reason=render("required", "ar"))
    match = _UNKNOWN_FIELD.match(text)
    if match is not None:
        name, parent = match.groups()
        return name, render("unknown_query_field", "ar", name=name, type=parent)
    match = _UNKNOWN_ARGUMENT.match(text)
    if match is not None:
        name, parent = match.groups()
        return name, render("unknown_argument", "ar", name=name, field=parent)
    match = _MISSING_ARGUMENT.match(text)
    if match is not None:
        name = match.group(1)
        return name, render("bad_input", "ar", field=name, reason=render("required", "ar"))
    field = _node_field(values, error)
    if field is not None:
        return _bad_value(field, text)
    return None, render("invalid_query", "ar")


def _bad_value(field: str, text: str) -> tuple[str, str]:
    """(field, Arabic message) for a value at ``field`` that does not fit: a required input
    field it lacks is named after the path; else the expected type, when the message says."""
    required = _LITERAL_REQUIRED.match(text) or _REQUIRED_FIELD.search(text)
    if required is not None:
        field = f"{field}.{required.group(1)}"
    if required is not None or _NOT_PROVIDED.search(text):
        return field, render("bad_input", "ar", field=field, reason=render("required", "ar"))
    named = _TYPE_NAMED.search(text)
    type_name = next((g for g in named.groups() if g), None) if named else None
    reason = (
        render("value_of_type", "ar", type=type_name)
        if type_name
        else render("value_invalid", "ar")
    )
    return field, render("bad_input", "ar", field=field, reason=reason)


def _position(error: GraphQLError) -> tuple[int, int]:
    locations = error.locations or []
    if locations:
        return locations[0].line, locations[0].column
    return 1, 1


Values = tuple[tuple[str, Node], ...]


def _values(error: GraphQLError) -> Values | None:
    """The argument values of the request's document, parsed again from the error's source
    (only on this error path; once per document however many errors it has)."""
    if error.source is None:
        return None
    return _values_of(error.source.body)


@functools.lru_cache(maxsize=64)
def _values_of(body: str) -> Values | None:
    try:
        return tuple(_argument_values(parse(body, no_location=False)))
    except GraphQLError:
        return None


def _variable_field(values: Values | None, name: str, inner: str | None) -> str:
    """`$n` used as `first:` -> `first`; `$i` used as `input:` with `.shifts[0]` inside ->
    `input.shifts[0]`; a variable the document does not use keeps its own name."""
    base = _usage_path(values, name) or name
    path = f"{base}.{inner}" if inner else base
    if inner and inner.startswith("["):
        path = f"{base}{inner}"
    return path


def _usage_path(values: Values | None, name: str) -> str | None:
    """The argument path of the first use of variable ``name`` in the document's operations."""
    if values is None:
        return None
    for path, node in values:
        if isinstance(node, VariableNode) and node.name.value == name:
            return path
    return None


def _node_field(values: Values | None, error: GraphQLError) -> str | None:
    """The argument path of the value node an error points at (a literal that does not coerce)."""
    if values is None or not error.nodes:
        return None
    target = error.nodes[0].loc
    if target is None:
        return None
    for path, node in values:
        if node.loc is not None and (node.loc.start, node.loc.end) == (target.start, target.end):
            return path
    return None


def _argument_values(document: DocumentNode) -> list[tuple[str, Node]]:
    """Every value under every argument, with its client-facing path, in document order."""
    out: list[tuple[str, Node]] = []

    def value(path: str, node: Node) -> None:
        out.append((path, node))
        if isinstance(node, ObjectValueNode):
            for f in node.fields:
                value(f"{path}.{f.name.value}", f.value)
        elif isinstance(node, ListValueNode):
            for i, item in enumerate(node.values):
                value(f"{path}[{i}]", item)

    def walk(node: Node) -> None:
        if isinstance(node, ArgumentNode):
            value(node.name.value, node.value)
            return
        if isinstance(node, ObjectFieldNode):
            return
        for key in node.keys:
            child = getattr(node, key, None)
            if isinstance(child, Node):
                walk(child)
            elif isinstance(child, tuple | list):
                for item in child:
                    if isinstance(item, Node):
                        walk(item)

    walk(document)
    return out
