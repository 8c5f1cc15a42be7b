"""Vietnamese first, English everywhere: UI strings from one translation file, numbers in each language's format.

Labels of the framework itself (indices, components, levels) come from the framework YAML (``name_vi`` /
``name_en``); every other UI string lives in ``config/i18n.yaml`` as ``key: {vi: ..., en: ...}``.
"""

from __future__ import annotations

import math
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale
from babel.numbers import NumberFormatError, format_decimal, get_decimal_symbol, get_group_symbol, parse_decimal

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
TRANSLATIONS_FILE = Path(__file__).resolve().parent.parent / "config" / "i18n.yaml"


@lru_cache(maxsize=1)
def translations() -> dict[str, dict[str, str]]:
    with open(TRANSLATIONS_FILE, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    flat: dict[str, dict[str, str]] = {}
    for section, entries in data.items():
        for key, texts in (entries or {}).items():
            flat[f"{section}.{key}"] = texts
    return flat


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The text of ``key`` (``section.name``) in ``lang``; a missing key shows itself rather than crash."""
    texts = translations().get(key)
    if texts is None:
        return key
    text = texts.get(lang) or texts.get(DEFAULT_LANG) or key
    return text.format(**values) if values else text


# Babel locales of the UI languages: Vietnamese writes 1.234,5 and English 1,234.5.
LOCALES = {"vi": "vi_VN", "en": "en"}
MAX_NUMBER_CHARS = 40  # longer text is refused before parsing (a number meant for people is short)
MAX_NUMBER = 1e15  # beyond this no count, points or ratio part of the index makes sense


@lru_cache(maxsize=len(LANGS) + 1)
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES.get(lang, LOCALES[DEFAULT_LANG]))


@lru_cache(maxsize=4096)
def _format(x: float, pattern: str, lang: str) -> str:
    """Babel's formatting, memoized: a page shows the same few values (0, 10, 7,5 …) many times per rerun."""
    return format_decimal(x, pattern, locale=_locale(lang))


def fmt_number(x: float | None, lang: str = DEFAULT_LANG, digits: int = 4) -> str:
    """0.6548 → '0,6548' in Vietnamese, '0.6548' in English; thousands: 1.234,5 / 1,234.5."""
    if x is None:
        return "—"
    if round(x, digits) == 0:
        x = 0.0  # no '-0,0000'
    return _format(float(x), "#,##0" + ("." + "0" * digits if digits > 0 else ""), lang)


def fmt_points(x: float | None, lang: str = DEFAULT_LANG) -> str:
    """Points without useless decimals (at most two): 10 → '10', 7.5 → '7,5' (vi)."""
    if x is None:
        return "—"
    if round(x, 2) == 0:
        x = 0.0
    return _format(float(x), "#,##0.##", lang)


def plotly_separators(lang: str = DEFAULT_LANG) -> str:
    """Plotly's ``separators`` (decimal mark, then thousands mark) of the language's format: ',.' in Vietnamese."""
    locale = _locale(lang)
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def plain_number(x: float, lang: str = DEFAULT_LANG) -> str:
    """A number without thousands separators, every decimal kept (1500 → '1500', 1.5 → '1,5' in vi).

    The form a message suggests to type, and what a number field shows for a value: it reads back unchanged.
    """
    return _format(float(x), "0.###############", lang)


class NumberError(ValueError):
    """Text that is not a number, or whose magnitude is unclear; ``reason(lang)`` says how to write it.

    ``str()`` is the whole English message; callers that name the field use ``reason`` after their own subject.
    """

    def __init__(self, text: str, key: str, **values):
        self.input = text
        self.key, self.values = key, values
        super().__init__(self.message("en"))

    def reason(self, lang: str) -> str:
        return t(f"numbers.{self.key}", lang, **{k: v(lang) if callable(v) else v for k, v in self.values.items()})

    def message(self, lang: str) -> str:
        return f"{self.input!r} {self.reason(lang)}"


def parse_number(text: str, lang: str = DEFAULT_LANG, low: float | None = None, high: float | None = None) -> float:
    """The number a person typed or a file holds: '1,5' and '1.5' alike, thousands '1.234,5' or '1,234.5'.

    The text is read by Babel in both languages' formats (strictly: thousands groups must be of three digits).
    A text both read alike is accepted; one read as two different numbers ('1.500': 1500 in Vietnamese, 1.5 in
    English) is refused, as is a text neither reads: a magnitude is never guessed. The result therefore never
    depends on ``lang``; ``lang`` only orders the two readings. A caller that knows the range of the value
    (``low``..``high``, e.g. a main-index value 0..1) lets a second reading outside it drop: '1.000' is then 1.
    Raises NumberError.
    """
    raw = str(text)
    cleaned = raw.strip().replace("\u2212", "-")  # the typographic minus some editors insert
    if not cleaned:
        raise NumberError(raw, "blank")
    if len(cleaned) > MAX_NUMBER_CHARS:
        raise NumberError(raw[:MAX_NUMBER_CHARS] + "…", "too_long", limit=MAX_NUMBER_CHARS)
    readings: list[Decimal] = []
    for code in dict.fromkeys((lang, *LANGS)):
        try:
            number = parse_decimal(cleaned, locale=_locale(code), strict=True)
        except (NumberFormatError, ValueError, ArithmeticError):
            continue
        if number.is_finite() and number not in readings:
            readings.append(number)
    if not readings:
        raise NumberError(raw, "malformed")
    if len(readings) > 1:
        fitting = [r for r in readings if (low is None or r >= low) and (high is None or r <= high)]
        readings = fitting if len(fitting) == 1 else readings
    if len(readings) > 1:
        small, large = sorted(readings)
        raise NumberError(raw, "ambiguous", one=lambda lg: plain_number(float(large), lg),
                          other=lambda lg: plain_number(float(small), lg))
    value = float(readings[0])
    if not math.isfinite(value) or abs(value) >= MAX_NUMBER:
        raise NumberError(raw, "too_large", limit=lambda lg: fmt_points(MAX_NUMBER, lg))
    return value + 0.0  # -0 → 0


def name(obj, lang: str = DEFAULT_LANG) -> str:
    """``name_vi`` / ``name_en`` (or ``label_*``, ``title_*``) of a framework object in ``lang``."""
    for stem in ("name", "label", "title"):
        vi, en = getattr(obj, f"{stem}_vi", None), getattr(obj, f"{stem}_en", None)
        if vi is not None:
            return en if (lang == "en" and en) else vi
    return str(obj)
