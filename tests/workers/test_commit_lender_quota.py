"""The committing transaction re-checks each lender's quota under the lender's lock
(INSTANCE.md rule 7): two runs of different borrowers that each lend a different volunteer of
the same lender cannot both commit when the quota has room for one.

The race is made deterministic: the first commit is held open right after it read the
lender's current loans, while the second commit runs. Without the lender lock the second
reads the same loans (none), lends its volunteer and commits, then the first lends its own:
two loans against a quota of one.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

import pytest

from graph import matching_commit, runs, training_enrollment
from graph.matching_commit import REASON_QUOTA
from graph.matching_load import load_problem
from graph.training_enrollment import complete_training, enroll
from tests.graph.training_world import World, uid
from tests.workers.matching_world import MatchingWorld
from tests.workers.test_commit_weekly_hours import commit

LOANS_OF: LiteralString = """
MATCH (v:Volunteer)-[:ASSIGNED]->(x:Assignment)-[:LENT_BY]->(:Association {id: $lender})
WHERE x.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN']
RETURN v.id AS volunteer
"""


async def loan_run(
    world: MatchingWorld, borrower: str, shift: str, volunteer: str, lender: str
) -> tuple[str, Any, dict[str, Any]]:
    """A run of `borrower` for `shift`, loaded, with a result that borrows `volunteer`."""
    run = await runs.create_run(
        world.driver, association=borrower, shift_ids=[shift], urgent=False, allow_exchange=True
    )
    problem = await load_problem(
        world.driver, shift_ids=[shift], association=borrower, allow_exchange=True, urgent=False
    )
    assert problem.lender_quota.get(lender) == 1
    result = {
        "assignments": [{"shift": shift, "need": 0, "volunteer": volunteer, "lender": lender,
                         "cost": 1.0, "terms": {"exchange": 1.0}}],
        "unfilled": [],
    }
    return run["id"], problem, result


async def two_borrowers(world: MatchingWorld) -> tuple[str, list[tuple[str, str, str]]]:
    """A lender whose quota is 1 (two active members, maxShare 0.5), and two borrowers, each
    with a shift that one of the lender's members would fill."""
    medic = await world.skill("medic")
    lender = await world.association(lends=True, max_share=0.5)
    first = await world.volunteer(lender, [(medic, 3)])
    second = await world.volunteer(lender, [(medic, 3)])
    plans = []
    for i, person in enumerate((first, second)):
        borrower = await world.association()
        event = await world.event(borrower)
        shift = await world.shift(event, [(medic, 1, 1)], offset_hours=10 * i)
        plans.append((borrower, shift, person))
    return lender, plans


async def test_second_loan_past_the_quota_is_dropped(world: MatchingWorld) -> None:
    lender, plans = await two_borrowers(world)
    preps = [await loan_run(world, b, s, v, lender) for b, s, v in plans]
    s1 = await commit(world, plans[0][1], preps[0])
    s2 = await commit(world, plans[1][1], preps[1])
    assert (s1.slots_filled, s2.slots_filled) == (1, 0)
    run = await runs.get_run(world.driver, preps[1][0])
    assert run and [u["reason"] for u in json.loads(run["unfilled"])] == [REASON_QUOTA]
    assert len(await world.q(LOANS_OF, lender=lender)) == 1


async def test_racing_loans_of_one_lender_keep_its_quota(
    world: MatchingWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    lender, plans = await two_borrowers(world)
    preps = [await loan_run(world, b, s, v, lender) for b, s, v in plans]
    read_loans, release = asyncio.Event(), asyncio.Event()
    real_rows = matching_commit.tx_rows

    async def hold_first_after_reading_loans(
        tx: Any, query: LiteralString, params: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        rows = await real_rows(tx, query, params)
        if query is matching_commit.LENT_NOW and not read_loans.is_set():
            read_loans.set()
            await release.wait()
        return rows

    monkeypatch.setattr(matching_commit, "tx_rows", hold_first_after_reading_loans)
    first = asyncio.create_task(commit(world, plans[0][1], preps[0]))
    await asyncio.wait_for(read_loans.wait(), 30)
    second = asyncio.create_task(commit(world, plans[1][1], preps[1]))
    # with the lender locked, the second waits for the first; give it time to finish if not
    await asyncio.wait({second}, timeout=2.0)
    release.set()
    summaries = await asyncio.gather(first, second)
    assert sorted(s.slots_filled for s in summaries) == [0, 1]
    assert len(await world.q(LOANS_OF, lender=lender)) == 1


async def test_training_completion_racing_a_loan_of_its_trainee_both_commit_once(
    world: MatchingWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Completing a training holds the program's association and then writes the volunteer
    (a new HAS_SKILL, its supply cells); a matching commit lending that volunteer from that
    association holds the volunteer and then needs the association (its quota lock, the
    LENT_BY relationship). Held open after its association lock while the commit starts, the
    completion meets a deadlock that Neo4j detects; the driver retries the loser, and both
    end committed exactly once: one loan, the skill granted."""
    lender, plans = await two_borrowers(world)
    borrower, shift, trainee = plans[0]
    training = World(world.driver)
    try:
        skill = await training.skill()
        now = datetime.now(UTC)
        program = await training.program(
            lender, skill, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
            grants_level=3,
        )
        enrollment = await enroll(world.driver, uid("enr"), program, trainee, now)
        training.volunteers.append(trainee)  # its enrollment goes with the training world
        prep = await loan_run(world, borrower, shift, trainee, lender)

        holding, release = asyncio.Event(), asyncio.Event()
        real_single = training_enrollment._single

        async def hold_after_the_program_lock(
            tx: Any, query: LiteralString, **params: Any
        ) -> Any:
            record = await real_single(tx, query, **params)
            if query is training_enrollment.LOCK_PROGRAM_OF_ENROLLMENT and not holding.is_set():
                holding.set()
                await release.wait()
            return record

        monkeypatch.setattr(training_enrollment, "_single", hold_after_the_program_lock)
        completing = asyncio.create_task(
            complete_training(world.driver, enrollment.id, datetime.now(UTC))
        )
        await asyncio.wait_for(holding.wait(), 30)
        committing = asyncio.create_task(commit(world, shift, prep))
        await asyncio.wait({committing}, timeout=2.0)
        release.set()
        done, summary = await asyncio.gather(completing, committing)
        assert done.status == "COMPLETED"
        assert summary.slots_filled == 1
        assert await world.q(LOANS_OF, lender=lender) == [{"volunteer": trainee}]
        granted = await world.q(
            "MATCH (:Volunteer {id: $v})-[h:HAS_SKILL]->(:Skill {code: $s}) RETURN h.level AS l",
            v=trainee, s=skill,
        )
        assert granted == [{"l": 3}]
    finally:
        await training.cleanup()
