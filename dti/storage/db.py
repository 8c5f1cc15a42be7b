"""Where the data lives and how the schema gets there.

Embedded default: one SQLite file (WAL mode, so readers never block the writer) in ``DTI_DATA_DIR``
(default ``data/`` in the checkout), created on first use. ``DTI_DATABASE_URL`` points at PostgreSQL
instead (the UI may also pass ``st.secrets["database_url"]``). Every opening runs the Alembic migrations to
head, configured from code: there is no alembic.ini to lose.

Faults of the storage itself (a read-only or full disk, a lock held too long, a server down, a wrong address, the
data folder deleted under the running app) become one error, ``StorageUnavailable``, that names what happened and
what to do (``classify`` is the one translation of driver errors). Waits are bounded: a lock is waited for
``LOCK_WAIT_SECONDS``, a server for ``CONNECT_TIMEOUT_SECONDS``; a user is told, not left hanging.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import weakref
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError

from dti.framework.registry import REPO_ROOT
from dti.i18n import t

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DB_FILE_NAME = "dti.sqlite"
# Seconds, not the drivers' defaults (SQLite's 30 s lock wait, no connect timeout at all): a person waiting on an
# autosave is told what is wrong instead of watching a spinner.
LOCK_WAIT_SECONDS = 5
CONNECT_TIMEOUT_SECONDS = 5

# Why the database cannot be used now; each has its text ``faults.<reason>`` in config/i18n.yaml.
REASONS = ("read_only", "disk_full", "locked", "unreachable", "wrong_database", "bad_url", "folder", "file_gone",
           "database")


class StorageUnavailable(Exception):
    """The database cannot be read or written now; the operation that met the fault saved nothing.

    ``reason`` is one of REASONS; ``where`` names the file, folder or server (never a password); ``detail`` is the
    driver's own words, for the log.
    """

    def __init__(self, reason: str, where: str = "", detail: str = ""):
        if reason not in REASONS:
            raise ValueError(f"reason {reason!r} is not one of {REASONS}")
        self.reason, self.where, self.detail = reason, where, detail
        super().__init__(self.message("en") + (f" ({detail})" if detail else ""))

    def message(self, lang: str = "vi", where: str | None = None) -> str:
        """What happened, that nothing was saved, and what to do, in ``lang`` (``where`` as the caller shows it)."""
        where = self.where if where is None else where
        return " ".join((t(f"faults.{self.reason}", lang, where=where, seconds=LOCK_WAIT_SECONDS),
                         t("faults.nothing_saved", lang), t(f"faults.fix_{self.reason}", lang, where=where)))


def shown_url(url: str) -> str:
    """The database as people may see it: the SQLite file, or the server and database without a password."""
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown by its scheme only: it may hold a password
        return url.split(":", 1)[0] + ":…" if ":" in url else "…"
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.host or 'localhost'}{port}/{parsed.database or ''}"


_SQLITE_REASONS = {"SQLITE_READONLY": "read_only", "SQLITE_FULL": "disk_full", "SQLITE_BUSY": "locked",
                   "SQLITE_LOCKED": "locked", "SQLITE_CANTOPEN": "folder", "SQLITE_NOTADB": "wrong_database",
                   "SQLITE_CORRUPT": "wrong_database", "SQLITE_PERM": "read_only", "SQLITE_AUTH": "read_only"}
# PostgreSQL SQLSTATE (or its class, the first two characters) → reason.
_PG_STATES = {"08": "unreachable", "57P01": "unreachable", "57P02": "unreachable", "57P03": "unreachable",
              "3D000": "wrong_database", "42P01": "wrong_database", "28": "bad_url", "25006": "read_only",
              "53": "disk_full", "55P03": "locked", "40P01": "locked", "57014": "locked"}
# libpq's words when a connection attempt fails before any SQLSTATE exists.
_PG_WORDS = (('role "', "bad_url"), ("failed to resolve host", "bad_url"), ("does not exist", "wrong_database"),
             ("password authentication failed", "bad_url"),
             ("could not translate host name", "bad_url"), ("no password supplied", "bad_url"),
             ("timeout expired", "unreachable"), ("connection refused", "unreachable"),
             ("server closed the connection", "unreachable"), ("terminating connection", "unreachable"),
             ("no route to host", "unreachable"), ("connection is closed", "unreachable"),
             ("consuming input failed", "unreachable"), ("the database system is", "unreachable"),
             ("no space left", "disk_full"), ("read-only", "read_only"))


def classify(exc: BaseException, url: str, file: FileIdentity | None = None) -> StorageUnavailable | None:
    """The storage fault ``exc`` stands for, or None when it is not one (a bug, a refused write, …).

    The one place that reads driver errors: SQLite's result codes, PostgreSQL's SQLSTATE or libpq's words, and
    the OS error of the data folder. ``file``: the SQLite file opened; a failure after it went away is ``file_gone``.
    """
    if isinstance(exc, StorageUnavailable):
        return exc
    where, detail = shown_url(url), f"{type(exc).__name__}: {exc}".splitlines()[0]
    if isinstance(exc, (ArgumentError, NoSuchModuleError)):
        return StorageUnavailable("bad_url", where, detail)
    if isinstance(exc, CommandError):  # the database was migrated by a newer version of the app, or is not ours
        return StorageUnavailable("wrong_database", where, detail)
    found = _classify(exc, url, where, detail)
    if found is not None and found.reason in ("folder", "read_only", "wrong_database", "database") \
            and file is not None and not file.matches():
        return StorageUnavailable("file_gone", str(file.path), detail)
    return found


def _classify(exc: BaseException, url: str, where: str, detail: str) -> StorageUnavailable | None:
    if isinstance(exc, OSError):  # the data folder: creating it, or its file
        if not _in_data_folder(exc, url):
            return None  # e.g. a missing migration script: not the storage, not for the user to fix
        reason = {errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full", errno.EROFS: "read_only"}.get(exc.errno,
                                                                                                     "folder")
        return StorageUnavailable(reason, str(data_folder(url) or where), detail)
    if not isinstance(exc, DBAPIError) or isinstance(exc, IntegrityError):
        return None
    orig = exc.orig
    if isinstance(orig, sqlite3.Error):
        name = getattr(orig, "sqlite_errorname", "") or ""
        reason = next((r for prefix, r in _SQLITE_REASONS.items() if name.startswith(prefix)), None)
        if name.startswith("SQLITE_IOERR"):
            reason = "disk_full" if "full" in str(orig).lower() else "database"
        if "no such table" in str(orig):
            reason = "wrong_database"
        if reason == "folder" and data_folder(url) is not None and data_folder(url).is_dir():
            reason = "read_only"  # the folder is there but the file cannot be opened for writing
        return StorageUnavailable(reason or "database", where if reason != "folder" else str(data_folder(url)),
                                  detail)
    state = getattr(orig, "sqlstate", None) or ""
    reason = _PG_STATES.get(state) or _PG_STATES.get(state[:2])
    if reason is None:
        text = str(orig).lower()
        reason = next((r for words, r in _PG_WORDS if words in text), None)
    if reason is None and (exc.connection_invalidated or state == ""):
        reason = "unreachable"  # a connection-level failure without a known cause
    return StorageUnavailable(reason or "database", where, detail)


def _in_data_folder(exc: OSError, url: str) -> bool:
    folder = data_folder(url)
    if folder is None or not exc.filename:
        return False
    path = Path(os.fsdecode(exc.filename))
    return path == folder or path in folder.parents or folder in path.parents


def data_folder(url: str) -> Path | None:
    """The folder of a SQLite file database, else None."""
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - not a URL: no folder
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).parent


def data_dir() -> Path:
    return Path(os.environ.get("DTI_DATA_DIR") or REPO_ROOT / "data")


def database_url(explicit: str | None = None) -> str:
    """``explicit`` (e.g. from Streamlit secrets), else ``DTI_DATABASE_URL``, else the SQLite file."""
    url = explicit or os.environ.get("DTI_DATABASE_URL")
    if not url:
        return f"sqlite:///{data_dir() / DB_FILE_NAME}"
    # psycopg 3 is the installed driver; plain postgresql:// URLs would ask SQLAlchemy for psycopg2.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


# Statement parameters never reach an error message or a log: a failed insert of an account would otherwise
# print its password hash (and answers, evidence, names), and messages end up in the server log.
_ENGINE_OPTIONS = {"hide_parameters": True}


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        folder = data_folder(url)
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": LOCK_WAIT_SECONDS}, **_ENGINE_OPTIONS)
        file = FileIdentity(folder / Path(make_url(url).database).name) if folder is not None else None
        if file is not None:
            _FILES[engine] = file

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # every new connection: WAL, foreign keys, wait on locks
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL survives an app crash or a server restart (only an OS crash or a power cut can
            # undo the last commits) and saves an fsync per autosave, which every answer pays for.
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={LOCK_WAIT_SECONDS * 1000}")
            cur.close()
            if file is not None:
                file.check()  # a new connection opened a new, empty file where ours was

        if file is not None:
            @event.listens_for(engine, "before_cursor_execute")
            def _same_file_before_writing(_conn, _cursor, statement, *_args):
                if statement.lstrip()[:6].upper() in _WRITES:
                    file.check()

        return engine
    connect_args = {}
    if url.startswith("postgresql"):
        # libpq waits for an unreachable server as long as the OS does (minutes); a lock as long as its holder.
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                        "options": f"-c lock_timeout={LOCK_WAIT_SECONDS * 1000}"}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **_pool_options(), **_ENGINE_OPTIONS)


# Connections each app process may hold (SQLAlchemy's defaults: 5, plus 10 more at a peak). Several processes
# share one PostgreSQL's max_connections (100 by default): processes × (size + overflow) must stay below it.
POOL_SETTINGS = {"pool_size": "DTI_DB_POOL_SIZE", "max_overflow": "DTI_DB_MAX_OVERFLOW"}


def _pool_options() -> dict[str, int]:
    options = {}
    for option, variable in POOL_SETTINGS.items():
        raw = os.environ.get(variable, "").strip()
        if raw:
            if not raw.isdigit() or (option == "pool_size" and int(raw) < 1):
                raise ValueError(f"{variable} must be a whole number (at least 1 for the pool size), not {raw!r}")
            options[option] = int(raw)
    return options


def file_identity(engine: Engine) -> FileIdentity | None:
    """The SQLite file ``engine`` guards (None for PostgreSQL or an in-memory database)."""
    return _FILES.get(engine)


_WRITES = {"INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "REPLAC"}


_FILES: weakref.WeakKeyDictionary[Engine, FileIdentity] = weakref.WeakKeyDictionary()


class FileIdentity:
    """The SQLite file this engine opened (device and inode), checked before every write.

    Deleting the data folder under a running app leaves its connections writing to a file that no longer has a
    name: every save would look fine and be gone at the next start. A file that is not there, or not the one
    opened, stops every write with ``file_gone`` instead; moving the same file back lets writes go on.
    """

    def __init__(self, path: Path):
        self.path = path
        self.opened: tuple[int, int] | None = None

    def matches(self) -> bool:
        """False once the opened file is gone or replaced (True before anything was opened)."""
        try:
            self.check()
        except StorageUnavailable:
            return False
        return True

    def check(self) -> None:
        try:
            st = os.stat(self.path)
        except OSError:
            raise StorageUnavailable("file_gone", str(self.path), "the database file is not there") from None
        now = (st.st_dev, st.st_ino)
        if self.opened is None:
            self.opened = now
        elif now != self.opened:
            raise StorageUnavailable("file_gone", str(self.path), "another file is where the database was")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


# Several app processes on one PostgreSQL each migrate when they first open it; started together they would
# create the same tables at once (a duplicate-type error kills all but one). The first takes this lock for its
# migration's transaction, the others wait for it (longer than the usual lock wait) and find the schema done.
MIGRATION_LOCK_KEY = 0x647469  # "dti"
MIGRATION_LOCK_WAIT = "120s"


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{MIGRATION_LOCK_WAIT}'")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
