# ruff: noqa: F811  (pytest fixtures imported from tests.workers.worker_fixtures)
"""A completed training makes a volunteer matchable at once; an expired one no longer does —
through the real GraphQL service and a real arq worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from graph.reference_data import load_reference_data
from tests.api.conftest import Api
from tests.graph.training_world import World
from tests.workers.worker_fixtures import (  # noqa: F401 - fixtures
    arq_redis,
    neo4j_driver,
    run_workers,
    solver_pool,
    worker_ctx,
)

CAIRO = ZoneInfo("Africa/Cairo")
REQUEST = """
mutation($ids: [ID!]!) { requestVolunteers(shiftIds: $ids, allowExchange: false) { id } }
"""
RUN = """
query($id: ID!) { matchingRun(id: $id) {
  status slotsFilled assignments(first: 5) { edges { node { volunteer { id } } } }
  unfilled { reason } } }
"""
CREATE = """
mutation($input: TrainingProgramInput!) { createTrainingProgram(input: $input) { id } }
"""
ENROLL = "mutation($p: ID!, $v: ID!) { enroll(programId: $p, volunteerId: $v) { id status } }"
COMPLETE = "mutation($id: ID!) { completeTraining(enrollmentId: $id) { status } }"


@pytest.fixture
async def tw(neo4j_driver):
    await load_reference_data(neo4j_driver)
    w = World(neo4j_driver)
    yield w
    await w.cleanup()


def cairo_morning(days_ahead: int) -> datetime:
    """10:00 Cairo time `days_ahead` days from now, in UTC (inside everyone's 08-20 window)."""
    day = datetime.now(CAIRO).date() + timedelta(days=days_ahead)
    return datetime(day.year, day.month, day.day, 10, tzinfo=CAIRO).astimezone(UTC)


async def matched(api: Api, token: str, shift: str, run_workers) -> set[str]:
    answer = await api.call(REQUEST, {"ids": [shift]}, token=token)
    assert answer.errors == [], answer.errors
    run_id = answer.data["requestVolunteers"]["id"]
    await run_workers("default")
    run = (await api.call(RUN, {"id": run_id}, token=token)).data["matchingRun"]
    assert run["status"] == "SUCCEEDED", run
    return {e["node"]["volunteer"]["id"] for e in run["assignments"]["edges"]}


async def test_completion_makes_a_candidate_and_expiry_removes_it(
    api: Api, tw: World, arq_redis, run_workers
):
    home = await tw.association()
    skill = await tw.skill()
    volunteer = await tw.volunteer(home)
    soon, later = cairo_morning(5), cairo_morning(40)
    event = await tw.event(home, starts_at=soon, ends_at=later + timedelta(hours=4))
    soon_shift = await tw.shift(event, soon, [(skill, 1, 2)])
    late_shift = await tw.shift(event, later, [(skill, 1, 2)])
    coordinator = api.token("COORDINATOR", "coord", home)
    trainer = api.token("TRAINER", "trainer", home)

    assert await matched(api, coordinator, soon_shift, run_workers) == set()

    t = datetime.now(UTC)
    program_input = {
        "title": "Certified course",
        "skill": skill,
        "grantsLevel": 2,
        "governorate": "01",
        "capacity": 5,
        "startsAt": (t - timedelta(hours=1)).isoformat(),
        "endsAt": (t + timedelta(days=1)).isoformat(),
        "validForDays": 30,
    }
    program = (await api.call(CREATE, {"input": program_input}, token=trainer)).data
    tw.track(program["createTrainingProgram"]["id"])
    enrolled = await api.call(
        ENROLL, {"p": program["createTrainingProgram"]["id"], "v": volunteer}, token=trainer
    )
    done = await api.call(COMPLETE, {"id": enrolled.data["enroll"]["id"]}, token=trainer)
    assert done.data["completeTraining"]["status"] == "COMPLETED"

    # valid now: matched to the shift in 5 days
    assert await matched(api, coordinator, soon_shift, run_workers) == {volunteer}
    # the certificate (30 days) runs out before the shift in 40 days: not a candidate
    assert await matched(api, coordinator, late_shift, run_workers) == set()
