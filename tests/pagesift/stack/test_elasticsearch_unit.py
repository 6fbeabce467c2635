"""Start-up failures of the embedded node say what is wrong, without starting anything."""

import socket
from pathlib import Path

import pytest

from pagesift.stack import elasticsearch as es
from pagesift.stack.process import ServiceError

pytestmark = pytest.mark.unit


def _node(tmp_path: Path, port: int, java_home: str = "") -> es.EmbeddedNode:
    return es.EmbeddedNode(home=tmp_path, port=port, heap="256m", java_home=java_home)


def test_port_taken_is_one_clear_error(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(ServiceError, match=f"port {port} is already taken"):
            es.start(_node(tmp_path, port))
    assert not (tmp_path / "run" / f"elasticsearch-{port}.pid").exists()


def test_missing_java_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServiceError, match=r"no Java found.*PAGESIFT_ES_JAVA_HOME"):
        es.resolve_java_home("")
    with pytest.raises(ServiceError, match="is not a JDK"):
        es.resolve_java_home(str(tmp_path))


def test_missing_maven_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServiceError, match="apt-get install -y maven"):
        es.fetch(_node(tmp_path, 1))


def test_version_comes_from_the_pom() -> None:
    assert es.es_version().startswith("8.")


def test_config_binds_loopback_and_keeps_data_under_home(tmp_path: Path) -> None:
    node = _node(tmp_path, 9777)
    dist_config = node.dist / "config"
    dist_config.mkdir(parents=True)
    for name in ("jvm.options", "log4j2.properties"):
        (dist_config / name).write_text("# stock\n")
    es.write_config(node)
    yml = (node.conf_dir / "elasticsearch.yml").read_text()
    assert 'network.host: "127.0.0.1"' in yml
    assert "http.port: 9777" in yml
    assert str(tmp_path) in yml
    assert (node.conf_dir / "jvm.options.d" / "heap.options").read_text() == "-Xms256m\n-Xmx256m\n"
