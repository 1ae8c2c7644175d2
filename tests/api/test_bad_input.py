"""Bad input for every mutation argument that can be wrong: BAD_USER_INPUT naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from .conftest import Api
from .world import World

CREATE_EVENT = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }"


def _event_input(**overrides: Any) -> dict[str, Any]:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
    shift = {
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=2)).isoformat(),
        "needs": [{"skill": "first_aid", "count": 2}],
    }
    base: dict[str, Any] = {
        "title": "Convoy",
        "domain": "HEALTH",
        "governorate": "01",
        "latitude": 30.0,
        "longitude": 31.0,
        "shifts": [shift],
    }
    base.update(overrides)
    return base


def _shift(**over: Any) -> dict[str, Any]:
    s = dict(_event_input()["shifts"][0])
    s.update(over)
    return s


def _need(**over: Any) -> dict[str, Any]:
    n: dict[str, Any] = {"skill": "first_aid", "count": 1}
    n.update(over)
    return n


START = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
EVENT_CASES = [
    ({"title": "  "}, "input.title"),
    ({"governorate": "00"}, "input.governorate"),
    ({"latitude": 91.0}, "input.latitude"),
    ({"longitude": -181.0}, "input.longitude"),
    ({"shifts": []}, "input.shifts"),
    ({"shifts": [_shift(endsAt=START.isoformat())]}, "input.shifts[0].endsAt"),
    ({"shifts": [_shift(needs=[])]}, "input.shifts[0].needs"),
    ({"shifts": [_shift(needs=[_need(count=0)])]}, "input.shifts[0].needs[0].count"),
    ({"shifts": [_shift(needs=[_need(minLevel=6)])]}, "input.shifts[0].needs[0].minLevel"),
    ({"shifts": [_shift(needs=[_need(minLevel=0)])]}, "input.shifts[0].needs[0].minLevel"),
    (
        {"shifts": [_shift(), _shift(needs=[_need(), _need(skill="no_such_skill")])]},
        "input.shifts[1].needs[1].skill",
    ),
]


@pytest.mark.parametrize(
    ("override", "field"), EVENT_CASES, ids=[c[1] + str(i) for i, c in enumerate(EVENT_CASES)]
)
async def test_create_event_bad_input(
    api: Api, world: World, override: dict[str, Any], field: str
) -> None:
    a = await world.association()
    answer = await api.as_role(
        "COORDINATOR", CREATE_EVENT, {"input": _event_input(**override)}, association=a
    )
    assert answer.codes == ["BAD_USER_INPUT"], answer.errors
    assert answer.fields == [field]
    assert answer.data is None
    listed = await api.as_role("COORDINATOR", "{ events { totalCount } }", association=a)
    assert listed.data["events"]["totalCount"] == 0  # nothing half-written


async def test_naive_datetime_is_refused(api: Api, world: World) -> None:
    a = await world.association()
    answer = await api.as_role(
        "COORDINATOR",
        CREATE_EVENT,
        {"input": _event_input(shifts=[_shift(startsAt="2030-01-01T09:00:00")])},
        association=a,
    )
    assert answer.codes == ["BAD_USER_INPUT"] and "offset" in answer.errors[0]["message"]


AVAILABILITY = "mutation($w: [AvailabilityInput!]!) { updateAvailability(availability: $w) { availability { weekday startTime endTime } } }"


async def test_update_availability(api: Api, world: World) -> None:
    a = await world.association()
    v = await world.volunteer(a)
    cases = [
        ([{"weekday": 8, "startTime": "09:00", "endTime": "10:00"}], "availability[0].weekday"),
        ([{"weekday": 1, "startTime": "25:00", "endTime": "26:00"}], "availability[0].startTime"),
        ([{"weekday": 1, "startTime": "09:00", "endTime": "9:30"}], "availability[0].endTime"),
        ([{"weekday": 1, "startTime": "09:00", "endTime": "08:00"}], "availability[0].endTime"),
        (
            [
                {"weekday": 2, "startTime": "09:00", "endTime": "12:00"},
                {"weekday": 2, "startTime": "11:00", "endTime": "13:00"},
            ],
            "availability[1].startTime",
        ),
    ]
    for windows, field in cases:
        answer = await api.as_role("VOLUNTEER", AVAILABILITY, {"w": windows}, sub=v)
        assert answer.codes == ["BAD_USER_INPUT"] and answer.fields == [field], windows
    good = [
        {"weekday": 7, "startTime": "18:00", "endTime": "24:00"},
        {"weekday": 1, "startTime": "08:30", "endTime": "12:00"},
    ]
    ok = await api.as_role("VOLUNTEER", AVAILABILITY, {"w": good}, sub=v)
    assert ok.errors == [] and ok.data["updateAvailability"]["availability"] == good


SHARING = "mutation($input: SharingPolicyInput!) { setSharingPolicy(input: $input) { id sharingPolicy { lends maxShare requiresApproval borrowers { id } } } }"


async def test_set_sharing_policy(api: Api, world: World) -> None:
    a, b = await world.association(), await world.association()
    for share in (-0.1, 1.5):
        bad = await api.as_role(
            "COORDINATOR",
            SHARING,
            {"input": {"lends": True, "maxShare": share, "requiresApproval": False}},
            association=a,
        )
        assert bad.codes == ["BAD_USER_INPUT"] and bad.fields == ["input.maxShare"]
    unknown = await api.as_role(
        "COORDINATOR",
        SHARING,
        {
            "input": {
                "lends": True,
                "maxShare": 0.3,
                "requiresApproval": False,
                "borrowers": [b, f"{world.tag}-ghost"],
            }
        },
        association=a,
    )
    assert unknown.codes == ["BAD_USER_INPUT"] and unknown.fields == ["input.borrowers[1]"]
    ok = await api.as_role(
        "COORDINATOR",
        SHARING,
        {"input": {"lends": True, "maxShare": 0.25, "requiresApproval": False, "borrowers": [b]}},
        association=a,
    )
    assert ok.errors == []
    assert ok.data["setSharingPolicy"]["sharingPolicy"] == {
        "lends": True,
        "maxShare": 0.25,
        "requiresApproval": False,
        "borrowers": [{"id": b}],
    }
    to_all = await api.as_role(
        "COORDINATOR",
        SHARING,
        {"input": {"lends": True, "maxShare": 1.0, "requiresApproval": True}},
        association=a,
    )
    assert to_all.data["setSharingPolicy"]["sharingPolicy"]["borrowers"] is None
    rels = await world.run(
        "MATCH (:Association {id: $a})-[r:SHARES_WITH]->() RETURN count(r) AS n", a=a
    )
    assert rels[0]["n"] == 0


async def test_first_is_capped_at_200(api: Api, world: World) -> None:
    a = await world.association()
    for first in (201, -1):
        answer = await api.as_role(
            "ADMIN", "query($f: Int) { volunteers(first: $f) { totalCount } }", {"f": first}
        )
        assert (
            answer.codes == ["BAD_USER_INPUT"]
            and answer.fields == ["first"]
            and answer.data is None
        )
        events = await api.as_role(
            "ADMIN", "query($f: Int) { events(first: $f) { totalCount } }", {"f": first}
        )
        assert events.fields == ["first"]
    ok = await api.as_role(
        "ADMIN", "{ volunteers(first: 200) { totalCount } events(first: 200) { totalCount } }"
    )
    assert ok.errors == []
    v = await world.volunteer(a)
    nested = await api.as_role(
        "VOLUNTEER", "{ me { assignments(first: 201) { totalCount } } }", sub=v
    )
    assert nested.fields == ["first"]
    cursor = await api.as_role("ADMIN", '{ volunteers(after: "bm90LWEtY3Vyc29y") { totalCount } }')
    assert cursor.codes == ["BAD_USER_INPUT"] and cursor.fields == ["after"]


async def test_complete_and_cancel_argument_checks(api: Api, world: World) -> None:
    a = await world.association()
    answer = await api.as_role(
        "COORDINATOR",
        'mutation { cancelAssignment(id: "x", reason: "%s") { id } }' % ("r" * 501),
        association=a,
    )
    assert answer.fields == ["reason"]
    hours = await api.as_role(
        "COORDINATOR",
        'mutation { completeAssignment(assignmentId: "x", hours: -1) { id } }',
        association=a,
    )
    assert hours.fields == ["hours"]


async def test_query_limits(api: Api) -> None:
    deep = (
        "{ me "
        + "{ memberships { association { sharingPolicy { borrowers " * 4
        + "{ id }"
        + " } } } }" * 4
        + " }"
    )
    answer = await api.as_role("VOLUNTEER", deep, sub="v")
    assert set(answer.codes) == {"BAD_USER_INPUT"} and answer.data is None
    assert any("depth" in e["message"] for e in answer.errors)
    aliases = "{ " + " ".join(f"a{i}: governorates {{ code }}" for i in range(40)) + " }"
    many = await api.as_role("ADMIN", aliases)
    assert set(many.codes) == {"BAD_USER_INPUT"} and many.data is None
    assert any("aliases" in e["message"].lower() for e in many.errors)


async def test_an_unknown_governorate_filter_is_bad_input_everywhere(api: Api) -> None:
    """A typo in a governorate code is an error naming the field, never an empty list."""
    cases = [
        ("{ volunteers(filter: {governorate: \"99\"}) { totalCount } }", "filter.governorate"),
        ("{ events(filter: {governorate: \"99\"}) { totalCount } }", "filter.governorate"),
        ("{ trainingPrograms(governorate: \"99\") { totalCount } }", "governorate"),
        ("{ trainedVolunteers(governorate: \"99\") { trained } }", "governorate"),
    ]
    for query, field in cases:
        answer = await api.as_role("ADMIN", query)
        assert answer.codes == ["BAD_USER_INPUT"] and answer.fields == [field], query
    known = await api.as_role(
        "ADMIN",
        '{ volunteers(filter: {governorate: "01"}) { totalCount } '
        'events(filter: {governorate: "01"}) { totalCount } '
        'trainingPrograms(governorate: "01") { totalCount } }',
    )
    assert known.errors == []
