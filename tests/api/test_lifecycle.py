"""Assignment lifecycle and exchange decisions through GraphQL, checked against the graph."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .conftest import Api
from .world import World

CHECK_IN = "mutation($id: ID!) { checkIn(assignmentId: $id) { id status updatedAt } }"
COMPLETE = """mutation($id: ID!, $hours: Float, $noShow: Boolean) {
  completeAssignment(assignmentId: $id, hours: $hours, noShow: $noShow) { id status hours } }"""
CANCEL = 'mutation($id: ID!) { cancelAssignment(id: $id, reason: "rain") { id status } }'
DECIDE = """mutation($id: ID!, $approve: Boolean!) { decideExchange(id: $id, approve: $approve) {
  id status borrower { id } lender { id } assignment { id status volunteer { id phone } } } }"""


async def test_check_in_opens_before_start_and_completion_credits_hours(
    api: Api, world: World
) -> None:
    a = await world.association()
    v = await world.volunteer(a)
    _, soon = await world.event(a, starts_in=timedelta(minutes=30), hours=3)
    _, begun = await world.event(a, starts_in=-timedelta(minutes=30), hours=3)
    _, later = await world.event(a, starts_in=timedelta(days=1))
    early = await world.assignment(v, later, "CONFIRMED")
    too_early = await api.as_role("COORDINATOR", CHECK_IN, {"id": early}, association=a)
    assert too_early.codes == ["CONFLICT"] and "60 minutes" in too_early.errors[0]["message"]

    asg = await world.assignment(v, soon, "PROPOSED")
    not_confirmed = await api.as_role("COORDINATOR", CHECK_IN, {"id": asg}, association=a)
    assert not_confirmed.codes == ["CONFLICT"]
    await world.run("MATCH (x:Assignment {id: $id}) SET x.status = 'CONFIRMED'", id=asg)
    checked = await api.as_role("COORDINATOR", CHECK_IN, {"id": asg}, association=a)
    assert checked.errors == [] and checked.data["checkIn"]["status"] == "CHECKED_IN"
    # checked in early, but the shift has not begun: neither completed nor a no-show yet
    for variables in ({"id": asg}, {"id": asg, "noShow": True}):
        ahead = await api.as_role("COORDINATOR", COMPLETE, variables, association=a)
        assert ahead.codes == ["CONFLICT"] and "not started" in ahead.errors[0]["message"]
    assert (await world.node(asg))["status"] == "CHECKED_IN"

    asg = await world.assignment(v, begun, "CONFIRMED")
    checked = await api.as_role("COORDINATOR", CHECK_IN, {"id": asg}, association=a)
    assert checked.errors == [] and checked.data["checkIn"]["status"] == "CHECKED_IN"

    bad = await api.as_role("COORDINATOR", COMPLETE, {"id": asg, "hours": 25.0}, association=a)
    assert bad.codes == ["BAD_USER_INPUT"] and bad.fields == ["hours"]
    zero = await api.as_role("COORDINATOR", COMPLETE, {"id": asg, "hours": 0.0}, association=a)
    assert zero.fields == ["hours"]
    done = await api.as_role("COORDINATOR", COMPLETE, {"id": asg}, association=a)
    assert done.errors == [] and done.data["completeAssignment"] == {
        "id": asg,
        "status": "COMPLETED",
        "hours": 3.0,
    }
    volunteer = await world.node(v)
    assert volunteer["hoursThisMonth"] == pytest.approx(3.0)
    # a completion raises reliability by the same rule the nightly recompute applies
    assert volunteer["reliability"] == pytest.approx(round((1 + 0.9 * 5) / (1 + 5), 4))
    stored = await world.node(asg)
    assert [h.split("|")[0] for h in stored["history"]][-2:] == ["CHECKED_IN", "COMPLETED"]
    twice = await api.as_role("COORDINATOR", COMPLETE, {"id": asg}, association=a)
    assert twice.codes == ["CONFLICT"]
    assert (await world.node(v))["hoursThisMonth"] == pytest.approx(3.0)


async def test_no_show_lowers_reliability_and_cancel_frees_the_slot(api: Api, world: World) -> None:
    a = await world.association()
    v = await world.volunteer(a)
    _, shift = await world.event(a, starts_in=-timedelta(minutes=10))
    asg = await world.assignment(v, shift, "CONFIRMED")
    answer = await api.as_role("COORDINATOR", COMPLETE, {"id": asg, "noShow": True}, association=a)
    assert answer.data["completeAssignment"]["status"] == "NO_SHOW"
    # the nightly recompute's rule (graph/recompute.reliability): (0 + 0.9 * 5) / (0 + 1 + 5)
    assert (await world.node(v))["reliability"] == pytest.approx(0.75)

    other = await world.volunteer(a)
    asg2 = await world.assignment(other, shift, "CONFIRMED")
    fill = "query($id: ID!) { shift(id: $id) { slotsFilled } }"
    assert (await api.as_role("COORDINATOR", fill, {"id": shift}, association=a)).data["shift"][
        "slotsFilled"
    ] == 1
    cancelled = await api.as_role("COORDINATOR", CANCEL, {"id": asg2}, association=a)
    assert cancelled.data["cancelAssignment"]["status"] == "CANCELLED"
    assert (await api.as_role("COORDINATOR", fill, {"id": shift}, association=a)).data["shift"][
        "slotsFilled"
    ] == 0
    again = await api.as_role("COORDINATOR", CANCEL, {"id": asg2}, association=a)
    assert again.codes == ["CONFLICT"]
    # the freed slot went back to matching: a refill run for that shift exists
    runs = await world.run(
        "MATCH (r:MatchingRun {association: $a}) RETURN r.shiftIds AS shifts", a=a
    )
    assert any(shift in r["shifts"] for r in runs)


async def test_exchange_approve_then_volunteer_accepts_and_ledger_moves(
    api: Api, world: World
) -> None:
    borrower, lender = await world.association(), await world.association(lends=True)
    v = await world.volunteer(lender, phone="01099998877")
    _, shift = await world.event(borrower, starts_in=-timedelta(minutes=20), hours=2)
    asg = await world.assignment(v, shift, "PROPOSED", lender=lender)
    x = await world.exchange(borrower, lender, asg)

    # the borrower sees the loaned volunteer without phone; the request is incoming for the lender
    seen = await api.as_role(
        "COORDINATOR",
        "query($id: ID!) { volunteer(id: $id) { id phone } }",
        {"id": v},
        association=borrower,
    )
    assert seen.data["volunteer"] == {"id": v, "phone": "010******77"}
    incoming = await api.as_role(
        "COORDINATOR",
        "{ exchangeRequests(direction: INCOMING, status: [PENDING]) { id } }",
        association=lender,
    )
    assert [r["id"] for r in incoming.data["exchangeRequests"]] == [x]
    outgoing = await api.as_role(
        "COORDINATOR", "{ exchangeRequests(direction: OUTGOING) { id } }", association=borrower
    )
    assert [r["id"] for r in outgoing.data["exchangeRequests"]] == [x]

    # the volunteer cannot accept before the lender approves
    respond = "mutation($id: ID!) { respondToAssignment(id: $id, accept: true) { status } }"
    early = await api.as_role("VOLUNTEER", respond, {"id": asg}, sub=v)
    assert early.codes == ["CONFLICT"]
    wrong_side = await api.as_role(
        "COORDINATOR", DECIDE, {"id": x, "approve": True}, association=borrower
    )
    assert wrong_side.codes == ["FORBIDDEN"]
    approved = await api.as_role(
        "COORDINATOR", DECIDE, {"id": x, "approve": True}, association=lender
    )
    assert approved.errors == []
    assert approved.data["decideExchange"]["status"] == "APPROVED"
    assert approved.data["decideExchange"]["assignment"]["status"] == "PROPOSED"
    assert approved.data["decideExchange"]["assignment"]["volunteer"]["phone"] == "01099998877"
    twice = await api.as_role(
        "COORDINATOR", DECIDE, {"id": x, "approve": False}, association=lender
    )
    assert twice.codes == ["CONFLICT"]
    accepted = await api.as_role("VOLUNTEER", respond, {"id": asg}, sub=v)
    assert accepted.data["respondToAssignment"]["status"] == "CONFIRMED"

    await api.as_role("COORDINATOR", CHECK_IN, {"id": asg}, association=borrower)
    done = await api.as_role(
        "COORDINATOR", COMPLETE, {"id": asg, "hours": 1.5}, association=borrower
    )
    assert done.data["completeAssignment"]["status"] == "COMPLETED"
    ledger = await api.as_role(
        "ADMIN",
        "query($a: ID!, $b: ID!) { l: association(id: $a) { lentHours borrowedHours } "
        "b: association(id: $b) { lentHours borrowedHours } }",
        {"a": lender, "b": borrower},
    )
    assert ledger.data["l"] == {"lentHours": 1.5, "borrowedHours": 0.0}
    assert ledger.data["b"] == {"lentHours": 0.0, "borrowedHours": 1.5}


async def test_exchange_decline_declines_the_assignment(api: Api, world: World) -> None:
    borrower, lender = await world.association(), await world.association(lends=True)
    v = await world.volunteer(lender)
    _, shift = await world.event(borrower)
    asg = await world.assignment(v, shift, "PROPOSED", lender=lender)
    x = await world.exchange(borrower, lender, asg)
    declined = await api.as_role(
        "COORDINATOR", DECIDE, {"id": x, "approve": False}, association=lender
    )
    assert declined.errors == []
    assert declined.data["decideExchange"]["status"] == "DECLINED"
    assert declined.data["decideExchange"]["assignment"]["status"] == "DECLINED"
    stored = await world.node(asg)
    assert stored["history"][-1].startswith("DECLINED|")


async def test_a_loan_ends_with_its_assignment_and_approval_restarts_the_answer_window(
    api: Api, world: World
) -> None:
    """A volunteer's decline or the coordinator's cancel closes the loan's pending request (the
    lender has nothing left to decide); an approval gives the volunteer the whole TTL again."""
    from datetime import UTC, datetime

    from graph.proposals import expire_proposals

    respond = "mutation($id: ID!) { respondToAssignment(id: $id, accept: false) { status } }"
    borrower, lender = await world.association(), await world.association(lends=True)
    _, shift = await world.event(borrower)
    closed = []
    for how in ("decline", "cancel"):
        v = await world.volunteer(lender)
        asg = await world.assignment(v, shift, "PROPOSED", lender=lender)
        x = await world.exchange(borrower, lender, asg)
        if how == "decline":
            done = await api.as_role("VOLUNTEER", respond, {"id": asg}, sub=v)
        else:
            done = await api.as_role("COORDINATOR", CANCEL, {"id": asg}, association=borrower)
        assert done.errors == [], done.errors
        assert (await world.node(x))["status"] == "EXPIRED", how
        late = await api.as_role(
            "COORDINATOR", DECIDE, {"id": x, "approve": True}, association=lender
        )
        assert late.codes == ["CONFLICT"], how
        closed.append(x)
    # approval after most of the TTL: the proposal does not expire at the old deadline
    v = await world.volunteer(lender)
    asg = await world.assignment(v, shift, "PROPOSED", lender=lender)
    await world.run(
        "MATCH (a:Assignment {id: $id}) SET a.createdAt = datetime() - duration('PT50M')", id=asg
    )
    x = await world.exchange(borrower, lender, asg)
    ok = await api.as_role("COORDINATOR", DECIDE, {"id": x, "approve": True}, association=lender)
    assert ok.errors == [] and ok.data["decideExchange"]["status"] == "APPROVED"
    now = datetime.now(UTC)
    expired = await expire_proposals(
        world.driver, cutoff=now - timedelta(minutes=30), now=now, shift_ids=[shift]
    )
    assert asg not in {r["assignment"] for r in expired}
    assert (await world.node(asg))["status"] == "PROPOSED"
