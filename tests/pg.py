"""A throw-away PostgreSQL server for the storage tests, from Debian's package, on loopback.

Started once per test process on first use (initdb in a temp dir, a free port, its unix socket in the temp
dir) and stopped when the process ends. As root, the server runs as the ``postgres`` user via runuser.
Each test gets a fresh database from ``new_database()``.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self):
        bin_dir = _bin_dir()
        if bin_dir is None:
            message = "PostgreSQL is not installed (make system-deps installs Debian's postgresql)"
            if os.environ.get("DTI_REQUIRE_POSTGRES"):  # make test / CI: a missing server must not pass unseen
                pytest.fail(message)
            pytest.skip(message)
        self.tmp = Path(tempfile.mkdtemp(prefix="dti-pg-"))
        self.data = self.tmp / "data"
        self.port = _free_port()
        self._as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres", "postgres")
        self.pg_ctl = str(bin_dir / "pg_ctl")
        self._run([str(bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync",
                   "-E", "UTF8"])
        self._names = itertools.count(1)
        self.start_server()
        atexit.register(self.stop)

    def start_server(self) -> None:
        """Start (or, for the fault tests, restart after ``stop_server``) on the same port and socket folder."""
        options = f"-p {self.port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run([self.pg_ctl, "-D", str(self.data), "-l", str(self.tmp / "log"), "-o", options, "-w", "start"])

    def stop_server(self) -> None:
        """A fast shutdown that keeps the data, as a database going down under the app."""
        self._run([self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def _run(self, cmd: list[str]) -> None:
        done = subprocess.run(self._as_postgres + cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        name = f"dti_test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(self._as_postgres + [self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(self.tmp, ignore_errors=True)


_server: PostgresServer | None = None


def server() -> PostgresServer:
    global _server
    if _server is None:
        _server = PostgresServer()
    return _server
