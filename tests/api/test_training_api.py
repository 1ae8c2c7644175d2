"""Training through the real GraphQL service (uvicorn + gql/httpx) on the test Neo4j."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from tests.api.conftest import Api
from tests.graph.training_world import World

CREATE = """
mutation($input: TrainingProgramInput!) {
  createTrainingProgram(input: $input) {
    id title grantsLevel capacity validForDays enrolledCount waitlistCount completedCount
    seatsLeft completionRate skill { code } association { id } governorate { code }
  }
}
"""
ENROLL = """
mutation($p: ID!, $v: ID!) { enroll(programId: $p, volunteerId: $v) {
  id status attendedHours volunteer { id } program { id seatsLeft waitlistCount } } }
"""
DROP = "mutation($id: ID!) { dropEnrollment(enrollmentId: $id) { id status } }"
ATTEND = "mutation($id: ID!, $h: Float!) { recordAttendance(enrollmentId: $id, hours: $h) { id attendedHours } }"
COMPLETE = "mutation($id: ID!) { completeTraining(enrollmentId: $id) { id status program { completedCount completionRate } } }"
PROGRAM = """
query($id: ID!) { trainingProgram(id: $id) {
  enrolledCount waitlistCount completedCount seatsLeft completionRate
  enrollments { id status volunteer { id } } } }
