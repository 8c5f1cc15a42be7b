"""Several app processes on one database behind nginx, started and stopped together.

    python deploy/cluster.py --processes 2 --database-url postgresql://dti@db.example/dti --listen 127.0.0.1:8080

One Streamlit process uses about one core (every rerun of every session runs in its Python interpreter), so a
province grows by adding processes, one per core, on one PostgreSQL. This starts ``streamlit run serve.py`` N
times on free loopback ports with the same settings, then nginx (Debian's package) in the foreground with its own
prefix, pid and logs in a temporary folder (no root, no system service) carrying the websockets, and stops them
all on Ctrl-C, on SIGTERM or when the ``Cluster`` is closed (a test's teardown).

What every process must share, passed from here to all of them:
- ``server.cookieSecret`` (``STREAMLIT_SERVER_COOKIE_SECRET``): signs Streamlit's own cookies (``st.login``'s
  ``_streamlit_user`` and its OIDC state); one value for every process, or a log-in through one process is not
  read by another. Given by ``--cookie-secret-file`` or the environment; else one is drawn for this run.
- the database (``DTI_DATABASE_URL``) and the app's settings in ``.streamlit/secrets.toml`` (``database_url``,
  ``[evidence]``, ``[auth]`` with its ``cookie_secret``, ``login_hours``), read by every process from the one
  checkout they run in; the evidence files' folder (``DTI_EVIDENCE_DIR`` / ``DTI_DATA_DIR``) or S3 bucket.
The dti log-in cookie itself (``dti_session``) is a random token checked against the shared database: it needs no
key and any process reads it. XSRF tokens are compared with their cookie, not signed: nothing to share.

``start()`` returns a ``Cluster`` with the proxy's URL, each app process's URL and pid (for a load generator's
``--url`` / ``--server-pid``), the nginx access log (``upstream=`` says which process served each request) and
``stop_app`` / ``start_app`` to take one process away and bring it back.
"""

from __future__ import annotations

import argparse
import atexit
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 10
STREAMLIT_UPLOAD_DEFAULT_MB = 200  # Streamlit's own default for server.maxUploadSize


class ClusterError(RuntimeError):
    """A process did not start (its log's end is in the message) or nginx is missing."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def max_upload_mb(repo: Path = REPO_ROOT) -> int:
    """``server.maxUploadSize`` of the app's .streamlit/config.toml (what nginx must let through)."""
    config = repo / ".streamlit" / "config.toml"
    if config.is_file():
        with open(config, "rb") as fh:
            value = tomllib.load(fh).get("server", {}).get("maxUploadSize")
        if value is not None:
            return int(value)
    return STREAMLIT_UPLOAD_DEFAULT_MB


