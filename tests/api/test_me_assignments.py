"""`me { assignments(...) }` reads the volunteer and the page in ONE statement, with the same
answers as the field's own path (`volunteer(id) { assignments }`), and the same errors."""

from __future__ import annotations

from datetime import datetime, timedelta

from graph.cypher_runner import STATEMENTS

from .conftest import Api
from .world import World

FIELDS = "totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status cost createdAt } }"


async def _counted(api: Api, vid: str, query: str, variables: dict | None = None):
    before = STATEMENTS.count
    answer = await api.as_role("VOLUNTEER", query, variables, sub=vid)
    return STATEMENTS.count - before, answer


async def test_me_with_assignments_is_one_statement_and_the_same_page(
    api: Api, world: World
) -> None:
    a = await world.association()
    vid = await world.volunteer(a)
    made = []
    for days in (3, 1, 2):
        _, shift = await world.event(a, starts_in=timedelta(days=days))
        made.append(await world.assignment(vid, shift, "CONFIRMED" if days != 2 else "PROPOSED"))
    by_start = [made[1], made[2], made[0]]

    n, me = await _counted(
        api,
        vid,
        f"query($f: Int) {{ me {{ id name assignments(first: $f) {{ {FIELDS} }} }} }}",
        {"f": 2},
    )
    assert me.errors == [] and n == 1, (n, me.errors)
    page = me.data["me"]["assignments"]
    assert [e["node"]["id"] for e in page["edges"]] == by_start[:2] and page["totalCount"] == 3
    assert page["pageInfo"]["hasNextPage"] is True

    # the field's own path (no prefetch) answers the same
    plain = await api.as_role(
        "VOLUNTEER",
        f"query($id: ID!) {{ volunteer(id: $id) {{ id name assignments(first: 2) {{ {FIELDS} }} }} }}",
        {"id": vid},
        sub=vid,
    )
    assert plain.errors == [] and plain.data["volunteer"] == me.data["me"]

    # literal arguments, a cursor and a status filter go the one-statement way too
    after = page["pageInfo"]["endCursor"]
    n, rest = await _counted(
        api,
        vid,
        f'{{ me {{ assignments(status: [CONFIRMED], first: 5, after: "{after}") {{ {FIELDS} }} }} }}',
    )
    assert rest.errors == [] and n == 1
    assert [e["node"]["id"] for e in rest.data["me"]["assignments"]["edges"]] == []
    n, confirmed = await _counted(
        api, vid, f"{{ me {{ assignments(status: [CONFIRMED]) {{ {FIELDS} }} }} }}"
    )
    assert n == 1
    edges = confirmed.data["me"]["assignments"]["edges"]
    assert [e["node"]["id"] for e in edges] == [made[1], made[0]]


async def test_me_without_assignments_and_bad_arguments(api: Api, world: World) -> None:
    a = await world.association()
    vid = await world.volunteer(a)
    n, bare = await _counted(api, vid, "{ me { id name } }")
    assert bare.errors == [] and bare.data["me"]["id"] == vid and n == 1
    _, bad = await _counted(api, vid, "{ me { id assignments(first: 500) { totalCount } } }")
    assert bad.codes == ["BAD_USER_INPUT"] and bad.errors[0]["extensions"]["field"] == "first"
    _, cursor = await _counted(api, vid, '{ me { assignments(after: "nonsense") { totalCount } } }')
    assert cursor.codes == ["BAD_USER_INPUT"] and cursor.errors[0]["extensions"]["field"] == "after"
    unknown = await api.as_role(
        "VOLUNTEER", "{ me { id assignments { totalCount } } }", sub=f"{vid}-nobody"
    )
    assert unknown.errors == [] and unknown.data["me"] is None


async def test_history_and_explanation_come_whatever_shape_asks_for_them(
    api: Api, world: World
) -> None:
    """Pages are read without the cost breakdown and history unless the selection names
    `history` or `explanation` (api/types/assignment_connection.needs_details): every way of
    asking for them still gets them, and in one statement."""
    a = await world.association()
    vid = await world.volunteer(a)
    _, shift = await world.event(a, starts_in=timedelta(days=2))
    await world.assignment(vid, shift, "CONFIRMED")
    explained = [{"name": "travel", "value": 1.0}, {"name": "fairness", "value": 0.5}]
    shapes = {
        "direct": "{ me { assignments { edges { node { id history explanation { name value } } } } } }",
        "fragment": "{ me { assignments { edges { node { id ...D } } } } } "
        "fragment D on Assignment { history explanation { name value } }",
        "inline": "{ me { assignments { edges { node { id ... on Assignment { history "
        "explanation { name value } } } } } } }",
    }
    for shape, query in shapes.items():
        n, answer = await _counted(api, vid, query)
        assert answer.errors == [] and n == 1, (shape, answer.errors)
        node = answer.data["me"]["assignments"]["edges"][0]["node"]
        assert node["explanation"] == explained, shape
        assert len(node["history"]) == 1 and node["history"][0].startswith("CONFIRMED|"), shape
        # shown in Cairo like every DateTime of the API (stored in UTC): +02:00 or +03:00
        instant = datetime.fromisoformat(node["history"][0].split("|")[1])
        assert instant.utcoffset() in (timedelta(hours=2), timedelta(hours=3)), node["history"]
    # two aliases with the same arguments, only the second asking: each gets what it asked for
    _, both = await _counted(
        api,
        vid,
        "{ me { plain: assignments(first: 5) { edges { node { id } } } "
        "full: assignments(first: 5) { edges { node { id history } } } } }",
    )
    assert both.errors == []
    assert both.data["me"]["full"]["edges"][0]["node"]["history"][0].startswith("CONFIRMED|")
    assert both.data["me"]["plain"]["edges"][0]["node"] == {
        "id": both.data["me"]["full"]["edges"][0]["node"]["id"]
    }
    # through volunteer(id), the field's own loader path
    staff = await api.as_role(
        "ADMIN",
        "query($id: ID!) { volunteer(id: $id) { assignments { edges { node { history } } } } }",
        {"id": vid},
    )
    assert staff.errors == []
    assert staff.data["volunteer"]["assignments"]["edges"][0]["node"]["history"][0].startswith(
        "CONFIRMED|"
    )
