"""Self-assessment page (AppTest) and the widget ↔ response mapping behind it (ui.forms)."""

from __future__ import annotations

import pytest

from dti.i18n import fmt_number
from dti.io.excel import read_upload
from dti.scoring.engine import Response, score
from dti.scoring.rules import InputError, points_from_value
from tests.apptest_support import all_rules_dir, assert_clean, form_widget, isolate, metric, open_page
from ui import files, forms


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)


@pytest.fixture
def all_rules_app(tmp_path, monkeypatch):
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(all_rules_dir(tmp_path)))
    return open_page("assessment")


def open_tab(at, label: str):
    at.session_state["a_tab"] = label
    return at.run()


def test_levels_answers_give_the_engines_main_value_and_dti(fw2022):
    at = open_page("assessment")
    at.selectbox(key="c_1.1_value").select("deputy").run()
    at.radio(key="c_1.3_value").set_value(forms.YES).run()
    at.selectbox(key="c_1.2_value").select("chair").run()
    assert_clean(at)
    expected = score(fw2022, {"1.1": Response("1.1", "deputy"), "1.3": Response("1.3", "có"),
                              "1.2": Response("1.2", "chair")})
    assert metric(at, "Giá trị chỉ số chính") == fmt_number(expected.main_indices["1"].value)
    assert metric(at, "DTI ước tính") == fmt_number(expected.dti)
    assert metric(at, "Đã trả lời") == "3/10"
    # The answered component shows its points in its title: deputy is half of 10.
    assert at.selectbox(key="c_1.1_value").label.endswith("· **5**/10 điểm")

    open_tab(at, "2. Thể chế số")
    at.selectbox(key="c_2.4_value").select("most").run()
    expected = score(fw2022, {**{c: Response(c, v) for c, v in [("1.1", "deputy"), ("1.3", "có"), ("1.2", "chair")]},
                              "2.4": Response("2.4", "most")})
    assert metric(at, "Giá trị chỉ số chính") == fmt_number(expected.main_indices["2"].value)
    assert metric(at, "DTI ước tính") == fmt_number(expected.dti)


def test_every_rule_type_scores_like_the_engine(all_rules_app, fw_all_rules):
    at = all_rules_app
    at.selectbox(key="c_1.1_value").select("half").run()
    at.text_input(key="c_1.2_a").input("45").run()
    at.text_input(key="c_1.2_b").input("60").run()
    at.text_input(key="c_1.3_value").input("3").run()
    assert_clean(at)
    first = {"1.1": Response("1.1", "half"), "1.2": Response("1.2", "45/60"), "1.3": Response("1.3", 3)}
    expected = score(fw_all_rules, first)
    assert metric(at, "Giá trị chỉ số chính") == fmt_number(expected.main_indices["1"].value)

    open_tab(at, "2. Chỉ số hai")
    at.checkbox(key="c_2.1_part_chair").check().run()
    at.radio(key="c_2.2_value").set_value(forms.NO).run()
    at.text_input(key="c_2.3_value").input("7.5").run()
    assert_clean(at)
    # Measured by the Ministry: the page says the value is an estimate.
    assert any("Do Bộ đo" in c.value for c in at.caption)
    expected = score(fw_all_rules, {**first, "2.1": Response("2.1", "chair"), "2.2": Response("2.2", "không"),
                                    "2.3": Response("2.3", points=7.5)})
    assert metric(at, "Giá trị chỉ số chính") == fmt_number(expected.main_indices["2"].value)
    assert metric(at, "DTI ước tính") == fmt_number(expected.dti)


def test_out_of_range_value_shows_the_engines_message_at_the_field_and_is_not_saved(all_rules_app, fw_all_rules):
    at = open_tab(all_rules_app, "2. Chỉ số hai")
    at.text_input(key="c_2.3_value").input("12").run()
    assert_clean(at)
    with pytest.raises(InputError) as engine_error:
        points_from_value(fw_all_rules.component_by_code["2.3"], 12)
    assert [e.value for e in at.error] == [f"Chưa lưu giá trị này: {engine_error.value.text('vi')}"]
    assert metric(at, "Đã trả lời") == "0/3"
    # Fixing the value clears the message and saves it.
    at.text_input(key="c_2.3_value").input("10").run()
    assert not at.error
    assert metric(at, "Đã trả lời") == "1/3"


def test_half_a_ratio_or_a_negative_count_is_explained_not_saved(all_rules_app):
    at = all_rules_app
    at.text_input(key="c_1.2_a").input("5").run()
    assert any("hãy nhập cả a và b" in e.value for e in at.error)
    at.text_input(key="c_1.3_value").input("-2").run()
    assert any("số âm" in e.value and "1.3" not in e.value for e in at.error)
    assert metric(at, "Đã trả lời") == "0/3"


def stored(code: str) -> Response | None:
    """The answer saved in the test's database (as the next session would read it)."""
    import os

    from dti.storage.repo import Store

    store = Store.open(os.environ["DTI_DATABASE_URL"])
    assessment = store.latest_assessment("all-rules")  # None while nothing was ever saved
    return store.responses(assessment.id).get(code) if assessment else None


