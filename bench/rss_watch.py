"""Memory of a server over a long run (the soak of issue 13): RSS of a process tree sampled at a fixed interval.

    python bench/rss_watch.py --match "serve.py" --every 30 --for 1800 [--csv rss.csv]

Picks the oldest process whose command line contains ``--match`` (or ``--pid``), samples the RSS of it and its
children every ``--every`` seconds, and prints the timeline and a summary: the first and last samples, the peak,
and the growth between the mean of the second quarter of the run and of the last quarter (the first quarter is
warm-up: caches fill, the allocator grows its arenas). Flat memory: a growth near zero, not a steady climb.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import psutil


def find(match: str) -> psutil.Process | None:
    me = psutil.Process().pid
    found = [p for p in psutil.process_iter(["pid", "cmdline", "create_time"])
             if p.pid != me and match in " ".join(p.info["cmdline"] or []) and "rss_watch" not in
             " ".join(p.info["cmdline"] or [])]
    return min(found, key=lambda p: p.info["create_time"]) if found else None


def tree_rss(root: psutil.Process) -> int:
    total = 0
    for proc in [root, *root.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.Error:  # a child that ended between listing and reading
            pass
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pid", type=int)
    parser.add_argument("--match", default="serve.py")
    parser.add_argument("--every", type=float, default=30.0)
    parser.add_argument("--for", dest="duration", type=float, default=1800.0)
    parser.add_argument("--wait", type=float, default=120.0, help="seconds to wait for the process to appear")
    parser.add_argument("--csv")
    args = parser.parse_args()

    deadline = time.monotonic() + args.wait
    root = psutil.Process(args.pid) if args.pid else None
    while root is None and time.monotonic() < deadline:
        root = find(args.match)
        time.sleep(1)
    if root is None:
        print(f"no process matching {args.match!r}", file=sys.stderr)
        return 1
    print(f"watching pid {root.pid}: {' '.join(root.cmdline())}", flush=True)
    samples: list[tuple[float, float]] = []
    start = time.monotonic()
    while time.monotonic() - start < args.duration:
        try:
            mb = tree_rss(root) / 2**20
        except psutil.NoSuchProcess:
            print("the process ended", flush=True)
            break
        samples.append((time.monotonic() - start, mb))
        print(f"{samples[-1][0]:7.0f} s  {mb:8.1f} MB", flush=True)
        time.sleep(args.every)
    if args.csv:
        with open(args.csv, "w", encoding="utf-8") as out:
            out.write("seconds,rss_mb\n" + "".join(f"{s:.0f},{m:.1f}\n" for s, m in samples))
    if len(samples) >= 8:
        quarter = len(samples) // 4
        second = statistics.mean(m for _, m in samples[quarter:2 * quarter])
        last = statistics.mean(m for _, m in samples[-quarter:])
        print(f"samples {len(samples)}; first {samples[0][1]:.1f} MB, last {samples[-1][1]:.1f} MB, "
              f"peak {max(m for _, m in samples):.1f} MB; mean of 2nd quarter {second:.1f} MB → last quarter "
              f"{last:.1f} MB ({last - second:+.1f} MB, {100 * (last - second) / second:+.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
