"""Storage speed (SQLite file, WAL), as ratios to bare sqlite3 doing the same writes and reads in the same run.

    .venv/bin/python bench/storage.py [--saves 200] [--repeat 5]

1. Autosave of one answer (``Store.save_response``: permission check, version check, points through the rule,
   the row and its history line, one transaction) vs a bare ``INSERT … ON CONFLICT DO UPDATE`` + a history
   ``INSERT`` + commit on the same kind of file.
2. Reading an assessment (``Store.responses``: 98 rows into engine responses) vs a bare ``SELECT`` of the
   same rows. Absolute times depend on the disk; the ratios are what is reported (median of the repeats).
Targets: ≤ 15× for the save and ≤ 25× for the read. They guard against regressions (an ORM object per row, a
query per component, a re-read of the whole assessment after each save); they were set after measuring 9× and
14× on the development machine, where that is about 2 ms per save and well under 1 ms per read: far below
the ~100 ms a person notices, and per answer typed, not per rerun.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dti.framework import registry
from dti.storage import Actor, Store

TARGET_SAVE, TARGET_READ = 15.0, 25.0
COORD = Actor("bench", "coordinator")


def bare_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE r (code TEXT PRIMARY KEY, value TEXT, points REAL, version INTEGER)")
    conn.execute("CREATE TABLE h (code TEXT, change TEXT, at TEXT)")
    return conn


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    fw = registry.load(registry.DEFAULT_EDITION)
    levels = [c for c in fw.components if c.rule.type == "levels"]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'dti.sqlite'}")
        bare = bare_db(Path(tmp) / "bare.sqlite")
        save_ratios, read_ratios, save_ms, bare_save_ms, read_ms = [], [], [], [], []
        for rep in range(args.repeat):
            period = store.assessment(fw.id, 2000 + rep, 1)
            versions: dict[str, int] = {}
            t0 = time.perf_counter()
            for i in range(args.saves):
                comp = levels[i % len(levels)]
                value = comp.rule.levels[i % len(comp.rule.levels)].key
                saved = store.save_response(COORD, period.id, comp.code, versions.get(comp.code, 0), value=value)
                versions[comp.code] = saved.version
            ours = (time.perf_counter() - t0) / args.saves
            t0 = time.perf_counter()
            for i in range(args.saves):
                comp = levels[i % len(levels)]
                value = comp.rule.levels[i % len(comp.rule.levels)].key
                bare.execute("INSERT INTO r VALUES (?, ?, 1.0, 1) ON CONFLICT(code) DO UPDATE SET "
                             "value = excluded.value, version = version + 1", (comp.code, value))
                bare.execute("INSERT INTO h VALUES (?, ?, datetime('now'))", (comp.code, value))
                bare.commit()
            theirs = (time.perf_counter() - t0) / args.saves
            save_ratios.append(ours / theirs)
            save_ms.append(ours * 1000)
            bare_save_ms.append(theirs * 1000)

            reads = []
            for _ in range(20):
                t0 = time.perf_counter()
                store.responses(period.id)
                ours = time.perf_counter() - t0
                read_ms.append(ours * 1000)
                t0 = time.perf_counter()
                bare.execute("SELECT code, value, points, version FROM r").fetchall()
                reads.append(ours / (time.perf_counter() - t0))
            read_ratios.append(statistics.median(reads))
        store.close()
        bare.close()
    save, read = statistics.median(save_ratios), statistics.median(read_ratios)
    print(f"autosave of one answer: {statistics.median(save_ms):.2f} ms vs bare sqlite3 "
          f"{statistics.median(bare_save_ms):.2f} ms: ratio {save:.2f}× (target ≤ {TARGET_SAVE:g}×)")
    print(f"reading an assessment ({len(levels)} answered rows): {statistics.median(read_ms):.2f} ms, "
          f"ratio {read:.2f}× to a bare SELECT "
          f"(target ≤ {TARGET_READ:g}×)")
    ok = save <= TARGET_SAVE and read <= TARGET_READ
    print("OK" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
