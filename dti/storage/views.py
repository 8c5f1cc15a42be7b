"""Tables and charts of the coordinator and agency pages, built from the repository (no Streamlit here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import plotly.graph_objects as go

from dti.framework.model import Framework
from dti.i18n import fmt_number, fmt_points, t
from dti.io.export import fmt_time, value_label
from dti.storage.models import STATUSES
from dti.storage.repo import Actor, PeriodComparison, Store


def assignment_rows(fw: Framework, store: Store, assessment_id: int, lang: str) -> list[dict[str, Any]]:
    """One row per component: code, name (with the provisional mark), lead agency, supporting agencies."""
    names = {a.id: a.name for a in store.agencies()}
    assigned = store.assignments(assessment_id)
    rows = []
    for comp in fw.components:
        lead, support = assigned.get(comp.code, (None, []))
        mark = "" if comp.provenance.is_official else f" ⚠ {t('common.provisional', lang)}"
        rows.append({"code": comp.code, "name": comp.name(lang) + mark, "lead": names.get(lead, ""),
                     "supporting": sorted(names[i] for i in support)})
    return rows


def save_assignment_rows(actor: Actor, store: Store, assessment_id: int, before: list[dict[str, Any]],
                         after: list[dict[str, Any]]) -> int:
    """Write the rows whose lead or supporting agencies changed; returns how many changed."""
    ids = {a.name: a.id for a in store.agencies()}
    changed = 0
    for old, new in zip(before, after):
        if (old["lead"] or "", list(old["supporting"] or [])) == (new["lead"] or "", list(new["supporting"] or [])):
            continue
        lead = ids.get(new["lead"]) if new["lead"] else None
        store.assign(actor, assessment_id, new["code"], lead, [ids[n] for n in (new["supporting"] or []) if n in ids])
        changed += 1
    return changed


def progress_rows(store: Store, assessment_id: int, lang: str) -> list[dict[str, Any]]:
    return [{t("coordinator.agency", lang): p.name, t("coordinator.assigned", lang): p.assigned,
             t("coordinator.answered", lang): p.answered, t("coordinator.with_evidence", lang): p.with_evidence,
             t("evidence.col_files", lang): p.with_files, t("evidence.col_missing", lang): p.missing_evidence,
             t("coordinator.finished", lang): p.finished,
             t("coordinator.late", lang): "⏰ " + t("coordinator.late_yes", lang) if p.late else ""}
            for p in store.progress(assessment_id) if p.assigned]


def appraisal_rows(fw: Framework, store: Store, assessment_id: int, lang: str) -> list[dict[str, Any]]:
    stored = store.stored(assessment_id)
    rows = []
    for comp in fw.components:
        if comp.rule.type == "not_scored":
            continue
        r = stored.get(comp.code)
        rows.append({"code": comp.code, "name": comp.name(lang), "max_points": comp.max_points,
                     "points": r.points if r else None, "appraisal": r.appraisal_points if r else None,
                     "difference": r.appraisal_difference if r else None,
                     "appraisal_note": r.appraisal_note if r else ""})
    return rows


def comparison_figure(fw: Framework, cmp: PeriodComparison, lang: str) -> go.Figure:
    """Bars of the change of every main index and pillar value between two periods."""
    labels = [f"{d.code}. {fw.main_index_by_code[d.code].name(lang)}" for d in cmp.main_indices]
    labels += [fw.pillar_by_code[d.code].name(lang) for d in cmp.pillars]
    deltas = [d.delta or 0.0 for d in [*cmp.main_indices, *cmp.pillars]]
    fig = go.Figure(go.Bar(x=deltas, y=labels, orientation="h",
                           marker_color=["#2e7d32" if x >= 0 else "#c62828" for x in deltas],
                           text=[("+" if x >= 0 else "") + fmt_number(x, lang) for x in deltas],
                           textposition="outside"))
    before, after = (t("storage.period_label", lang, year=a.year, quarter=a.quarter) for a in (cmp.before, cmp.after))
    fig.update_layout(title=t("coordinator.compare_title", lang, before=before, after=after),
                      yaxis={"autorange": "reversed"}, height=60 + 32 * len(labels), margin={"l": 10, "r": 10})
    return fig


def history_rows(store: Store, assessment_id: int, lang: str, limit: int = 300) -> list[dict[str, Any]]:
    """The latest changes first: when (local time), who, component, what (field: before → after), with labels
    (``Một nửa``, ``Hoàn thành``), not the keys stored."""
    fw = store.framework_of(assessment_id)
    rows = []
    for h in reversed(store.history(assessment_id)[-limit:]):
        comp = fw.component_by_code.get(h.component_code)
        what = "; ".join(f"{_field_label(field, lang)}: {_brief(_shown(comp, field, change[0], lang))} → "
                         f"{_brief(_shown(comp, field, change[1], lang))}" for field, change in h.changes.items())
        action = f"evidence.action_{h.action}" if h.action.startswith("evidence_") else f"files.action_{h.action}"
        rows.append({t("coordinator.when", lang): fmt_time(h.at, lang), t("coordinator.who", lang): h.actor,
                     t("excel.col_code", lang): h.component_code,
                     t("coordinator.action", lang): t(action, lang) if action in _ACTIONS else h.action,
                     t("coordinator.what", lang): what})
    return rows


_ACTIONS = {f"files.action_{a}" for a in ("save", "import", "appraisal", "copy")} | {
    f"evidence.action_evidence_{a}" for a in ("add", "delete")}
_FIELDS = {"value", "points", "evidence", "links", "note", "status", "appraisal_points"}


def _field_label(field: str, lang: str) -> str:
    if field in _FIELDS:
        return t(f"excel.col_{field}", lang)
    if field == "file":
        return t("evidence.field_file", lang)
    return t(f"files.field_{field}", lang) if field in ("appraisal_note", "source", "from") else field


def _shown(comp, field: str, value: Any, lang: str) -> Any:
    if value is None or value == "":
        return value
    if field == "value" and comp is not None:
        return value_label(comp, value, lang)
    if field == "status" and value in STATUSES:
        return t(f"storage.status_{value}", lang)
    if field in ("points", "appraisal_points") and isinstance(value, int | float):
        return fmt_points(value, lang)
    return value


def _brief(value: Any) -> str:
    text = "—" if value is None or value == "" else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass(frozen=True)
class DrillRow:
    code: str
    name: str
    lead: bool  # lead agency (else supporting)
    answered: bool
    has_evidence: bool
    status: str
    points: float | None
    max_points: float
    at_stake: float
    overdue: bool


@dataclass(frozen=True)
class AgencyDrillDown:
    agency_id: int
    rows: list[DrillRow]
    due_date: date | None

    @property
    def answered(self) -> int:
        return sum(r.answered for r in self.rows)

    @property
    def with_evidence(self) -> int:
        return sum(r.has_evidence for r in self.rows)

    @property
    def overdue(self) -> int:
        return sum(r.overdue for r in self.rows)

    @property
    def at_stake(self) -> float:
        return sum(r.at_stake for r in self.rows)


def agency_drilldown(fw: Framework, store: Store, assessment_id: int, agency_id: int, lang: str,
                     today: date | None = None) -> AgencyDrillDown:
    """One agency's components: answered, evidence, status, points at stake; overdue after the period's due date.

    A component is overdue when the due date has passed and it is not marked done (the same rule as the
    progress table's "late").
    """
    today = today or date.today()
    due = store.assessment_by_id(assessment_id).due_date
    stored = store.stored(assessment_id)
    result = store.result(assessment_id)
    assigned = store.assignments(assessment_id)
    rows = []
    for comp in fw.components:
        lead, support = assigned.get(comp.code, (None, []))
        if agency_id != lead and agency_id not in support:
            continue
        r = stored.get(comp.code)
        cs = result.components[comp.code]
        status = r.status if r else "not_started"
        scored = comp.rule.type != "not_scored"
        rows.append(DrillRow(comp.code, comp.name(lang), agency_id == lead, bool(r and r.is_answered),
                             bool(r and r.has_evidence), status, cs.points if scored else None, comp.max_points,
                             cs.at_stake if scored else 0.0,
                             due is not None and today > due and status != "done"))
    return AgencyDrillDown(agency_id, rows, due)


def drilldown_rows(drill: AgencyDrillDown, lang: str) -> list[dict[str, Any]]:
    """The drill-down as a table in the UI's language; an overdue row starts with ⏰."""
    yes, no = t("appraisal.yes", lang), t("appraisal.no", lang)
    return [{t("appraisal.col_overdue", lang): "⏰ " + t("coordinator.late_yes", lang) if r.overdue else "",
             t("excel.col_code", lang): r.code, t("excel.col_name", lang): r.name,
             t("appraisal.col_role", lang): t("coordinator.lead" if r.lead else "coordinator.supporting", lang),
             t("appraisal.col_answered", lang): yes if r.answered else no,
             t("appraisal.col_evidence", lang): yes if r.has_evidence else no,
             t("excel.col_status", lang): t(f"storage.status_{r.status}", lang),
             t("excel.col_points", lang): "" if r.points is None else fmt_points(r.points, lang),
             t("excel.col_max_points", lang): fmt_points(r.max_points, lang),
             t("appraisal.col_at_stake", lang): fmt_points(r.at_stake, lang)}
            for r in drill.rows]
