"""Load generator: N agencies answering on the Self-assessment page at once, without a browser per user.

    python bench/load.py [--sessions 1,10,40,80] [--duration 60] [--think 10] [--targets sqlite,postgres,bare]
    python bench/load.py --think 0 --sessions 10 --duration 20          # capacity: answers back to back
    python bench/load.py --server-config runner.postScriptGC=false      # any Streamlit option, every server
    python bench/load.py --url http://host:8501 --server-pid 1234 --database-url postgresql://…   # a running app

Each simulated agency is one websocket speaking Streamlit's protocol (bench/stclient.py): it opens
/assessment, switches to the tab of its components, then answers (a new level of one of its components) every
``--think`` seconds ±50 %; ``--think 0`` answers back to back (capacity). An answer's latency runs from sending
the change to the final script_finished of the runs it triggers (the form's fragment, with the autosave).
Without ``--url`` the script starts the servers itself, as ``make run`` does (``streamlit run serve.py``,
headless, on a free loopback port): the app on a fresh SQLite file, the app on a throw-away PostgreSQL
(tests/pg.py; ``--database-url`` names one of your own instead), and the bare page (bench/bare_page.py) with the
same inputs, which the app's figures are divided by (ratio columns). The app runs in single-user mode, so every
session writes the same assessment: each session answers components of its own (disjoint, so no save is ever
refused as stale). After each step the answers are read back through ``dti.storage.Store`` and compared with the
last value each session saw saved (``mismatch``).

Per N and target: answers, answers/s, p50/p95/max latency (ms), errors (exception elements, st.error alerts,
dropped connections, timeouts; a session stops at its first), server CPU per answer (ms, psutil on the server's
process tree, before/after the step), peak RSS of that tree (MB), mismatches, and app/bare ratios of CPU per
answer and p95. ``--json out.json`` writes every figure and every latency. Timings are only comparable within
one run on one machine; the ratios are the point.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import servers  # noqa: E402
from bench.stclient import SessionError, StreamlitSession, Widget  # noqa: E402

PAGE = "assessment"
TAB_KEY = "a_tab"
ANSWER_KEY = "c_{code}_value"  # ui.forms.key(code, "value") in the first scope of a session
SETUP_CONCURRENCY = 4  # sessions opening the page at once while a step is prepared (not measured)
RSS_SAMPLE_S = 0.5
# Streamlit collects garbage (runner.postScriptGC) after sending script_finished: CPU is read this long after the
# setup's last run and after the step's last answer, so neither the setup's tail nor the step's own is misplaced.
SETTLE_S = 1.0


# --- the components each session answers ------------------------------------------------------------


def level_components(edition: str) -> list[tuple[str, list[str]]]:
    """(main index code, its components answered by a level) of the edition, in order."""
    from dti.framework import registry

    fw = registry.load(edition)
    found = [(m.code, [c.code for c in m.components if c.rule.type == "levels"]) for m in fw.main_indices]
    return [(m, codes) for m, codes in found if codes]


def assign(n: int, groups: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Give ``n`` sessions disjoint components, each session's within one main index (one tab).

    Sessions are shared among main indices in proportion to their components (largest remainder), at least one
    component each; more sessions than components is refused.
    """
    total = sum(len(codes) for _, codes in groups)
    if n > total:
        raise SystemExit(f"{n} sessions but only {total} components answered by a level: at most {total}")
    exact = [n * len(codes) / total for _, codes in groups]
    seats = [max(1, int(x)) if n >= len(groups) else int(x) for x in exact]
    while sum(seats) > n:  # only when the minimum of one pushed it over
        i = max(range(len(seats)), key=lambda i: (seats[i] - exact[i], seats[i]))
        seats[i] -= 1
    order = sorted(range(len(groups)), key=lambda i: exact[i] - seats[i], reverse=True)
    for i in order[: n - sum(seats)]:
        seats[i] += 1
    sessions = []
    for (main, codes), k in zip(groups, seats):
        k = min(k, len(codes))
        sessions += [(main, codes[j::k]) for j in range(k)]
    return sessions


# --- one simulated agency ---------------------------------------------------------------------------


