# ruff: noqa: F811  (pytest fixtures imported from tests.workers.worker_fixtures)
"""requestVolunteers / matchingRun / importVolunteersCsv through the real app and a real worker."""

from __future__ import annotations

from tests.workers.matching_world import MatchingWorld
from tests.workers.worker_fixtures import (  # noqa: F401 - fixtures
    arq_redis,
    neo4j_driver,
    run_workers,
    solver_pool,
    worker_ctx,
)
from workers.jobs import DEFAULT_QUEUE, URGENT_QUEUE, matching_job_id

REQUEST = """
mutation($ids: [ID!]!, $urgent: Boolean, $exchange: Boolean) {
  requestVolunteers(shiftIds: $ids, urgent: $urgent, allowExchange: $exchange) {
    id status progress urgent slotsTotal slotsFilled createdAt finishedAt
  }
}
"""

RUN = """
query($id: ID!) {
  matchingRun(id: $id) {
    id status progress slotsTotal slotsFilled exchanged totalCost error finishedAt
    assignments(first: 10) {
      totalCount
      edges { node { id status cost viaExchange volunteer { id } skill { code } explanation { name value } } }
    }
    unfilled { reason skill { code } shift { id } }
  }
}
"""


async def small_world(w: MatchingWorld) -> tuple[str, str, str, list[str]]:
    medic = await w.skill("medic")
    rare = await w.skill("rare")
    home = await w.association()
    people = [await w.volunteer(home, [(medic, 2)]) for _ in range(2)]
    event = await w.event(home)
    shift = await w.shift(event, [(medic, 2, 1), (rare, 2, 1)])
    return home, shift, medic, people


async def test_request_runs_and_reports_through_graphql(api, mworld, arq_redis, run_workers):
    home, shift, medic, people = await small_world(mworld)
    token = api.token("COORDINATOR", "coord", home)
    answer = await api.call(REQUEST, {"ids": [shift], "urgent": False, "exchange": False}, token=token)
    assert answer.errors == []
    run = answer.data["requestVolunteers"]
    assert run["status"] == "QUEUED" and run["progress"] == 0.0 and run["slotsTotal"] == 4
    assert run["finishedAt"] is None and not run["urgent"]
    assert await arq_redis.zscore(DEFAULT_QUEUE, matching_job_id(run["id"])) is not None

    await run_workers("default")
    done = (await api.call(RUN, {"id": run["id"]}, token=token)).data["matchingRun"]
    assert done["status"] == "SUCCEEDED" and done["progress"] == 1.0 and done["error"] is None
    assert done["slotsFilled"] == 2 and done["assignments"]["totalCount"] == 2
    nodes = [e["node"] for e in done["assignments"]["edges"]]
    assert {n["volunteer"]["id"] for n in nodes} == set(people)
    for n in nodes:
        assert n["status"] == "PROPOSED" and n["skill"]["code"] == medic and not n["viaExchange"]
        assert abs(sum(t["value"] for t in n["explanation"]) - n["cost"]) < 1e-6
    assert abs(done["totalCost"] - sum(n["cost"] for n in nodes)) < 1e-6
    assert [(u["reason"], u["shift"]["id"]) for u in done["unfilled"]] == [
        ("NO_SKILL_IN_REACH", shift), ("NO_SKILL_IN_REACH", shift)
    ]


async def test_urgent_request_goes_on_the_urgent_queue(api, mworld, arq_redis, run_workers):
    home, shift, _, _ = await small_world(mworld)
    answer = await api.as_role("ADMIN", REQUEST, {"ids": [shift], "urgent": True}, sub="ops")
    run = answer.data["requestVolunteers"]
    assert run["urgent"] and run["status"] == "QUEUED"
    job = matching_job_id(run["id"])
    assert await arq_redis.zscore(URGENT_QUEUE, job) is not None
    assert await arq_redis.zscore(DEFAULT_QUEUE, job) is None
    await run_workers("urgent")
    done = await api.as_role("ADMIN", RUN, {"id": run["id"]}, sub="ops")
    assert done.data["matchingRun"]["status"] == "SUCCEEDED"


