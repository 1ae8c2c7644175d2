"""registerVolunteer: national ID validation, one node per person, never echoing the ID."""

from __future__ import annotations

import random
from datetime import date

from graph.national_id import hash_national_id, make_national_id
from graph.settings import Settings

from .conftest import Api
from .world import COUNT_BY_HASH, MEMBERSHIPS, World

REGISTER = """
mutation($input: RegisterVolunteerInput!) {
  registerVolunteer(input: $input) {
    id name gender birthYear phone governorate { code }
    memberships { association { id } primary }
    skills { skill { code } level } availability { weekday startTime endTime }
  }
}
"""


def _nid(gender: str = "F") -> str:
    rng = random.Random()
    return make_national_id(
        date(1931, rng.randint(1, 12), rng.randint(1, 28)), gender, "21", rng.randrange(5000)
    )


def _input(nid: str, association: str, **extra: object) -> dict[str, object]:
    return {
        "nationalId": nid,
        "name": "فاطمة أحمد",
        "phone": "01012345678",
        "governorate": "01",
        "association": association,
        **extra,
    }


async def test_register_then_same_person_gets_a_second_membership(
    api: Api, world: World, settings: Settings
) -> None:
    a, b = await world.association(), await world.association()
    nid = _nid("F")
    first = await api.as_role(
        "COORDINATOR",
        REGISTER,
        {
            "input": _input(
                nid,
                a,
                skills=[{"skill": "first_aid", "level": 2}],
                availability=[{"weekday": 5, "startTime": "09:00", "endTime": "17:00"}],
            )
        },
        association=a,
    )
    assert first.errors == []
    v = first.data["registerVolunteer"]
    assert v["gender"] == "FEMALE" and v["birthYear"] == 1931 and v["governorate"]["code"] == "01"
    assert v["phone"] == "01012345678"
    assert v["memberships"] == [{"association": {"id": a}, "primary": True}]
    assert v["skills"] == [{"skill": {"code": "first_aid"}, "level": 2}]
    assert v["availability"] == [{"weekday": 5, "startTime": "09:00", "endTime": "17:00"}]

    # the same person (typed with spaces and Arabic-Indic digits) registers with another association
    arabic_digits = nid.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    second = await api.as_role(
        "COORDINATOR",
        REGISTER,
        {
            "input": _input(
                arabic_digits[:5] + " " + arabic_digits[5:],
                b,
                skills=[{"skill": "first_aid", "level": 4}],
            )
        },
        association=b,
    )
    assert second.errors == []
    assert second.data["registerVolunteer"]["id"] == v["id"]
    # a coordinator of b may see b's member but not a's... (the phone: b is one of its associations)
    assert second.data["registerVolunteer"]["skills"] == [
        {"skill": {"code": "first_aid"}, "level": 4}
    ]
    rows = await world.run(COUNT_BY_HASH, hash=hash_national_id(nid, settings.id_secret))
    assert rows[0]["n"] == 1
    members = await world.run(MEMBERSHIPS, id=v["id"])
    assert sorted(r["id"] for r in members) == sorted([a, b])

    # the ID is never returned, in any form
    for answer in (first, second):
        text = str(answer.data)
        assert nid not in text and nid[7:] not in text
        assert hash_national_id(nid, settings.id_secret) not in text
    introspection = await api.as_role("ADMIN", '{ __type(name: "Volunteer") { fields { name } } }')
    names = {f["name"].lower() for f in introspection.data["__type"]["fields"]}
    assert not any("national" in n for n in names)


async def test_bad_national_ids_name_the_field_and_reason(api: Api, world: World) -> None:
    a = await world.association()
    nid = _nid()
    cases = {
        "123": "14 digits",
        "4" + nid[1:]: "century",
        nid[:3] + "13" + nid[5:]: "date",
        nid[:7] + "77" + nid[9:]: "governorate",
    }
    for bad, reason in cases.items():
        answer = await api.as_role(
            "COORDINATOR", REGISTER, {"input": _input(bad, a)}, association=a
        )
        assert answer.codes == ["BAD_USER_INPUT"], bad
        assert answer.fields == ["input.nationalId"]
        assert reason in answer.errors[0]["message"]
        assert bad not in answer.errors[0]["message"]
        assert answer.data is None


async def test_register_input_errors_name_their_field(api: Api, world: World) -> None:
    a = await world.association()
    nid = _nid()
    cases = [
        ({"name": "   "}, "input.name"),
        ({"phone": "12345"}, "input.phone"),
        ({"governorate": "99"}, "input.governorate"),
        ({"skills": [{"skill": "no_such_skill", "level": 2}]}, "input.skills[0].skill"),
        ({"skills": [{"skill": "first_aid", "level": 9}]}, "input.skills[0].level"),
        (
            {"availability": [{"weekday": 0, "startTime": "09:00", "endTime": "10:00"}]},
            "input.availability[0].weekday",
        ),
        (
            {"availability": [{"weekday": 1, "startTime": "9am", "endTime": "10:00"}]},
            "input.availability[0].startTime",
        ),
        (
            {"availability": [{"weekday": 1, "startTime": "11:00", "endTime": "10:00"}]},
            "input.availability[0].endTime",
        ),
    ]
    for extra, field in cases:
        answer = await api.as_role(
            "COORDINATOR", REGISTER, {"input": _input(nid, a, **extra)}, association=a
        )
        assert answer.codes == ["BAD_USER_INPUT"] and answer.fields == [field], (
            extra,
            answer.errors,
        )
    unknown = await api.as_role("ADMIN", REGISTER, {"input": _input(nid, f"{world.tag}-nope")})
    assert unknown.codes == ["BAD_USER_INPUT"] and unknown.fields == ["input.association"]
    rows = await world.run(COUNT_BY_HASH, hash=hash_national_id(nid, Settings().id_secret))
    assert rows[0]["n"] == 0  # nothing was written by any refused attempt


async def test_arabic_messages(api: Api, world: World) -> None:
    a = await world.association()
    answer = await api.as_role(
        "COORDINATOR",
        REGISTER,
        {"input": _input(_nid(), a, phone="5")},
        association=a,
        lang="ar-EG,ar;q=0.9,en;q=0.5",
    )
    assert answer.fields == ["input.phone"]
    assert "رقم هاتف" in answer.errors[0]["message"]
    refused = await api.call("{ associations { id } }", lang="ar")
    assert refused.codes == ["UNAUTHENTICATED"] and "تسجيل الدخول" in refused.errors[0]["message"]
    english = await api.call("{ associations { id } }", lang="en-US")
    assert "Sign in" in english.errors[0]["message"]


async def test_search_finds_arabic_name_spelled_without_hamza(api: Api, world: World) -> None:
    a = await world.association()
    created = await api.as_role(
        "COORDINATOR",
        REGISTER,
        {"input": {**_input(_nid("M"), a), "name": "أحمد عبد الرحمن"}},
        association=a,
    )
    vid = created.data["registerVolunteer"]["id"]
    query = """query($a: ID, $q: String) { volunteers(filter: {association: $a, search: $q}) {
        totalCount edges { node { id name } } } }"""
    for spelling in ("احمد", "أحمد", "عبد الرحمن"):
        found = await api.as_role("COORDINATOR", query, {"a": a, "q": spelling}, association=a)
        assert [e["node"]["id"] for e in found.data["volunteers"]["edges"]] == [vid], spelling
    none = await api.as_role("COORDINATOR", query, {"a": a, "q": "محمود"}, association=a)
    assert none.data["volunteers"]["totalCount"] == 0
