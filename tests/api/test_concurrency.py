"""Concurrent requests: no state change lost or applied twice, one person stays one node,
and a coordinator creating a competing event is warned."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from graph.national_id import hash_national_id, make_national_id
from graph.settings import Settings

from .conftest import Api
from .world import COUNT_BY_HASH, MEMBERSHIPS, World


async def test_concurrent_accepts_confirm_once(api: Api, world: World) -> None:
    a = await world.association()
    v = await world.volunteer(a)
    _, shift = await world.event(a)
    asg = await world.assignment(v, shift, "PROPOSED")
    respond = "mutation($id: ID!) { respondToAssignment(id: $id, accept: true) { status } }"
    answers = await asyncio.gather(
        *[api.as_role("VOLUNTEER", respond, {"id": asg}, sub=v) for _ in range(6)]
    )
    ok = [x for x in answers if not x.errors]
    assert len(ok) == 1 and ok[0].data["respondToAssignment"]["status"] == "CONFIRMED"
    assert all(x.codes == ["CONFLICT"] for x in answers if x.errors)
    history = (await world.node(asg))["history"]
    assert sum(1 for h in history if h.startswith("CONFIRMED|")) == 1


async def test_concurrent_completions_credit_hours_once(api: Api, world: World) -> None:
    a = await world.association()
    v = await world.volunteer(a)
    _, shift = await world.event(a, starts_in=-timedelta(minutes=5), hours=2)
    asg = await world.assignment(v, shift, "CHECKED_IN")
    complete = "mutation($id: ID!) { completeAssignment(assignmentId: $id, hours: 2.5) { status } }"
    answers = await asyncio.gather(
        *[api.as_role("COORDINATOR", complete, {"id": asg}, association=a) for _ in range(5)]
    )
    assert sum(1 for x in answers if not x.errors) == 1
    assert (await world.node(v))["hoursThisMonth"] == pytest.approx(2.5)


async def test_concurrent_registration_of_one_person(
    api: Api, world: World, settings: Settings
) -> None:
    associations = [await world.association() for _ in range(3)]
    rng = random.Random()
    nid = make_national_id(
        date(1932, rng.randint(1, 12), rng.randint(1, 28)), "M", "01", rng.randrange(5000)
    )
    register = (
        """mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }"""
    )
    answers = await asyncio.gather(
        *[
            api.as_role(
                "COORDINATOR",
                register,
                {
                    "input": {
                        "nationalId": nid,
                        "name": "Karim",
                        "phone": "01111111111",
                        "governorate": "01",
                        "association": a,
                    }
                },
                association=a,
            )
            for a in associations
        ]
    )
    assert all(not x.errors for x in answers), [x.errors for x in answers]
    ids = {x.data["registerVolunteer"]["id"] for x in answers}
    assert len(ids) == 1
    rows = await world.run(COUNT_BY_HASH, hash=hash_national_id(nid, settings.id_secret))
    assert rows[0]["n"] == 1
    members = await world.run(MEMBERSHIPS, id=ids.pop())
    assert sorted(r["id"] for r in members) == sorted(associations)


def convoy_input(start: datetime, domain: str) -> dict[str, Any]:
    """A two-hour convoy of the given domain near Tahrir from `start`."""
    return {
        "title": "Convoy",
        "domain": domain,
        "governorate": "01",
        "latitude": 30.051,
        "longitude": 31.231,
        "shifts": [
            {
                "startsAt": start.isoformat(),
                "endsAt": (start + timedelta(hours=2)).isoformat(),
                "needs": [{"skill": "first_aid", "count": 1}],
            }
        ],
    }


async def test_competing_event_returns_a_coordination_warning(api: Api, world: World) -> None:
    mine, theirs = await world.association(), await world.association()
    their_event, _ = await world.event(theirs, starts_in=timedelta(days=6), hours=6)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=6, hours=1)
    created = await api.as_role(
        "COORDINATOR",
        """mutation($input: CreateEventInput!) {
        createEvent(input: $input) { event { id } warnings { reason event { id association { id } } } } }""",
        {"input": convoy_input(start, "HEALTH")},
        association=mine,
    )
    assert created.errors == []
    warnings = created.data["createEvent"]["warnings"]
    assert [w["event"]["id"] for w in warnings] == [their_event]
    assert warnings[0]["event"]["association"]["id"] == theirs and warnings[0]["reason"]
    far = await api.as_role(
        "COORDINATOR",
        """mutation($input: CreateEventInput!) {
        createEvent(input: $input) { warnings { event { id } } } }""",
        {"input": convoy_input(start, "EDUCATION")},
        association=mine,
    )
    assert far.data["createEvent"]["warnings"] == []  # another domain does not compete
