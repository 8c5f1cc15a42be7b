"""Published provincial results: where an estimate falls among a year's provinces, and merged provinces.

The table ships as package data (``dti/decide/data/dti-province-results.csv``, one row per published fact with its
source). Most published facts are ranks without values (2022: ranks for all 63 provinces, values for a few),
so an estimated rank is always "among the provinces whose value is published", and says how many those are.
A year may hold two rankings (2024: the 63 former provinces and the 34 after the 2025 mergers); ``rank_of``
tells them apart and every question here is asked of one ranking.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dti import limits
from dti.i18n import NumberError, parse_number

DATA_DIR = Path(__file__).resolve().parent / "data"
PUBLISHED_FILE = DATA_DIR / "dti-province-results.csv"
COLUMNS = ("year", "province", "measure", "value", "rank", "rank_of", "source_url")
MEASURES = ("dti", "pillar_cq", "pillar_kt", "pillar_xh", "nhan_thuc_so", "the_che_so", "ha_tang_so",
            "nhan_luc_so", "attt", "hd_cqs", "hd_kts", "hd_xhs")
# Rows naming the whole country carry the national average, not a province.
NATIONAL = {"cả nước", "ca nuoc", "trung bình cả nước", "national", "national average", "vietnam", "việt nam"}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class PublishedTableError(ValueError):
    """A published-results file that cannot be read; ``problems`` name the file, the row and the fix."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Fact:
    year: int
    province: str
    measure: str
    value: float | None
    rank: int | None
    rank_of: int | None
    source_url: str


@dataclass(frozen=True)
class RankEstimate:
    """An estimated rank among the provinces of one ranking whose value is published."""

    value: float
    rank: int  # 1 = best; ties share the rank
    among: int  # provinces with a published value, plus the estimate itself
    year: int
    rank_of: int | None  # size of the full published ranking (63 or 34), when known
    above: str | None  # the province just above the estimate, if any
    below: str | None
    # Where the estimate falls in the full ranking, from the published ranks of the provinces with values:
    # above a province ranked r means rank ≤ r; below one ranked r means rank ≥ r + 1.
    full_rank_low: int | None = None
    full_rank_high: int | None = None


def _is_national(province: str) -> bool:
    return province.strip().lower() in NATIONAL


