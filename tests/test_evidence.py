"""Evidence files on SQLite and PostgreSQL, kept in a local folder and on an S3-protocol server (moto):
round trips, roles (an agency on another agency's component), types read from the content, size limits,
history and progress."""

from __future__ import annotations

import io
import zipfile

import pytest
import s3

from dti.storage import Actor, PermissionDenied, Store
from dti.storage import evidence as ev

COORD = Actor("coord", "coordinator")
VIEWER = Actor("viewer", "viewer")

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(13)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


def office_zip(main_member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(main_member, "<document/>")
    return buf.getvalue()


@pytest.fixture(params=["local", "s3"])
def evidence_store(request, tmp_path):
    if request.param == "local":
        return ev.LocalEvidenceStore(tmp_path / "evidence")
    server = s3.server()
    return ev.store_from_settings(server.settings(server.new_bucket()), environ={})


@pytest.fixture
def estore(db_url, fw_all_rules, evidence_store):
    s = Store.open(db_url, frameworks={fw_all_rules.id: fw_all_rules}.__getitem__, evidence=evidence_store)
    yield s
    s.close()


@pytest.fixture
def setup(estore):
    period = estore.assessment("all-rules", 2025, 1)
    health = estore.add_agency(COORD, "Sở Y tế")
    finance = estore.add_agency(COORD, "Sở Tài chính")
    estore.assign(COORD, period.id, "1.1", health)
    estore.assign(COORD, period.id, "1.2", finance)
    return period, Actor("yte", "agency", health), Actor("taichinh", "agency", finance)


def test_an_evidence_file_round_trips_on_the_local_folder_and_the_s3_server(estore, setup):
    period, health, _ = setup
    info = estore.add_evidence(health, period.id, "1.1", PDF, "Quyết định 12.pdf")
    assert (info.code, info.file_name, info.kind, info.size) == ("1.1", "Quyết định 12.pdf", "pdf", len(PDF))
    assert info.media_type == "application/pdf"
    assert [f.id for f in estore.evidence_files(health, period.id, "1.1")] == [info.id]
    got, data = estore.evidence_content(COORD, period.id, info.id)
    assert got == info and data == PDF
    # Kept under a generated key, never under the user's name.
    key = _key(estore, info.id)
    assert "Quyết" not in key and key.startswith(f"{period.id}/")
    assert estore.evidence_store.get(key) == PDF

    estore.delete_evidence(health, period.id, info.id)
    assert estore.evidence_files(COORD, period.id) == []
    with pytest.raises(ev.EvidenceUnavailable):
        estore.evidence_store.get(key)  # the bytes are gone too


def test_office_documents_and_images_are_read_by_their_content(estore, setup):
    period, _, _ = setup
    for data, name, kind in [(office_zip("word/document.xml"), "bao-cao.docx", "docx"),
                             (office_zip("xl/workbook.xml"), "so-lieu.xlsx", "xlsx"),
                             (PNG, "anh.PNG", "png")]:
        assert estore.add_evidence(COORD, period.id, "1.1", data, name).kind == kind


def test_an_agency_is_refused_on_another_agencys_component(estore, setup):
    period, health, finance = setup
    theirs = estore.add_evidence(finance, period.id, "1.2", PDF, "tai-chinh.pdf")
    with pytest.raises(PermissionDenied):
        estore.add_evidence(health, period.id, "1.2", PDF, "khong-duoc.pdf")  # upload
    with pytest.raises(PermissionDenied):
        estore.evidence_content(health, period.id, theirs.id)  # download
    with pytest.raises(PermissionDenied):
        estore.evidence_files(health, period.id, "1.2")  # list of that component
    with pytest.raises(PermissionDenied):
        estore.delete_evidence(health, period.id, theirs.id)  # delete
    assert estore.evidence_files(health, period.id) == []  # its own list leaves the other's files out
    assert [f.id for f in estore.evidence_files(COORD, period.id)] == [theirs.id]
    # A viewer reads but does not upload or delete.
    assert estore.evidence_content(VIEWER, period.id, theirs.id)[1] == PDF
    with pytest.raises(PermissionDenied):
        estore.add_evidence(VIEWER, period.id, "1.2", PDF, "x.pdf")
    with pytest.raises(PermissionDenied):
        estore.delete_evidence(VIEWER, period.id, theirs.id)
    assert len(estore.evidence_files(COORD, period.id)) == 1


@pytest.mark.parametrize(("data", "name", "key"), [
    (EXE, "bao-cao.pdf", "content"),  # a program named .pdf
    (PDF, "bao-cao.docx", "content"),  # a PDF named .docx
    (office_zip("word/document.xml"), "bang.xlsx", "content"),  # a Word file named .xlsx
    (office_zip("other.xml"), "tai-lieu.docx", "content"),  # some zip named .docx
    (EXE, "setup.exe", "type"),
    (PDF, "khong-duoi", "type"),
    (b"", "rong.pdf", "empty"),
])
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(estore, setup, data, name, key):
    period, health, _ = setup
    with pytest.raises(ev.EvidenceRefused) as exc:
        estore.add_evidence(health, period.id, "1.1", data, name)
    assert exc.value.key == key
    assert name in exc.value.message("vi") and name in exc.value.message("en")
    assert estore.evidence_files(COORD, period.id) == [] and estore.history(period.id) == []


def test_over_size_files_are_refused_per_file_and_per_assessment(estore, setup, monkeypatch):
    period, health, _ = setup
    big = PDF + bytes(ev.MAX_FILE_BYTES)
    with pytest.raises(ev.EvidenceRefused) as exc:
        estore.add_evidence(health, period.id, "1.1", big, "lon.pdf")
    assert exc.value.key == "too_big" and "MB" in exc.value.message("vi")
    monkeypatch.setattr(ev, "MAX_ASSESSMENT_BYTES", 3 * len(PDF))
    for n in range(3):
        estore.add_evidence(health, period.id, "1.1", PDF, f"{n}.pdf")
    with pytest.raises(ev.EvidenceRefused) as exc:
        estore.add_evidence(health, period.id, "1.1", PDF, "thu-tu.pdf")
    assert exc.value.key == "assessment_full"
    assert len(estore.evidence_files(COORD, period.id)) == 3


def test_a_zip_bomb_named_docx_is_refused_before_it_is_inflated(estore, setup):
    period, health, _ = setup
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", bytes(50 * 2**20))
    with pytest.raises(ev.EvidenceRefused) as exc:
        estore.add_evidence(health, period.id, "1.1", buf.getvalue(), "bom.docx")
    assert exc.value.key == "zip"


def test_each_upload_and_deletion_is_in_the_history(estore, setup):
    period, health, _ = setup
    info = estore.add_evidence(health, period.id, "1.1", PDF, "qd.pdf")
    estore.delete_evidence(COORD, period.id, info.id)
    rows = estore.history(period.id, "1.1")
    assert [(h.action, h.actor, h.changes) for h in rows] == [
        ("evidence_add", "yte", {"file": [None, "qd.pdf"]}),
        ("evidence_delete", "coord", {"file": ["qd.pdf", None]})]


def test_progress_counts_components_with_evidence_files(estore, setup):
    period, health, finance = setup
    estore.save_response(health, period.id, "1.1", 0, value="half")
    before = {p.name: p for p in estore.progress(period.id)}
    assert (before["Sở Y tế"].with_evidence, before["Sở Y tế"].with_files, before["Sở Y tế"].missing_evidence) == \
        (0, 0, 1)
    estore.add_evidence(health, period.id, "1.1", PDF, "a.pdf")
    estore.add_evidence(health, period.id, "1.1", PNG, "b.png")
    after = {p.name: p for p in estore.progress(period.id)}
    assert (after["Sở Y tế"].with_evidence, after["Sở Y tế"].with_files, after["Sở Y tế"].missing_evidence) == \
        (1, 1, 0)
    assert (after["Sở Tài chính"].with_files, after["Sở Tài chính"].missing_evidence) == (0, 1)
    assert estore.evidence_counts(period.id) == {"1.1": 2}


def test_a_file_name_is_kept_as_text_not_as_a_path(estore, setup):
    period, health, _ = setup
    info = estore.add_evidence(health, period.id, "1.1", PDF, "../../etc/passwd.pdf")
    assert "/" not in info.file_name
    assert ".." not in _key(estore, info.id)


def test_the_s3_store_is_chosen_by_settings_and_the_local_folder_by_default(tmp_path):
    local = ev.store_from_settings({}, default_folder=tmp_path, environ={})
    assert isinstance(local, ev.LocalEvidenceStore) and local.root == tmp_path
    remote = ev.store_from_settings({}, environ={"DTI_EVIDENCE_S3_BUCKET": "b",
                                                 "DTI_EVIDENCE_S3_ENDPOINT_URL": "http://127.0.0.1:1"})
    assert isinstance(remote, ev.S3EvidenceStore) and remote.bucket == "b"
    assert "secret" not in remote.where


def _key(estore: Store, file_id: int) -> str:
    from sqlalchemy import select

    from dti.storage.models import EvidenceFile

    with estore.engine.connect() as conn:
        return conn.scalar(select(EvidenceFile.storage_key).where(EvidenceFile.id == file_id))


def test_reports_count_components_with_and_without_evidence(fw2022):
    import openpyxl

    from dti.decide import report
    from dti.scoring.engine import Response, score

    responses = {"1.1": Response("1.1", points=2.0, evidence="Quyết định 12"),  # a text
                 "1.2": Response("1.2", points=1.0),  # a file only
                 "1.3": Response("1.3", points=1.0)}  # nothing
    data = report.ReportData(fw2022, responses, score(fw2022, responses), evidence_files={"1.2": 2})
    assert report.evidence_counts(data) == (2, 1)
    assert "2 chỉ số đã trả lời có minh chứng" in report.html_report(data) and "1 chỉ số còn thiếu" in \
        report.html_report(data)
    wb = openpyxl.load_workbook(io.BytesIO(report.excel_report(data)))
    summary = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert summary["Chỉ số đã trả lời có minh chứng"] == 2 and summary["Chỉ số đã trả lời thiếu minh chứng"] == 1
    comps = list(wb.worksheets[1].iter_rows(values_only=True))
    col = comps[0].index("Số tệp minh chứng")
    assert {r[0]: r[col] for r in comps[1:]}["1.2"] == 2


def test_an_unreachable_object_store_is_said_and_nothing_is_recorded(db_url, fw_all_rules):
    import socket

    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = ev.store_from_settings({"s3_bucket": "b", "s3_endpoint_url": f"http://127.0.0.1:{port}",
                                   "s3_access_key_id": "k", "s3_secret_access_key": "hemmelig-123"}, environ={})
    s = Store.open(db_url, frameworks={fw_all_rules.id: fw_all_rules}.__getitem__, evidence=down)
    try:
        period = s.assessment("all-rules", 2025, 1)
        with pytest.raises(ev.EvidenceUnavailable) as exc:
            s.add_evidence(COORD, period.id, "1.1", PDF, "a.pdf")
        assert f"127.0.0.1:{port}" in exc.value.message("vi") and "không có gì được lưu" in exc.value.message("vi")
        assert "hemmelig-123" not in f"{exc.value} {exc.value.message('en')}"  # never the secret key
        assert s.evidence_files(COORD, period.id) == [] and s.history(period.id) == []
    finally:
        s.close()
