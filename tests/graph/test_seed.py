"""A small namespaced seed on the real test Neo4j: realistic, re-runnable without duplicates,
and removable; the events repository is exercised on the campaign it creates."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from graph.arabic_normalize import normalize_arabic
from graph.events import event_page, get_events
from graph.seed_run import SeedOptions, delete_namespace, run_seed
from graph.settings import get_settings
from graph.shifts import get_shifts, needs_of_shifts, shifts_of_events

N = 300

COUNT_NS = """
CALL { MATCH (v:Volunteer) WHERE v.id STARTS WITH $p RETURN count(v) AS volunteers }
CALL { MATCH (v:Volunteer)-[r]->() WHERE v.id STARTS WITH $p RETURN count(r) AS rels }
CALL { MATCH (e:Event) WHERE e.id STARTS WITH $p RETURN count(e) AS events }
CALL { MATCH (s:Shift) WHERE s.id STARTS WITH $p RETURN count(s) AS shifts }
CALL { MATCH (s:Shift)-[n:NEEDS]->() WHERE s.id STARTS WITH $p RETURN count(n) AS needs }
CALL { MATCH (a:Association) WHERE a.id STARTS WITH $p RETURN count(a) AS associations }
RETURN volunteers, rels, events, shifts, needs, associations
"""


@pytest.fixture(scope="module")
async def seeded(neo4j_driver) -> AsyncIterator[tuple[str, object]]:
    ns = f"t-{uuid4().hex[:8]}-"
    options = SeedOptions(volunteers=N, seed=11, id_prefix=ns, id_secret=get_settings().id_secret)
    try:
        report = await run_seed(neo4j_driver, options)
        yield ns, report
    finally:
        await delete_namespace(neo4j_driver, ns)


async def _counts(driver, ns: str) -> dict[str, int]:
    records, _, _ = await driver.execute_query(COUNT_NS, p=ns)
    return dict(records[0])


async def test_seed_creates_a_realistic_namespace(neo4j_driver, seeded) -> None:
    ns, report = seeded
    assert report.mode == "create" and report.volunteers == N
    counts = await _counts(neo4j_driver, ns)
    assert counts["volunteers"] == N
    assert counts["associations"] == 32
    assert counts["events"] == report.events > 27 and counts["shifts"] == report.shifts
    records, _, _ = await neo4j_driver.execute_query(
        """MATCH (v:Volunteer) WHERE v.id STARTS WITH $p
           RETURN v {.*} AS v,
             COUNT { (v)-[:LIVES_IN]->(:Governorate) } AS lives,
             COUNT { (v)-[:MEMBER_OF]->(:Association) } AS members,
             COUNT { (v)-[:MEMBER_OF {primary: true}]->(:Association) } AS primaries,
             [(v)-[h:HAS_SKILL]->(:Skill) | h.level] AS levels""",
        p=ns,
    )
    multi = 0
    for r in records:
        v = r["v"]
        assert r["lives"] == 1 and r["primaries"] == 1 and 1 <= r["members"] <= 2
        multi += r["members"] == 2
        assert r["levels"] and all(1 <= lv <= 5 for lv in r["levels"])
        assert v["nameNorm"] == normalize_arabic(v["name"])
        assert len(v["nationalIdHash"]) == 64 and "nationalId" not in v
        assert v["gender"] in ("F", "M") and 1950 <= v["birthYear"] <= 2011
        assert len(v["phone"]) == 11 and v["phone"][:3] in ("010", "011", "012", "015")
        windows = json.loads(v["availability"])
        assert windows and all(1 <= w["weekday"] <= 7 and w["start"] < w["end"] for w in windows)
    assert 0.03 * N <= multi <= 0.2 * N  # ~10% belong to two associations
    hashes = {r["v"]["nationalIdHash"] for r in records}
    assert len(hashes) == N
    # namespaced associations never lend (concurrent tests cannot borrow seeded people)
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (a:Association) WHERE a.id STARTS WITH $p RETURN collect(DISTINCT a.lends) AS l",
        p=ns,
    )
    assert records[0]["l"] == [False]


async def test_rerun_with_the_same_seed_duplicates_nothing(neo4j_driver, seeded) -> None:
    ns, _ = seeded
    before = await _counts(neo4j_driver, ns)
    # bulk mode is asked for but refused: the graph is not empty (it never drops indexes here)
    again = await run_seed(
        neo4j_driver,
        SeedOptions(
            volunteers=N, seed=11, id_prefix=ns, id_secret=get_settings().id_secret, bulk=True
        ),
    )
    assert again.mode == "merge" and again.existing == N and not again.bulk
    assert again.relationships == 0
    assert await _counts(neo4j_driver, ns) == before
    records, _, _ = await neo4j_driver.execute_query(
        "SHOW INDEXES YIELD name WHERE name = 'volunteer_names' RETURN count(*) AS n"
    )
    assert records[0]["n"] == 1


async def test_if_empty_skips_a_seeded_namespace(neo4j_driver, seeded) -> None:
    ns, _ = seeded
    report = await run_seed(
        neo4j_driver, SeedOptions(volunteers=N, seed=99, id_prefix=ns, if_empty=True)
    )
    assert report.skipped


async def test_campaign_events_filters_and_pages(neo4j_driver, seeded) -> None:
    ns, report = seeded
    campaign = ns + "C-RAMADAN-1448"
    ids, total = await event_page(neo4j_driver, campaign=campaign, limit=200)
    assert total == len(ids) == 37  # 27 drives + 10 iftar tables
    events = await get_events(neo4j_driver, ids)
    assert all(e and e["campaign"] == campaign and e["domain"] == "POVERTY" for e in events)
    starts = [e["startsAt"].to_native() for e in events if e]
    assert starts == sorted(starts)
    # offset pages walk the same list in the same order, without overlap
    seen: list[str] = []
    while True:
        page, page_total = await event_page(
            neo4j_driver, campaign=campaign, skip=len(seen), limit=10
        )
        assert page_total == 37
        seen.extend(page)
        if len(seen) >= page_total or not page:
            break
    assert seen == ids
    cairo, cairo_total = await event_page(neo4j_driver, campaign=campaign, governorate="01")
    assert cairo_total == 2
    assert {e["governorate"] for e in await get_events(neo4j_driver, cairo) if e} == {"01"}
    # medical convoys: HEALTH, no campaign; find them through their organisers
    health = []
    for a in range(1, 33):
        found, _ = await event_page(neo4j_driver, domain="HEALTH", association=f"{ns}A{a:02d}")
        health.extend(await get_events(neo4j_driver, found))
    assert len(health) == 8 and all(e and e["campaign"] is None for e in health)
    # time window: events overlapping the first Friday's first minute at 08:00 Cairo
    day = datetime(2027, 2, 12, 6, 0, tzinfo=UTC)
    _, window = await event_page(
        neo4j_driver, campaign=campaign, starts_from=day, until=day + timedelta(minutes=1)
    )
    assert window == 37
    _, late = await event_page(
        neo4j_driver, campaign=campaign, starts_from=datetime(2027, 6, 1, tzinfo=UTC)
    )
    assert late == 0
    with pytest.raises(ValueError):
        await event_page(neo4j_driver, domain="SPORTS")
    with pytest.raises(ValueError):
        await event_page(neo4j_driver, limit=201)


async def test_event_and_shift_lookups_in_key_order(neo4j_driver, seeded) -> None:
    ns, _ = seeded
    [event] = await get_events(neo4j_driver, [ns + "E0001"])
    assert event is not None and event["governorate"] == "01" and event["association"]
    starts_at, ends_at = event["startsAt"].to_native(), event["endsAt"].to_native()
    assert starts_at.tzinfo is not None and starts_at < ends_at
    [shifts, missing] = await shifts_of_events(neo4j_driver, [ns + "E0001", ns + "nope"])
    assert missing == [] and len(shifts) == 30
    assert [s["startsAt"] for s in shifts] == sorted(s["startsAt"] for s in shifts)
    [shift] = await get_shifts(neo4j_driver, [ns + "E0001-S01"])
    assert shift is not None and shift["eventId"] == ns + "E0001"
    [needs] = await needs_of_shifts(neo4j_driver, [ns + "E0001-S01"])
    assert [n["index"] for n in needs] == [0, 1, 2, 3]
    assert needs[0]["skill"] == "food_packing" and needs[0]["count"] >= 4
    assert all(n["filled"] == 0 for n in needs)
    got = await get_shifts(neo4j_driver, [ns + "E0001-S02", ns + "missing", ns + "E0001-S01"])
    assert [s["id"] if s else None for s in got] == [ns + "E0001-S02", None, ns + "E0001-S01"]
