"""Load time of the Results page in headless Chromium, and what the server ran for each load.

    .venv/bin/python bench/results_load.py [--loads 10] [--page results] [--database-url postgresql://…]

Each load opens a fresh tab (own cookies, own Streamlit session) at ``/<page>`` of an ``app.py`` served on
127.0.0.1 with a temporary SQLite database (or the given one) holding the workshop's fictional answers, and times
it from navigation until the page's last element is on screen and the script has finished. The websocket is
watched on the way: script runs started (``new_session`` and ``script_finished`` messages from the server, rerun
requests from the browser), so a second full run of the page shows as such, not as a slow load. Figures are
per load, then the median; absolute times depend on the machine (and on whoever else uses it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dti.decide import demo
from dti.framework import registry
from dti.storage import Store, auth

# When each page is complete: its last elements are on screen (a JavaScript predicate).
COMPLETE = {
    # gauge, main-index bars, radar and pillars drawn (Plotly, or the static SVG images decoded), and the table of
    # points at stake
    "results": """() => (document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot').length >= 4
                  || [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stImage"] img')]
                     .filter(e => e.complete && e.naturalWidth > 0).length >= 4)
                  && [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')]
                     .some(e => e.offsetParent !== null)""",
    "assessment": "() => document.querySelector('.st-key-c_1-1_value') !== null",
}


def seed(url: str, year: int, quarter: int) -> None:
    """The workshop's fictional answers in the period the app opens on (the latest one)."""
    fw = registry.load(registry.DEFAULT_EDITION)
    store = Store.open(url)
    found = store.assessment(fw.id, year, quarter)
    store.import_responses(auth.SINGLE_USER, found.id, demo.demo_responses(fw), source="bench")


class RunCounter:
    """Counts, on one tab's Streamlit websocket, the runs the browser asked for and the runs the server ended."""

    def __init__(self, page) -> None:
        self.reruns_asked = 0
        self.runs_finished = 0
        self.fragment_runs_finished = 0
        self.runs_cut_short = 0  # ended early because a rerun was asked meanwhile
        self.first_message_at = self.finished_at = None  # time.perf_counter() of the first message, the last run's end
        page.on("websocket", self._watch)

    def _watch(self, ws) -> None:
        if "_stcore/stream" in ws.url:
            ws.on("framesent", self._sent)
            ws.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        if isinstance(payload, bytes):
            msg = BackMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "rerun_script":
                self.reruns_asked += 1

    def _received(self, payload) -> None:
        if isinstance(payload, bytes):
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            if self.first_message_at is None:
                self.first_message_at = time.perf_counter()
            if msg.WhichOneof("type") == "script_finished":
                self.finished_at = time.perf_counter()
                if msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    self.fragment_runs_finished += 1
                elif msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    self.runs_cut_short += 1
                else:
                    self.runs_finished += 1


def pin(server_pid: int) -> None:
    """The server (every thread of it) on the last CPU; this process (and the browser it starts) on the others."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        os.sched_setaffinity(int(task.name), {cpus[-1]})
    os.sched_setaffinity(0, set(cpus[:-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--page", default="results", choices=sorted(COMPLETE))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--pin", action="store_true",
                        help="as issue 13 measured: the server on the last CPU, this and the browser on the rest")
    parser.add_argument("--warm-cache", action="store_true",
                        help="every tab in one browser context: its HTTP cache kept, as a returning user's is")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, start_streamlit, stop, wait_for_app

    tmp = Path(tempfile.mkdtemp(prefix="dti-bench-results-"))
    url = args.database_url or f"sqlite:///{tmp / 'dti.sqlite'}"
    today = time.localtime()
    seed(url, today.tm_year, (today.tm_mon - 1) // 3 + 1)
    proc, base_url, log = start_streamlit("app.py", tmp, {"DTI_DATABASE_URL": url})
    if args.pin:
        pin(proc.pid)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            shared = browser.new_context(viewport=VIEWPORT, locale="vi-VN") if args.warm_cache else None
            for i in range(args.loads + 1):  # the first load warms the server up (imports, caches): not counted
                context = shared or browser.new_context(viewport=VIEWPORT, locale="vi-VN")
                page = context.new_page()
                counter = RunCounter(page)
                start = time.perf_counter()
                page.goto(f"{base_url}/{args.page}")
                page.wait_for_function(COMPLETE[args.page], timeout=60_000)
                shown = time.perf_counter() - start
                wait_for_app(page, 60_000)
                page.wait_for_timeout(1_000)  # a run started late (a rerun after the first) is counted too
                if i:
                    rows.append((shown, counter.first_message_at - start, counter.finished_at - start,
                                 counter.reruns_asked, counter.runs_finished, counter.runs_cut_short,
                                 counter.fragment_runs_finished))
                page.close()
                if shared is None:
                    context.close()
            browser.close()
    finally:
        stop(proc)
    database = "PostgreSQL" if "postgres" in url else "SQLite"
    print(f"/{args.page}: {args.loads} loads, each in a fresh tab "
          f"({database}; browser cache {'kept' if args.warm_cache else 'empty'})")
    print("  load  shown (s)  1st message (s)  script done (s)  reruns asked  full runs  cut short  fragment runs")
    for i, (shown, first, done, asked, runs, cut, fragments) in enumerate(rows, 1):
        print(f"  {i:4d}  {shown:9.2f}  {first:15.2f}  {done:15.2f}  {asked:12d}  {runs:9d}  {cut:9d}  {fragments:13d}")
    times = [r[0] for r in rows]
    print(f"  median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s; "
          f"loads with more than one run: {sum(r[4] + r[5] > 1 for r in rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
