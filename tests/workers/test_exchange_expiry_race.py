"""Deciding an exchange races the expiry of the same proposal (issue #5), on the real test Neo4j.

Both take their locks in the global order of graph/assignments.py (the decision: volunteer,
shift, assignment, request; the expiry: assignment, request), so they queue on the assignment
instead of deadlocking, and every round ends in the state of one of the two serial orders:

- decision first, approve: request APPROVED; the approval restarts the volunteer's answer
  window (graph/proposals.py reads proposedAt), so the expiry then finds nothing to expire;
- decision first, decline: request and assignment DECLINED; the expiry finds nothing to expire;
- expiry first: assignment and request EXPIRED; the decision is refused (`exchange_decided`).

A volunteer accepting races the expiry the same way: CONFIRMED and nothing expired, or EXPIRED
and the acceptance refused, never an expired proposal overwritten by CONFIRMED.

The last test shows what the interactive 3 s retry budget does with a real deadlock.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

import pytest

from graph.assignments import Changed, TransitionRefused, respond
from graph.cypher_runner import INTERACTIVE_RETRY_SECONDS, interactive_session
from graph.exchange import Decision, decide_exchange
from graph.proposals import expire_proposals
from tests.workers.matching_world import MatchingWorld

ROUNDS = 30

CREATE_REQUEST: LiteralString = """
MATCH (x:Assignment {id: $assignment}), (b:Association {id: $borrower}),
      (l:Association {id: $lender})
CREATE (q:ExchangeRequest {id: $id, status: 'PENDING', createdAt: $createdAt, decidedAt: null})
CREATE (q)-[:BORROWER]->(b), (q)-[:LENDER]->(l), (q)-[:FOR]->(x)
"""

ASSIGNMENT_STATUS: LiteralString = """
MATCH (x:Assignment {id: $id}) RETURN x.status AS status
"""

STATES: LiteralString = """
UNWIND $ids AS id
MATCH (q:ExchangeRequest {id: id})-[:FOR]->(x:Assignment)
RETURN q.id AS request, q.status AS request_status, x.id AS assignment,
       x.status AS assignment_status
"""

LOCK_ONE: LiteralString = """
MATCH (a:Association {id: $id})
SET a.lockVersion = coalesce(a.lockVersion, 0) + 1
RETURN a.id AS id
"""


async def _race_world(world: MatchingWorld, rounds: int) -> list[tuple[str, str, str]]:
    """One (shift, assignment, pending request) per round: an old PROPOSED borrowed volunteer."""
    skill = await world.skill("medic")
    lender = await world.association(lends=True, max_share=1.0)
    borrower = await world.association()
    volunteer = await world.volunteer(lender, [(skill, 3)])
    event = await world.event(borrower)
    old = datetime.now(UTC) - timedelta(days=3)
    made = []
    for i in range(rounds):
        shift = await world.shift(event, [(skill, 1, 1)], offset_hours=5.0 * i)
        assignment = await world.assignment(
            volunteer, shift, status="PROPOSED", lender=lender, created_at=old
        )
        request = f"{world.tag}-xreq{i:03d}"
        await world.q(
            CREATE_REQUEST,
            id=request,
            assignment=assignment,
            borrower=borrower,
            lender=lender,
            createdAt=old,
        )
        made.append((shift, assignment, request))
    return made


async def _after(delay: float, work: Awaitable[Any]) -> Any:
    await asyncio.sleep(delay)
    return await work


def _check_round(
    approve: bool, decided: Any, expired: Any, assignment: str, state: dict[str, Any]
) -> str:
    """The name of the serial order this round's outcome matches; fails on anything else."""
    assert not isinstance(expired, BaseException), f"expiry raised {expired!r}"
    expired_ids = [row["assignment"] for row in expired]
    if isinstance(decided, Decision):
        if approve:
            assert decided.status == "APPROVED"
            assert state["request_status"] == "APPROVED", state
            assert state["assignment_status"] == "PROPOSED", state
            assert expired_ids == []
        else:
            assert decided.status == "DECLINED"
            assert state["request_status"] == "DECLINED", state
            assert state["assignment_status"] == "DECLINED", state
            assert expired_ids == []
        return "decision first"
    assert isinstance(decided, TransitionRefused), f"decision raised {decided!r}"
    assert decided.key == "exchange_decided"
    assert state["request_status"] == "EXPIRED", state
    assert state["assignment_status"] == "EXPIRED", state
    assert expired_ids == [assignment]
    return "expiry first"


