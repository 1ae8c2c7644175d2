"""Query plans: a query document the schema has already answered, compiled into the fields it
selects on each object type, so that asking it again skips graphql-core's per-object field
collection and per-field dispatch (api/plan_run.py runs a plan; api/plan_cache.py keeps them).

A plan is what graphql-core's executor would work out on every object of every request: for
each response key in order, the field nodes merged under it, the schema field, its type as
wrappers (non-null, list) around a leaf or an object type, and for an object type the plan of
its own selection. Fragments (named and inline) are flattened where their type condition
applies, exactly as `collect_fields` does.

Only what can be decided once per document is compiled. `compile_plan` gives None, and the
document stays on the ordinary executor, for a mutation or subscription, any directive
(`@skip`/`@include` depend on variables, `@defer`/`@stream` change delivery), an abstract
(interface or union) type anywhere in the selection, and introspection other than
`__typename`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationType,
    SelectionSetNode,
    Visitor,
    get_operation_ast,
    is_abstract_type,
    is_leaf_type,
    is_object_type,
    type_from_ast,
    visit,
)
from graphql.type.scalars import serialize_boolean, serialize_id, serialize_string
from strawberry.types.field import StrawberryField

from api.executor import is_basic_field

NON_NULL = "!"
LIST = "[]"


@dataclass(frozen=True, slots=True, eq=False)
class FieldPlan:
    """One response key of a selection: what graphql-core's `execute_field` looks up each time."""

    key: str
    nodes: list[FieldNode]
    parent: GraphQLObjectType
    field: GraphQLField | None  # None for `__typename`
    resolve: Any  # the field's resolver (Strawberry's wrapper), None for `__typename`
    plain: bool  # a Strawberry basic field without arguments: its value is `resolve(source, None)`
    has_args: bool
    wrappers: tuple[str, ...]  # NON_NULL / LIST from the outside in
    leaf: GraphQLLeafType | None
    child: SelectionPlan | None  # the selection on the object type, for object fields
    leaf_read: bool = False  # plain, a leaf, no list: read and coerce, nothing else to do
    attr: str | None = None  # plain and Strawberry's default resolver: `getattr(source, attr)`
    as_is: type | None = None  # values of this exact type are their own output (str for String)
    # a list of plain objects ([T!] or [T], T without is_type_of) ending the type: are its
    # items nullable? (None when the field is anything else)
    object_items: bool | None = None


@dataclass(frozen=True, slots=True, eq=False)
class SelectionPlan:
    """The fields selected on one object type, in response order."""

    type: GraphQLObjectType
    fields: tuple[FieldPlan, ...]


class _NotCompilable(Exception):
    pass


class _DirectiveFinder(Visitor):
    found = False

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        self.found = True


def _has_directive(node: Any) -> bool:
    finder = _DirectiveFinder()
    visit(node, finder)
    return finder.found


