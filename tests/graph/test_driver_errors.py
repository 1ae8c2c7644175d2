"""Connection failures become ONE clear line (GraphUnavailable), also through `tahaluf migrate`."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from uuid import uuid4

import pytest

from graph.cypher_runner import INTERACTIVE_RETRY_SECONDS, read_plain_rows, read_rows
from graph.driver import check_connection, create_driver
from graph.errors import GraphUnavailable
from graph.settings import Settings, get_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _settings(**env: str) -> Settings:
    base = get_settings()
    values = {"NEO4J_URI": base.neo4j_uri, "NEO4J_USER": base.neo4j_user,
              "NEO4J_PASSWORD": base.neo4j_password}
    values.update(env)
    return Settings(**values)  # type: ignore[arg-type]


async def test_reachable_test_server_passes_the_check(neo4j_driver) -> None:
    await check_connection(neo4j_driver)


async def test_down_server_gives_one_line() -> None:
    uri = f"bolt://127.0.0.1:{_free_port()}"
    driver = create_driver(_settings(NEO4J_URI=uri))
    try:
        with pytest.raises(GraphUnavailable) as err:
            await check_connection(driver)
    finally:
        await driver.close()
    message = str(err.value)
    assert "\n" not in message
    assert message == (f"cannot reach Neo4j at {uri}: connection refused — is it running? "
                       "try `make services-up`")


async def test_wrong_credentials_give_one_line() -> None:
    # A user that does not exist: the real `neo4j` user is never locked out by failed logins.
    user = f"nobody-{uuid4().hex[:6]}"
    settings = _settings(NEO4J_USER=user, NEO4J_PASSWORD="wrong-password")
    driver = create_driver(settings)
    try:
        with pytest.raises(GraphUnavailable) as err:
            await check_connection(driver)
    finally:
        await driver.close()
    assert str(err.value) == (f"Neo4j refused the credentials for user {user} at "
                              f"{settings.neo4j_uri}: check NEO4J_PASSWORD")


def _migrate(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli.main", "migrate"], env={**os.environ, **env},
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_migrate_cli_on_down_server_prints_one_line_and_exits_1() -> None:
    uri = f"bolt://127.0.0.1:{_free_port()}"
    done = _migrate({"NEO4J_URI": uri})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"tahaluf migrate: cannot reach Neo4j at {uri}: connection refused — is it running? "
        "try `make services-up`"]


def test_migrate_cli_with_wrong_password_prints_one_line_and_exits_1() -> None:
    user = f"nobody-{uuid4().hex[:6]}"
    done = _migrate({"NEO4J_USER": user, "NEO4J_PASSWORD": "wrong"})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "refused the credentials for user " + user in lines[0]
    assert lines[0].endswith("check NEO4J_PASSWORD")


def test_migrate_cli_succeeds_on_the_test_server() -> None:
    done = _migrate({})
    assert done.returncode == 0, done.stderr
    assert "27 governorates" in done.stdout and "32 associations" in done.stdout


async def test_a_read_is_retried_until_neo4j_answers() -> None:
    """`read_rows` runs auto-commit reads, which the driver does not retry itself: a read sent
    while Neo4j is unreachable waits for it (within INTERACTIVE_RETRY_SECONDS) and answers."""
    from tests.api.tcp_proxy import TcpProxy

    base = get_settings()
    port = _free_port()
    proxy = TcpProxy(port, int(base.neo4j_uri.rsplit(":", 1)[1]))
    driver = create_driver(_settings(NEO4J_URI=f"bolt://127.0.0.1:{port}"))
    try:
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        loop.call_later(0.6, proxy.start)  # Neo4j "comes back" while the read is retrying
        assert await read_rows(driver, "RETURN 1 AS one") == [{"one": 1}]
        assert await read_plain_rows(driver, "RETURN [{a: 1}] AS rows") == [{"rows": [{"a": 1}]}]
        assert time.monotonic() - started >= 0.5
    finally:
        await driver.close()
        if proxy.thread.is_alive():
            proxy.stop()


async def test_a_read_gives_up_with_one_line_after_its_retry_budget() -> None:
    driver = create_driver(_settings(NEO4J_URI=f"bolt://127.0.0.1:{_free_port()}"))
    try:
        started = time.monotonic()
        with pytest.raises(GraphUnavailable) as err:
            await read_rows(driver, "RETURN 1 AS one")
        waited = time.monotonic() - started
        assert INTERACTIVE_RETRY_SECONDS - 1.0 <= waited <= INTERACTIVE_RETRY_SECONDS + 2.0
        assert "\n" not in str(err.value) and "connection refused" in str(err.value)
    finally:
        await driver.close()


async def test_the_server_asks_for_no_receive_timeout(neo4j_driver) -> None:
    """Neo4j with keep-alives for ALL requests hints `connection.recv_timeout_seconds`, and the
    driver then wraps every socket read in wait_for; the project's servers keep-alive only
    while streaming (services/neo4j/Launcher.java, docker-compose.yml)."""
    rows = await read_rows(neo4j_driver, "RETURN 1 AS one")
    assert rows == [{"one": 1}]
    hints = [c.connection_hints for conns in neo4j_driver._pool.connections.values() for c in conns]
    assert hints and all("connection.recv_timeout_seconds" not in h for h in hints), hints


async def test_a_read_that_gets_no_answer_is_given_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server stops answering mid-connection (no close, no keep-alive): the read ends as
    one GraphUnavailable line after READ_DEADLINE_SECONDS instead of waiting forever."""
    from graph import cypher_runner
    from tests.api.tcp_proxy import TcpProxy

    monkeypatch.setattr(cypher_runner, "READ_DEADLINE_SECONDS", 1.5)
    base = get_settings()
    port = _free_port()
    proxy = TcpProxy(port, int(base.neo4j_uri.rsplit(":", 1)[1]))
    proxy.start()
    driver = create_driver(_settings(NEO4J_URI=f"bolt://127.0.0.1:{port}"))
    try:
        assert await read_rows(driver, "RETURN 1 AS one") == [{"one": 1}]
        proxy.stall()
        started = time.monotonic()
        with pytest.raises(GraphUnavailable) as err:
            # bounded here too, so a read without its deadline fails this test, not hangs it
            await asyncio.wait_for(read_rows(driver, "RETURN 2 AS two"), timeout=10)
        assert 1.4 <= time.monotonic() - started <= 6.0
        assert "did not answer" in str(err.value) and "\n" not in str(err.value)
    finally:
        proxy.stop()
        await driver.close()
