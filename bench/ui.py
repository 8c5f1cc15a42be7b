"""UI speed of the busiest page (self-assessment, main index 7: 22 components), as ratios to a bare page.

    .venv/bin/python bench/ui.py [--repeat 7] [--loads 5] [--no-browser]

1. Rerun after one input change (Streamlit AppTest): choosing a level in the form vs changing one selectbox of a
   bare Streamlit script with the same number and kinds of inputs. Both scripts run in this process, same run.
2. First page render in headless Chromium (Debian's /usr/bin/chromium via Playwright): from navigation until the
   page's inputs are on screen and the script has finished, for the page vs the bare script, each served by its
   own `streamlit run` on 127.0.0.1.
Target: ≤ 1.5× for both. Absolute times depend on the machine; the ratios are what is reported. Each figure is
the median of its repeats. The app runs on a temporary SQLite database and data folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest

from dti.framework import registry

TARGET_RATIO = 1.5
MAIN_INDEX = "7"  # the largest main index: the busiest form
INPUT_TYPES = ("selectbox", "text_input", "number_input", "checkbox", "radio", "toggle")


def busiest_page(lang: str = "vi") -> AppTest:
    fw = registry.load(registry.DEFAULT_EDITION)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/assessment.py").run()
    at.session_state["a_tab"] = f"{MAIN_INDEX}. {fw.main_index_by_code[MAIN_INDEX].name(lang)}"
    at.run()
    assert not at.exception, at.exception
    return at


def input_counts(at: AppTest) -> Counter:
    return Counter({kind: len(getattr(at, kind)) for kind in INPUT_TYPES if len(getattr(at, kind))})


def bare_script(counts: Counter) -> str:
    """A plain Streamlit page with the same inputs (labels and options of similar size), no app logic."""
    lines = ["import streamlit as st", "st.title('Bare page')"]
    for kind, n in counts.items():
        for i in range(n):
            if kind == "selectbox":
                lines.append(f"st.selectbox('s{i}', ['a', 'b', 'c', 'd', 'e'], index=None, key='s{i}')")
            elif kind == "radio":
                lines.append(f"st.radio('r{i}', ['yes', 'no'], index=None, horizontal=True, key='r{i}')")
            elif kind == "number_input":
                lines.append(f"st.number_input('n{i}', value=None, key='n{i}')")
            else:
                lines.append(f"st.{kind}('{kind[0]}{i}', key='{kind}{i}')")
    return "\n".join(lines) + "\n"


def timed_rerun(at: AppTest, widget) -> tuple[float, float]:
    """Wall time and CPU time of this process (every thread: AppTest runs the script in one of its own) of a rerun.

    The CPU time is what a server pays per answer, and it is far less disturbed than the wall time by other
    programs on a shared machine."""
    start, cpu = time.perf_counter(), time.process_time()
    widget.run()
    elapsed, cpu_used = time.perf_counter() - start, time.process_time() - cpu
    assert not at.exception, at.exception
    return elapsed, cpu_used


def bench_reruns(bare_path: Path, repeat: int) -> tuple[float, float, Counter, float, float]:
    fw = registry.load(registry.DEFAULT_EDITION)
    at = busiest_page()
    counts = input_counts(at)
    bare_path.write_text(bare_script(counts), encoding="utf-8")
    bare = AppTest.from_file(str(bare_path), default_timeout=120).run()
    assert input_counts(bare) == counts, (input_counts(bare), counts)
    codes = [c.code for c in fw.main_index_by_code[MAIN_INDEX].components if c.rule.type == "levels"]

    def change_form(app: AppTest, i: int):
        comp = fw.component_by_code[codes[i % len(codes)]]
        return app.selectbox(key=f"c_{comp.code}_value").select(comp.rule.levels[i % 2].key)

    def change_bare(app: AppTest, i: int):
        return app.selectbox(key=f"s{i % counts['selectbox']}").select("ab"[i % 2])

    # Interleaved, so that a burst of load on the machine hits both sides alike.
    page_times, bare_times = [], []
    for i in range(repeat):
        page_times.append(timed_rerun(at, change_form(at, i)))
        bare_times.append(timed_rerun(bare, change_bare(bare, i)))
    return (statistics.median(t for t, _ in page_times), statistics.median(t for t, _ in bare_times), counts,
            statistics.median(c for _, c in page_times), statistics.median(c for _, c in bare_times))


def answers_in_memory() -> None:
    """Replace the database behind ui.state by a dict, to attribute the rerun cost to storage (autosave)."""
    from ui import state

    kept: dict = {}
    state.set_response = lambda code, response: kept.__setitem__(code, response)
    state.get_responses = lambda: dict(kept)
    state.get_response = kept.get


def bench_first_render(bare_path: Path, loads: int, tmp: Path) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, start_streamlit, stop, wait_for_app

    app_proc, app_url, _ = start_streamlit("app.py", tmp / "app")
    bare_proc, bare_url, _ = start_streamlit(bare_path, tmp / "bare")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

            def load(url: str, ready_selector: str) -> float:
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_selector(ready_selector, timeout=60_000)
                wait_for_app(page, 60_000)
                elapsed = time.perf_counter() - start
                context.close()
                return elapsed

            load(app_url + "/assessment", ".st-key-c_1-1_value")  # warm-up: imports, caches, first connection
            load(bare_url, ".st-key-s0")
            page_times, bare_times = [], []
            for _ in range(loads):
                page_times.append(load(app_url + "/assessment", ".st-key-c_1-1_value"))
                bare_times.append(load(bare_url, ".st-key-s0"))
            browser.close()
    finally:
        stop(app_proc)
        stop(bare_proc)
    return statistics.median(page_times), statistics.median(bare_times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dti-bench-ui-"))
    for sub in ("app", "bare"):
        (tmp / sub).mkdir()
    os.environ["DTI_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite'}"
    os.environ["DTI_DATA_DIR"] = str(tmp / "data")
    bare_path = tmp / "bare_page.py"
    ok = True

    page, baseline, counts, page_cpu, bare_cpu = bench_reruns(bare_path, args.repeat)
    ratio = page / baseline
    ok &= ratio <= TARGET_RATIO
    inputs = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    print(f"rerun after one input change (AppTest, median of {args.repeat}; {sum(counts.values())} inputs: {inputs})")
    print(f"  self-assessment page: {page * 1000:8.1f} ms   bare page: {baseline * 1000:8.1f} ms   "
          f"ratio {ratio:.2f}× (target ≤ {TARGET_RATIO}×)")
    print(f"  CPU time of the rerun: {page_cpu * 1000:8.1f} ms   bare page: {bare_cpu * 1000:8.1f} ms   "
          f"ratio {page_cpu / bare_cpu:.2f}×")

    # Attribution: the same measurement with answers kept in memory (no autosave to the database).
    answers_in_memory()
    page, baseline, *_ = bench_reruns(tmp / "bare_page_2.py", args.repeat)
    print(f"  same page, answers in memory instead of the database: {page * 1000:8.1f} ms   bare page: "
          f"{baseline * 1000:8.1f} ms   ratio {page / baseline:.2f}× (for attribution only)")

    if not args.no_browser:
        first, bare_first = bench_first_render(bare_path, args.loads, tmp)
        ratio = first / bare_first
        ok &= ratio <= TARGET_RATIO
        print(f"first page render in headless Chromium (median of {args.loads} loads)")
        print(f"  self-assessment page: {first * 1000:8.1f} ms   bare page: {bare_first * 1000:8.1f} ms   "
              f"ratio {ratio:.2f}× (target ≤ {TARGET_RATIO}×)")
    print("OK" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
