"""Volunteer and association repositories on a small hand-built world (real test Neo4j)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from graph.arabic_normalize import normalize_arabic
from graph.associations import association_ids, get_associations, set_sharing_policy
from graph.errors import NotFound
from graph.types import SharingPolicyRecord, VolunteerFilter
from graph.volunteers import (
    fulltext_query,
    get_volunteers,
    page_volunteers,
    volunteer_memberships,
    volunteer_skills,
    weekly_requirements,
)

MONDAY = datetime(2027, 2, 8, tzinfo=UTC)  # a Monday; Cairo is UTC+2 in February
PAST = datetime(2026, 1, 1, tzinfo=UTC)

CREATE_WORLD = """
UNWIND $associations AS aid
CREATE (:Association {id: aid, name: aid, nameAr: aid, lends: true, maxShare: 0.2,
                      requiresApproval: false, lendsToAll: true, lentHours: 0.0,
                      borrowedHours: 0.0})
WITH count(*) AS _
UNWIND $volunteers AS r
MATCH (g:Governorate {code: r.gov})
CREATE (v:Volunteer {id: r.id, name: r.name, nameNorm: r.norm, gender: r.gender,
                     birthYear: 1995, active: r.active, reliability: 0.9, hoursThisMonth: 0.0,
                     availability: r.availability, blackouts: r.blackouts, phone: '01000000000'})
