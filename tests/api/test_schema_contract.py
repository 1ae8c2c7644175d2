"""schema.graphql matches the code, and every name of the contract (shared/API.md) exists.

The contract's names are embedded here (CI must not depend on ../shared). When the schema
changes on purpose, run `tahaluf export-schema` and commit schema.graphql.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLSchema

from api.cli.export_schema import schema_sdl
from api.schema import build_schema

ROOT = Path(__file__).resolve().parents[2]

QUERY = {
    "me": [],
    "volunteer": ["id"],
    "volunteers": ["filter", "first", "after"],
    "association": ["id"],
    "associations": [],
    "governorates": [],
    "skills": [],
    "event": ["id"],
    "events": ["filter", "first", "after"],
    "shift": ["id"],
    "matchingRun": ["id"],
    "exchangeRequests": ["direction", "status"],
    "trainingPrograms": ["governorate", "skill", "first", "after"],
    "trainingProgram": ["id"],
    "skillGaps": ["from", "to", "governorate"],
}
MUTATION = {
    "registerVolunteer": ["input"],
    "updateAvailability": ["availability"],
    "createEvent": ["input"],
    "requestVolunteers": ["shiftIds", "allowExchange", "urgent"],
    "respondToAssignment": ["id", "accept"],
    "cancelAssignment": ["id", "reason"],
    "checkIn": ["assignmentId"],
    "completeAssignment": ["assignmentId", "hours", "noShow"],
    "setSharingPolicy": ["input"],
    "decideExchange": ["id", "approve"],
    "createTrainingProgram": ["input"],
    "enroll": ["programId", "volunteerId"],
    "recordAttendance": ["enrollmentId", "hours"],
    "completeTraining": ["enrollmentId"],
    "dropEnrollment": ["enrollmentId"],
}
SUBSCRIPTION = {"matchingRun": ["id"]}

ENUMS = {
    "Role": "ADMIN COORDINATOR TRAINER VOLUNTEER",
    "Gender": "FEMALE MALE",
    "Domain": "HEALTH EDUCATION POVERTY ENVIRONMENT AGRICULTURE RELIEF OTHER",
    "AssignmentStatus": "PROPOSED CONFIRMED DECLINED CANCELLED CHECKED_IN COMPLETED NO_SHOW EXPIRED",
    "RunStatus": "QUEUED RUNNING SUCCEEDED FAILED",
    "ExchangeStatus": "PENDING APPROVED DECLINED EXPIRED",
    "EnrollmentStatus": "ENROLLED WAITLISTED COMPLETED DROPPED",
    "Direction": "INCOMING OUTGOING",
}

TYPES = {
    "Governorate": "code nameAr nameEn",
    "Skill": "code nameAr nameEn domain implies",
    "VolunteerSkill": "skill level expiresAt",
    "AvailabilityWindow": "weekday startTime endTime",
    "Membership": "association since primary",
    "Volunteer": "id name gender birthYear governorate phone memberships skills availability reliability "
    "hoursThisMonth assignments enrollments",
    "SharingPolicy": "lends maxShare requiresApproval borrowers",
    "Association": "id name volunteerCount sharingPolicy lentHours borrowedHours",
    "ShiftNeed": "skill count minLevel gender filled",
    "Shift": "id event startsAt endsAt needs slotsTotal slotsFilled assignments",
    "Event": "id title domain campaign association governorate latitude longitude startsAt endsAt shifts",
    "CoordinationWarning": "event reason",
    "CreateEventPayload": "event warnings",
    "CostTerm": "name value",
    "Assignment": "id volunteer shift skill status viaExchange lender cost explanation createdAt updatedAt",
    "UnfilledSlot": "shift skill reason",
    "MatchingRun": "id status progress urgent slotsTotal slotsFilled exchanged totalCost assignments unfilled "
    "error createdAt finishedAt",
    "ExchangeRequest": "id borrower lender assignment status createdAt",
    "TrainingProgram": "id title skill grantsLevel association governorate capacity startsAt endsAt validForDays "
    "enrolledCount waitlistCount completedCount seatsLeft completionRate",
    "Enrollment": "id volunteer program status attendedHours",
    "SkillGap": "skill governorate demand supply gap",
    "VolunteerConnection": "edges pageInfo totalCount",
    "AssignmentConnection": "edges pageInfo totalCount",
    "EventConnection": "edges pageInfo totalCount",
    "PageInfo": "hasNextPage hasPreviousPage startCursor endCursor",
}
FIELD_ARGS = {
    ("Volunteer", "assignments"): ["status", "from", "to", "first", "after"],
    ("Shift", "assignments"): ["status"],
    ("MatchingRun", "assignments"): ["first", "after"],
}
INPUTS = {
    "VolunteerFilter": "governorate skill minLevel association availableFrom availableTo search",
    "EventFilter": "governorate domain association from to campaign",
    "NeedInput": "skill count minLevel gender",
    "ShiftInput": "startsAt endsAt needs",
    "CreateEventInput": "title domain campaign governorate latitude longitude shifts",
    "RegisterVolunteerInput": "nationalId name phone governorate association skills availability",
    "SkillLevelInput": "skill level",
    "AvailabilityInput": "weekday startTime endTime",
    "SharingPolicyInput": "lends maxShare requiresApproval borrowers",
    "TrainingProgramInput": "title skill grantsLevel governorate capacity startsAt endsAt validForDays",
}


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return build_schema()._schema


def test_exported_schema_is_in_sync() -> None:
    exported = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert exported == schema_sdl(), (
        "schema.graphql drifted from the code: run `tahaluf export-schema`"
    )


@pytest.mark.parametrize(
    ("root", "fields"), [("Query", QUERY), ("Mutation", MUTATION), ("Subscription", SUBSCRIPTION)]
)
def test_root_fields_and_arguments(
    schema: GraphQLSchema, root: str, fields: dict[str, list[str]]
) -> None:
    root_type = schema.get_type(root)
    assert isinstance(root_type, GraphQLObjectType), root
    missing = [name for name in fields if name not in root_type.fields]
    assert not missing, f"{root} lacks {missing}"
    for name, args in fields.items():
        absent = [a for a in args if a not in root_type.fields[name].args]
        assert not absent, f"{root}.{name} lacks arguments {absent}"


def test_enums(schema: GraphQLSchema) -> None:
    for name, values in ENUMS.items():
        enum = schema.get_type(name)
        assert isinstance(enum, GraphQLEnumType), name
        assert set(values.split()) <= set(enum.values), name


def test_object_types(schema: GraphQLSchema) -> None:
    for name, fields in TYPES.items():
        object_type = schema.get_type(name)
        assert isinstance(object_type, GraphQLObjectType), name
        missing = [f for f in fields.split() if f not in object_type.fields]
        assert not missing, f"{name} lacks {missing}"
    for (type_name, field), args in FIELD_ARGS.items():
        object_type = schema.get_type(type_name)
        assert isinstance(object_type, GraphQLObjectType)
        assert set(args) <= set(object_type.fields[field].args), (type_name, field)


def test_inputs_and_scalar(schema: GraphQLSchema) -> None:
    for name, fields in INPUTS.items():
        input_type = schema.get_type(name)
        assert isinstance(input_type, GraphQLInputObjectType), name
        missing = [f for f in fields.split() if f not in input_type.fields]
        assert not missing, f"{name} lacks {missing}"
    assert schema.get_type("DateTime") is not None
    volunteer = schema.get_type("Volunteer")
    assert isinstance(volunteer, GraphQLObjectType)
    assert not any("national" in f.lower() for f in volunteer.fields)
