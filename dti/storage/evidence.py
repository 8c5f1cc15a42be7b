"""Evidence files: what a file is (read from its bytes), the limits, and where the bytes are kept.

A file is accepted when its content is one of the kinds below AND its name's extension belongs to that kind:
a ``.pdf`` that is really a program, or a ``.docx`` that is any other zip, is refused. An Office file is a zip
whose members say what it is (``word/document.xml``…); its directory is checked first with
``dti.limits.check_zip`` (the one zip check), so a zip bomb is refused before anything is inflated.

The bytes are kept in one ``EvidenceStore``: ``LocalEvidenceStore`` (a folder under the data folder, the
default) or ``S3EvidenceStore`` (an S3-compatible bucket: AWS S3, MinIO, a province's own), which several app
processes behind one PostgreSQL share. Settings come from ``.streamlit/secrets.toml`` (section
``[evidence]``) or the environment (``DTI_EVIDENCE_S3_BUCKET``…), never from an edition file. Keys are
generated (``<assessment>/<random>``): a user's file name is never part of a path.
"""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from dti import limits
from dti.i18n import fmt_number, t
from dti.roles import StorageError

MAX_FILE_BYTES = limits.MAX_UPLOAD_BYTES  # 10 MB: a scanned decision of a few pages, a report, a photo
# 200 MB per assessment: ~100 components with one or two scanned documents each.
MAX_ASSESSMENT_BYTES = 200 * 1024 * 1024
MAX_NAME_CHARS = 200

# kind → (extensions a file of that kind may have, its media type)
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "pdf": ((".pdf",), "application/pdf"),
    "png": ((".png",), "image/png"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg"),
    "gif": ((".gif",), "image/gif"),
    "webp": ((".webp",), "image/webp"),
    "docx": ((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ((".pptx",), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": ((".odt",), "application/vnd.oasis.opendocument.text"),
    "ods": ((".ods",), "application/vnd.oasis.opendocument.spreadsheet"),
    "ole": ((".doc", ".xls", ".ppt"), "application/octet-stream"),  # Office 97-2003: one container format
}
ALLOWED_EXTENSIONS = tuple(ext for exts, _ in KINDS.values() for ext in exts)

# The member of an Office zip that makes it a document of that kind.
_OFFICE_MEMBERS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
_ODF_MIMETYPES = {b"application/vnd.oasis.opendocument.text": "odt",
                  b"application/vnd.oasis.opendocument.spreadsheet": "ods"}


class EvidenceRefused(StorageError):
    """An evidence file that was not stored; ``key`` names the text ``evidence.err_<key>``."""

    def message(self, lang: str) -> str:
        params = {k: fmt_number(v, lang, 1) if isinstance(v, float) else v for k, v in self.params.items()}
        return t(f"evidence.err_{self.key}", lang, **params)


def content_kind(data: bytes, name: str) -> str | None:
    """The kind of file the bytes are (a key of KINDS), or None. A zip bomb raises limits.FileRefused."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        limits.check_zip(data, name)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                members = set(zf.namelist())
                if "mimetype" in members:
                    info = zf.getinfo("mimetype")
                    if info.file_size <= 100:
                        return _ODF_MIMETYPES.get(zf.read("mimetype").strip())
                if "[Content_Types].xml" in members:
                    return next((kind for member, kind in _OFFICE_MEMBERS.items() if member in members), None)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, KeyError):
            return None
    return None


def check_file(data: bytes, name: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The kind of an evidence file, or EvidenceRefused saying why not (too big, not an allowed type, its name
    says another type than its content)."""
    if len(data) > max_bytes:
        raise EvidenceRefused(f"{name} is {len(data) / 1e6:.1f} MB; an evidence file may have at most "
                              f"{max_bytes // 10**6} MB", "too_big", name=name, mb=len(data) / 1e6,
                              limit=max_bytes // 10**6)
    if not data:
        raise EvidenceRefused(f"{name} is empty", "empty", name=name)
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise EvidenceRefused(f"{name}: files of type {ext or '(none)'} are not accepted as evidence; upload a "
                              f"PDF, an image or an Office document", "type", name=name,
                              allowed=", ".join(ALLOWED_EXTENSIONS))
    try:
        kind = content_kind(data, name)
    except limits.FileRefused as exc:
        raise EvidenceRefused(str(exc), "zip", name=name) from None
    if kind is None or ext not in KINDS[kind][0]:
        raise EvidenceRefused(f"{name} is named {ext} but its content is not such a file; upload the document "
                              f"itself (saved again as PDF if unsure)", "content", name=name, ext=ext)
    return kind


def media_type(kind: str) -> str:
    return KINDS.get(kind, ((), "application/octet-stream"))[1]


def new_key(assessment_id: int) -> str:
    """A generated storage key: never derived from what a user typed."""
    return f"{int(assessment_id)}/{secrets.token_hex(16)}"


# --- where the bytes are kept ------------------------------------------------------------------------------


class EvidenceUnavailable(StorageError):
    """The evidence store cannot be read or written now (nothing was saved)."""

    def __init__(self, where: str, detail: str):
        self.where, self.detail = where, detail
        super().__init__(f"the evidence store {where} cannot be used now: {detail}", "unavailable", where=where)

    def message(self, lang: str) -> str:
        return t("evidence.err_unavailable", lang, where=self.where)


class EvidenceStore(Protocol):
    where: str

    def put(self, key: str, data: bytes, media: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class LocalEvidenceStore:
    """Files in a folder (default: ``evidence/`` in the data folder), one per generated key."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.where = str(self.root)

    def _path(self, key: str) -> Path:
        parts = key.split("/")
        if len(parts) != 2 or not all(p.isalnum() for p in parts):  # only keys made by new_key
            raise ValueError(f"not an evidence key: {key!r}")
        return self.root / parts[0] / parts[1]

    def put(self, key: str, data: bytes, media: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(data)
            os.replace(tmp, path)  # never a half-written file under the key
        except OSError as exc:
            raise EvidenceUnavailable(self.where, exc.strerror or str(exc)) from None

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except OSError as exc:
            raise EvidenceUnavailable(self.where, exc.strerror or str(exc)) from None

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise EvidenceUnavailable(self.where, exc.strerror or str(exc)) from None


class S3EvidenceStore:
    """Objects in an S3-compatible bucket (``prefix`` + key)."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None,
                 access_key_id: str | None = None, secret_access_key: str | None = None, prefix: str = "evidence/"):
        import boto3  # only when an object store is configured
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix
        self.where = f"{endpoint_url or 's3'}/{bucket}"  # never the keys
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region or "us-east-1", aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            # Bounded waits, like the database's: a person is told, not left hanging.
            config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2}))

    def _call(self, method: str, **kw):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, method)(Bucket=self.bucket, **kw)
        except (BotoCoreError, ClientError) as exc:
            raise EvidenceUnavailable(self.where, f"{type(exc).__name__}: {exc}") from None

    def put(self, key: str, data: bytes, media: str) -> None:
        self._call("put_object", Key=self.prefix + key, Body=data, ContentType=media)

    def get(self, key: str) -> bytes:
        body = self._call("get_object", Key=self.prefix + key)["Body"]
        try:
            return body.read()
        finally:
            body.close()

    def delete(self, key: str) -> None:
        self._call("delete_object", Key=self.prefix + key)


