"""The token and serve commands, run as the real console command."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import jwt

from api.auth import mint_token
from graph.settings import Settings

from .server import free_port


def _tahaluf(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def test_token_prints_a_signed_jwt(settings: Settings) -> None:
    done = _tahaluf("token", "--role", "COORDINATOR", "--association", "A01", "--hours", "2")
    assert done.returncode == 0, done.stderr
    claims = jwt.decode(done.stdout.strip(), settings.jwt_secret, algorithms=["HS256"])
    assert claims["role"] == "COORDINATOR" and claims["association"] == "A01"
    assert 7100 < claims["exp"] - claims["iat"] <= 7200
    missing = _tahaluf("token", "--role", "COORDINATOR")
    assert missing.returncode == 2 and "--association" in missing.stderr
    bad_role = _tahaluf("token", "--role", "ROOT")
    assert bad_role.returncode == 2


def test_serve_with_neo4j_down_says_one_line_and_exits_1() -> None:
    done = _tahaluf("serve", "--no-worker", NEO4J_URI=f"bolt://127.0.0.1:{free_port()}")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Neo4j" in lines[0], done.stderr


def test_serve_refuses_zero_workers_before_touching_neo4j() -> None:
    done = _tahaluf("serve", "--no-worker", "--workers", "0", NEO4J_URI="bolt://127.0.0.1:1")
    assert done.returncode == 2
    assert "--workers" in done.stderr and "Traceback" not in done.stderr


def test_serve_runs_the_api_in_two_processes(settings: Settings) -> None:
    """`--workers 2`: two uvicorn worker processes answer on the one port."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli.main", "serve", "--no-worker", "--workers", "2",
         "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.3)
        token = mint_token(settings.jwt_secret, role="ADMIN", sub="cli-test", hours=1)
        for _ in range(40):  # new connections, so both processes get some
            with httpx.Client(timeout=10) as client:
                answer = client.post(
                    f"http://127.0.0.1:{port}/graphql",
                    json={"query": "{ governorates { code } }"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert len(answer.json()["data"]["governorates"]) == 27
        workers = [c for c in _children(proc.pid) if "spawn_main" in c]
        assert len(workers) == 2, _children(proc.pid)  # not counting multiprocessing's helpers
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _children(pid: int) -> list[str]:
    """The command lines of a process's children (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat_file:
                    parent = int(stat_file.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    command = cmdline.read().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if parent == pid:
                found.append(command)
    return found
