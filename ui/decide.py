"""Widgets of the "decide what to fix" pages: scenarios, goal seek, uncertainty band, agencies, year picker.

Every function takes a session-state namespace ``ns`` so that the workshop (namespace ``workshop``) never
shares a key with the real assessment's scenarios (namespace ``decide``). The arithmetic lives in ``dti/``;
these functions only lay out widgets and turn their values into calls.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Mapping

import pandas as pd
import streamlit as st

from dti import limits
from dti.decide import goalseek, peers, scenarios, uncertainty
from dti.decide.scenarios import Scenario
from dti.framework.model import Framework
from dti.i18n import fmt_number, fmt_points, t
from dti.scoring.engine import InputProblems, Response, Result
from ui import state, widgets
from ui.widgets import plain

LINK_NAME, LINK_OVERRIDES = "scn", "sc"


# --- Scenario store: {key: {name: {"seed", "current", "saved"}}} in session state --------------------------------
# The real assessment's scenarios (namespace PERSISTED_NS) are saved in the database per period through ui.state:
# "saved" is the version stored there (None: not stored yet), and every checked edit is saved at once, like an
# answer. The workshop's scenarios stay in the session.

PERSISTED_NS = "decide"


def _persisted(ns: str) -> bool:
    return ns == PERSISTED_NS


def _store(ns: str, fw: Framework) -> dict[str, dict]:
    if not _persisted(ns):
        return st.session_state.setdefault(f"{ns}_scenarios", {}).setdefault(fw.id, {})
    # Per edition and period: switching the period shows that period's scenarios.
    local = st.session_state.setdefault(f"{ns}_scenarios", {}).setdefault(
        f"{fw.id}@{state.current_period()}", {})
    saved = {s.name: Scenario(s.name, s.component_points, s.main_values) for s in state.saved_scenarios()}
    for name in [n for n, rec in local.items() if rec["saved"] is not None and n not in saved]:
        del local[name]  # deleted (here or in another session)
    for name, scenario in saved.items():
        if name in local:
            local[name]["saved"] = scenario
        else:
            local[name] = {"seed": scenario, "current": scenario, "saved": scenario}
    return local


def add_scenario(ns: str, fw: Framework, scenario: Scenario) -> None:
    """Add (or replace) a scenario and select it; its editors start from ``scenario``."""
    store = _store(ns, fw)
    before = store.get(scenario.name, {}).get("saved")
    store[scenario.name] = {"seed": scenario, "current": scenario, "saved": before}
    st.session_state[f"{ns}_selected"] = scenario.name
    _restart_editors(ns, fw)
    _save(ns, store[scenario.name])


def _save(ns: str, record: dict) -> None:
    """Save a persisted scenario whose checked overrides differ from the stored ones (an error says why not)."""
    current = record["current"]
    if not _persisted(ns) or current == record["saved"] or not state.may_save_scenarios():
        return
    problem = state.save_scenario(current.name, current.component_points, current.main_values)
    if problem is None:
        record["saved"] = current
    else:
        st.error(problem)


def _restart_editors(ns: str, fw: Framework) -> None:
    """New editor keys, each starting from its scenario's latest state (a widget not shown loses its edits)."""
    for record in _store(ns, fw).values():
        record["seed"] = record["current"]
    st.session_state[f"{ns}_generation"] = st.session_state.get(f"{ns}_generation", 0) + 1


def saved_scenarios(ns: str, fw: Framework) -> list[Scenario]:
    return [rec["current"] for rec in _store(ns, fw).values()]


def open_shared_link(ns: str, fw: Framework, lang: str) -> None:
    """A link ``?scn=name&sc=2.4:10,m3:0.8`` opens its scenario (once per link)."""
    text = st.query_params.get(LINK_OVERRIDES)
    if not text:
        return
    name = st.query_params.get(LINK_NAME, "") or t("scenarios.default_name", lang, n=1)
    if st.session_state.get(f"{ns}_link_done") == (name, text):
        return
    st.session_state[f"{ns}_link_done"] = (name, text)
    try:
        scenario = scenarios.decode(fw, text, name)
    except InputProblems as exc:
        st.error(t("scenarios.bad_link", lang, problems=plain("; ".join(str(p) for p in exc.problems))))
        return
    store = _store(ns, fw)
    if scenario.name in store and store[scenario.name]["current"] != scenario:
        # A different scenario of that name is saved already: the link opens beside it, never over it.
        n = 2
        while f"{scenario.name} ({n})" in store:
            n += 1
        scenario = Scenario(f"{scenario.name} ({n})"[:scenarios.MAX_NAME], scenario.component_points,
                            scenario.main_values)
    add_scenario(ns, fw, scenario)
    st.success(t("scenarios.opened_link", lang, name=plain(scenario.name)))


