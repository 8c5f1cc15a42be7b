"""An edition whose rules changed under stored answers (issue 11): the answers that no longer read are kept,
flagged with the reason and re-answerable; no page fails as a whole."""

from __future__ import annotations

import pytest
import yaml

from dti.framework.validation import load_framework_file
from dti.storage import Store, auth
from tests.apptest_support import TESTS, assert_clean, isolate, open_page

PAGES = ["overview", "assessment", "results", "whatif", "framework", "editions", "scenarios", "peers", "report",
         "coordinator", "agency", "import_export"]


def change_rules(path) -> None:
    """1.1 was levels and becomes a ratio; 1.2 was a ratio and becomes levels (as a new catalogue might)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = data["main_indices"][0]["components"]
    first[0]["rule"], first[1]["rule"] = first[1]["rule"], first[0]["rule"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def changed(tmp_path, monkeypatch):
    """Answers saved under the old rules, then the edition file changed under them."""
    isolate(tmp_path, monkeypatch)
    folder = tmp_path / "frameworks"
    folder.mkdir()
    path = folder / "all-rules.yaml"
    path.write_text((TESTS / "data" / "all-rules.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    old = load_framework_file(path)
    store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}", frameworks={old.id: old}.__getitem__)
    period = store.assessment(old.id, 2026, 1)
    store.save_response(auth.SINGLE_USER, period.id, "1.1", 0, value="full", evidence="QĐ 12")
    store.save_response(auth.SINGLE_USER, period.id, "1.2", 0, value="3/4")
    store.save_response(auth.SINGLE_USER, period.id, "1.3", 0, value="2")
    store.close()
    change_rules(path)
    return tmp_path


def new_store(tmp_path) -> tuple[Store, int]:
    fw = load_framework_file(tmp_path / "frameworks" / "all-rules.yaml")
    store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}", frameworks={fw.id: fw}.__getitem__)
    return store, store.assessment(fw.id, 2026, 1).id


def test_store_scores_what_reads_and_flags_the_rest_keeping_it(changed):
    store, period = new_store(changed)
    result = store.result(period)  # no InputProblems
    assert result.components["1.3"].points == 10.0 and result.components["1.1"].points is None
    flagged = store.unreadable(period)
    assert sorted(flagged) == ["1.1", "1.2"]
    assert flagged["1.1"].value == "full" and flagged["1.1"].message and flagged["1.1"].message_vi
    stored = store.stored(period)
    assert stored["1.1"].value == "full" and stored["1.1"].evidence == "QĐ 12"  # kept, not erased
    # Re-answerable: a new answer under the new rule is saved over the stale one and is no longer flagged.
    store.save_response(auth.SINGLE_USER, period, "1.1", stored["1.1"].version, value="1/2")
    assert "1.1" not in store.unreadable(period) and store.result(period).components["1.1"].points == 5.0
    store.close()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens(changed, page):
    at = open_page(page)
    assert_clean(at)


def test_assessment_page_shows_the_stale_answer_with_its_reason(changed):
    at = open_page("assessment")
    warnings = [w.value for w in at.warning]
    flagged = [w for w in warnings if "1.1" in w and "full" in w]
    assert flagged, warnings
    assert "nhập lại" in flagged[0]


def test_overview_says_how_many_answers_to_enter_again(changed):
    at = open_page("overview")
    assert any("2 câu trả lời đã lưu không còn đọc được" in w.value and "1.1, 1.2" in w.value for w in at.warning)
