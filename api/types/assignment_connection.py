"""AssignmentConnection and the paged list of one volunteer's assignments."""

from collections.abc import Iterable
from datetime import datetime

import strawberry
from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode
from strawberry.types import Info
from strawberry.types.nodes import convert_arguments

from api.errors import ApiError
from api.loaders.volunteer_assignments import AssignmentPageKey
from api.pagination import offset_after, offset_cursor, page_size
from api.types.assignment import Assignment
from api.types.connection import Connection, build_connection
from api.types.enums import AssignmentStatus
from api.types.values import parse_datetime
from graph.volunteer_assignments import AssignmentPage, PageFilter


@strawberry.type
class AssignmentConnection(Connection[Assignment]):
    pass


async def assignment_connection(
    info: Info, ids: list[str], skip: int, total: int, limit: int
) -> AssignmentConnection:
    """Load a page of assignment ids through the loader (one batched query) into a connection."""
    rows = await info.context.loaders.assignments.load_many(ids[:limit])
    nodes = [Assignment.from_row(r) for r in rows if r is not None]
    cursors = [offset_cursor(skip + i) for i in range(len(nodes))]
    return build_connection(
        AssignmentConnection,
        nodes,
        cursors,
        has_next=len(ids) > limit or skip + limit < total,
        has_previous=skip > 0,
        total=total,
    )


# The assignment fields that read the rows' details (graph/volunteer_assignments.DETAIL_KEYS)
DETAIL_FIELDS = frozenset({"history", "explanation"})


def needs_details(nodes: Iterable[FieldNode], fragments: dict[str, FragmentDefinitionNode]) -> bool:
    """Whether the selection under these `assignments` nodes names `history` or `explanation`
    anywhere (at any depth, in any fragment: a name is enough, whatever type it is on), so
    that its page must be read with the rows' details."""
    stack = [node.selection_set for node in nodes if node.selection_set]
    seen: set[str] = set()
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in DETAIL_FIELDS:
                    return True
                if selection.selection_set:
                    stack.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                fragment = fragments.get(selection.name.value)
                if fragment is None:
                    return True
                stack.append(fragment.selection_set)
    return False


def page_key(
    info: Info,
    volunteer_id: str,
    status: list[AssignmentStatus] | None,
    starts_from: datetime | None,
    until: datetime | None,
    first: int | None,
    after: str | None,
    details: bool = True,
) -> AssignmentPageKey:
    """The loader key of `Volunteer.assignments(...)`; bad `first`/`after` are BAD_USER_INPUT."""
    limit = page_size(first)
    skip = offset_after(after)
    viewer = info.context.require_viewer()
    # a coordinator sees only what concerns its association (its events or its lent volunteers)
    association = None if (viewer.is_admin or viewer.is_volunteer) else viewer.association or "-"
    return AssignmentPageKey(
        volunteer=volunteer_id,
        page=PageFilter(
            statuses=tuple(s.value for s in status) if status else None,
            starts_from=starts_from,
            until=until,
            association=association,
            skip=skip,
            limit=limit,
            details=details,
        ),
    )


def selected_page_key(info: Info, volunteer_id: str) -> AssignmentPageKey | None:
    """The key of the first `assignments(...)` selected under the current field, for reading
    it together with the volunteer; None when there is none or its arguments are anything but
    plain (then the field's own resolver reads it, and reports any bad argument)."""
    # The direct selections of the current field's node, only `assignments`' arguments
    # converted: `info.selected_fields` converts the whole selection tree (every field's
    # arguments and directives, recursively), ~0.09 ms of a `me { assignments }` request.
    raw = info._raw_info
    selection_set = raw.field_nodes[0].selection_set
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode) and selection.name.value == "assignments":
            args = convert_arguments(raw, selection.arguments)
            try:
                status = args.get("status")
                return page_key(
                    info,
                    volunteer_id,
                    [AssignmentStatus(getattr(s, "value", s)) for s in status] if status else None,
                    _when(args.get("from")),
                    _when(args.get("to")),
                    _count(args.get("first")),
                    args.get("after"),
                    needs_details([selection], raw.fragments),
                )
            except (ApiError, ValueError, TypeError):
                return None
    return None


def _count(value: object) -> int | None:
    """An Int argument: a literal arrives as its source text, a variable as an int."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value)
    raise TypeError(type(value).__name__)


def _when(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str):
        return parse_datetime(value)
    raise TypeError(type(value).__name__)


async def volunteer_assignments(
    info: Info,
    volunteer_id: str,
    status: list[AssignmentStatus] | None,
    starts_from: datetime | None,
    until: datetime | None,
    first: int | None,
    after: str | None,
) -> AssignmentConnection:
    raw = info._raw_info
    details = needs_details(raw.field_nodes, raw.fragments)
    key = page_key(info, volunteer_id, status, starts_from, until, first, after, details)
    page = await info.context.loaders.volunteer_assignments.load(key)
    return page_connection(info, key, page)


def page_connection(
    info: Info, key: AssignmentPageKey, page: AssignmentPage
) -> AssignmentConnection:
    """The connection of a page read with its rows: the assignments loader is primed with them
    (whole rows only) and answers without a second query."""
    if key.page.details:
        info.context.loaders.assignments.prime_many({row["id"]: row for row in page.rows})
    nodes = [Assignment.from_row(row) for row in page.rows]
    skip, limit = key.page.skip, key.page.limit
    return build_connection(
        AssignmentConnection,
        nodes,
        [offset_cursor(skip + i) for i in range(len(nodes))],
        has_next=skip + limit < page.total,
        has_previous=skip > 0,
        total=page.total,
    )