def all_rules_page(tmp_path, monkeypatch, lang: str):
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(all_rules_dir(tmp_path)))
    return open_page("assessment", lang=lang)


@pytest.mark.parametrize(("lang", "typed", "count", "a", "b"), [
    ("vi", "1,5", "2,5", "4,5", "9"), ("en", "1.5", "2.5", "4.5", "9"),
    ("vi", "1.5", "2.5", "4.5", "9"), ("en", "1,5", "2,5", "4,5", "9"),  # the other decimal mark reads alike
])
def test_decimals_typed_in_either_format_are_saved_with_their_magnitude(tmp_path, monkeypatch, fw_all_rules, lang,
                                                                         typed, count, a, b):
    at = all_rules_page(tmp_path, monkeypatch, lang)
    at.text_input(key="c_1.3_value").input(count).run()
    at.text_input(key="c_1.2_a").input(a).run()
    at.text_input(key="c_1.2_b").input(b).run()
    open_tab(at, "2. Index two" if lang == "en" else "2. Chỉ số hai")
    at.text_input(key="c_2.3_value").input(typed).run()
    assert_clean(at)
    assert not at.error
    assert stored("2.3").points == 1.5
    assert stored("1.3").value == "2.5" and stored("1.2").value == "4.5/9"
    expected = score(fw_all_rules, {"1.3": Response("1.3", 2.5), "1.2": Response("1.2", "4.5/9"),
                                    "2.3": Response("2.3", points=1.5)})
    assert metric(at, "Estimated DTI" if lang == "en" else "DTI ước tính") == fmt_number(expected.dti, lang)
    # The field keeps what was typed, and the title shows the points in the language's format.
    assert at.text_input(key="c_2.3_value").value == typed
    assert ("**1,5**/10" if lang == "vi" else "**1.5**/10") in at.text_input(key="c_2.3_value").label


def test_twelve_and_a_half_is_never_saved_as_125(all_rules_app):
    at = open_tab(all_rules_app, "2. Chỉ số hai")
    at.text_input(key="c_2.3_value").input("12,5").run()
    assert stored("2.3") is None  # over the 10 points: refused, not 125 and not saved
    assert [e.value for e in at.error] == ["Chưa lưu giá trị này: điểm 12,5 vượt mức tối đa 10; "
                                           "hãy nhập điểm từ 0 đến 10"]
    at.text_input(key="c_2.3_value").input("7,5").run()
    assert stored("2.3").points == 7.5
    open_tab(at, "1. Chỉ số một")
    at.text_input(key="c_1.3_value").input("12,5").run()
    assert stored("1.3").value == "12.5"


@pytest.mark.parametrize(("lang", "typed", "message"), [
    ("vi", "1,2,3", "Chưa lưu giá trị này: điểm '1,2,3' không phải là số; hãy nhập một số, ví dụ 3"),
    ("en", "1.2.3", "This value is not saved: points '1.2.3' is not a number; write a number such as 3"),
    ("vi", "abc", "Chưa lưu giá trị này: điểm 'abc' không phải là số; hãy nhập một số, ví dụ 3"),
])
def test_a_malformed_number_is_refused_at_the_field_and_nothing_is_saved(tmp_path, monkeypatch, lang, typed,
                                                                          message):
    at = all_rules_page(tmp_path, monkeypatch, lang)
    open_tab(at, "2. Index two" if lang == "en" else "2. Chỉ số hai")
    at.text_input(key="c_2.3_value").input("5").run()
    at.text_input(key="c_2.3_value").input(typed).run()
    assert_clean(at)
    assert [e.value for e in at.error] == [message]
    assert at.text_input(key="c_2.3_value").value == typed  # the typed text stays for the user to fix
    assert stored("2.3").points == 5.0  # the last good answer is kept, nothing half-saved


def test_an_ambiguous_count_is_refused_with_both_readings(all_rules_app):
    at = all_rules_app
    at.text_input(key="c_1.3_value").input("1.500").run()
    assert stored("1.3") is None
    assert [e.value for e in at.error] == ["Chưa lưu giá trị này: số lần '1.500' không rõ là 1500 hay 1,5; "
                                           "hãy viết 1500 hoặc 1,5, không dùng dấu phân cách hàng nghìn"]


@pytest.mark.parametrize(("lang", "shown"), [("vi", "1,5"), ("en", "1.5")])
def test_a_stored_decimal_is_shown_in_the_languages_format(tmp_path, monkeypatch, lang, shown):
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(all_rules_dir(tmp_path)))
    typing = open_page("assessment")
    open_tab(typing, "2. Chỉ số hai").text_input(key="c_2.3_value").input("1.5").run()
    at = open_page("assessment", lang=lang)  # a new session: the field is filled from storage
    open_tab(at, "2. Index two" if lang == "en" else "2. Chỉ số hai")
    assert at.text_input(key="c_2.3_value").value == shown


