"""Completion grants, raises, never lowers a skill; matching sees it at once and drops it on expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph.matching_load import load_problem
from graph.skill_gaps import qualified_volunteers
from graph.training import get_programs
from graph.training_enrollment import complete_training, drop_enrollment, enroll
from graph.training_errors import TrainingRefused
from tests.graph.training_world import World, uid


def now() -> datetime:
    return datetime.now(UTC)


async def holding(world: World, volunteer: str, skill: str) -> dict | None:
    records, _, _ = await world.driver.execute_query(
        "MATCH (:Volunteer {id: $v})-[h:HAS_SKILL]->(:Skill {code: $s}) "
        "RETURN h.level AS level, h.expiresAt AS expiresAt, h.certifiedBy AS certifiedBy",
        v=volunteer,
        s=skill,
    )
    if not records:
        return None
    row = records[0].data()
    if row["expiresAt"] is not None:
        row["expiresAt"] = row["expiresAt"].to_native()
    return row


async def completed_in(
    world: World,
    held: tuple[int, datetime | None] | None,
    *,
    grants: int,
    valid_for_days: int | None,
) -> tuple[str, str, str, dict | None]:
    """A volunteer (optionally already holding the skill) completes a program; the holding after."""
    association = await world.association()
    skill = await world.skill()
    skills = [] if held is None else [(skill, held[0], held[1])]
    volunteer = await world.volunteer(association, skills=skills)
    t = now()
    program = await world.program(
        association,
        skill,
        starts_at=t - timedelta(hours=2),
        ends_at=t + timedelta(days=1),
        grants_level=grants,
        valid_for_days=valid_for_days,
    )
    enrollment = await enroll(world.driver, uid("enr"), program, volunteer, now())
    done = await complete_training(world.driver, enrollment.id, now())
    assert done.status == "COMPLETED"
    return volunteer, skill, program, await holding(world, volunteer, skill)


async def test_completion_grants_a_new_skill_with_expiry_and_certifier(world):
    before = now()
    volunteer, skill, program, held = await completed_in(world, None, grants=2, valid_for_days=30)
    assert held["level"] == 2
    assert held["certifiedBy"] == program
    assert before + timedelta(days=30) <= held["expiresAt"] <= now() + timedelta(days=30)
    counts = (await get_programs(world.driver, [program]))[program]
    assert (counts.enrolled_count, counts.completed_count, counts.seats_left) == (0, 1, 1)
    assert counts.completion_rate == 1.0


async def test_completion_raises_a_lower_level_and_refreshes_its_expiry(world):
    soon = now() + timedelta(days=2)
    _, _, program, held = await completed_in(world, (1, soon), grants=3, valid_for_days=90)
    assert held["level"] == 3
    assert held["expiresAt"] > now() + timedelta(days=89)
    assert held["certifiedBy"] == program


async def test_completion_never_lowers_a_higher_valid_level(world):
    later = now() + timedelta(days=400)
    _, _, _, held = await completed_in(world, (4, later), grants=2, valid_for_days=30)
    assert held["level"] == 4
    assert abs((held["expiresAt"] - later).total_seconds()) < 1
    assert held["certifiedBy"] is None


async def test_an_expired_higher_level_is_replaced_by_the_new_certificate(world):
    expired = now() - timedelta(days=1)
    _, _, program, held = await completed_in(world, (4, expired), grants=2, valid_for_days=None)
    assert (held["level"], held["expiresAt"], held["certifiedBy"]) == (2, None, program)


async def test_same_level_keeps_the_later_expiry(world):
    _, _, _, held = await completed_in(world, (2, None), grants=2, valid_for_days=30)
    assert (held["level"], held["expiresAt"]) == (2, None)  # a lifelong certificate stays lifelong
    soon = now() + timedelta(days=3)
    _, _, _, held = await completed_in(world, (2, soon), grants=2, valid_for_days=30)
    assert held["expiresAt"] > now() + timedelta(days=29)


async def test_completion_needs_an_enrolled_started_enrollment(driver, world):
    association = await world.association()
    skill = await world.skill()
    t = now()
    running = await world.program(
        association,
        skill,
        starts_at=t - timedelta(hours=1),
        ends_at=t + timedelta(days=1),
        capacity=1,
    )
    future = await world.program(
        association, skill, starts_at=t + timedelta(days=1), ends_at=t + timedelta(days=2)
    )
    first, second = await world.volunteer(association), await world.volunteer(association)
    seated = await enroll(driver, uid("enr"), running, first, now())
    waiting = await enroll(driver, uid("enr"), running, second, now())
    early = await enroll(driver, uid("enr"), future, second, now())
    for enrollment_id in (waiting.id, early.id):
        with pytest.raises(TrainingRefused) as refused:
            await complete_training(driver, enrollment_id, now())
        assert refused.value.code == "CONFLICT"
    assert await holding(world, second, skill) is None
    await complete_training(driver, seated.id, now())
    again = await complete_training(driver, seated.id, now())  # completing twice changes nothing
    assert again.status == "COMPLETED"
    with pytest.raises(TrainingRefused) as refused:
        await drop_enrollment(driver, seated.id, now())
    assert refused.value.code == "CONFLICT"
    # the completed volunteer keeps the seat: nobody is promoted past capacity
    counts = (await get_programs(driver, [running]))[running]
    assert (counts.completed_count, counts.waitlist_count, counts.seats_left) == (1, 1, 0)


async def candidates(driver, shift: str, association: str) -> set[str]:
    problem = await load_problem(
        driver, shift_ids=[shift], association=association, allow_exchange=False, urgent=False
    )
    return {v["id"] for v in problem.instance["volunteers"]}


async def test_matching_sees_a_completed_training_and_drops_it_once_expired(driver, world):
    association = await world.association()
    skill = await world.skill()
    volunteer = await world.volunteer(association)
    t = now()
    event = await world.event(
        association, starts_at=t + timedelta(days=10), ends_at=t + timedelta(days=11)
    )
    shift_start = t + timedelta(days=10, hours=2)
    shift = await world.shift(event, shift_start, [(skill, 1, 2)])
    shift_end = shift_start + timedelta(hours=4)
    program = await world.program(
        association,
        skill,
        starts_at=t - timedelta(hours=1),
        ends_at=t + timedelta(days=1),
        grants_level=2,
        valid_for_days=30,
    )
    assert volunteer not in await candidates(driver, shift, association)
    assert await qualified_volunteers(driver, skill, 2, shift_end, [volunteer]) == set()

    enrollment = await enroll(driver, uid("enr"), program, volunteer, now())
    await complete_training(driver, enrollment.id, now())
    assert volunteer in await candidates(driver, shift, association)
    assert await qualified_volunteers(driver, skill, 2, shift_end, [volunteer]) == {volunteer}
    assert await qualified_volunteers(driver, skill, 3, shift_end, [volunteer]) == set()

    # the certificate runs out before the shift ends: no longer a candidate
    await world.run(
        "MATCH (:Volunteer {id: $v})-[h:HAS_SKILL]->(:Skill {code: $s}) SET h.expiresAt = $at",
        v=volunteer,
        s=skill,
        at=shift_end - timedelta(minutes=1),
    )
    assert volunteer not in await candidates(driver, shift, association)
    assert await qualified_volunteers(driver, skill, 2, shift_end, [volunteer]) == set()
