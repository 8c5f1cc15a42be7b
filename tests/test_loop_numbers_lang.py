"""Issue 10, found walking the loop: a number field keeps what was typed when the language is switched, but shows it
as the new language writes numbers (0,45 → 0.45), never the other language's format."""

from __future__ import annotations

import pytest

from dti.decide import demo
from dti.storage import Store, auth
from tests.apptest_support import all_rules_dir, assert_clean, isolate, open_page


@pytest.fixture
def demo_assessment(tmp_path, monkeypatch, fw2022):
    isolate(tmp_path, monkeypatch)
    store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    info = store.assessment(fw2022.id, 2026, 4)
    store.import_responses(auth.SINGLE_USER, info.id, demo.demo_responses(fw2022), source="test")
    store.close()


@pytest.mark.parametrize(("first", "typed", "then", "shown"), [("vi", "0,45", "en", "0.45"),
                                                              ("en", "0.45", "vi", "0,45")])
def test_a_typed_target_follows_the_language_switch(demo_assessment, first, typed, then, shown):
    at = open_page("scenarios", lang=first)
    at.text_input(key="decide_gs_dti").input(typed).run()
    assert_clean(at)
    at.session_state["lang"] = then  # what the sidebar toggle's callback does
    at.run()
    assert_clean(at)
    assert at.session_state["lang"] == then
    assert at.text_input(key="decide_gs_dti").value == shown
    assert not at.error


def test_a_refused_text_stays_as_typed_across_the_switch(demo_assessment):
    at = open_page("scenarios", lang="vi")
    at.text_input(key="decide_gs_dti").input("1,2,3").run()
    at.session_state["lang"] = "en"
    at.run()
    assert at.text_input(key="decide_gs_dti").value == "1,2,3"  # never guessed into a number


def test_a_direct_points_answer_follows_the_language_switch_and_stays_stored(tmp_path, monkeypatch):
    """A guard: this field is refilled from storage when its tab is shown again (it passed before the fix too)."""
    isolate(tmp_path, monkeypatch)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(all_rules_dir(tmp_path)))
    at = open_page("assessment")
    at.session_state["a_tab"] = "2. Chỉ số hai"
    at.run()
    at.text_input(key="c_2.3_value").input("1,5").run()
    assert_clean(at)
    at.session_state["lang"] = "en"
    at.run()  # the tabs are named anew in English: back on the first one
    at.session_state["a_tab"] = "2. Index two"
    at.run()
    assert_clean(at)
    assert at.text_input(key="c_2.3_value").value == "1.5"
    store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    try:
        assert store.stored(store.latest_assessment("all-rules").id)["2.3"].points == 1.5
    finally:
        store.close()
