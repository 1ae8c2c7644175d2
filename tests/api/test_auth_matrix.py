"""Every root field x every identity: allowed roles get their answer, everyone else is refused
(FORBIDDEN / UNAUTHENTICATED), with data null for the field and nothing of the object leaked."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import jwt
import pytest

from graph.settings import Settings

from .auth_cases import ROLES, ask_as_each, check_answer, refusal_messages
from .conftest import Api
from .world import World

BAD_IDENTITIES = ("anonymous", "expired", "alg-none", "wrong-key", "garbage")
REFUSAL_MESSAGES = refusal_messages(
    "unauthenticated",
    "token_expired",
    "token_invalid",
    "forbidden",
    "not_admin",
    "not_coordinator",
    "not_volunteer",
    "not_trainer",
)


@dataclass
class Ids:
    a: str
    b: str
    va: str
    vb: str
    ea: str
    sa: str
    eb: str
    sb: str
    asa: str
    asb: str
    xb: str
    lent: str
    ended: str
    secret_words: tuple[str, ...]


@pytest.fixture(scope="module")
async def ids(driver: Any) -> AsyncIterator[Ids]:
    w = World(driver)
    a, b = await w.association(), await w.association()
    c = await w.association()
    va = await w.volunteer(a, phone="01011112222", name=f"Alpha {w.tag}")
    vb = await w.volunteer(b, phone="01233334444", name=f"Bravo {w.tag}")
    ea, sa = await w.event(a)
    eb, sb = await w.event(b)
    asa = await w.assignment(va, sa)
    asb = await w.assignment(vb, sb)
    vc = await w.volunteer(c)
    _, sc = await w.event(b, starts_in=__import__("datetime").timedelta(days=5))
    asc = await w.assignment(vc, sc, lender=c)
    xb = await w.exchange(b, c, asc)
    # volunteers of c lent to a's event: one loan standing, one declined by the lender
    lent, ended = await w.volunteer(c), await w.volunteer(c)
    _, sa2 = await w.event(a, starts_in=__import__("datetime").timedelta(days=6))
    await w.exchange(a, c, await w.assignment(lent, sa2, lender=c), status="APPROVED")
    await w.exchange(a, c, await w.assignment(ended, sa2, "DECLINED", lender=c), status="DECLINED")
    yield Ids(
        a,
        b,
        va,
        vb,
        ea,
        sa,
        eb,
        sb,
        asa,
        asb,
        xb,
        lent,
        ended,
        secret_words=("Bravo", "01233334444", "Alpha", "01011112222"),
    )
    await w.cleanup()


# (name, root field, query, variables from ids, roles allowed)
CASES: list[tuple[str, str, str, Any, set[str]]] = [
    ("me", "me", "{ me { id name } }", lambda i: {}, {"VOLUNTEER"}),
    (
        "volunteer-own",
        "volunteer",
        "query($id: ID!) { volunteer(id: $id) { id name } }",
        lambda i: {"id": i.va},
        {"ADMIN", "COORDINATOR", "TRAINER", "VOLUNTEER"},
    ),
    (
        "volunteer-other-association",
        "volunteer",
        "query($id: ID!) { volunteer(id: $id) { id name phone } }",
        lambda i: {"id": i.vb},
        {"ADMIN"},
    ),
    (
        "volunteer-borrowed",
        "volunteer",
        "query($id: ID!) { volunteer(id: $id) { id name } }",
        lambda i: {"id": i.lent},
        {"ADMIN", "COORDINATOR"},
    ),
    (
        "volunteer-loan-declined",
        "volunteer",
        "query($id: ID!) { volunteer(id: $id) { id name } }",
        lambda i: {"id": i.ended},
        {"ADMIN"},
    ),
    (
        "volunteers",
        "volunteers",
        "{ volunteers { totalCount } }",
        lambda i: {},
        {"ADMIN", "COORDINATOR", "TRAINER"},
    ),
    (
        "volunteers-other-association",
        "volunteers",
        "query($a: ID) { volunteers(filter: {association: $a}) { edges { node { name phone } } } }",
        lambda i: {"a": i.b},
        {"ADMIN"},
    ),
    (
        "association",
        "association",
        "query($id: ID!) { association(id: $id) { id } }",
        lambda i: {"id": i.b},
        set(ROLES),
    ),
    ("associations", "associations", "{ associations { id } }", lambda i: {}, set(ROLES)),
    ("governorates", "governorates", "{ governorates { code } }", lambda i: {}, set(ROLES)),
    ("skills", "skills", "{ skills { code } }", lambda i: {}, set(ROLES)),
    (
        "event-own",
        "event",
        "query($id: ID!) { event(id: $id) { id title } }",
        lambda i: {"id": i.ea},
        {"ADMIN", "COORDINATOR", "VOLUNTEER"},
    ),
    (
        "event-other",
        "event",
        "query($id: ID!) { event(id: $id) { id title } }",
        lambda i: {"id": i.eb},
        {"ADMIN"},
    ),
    (
        "events",
        "events",
        "{ events { totalCount } }",
        lambda i: {},
        {"ADMIN", "COORDINATOR", "VOLUNTEER"},
    ),
    (
        "events-other-association",
        "events",
        "query($a: ID) { events(filter: {association: $a}) { edges { node { title } } } }",
        lambda i: {"a": i.b},
        {"ADMIN", "VOLUNTEER"},
    ),
    (
        "shift-own",
        "shift",
        "query($id: ID!) { shift(id: $id) { id } }",
        lambda i: {"id": i.sa},
        {"ADMIN", "COORDINATOR", "VOLUNTEER"},
    ),
    (
        "shift-other",
        "shift",
        "query($id: ID!) { shift(id: $id) { id assignments { volunteer { name phone } } } }",
        lambda i: {"id": i.sb},
        {"ADMIN"},
    ),
    (
        "exchangeRequests",
        "exchangeRequests",
        "{ exchangeRequests(direction: INCOMING) { id } }",
        lambda i: {},
        {"ADMIN", "COORDINATOR"},
    ),
    (
        "matchingRun",
        "matchingRun",
        '{ matchingRun(id: "no-such-run") { id } }',
        lambda i: {},
        {"ADMIN", "COORDINATOR"},
    ),
    # mutations: allowed roles get past authorization (then BAD_USER_INPUT / NOT_FOUND is fine)
    (
        "registerVolunteer-own",
        "registerVolunteer",
        'mutation($a: ID!) { registerVolunteer(input: {nationalId: "1", name: "x", phone: "x", governorate: "01", association: $a}) { id } }',
        lambda i: {"a": i.a},
        {"ADMIN", "COORDINATOR"},
    ),
    (
        "registerVolunteer-other",
        "registerVolunteer",
        'mutation($a: ID!) { registerVolunteer(input: {nationalId: "1", name: "x", phone: "x", governorate: "01", association: $a}) { id } }',
        lambda i: {"a": i.b},
        {"ADMIN"},
    ),
    (
        "updateAvailability",
        "updateAvailability",
        'mutation { updateAvailability(availability: [{weekday: 9, startTime: "09:00", endTime: "10:00"}]) { id } }',
        lambda i: {},
        {"VOLUNTEER"},
    ),
    (
        "createEvent",
        "createEvent",
        'mutation { createEvent(input: {title: "t", domain: HEALTH, governorate: "01", latitude: 30, longitude: 31, shifts: []}) { event { id } } }',
        lambda i: {},
        {"COORDINATOR"},
    ),
    (
        "respondToAssignment-missing",
        "respondToAssignment",
        'mutation { respondToAssignment(id: "no-such-assignment", accept: true) { id } }',
        lambda i: {},
        {"VOLUNTEER"},
    ),
    (
        "respondToAssignment-other",
        "respondToAssignment",
        "mutation($id: ID!) { respondToAssignment(id: $id, accept: false) { id } }",
        lambda i: {"id": i.asb},
        set(),
    ),
    (
        "cancelAssignment-missing",
        "cancelAssignment",
        'mutation { cancelAssignment(id: "no-such-assignment") { id } }',
        lambda i: {},
        {"COORDINATOR"},
    ),
    (
        "cancelAssignment-other",
        "cancelAssignment",
        "mutation($id: ID!) { cancelAssignment(id: $id) { id } }",
        lambda i: {"id": i.asb},
        set(),
    ),
    (
        "checkIn-other",
        "checkIn",
        "mutation($id: ID!) { checkIn(assignmentId: $id) { id } }",
        lambda i: {"id": i.asb},
        set(),
    ),
    (
        "checkIn-missing",
        "checkIn",
        'mutation { checkIn(assignmentId: "nope") { id } }',
        lambda i: {},
        {"COORDINATOR"},
    ),
    (
        "completeAssignment-other",
        "completeAssignment",
        "mutation($id: ID!) { completeAssignment(assignmentId: $id) { id } }",
        lambda i: {"id": i.asb},
        set(),
    ),
    (
        "setSharingPolicy",
        "setSharingPolicy",
        "mutation { setSharingPolicy(input: {lends: true, maxShare: 7, requiresApproval: true}) { id } }",
        lambda i: {},
        {"ADMIN", "COORDINATOR"},
    ),
    (
        "setSharingPolicy-other",
        "setSharingPolicy",
        "mutation($a: ID!) { setSharingPolicy(input: {lends: true, maxShare: 7, requiresApproval: true, association: $a}) { id } }",
        lambda i: {"a": i.b},
        {"ADMIN"},
    ),
    (
        "decideExchange-not-lender",
        "decideExchange",
        "mutation($id: ID!) { decideExchange(id: $id, approve: true) { id } }",
        lambda i: {"id": i.xb},
        set(),
    ),
    (
        "requestVolunteers-other",
        "requestVolunteers",
        "mutation($s: ID!) { requestVolunteers(shiftIds: [$s]) { id } }",
        lambda i: {"s": i.sb},
        {"ADMIN"},
    ),
    # the other areas' root fields (worker and training rooms), at the role level
    (
        "importJob",
        "importJob",
        '{ importJob(id: "no-such-job") { id } }',
        lambda i: {},
        {"ADMIN", "COORDINATOR"},
    ),
    (
        "importVolunteersCsv",
        "importVolunteersCsv",
        'mutation { importVolunteersCsv(csv: "x") { id } }',
        lambda i: {},
        {"ADMIN", "COORDINATOR"},
    ),
    (
        "trainingPrograms",
        "trainingPrograms",
        "{ trainingPrograms { totalCount } }",
        lambda i: {},
        set(ROLES),
    ),
    (
        "trainingProgram",
        "trainingProgram",
        '{ trainingProgram(id: "no-such-program") { id } }',
        lambda i: {},
        set(ROLES),
    ),
    (
        "skillGaps",
        "skillGaps",
        '{ skillGaps(from: "2030-01-01T00:00:00Z", to: "2030-01-08T00:00:00Z") { gap } }',
        lambda i: {},
        {"ADMIN", "TRAINER"},
    ),
    (
        "trainedVolunteers",
        "trainedVolunteers",
        "{ trainedVolunteers { trained } }",
        lambda i: {},
        {"ADMIN", "TRAINER"},
    ),
    (
        "coordinationOverlaps",
        "coordinationOverlaps",
        '{ coordinationOverlaps(from: "2030-01-01T00:00:00Z", to: "2030-01-08T00:00:00Z") { reason } }',
        lambda i: {},
        {"ADMIN"},
    ),
    (
        "createTrainingProgram",
        "createTrainingProgram",
        'mutation { createTrainingProgram(input: {title: " ", skill: "first_aid", grantsLevel: 9, governorate: "01", '
        'capacity: 0, startsAt: "2030-01-01T09:00:00Z", endsAt: "2030-01-01T08:00:00Z"}) { id } }',
        lambda i: {},
        {"ADMIN", "TRAINER"},
    ),
    (
        "enroll",
        "enroll",
        'mutation($v: ID!) { enroll(programId: "no-such-program", volunteerId: $v) { id } }',
        lambda i: {"v": i.va},
        {"ADMIN", "TRAINER", "VOLUNTEER"},
    ),
    (
        "dropEnrollment",
        "dropEnrollment",
        'mutation { dropEnrollment(enrollmentId: "no-such-enrollment") { id } }',
        lambda i: {},
        {"ADMIN", "TRAINER", "VOLUNTEER"},
    ),
    (
        "recordAttendance",
        "recordAttendance",
        'mutation { recordAttendance(enrollmentId: "no-such-enrollment", hours: 1) { id } }',
        lambda i: {},
        {"ADMIN", "TRAINER"},
    ),
    (
        "completeTraining",
        "completeTraining",
        'mutation { completeTraining(enrollmentId: "no-such-enrollment") { id } }',
        lambda i: {},
        {"ADMIN", "TRAINER"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
async def test_root_field_by_identity(case: Any, api: Api, settings: Settings, ids: Ids) -> None:
    name, field, query, variables, allowed = case
    identities = ROLES + BAD_IDENTITIES
    answers = await ask_as_each(
        api,
        settings.jwt_secret,
        query,
        variables(ids),
        identities,
        association=ids.a,
        volunteer=ids.va,
    )
    for who, answer in zip(identities, answers, strict=True):
        check_answer(
            answer,
            who=who,
            field=field,
            allowed=allowed,
            bad=BAD_IDENTITIES,
            label=f"{name} as {who}",
            messages=REFUSAL_MESSAGES,
            secret_words=ids.secret_words,
        )


async def test_expired_token_says_expired(api: Api, settings: Settings) -> None:
    token = jwt.encode(
        {"sub": "x", "role": "ADMIN", "exp": int(time.time()) - 5},
        settings.jwt_secret,
        algorithm="HS256",
    )
    answer = await api.call("{ associations { id } }", token=token)
    assert answer.codes == ["UNAUTHENTICATED"] and "expired" in answer.errors[0]["message"]


def test_matrix_covers_every_root_field() -> None:
    from api.schema import build_schema

    schema = build_schema()._schema
    roots = set(schema.query_type.fields) | set(schema.mutation_type.fields)
    covered = {case[1] for case in CASES}
    assert roots <= covered, f"root fields without an authorization case: {sorted(roots - covered)}"