def _share(ns: str, scenario: Scenario, lang: str) -> None:
    text = scenarios.encode(scenario)
    st.session_state[f"{ns}_link_done"] = (scenario.name, text)  # our own link must not re-open itself
    if st.query_params.get(LINK_OVERRIDES) != text or st.query_params.get(LINK_NAME) != scenario.name:
        st.query_params[LINK_NAME] = scenario.name
        st.query_params[LINK_OVERRIDES] = text
    st.caption(t("scenarios.share_help", lang, name=plain(scenario.name)))
    st.code(f"?{LINK_NAME}={scenario.name}&{LINK_OVERRIDES}={text}", language=None)


def scenario_editor(ns: str, fw: Framework, baseline: Result, lang: str, share: bool = True) -> None:
    """Create, pick, edit, rename and delete scenarios; each edit is checked before it is kept (and saved)."""
    store = _store(ns, fw)
    if _persisted(ns):
        period = state.export_context(lang).period()
        st.caption(t("evidence.scenario_saved_note", lang, period=period) if state.may_save_scenarios()
                   else t("evidence.scenario_read_only", lang))
    new, button = st.columns([3, 1], vertical_alignment="bottom")
    name = new.text_input(t("scenarios.new_name", lang), key=f"{ns}_new_name",
                          placeholder=t("scenarios.default_name", lang, n=len(store) + 1), max_chars=60)
    if button.button(t("scenarios.create", lang), key=f"{ns}_create", icon=":material/add:"):
        name = (name or "").strip() or t("scenarios.default_name", lang, n=len(store) + 1)
        if name in store:
            st.warning(t("scenarios.duplicate_name", lang, name=plain(name)))
        else:
            add_scenario(ns, fw, Scenario(name))
            store = _store(ns, fw)
    if not store:
        st.info(t("scenarios.none_yet", lang))
        return
    names = list(store)
    if f"{ns}_selected_next" in st.session_state:  # renamed in the previous run
        st.session_state[f"{ns}_selected"] = st.session_state.pop(f"{ns}_selected_next")
    if st.session_state.get(f"{ns}_selected") not in names:
        st.session_state[f"{ns}_selected"] = names[-1]
    if _persisted(ns):  # rename beside delete: one row
        pick, delete, rename = st.columns([5, 2, 1.3], vertical_alignment="bottom")
    else:
        pick, delete = st.columns([3, 1], vertical_alignment="bottom")
    selected = pick.selectbox(t("scenarios.pick", lang), names, key=f"{ns}_selected")
    if delete.button(t("scenarios.delete", lang), key=f"{ns}_delete", icon=":material/delete:"):
        problem = state.delete_scenario(selected) if _persisted(ns) and store[selected]["saved"] is not None \
            else None
        if problem is None:
            store.pop(selected, None)
            st.session_state.pop(f"{ns}_selected", None)
            st.rerun()
        st.error(problem)
    if _persisted(ns):
        with rename:
            _rename(ns, fw, store, selected, lang)
    if st.session_state.get(f"{ns}_shown") != selected:  # switching scenarios: editors restart from the latest
        st.session_state[f"{ns}_shown"] = selected
        _restart_editors(ns, fw)
    record = store[selected]
    gen = st.session_state.get(f"{ns}_generation", 0)
    edited = _edit_overrides(fw, baseline, record["seed"], lang, key=f"{ns}_ed_{gen}_{selected}")
    try:
        scenarios.check(fw, edited)
    except InputProblems as exc:
        st.error(t("scenarios.invalid", lang) + "\n\n" + "\n".join(f"- {plain(p)}" for p in exc.problems))
        return
    record["current"] = edited
    _save(ns, record)
    if share:
        with st.expander(t("scenarios.share", lang), icon=":material/link:"):
            _share(ns, edited, lang)


