"""The independent validator: for each hard constraint one result it rejects and one it accepts,
plus the objective recomputed by hand."""

from __future__ import annotations

import math

import pytest

from engine.matching.validate import ValidationInputError, validate
from tests.engine.matching.validation_fixtures import CAIRO, instance, result, shift, volunteer

MON_9_13 = ("2026-11-30T09:00:00+02:00", "2026-11-30T13:00:00+02:00")


def rules_hit(report_violations: list[str]) -> set[str]:
    return {v.split("]")[0].strip("[") for v in report_violations}


# --- the objective, by hand -------------------------------------------------------------------


def test_objective_by_hand_on_a_tiny_instance() -> None:
    # V1 is 0.1 degree of latitude south of S1 -> 6371 * 0.1 * pi / 180 km
    data = instance(
        # A3 has 5 active members: quota floor(0.2 x 5) = 1
        volunteers=[volunteer("V1", lat=CAIRO[0] - 0.1)]
        + [volunteer(f"V{i}", associations=["A3"]) for i in range(3, 8)],
        shifts=[
            shift("S1", *MON_9_13),
            shift(
                "S2",
                "2026-12-02T09:00:00+02:00",
                "2026-12-02T10:00:00+02:00",
                urgent=True,
                association="A9",
                needs=[
                    {"skill": "first_aid", "count": 1, "minLevel": 1},
                    {"skill": "driver", "count": 1, "minLevel": 1},
                ],
            ),
        ],
    )
    report = validate(data, result(("S1", 0, "V1"), ("S2", 0, "V3", "A3")))
    assert report.valid, report.violations
    d = 6371.0 * 0.1 * math.pi / 180
    v1 = 1.0 * d + 5.0 * (3 - 2) + 0.5 * 10 / 10 + 20.0 * (1 - 0.9)
    v3 = 0.0 + 5.0 * (3 - 1) + 0.5 * 10 / 10 + 20.0 * (1 - 0.9) + 15.0
    assert report.cost == pytest.approx(v1 + v3, abs=1e-6)
    # S1 need 0 has one of two slots empty (normal); S2 need 1 is empty (urgent)
    assert report.objective == pytest.approx(v1 + v3 + 10000.0 + 100000.0, abs=1e-6)
    assert (report.filled, report.slots, report.urgent_filled, report.urgent_slots) == (2, 4, 1, 2)
    assert report.terms["exchange"] == 15.0


def test_objective_counts_unfilled_from_assignments_not_the_unfilled_list() -> None:
    res = result(("S1", 0, "V1"))
    res["unfilled"] = []  # claims nothing is unfilled
    report = validate(instance(), res)
    assert report.objective == pytest.approx(7.5 + 10000.0)


def test_over_level_uses_the_lowest_qualifying_level() -> None:
    skills = [
        {"code": "physician", "level": 5, "expiresAt": None},
        {"code": "nurse", "level": 2, "expiresAt": None},
        {"code": "first_aid", "level": 1, "expiresAt": None},  # below minLevel: does not qualify
    ]
    report = validate(
        instance(volunteers=[volunteer("V1", skills=skills)]), result(("S1", 0, "V1"))
    )
    assert report.valid
    assert report.terms["overLevel"] == 0.0  # nurse level 2 - minLevel 2


# --- 1. skill, level, expiry, active ---------------------------------------------------------


def test_c1_rejects_inactive_and_low_level_and_expired() -> None:
    expired = [{"code": "first_aid", "level": 3, "expiresAt": "2026-11-30T13:00:00+02:00"}]
    data = instance(
        volunteers=[
            volunteer("V1", active=False),
            volunteer("V2", skills=[{"code": "first_aid", "level": 1}]),
            volunteer("V3", skills=expired),  # expiresAt == shift end counts as expired
        ],
        shifts=[shift("S1", *MON_9_13, needs=[{"skill": "first_aid", "count": 3, "minLevel": 2}])],
    )
    report = validate(data, result(("S1", 0, "V1"), ("S1", 0, "V2"), ("S1", 0, "V3")))
    assert rules_hit(report.violations) == {"1 active", "1 skill"}
    assert sum("1 skill" in v for v in report.violations) == 2
    assert any("V3" in v for v in report.violations)


def test_c1_accepts_transitive_implication_and_expiry_after_the_end() -> None:
    data = instance(
        volunteers=[
            volunteer(
                "V1", skills=[{"code": "physician", "level": 2}]
            ),  # physician->nurse->first_aid
            volunteer(
                "V2",
                skills=[
                    {"code": "first_aid", "level": 2, "expiresAt": "2026-11-30T13:00:01+02:00"}
                ],
            ),
        ]
    )
    assert validate(data, result(("S1", 0, "V1"), ("S1", 0, "V2"))).valid


