"""Tỉnh Minh Họa: a clearly fictional province for workshops, demos and tests.

Its self-assessment is stored as shares of each component's maximum (``dti/decide/data/demo-minh-hoa-2022.csv``), so
it fits the shipped edition and any official catalogue with the same component codes. Nothing here reads or
writes a real assessment: the workshop page keeps the demo in its own session-state namespace.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dti.framework.model import Framework
from dti.scoring.engine import Response

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo-minh-hoa-2022.csv"
PROVINCE_VI = "Tỉnh Minh Họa (hư cấu)"
PROVINCE_EN = "Minh Họa Province (fictional)"


@dataclass(frozen=True)
class DemoRow:
    code: str
    share: float | None
    evidence: str
    agency: str


@lru_cache(maxsize=1)
def demo_rows() -> tuple[DemoRow, ...]:
    with open(DEMO_FILE, encoding="utf-8") as fh:
        return tuple(DemoRow(r["code"], float(r["share"]) if r["share"] else None, r["evidence"], r["agency"])
                     for r in csv.DictReader(fh))


def province_name(lang: str = "vi") -> str:
    return PROVINCE_EN if lang == "en" else PROVINCE_VI


def demo_responses(fw: Framework) -> dict[str, Response]:
    """The demo's answers for the components of ``fw`` (codes the edition lacks are skipped)."""
    out = {}
    for row in demo_rows():
        comp = fw.component_by_code.get(row.code)
        if comp is None or row.share is None or comp.rule.type == "not_scored":
            continue
        out[row.code] = Response(row.code, points=round(row.share * comp.max_points, 6), evidence=row.evidence,
                                 note="Tỉnh Minh Họa — dữ liệu hư cấu / fictional data")
    return out


def demo_agencies(fw: Framework) -> dict[str, str]:
    """Component code → the fictional agency in charge of it."""
    return {r.code: r.agency for r in demo_rows() if r.code in fw.component_by_code}
