"""Named what-if scenarios: the current assessment with some components or main indices changed.

A scenario stores only its overrides (component → points, main index → value 0..1), so it stays small enough
to share as a link (``encode``/``decode``) and is always re-scored by the engine against the baseline it is
applied to. A main-index override replaces the points of all its components (the quick "what if index 5 were
at 0,8?" question); component overrides inside it then have no effect, and ``apply`` says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dti.decide.peers import PublishedTable, RankEstimate
from dti.framework.model import Framework
from dti.scoring.engine import InputProblem, InputProblems, Response, Result, aggregate, score
from dti.scoring.rules import InputError, check_points, points_from_value

MAX_NAME = 60
_NUMBER = r"\d+(?:\.\d+)?"
_ITEM = re.compile(rf"^(m?)(\d+(?:\.\d+)?):({_NUMBER})$")


@dataclass(frozen=True)
class Scenario:
    name: str
    component_points: dict[str, float] = field(default_factory=dict)
    main_values: dict[str, float] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.component_points and not self.main_values

    def with_component(self, code: str, points: float) -> Scenario:
        return Scenario(self.name, {**self.component_points, code: float(points)}, dict(self.main_values))

    def with_main(self, code: str, value: float) -> Scenario:
        return Scenario(self.name, dict(self.component_points), {**self.main_values, code: float(value)})

    def without(self, code: str) -> Scenario:
        """The scenario with the override of a component (``2.4``) or main index (``m2``) removed."""
        if code.startswith("m"):
            return Scenario(self.name, dict(self.component_points),
                            {k: v for k, v in self.main_values.items() if k != code[1:]})
        return Scenario(self.name, {k: v for k, v in self.component_points.items() if k != code},
                        dict(self.main_values))


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    result: Result
    rank: RankEstimate | None = None
    ignored: tuple[str, ...] = ()  # component overrides hidden by a main-index override


def points_for_value(fw: Framework, code: str, value) -> float:
    """Points a value earns for a component (a level key, ``45/60``, a count…), for building overrides."""
    comp = fw.component_by_code.get(code)
    if comp is None:
        raise InputProblems([InputProblem(code, "is not a component of this edition; check the code (e.g. 2.4)")])
    try:
        return points_from_value(comp, value)
    except InputError as exc:
        raise InputProblems([InputProblem(code, exc.en, message_vi=exc.vi)]) from None


def check(fw: Framework, scenario: Scenario) -> None:
    """Every override names a scored component or main index and stays in range; raises InputProblems."""
    problems: list[InputProblem] = []
    for code, pts in scenario.component_points.items():
        comp = fw.component_by_code.get(code)
        if comp is None:
            problems.append(InputProblem(code, "is not a component of this edition; check the code (e.g. 2.4)"))
            continue
        if comp.rule.type == "not_scored":
            problems.append(InputProblem(code, "is not scored; remove it from the scenario"))
            continue
        try:
            check_points(comp, pts)
        except InputError as exc:
            problems.append(InputProblem(code, exc.en, message_vi=exc.vi))
    for code, value in scenario.main_values.items():
        main = fw.main_index_by_code.get(code)
        if main is None or not main.scored:
            problems.append(InputProblem(code, "is not a scored main index of this edition; use codes "
                                         f"{', '.join(m.code for m in fw.scored_main_indices)}"))
        elif not 0 <= value <= 1:
            problems.append(InputProblem(code, f"value {value:g} is out of range; write a value from 0 to 1"))
    if problems:
        raise InputProblems(problems)


def apply(fw: Framework, responses: Mapping[str, Response], scenario: Scenario) -> ScenarioResult:
    """Score the baseline with the scenario's overrides (the engine does the arithmetic)."""
    check(fw, scenario)
    changed = dict(responses)
    for code, pts in scenario.component_points.items():
        old = responses.get(code)
        changed[code] = Response(code, points=pts, evidence=old.evidence if old else "",
                                 note=old.note if old else "")
    result = score(fw, changed)
    ignored = tuple(sorted(c for c in scenario.component_points if c.split(".", 1)[0] in scenario.main_values))
    if scenario.main_values:
        index_points = {code: a.points for code, a in result.main_indices.items()}
        answered = {code: (a.answered, a.total) for code, a in result.main_indices.items()}
        for code, value in scenario.main_values.items():
            main = fw.main_index_by_code[code]
            index_points[code] = value * main.max_points
            total = answered[code][1]
            answered[code] = (total, total)  # a main-index value stands for all its components
        result = aggregate(fw, index_points, answered, result.components)
    return ScenarioResult(scenario.name, result, ignored=ignored)