def _rename(ns: str, fw: Framework, store: dict[str, dict], selected: str, lang: str) -> None:
    """Rename the selected saved scenario (a popover: the row stays compact)."""
    if store[selected]["saved"] is None or not state.may_save_scenarios():
        return
    with st.popover(t("evidence.rename", lang), icon=":material/edit:"):
        new_name = st.text_input(t("evidence.new_scenario_name", lang), value=selected, max_chars=scenarios.MAX_NAME,
                                 key=f"{ns}_rename_{selected}")
        if st.button(t("evidence.rename", lang), key=f"{ns}_rename_go_{selected}"):
            new_name = (new_name or "").strip()
            if new_name == selected:
                return
            problem = state.rename_scenario(selected, new_name)
            if problem is not None:
                st.error(problem)
                return
            record = store.pop(selected)
            renamed = Scenario(new_name, record["current"].component_points, record["current"].main_values)
            store[new_name] = {"seed": renamed, "current": renamed,
                               "saved": Scenario(new_name, record["saved"].component_points,
                                                 record["saved"].main_values)}
            st.session_state[f"{ns}_selected_next"] = new_name
            st.rerun()


def _edit_overrides(fw: Framework, baseline: Result, seed: Scenario, lang: str, key: str) -> Scenario:
    """The scenario in the two grids; the seed itself while a cell is refused (its message is under the grid)."""
    code, name, now, top, new = (t(f"scenarios.col_{c}", lang) for c in ("code", "name", "now", "max", "scenario"))
    editable = [c for c in fw.components if c.rule.type != "not_scored"]
    comp_rows = [{code: c.code, name: c.name(lang) + ("" if c.provenance.is_official else " ⚠"),
                  now: fmt_points(baseline.components[c.code].points or 0.0, lang), top: fmt_points(c.max_points, lang),
                  new: seed.component_points.get(c.code)} for c in editable]
    st.markdown(f"**{t('scenarios.components', lang)}**")
    st.caption(t("scenarios.components_help", lang) + " ⚠ = " + t("common.provisional", lang))
    comp_grid = widgets.number_grid(comp_rows, key=f"{key}_c", lang=lang, editable={new: (0.0, None)}, row_label=code,
                                    hide_index=True, height=280, placeholder="—", disabled=[code, name, now, top])
    vnow, vnew = t("scenarios.col_value_now", lang), t("scenarios.col_value_scenario", lang)
    main_rows = [{code: m.code, name: m.name(lang), vnow: fmt_number(baseline.main_indices[m.code].value, lang),
                  vnew: seed.main_values.get(m.code)} for m in fw.scored_main_indices]
    with st.expander(t("scenarios.mains", lang)):
        main_grid = widgets.number_grid(main_rows, key=f"{key}_m", lang=lang, editable={vnew: (0.0, 1.0)},
                                        row_label=code, hide_index=True, placeholder="—", disabled=[code, name, vnow])
    if comp_grid is None or main_grid is None:
        return seed
    baseline_points = {c.code: baseline.components[c.code].points or 0.0 for c in editable}
    points = {r[code]: r[new] for r in comp_grid
              if r[new] is not None and abs(r[new] - baseline_points[r[code]]) > 1e-9}
    values = {r[code]: r[vnew] for r in main_grid if r[vnew] is not None}
    return Scenario(seed.name, points, values)


def comparison(ns: str, fw: Framework, responses: Mapping[str, Response], table: peers.PublishedTable,
               year: int, rank_of: int | None, lang: str, height: int = 460,
               live: list[Scenario] | None = None) -> None:
    """Baseline, every saved scenario and the ``live`` ones (not saved) in one chart and one table."""
    saved = saved_scenarios(ns, fw) + list(live or [])
    rows = scenarios.compare(fw, responses, saved, table, year, rank_of, baseline_name=t("decide.baseline", lang))
    for r in rows:
        if r.ignored:
            st.caption(f"{plain(r.name)}: " + t("scenarios.ignored", lang, codes=plain(", ".join(r.ignored))))
    st.plotly_chart(scenarios.comparison_figure(fw, rows, lang, height=height), key=f"{ns}_compare_fig")
    records = scenarios.comparison_table(fw, rows, lang)
    shown = [{(t("scenarios.col_scenario_name", lang) if k == "scenario" else
               t("scenarios.col_rank", lang) if k == "rank" else k):
              (fmt_number(v, lang) if isinstance(v, float) else v) for k, v in rec.items()} for rec in records]
    st.dataframe(pd.DataFrame(shown), hide_index=True, key=f"{ns}_compare_table")