async def test_decide_exchange_races_proposal_expiry(
    neo4j_driver: Any, world: MatchingWorld, caplog: pytest.LogCaptureFixture
) -> None:
    made = await _race_world(world, ROUNDS)
    outcomes: dict[str, int] = {}
    caplog.set_level(logging.WARNING, logger="neo4j")
    for i, (shift, assignment, request) in enumerate(made):
        approve = i % 2 == 0
        now = datetime.now(UTC)
        # The expiry's first statement is the slower one; in half of the rounds the decision
        # starts up to 40 ms later so both orders (and the overlaps between) occur.
        delay = 0.0 if i % 4 < 2 else 0.01 * (i % 5)
        decided, expired = await asyncio.gather(
            _after(delay, decide_exchange(neo4j_driver, request, approve, "test:lender")),
            expire_proposals(neo4j_driver, cutoff=now, now=now, shift_ids=[shift]),
            return_exceptions=True,
        )
        [state] = await world.q(STATES, ids=[request])
        name = _check_round(approve, decided, expired, assignment, state)
        key = f"{name} ({'approve' if approve else 'decline'})"
        outcomes[key] = outcomes.get(key, 0) + 1
    assert sum(outcomes.values()) == ROUNDS
    # Locks in one order never form a cycle: no round needed a deadlock retry.
    deadlocks = [r.getMessage() for r in caplog.records if "Deadlock" in r.getMessage()]
    assert deadlocks == [], deadlocks
    print(f"outcomes over {ROUNDS} rounds: {outcomes}")


async def test_accepting_races_proposal_expiry(neo4j_driver: Any, world: MatchingWorld) -> None:
    skill = await world.skill("guide")
    own = await world.association()
    volunteer = await world.volunteer(own, [(skill, 3)])
    event = await world.event(own)
    old = datetime.now(UTC) - timedelta(days=3)
    outcomes = {"accepted first": 0, "expiry first": 0}
    for i in range(ROUNDS // 2):
        shift = await world.shift(event, [(skill, 1, 1)], offset_hours=5.0 * i)
        assignment = await world.assignment(volunteer, shift, status="PROPOSED", created_at=old)
        now = datetime.now(UTC)
        delay = 0.0 if i % 2 == 0 else 0.01 * (i % 5)
        accepted, expired = await asyncio.gather(
            _after(delay, respond(neo4j_driver, assignment, True, "test:volunteer")),
            expire_proposals(neo4j_driver, cutoff=now, now=now, shift_ids=[shift]),
            return_exceptions=True,
        )
        assert not isinstance(expired, BaseException), f"expiry raised {expired!r}"
        [row] = await world.q(ASSIGNMENT_STATUS, id=assignment)
        if isinstance(accepted, Changed):
            assert row["status"] == "CONFIRMED"
            assert expired == []
            outcomes["accepted first"] += 1
        else:
            assert isinstance(accepted, TransitionRefused), f"respond raised {accepted!r}"
            assert accepted.key == "bad_transition"
            assert row["status"] == "EXPIRED"
            assert [r["assignment"] for r in expired] == [assignment]
            outcomes["expiry first"] += 1
    print(f"outcomes over {ROUNDS // 2} rounds: {outcomes}")


async def test_interactive_session_retries_a_real_deadlock(
    neo4j_driver: Any, world: MatchingWorld
) -> None:
    """Two transactions lock A then B and B then A: Neo4j kills one (DeadlockDetected, a
    TransientError), execute_write retries it after ~1 s, well inside the 3 s budget, and
    both commit; nothing reaches the caller."""
    first = await world.association()
    second = await world.association()
    holding = {first: asyncio.Event(), second: asyncio.Event()}
    attempts = {first: 0, second: 0}

    async def lock_both(tx: Any, mine: str, other: str) -> str:
        attempts[mine] += 1
        await (await tx.run(LOCK_ONE, {"id": mine})).consume()
        if attempts[mine] == 1:  # only the first attempt waits to make the cycle
            holding[mine].set()
            await asyncio.wait_for(holding[other].wait(), timeout=5.0)
        await (await tx.run(LOCK_ONE, {"id": other})).consume()
        return mine

    async def run(mine: str, other: str) -> str:
        async with interactive_session(neo4j_driver) as session:
            result: str = await session.execute_write(lock_both, mine, other)
            return result

    started = time.monotonic()
    done = await asyncio.gather(run(first, second), run(second, first))
    elapsed = time.monotonic() - started
    assert sorted(done) == sorted([first, second])
    assert sorted(attempts.values()) == [1, 2], attempts  # exactly one was retried
    assert elapsed < INTERACTIVE_RETRY_SECONDS, elapsed
