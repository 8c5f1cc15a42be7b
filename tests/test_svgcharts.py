"""The Results page draws its charts as static SVG by default (no plotly.js to load: issue 13), Plotly on demand."""

from __future__ import annotations

import re
from html import unescape

import pytest

from dti.decide import charts
from dti.framework.model import Framework
from dti.i18n import fmt_number
from dti.scoring.engine import Response, score
from tests.apptest_support import assert_clean, isolate, open_page, svg_of
from tests.test_page_results import ANSWERS, answered_app

SVG_CHARTS = 4  # gauge, main-index bars, radar, pillars


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)


def page_svgs(at) -> list[str]:
    return [svg_of(url) for image in at.image for url in image.value]


def svg_texts(svg: str) -> list[str]:
    """The text of every <text> element as a person reads it (entities decoded)."""
    return [unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S)]


@pytest.mark.parametrize("lang, decimal, other", [("vi", ",", "."), ("en", ".", ",")])
def test_results_page_shows_svg_charts_and_no_plotly_by_default(fw2022, lang, decimal, other):
    at = answered_app(fw2022, ANSWERS, lang=lang)
    assert not at.get("plotly_chart")
    svgs = page_svgs(at)
    assert len(svgs) == SVG_CHARTS
    texts = [svg_texts(svg) for svg in svgs]
    expected = score(fw2022, {c: Response(c, v) for c, v in ANSWERS.items()})
    gauge, mains, radar, pillars = texts
    assert fmt_number(expected.dti, lang) in gauge
    assert f"0{decimal}2" in gauge and f"0{other}2" not in gauge  # the scale's ticks
    for chart in (mains, pillars):
        assert f"0{decimal}4" in chart and f"0{other}4" not in chart  # axis ticks in the language's format
    lowest = expected.lowest_main_indices[0]
    lowest_name = fw2022.main_index_by_code[lowest].name(lang)
    assert any(lowest_name.split()[0] in line and line.startswith("⬇") for line in mains)
    for main in fw2022.scored_main_indices:
        assert fmt_number(expected.main_indices[main.code].value, lang) in mains  # each bar's label
    for p in fw2022.pillars:
        assert fmt_number(expected.pillars[p.code].value, lang) in pillars
    # Diacritics written as text (the SVG keeps them; DejaVu Sans has the glyphs), not as paths.
    if lang == "vi":
        assert any("Nhận thức số" in line for line in radar)
        assert all("font-family: 'DejaVu Sans'" in svg for svg in svgs)


def test_the_toggle_brings_the_plotly_charts_back_and_is_remembered(fw2022):
    at = open_page("results")
    assert not at.get("plotly_chart") and len(page_svgs(at)) == SVG_CHARTS
    toggle = at.toggle(key="r_interactive")
    assert toggle.label == "Biểu đồ tương tác" and toggle.value is False
    toggle.set_value(True).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == SVG_CHARTS and not page_svgs(at)
    # Another page and back: still interactive (the choice is kept for the session).
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/results.py").run()
    assert_clean(at)
    assert at.toggle(key="r_interactive").value is True
    assert len(at.get("plotly_chart")) == SVG_CHARTS and not page_svgs(at)
    at.toggle(key="r_interactive").set_value(False).run()
    assert not at.get("plotly_chart") and len(page_svgs(at)) == SVG_CHARTS


def test_toggle_in_english():
    at = open_page("results", lang="en")
    assert at.toggle(key="r_interactive").label == "Interactive charts"


def hostile_framework(fw: Framework, name: str) -> Framework:
    data = fw.model_dump()
    for main in data["main_indices"]:
        main["name_vi"] = main["name_en"] = f"{name} {main['code']}"
    for pillar in data["pillars"]:
        pillar["name_vi"] = pillar["name_en"] = f"{name} {pillar['code']}"
    return Framework.model_validate(data)


def test_names_from_a_file_are_drawn_as_text(fw2022):
    name = "<script>alert(1)</script> Sở A & B $x^2$"
    fw = hostile_framework(fw2022, name)
    result = score(fw, {c: Response(c, v) for c, v in ANSWERS.items()})
    for svg in (charts.main_index_bars_svg(fw, result, "vi"), charts.radar_svg(fw, result, "vi"),
                charts.pillar_bars_svg(fw, result, "vi")):
        assert "<script" not in svg
        shown = " ".join(svg_texts(svg))
        assert "&lt;script&gt;" in svg and "&amp; B" in svg  # escaped by matplotlib
        # Names wrap onto lines; read together they are what the file said, '$' not taken as math.
        assert "<script>alert(1)</script>" in shown
        assert "$x^2$" in shown


def test_svgs_are_kept_for_the_same_values(fw2022):
    result = score(fw2022, {c: Response(c, v) for c, v in ANSWERS.items()})
    first = charts.radar_svg(fw2022, result, "vi")
    hits = charts._radar_svg.cache_info().hits
    assert charts.radar_svg(fw2022, result, "vi") is first
    assert charts._radar_svg.cache_info().hits == hits + 1
    assert charts.radar_svg(fw2022, result, "en") != first