# --- Year / ranking of the published results ------------------------------------------------------------------


def year_picker(table: peers.PublishedTable, lang: str, key: str) -> tuple[int, int | None]:
    years = [y for y in table.years() if table.values(y)] or table.years()
    default = 2022 if 2022 in years else years[-1]
    left, right = st.columns(2)
    year = left.selectbox(t("decide.year", lang), years, index=years.index(default), key=f"{key}_year")
    sizes = [s for s in table.rankings(year) if s]
    rank_of = None
    if len(sizes) > 1:
        best = table.default_ranking(year)
        rank_of = right.selectbox(t("decide.ranking", lang), sizes, index=sizes.index(best) if best in sizes else 0,
                                  key=f"{key}_rank_of", format_func=lambda n: t("decide.ranking_of", lang, n=n))
    elif sizes:
        rank_of = sizes[0]
    return year, rank_of


# --- Goal seek --------------------------------------------------------------------------------------------------


def goal_seek(ns: str, fw: Framework, responses: Mapping[str, Response], baseline: Result,
              table: peers.PublishedTable, year: int, rank_of: int | None, lang: str) -> goalseek.GoalPlan | None:
    st.subheader(t("goalseek.title", lang))
    st.caption(t("goalseek.intro", lang))
    kinds = {"dti": t("goalseek.kind_dti", lang), "rank": t("goalseek.kind_rank", lang)}
    kind = st.radio(t("goalseek.target_kind", lang), list(kinds), format_func=kinds.get, horizontal=True,
                    key=f"{ns}_gs_kind")
    if kind == "dti":
        target = widgets.number_field(t("goalseek.target_dti", lang), min(1.0, round(baseline.dti + 0.05, 2)),
                                      key=f"{ns}_gs_dti", lang=lang, low=0.0, high=1.0)
        if target is None:
            st.session_state.pop(f"{ns}_plan", None)  # no plan for a refused target (the report shows none)
            return None
    else:
        values = table.values(year, "dti", rank_of)
        if not values:
            st.info(t("decide.no_values_year", lang, year=year))
            return None
        rank = widgets.number_field(t("goalseek.target_rank", lang), 1, key=f"{ns}_gs_rank", lang=lang, low=1,
                                    high=len(values) + 1, integer=True)
        if rank is None:
            st.session_state.pop(f"{ns}_plan", None)
            return None
        target = table.value_for_rank(int(rank), year, "dti", rank_of)
        st.caption(t("goalseek.rank_needs", lang, rank=int(rank), among=len(values) + 1, year=year,
                     value=fmt_number(target, lang)))
    efforts_targets = _efforts_editor(ns, fw, lang)
    if efforts_targets is None:
        st.session_state.pop(f"{ns}_plan", None)
        return None
    efforts, targets = efforts_targets
    try:
        plan = goalseek.seek(fw, responses, target, efforts, targets)
    except goalseek.GoalSeekError as exc:
        st.error(t("goalseek.error", lang, error=plain(exc)))
        return None
    st.session_state[f"{ns}_plan"] = plan
    show_plan(ns, fw, plan, lang)
    return plan


def _efforts_editor(ns: str, fw: Framework, lang: str) -> tuple[dict[str, float], dict[str, float]] | None:
    """Effort and target points per component; None while a cell is refused (its message is under the grid)."""
    code, name, top = (t(f"scenarios.col_{c}", lang) for c in ("code", "name", "max"))
    effort, target = t("goalseek.col_effort", lang), t("goalseek.col_target", lang)
    editable = [c for c in fw.components if c.rule.type != "not_scored"]
    rows = [{code: c.code, name: c.name(lang), top: fmt_points(c.max_points, lang), effort: 1.0, target: c.max_points}
            for c in editable]
    with st.expander(t("goalseek.efforts", lang)):
        st.caption(t("goalseek.efforts_help", lang))
        grid = widgets.number_grid(rows, key=f"{ns}_gs_efforts", lang=lang, row_label=code,
                                   editable={effort: (0.01, None), target: (0.0, None)},
                                   hide_index=True, height=260, disabled=[code, name, top])
    if grid is None:
        return None
    max_points = {c.code: c.max_points for c in editable}
    efforts = {r[code]: r[effort] for r in grid if r[effort] is not None and r[effort] != 1.0}
    targets = {r[code]: r[target] for r in grid
               if r[target] is not None and abs(r[target] - max_points[r[code]]) > 1e-9}
    return efforts, targets


