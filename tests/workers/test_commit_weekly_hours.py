"""The committing transaction re-checks the weekly hour budget (INSTANCE.md rule 4).

Two runs can each pass the solver's weekly-hours check on their own snapshot; the commit, under
the volunteer's lock, must count what the other committed meanwhile (and a shift crossing local
Monday 00:00 counts its real hours in each week).
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString
from zoneinfo import ZoneInfo

from graph import runs
from graph.matching_commit import REASON_BUSY, commit_result, week_hours
from graph.matching_load import load_problem
from tests.workers.matching_world import MatchingWorld, base_time

CAIRO = ZoneInfo("Africa/Cairo")

SET_MAX_HOURS: LiteralString = "MATCH (v:Volunteer {id: $id}) SET v.maxHoursWeek = $hours"

ACTIVE_OF: LiteralString = """
MATCH (:Volunteer {id: $id})-[:ASSIGNED]->(x:Assignment)
WHERE x.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN']
RETURN x.runId AS run ORDER BY run
"""


def cairo_offset(weekday: int, hour: int) -> float:
    """Hours from base_time() to `weekday` (1 = Monday) at `hour`:00 Cairo of the first ISO
    week starting at least 7 days ahead, so every test shift lies in one known week."""
    base = base_time()
    day = (base + timedelta(days=7)).astimezone(CAIRO).date()
    day += timedelta(days=(1 - day.isoweekday()) % 7 + weekday - 1)
    local = datetime(day.year, day.month, day.day, hour, tzinfo=CAIRO)
    return (local.astimezone(UTC) - base).total_seconds() / 3600.0


async def one_volunteer(world: MatchingWorld, max_hours: float) -> tuple[str, str, str, str]:
    medic = await world.skill("medic")
    home = await world.association()
    person = await world.volunteer(home, [(medic, 3)])
    await world.q(SET_MAX_HOURS, id=person, hours=max_hours)
    event = await world.event(home)
    return medic, home, person, event


async def prepared(
    world: MatchingWorld, home: str, shift: str, person: str
) -> tuple[str, Any, dict[str, Any]]:
    run = await runs.create_run(
        world.driver, association=home, shift_ids=[shift], urgent=False, allow_exchange=False
    )
    problem = await load_problem(
        world.driver, shift_ids=[shift], association=home, allow_exchange=False, urgent=False
    )
    result = {
        "assignments": [
            {
                "shift": shift,
                "need": 0,
                "volunteer": person,
                "lender": None,
                "cost": 1.0,
                "terms": {"distance": 1.0},
            }
        ],
        "unfilled": [],
    }
    return run["id"], problem, result


async def commit(world: MatchingWorld, shift: str, prep: tuple[str, Any, dict[str, Any]]) -> Any:
    run_id, problem, result = prep
    return await commit_result(
        world.driver, run_id=run_id, shift_ids=[shift], problem=problem, result=result
    )


async def two_runs_same_week(world: MatchingWorld, max_hours: float) -> tuple[Any, Any, str, str]:
    """Tuesday and Thursday 08:00-14:00 Cairo (6 h each, one ISO week), both loaded before
    either commits — each run's solver sees a free week."""
    medic, home, person, event = await one_volunteer(world, max_hours)
    tue = await world.shift(event, [(medic, 1, 1)], offset_hours=cairo_offset(2, 8), hours=6)
    thu = await world.shift(event, [(medic, 1, 1)], offset_hours=cairo_offset(4, 8), hours=6)
    first, second = (
        await prepared(world, home, tue, person),
        await prepared(world, home, thu, person),
    )
    s1 = await commit(world, tue, first)
    s2 = await commit(world, thu, second)
    return s1, s2, second[0], person


async def test_second_commit_past_the_weekly_budget_is_dropped(world: MatchingWorld) -> None:
    s1, s2, second_run, person = await two_runs_same_week(world, max_hours=10.0)
    assert (s1.slots_filled, s1.dropped) == (1, 0)
    assert (s2.slots_filled, s2.dropped) == (0, 1)
    run = await runs.get_run(world.driver, second_run)
    assert run and run["status"] == "SUCCEEDED" and run["slotsFilled"] == 0
    assert [u["reason"] for u in json.loads(run["unfilled"])] == [REASON_BUSY]
    assert len(await world.q(ACTIVE_OF, id=person)) == 1


