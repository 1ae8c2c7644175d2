"""Which `assignments` selections need the rows' details (cost breakdown, history)."""

from __future__ import annotations

from graphql import FieldNode, FragmentDefinitionNode, OperationDefinitionNode, parse

from api.types.assignment_connection import needs_details


def _assignments(query: str) -> tuple[list[FieldNode], dict[str, FragmentDefinitionNode]]:
    document = parse(query)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    me = operation.selection_set.selections[0]
    assert isinstance(me, FieldNode) and me.selection_set is not None
    nodes = [s for s in me.selection_set.selections if isinstance(s, FieldNode)]
    return [n for n in nodes if n.name.value == "assignments"], fragments


def test_a_page_of_ids_statuses_and_times_needs_no_details() -> None:
    nodes, fragments = _assignments(
        "{ me { assignments(first: 20) { totalCount edges { cursor node { id status cost "
        "createdAt shift { id } volunteer { name } } } } } }"
    )
    assert needs_details(nodes, fragments) is False


def test_history_or_explanation_anywhere_needs_them() -> None:
    for query in (
        "{ me { assignments { edges { node { history } } } } }",
        "{ me { assignments { edges { node { explanation { name } } } } } }",
        "{ me { assignments { edges { node { ...F } } } } } fragment F on Assignment { history }",
        "{ me { assignments { edges { ... on AssignmentEdge { node { history } } } } } }",
        "{ me { assignments { edges { node { ...Missing } } } } }",  # unknown: be safe
    ):
        nodes, fragments = _assignments(query)
        assert needs_details(nodes, fragments) is True, query