def compile_plan(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> SelectionPlan | None:
    """The plan of the document's query operation, or None when it is not a plan's to answer.
    The document must be one the schema validated."""
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return None
    if schema.query_type is None or _has_directive(document):
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    try:
        return _selection(schema, schema.query_type, [operation.selection_set], fragments)
    except _NotCompilable:
        return None


def _applies(schema: GraphQLSchema, condition: Any, type_: GraphQLObjectType) -> bool:
    """graphql-core's `does_fragment_condition_match`."""
    if condition is None:
        return True
    conditional = type_from_ast(schema, condition)
    if conditional is type_:
        return True
    if conditional is not None and is_abstract_type(conditional):
        return schema.is_sub_type(conditional, type_)  # type: ignore[arg-type]
    return False


def _collect(
    schema: GraphQLSchema,
    type_: GraphQLObjectType,
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    groups: dict[str, list[FieldNode]],
    visited: set[str],
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            groups.setdefault(key, []).append(selection)
        elif isinstance(selection, InlineFragmentNode):
            if _applies(schema, selection.type_condition, type_):
                _collect(schema, type_, selection.selection_set, fragments, groups, visited)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in visited:
                continue
            visited.add(name)
            fragment = fragments.get(name)
            if fragment is None:
                raise _NotCompilable(name)
            if _applies(schema, fragment.type_condition, type_):
                _collect(schema, type_, fragment.selection_set, fragments, groups, visited)


def _attribute(field: GraphQLField) -> str | None:
    """The attribute a basic field's `_get_basic_result` reads, when it reads it with the
    default resolver (`StrawberryField.get_result` -> `getattr(source, python_name)`)."""
    definition: Any = (field.extensions or {}).get("strawberry-definition")
    if (
        isinstance(definition, StrawberryField)
        and type(definition).get_result is StrawberryField.get_result
        and definition.base_resolver is None
        and definition.default_resolver is getattr
    ):
        return definition.python_name
    return None


def _object_items(wrappers: list[str], child: SelectionPlan | None) -> bool | None:
    if child is None or child.type.is_type_of is not None or LIST not in wrappers:
        return None
    inner = wrappers[wrappers.index(LIST) + 1 :]
    if LIST in inner:
        return None  # a list of lists
    return inner != [NON_NULL]


def _as_is(leaf: GraphQLLeafType | None) -> type | None:
    """The Python type whose values graphql-core's own String/ID/Boolean scalars return
    unchanged (`serialize_string(s) is s` for any str, and so on)."""
    coerce = getattr(leaf, "coerce_output_value", None)
    if coerce is serialize_string or coerce is serialize_id:
        return str
    if coerce is serialize_boolean:
        return bool
    return None


def _selection(
    schema: GraphQLSchema,
    type_: GraphQLObjectType,
    selection_sets: list[SelectionSetNode],
    fragments: dict[str, FragmentDefinitionNode],
) -> SelectionPlan:
    groups: dict[str, list[FieldNode]] = {}
    for selection_set in selection_sets:
        # one visited set per object, as graphql-core collects the merged field nodes
        _collect(schema, type_, selection_set, fragments, groups, set())
    return SelectionPlan(
        type=type_,
        fields=tuple(_field(schema, type_, key, nodes, fragments) for key, nodes in groups.items()),
    )


def _field(
    schema: GraphQLSchema,
    parent: GraphQLObjectType,
    key: str,
    nodes: list[FieldNode],
    fragments: dict[str, FragmentDefinitionNode],
) -> FieldPlan:
    name = nodes[0].name.value
    if name == "__typename":
        return FieldPlan(key, nodes, parent, None, None, False, False, (NON_NULL,), None, None)
    if name.startswith("__"):
        raise _NotCompilable(name)  # __schema / __type stay with graphql-core
    field = parent.fields.get(name)
    if field is None or field.resolve is None:
        raise _NotCompilable(name)
    wrappers: list[str] = []
    named: Any = field.type
    while isinstance(named, GraphQLNonNull | GraphQLList):
        wrappers.append(NON_NULL if isinstance(named, GraphQLNonNull) else LIST)
        named = named.of_type
    has_args = bool(field.args) or bool(nodes[0].arguments)
    leaf: GraphQLLeafType | None = None
    child: SelectionPlan | None = None
    if is_leaf_type(named):
        leaf = named
    elif is_object_type(named):
        child = _selection(
            schema, named, [n.selection_set for n in nodes if n.selection_set], fragments
        )
    else:
        raise _NotCompilable(name)  # interface or union: runtime type resolution
    plain = is_basic_field(field) and not has_args
    return FieldPlan(
        key,
        nodes,
        parent,
        field,
        field.resolve,
        plain,
        has_args,
        tuple(wrappers),
        leaf,
        child,
        leaf_read=plain and leaf is not None and LIST not in wrappers,
        attr=_attribute(field) if plain else None,
        as_is=_as_is(leaf),
        object_items=_object_items(wrappers, child),
    )
