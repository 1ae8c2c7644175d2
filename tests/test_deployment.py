"""The production path (docker-compose.yml, Dockerfile) stays coherent.

Where a Docker client with the compose plugin is present, `docker compose config` must accept
the file; everywhere, the file is parsed and its shape checked, so a broken edit fails here too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_has_the_four_services_with_official_images() -> None:
    services = _compose()["services"]
    assert set(services) == {"neo4j", "redis", "api", "worker"}
    assert services["neo4j"]["image"] == "neo4j:5.26-community"
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("api", "worker"):
        assert services[name]["build"] == "."
        deps = services[name]["depends_on"]
        assert deps["neo4j"]["condition"] == "service_healthy"
        assert deps["redis"]["condition"] == "service_healthy"


def test_backing_services_have_volumes_and_health_checks() -> None:
    compose = _compose()
    for name in ("neo4j", "redis"):
        service = compose["services"][name]
        assert service["healthcheck"]["test"], name
        for mount in service["volumes"]:
            volume = mount.split(":", 1)[0]
            assert volume in compose["volumes"], f"{name} mounts undeclared volume {volume}"


def test_app_containers_point_at_the_compose_services() -> None:
    env = _compose()["services"]["worker"]["environment"]
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["REDIS_URL"].startswith("redis://redis:6379")


def test_dockerfile_installs_the_project_and_runs_the_cli() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for package in ("engine", "graph", "api", "workers"):
        assert f"COPY {package} ./{package}" in text
    assert "pip install" in text and '"tahaluf"' in text


def test_docker_compose_config_accepts_the_file_where_the_client_is_present() -> None:
    docker = shutil.which("docker")
    if docker is None:
        return  # no client: the structural checks above are what we can do
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        return  # docker client without the compose plugin (as on the CI machine)
    env = dict(os.environ, TAHALUF_JWT_SECRET="x", TAHALUF_ID_SECRET="y")
    result = subprocess.run(
        [docker, "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True, text=True, env=env,
    )
    assert result.returncode == 0, result.stderr
