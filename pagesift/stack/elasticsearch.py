"""The embedded Elasticsearch node: a real Elasticsearch 8 server run from Maven artifacts.

Elastic publishes its server distribution to Maven Central as
``org.elasticsearch.distribution.integ-test-zip:elasticsearch`` (server and transport, no
bundled JDK). ``es/pom.xml`` unpacks it under ``$PAGESIFT_HOME/es/``; ``es/plugin/`` is a
small plugin of ours, compiled here against that distribution's own jars, that registers the
stock analyzers and the root endpoint which live in modules Elastic does not publish
(see docs/embedded-elasticsearch.md).

Elasticsearch refuses to run as root. When we are root, the node runs in a user namespace
where it is an ordinary user (see ``_launch_argv``).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from indexer.config import PROJECT_ROOT, Settings
from pagesift.stack.process import Managed, PidFile, ServiceError, start_managed, stop_managed

POM = PROJECT_ROOT / "es" / "pom.xml"
PLUGIN_SRC = PROJECT_ROOT / "es" / "plugin"
PLUGIN_NAME = "pagesift-compat"
NAMESPACE_ID = 1000
START_TIMEOUT = 180.0
# A node's transport (node-to-node) port, from its HTTP port.
TRANSPORT_OFFSET = 100


@functools.cache
def es_version() -> str:
    match = re.search(r"<es\.version>([^<]+)</es\.version>", POM.read_text())
    if not match:
        raise ServiceError(f"{POM}: no <es.version> property")
    return match.group(1)


@dataclass(frozen=True)
class EmbeddedNode:
    home: Path
    port: int
    heap: str
    java_home: str
    # HTTP ports of every node of a multi-node cluster (this one's included); empty for the
    # usual single node. Each node's transport port is its HTTP port + TRANSPORT_OFFSET.
    cluster: tuple[int, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings, port: int | None = None) -> EmbeddedNode:
        return cls(settings.home, port or settings.es.port, settings.es.heap, settings.es.java_home)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base(self) -> Path:
        return self.home / "es"

    @property
    def dist(self) -> Path:
        return self.base / f"elasticsearch-{es_version()}"

    @property
    def conf_dir(self) -> Path:
        return self.base / f"config-{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.base / f"data-{self.port}"

    @property
    def log_path(self) -> Path:
        return self.home / "logs" / f"elasticsearch-{self.port}.log"

    @property
    def managed(self) -> Managed:
        return Managed("Elasticsearch", PidFile(self.home / "run" / f"elasticsearch-{self.port}.pid"),
                       self.log_path, self.port, "--port / PAGESIFT_ES_PORT")

    def pid(self) -> int | None:
        return self.managed.pidfile.read()


def resolve_java_home(configured: str) -> Path:
    if configured:
        home = Path(configured)
    else:
        java = shutil.which("java")
        if java is None:
            raise ServiceError("no Java found: install OpenJDK 17+ "
                               "(apt-get install -y openjdk-17-jdk-headless) or set PAGESIFT_ES_JAVA_HOME")
        home = Path(java).resolve().parent.parent
    if not (home / "bin" / "java").exists():
        raise ServiceError(f"{home} is not a JDK (no bin/java); set PAGESIFT_ES_JAVA_HOME to a JDK 17+")
    return home


def fetch(node: EmbeddedNode) -> Path:
    """Unpack the distribution from Maven (cached in ~/.m2) and build our plugin into it."""
    if not (node.dist / "bin" / "elasticsearch").exists():
        _unpack_distribution(node)
    if not (node.dist / "plugins" / PLUGIN_NAME / f"{PLUGIN_NAME}.jar").exists():
        _build_plugin(node)
    return node.dist


def _unpack_distribution(node: EmbeddedNode) -> None:
    if shutil.which("mvn") is None:
        raise ServiceError("Maven (mvn) is not installed: apt-get install -y maven")
    node.base.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(POM), "process-resources", f"-Des.dir={node.base}"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0 or not (node.dist / "bin" / "elasticsearch").exists():
        detail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise ServiceError("could not fetch Elasticsearch from Maven Central: " + " | ".join(detail))
    # The zip plugin keeps no file modes.
    for script in (node.dist / "bin").iterdir():
        script.chmod(0o755)


def _build_plugin(node: EmbeddedNode) -> None:
    java_home = resolve_java_home(node.java_home)
    javac = java_home / "bin" / "javac"
    if not javac.exists():
        raise ServiceError(f"{java_home} has no javac: install a JDK (openjdk-17-jdk-headless), not a JRE")
    build = node.base / "plugin-build"
    shutil.rmtree(build, ignore_errors=True)
    classes = build / "classes"
    sources = sorted(str(p) for p in (PLUGIN_SRC / "src").rglob("*.java"))
    _run([str(javac), "--release", "17", "-nowarn", "-cp", f"{node.dist / 'lib'}/*",
          "-d", str(classes), *sources], "compiling the pagesift-compat plugin")
    target = node.dist / "plugins" / PLUGIN_NAME
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target / f"{PLUGIN_NAME}.jar", "w") as jar:
        for path in sorted(classes.rglob("*.class")):
            jar.write(path, path.relative_to(classes).as_posix())
    descriptor = (PLUGIN_SRC / "plugin-descriptor.properties").read_text()
    (target / "plugin-descriptor.properties").write_text(descriptor.replace("${es.version}", es_version()))
    shutil.rmtree(build, ignore_errors=True)


def _run(argv: list[str], what: str) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ServiceError(f"{what} failed: {(result.stdout + result.stderr).strip()[-800:]}")


def write_config(node: EmbeddedNode) -> None:
    node.conf_dir.mkdir(parents=True, exist_ok=True)
    for name in ("jvm.options", "log4j2.properties"):
        shutil.copy2(node.dist / "config" / name, node.conf_dir / name)
    options = node.conf_dir / "jvm.options.d"
    options.mkdir(exist_ok=True)
    (options / "heap.options").write_text(f"-Xms{node.heap}\n-Xmx{node.heap}\n")
    settings = {
        "cluster.name": f"pagesift-{node.cluster[0]}" if node.cluster else "pagesift",
        "node.name": f"pagesift-{node.port}",
        "network.host": "127.0.0.1",
        "http.port": node.port,
        "transport.port": node.port + TRANSPORT_OFFSET,
        **_discovery(node),
        "path.data": str(node.data_dir),
        "path.logs": str(node.home / "logs" / f"elasticsearch-{node.port}"),
        # No X-Pack security in the embedded node: it listens on loopback only.
        "xpack.security.enabled": False,
    }
    lines = [f"{key}: {json.dumps(value)}" for key, value in settings.items()]
    extra = node.conf_dir / "elasticsearch.extra.yml"
    if extra.exists():  # tests lower disk watermarks etc. through this file
        lines.append(extra.read_text())
    (node.conf_dir / "elasticsearch.yml").write_text("\n".join(lines) + "\n")


def _discovery(node: EmbeddedNode) -> dict[str, object]:
    if not node.cluster:
        return {"discovery.type": "single-node"}
    # Every node may be elected master: losing any one of three keeps a quorum of two.
    return {"discovery.seed_hosts": [f"127.0.0.1:{p + TRANSPORT_OFFSET}" for p in node.cluster],
            "cluster.initial_master_nodes": [f"pagesift-{p}" for p in node.cluster]}


def _launch_argv(node: EmbeddedNode) -> list[str]:
    argv = [str(node.dist / "bin" / "elasticsearch")]
    if os.geteuid() != 0:
        return argv
    # Inside a user namespace the node sees itself as an ordinary user, which is all
    # Elasticsearch's root check asks, while the kernel still treats it as the owner of our
    # files: no system user, no chown, and checkouts under private (0700) folders work.
    if shutil.which("unshare") is None:
        raise ServiceError("Elasticsearch refuses to run as root and `unshare` (util-linux) is missing: "
                           "apt-get install -y util-linux, or run pagesift as a normal user")
    return ["unshare", "--user", f"--map-user={NAMESPACE_ID}", f"--map-group={NAMESPACE_ID}", "--", *argv]


def health(url: str, timeout: float = 2.0) -> dict[str, object] | None:
    """Cluster health, or None when nothing answers at ``url``."""
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health", timeout=timeout) as resp:  # noqa: S310
            return dict(json.load(resp))
    except (urllib.error.URLError, OSError, ValueError):
        return None


def start(node: EmbeddedNode, *, wait_for_health: bool = True) -> int:
    """Start the node (if not running) and wait for yellow health; returns its pid.

    A node of a cluster cannot be healthy before enough of its peers have started (a
    quorum elects the master): start each with ``wait_for_health=False``, then
    :func:`wait_for_cluster`."""
    pid = node.pid()
    if pid is not None:
        return pid
    java_home = resolve_java_home(node.java_home)
    fetch(node)
    write_config(node)
    (node.base / "tmp").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, ES_PATH_CONF=str(node.conf_dir), ES_JAVA_HOME=str(java_home),
               ES_TMPDIR=str(node.base / "tmp"))
    env.pop("ES_JAVA_OPTS", None)
    env.pop("JAVA_HOME", None)
    ready = (lambda: _healthy(node.url)) if wait_for_health else (lambda: True)
    return start_managed(node.managed, lambda: _launch_argv(node), ready, START_TIMEOUT, env=env,
                         cwd=node.base)


def wait_for_cluster(node: EmbeddedNode, status: str = "yellow", timeout: float = START_TIMEOUT) -> None:
    """Until the cluster answering at ``node`` reports ``status`` (or better) with all its nodes."""
    wanted = {"yellow": {"yellow", "green"}, "green": {"green"}}[status]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = health(node.url, timeout=1.0)
        nodes = len(node.cluster) or 1
        if state and state.get("status") in wanted and state.get("number_of_nodes") == nodes:
            return
        time.sleep(0.5)
    raise ServiceError(f"the cluster at {node.url} did not reach {status} within {timeout:.0f} s "
                       f"(last: {health(node.url)}); see {node.log_path}")


def _healthy(url: str) -> bool:
    state = health(url, timeout=1.0)
    return state is not None and state.get("status") in {"yellow", "green"}


def stop(node: EmbeddedNode) -> bool:
    return stop_managed(node.managed, timeout=60.0)