@dataclass
class Agency:
    main: str
    codes: list[str]
    url: str = ""
    session: StreamlitSession | None = None
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    saved: dict[str, str] = field(default_factory=dict)  # code → label of the last answer that finished cleanly
    turn: int = 0

    async def open(self, url: str, timeout: float) -> None:
        """Open the page and the tab of this session's components (not measured)."""
        self.session = await StreamlitSession.connect(url, timeout=timeout)
        run = await self.session.open_page(PAGE)
        if not run.ok:
            raise SessionError("; ".join(run.errors))
        tabs = self.session.find(TAB_KEY)
        label = next((t for t in tabs.options if t.split(".", 1)[0] == self.main), None)
        if label is None:
            raise SessionError(f"no tab of main index {self.main} among {tabs.options}")
        if (self.session.value(TAB_KEY) or tabs.options[0]) != label:
            run = await self.session.set_widget(TAB_KEY, label)
            if not run.ok:
                raise SessionError("; ".join(run.errors))

    async def answer(self) -> bool:
        """Choose another level of the next component; False once the session has failed."""
        code = self.codes[self.turn % len(self.codes)]
        self.turn += 1
        key = ANSWER_KEY.format(code=code)
        try:
            widget: Widget = self.session.find(key)
        except SessionError as exc:
            self.errors.append(str(exc))
            return False
        options = widget.options
        current = self.session.value(key)
        label = options[(options.index(current) + 1) % len(options)] if current in options else options[0]
        run = await self.session.set_widget(key, label)
        self.latencies.append(run.latency)
        if not run.ok:
            self.errors.extend(run.errors)
            return False
        self.saved[code] = label
        return True

    async def close(self) -> None:
        if self.session is not None:
            try:
                await self.session.close()
            except Exception:  # noqa: BLE001 - a connection already gone is closed
                pass


# --- a target: one or more server processes ----------------------------------------------------------


@dataclass
class Target:
    name: str  # "sqlite", "postgres", "bare", "url"
    urls: list[str]
    pids: list[int]
    database_url: str | None = None  # to read the answers back (None: bare page, or not given)
    db_pids: list[int] = field(default_factory=list)  # PostgreSQL's server, when this script started it
    started: list[servers.Server] = field(default_factory=list)

    def stop(self) -> None:
        for server in self.started:
            server.stop()


def tree(pids: list[int]) -> list[psutil.Process]:
    found = []
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            found += [proc, *proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            pass
    return found


def cpu_seconds(pids: list[int]) -> float:
    """CPU time of the process trees: each live process's own, plus what its exited children used (counted in
    their parent once reaped, so a PostgreSQL backend that ends during a step is not lost)."""
    total = 0.0
    for proc in tree(pids):
        try:
            times = proc.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for proc in tree(pids):
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


# --- one step: N sessions on one target ----------------------------------------------------------------


@dataclass
class Step:
    target: str
    sessions: int
    answers: int
    seconds: float
    answers_per_s: float
    p50_ms: float | None
    p95_ms: float | None
    max_ms: float | None
    errors: int
    setup_errors: int
    cpu_ms_per_answer: float | None
    db_cpu_ms_per_answer: float | None  # PostgreSQL's processes, when this script started it
    client_cpu_ms_per_answer: float | None  # this load generator's own CPU (it must stay small beside the server's)
    peak_rss_mb: float
    mismatches: int | None  # None: not checked (the bare page, or no database to read)
    error_samples: list[str]
    latencies_ms: list[float]


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def run_step(target: Target, n: int, groups, *, duration: float, think: float, timeout: float,
                   edition: str) -> Step:
    agencies = [Agency(main, codes) for main, codes in assign(n, groups)]
    for i, agency in enumerate(agencies):  # several processes: sessions spread over them in turn
        agency.url = target.urls[i % len(target.urls)]
    gate = asyncio.Semaphore(SETUP_CONCURRENCY)
    setup_errors: list[str] = []

    async def open_one(agency: Agency) -> None:
        async with gate:
            try:
                await agency.open(agency.url, timeout)
            except SessionError as exc:
                setup_errors.append(f"setup: {exc}")
                await agency.close()
                agency.session = None

    await asyncio.gather(*(open_one(a) for a in agencies))
    live = [a for a in agencies if a.session is not None]
    await asyncio.sleep(SETTLE_S)

    peak_rss = rss_bytes(target.pids)
    cpu_before, db_cpu_before = cpu_seconds(target.pids), cpu_seconds(target.db_pids)
    client_before = time.process_time()
    start = time.perf_counter()
    deadline = start + duration

    async def sample_rss() -> None:
        nonlocal peak_rss
        while True:
            peak_rss = max(peak_rss, rss_bytes(target.pids))
            await asyncio.sleep(RSS_SAMPLE_S)

    async def agency_loop(agency: Agency, rng: random.Random) -> None:
        if think > 0:  # spread the first answers over one think time, as people do not start in step
            await asyncio.sleep(rng.uniform(0, think))
        while time.perf_counter() < deadline:
            if not await agency.answer():
                return
            if think > 0:
                await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))

    sampler = asyncio.create_task(sample_rss())
    await asyncio.gather(*(agency_loop(a, random.Random(i)) for i, a in enumerate(live)))
    elapsed = time.perf_counter() - start
    await asyncio.sleep(SETTLE_S)
    cpu = cpu_seconds(target.pids) - cpu_before
    db_cpu = cpu_seconds(target.db_pids) - db_cpu_before
    client_cpu = time.process_time() - client_before
    sampler.cancel()
    await asyncio.gather(*(a.close() for a in agencies))

    latencies = [x * 1000 for a in live for x in a.latencies]
    errors = [e for a in live for e in a.errors]
    answers = len(latencies)
    mismatches = None
    if target.database_url is not None:
        mismatches = check_saved(target.database_url, edition, live)
    return Step(target.name, n, answers, round(elapsed, 2), answers / elapsed if elapsed else 0.0,
                percentile(latencies, 0.5), percentile(latencies, 0.95), max(latencies, default=None),
                len(errors), len(setup_errors), cpu * 1000 / answers if answers and target.pids else None,
                db_cpu * 1000 / answers if answers and target.db_pids else None,
                client_cpu * 1000 / answers if answers else None,
                peak_rss / 2**20, mismatches, (setup_errors + errors)[:5], latencies)


