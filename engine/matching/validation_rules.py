"""The eight hard constraints of INSTANCE.md, re-checked from scratch, and the cost terms.

Each constraint is a small named function; the validator runs the lists below. Assignment rules
see one result line; volunteer rules see all of one volunteer's lines; result rules see them all.
Every rule returns human-readable violation strings naming the rule, volunteer and shift.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from engine.matching.validation_model import (
    HeldSkill,
    InstanceView,
    Interval,
    NeedView,
    Placement,
    ShiftView,
    VolunteerView,
)
from engine.matching.validation_time import local_year, week_hours

EARTH_RADIUS_KM = 6371.0
#: floating-point slack only (1 micrometre): rounding of the haversine, never a real distance
DISTANCE_TOLERANCE_KM = 1e-9
HOURS_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Resolved:
    """A result line whose volunteer, shift and need all exist in the instance."""

    placement: Placement
    volunteer: VolunteerView
    shift: ShiftView
    need: NeedView


def where(p: Placement) -> str:
    return f"volunteer {p.volunteer_id} on shift {p.shift_id} need {p.need_index}"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance with Earth radius 6371.0 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def qualifying_levels(r: Resolved, view: InstanceView) -> list[int]:
    """Levels of the volunteer's unexpired skills that serve the need at >= minLevel."""
    serving = view.implied_by.get(r.need.skill, frozenset({r.need.skill}))
    return [
        s.level for s in r.volunteer.skills if qualifies(s, serving, r.need.min_level, r.shift.end)
    ]


def qualifies(skill: HeldSkill, serving: frozenset[str], min_level: int, shift_end: float) -> bool:
    if skill.code not in serving or skill.level < min_level:
        return False
    return skill.expires is None or skill.expires > shift_end


# --- assignment rules ------------------------------------------------------------------------


def rule_active_and_qualified(r: Resolved, view: InstanceView) -> list[str]:
    """Constraint 1: active, holding the skill or one implying it at minLevel, unexpired at the end."""
    out: list[str] = []
    if not r.volunteer.active:
        out.append(f"[1 active] {where(r.placement)}: volunteer is not active")
    if not qualifying_levels(r, view):
        out.append(
            f"[1 skill] {where(r.placement)}: holds no unexpired {r.need.skill} "
            f"(or implying skill) at level >= {r.need.min_level}"
        )
    return out


def rule_available(r: Resolved, view: InstanceView) -> list[str]:
    """Constraint 2: each local day piece fits in one window of that weekday; no blackout overlap."""
    out: list[str] = []
    for piece in r.shift.pieces(view.timezone):
        windows = r.volunteer.windows.get(piece.day.isoweekday(), [])
        if not any(s <= piece.start_minute and piece.end_minute <= e for s, e in windows):
            out.append(
                f"[2 availability] {where(r.placement)}: no availability window covers "
                f"{piece.day.isoformat()} {piece.start_minute // 60:02d}:{piece.start_minute % 60:02d}"
                f"-{piece.end_minute // 60:02d}:{piece.end_minute % 60:02d}"
            )
    for start, end in r.volunteer.blackouts:
        if start < r.shift.end and r.shift.start < end:
            out.append(f"[2 blackout] {where(r.placement)}: shift intersects a blackout")
            break
    return out


def rule_within_reach(r: Resolved, view: InstanceView) -> list[str]:
    """Constraint 5: haversine distance volunteer -> shift at most maxTravelKm."""
    distance = haversine_km(r.volunteer.lat, r.volunteer.lon, r.shift.lat, r.shift.lon)
    if distance > r.volunteer.max_travel_km + DISTANCE_TOLERANCE_KM:
        return [
            f"[5 travel] {where(r.placement)}: {distance:.3f} km exceeds maxTravelKm "
            f"{r.volunteer.max_travel_km:g}"
        ]
    return []


def rule_gender_and_age(r: Resolved, view: InstanceView) -> list[str]:
    """Constraint 6: the need's gender and minAge (local year of the shift start - birthYear)."""
    out: list[str] = []
    if r.need.gender is not None and r.volunteer.gender != r.need.gender:
        out.append(f"[6 gender] {where(r.placement)}: need requires gender {r.need.gender}")
    if r.need.min_age is not None:
        age = local_year(r.shift.start, view.timezone) - r.volunteer.birth_year
        if age < r.need.min_age:
            out.append(f"[6 age] {where(r.placement)}: age {age} below minAge {r.need.min_age}")
    return out


