"""Pure seed generation: deterministic, realistic proportions, valid references (no database)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from engine.reference.associations import ASSOCIATIONS
from engine.reference.governorates import GOVERNORATES, population_weights
from engine.reference.skills import SKILL_CODES
from graph.arabic_normalize import normalize_arabic
from graph.seed_campaign import CampaignConfig, generate_campaign
from graph.seed_load import PROP_KEYS, compact_row
from graph.seed_people import PeopleConfig, PeopleGenerator, availability_patterns

CAIRO = ZoneInfo("Africa/Cairo")


def test_same_seed_same_people_whatever_the_total() -> None:
    a = PeopleGenerator(PeopleConfig(seed=5)).row_block(0, 300)
    b = PeopleGenerator(PeopleConfig(seed=5)).row_block(0, 10_000)[:300]
    assert a == b
    c = PeopleGenerator(PeopleConfig(seed=6)).row_block(0, 300)
    assert [r["p"]["nationalIdHash"] for r in a] != [r["p"]["nationalIdHash"] for r in c]


def test_namespaces_never_share_a_national_id_hash() -> None:
    plain = PeopleGenerator(PeopleConfig(seed=5)).row_block(0, 2000)
    spaced = PeopleGenerator(PeopleConfig(seed=5, id_prefix="t-x-")).row_block(0, 2000)
    assert spaced[0]["p"]["id"] == "t-x-V0000001" and plain[0]["p"]["id"] == "V0000001"
    assert not {r["p"]["nationalIdHash"] for r in plain} & {
        r["p"]["nationalIdHash"] for r in spaced}


def test_population_weighted_residence_memberships_and_skills() -> None:
    rows = [r for block in PeopleGenerator(PeopleConfig(seed=1)).blocks(20_000) for r in block]
    assert len({r["p"]["id"] for r in rows}) == len(rows) == 20_000
    assert len({r["p"]["nationalIdHash"] for r in rows}) == 20_000
    share = Counter(GOVERNORATES[r["g"]].code for r in rows)
    for code, weight in population_weights():
        assert abs(share[code] / len(rows) - weight) < 0.01 + weight * 0.15, code
    multi = sum(len(r["m"]) == 2 for r in rows) / len(rows)
    assert 0.07 < multi < 0.11
    assert all(sum(m["p"] for m in r["m"]) == 1 for r in rows)
    assert all(0 <= m["i"] < len(ASSOCIATIONS) for r in rows for m in r["m"])
    skills = Counter(s["i"] for r in rows for s in r["sk"])
    assert len(skills) > 40  # the long tail is there
    assert all(1 <= s["l"] <= 5 for r in rows for s in r["sk"])
    # spelling variants: some names differ from their normalised form only by hamza etc.
    variants = sum(r["p"]["name"] != r["p"]["nameNorm"] for r in rows)
    assert 0.3 < variants / len(rows) < 0.95
    assert all(r["p"]["nameNorm"] == normalize_arabic(r["p"]["name"]) for r in rows[:2000])


def test_compact_rows_follow_the_query_positions() -> None:
    row = PeopleGenerator(PeopleConfig(seed=2)).row_block(0, 1)[0]
    compact = compact_row(row)
    assert compact[: len(PROP_KEYS)] == [row["p"][k] for k in PROP_KEYS]
    assert compact[15] == row["a"] and 0 <= row["a"] < len(availability_patterns())
    assert compact[16] == row["g"]
    assert [s[0] for s in compact[17]] == [s["i"] for s in row["sk"]]
    assert [m[2] for m in compact[18]] == [m["p"] for m in row["m"]]


def test_ramadan_campaign_daily_shifts_in_cairo_time() -> None:
    data = generate_campaign(CampaignConfig(seed=1))
    drives = [e for e in data.events if e["title"].startswith("تعبئة")]
    assert len(drives) == 27 and {e["governorate"] for e in drives} == {
        g.code for g in GOVERNORATES}
    first = [s for s in data.shifts if s["eventId"] == drives[0]["id"]]
    assert len(first) == 30
    start = datetime.fromtimestamp(first[0]["startsAt"], UTC).astimezone(CAIRO)
    assert (start.date().isoformat(), start.hour) == ("2027-02-08", 10)
    assert all(n["skill"] in SKILL_CODES for s in data.shifts for n in s["needs"])
    assert all([n["index"] for n in s["needs"]] == list(range(len(s["needs"])))
               for s in data.shifts)
    assert data.slots > 10_000
    assert generate_campaign(CampaignConfig(seed=1)) == data