def check_saved(database_url: str, edition: str, agencies: list[Agency]) -> int:
    """How many components' stored answers differ from the last answer a session saw saved."""
    from streamlit import logger

    from dti.framework import registry
    from dti.storage import Store

    logger.set_log_level("error")  # importing ui outside a server warns that no Streamlit runtime is running
    from ui.assessment_form import fixed_texts

    fw = registry.load(edition)
    store = Store.open(database_url)
    try:
        periods = [a for a in store.assessments() if a.edition_id == edition]
        if not periods:
            return sum(len(a.saved) for a in agencies)
        latest = max(periods, key=lambda a: (a.year, a.quarter))
        stored = store.responses(latest.id)
    finally:
        store.close()
    mismatches = 0
    for agency in agencies:
        for code, label in agency.saved.items():
            labels = fixed_texts(fw.component_by_code[code], "vi").labels  # level key → label, as the form shows
            given = stored.get(code)
            if given is None or labels.get(given.value) != label:
                mismatches += 1
    return mismatches


# --- servers -------------------------------------------------------------------------------------------


def capture_page_spec(url: str, path: Path, timeout: float) -> None:
    """Write the inputs the app's Self-assessment page shows (every tab) for bench/bare_page.py."""

    def described(w: Widget) -> dict:
        proto = w.proto
        return {"kind": w.kind, "key": w.key, "label": proto.label, "options": w.options,
                "help": getattr(proto, "help", ""), "placeholder": getattr(proto, "placeholder", ""),
                "max_chars": getattr(proto, "max_chars", 0),
                "toggle": w.kind == "checkbox" and proto.type == proto.StyleType.TOGGLE}

    async def capture() -> dict:
        session = await StreamlitSession.connect(url, timeout=timeout)
        try:
            run = await session.open_page(PAGE)
            if not run.ok:
                raise SessionError("; ".join(run.errors))
            tabs = session.find(TAB_KEY)
            outside = [w for w in session.widgets.values() if not w.fragment_id and w.kind != "tabs" and w.key]
            spec = {"sidebar": [described(w) for w in outside if w.path[:1] == (1,)],
                    "top": [described(w) for w in outside if w.path[:1] != (1,)],
                    "tabs": tabs.options, "forms": {}}
            for label in tabs.options:
                if label != tabs.options[0]:
                    run = await session.set_widget(TAB_KEY, label)
                    if not run.ok:
                        raise SessionError("; ".join(run.errors))
                spec["forms"][label] = [described(w) for w in session.widgets.values() if w.fragment_id and w.key]
            return spec
        finally:
            await session.close()

    path.write_text(json.dumps(asyncio.run(capture()), ensure_ascii=False, indent=1), encoding="utf-8")


