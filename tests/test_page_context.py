"""Which assessment a page shows (AppTest): widget state bound to the edition and period, stale saves, periods
created on the first write, the context line, the province's name, the empty state, read-only inputs.

A browser keeps what a widget shows for as long as the widget's id lives (Streamlit derives the id from the key),
and sends it back with the next interaction. ``_browser_keeps`` does the same to the AppTest tree, so a widget
id that outlives an assessment shows up here as it did for the user who reported it.
"""

from __future__ import annotations

import json
import re

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dti.decide import charts, peers, report
from dti.framework import registry
from dti.i18n import name
from dti.scoring.engine import score
from dti.storage import Actor, Store
from tests.apptest_support import APP, COPY_EDITION, assert_clean, form_widget, isolate, metric, svg_of

COORD = Actor("coord", "coordinator")
EDITION = "dti-2022-province"
COPY = COPY_EDITION


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)






FORM_KEY = re.compile(r"c\d*_(.+)_(value|evidence|note|a|b|none|part_.+)")


def _form_widgets(at: AppTest) -> list:
    return [w for w in [*at.selectbox, *at.radio, *at.text_input, *at.number_input, *at.checkbox]
            if FORM_KEY.fullmatch(str(w.key))]


def _browser_keeps(at: AppTest, before: dict) -> None:
    """What the browser does after a rerun: a widget whose id it already knows keeps the value it showed."""
    for w in _form_widgets(at):
        if w.id in before and w.value != before[w.id] and not w.disabled:
            w.set_value(before[w.id])


def _open(page: str, actor: Actor | None = None, lang: str = "vi", period: tuple[int, int] | None = None) -> AppTest:
    """The app on ``pages/<page>.py`` in its first run (the sidebar with the edition and period pickers included)."""
    at = AppTest.from_file(APP, default_timeout=60)
    if actor is not None:
        at.session_state["actor"] = actor
    if period is not None:
        at.session_state["period"] = period
    if lang != "vi":
        at.session_state["lang"] = lang
    at.switch_page(f"pages/{page}.py").run()
    assert_clean(at)
    return at


def _choose_edition(at: AppTest, edition_id: str) -> None:
    """What the sidebar's edition picker sets. (AppTest draws the sidebar only in its first run, so later runs
    set the chosen edition where the picker's callback puts it; the form must notice the change by itself.)"""
    at.session_state["edition_id"] = edition_id
    at.run()


def _choose_period(at: AppTest, period: tuple[int, int]) -> None:
    """What the sidebar's period picker sets (see _choose_edition)."""
    at.session_state["period"] = period
    at.run()


def _period_of(db: Store, edition: str, period: tuple[int, int]):
    return db.assessment(edition, *period, create=False)


def test_switching_the_edition_carries_nothing_typed_into_the_other_edition(two_editions, db):
    at = _open("assessment")
    form_widget(at.text_input, "1.1", "evidence").input("Quyết định 12/2022").run()
    form_widget(at.text_input, "1.1", "note").input("ghi chú 2022").run()
    period = at.session_state["period"]
    shown_before = {w.id: w.value for w in _form_widgets(at)}

    _choose_edition(at, COPY)
    assert_clean(at)
    assert not set(shown_before) & {w.id for w in _form_widgets(at)}  # no widget of 2022 lives on
    assert form_widget(at.text_input, "1.1", "evidence").value == ""
    assert form_widget(at.text_input, "1.1", "note").value == ""
    _browser_keeps(at, shown_before)
    form_widget(at.selectbox, "1.1", "value").set_value("deputy").run()  # the next answer, in the other edition

    saved = db.stored(_period_of(db, COPY, period).id)["1.1"]
    assert (saved.value, saved.evidence, saved.note) == ("deputy", "", "")
    kept = db.stored(_period_of(db, EDITION, period).id)["1.1"]
    assert (kept.value, kept.evidence, kept.note) == (None, "Quyết định 12/2022", "ghi chú 2022")

    _choose_edition(at, EDITION)  # and back: 2022's own answer, nothing of the copy
    assert form_widget(at.text_input, "1.1", "evidence").value == "Quyết định 12/2022"
    assert form_widget(at.selectbox, "1.1", "value").value is None


