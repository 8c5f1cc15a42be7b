"""The one translation file: every entry in both languages, and every key the code asks for exists."""

from __future__ import annotations

import re

import yaml

from dti.framework import registry
from dti.i18n import TRANSLATIONS_FILE, fmt_number, fmt_points, t, translations

KEY_IN_CODE = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_]+)["']\s*[,)]""")  # a literal key, not a prefix


def test_every_entry_has_vietnamese_and_english_text():
    raw = yaml.safe_load(TRANSLATIONS_FILE.read_text(encoding="utf-8"))
    for section, entries in raw.items():
        for key, texts in entries.items():
            # YAML 1.1 reads bare yes/no/on/off keys as booleans: such a key would never be found.
            assert isinstance(key, str), f"config/i18n.yaml: {section} → {key!r}: quote the key"
            assert isinstance(texts, dict) and texts.get("vi") and texts.get("en"), f"{section}.{key}: add vi and en"


def test_every_key_used_in_the_code_exists():
    known = translations()
    sources = [registry.REPO_ROOT / "app.py", *(registry.REPO_ROOT / d for d in ("pages", "ui", "dti"))]
    files = [p for s in sources for p in ([s] if s.is_file() else s.rglob("*.py"))]
    used = {(f.name, key) for f in files for key in KEY_IN_CODE.findall(f.read_text(encoding="utf-8"))}
    assert len(used) > 100  # the pattern must find the UI's keys, or this test checks nothing
    missing = sorted(f"{name}: {key}" for name, key in used if key not in known)
    assert not missing, "keys used but not in config/i18n.yaml:\n" + "\n".join(missing)


def test_numbers_follow_the_language():
    assert fmt_number(0.65481, "vi") == "0,6548" and fmt_number(0.65481, "en") == "0.6548"
    assert fmt_number(1234.5, "vi", 1) == "1.234,5" and fmt_number(1234.5, "en", 1) == "1,234.5"
    assert fmt_points(7.5, "vi") == "7,5" and fmt_points(10, "en") == "10"
    assert t("assessment.yes", "vi") == "Có" and t("assessment.no", "en") == "No"
