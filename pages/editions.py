"""Phiên bản bộ chỉ số / Framework editions: load an appendix (.xlsx/.csv/.docx/.pdf) as a new framework or against
a base edition, review the rules read from it, save it; compare two editions; see why an edition cannot be scored."""

import pandas as pd
import streamlit as st

from dti.framework.validation import FrameworkError
from dti.i18n import fmt_points, t
from dti.io.catalogue import framework_to_yaml
from dti.io.editions import (
    EditionExists,
    EditionRefused,
    carry_responses,
    check_edition_target,
    compare_editions,
    edition_path,
    import_summary,
    save_edition,
)
from dti.io.review import apply_review
from dti.roles import Actor, PermissionDenied, require_coordinator
from ui import catalogue_review as review
from ui import lang as ui_lang
from ui import state, widgets

lang = ui_lang.current()
st.title(t("editions.title", lang))
st.caption(t("editions.intro", lang))
found, problems = state.editions()
ids = state.edition_ids()
if not found:
    st.error(t("common.no_edition", lang))
    st.stop()


def label(edition_id: str) -> str:
    return widgets.edition_label(found[edition_id], lang)


def save_refusal(fw, target) -> str:
    """Why saving ``fw`` will be refused whatever is confirmed ('' when it may be saved); the same checks as
    save_edition, asked before the button so that nobody is offered a save that cannot happen."""
    try:
        require_coordinator(state.current_actor() or Actor("?", "viewer"), "editions")
        check_edition_target(fw, target)
    except PermissionDenied:
        return t("security.edition_coordinator_only", lang)
    except EditionRefused as exc:
        return t(f"security.{exc.key}", lang, **{k: widgets.plain(str(v)) for k, v in exc.params.items()})
    return ""


def points(x: float | None) -> str:
    return t("editions.unknown", lang) if x is None else fmt_points(x, lang)


# --- editions that cannot be scored yet, and how to complete them -------------------------------------
for fw in (found[i] for i in ids if not found[i].complete):
    st.warning(t("editions.incomplete", lang, edition=widgets.plain(fw.title(lang)),
                 missing=widgets.plain((fw.missing_en if lang == "en" else fw.missing_vi) or "—")))
    st.caption(t("editions.incomplete_fix", lang, edition=widgets.plain(fw.title(lang))))

# --- load the official catalogue ------------------------------------------------------------------
st.header(t("editions.import_title", lang))
st.caption(t("editions.import_help", lang))
if saved_message := st.session_state.pop("ed_saved", None):
    st.success(saved_message)
base_id = st.selectbox(t("editions.base", lang), ["", *ids], key="ed_base",
                       format_func=lambda i: label(i) if i else t("catui.new_framework", lang))
upload = st.file_uploader(t("editions.upload", lang), type=["xlsx", "csv", "docx", "pdf"], key="ed_upload")
if upload is not None:
    base = found[base_id] if base_id else None
    cols = st.columns(2)
    new_id = cols[0].text_input(t("editions.new_id", lang), key="ed_new_id",
                                value=f"{base_id}-official" if base else review.default_id(upload.name)).strip()
    title_vi = "" if base else cols[1].text_input(t("catui.title_vi", lang), key="ed_title",
                                                  value=upload.name.rsplit(".", 1)[0]).strip()
    stated = st.checkbox(t("catui.official", lang), key="ed_official", help=t("catui.official_help", lang))
    decision = review.official_number(st.text_input(t("catui.decision", lang), key="ed_decision")) if stated else ""
    if stated and not decision:
        st.warning(t("catui.decision_missing", lang))
    try:
        imported = review.read_upload(upload.getvalue(), upload.name, base, new_id, title_vi, decision)
    except FrameworkError as exc:  # CatalogueError too: every problem with its row, nothing saved
        st.error(t("editions.import_failed", lang, file=widgets.plain(upload.name), n=len(exc.problems)))
        st.code("\n".join(review.problem_lines(exc, lang)), language=None)
    else:
        st.success(t("editions.import_ok", lang, file=widgets.plain(upload.name), mains=len(imported.main_indices),
                     components=len(imported.components), points=fmt_points(imported.total_points, lang)))
        st.caption(t("catui.provenance_official", lang, decision=widgets.plain(decision)) if decision else
                   t("catui.provenance_from_file", lang, file=widgets.plain(upload.name)))
        summary = import_summary(imported)
        st.dataframe(pd.DataFrame([{
            t("editions.col_code", lang): row["code"],
            t("editions.col_name", lang): row["name_en"] if lang == "en" else row["name_vi"],
            t("editions.col_components", lang): row["components"],
            t("editions.col_points", lang): points(row["max_points"]),
            t("editions.col_rules_official", lang): row["rules_official"],
            t("editions.col_rules_provisional", lang): row["rules_provisional"],
        } for row in summary]), hide_index=True, key="ed_summary")

        st.subheader(t("catui.review_title", lang))
        st.caption(t("catui.review_help", lang))
        pending = review.review_count(imported)
        if pending:
            st.info(t("catui.review_pending", lang, n=pending))
        else:
            st.caption(t("catui.review_none", lang))
        edited_rows = review.review_editor(imported, lang)
        try:
            reviewed = apply_review(imported, edited_rows, upload.name)
        except FrameworkError as exc:  # a row that cannot be read: named, nothing applied, nothing saved
            reviewed = None
            st.error(t("catui.review_failed", lang, n=len(exc.problems)))
            st.code("\n".join(review.problem_lines(exc, lang)), language=None)
        if reviewed is not None:
            left = review.review_count(reviewed)
            if left != pending:
                st.caption(t("catui.reviewed_left", lang, n=left))
            st.markdown(f"**{t('catui.preview_title', lang)}**")
            codes = [c.code for c in reviewed.components]
            shown = st.selectbox(t("catui.preview_pick", lang), codes, key="ed_preview_code",
                                 format_func=lambda c: f"{c} {reviewed.component_by_code[c].name(lang)}")
            review.form_row_preview(reviewed.component_by_code[shown], lang)

            target = edition_path(reviewed)
            overwrite = False
            refusal = save_refusal(reviewed, target) or (t("catui.decision_missing", lang)
                                                         if stated and not decision else "")
            if refusal:  # a shipped edition, an id another file holds, or not the coordinator: no save offered
                st.warning(refusal)
            elif target.exists():
                st.warning(t("editions.exists", lang, file=widgets.plain(target.name)))
                overwrite = st.checkbox(t("editions.overwrite", lang), key="ed_overwrite")
            cols = st.columns(2)
            if cols[0].button(t("editions.save", lang), type="primary", key="ed_save",
                              disabled=bool(refusal) or (target.exists() and not overwrite)):
                try:
                    saved = save_edition(reviewed, state.current_actor() or Actor("?", "viewer"), overwrite=overwrite)
                except (EditionExists, OSError, ValueError, PermissionDenied) as exc:
                    st.error(save_refusal(reviewed, target)
                             or t("editions.save_failed", lang, error=widgets.plain(str(exc))))
                else:
                    state.reload_editions()  # the cached list of editions must include the new file
                    st.session_state["ed_saved"] = t("editions.saved", lang, file=widgets.plain(saved.name),
                                                     edition=widgets.plain(reviewed.title(lang)))
                    st.rerun()  # every list of editions on the page (and the sidebar) now shows the new one
            cols[1].download_button(t("editions.download", lang), framework_to_yaml(reviewed),
                                    file_name=f"{reviewed.id}.yaml", mime="application/yaml", key="ed_download")

