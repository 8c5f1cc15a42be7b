"""Figures of a result (no Streamlit): gauge, main-index bars, radar, pillars, what-if comparison.

Two forms: Plotly figures (interactive; the what-if, scenario and peer pages, and the Results page on demand) and
static SVGs drawn by matplotlib (the Results page by default, the report). A page with a Plotly chart makes the
browser fetch and compile Streamlit's 4.7 MB plotly.js chunk, which made the Results page load in 2 to 5 seconds
(issue 13); an SVG needs no script.

Labels come in the chosen language and numbers in its format (0,6548 in Vietnamese); hover texts are
preformatted so Plotly's own (English) number format never shows. Figures are small: a few traces each.
"""

from __future__ import annotations

import html
import io
import math
import re
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import plotly.graph_objects as go

from dti.framework.model import Framework
from dti.i18n import fmt_number, plotly_separators, t
from dti.scoring.engine import Result

LOW = "#d62728"  # the lowest main index / pillar
BAR = "#1f77b4"
BASE = "#9aa5b1"
SCENARIO = "#2ca02c"
_LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "height": 380}


def chart_text(text: str) -> str:
    """``text`` from a user or a file (a scenario name, a title of an uploaded edition) as Plotly shows it:
    Plotly reads <a href>, <b>, <span style> … in labels, names and hover texts, and shows entities as the
    characters they stand for, so the escaped text reads exactly as typed and nothing in it becomes a link."""
    return html.escape(text, quote=False)


def _txt(key: str, lang: str) -> str:
    return t(f"results.chart_{key}", lang)


def localize(fig: go.Figure, lang: str) -> go.Figure:
    """Numbers of a figure in the language's format: axes, hover and d3 formats use ',' as the decimal mark in
    Vietnamese (0,05 not 0.05). Every figure of the app goes through here; text labels are already formatted
    by ``dti.i18n.fmt_number``."""
    fig.update_layout(separators=plotly_separators(lang))
    return fig


def dti_gauge(result: Result, lang: str) -> go.Figure:
    fig = go.Figure(go.Indicator(
        mode="gauge+number", value=result.dti, number={"valueformat": ".4f"},
        title={"text": _txt("dti", lang)},
        gauge={"axis": {"range": [0, 1]}, "bar": {"color": BAR},
               "steps": [{"range": [0, 0.5], "color": "#f3d6d6"}, {"range": [0.5, 0.75], "color": "#fbeed5"},
                         {"range": [0.75, 1], "color": "#d9efd9"}]},
    ))
    fig.update_layout(**{**_LAYOUT, "height": 260, "margin": {"l": 30, "r": 30, "t": 50, "b": 10}})
    return localize(fig, lang)


def main_index_bars(fw: Framework, result: Result, lang: str) -> go.Figure:
    """Scored main indices sorted from the lowest up; the lowest bar is red (none while nothing is answered)."""
    codes = result.lowest_main_indices
    lowest = codes[0] if codes else None
    if not codes:  # nothing answered: every index in its own order, none singled out
        codes = [m.code for m in fw.scored_main_indices]
    # The lowest is named in bold red on the axis too: a bar of value 0 has no colour to show.
    names = [(f"<b><span style='color:{LOW}'>⬇ {c}. {chart_text(fw.main_index_by_code[c].name(lang))}</span></b>"
              if c == lowest else f"{c}. {chart_text(fw.main_index_by_code[c].name(lang))}") for c in codes]
    values = [result.main_indices[c].value for c in codes]
    fig = go.Figure(go.Bar(
        x=values, y=names, orientation="h", marker_color=[LOW if c == lowest else BAR for c in codes],
        text=[fmt_number(v, lang) for v in values], textposition="outside", cliponaxis=False,
        hoverinfo="text+y",
    ))
    # No red bar while nothing is answered, so no title that says the lowest is red.
    title = _txt("main_indices", lang) if lowest else t("loop.chart_main_indices_none_lowest", lang)
    fig.update_layout(title=title, xaxis={"range": [0, 1.15]},
                      yaxis={"autorange": "reversed"}, **_LAYOUT)
    return localize(fig, lang)