# --- 2. availability and blackouts -----------------------------------------------------------


def test_c2_rejects_a_shift_outside_the_windows_and_joined_windows() -> None:
    split_day = [
        {"weekday": 1, "start": "08:00", "end": "11:00"},
        {"weekday": 1, "start": "11:00", "end": "20:00"},
    ]
    data = instance(
        volunteers=[
            volunteer("V1", availability=[{"weekday": 2, "start": "08:00", "end": "20:00"}]),
            volunteer("V2", availability=split_day),  # two windows of one day are not joined
        ]
    )
    report = validate(data, result(("S1", 0, "V1"), ("S1", 0, "V2")))
    assert rules_hit(report.violations) == {"2 availability"}
    assert len(report.violations) == 2


def test_c2_accepts_overnight_windows_and_24_00() -> None:
    night = shift("S1", "2026-11-30T22:00:00+02:00", "2026-12-01T02:00:00+02:00")
    data = instance(
        volunteers=[
            # Monday 20:00 runs over midnight into Tuesday 03:00
            volunteer("V1", availability=[{"weekday": 1, "start": "20:00", "end": "03:00"}]),
            volunteer(
                "V2",
                availability=[
                    {"weekday": 1, "start": "21:00", "end": "24:00"},
                    {"weekday": 2, "start": "00:00", "end": "02:00"},
                ],
            ),
        ],
        shifts=[night],
    )
    assert validate(data, result(("S1", 0, "V1"), ("S1", 0, "V2"))).valid


def test_c2_rejects_a_midnight_shift_missing_the_second_day() -> None:
    night = shift("S1", "2026-11-30T22:00:00+02:00", "2026-12-01T02:00:00+02:00")
    data = instance(
        volunteers=[
            volunteer("V1", availability=[{"weekday": 1, "start": "20:00", "end": "24:00"}])
        ],
        shifts=[night],
    )
    report = validate(data, result(("S1", 0, "V1")))
    assert rules_hit(report.violations) == {"2 availability"}
    assert "2026-12-01" in report.violations[0]


def test_c2_blackout_intersection_rejected_but_touching_accepted() -> None:
    hit = [{"start": "2026-11-30T12:00:00+02:00", "end": "2026-11-30T18:00:00+02:00"}]
    touch = [{"start": "2026-11-30T13:00:00+02:00", "end": "2026-11-30T18:00:00+02:00"}]
    data = instance(volunteers=[volunteer("V1", blackouts=hit), volunteer("V2", blackouts=touch)])
    report = validate(data, result(("S1", 0, "V1"), ("S1", 0, "V2")))
    assert rules_hit(report.violations) == {"2 blackout"}
    assert "V1" in report.violations[0]


def test_c2_dst_spring_forward_night() -> None:
    # Egypt 2026: clocks jump from Friday 24 April 00:00 (+02) to 01:00 (+03)
    dst_night = shift(
        "S1",
        "2026-04-23T22:00:00+02:00",
        "2026-04-24T03:00:00+03:00",
        needs=[{"skill": "first_aid", "count": 2, "minLevel": 1}],
    )
    ok = [{"weekday": 4, "start": "22:00", "end": "03:00"}]  # Thursday 22:00 -> Friday 03:00
    short = [{"weekday": 4, "start": "22:00", "end": "02:00"}]
    data = instance(
        volunteers=[volunteer("V1", availability=ok), volunteer("V2", availability=short)],
        shifts=[dst_night],
    )
    report = validate(data, result(("S1", 0, "V1"), ("S1", 0, "V2")))
    assert [v for v in report.violations if "V1" in v] == []
    assert rules_hit(report.violations) == {"2 availability"}


def test_c2_dst_friday_begins_at_the_first_real_instant() -> None:
    # On 2026-04-24 Cairo's Friday begins at 01:00 (+03): a shift from that instant fits a Friday
    # window opening at 00:30, and a Thursday shift ending at that instant never touches Friday.
    friday = shift("S1", "2026-04-24T01:00:00+03:00", "2026-04-24T03:00:00+03:00")
    thursday = shift("S2", "2026-04-23T20:00:00+02:00", "2026-04-24T01:00:00+03:00", event="E2")
    fri_window = [{"weekday": 5, "start": "00:30", "end": "05:00"}]
    thu_window = [{"weekday": 4, "start": "20:00", "end": "24:00"}]
    late_window = [{"weekday": 5, "start": "01:30", "end": "05:00"}]
    data = instance(
        volunteers=[
            volunteer("V1", availability=fri_window),
            volunteer("V2", availability=thu_window),
            volunteer("V3", availability=late_window),
        ],
        shifts=[friday, thursday],
    )
    report = validate(data, result(("S1", 0, "V1"), ("S2", 0, "V2"), ("S1", 0, "V3")))
    assert [v for v in report.violations if "V1" in v or "V2" in v] == []
    assert rules_hit(report.violations) == {"2 availability"}


