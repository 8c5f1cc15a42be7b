"""Where the data lives and how the schema gets there.

Embedded default: one SQLite file (WAL mode, so readers never block the writer) in ``DTI_DATA_DIR``
(default ``data/`` in the checkout), created on first use. ``DTI_DATABASE_URL`` points at PostgreSQL
instead (the UI may also pass ``st.secrets["database_url"]``). Every opening runs the Alembic migrations to
head, configured from code: there is no alembic.ini to lose.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

from dti.framework.registry import REPO_ROOT

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DB_FILE_NAME = "dti.sqlite"


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
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **_ENGINE_OPTIONS)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # every new connection: WAL, foreign keys, wait on locks
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL survives an app crash or a server restart (only an OS crash or a power cut can
            # undo the last commits) and saves an fsync per autosave, which every answer pays for.
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **_ENGINE_OPTIONS)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
