"""Run a query plan (api/plan.py) on graphql-core's own executor state, level by level.

The executor is built by graphql-core (`Executor.build`: the operation, the coerced variables,
the fragments), and every resolver is called as graphql-core calls it: the same function
(Strawberry's wrapper, with its permission classes and argument conversion), the same
`GraphQLResolveInfo` from `build_resolve_info`, the same arguments from
`get_argument_values`. Values are completed as `complete_value` completes them: non-null,
lists, `coerce_output_value` for leaves, `is_type_of` for objects.

What the plan leaves out is the work that is the same on every object: field collection and
the field lookup, type dispatch and awaitable checks per field. Objects are completed a level
at a time, each level's resolvers all called before any is awaited, so DataLoaders batch a
level as graphql-core's sibling fields do.

A plan only answers the successful case. Anything else (a resolver raising, a null where the
type forbids one, a value that does not coerce, an awaitable list item, a variable that does
not coerce) raises `Fallback`, and the caller runs the document through the ordinary executor,
which produces the data and the located errors it always produced. Plans are for queries, so
running their resolvers a second time only reads again.
"""

from __future__ import annotations

import asyncio
from typing import Any

from graphql import Undefined
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path

from api.plan import LIST, NON_NULL, FieldPlan, SelectionPlan


class Fallback(Exception):
    """The plan met something only the ordinary executor answers."""


# (selection plan, source objects, their result dicts, their paths)
_Group = tuple[SelectionPlan, list[Any], list[dict[str, Any]], list[Path | None]]


async def run_plan(plan: SelectionPlan, executor: Any) -> dict[str, Any]:
    """The `data` of the operation; raises Fallback when the ordinary executor must answer."""
    data: dict[str, Any] = {}
    level: list[_Group] = [(plan, [executor.root_value], [data], [None])]
    args_of: dict[int, dict[str, Any]] = {}  # per FieldPlan, computed once per request
    while level:
        following: dict[int, _Group] = {}
        waiting: list[Any] = []
        slots: list[tuple[FieldPlan, dict[str, Any], Path]] = []
        try:
            _call_level(level, executor, args_of, following, waiting, slots)
            if waiting:
                values = await _settle(waiting)
                for (fp, target, field_path), value in zip(slots, values, strict=True):
                    target[fp.key] = _complete(fp, 0, value, field_path, executor, following)
        except Fallback:
            raise
        except Exception as exc:  # noqa: BLE001 - the ordinary executor reports it
            raise Fallback(repr(exc)) from None
        level = list(following.values())
    return data


def _call_level(
    level: list[_Group],
    executor: Any,
    args_of: dict[int, dict[str, Any]],
    following: dict[int, _Group],
    waiting: list[Any],
    slots: list[tuple[FieldPlan, dict[str, Any], Path]],
) -> None:
    """Every field of every object of one level: plain leaves read and completed at once,
    resolvers called, their awaitables collected in `waiting` (with where they go)."""
    for selection, sources, targets, paths in level:
        for source, target, path in zip(sources, targets, paths, strict=True):
            for fp in selection.fields:
                if fp.leaf_read:
                    if fp.attr is not None:
                        value = getattr(source, fp.attr)
                        if type(value) is fp.as_is:  # a str for String/ID, a bool for Boolean
                            target[fp.key] = value
                            continue
                    else:
                        value = fp.resolve(source, None)
                    target[fp.key] = _leaf(fp, value)
                    continue
                field_path = Path(path, fp.key, fp.parent.name)
                value = _resolve(fp, source, field_path, executor, args_of)
                if fp.field is not None and executor.is_awaitable(value):
                    target[fp.key] = None  # keeps the response order; set once awaited
                    waiting.append(value)
                    slots.append((fp, target, field_path))
                else:
                    target[fp.key] = _complete(fp, 0, value, field_path, executor, following)


async def _settle(waiting: list[Any]) -> list[Any]:
    """Every awaitable's value; Fallback if any raised, once all have finished."""
    if len(waiting) == 1:
        return [await waiting[0]]  # raising: run_plan's level turns it into Fallback
    values = await asyncio.gather(*waiting, return_exceptions=True)
    for value in values:
        if isinstance(value, BaseException):
            if not isinstance(value, Exception):
                raise value
            raise Fallback(repr(value))
    return values


