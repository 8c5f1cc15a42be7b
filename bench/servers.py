"""Start and stop the servers the load generator (and its test) drive: ``streamlit run`` on a free loopback port.

Like ``make run`` (``streamlit run serve.py``), headless, with its own database and data folder. Unlike the
browser tests' ``start_streamlit`` (tests/browser/conftest.py) this takes Streamlit config options
(``runner.postScriptGC=false``) and does not depend on pytest: a failed start raises ``ServerError`` with the
end of the server's log.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60


class ServerError(RuntimeError):
    pass


@dataclass
class Server:
    proc: subprocess.Popen
    url: str  # http://127.0.0.1:PORT
    log: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(script: str | Path, workdir: Path, *, env: dict[str, str] | None = None,
          config: dict[str, str] | None = None) -> Server:
    """``streamlit run script`` on a free 127.0.0.1 port, its log in ``workdir``; returns once it is healthy.

    ``env`` adds to the environment (``DTI_DATABASE_URL``, ``DTI_DATA_DIR`` …); ``config`` maps Streamlit options
    to values (``{"runner.postScriptGC": "false"}``), passed as ``--runner.postScriptGC false``.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = workdir / f"streamlit-{port}.log"
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    for option, value in (config or {}).items():
        cmd += [f"--{option}", value]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out,
                                stderr=subprocess.STDOUT)
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    try:
        wait_healthy(server)
    except BaseException:
        server.stop()
        raise
    return server


def wait_healthy(server: Server, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise ServerError(f"streamlit exited with code {server.proc.returncode}; its log:\n{tail(server.log)}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise ServerError(f"streamlit did not answer /_stcore/health within {timeout:.0f} s; its log:\n{tail(server.log)}")


def tail(log: Path, chars: int = 4000) -> str:
    try:
        return log.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def app_env(database_url: str, data_dir: Path, frameworks_dir: Path | None = None) -> dict[str, str]:
    """The environment of an app server on its own database and data folder (and frameworks folder, if given)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {"DTI_DATABASE_URL": database_url, "DTI_DATA_DIR": str(data_dir)}
    if frameworks_dir is not None:
        env["DTI_FRAMEWORKS_DIR"] = str(frameworks_dir)
    return env