async def test_request_refusals_name_the_field_and_leak_nothing(api, mworld):
    home, shift, _, _ = await small_world(mworld)
    other = await mworld.association()
    missing = await api.as_role("COORDINATOR", REQUEST, {"ids": [shift, "no-such-shift"]}, association=home)
    assert missing.data is None and missing.codes == ["NOT_FOUND"] and missing.fields == ["shiftIds"]
    empty = await api.as_role("COORDINATOR", REQUEST, {"ids": []}, association=home)
    assert empty.codes == ["BAD_USER_INPUT"] and empty.fields == ["shiftIds"]
    foreign = await api.as_role("COORDINATOR", REQUEST, {"ids": [shift]}, association=other)
    assert foreign.data is None and foreign.codes == ["FORBIDDEN"]
    assert shift not in foreign.errors[0]["message"]
    for role in ("VOLUNTEER", "TRAINER"):
        refused = await api.as_role(role, REQUEST, {"ids": [shift]}, association=home)
        assert refused.data is None and refused.codes == ["FORBIDDEN"]
    anonymous = await api.call(REQUEST, {"ids": [shift]})
    assert anonymous.codes == ["UNAUTHENTICATED"]


async def test_matching_run_is_scoped_to_the_requesting_association(api, mworld):
    home, shift, _, _ = await small_world(mworld)
    other = await mworld.association()
    run = (await api.as_role("COORDINATOR", REQUEST, {"ids": [shift]}, association=home)).data[
        "requestVolunteers"
    ]
    own = await api.as_role("COORDINATOR", RUN, {"id": run["id"]}, association=home)
    assert own.data["matchingRun"]["id"] == run["id"]
    for role, association in (("COORDINATOR", other), ("VOLUNTEER", None), ("TRAINER", home)):
        refused = await api.as_role(role, RUN, {"id": run["id"]}, association=association)
        assert refused.data == {"matchingRun": None} or refused.data is None
        assert refused.codes == ["FORBIDDEN"]
    absent = await api.as_role("ADMIN", RUN, {"id": "run-does-not-exist"})
    assert absent.codes == ["NOT_FOUND"]


IMPORT = """
mutation($csv: String!, $association: ID) {
  importVolunteersCsv(csv: $csv, association: $association) { id status }
}
"""
IMPORT_JOB = "query($id: ID!) { importJob(id: $id) { status rowsTotal imported created errors { line field reason } } }"


async def test_csv_import_through_graphql(api, mworld, run_workers):
    home = await mworld.association()
    text = "nationalId,name,phone,governorate\n12345,Bad,01012345678,01\n"
    queued = await api.as_role("COORDINATOR", IMPORT, {"csv": text}, association=home)
    job = queued.data["importVolunteersCsv"]
    mworld.imports.append(job["id"])
    assert job["status"] == "QUEUED"
    other = await mworld.association()
    refused = await api.as_role("COORDINATOR", IMPORT, {"csv": text, "association": other}, association=home)
    assert refused.codes == ["FORBIDDEN"]
    admin_without = await api.as_role("ADMIN", IMPORT, {"csv": text})
    assert admin_without.codes == ["BAD_USER_INPUT"] and admin_without.fields == ["association"]
    await run_workers("default")
    report = await api.as_role("COORDINATOR", IMPORT_JOB, {"id": job["id"]}, association=home)
    assert report.data["importJob"] == {
        "status": "SUCCEEDED", "rowsTotal": 1, "imported": 0, "created": 0,
        "errors": [{"line": 2, "field": "nationalId", "reason": "must be exactly 14 digits"}],
    }
    hidden = await api.as_role("COORDINATOR", IMPORT_JOB, {"id": job["id"]}, association=other)
    assert hidden.codes == ["FORBIDDEN"]
