"""Hard constraints of INSTANCE.md as small named, vectorised functions.

Each constraint takes the problem and a batch of (need, volunteer) pairs (two equal-length int
arrays) and returns a boolean mask: True where the pair is allowed. They are grouped in stages;
the stage at which a need loses its last candidate names the unfilled reason:

- ``REACH`` (else ``NO_SKILL_IN_REACH``): active, qualifying skill, travel distance, association.
- ``RULE`` (else ``RULE``): the need's gender and minimum age.
- ``AVAILABLE`` (else ``NOT_AVAILABLE``): weekly availability windows and blackouts.
- ``BUSY`` (else ``ALL_CANDIDATES_BUSY``): overlap/rest with ``booked`` and weekly hours with
  ``booked`` hours.

The time rules (windows per local day, blackouts, overlap/rest with the same-event
back-to-back exception, ISO-week hours) are ``engine.scheduling``'s; the functions here only
hand it the problem's arrays. Constraints between the NEW assignments of one volunteer
(overlap/rest among them, weekly hours of new + booked, lender quotas) are enforced by the
solver (``engine.matching.residual``), with the same ``conflicts`` and ``HOURS_EPS``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from engine.scheduling.availability_index import AvailabilityIndex
from engine.scheduling.availability_pairs import shifts_fit_windows
from engine.scheduling.span_rules import spans_conflict, spans_intersect
from engine.scheduling.types import DayPiece
from engine.scheduling.weekly_hours import HOURS_TOLERANCE, weekly_hours_fit
from engine.types import NO_AGE, NO_GENDER, BoolArray, FloatArray, IntArray, Problem

EARTH_RADIUS_KM = 6371.0
#: largest (distinct shift pieces x volunteers) availability table ``prepared_stages`` builds
WINDOW_TABLE_BYTES = 1 << 28
#: slack on weekly-hour sums (the scheduling rule's), for the solver's running totals
HOURS_EPS = HOURS_TOLERANCE
#: overlap/rest between two shifts as arrays (the scheduling rule), for the solver's checks
conflicts = spans_conflict

Constraint = Callable[[Problem, IntArray, IntArray], BoolArray]


def haversine_km(lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray) -> FloatArray:
    """Great-circle distance in km (haversine, Earth radius 6371.0 km)."""
    p2 = np.radians(lat2)
    return _haversine_radians(np.radians(lat1), np.radians(lon1), p2, np.radians(lon2), np.cos(p2))


def _haversine_radians(
    p1: FloatArray, l1: FloatArray, p2: FloatArray, l2: FloatArray, cos_p2: FloatArray
) -> FloatArray:
    """``haversine_km`` from latitudes/longitudes in radians and the second point's cos(lat)."""
    dp = p2 - p1
    dl = l2 - l1
    a = np.sin(dp / 2.0) ** 2 + np.cos(p1) * cos_p2 * np.sin(dl / 2.0) ** 2
    out: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return out


def pair_distance_km(problem: Problem, need: IntArray, vol: IntArray) -> FloatArray:
    """Distance from each volunteer to the shift of each need (the shift side in radians is
    worked out once per shift, not once per pair)."""
    s = problem.needs.shift[need]
    v = problem.volunteers
    p2 = np.radians(problem.shifts.lat)
    l2 = np.radians(problem.shifts.lon)
    return _haversine_radians(
        np.radians(v.lat[vol]), np.radians(v.lon[vol]), p2[s], l2[s], np.cos(p2)[s]
    )


def qualifying_level(problem: Problem, need: IntArray, vol: IntArray) -> IntArray:
    """The LOWEST level among the volunteer's skills that qualify for the need (the skill itself
    or one implying it, ``level >= minLevel``, ``expiresAt`` after the shift end); 0 if none."""
    v = problem.volunteers
    nd = problem.needs
    skills = problem.skills
    best = np.full(len(need), 99, dtype=np.int64)
    start = v.skill_ptr[vol]
    count = v.skill_ptr[vol + 1] - start
    end_t = problem.shifts.end[nd.shift[need]]
    min_level = nd.min_level[need]
    target = nd.skill[need]
    for k in range(int(count.max(initial=0))):
        sel = np.flatnonzero(count > k)
        e = start[sel] + k
        code = v.skill_code[e]
        lvl = v.skill_level[e]
        ok = (lvl >= min_level[sel]) & (v.skill_expires[e] > end_t[sel])
        # does skill `code` qualify for skill `target`? (target's qualifier list contains code)
        qual = np.zeros(len(sel), dtype=bool)
        for t in np.unique(target[sel]):
            m = target[sel] == t
            qs = skills.qualifiers[skills.qualifier_ptr[t] : skills.qualifier_ptr[t + 1]]
            qual[m] = np.isin(code[m], qs)
        ok &= qual
        best[sel] = np.where(ok, np.minimum(best[sel], lvl), best[sel])
    return np.where(best == 99, 0, best)


