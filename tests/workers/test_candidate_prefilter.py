"""The pure parts of the candidate pre-filter: skill qualification and nearest-first reach."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from graph.matching_load import candidate_cap, epoch_iso, qualifying_skills
from graph.matching_positions import PositionIndex


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


def test_epoch_pairs_read_back_as_the_same_instants():
    assert epoch_iso([None, None]) is None
    moment = datetime(2027, 8, 29, 21, 30, 5, 123456, tzinfo=UTC)
    seconds = int(moment.timestamp())
    assert datetime.fromisoformat(epoch_iso([seconds, 123456789]) or "") == moment
