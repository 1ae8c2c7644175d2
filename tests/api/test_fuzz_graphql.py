"""Fuzzed GraphQL inputs (schemathesis) against the real app: no unhandled error.

Every query and mutation of the live schema (loaded by introspection from the running server)
is fuzzed by schemathesis' GraphQL generator, positive and negative (schema-breaking) cases, as
ADMIN and as a COORDINATOR. ID arguments are often swapped for the ids of a small world made
for this test (and String arguments for real governorate/skill codes), so the fuzzer reaches
the resolvers' real paths instead of stopping at NOT_FOUND.

The assertion on every response: no 5xx; a JSON GraphQL body; every error has an
`extensions.code` from API.md's list (an unhandled exception shows as INTERNAL); a
BAD_USER_INPUT raised by a resolver names its field.

Writes stay inside the test's own associations (ids are drawn from the world only; random ids
match nothing), the server queues its jobs on a Redis database of its own that no worker polls,
and teardown deletes exactly what was created. `TAHALUF_FUZZ_EXAMPLES` (default 6 per
operation, mode and role) sizes the run and `TAHALUF_FUZZ_ROLES` (default ADMIN,COORDINATOR)
picks the roles: `TAHALUF_FUZZ_EXAMPLES=30 TAHALUF_FUZZ_ROLES=ADMIN,COORDINATOR,TRAINER,VOLUNTEER
pytest tests/api/test_fuzz_graphql.py` is the long fuzz.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

import httpx
import pytest
import schemathesis
from graphql import (
    IntValueNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    parse,
    print_ast,
    visit,
)
from hypothesis import HealthCheck, Phase, given, settings
from neo4j import AsyncDriver
from redis.asyncio import Redis
from schemathesis import GenerationMode

from api.auth import mint_token
from graph.settings import Settings

from .server import LiveServer
from .world import World

EXAMPLES = int(os.environ.get("TAHALUF_FUZZ_EXAMPLES", "6"))
ROLES = os.environ.get("TAHALUF_FUZZ_ROLES", "ADMIN,COORDINATOR").split(",")
# A Redis database of its own: the fuzzed requestVolunteers/cancel/import jobs are queued where
# no worker of any other test polls, and are deleted afterwards.
FUZZ_REDIS_DB = 11
API_CODES = {"UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT", "CONFLICT", "UNAVAILABLE"}
CODES = ["01", "32", "21", "first_aid", "nurse", "physician", "teaching"]

CREATED_RUNS: LiteralString = """
UNWIND $ids AS aid
MATCH (r:MatchingRun {association: aid}) RETURN r.id AS id
"""

CREATED_IMPORTS: LiteralString = """
UNWIND $ids AS aid
MATCH (j:ImportJob {association: aid}) RETURN j.id AS id
"""

DELETE_IMPORTS: LiteralString = """
UNWIND $ids AS aid
MATCH (j:ImportJob {association: aid})
DETACH DELETE j
"""

DELETE_TRAINING: LiteralString = """
UNWIND $ids AS aid
MATCH (:Association {id: aid})-[:RUNS]->(p:TrainingProgram)
OPTIONAL MATCH (p)<-[:IN_PROGRAM]-(e:Enrollment)
DETACH DELETE e, p
"""

# Events created by the fuzzer's createEvent belong to the world's associations; their shifts
# and assignments go with World.cleanup. Volunteers it registers are members of them too.


# Which of the world's ids suit an argument, by its name (`id` by its field's name).
POOLS = {
    "volunteer": ("member", "borrowed"), "volunteerId": ("member", "borrowed"),
    "association": ("home", "lender"), "borrowers": ("home", "lender"),
    "event": ("event",), "shift": ("shift", "soon"), "shiftIds": ("shift", "soon"),
    "respondToAssignment": ("proposed", "loan"), "cancelAssignment": ("proposed", "confirmed"),
    "assignmentId": ("confirmed", "checked_in", "proposed"), "decideExchange": ("exchange",),
    "trainingProgram": ("program",), "programId": ("program",), "enrollmentId": ("enrollment",),
}


class InjectIds(Visitor):
    """Swap ID literals for the world's ids (of the kind the argument names, mostly) and some
    String literals for real governorate/skill codes."""

    def __init__(self, type_info: TypeInfo, rng: random.Random, ids: dict[str, str]) -> None:
        super().__init__()
        self.type_info = type_info
        self.rng = rng
        self.ids = ids
        self.names: list[str] = []

    def enter_field(self, node: Any, *_: Any) -> None:
        self.names.append(node.name.value)

    def leave_field(self, node: Any, *_: Any) -> None:
        self.names.pop()

    enter_argument = enter_object_field = enter_field
    leave_argument = leave_object_field = leave_field

    def _pick(self) -> StringValueNode:
        key = self.names[-1] if self.names else ""
        if key == "id" and len(self.names) >= 2:
            key = self.names[-2]
        pool = [self.ids[k] for k in POOLS.get(key, ())]
        if not pool or self.rng.random() < 0.15:
            pool = list(self.ids.values())
        return StringValueNode(value=self.rng.choice(pool))

    def _input_type_name(self) -> str | None:
        named = get_named_type(self.type_info.get_input_type())
        return named.name if named is not None else None

    def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
        name = self._input_type_name()
        if name == "ID" and self.rng.random() < 0.85:
            return self._pick()
        if name == "String" and self.rng.random() < 0.4:
            return StringValueNode(value=self.rng.choice(CODES))
        return None

    def enter_int_value(self, node: IntValueNode, *_: Any) -> Any:
        if self._input_type_name() == "ID" and self.rng.random() < 0.85:
            return self._pick()
        return None


def inject(schema: Any, query: str, rng: random.Random, ids: dict[str, str]) -> str:
    type_info = TypeInfo(schema)
    document = visit(parse(query), TypeInfoVisitor(type_info, InjectIds(type_info, rng, ids)))
    return print_ast(document)


def problems(response: Any) -> list[str]:
    """What is wrong with one response (empty: it is fine)."""
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}: {response.text[:300]}"]
    try:
        body = response.json()
    except ValueError:
        return [f"not JSON (HTTP {response.status_code}): {response.text[:300]}"]
    if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
        return [f"not a GraphQL response: {str(body)[:300]}"]
    found = []
    for error in body.get("errors") or []:
        extensions = error.get("extensions") or {}
        code = extensions.get("code")
        if code not in API_CODES:
            found.append(f"code {code!r}: {error.get('message')} at {error.get('path')}")
        elif code == "BAD_USER_INPUT" and error.get("path") and not extensions.get("field"):
            found.append(f"BAD_USER_INPUT without extensions.field: {error.get('message')}")
    return found


@pytest.fixture(scope="module")
def fuzz_server(settings: Settings, driver: AsyncDriver) -> Iterator[LiveServer]:
    base = settings.redis_url.rsplit("/", 1)[0]
    own = settings.model_copy(update={"redis_url": f"{base}/{FUZZ_REDIS_DB}"})
    server = LiveServer(own).start()
    yield server
    server.stop()


@pytest.fixture
async def fuzz_world(driver: AsyncDriver, settings: Settings) -> AsyncIterator[tuple[World, dict[str, str]]]:
    w = World(driver)
    try:
        yield w, {}
    finally:
        runs = [r["id"] for r in await w.run(CREATED_RUNS, ids=w.associations)]
        imports = [r["id"] for r in await w.run(CREATED_IMPORTS, ids=w.associations)]
        base = settings.redis_url.rsplit("/", 1)[0]
        redis = Redis.from_url(f"{base}/{FUZZ_REDIS_DB}")
        try:
            jobs = [f"match:{r}" for r in runs] + [f"import:{i}" for i in imports]
            for job in jobs:
                await redis.delete(f"arq:job:{job}", f"arq:retry:{job}", f"arq:result:{job}")
                for queue in ("tahaluf:default", "tahaluf:urgent"):
                    await redis.zrem(queue, job)
        finally:
            await redis.aclose()
        await w.run(DELETE_TRAINING, ids=w.associations)
        await w.run(DELETE_IMPORTS, ids=w.associations)
        await w.cleanup()


async def build_world(w: World, api_url: str, secret: str) -> dict[str, str]:
    home = await w.association()
    lender = await w.association(lends=True)
    member = await w.volunteer(home)
    borrowed = await w.volunteer(lender)
    event, shift = await w.event(home)
    _, soon = await w.event(home, starts_in=timedelta(minutes=30), hours=2)
    proposed = await w.assignment(member, shift, "PROPOSED")
    confirmed = await w.assignment(member, soon, "CONFIRMED")
    checked_in = await w.assignment(borrowed, soon, "CHECKED_IN")
    loan = await w.assignment(borrowed, shift, "PROPOSED", lender=lender)
    exchange = await w.exchange(home, lender, loan)
    admin = mint_token(secret, role="ADMIN", sub="fuzz-admin")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    created = httpx.post(
        api_url,
        json={
            "query": """mutation($input: TrainingProgramInput!) {
              createTrainingProgram(input: $input) { id } }""",
            "variables": {
                "input": {
                    "title": "Fuzz first aid", "skill": "first_aid", "grantsLevel": 2,
                    "governorate": "01", "capacity": 1, "startsAt": start.isoformat(),
                    "endsAt": (start + timedelta(hours=6)).isoformat(), "association": home,
                }
            },
        },
        headers={"Authorization": f"Bearer {admin}"},
        timeout=60,
    ).json()
    program = created["data"]["createTrainingProgram"]["id"]
    enrolled = httpx.post(
        api_url,
        json={
            "query": "mutation($p: ID!, $v: ID!) { enroll(programId: $p, volunteerId: $v) { id } }",
            "variables": {"p": program, "v": member},
        },
        headers={"Authorization": f"Bearer {admin}"},
        timeout=60,
    ).json()
    return {
        "home": home, "lender": lender, "member": member, "borrowed": borrowed,
        "event": event, "shift": shift, "soon": soon, "proposed": proposed,
        "confirmed": confirmed, "checked_in": checked_in, "loan": loan, "exchange": exchange,
        "program": program, "enrollment": enrolled["data"]["enroll"]["id"],
    }


@dataclass
class Tally:
    sent: int = 0
    answered: int = 0  # cases that came back with data and no error (reached a resolver's end)
    failures: dict[str, str] = field(default_factory=dict)  # first failing case per problem


def _case_test(
    label: str, strategy: Any, role: str, token: str, client_schema: Any, ids: dict[str, str]
) -> Any:
    """A Hypothesis test over `strategy` sending each case as `role`."""

    def run(tally: Tally) -> None:
        @settings(
            max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
            phases=[Phase.generate], suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def one(case: Any) -> None:
            rng = random.Random(hash(case.body) & 0xFFFF)
            try:
                case.body = inject(client_schema, case.body, rng, ids)
            except Exception:  # noqa: BLE001 - a negative case may not even parse
                pass
            response = case.call(headers={"Authorization": f"Bearer {token}"}, timeout=60)
            tally.sent += 1
            found = problems(response)
            if not found and not response.json().get("errors"):
                tally.answered += 1
            for problem in found:
                key = f"{label} as {role}: {problem.split(':')[0]}"
                tally.failures.setdefault(key, f"{problem}\n  query: {json.dumps(case.body)}")

        one()

    return run


def fuzz(url: str, tokens: dict[str, str], ids: dict[str, str]) -> Tally:
    """Run every query and mutation of the live schema through schemathesis for each role."""
    schema = schemathesis.graphql.from_url(url)
    client_schema = schema.client_schema
    tally = Tally()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30, [op.label for op in operations]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                strategy = operation.as_strategy(generation_mode=mode)
            except Exception:  # noqa: BLE001 - no negative case possible for this operation
                continue
            for role, token in tokens.items():
                case_test = _case_test(operation.label, strategy, role, token, client_schema, ids)
                try:
                    case_test(tally)
                except Exception as exc:  # noqa: BLE001 - an unsatisfiable strategy is not a finding
                    if "Unsatisfiable" not in type(exc).__name__:
                        raise
    return tally


async def test_fuzzed_inputs_never_cause_an_unhandled_error(
    fuzz_server: LiveServer, fuzz_world: tuple[World, dict[str, str]], settings: Settings
) -> None:
    w, _ = fuzz_world
    url = fuzz_server.url + "/graphql"
    named = await build_world(w, url, settings.jwt_secret)
    every = {
        "ADMIN": mint_token(settings.jwt_secret, role="ADMIN", sub="fuzz-admin"),
        "COORDINATOR": mint_token(
            settings.jwt_secret, role="COORDINATOR", sub="fuzz-coordinator", association=named["home"]
        ),
        "TRAINER": mint_token(
            settings.jwt_secret, role="TRAINER", sub="fuzz-trainer", association=named["home"]
        ),
        "VOLUNTEER": mint_token(settings.jwt_secret, role="VOLUNTEER", sub=named["member"]),
    }
    tokens = {role: every[role] for role in ROLES}
    tally = await asyncio.to_thread(fuzz, url, tokens, named)
    assert tally.failures == {}, "\n".join(f"{k}\n  {v}" for k, v in tally.failures.items())
    assert tally.sent >= len(tokens) * 30 * EXAMPLES
    # the world's ids make the fuzz reach real resolvers, not only NOT_FOUND / BAD_USER_INPUT
    assert tally.answered >= tally.sent // 10, (tally.answered, tally.sent)