def rule_membership_and_lender(r: Resolved, view: InstanceView) -> list[str]:
    """Constraint 7 (who may serve): own association, or lent by a member association that lends
    to the shift's association; the result names that lender, and none for a member."""
    p = r.placement
    host = r.shift.association
    if host in r.volunteer.associations:
        if p.lender is not None:
            return [f"[7 lender] {where(p)}: lender {p.lender} named for a member of {host}"]
        return []
    if p.lender is None:
        return [f"[7 membership] {where(p)}: not a member of {host} and no lender named"]
    if p.lender not in r.volunteer.associations:
        return [f"[7 lender] {where(p)}: lender {p.lender} is not an association of the volunteer"]
    lender = view.associations.get(p.lender)
    if lender is None or not lender.lends:
        return [f"[7 lender] {where(p)}: association {p.lender} does not lend"]
    if lender.borrowers is not None and host not in lender.borrowers:
        return [f"[7 lender] {where(p)}: {p.lender} does not lend to {host}"]
    return []


AssignmentRule = Callable[[Resolved, InstanceView], list[str]]
ASSIGNMENT_RULES: tuple[AssignmentRule, ...] = (
    rule_active_and_qualified,
    rule_available,
    rule_within_reach,
    rule_gender_and_age,
    rule_membership_and_lender,
)


# --- volunteer rules -------------------------------------------------------------------------


def rule_one_slot_per_shift(
    volunteer: VolunteerView, lines: Sequence[Resolved], view: InstanceView
) -> list[str]:
    """Constraint 8a: a volunteer fills at most one slot of one shift."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for r in lines:
        seen[r.shift.id] = seen.get(r.shift.id, 0) + 1
    for shift_id, times in seen.items():
        if times > 1:
            out.append(
                f"[8 one slot] volunteer {volunteer.id} fills {times} slots of shift {shift_id}"
            )
    return out


def volunteer_intervals(volunteer: VolunteerView, lines: Sequence[Resolved]) -> list[Interval]:
    """The volunteer's new shifts (each shift once) followed by its existing bookings."""
    new: dict[str, Interval] = {}
    for r in lines:
        new.setdefault(r.shift.id, Interval(r.shift.start, r.shift.end, r.shift.event, r.shift.id))
    return list(new.values()) + list(volunteer.booked)


def rule_no_overlap_and_rest(
    volunteer: VolunteerView, lines: Sequence[Resolved], view: InstanceView
) -> list[str]:
    """Constraint 3: every pair (new+booked, at least one new) neither overlaps nor breaks the
    rest, except end == start within one event (a booking without event never qualifies)."""
    intervals = sorted(volunteer_intervals(volunteer, lines), key=lambda i: (i.start, i.end))
    rest = view.min_rest_hours * 3600.0
    out: list[str] = []
    for i, first in enumerate(intervals):
        for second in intervals[i + 1 :]:
            if first.shift is None and second.shift is None:
                continue  # two existing bookings are not this result's doing
            if second.start - first.end >= rest:
                break  # sorted by start: every later interval starts later still
            if (
                first.end == second.start
                and first.event is not None
                and first.event == second.event
            ):
                continue
            kind = "overlaps" if second.start < first.end else "leaves less than minRestHours after"
            out.append(
                f"[3 overlap/rest] volunteer {volunteer.id}: {label(second)} {kind} {label(first)}"
            )
    return out


def label(interval: Interval) -> str:
    return f"shift {interval.shift}" if interval.shift is not None else "an existing booking"


def rule_weekly_hours(
    volunteer: VolunteerView, lines: Sequence[Resolved], view: InstanceView
) -> list[str]:
    """Constraint 4: real hours per local ISO week (new plus booked) within maxHoursWeek, checked
    for every week a new shift touches."""
    totals: dict[tuple[int, int], float] = defaultdict(float)
    touched: set[tuple[int, int]] = set()
    for interval in volunteer_intervals(volunteer, lines):
        for week, hours in week_hours(interval.start, interval.end, view.timezone).items():
            totals[week] += hours
            if interval.shift is not None:
                touched.add(week)
    out: list[str] = []
    for week in sorted(touched):
        if totals[week] > volunteer.max_hours_week + HOURS_TOLERANCE:
            out.append(
                f"[4 weekly hours] volunteer {volunteer.id}: {totals[week]:g} h in ISO week "
                f"{week[0]}-W{week[1]:02d} exceeds maxHoursWeek {volunteer.max_hours_week:g}"
            )
    return out


