"""Each cost term: a case it penalises and one it lets through; terms add up to the cost."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from engine.matching.costs import TERMS
from engine.matching.instance import parse_instance
from tests.engine.matching.tiny import association, instance, run, shift, volunteer


def _terms(
    v: dict[str, Any], s: dict[str, Any] | None = None, assocs: list[dict[str, Any]] | None = None
) -> dict[str, float]:
    res = run(instance([volunteer(**v)], [shift(**(s or {}))], assocs))
    assert len(res["assignments"]) == 1
    a = res["assignments"][0]
    assert a["cost"] == pytest.approx(sum(a["terms"].values()))
    return dict(a["terms"])


def test_every_term_is_documented() -> None:
    assert [n for n, _ in TERMS] == [
        "distance",
        "overLevel",
        "hoursThisMonth",
        "unreliability",
        "exchange",
    ]
    for _n, f in TERMS:
        assert f.__doc__


def test_distance() -> None:
    assert _terms({})["distance"] == pytest.approx(0.0)
    far = _terms({"lat": 30.10})["distance"]
    assert far == pytest.approx(6.67, abs=0.05)


def test_over_level_uses_lowest_qualifying_level() -> None:
    assert _terms({})["overLevel"] == 0.0
    over = _terms({"skills": [{"code": "first_aid", "level": 5, "expiresAt": None}]})["overLevel"]
    assert over == pytest.approx(15.0)
    lowest = _terms(
        {
            "skills": [
                {"code": "physician", "level": 5, "expiresAt": None},
                {"code": "first_aid", "level": 3, "expiresAt": None},
            ]
        }
    )["overLevel"]
    assert lowest == pytest.approx(5.0)


def test_hours_this_month() -> None:
    assert _terms({"hoursThisMonth": 0.0})["hoursThisMonth"] == 0.0
    assert _terms({"hoursThisMonth": 30.0})["hoursThisMonth"] == pytest.approx(1.5)


def test_unreliability() -> None:
    assert _terms({"reliability": 1.0})["unreliability"] == 0.0
    assert _terms({"reliability": 0.75})["unreliability"] == pytest.approx(5.0)


def test_exchange() -> None:
    assert _terms({})["exchange"] == 0.0
    assocs = [association("A01"), association("A02", lends=True, maxShare=1.0)]
    assert _terms({"associations": ["A02"]}, None, assocs)["exchange"] == pytest.approx(15.0)


def test_cheaper_volunteer_wins() -> None:
    vols = [volunteer("V1", reliability=0.5), volunteer("V2", reliability=0.9)]
    res = run(instance(vols, [shift()]))
    assert [a["volunteer"] for a in res["assignments"]] == ["V2"]


def test_terms_functions_vectorised() -> None:
    p = parse_instance(instance([volunteer("V1"), volunteer("V2", lat=30.1)]))
    need = np.array([0, 0])
    vol = np.array([0, 1])
    level = np.array([2, 2])
    for _n, f in TERMS:
        out = f(p, need, vol, level)
        assert out.shape == (2,)