# Settings: the key in secrets.toml's [evidence] section → the environment variable.
SETTINGS = {"s3_bucket": "DTI_EVIDENCE_S3_BUCKET", "s3_endpoint_url": "DTI_EVIDENCE_S3_ENDPOINT_URL",
            "s3_region": "DTI_EVIDENCE_S3_REGION", "s3_access_key_id": "DTI_EVIDENCE_S3_ACCESS_KEY_ID",
            "s3_secret_access_key": "DTI_EVIDENCE_S3_SECRET_ACCESS_KEY", "s3_prefix": "DTI_EVIDENCE_S3_PREFIX",
            "folder": "DTI_EVIDENCE_DIR"}


def store_from_settings(settings: Mapping[str, str] | None = None, default_folder: str | Path | None = None,
                        environ: Mapping[str, str] = os.environ) -> EvidenceStore:
    """The S3 store when a bucket is configured (secrets first, then the environment), else the local folder
    (``folder`` setting, else ``default_folder``, else ``evidence/`` in DTI_DATA_DIR)."""
    settings = dict(settings or {})
    value = {k: settings.get(k) or environ.get(env) or None for k, env in SETTINGS.items()}
    if value["s3_bucket"]:
        return S3EvidenceStore(value["s3_bucket"], endpoint_url=value["s3_endpoint_url"], region=value["s3_region"],
                               access_key_id=value["s3_access_key_id"],
                               secret_access_key=value["s3_secret_access_key"],
                               prefix=value["s3_prefix"] if value["s3_prefix"] is not None else "evidence/")
    if value["folder"]:
        return LocalEvidenceStore(value["folder"])
    if default_folder is None:
        from dti.storage.db import data_dir

        default_folder = data_dir() / "evidence"
    return LocalEvidenceStore(default_folder)