def _wrap(text: str, width: int = 16) -> str:
    """Break ``text`` at spaces into lines of about ``width`` characters (Plotly labels wrap only at <br>)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def radar(fw: Framework, result: Result, lang: str) -> go.Figure:
    mains = fw.scored_main_indices
    # Long names wrap onto two lines so the labels left and right of the circle stay inside a half-width chart.
    names = [_wrap(f"{m.code}. {chart_text(m.name(lang))}") for m in mains]
    values = [result.main_indices[m.code].value or 0.0 for m in mains]
    fig = go.Figure(go.Scatterpolar(
        r=values + values[:1], theta=names + names[:1], fill="toself", line_color=BAR,
        text=[fmt_number(v, lang) for v in values + values[:1]], hoverinfo="text+theta",
    ))
    fig.update_layout(title=_txt("radar", lang), polar={"radialaxis": {"range": [0, 1]}},
                      showlegend=False,
                      **{**_LAYOUT, "margin": {"l": 110, "r": 110, "t": 60, "b": 30}})
    return localize(fig, lang)


def pillar_bars(fw: Framework, result: Result, lang: str) -> go.Figure:
    codes = [p.code for p in fw.pillars]
    lowest = result.lowest_pillars[0] if result.lowest_pillars else None
    values = [result.pillars[c].value for c in codes]
    fig = go.Figure(go.Bar(
        x=[chart_text(fw.pillar_by_code[c].name(lang)) for c in codes], y=values,
        marker_color=[LOW if c == lowest else BAR for c in codes],
        text=[fmt_number(v, lang) for v in values], textposition="outside", cliponaxis=False, hoverinfo="text+x",
    ))
    title = _txt("pillars", lang) if lowest else t("loop.chart_pillars_none_lowest", lang)
    fig.update_layout(title=title, yaxis={"range": [0, 1.1]},
                      **_LAYOUT)
    return localize(fig, lang)


def compare_bars(fw: Framework, saved: Result, scenario: Result, lang: str) -> go.Figure:
    """DTI and the pillars side by side: the saved self-assessment and the what-if scenario."""
    labels = [_txt("dti", lang)] + [chart_text(p.name(lang)) for p in fw.pillars]
    base = [saved.dti] + [saved.pillars[p.code].value for p in fw.pillars]
    new = [scenario.dti] + [scenario.pillars[p.code].value for p in fw.pillars]
    fig = go.Figure([
        go.Bar(name=_txt("saved", lang), x=labels, y=base, marker_color=BASE,
               text=[fmt_number(v, lang) for v in base], textposition="outside", hoverinfo="text+x+name"),
        go.Bar(name=_txt("scenario", lang), x=labels, y=new, marker_color=SCENARIO,
               text=[fmt_number(v, lang) for v in new], textposition="outside", hoverinfo="text+x+name"),
    ])
    fig.update_layout(barmode="group", title=_txt("compare", lang), yaxis={"range": [0, 1.1]},
                      legend={"orientation": "h", "y": -0.15}, **_LAYOUT)
    return localize(fig, lang)


# --- Static SVG (matplotlib) ----------------------------------------------------------------------------------------
# One SVG path for the app and the report: ``svg_figure`` sets matplotlib up, ``figure_svg`` writes the SVG.

# rc_context swaps matplotlib's process-wide settings: two sessions drawing at once would restore each other's.
_RC_LOCK = threading.Lock()
# DejaVu Sans (shipped with matplotlib, and in Debian) has every Vietnamese letter; a browser without it draws the
# text (which stays text) in its own sans-serif font.
SVG_FONTS = ["DejaVu Sans"]


@contextmanager
def svg_figure(size_in: tuple[float, float], font_pt: float) -> Iterator:
    """A matplotlib Figure (no pyplot: no global state, safe in the app's threads) whose text is written as SVG
    text, not paths: sharp at any zoom, selectable, searchable in a printed PDF, and escaped by matplotlib (a
    name with ``<script>`` or ``&`` is shown as typed)."""
    import matplotlib
    from matplotlib.figure import Figure

    settings = {"svg.fonttype": "none", "font.family": SVG_FONTS, "font.size": font_pt,
                "svg.hashsalt": "dti-chart", "text.parse_math": False}
    with _RC_LOCK, matplotlib.rc_context(settings):
        yield Figure(figsize=size_in)


def figure_svg(fig, css_class: str = "chart") -> str:
    """The figure as an ``<svg>`` element (no XML prolog, no date: the same result gives the same text) that scales
    with its container at the figure's proportions. Call inside ``svg_figure``."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    return re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', rf'<svg\1 class="{css_class}" role="img"', svg,
                  count=1)


