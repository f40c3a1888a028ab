"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl on a temporary
directory and a free port, as an unprivileged user when running as root; stopped and deleted
afterwards.

Set INVESTOR_QA_TEST_POSTGRES_URL (postgresql://user:pw@host:port/db of a superuser) to use an
existing server instead, for example a CI service container.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

SEARCH = ["/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/bin"]
UNPRIVILEGED = ("postgres", "nobody")  # initdb refuses to run as root


class NoPostgres(Exception):
    """No way to run PostgreSQL here; the message says why (it becomes the skip reason)."""


def find_bin_dir() -> Path:
    """The directory holding `initdb` and `pg_ctl`: PATH first, then the usual install places."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(
        (p for pattern in SEARCH for p in Path("/").glob(pattern.lstrip("/"))),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parts],
    )
    for directory in reversed(candidates):  # the newest version first
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    raise NoPostgres(
        "no PostgreSQL binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin; "
        "install the Debian package `postgresql` (.ci/run does)"
    )


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in UNPRIVILEGED:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise NoPostgres("running as root and no unprivileged user (postgres, nobody) to run initdb")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A running PostgreSQL server; `url(db)` names one of its databases."""

    def __init__(self, durable: bool = False):
        self.bin_dir, self.user = find_bin_dir(), _run_as()
        self.durable = durable  # fsync on, as in production (benchmarks); off for fast tests
        self.root = Path(tempfile.mkdtemp(prefix="investor-qa-pg-"))
        self.port = 0
        self.base_url = ""

    def start(self) -> "Cluster":
        """initdb, then pg_ctl start on a free port (retried if another process took it)."""
        if self.user:
            shutil.chown(self.root, self.user)
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-locale", *([] if self.durable else ["--no-sync"]))  # fmt: skip
        for _ in range(3):
            self.port = free_port()
            options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
            if not self.durable:
                options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            done = self._run("pg_ctl", "-D", self.data, "-l", self.root / "log", "-o", options,
                             "-w", "-t", "60", "start", check=False)  # fmt: skip
            if done.returncode == 0:
                self.base_url = f"postgresql://postgres@127.0.0.1:{self.port}"
                return self
        log = (self.root / "log").read_text(errors="replace")[-2000:]
        self.stop()
        raise NoPostgres(f"PostgreSQL did not start: {log}")

    @property
    def data(self) -> Path:
        return self.root / "data"

    def stop(self) -> None:
        """Stop the server at once and delete its files."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, program: str, *args, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / program), *map(str, args)]
        return subprocess.run(
            command,
            user=self.user,
            cwd=self.root,
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )


def fresh_schema_url(base_url: str) -> str:
    """A URL whose connections see only a new, empty schema of their own (its search_path).

    Much cheaper than a database per test (CREATE DATABASE copies a template), and as isolated.
    """
    server = urlsplit(base_url)
    if server.path in ("", "/"):
        server = server._replace(path="/postgres")
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server.geturl(), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    return server._replace(query=urlencode({"options": f"-csearch_path={name}"})).geturl()


def external_url() -> str | None:
    """INVESTOR_QA_TEST_POSTGRES_URL, when the tests should use an existing server."""
    return os.environ.get("INVESTOR_QA_TEST_POSTGRES_URL") or None
