"""Reports and planning together through the real GraphQL service: skillGaps, coordination
warnings on createEvent, and the admin's coordinationOverlaps."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from graph.national_id import make_national_id
from tests.api.conftest import Api
from tests.graph.training_world import World

GAPS = """
query($from: DateTime!, $to: DateTime!, $g: String) {
  skillGaps(from: $from, to: $to, governorate: $g) {
    skill { code } governorate { code nameEn } demand supply gap
  }
}
"""
CREATE_EVENT = """
mutation($input: CreateEventInput!) {
  createEvent(input: $input) { event { id } warnings { reason event { id title association { id } } } }
}
"""
OVERLAPS = """
query($from: DateTime!, $to: DateTime!) {
  coordinationOverlaps(from: $from, to: $to) { reason distanceKm first { id } second { id } }
}
"""
# Tahrir Square; Ramses ~2.3 km away; Heliopolis ~9 km away
TAHRIR = (30.0444, 31.2357)
RAMSES = (30.0626, 31.2467)
HELIOPOLIS = (30.0911, 31.3225)


def future_slot() -> datetime:
    """A random day years ahead, so other tests' events rarely share the window."""
    return datetime(2033, 1, 1, 6, tzinfo=UTC) + timedelta(days=random.randrange(0, 3000))


async def event_at(
    tw: World,
    association: str,
    start: datetime,
    hours: tuple[int, int],
    place: tuple[float, float],
    domain: str,
    **extra: str,
) -> str:
    """An event of `association` at `place` (lat, lon) from start+hours[0] to start+hours[1]."""
    return await tw.event(
        association,
        starts_at=start + timedelta(hours=hours[0]),
        ends_at=start + timedelta(hours=hours[1]),
        domain=domain,
        lat=place[0],
        lon=place[1],
        **extra,
    )


async def demand_in_port_said(
    tw: World, count: int, min_level: int
) -> tuple[datetime, datetime, str, str, str]:
    """A week ahead with one shift in Port Said (03) needing `count` of a fresh skill:
    (start, end, association, skill, shift)."""
    start = future_slot()
    end = start + timedelta(days=7)
    assoc = await tw.association()
    skill = await tw.skill()
    event = await tw.event(assoc, starts_at=start, ends_at=end, governorate="03")
    shift = await tw.shift(event, start + timedelta(hours=3), [(skill, count, min_level)])
    return start, end, assoc, skill, shift


async def test_skill_gaps_numbers_and_who_may_see_them(api: Api, tw: World):
    start, end, assoc, skill, shift = await demand_in_port_said(tw, 3, 1)
    holder = await tw.volunteer(assoc, "03", [(skill, 2, None)])
    await tw.volunteer(assoc, "03", [(skill, 2, start + timedelta(days=1))])  # expires in window
    await tw.volunteer(assoc, "01", [(skill, 2, None)])  # lives elsewhere
    await tw.assignment(holder, shift, 0, "PROPOSED")
    variables = {"from": start.isoformat(), "to": end.isoformat(), "g": None}

    answer = await api.as_role("TRAINER", GAPS, variables, association=assoc)
    assert answer.errors == []
    mine = [r for r in answer.data["skillGaps"] if r["skill"]["code"] == skill]
    assert mine == [
        {
            "skill": {"code": skill},
            "governorate": {"code": "03", "nameEn": "Port Said"},
            "demand": 2,
            "supply": 1,
            "gap": 1,
        }
    ]
    gaps = [r["gap"] for r in answer.data["skillGaps"]]
    assert gaps == sorted(gaps, reverse=True)
    elsewhere = await api.as_role("ADMIN", GAPS, {**variables, "g": "01"})
    assert not [r for r in elsewhere.data["skillGaps"] if r["skill"]["code"] == skill]

    for role in ("COORDINATOR", "VOLUNTEER"):
        refused = await api.as_role(role, GAPS, variables, association=assoc)
        assert refused.codes == ["FORBIDDEN"] and refused.data is None
    backwards = await api.as_role("ADMIN", GAPS, {**variables, "to": start.isoformat()})
    assert (backwards.codes, backwards.fields) == (["BAD_USER_INPUT"], ["to"])
    unknown = await api.as_role("ADMIN", GAPS, {**variables, "g": "99"})
    assert (unknown.codes, unknown.fields) == (["BAD_USER_INPUT"], ["governorate"])


REGISTER = """
mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }
"""
UPDATE_AVAILABILITY = """
mutation($a: [AvailabilityInput!]!) { updateAvailability(availability: $a) { id } }
"""


