"""The synthetic instance generator: format, exact slot count, determinism, realism knobs."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest

from engine.matching.generate import generate_instance
from engine.matching.generation_clock import last_friday_of_april
from engine.matching.instance import parse_instance
from engine.matching.validate import validate
from engine.reference.governorates import GOVERNORATES
from engine.reference.skills import SKILL_CODES


@pytest.fixture(scope="module")
def small() -> dict[str, object]:
    return generate_instance(3000, 600, 7, seed=5)


def test_need_counts_add_up_to_the_requested_slots(small: dict) -> None:
    assert small["format"] == "tahaluf-instance/1"
    assert sum(n["count"] for s in small["shifts"] for n in s["needs"]) == 600
    assert all(n["count"] >= 1 for s in small["shifts"] for n in s["needs"])
    assert len(small["volunteers"]) == 3000


def test_same_seed_same_instance_other_seed_other_instance() -> None:
    a = generate_instance(300, 80, 5, seed=11)
    b = generate_instance(300, 80, 5, seed=11)
    c = generate_instance(300, 80, 5, seed=12)
    assert a == b
    assert a != c


def test_ids_unique_and_references_known(small: dict) -> None:
    vids = [v["id"] for v in small["volunteers"]]
    sids = [s["id"] for s in small["shifts"]]
    assert len(set(vids)) == len(vids) and len(set(sids)) == len(sids)
    assoc = {a["id"] for a in small["associations"]}
    skills = {s["code"] for s in small["skills"]}
    assert skills == set(SKILL_CODES) and len(skills) >= 40
    assert 30 <= len(assoc) <= 34
    for v in small["volunteers"]:
        assert set(v["associations"]) <= assoc
        assert {k["code"] for k in v["skills"]} <= skills
        assert (
            1 <= min(k["level"] for k in v["skills"]) and max(k["level"] for k in v["skills"]) <= 5
        )
    for s in small["shifts"]:
        assert s["association"] in assoc
        assert datetime.fromisoformat(s["end"]) > datetime.fromisoformat(s["start"])
        assert {n["skill"] for n in s["needs"]} <= skills


def test_realism_mix(small: dict) -> None:
    vols = small["volunteers"]
    inactive = sum(not v["active"] for v in vols) / len(vols)
    assert 0.02 <= inactive <= 0.06
    held = Counter(k["code"] for v in vols for k in v["skills"])
    assert held["physician"] < held["first_aid"] / 10  # physicians are scarce
    assert any(v["booked"] and "event" in v["booked"][0] for v in vols)
    assert any(v["booked"] and "event" not in v["booked"][0] for v in vols)
    assert any(v["blackouts"] for v in vols)
    # some availability windows run over midnight
    assert any(w["end"] <= w["start"] for v in vols for w in v["availability"])
    # some skills already expired at the start, some still valid
    start = datetime.fromisoformat("2026-11-30T00:00:00+02:00")
    expiries = [
        datetime.fromisoformat(k["expiresAt"]) for v in vols for k in v["skills"] if k["expiresAt"]
    ]
    assert any(e < start for e in expiries) and any(e > start for e in expiries)
    urgent = sum(s["urgent"] for s in small["shifts"]) / len(small["shifts"])
    assert 0.03 <= urgent <= 0.2
    assert any(n["gender"] for s in small["shifts"] for n in s["needs"])
    assert any(n["minAge"] for s in small["shifts"] for n in s["needs"])
    lends = {a["lends"] for a in small["associations"]}
    assert lends == {True, False}
    assert any(a["borrowers"] for a in small["associations"])
    assert all(0.0 <= a["maxShare"] <= 0.3 for a in small["associations"])
    # homes around real governorate capitals, Cairo the most populous
    by_gov = Counter(v["governorate"] for v in vols)
    assert by_gov.most_common(1)[0][0] in {"01", "21"}
    capitals = {g.code: (g.lat, g.lon) for g in GOVERNORATES}
    assert all(abs(v["lat"] - capitals[v["governorate"]][0]) < 1.0 for v in vols)


def test_back_to_back_and_overlapping_shifts_of_one_event(small: dict) -> None:
    by_event: dict[str, list[dict]] = {}
    for s in small["shifts"]:
        by_event.setdefault(s["event"], []).append(s)
    chained = overlapping = False
    for shifts in by_event.values():
        for a in shifts:
            for b in shifts:
                if a is not b and a["end"] == b["start"]:
                    chained = True
                if a is not b and a["start"] < b["start"] < a["end"]:
                    overlapping = True
    assert chained and overlapping


def test_dst_week_carries_both_offsets() -> None:
    friday = last_friday_of_april(2027)
    assert friday == date(2027, 4, 30)
    data = generate_instance(50, 300, 7, seed=3, start=date(2027, 4, 26))
    offsets = {s["start"][-6:] for s in data["shifts"]}
    assert offsets == {"+02:00", "+03:00"}


def test_exchange_off_means_nobody_lends() -> None:
    data = generate_instance(20, 10, 3, seed=1, exchange=False)
    assert not any(a["lends"] for a in data["associations"])


def test_the_validator_and_the_solver_parser_accept_it(small: dict) -> None:
    report = validate(small, {"format": "tahaluf-result/1", "assignments": []})
    assert report.valid and report.slots == 600 and report.filled == 0
    parse_instance(small)