def test_switching_the_quarter_carries_nothing_typed_into_the_other_quarter(db):
    at = _open("assessment")
    year, quarter = at.session_state["period"]
    form_widget(at.text_input, "1.3", "evidence").input("Công văn 45/STTTT").run()
    shown_before = {w.id: w.value for w in _form_widgets(at)}

    other = 1 if quarter != 1 else 2
    _choose_period(at, (year, other))
    assert_clean(at)
    assert at.session_state["period"] == (year, other)
    assert form_widget(at.text_input, "1.3", "evidence").value == ""
    _browser_keeps(at, shown_before)
    form_widget(at.radio, "1.3", "value").set_value("có").run()

    saved = db.stored(_period_of(db, EDITION, (year, other)).id)["1.3"]
    assert (saved.value, saved.evidence) == ("có", "")
    assert db.stored(_period_of(db, EDITION, (year, quarter)).id)["1.3"].evidence == "Công văn 45/STTTT"


def test_a_refused_stale_save_puts_the_stored_value_back_and_names_levels_by_label(db):
    at = _open("assessment")
    form_widget(at.selectbox, "1.1", "value").set_value("deputy").run()
    pid = _period_of(db, EDITION, at.session_state["period"]).id
    db.save_response(Actor("bob", "coordinator"), pid, "1.1", 1, value="top_leader")  # someone else, meanwhile

    form_widget(at.selectbox, "1.1", "value").set_value("none").run()
    message = " ".join(e.value for e in at.error)
    assert "bob" in message and "«Bí thư hoặc Chủ tịch tỉnh là Trưởng ban»" in message
    assert "«Chưa có / khác»" in message and "top_leader" not in message and "«none»" not in message
    field = form_widget(at.selectbox, "1.1", "value")
    # set_value: the server tells the browser to replace what it shows (else it keeps the refused value).
    assert field.value == "top_leader" and field.proto.set_value
    assert db.stored(pid)["1.1"].value == "top_leader"


def test_the_conflict_message_is_in_english_with_english_labels(db):
    at = _open("assessment", lang="en")
    form_widget(at.selectbox, "1.1", "value").set_value("deputy").run()
    pid = _period_of(db, EDITION, at.session_state["period"]).id
    db.save_response(Actor("bob", "coordinator"), pid, "1.1", 1, value="top_leader")
    form_widget(at.selectbox, "1.1", "value").set_value("none").run()
    message = " ".join(e.value for e in at.error)
    fw = registry.load(EDITION)
    labels = {lv.key: name(lv, "en") for lv in fw.component_by_code["1.1"].rule.levels}
    assert f"«{labels['top_leader']}»" in message and f"«{labels['none']}»" in message


def test_choosing_a_quarter_creates_no_period_until_something_is_saved(db):
    at = _open("assessment")
    year, quarter = at.session_state["period"]
    other = 1 if quarter != 1 else 2
    at.selectbox(key="s_period_quarter").set_value(other).run()  # the sidebar's picker, in the first run
    assert at.session_state["period"] == (year, other)
    for page in ("overview", "results", "whatif", "coordinator"):
        at.switch_page(f"pages/{page}.py").run()
        assert_clean(at)
    assert db.assessments() == []  # looking at periods wrote nothing

    at.switch_page("pages/assessment.py").run()
    form_widget(at.radio, "1.3", "value").set_value("có").run()
    assert [(a.edition_id, a.year, a.quarter) for a in db.assessments()] == [(EDITION, year, other)]


def test_an_empty_period_says_so_and_the_coordinator_copies_the_previous_one(db):
    q3 = db.assessment(EDITION, 2026, 3).id
    db.save_response(COORD, q3, "1.1", 0, value="deputy", evidence="QĐ 7/2026")
    at = _open("assessment")
    assert at.session_state["period"] == (2026, 3)  # the latest period with answers opens first
    at.selectbox(key="s_period_quarter").set_value(4).run()
    notices = [i.value for i in at.info]
    assert "Quý 4/2026 chưa có câu trả lời nào; sao chép từ Quý 3/2026?" in notices

    # Buttons click in AppTest only when the page script runs on its own.
    page = AppTest.from_file(str(registry.REPO_ROOT / "pages" / "assessment.py"), default_timeout=60)
    page.session_state["period"] = (2026, 4)
    page.run()
    next(b for b in page.button if b.label == "Sao chép từ Quý 3/2026").click().run()
    assert_clean(page)
    q4 = _period_of(db, EDITION, (2026, 4))
    assert db.stored(q4.id)["1.1"].value == "deputy"
    assert not [i for i in page.info if "chưa có câu trả lời" in i.value]
    assert form_widget(page.selectbox, "1.1", "value").value == "deputy"


def test_a_viewer_sees_the_empty_period_notice_without_the_copy_action(db):
    q3 = db.assessment(EDITION, 2026, 3).id
    db.save_response(COORD, q3, "1.1", 0, value="deputy")
    at = _open("overview", Actor("xem", "viewer"), period=(2026, 4))
    assert any("Quý 4/2026 chưa có câu trả lời nào" in i.value for i in at.info)
    assert not [b for b in at.button if b.label.startswith("Sao chép từ")]
    assert _period_of(db, EDITION, (2026, 4)) is None


