"""The exact sub-solve of a neighbourhood (engine.matching.hood_search): each rule it checks
forbids in one case and lets through in another, independent parts are split, and on random
small parts the branch and bound equals brute-force enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from engine.matching.hood_search import HoodOption, HoodSearch, loosen, parts

PEN = 1000.0
N_LENDERS = 3


def opt(
    edge: int,
    vol: int,
    cost: float,
    shift: int = 0,
    lenders: tuple[int, ...] = (),
    free: bool = False,
    hours: float = 4.0,
    room: float = 40.0,
) -> HoodOption:
    return HoodOption(
        edge=edge,
        vol=vol,
        cost=cost,
        shift=shift,
        lenders=lenders,
        free=free,
        load=((0, hours, room),),
    )


def search(
    options: list[list[HoodOption]],
    counts: list[int],
    clash: np.ndarray | None = None,
    quota_left: tuple[int, ...] = (9, 9, 9),
    fixed_lent: np.ndarray | None = None,
    incumbent: float | None = None,
) -> tuple[float, list[tuple[int, int, int]]]:
    """Best objective found (cost + penalties) and its (need, volunteer, lender) choices."""
    n_shifts = 1 + max((o.shift for opts in options for o in opts), default=0)
    if clash is None:
        clash = np.eye(n_shifts, dtype=bool)
    if fixed_lent is None:
        fixed_lent = np.zeros((10, N_LENDERS), dtype=np.int32)
    if incumbent is None:
        incumbent = PEN * sum(counts)  # everything open
    s = HoodSearch(
        options, counts, [PEN] * len(counts), clash, np.array(quota_left), fixed_lent, incumbent
    )
    choice = s.run()
    if choice is None:
        return incumbent, []
    picked = sorted((p, o.vol, lender) for p, o, lender in choice)
    cost = sum(o.cost for _, o, _ in choice) + PEN * (sum(counts) - len(choice))
    return cost, picked


def test_one_volunteer_takes_two_needs_of_shifts_that_do_not_clash() -> None:
    cost, picked = search([[opt(0, 1, 10.0, shift=0)], [opt(1, 1, 20.0, shift=1)]], [1, 1])
    assert picked == [(0, 1, -1), (1, 1, -1)]
    assert cost == 30.0


def test_clashing_shifts_keep_a_volunteer_to_one_of_them() -> None:
    clash = np.ones((2, 2), dtype=bool)
    cost, picked = search(
        [[opt(0, 1, 10.0, shift=0)], [opt(1, 1, 20.0, shift=1)]], [1, 1], clash=clash
    )
    assert len(picked) == 1
    assert cost == 10.0 + PEN


def test_weekly_hours_keep_a_volunteer_to_what_its_room_holds() -> None:
    tight = [[opt(0, 1, 10.0, shift=0, room=6.0)], [opt(1, 1, 20.0, shift=1, room=6.0)]]
    assert len(search(tight, [1, 1])[1]) == 1
    roomy = [[opt(0, 1, 10.0, shift=0, room=8.0)], [opt(1, 1, 20.0, shift=1, room=8.0)]]
    assert len(search(roomy, [1, 1])[1]) == 2


def test_a_lender_lends_no_more_new_volunteers_than_its_quota_left() -> None:
    options = [[opt(0, 1, 10.0, lenders=(0,)), opt(1, 2, 11.0, lenders=(0,))]]
    assert len(search(options, [2], quota_left=(1, 9, 9))[1]) == 1
    assert len(search(options, [2], quota_left=(2, 9, 9))[1]) == 2


def test_a_loan_already_counted_in_the_fixed_part_spends_no_quota() -> None:
    options = [[opt(0, 1, 10.0, lenders=(0,)), opt(1, 2, 11.0, lenders=(0,))]]
    fixed = np.zeros((10, N_LENDERS), dtype=np.int32)
    fixed[2, 0] = 1  # volunteer 2 is lent by lender 0 elsewhere already
    assert len(search(options, [2], quota_left=(1, 9, 9), fixed_lent=fixed)[1]) == 2
    assert len(search(options, [2], quota_left=(0, 9, 9), fixed_lent=fixed)[1]) == 1


def test_one_volunteer_lent_to_two_needs_counts_once() -> None:
    options = [[opt(0, 1, 10.0, shift=0, lenders=(0,))], [opt(1, 1, 10.0, shift=1, lenders=(0,))]]
    assert len(search(options, [1, 1], quota_left=(1, 9, 9))[1]) == 2


def test_the_second_lender_is_branched_on_when_the_first_is_needed_elsewhere() -> None:
    # volunteer 1 may come from lender 0 or 1; volunteer 2 only from lender 0; one loan each
    options = [[opt(0, 1, 10.0, lenders=(0, 1)), opt(1, 2, 11.0, lenders=(0,))]]
    cost, picked = search(options, [2], quota_left=(1, 1, 0))
    assert picked == [(0, 1, 1), (0, 2, 0)]
    assert cost == 21.0


def test_the_incumbent_is_returned_as_no_gain() -> None:
    options = [[opt(0, 1, 10.0)]]
    assert search(options, [1], incumbent=10.0) == (10.0, [])
    assert search(options, [1], incumbent=10.5) == (10.0, [(0, 1, -1)])


def test_parts_split_needs_that_share_no_volunteer_and_no_tight_lender() -> None:
    options = [
        [opt(0, 1, 1.0, lenders=(0,))],
        [opt(1, 2, 1.0, lenders=(0,))],
        [opt(2, 3, 1.0)],
        [opt(3, 3, 1.0, shift=1)],
    ]
    assert parts(options, np.array([2, 9, 9])) == [[0], [1], [2, 3]]
    assert parts(options, np.array([1, 9, 9])) == [[0, 1], [2, 3]]


def test_loosen_gives_a_loan_to_a_lender_with_room_for_all_who_want_it() -> None:
    options = [[opt(0, 1, 1.0, lenders=(0, 1))], [opt(1, 2, 1.0, lenders=(0, 1))]]
    loose = loosen(options, np.array([1, 2, 0]))
    assert [(o.lenders, o.free) for opts in loose for o in opts] == [((1,), True), ((1,), True)]
    tight = loosen(options, np.array([1, 1, 0]))
    assert [(o.lenders, o.free) for opts in tight for o in opts] == [((0, 1), False)] * 2


def brute_force(
    options: list[list[HoodOption]], counts: list[int], clash: np.ndarray, quota: np.ndarray
) -> float:
    """Every subset of each need's options (up to its count) and every lender of each loan."""
    per_need = [
        [c for k in range(n + 1) for c in itertools.combinations(opts, k)]
        for opts, n in zip(options, counts, strict=True)
    ]
    best = PEN * sum(counts)
    for pick in itertools.product(*per_need):
        chosen = [o for group in pick for o in group]
        ok = all(
            not (a.vol == b.vol and clash[a.shift, b.shift])
            for a, b in itertools.combinations(chosen, 2)
        )
        hours: dict[int, float] = {}
        for o in chosen:
            hours[o.vol] = hours.get(o.vol, 0.0) + o.load[0][1]
        ok = ok and all(hours[o.vol] <= o.load[0][2] for o in chosen)
        if not ok:
            continue
        loans = [o for o in chosen if o.lenders]
        for lenders in itertools.product(*(o.lenders for o in loans)):
            distinct = {(o.vol, x) for o, x in zip(loans, lenders, strict=True)}
            used = np.bincount([x for _, x in distinct], minlength=N_LENDERS)
            if np.all(used <= quota):
                cost = sum(o.cost for o in chosen) + PEN * (sum(counts) - len(chosen))
                best = min(best, cost)
                break
    return best