async def test_commits_that_fill_the_budget_exactly_both_go_through(world: MatchingWorld) -> None:
    s1, s2, second_run, person = await two_runs_same_week(world, max_hours=12.0)
    assert (s1.slots_filled, s2.slots_filled) == (1, 1)
    assert s1.dropped == s2.dropped == 0
    assert len(await world.q(ACTIVE_OF, id=person)) == 2


async def test_racing_commits_keep_the_week_within_budget(world: MatchingWorld) -> None:
    """Both commits at once: whichever locks the volunteer first wins, the other is dropped."""
    medic, home, person, event = await one_volunteer(world, 10.0)
    tue = await world.shift(event, [(medic, 1, 1)], offset_hours=cairo_offset(2, 8), hours=6)
    thu = await world.shift(event, [(medic, 1, 1)], offset_hours=cairo_offset(4, 8), hours=6)
    a, b = await prepared(world, home, tue, person), await prepared(world, home, thu, person)
    summaries = await asyncio.gather(commit(world, tue, a), commit(world, thu, b))
    assert sorted(s.slots_filled for s in summaries) == [0, 1]
    assert sum(s.dropped for s in summaries) == 1
    assert len(await world.q(ACTIVE_OF, id=person)) == 1


async def test_a_shift_across_monday_midnight_counts_each_week_its_part(
    world: MatchingWorld,
) -> None:
    """Sunday 20:00 - Monday 04:00 Cairo puts 4 h in each week. With 8 h booked on the Tuesday
    after, a budget of 12 h fits (4 + 8) and 11 h does not; counting the whole 8 h shift in the
    later week would refuse both."""
    outcomes = {}
    for max_hours in (11.0, 12.0):
        medic, home, person, event = await one_volunteer(world, max_hours)
        sunday = cairo_offset(7, 20)
        tuesday = await world.shift(event, [(medic, 1, 1)], offset_hours=sunday + 36, hours=8)
        await world.assignment(person, tuesday, status="CONFIRMED")
        night = await world.shift(event, [(medic, 1, 1)], offset_hours=sunday, hours=8)
        summary = await commit(world, night, await prepared(world, home, night, person))
        outcomes[max_hours] = (summary.slots_filled, summary.dropped)
    assert outcomes == {11.0: (0, 1), 12.0: (1, 0)}


def test_week_hours_split_at_local_monday_midnight() -> None:
    start = datetime(2026, 11, 29, 20, tzinfo=CAIRO)  # Sunday
    split = week_hours(start, start + timedelta(hours=8), CAIRO)
    assert split == {(2026, 48): 4.0, (2026, 49): 4.0}
    # Egypt's clocks go back on the last Thursday of October 2026 at midnight: 25 real hours
    # in that local day, all of them in one ISO week
    day = datetime(2026, 10, 29, 0, tzinfo=CAIRO)
    assert week_hours(day, datetime(2026, 10, 30, 0, tzinfo=CAIRO), CAIRO) == {(2026, 44): 25.0}


async def test_a_completed_shift_still_takes_its_hours_and_time(world: MatchingWorld) -> None:
    """COMPLETED keeps the volunteer's time (weekly hours, overlap and rest) for the loader and
    the commit alike; a NO_SHOW frees it (nobody worked those hours)."""
    for status, fits in (("COMPLETED", False), ("NO_SHOW", True)):
        medic, home, person, event = await one_volunteer(world, 10.0)
        tue = await world.shift(event, [(medic, 1, 1)], offset_hours=cairo_offset(2, 8), hours=6)
        await world.assignment(person, tue, status=status)
        thu = await world.shift(event, [(medic, 1, 1)], offset_hours=cairo_offset(4, 8), hours=6)
        prep = await prepared(world, home, thu, person)
        booked = next(v for v in prep[1].instance["volunteers"] if v["id"] == person)["booked"]
        assert (len(booked) == 1) is (not fits), (status, booked)
        summary = await commit(world, thu, prep)
        assert (summary.slots_filled, summary.dropped) == ((1, 0) if fits else (0, 1)), status
    # overlap: a shift completed early (before its end) still overlaps the next one
    medic, home, person, event = await one_volunteer(world, 40.0)
    first = await world.shift(event, [(medic, 1, 1)], offset_hours=cairo_offset(2, 8), hours=6)
    await world.assignment(person, first, status="COMPLETED")
    later = await world.shift(event, [(medic, 1, 1)], offset_hours=cairo_offset(2, 12), hours=4)
    summary = await commit(world, later, await prepared(world, home, later, person))
    assert (summary.slots_filled, summary.dropped) == (0, 1)