# --- two editions side by side --------------------------------------------------------------------
st.header(t("editions.compare_title", lang))
pick = st.columns(2)
a_id = pick[0].selectbox(t("editions.edition_a", lang), ids, format_func=label, key="ed_a")
b_id = pick[1].selectbox(t("editions.edition_b", lang), ids, format_func=label, key="ed_b",
                         index=min(1, len(ids) - 1))
fw_a, fw_b = found[a_id], found[b_id]
comparison = compare_editions(fw_a, fw_b)


def marked(item, text: str) -> str:
    """A title or point value that is not official carries the provisional mark, never passing for official."""
    return text if item.provenance.is_official else f"{text} ⚠ {t('common.provisional', lang)}"


def pair_rows(pairs, lookup_a: dict, lookup_b: dict) -> pd.DataFrame:
    return pd.DataFrame([{
        t("editions.col_status", lang): t(f"editions.status_{p.status}", lang),
        t("editions.col_code_a", lang): p.code_a or "",
        t("editions.col_name_a", lang): marked(lookup_a[p.code_a], p.name_a(lang)) if p.code_a else "",
        t("editions.col_points_a", lang): points(lookup_a[p.code_a].max_points) if p.code_a else "",
        t("editions.col_code_b", lang): p.code_b or "",
        t("editions.col_name_b", lang): marked(lookup_b[p.code_b], p.name_b(lang)) if p.code_b else "",
        t("editions.col_points_b", lang): points(lookup_b[p.code_b].max_points) if p.code_b else "",
    } for p in pairs])


for kind, pairs, lookup_a, lookup_b, heading in (
        ("main index", comparison.main_indices, fw_a.main_index_by_code, fw_b.main_index_by_code,
         "editions.main_indices"),
        ("component", comparison.components, fw_a.component_by_code, fw_b.component_by_code, "editions.components")):
    st.subheader(t(heading, lang))
    if not pairs:
        st.caption(t("editions.no_components", lang))
        continue
    st.caption(t("editions.counts", lang, **{s: comparison.count(kind, s)
                                             for s in ("both", "same_title", "same_code", "only_a", "only_b")}))
    st.dataframe(pair_rows(pairs, lookup_a, lookup_b), hide_index=True, key=f"ed_compare_{kind.replace(' ', '_')}")

# --- carry the current assessment into another edition ----------------------------------------------
st.header(t("editions.carry_title", lang))
if carried_message := st.session_state.pop("ed_carried", None):
    st.success(carried_message)
current = state.current_framework()
targets = [i for i in ids if i != current.id]
if not targets:
    st.caption(t("editions.carry_no_target", lang))
else:
    year, quarter = state.current_period()
    target_id = st.selectbox(t("editions.carry_target", lang), targets, format_func=label, key="ed_carry_target")
    carried, dropped = carry_responses(state.get_responses(), current, found[target_id])
    st.caption(t("editions.carry_preview", lang, source=widgets.plain(label(current.id)), period=f"Q{quarter}/{year}",
                 carried=len(carried), dropped=len(dropped)))
    if dropped:
        st.dataframe(pd.DataFrame([{t("editions.col_code", lang): d.code, t("editions.carry_reason", lang): d.reason}
                                   for d in dropped]), hide_index=True, key="ed_carry_dropped")
    busy = state.carry_target_busy(target_id)
    if busy:
        st.info(busy)
    if st.button(t("editions.carry_go", lang), key="ed_carry_go", disabled=not carried or bool(busy)):
        refused = state.carry_to_edition(target_id, carried)
        if refused:
            st.error(refused)
        else:
            st.session_state["ed_carried"] = t("editions.carried", lang, n=len(carried),
                                                edition=widgets.plain(label(target_id)))
            st.rerun()
