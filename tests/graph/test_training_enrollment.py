"""Enrollment rules against the real test Neo4j: seats, waitlist, promotion, errors, races."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from graph.training import get_programs
from graph.training_enrollment import (
    drop_enrollment,
    enroll,
    enrollments_of_program,
    programs_to_promote,
    promote_waitlist,
    record_attendance,
)
from graph.training_errors import TrainingRefused
from tests.graph.training_world import World, uid


def now() -> datetime:
    return datetime.now(UTC)


async def open_program(world: World, capacity: int, **kwargs) -> tuple[str, str]:
    association = await world.association()
    skill = await world.skill()
    t = now()
    program = await world.program(
        association,
        skill,
        starts_at=t - timedelta(hours=1),
        ends_at=t + timedelta(days=2),
        capacity=capacity,
        **kwargs,
    )
    return association, program


async def test_seats_then_waitlist_then_drop_promotes_first_in_line(driver, world):
    association, program = await open_program(world, capacity=2)
    vols = [await world.volunteer(association) for _ in range(4)]
    got = [await enroll(driver, uid("enr"), program, v, now()) for v in vols]
    assert [e.status for e in got] == ["ENROLLED", "ENROLLED", "WAITLISTED", "WAITLISTED"]
    assert [e.seq for e in got] == [1, 2, 3, 4]
    counts = (await get_programs(driver, [program]))[program]
    assert (counts.enrolled_count, counts.waitlist_count, counts.seats_left) == (2, 2, 0)

    # dropping a waitlisted one frees no seat and promotes nobody
    dropped = await drop_enrollment(driver, got[3].id, now())
    assert dropped.status == "DROPPED"
    # dropping an enrolled one hands the seat to the first in line, in the same transaction
    dropped = await drop_enrollment(driver, got[0].id, now())
    assert dropped.status == "DROPPED"
    by_id = {e.id: e for e in await enrollments_of_program(driver, program)}
    assert by_id[got[2].id].status == "ENROLLED"
    assert by_id[got[1].id].status == "ENROLLED"
    assert by_id[got[3].id].status == "DROPPED"
    counts = (await get_programs(driver, [program]))[program]
    assert (counts.enrolled_count, counts.waitlist_count, counts.seats_left) == (2, 0, 0)


async def test_new_enrollment_does_not_jump_a_waiting_queue(driver, world):
    association, program = await open_program(world, capacity=1)
    first, second, third = [await world.volunteer(association) for _ in range(3)]
    await enroll(driver, uid("enr"), program, first, now())
    waiting = await enroll(driver, uid("enr"), program, second, now())
    assert waiting.status == "WAITLISTED"
    # a seat appears outside the enrollment path (capacity raised): the sweep's job
    await world.run("MATCH (p:TrainingProgram {id: $id}) SET p.capacity = 2", id=program)
    assert program in await programs_to_promote(driver, now())
    late = await enroll(driver, uid("enr"), program, third, now())
    # the newcomer is promoted only after the one already waiting
    by_id = {e.id: e for e in await enrollments_of_program(driver, program)}
    assert by_id[waiting.id].status == "ENROLLED"
    assert by_id[late.id].status == "WAITLISTED"
    assert program not in await programs_to_promote(driver, now())


async def test_sweep_promotes_in_seq_order_while_seats_are_free(driver, world):
    association, program = await open_program(world, capacity=1)
    vols = [await world.volunteer(association) for _ in range(4)]
    got = [await enroll(driver, uid("enr"), program, v, now()) for v in vols]
    await world.run("MATCH (p:TrainingProgram {id: $id}) SET p.capacity = 3", id=program)
    promoted = await promote_waitlist(driver, program, now())
    assert promoted == [got[1].id, got[2].id]
    assert await promote_waitlist(driver, program, now()) == []  # idempotent


async def test_enrolling_twice_is_a_conflict_but_after_dropping_is_allowed(driver, world):
    association, program = await open_program(world, capacity=1)
    volunteer = await world.volunteer(association)
    first = await enroll(driver, uid("enr"), program, volunteer, now())
    with pytest.raises(TrainingRefused) as refused:
        await enroll(driver, uid("enr"), program, volunteer, now())
    assert refused.value.code == "CONFLICT"
    await drop_enrollment(driver, first.id, now())
    again = await enroll(driver, uid("enr"), program, volunteer, now())
    assert again.status == "ENROLLED"


async def test_finished_unknown_and_inactive_are_refused_clearly(driver, world):
    association = await world.association()
    skill = await world.skill()
    t = now()
    finished = await world.program(
        association, skill, starts_at=t - timedelta(days=3), ends_at=t - timedelta(minutes=1)
    )
    volunteer = await world.volunteer(association)
    sleeping = await world.volunteer(association, active=False)
    _, program = await open_program(world, capacity=1)
    cases = [
        (finished, volunteer, "BAD_USER_INPUT", "programId"),
        (program, "t-no-such-volunteer", "NOT_FOUND", "volunteerId"),
        ("t-no-such-program", volunteer, "NOT_FOUND", "programId"),
        (program, sleeping, "BAD_USER_INPUT", "volunteerId"),
    ]
    for program_id, volunteer_id, code, field in cases:
        with pytest.raises(TrainingRefused) as refused:
            await enroll(driver, uid("enr"), program_id, volunteer_id, now())
        assert (refused.value.code, refused.value.field) == (code, field)
    assert await enrollments_of_program(driver, program) == []


@pytest.mark.parametrize("round_", range(3))
async def test_concurrent_enrollments_for_the_last_seat_give_it_to_exactly_one(
    driver, world, round_
):
    association, program = await open_program(world, capacity=2)
    seated = await world.volunteer(association)
    await enroll(driver, uid("enr"), program, seated, now())
    racers = [await world.volunteer(association) for _ in range(6)]
    results = await asyncio.gather(*(enroll(driver, uid("enr"), program, v, now()) for v in racers))
    statuses = sorted(e.status for e in results)
    assert statuses.count("ENROLLED") == 1
    assert statuses.count("WAITLISTED") == 5
    assert len({e.seq for e in results}) == 6
    counts = (await get_programs(driver, [program]))[program]
    assert (counts.enrolled_count, counts.waitlist_count) == (2, 5)


async def test_attendance_is_cumulative_positive_and_only_for_enrolled(driver, world):
    association, program = await open_program(world, capacity=1)
    first, second = await world.volunteer(association), await world.volunteer(association)
    seated = await enroll(driver, uid("enr"), program, first, now())
    waiting = await enroll(driver, uid("enr"), program, second, now())
    assert (await record_attendance(driver, seated.id, 2.5, now())).attended_hours == 2.5
    assert (await record_attendance(driver, seated.id, 3, now())).attended_hours == 5.5
    for hours in (0, -1, float("nan")):
        with pytest.raises(TrainingRefused) as refused:
            await record_attendance(driver, seated.id, hours, now())
        assert (refused.value.code, refused.value.field) == ("BAD_USER_INPUT", "hours")
    with pytest.raises(TrainingRefused) as refused:  # more than the program lasts (49 h)
        await record_attendance(driver, seated.id, 48, now())
    assert (refused.value.code, refused.value.field) == ("BAD_USER_INPUT", "hours")
    with pytest.raises(TrainingRefused) as refused:
        await record_attendance(driver, waiting.id, 1, now())
    assert refused.value.code == "CONFLICT"
    with pytest.raises(TrainingRefused) as refused:
        await record_attendance(driver, "t-no-such-enrollment", 1, now())
    assert refused.value.code == "NOT_FOUND"


async def test_the_sweep_job_promotes_what_enrollment_left_behind(driver, world):
    from workers.training_jobs import promote_waitlists, waitlist_sweep_job_id

    association, program = await open_program(world, capacity=1)
    vols = [await world.volunteer(association) for _ in range(3)]
    got = [await enroll(driver, uid("enr"), program, v, now()) for v in vols]
    await world.run("MATCH (p:TrainingProgram {id: $id}) SET p.capacity = 2", id=program)
    report = await promote_waitlists({"neo4j": driver})
    assert report["promoted"][program] == [got[1].id]
    again = await promote_waitlists({"neo4j": driver}, program_ids=[program])
    assert again["promoted"] == {}
    by_id = {e.id: e.status for e in await enrollments_of_program(driver, program)}
    assert [by_id[e.id] for e in got] == ["ENROLLED", "ENROLLED", "WAITLISTED"]
    assert waitlist_sweep_job_id(program) != waitlist_sweep_job_id()
