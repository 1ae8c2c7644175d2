# ruff: noqa: F811  (pytest fixtures imported from tests.workers.worker_fixtures)
"""Subscription.matchingRun over graphql-transport-ws (gql WebsocketsTransport) on the real app,
while a real arq worker runs the matching."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

from tests.workers.worker_fixtures import (  # noqa: F401 - fixtures
    arq_redis,
    neo4j_driver,
    run_workers,
    solver_pool,
    worker_ctx,
)

REQUEST = """
mutation($ids: [ID!]!) { requestVolunteers(shiftIds: $ids, allowExchange: false) { id status } }
"""
FOLLOW = """
subscription($id: ID!) {
  matchingRun(id: $id) {
    id status progress slotsFilled
    assignments(first: 5) { totalCount }
    unfilled { reason }
  }
}
"""


def ws_transport(live: Any, token: str) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=live.url.replace("http://", "ws://") + "/graphql",
        init_payload={"Authorization": f"Bearer {token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],  # graphql-transport-ws
    )


async def collect(live: Any, token: str, run_id: str) -> list[dict[str, Any]]:
    pushed: list[dict[str, Any]] = []
    async with Client(transport=ws_transport(live, token)) as session:
        async for item in session.subscribe(GraphQLRequest(FOLLOW, variable_values={"id": run_id})):
            pushed.append(item["matchingRun"])
    return pushed


async def test_subscription_pushes_progress_until_the_run_finishes(api, live, mworld, run_workers):
    medic = await mworld.skill("medic")
    home = await mworld.association()
    for _ in range(3):
        await mworld.volunteer(home, [(medic, 2)])
    event = await mworld.event(home)
    shift = await mworld.shift(event, [(medic, 4, 1)])
    token = api.token("COORDINATOR", "coord", home)
    run = (await api.call(REQUEST, {"ids": [shift]}, token=token)).data["requestVolunteers"]

    follower = asyncio.create_task(collect(live, token, run["id"]))
    await asyncio.sleep(0.5)  # the first push (QUEUED) happens before the worker starts
    await run_workers("default")
    pushed = await asyncio.wait_for(follower, timeout=30)  # the stream ends by itself

    assert pushed[0]["status"] == "QUEUED" and pushed[0]["progress"] == 0.0
    last = pushed[-1]
    assert last["status"] == "SUCCEEDED" and last["progress"] == 1.0
    assert last["slotsFilled"] == 3 and last["assignments"]["totalCount"] == 3
    assert len(last["unfilled"]) == 1 and last["unfilled"][0]["reason"]  # 4 asked, 3 exist
    progress = [p["progress"] for p in pushed]
    assert progress == sorted(progress) and len(pushed) >= 3  # QUEUED, RUNNING..., SUCCEEDED
    assert any(p["status"] == "RUNNING" for p in pushed)


async def test_subscription_of_a_finished_run_pushes_once_and_ends(api, live, mworld, run_workers):
    medic = await mworld.skill("medic")
    home = await mworld.association()
    event = await mworld.event(home)
    shift = await mworld.shift(event, [(medic, 1, 1)])
    token = api.token("COORDINATOR", "coord", home)
    run = (await api.call(REQUEST, {"ids": [shift]}, token=token)).data["requestVolunteers"]
    await run_workers("default")
    pushed = await asyncio.wait_for(collect(live, token, run["id"]), timeout=15)
    assert [p["status"] for p in pushed] == ["SUCCEEDED"]


async def test_subscription_refuses_another_association(api, live, mworld):
    medic = await mworld.skill("medic")
    home = await mworld.association()
    other = await mworld.association()
    event = await mworld.event(home)
    shift = await mworld.shift(event, [(medic, 1, 1)])
    run = (await api.as_role("COORDINATOR", REQUEST, {"ids": [shift]}, association=home)).data[
        "requestVolunteers"
    ]
    with pytest.raises(TransportQueryError) as refused:
        await asyncio.wait_for(collect(live, api.token("COORDINATOR", "x", other), run["id"]), 15)
    assert refused.value.errors and refused.value.errors[0]["extensions"]["code"] == "FORBIDDEN"
    assert run["id"] not in refused.value.errors[0]["message"]
    with pytest.raises(TransportQueryError) as volunteer:
        await asyncio.wait_for(collect(live, api.token("VOLUNTEER", "v1"), run["id"]), 15)
    assert volunteer.value.errors[0]["extensions"]["code"] == "FORBIDDEN"