# ---------------------------------------------------------------- REACH
def is_active(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
    """Only active volunteers are matched."""
    out: BoolArray = problem.volunteers.active[vol]
    return out


def holds_skill(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
    """The volunteer holds the need's skill, or one implying it (transitively), at
    ``level >= minLevel`` and not expired at the shift's end (``expiresAt <= end`` is expired)."""
    out: BoolArray = qualifying_level(problem, need, vol) > 0
    return out


#: the solver keeps a pair only when its distance is inside ``maxTravelKm`` by this relative
#: margin, so a validator computing the haversine with other floating-point steps (about 1e-14
#: relative apart) never finds an assigned distance over the limit; 0 km still reaches 0 km
TRAVEL_MARGIN = 1e-12


def in_reach(distance_km: FloatArray, max_travel_km: FloatArray) -> BoolArray:
    """``distance <= maxTravelKm``, with the solver's safety margin (``TRAVEL_MARGIN``)."""
    out: BoolArray = distance_km <= max_travel_km * (1.0 - TRAVEL_MARGIN)
    return out


def within_travel(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
    """Haversine distance volunteer -> shift is at most the volunteer's ``maxTravelKm``."""
    return in_reach(pair_distance_km(problem, need, vol), problem.volunteers.max_travel_km[vol])


def association_eligible(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
    """Member of the shift's association, or member of an association that lends to it."""
    a = problem.shifts.association[problem.needs.shift[need]]
    serves = problem.volunteers.serves
    out: BoolArray = serves.ravel()[vol * serves.shape[1] + a]  # = serves[vol, a], one gather
    return out


# ---------------------------------------------------------------- RULE
def meets_gender(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
    """The need's gender, when set, equals the volunteer's."""
    g = problem.needs.gender[need]
    out: BoolArray = (g == NO_GENDER) | (g == problem.volunteers.gender[vol])
    return out


def meets_min_age(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
    """Age (local year of the shift start minus birth year) is at least the need's minAge."""
    nd = problem.needs
    age = problem.shifts.local_year[nd.shift[need]] - problem.volunteers.birth_year[vol]
    out: BoolArray = (nd.min_age[need] == NO_AGE) | (age >= nd.min_age[need])
    return out


# ---------------------------------------------------------------- AVAILABLE
def inside_availability(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
    """Each local-day piece of the shift lies inside ONE availability window of that weekday
    (windows were split at midnight when parsed; two windows of a day are not joined)."""
    sh = problem.shifts
    v = problem.volunteers
    return shifts_fit_windows(
        (v.window_ptr, v.window_start, v.window_end),
        sh.piece_ptr, sh.piece_weekday, sh.piece_start, sh.piece_end,
        problem.needs.shift[need], vol,
    )


def outside_blackouts(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
    """The shift does not intersect any of the volunteer's blackout intervals."""
    v = problem.volunteers
    s = problem.needs.shift[need]
    return ~_any_own(
        v.blackout_ptr, vol,
        lambda sel, b: spans_intersect(
            v.blackout_start[b], v.blackout_end[b],
            problem.shifts.start[s[sel]], problem.shifts.end[s[sel]],
        ),
    )


# ---------------------------------------------------------------- BUSY
def free_of_bookings(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
    """No overlap and at least ``minRestHours`` with every ``booked`` entry of the volunteer
    (same-event back-to-back exception; a booking without event never gets it)."""
    v = problem.volunteers
    sh = problem.shifts
    s = problem.needs.shift[need]
    rest = problem.rules.min_rest_hours * 3600.0
    return ~_any_own(
        v.booked_ptr, vol,
        lambda sel, b: spans_conflict(
            v.booked_start[b], v.booked_end[b], v.booked_event[b],
            sh.start[s[sel]], sh.end[s[sel]], sh.event[s[sel]], rest,
        ),
    )


def within_weekly_hours(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
    """In every ISO week the shift touches, its hours plus the booked hours fit ``maxHoursWeek``."""
    v = problem.volunteers
    return weekly_hours_fit(
        problem.shifts.week_hours, v.booked_week_hours, v.max_hours_week,
        problem.needs.shift[need], vol,
    )


def _any_own(
    ptr: IntArray, vol: IntArray, hit: Callable[[IntArray, IntArray], BoolArray]
) -> BoolArray:
    """Per pair: does ``hit(sel, entry)`` hold for one of the volunteer's entries (a CSR list
    ``ptr[v]:ptr[v+1]`` such as its blackouts or bookings)? ``hit`` gets the pairs ``sel``
    that have a ``k``-th entry and those entries, for k = 0, 1, ..."""
    e0 = ptr[vol]
    en = ptr[vol + 1] - e0
    out = np.zeros(len(vol), dtype=bool)
    for k in range(int(en.max(initial=0))):
        sel = np.flatnonzero(en > k)
        out[sel] |= hit(sel, e0[sel] + k)
    return out


REACH: tuple[Constraint, ...] = (is_active, holds_skill, within_travel, association_eligible)
RULE: tuple[Constraint, ...] = (meets_gender, meets_min_age)
AVAILABLE: tuple[Constraint, ...] = (inside_availability, outside_blackouts)
BUSY: tuple[Constraint, ...] = (free_of_bookings, within_weekly_hours)

#: (stage name = the unfilled reason when a need has no candidate left after it, constraints)
STAGES: tuple[tuple[str, tuple[Constraint, ...]], ...] = (
    ("NO_SKILL_IN_REACH", REACH),
    ("RULE", RULE),
    ("NOT_AVAILABLE", AVAILABLE),
    ("ALL_CANDIDATES_BUSY", BUSY),
)

#: every pair constraint, in stage order
PAIR_CONSTRAINTS: tuple[Constraint, ...] = REACH + RULE + AVAILABLE + BUSY


def prepared_stages(problem: Problem) -> tuple[tuple[Constraint, ...], ...]:
    """``RULE``, ``AVAILABLE`` and ``BUSY`` for checking many batches of pairs of ``problem``
    (and only of it): the same constraints, but the window check reads a table built once by
    scheduling's ``AvailabilityIndex`` (a row per distinct set of local-day pieces, a column per
    volunteer) when that table fits in ``WINDOW_TABLE_BYTES``."""
    sh = problem.shifts
    ptr = sh.piece_ptr.tolist()
    wd, a, b = sh.piece_weekday.tolist(), sh.piece_start.tolist(), sh.piece_end.tolist()
    patterns: dict[tuple[DayPiece, ...], int] = {}
    pattern = np.empty(sh.count, dtype=np.int64)
    for s in range(sh.count):
        key = tuple(DayPiece(wd[k], a[k], b[k]) for k in range(ptr[s], ptr[s + 1]))
        pattern[s] = patterns.setdefault(key, len(patterns))
    v = problem.volunteers
    if len(patterns) * v.count > WINDOW_TABLE_BYTES:
        return RULE, AVAILABLE, BUSY
    row = np.repeat(np.arange(7 * v.count), np.diff(v.window_ptr))
    pieces = {piece for key in patterns for piece in key}
    index = AvailabilityIndex.from_arrays(
        row // 7, row % 7 + 1, v.window_start, v.window_end, v.count, cache_size=len(pieces) + 1
    )
    table = index.pattern_table(list(patterns)).ravel()
    row_of_need = pattern[problem.needs.shift] * v.count

    def inside_availability_table(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
        """``inside_availability`` read from the table of the prepared problem."""
        out: BoolArray = table[row_of_need[need] + vol]
        return out

    return RULE, (inside_availability_table, outside_blackouts), BUSY


def allowed(problem: Problem, need: IntArray, vol: IntArray) -> BoolArray:
    """All pair constraints at once (for tests and explanations; the candidate generator applies
    the same functions after a skill/space pre-filter)."""
    ok = np.ones(len(need), dtype=bool)
    for c in PAIR_CONSTRAINTS:
        idx = np.flatnonzero(ok)
        if len(idx) == 0:
            break
        ok[idx] = c(problem, need[idx], vol[idx])
    return ok