@pytest.mark.parametrize("page", ["overview", "assessment", "results", "whatif", "scenarios", "peers", "report",
                                  "coordinator", "agency"])
def test_every_page_with_assessment_data_names_province_edition_and_period(db, page):
    db.set_province(COORD, "Gia Lai")
    db.save_response(COORD, db.assessment(EDITION, 2026, 2).id, "1.3", 0, value="có")
    at = _open(page)
    assert {"edition_picker", "s_period_quarter"} <= {w.key for w in at.selectbox}  # chosen in the sidebar
    fw = registry.load(EDITION)
    expected = f"Gia Lai · {fw.title_vi} ({fw.year}) · Quý 2/2026"
    assert expected in [x.value for x in at.text], [x.value for x in at.text]


def test_the_province_name_is_set_once_on_the_coordinator_page_and_shown_as_text(db):
    at = AppTest.from_file(str(registry.REPO_ROOT / "pages" / "coordinator.py"), default_timeout=60).run()
    at.text_input(key="s_province").input("Gia Lai *đậm*").run()
    assert_clean(at)
    assert db.province()[0] == "Gia Lai *đậm*"
    assert any(x.value.startswith("Gia Lai *đậm* · ") for x in at.text)  # st.text: never rendered as Markdown


def test_a_viewer_cannot_rename_the_province(db):
    db.set_province(COORD, "Gia Lai")
    at = AppTest.from_file(str(registry.REPO_ROOT / "pages" / "coordinator.py"), default_timeout=60)
    at.session_state["actor"] = Actor("xem", "viewer")
    at.run()
    assert at.text_input(key="s_province").disabled and at.text_input(key="s_province").value == "Gia Lai"


def test_peers_label_the_estimate_with_the_province_name(db):
    db.set_province(COORD, "Gia Lai")
    db.save_response(COORD, db.assessment(EDITION, 2026, 2).id, "1.3", 0, value="có")
    at = _open("peers")
    assert_clean(at)
    assert "Gia Lai (ước tính)" in json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"]
    en = _open("peers", lang="en")
    assert "Gia Lai (estimate)" in json.loads(en.get("plotly_chart")[0].proto.spec)["data"][0]["y"]


def test_with_nothing_answered_no_page_names_a_lowest_index_a_rank_or_a_red_bar(db):
    results = _open("results")
    assert not results.error
    assert any(i.value.startswith("Chưa có chỉ số thành phần nào được trả lời") for i in results.info)
    for chart in results.get("plotly_chart"):
        assert charts.LOW not in chart.proto.spec and "⬇" not in chart.proto.spec
    svgs = [svg_of(url) for image in results.image for url in image.value]  # the charts' default form
    assert svgs and all(charts.LOW not in svg and "⬇" not in svg for svg in svgs)

    coordinator = _open("coordinator")
    assert metric(coordinator, "Chỉ số chính thấp nhất") == "—"

    peer_page = _open("peers")
    assert not [m for m in peer_page.metric if m.label == "Hạng ước tính"]
    assert any("chưa ước tính thứ hạng" in i.value for i in peer_page.info)
    assert "#d62728" not in peer_page.get("plotly_chart")[0].proto.spec

    assert_clean(_open("overview"))


