"""Skill gaps on a hand-built world in the real test Neo4j (test-only skills keep it isolated)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from graph.skill_gaps import SkillGapRow, skill_gaps

CAIRO = ZoneInfo("Africa/Cairo")


def next_monday_cairo(weeks_ahead: int) -> datetime:
    today = datetime.now(CAIRO).replace(hour=0, minute=0, second=0, microsecond=0)
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    # handed to the driver in UTC: zoneinfo datetimes crash the driver's DST arithmetic
    return (monday + timedelta(weeks=weeks_ahead)).replace(tzinfo=CAIRO).astimezone(UTC)


async def test_demand_supply_and_gap_on_a_hand_built_world(driver, world):
    start = next_monday_cairo(6)
    end = start + timedelta(days=3)  # Mon, Tue, Wed
    assoc = await world.association()
    basic = await world.skill()
    senior = await world.skill(implies=basic)  # holding senior qualifies for basic
    scarce = await world.skill()
    later = end + timedelta(days=1)

    cairo_event = await world.event(assoc, starts_at=start, ends_at=end, governorate="01")
    alex_event = await world.event(assoc, starts_at=start, ends_at=end, governorate="02")
    s1 = await world.shift(cairo_event, start + timedelta(hours=9), [(basic, 3, 2), (scarce, 4, 1)])
    await world.shift(cairo_event, start + timedelta(days=1, hours=9), [(basic, 1, 3)])
    await world.shift(cairo_event, later, [(basic, 5, 1)])  # outside the window
    s4 = await world.shift(alex_event, start + timedelta(hours=10), [(basic, 2, 1)])
    s5 = await world.shift(cairo_event, start + timedelta(hours=12), [(senior, 1, 1)])

    forever = None
    v1 = await world.volunteer(assoc, "01", [(basic, 2, forever)])
    v2 = await world.volunteer(assoc, "01", [(senior, 3, forever)])
    await world.volunteer(assoc, "01", [(basic, 1, forever)])  # level too low
    await world.volunteer(assoc, "01", [(basic, 3, end - timedelta(hours=1))])  # expires in window
    await world.volunteer(assoc, "01", [(basic, 2, forever)], active=False)
    await world.volunteer(assoc, "02", [(basic, 2, forever)])
    friday_only = [{"weekday": 5, "start": "08:00", "end": "20:00"}]
    await world.volunteer(assoc, "01", [(basic, 2, forever)], availability=friday_only)
    v8 = await world.volunteer(assoc, "01", [(basic, 2, forever), (senior, 3, forever)])
    await world.volunteer(assoc, "01", [(basic, 5, forever)], availability=[])  # never available

    await world.assignment(v1, s1, 0, "CONFIRMED")  # fills one of three
    await world.assignment(v2, s1, 0, "DECLINED")  # does not fill
    await world.assignment(v8, s5, 0, "CHECKED_IN")  # senior need fully filled
    await world.assignment(v1, s4, 0, "CANCELLED")

    mine = {basic, senior, scarce}
    rows = [r for r in await skill_gaps(driver, start, end) if r.skill in mine]
    assert rows == [
        SkillGapRow(scarce, "01", demand=4, supply=0, gap=4),
        SkillGapRow(basic, "02", demand=2, supply=1, gap=1),
        SkillGapRow(basic, "01", demand=3, supply=3, gap=0),  # v1, v2 (via senior), v8 once
    ]
    only_alex = [r for r in await skill_gaps(driver, start, end, "02") if r.skill in mine]
    assert only_alex == [SkillGapRow(basic, "02", demand=2, supply=1, gap=1)]

    # a wider window takes in the later shift (demand 3 + 5, minLevel 1 lets the level-1
    # volunteer count) and Friday's volunteer (08:00-20:00, the window reaches Friday 09:00);
    # the expiring certificate still does not count
    wide = [
        r for r in await skill_gaps(driver, start, later + timedelta(hours=9)) if r.skill == basic
    ]
    assert SkillGapRow(basic, "01", demand=8, supply=5, gap=3) in wide
    # availability is compared by time of day, not just weekday: a window that touches Friday
    # only from 00:00 to 01:00 does not make Friday's 08:00-20:00 volunteer available
    touches_friday = [
        r for r in await skill_gaps(driver, start, later + timedelta(hours=1)) if r.skill == basic
    ]
    assert SkillGapRow(basic, "01", demand=8, supply=4, gap=4) in touches_friday
    # a window of a week or more: every weekly window counts (from the index alone), a
    # volunteer without any window still does not
    week = [r for r in await skill_gaps(driver, start, start + timedelta(days=8))
            if r.skill == basic]
    assert SkillGapRow(basic, "01", demand=8, supply=5, gap=3) in week