@pytest.mark.parametrize("seed", range(40))
def test_random_parts_equal_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_needs = int(rng.integers(1, 4))
    n_shifts = 3
    a = rng.random((n_shifts, n_shifts)) < 0.4
    clash = a | a.T | np.eye(n_shifts, dtype=bool)
    room = rng.choice([4.0, 8.0, 12.0], size=5)  # per volunteer, as the fixed part leaves it
    options: list[list[HoodOption]] = []
    counts: list[int] = []
    edge = 0
    for p in range(n_needs):
        shift = p % n_shifts
        vols = sorted(rng.choice(5, size=int(rng.integers(1, 4)), replace=False).tolist())
        opts = []
        for v in vols:
            lend = tuple(sorted(rng.choice(N_LENDERS, size=int(rng.integers(1, 3)), replace=False).tolist()))
            opts.append(
                opt(
                    edge,
                    int(v),
                    float(rng.integers(1, 50)),
                    shift=shift,
                    lenders=lend if rng.random() < 0.6 else (),
                    hours=4.0,
                    room=float(room[v]),
                )
            )
            edge += 1
        opts.sort(key=lambda o: (o.cost, o.edge))
        options.append(opts)
        counts.append(int(rng.integers(1, 3)))
    quota = rng.integers(0, 3, size=N_LENDERS)
    got, _ = search(options, counts, clash=clash, quota_left=tuple(quota.tolist()))
    assert got == pytest.approx(brute_force(options, counts, clash, quota))


def blocked_last_need(clashes: bool) -> tuple[list[list[HoodOption]], list[int], np.ndarray, float]:
    """Need 0: cheap A or dearer B (shift 0); ten middle needs of three interchangeable options
    each (shifts 1-30, volunteers of their own); the last need's only option is A on shift 31,
    which clashes with shift 0 when ``clashes``. Incumbent: the best fill with A, last need open."""
    options = [[opt(0, 1, 10.0, shift=0), opt(1, 2, 40.0, shift=0)]]
    edge, shift, vol = 2, 1, 3
    for _ in range(10):
        row = []
        for k in range(3):
            row.append(opt(edge, vol, 5.0 + k, shift=shift))
            edge, shift, vol = edge + 1, shift + 1, vol + 1
        options.append(row)
    options.append([opt(edge, 1, 20.0, shift=shift)])
    clash = np.eye(shift + 1, dtype=bool)
    if clashes:
        clash[0, shift] = clash[shift, 0] = True
    incumbent = 10.0 + 10 * 5.0 + PEN
    return options, [1] * 12, clash, incumbent


def test_a_need_left_without_a_fitting_option_prunes_the_branch_at_once() -> None:
    """Choosing A for need 0 leaves the last need no option: the bound charges its penalty
    there, so the 3^10 fills of the middle needs are never searched (the static bound alone
    spends the node budget on them and returns nothing) and the fill with B is found."""
    options, counts, clash, incumbent = blocked_last_need(clashes=True)
    cost, picked = search(options, counts, clash=clash, incumbent=incumbent)
    assert (0, 2, -1) in picked and (11, 1, -1) in picked
    assert cost == 40.0 + 10 * 5.0 + 20.0


def test_a_fitting_option_keeps_the_cheap_choice() -> None:
    options, counts, clash, _ = blocked_last_need(clashes=False)
    cost, picked = search(options, counts, clash=clash)
    assert (0, 1, -1) in picked and (11, 1, -1) in picked
    assert cost == 10.0 + 10 * 5.0 + 20.0
