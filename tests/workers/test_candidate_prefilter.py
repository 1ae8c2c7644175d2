"""The pure parts of the candidate pre-filter: skill qualification and nearest-first reach."""

from __future__ import annotations

import numpy as np

from graph.matching_load import candidate_cap, qualifying_skills
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
    assert np.all(np.diff(np.sort(d)) >= 0) and abs(d[1] - 2.22) < 0.05


def test_candidate_cap_grows_with_the_slots():
    assert candidate_cap(1) < candidate_cap(4) < candidate_cap(100)