VolunteerRule = Callable[[VolunteerView, Sequence[Resolved], InstanceView], list[str]]
VOLUNTEER_RULES: tuple[VolunteerRule, ...] = (
    rule_one_slot_per_shift,
    rule_no_overlap_and_rest,
    rule_weekly_hours,
)


# --- whole-result rules ----------------------------------------------------------------------


def rule_lender_quota(lines: Sequence[Resolved], view: InstanceView) -> list[str]:
    """Constraint 7b: distinct volunteers lent by each lender <= floor(maxShare x active members)."""
    lent: dict[str, set[str]] = defaultdict(set)
    for r in lines:
        lender = r.placement.lender
        if (
            lender is not None
            and lender in r.volunteer.associations
            and r.shift.association not in r.volunteer.associations
        ):
            lent[lender].add(r.volunteer.id)
    out: list[str] = []
    for lender_id in sorted(lent):
        association = view.associations.get(lender_id)
        if association is None or not association.lends:
            continue  # reported per line by rule_membership_and_lender
        quota = math.floor(association.max_share * view.active_members.get(lender_id, 0))
        if len(lent[lender_id]) > quota:
            out.append(
                f"[7 quota] association {lender_id} lends {len(lent[lender_id])} volunteers, "
                f"quota is {quota}"
            )
    return out


def rule_need_count(lines: Sequence[Resolved], view: InstanceView) -> list[str]:
    """Constraint 8b: a need gets at most `count` volunteers."""
    taken: dict[tuple[str, int], int] = defaultdict(int)
    for r in lines:
        taken[(r.shift.id, r.placement.need_index)] += 1
    out: list[str] = []
    for (shift_id, need_index), n in sorted(taken.items()):
        count = view.shifts[shift_id].needs[need_index].count
        if n > count:
            out.append(
                f"[8 count] shift {shift_id} need {need_index} gets {n} volunteers, count is {count}"
            )
    return out


ResultRule = Callable[[Sequence[Resolved], InstanceView], list[str]]
RESULT_RULES: tuple[ResultRule, ...] = (rule_lender_quota, rule_need_count)


# --- cost terms (weight x quantity, named as the weights) ------------------------------------


def term_distance(r: Resolved, view: InstanceView) -> float:
    """distanceKm x great-circle km."""
    d = haversine_km(r.volunteer.lat, r.volunteer.lon, r.shift.lat, r.shift.lon)
    return view.weights["distanceKm"] * d


def term_over_level(r: Resolved, view: InstanceView) -> float:
    """overLevel x (lowest qualifying level - minLevel); 0 when nothing qualifies."""
    levels = qualifying_levels(r, view)
    return view.weights["overLevel"] * (min(levels) - r.need.min_level) if levels else 0.0


def term_hours_this_month(r: Resolved, view: InstanceView) -> float:
    """hoursThisMonth x h / 10 (fairness)."""
    return view.weights["hoursThisMonth"] * r.volunteer.hours_this_month / 10.0


def term_unreliability(r: Resolved, view: InstanceView) -> float:
    """unreliability x (1 - reliability)."""
    return view.weights["unreliability"] * (1.0 - r.volunteer.reliability)


def term_exchange(r: Resolved, view: InstanceView) -> float:
    """exchange x [the volunteer is not a member of the shift's association]."""
    borrowed = r.shift.association not in r.volunteer.associations
    return view.weights["exchange"] if borrowed else 0.0


CostTerm = Callable[[Resolved, InstanceView], float]
COST_TERMS: dict[str, CostTerm] = {
    "distanceKm": term_distance,
    "overLevel": term_over_level,
    "hoursThisMonth": term_hours_this_month,
    "unreliability": term_unreliability,
    "exchange": term_exchange,
}