def show_plan(ns: str, fw: Framework, plan: goalseek.GoalPlan, lang: str) -> None:
    target = fmt_number(plan.target_dti, lang)
    if plan.method == "already":
        st.success(t("goalseek.already", lang, dti=fmt_number(plan.start_dti, lang), target=target))
        return
    if not plan.reachable:
        st.error(t("goalseek.unreachable", lang, target=target, best=fmt_number(plan.best_possible_dti, lang)))
        return
    st.success(t("goalseek.reachable", lang, n=len(plan.steps), effort=fmt_points(plan.total_effort, lang),
                 start=fmt_number(plan.start_dti, lang), result=fmt_number(plan.result_dti, lang), target=target))
    st.caption(t(f"goalseek.method_{plan.method}", lang))
    rows = [{t("scenarios.col_code", lang): s.code,
             t("scenarios.col_name", lang): fw.component_by_code[s.code].name(lang)
             + ("" if fw.component_by_code[s.code].provenance.is_official else " ⚠"),
             t("goalseek.col_change", lang): f"{fmt_points(s.from_points, lang)} → {fmt_points(s.to_points, lang)}",
             t("goalseek.col_gain", lang): fmt_points(round(s.gain, 2), lang),
             t("goalseek.col_effort", lang): fmt_points(s.effort, lang),
             t("goalseek.col_per_effort", lang): fmt_number(s.gain_per_effort, lang, 2)} for s in plan.steps]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"{ns}_plan_table")
    if st.button(t("goalseek.save", lang), key=f"{ns}_save_plan", icon=":material/save:"):
        name = t("goalseek.plan_name", lang, target=target)
        add_scenario(ns, fw, plan.scenario(name))
        st.toast(t("goalseek.saved", lang, name=plain(name)))
        st.rerun()


# --- What storage knows: lead agencies and appraised components of the current assessment ---------------------


def stored_assignment() -> dict[str, str]:
    """Component code → name of its lead agency, from the coordinator's assignments (empty when none)."""
    from ui import state

    store = state.store()
    names = {a.id: a.name for a in store.agencies()}
    found = state.current_assessment()
    leads = store.assignments(found.id) if found else {}
    return {code: names[lead] for code, (lead, _support) in leads.items() if lead in names}


def appraised_codes() -> set[str]:
    """Components whose points the appraisal (thẩm định) has fixed: certain in the uncertainty band."""
    from ui import state

    return {code for code, r in state.get_stored().items() if r.appraisal_points is not None}


# --- Points at stake by agency ---------------------------------------------------------------------------------