def render_nginx_conf(app_ports: list[int], listen: str, prefix: str | Path, upload_mb: int | None = None,
                      app_host: str = "127.0.0.1") -> str:
    """deploy/nginx.conf.template with its ``{{name}}`` fields filled in."""
    servers = "\n".join(f"        server {app_host}:{port} max_fails=1 fail_timeout=10s;" for port in app_ports)
    fields = {
        # nginx started by root runs its workers as "nobody", who cannot write our private temp folder.
        "user": "user root;" if os.geteuid() == 0 else "",
        "prefix": str(prefix),
        "listen": listen,
        "upstream_servers": servers,
        "max_upload_mb": str(upload_mb if upload_mb is not None else max_upload_mb()),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in fields.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def _wait_until_healthy(url: str, proc: subprocess.Popen, log: Path, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ClusterError(f"{proc.args[0]} exited with code {proc.returncode}; its log:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url + path, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise ClusterError(f"{url}{path} did not answer within {timeout:.0f} s; the log:\n{_tail(log)}")


def _tail(log: Path) -> str:
    try:
        return log.read_text(errors="replace")[-4000:]
    except OSError:
        return "(no log)"


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT_S)


@dataclass
class AppProcess:
    port: int
    log: Path
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.proc.poll() is None else None


@dataclass
class Cluster:
    """N app processes and the nginx in front of them; ``stop()`` (or leaving a ``with`` block) ends them all."""

    workdir: Path
    listen: str
    env: dict[str, str]
    script: str
    apps: list[AppProcess] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    own_workdir: bool = False

    @property
    def url(self) -> str:
        """The proxy's URL: what browsers (and the load generator) use."""
        host, _, port = self.listen.rpartition(":")
        return f"http://{host or '127.0.0.1'}:{port}"

    @property
    def app_urls(self) -> list[str]:
        return [app.url for app in self.apps]

    @property
    def app_pids(self) -> list[int]:
        """The pids of the running app processes (a process stopped by ``stop_app`` is left out)."""
        return [app.pid for app in self.apps if app.pid is not None]

    @property
    def access_log(self) -> Path:
        return self.workdir / "nginx" / "access.log"

    def upstreams(self) -> list[str]:
        """``host:port`` of the app process that served each request so far, in order (nginx's access log)."""
        if not self.access_log.exists():
            return []
        found = []
        for line in self.access_log.read_text(errors="replace").splitlines():
            for word in line.split():
                if word.startswith("upstream="):
                    found.append(word.removeprefix("upstream="))
        return found

    def start_app(self, index: int) -> None:
        """Start app process ``index`` (again) on its port and wait until it answers."""
        app = self.apps[index]
        if app.pid is not None:
            return
        cmd = [sys.executable, "-m", "streamlit", "run", self.script, "--server.headless", "true",
               "--server.port", str(app.port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        with open(app.log, "ab") as out:
            # A session of its own: Ctrl-C in the terminal reaches this launcher, which stops the processes in
            # order, instead of every process at once.
            app.proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        _wait_until_healthy(app.url, app.proc, app.log, "/_stcore/health", START_TIMEOUT_S)

    def stop_app(self, index: int) -> None:
        """Stop app process ``index`` (its browsers move to another process through nginx)."""
        if self.apps[index].proc is not None:
            _stop(self.apps[index].proc)

    def start_nginx(self) -> None:
        prefix = self.workdir / "nginx"
        prefix.mkdir(parents=True, exist_ok=True)
        conf = prefix / "nginx.conf"
        conf.write_text(render_nginx_conf([app.port for app in self.apps], self.listen, prefix), encoding="utf-8")
        log = prefix / "error.log"
        # -e: the error log before the configuration is read (else /var/log/nginx/error.log, root's).
        self.nginx = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(log)],
                                      stdout=subprocess.DEVNULL, stderr=open(prefix / "nginx.out", "wb"),
                                      start_new_session=True)
        _wait_until_healthy(self.url, self.nginx, log, "/_stcore/health", START_TIMEOUT_S)

    def stop(self) -> None:
        """nginx first (no new requests), then every app process; the temporary folder if it made one."""
        if self.nginx is not None:
            _stop(self.nginx, signal.SIGQUIT)  # SIGQUIT: nginx's graceful stop
        for app in self.apps:
            if app.proc is not None:
                _stop(app.proc)
        if self.own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start(processes: int = 2, database_url: str | None = None, listen: str | None = None,
          workdir: str | Path | None = None, cookie_secret: str | None = None, script: str = "serve.py",
          extra_env: dict[str, str] | None = None) -> Cluster:
    """Start ``processes`` app processes and nginx in front of them; on any failure nothing is left running.

    ``database_url``: the shared database (else the environment's DTI_DATABASE_URL or secrets.toml, as for one
    process). It is opened (and migrated) once here, before the processes start, so a wrong URL is said once and
    the processes find the schema ready. ``listen``: nginx's ``host:port`` (default: a free loopback port).
    """
    if processes < 1:
        raise ValueError("processes must be at least 1")
    if not Path(NGINX).exists():
        raise ClusterError("nginx is not installed: apt-get install nginx (make system-deps does it)")
    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="dti-cluster-")) if own else Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **(extra_env or {})}
    if database_url:
        env["DTI_DATABASE_URL"] = database_url
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = (cookie_secret or env.get("STREAMLIT_SERVER_COOKIE_SECRET")
                                             or secrets.token_hex(32))
    cluster = Cluster(workdir=workdir, listen=listen or f"127.0.0.1:{free_port()}", env=env, script=script,
                      own_workdir=own)
    cluster.apps = [AppProcess(port, workdir / f"app-{port}.log") for port in (free_port() for _ in range(processes))]
    atexit.register(cluster.stop)
    try:
        _migrate_once(env)
        for index in range(processes):
            cluster.start_app(index)
        cluster.start_nginx()
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _migrate_once(env: dict[str, str]) -> None:
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from dti.storage import Store

    saved = os.environ.get("DTI_DATABASE_URL")
    try:
        if env.get("DTI_DATABASE_URL"):
            os.environ["DTI_DATABASE_URL"] = env["DTI_DATABASE_URL"]
        Store.open(None).close()
    finally:
        if saved is None:
            os.environ.pop("DTI_DATABASE_URL", None)
        else:
            os.environ["DTI_DATABASE_URL"] = saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="app processes, about one per core (default: the number of cores)")
    parser.add_argument("--database-url", help="the shared database (default: DTI_DATABASE_URL / secrets.toml)")
    parser.add_argument("--listen", default="127.0.0.1:8080", help="nginx's host:port (default 127.0.0.1:8080)")
    parser.add_argument("--workdir", help="folder for the logs and nginx's files (default: a temporary one)")
    parser.add_argument("--cookie-secret-file", help="a file holding server.cookieSecret, shared by all processes")
    parser.add_argument("--print-nginx-conf", action="store_true",
                        help="only print the nginx configuration for --app-port … and --listen")
    parser.add_argument("--app-port", type=int, action="append", default=[], help="with --print-nginx-conf")
    args = parser.parse_args(argv)
    if args.print_nginx_conf:
        print(render_nginx_conf(args.app_port or [8501], args.listen, args.workdir or "/var/lib/dti-nginx"))
        return 0
    secret = Path(args.cookie_secret_file).read_text().strip() if args.cookie_secret_file else None
    try:
        cluster = start(args.processes, args.database_url, args.listen, args.workdir, secret)
    except Exception as exc:  # noqa: BLE001 - said in one line, never a traceback
        print(f"cluster not started: {exc}", file=sys.stderr)
        return 1
    cluster.own_workdir = False  # the logs stay for whoever reads why a process ended
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"dti: {cluster.url}  (app processes {', '.join(cluster.app_urls)}; pids "
          f"{' '.join(map(str, cluster.app_pids))}; logs in {cluster.workdir})", flush=True)
    try:
        while all(app.proc.poll() is None for app in cluster.apps) and cluster.nginx.poll() is None:
            time.sleep(1)
        print("a process ended; stopping the others (see the logs)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()
        print(f"stopped; logs in {cluster.workdir}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
