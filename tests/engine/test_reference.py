"""Reference data: codes unique, implications a DAG over known codes, 27 governorates."""

from __future__ import annotations

import re

from engine.reference.associations import ASSOCIATION_BY_ID, ASSOCIATIONS
from engine.reference.governorates import (
    BORN_ABROAD_CODE,
    GOVERNORATE_CODES,
    GOVERNORATES,
    NATIONAL_ID_BIRTH_CODES,
    population_weights,
)
from engine.reference.skills import (
    DOMAINS,
    SKILL_CODES,
    SKILLS,
    implication_edges,
    implied_closure,
    qualifying_skills,
)

ARABIC = re.compile(r"[\u0600-\u06FF]")


def test_twenty_seven_governorates_with_unique_two_digit_codes() -> None:
    assert len(GOVERNORATES) == 27
    assert len(GOVERNORATE_CODES) == 27
    assert all(re.fullmatch(r"\d\d", g.code) for g in GOVERNORATES)
    assert BORN_ABROAD_CODE not in GOVERNORATE_CODES
    assert NATIONAL_ID_BIRTH_CODES == GOVERNORATE_CODES | {"88"}
    assert {"01", "02", "21", "35"} <= GOVERNORATE_CODES


def test_governorates_are_in_egypt_and_named_in_both_languages() -> None:
    for g in GOVERNORATES:
        assert 22.0 <= g.lat <= 31.7 and 24.7 <= g.lon <= 36.9, g
        assert ARABIC.search(g.name_ar) and not ARABIC.search(g.name_en), g
        assert g.population > 0
    assert abs(sum(w for _, w in population_weights()) - 1.0) < 1e-9


def test_skills_unique_named_and_cover_every_domain() -> None:
    assert len(SKILLS) >= 40
    assert len(SKILL_CODES) == len(SKILLS)
    assert {s.domain for s in SKILLS} == set(DOMAINS)
    for s in SKILLS:
        assert re.fullmatch(r"[a-z_]+", s.code), s.code
        assert ARABIC.search(s.name_ar) and s.name_en


def test_implications_reference_known_codes_and_form_a_dag() -> None:
    edges = implication_edges()
    assert edges
    for holder, implied in edges:
        assert holder in SKILL_CODES and implied in SKILL_CODES
        assert holder != implied
    # Kahn's algorithm: every node removed <=> no cycle.
    indegree = {c: 0 for c in SKILL_CODES}
    for _, implied in edges:
        indegree[implied] += 1
    ready = [c for c, d in indegree.items() if d == 0]
    removed = 0
    while ready:
        code = ready.pop()
        removed += 1
        for holder, implied in edges:
            if holder == code:
                indegree[implied] -= 1
                if indegree[implied] == 0:
                    ready.append(implied)
    assert removed == len(SKILL_CODES)


def test_implication_closure_is_transitive() -> None:
    assert {"physician", "nurse", "first_aid"} <= implied_closure("physician")
    assert "first_aid" in implied_closure("pediatrician")
    assert "driver" in implied_closure("heavy_vehicle_driver")
    assert "tutor" in implied_closure("teacher")
    assert "physician" not in implied_closure("nurse")
    assert {"first_aid", "nurse", "physician", "paramedic"} <= qualifying_skills("first_aid")
    assert "first_aid" not in qualifying_skills("nurse")


def test_associations_unique_ids_and_valid_policies() -> None:
    assert 30 <= len(ASSOCIATIONS) <= 34
    assert [a.id for a in ASSOCIATIONS] == [f"A{i:02d}" for i in range(1, len(ASSOCIATIONS) + 1)]
    assert len(ASSOCIATION_BY_ID) == len(ASSOCIATIONS)
    for a in ASSOCIATIONS:
        assert ARABIC.search(a.name_ar) and a.name
        assert set(a.governorates) <= GOVERNORATE_CODES
        assert set(a.focus) <= set(DOMAINS) and a.focus
        assert 0.0 <= a.policy.max_share <= 1.0
        assert a.size > 0
        if a.policy.lends_to_all:
            assert a.policy.borrowers == ()
        else:
            assert a.policy.borrowers and a.id not in a.policy.borrowers
            assert set(a.policy.borrowers) <= set(ASSOCIATION_BY_ID)
    assert any(not a.policy.lends for a in ASSOCIATIONS)
    assert any(not a.policy.lends_to_all for a in ASSOCIATIONS)