# --- 3. overlap and rest ---------------------------------------------------------------------


def test_c3_rejects_overlap_with_a_booking_and_short_rest() -> None:
    booked = [{"start": "2026-11-30T12:00:00+02:00", "end": "2026-11-30T14:00:00+02:00"}]
    data = instance(
        volunteers=[volunteer("V1", booked=booked), volunteer("V2")],
        shifts=[
            shift("S1", *MON_9_13),
            shift("S2", "2026-11-30T16:00:00+02:00", "2026-11-30T19:00:00+02:00", event="E2"),
        ],
    )
    report = validate(data, result(("S1", 0, "V1"), ("S1", 0, "V2"), ("S2", 0, "V2")))
    assert rules_hit(report.violations) == {"3 overlap/rest"}
    assert any("V1" in v and "overlaps" in v for v in report.violations)
    assert any("V2" in v and "minRestHours" in v for v in report.violations)


def test_c3_back_to_back_needs_same_event_and_a_booking_with_that_event() -> None:
    back_to_back = [
        shift("S1", *MON_9_13),
        shift("S2", "2026-11-30T13:00:00+02:00", "2026-11-30T15:00:00+02:00"),  # same event E1
    ]
    same_event = [
        {"start": "2026-11-30T07:00:00+02:00", "end": "2026-11-30T09:00:00+02:00", "event": "E1"}
    ]
    no_event = [{"start": "2026-11-30T07:00:00+02:00", "end": "2026-11-30T09:00:00+02:00"}]
    data = instance(
        volunteers=[volunteer("V1", booked=same_event), volunteer("V2", booked=no_event)],
        shifts=back_to_back,
    )
    ok = validate(data, result(("S1", 0, "V1")))
    assert ok.valid, ok.violations
    bad = validate(data, result(("S1", 0, "V2")))
    assert rules_hit(bad.violations) == {"3 overlap/rest"}


def test_c3_chain_of_three_needs_rest_between_first_and_third() -> None:
    chain = [
        shift("S1", "2026-11-30T08:00:00+02:00", "2026-11-30T10:00:00+02:00"),
        shift("S2", "2026-11-30T10:00:00+02:00", "2026-11-30T12:00:00+02:00"),
        shift("S3", "2026-11-30T12:00:00+02:00", "2026-11-30T14:00:00+02:00"),
    ]
    data = instance(shifts=chain)
    two = validate(data, result(("S1", 0, "V1"), ("S2", 0, "V1")))
    assert two.valid
    three = validate(data, result(("S1", 0, "V1"), ("S2", 0, "V1"), ("S3", 0, "V1")))
    assert (
        len(three.violations) == 1 and "S3" in three.violations[0] and "S1" in three.violations[0]
    )


# --- 4. weekly hours -------------------------------------------------------------------------


def test_c4_weekly_hours_count_bookings_and_split_at_local_monday() -> None:
    # booked 17 h in the ISO week of Monday 30 Nov; the 4 h shift makes 21 > 20
    booked = [{"start": "2026-12-02T00:00:00+02:00", "end": "2026-12-02T17:00:00+02:00"}]
    over = validate(instance(volunteers=[volunteer("V1", booked=booked)]), result(("S1", 0, "V1")))
    assert rules_hit(over.violations) == {"4 weekly hours"}
    # the same 17 h booked across Sunday->Monday midnight: only 10 h fall in the shift's week
    across = [
        {"start": "2026-11-29T17:00:00+02:00", "end": "2026-11-30T06:00:00+02:00"},
        {"start": "2026-12-03T00:00:00+02:00", "end": "2026-12-03T04:00:00+02:00"},
    ]
    ok = validate(instance(volunteers=[volunteer("V1", booked=across)]), result(("S1", 0, "V1")))
    # 6 h (Mon 00:00-06:00) + 4 h + 4 h new = 14 h <= 20; rest from 06:00 to 09:00 is short though
    assert "4 weekly hours" not in rules_hit(ok.violations)