def test_not_answered_filter_hides_answered_components():
    at = open_page("assessment")
    at.selectbox(key="c_1.1_value").select("top_leader").run()
    at.toggle(key="a_only_unanswered").set_value(True).run()
    keys = {s.key for s in at.selectbox}
    assert "c_1.1_value" not in keys and "c_1.2_value" in keys


def test_provisional_mark_is_shown_with_its_source(fw2022):
    at = open_page("assessment")
    comp = fw2022.component_by_code["1.2"]
    answer = at.selectbox(key="c_1.2_value")
    assert answer.label.startswith("**1.2** ") and "tạm đặt" in answer.label
    assert comp.provenance.source in answer.help


def test_english_labels(fw2022):
    at = open_page("assessment", lang="en")
    assert at.title[0].value == "Self-assessment"
    assert metric(at, "Main index value") == "0.0000"
    assert at.selectbox(key="c_1.1_value").label.startswith("**1.1** " + fw2022.component_by_code["1.1"].name_en)


def test_upload_is_checked_whole_then_merged_on_request(fw2022):
    at = open_page("assessment")
    assert not at.file_uploader  # the file panel is built only when opened
    at.session_state["a_files"] = True
    at.run()
    bad = b"code,value\n1.1,top_leader\n1.2,maybe\n9.99,full\n"
    at.file_uploader(key=files.upload_key("a")).set_value(("bad.csv", bad, "text/csv")).run()
    assert_clean(at)
    problems = [e.value for e in at.error]
    assert problems and "bad.csv" in problems[0] and "2 " in problems[0]
    listed = " ".join(x.value for x in at.text)
    assert "dòng 3" in listed and "1.2" in listed and "9.99" in listed
    assert metric(at, "Đã trả lời") == "0/10"  # nothing half-loaded

    good = b"code,value,evidence\n1.1,deputy,QD 12/2023\n1.3,co,\n"
    at.file_uploader(key=files.upload_key("a")).set_value(("good.csv", good, "text/csv")).run()
    assert_clean(at)
    assert any("2 chỉ số được trả lời mới" in i.value for i in at.info)
    at.button(key="a_import").click().run()
    assert_clean(at)
    assert any("good.csv" in s.value for s in at.success)
    # Replaced as a whole: the form's widgets are new ones (new keys), so a browser cannot keep the old values.
    assert form_widget(at.selectbox, "1.1", "value").value == "deputy"
    assert form_widget(at.text_input, "1.1", "evidence").value == "QD 12/2023"
    expected = score(fw2022, read_upload(fw2022, good, "good.csv"))
    assert metric(at, "Giá trị chỉ số chính") == fmt_number(expected.main_indices["1"].value)


@pytest.mark.parametrize("code, answer", [
    ("1.1", "Một nửa"), ("1.2", "45/60"), ("1.3", "3"), ("2.1", "attend;chair=1"), ("2.2", "yes"), ("3.1", [4, 8]),
])
def test_widgets_show_a_stored_answer_and_give_it_back(fw_all_rules, code, answer):
    comp = fw_all_rules.component_by_code[code]
    values = forms.widget_values(comp, Response(code, answer, note="n"))
    again = forms.response_from_widgets(comp, values)
    assert points_from_value(comp, again.value) == points_from_value(comp, answer)
    assert again.note == "n"


def test_no_part_met_is_an_answer_worth_zero(fw_all_rules):
    comp = fw_all_rules.component_by_code["2.1"]
    values = forms.widget_values(comp, None)
    assert forms.response_from_widgets(comp, values) is None
    values[forms.key("2.1", "none")] = True
    assert forms.response_from_widgets(comp, values) == Response("2.1", points=0.0)
    assert forms.widget_values(comp, Response("2.1", points=0.0))[forms.key("2.1", "none")] is True


def test_agency_filter_shows_only_the_agencys_components():
    from dti.storage import auth
    from ui import state

    at = open_page("assessment")
    assert not [s for s in at.selectbox if s.key == "a_agency"]  # no agencies yet: no filter
    # The coordinator adds an agency and assigns it two components (as the coordinator page does).
    store = state.store()
    science_dept = store.add_agency(auth.SINGLE_USER, "Sở Khoa học và Công nghệ")
    assessment = store.assessment("dti-2022-province", *at.session_state["period"])  # assigning creates it
    store.assign(auth.SINGLE_USER, assessment.id, "1.2", science_dept)
    store.assign(auth.SINGLE_USER, assessment.id, "1.4", None)
    home_affairs = store.add_agency(auth.SINGLE_USER, "Sở Nội vụ")
    store.assign(auth.SINGLE_USER, assessment.id, "1.5", home_affairs, [science_dept])
    at.run()
    at.selectbox(key="a_agency").select(science_dept).run()
    assert_clean(at)
    shown = {str(w.key).split("_")[1] for w in [*at.selectbox, *at.radio] if str(w.key).startswith("c_")}
    assert shown == {"1.2", "1.5"}
