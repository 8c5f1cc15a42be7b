"""The one-page HTML report and the full Excel workbook."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from dti.decide import demo, goalseek, peers, report, scenarios, uncertainty
from dti.scoring.engine import Response, score


@pytest.fixture(scope="module")
def data(fw2022):
    responses = demo.demo_responses(fw2022)
    responses["1.1"] = Response("1.1", points=responses["1.1"].points, evidence="=HYPERLINK(\"http://x\")",
                                note="<script>alert(1)</script>")
    result = score(fw2022, responses)
    table = peers.load_published()
    band = uncertainty.band(fw2022, result, uncertainty.downside(fw2022, uncertainty.confidence(fw2022, responses)),
                            table=table, year=2022)
    plan = goalseek.seek(fw2022, responses, 0.62)
    sc = scenarios.apply(fw2022, responses, plan.scenario("Đạt 0,62"))
    return report.ReportData(fw2022, responses, result, province="Tỉnh Minh Họa <hư cấu>", lang="vi", band=band,
                             rank=table.estimate_rank(result.dti, 2022), scenario=sc, plan=plan, on=date(2026, 5, 1))


def test_html_has_every_section_in_vietnamese(data):
    page = report.html_report(data)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page
    assert "Tỉnh Minh Họa &lt;hư cấu&gt;" in page  # user text is escaped
    assert "0,5815" in page  # the estimate in Vietnamese number format
    assert f"{data.band.dti.low:.4f}".replace(".", ",") in page
    assert "Năm chỉ số chính thấp nhất" in page and "Mười chỉ số thành phần mất nhiều điểm nhất" in page
    for code in data.result.lowest_main_indices[:5]:
        assert data.fw.main_index_by_code[code].name_vi in page
    for comp in data.result.points_at_stake()[:10]:
        assert f"<td>{comp.code}</td>" in page
    assert "⚠ tạm đặt" in page  # provisional titles are marked
    assert "Đạt 0,62" in page and "01/05/2026" in page
    for step in data.plan.steps:
        assert f"<td>{step.code}</td>" in page
    assert "<script>alert(1)</script>" not in page
    # The chart is a static SVG: no script at all (none from the network, no 4.8 MB copy of plotly.js).
    assert "<script" not in page.lower() and "plotly" not in page.lower()
    # Nothing inlined either (a base64 image or font): about 22 KB with a scenario and a plan (issue 13 found
    # 4.8 MB); a bitmap chart or an embedded font would break this bound.
    assert "base64," not in page and "@font-face" not in page
    assert len(page.encode()) < 50_000


def svg_texts(page: str) -> str:
    """Every text line of the report's chart, in order, joined by spaces (wrapped labels read back whole)."""
    svg = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert svg, "the main-index chart is an inline SVG"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", m)).strip()
                    for m in re.findall(r"<text\b[^>]*>(.*?)</text>", svg.group(0), re.S))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_chart_is_an_svg_with_every_main_index_label_as_text(data, lang):
    from dataclasses import replace

    page = report.html_report(replace(data, lang=lang))
    texts = svg_texts(page)
    for m in data.fw.scored_main_indices:
        assert f"{m.code}. {m.name(lang)}" in texts, (m.code, texts)
        value = f"{data.result.main_indices[m.code].value:.2f}"
        assert (value.replace(".", ",") if lang == "vi" else value) in texts
    assert data.scenario.name in texts  # the legend names the scenario
    # Bars carry ids (current state and scenario per main index) so a reader or a test can find them.
    assert len(re.findall(r'id="bar-(?:now|scenario)-\d+"', page)) == 2 * len(data.fw.scored_main_indices)


def test_html_in_english(data):
    from dataclasses import replace

    page = report.html_report(replace(data, lang="en", scenario=None, plan=None, band=None))
    assert '<html lang="en">' in page and "The five weakest main indices" in page and "0.5815" in page
    assert "⚠ provisional" in page


def test_unreachable_plan_is_said(data, fw2022):
    from dataclasses import replace

    plan = goalseek.seek(fw2022, data.responses, 0.99, targets={c.code: 0 for c in fw2022.components[:30]})
    assert not plan.reachable
    page = report.html_report(replace(data, plan=plan))
    assert "Không thể đạt DTI 0,9900" in page


def test_excel_lists_every_component_and_neutralises_formulas(data, fw2022):
    wb = load_workbook(io.BytesIO(report.excel_report(data)))
    summary, comps = wb.worksheets[:2]
    assert summary["B3"].value == pytest.approx(data.result.dti, abs=1e-6)
    rows = list(comps.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [c.code for c in fw2022.components]
    by_code = {r[0]: r for r in rows}
    assert by_code["1.1"][11] == "'=HYPERLINK(\"http://x\")"
    for r in rows:
        for cell in r:
            assert not (isinstance(cell, str) and cell[:1] in "=+-@")
    assert sum(r[6] or 0 for r in rows) == pytest.approx(data.result.points)
    assert "tạm đặt" in by_code["1.1"][2]
    assert by_code["1.1"][-1] == pytest.approx(data.scenario.result.components["1.1"].points)


@pytest.mark.parametrize("text", ["=1+1", "+A1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_safe_cell(text):
    assert report.safe_cell(text) == "'" + text
    assert report.safe_cell(-2) == -2 and report.safe_cell("ok") == "ok"


def test_long_plan_is_cut_on_the_page_and_complete_in_the_workbook(data, fw2022):
    from dataclasses import replace

    plan = goalseek.seek(fw2022, data.responses, 0.9)
    assert len(plan.steps) > report.MAX_PLAN_ROWS
    page = report.html_report(replace(data, plan=plan))
    assert f"… và {len(plan.steps) - report.MAX_PLAN_ROWS} chỉ số thành phần khác" in page
    wb = load_workbook(io.BytesIO(report.excel_report(replace(data, plan=plan))))
    sheet = wb["Phương án"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows[:-1]] == [s.code for s in plan.steps]
    assert rows[-1][1] == pytest.approx(plan.result_dti, abs=1e-6)


def test_scenario_name_in_the_chart_is_plain_text(data):
    from dataclasses import replace

    name = "<b>Mục tiêu</b> $x^2$ & =1+1"
    page = report.html_report(replace(data, scenario=replace(data.scenario, name=name)))
    assert "<b>Mục tiêu</b>" not in page
    assert name in svg_texts(page)  # shown as typed: no HTML, no math formula
