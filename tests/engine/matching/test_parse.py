"""parse_instance: good input becomes arrays; bad input names the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.matching.errors import InstanceError
from engine.matching.instance import parse_instance
from tests.engine.matching.tiny import association, instance, need, shift, volunteer


def test_parses_tiny_instance() -> None:
    p = parse_instance(instance())
    assert p.volunteers.ids == ("V1",)
    assert p.shifts.ids == ("S1",)
    assert p.needs.slots == 1
    assert p.shifts.week_hours.sum() == pytest.approx(4.0)
    assert list(p.shifts.piece_weekday) == [1]
    assert (int(p.shifts.piece_start[0]), int(p.shifts.piece_end[0])) == (600, 840)


def test_quota_is_exact() -> None:
    vols = [volunteer(f"V{i}") for i in range(15)] + [volunteer("V99", active=False)]
    p = parse_instance(
        instance(
            vols, associations=[association("A01", lends=True, maxShare=0.2), association("A02")]
        )
    )
    assert int(p.associations.quota[0]) == 3  # 0.2 * 15 active = 3, not 2 (floating point)


def test_implication_is_transitive() -> None:
    p = parse_instance(instance())
    sk = p.skills
    fa = sk.codes.index("first_aid")
    quals = {
        sk.codes[int(q)] for q in sk.qualifiers[sk.qualifier_ptr[fa] : sk.qualifier_ptr[fa + 1]]
    }
    assert quals == {"first_aid", "nurse", "physician"}


def test_midnight_shift_has_two_pieces() -> None:
    p = parse_instance(
        instance(shifts=[shift(start="2026-03-02T22:00:00+02:00", end="2026-03-03T02:00:00+02:00")])
    )
    pieces = list(
        zip(
            p.shifts.piece_weekday.tolist(),
            p.shifts.piece_start.tolist(),
            p.shifts.piece_end.tolist(),
            strict=True,
        )
    )
    assert pieces == [(1, 1320, 1440), (2, 0, 120)]


Mut = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: Any) -> Mut:
    def f(d: dict[str, Any]) -> None:
        cur: Any = d
        for k in path[:-1]:
            cur = cur[k]
        cur[path[-1]] = value

    return f


def _del(path: list[Any]) -> Mut:
    def f(d: dict[str, Any]) -> None:
        cur: Any = d
        for k in path[:-1]:
            cur = cur[k]
        del cur[path[-1]]

    return f


BAD: list[tuple[str, Mut, str]] = [
    ("format", _set(["format"], "nope"), "format"),
    (
        "unknown need skill",
        _set(["shifts", 0, "needs", 0, "skill"], "juggling"),
        "shifts[0].needs[0].skill",
    ),
    ("negative count", _set(["shifts", 0, "needs", 0, "count"], -1), "shifts[0].needs[0].count"),
    ("count not int", _set(["shifts", 0, "needs", 0, "count"], "3"), "shifts[0].needs[0].count"),
    ("end before start", _set(["shifts", 0, "end"], "2026-03-02T09:00:00+02:00"), "shifts[0].end"),
    ("bad datetime", _set(["shifts", 0, "start"], "yesterday"), "shifts[0].start"),
    ("naive datetime", _set(["shifts", 0, "start"], "2026-03-02T10:00:00"), "shifts[0].start"),
    ("missing shift id", _del(["shifts", 0, "id"]), "shifts[0].id"),
    ("unknown association", _set(["shifts", 0, "association"], "A99"), "shifts[0].association"),
    (
        "bad weekday",
        _set(["volunteers", 0, "availability", 0, "weekday"], 8),
        "volunteers[0].availability[0].weekday",
    ),
    (
        "bad clock",
        _set(["volunteers", 0, "availability", 0, "start"], "25:00"),
        "volunteers[0].availability[0].start",
    ),
    (
        "unknown volunteer skill",
        _set(["volunteers", 0, "skills", 0, "code"], "x"),
        "volunteers[0].skills[0].code",
    ),
    ("bool as number", _set(["volunteers", 0, "maxTravelKm"], True), "volunteers[0].maxTravelKm"),
    ("gender", _set(["volunteers", 0, "gender"], "X"), "volunteers[0].gender"),
    ("active type", _set(["volunteers", 0, "active"], "yes"), "volunteers[0].active"),
    ("missing weights", _del(["weights", "exchange"]), "weights.exchange"),
    ("timezone", _set(["rules", "timezone"], "Mars/Olympus"), "rules.timezone"),
    ("unknown implied skill", _set(["skills", 0, "implies"], ["zzz"]), "skills[0].implies[0]"),
    ("borrowers", _set(["associations", 0, "borrowers"], ["A77"]), "associations[0].borrowers[0]"),
    (
        "blackout order",
        _set(
            ["volunteers", 0, "blackouts"],
            [{"start": "2026-03-02T10:00:00+02:00", "end": "2026-03-02T09:00:00+02:00"}],
        ),
        "volunteers[0].blackouts[0].end",
    ),
    (
        "need gender",
        _set(["shifts", 0, "needs", 0, "gender"], "female"),
        "shifts[0].needs[0].gender",
    ),
    ("needs not list", _set(["shifts", 0, "needs"], {"a": 1}), "shifts[0].needs"),
    (
        "duplicate volunteer",
        lambda d: d["volunteers"].append(dict(d["volunteers"][0])),
        "volunteers[1].id",
    ),
    (
        "duplicate shift",
        lambda d: d["shifts"].append(dict(d["shifts"][0])),
        "shifts[1].id",
    ),
]


@pytest.mark.parametrize(("what", "mutate", "path"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_the_field(what: str, mutate: Mut, path: str) -> None:
    data = instance(shifts=[shift(needs=[need()])])
    mutate(data)
    with pytest.raises(InstanceError) as err:
        parse_instance(data)
    assert err.value.path == path, what
    assert err.value.message


def test_dst_night_counts_real_hours() -> None:
    # Egypt moves clocks 00:00 -> 01:00 on Friday 24 April 2026: 22:00 to 04:00 is 5 real hours
    p = parse_instance(instance(shifts=[shift(start="2026-04-23T22:00:00+02:00", end="2026-04-24T04:00:00+03:00")]))
    assert p.shifts.week_hours.sum() == pytest.approx(5.0)
    pieces = list(zip(p.shifts.piece_weekday.tolist(), p.shifts.piece_start.tolist(), p.shifts.piece_end.tolist(), strict=True))
    assert pieces == [(4, 1320, 1440), (5, 60, 240)]


def test_shift_over_monday_midnight_splits_iso_weeks() -> None:
    p = parse_instance(instance(shifts=[shift(start="2026-03-08T22:00:00+02:00", end="2026-03-09T02:00:00+02:00")]))
    assert p.weeks == (202610, 202611)
    assert p.shifts.week_hours.tolist() == [[2.0, 2.0]]
