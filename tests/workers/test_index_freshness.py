"""The worker's candidate index is a snapshot: a volunteer registered, trained or made available
after it was loaded is read fresh beside its candidates (Volunteer.changedAt), so it can be
matched at once instead of after the next reload — on the real test Neo4j."""

from __future__ import annotations

from typing import Any

from graph.matching_load import load_problem
from graph.matching_positions import load_index
from graph.registration import set_availability
from tests.workers.matching_world import MatchingWorld

CHANGED_AT = "MATCH (v:Volunteer {id: $id}) RETURN v.changedAt AS at"


async def _setup(world: MatchingWorld) -> tuple[str, str, str]:
    medic = await world.skill("medic")
    home = await world.association()
    event = await world.event(home)
    shift = await world.shift(event, [(medic, 1, 1)])
    return medic, home, shift


async def _candidates(world: MatchingWorld, home: str, shift: str, index: Any) -> set[str]:
    problem = await load_problem(
        world.driver, shift_ids=[shift], association=home, allow_exchange=False, urgent=False,
        positions=index,
    )
    return {v["id"] for v in problem.instance["volunteers"]}


async def test_a_volunteer_changed_after_the_index_was_loaded_is_a_candidate(
    world: MatchingWorld,
) -> None:
    medic, home, shift = await _setup(world)
    known = await world.volunteer(home, [(medic, 2)])
    index = await load_index(world.driver)
    assert index.as_of > 0 and known in index.position
    newcomer = await world.volunteer(home, [(medic, 2)])  # after the load: not in the index
    assert newcomer not in index.position
    assert await _candidates(world, home, shift, index) == {known}
    # its availability is set (what a registration or training completion also stamps)
    assert await set_availability(world.driver, newcomer, [(d, "00:00", "24:00") for d in range(1, 8)])
    assert (await world.q(CHANGED_AT, id=newcomer))[0]["at"] is not None
    assert await _candidates(world, home, shift, index) == {known, newcomer}
