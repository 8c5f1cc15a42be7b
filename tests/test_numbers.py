"""The one parser and formatter of numbers meant for people (dti.i18n, Babel's vi_VN and en formats)."""

from __future__ import annotations

import pytest

from dti.i18n import MAX_NUMBER_CHARS, NumberError, fmt_number, fmt_points, parse_number, plain_number
from dti.scoring.rules import InputError, check_points, points_from_value

# text, value: read alike in both UI languages (a number never depends on the language it was typed in)
ACCEPTED = [
    ("1,5", 1.5), ("1.5", 1.5), ("12,5", 12.5), ("12.5", 12.5), ("0,75", 0.75), ("0.75", 0.75),
    (",5", 0.5), (".5", 0.5), ("0,500", 0.5), ("0.500", 0.5), ("7", 7.0), ("  3 ", 3.0), ("-1,5", -1.5),
    ("\u22122", -2.0), ("+2,5", 2.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1.234.567", 1234567.0),
    ("1,234,567", 1234567.0), ("1.234.567,25", 1234567.25), ("1234,5", 1234.5), ("1234.5", 1234.5),
    ("0", 0.0), ("-0", 0.0),
]
# text, message key: refused, never guessed
REFUSED = [
    ("1,2,3", "malformed"), ("1.2.3", "malformed"), ("1.234.56", "malformed"), ("1,23,456", "malformed"),
    ("abc", "malformed"), ("1 5", "malformed"), ("1,5,", "malformed"), ("nan", "malformed"), ("inf", "malformed"),
    ("12,5 điểm", "malformed"), ("=1+1", "malformed"), ("1.500", "ambiguous"), ("1,500", "ambiguous"),
    ("12.345", "ambiguous"), ("", "blank"), ("   ", "blank"), ("9" * 5000, "too_long"), ("1e400", "too_large"),
    ("9" * 30, "too_large"),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("text", "value"), ACCEPTED)
def test_accepted_numbers_read_alike_in_both_languages(text, value, lang):
    assert parse_number(text, lang) == value


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("text", "key"), REFUSED)
def test_malformed_or_ambiguous_text_is_refused(text, key, lang):
    with pytest.raises(NumberError) as exc:
        parse_number(text, lang)
    assert exc.value.key == key
    assert exc.value.message(lang).startswith(repr(text[:MAX_NUMBER_CHARS]).rstrip("'"))


def test_an_ambiguous_number_says_both_readings_and_how_to_write_them():
    with pytest.raises(NumberError) as exc:
        parse_number("1.500", "vi")
    assert exc.value.message("vi") == ("'1.500' không rõ là 1500 hay 1,5; hãy viết 1500 hoặc 1,5, "
                                       "không dùng dấu phân cách hàng nghìn")
    assert str(exc.value) == "'1.500' is ambiguous: 1500 or 1.5? Write 1500 or 1.5, without a thousands separator"


def test_a_known_range_settles_which_reading_is_meant():
    assert parse_number("1.000", "vi", high=1.0) == 1.0  # a main-index value of 0..1 cannot be 1000
    assert parse_number("1,500", "en", high=10) == 1.5
    with pytest.raises(NumberError):
        parse_number("1.500", "vi", high=10_000)  # both readings fit: still refused


def test_huge_text_is_refused_before_parsing():
    with pytest.raises(NumberError) as exc:
        parse_number("1" * 5000, "vi")
    assert len(exc.value.message("vi")) < 200 and "40" in exc.value.message("vi")


# value, digits, vi, en
FORMATTED = [
    (0.65481, 4, "0,6548", "0.6548"), (1234.5, 1, "1.234,5", "1,234.5"), (1000, 0, "1.000", "1,000"),
    (0.05, 2, "0,05", "0.05"), (-0.00001, 4, "0,0000", "0.0000"), (-1.25, 2, "-1,25", "-1.25"),
]


@pytest.mark.parametrize(("value", "digits", "vi", "en"), FORMATTED)
def test_fmt_number(value, digits, vi, en):
    assert fmt_number(value, "vi", digits) == vi and fmt_number(value, "en", digits) == en


@pytest.mark.parametrize(("value", "vi", "en"), [
    (10, "10", "10"), (7.5, "7,5", "7.5"), (0.25, "0,25", "0.25"), (1000, "1.000", "1,000"), (2.0 / 3, "0,67", "0.67"),
    (None, "—", "—"),
])
def test_fmt_points(value, vi, en):
    assert fmt_points(value, "vi") == vi and fmt_points(value, "en") == en


@pytest.mark.parametrize("value", [1.5, 12.5, 0.1 + 0.2, 1500.0, 1234567.25, 0.0])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_shown_number_reads_back_unchanged(value, lang):
    assert parse_number(plain_number(value, lang), lang) == pytest.approx(value, abs=1e-12)
    assert parse_number(fmt_number(value, lang), lang) == pytest.approx(value, abs=1e-4)


def test_rules_read_text_through_the_same_parser(fw_all_rules):
    direct = next(c for c in fw_all_rules.components if c.rule.type == "direct")
    stepped = next(c for c in fw_all_rules.components if c.rule.type == "stepped")
    assert check_points(direct, "1,5") == check_points(direct, "1.5") == 1.5
    assert points_from_value(stepped, "2,5") == points_from_value(stepped, "2.5")
    with pytest.raises(InputError) as exc:
        points_from_value(stepped, "1.500")
    assert "1500" in exc.value.text("vi") and "1,5" in exc.value.text("vi")
    with pytest.raises(InputError):
        check_points(direct, "1,2,3")


@pytest.mark.parametrize(("lang", "separators"), [("vi", ",."), ("en", ".,")])
def test_every_chart_uses_the_languages_separators(fw2022, lang, separators):
    from dti.decide import charts, demo, peers, scenarios
    from dti.scoring.engine import score

    responses = demo.demo_responses(fw2022)
    result = score(fw2022, responses)
    table = peers.load_published()
    rows = scenarios.compare(fw2022, responses, [scenarios.Scenario("A", {"1.1": 10.0})])
    figures = [charts.dti_gauge(result, lang), charts.main_index_bars(fw2022, result, lang),
               charts.radar(fw2022, result, lang), charts.pillar_bars(fw2022, result, lang),
               charts.compare_bars(fw2022, result, result, lang), scenarios.comparison_figure(fw2022, rows, lang),
               peers.peer_figure(table, 2022, None, result.dti, "A", lang)]
    assert [f.layout.separators for f in figures] == [separators] * len(figures)
    # The scenario chart's hover keeps a d3 number format, which Plotly writes with those separators.
    assert all("%{y:.4f}" in bar.hovertemplate for bar in figures[-2].data)


def test_the_report_chart_uses_the_languages_separators(fw2022):
    from dti.decide import demo, report
    from dti.scoring.engine import score

    responses = demo.demo_responses(fw2022)
    result = score(fw2022, responses)
    # The report's chart is a static SVG (no Plotly): its axis and bar labels are text in the language's format.
    vi = report.main_index_svg(report.ReportData(fw2022, responses, result, lang="vi"))
    en = report.main_index_svg(report.ReportData(fw2022, responses, result, lang="en"))
    assert ">0,2<" in vi and ">0.2<" not in vi
    assert ">0.2<" in en and ">0,2<" not in en
    first = fmt_number(result.main_indices["1"].value, "vi", 2)
    assert "," in first and f">{first}<" in vi