def _leaf(fp: FieldPlan, value: Any) -> Any:
    """A plain scalar or enum value completed as `complete_value` completes it."""
    if value is None:
        if fp.wrappers:  # a plain leaf's only wrapper is non-null
            raise Fallback(f"null for non-null {fp.parent.name}.{fp.key}")
        return None
    return _coerce(fp, value)


def _coerce(fp: FieldPlan, value: Any) -> Any:
    """`complete_leaf_value`; an Exception value, or one that does not coerce, falls back."""
    if isinstance(value, Exception):
        raise Fallback(repr(value))
    coerced = fp.leaf.coerce_output_value(value)  # type: ignore[union-attr]
    if coerced is None or coerced is Undefined:
        raise Fallback("leaf did not coerce")
    return coerced


def _group(following: dict[int, _Group], child: SelectionPlan) -> _Group:
    """The next level's group of objects to complete with `child`."""
    group = following.get(id(child))
    if group is None:
        group = following[id(child)] = (child, [], [], [])
    return group


def _resolve(fp: FieldPlan, source: Any, path: Path, executor: Any, args_of: dict[int, Any]) -> Any:
    if fp.field is None:
        return fp.parent.name  # __typename
    if fp.plain:
        return getattr(source, fp.attr) if fp.attr is not None else fp.resolve(source, None)
    args: dict[str, Any] | None = {}
    if fp.has_args:
        args = args_of.get(id(fp))
        if args is None:
            args = args_of[id(fp)] = _arguments(fp, executor)
    info = executor.build_resolve_info(fp.field, fp.nodes, fp.parent, path)
    return fp.resolve(source, info, **args)


def _arguments(fp: FieldPlan, executor: Any) -> dict[str, Any]:
    """graphql-core's argument values (an argument that does not coerce raises GraphQLError,
    which run_plan's level turns into Fallback)."""
    return get_argument_values(
        fp.field,  # type: ignore[arg-type]
        fp.nodes[0],
        executor.variable_values,
        None,
        executor.hide_suggestions,
    )


def _object_items(
    fp: FieldPlan,
    nullable: bool,
    items: list[Any] | tuple[Any, ...],
    path: Path,
    executor: Any,
    following: dict[int, _Group],
) -> list[dict[str, Any] | None]:
    """A list of objects (`[T!]` or `[T]`, T without `is_type_of`): what `_complete` does per
    item, in one loop (a page's edges)."""
    assert fp.child is not None
    _, sources, targets, paths = _group(following, fp.child)
    is_awaitable = executor.is_awaitable
    out: list[dict[str, Any] | None] = []
    for i, item in enumerate(items):
        if item is None or item is Undefined:
            if not nullable:
                raise Fallback(f"null item for non-null {fp.parent.name}.{fp.key}")
            out.append(None)
            continue
        if isinstance(item, Exception) or is_awaitable(item):
            raise Fallback("list item")
        target: dict[str, Any] = {}
        sources.append(item)
        targets.append(target)
        paths.append(path.add_key(i, None))
        out.append(target)
    return out


def _complete(
    fp: FieldPlan,
    depth: int,
    value: Any,
    path: Path,
    executor: Any,
    following: dict[int, _Group],
) -> Any:
    if isinstance(value, Exception):
        raise Fallback(repr(value))
    wrapper = fp.wrappers[depth] if depth < len(fp.wrappers) else None
    if wrapper == NON_NULL:
        if value is None or value is Undefined:
            raise Fallback(f"null for non-null {fp.parent.name}.{fp.key}")
        return _complete(fp, depth + 1, value, path, executor, following)
    if value is None or value is Undefined:
        return None
    if wrapper == LIST:
        if not isinstance(value, list | tuple):
            raise Fallback(f"{type(value).__name__} for a list")
        if fp.object_items is not None:
            return _object_items(fp, fp.object_items, value, path, executor, following)
        return [
            _complete(fp, depth + 1, item, path.add_key(i, None), executor, following)
            for i, item in enumerate(value)
        ]
    if executor.is_awaitable(value):
        raise Fallback("awaitable list item")
    if fp.leaf is not None:
        return _coerce(fp, value)
    if fp.child is None:  # __typename
        return value
    type_ = fp.child.type
    if type_.is_type_of is not None:
        info = executor.build_resolve_info(fp.field, fp.nodes, fp.parent, path)
        is_type = type_.is_type_of(value, info)
        if is_type is not True:
            raise Fallback("is_type_of")
    target: dict[str, Any] = {}
    _, sources, targets, paths = _group(following, fp.child)
    sources.append(value)
    targets.append(target)
    paths.append(path)
    return target
