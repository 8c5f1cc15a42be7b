"""The one-page HTML report renders in headless Chromium from a local file, offline, and prints to PDF."""

from __future__ import annotations

import pytest

from dti import demo, goalseek, peers, report, scenarios, uncertainty
from dti.engine import score
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture
def report_file(fw2022, tmp_path):
    responses = demo.demo_responses(fw2022)
    result = score(fw2022, responses)
    table = peers.load_published()
    band = uncertainty.band(fw2022, result, uncertainty.downside(fw2022, uncertainty.confidence(fw2022, responses)),
                            table=table, year=2022)
    plan = goalseek.seek(fw2022, responses, 0.65)
    data = report.ReportData(fw2022, responses, result, province=demo.province_name("vi"), lang="vi", band=band,
                             rank=table.estimate_rank(result.dti, 2022), plan=plan,
                             scenario=scenarios.apply(fw2022, responses, plan.scenario("Đạt 0,65")))
    path = tmp_path / "bao-cao.html"
    path.write_text(report.html_report(data), encoding="utf-8")
    return path, data


def test_report_renders_offline_and_prints(page, screenshot, report_file):
    path, data = report_file
    requests = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(path.as_uri())
    # Plotly draws its SVG only when its inline JavaScript ran: proof the chart works without a network.
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
    bars = page.locator(".js-plotly-plot .bars .point").count()
    assert bars == 2 * len(data.fw.scored_main_indices)  # current state and the scenario, per main index
    body = page.inner_text("body")
    assert "Tỉnh Minh Họa (hư cấu)" in body and "0,5815" in body
    assert "Năm chỉ số chính thấp nhất" in body and "⚠ tạm đặt" in body
    assert f"Để đạt DTI 0,6500: nâng {len(data.plan.steps)} chỉ số thành phần" in body
    assert all(url.startswith("file://") for url in requests), requests
    shot = screenshot("report-html-vi")
    assert shot.stat().st_size > 10_000
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "report-html-vi.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes()[:5] == b"%PDF-"
