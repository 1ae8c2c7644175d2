"""DataLoaders: a page of 200 assignments costs the same number of Cypher statements as 20."""

from __future__ import annotations

from graph.cypher_runner import STATEMENTS

from .conftest import Api
from .world import World, bulk_assigned

SHIFT_PAGE = """
query($id: ID!) { shift(id: $id) { id slotsFilled needs { filled skill { code } }
  event { id title association { id volunteerCount } governorate { code } }
  assignments { id status cost explanation { name value } skill { code implies { code } } lender { id }
    shift { id startsAt event { id } }
    volunteer { id name phone governorate { code } memberships { association { id name } }
                skills { level skill { code } } } } } }
"""

VOLUNTEER_PAGE = """
query($a: ID, $first: Int) { volunteers(filter: {association: $a}, first: $first) { totalCount
  edges { node { id phone governorate { nameEn } memberships { since association { id } }
                 skills { skill { code } }
                 assignments(status: [CONFIRMED], first: 5) { totalCount edges { node { id status } } } } } } }
"""


async def _statements(
    api: Api, query: str, variables: dict[str, object], association: str
) -> tuple[int, dict]:
    before = STATEMENTS.count
    answer = await api.as_role("COORDINATOR", query, variables, association=association)
    assert answer.errors == [], answer.errors
    return STATEMENTS.count - before, answer.data


async def test_assignment_page_costs_constant_statements(api: Api, world: World) -> None:
    a = await world.association()
    _, small_shift = await world.event(a, count=200)
    _, big_shift = await world.event(a, count=200)
    await bulk_assigned(world, a, small_shift, 20)
    await bulk_assigned(world, a, big_shift, 200)
    small, small_data = await _statements(api, SHIFT_PAGE, {"id": small_shift}, a)
    big, big_data = await _statements(api, SHIFT_PAGE, {"id": big_shift}, a)
    assert len(small_data["shift"]["assignments"]) == 20
    assert len(big_data["shift"]["assignments"]) == 200
    assert big_data["shift"]["slotsFilled"] == 200
    assert big == small, (small, big)
    assert big <= 15

    vs, v_small = await _statements(api, VOLUNTEER_PAGE, {"a": a, "first": 20}, a)
    vb, v_big = await _statements(api, VOLUNTEER_PAGE, {"a": a, "first": 200}, a)
    assert len(v_small["volunteers"]["edges"]) == 20 and len(v_big["volunteers"]["edges"]) == 200
    assert v_big["volunteers"]["totalCount"] == 220
    nested = [e["node"]["assignments"] for e in v_big["volunteers"]["edges"]]
    assert all(
        n["totalCount"] == 1 and n["edges"][0]["node"]["status"] == "CONFIRMED" for n in nested
    )
    assert vb == vs and vb <= 10


async def test_volunteer_pages_follow_cursors(api: Api, world: World) -> None:
    a = await world.association()
    _, shift = await world.event(a, count=30)
    await bulk_assigned(world, a, shift, 25)
    seen: list[str] = []
    after = None
    while True:
        answer = await api.as_role(
            "COORDINATOR",
            """query($a: ID, $after: String) {
            volunteers(filter: {association: $a}, first: 10, after: $after) {
              totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }""",
            {"a": a, "after": after},
            association=a,
        )
        page = answer.data["volunteers"]
        assert page["totalCount"] == 25
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 25 and len(set(seen)) == 25 and seen == sorted(seen)
