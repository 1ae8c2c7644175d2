"""Every training root field x every identity: allowed roles get past authorization, everyone
else is refused (FORBIDDEN / UNAUTHENTICATED) with data null and nothing leaked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from graph.reference_data import load_reference_data
from graph.training_enrollment import enroll
from tests.api.auth_cases import ROLES, ask_as_each, check_answer, refusal_messages
from tests.api.conftest import Api
from tests.graph.training_world import World, uid

BAD = ("anonymous", "expired", "wrong-key")
REFUSAL_MESSAGES = refusal_messages(
    "unauthenticated",
    "token_expired",
    "token_invalid",
    "forbidden",
    "not_admin",
    "not_trainer",
)


@dataclass
class Ids:
    a: str
    b: str
    va: str
    vb: str
    pa: str
    pb: str
    ea: str
    eb: str
    skill: str


@pytest.fixture(scope="module")
async def ids(driver: Any) -> AsyncIterator[Ids]:
    await load_reference_data(driver)
    w = World(driver)
    a, b = await w.association("Alpha Assoc"), await w.association("Bravo Assoc")
    skill = await w.skill()
    va, vb = await w.volunteer(a), await w.volunteer(b)
    t = datetime.now(UTC)
    pa = await w.program(
        a, skill, starts_at=t - timedelta(hours=1), ends_at=t + timedelta(days=2), capacity=50
    )
    pb = await w.program(
        b, skill, starts_at=t - timedelta(hours=1), ends_at=t + timedelta(days=2), capacity=50
    )
    ea = (await enroll(driver, uid("enr"), pa, va, t)).id
    eb = (await enroll(driver, uid("enr"), pb, vb, t)).id
    yield Ids(a, b, va, vb, pa, pb, ea, eb, skill)
    await w.cleanup()


def program_input(ids: Ids, association: str | None) -> dict[str, Any]:
    t = datetime.now(UTC)
    data = {
        "title": "t",
        "skill": ids.skill,
        "grantsLevel": 2,
        "governorate": "01",
        "capacity": 5,
        "startsAt": t.isoformat(),
        "endsAt": (t + timedelta(days=1)).isoformat(),
    }
    if association is not None:
        data["association"] = association
    return data


WINDOW = {"from": "2031-01-01T00:00:00+02:00", "to": "2031-01-31T00:00:00+02:00"}
CREATE = "mutation($input: TrainingProgramInput!) { createTrainingProgram(input: $input) { id } }"

# (name, root field, query, variables, roles allowed)
CASES: list[tuple[str, str, str, Any, set[str]]] = [
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
        "query($id: ID!) { trainingProgram(id: $id) { id } }",
        lambda i: {"id": i.pb},
        set(ROLES),
    ),
    (
        "skillGaps",
        "skillGaps",
        "query($from: DateTime!, $to: DateTime!) { skillGaps(from: $from, to: $to) { gap } }",
        lambda i: WINDOW,
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
        "query($from: DateTime!, $to: DateTime!) { coordinationOverlaps(from: $from, to: $to) { reason } }",
        lambda i: WINDOW,
        {"ADMIN"},
    ),
    (
        "createTrainingProgram-own",
        "createTrainingProgram",
        CREATE,
        lambda i: {"input": program_input(i, None)},
        {"ADMIN", "TRAINER"},
    ),
    (
        "createTrainingProgram-other",
        "createTrainingProgram",
        CREATE,
        lambda i: {"input": program_input(i, i.b)},
        {"ADMIN"},
    ),
    (
        "enroll-own-program",
        "enroll",
        "mutation($p: ID!, $v: ID!) { enroll(programId: $p, volunteerId: $v) { id } }",
        lambda i: {"p": i.pa, "v": i.va},
        {"ADMIN", "TRAINER", "VOLUNTEER"},
    ),
    (
        "enroll-other-volunteer-other-program",
        "enroll",
        "mutation($p: ID!, $v: ID!) { enroll(programId: $p, volunteerId: $v) { id } }",
        lambda i: {"p": i.pb, "v": i.vb},
        {"ADMIN"},
    ),
    (
        # a stranger to the trainer's association: only the admin (or the volunteer itself,
        # not asked here) may put it in the program
        "enroll-outsider-in-own-program",
        "enroll",
        "mutation($p: ID!, $v: ID!) { enroll(programId: $p, volunteerId: $v) { id } }",
        lambda i: {"p": i.pa, "v": i.vb},
        {"ADMIN"},
    ),
    (
        "recordAttendance-own",
        "recordAttendance",
        "mutation($id: ID!) { recordAttendance(enrollmentId: $id, hours: 1) { id } }",
        lambda i: {"id": i.ea},
        {"ADMIN", "TRAINER"},
    ),
    (
        "recordAttendance-other",
        "recordAttendance",
        "mutation($id: ID!) { recordAttendance(enrollmentId: $id, hours: 1) { id } }",
        lambda i: {"id": i.eb},
        {"ADMIN"},
    ),
    (
        "completeTraining-other",
        "completeTraining",
        "mutation($id: ID!) { completeTraining(enrollmentId: $id) { id } }",
        lambda i: {"id": i.eb},
        {"ADMIN"},
    ),
    (
        "completeTraining-own",
        "completeTraining",
        "mutation($id: ID!) { completeTraining(enrollmentId: $id) { id } }",
        lambda i: {"id": i.ea},
        {"ADMIN", "TRAINER"},
    ),
    (
        "dropEnrollment-own",
        "dropEnrollment",
        "mutation($id: ID!) { dropEnrollment(enrollmentId: $id) { id } }",
        lambda i: {"id": i.ea},
        {"ADMIN", "TRAINER", "VOLUNTEER"},
    ),
    (
        "dropEnrollment-other",
        "dropEnrollment",
        "mutation($id: ID!) { dropEnrollment(enrollmentId: $id) { id } }",
        lambda i: {"id": i.eb},
        {"ADMIN"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
async def test_training_root_field_by_identity(case, api: Api, settings, ids: Ids, tw_created):
    name, field, query, variables, allowed = case
    identities = ROLES + BAD
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
        if field == "createTrainingProgram" and answer.data and answer.data.get(field):
            tw_created.append(answer.data[field]["id"])
        check_answer(
            answer,
            who=who,
            field=field,
            allowed=allowed,
            bad=BAD,
            label=f"{name} as {who}",
            messages=REFUSAL_MESSAGES,
            secret_words=("Bravo", "Alpha"),
        )


@pytest.fixture(scope="module")
async def tw_created(driver: Any) -> AsyncIterator[list[str]]:
    """Programs the allowed roles created through the API, deleted after the module."""
    created: list[str] = []
    yield created
    w = World(driver)
    w.track(*created)
    await w.cleanup()
