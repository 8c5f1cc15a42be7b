"""Hostile files, generated inside the tests: YAML alias bombs, deep nesting, huge numbers, zip bombs, huge
cells and fields. Every case asserts the message, the time it took and (for uploads) that nothing changed.

``SECONDS`` is the bound of a refusal: on the shared test machine a refusal takes well under a second; the
code before dti/limits.py took minutes (or ran out of memory) on the same files.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager
from xml.sax.saxutils import escape

import pytest

from dti.framework import registry

SECONDS = 10.0

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>")
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{NS}" xmlns:r="{REL_NS}">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def cell(ref: str, value) -> str:
    """An inline string (str), a number written as is (int/float, or ``("num", text)``), a shared string
    (``("shared", index)``)."""
    if isinstance(value, tuple) and value[0] == "shared":
        return f'<c r="{ref}" t="s"><v>{value[1]}</v></c>'
    if isinstance(value, tuple) and value[0] == "num":
        return f'<c r="{ref}"><v>{value[1]}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def row_xml(r: int, values: list) -> str:
    return f'<row r="{r}">' + "".join(cell(f"{chr(65 + i)}{r}", v) for i, v in enumerate(values)) + "</row>"


def raw_xlsx(rows: list[list], *, shared: list[str] = (), filler_bytes: int = 0, last_row: int | None = None,
             dimension: str = "") -> bytes:
    """A minimal .xlsx written member by member (no openpyxl), so that a test can make it hostile:
    ``filler_bytes`` of an XML comment inside the sheet (inflates ~1000 times), a last row far away,
    a false dimension, shared strings of any size."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/sharedStrings.xml", "w") as fh:
            fh.write(f'<sst xmlns="{NS}" count="{len(shared)}" uniqueCount="{len(shared)}">'.encode())
            for s in shared:
                fh.write(b"<si><t>" + escape(s).encode() + b"</t></si>")
            fh.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{NS}">'.encode())
            if dimension:
                fh.write(f'<dimension ref="{dimension}"/>'.encode())
            fh.write(b"<sheetData>")
            for r, values in enumerate(rows, start=1):
                fh.write(row_xml(r, values).encode())
            if filler_bytes:
                fh.write(b"<!--")
                chunk = b"x" * (1 << 20)
                for _ in range(filler_bytes >> 20):
                    fh.write(chunk)
                fh.write(b"-->")
            if last_row:
                fh.write(row_xml(last_row, ["9.9", "full"]).encode())
            fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()


ALIAS_BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]) + "\n"


@contextmanager
def within(seconds: float = SECONDS):
    """Assert that the block took less than ``seconds`` of wall time."""
    start = time.monotonic()
    yield
    took = time.monotonic() - start
    assert took < seconds, f"took {took:.1f} s, over the {seconds:g} s bound"


def run_cli(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m dti`` in a subprocess: no traceback, within the time bound (a hang fails by timeout)."""
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "dti", *map(str, args)], capture_output=True, text=True,
                          cwd=registry.REPO_ROOT, timeout=60, env=env)
    took = time.monotonic() - start
    assert "Traceback" not in done.stderr, done.stderr
    assert took < SECONDS + 5, f"the CLI took {took:.1f} s"  # + the interpreter's start-up
    return done


def snapshot(store, assessment_id: int) -> tuple:
    """What a refused upload must leave as it was: every stored answer (with its version) and the history."""
    stored = {c: (r.value, r.points, r.evidence, r.note, r.version) for c, r in store.stored(assessment_id).items()}
    return stored, len(store.history(assessment_id))


@pytest.fixture
def period(store):
    """An assessment of the all-rules edition holding one saved answer, and the coordinator acting on it."""
    from dti.storage.repo import Actor

    actor = Actor("coord", "coordinator")
    info = store.assessment("all-rules", 2025, 1)
    store.save_response(actor, info.id, "1.1", 0, value="half", evidence="QĐ 12/2024")
    return actor, info.id
