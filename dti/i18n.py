"""Vietnamese first, English everywhere: UI strings from one translation file, numbers in each language's format.

Labels of the framework itself (indices, components, levels) come from the framework YAML (``name_vi`` /
``name_en``); every other UI string lives in ``config/i18n.yaml`` as ``key: {vi: ..., en: ...}``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

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


def fmt_number(x: float | None, lang: str = DEFAULT_LANG, digits: int = 4) -> str:
    """0.6548 → '0,6548' in Vietnamese, '0.6548' in English; thousands: 1.234,5 / 1,234.5."""
    if x is None:
        return "—"
    text = f"{x:,.{digits}f}"
    if lang == "vi":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


def fmt_points(x: float | None, lang: str = DEFAULT_LANG) -> str:
    """Points without useless decimals: 10 → '10', 7.5 → '7,5' (vi)."""
    if x is None:
        return "—"
    digits = 0 if abs(x - round(x)) < 1e-9 else 2
    text = fmt_number(x, lang, digits)
    if digits and lang == "vi":
        text = text.rstrip("0").rstrip(",")
    elif digits:
        text = text.rstrip("0").rstrip(".")
    return text


def name(obj, lang: str = DEFAULT_LANG) -> str:
    """``name_vi`` / ``name_en`` (or ``label_*``, ``title_*``) of a framework object in ``lang``."""
    for stem in ("name", "label", "title"):
        vi, en = getattr(obj, f"{stem}_vi", None), getattr(obj, f"{stem}_en", None)
        if vi is not None:
            return en if (lang == "en" and en) else vi
    return str(obj)
