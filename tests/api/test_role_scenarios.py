"""One scenario per role, through the real app and a real GraphQL client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .conftest import Api
from .world import World

CREATE_EVENT = """
mutation($input: CreateEventInput!) {
  createEvent(input: $input) {
    event { id title domain association { id } governorate { code nameEn }
            shifts { id startsAt endsAt slotsTotal slotsFilled needs { skill { code } count minLevel gender filled } } }
    warnings { reason event { id } }
  }
}
"""

EVENT_FILL = """
query($id: ID!) { event(id: $id) { id shifts { id slotsTotal slotsFilled
  needs { count filled skill { code } }
  assignments { id status volunteer { id phone } explanation { name value } } } } }
"""


def _iso(dt: datetime) -> str:
    return dt.isoformat()


async def test_coordinator_creates_event_and_sees_fill_status(api: Api, world: World) -> None:
    assoc = await world.association()
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    answer = await api.as_role(
        "COORDINATOR",
        CREATE_EVENT,
        {
            "input": {
                "title": "Medical convoy",
                "domain": "HEALTH",
                "governorate": "01",
                "latitude": 30.05,
                "longitude": 31.24,
                "campaign": f"{world.tag} convoy",
                "shifts": [
                    {
                        "startsAt": _iso(starts),
                        "endsAt": _iso(starts + timedelta(hours=5)),
                        "needs": [
                            {"skill": "first_aid", "count": 2, "minLevel": 2},
                            {"skill": "first_aid", "count": 1, "gender": "FEMALE"},
                        ],
                    }
                ],
            }
        },
        association=assoc,
    )
    assert answer.errors == []
    event = answer.data["createEvent"]["event"]
    assert event["association"]["id"] == assoc
    assert event["domain"] == "HEALTH" and event["governorate"]["code"] == "01"
    shift = event["shifts"][0]
    assert shift["slotsTotal"] == 3 and shift["slotsFilled"] == 0
    assert [n["count"] for n in shift["needs"]] == [2, 1]
    assert shift["needs"][1]["gender"] == "FEMALE" and shift["needs"][0]["minLevel"] == 2
    # shown in Cairo time with an offset
    assert shift["startsAt"].endswith(("+02:00", "+03:00"))
    assert datetime.fromisoformat(shift["startsAt"]) == starts
    assert isinstance(answer.data["createEvent"]["warnings"], list)

    # a member is proposed and confirms: the coordinator sees the fill status
    member = await world.volunteer(assoc)
    await world.run("MATCH (e:Event {id: $e}) SET e.testMarker = true", e=event["id"])
    world.ids.append(event["id"])
    a1 = await world.assignment(member, shift["id"], "CONFIRMED")
    seen = await api.as_role("COORDINATOR", EVENT_FILL, {"id": event["id"]}, association=assoc)
    assert seen.errors == []
    got = seen.data["event"]["shifts"][0]
    assert (
        got["slotsFilled"] == 1
        and got["needs"][0]["filled"] == 1
        and got["needs"][1]["filled"] == 0
    )
    assert [a["id"] for a in got["assignments"]] == [a1]
    assert got["assignments"][0]["volunteer"]["phone"] == "01012345689"  # own member: full phone
    assert got["assignments"][0]["explanation"] == [
        {"name": "travel", "value": 1.0},
        {"name": "fairness", "value": 0.5},
    ]

    listed = await api.as_role(
        "COORDINATOR",
        "{ events(first: 10) { totalCount edges { node { id } } } }",
        association=assoc,
    )
    assert [e["node"]["id"] for e in listed.data["events"]["edges"]] == [event["id"]]
    assert listed.data["events"]["totalCount"] == 1


async def test_volunteer_sees_itself_and_answers(api: Api, world: World) -> None:
    assoc = await world.association()
    vid = await world.volunteer(assoc, phone="01198765432")
    _, shift1 = await world.event(assoc, starts_in=timedelta(days=2))
    _, shift2 = await world.event(assoc, starts_in=timedelta(days=2, hours=1))  # overlaps shift1
    a1 = await world.assignment(vid, shift1)
    a2 = await world.assignment(vid, shift2)
    me = await api.as_role(
        "VOLUNTEER",
        """{ me { id phone name skills { skill { code } level }
        assignments(status: [PROPOSED]) { totalCount edges { node { id status shift { id } } } } } }""",
        sub=vid,
    )
    assert me.errors == []
    assert me.data["me"]["id"] == vid and me.data["me"]["phone"] == "01198765432"
    assert {e["node"]["id"] for e in me.data["me"]["assignments"]["edges"]} == {a1, a2}

    respond = "mutation($id: ID!, $accept: Boolean!) { respondToAssignment(id: $id, accept: $accept) { id status updatedAt } }"
    # two overlapping proposals: accepting one while the other is still active is a double booking
    clash = await api.as_role("VOLUNTEER", respond, {"id": a1, "accept": True}, sub=vid)
    assert clash.codes == ["CONFLICT"] and clash.data is None
    declined = await api.as_role("VOLUNTEER", respond, {"id": a2, "accept": False}, sub=vid)
    assert declined.errors == [] and declined.data["respondToAssignment"]["status"] == "DECLINED"
    accepted = await api.as_role("VOLUNTEER", respond, {"id": a1, "accept": True}, sub=vid)
    assert accepted.errors == [] and accepted.data["respondToAssignment"]["status"] == "CONFIRMED"
    again = await api.as_role("VOLUNTEER", respond, {"id": a1, "accept": True}, sub=vid)
    assert again.codes == ["CONFLICT"]
    withdraw = await api.as_role("VOLUNTEER", respond, {"id": a1, "accept": False}, sub=vid)
    assert withdraw.codes == ["CONFLICT"]  # a confirmed assignment is cancelled by the coordinator
    stored = await world.node(a1)
    assert stored["status"] == "CONFIRMED" and stored["history"][-1].startswith("CONFIRMED|")
    # the volunteer sees the event of its assignment, not others
    ev = await api.as_role("VOLUNTEER", "{ events { totalCount } }", sub=vid)
    assert ev.data["events"]["totalCount"] == 2


async def test_admin_sees_everything(api: Api, world: World) -> None:
    a, b = await world.association(), await world.association()
    va, vb = await world.volunteer(a), await world.volunteer(b, phone="01234567890")
    eid, _ = await world.event(b)
    listed = await api.as_role(
        "ADMIN",
        """query($a: ID) { volunteers(filter: {association: $a}) {
        totalCount edges { node { id phone } } } }""",
        {"a": b},
    )
    assert listed.errors == []
    assert [e["node"] for e in listed.data["volunteers"]["edges"]] == [
        {"id": vb, "phone": "01234567890"}
    ]
    one = await api.as_role(
        "ADMIN",
        "query($id: ID!) { volunteer(id: $id) { id } event(id: $e) { id } }".replace(
            "$id: ID!", "$id: ID!, $e: ID!"
        ),
        {"id": va, "e": eid},
    )
    assert one.data == {"volunteer": {"id": va}, "event": {"id": eid}}
    assocs = await api.as_role("ADMIN", "{ associations { id volunteerCount } }")
    counts = {x["id"]: x["volunteerCount"] for x in assocs.data["associations"]}
    assert counts[a] == 1 and counts[b] == 1


async def test_trainer_sees_own_members_without_phone_and_no_events(api: Api, world: World) -> None:
    a, b = await world.association(), await world.association()
    va = await world.volunteer(a, phone="01012345678")
    vb = await world.volunteer(b)
    eid, _ = await world.event(a)
    mine = await api.as_role(
        "TRAINER", "query($id: ID!) { volunteer(id: $id) { id phone } }", {"id": va}, association=a
    )
    assert mine.data["volunteer"] == {"id": va, "phone": "010******78"}
    other = await api.as_role(
        "TRAINER", "query($id: ID!) { volunteer(id: $id) { id name } }", {"id": vb}, association=a
    )
    assert other.codes == ["FORBIDDEN"] and other.data == {"volunteer": None}
    event = await api.as_role(
        "TRAINER", "query($id: ID!) { event(id: $id) { id } }", {"id": eid}, association=a
    )
    assert event.codes == ["FORBIDDEN"]
    listed = await api.as_role(
        "TRAINER", "{ volunteers { totalCount edges { node { id } } } }", association=a
    )
    assert listed.data["volunteers"]["totalCount"] == 1


async def test_volunteer_assignments_filters_by_status_and_time(api: Api, world: World) -> None:
    a = await world.association()
    vid = await world.volunteer(a)
    _, near = await world.event(a, starts_in=timedelta(days=1))
    _, far = await world.event(a, starts_in=timedelta(days=10))
    a_near = await world.assignment(vid, near, "CONFIRMED")
    a_far = await world.assignment(vid, far, "PROPOSED")
    query = """query($s: [AssignmentStatus!], $from: DateTime, $to: DateTime) { me {
        assignments(status: $s, from: $from, to: $to) { totalCount edges { node { id } } } } }"""
    cutoff = (datetime.now(UTC) + timedelta(days=5)).isoformat()

    async def ids(**variables: object) -> list[str]:
        answer = await api.as_role("VOLUNTEER", query, variables, sub=vid)
        assert answer.errors == []
        return [e["node"]["id"] for e in answer.data["me"]["assignments"]["edges"]]

    assert await ids() == [a_near, a_far]
    assert await ids(s=["PROPOSED"]) == [a_far]
    assert await ids(to=cutoff) == [a_near]
    assert await ids(**{"from": cutoff}) == [a_far]
    # another association's coordinator sees none of them through the volunteer (refused outright)
    other = await world.association()
    refused = await api.as_role(
        "COORDINATOR",
        "query($id: ID!) { volunteer(id: $id) { id } }",
        {"id": vid},
        association=other,
    )
    assert refused.codes == ["FORBIDDEN"]