def compare(fw: Framework, responses: Mapping[str, Response], scenarios: Sequence[Scenario],
            table: PublishedTable | None = None, year: int | None = None, rank_of: int | None = None,
            baseline_name: str = "baseline") -> list[ScenarioResult]:
    """The baseline and each scenario, scored, with the estimated rank among a year's published values."""
    rows = [ScenarioResult(baseline_name, score(fw, responses))]
    rows += [apply(fw, responses, sc) for sc in scenarios]
    if table is None or year is None:
        return rows
    return [ScenarioResult(r.name, r.result, table.estimate_rank(r.result.dti, year, "dti", rank_of), r.ignored)
            for r in rows]


def comparison_table(fw: Framework, rows: Sequence[ScenarioResult], lang: str = "vi") -> list[dict]:
    """One record per scenario: DTI, pillars, main indices and rank (plain numbers, for a dataframe)."""
    from dti.i18n import name as label

    records = []
    for r in rows:
        rec: dict[str, object] = {"scenario": r.name, "DTI": r.result.dti}
        for p in fw.pillars:
            rec[label(p, lang)] = r.result.pillars[p.code].value
        for m in fw.scored_main_indices:
            rec[f"{m.code}. {label(m, lang)}"] = r.result.main_indices[m.code].value
        rec["rank"] = r.rank.rank if r.rank else None
        records.append(rec)
    return records


def comparison_figure(fw: Framework, rows: Sequence[ScenarioResult], lang: str = "vi", height: int = 460):
    """One grouped bar chart: DTI, pillars and main indices, one colour per scenario."""
    import plotly.graph_objects as go

    from dti.decide import charts
    from dti.decide.charts import chart_text
    from dti.i18n import fmt_number
    from dti.i18n import name as label

    categories = ["DTI"] + [chart_text(label(p, lang)) for p in fw.pillars] + [m.code for m in fw.scored_main_indices]
    hover = ["DTI"] + [chart_text(label(p, lang)) for p in fw.pillars] + [f"{m.code}. {chart_text(label(m, lang))}"
                                                                       for m in fw.scored_main_indices]
    fig = go.Figure()
    baseline_labels: list[str] = []
    for i, r in enumerate(rows):
        values = ([r.result.dti] + [r.result.pillars[p.code].value for p in fw.pillars]
                  + [r.result.main_indices[m.code].value for m in fw.scored_main_indices])
        labels = [fmt_number(v, lang, 2) for v in values]
        if i == 0:
            baseline_labels = labels
        else:  # a bar equal to the current state is not labelled again: only the changes are read
            labels = ["" if text == base else text for text, base in zip(labels, baseline_labels)]
        rank = f" · #{r.rank.rank}/{r.rank.among}" if r.rank else ""
        # Upright labels overlapped across the narrow bars of a group ('0,850,850,85'); turned, each fits its bar.
        # The name (from a user or a shared link) goes in as data, never into the template itself.
        fig.add_bar(name=chart_text(f"{r.name}{rank}"), x=categories, y=values, customdata=hover,
                    meta=chart_text(r.name), text=labels, textposition="outside", textangle=-90, cliponaxis=False,
                    hovertemplate="%{customdata}: %{y:.4f}<extra>%{meta}</extra>")
    # Category axis: main-index codes "1".."9" would otherwise make a numeric axis and drop DTI and the pillars.
    fig.update_layout(barmode="group", height=height, yaxis={"range": [0, 1.15], "tickformat": ".2f"},
                      xaxis={"type": "category"},
                      legend={"orientation": "h", "y": -0.15}, margin={"t": 30, "b": 10, "l": 10, "r": 10})
    return charts.localize(fig, lang)


# --- Sharing a scenario as a link --------------------------------------------------------------------


def encode(scenario: Scenario) -> str:
    """Compact text of the overrides: ``2.4:10,7.1:5.5,m3:0.8`` (fits in a query parameter)."""
    items = [f"{code}:{_num(pts)}" for code, pts in sorted(scenario.component_points.items(), key=_key)]
    items += [f"m{code}:{_num(v)}" for code, v in sorted(scenario.main_values.items(), key=_key)]
    return ",".join(items)


def decode(fw: Framework, text: str, name: str = "") -> Scenario:
    """The scenario of a shared link; raises InputProblems naming each unreadable item and the fix."""
    components: dict[str, float] = {}
    mains: dict[str, float] = {}
    problems: list[InputProblem] = []
    for item in filter(None, (x.strip() for x in (text or "").split(","))):
        match = _ITEM.match(item)
        if not match:
            problems.append(InputProblem(item, "cannot be read; each item is code:points (2.4:10) or m<main>:value "
                                         "(m3:0.8), separated by commas"))
            continue
        is_main, code, number = match.group(1), match.group(2), float(match.group(3))
        if is_main:
            mains[code] = number
        else:
            components[code] = number
    if problems:
        raise InputProblems(problems)
    scenario = Scenario((name or "").strip()[:MAX_NAME] or "scenario", components, mains)
    check(fw, scenario)
    return scenario


def _num(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _key(item: tuple[str, float]) -> tuple[int, ...]:
    return tuple(int(p) for p in item[0].split("."))
