"""Neo4j/Redis down: /readyz says which, GraphQL answers UNAVAILABLE, and it recovers by itself."""

from __future__ import annotations

import httpx

from graph.settings import Settings

from .conftest import Api
from .server import LiveServer, free_port
from .tcp_proxy import TcpProxy


async def test_unavailable_then_recovers(settings: Settings) -> None:
    neo4j_port, redis_port = free_port(), free_port()
    target = int(settings.neo4j_uri.rsplit(":", 1)[1])
    broken = settings.model_copy(
        update={
            "neo4j_uri": f"bolt://127.0.0.1:{neo4j_port}",
            "redis_url": f"redis://127.0.0.1:{redis_port}/0",
        }
    )
    server = LiveServer(broken).start()
    proxy = TcpProxy(neo4j_port, target)
    try:
        api = Api(server.url, settings.jwt_secret)
        ready = httpx.get(server.url + "/readyz", timeout=30)
        assert ready.status_code == 503
        body = ready.json()
        assert body["neo4j"].startswith("down") and body["redis"].startswith("down")
        assert httpx.get(server.url + "/healthz").status_code == 200

        down = await api.as_role("ADMIN", "{ governorates { code } }", lang="ar")
        assert down.codes == ["UNAVAILABLE"] and down.data is None, down.errors
        assert "Neo4j" in down.errors[0]["message"] and "Traceback" not in str(down.errors)

        proxy.start()  # Neo4j is back: the same driver reconnects without a restart
        up = await api.as_role("ADMIN", "{ governorates { code } }")
        assert up.errors == [] and len(up.data["governorates"]) == 27
        ready = httpx.get(server.url + "/readyz", timeout=30)
        assert ready.status_code == 503 and ready.json()["neo4j"] == "ok"
        assert ready.json()["redis"].startswith("down")
    finally:
        server.stop()
        if proxy.thread.is_alive():
            proxy.stop()
