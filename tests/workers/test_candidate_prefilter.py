"""The pure parts of the candidate pre-filter: skill qualification, reach, availability and the
estimated-cost ranking."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from graph.matching_load import candidate_cap, epoch_iso, qualifying_skills
from graph.matching_positions import CostWeights, PositionIndex


def test_qualifying_skills_follow_implications_transitively():
    q = qualifying_skills({"surgeon": ["physician"], "physician": ["nurse"], "nurse": [], "cook": []})
    assert q["nurse"] == {"nurse", "physician", "surgeon"}
    assert q["physician"] == {"physician", "surgeon"}
    assert q["cook"] == {"cook"}  # nothing implies it


def test_within_reach_is_nearest_first_and_respects_each_reach():
    rows = [
        {"id": "far", "lat": 30.5, "lon": 31.2, "reach": 100.0},   # ~50 km, reach 100: in
        {"id": "near", "lat": 30.06, "lon": 31.2, "reach": 10.0},  # ~2 km: in, first
        {"id": "short", "lat": 30.3, "lon": 31.2, "reach": 5.0},   # ~29 km, reach 5: out
        {"id": "mid", "lat": 30.2, "lon": 31.2, "reach": 30.0},    # ~18 km: in
    ]
    index = PositionIndex.from_rows(rows)  # type: ignore[arg-type]
    assert index.within_reach(30.04, 31.2) == ["near", "mid", "far"]
    d = index.distances_km(30.04, 31.2)
    assert index.ids == ["far", "mid", "near", "short"]  # sorted by id: ties break the same way
    assert abs(d[index.position["near"]] - 2.22) < 0.05 and abs(d[index.position["far"]] - 51.1) < 0.1


def test_candidate_cap_grows_with_the_slots():
    assert candidate_cap(1) < candidate_cap(4) < candidate_cap(100)


def _index() -> PositionIndex:
    """Five volunteers north of (30.0, 31.0), 1..5 km away in id order, reach 10 km each."""
    ids = ["v1", "v2", "v3", "v4", "v5"]
    positions = {
        "ids": ids,
        "lat": [30.0 + k / 111.19 for k in range(1, 6)],
        "lon": [31.0] * 5,
        "reach": [10.0] * 5,
        "gender": ["F", "M", "F", "F", "M"],
    }
    far = 2_000_000_000.0  # epoch seconds, 2033
    skills = [
        {"code": "nurse", "ids": ["v1", "v2", "v3", "v4"], "levels": [1, 3, 3, 3],
         "expires": [far, far, 1_000.0, far]},
        {"code": "physician", "ids": ["v5"], "levels": [2], "expires": [far]},
    ]
    members = [{"id": "home", "ids": ["v1", "v2", "v3", "v5"]}, {"id": "other", "ids": ["v4"]}]
    return PositionIndex.from_columns(positions, skills, members)


def test_nearest_candidates_apply_level_expiry_gender_and_membership():
    index = _index()
    common = {"lat": 30.0, "lon": 31.0, "ends_at": 1_700_000_000.0, "limit": 10}
    home = index.member_mask(["home"])
    got = index.nearest_candidates(qualifying=["nurse", "physician"], min_level=2, gender=None,
                                   eligible=home, **common)
    # v1 level too low, v3 expired, v4 not a member of the pool; v5 qualifies through physician
    assert got == ["v2", "v5"]
    assert index.nearest_candidates(qualifying=["nurse", "physician"], min_level=2, gender="F",
                                    eligible=home, **common) == []
    both = index.member_mask(["home", "other"])
    assert index.nearest_candidates(qualifying=["nurse"], min_level=1, gender="F",
                                    eligible=both, **common) == ["v1", "v4"]
    assert index.nearest_candidates(qualifying=["nurse"], min_level=1, gender=None,
                                    eligible=both, **{**common, "limit": 2}) == ["v1", "v2"]
    # out of reach: 20 km south of everyone with a 10 km reach
    assert index.nearest_candidates(qualifying=["nurse"], min_level=1, gender=None,
                                    eligible=both, **{**common, "lat": 29.82}) == []


def test_snapshot_bytes_give_back_the_same_index():
    index = _index()
    again = PositionIndex.from_bytes(index.to_bytes())
    assert again.ids == index.ids and again.position == index.position
    assert np.array_equal(again.lat, index.lat) and np.array_equal(again.gender, index.gender)
    assert set(again.skills) == {"nurse", "physician"} and set(again.members) == {"home", "other"}
    mask = again.member_mask(["home"])
    kwargs = {"lat": 30.0, "lon": 31.0, "ends_at": 1_700_000_000.0, "limit": 10, "gender": None,
              "qualifying": ["nurse", "physician"], "min_level": 2}
    assert again.nearest_candidates(eligible=mask, **kwargs) == index.nearest_candidates(
        eligible=index.member_mask(["home"]), **kwargs)


CAIRO_MORNING = (  # Monday 2027-03-01, 08:00-12:00 Cairo (UTC+2, no DST in March)
    datetime(2027, 3, 1, 6, tzinfo=UTC), datetime(2027, 3, 1, 10, tzinfo=UTC)
)


def _windows(*items: tuple[int, str, str]) -> str:
    return json.dumps([{"weekday": d, "start": a, "end": b} for d, a, b in items])


def _costed_index(availability: list[str], **extra: list[Any]) -> PositionIndex:
    """len(availability) volunteers north of (30.0, 31.0), 1, 2, 3... km away in id order,
    nurses at level 1 unless `levels` says otherwise, all members of `home`."""
    n = len(availability)
    ids = [f"v{k}" for k in range(1, n + 1)]
    positions = {
        "ids": ids,
        "lat": [30.0 + k / 111.19 for k in range(1, n + 1)],
        "lon": [31.0] * n,
        "reach": [50.0] * n,
        "gender": ["F"] * n,
        "availability": availability,
        "reliability": extra.get("reliability", [1.0] * n),
        "hours": extra.get("hours", [0.0] * n),
    }
    skills = [{"code": "nurse", "ids": ids, "levels": extra.get("levels", [1] * n),
               "expires": [None] * n}]
    members = [{"id": "home", "ids": extra.get("home", ids)}, {"id": "other", "ids": ids}]
    return PositionIndex.from_columns(positions, skills, members)


def _pick(index: PositionIndex, *, limit: int = 10, weights: CostWeights | None = None,
          own: str | None = None) -> list[str]:
    return index.nearest_candidates(
        lat=30.0, lon=31.0, qualifying=["nurse"], min_level=1, gender=None,
        ends_at=CAIRO_MORNING[1].timestamp(), limit=limit,
        eligible=index.member_mask(["home", "other"]),
        available=index.available_mask(*CAIRO_MORNING, "Africa/Cairo"),
        own=index.member_mask([own]) if own else None, weights=weights,
    )


def test_availability_keeps_only_those_whose_windows_fit_the_shift():
    index = _costed_index([
        _windows((1, "14:00", "22:00")),   # v1: Monday afternoons only
        _windows((1, "07:00", "12:00")),   # v2: fits 08:00-12:00 exactly
        "",                                # v3: no windows: never available (as in the engine)
        _windows((1, "08:00", "10:00"), (1, "10:00", "12:00")),  # v4: two windows, not joined
        _windows((7, "20:00", "13:00")),   # v5: Sunday 20:00 over midnight to Monday 13:00
        "not json",                        # v6: unreadable: kept, the engine decides
        _windows((2, "00:00", "24:00")),   # v7: Tuesdays only
    ])
    assert _pick(index) == ["v2", "v5", "v6"]
    # without windows loaded (an older snapshot) nobody is filtered by availability
    bare = PositionIndex.from_rows([{"id": "v1", "lat": 30.01, "lon": 31.0, "reach": 5.0}])
    assert bare.available_mask(*CAIRO_MORNING, "Africa/Cairo").tolist() == [True]


def test_the_availability_rule_is_the_engines():
    """The index's mask agrees with engine.scheduling's shift_fits_windows on every pattern."""
    from engine.scheduling.availability import shift_fits_windows
    from engine.scheduling.windows import parse_windows

    patterns = [
        _windows((1, "08:00", "12:00")), _windows((1, "08:01", "12:00")),
        _windows((1, "08:00", "11:59")), _windows((7, "22:00", "12:00")),
        _windows((1, "00:00", "24:00")), _windows((1, "12:00", "08:00")),
        _windows((5, "08:00", "20:00"), (1, "06:00", "13:00")), "[]",
    ]
    index = _costed_index(patterns)
    for start, end in (CAIRO_MORNING, (CAIRO_MORNING[0] - timedelta(hours=4), CAIRO_MORNING[1])):
        mask = index.available_mask(start, end, "Africa/Cairo")
        expected = [
            shift_fits_windows(parse_windows(json.loads(p)), start, end, "Africa/Cairo")
            for p in patterns
        ]
        assert [bool(mask[index.position[f"v{k + 1}"]]) for k in range(len(patterns))] == expected


def test_candidates_are_ranked_by_the_estimated_cost():
    always = _windows(*((d, "00:00", "24:00") for d in range(1, 8)))
    weights = CostWeights(distance_km=1.0, over_level=5.0, hours_this_month=0.5,
                          unreliability=20.0, exchange=15.0)
    # v1 (1 km) is borrowed (+15), v2 (2 km) is a level-4 nurse for a level-1 need (+15),
    # v3 (3 km) no-shows half the time (+10), v4 (4 km) worked 100 h this month (+5), v5 (5 km)
    index = _costed_index(
        [always] * 5, levels=[1, 4, 1, 1, 1], reliability=[1.0, 1.0, 0.5, 1.0, 1.0],
        hours=[0.0, 0.0, 0.0, 100.0, 0.0], home=["v2", "v3", "v4", "v5"],
    )
    assert _pick(index) == ["v1", "v2", "v3", "v4", "v5"]  # distance alone
    assert _pick(index, weights=weights, own="home") == ["v5", "v4", "v3", "v1", "v2"]
    assert _pick(index, weights=weights, own="home", limit=2) == ["v5", "v4"]


def test_the_snapshot_keeps_windows_and_cost_terms():
    index = _costed_index([_windows((1, "07:00", "12:00")), _windows((1, "14:00", "20:00")),
                           "garbage"], reliability=[0.5, 1.0, 0.9], hours=[3.0, 0.0, 1.0])
    again = PositionIndex.from_bytes(index.to_bytes())
    assert np.array_equal(again.reliability, index.reliability)  # type: ignore[arg-type]
    assert np.array_equal(again.hours_this_month, index.hours_this_month)  # type: ignore[arg-type]
    assert np.array_equal(again.available_mask(*CAIRO_MORNING, "Africa/Cairo"),
                          index.available_mask(*CAIRO_MORNING, "Africa/Cairo"))
    assert _pick(again, weights=CostWeights(unreliability=20.0)) == _pick(
        index, weights=CostWeights(unreliability=20.0)) == ["v3", "v1"]


def test_epoch_pairs_read_back_as_the_same_instants():
    assert epoch_iso([None, None]) is None
    moment = datetime(2027, 8, 29, 21, 30, 5, 123456, tzinfo=UTC)
    seconds = int(moment.timestamp())
    assert datetime.fromisoformat(epoch_iso([seconds, 123456789]) or "") == moment


def test_each_distinct_window_is_parsed_once_and_as_the_engine_would():
    """Windows are memoised across volunteers; a boolean weekday (equal to 1 as a dict key)
    is still refused as the engine refuses it, and its volunteer is kept for the engine."""
    monday = {"weekday": 1, "start": "07:00", "end": "12:00"}
    index = _costed_index([
        json.dumps([monday]),
        json.dumps([{**monday, "weekday": True}]),            # unreadable: kept
        json.dumps([monday, {"weekday": 1, "start": "7:00", "end": "12:00"}]),  # bad clock
        json.dumps([{**monday, "start": "14:00"}]),          # does not fit
        json.dumps({"weekday": 1}),                          # not a list
    ])
    assert index.window_unknown is not None
    assert index.window_unknown.tolist() == [False, True, True, False, True]
    assert _pick(index) == ["v1", "v2", "v3", "v5"]