def test_the_reports_of_an_empty_assessment_name_no_lowest_and_no_rank(fw2022):
    from io import BytesIO

    result = score(fw2022, {})
    table = peers.load_published()
    rank = table.estimate_rank(result.dti, 2022, "dti", None)
    assert rank is not None  # a rank exists for 0.0: the reports must leave it out themselves
    data = report.ReportData(fw2022, {}, result, province="Gia Lai", rank=rank)
    html = report.html_report(data)
    assert "Chưa có chỉ số thành phần nào được trả lời" in html
    assert f"{rank.rank}/{rank.among}" not in html
    book = load_workbook(BytesIO(report.excel_report(data)))
    summary = [[c for c in row if c is not None] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert not [row for row in summary if row and row[0] == "Hạng ước tính"]
    assert ["Chưa có chỉ số thành phần nào được trả lời, nên chưa xác định được chỉ số hay trụ cột yếu nhất."] \
        in summary


def test_read_only_inputs_are_disabled_for_a_viewer(db):
    db.save_response(COORD, db.assessment(EDITION, 2026, 2).id, "1.3", 0, value="có")
    at = _open("assessment", Actor("xem", "viewer"))
    widgets = _form_widgets(at)
    assert widgets and all(w.disabled for w in widgets)
    assert form_widget(at.radio, "1.3", "value").value == "có"


def test_an_agency_starts_on_its_own_components_and_others_are_read_only(db):
    pid = db.assessment(EDITION, 2026, 2).id
    mine = db.add_agency(COORD, "Sở Nội vụ")
    other = db.add_agency(COORD, "Sở Tài chính")
    db.assign(COORD, pid, "1.2", mine)
    db.assign(COORD, pid, "1.4", other)
    at = _open("assessment", Actor("snv", "agency", mine))
    assert at.selectbox(key="a_agency").value == mine
    assert {FORM_KEY.fullmatch(w.key).group(1) for w in _form_widgets(at)} == {"1.2"}
    assert not any(w.disabled for w in _form_widgets(at))
    at.selectbox(key="a_agency").select_index(0).run()  # every agency: the others' components, read-only
    disabled = {FORM_KEY.fullmatch(w.key).group(1) for w in _form_widgets(at) if w.disabled}
    assert "1.4" in disabled and "1.1" in disabled and "1.2" not in disabled


def test_copying_into_a_period_someone_just_saved_into_overwrites_nothing(db):
    q3 = db.assessment(EDITION, 2026, 3).id
    db.save_response(COORD, q3, "1.1", 0, value="deputy")
    page = AppTest.from_file(str(registry.REPO_ROOT / "pages" / "assessment.py"), default_timeout=60)
    page.session_state["period"] = (2026, 4)
    page.run()
    copy = next(b for b in page.button if b.label == "Sao chép từ Quý 3/2026")
    q4 = db.assessment(EDITION, 2026, 4).id
    db.save_response(Actor("bob", "coordinator"), q4, "1.1", 0, value="top_leader")  # meanwhile
    copy.click().run()
    assert_clean(page)
    assert any("Quý 4/2026 vừa có câu trả lời của người khác" in e.value for e in page.error)
    assert db.stored(q4)["1.1"].value == "top_leader"


def test_a_conflict_on_parts_names_the_parts_and_restores_the_checkboxes(tmp_path, monkeypatch):
    from tests.apptest_support import all_rules_dir

    folder = all_rules_dir(tmp_path)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    at = _open("assessment")
    at.session_state["a_tab"] = "2. Chỉ số hai"
    at.run()
    form_widget(at.checkbox, "2.1", "part_attend").check().run()
    store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}", frameworks=lambda _id: registry.load(
        folder / "all-rules.yaml"))
    try:
        pid = store.assessments()[0].id
        store.save_response(Actor("bob", "coordinator"), pid, "2.1", 1, value="chair")
        form_widget(at.checkbox, "2.1", "part_chair").check().run()
        message = " ".join(e.value for e in at.error)
        assert "«Chủ trì»" in message and "«Tham dự; Chủ trì»" in message and "chair" not in message
        assert form_widget(at.checkbox, "2.1", "part_chair").value is True
        assert form_widget(at.checkbox, "2.1", "part_attend").value is False
        assert form_widget(at.checkbox, "2.1", "part_attend").proto.set_value
        assert store.stored(pid)["2.1"].value == "chair"
    finally:
        store.close()


def test_a_refresh_reopens_the_edition_and_quarter_that_were_shown(two_editions, db):
    # The address mirrors the edition and period shown, as it does the language: a refresh (a new session at the
    # same address) or a link sent to a colleague opens the same assessment, not the default edition's latest.
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["edition_id"], at.session_state["period"] = COPY, (2025, 2)  # as the sidebar's pickers set
    at.switch_page("pages/assessment.py").run()
    assert_clean(at)
    address = dict(at.query_params)
    assert address.get("ed") == COPY and (address.get("nam"), address.get("quy")) == ("2025", "2")

    refreshed = AppTest.from_file(APP, default_timeout=60)
    refreshed.query_params.update(address)
    refreshed.switch_page("pages/assessment.py").run()
    assert_clean(refreshed)
    assert refreshed.session_state["edition_id"] == COPY
    assert refreshed.session_state["period"] == (2025, 2)


@pytest.mark.parametrize("address", [{"ed": "khong-co"}, {"nam": "abc", "quy": "9"}, {"nam": "1850", "quy": "1"}])
def test_an_address_naming_no_edition_or_a_wrong_period_opens_the_defaults(db, address):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(address)
    at.switch_page("pages/assessment.py").run()
    assert_clean(at)
    assert at.session_state["edition_id"] == registry.DEFAULT_EDITION
    year, quarter = at.session_state["period"]
    assert 2020 <= year <= 2100 and 1 <= quarter <= 4