async def test_skill_gaps_follow_registration_and_availability_at_once(api: Api, tw: World):
    # the supply is kept by the writers (graph.supply_cells): what the service writes shows
    # in the next report, with no migration or job in between
    start, end, assoc, skill, _ = await demand_in_port_said(tw, 4, 2)
    variables = {"from": start.isoformat(), "to": end.isoformat(), "g": "03"}

    async def supply() -> list[int]:
        answer = await api.as_role("ADMIN", GAPS, variables)
        assert answer.errors == []
        return [r["supply"] for r in answer.data["skillGaps"] if r["skill"]["code"] == skill]

    assert await supply() == [0]
    nid = make_national_id(date(1990, 5, 17), "M", "03", random.randrange(5000))
    registered = await api.as_role("COORDINATOR", REGISTER, {"input": {
        "nationalId": nid, "name": "محمود علي", "phone": "01012345678", "governorate": "03",
        "association": assoc, "skills": [{"skill": skill, "level": 3}],
        "availability": [{"weekday": d, "startTime": "08:00", "endTime": "20:00"}
                         for d in range(1, 8)],
    }}, association=assoc)
    assert registered.errors == []
    volunteer = registered.data["registerVolunteer"]["id"]
    tw.volunteers.append(volunteer)  # withdrawn and deleted with the world
    tw.track(volunteer)
    assert await supply() == [1]
    cleared = await api.as_role("VOLUNTEER", UPDATE_AVAILABILITY, {"a": []}, sub=volunteer)
    assert cleared.errors == []
    assert await supply() == [0]


def event_input(start: datetime, lat: float, lon: float, domain: str = "HEALTH") -> dict:
    return {
        "title": "قافلة طبية",
        "domain": domain,
        "governorate": "01",
        "latitude": lat,
        "longitude": lon,
        "shifts": [
            {
                "startsAt": start.isoformat(),
                "endsAt": (start + timedelta(hours=6)).isoformat(),
                "needs": [{"skill": "first_aid", "count": 2, "minLevel": 1}],
            }
        ],
    }


async def test_create_event_warns_about_a_competing_event_only(api: Api, tw: World):
    start = future_slot()
    ours, theirs = await tw.association(), await tw.association("Misr El Kheir Test")
    competing = await event_at(tw, theirs, start, (2, 9), RAMSES, "HEALTH", title="Ramses convoy")
    await event_at(tw, theirs, start, (0, 6), TAHRIR, "EDUCATION")
    await event_at(tw, theirs, start, (0, 6), HELIOPOLIS, "HEALTH")
    await event_at(tw, theirs, start, (7, 9), TAHRIR, "HEALTH")
    await event_at(tw, ours, start, (0, 6), TAHRIR, "HEALTH")
    mine = set(tw.ids)

    answer = await api.as_role(
        "COORDINATOR", CREATE_EVENT, {"input": event_input(start, *TAHRIR)}, association=ours
    )
    assert answer.errors == [], answer.errors
    tw.track(answer.data["createEvent"]["event"]["id"])
    warnings = [w for w in answer.data["createEvent"]["warnings"] if w["event"]["id"] in mine]
    assert [w["event"]["id"] for w in warnings] == [competing]
    assert warnings[0]["event"]["association"]["id"] == theirs
    assert (
        "Misr El Kheir Test" in warnings[0]["reason"] and "Ramses convoy" in warnings[0]["reason"]
    )

    # a different domain at the same place and time is no competition
    calm = await api.as_role(
        "COORDINATOR",
        CREATE_EVENT,
        {"input": event_input(start, *TAHRIR, domain="ENVIRONMENT")},
        association=ours,
    )
    tw.track(calm.data["createEvent"]["event"]["id"])
    assert [w for w in calm.data["createEvent"]["warnings"] if w["event"]["id"] in mine] == []


async def test_admin_sees_overlapping_events_of_different_associations(api: Api, tw: World):
    start = future_slot()
    first, second = await tw.association(), await tw.association()
    a = await event_at(tw, first, start, (0, 5), TAHRIR, "POVERTY")
    b = await event_at(tw, second, start, (1, 4), RAMSES, "POVERTY")
    variables = {
        "from": (start - timedelta(days=1)).isoformat(),
        "to": (start + timedelta(days=1)).isoformat(),
    }
    answer = await api.as_role("ADMIN", OVERLAPS, variables)
    assert answer.errors == []
    pairs = [
        o
        for o in answer.data["coordinationOverlaps"]
        if {o["first"]["id"], o["second"]["id"]} == {a, b}
    ]
    assert len(pairs) == 1 and 2.0 < pairs[0]["distanceKm"] < 2.6
    refused = await api.as_role("TRAINER", OVERLAPS, variables, association=first)
    assert refused.codes == ["FORBIDDEN"]