APP_FONT_PT = 12.0  # drawn about 1:1 in its column: an SVG unit (pt) becomes a CSS pixel


def _number_axis(axis, lang: str, digits: int = 1) -> None:
    from matplotlib.ticker import FuncFormatter
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_number(v, lang, digits)))


def _plain_axes(ax, grid_axis: str) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=grid_axis, color="#e3e3e3", linewidth=0.6)
    ax.set_axisbelow(True)


# The SVGs are drawn from plain values (numbers, labels, language) and kept: drawing one costs the server 0.1 to
# 0.5 s of matplotlib, and the Results page of an unchanged assessment is opened again and again.
SVG_CACHE_SIZE = 256


def dti_gauge_svg(result: Result, lang: str) -> str:
    """The DTI on a half-circle scale 0..1 with the same bands as the Plotly gauge, its value in the middle."""
    return _gauge_svg(float(result.dti), _txt("dti", lang), lang)


def main_index_bars_svg(fw: Framework, result: Result, lang: str) -> str:
    """``main_index_bars`` as a static SVG: from the lowest up, the lowest red and named in bold red with ⬇."""
    codes = result.lowest_main_indices
    lowest = codes[0] if codes else None
    if not codes:  # nothing answered: every index in its own order, none singled out
        codes = [m.code for m in fw.scored_main_indices]
    labels = tuple(("⬇ " if c == lowest else "") + f"{c}. {fw.main_index_by_code[c].name(lang)}" for c in codes)
    values = tuple(result.main_indices[c].value for c in codes)
    title = _txt("main_indices", lang) if lowest else t("loop.chart_main_indices_none_lowest", lang)
    return _hbars_svg(labels, values, 0 if lowest else None, title, lang)


def radar_svg(fw: Framework, result: Result, lang: str) -> str:
    """``radar`` as a static SVG: one spoke per scored main index (clockwise from the top), values 0..1."""
    mains = fw.scored_main_indices
    return _radar_svg(tuple(f"{m.code}. {m.name(lang)}" for m in mains),
                      tuple(result.main_indices[m.code].value or 0.0 for m in mains), _txt("radar", lang), lang)


def pillar_bars_svg(fw: Framework, result: Result, lang: str) -> str:
    """``pillar_bars`` as a static SVG: one bar per pillar, the lowest red."""
    codes = [p.code for p in fw.pillars]
    lowest = result.lowest_pillars[0] if result.lowest_pillars else None
    title = _txt("pillars", lang) if lowest else t("loop.chart_pillars_none_lowest", lang)
    return _vbars_svg(tuple(fw.pillar_by_code[c].name(lang) for c in codes),
                      tuple(result.pillars[c].value for c in codes),
                      codes.index(lowest) if lowest else None, title, lang)


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


@lru_cache(maxsize=SVG_CACHE_SIZE)
def _gauge_svg(dti: float, title: str, lang: str) -> str:
    from matplotlib.patches import Wedge

    def angle(value: float) -> float:  # degrees: 0 on the left (180°), 1 on the right (0°)
        return 180.0 * (1.0 - value)

    with svg_figure((4.0, 2.6), APP_FONT_PT) as fig:
        ax = fig.add_axes((0.02, 0.02, 0.96, 0.84))
        ax.set_xlim(-1.2, 1.2)
        ax.set_ylim(-0.12, 1.15)
        ax.set_aspect("equal")
        ax.axis("off")
        for lo, hi, colour in ((0, 0.5, "#f3d6d6"), (0.5, 0.75, "#fbeed5"), (0.75, 1, "#d9efd9")):
            ax.add_patch(Wedge((0, 0), 1.0, angle(hi), angle(lo), width=0.32, color=colour))
        shown = min(max(dti, 0.0), 1.0)
        if shown > 0:
            ax.add_patch(Wedge((0, 0), 0.92, angle(shown), 180.0, width=0.16, color=BAR))
        for tick in (0, 0.2, 0.4, 0.6, 0.8, 1.0):
            a = math.radians(angle(tick))
            ax.plot([math.cos(a), 1.05 * math.cos(a)], [math.sin(a), 1.05 * math.sin(a)], color="#666",
                    linewidth=0.8)
            ax.text(1.14 * math.cos(a), 1.12 * math.sin(a), fmt_number(tick, lang, 1), ha="center", va="center",
                    fontsize=APP_FONT_PT - 1, color="#444")
        ax.text(0, 0.1, fmt_number(dti, lang), ha="center", va="center", fontsize=APP_FONT_PT * 2.4)
        fig.suptitle(title, y=0.98, fontsize=APP_FONT_PT + 1)
        return figure_svg(fig)


