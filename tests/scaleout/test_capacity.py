"""The load generator's capacity grows with a second app process (issue 13): the same simulated agencies,
answering back to back, first on one process, then through nginx on two processes sharing one PostgreSQL.

Capacity is a ratio of two runs in the same test on the same machine (answers per second through two processes
over answers per second on one), not a time: one Streamlit process runs its scripts on about one core, so on a
machine with two cores or more the second process must add answers per second. Every answer is read back from
the database (no mismatch), no answer fails, and both processes do work (nginx spreads new sessions).
"""

from __future__ import annotations

import os
import sys

import psutil
import pytest
from pg import server as postgres_server

from bench.load import Target, level_components, run_step
from bench.stclient import run_sync
from dti.framework import registry

sys.path.insert(0, str(registry.REPO_ROOT / "deploy"))
import cluster as cluster_lib  # noqa: E402 - deploy/ is a folder of scripts, not a package

pytestmark = [pytest.mark.postgres, pytest.mark.scaleout]
SESSIONS = 12  # answering back to back: enough to keep two processes busy
SECONDS = 10.0  # per run
GROWTH = 1.2  # at least this much more per second through two processes (on 2 cores it measured ~1.4-1.7)


def _cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a second process adds capacity only with a second core")
def test_a_second_process_behind_nginx_adds_capacity(tmp_path):
    url = postgres_server().new_database()
    cluster = cluster_lib.start(2, url, workdir=tmp_path / "cluster", extra_env={"DTI_DATA_DIR": str(tmp_path / "d")})
    try:
        groups = level_components(registry.DEFAULT_EDITION)

        def load(target: Target, seconds: float = SECONDS):
            return run_sync(run_step(target, SESSIONS, groups, duration=seconds, think=0, timeout=60,
                                     edition=registry.DEFAULT_EDITION))

        load(Target("warm-up", [cluster.url], cluster.app_pids, database_url=url), 3)  # imports, caches
        one = load(Target("one process", [cluster.app_urls[0]], cluster.app_pids[:1], database_url=url))
        cpu_before = [_cpu_seconds(pid) for pid in cluster.app_pids]
        two = load(Target("two processes behind nginx", [cluster.url], cluster.app_pids, database_url=url))
        cpu_used = [_cpu_seconds(pid) - before for pid, before in zip(cluster.app_pids, cpu_before)]
    finally:
        cluster.stop()
    summary = (f"one process {one.answers_per_s:.2f} answers/s (p95 {one.p95_ms:.0f} ms), two behind nginx "
               f"{two.answers_per_s:.2f} answers/s (p95 {two.p95_ms:.0f} ms), CPU s per process {cpu_used}")
    print(summary)
    for step in (one, two):
        assert step.errors == 0 and step.setup_errors == 0, step.error_samples
        assert step.mismatches == 0 and step.answers > 0, summary
    assert min(cpu_used) > 0.25 * max(cpu_used), summary  # nginx spread the sessions over both processes
    assert two.answers_per_s >= GROWTH * one.answers_per_s, summary
