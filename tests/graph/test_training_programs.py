"""Creating and reading training programs against the real test Neo4j."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from graph.training import ProgramInput, create_program, get_programs, list_programs
from graph.training_errors import TrainingRefused
from tests.graph.training_world import uid

NOW = datetime.now(UTC)


def good_input(association: str, skill: str) -> ProgramInput:
    return ProgramInput(
        title="إسعافات أولية للمتطوعين",
        skill=skill,
        grants_level=2,
        governorate="01",
        capacity=3,
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=3),
        valid_for_days=365,
        association_id=association,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "  "}, "title"),
        ({"grants_level": 0}, "grantsLevel"),
        ({"grants_level": 6}, "grantsLevel"),
        ({"capacity": 0}, "capacity"),
        ({"ends_at": NOW + timedelta(days=1)}, "endsAt"),
        ({"ends_at": NOW}, "endsAt"),
        ({"valid_for_days": 0}, "validForDays"),
        ({"skill": "no_such_skill_here"}, "skill"),
        ({"governorate": "99"}, "governorate"),
        ({"association_id": "t-no-such-association"}, "association"),
    ],
)
async def test_bad_program_input_is_refused_naming_the_field(driver, world, change, field):
    association = await world.association()
    skill = await world.skill()
    bad = replace(good_input(association, skill), **change)
    program_id = uid("prog")
    world.track(program_id)
    with pytest.raises(TrainingRefused) as refused:
        await create_program(driver, program_id, bad, NOW)
    assert refused.value.code == "BAD_USER_INPUT"
    assert refused.value.field == field
    assert await get_programs(driver, [program_id]) == {}


async def test_created_program_reads_back_with_empty_seats(driver, world):
    association = await world.association()
    skill = await world.skill()
    program_id = uid("prog")
    world.track(program_id)
    program = await create_program(driver, program_id, good_input(association, skill), NOW)
    assert program.id == program_id
    assert (program.skill, program.governorate, program.association_id) == (
        skill,
        "01",
        association,
    )
    assert (program.capacity, program.grants_level, program.valid_for_days) == (3, 2, 365)
    assert program.starts_at == NOW + timedelta(days=1)
    assert (program.enrolled_count, program.waitlist_count, program.completed_count) == (0, 0, 0)
    assert program.seats_left == 3
    assert program.completion_rate == 0.0
    # creating again with the same id is a no-op, not a second program
    again = await create_program(driver, program_id, good_input(association, skill), NOW)
    assert again.created_at == program.created_at


async def test_list_filters_by_skill_and_association(driver, world):
    association = await world.association()
    skill, other_skill = await world.skill(), await world.skill()
    first = await world.program(association, skill, starts_at=NOW, ends_at=NOW + timedelta(days=1))
    second = await world.program(
        association, skill, starts_at=NOW + timedelta(hours=1), ends_at=NOW + timedelta(days=1)
    )
    await world.program(association, other_skill, starts_at=NOW, ends_at=NOW + timedelta(days=1))
    page, total = await list_programs(driver, skill=skill)
    assert total == 2
    assert [p.id for p in page] == [first, second]
    page, total = await list_programs(driver, skill=skill, skip=1, limit=5)
    assert [p.id for p in page] == [second]
    _, total = await list_programs(driver, association_id=association)
    assert total == 3
    _, total = await list_programs(driver, association_id=association, governorate="02")
    assert total == 0
