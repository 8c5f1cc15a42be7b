"""Text from users and files is shown as text, never rendered as Markdown/HTML (issue 11): a scenario name from
a shared link, an agency name, a component title from an uploaded edition, an uploaded file's name.

Each rendered element's Markdown source is put through a GitHub-flavoured Markdown renderer (markdown-it-py with
linkify, as Streamlit's remark-gfm does): it must hold no link and no image, and its text must show the hostile
string as typed. Streamlit's own :emoji: / :red[…] / :material/…: shortcodes are checked on that text too.
"""

from __future__ import annotations

import html
import re
import shutil

import pytest
import yaml
from markdown_it import MarkdownIt

from dti.framework import registry
from tests.apptest_support import TESTS, assert_clean, isolate, open_page
from tests.test_catalogue import good_catalogue_xlsx
from ui.widgets import plain

HOSTILE = "![t](http://x/y.png) [Verify](http://evil.example) :-1: <img src=x> $x$ www.evil.example **đậm** :red[đỏ]"
SHORT = "![t](http://x/y.png) [Verify](http://e) :-1: <img src=x>"  # scenario names are at most 60 characters
MARKDOWN = MarkdownIt("gfm-like")


def rendered_text(source: str) -> str:
    """What a reader sees: the rendered HTML must hold no link, image or raw tag; its text (word joiners aside,
    they are invisible) is returned."""
    out = MARKDOWN.render(source)
    assert "<a " not in out and "<img" not in out and "<strong>đậm" not in out, out
    text = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert ":-1:" not in text and ":red[" not in text, text  # Streamlit would still make an emoji, colour of them
    return text.replace("\u2060", "")


def shows_literally(sources: list[str], hostile: str = HOSTILE) -> None:
    found = [s for s in sources if "Verify" in s]  # the elements showing the hostile text
    assert found, sources
    for source in found:
        assert hostile in rendered_text(source), source


@pytest.mark.parametrize("text", [HOSTILE, "1. không phải danh sách", "- không\n===", "# không tiêu đề",
                                  "a|b|c", "~~gạch~~ `mã` _nghiêng_ &amp; \\", "dti-2022.yaml", "Sở TT&TT"])
def test_plain_text_renders_as_itself(text):
    out = MARKDOWN.render(plain(text))
    assert all(tag not in out for tag in ("<a ", "<img", "<h1", "<ol", "<ul", "<hr", "<table", "<del", "<code",
                                          "<em", "<strong"))
    assert html.unescape(re.sub(r"<[^>]+>", "", out)).replace("\u2060", "").strip() == text.strip()


def test_ordinary_names_keep_their_plain_spelling():
    assert plain("dti-2022-province-official.yaml") == "dti-2022-province-official.yaml"
    assert plain("Sở Thông tin và Truyền thông") == "Sở Thông tin và Truyền thông"


@pytest.fixture
def own_database(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)


def test_scenario_name_from_a_shared_link_is_text(own_database):
    at = open_page()
    at.query_params["scn"] = SHORT
    at.query_params["sc"] = "4.1:7.6923"
    at.switch_page("pages/scenarios.py").run()
    assert_clean(at)
    shows_literally([e.value for e in [*at.success, *at.caption]], SHORT)


def test_agency_name_is_text(own_database):
    at = open_page("coordinator")
    field = next(x for x in at.text_input if x.label.startswith("Tên đơn vị"))
    field.input(HOSTILE)
    next(b for b in at.button if b.label == "Thêm đơn vị").click().run()
    assert_clean(at)
    shows_literally([e.value for e in at.success])


@pytest.fixture
def hostile_edition(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)
    folder = tmp_path / "frameworks"
    folder.mkdir()
    data = yaml.safe_load((TESTS / "data" / "all-rules.yaml").read_text(encoding="utf-8"))
    data["main_indices"][0]["name_vi"] = HOSTILE
    data["main_indices"][0]["components"][0]["name_vi"] = HOSTILE
    data["pillars"][0]["name_vi"] = HOSTILE
    (folder / "all-rules.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))


def test_component_and_main_index_titles_from_an_edition_are_text(hostile_edition):
    at = open_page("assessment")
    shows_literally([x.label for x in at.tabs])
    shows_literally([at.selectbox(key="c_1.1_value").label])
    at.switch_page("pages/framework.py").run()
    assert_clean(at)
    shows_literally([x.label for x in at.expander])
    shows_literally([x.value for x in at.markdown])  # the pillar line


def test_uploaded_file_name_is_text(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)
    folder = tmp_path / "frameworks"
    folder.mkdir()
    for edition_id in registry.SHIPPED_EDITIONS:
        shutil.copy(registry.DEFAULT_FRAMEWORKS_DIR / f"{edition_id}.yaml", folder)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    name = "![t](x.png) [Verify](evil) :-1: <img src=x>.xlsx"
    at = open_page("editions")
    at.file_uploader(key="ed_upload").set_value(
        (name, good_catalogue_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    assert_clean(at)
    shows_literally([e.value for e in at.success], name)


def test_chart_labels_and_scenario_names_are_text_in_plotly(fw2022):
    """Plotly reads <a href>, <b>, <span> in names and labels: outside text goes in escaped (shown as typed)."""
    from dti.decide import charts, scenarios
    from dti.decide.peers import load_published
    from dti.decide.scenarios import Scenario
    from dti.scoring.engine import score

    hostile = '<a href="http://evil.example">Verify</a> %{y} <img src=x>'
    rows = scenarios.compare(fw2022, {}, [Scenario(hostile, {"4.1": 5.0})], load_published(), 2022, None)
    fig = scenarios.comparison_figure(fw2022, rows, "vi")
    trace = next(tr for tr in fig.data if "Verify" in tr.name)
    assert "<a" not in trace.name and "<img" not in trace.name and "&lt;a href" in trace.name
    assert "Verify" not in trace.hovertemplate and "&lt;img" in trace.meta  # data, not template
    data = fw2022.model_dump()
    data["main_indices"][0]["name_vi"] = hostile
    fw = type(fw2022).model_validate(data)
    result = score(fw, {})
    for fig in (charts.main_index_bars(fw, result, "vi"), charts.radar(fw, result, "vi")):
        trace = fig.data[0]
        labels = " ".join(map(str, trace.theta if trace.type == "scatterpolar" else trace.y))
        assert "Verify" in labels and '<a href="' not in labels and "<img" not in labels
