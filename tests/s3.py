"""A throw-away S3-protocol server for the evidence tests: moto's standalone server, on loopback.

Started once per test process on first use (like tests/pg.py's PostgreSQL), in its own process on a free port,
and stopped when the process ends. Each test gets a fresh bucket from ``new_bucket()``.
"""

from __future__ import annotations

import atexit
import itertools
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

ACCESS_KEY, SECRET_KEY = "testing", "testing"  # moto accepts any keys; these are not secrets


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class S3Server:
    def __init__(self):
        try:
            import moto.server  # noqa: F401 - only checks it is installed
        except ImportError:
            message = "moto[server] is not installed (requirements-dev.txt pins it)"
            if os.environ.get("DTI_REQUIRE_POSTGRES"):  # make test / CI: a missing server must not pass unseen
                pytest.fail(message)
            pytest.skip(message)
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(self.stop)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.2)
        self._names = itertools.count(1)

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)

    def new_bucket(self) -> str:
        name = f"dti-evidence-{os.getpid()}-{next(self._names)}"
        self.client().create_bucket(Bucket=name)
        return name

    def settings(self, bucket: str) -> dict[str, str]:
        """The [evidence] settings of secrets.toml that point the app at ``bucket`` on this server."""
        return {"s3_bucket": bucket, "s3_endpoint_url": self.endpoint, "s3_region": "us-east-1",
                "s3_access_key_id": ACCESS_KEY, "s3_secret_access_key": SECRET_KEY}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


_server: S3Server | None = None


def server() -> S3Server:
    global _server
    if _server is None:
        _server = S3Server()
    return _server