"""
SKILLS = "query($id: ID!) { volunteer(id: $id) { skills { skill { code } level expiresAt } } }"


def iso(dt: datetime) -> str:
    return dt.isoformat()


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def program_input(skill_code: str, **change) -> dict:
    t = now()
    data = {
        "title": "تدريب الإسعافات الأولية",
        "skill": skill_code,
        "grantsLevel": 2,
        "governorate": "01",
        "capacity": 2,
        "startsAt": iso(t - timedelta(hours=1)),
        "endsAt": iso(t + timedelta(days=2)),
        "validForDays": 365,
    }
    data.update(change)
    return data


async def trainer_program(api: Api, tw: World, association: str, skill: str, **change) -> dict:
    answer = await api.as_role(
        "TRAINER", CREATE, {"input": program_input(skill, **change)}, association=association
    )
    assert answer.errors == [], answer.errors
    program = answer.data["createTrainingProgram"]
    tw.track(program["id"])
    return program


async def test_trainer_creates_a_program_of_its_own_association(api: Api, tw: World):
    association = await tw.association()
    skill = await tw.skill()
    program = await trainer_program(api, tw, association, skill)
    assert program["association"]["id"] == association
    assert program["skill"]["code"] == skill and program["governorate"]["code"] == "01"
    assert (program["capacity"], program["seatsLeft"], program["completionRate"]) == (2, 2, 0.0)
    assert (program["enrolledCount"], program["waitlistCount"], program["completedCount"]) == (
        0,
        0,
        0,
    )
    listed = await api.as_role(
        "VOLUNTEER",
        "query($s: String) { trainingPrograms(skill: $s) { totalCount edges { node { id } } } }",
        {"s": skill},
        sub="anyone",
    )
    assert listed.data["trainingPrograms"]["totalCount"] == 1
    assert listed.data["trainingPrograms"]["edges"][0]["node"]["id"] == program["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"grantsLevel": 0}, "input.grantsLevel"),
        ({"grantsLevel": 6}, "input.grantsLevel"),
        ({"capacity": 0}, "input.capacity"),
        ({"validForDays": 0}, "input.validForDays"),
        ({"skill": "no_such_skill"}, "input.skill"),
        ({"governorate": "77"}, "input.governorate"),
        ({"endsAt": "2020-01-01T00:00:00+02:00"}, "input.endsAt"),
        ({"title": ""}, "input.title"),
    ],
)
async def test_bad_program_input_names_the_field(api: Api, tw: World, change, field):
    association = await tw.association()
    skill = await tw.skill()
    answer = await api.as_role(
        "TRAINER", CREATE, {"input": program_input(skill, **change)}, association=association
    )
    assert answer.data is None
    assert answer.codes == ["BAD_USER_INPUT"] and answer.fields == [field]
    arabic = await api.as_role(
        "TRAINER",
        CREATE,
        {"input": program_input(skill, **change)},
        association=association,
        lang="ar",
    )
    assert arabic.errors[0]["message"] != answer.errors[0]["message"]


async def test_who_may_create_programs(api: Api, tw: World):
    association, other = await tw.association(), await tw.association()
    skill = await tw.skill()
    cases = [
        ("TRAINER", {"association": other}, association, "FORBIDDEN", None),
        ("COORDINATOR", {}, association, "FORBIDDEN", None),
        ("VOLUNTEER", {}, None, "FORBIDDEN", None),
        ("ADMIN", {}, None, "BAD_USER_INPUT", "input.association"),
    ]
    for role, change, token_association, code, field in cases:
        answer = await api.as_role(
            role, CREATE, {"input": program_input(skill, **change)}, association=token_association
        )
        assert (answer.codes, answer.fields) == ([code], [field]), (role, answer.errors)
        assert answer.data is None
    made = await api.as_role("ADMIN", CREATE, {"input": program_input(skill, association=other)})
    assert made.errors == []
    tw.track(made.data["createTrainingProgram"]["id"])
    assert made.data["createTrainingProgram"]["association"]["id"] == other


async def test_enroll_waitlist_drop_promotes_and_the_errors(api: Api, tw: World):
    association = await tw.association()
    skill = await tw.skill()
    program = (await trainer_program(api, tw, association, skill))["id"]
    vols = [await tw.volunteer(association) for _ in range(3)]

    async def as_trainer(query, variables):
        return await api.as_role("TRAINER", query, variables, association=association)

    got = []
    for v in vols:
        answer = await as_trainer(ENROLL, {"p": program, "v": v})
        assert answer.errors == []
        got.append(answer.data["enroll"])
    assert [e["status"] for e in got] == ["ENROLLED", "ENROLLED", "WAITLISTED"]
    assert got[2]["program"] == {"id": program, "seatsLeft": 0, "waitlistCount": 1}

    twice = await as_trainer(ENROLL, {"p": program, "v": vols[0]})
    assert twice.codes == ["CONFLICT"] and twice.data is None
    unknown = await as_trainer(ENROLL, {"p": program, "v": "t-nobody"})
    assert unknown.codes == ["NOT_FOUND"]
    no_program = await as_trainer(ENROLL, {"p": "t-no-program", "v": vols[0]})
    assert no_program.codes == ["NOT_FOUND"]

    dropped = await as_trainer(DROP, {"id": got[0]["id"]})
    assert dropped.data["dropEnrollment"]["status"] == "DROPPED"
    seen = await as_trainer(PROGRAM, {"id": program})
    statuses = {e["id"]: e["status"] for e in seen.data["trainingProgram"]["enrollments"]}
    assert statuses == {got[0]["id"]: "DROPPED", got[1]["id"]: "ENROLLED", got[2]["id"]: "ENROLLED"}
    counts = seen.data["trainingProgram"]
    assert (counts["enrolledCount"], counts["waitlistCount"], counts["seatsLeft"]) == (2, 0, 0)

    # others may neither see the list nor act on it
    stranger = await tw.association()
    peek = await api.as_role("TRAINER", PROGRAM, {"id": program}, association=stranger)
    assert peek.codes == ["FORBIDDEN"] and peek.data["trainingProgram"] is None
    foreign = await api.as_role(
        "TRAINER", ENROLL, {"p": program, "v": vols[0]}, association=stranger
    )
    assert foreign.codes == ["FORBIDDEN"]
    other_volunteer = await api.as_role("VOLUNTEER", DROP, {"id": got[1]["id"]}, sub=vols[2])
    assert other_volunteer.codes == ["FORBIDDEN"]


async def test_a_volunteer_enrolls_and_drops_itself_but_not_into_a_finished_program(
    api: Api, tw: World
):
    association = await tw.association()
    skill = await tw.skill()
    volunteer = await tw.volunteer(association)
    program = (await trainer_program(api, tw, association, skill))["id"]
    t = now()
    finished = await tw.program(
        association, skill, starts_at=t - timedelta(days=5), ends_at=t - timedelta(days=1)
    )
    mine = await api.as_role("VOLUNTEER", ENROLL, {"p": program, "v": volunteer}, sub=volunteer)
    assert mine.data["enroll"]["status"] == "ENROLLED"
    late = await api.as_role("VOLUNTEER", ENROLL, {"p": finished, "v": volunteer}, sub=volunteer)
    assert (late.codes, late.fields) == (["BAD_USER_INPUT"], ["programId"])
    someone_else = await tw.volunteer(association)
    refused = await api.as_role(
        "VOLUNTEER", ENROLL, {"p": program, "v": someone_else}, sub=volunteer
    )
    assert refused.codes == ["FORBIDDEN"]
    self_attend = await api.as_role(
        "VOLUNTEER", ATTEND, {"id": mine.data["enroll"]["id"], "h": 2}, sub=volunteer
    )
    assert self_attend.codes == ["FORBIDDEN"]
    dropped = await api.as_role("VOLUNTEER", DROP, {"id": mine.data["enroll"]["id"]}, sub=volunteer)
    assert dropped.data["dropEnrollment"]["status"] == "DROPPED"
    mine_listed = await api.as_role(
        "VOLUNTEER", "{ me { enrollments { status program { id } } } }", sub=volunteer
    )
    assert mine_listed.data["me"]["enrollments"] == [
        {"status": "DROPPED", "program": {"id": program}}
    ]


async def test_attendance_and_completion_grant_raise_and_never_lower(api: Api, tw: World):
    association = await tw.association()
    skill, other_skill = await tw.skill(), await tw.skill()
    fresh = await tw.volunteer(association)
    lower = await tw.volunteer(association, skills=[(skill, 1, now() + timedelta(days=3))])
    higher = await tw.volunteer(association, skills=[(skill, 4, None)])
    program = (
        await trainer_program(
            api, tw, association, skill, grantsLevel=3, validForDays=90, capacity=3
        )
    )["id"]

    async def as_trainer(query, variables):
        return await api.as_role("TRAINER", query, variables, association=association)

    enrollments = {}
    for v in (fresh, lower, higher):
        enrollments[v] = (await as_trainer(ENROLL, {"p": program, "v": v})).data["enroll"]["id"]
    attended = await as_trainer(ATTEND, {"id": enrollments[fresh], "h": 3.5})
    attended = await as_trainer(ATTEND, {"id": enrollments[fresh], "h": 2})
    assert attended.data["recordAttendance"]["attendedHours"] == 5.5
    bad = await as_trainer(ATTEND, {"id": enrollments[fresh], "h": 0})
    assert (bad.codes, bad.fields) == (["BAD_USER_INPUT"], ["hours"])

    done = await as_trainer(COMPLETE, {"id": enrollments[fresh]})
    assert done.data["completeTraining"]["status"] == "COMPLETED"
    assert done.data["completeTraining"]["program"]["completedCount"] == 1
    assert abs(done.data["completeTraining"]["program"]["completionRate"] - 1 / 3) < 1e-9
    for v in (lower, higher):
        assert (await as_trainer(COMPLETE, {"id": enrollments[v]})).errors == []
    after_attend = await as_trainer(ATTEND, {"id": enrollments[fresh], "h": 1})
    assert after_attend.codes == ["CONFLICT"]

    async def held(v: str) -> dict:
        answer = await api.as_role("ADMIN", SKILLS, {"id": v})
        return next(s for s in answer.data["volunteer"]["skills"] if s["skill"]["code"] == skill)

    soon = now() + timedelta(days=89)
    granted, raised, kept = await held(fresh), await held(lower), await held(higher)
    assert granted["level"] == 3 and datetime.fromisoformat(granted["expiresAt"]) > soon
    assert raised["level"] == 3 and datetime.fromisoformat(raised["expiresAt"]) > soon
    assert kept["level"] == 4 and kept["expiresAt"] is None
    assert other_skill not in {s["skill"]["code"] for s in (granted, raised, kept)}

    report = await as_trainer(
        "query($s: String) { trainedVolunteers(skill: $s) { skill { code } governorate { code } "
        "trained certifiedNow } }",
        {"s": skill},
    )
    assert report.data["trainedVolunteers"] == [
        {"skill": {"code": skill}, "governorate": {"code": "01"}, "trained": 3, "certifiedNow": 3}
    ]
    await tw.run(
        "MATCH (:Volunteer {id: $v})-[h:HAS_SKILL]->(:Skill {code: $s}) SET h.expiresAt = $at",
        v=fresh,
        s=skill,
        at=now() - timedelta(minutes=1),
    )
    report = await as_trainer(
        "query($s: String) { trainedVolunteers(skill: $s) { trained certifiedNow } }", {"s": skill}
    )
    assert report.data["trainedVolunteers"] == [{"trained": 3, "certifiedNow": 2}]


async def test_two_concurrent_enrollments_for_the_last_seat(api: Api, tw: World):
    association = await tw.association()
    skill = await tw.skill()
    program = (await trainer_program(api, tw, association, skill, capacity=1))["id"]
    first, second = await tw.volunteer(association), await tw.volunteer(association)
    answers = await asyncio.gather(
        api.as_role("VOLUNTEER", ENROLL, {"p": program, "v": first}, sub=first),
        api.as_role("VOLUNTEER", ENROLL, {"p": program, "v": second}, sub=second),
    )
    assert all(a.errors == [] for a in answers)
    assert sorted(a.data["enroll"]["status"] for a in answers) == ["ENROLLED", "WAITLISTED"]
    seen = await api.as_role("ADMIN", PROGRAM, {"id": program})
    assert seen.data["trainingProgram"]["enrolledCount"] == 1
    assert seen.data["trainingProgram"]["waitlistCount"] == 1
