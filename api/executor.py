"""The graphql-core executor the schema runs operations with: Strawberry's, minus a reference
cycle that kept every request's objects alive until the cyclic garbage collector found them,
and with a short path for plain leaf fields.

graphql-core's executor builds `self.async_helpers = GraphQLResolveInfoHelpers(
gather=self.gather_async_work, track=self.track_async_work)`: two bound methods of itself, so
executor -> helpers -> executor is a cycle, and everything the executor holds (the Context
with its DataLoaders and their futures, the request and response, the variables, the
collected fields) could not be freed by reference counting when the request ended. For
`me { assignments }` that was ~130 objects a request, all left to the collector: it ran every
few requests and took ~8% of the server's CPU under 32 clients (bench/api.py).

Here the helpers reach the executor through weak references. An execution holds its executor
strongly for as long as it runs (it is `self` in every frame that resolves a field, and the
sub-executors and per-event subscription executors are made from it while it is alive), and
the helpers are only called from inside those frames, so they behave exactly as before; when
the operation ends, the executor and what it held are freed at once.

Plain leaf fields (`id`, `status`, `cost`, `createdAt` of each assignment in a page) are most
of the fields a list query resolves, and each went through graphql-core's whole field
machinery: a `GraphQLResolveInfo` built, the argument check, Strawberry's basic-field wrapper,
two awaitable checks, `complete_value`'s type dispatch. For a field Strawberry itself marks
basic (no resolver, no field extension, so no permission class: its `_get_basic_result`),
no arguments in the query, no resolve middleware, and a scalar or enum type, the value is the
same attribute read and the same `coerce_output_value` graphql-core would call. Anything else
(a null, an exception, an awaitable, a value that does not coerce) takes the ordinary path,
which produces the same value or the same located error as before.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfoHelpers,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

# Per schema field: (the field, its leaf type or None when it is not a plain leaf, non-null?).
# Keyed by id and holding the field, so an id reused after a schema is dropped never matches.
_plain_leaves: dict[int, tuple[GraphQLField, GraphQLLeafType | None, bool]] = {}


def is_basic_field(field: GraphQLField) -> bool:
    """Strawberry's resolver for a basic field: no resolver function, no permission class, no
    extension (`_is_default` alone only says "no resolver function": permission classes still
    run in that one)."""
    definition = (field.extensions or {}).get("strawberry-definition")
    return (
        getattr(definition, "is_basic_field", False) is True
        and getattr(field.resolve, "__name__", "") == "_get_basic_result"
    )


def plain_leaf(field: GraphQLField) -> tuple[GraphQLLeafType | None, bool]:
    """The scalar or enum type of a Strawberry basic field (and whether it is non-null), or
    (None, False) for any other field."""
    known = _plain_leaves.get(id(field))
    if known is not None and known[0] is field:
        return known[1], known[2]
    type_: Any = field.type
    non_null = isinstance(type_, GraphQLNonNull)
    if non_null:
        type_ = type_.of_type
    leaf = type_ if is_basic_field(field) and is_leaf_type(type_) else None
    _plain_leaves[id(field)] = (field, leaf, non_null)
    return leaf, non_null


def _weakly(method: Callable[..., Any]) -> Callable[..., Any]:
    """`method` (bound) called through a weak reference to its object."""
    ref = weakref.WeakMethod(method)

    def call(*args: Any, **kwargs: Any) -> Any:
        bound = ref()
        if bound is None:  # only reachable by keeping an Info past the end of its operation
            raise RuntimeError("the GraphQL operation this field belonged to has ended")
        return bound(*args, **kwargs)

    return call


class TahalufExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=_weakly(self.gather_async_work), track=_weakly(self.track_async_work)
        )

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        field = self.schema.get_field(parent_type, node.name.value)
        manager = self.middleware_manager  # Strawberry passes one, empty without resolve hooks
        if (
            field is not None
            and not node.arguments
            and (manager is None or not manager.middlewares)
        ):
            leaf, non_null = plain_leaf(field)
            if leaf is not None:
                value = field.resolve(source, None)  # type: ignore[misc]
                if value is None:
                    if not non_null:
                        return None
                elif not isinstance(value, Exception) and not self.is_awaitable(value):
                    try:
                        coerced = leaf.coerce_output_value(value)
                    except Exception:  # noqa: BLE001 - the ordinary path reports it
                        coerced = None
                    if coerced is not None and coerced is not Undefined:
                        return coerced
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
