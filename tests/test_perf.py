"""What the server spends per answer (issue 13): no full garbage collection after every run, and what a rerun of
the Self-assessment page reads once instead of per component, without any of it leaking across edition, period,
language, user or session.
"""

from __future__ import annotations

import gc
import tomllib

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from dti.framework import registry
from dti.i18n import t
from dti.storage import Actor, Store
from dti.storage.repo import Store as RepoStore
from tests.apptest_support import APP, COPY_EDITION, assert_clean, form_widget, isolate, metric

COORD = Actor("coord", "coordinator")
EDITION = "dti-2022-province"
COPY = COPY_EDITION


# --- garbage collection ------------------------------------------------------------------------------------------


def test_the_full_collection_after_every_script_run_is_off():
    settings = tomllib.loads((registry.REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["runner"]["postScriptGC"] is False
    # Still an option of the installed Streamlit (a renamed option would be ignored without a word).
    assert "runner.postScriptGC" in st_config._config_options_template


@pytest.mark.parametrize("kind", ["read", "write"])
def test_the_store_returns_every_connection_without_a_garbage_collection(db_url, fw2022, kind):
    """Nothing waits for the collector to give a database connection back: with it off, after each read and
    write no connection is still checked out of the pool."""
    store = Store.open(db_url)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        found = store.assessment(EDITION, 2026, 4)
        for i in range(5):
            if kind == "write":
                stored = store.stored_response(found.id, "1.1")
                store.save_response(COORD, found.id, "1.1", stored.version if stored else 0,
                                    value=fw2022.component_by_code["1.1"].rule.levels[i % 2].key)
            store.stored(found.id), store.responses(found.id), store.evidence_counts(found.id)
            store.general_info(found.id), store.agencies(), store.province()
            assert store.engine.pool.checkedout() == 0
    finally:
        if was_enabled:
            gc.enable()
        store.close()


# --- read once per run ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)






def _open(lang: str = "vi", period: tuple[int, int] = (2026, 4), actor: Actor | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["period"] = period
    if actor is not None:
        at.session_state["actor"] = actor
    if lang != "vi":
        at.session_state["lang"] = lang
    at.switch_page("pages/assessment.py").run()
    assert_clean(at)
    return at


def _answer(db: Store, edition: str, period: tuple[int, int], level: str, evidence: str) -> None:
    found = db.assessment(edition, *period)
    stored = db.stored_response(found.id, "1.1")
    db.save_response(COORD, found.id, "1.1", stored.version if stored else 0, value=level, evidence=evidence)


def _shown(at: AppTest) -> tuple:
    """Component 1.1 as the form shows it, and the DTI estimate beside it."""
    return (form_widget(at.selectbox, "1.1", "value").value, form_widget(at.text_input, "1.1", "evidence").value,
            metric(at, t("assessment.dti_estimate", at.session_state["lang"])))


def test_switching_edition_and_period_shows_that_assessment_not_what_the_last_run_read(two_editions, db):
    _answer(db, EDITION, (2026, 4), "top_leader", "QĐ 2022/Q4")
    _answer(db, COPY, (2026, 4), "deputy", "bản sao Q4")
    _answer(db, EDITION, (2026, 3), "deputy", "QĐ 2022/Q3")
    at = _open()
    first = _shown(at)
    assert first[:2] == ("top_leader", "QĐ 2022/Q4")

    at.session_state["edition_id"] = COPY  # what the sidebar's picker sets
    at.run()
    assert _shown(at)[:2] == ("deputy", "bản sao Q4")
    assert _shown(at)[2] != first[2]  # the score of that edition's answers, not of the last run's

    at.session_state["edition_id"] = EDITION
    at.session_state["period"] = (2026, 3)
    at.run()
    assert _shown(at)[:2] == ("deputy", "QĐ 2022/Q3")

    at.session_state["period"] = (2026, 4)
    at.run()
    assert _shown(at) == first


def test_switching_language_relabels_the_form(db, fw2022):
    at = _open()
    comp = fw2022.component_by_code["1.1"]
    assert form_widget(at.selectbox, "1.1", "value").options[0].startswith(comp.rule.levels[0].label_vi)
    at.session_state["lang"] = "en"
    at.run()
    assert_clean(at)
    assert form_widget(at.selectbox, "1.1", "value").options[0].startswith(comp.rule.levels[0].label_en)
    assert any(m.label == t("assessment.dti_estimate", "en") for m in at.metric)


def test_a_save_by_another_session_is_seen_at_the_next_run(db):
    at = _open()
    before = _shown(at)
    _answer(db, EDITION, (2026, 4), "top_leader", "từ phiên khác")  # another agency, another session or process
    at.run()
    # The score counts it (the fields keep what this person sees; saving over it is refused as stale).
    assert _shown(at)[2] != before[2]


def test_an_answer_saved_in_a_callback_is_scored_in_the_same_run(db):
    at = _open()
    before = metric(at, t("assessment.dti_estimate", "vi"))
    form_widget(at.selectbox, "1.1", "value").set_value("top_leader").run()  # saved in on_change, then the run reads
    assert metric(at, t("assessment.dti_estimate", "vi")) != before
    assert db.stored(db.assessment(EDITION, 2026, 4, create=False).id)["1.1"].value == "top_leader"


def test_another_user_does_not_get_what_the_last_user_was_allowed_to_edit(db):
    agency = db.add_agency(COORD, "Sở Nội vụ")
    found = db.assessment(EDITION, 2026, 4)
    db.assign_many(COORD, found.id, ["1.1"], agency)
    at = _open()
    assert not form_widget(at.selectbox, "1.2", "value").disabled  # the coordinator edits everything
    at.session_state["actor"] = Actor("snv", "agency", agency)
    at.run()
    assert not form_widget(at.selectbox, "1.1", "value").disabled
    assert form_widget(at.selectbox, "1.2", "value").disabled


def test_a_rerun_reads_the_stored_answers_once(db, monkeypatch):
    """The form, its score, the empty-period notice and the stale answers share one read of the table (there
    were three: each on every answer of every agency)."""
    _answer(db, EDITION, (2026, 4), "top_leader", "")
    at = _open()
    calls = []
    original = RepoStore.stored
    monkeypatch.setattr(RepoStore, "stored", lambda self, aid: calls.append(aid) or original(self, aid))
    form_widget(at.selectbox, "1.2", "value").set_value("chair").run()
    assert_clean(at)
    assert len(calls) == 1


# --- the Results page ------------------------------------------------------------------------------------------------


def test_the_results_page_draws_the_band_once_per_set_of_answers(db, monkeypatch):
    """10,000 simulated appraisals were drawn on every run of the page: a load, a language switch, a rerun. Now
    once per set of answers (and appraisals, table, year), and drawn again as soon as an answer changes."""
    from dti.decide import uncertainty
    from ui import decide

    decide._BANDS.clear()
    draws = []
    original = uncertainty.band
    monkeypatch.setattr(uncertainty, "band", lambda *a, **k: draws.append(1) or original(*a, **k))
    _answer(db, EDITION, (2026, 4), "top_leader", "QĐ 1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["period"] = (2026, 4)
    at.switch_page("pages/results.py").run()
    assert_clean(at)
    band_text = _band_lines(at)
    assert len(band_text) == 1 and len(draws) == 1

    at.run()  # a rerun with the same answers
    at.session_state["lang"] = "en"
    at.run()  # the other language: the same numbers, other words
    assert_clean(at)
    assert len(draws) == 1
    assert _band_lines(at)[0].startswith("After appraisal the DTI may lie within")
    at.session_state["lang"] = "vi"

    _answer(db, EDITION, (2026, 4), "deputy", "QĐ 1")  # an answer changed: a new band, never the old one
    at.run()
    assert len(draws) == 2
    assert len(_band_lines(at)) == 1 and _band_lines(at) != band_text

    at.session_state["period"] = (2026, 3)  # a period with nothing answered: no band, none from Q4
    at.run()
    assert_clean(at)
    assert len(draws) == 2
    assert not _band_lines(at)


def _band_lines(at: AppTest) -> list[str]:
    return [i.value for i in at.info if "trung vị" in i.value or "median" in i.value]


def test_the_page_css_follows_the_language(db):
    """The CSS (built once per language now) puts the uploader's Vietnamese texts in Vietnamese only. (AppTest
    shows the shell's st.html in a session's first run only: one session per language.)"""

    def css(at: AppTest) -> str:
        return " ".join(h.proto.body for h in at.get("html") if "<style>" in h.proto.body)

    for lang in ("vi", "en", "vi"):
        shown = css(_open(lang))
        assert "stMetricValue" in shown
        assert (t("polish.upload_button", "vi") in shown) == (lang == "vi")
        assert (t("loop.enter_hint", "vi") in shown) == (lang == "vi")


def test_an_empty_period_is_looked_up_once_per_run_not_once_per_component(db, monkeypatch):
    """Nothing saved yet in the period (every new quarter, every new user's first look): the form asked the
    database for the period's assessment for every component it drew (98 queries per run)."""
    at = _open()
    calls = []
    original = RepoStore.assessment
    monkeypatch.setattr(RepoStore, "assessment", lambda self, *a, **k: calls.append(a) or original(self, *a, **k))
    at.run()
    assert_clean(at)
    assert len(calls) == 1
    form_widget(at.selectbox, "1.2", "value").set_value("chair").run()  # the first answer creates it, and it is seen
    assert_clean(at)
    assert db.stored(db.assessment(EDITION, *at.session_state["period"], create=False).id)["1.2"].value == "chair"
