"""Reports for the agency head: a one-page HTML report (printable to PDF) and a full Excel workbook.

The HTML draws its chart as an inline SVG (no script) so it opens offline, escapes every text that came from a
user, and marks every provisional title or point value. The workbook lists every component; any text cell that a
spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) is neutralised with a leading '.
"""

from __future__ import annotations

import html
import io
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from dti.decide import charts
from dti.decide.goalseek import GoalPlan
from dti.decide.peers import RankEstimate
from dti.decide.scenarios import ScenarioResult
from dti.decide.uncertainty import Uncertainty
from dti.framework.model import Component, Framework
from dti.i18n import fmt_number, fmt_points, t
from dti.io.export import safe_text, value_label
from dti.scoring.appraised import AppraisedResult, score_appraised
from dti.scoring.engine import Response, Result

MAX_PLAN_ROWS = 10  # keeps the report on one page; the workbook lists every step


@dataclass(frozen=True)
class ReportData:
    fw: Framework
    responses: Mapping[str, Response]
    result: Result
    province: str = ""
    lang: str = "vi"
    band: Uncertainty | None = None
    rank: RankEstimate | None = None
    scenario: ScenarioResult | None = None
    plan: GoalPlan | None = None
    on: date | None = None
    period: str = ""  # e.g. "Quý 4/2026": every report names its period
    appraisal: Mapping[str, float | None] | None = None  # code → appraised points, where appraised
    evidence_files: Mapping[str, int] | None = None  # code → number of evidence files (None: not counted)


def evidence_counts(data: ReportData) -> tuple[int, int]:
    """(present, missing): answered components with evidence (a text, a link or a file) and without."""
    files = data.evidence_files or {}
    answered = [code for code, r in data.responses.items() if r.is_answered]
    present = sum(1 for code in answered if data.responses[code].evidence.strip() or files.get(code))
    return present, len(answered) - present


safe_cell = safe_text  # the one rule for every exported cell (formula-like text kept as text, control characters out)


def appraised_of(data: ReportData) -> AppraisedResult:
    """The appraised DTI of the report's answers (``dti.scoring.appraised``, the one computation)."""
    return score_appraised(data.fw, data.responses, data.appraisal or {})


def _lowered_text(data: ReportData, found: AppraisedResult) -> str:
    lowered = found.lowered_most(3)
    if not lowered:
        return t("appraisal.none_lowered", data.lang)
    items = "; ".join(f"{c.code}. {data.fw.main_index_by_code[c.code].name(data.lang)} "
                      f"{fmt_number(c.self_value, data.lang)} → {fmt_number(c.appraised_value, data.lang)}"
                      for c in lowered)
    return t("appraisal.lowered_most", data.lang, items=items)


def _provisional(comp: Component, lang: str) -> str:
    return "" if comp.provenance.is_official else f" ⚠ {t('common.provisional', lang)}"


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


CHART_SIZE_IN = (7.4, 2.35)  # 188 × 60 mm: the printable width of A4 with the page margins, drawn at 1:1
CHART_FONT_PT = 7.5
NOW_COLOUR, SCENARIO_COLOUR = "#1f77b4", "#2ca02c"


