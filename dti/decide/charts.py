"""Plotly figures of a result (no Streamlit): gauge, main-index bars, radar, pillars, what-if comparison.

Labels come in the chosen language and numbers in its format (0,6548 in Vietnamese); hover texts are
preformatted so Plotly's own (English) number format never shows. Figures are small: a few traces each.
"""

from __future__ import annotations

import html

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