def postgres_url() -> tuple[str, int | None]:
    """A fresh database on tests/pg.py's throw-away PostgreSQL (stopped when this process ends), its pid."""
    sys.path.insert(0, str(ROOT / "tests"))
    import pg

    server = pg.server()
    url = server.new_database()
    try:
        pid = int((server.data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        pid = None
    return url, pid


def start_targets(args, work: Path) -> list[Target]:
    targets: list[Target] = []
    config = dict(args.server_config)
    wanted = args.targets.split(",")
    if args.url:
        urls = args.url.split(",")
        pids = [int(p) for p in args.server_pid.split(",")] if args.server_pid else []
        targets.append(Target("url", urls, pids, args.database_url))
    else:
        for name in ("sqlite", "postgres"):
            if name not in wanted:
                continue
            db_pid = None
            if name == "sqlite":
                url = f"sqlite:///{work / 'dti.sqlite'}"
            else:
                url, db_pid = (args.database_url, None) if args.database_url else postgres_url()
            server = servers.start("serve.py", work / name, env=servers.app_env(url, work / name / "data"),
                                   config=config)
            targets.append(Target(name, [server.url], [server.pid], url, [db_pid] if db_pid else [], started=[server]))
    if "bare" in wanted or args.bare_url:
        if args.bare_url:
            bare = Target("bare", [args.bare_url], [int(args.bare_pid)] if args.bare_pid else [])
        else:
            if not targets:
                raise SystemExit("the bare page copies the app's inputs: it needs an app target too")
            spec = work / "bare-spec.json"
            capture_page_spec(targets[0].urls[0], spec, args.timeout)
            server = servers.start(ROOT / "bench" / "bare_page.py", work / "bare",
                                   env={"DTI_BARE_SPEC": str(spec)}, config=config)
            bare = Target("bare", [server.url], [server.pid], started=[server])
        targets.append(bare)
    return targets


def pin(targets: list[Target]) -> str:
    """Servers on the last CPU, this load generator on the others (as a province's browsers are not on its server)."""
    cpus = psutil.Process().cpu_affinity()
    if len(cpus) < 2:
        return "not pinned (one CPU)"
    for target in targets:
        for proc in tree(target.pids):
            proc.cpu_affinity([cpus[-1]])
    psutil.Process().cpu_affinity(cpus[:-1])
    return f"servers on CPU {cpus[-1]}, load generator on CPU {','.join(map(str, cpus[:-1]))}"


# --- report ----------------------------------------------------------------------------------------------


def fmt(x, digits: int = 0) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def table(steps: list[Step]) -> str:
    bare = next((s for s in steps if s.target == "bare"), None)
    head = (f"{'target':<9} {'answers':>7} {'ans/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'errors':>6} "
            f"{'cpu ms/ans':>10} {'db ms/ans':>9} {'peak RSS MB':>11} {'mismatch':>8} {'cpu÷bare':>8} {'p95÷bare':>8}")
    lines = [head, "-" * len(head)]
    for s in steps:
        cpu_ratio = p95_ratio = None
        if bare is not None and s is not bare:
            if s.cpu_ms_per_answer and bare.cpu_ms_per_answer:
                cpu_ratio = s.cpu_ms_per_answer / bare.cpu_ms_per_answer
            if s.p95_ms and bare.p95_ms:
                p95_ratio = s.p95_ms / bare.p95_ms
        errors = f"{s.errors}" + (f"+{s.setup_errors}" if s.setup_errors else "")
        lines.append(f"{s.target:<9} {s.answers:>7} {s.answers_per_s:>6.2f} {fmt(s.p50_ms):>7} {fmt(s.p95_ms):>7} "
                     f"{fmt(s.max_ms):>7} {errors:>6} {fmt(s.cpu_ms_per_answer, 1):>10} "
                     f"{fmt(s.db_cpu_ms_per_answer, 1):>9} {s.peak_rss_mb:>11.0f} "
                     f"{fmt(s.mismatches):>8} {fmt(cpu_ratio, 2):>8} {fmt(p95_ratio, 2):>8}")
    client = ", ".join(f"{s.target} {fmt(s.client_cpu_ms_per_answer, 1)}" for s in steps)
    lines.append(f"load generator's own CPU, ms per answer: {client}")
    for s in steps:
        for sample in s.error_samples:
            lines.append(f"  {s.target}: {sample}")
    return "\n".join(lines)


def session_counts(text: str) -> list[int]:
    try:
        counts = [int(n) for n in text.split(",")]
    except ValueError:
        counts = []
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: write the numbers of sessions as 1,10,40")
    return counts


def streamlit_option(text: str) -> tuple[str, str]:
    option, sep, value = text.partition("=")
    if not sep or "." not in option:
        raise argparse.ArgumentTypeError(f"{text!r}: write a Streamlit option as section.name=value, "
                                         "e.g. runner.postScriptGC=false")
    return option, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--sessions", default=[1, 10, 40, 80], type=session_counts,
                        help="N per step, comma-separated (default 1,10,40,80)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of answering per step (default 60)")
    parser.add_argument("--think", type=float, default=10,
                        help="seconds between a session's answers, ±50%% (default 10; 0: back to back)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds an answer may take before it is an error")
    parser.add_argument("--targets", default="sqlite,postgres,bare",
                        help="servers to start and load, in order (default sqlite,postgres,bare)")
    parser.add_argument("--server-config", action="append", default=[], metavar="OPTION=VALUE",
                        type=streamlit_option,
                        help="a Streamlit option for every started server, e.g. runner.postScriptGC=false")
    parser.add_argument("--database-url", help="PostgreSQL for the postgres target (default: a throw-away one); "
                                               "with --url, the database to read the answers back from")
    parser.add_argument("--url", help="load a running app instead (several URLs comma-separated: sessions in turn)")
    parser.add_argument("--server-pid", help="with --url: the server processes' pids for CPU and RSS")
    parser.add_argument("--bare-url", help="a running bench/bare_page.py to compare with")
    parser.add_argument("--bare-pid", help="its pid")
    parser.add_argument("--edition", default="dti-2022-province", help="the edition the app assesses by default")
    parser.add_argument("--pin", action="store_true", help="servers on the last CPU, the load generator on the rest")
    parser.add_argument("--json", type=Path, help="write every figure (and every latency) to this file")
    args = parser.parse_args()

    sizes = args.sessions
    groups = level_components(args.edition)
    assign(max(sizes), groups)  # too many sessions is refused before any server starts
    work = Path(tempfile.mkdtemp(prefix="dti-load-"))
    targets: list[Target] = []
    results: list[Step] = []
    try:
        targets = start_targets(args, work)
        pinned = pin(targets) if args.pin else "not pinned"
        think = f"think {args.think:g} s ±50 %" if args.think > 0 else "no think time (capacity)"
        config = " ".join(f"{option}={value}" for option, value in args.server_config) or "defaults"
        print(f"bench/load.py: page /{PAGE}, edition {args.edition}, {think}, {args.duration:g} s per step, "
              f"{psutil.cpu_count()} CPUs, {pinned}; server config: {config}")
        print("Single-user mode: all sessions write one assessment, each its own components (disjoint: no save is "
              "refused as stale). Errors: answers that failed (+ sessions that could not open the page).")
        for target in targets:
            print(f"  {target.name}: {', '.join(target.urls)} (pids {', '.join(map(str, target.pids)) or '?'})")
        for n in sizes:
            steps = []
            for target in targets:
                step = asyncio.run(run_step(target, n, groups, duration=args.duration, think=args.think,
                                            timeout=args.timeout, edition=args.edition))
                steps.append(step)
            print(f"\nN = {n} sessions")
            print(table(steps), flush=True)
            results += steps
    except (servers.ServerError, SessionError) as exc:
        print(f"bench/load.py: {exc}", file=sys.stderr)
        return 2
    finally:
        for target in targets:
            target.stop()
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         "steps": [asdict(s) for s in results]}, indent=1), encoding="utf-8")
    return 1 if any(s.errors or s.setup_errors or s.mismatches for s in results) else 0


if __name__ == "__main__":
    sys.exit(main())