@lru_cache(maxsize=SVG_CACHE_SIZE)
def _hbars_svg(labels: tuple[str, ...], values: tuple[float | None, ...], lowest: int | None, title: str,
               lang: str) -> str:
    with svg_figure((6.0, 0.6 + 0.5 * len(labels)), APP_FONT_PT) as fig:
        ax = fig.add_subplot()
        ys = list(range(len(labels)))
        bars = ax.barh(ys, [v or 0.0 for v in values], height=0.7,
                       color=[LOW if i == lowest else BAR for i in ys])
        ax.bar_label(bars, labels=[fmt_number(v, lang) for v in values], padding=3, fontsize=APP_FONT_PT - 0.5)
        ax.set_yticks(ys, [_wrapped(label, 32) for label in labels])
        if lowest is not None:  # a bar of value 0 has no colour to show: its name says it too
            ax.get_yticklabels()[lowest].set(color=LOW, fontweight="bold")
        ax.invert_yaxis()
        ax.set_xlim(0, 1.15)
        ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
        _number_axis(ax.xaxis, lang)
        ax.tick_params(axis="y", length=0)
        _plain_axes(ax, "x")
        ax.set_title(title, loc="left", fontsize=APP_FONT_PT + 1)
        fig.tight_layout(pad=0.4)
        return figure_svg(fig)


@lru_cache(maxsize=SVG_CACHE_SIZE)
def _radar_svg(labels: tuple[str, ...], values: tuple[float, ...], title: str, lang: str) -> str:
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    with svg_figure((6.0, 5.6), APP_FONT_PT) as fig:
        ax = fig.add_subplot(projection="polar")
        ax.set_theta_zero_location("N")
        ax.set_theta_direction(-1)
        ax.plot(angles + angles[:1], list(values) + list(values[:1]), color=BAR, linewidth=1.5)
        ax.fill(angles + angles[:1], list(values) + list(values[:1]), color=BAR, alpha=0.25)
        ax.set_xticks(angles, [_wrapped(label, 18) for label in labels], fontsize=APP_FONT_PT - 1)
        ax.tick_params(axis="x", pad=10)
        ax.set_ylim(0, 1)
        ax.set_yticks([0.2, 0.4, 0.6, 0.8, 1.0])
        _number_axis(ax.yaxis, lang)
        ax.tick_params(axis="y", labelsize=APP_FONT_PT - 1.5, labelcolor="#666")
        ax.grid(color="#d9d9d9", linewidth=0.6)
        ax.set_title(title, loc="left", fontsize=APP_FONT_PT + 1, pad=22)
        fig.tight_layout(pad=0.4)
        return figure_svg(fig)


@lru_cache(maxsize=SVG_CACHE_SIZE)
def _vbars_svg(labels: tuple[str, ...], values: tuple[float | None, ...], lowest: int | None, title: str,
               lang: str) -> str:
    with svg_figure((11.0, 3.4), APP_FONT_PT) as fig:
        ax = fig.add_subplot()
        xs = list(range(len(labels)))
        bars = ax.bar(xs, [v or 0.0 for v in values], width=0.6, color=[LOW if i == lowest else BAR for i in xs])
        ax.bar_label(bars, labels=[fmt_number(v, lang) for v in values], padding=3, fontsize=APP_FONT_PT - 0.5)
        ax.set_xticks(xs, [_wrapped(label, 28) for label in labels])
        ax.tick_params(axis="x", length=0)
        ax.set_ylim(0, 1.1)
        ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
        _number_axis(ax.yaxis, lang)
        _plain_axes(ax, "y")
        ax.set_title(title, loc="left", fontsize=APP_FONT_PT + 1)
        fig.tight_layout(pad=0.4)
        return figure_svg(fig)
