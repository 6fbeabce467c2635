"""A private MariaDB for a local WordPress: Debian's ``mariadbd`` on its own data directory,
bound to 127.0.0.1 on a port of its own. It never reads /etc/mysql nor touches the system's
service (``--no-defaults``), so it runs beside any MariaDB the machine may have.

A fresh data directory takes ``mariadb-install-db`` about 2.6 s here; the first one made under a
home is kept as a template and copied (about 0.1 s) for every later one.
"""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pagesift.stack.process import Managed, PidFile, ServiceError, made_once, start_managed, stop_managed

START_TIMEOUT = 30.0
INSTALL_HINT = "apt-get install -y mariadb-server"
# Small logs and buffers, no fsync per commit, no binary log: a test and sample database that
# starts in a fraction of a second; losing its last second on a crash costs nothing.
SERVER_OPTIONS = (
    "--skip-log-bin",
    "--skip-name-resolve",
    "--innodb-log-file-size=4M",
    "--innodb-buffer-pool-size=32M",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_unicode_ci",
)


@dataclass(frozen=True)
class LocalMariaDB:
    """``directory`` holds the data directory, socket and pid file; ``home`` the logs and the
    template data directory."""

    home: Path
    directory: Path
    port: int

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def host(self) -> str:
        """As WordPress's ``DB_HOST`` and the client's ``--host``/``--port`` want it."""
        return f"127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.home / "logs" / f"mariadb-{self.port}.log"

    @property
    def managed(self) -> Managed:
        return Managed("mariadbd", PidFile(self.home / "run" / f"mariadb-{self.port}.pid"),
                       self.log_path, self.port)

    def pid(self) -> int | None:
        return self.managed.pidfile.read()

    def sql(self, statement: str) -> str:
        """Run ``statement`` as root; its tab-separated output."""
        done = subprocess.run(
            [_binary("mariadb"), "--no-defaults", "--protocol=TCP", "-h127.0.0.1", f"-P{self.port}",
             "-uroot", "--batch", "--skip-column-names", "-e", statement],
            capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise ServiceError(f"mariadb: {done.stderr.strip()}")
        return done.stdout


def _binary(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if found is None:
        raise ServiceError(f"{name} is not installed: {INSTALL_HINT}")
    return found


def server_version() -> str:
    done = subprocess.run([_binary("mariadbd"), "--version"], capture_output=True, text=True,
                          timeout=30, check=False)
    return done.stdout.split()[2] if done.returncode == 0 and len(done.stdout.split()) > 2 else "unknown"


def _template(home: Path) -> Path:
    """An empty, initialised data directory for this server version, made once per home."""
    def install(directory: Path) -> None:
        done = subprocess.run(
            [_binary("mariadb-install-db"), "--no-defaults", f"--datadir={directory}",
             f"--user={getpass.getuser()}", "--auth-root-authentication-method=normal", "--skip-test-db",
             *SERVER_OPTIONS],
            capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0:
            raise ServiceError(f"mariadb-install-db failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")

    return made_once(home / "cache" / "mariadb" / f"datadir-{server_version()}", install)


def server_argv(db: LocalMariaDB) -> list[str]:
    return [
        _binary("mariadbd"), "--no-defaults", f"--datadir={db.data_dir}", f"--user={getpass.getuser()}",
        f"--port={db.port}", "--bind-address=127.0.0.1", f"--socket={db.directory / 'mariadb.sock'}",
        f"--pid-file={db.directory / 'mariadb.pid'}", *SERVER_OPTIONS,
    ]


def ready(port: int) -> bool:
    """The server's greeting packet: MariaDB speaks first on a new connection."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as sock:
            return len(sock.recv(64)) > 4
    except OSError:
        return False


def start(db: LocalMariaDB) -> int:
    """Start (or find) the server, its data directory made from the template when missing."""
    if not (db.data_dir / "mysql").is_dir():
        db.directory.mkdir(parents=True, exist_ok=True)
        shutil.copytree(_template(db.home), db.data_dir, dirs_exist_ok=True)
    return start_managed(db.managed, lambda: server_argv(db), lambda: ready(db.port), START_TIMEOUT,
                         interval=0.1)


def stop(db: LocalMariaDB) -> bool:
    return stop_managed(db.managed)
