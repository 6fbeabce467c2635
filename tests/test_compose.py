"""The production compose files: `docker compose config` where the plugin exists, and a
structural check that needs no Docker engine."""

from __future__ import annotations

import json
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
from indexer.index.names import IndexNames

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
CLUSTER = ROOT / "docker-compose.cluster.yml"
SETUP = ROOT / "deploy" / "elasticsearch" / "setup.sh"
DEPLOY_DOC = ROOT / "docs" / "deploy.md"
SERVICES = {"es-setup", "elasticsearch", "redis", "worker", "beat", "web", "console", "kibana"}
LONG_RUNNING_WITH_HEALTH = {"elasticsearch", "redis", "worker", "web", "console", "kibana"}
APP_SERVICES = ("worker", "beat", "web", "console")
WRITER_SERVICES = ("worker", "beat", "console")
WRITER_ROLE = "pagesift_app"
# Everything the public web app may ask of Elasticsearch: search the read alias, and GET /
# for /healthz. Widening this is a security decision: document it in docs/deploy.md
# ("Elasticsearch users", the `web` row, which test_reader_role_is_documented reads).
READER_CLUSTER = {"monitor"}
READER_INDEX = {"read"}
# The prefix the script's roles are read with; any valid one would do.
PREFIX = "pages"
# `call PUT /_security/role/NAME "JSON"` in the set-up script, the JSON shell-escaped.
SECURITY_CALL = re.compile(r'^call PUT /_security/(role|user)/([a-z_]+) "((?:[^"\\]|\\.)*)"', re.MULTILINE)
SCRIPT_REQUIRED = re.compile(r'^: "\$\{([A-Z_]+):\?', re.MULTILINE)
REFERENCED = re.compile(r"\$\{([A-Z_]+)")
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
    assert services["web"]["command"] == services["console"]["command"] == ["pagesift", "serve"]
    for name in APP_SERVICES:
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


def _security() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The roles and users the set-up script creates, by name, as Elasticsearch receives them."""
    roles: dict[str, dict[str, Any]] = {}
    users: dict[str, dict[str, Any]] = {}
    for kind, name, body in SECURITY_CALL.findall(SETUP.read_text(encoding="utf-8")):
        parsed = json.loads(body.replace('\\"', '"').replace("$PREFIX", PREFIX))
        (roles if kind == "role" else users)[name] = parsed
    return roles, users


def _password_variable(user: dict[str, Any]) -> str:
    match = re.fullmatch(r"\$([A-Z_]+)", user["password"])
    assert match, f"a user's password comes from a variable, not {user['password']!r}"
    return match.group(1)


def _writers(roles: dict[str, dict[str, Any]], users: dict[str, dict[str, Any]]) -> set[str]:
    assert WRITER_ROLE in roles
    return {name for name, user in users.items() if WRITER_ROLE in user["roles"]}


def test_public_web_connects_as_a_reader_that_cannot_write():
    roles, users = _security()
    web = _env(_load(COMPOSE)["services"]["web"])
    name = web["PAGESIFT_ES_USERNAME"]
    assert name in users, f"web connects as {name!r}, a user the set-up script does not create"
    assert name not in _writers(roles, users), "web connects as the writer"
    variable = _password_variable(users[name])
    assert web["PAGESIFT_ES_PASSWORD"].startswith(f"${{{variable}:?"), "web gets its own user's password"
    writer_variables = {_password_variable(users[w]) for w in _writers(roles, users)}
    assert variable not in writer_variables
    leaked = [k for k, v in web.items() for w in writer_variables if f"${{{w}" in v]
    assert not leaked, f"the writer's password reaches web through {leaked}"
    for role_name in users[name]["roles"]:
        role = roles[role_name]
        # run_as would let it act as the writer; applications and remote indices are out of scope.
        assert set(role) <= {"cluster", "indices"}, f"{role_name}: {sorted(role)}"
        assert set(role.get("cluster", [])) <= READER_CLUSTER, role_name
        for grant in role["indices"]:
            assert grant["names"] == [IndexNames(PREFIX).read_alias], f"{role_name}: {grant['names']}"
            assert set(grant["privileges"]) <= READER_INDEX, f"{role_name}: {grant['privileges']}"
            assert not grant.get("allow_restricted_indices"), role_name


def test_reader_role_is_documented():
    roles, users = _security()
    name = _env(_load(COMPOSE)["services"]["web"])["PAGESIFT_ES_USERNAME"]
    doc = DEPLOY_DOC.read_text(encoding="utf-8")
    section = doc.partition("\n## Elasticsearch users\n")[2].partition("\n## ")[0]
    row = next((line for line in section.splitlines() if line.startswith("| `web` |")), "")
    assert f"`{name}`" in row, f"docs/deploy.md, Elasticsearch users: no `web` row naming {name!r}"
    granted = {p for r in users[name]["roles"] for p in roles[r].get("cluster", [])} | {
        p for r in users[name]["roles"] for grant in roles[r]["indices"] for p in grant["privileges"]}
    assert all(f"`{p}`" in row for p in granted), f"docs/deploy.md: document each of {sorted(granted)}"


def test_workers_beat_and_console_connect_as_the_writer():
    roles, users = _security()
    writers = _writers(roles, users)
    services = _load(COMPOSE)["services"]
    for service in WRITER_SERVICES:
        env = _env(services[service])
        name = env["PAGESIFT_ES_USERNAME"]
        assert name in writers, f"{service} connects as {name!r}"
        assert env["PAGESIFT_ES_PASSWORD"].startswith(f"${{{_password_variable(users[name])}:?"), service


def test_every_password_is_passed_to_the_setup_and_listed_in_env_example():
    script_required = SCRIPT_REQUIRED.findall(SETUP.read_text(encoding="utf-8"))
    setup_env = _env(_load(COMPOSE)["services"]["es-setup"])
    for variable in script_required:
        assert setup_env.get(variable, "").startswith(f"${{{variable}:?"), \
            f"es-setup needs {variable}, required: compose should stop without it"
    _, users = _security()
    assert {_password_variable(u) for u in users.values()} <= set(setup_env)
    env_example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assigned = dict(re.findall(r"^([A-Z_]+)=(.*)$", env_example, re.MULTILINE))
    used = {v for v in REFERENCED.findall(COMPOSE.read_text() + CLUSTER.read_text()) if _is_secret(v)}
    assert used <= set(assigned), f"missing from .env.example: {sorted(used - set(assigned))}"
    assert all(assigned[v] == "" for v in used), "secrets are left empty in .env.example"


def test_dockerfile_builds_one_image_from_python_slim():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.MULTILINE)
    assert "pip install" in dockerfile and "COPY mappings" in dockerfile
    assert re.search(r"^USER (?!root)", dockerfile, re.MULTILINE)


def test_elasticsearch_setup_script_is_valid_shell():
    result = subprocess.run(["bash", "-n", str(ROOT / "deploy" / "elasticsearch" / "setup.sh")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