def read_assignment(fw: Framework, data: bytes, name: str) -> dict[str, str]:
    """Component code → agency from a CSV with columns code, agency; raises ValueError naming the row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text; save the CSV as UTF-8") from None
    header, rows = limits.csv_dicts(text, name)  # FileRefused is a ValueError: shown like the others
    if "code" not in header or "agency" not in header:
        raise ValueError("the header must have columns code and agency")
    out = {}
    for i, row in enumerate(rows, start=2):
        row = {k: (v or "").strip() if isinstance(v, str | None) else "" for k, v in row.items()}
        if row["code"] not in fw.component_by_code:
            raise ValueError(f"row {i}: {row['code']!r} is not a component of this edition; check the code (e.g. 2.4)")
        if row["agency"]:
            out[row["code"]] = row["agency"]
    return out


def agency_stakes(ns: str, fw: Framework, result: Result, lang: str,
                  assignment: Mapping[str, str] | None = None, upload: bool = True) -> None:
    st.subheader(t("goalseek.agencies", lang))
    assignment = dict(assignment or {})
    if upload:
        st.caption(t("goalseek.agencies_help", lang))
        file = st.file_uploader(t("goalseek.agencies_file", lang), type=["csv"], key=f"{ns}_agency_file")
        if file is not None:
            try:
                assignment = read_assignment(fw, file.getvalue(), file.name)
            except ValueError as exc:
                st.error(t("goalseek.agencies_bad", lang, file=plain(file.name), problem=plain(exc)))
    if not assignment:
        return
    stakes = goalseek.stakes_by_agency(result, assignment, unassigned=t("goalseek.unassigned", lang))
    rows = [{t("goalseek.col_agency", lang): s.agency,
             t("goalseek.col_at_stake", lang): fmt_points(round(s.points_at_stake, 2), lang),
             t("goalseek.col_top", lang): ", ".join(f"{c} ({fmt_points(round(p, 2), lang)})"
                                                    for c, p in s.components[:5])} for s in stakes]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"{ns}_agency_table")


# --- Uncertainty band --------------------------------------------------------------------------------------------


# The band is 10,000 simulated appraisals (seeded: the same answers give the same band), and it was drawn again on
# every run of the Results page (a load, a language switch, an expander opened) and of the Report page. It is a
# function of the edition, the answers (value, points, evidence), the appraised components, the published table,
# the year and the ranking only, never of the user or the language, so one process keeps the last few, keyed on
# all of them; the edition and table objects are kept beside, so their ids stay theirs.
BANDS_KEPT = 64
_BANDS: OrderedDict[tuple, tuple[Framework, object, uncertainty.Uncertainty]] = OrderedDict()
_BANDS_LOCK = threading.Lock()


def compute_band(fw: Framework, responses: Mapping[str, Response], result: Result, table: peers.PublishedTable,
                 year: int | None, rank_of: int | None = None,
                 appraised: Collection[str] = ()) -> uncertainty.Uncertainty | None:
    if result.points <= 0:
        return None
    key = (fw.id, id(fw), id(table), year, rank_of, frozenset(appraised),
           tuple(sorted((c, repr(r.value), r.points, r.evidence.strip() != "") for c, r in responses.items())),
           tuple((c, s.points) for c, s in result.components.items()))
    with _BANDS_LOCK:
        found = _BANDS.get(key)
        if found is not None and found[0] is fw and found[1] is table:
            _BANDS.move_to_end(key)
            return found[2]
    levels = uncertainty.confidence(fw, responses, appraised)
    band = uncertainty.band(fw, result, uncertainty.downside(fw, levels), table=table, year=year, rank_of=rank_of)
    with _BANDS_LOCK:
        _BANDS[key] = (fw, table, band)
        while len(_BANDS) > BANDS_KEPT:
            _BANDS.popitem(last=False)
    return band


def band_panel(fw: Framework, responses: Mapping[str, Response], result: Result, lang: str,
               table: peers.PublishedTable | None = None, year: int = 2022, rank_of: int | None = None,
               key: str = "band", appraised: Collection[str] = ()) -> uncertainty.Uncertainty | None:
    """The band in one sentence, its model explained, and the components that move it most."""
    table = table or peers.load_published()
    u = compute_band(fw, responses, result, table, year, rank_of, appraised)
    with st.container(key=f"{key}_panel"):
        st.markdown(f"**{t('uncertainty.heading', lang)}**")
        if u is None:
            st.caption(t("uncertainty.nothing", lang))
            return None
        text = t("uncertainty.band", lang, low=fmt_number(u.dti.low, lang), high=fmt_number(u.dti.high, lang),
                 median=fmt_number(u.dti.median, lang))
        if u.rank_low is not None:
            text += "; " + t("uncertainty.rank", lang, low=u.rank_low, high=u.rank_high, among=u.rank_among,
                             year=year)
        st.info(text + ".", icon=":material/target:")
        with st.expander(t("uncertainty.sensitivity", lang)):
            st.caption(t("uncertainty.explain", lang, draws=fmt_points(u.draws, lang)))
            levels = uncertainty.confidence(fw, responses, appraised)
            rows = [{t("scenarios.col_code", lang): code,
                     t("scenarios.col_name", lang): fw.component_by_code[code].name(lang),
                     t("uncertainty.col_confidence", lang): t(f"uncertainty.level_{levels[code]}", lang),
                     t("uncertainty.col_share", lang): f"{fmt_number(share * 100, lang, 1)} %"}
                    for code, share in u.sensitivity[:10]]
            st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"{key}_sensitivity")
    return u