CREATE (v)-[:LIVES_IN]->(g)
WITH v, r
CALL (v, r) {
  UNWIND r.members AS m
  MATCH (a:Association {id: m.id})
  CREATE (v)-[:MEMBER_OF {since: datetime('2020-01-01T00:00:00Z'), primary: m.primary}]->(a)
}
CALL (v, r) {
  UNWIND r.skills AS s
  MATCH (k:Skill {code: s.code})
  CREATE (v)-[:HAS_SKILL {level: s.level, expiresAt: s.expiresAt}]->(k)
}
"""
DELETE_WORLD = """
MATCH (n) WHERE (n:Volunteer OR n:Association) AND n.id STARTS WITH $p DETACH DELETE n
"""


def _window(day: int, start: str, end: str) -> dict[str, object]:
    return {"weekday": day, "start": start, "end": end}


@pytest.fixture(scope="module")
async def world(neo4j_driver) -> AsyncIterator[dict[str, str]]:
    p = f"t-{uuid4().hex[:8]}-"
    x, y = p + "X", p + "Y"
    ids = {k: p + k for k in ("v1", "v2", "v3", "v4", "v5")}
    blackout = [{"start": "2027-02-08T07:00:00Z", "end": "2027-02-08T11:00:00Z"}]
    volunteers = [
        dict(
            id=ids["v1"],
            name="أحمد إبراهيم",
            gov="01",
            gender="M",
            active=True,
            availability=json.dumps([_window(1, "09:00", "17:00")]),
            blackouts="[]",
            members=[{"id": x, "primary": True}],
            skills=[{"code": "physician", "level": 4, "expiresAt": None}],
        ),
        dict(
            id=ids["v2"],
            name="احمد علي",
            gov="21",
            gender="M",
            active=True,
            availability=json.dumps([_window(6, "10:00", "18:00")], indent=1),
            blackouts="[]",
            members=[{"id": x, "primary": True}],
            skills=[
                {"code": "nurse", "level": 2, "expiresAt": PAST},
                {"code": "first_aid", "level": 3, "expiresAt": None},
            ],
        ),
        dict(
            id=ids["v3"],
            name="منى السيد",
            gov="01",
            gender="F",
            active=True,
            availability=json.dumps([_window(1, "08:00", "22:00")]),
            blackouts=json.dumps(blackout),
            members=[{"id": x, "primary": True}, {"id": y, "primary": False}],
            skills=[{"code": "food_packing", "level": 1, "expiresAt": None}],
        ),
        dict(
            id=ids["v4"],
            name="سارة محمود",
            gov="02",
            gender="F",
            active=False,
            availability=json.dumps([_window(1, "10:00", "12:00")]),
            blackouts="[]",
            members=[{"id": y, "primary": True}],
            skills=[{"code": "teacher", "level": 5, "expiresAt": None}],
        ),
        dict(
            id=ids["v5"],
            name="فاطمة حسن",
            gov="01",
            gender="F",
            active=True,
            availability="[]",
            blackouts="[]",
            members=[{"id": x, "primary": True}],
            skills=[{"code": "driver", "level": 2, "expiresAt": None}],
        ),
    ]
    for v in volunteers:
        v["norm"] = normalize_arabic(str(v["name"]))
    try:
        await neo4j_driver.execute_query(CREATE_WORLD, associations=[x, y], volunteers=volunteers)
        yield {"prefix": p, "X": x, "Y": y, **ids}
    finally:
        await neo4j_driver.execute_query(DELETE_WORLD, p=p)


async def _ids(driver, **filters) -> set[str]:
    page = await page_volunteers(driver, VolunteerFilter(**filters), first=200)
    assert page.total_count == len(page.items)
    return {v["id"] for v in page.items}


async def test_get_by_ids_keeps_key_order_and_hides_the_hash(neo4j_driver, world) -> None:
    got = await get_volunteers(neo4j_driver, [world["v3"], world["prefix"] + "none", world["v1"]])
    assert [v["id"] if v else None for v in got] == [world["v3"], None, world["v1"]]
    v3 = got[0]
    assert v3 is not None and v3["governorate"] == "01" and v3["name"] == "منى السيد"
    window = json.loads(v3["availability"])[0]
    assert window["weekday"] == 1 and window["start"] == "08:00"
    assert v3["reliability"] == 0.9 and v3["active"] is True
    assert not any("national" in key.lower() for key in v3)


async def test_filters_by_association_and_governorate(neo4j_driver, world) -> None:
    w = world
    assert await _ids(neo4j_driver, association=w["X"]) == {w["v1"], w["v2"], w["v3"], w["v5"]}
    assert await _ids(neo4j_driver, association=w["Y"]) == {w["v3"], w["v4"]}
    assert await _ids(neo4j_driver, association=w["X"], governorate="01") == {
        w["v1"],
        w["v3"],
        w["v5"],
    }
    assert await _ids(neo4j_driver, association=w["X"], governorate="02") == set()


async def test_skill_filter_follows_implications_levels_and_expiry(neo4j_driver, world) -> None:
    w = world
    # physician IMPLIES nurse; v2's nurse certificate has expired
    assert await _ids(neo4j_driver, association=w["X"], skill="nurse") == {w["v1"]}
    assert await _ids(neo4j_driver, association=w["X"], skill="first_aid", min_level=3) == {
        w["v1"],
        w["v2"],
    }
    assert await _ids(neo4j_driver, association=w["X"], skill="first_aid", min_level=4) == {w["v1"]}
    assert await _ids(neo4j_driver, association=w["X"], min_level=3) == {w["v1"], w["v2"]}
    assert await _ids(neo4j_driver, association=w["Y"], skill="tutor") == {w["v4"]}
    with pytest.raises(ValueError):
        await page_volunteers(neo4j_driver, VolunteerFilter(min_level=6))


async def test_availability_window_uses_weekly_windows_blackouts_and_active(
    neo4j_driver, world
) -> None:
    w = world
    morning = dict(
        available_from=MONDAY + timedelta(hours=8),  # 10:00-12:00 Cairo
        available_to=MONDAY + timedelta(hours=10),
    )
    assert await _ids(neo4j_driver, association=w["X"], **morning) == {w["v1"]}  # v3 blacked out
    assert await _ids(neo4j_driver, association=w["Y"], **morning) == set()  # v4 inactive
    evening = dict(
        available_from=MONDAY + timedelta(hours=16),  # 18:00-20:00 Cairo
        available_to=MONDAY + timedelta(hours=18),
    )
    assert await _ids(neo4j_driver, association=w["X"], **evening) == {w["v3"]}
    saturday = dict(
        available_from=MONDAY + timedelta(days=5, hours=9),  # Sat 11:00-13:00
        available_to=MONDAY + timedelta(days=5, hours=11),
    )
    # v2's JSON is indented differently: parsing does not depend on spacing
    assert await _ids(neo4j_driver, association=w["X"], **saturday) == {w["v2"]}
    with pytest.raises(ValueError):
        await page_volunteers(neo4j_driver, VolunteerFilter(available_from=MONDAY))


def test_weekly_requirements_split_by_cairo_day() -> None:
    # 22:00 Monday -> 02:00 Tuesday, Cairo time
    start = MONDAY + timedelta(hours=20)
    assert weekly_requirements(start, start + timedelta(hours=4)) == [
        {"weekday": 1, "start": "22:00", "end": "23:59"},
        {"weekday": 2, "start": "00:00", "end": "02:00"},
    ]
    with pytest.raises(ValueError):
        weekly_requirements(start, start)


async def test_arabic_search_finds_hamza_variants(neo4j_driver, world) -> None:
    w = world
    for term in ("احمد", "أحمد", "أَحْمَد"):
        assert await _ids(neo4j_driver, association=w["X"], search=term) == {w["v1"], w["v2"]}
    assert await _ids(neo4j_driver, association=w["X"], search="احمد ابراهيم") == {w["v1"]}
    assert await _ids(neo4j_driver, association=w["X"], search="فاطمه") == {w["v5"]}
    assert await _ids(neo4j_driver, association=w["X"], search="زياد") == set()
    assert fulltext_query('a "b" (c)') == 'a AND \\"b\\" AND \\(c\\)'
    assert fulltext_query("   ") is None


async def test_arabic_search_folds_ya_and_ta_marbuta(neo4j_driver, world) -> None:
    w = world
    # stored "منى" (alef maqsura) and "فاطمة" (ta marbuta): either spelling finds the same person
    for term in ("منى", "مني", "مُنَى"):
        assert await _ids(neo4j_driver, association=w["X"], search=term) == {w["v3"]}, term
    for term in ("فاطمة", "فاطمه", "فاطـمة"):
        assert await _ids(neo4j_driver, association=w["X"], search=term) == {w["v5"]}, term


@pytest.mark.parametrize(
    "term",
    [
        'احمد"',
        "احمد)",
        "(احمد",
        "احمد*",
        "احمد~",
        "احمد^2",
        "أحمد:علي",
        "احمد/",
        "\\",
        "[احمد TO علي]",
        "{احمد}",
        "&& ||",
        "!احمد",
        "+احمد -علي",
        "?",
        "AND",
        "OR NOT احمد",
    ],
)
async def test_lucene_special_characters_are_searched_as_text(neo4j_driver, world, term) -> None:
    """Query syntax in user input never errors and never widens the search: it is text."""
    found = await _ids(neo4j_driver, association=world["X"], search=term)
    assert found <= {world["v1"], world["v2"]}, term  # at most the two Ahmads
    if term in ('احمد"', "احمد)", "(احمد", "{احمد}", "!احمد", "OR NOT احمد"):
        assert found == {world["v1"], world["v2"]}, term  # the name inside still counts


async def test_keyset_pages_with_total(neo4j_driver, world) -> None:
    f = VolunteerFilter(association=world["X"])
    first = await page_volunteers(neo4j_driver, f, first=3)
    assert first.total_count == 4 and first.has_next and len(first.items) == 3
    rest = await page_volunteers(neo4j_driver, f, first=3, after=first.end_cursor)
    assert rest.total_count == 4 and not rest.has_next and len(rest.items) == 1
    ids = [v["id"] for v in first.items + rest.items]
    assert ids == sorted(ids) and len(set(ids)) == 4
    # a page's rows are the by-id rows (the API primes its volunteers loader with them)
    assert list(first.items + rest.items) == await get_volunteers(neo4j_driver, ids)
    searched = await page_volunteers(neo4j_driver, VolunteerFilter(association=world["X"],
                                                                   search="احمد"))
    assert list(searched.items) == await get_volunteers(neo4j_driver, [world["v1"], world["v2"]])
    with pytest.raises(ValueError):
        await page_volunteers(neo4j_driver, f, first=201)


async def test_skills_and_memberships_in_key_order(neo4j_driver, world) -> None:
    w = world
    skills = await volunteer_skills(neo4j_driver, [w["v2"], w["v1"], w["prefix"] + "none"])
    assert [s["skill"] for s in skills[0]] == ["first_aid", "nurse"]
    expired = skills[0][1]["expiresAt"]
    assert expired is not None and expired.to_native() < datetime.now(UTC)
    assert [(s["skill"], s["level"]) for s in skills[1]] == [("physician", 4)]
    assert skills[2] == []
    # a key asked twice gets its rows once in each place, not twice in both
    members = await volunteer_memberships(neo4j_driver, [w["v3"], w["v4"], w["v3"]])
    assert [(m["association"], m["primary"]) for m in members[0]] == [
        (w["X"], True),
        (w["Y"], False),
    ]
    assert [m["association"] for m in members[1]] == [w["Y"]]
    assert members[2] == members[0]


async def test_associations_get_list_and_member_counts(neo4j_driver, world) -> None:
    w = world
    got = await get_associations(neo4j_driver, [w["Y"], w["prefix"] + "none", w["X"]])
    assert [a["id"] if a else None for a in got] == [w["Y"], None, w["X"]]
    ids = await association_ids(neo4j_driver)
    assert {w["X"], w["Y"], "A01"} <= set(ids) and ids == sorted(ids)
    # active members only: v4 (inactive) does not count for Y
    assert [a["volunteerCount"] for a in got if a] == [1, 4]


async def test_sharing_policy_write_and_read(neo4j_driver, world) -> None:
    w = world
    explicit = SharingPolicyRecord(
        lends=True, max_share=0.3, requires_approval=True, borrowers=(w["Y"],)
    )
    saved = await set_sharing_policy(neo4j_driver, w["X"], explicit)
    assert saved.policy == explicit
    [reread] = await get_associations(neo4j_driver, [w["X"]])
    assert reread is not None and reread["borrowers"] == [w["Y"]] and not reread["lendsToAll"]
    to_all = SharingPolicyRecord(
        lends=False, max_share=0.0, requires_approval=False, borrowers=None
    )
    saved = await set_sharing_policy(neo4j_driver, w["X"], to_all)
    assert saved.policy == to_all
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (:Association {id: $id})-[s:SHARES_WITH]->() RETURN count(s) AS n", id=w["X"]
    )
    assert records[0]["n"] == 0
    with pytest.raises(NotFound):
        await set_sharing_policy(
            neo4j_driver,
            w["X"],
            SharingPolicyRecord(True, 0.1, True, borrowers=(w["prefix"] + "ghost",)),
        )
    with pytest.raises(NotFound):
        await set_sharing_policy(neo4j_driver, w["prefix"] + "ghost", to_all)
    with pytest.raises(ValueError, match="maxShare"):
        await set_sharing_policy(neo4j_driver, w["X"], SharingPolicyRecord(True, 1.5, True, None))
    with pytest.raises(ValueError, match="itself"):
        await set_sharing_policy(
            neo4j_driver, w["X"], SharingPolicyRecord(True, 0.1, True, borrowers=(w["X"],))
        )
