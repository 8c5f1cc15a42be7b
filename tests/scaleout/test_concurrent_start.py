"""Several app processes started at once on one fresh PostgreSQL database: each runs the migrations when it first
opens the database, and none may fail because another was migrating at the same moment."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from pg import server as postgres_server

from dti.framework import registry
from dti.storage import Store, db

pytestmark = [pytest.mark.postgres, pytest.mark.scaleout]
PROCESSES = 4

# Each process imports first, then waits for the same moment to open the database, as servers started together.
OPEN_AT = """
import sys, time
from dti.storage import Store
at = float(sys.argv[2])
time.sleep(max(0.0, at - time.time()))
Store.open(sys.argv[1]).close()
"""


def test_processes_opening_a_fresh_database_at_once_all_start():
    url = postgres_server().new_database()
    at = time.time() + 4  # imports take about a second each, more on a busy machine
    procs = [subprocess.Popen([sys.executable, "-c", OPEN_AT, url, str(at)], cwd=registry.REPO_ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(PROCESSES)]
    outputs = [proc.communicate(timeout=120)[0] for proc in procs]
    failed = [out[-1500:] for proc, out in zip(procs, outputs) if proc.returncode != 0]
    assert not failed, "\n---\n".join(failed)
    store = Store.open(url)
    try:
        assert db.current_revision(store.engine) == db.head_revision()
    finally:
        store.close()
