"""The token and serve commands, run as the real console command."""

from __future__ import annotations

import os
import subprocess
import sys

import jwt

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
