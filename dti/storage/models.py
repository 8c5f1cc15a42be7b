"""The tables of a province's self-assessments (SQLAlchemy 2 declarative models).

The schema is created and changed only by the Alembic migrations in ``dti/storage/migrations``; these
classes mirror it for queries. Values of a response are stored as JSON because a rule reads text, numbers,
ratios (``{"a": 45, "b": 60}``) or parts (``{"attend": 1}``) alike.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Status of a response, in the words the agencies use (stored as these stable keys).
STATUSES = ("not_started", "in_progress", "needs_evidence", "done")


class Base(DeclarativeBase):
    pass


class ProvinceProfile(Base):
    __tablename__ = "province_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    code: Mapped[str] = mapped_column(String(20), default="")


class Agency(Base):
    __tablename__ = "agency"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="department")  # department (Sở/ban/ngành) | district


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(300), default="")
    password_hash: Mapped[str | None] = mapped_column(String(300), nullable=True)  # None: OIDC account
    role: Mapped[str] = mapped_column(String(20))  # coordinator | agency | viewer
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), nullable=True)
    disabled: Mapped[bool] = mapped_column(default=False)  # a disabled account cannot log in; its history stays
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginSession(Base):
    """A log-in that lasts across refreshes and tabs (the browser holds the token in an HttpOnly cookie).

    Only SHA-256 hashes of the random tokens are stored. ``handoff_hash`` is a one-time, short-lived token that
    carries the log-in from the app's page to the cookie-setting route, which then makes the cookie's token
    (``token_hash`` is empty until then).
    """

    __tablename__ = "login_session"
    __table_args__ = (Index("ix_login_session_user", "user_id"),)  # the name migration 0002 gives it
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    handoff_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    handoff_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Assessment(Base):
    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("edition_id", "year", "quarter"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Assignment(Base):
    __tablename__ = "assignment"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    component_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    lead: Mapped[bool] = mapped_column(default=True)


class ResponseRecord(Base):
    __tablename__ = "response"
    __table_args__ = (UniqueConstraint("assessment_id", "component_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    component_code: Mapped[str] = mapped_column(String(20))
    value: Mapped[object | None] = mapped_column(JSON, nullable=True)
    points: Mapped[float | None] = mapped_column(Float, nullable=True)
    evidence: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    appraisal_points: Mapped[float | None] = mapped_column(Float, nullable=True)
    appraisal_note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)


class HistoryRecord(Base):
    """Append-only: one row per saved change, never updated or deleted by the application."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_assessment_component", "assessment_id", "component_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    component_code: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))  # save | import | appraisal | copy
    changes: Mapped[dict] = mapped_column(JSON)  # field → [before, after]
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)


class EvidenceFile(Base):
    """An evidence file of a component; its bytes are in the evidence store under ``storage_key``."""

    __tablename__ = "evidence_file"
    __table_args__ = (Index("ix_evidence_assessment_component", "assessment_id", "component_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    component_code: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(300))  # as the user named it: shown as text, never a path
    kind: Mapped[str] = mapped_column(String(20))  # pdf | png | jpeg | … (read from the content)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScenarioRecord(Base):
    """A named what-if scenario of an assessment period: only its overrides."""

    __tablename__ = "scenario"
    __table_args__ = (UniqueConstraint("assessment_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    component_points: Mapped[dict] = mapped_column(JSON)
    main_values: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GeneralInfoAnswer(Base):
    """The answer to one unscored field of 'Thông tin chung' (population, contact person …), kept as typed text."""

    __tablename__ = "general_info_answer"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    field_code: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