def main_index_svg(data: ReportData) -> str:
    """The main indices (and the scenario's) as bars in a static SVG whose labels stay text.

    A static figure serves the report's purpose (read on screen, printed, opened offline) without a script: the
    earlier Plotly chart inlined 4.8 MB of plotly.js. Drawn through the app's one SVG path (``charts.svg_figure``:
    text stays SVG text, escaped). Names wrap onto short lines under their bars.
    """
    from matplotlib.ticker import FuncFormatter

    fw, lang, r = data.fw, data.lang, data.result
    mains = fw.scored_main_indices
    series = [("now", t("report.now", lang), NOW_COLOUR, r)]
    if data.scenario is not None:
        series.append(("scenario", data.scenario.name, SCENARIO_COLOUR, data.scenario.result))
    width = 0.8 / len(series)
    with charts.svg_figure(CHART_SIZE_IN, CHART_FONT_PT) as fig:
        ax = fig.add_subplot()
        for i, (kind, label, colour, result) in enumerate(series):
            values = [result.main_indices[m.code].value for m in mains]
            xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(mains))]
            bars = ax.bar(xs, [v or 0.0 for v in values], width=width * 0.95, color=colour, label=label)
            for bar, m in zip(bars, mains):
                bar.set_gid(f"bar-{kind}-{m.code}")
            ax.bar_label(bars, labels=[fmt_number(v, lang, 2) for v in values], padding=1.5,
                         fontsize=CHART_FONT_PT - 0.5)
        # About 13 characters a line fit under a pair of bars on A4; a longer word is kept whole.
        ax.set_xticks(range(len(mains)), ["\n".join(textwrap.wrap(f"{m.code}. {m.name(lang)}", 13,
                                                                  break_long_words=False)) for m in mains])
        ax.tick_params(axis="x", length=0)
        ax.set_ylim(0, 1.12)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_number(v, lang, 1)))
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#e3e3e3", linewidth=0.5)
        ax.set_axisbelow(True)
        if len(series) > 1:
            ax.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=len(series), frameon=False,
                      borderaxespad=0.2)
        fig.tight_layout(pad=0.3)
        # Scales with the page (same proportions), so the 1:1 size above is what prints on A4.
        return charts.figure_svg(fig)


def html_report(data: ReportData) -> str:
    """The one-page report as a complete HTML document."""
    fw, lang, r = data.fw, data.lang, data.result
    on = data.on or date.today()
    rows_pillars = "".join(
        f"<tr><td>{_esc(p.name(lang))}</td><td class=n>{fmt_number(r.pillars[p.code].value, lang)}</td>"
        f"<td class=n>{_band_text(data.band.pillars[p.code], lang) if data.band else '—'}</td></tr>"
        for p in fw.pillars)
    weakest = "".join(
        f"<tr><td>{_esc(m)}. {_esc(fw.main_index_by_code[m].name(lang))}</td>"
        f"<td class=n>{fmt_number(r.main_indices[m].value, lang)}</td></tr>"
        for m in r.lowest_main_indices[:5]) or f"<tr><td>{_esc(t('context.nothing_answered', lang))}</td></tr>"
    stakes = "".join(
        f"<tr><td>{c.code}</td><td>{_esc(fw.component_by_code[c.code].name(lang))}"
        f"<span class=prov>{_esc(_provisional(fw.component_by_code[c.code], lang))}</span></td>"
        f"<td class=n>{fmt_points(c.points, lang)}</td><td class=n>{fmt_points(c.max_points, lang)}</td>"
        f"<td class=n><b>{fmt_points(c.at_stake, lang)}</b></td></tr>"
        for c in r.points_at_stake()[:10])
    provisional_note = (f"<p class=prov>⚠ {_esc(t('report.provisional_note', lang, n=len(fw.provisional_components)))}"
                        "</p>" if fw.provisional_components else "")
    basis = t("common.complete", lang) if r.is_complete else t("common.conservative", lang)
    head = _esc(t("report.title", lang))
    period_part = _esc(data.period) + " · " if data.period else ""
    date_part = f"{_esc(t('report.date', lang))}: {on:%d/%m/%Y}"
    band_line = rank_line = ""
    if data.band:
        b = data.band
        band_line = f"<div class=kpi><span>{_esc(t('report.band', lang))}</span><b>{_band_text(b.dti, lang)}</b>"
        if b.rank_low is not None and not r.is_empty:
            rank_band = t("report.rank_band", lang, low=b.rank_low, high=b.rank_high, among=b.rank_among)
            band_line += f"<small>{_esc(rank_band)}</small>"
        band_line += "</div>"
    if data.rank and not r.is_empty:  # nothing answered ranks nowhere
        rank_help = t("report.rank_help", lang, year=data.rank.year, among=data.rank.among - 1)
        rank_line = (f"<div class=kpi><span>{_esc(t('report.rank', lang))}</span>"
                     f"<b>{data.rank.rank}/{data.rank.among}</b><small>{_esc(rank_help)}</small></div>")
    appraised_line = appraised_note = ""
    found = appraised_of(data)
    if found.has_appraisal:
        marked = t("appraisal.marked", lang, n=len(found.appraised_codes), total=found.appraised.total)
        appraised_line = (f"<div class=kpi id=appraised><span>{_esc(t('appraisal.appraised_dti', lang))}</span>"
                          f"<b>{fmt_number(found.appraised.dti, lang)}</b><small>{_esc(marked)}</small></div>")
        appraised_note = f"<p class=note id=appraised-lowered>{_esc(_lowered_text(data, found))}</p>"
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{head}</title>
<style>
@page {{ size: A4; margin: 8mm 10mm; }}
body {{ font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; color: #222; margin: 0 auto;
       max-width: 190mm; }}