def test_c4_accepts_exactly_the_limit() -> None:
    booked = [{"start": "2026-12-02T00:00:00+02:00", "end": "2026-12-02T16:00:00+02:00"}]
    report = validate(
        instance(volunteers=[volunteer("V1", booked=booked)]), result(("S1", 0, "V1"))
    )
    assert report.valid, report.violations


# --- 5. travel -------------------------------------------------------------------------------


def test_c5_rejects_beyond_max_travel_and_accepts_within() -> None:
    # 0.5 degree of latitude is about 55.6 km
    data = instance(
        volunteers=[volunteer("V1", lat=CAIRO[0] + 0.5), volunteer("V2", lat=CAIRO[0] + 0.4)]
    )
    report = validate(data, result(("S1", 0, "V1"), ("S1", 0, "V2")))
    assert rules_hit(report.violations) == {"5 travel"}
    assert "V1" in report.violations[0]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine, written here from the formula (radius 6371.0 km), not taken from the code."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(lon2 - lon1) / 2
    ) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def test_c5_half_a_millimetre_over_the_limit_is_over() -> None:
    lat = CAIRO[0] + 0.09
    d = _km(lat, CAIRO[1], *CAIRO)
    over = instance(volunteers=[volunteer("V1", lat=lat, maxTravelKm=d - 5e-7)])
    assert rules_hit(validate(over, result(("S1", 0, "V1"))).violations) == {"5 travel"}
    at = instance(volunteers=[volunteer("V1", lat=lat, maxTravelKm=d + 1e-12)])
    assert validate(at, result(("S1", 0, "V1"))).valid


def test_c5_zero_km_reaches_the_same_place() -> None:
    data = instance(volunteers=[volunteer("V1", maxTravelKm=0)])
    assert validate(data, result(("S1", 0, "V1"))).valid


# --- 6. gender and age -----------------------------------------------------------------------


def test_c6_gender_and_min_age() -> None:
    needs = [{"skill": "first_aid", "count": 2, "minLevel": 1, "gender": "F", "minAge": 18}]
    data = instance(
        volunteers=[
            volunteer("V1"),
            volunteer("V2", gender="M"),
            volunteer("V3", birthYear=2009),
            volunteer("V4", birthYear=2008),
        ],  # 2026 - 2008 = 18: allowed
        shifts=[shift("S1", *MON_9_13, needs=needs)],
    )
    assert validate(data, result(("S1", 0, "V1"), ("S1", 0, "V4"))).valid
    report = validate(data, result(("S1", 0, "V2"), ("S1", 0, "V3")))
    assert rules_hit(report.violations) == {"6 gender", "6 age"}


def test_c6_age_uses_the_local_year_of_the_shift_start() -> None:
    # 2026-12-31 23:00 UTC is already 2027 in Cairo: a 2009-born turns 18 that local year
    needs = [{"skill": "first_aid", "count": 1, "minLevel": 1, "minAge": 18}]
    every_day = [{"weekday": d, "start": "00:00", "end": "24:00"} for d in range(1, 8)]
    data = instance(
        volunteers=[volunteer("V1", birthYear=2009, availability=every_day)],
        shifts=[shift("S1", "2026-12-31T23:00:00+00:00", "2027-01-01T00:00:00+00:00", needs=needs)],
    )
    assert validate(data, result(("S1", 0, "V1"))).valid


# --- 7. membership, lenders, quotas ----------------------------------------------------------


def lending_instance(members_a3: int, inactive_a3: int = 0) -> dict[str, object]:
    vols = [volunteer(f"L{i:02d}", associations=["A3"]) for i in range(members_a3)]
    vols += [volunteer(f"X{i:02d}", associations=["A3"], active=False) for i in range(inactive_a3)]
    vols += [volunteer("M1", associations=["A9"]), volunteer("N1", associations=["A2"])]
    needs = [{"skill": "first_aid", "count": 5, "minLevel": 1}]
    shifts = [
        shift("S1", *MON_9_13, association="A9", needs=needs),
        shift(
            "S2",
            "2026-12-01T09:00:00+02:00",
            "2026-12-01T13:00:00+02:00",
            association="A9",
            needs=needs,
        ),
        shift("S3", *MON_9_13, association="A1", needs=needs),
    ]
    return instance(volunteers=vols, shifts=shifts)


