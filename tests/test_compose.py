"""The production compose files: `docker compose config` where the plugin exists, and a
structural check that needs no Docker engine."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml

from indexer import config

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
CLUSTER = ROOT / "docker-compose.cluster.yml"
SERVICES = {"es-setup", "elasticsearch", "redis", "worker", "beat", "web", "kibana"}
LONG_RUNNING_WITH_HEALTH = {"elasticsearch", "redis", "worker", "web", "kibana"}
SECRET_WORDS = re.compile(r"PASSWORD|SECRET|ENCRYPTIONKEY|TOKEN")
# A secret's value may only be a reference: required (`${X:?message}`) or optional (`${X:-}`).
SECRET_REFERENCE = re.compile(r"^\$\{[A-Z_]+(:\?[^}]*|:-)\}$")
REQUIRED = re.compile(r"\$\{([A-Z_]+):\?")


def _is_secret(name: str) -> bool:
    squeezed = re.sub(r"[^A-Z]", "", name.upper())
    return bool(SECRET_WORDS.search(squeezed)) and not name.upper().endswith("_HASH")


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _es_version() -> str:
    pom = ElementTree.parse(ROOT / "es" / "pom.xml")
    version = pom.find(".//{http://maven.apache.org/POM/4.0.0}es.version")
    assert version is not None and version.text
    return version.text


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    assert isinstance(env, dict), "environment is written as a mapping"
    return {str(k): str(v) for k, v in env.items()}


def _dummy_env() -> dict[str, str]:
    names = set(REQUIRED.findall(COMPOSE.read_text() + CLUSTER.read_text()))
    return {**os.environ, **{name: "not-a-real-secret-0123456789abcdef" for name in names}}


def _compose_plugin() -> bool:
    if shutil.which("docker") is None:
        return False
    found = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return found.returncode == 0


@pytest.mark.parametrize("files", [[COMPOSE], [COMPOSE, CLUSTER]], ids=["single", "cluster"])
def test_docker_compose_config_accepts_the_files(files: list[Path]):
    if not _compose_plugin():
        pytest.skip("the docker compose plugin is not installed; the structural tests below still run")
    argv = ["docker", "compose"] + [a for f in files for a in ("-f", str(f))] + ["config", "--quiet"]
    result = subprocess.run(argv, cwd=ROOT, env=_dummy_env(), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_services_healthchecks_and_volumes():
    compose = _load(COMPOSE)
    services = compose["services"]
    assert set(services) == SERVICES
    for name in LONG_RUNNING_WITH_HEALTH:
        assert services[name]["healthcheck"]["test"], name
    declared = set(compose["volumes"])
    for name, mount in (("elasticsearch", "/usr/share/elasticsearch/data"), ("redis", "/data"),
                        ("kibana", "/usr/share/kibana/data")):
        volumes = {v.split(":")[1]: v.split(":")[0] for v in services[name]["volumes"]}
        assert volumes[mount] in declared, f"{name} keeps {mount} in a named volume"
    assert services["worker"]["deploy"]["replicas"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert services["web"]["command"] == ["pagesift", "serve"]
    for name in ("worker", "beat", "web"):
        assert services[name]["build"] == "." and services[name]["depends_on"]["elasticsearch"] == {
            "condition": "service_healthy"}


def test_elasticsearch_and_kibana_match_the_embedded_version_with_security_on():
    version = _es_version()
    for path in (COMPOSE, CLUSTER):
        images = [s["image"] for s in _load(path)["services"].values() if "image" in s
                  and s["image"].startswith("docker.elastic.co/")]
        assert images and all(image.rsplit(":", 1)[1] == version for image in images), path.name
    es = _env(_load(COMPOSE)["services"]["elasticsearch"])
    assert es["xpack.security.enabled"] == "true"
    assert es["xpack.security.http.ssl.enabled"] == "true"
    assert _env(_load(COMPOSE)["services"]["web"])["PAGESIFT_ES_URL"].startswith("https://")


def test_redis_keeps_an_append_only_file_behind_a_password():
    redis = _load(COMPOSE)["services"]["redis"]
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command and "requirepass" in command
    assert "REDIS_PASSWORD" in " ".join(redis["healthcheck"]["test"])


def test_published_ports_are_loopback_only():
    for path in (COMPOSE, CLUSTER):
        for name, service in _load(path)["services"].items():
            for port in service.get("ports", []):
                assert str(port).startswith("127.0.0.1:"), f"{path.name}: {name} publishes {port}"


def test_no_secret_is_written_in_the_compose_files():
    for path in (COMPOSE, CLUSTER):
        text = path.read_text(encoding="utf-8")
        for name, service in _load(path)["services"].items():
            for key, value in _env(service).items():
                if _is_secret(key):
                    assert SECRET_REFERENCE.match(value), f"{path.name}: {name}.{key} = {value!r}"
        # Healthchecks read passwords inside the container ($$), never from this file.
        assert not re.search(r"-u\s+\"?elastic:[^$\"]", text)
        assert not re.search(r"redis://:[^$]", text)


def test_env_examples_cover_every_variable_and_hold_no_secret():
    env_example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assigned = dict(re.findall(r"^([A-Z_]+)=(.*)$", env_example, re.MULTILINE))
    required = set(REQUIRED.findall(COMPOSE.read_text() + CLUSTER.read_text()))
    assert required <= set(assigned), f"missing from .env.example: {sorted(required - set(assigned))}"
    secrets = [name for name in assigned if _is_secret(name)]
    assert len(secrets) >= 6 and all(assigned[name] == "" for name in secrets)
    app_example = (ROOT / "pagesift.env.example").read_text(encoding="utf-8")
    missing = [f.env for f in config.FIELDS if not re.search(rf"^# {f.env}=", app_example, re.MULTILINE)]
    assert not missing, f"add to pagesift.env.example (with its default and meaning): {missing}"


def test_dockerfile_builds_one_image_from_python_slim():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.MULTILINE)
    assert "pip install" in dockerfile and "COPY mappings" in dockerfile
    assert re.search(r"^USER (?!root)", dockerfile, re.MULTILINE)


def test_elasticsearch_setup_script_is_valid_shell():
    result = subprocess.run(["bash", "-n", str(ROOT / "deploy" / "elasticsearch" / "setup.sh")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