h1 {{ font-size: 14pt; margin: 0 0 1mm; }} h2 {{ font-size: 10.5pt; margin: 3mm 0 1mm; border-bottom: 1px solid #ccc; }}
.meta {{ color: #555; font-size: 9pt; }}
.kpis {{ display: flex; gap: 4mm; margin: 2mm 0; }}
.kpi {{ border: 1px solid #ccc; border-radius: 2mm; padding: 1mm 3mm; flex: 1; }}
.kpi span {{ display: block; font-size: 9pt; color: #555; }} .kpi b {{ font-size: 14pt; }}
.kpi small {{ display: block; font-size: 8pt; color: #555; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; }}
td, th {{ border-bottom: 1px solid #e3e3e3; padding: 0.5mm 1.5mm; text-align: left; }}
td.n, th.n {{ text-align: right; }}
.cols {{ display: flex; gap: 6mm; }} .cols > div {{ flex: 1; }}
.prov {{ color: #b35900; font-size: 7.5pt; }}
.note {{ font-size: 8.5pt; color: #555; }}
svg.chart {{ width: 100%; height: auto; display: block; }}
</style></head><body>
<h1>{head}{' — ' + _esc(data.province) if data.province else ''}</h1>
<p class=meta>{period_part}{_esc(fw.title(lang))} · {_esc(fw.legal_basis)} · {date_part}</p>
<div class=kpis>
<div class=kpi><span>{_esc(t('common.dti', lang))}</span><b>{fmt_number(r.dti, lang)}</b>
<small>{_esc(basis)} · {_esc(t('common.answered', lang, answered=r.answered, total=r.total))}</small></div>
{appraised_line}{band_line}{rank_line}
</div>
{appraised_note}{_evidence_html(data)}{provisional_note}
<div class=cols>
<div><h2>{_esc(t('report.pillars', lang))}</h2><table><tr><th></th><th class=n>{_esc(t('report.value', lang))}</th>
<th class=n>{_esc(t('report.band', lang))}</th></tr>{rows_pillars}</table></div>
<div><h2>{_esc(t('report.weakest', lang))}</h2><table>{weakest}</table></div>
</div>
<h2>{_esc(t('report.main_indices', lang))}</h2>
{main_index_svg(data)}
<h2>{_esc(t('report.at_stake', lang))}</h2>
<table><tr><th>{_esc(t('report.code', lang))}</th><th>{_esc(t('report.component', lang))}</th>
<th class=n>{_esc(t('report.points', lang))}</th><th class=n>{_esc(t('report.max', lang))}</th>
<th class=n>{_esc(t('report.lost', lang))}</th></tr>{stakes}</table>
{_plan_html(data)}
<p class=note>{_esc(t('report.band_note', lang)) if data.band else ''}</p>
</body></html>"""


def _evidence_html(data: ReportData) -> str:
    if data.evidence_files is None:
        return ""
    present, missing = evidence_counts(data)
    return f"<p class=meta>{_esc(t('evidence.report_line', data.lang, present=present, missing=missing))}</p>\n"


def _band_text(b, lang: str) -> str:
    return f"{fmt_number(b.low, lang)}–{fmt_number(b.high, lang)}"


def _plan_html(data: ReportData) -> str:
    fw, lang = data.fw, data.lang
    if data.plan is None and data.scenario is None:
        return ""
    parts = [f"<h2>{_esc(t('report.plan', lang))}</h2>"]
    if data.scenario is not None:
        parts.append(f"<p>{_esc(t('report.scenario_line', lang, name=data.scenario.name))}: "
                     f"<b>{fmt_number(data.scenario.result.dti, lang)}</b></p>")
    if data.plan is not None:
        p = data.plan
        target = fmt_number(p.target_dti, lang)
        if not p.reachable:
            text = t("report.unreachable", lang, target=target, best=fmt_number(p.best_possible_dti, lang))
            parts.append(f"<p><b>{_esc(text)}</b></p>")
        else:
            text = t("report.plan_line", lang, target=target, n=len(p.steps), result=fmt_number(p.result_dti, lang))
            parts.append(f"<p>{_esc(text)}</p>")
            rows = "".join(
                f"<tr><td>{s.code}</td><td>{_esc(fw.component_by_code[s.code].name(lang))}"
                f"<span class=prov>{_esc(_provisional(fw.component_by_code[s.code], lang))}</span></td>"
                f"<td class=n>{fmt_points(s.from_points, lang)} → {fmt_points(s.to_points, lang)}</td>"
                f"<td class=n>+{fmt_points(round(s.gain, 2), lang)}</td>"
                f"<td class=n>{fmt_points(s.effort, lang)}</td></tr>"
                for s in p.steps[:MAX_PLAN_ROWS])
            parts.append(f"<table><tr><th>{_esc(t('report.code', lang))}</th><th>{_esc(t('report.component', lang))}"
                         f"</th><th class=n>{_esc(t('report.points', lang))}</th><th class=n>"
                         f"{_esc(t('report.gain', lang))}</th><th class=n>{_esc(t('report.effort', lang))}</th></tr>"
                         f"{rows}</table>")
            if len(p.steps) > MAX_PLAN_ROWS:
                parts.append(f"<p class=note>{_esc(t('report.more_steps', lang, n=len(p.steps) - MAX_PLAN_ROWS))}</p>")
    return "\n".join(parts)


def excel_report(data: ReportData) -> bytes:
    """The full workbook: a summary sheet and one row per component (every component of the edition)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    fw, lang, r = data.fw, data.lang, data.result
    wb = Workbook()
    ws = wb.active
    ws.title = t("report.sheet_summary", lang)[:31]
    ws.append([safe_cell(t("report.title", lang)), safe_cell(data.province), safe_cell(data.period)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([safe_cell(t("common.edition", lang)), safe_cell(fw.title(lang))])
    ws.append([safe_cell(t("common.dti", lang)), round(r.dti, 6)])
    ws.append([safe_cell(t("report.basis", lang)),
               safe_cell(t("common.complete", lang) if r.is_complete else t("common.conservative", lang))])
    found = appraised_of(data)
    if found.has_appraisal:
        ws.append([safe_cell(t("appraisal.appraised_dti", lang)), round(found.appraised.dti, 6),
                   safe_cell(t("appraisal.marked", lang, n=len(found.appraised_codes), total=found.appraised.total))])
        ws.append([safe_cell(_lowered_text(data, found))])
    if r.is_empty:
        ws.append([safe_cell(t("context.nothing_answered", lang))])
    if data.band:
        ws.append([safe_cell(t("report.band", lang)), round(data.band.dti.low, 6), round(data.band.dti.high, 6)])
    if data.rank and not r.is_empty:  # nothing answered ranks nowhere
        ws.append([safe_cell(t("report.rank", lang)), data.rank.rank, data.rank.among])
    if data.evidence_files is not None:
        present, missing = evidence_counts(data)
        ws.append([safe_cell(t("evidence.report_present", lang)), present])
        ws.append([safe_cell(t("evidence.report_missing", lang)), missing])
    ws.append([])
    ws.append([safe_cell(t("report.pillars", lang)), safe_cell(t("report.value", lang))])
    for p in fw.pillars:
        ws.append([safe_cell(p.name(lang)), round(r.pillars[p.code].value, 6)])
    ws.append([])
    ws.append([safe_cell(t("report.main_indices", lang)), safe_cell(t("report.value", lang)),
               safe_cell(t("report.points", lang)), safe_cell(t("report.max", lang)),
               *([safe_cell(t("appraisal.appraised_dti", lang))] if found.has_appraisal else [])])
    for m in fw.main_indices:
        a = r.main_indices[m.code]
        appraised_value = found.appraised.main_indices[m.code].value
        ws.append([safe_cell(f"{m.code}. {m.name(lang)}"), None if a.value is None else round(a.value, 6),
                   round(a.points, 6), a.max_points,
                   *([None if appraised_value is None else round(appraised_value, 6)] if found.has_appraisal
                     else [])])
    ws.column_dimensions["A"].width = 48

    comp_ws = wb.create_sheet(t("report.sheet_components", lang)[:31])
    header = ["code", "main_index", "name", "status", "provenance", "value", "points", "max_points", "at_stake",
              "appraisal_points", "difference", "evidence", "note"]
    if data.evidence_files is not None:
        header.append("evidence_files")
    if data.scenario is not None:
        header.append("scenario_points")
    comp_ws.append([safe_cell(t("evidence.col_evidence_files", lang) if h == "evidence_files" else
                              t(f"excel.col_{h}" if h in ("appraisal_points", "difference") else f"report.col_{h}",
                                lang)) for h in header])
    for cell in comp_ws[1]:
        cell.font = Font(bold=True)
    for comp in fw.components:
        score = r.components[comp.code]
        resp = data.responses.get(comp.code)
        value = value_label(comp, resp.value if resp is not None else None, lang)  # a label, not a key
        appraised = (data.appraisal or {}).get(comp.code)
        row = [comp.code, comp.main_code, safe_cell(comp.name(lang) + _provisional(comp, lang)),
               safe_cell(t(f"report.status_{score.status}", lang)), comp.provenance.status.value,
               safe_cell(value), None if score.points is None else round(score.points, 6), comp.max_points,
               round(score.at_stake, 6) if comp.rule.type != "not_scored" else 0, appraised,
               None if appraised is None or score.points is None else round(appraised - score.points, 6),
               safe_cell(resp.evidence if resp else ""), safe_cell(resp.note if resp else "")]
        if data.evidence_files is not None:
            row.append(data.evidence_files.get(comp.code, 0))
        if data.scenario is not None:
            sp = data.scenario.result.components[comp.code].points
            row.append(None if sp is None else round(sp, 6))
        comp_ws.append(row)
    comp_ws.freeze_panes = "A2"
    if data.plan is not None and data.plan.steps:
        plan_ws = wb.create_sheet(t("report.sheet_plan", lang)[:31])
        plan_ws.append([safe_cell(t(f"report.{k}", lang)) for k in ("code", "component", "points", "max", "gain",
                                                                    "effort")])
        for step in data.plan.steps:
            comp = fw.component_by_code[step.code]
            plan_ws.append([step.code, safe_cell(comp.name(lang) + _provisional(comp, lang)),
                            round(step.from_points, 6), round(step.to_points, 6), round(step.gain, 6), step.effort])
        plan_ws.append([safe_cell(t("common.dti", lang)), round(data.plan.result_dti, 6)])
    comp_ws.column_dimensions["C"].width = 60
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
