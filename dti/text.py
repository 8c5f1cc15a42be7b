"""Text that comes from outside (a form, an uploaded file, a catalogue) made safe to keep: one cleaning for all.

Control characters (BEL ``\\x07``, ESC ``\\x1b`` that drives terminals, NUL, the C1 range) and the bidirectional
overrides that make text read differently from what it holds have no place in an answer, a name or a title:
they are removed when the text comes in (Store writes, framework editions), so nothing downstream (pages,
exports, logs, the CLI) ever meets them. Tabs and line breaks are kept where text may span lines.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, C1 controls, bidi embeddings/overrides/isolates, BOM.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")
_BLANKS = re.compile(r"[\t\n]+")


def clean_text(text: str, one_line: bool = False) -> str:
    """``text`` without control characters; line breaks become ``\\n`` (a space with ``one_line``)."""
    text = _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))
    return _BLANKS.sub(" ", text) if one_line else text


def clean_value(value):
    """A stored field: strings cleaned, anything else (a number, None) as it is."""
    return clean_text(value) if isinstance(value, str) else value