class PublishedTable:
    """Published facts with the lookups the pages need; duplicates from several sources are merged."""

    def __init__(self, facts: Iterable[Fact], name: str = ""):
        self.facts = list(facts)
        self.name = name
        # rank_of of rows that give a value without a ranking size: borrow it from the same province's ranked row
        # of that year and measure when there is exactly one ranking to borrow from.
        sizes: dict[tuple[int, str, str], set[int]] = {}
        for f in self.facts:
            if f.rank_of:
                sizes.setdefault((f.year, f.province, f.measure), set()).add(f.rank_of)
        resolved = []
        for f in self.facts:
            if f.rank_of is None and len(sizes.get((f.year, f.province, f.measure), ())) == 1:
                f = Fact(f.year, f.province, f.measure, f.value, f.rank,
                         next(iter(sizes[(f.year, f.province, f.measure)])), f.source_url)
            resolved.append(f)
        self.facts = resolved

    def years(self) -> list[int]:
        return sorted({f.year for f in self.facts})

    def rankings(self, year: int, measure: str = "dti") -> list[int | None]:
        """The ranking sizes published for a year, largest first (e.g. [63, 34] for 2024)."""
        sizes = {f.rank_of for f in self.facts if f.year == year and f.measure == measure}
        return sorted(sizes, key=lambda s: -(s or 0))

    def default_ranking(self, year: int, measure: str = "dti") -> int | None:
        """The ranking with the most published values (ties: the larger ranking)."""
        sizes = self.rankings(year, measure)
        if not sizes:
            return None
        return max(sizes, key=lambda s: (len(self.values(year, measure, s)), s or 0))

    def _select(self, year: int, measure: str, rank_of: int | None) -> list[Fact]:
        return [f for f in self.facts if f.year == year and f.measure == measure and not _is_national(f.province)
                and (rank_of is None or f.rank_of in (rank_of, None))]

    def values(self, year: int, measure: str = "dti", rank_of: int | None = None) -> dict[str, float]:
        """Province → published value (first source wins; sources agree to 4 decimals in the shipped table)."""
        out: dict[str, float] = {}
        for f in self._select(year, measure, rank_of):
            if f.value is not None and f.province not in out:
                out[f.province] = f.value
        return out

    def ranks(self, year: int, measure: str = "dti", rank_of: int | None = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self._select(year, measure, rank_of):
            if f.rank is not None and f.province not in out:
                out[f.province] = f.rank
        return out

    def sources(self, year: int, province: str, measure: str = "dti") -> list[str]:
        return sorted({f.source_url for f in self.facts
                       if f.year == year and f.province == province and f.measure == measure and f.source_url})

    def national_average(self, year: int, measure: str = "dti") -> float | None:
        """The published national average, when the table has it (the shipped table does not)."""
        for f in self.facts:
            if f.year == year and f.measure == measure and _is_national(f.province) and f.value is not None:
                return f.value
        return None

    def best(self, year: int, measure: str, rank_of: int | None = None) -> tuple[str, float | None] | None:
        """The best province of a measure: rank 1 when published, else the highest published value."""
        ranks = self.ranks(year, measure, rank_of)
        values = self.values(year, measure, rank_of)
        firsts = [p for p, r in ranks.items() if r == 1]
        if firsts:
            return firsts[0], values.get(firsts[0])
        if values:
            top = max(values, key=values.get)
            return top, values[top]
        return None

    def estimate_rank(self, value: float, year: int, measure: str = "dti",
                      rank_of: int | None = None) -> RankEstimate | None:
        """Rank of ``value`` among the published values of one ranking; None when no value is published."""
        if rank_of is None:
            rank_of = self.default_ranking(year, measure)
        values = self.values(year, measure, rank_of)
        if not values:
            return None
        ordered = sorted(values.items(), key=lambda kv: -kv[1])
        higher = [p for p, v in ordered if v > value + 1e-12]
        lower = [p for p, v in ordered if v < value - 1e-12]
        ranks = self.ranks(year, measure, rank_of)
        best = 1 + max((ranks[p] for p in higher if p in ranks), default=0)
        worst = min((ranks[p] for p in lower if p in ranks), default=rank_of)
        return RankEstimate(value, 1 + len(higher), len(values) + 1, year, rank_of,
                            higher[-1] if higher else None, lower[0] if lower else None,
                            best if rank_of else None, worst if (rank_of and worst) else None)

    def value_for_rank(self, rank: int, year: int, measure: str = "dti", rank_of: int | None = None) -> float | None:
        """The smallest value that reaches ``rank`` among the published values (ties share a rank)."""
        if rank_of is None:
            rank_of = self.default_ranking(year, measure)
        ordered = sorted(self.values(year, measure, rank_of).values(), reverse=True)
        if rank < 1 or not ordered:
            return None
        if rank > len(ordered):
            return 0.0  # below every published value: any value reaches it
        return ordered[rank - 1]


def _parse(rows: Iterable[dict[str, str]], name: str) -> PublishedTable:
    problems: list[str] = []
    facts: list[Fact] = []
    for i, row in enumerate(rows, start=2):  # row 1 is the header
        where = f"{name}: row {i}"
        try:
            year = int(str(row.get("year", "")).strip())
        except ValueError:
            problems.append(f"{where}: year {row.get('year')!r} is not a year; write e.g. 2022")
            continue
        province = str(row.get("province") or "").strip()
        measure = str(row.get("measure") or "").strip().lower()
        if not province:
            problems.append(f"{where}: province is empty; write the province name")
        if measure not in MEASURES:
            problems.append(f"{where}: measure {measure!r} is unknown; use one of {', '.join(MEASURES)}")
        value = _number(row.get("value"), where, "value", problems, high=1.0)
        if value is not None and not 0 <= value <= 1:
            problems.append(f"{where}: value {value:g} is out of range; write a value from 0 to 1 (e.g. 0,7163)")
        rank = _number(row.get("rank"), where, "rank", problems)
        rank_of = _number(row.get("rank_of"), where, "rank_of", problems)
        for label, x in (("rank", rank), ("rank_of", rank_of)):
            if x is not None and (x < 1 or x != int(x)):
                problems.append(f"{where}: {label} {x:g} must be a whole number ≥ 1")
        if rank is not None and rank_of is not None and rank > rank_of:
            problems.append(f"{where}: rank {rank:g} is beyond rank_of {rank_of:g}; check both")
        facts.append(Fact(year, province, measure, value, None if rank is None else int(rank),
                          None if rank_of is None else int(rank_of), str(row.get("source_url") or "").strip()))
    if problems:
        raise PublishedTableError(problems)
    return PublishedTable(facts, name)


def _number(text, where: str, label: str, problems: list[str], high: float | None = None) -> float | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        number = parse_number(str(text), high=high)  # the one parser: 0,7163 and 0.7163 alike
    except NumberError as exc:
        problems.append(f"{where}: {label} {exc.message('en')}; or leave it empty")
        return None
    if not math.isfinite(number):
        problems.append(f"{where}: {label} {text!r} is not a finite number")
        return None
    return number


def read_published_bytes(data: bytes, name: str) -> PublishedTable:
    """An uploaded published table (CSV, the columns of the shipped one). Raises PublishedTableError."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise PublishedTableError([f"{name}: the file is over {MAX_UPLOAD_BYTES // 10**6} MB; "
                                   "keep only the rows needed"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PublishedTableError([f"{name}: is not UTF-8 text; save the CSV as UTF-8"]) from None
    try:
        header, rows = limits.csv_dicts(text, name)  # field sizes, numbers, rows: dti/limits.py
    except limits.FileRefused as exc:
        raise PublishedTableError([str(p) for p in exc.problems]) from None
    missing = [c for c in ("year", "province", "measure", "value", "rank", "rank_of") if c not in header]
    if missing:
        raise PublishedTableError([f"{name}: columns {', '.join(missing)} are missing; the header must be "
                                   f"{','.join(COLUMNS)}"])
    if not rows:
        raise PublishedTableError([f"{name}: has no rows under the header; add one row per published fact"])
    return _parse(rows, name)


@lru_cache(maxsize=1)
def load_published() -> PublishedTable:
    """The shipped table of published results (package data)."""
    return read_published_bytes(PUBLISHED_FILE.read_bytes(), PUBLISHED_FILE.name)


def merge_values(parts: Sequence[Mapping[str, float | None]]) -> dict[str, float]:
    """A merged province (2025): each measure is the plain mean of its former provinces' values.

    Only measures known for every former province are merged; a missing one would bias the mean.
    """
    if len(parts) < 2:
        raise ValueError("a merged province needs at least two former provinces")
    keys = set.intersection(*({k for k, v in p.items() if v is not None} for p in parts))
    return {k: sum(float(p[k]) for p in parts) / len(parts) for k in sorted(keys)}


def published_profile(table: PublishedTable, year: int, province: str, rank_of: int | None = None) -> dict[str, float]:
    """Measure → published value of one province and year (one ranking)."""
    out: dict[str, float] = {}
    for measure in MEASURES:
        v = table.values(year, measure, rank_of).get(province)
        if v is not None:
            out[measure] = v
    return out


def result_profile(fw, result) -> dict[str, float]:
    """Measure → value of a scored result, named like the published table (dti, pillar_cq, the_che_so, …)."""
    out = {"dti": result.dti}
    for p in fw.pillars:
        if p.published_measure:
            out[p.published_measure] = result.pillars[p.code].value
    for m in fw.scored_main_indices:
        if m.published_measure:
            out[m.published_measure] = result.main_indices[m.code].value
    return out


def peer_figure(table: PublishedTable, year: int, rank_of: int | None, value: float | None, label: str,
                lang: str = "vi", measure: str = "dti", height: int | None = None):
    """Published values of one ranking as horizontal bars, best on top, with the estimate highlighted."""
    import plotly.graph_objects as go

    from dti.decide import charts
    from dti.i18n import fmt_number

    items = sorted(table.values(year, measure, rank_of).items(), key=lambda kv: kv[1])
    ranks = table.ranks(year, measure, rank_of)
    names = [f"{p} (#{ranks[p]})" if p in ranks else p for p, _ in items]
    values = [v for _, v in items]
    colours = ["#9aa5b1"] * len(items)
    if value is not None:
        at = sum(v < value for v in values)
        names.insert(at, label)
        values.insert(at, value)
        colours.insert(at, "#d62728")
    fig = go.Figure(go.Bar(x=values, y=names, orientation="h", marker_color=colours,
                           text=[fmt_number(v, lang) for v in values], textposition="outside", hoverinfo="skip"))
    fig.update_layout(height=height or max(260, 34 * len(values) + 80), xaxis={"range": [0, 1.05]},
                      margin={"t": 10, "b": 10, "l": 10, "r": 10})
    return charts.localize(fig, lang)