def test_c7_quota_is_exact_floor_of_share_times_active_members() -> None:
    # 0.2 x 15 active = 3 (exactly, not 2.9999); inactive members do not count
    data = lending_instance(15, inactive_a3=4)
    three = result(
        ("S1", 0, "L00", "A3"),
        ("S1", 0, "L01", "A3"),
        ("S1", 0, "L02", "A3"),
        ("S2", 0, "L00", "A3"),
    )  # lent twice by the same lender: counts once
    assert validate(data, three).valid, validate(data, three).violations
    four = result(
        ("S1", 0, "L00", "A3"),
        ("S1", 0, "L01", "A3"),
        ("S1", 0, "L02", "A3"),
        ("S2", 0, "L03", "A3"),
    )
    report = validate(data, four)
    assert rules_hit(report.violations) == {"7 quota"}
    assert "quota is 3" in report.violations[0]


def test_c7_lender_must_be_named_for_non_members_only() -> None:
    data = lending_instance(15)
    report = validate(data, result(("S1", 0, "M1", "A3"), ("S1", 0, "L00")))
    assert rules_hit(report.violations) == {"7 lender", "7 membership"}
    assert validate(data, result(("S1", 0, "M1"), ("S1", 0, "L00", "A3"))).valid


def test_c7_lender_must_lend_to_the_borrower_and_be_the_volunteers() -> None:
    data = lending_instance(15)
    report = validate(
        data,
        result(
            ("S3", 0, "L00", "A3"),  # A3 lends only to A9, not A1
            ("S1", 0, "N1", "A2"),  # A2 does not lend
            ("S1", 0, "L01", "A1"),  # A1 lends to all but L01 is not a member of A1
        ),
    )
    assert rules_hit(report.violations) == {"7 lender"}
    assert len(report.violations) == 3


# --- 8. one slot per shift, need counts, ids -------------------------------------------------


def test_c8_one_slot_per_shift_and_count() -> None:
    needs = [
        {"skill": "first_aid", "count": 1, "minLevel": 1},
        {"skill": "first_aid", "count": 1, "minLevel": 1},
    ]
    data = instance(
        volunteers=[volunteer("V1"), volunteer("V2"), volunteer("V3")],
        shifts=[shift("S1", *MON_9_13, needs=needs)],
    )
    assert validate(data, result(("S1", 0, "V1"), ("S1", 1, "V2"))).valid
    report = validate(data, result(("S1", 0, "V1"), ("S1", 1, "V1"), ("S1", 1, "V2")))
    assert rules_hit(report.violations) == {"8 one slot", "8 count"}


def test_unknown_ids_and_need_out_of_range_are_violations() -> None:
    report = validate(instance(), result(("S9", 0, "V1"), ("S1", 0, "V9"), ("S1", 3, "V1")))
    assert rules_hit(report.violations) == {"ids"}
    assert len(report.violations) == 3
    assert report.filled == 0


def test_malformed_documents_raise_with_the_path() -> None:
    with pytest.raises(ValidationInputError) as err:
        validate(
            instance(),
            {"format": "tahaluf-result/1", "assignments": [{"shift": "S1", "volunteer": "V1"}]},
        )
    assert err.value.path == "assignments[0].need"
    bad = instance(shifts=[shift("S1", "yesterday", MON_9_13[1])])
    with pytest.raises(ValidationInputError) as err2:
        validate(bad, result())
    assert err2.value.path == "shifts[0].start"


# --- independence and clock details ----------------------------------------------------------


def test_the_validator_shares_no_code_with_the_solver() -> None:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "engine" / "matching"
    files = [root / "validate.py", *root.glob("validation_*.py")]
    allowed_prefixes = ("engine.matching.validation_", "engine.matching.validate")
    stdlib_ok = {
        "__future__",
        "collections",
        "dataclasses",
        "datetime",
        "fractions",
        "math",
        "typing",
        "zoneinfo",
        "numpy",
    }
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.startswith(allowed_prefixes) or name.split(".")[0] in stdlib_ok, (
                    f"{path.name} imports {name}"
                )


def test_week_hours_split_at_local_monday_and_count_real_dst_hours() -> None:
    from zoneinfo import ZoneInfo

    from engine.matching.validation_time import epoch, week_hours

    cairo = ZoneInfo("Africa/Cairo")
    # Sunday 22:00 -> Monday 02:00 local (winter): 2 h in each ISO week
    split = week_hours(
        epoch("2026-11-29T22:00:00+02:00"), epoch("2026-11-30T02:00:00+02:00"), cairo
    )
    assert split == {(2026, 48): 2.0, (2026, 49): 2.0}
    # Egypt falls back on Thursday 29 Oct 2026 at 24:00: a 22:00-02:00 clock night lasts 5 h
    night = week_hours(
        epoch("2026-10-29T22:00:00+03:00"), epoch("2026-10-30T02:00:00+02:00"), cairo
    )
    assert sum(night.values()) == pytest.approx(5.0)
