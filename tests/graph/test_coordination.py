"""Planning together: competing events of other associations, against the real test Neo4j."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from graph.coordination import coordination_overlaps, find_coordination_warnings
from graph.training_tx import run_read

# Tahrir Square; ~2.2 km north is Ramses; ~9 km away is Heliopolis.
LAT, LON = 30.0444, 31.2357
NEAR = (30.0626, 31.2467)
FAR = (30.0911, 31.3225)


def slot(days: int) -> tuple[datetime, datetime]:
    # far in the future and randomised per run by the unique ids: other data rarely overlaps,
    # and assertions only look at events this test created
    start = datetime(2031, 3, 1, 8, tzinfo=UTC) + timedelta(days=days)
    return start, start + timedelta(hours=6)


async def warnings_for(driver, association, domain, lat, lon, start, end):
    async def tx_fn(tx):
        return await find_coordination_warnings(tx, association, domain, lat, lon, start, end)

    return await run_read(driver, tx_fn)


async def test_warns_only_for_same_domain_other_association_near_and_overlapping(driver, world):
    ours = await world.association("Resala")
    theirs = await world.association("Misr El Kheir")
    start, end = slot(0)
    competing = await world.event(
        theirs,
        starts_at=start + timedelta(hours=2),
        ends_at=end + timedelta(hours=2),
        domain="HEALTH",
        lat=NEAR[0],
        lon=NEAR[1],
        title="Medical convoy Ramses",
    )
    other_domain = await world.event(
        theirs, starts_at=start, ends_at=end, domain="EDUCATION", lat=LAT, lon=LON
    )
    too_far = await world.event(
        theirs, starts_at=start, ends_at=end, domain="HEALTH", lat=FAR[0], lon=FAR[1]
    )
    other_time = await world.event(
        theirs, starts_at=end, ends_at=end + timedelta(hours=3), domain="HEALTH", lat=LAT, lon=LON
    )
    same_association = await world.event(
        ours, starts_at=start, ends_at=end, domain="HEALTH", lat=LAT, lon=LON
    )
    mine = {competing, other_domain, too_far, other_time, same_association}

    found = await warnings_for(driver, ours, "HEALTH", LAT, LON, start, end)
    ids = [event_id for event_id, _ in found if event_id in mine]
    assert ids == [competing]
    reason = dict(found)[competing]
    assert "Misr El Kheir" in reason
    assert "Medical convoy Ramses" in reason
    assert "2.3 km" in reason
    # the overlap is 12:00-16:00 Cairo time (UTC+2 in March 2031)
    assert "2031-03-01 12:00" in reason and "2031-03-01 16:00" in reason

    # the other association sees ours (and its own event is not a warning for itself)
    back = await warnings_for(driver, theirs, "HEALTH", NEAR[0], NEAR[1], start, end)
    assert [e for e, _ in back if e in mine] == [same_association]


async def test_admin_overlap_report_lists_each_competing_pair_once(driver, world):
    first = await world.association("First")
    second = await world.association("Second")
    start, end = slot(3)
    a = await world.event(first, starts_at=start, ends_at=end, domain="POVERTY", lat=LAT, lon=LON)
    b = await world.event(
        second,
        starts_at=start + timedelta(hours=1),
        ends_at=end,
        domain="POVERTY",
        lat=NEAR[0],
        lon=NEAR[1],
    )
    c = await world.event(
        first, starts_at=start, ends_at=end, domain="POVERTY", lat=NEAR[0], lon=NEAR[1]
    )
    d = await world.event(
        second, starts_at=start, ends_at=end, domain="POVERTY", lat=FAR[0], lon=FAR[1]
    )
    mine = {a, b, c, d}
    overlaps = await coordination_overlaps(
        driver, start - timedelta(days=1), end + timedelta(days=1)
    )
    pairs = {
        frozenset((o.first_event_id, o.second_event_id))
        for o in overlaps
        if o.first_event_id in mine and o.second_event_id in mine
    }
    # a-b (2.3 km) and b-c (same spot): different associations; a-c same association; d too far
    assert pairs == {frozenset((a, b)), frozenset((b, c))}
    ab = next(o for o in overlaps if {o.first_event_id, o.second_event_id} == {a, b})
    assert 2.0 < ab.distance_km < 2.6
    assert "First" in ab.reason and "Second" in ab.reason
    later = await coordination_overlaps(driver, end + timedelta(days=1), end + timedelta(days=2))
    assert not [o for o in later if o.first_event_id in mine]
