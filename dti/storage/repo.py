"""The repository: every read and write of assessments goes through ``Store``.

Rules that protect the data live here, not in the pages: an agency writes only the components assigned
to it, a viewer writes nothing, a save based on an older version is refused (optimistic locking) with the
value that is there now, an import is one transaction, and every change appends a row to ``history``.
"""

from __future__ import annotations

import functools
import hashlib
import math
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Update, bindparam, delete, event, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from dti import limits
from dti.framework import registry
from dti.framework.model import Framework
from dti.i18n import NumberError, plain_number
from dti.roles import Actor, PermissionDenied, StorageError, require_coordinator
from dti.scoring.appraised import AppraisedResult, score_appraised
from dti.scoring.engine import InputProblem, InputProblems, Response, Result, score
from dti.scoring.rules import InputError, check_points, is_blank, points_from_value
from dti.storage import db
from dti.storage import evidence as evidence_lib
from dti.storage.models import (
    STATUSES,
    Agency,
    Assessment,
    Assignment,
    EvidenceFile,
    GeneralInfoAnswer,
    HistoryRecord,
    LoginSession,
    ProvinceProfile,
    ResponseRecord,
    ScenarioRecord,
    User,
)
from dti.text import clean_text, clean_value

EDITABLE_FIELDS = ("value", "points", "evidence", "links", "note", "status")
# The component column of a history row of a general-information field (the field is named in its changes).
GENERAL_INFO = "general_info"


class ConflictError(StorageError):
    """Someone saved the component after this edit began; ``current`` is what is stored now."""

    def __init__(self, code: str, base_version: int, current: StoredResponse):
        self.code, self.base_version, self.current = code, base_version, current
        super().__init__(f"component {code} was changed by {current.updated_by} at {current.updated_at:%Y-%m-%d %H:%M} "
                         f"(version {current.version}, your edit started from version {base_version}); "
                         f"the stored value is {current.value!r}. Reload it, then apply your change again.")


class PeriodExists(StorageError):
    pass


@dataclass(frozen=True)
class ImportPlan:
    """What an import changes: components answered for the first time, stored answers replaced, and stored
    answers cleared (only when the file replaces the assessment)."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    cleared: tuple[str, ...] = ()


class ReplaceNotConfirmed(StorageError):
    """A replacing import needs the user's confirmation of exactly this plan; nothing was written."""

    def __init__(self, plan: ImportPlan):
        self.plan = plan
        # The UI says it with files.plan_changed (ui.state.import_answers).
        super().__init__(f"replacing the assessment changes {len(plan.replaced)} stored answers and clears "
                         f"{len(plan.cleared)}; confirm this plan first (nothing was written)")


@dataclass(frozen=True)
class StoredResponse:
    code: str
    value: Any
    points: float | None
    evidence: str
    links: str
    note: str
    status: str
    appraisal_points: float | None
    appraisal_note: str
    updated_by: str
    updated_at: datetime
    version: int

    @property
    def appraisal_difference(self) -> float | None:
        """Appraised minus self-scored points (negative: the appraisal took points away)."""
        if self.appraisal_points is None or self.points is None:
            return None
        return self.appraisal_points - self.points

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence.strip() or self.links.strip())

    @property
    def is_answered(self) -> bool:
        return not is_blank(self.value) or self.points is not None

    def to_response(self) -> Response:
        """As the engine reads it: the value through the rule, or the points when only points were given."""
        points = self.points if is_blank(self.value) else None
        return Response(self.code, value=self.value, points=points, evidence=self.evidence, note=self.note)


@dataclass(frozen=True)
class UnreadableAnswer:
    """A stored answer that does not read under the edition's current rule (the edition file changed under
    it): kept as it was, left out of the score, shown with the reason until it is answered again."""

    code: str
    value: Any
    points: float | None
    message: str
    message_vi: str


@dataclass(frozen=True)
class AssessmentInfo:
    id: int
    edition_id: str
    year: int
    quarter: int
    due_date: date | None

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"


@dataclass(frozen=True)
class AccountInfo:
    """One account as the coordinator's list shows it (never its password hash)."""

    username: str
    display_name: str
    role: str
    agency_id: int | None
    agency_name: str
    disabled: bool
    last_login_at: datetime | None
    has_password: bool  # False: an OIDC account (identified by its e-mail)


@dataclass(frozen=True)
class AgencyInfo:
    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class AgencyProgress:
    agency_id: int
    name: str
    assigned: int
    answered: int
    with_evidence: int  # components with an evidence text, a link or an evidence file
    finished: int
    late: bool
    with_files: int = 0  # components with at least one evidence file

    @property
    def missing_evidence(self) -> int:
        return self.assigned - self.with_evidence


@dataclass(frozen=True)
class EvidenceInfo:
    """An evidence file as it is listed (its bytes come from ``Store.evidence_content``)."""

    id: int
    code: str
    file_name: str  # as the user named it: show it as text
    kind: str
    size: int
    uploaded_by: str
    uploaded_at: datetime

    @property
    def media_type(self) -> str:
        return evidence_lib.media_type(self.kind)


@dataclass(frozen=True)
class StoredScenario:
    """A named what-if scenario of a period: its overrides (component → points, main index → value 0..1)."""

    name: str
    component_points: dict[str, float]
    main_values: dict[str, float]
    created_by: str
    updated_by: str
    updated_at: datetime


SCENARIO_NAME_CHARS = 60  # as dti.decide.scenarios.MAX_NAME (storage does not import decide)


@dataclass(frozen=True)
class Delta:
    code: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class PeriodComparison:
    before: AssessmentInfo
    after: AssessmentInfo
    dti: Delta
    main_indices: list[Delta] = field(default_factory=list)
    pillars: list[Delta] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes for timezone-aware columns: they were written in UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# The columns of StoredResponse, in its field order.
_RESPONSE_COLUMNS = (ResponseRecord.component_code, ResponseRecord.value, ResponseRecord.points,
                     ResponseRecord.evidence, ResponseRecord.links, ResponseRecord.note, ResponseRecord.status,
                     ResponseRecord.appraisal_points, ResponseRecord.appraisal_note, ResponseRecord.updated_by,
                     ResponseRecord.updated_at, ResponseRecord.version)


# Statements run on every rerun or autosave, built once: building a statement and its cache key costs more
# than running it on SQLite.
_STORED = select(*_RESPONSE_COLUMNS).where(ResponseRecord.assessment_id == bindparam("assessment_id"))
_STORED_ONE = select(ResponseRecord.id, *_RESPONSE_COLUMNS).where(
    ResponseRecord.assessment_id == bindparam("assessment_id"), ResponseRecord.component_code == bindparam("code"))
_LOG = insert(HistoryRecord)
_AGENCIES = select(Agency.id, Agency.name, Agency.kind).order_by(Agency.name)


@functools.cache
def _update_response(fields: tuple[str, ...]) -> Update:
    """UPDATE of the given fields of one response, only if it is still at the version the editor started from."""
    columns = ResponseRecord.__table__.c
    return (update(ResponseRecord)
            .where(ResponseRecord.id == bindparam("row_id"), ResponseRecord.version == bindparam("base_version"))
            .values({f: bindparam(f"new_{f}", type_=columns[f].type) for f in fields})
            .returning(*_RESPONSE_COLUMNS))


def _stored(r: ResponseRecord) -> StoredResponse:
    return StoredResponse(r.component_code, r.value, r.points, r.evidence, r.links, r.note, r.status,
                          r.appraisal_points, r.appraisal_note, r.updated_by, r.updated_at, r.version)


def _info(a: Assessment) -> AssessmentInfo:
    return AssessmentInfo(a.id, a.edition_id, a.year, a.quarter, a.due_date)


def previous_period(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def next_period(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter + 1) if quarter < 4 else (year + 1, 1)


class Store:
    """A database of assessments. ``Store.open()`` creates and migrates it on first use."""

    def __init__(self, engine: Engine, frameworks: Callable[[str], Framework] = registry.load,
                 evidence: evidence_lib.EvidenceStore | None = None):
        self.engine = engine
        self._evidence = evidence
        self._session = sessionmaker(engine, expire_on_commit=False)
        # Commits through this Store (any session's): a reader that keeps what it read for one page run knows from
        # this number whether anything was written meanwhile (ui.state reads each thing once per run).
        self.commits = 0
        event.listen(engine, "commit", self._committed)
        self._load_framework = frameworks
        self._frameworks: dict[str, Framework] = {}
        self._editions: dict[int, str] = {}  # assessment id → edition id (never changes)
        # Whether a stored answer reads under an edition's rule, per edition object: asked on every read of an
        # assessment, and an answer and a loaded edition never change (a changed file is a new object).
        self._readings: dict[str, tuple[Framework, dict[tuple, UnreadableAnswer | None]]] = {}

    @classmethod
    def open(cls, url: str | None = None, **kw) -> Store:
        """Open (create, migrate) the database; a storage fault raises StorageUnavailable (nothing half-made)."""
        url = db.database_url(url)
        engine = None
        try:
            engine = db.make_engine(url)
            db.upgrade(engine)
        except Exception as exc:
            fault = db.classify(exc, url)
            if fault is None and engine is None and isinstance(exc, (ValueError, ImportError)):
                # a port that is no number, a database whose driver is not installed (mysql://…)
                fault = db.StorageUnavailable("bad_url", db.shown_url(url), str(exc))
            if engine is not None:
                engine.dispose()
            if fault is None:
                raise
            raise fault from exc
        return cls(engine, **kw)

    def close(self) -> None:
        self.engine.dispose()

    def _committed(self, _conn) -> None:
        self.commits += 1

    def register_framework(self, fw: Framework) -> None:
        """Use ``fw`` for its edition id (an edition loaded from a file outside the registry)."""
        self._frameworks[fw.id] = fw

    def framework(self, edition_id: str) -> Framework:
        if edition_id not in self._frameworks:
            self._frameworks[edition_id] = self._load_framework(edition_id)
        return self._frameworks[edition_id]

    # --- province, agencies, users ----------------------------------------------------------------

    def province(self) -> tuple[str, str]:
        with self._session() as s:
            p = s.get(ProvinceProfile, 1)
            return (p.name, p.code) if p else ("", "")

    def set_province(self, actor: Actor, name: str, code: str = "") -> None:
        self._require_coordinator(actor, "province")
        with self._session.begin() as s:
            p = s.get(ProvinceProfile, 1) or ProvinceProfile(id=1)
            p.name, p.code = clean_text(name, one_line=True).strip(), clean_text(code, one_line=True).strip()
            s.add(p)

    def add_agency(self, actor: Actor, name: str, kind: str = "department") -> int:
        self._require_coordinator(actor, "agencies")
        name = clean_text(name, one_line=True).strip()
        if not name:
            raise StorageError("an agency needs a name", "agency_name")
        with self._session.begin() as s:
            if s.scalar(select(Agency.id).where(Agency.name == name)) is not None:
                raise StorageError(f"an agency named {name!r} exists already", "agency_exists", name=name)
            agency = Agency(name=name, kind=kind)
            s.add(agency)
            s.flush()
            return agency.id

    def agencies(self) -> list[AgencyInfo]:
        # Plain columns: the self-assessment page asks on every rerun (for its agency filter).
        with self.engine.connect() as conn:
            return [AgencyInfo(*r) for r in conn.execute(_AGENCIES)]

    def add_user(self, username: str, role: str, *, password_hash: str | None = None, agency_id: int | None = None,
                 display_name: str = "") -> int:
        Actor(username, role, agency_id)  # validates role and agency
        username, display_name = clean_text(username, one_line=True), clean_text(display_name, one_line=True)
        with self._session.begin() as s:
            user = User(username=username.strip(), role=role, password_hash=password_hash, agency_id=agency_id,
                        display_name=display_name or username)
            s.add(user)
            try:
                s.flush()
            except IntegrityError:
                raise StorageError(f"the user name {username!r} is taken", "user_taken", name=username) from None
            return user.id

    def user(self, username: str) -> User | None:
        with self._session() as s:
            return s.scalar(select(User).where(User.username == username.strip()))

    def user_count(self) -> int:
        with self._session() as s:
            return s.scalar(select(func.count()).select_from(User)) or 0

    def accounts(self) -> list[AccountInfo]:
        with self._session() as s:
            rows = s.execute(select(User, Agency.name).outerjoin(Agency, User.agency_id == Agency.id)
                             .order_by(User.username)).all()
            return [AccountInfo(u.username, u.display_name, u.role, u.agency_id, name or "", bool(u.disabled),
                                _aware(u.last_login_at), u.password_hash is not None) for u, name in rows]

    def _account(self, s: Session, username: str) -> User:
        user = s.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise StorageError(f"there is no account {username!r}", "no_account", name=username)
        return user

    def update_account(self, actor: Actor, username: str, *, role: str | None = None,
                       agency_id: int | None = None, disabled: bool | None = None) -> None:
        """Change an account's role, agency or whether it may log in (the coordinator only).

        ``agency_id`` None keeps the agency; an account that is no longer an agency's loses its agency. The
        last enabled coordinator can be neither disabled nor given another role: nobody could manage accounts.
        Disabling an account ends its log-ins at once.
        """
        self._require_coordinator(actor, "accounts")
        with self._session.begin() as s:
            user = self._account(s, username)
            new_role = role or user.role
            new_agency = user.agency_id if agency_id is None else agency_id
            if new_role != "agency":
                new_agency = None
            if new_agency is not None and s.get(Agency, new_agency) is None:
                raise StorageError(f"there is no agency {new_agency}", "no_agency", name=str(new_agency))
            Actor(user.username, new_role, new_agency)  # an agency account needs its agency
            new_disabled = user.disabled if disabled is None else disabled
            if user.role == "coordinator" and not user.disabled and (new_role != "coordinator" or new_disabled):
                others = s.scalar(select(func.count()).select_from(User).where(
                    User.role == "coordinator", User.disabled.is_(False), User.id != user.id))
                if not others:
                    raise StorageError("the last coordinator's account must stay an enabled coordinator",
                                       "last_coordinator")
            user.role, user.agency_id, user.disabled = new_role, new_agency, new_disabled
            if new_disabled:
                s.execute(delete(LoginSession).where(LoginSession.user_id == user.id))

    def set_password_hash(self, actor: Actor, username: str, password_hash: str) -> None:
        """Reset an account's password (the coordinator only; ``dti.storage.auth.reset_password`` checks and
        hashes it). Every log-in of the account ends: whoever knew the old password is out."""
        self._require_coordinator(actor, "accounts")
        with self._session.begin() as s:
            user = self._account(s, username)
            user.password_hash = password_hash
            s.execute(delete(LoginSession).where(LoginSession.user_id == user.id))

    def update_agency(self, actor: Actor, agency_id: int, name: str, kind: str) -> None:
        self._require_coordinator(actor, "agencies")
        name = clean_text(name, one_line=True).strip()
        if not name:
            raise StorageError("an agency needs a name", "agency_name")
        with self._session.begin() as s:
            agency = s.get(Agency, agency_id)
            if agency is None:
                raise StorageError(f"there is no agency {agency_id}", "no_agency", name=str(agency_id))
            if s.scalar(select(Agency.id).where(Agency.name == name, Agency.id != agency_id)) is not None:
                raise StorageError(f"an agency named {name!r} exists already", "agency_exists", name=name)
            agency.name, agency.kind = name, kind

    # --- log-in sessions ------------------------------------------------------------------------------

    def start_login_session(self, username: str, lifetime: timedelta,
                            handoff_ttl: timedelta = timedelta(seconds=60)) -> tuple[int, str]:
        """A new log-in of an authenticated account: (session id, one-time handoff token).

        Called only after the password (or OIDC) was checked. The tab that logged in keeps the session id; the
        handoff token is what it may put in a URL, used once within ``handoff_ttl`` by the route that sets the
        browser's HttpOnly cookie (``claim_handoff``). Expired sessions of everyone are swept here.
        """
        handoff = secrets.token_urlsafe(32)
        now = _now()
        with self._session.begin() as s:
            user = self._account(s, username)
            s.execute(delete(LoginSession).where(LoginSession.expires_at < now))
            row = LoginSession(user_id=user.id, created_at=now, expires_at=now + lifetime,
                               handoff_hash=_digest(handoff), handoff_expires_at=now + handoff_ttl)
            s.add(row)
            user.last_login_at = now
            s.flush()
            return row.id, handoff

    def claim_handoff(self, handoff: str) -> tuple[str, datetime] | None:
        """Exchange a one-time handoff token for a new session token (for the cookie) and the session's expiry.

        None when the handoff is unknown, used already, too late or its session ended; it is cleared on first
        use, even too late, so a handoff read from a browser's history is worth nothing.
        """
        now = _now()
        with self._session.begin() as s:
            row = s.scalar(select(LoginSession).where(LoginSession.handoff_hash == _digest(handoff or "")))
            if row is None:
                return None
            expired = _aware(row.handoff_expires_at) < now or _aware(row.expires_at) <= now
            row.handoff_hash, row.handoff_expires_at = None, None
            if expired:
                return None
            token = secrets.token_urlsafe(32)
            row.token_hash = _digest(token)
            return token, _aware(row.expires_at)

    def session_user(self, *, token: str | None = None, session_id: int | None = None) -> tuple[User, int] | None:
        """The account a session logs in and the session's id (by the cookie's token or by the id a tab keeps):
        None when unknown, ended (log-out everywhere), expired, or the account is disabled."""
        if not token and session_id is None:
            return None
        where = (LoginSession.token_hash == _digest(token)) if token else (LoginSession.id == session_id)
        with self._session() as s:
            row = s.execute(select(User, LoginSession.id, LoginSession.expires_at)
                            .join(LoginSession, LoginSession.user_id == User.id).where(where)).first()
        if row is None or row[0].disabled or _aware(row[2]) <= _now():
            return None
        return row[0], row[1]

    def end_login_sessions(self, username: str) -> int:
        """Log an account out everywhere (every browser and tab); returns how many log-ins ended."""
        with self._session.begin() as s:
            user = s.scalar(select(User).where(User.username == username.strip().lower()))
            if user is None:
                return 0
            return s.execute(delete(LoginSession).where(LoginSession.user_id == user.id)).rowcount or 0

    # --- assessments (periods) --------------------------------------------------------------------

    def assessment(self, edition_id: str, year: int, quarter: int, *, create: bool = True,
                   due_date: date | None = None) -> AssessmentInfo | None:
        """The assessment of ``edition_id`` for the period, created if missing (and ``create``)."""
        if quarter not in (1, 2, 3, 4):
            raise StorageError(f"quarter {quarter} is not 1 to 4")
        where = (Assessment.edition_id == edition_id, Assessment.year == year, Assessment.quarter == quarter)
        if not create:  # a read: no transaction to commit (a commit tells the page's readers to read again)
            with self._session() as s:
                found = s.scalar(select(Assessment).where(*where))
                return _info(found) if found else None
        with self._session.begin() as s:
            found = s.scalar(select(Assessment).where(*where))
            if found:
                return _info(found)
            self.framework(edition_id)  # refuse an unknown edition before creating anything
            a = Assessment(edition_id=edition_id, year=year, quarter=quarter, due_date=due_date, created_at=_now())
            s.add(a)
            try:
                s.flush()
            except IntegrityError:  # created at the same moment by another session
                s.rollback()
                return self.assessment(edition_id, year, quarter, create=False)
            return _info(a)

    def framework_of(self, assessment_id: int) -> Framework:
        """The edition of an assessment (looked up once: an assessment never changes edition)."""
        if assessment_id not in self._editions:
            self._editions[assessment_id] = self.assessment_by_id(assessment_id).edition_id
        return self.framework(self._editions[assessment_id])

    def assessment_by_id(self, assessment_id: int) -> AssessmentInfo:
        with self._session() as s:
            a = s.get(Assessment, assessment_id)
            if a is None:
                raise StorageError(f"assessment {assessment_id} does not exist")
            return _info(a)

    def assessments(self) -> list[AssessmentInfo]:
        with self._session() as s:
            rows = s.scalars(select(Assessment).order_by(Assessment.year.desc(), Assessment.quarter.desc()))
            return [_info(a) for a in rows]

    def set_due_date(self, actor: Actor, assessment_id: int, due: date | None) -> None:
        self._require_coordinator(actor, "due date")
        with self._session.begin() as s:
            s.execute(update(Assessment).where(Assessment.id == assessment_id).values(due_date=due))

    # --- assignments ------------------------------------------------------------------------------

    def assign(self, actor: Actor, assessment_id: int, code: str, lead: int | None,
               supporting: Iterable[int] = ()) -> None:
        """Make ``lead`` the lead agency of component ``code`` (None: unassign) with supporting agencies."""
        self._require_coordinator(actor, code)
        fw = self.framework_of(assessment_id)
        if code not in fw.component_by_code:
            raise StorageError(f"{code} is not a component of {fw.id}")
        with self._session.begin() as s:
            s.execute(delete(Assignment).where(Assignment.assessment_id == assessment_id,
                                               Assignment.component_code == code))
            if lead is not None:
                s.add(Assignment(assessment_id=assessment_id, component_code=code, agency_id=lead, lead=True))
                for agency_id in set(supporting) - {lead}:
                    s.add(Assignment(assessment_id=assessment_id, component_code=code, agency_id=agency_id,
                                     lead=False))

    def assign_many(self, actor: Actor, assessment_id: int, codes: Iterable[str], lead: int | None,
                    supporting: Iterable[int] = ()) -> int:
        """Give every component of ``codes`` the same lead and supporting agencies in one transaction.

        Coordinator only. Every code and agency is checked before anything is written: an unknown one refuses
        the whole set. Returns how many components were assigned.
        """
        return self.set_assignments(actor, assessment_id, {code: (lead, list(supporting)) for code in codes})

    def set_assignments(self, actor: Actor, assessment_id: int,
                        rows: Mapping[str, tuple[int | None, Iterable[int]]], due_date: date | None = None) -> int:
        """Component code → (lead agency id or None to unassign, supporting ids), all written or none; with
        ``due_date`` the period's due date is set in the same transaction."""
        self._require_coordinator(actor, "assignments")
        fw = self.framework_of(assessment_id)
        unknown = sorted((c for c in rows if c not in fw.component_by_code), key=_order)
        if unknown:
            raise StorageError(f"{', '.join(unknown)} not components of {fw.id}; nothing was assigned")
        known = {a.id for a in self.agencies()}
        missing = sorted({i for lead, sup in rows.values() for i in [lead, *sup] if i is not None} - known)
        if missing:
            raise StorageError(f"agencies {missing} do not exist; nothing was assigned")
        with self._session.begin() as s:
            if due_date is not None:
                s.execute(update(Assessment).where(Assessment.id == assessment_id).values(due_date=due_date))
            if rows:
                s.execute(delete(Assignment).where(Assignment.assessment_id == assessment_id,
                                                   Assignment.component_code.in_(list(rows))))
            for code, (lead, supporting) in rows.items():
                if lead is None:
                    continue
                s.add(Assignment(assessment_id=assessment_id, component_code=code, agency_id=lead, lead=True))
                for agency_id in sorted(set(supporting) - {lead}):
                    s.add(Assignment(assessment_id=assessment_id, component_code=code, agency_id=agency_id,
                                     lead=False))
        return len(rows)

    def import_assignments(self, actor: Actor, assessment_id: int, data: bytes, name: str) -> int:
        """An uploaded assignment file (``dti.io.excel.read_assignments``, checked completely first), written in
        one transaction with its due date. Raises ImportRefused or PermissionDenied; then nothing is written."""
        from dti.io.excel import read_assignments  # openpyxl is loaded only when a file is imported

        self._require_coordinator(actor, "assignments")
        upload = read_assignments(self.framework_of(assessment_id), data, name,
                                  {a.name: a.id for a in self.agencies()})
        return self.set_assignments(actor, assessment_id, upload.rows, due_date=upload.due_date)

    def assignments(self, assessment_id: int) -> dict[str, tuple[int | None, list[int]]]:
        """Component code → (lead agency id, supporting agency ids)."""
        out: dict[str, tuple[int | None, list[int]]] = {}
        with self._session() as s:
            for a in s.scalars(select(Assignment).where(Assignment.assessment_id == assessment_id)):
                lead, support = out.get(a.component_code, (None, []))
                out[a.component_code] = (a.agency_id, support) if a.lead else (lead, [*support, a.agency_id])
        return out

    def components_of(self, assessment_id: int, agency_id: int) -> set[str]:
        with self._session() as s:
            return set(s.scalars(select(Assignment.component_code).where(
                Assignment.assessment_id == assessment_id, Assignment.agency_id == agency_id)))

    def can_edit(self, actor: Actor, assessment_id: int, code: str) -> bool:
        try:
            with self._session() as s:
                self._check_can_edit(s, actor, assessment_id, code)
            return True
        except PermissionDenied:
            return False

    def editable_codes(self, actor: Actor, assessment_id: int | None) -> set[str] | None:
        """The components ``actor`` may change: None for every one, else the set (empty for a viewer).

        The same rule refuses writes (save_response, import_responses), so a form disabled from it never
        offers a change that would be refused. ``assessment_id`` None: a period nobody has saved into yet.
        """
        if actor.role != "agency":  # asked on every rerun of the form: no database round trip when not needed
            return self._editable(None, actor, assessment_id)
        with self.engine.connect() as conn:
            return self._editable(conn, actor, assessment_id)

    def _editable(self, s: Session | Connection | None, actor: Actor, assessment_id: int | None) -> set[str] | None:
        if actor.role == "viewer":
            return set()
        if actor.role == "agency":
            if assessment_id is None:
                return set()
            return set(s.scalars(select(Assignment.component_code).where(
                Assignment.assessment_id == assessment_id, Assignment.agency_id == actor.agency_id)))
        return None

    def _check_can_edit(self, s: Session | Connection, actor: Actor, assessment_id: int, code: str) -> None:
        allowed = self._editable(s, actor, assessment_id)
        if allowed is None or code in allowed:
            return
        if actor.role == "viewer":
            raise PermissionDenied(actor, code, "a viewer account can read but not change answers")
        raise PermissionDenied(actor, code, "it is not assigned to your agency; ask the coordinator")

    def _check_own_component(self, s: Session | Connection, actor: Actor, assessment_id: int, code: str) -> None:
        """An agency acts only on the components assigned to it (the coordinator and viewers on every one): reads
        of evidence files. The same assignment rule as for writes (``_editable``)."""
        if actor.role == "agency" and code not in self._editable(s, actor, assessment_id):
            raise PermissionDenied(actor, code, "it is not assigned to your agency; ask the coordinator")

    def _require_coordinator(self, actor: Actor, what: str) -> None:
        require_coordinator(actor, what)

    # --- responses --------------------------------------------------------------------------------

    def stored(self, assessment_id: int) -> dict[str, StoredResponse]:
        # Plain columns, not ORM objects: this runs on every rerun of a page, and rows are read-only here.
        with self.engine.connect() as conn:
            rows = conn.execute(_STORED, {"assessment_id": assessment_id})
            return {r[0]: StoredResponse(*r) for r in rows}

    def stored_response(self, assessment_id: int, code: str) -> StoredResponse | None:
        with self.engine.connect() as conn:
            r = conn.execute(_STORED_ONE, {"assessment_id": assessment_id, "code": code}).first()
            return StoredResponse(*r[1:]) if r else None

    def latest_assessment(self, edition_id: str) -> AssessmentInfo | None:
        with self._session() as s:
            a = s.scalar(select(Assessment).where(Assessment.edition_id == edition_id)
                         .order_by(Assessment.year.desc(), Assessment.quarter.desc()).limit(1))
            return _info(a) if a else None

    def responses(self, assessment_id: int,
                  stored: Mapping[str, StoredResponse] | None = None) -> dict[str, Response]:
        """The answers as the scoring engine reads them: those that read under the edition's current rules.

        An answer the current rule refuses (the edition's file changed under stored answers) is left out here,
        never erased: ``unreadable`` lists it with the reason, and scoring the rest never fails as a whole.
        ``stored``: ``self.stored(assessment_id)`` when the caller has just read it (one query, not two).
        """
        fw = self.framework_of(assessment_id)
        stored = self.stored(assessment_id) if stored is None else stored
        return {code: r.to_response() for code, r in stored.items() if r.is_answered and self._reading(fw, r) is None}

    def unreadable(self, assessment_id: int,
                   stored: Mapping[str, StoredResponse] | None = None) -> dict[str, UnreadableAnswer]:
        """Stored answers that no longer read under the edition's current rules, with the reason."""
        fw = self.framework_of(assessment_id)
        stored = self.stored(assessment_id) if stored is None else stored
        found = {code: self._reading(fw, r) for code, r in stored.items() if r.is_answered}
        return {code: problem for code, problem in found.items() if problem is not None}

    def _reading(self, fw: Framework, r: StoredResponse) -> UnreadableAnswer | None:
        cached_fw, readings = self._readings.get(fw.id, (None, {}))
        if cached_fw is not fw or len(readings) > 100_000:
            readings = {}
            self._readings[fw.id] = (fw, readings)
        key = (r.code, repr(r.value), r.points)
        if key not in readings:
            readings[key] = _unreadable(fw, r)
        return readings[key]

    def result(self, assessment_id: int) -> Result:
        fw = self.framework_of(assessment_id)
        return score(fw, self.responses(assessment_id))

    def _points(self, fw: Framework, code: str, value: Any) -> float | None:
        comp = fw.component_by_code.get(code)
        if comp is None:
            raise InputProblems([InputProblem(code, f"is not a component of {fw.id}; check the code")])
        if is_blank(value):
            return None
        try:
            return points_from_value(comp, value)
        except InputError as exc:
            raise InputProblems([InputProblem(code, exc.en, message_vi=exc.vi)]) from None

    def _checked_points(self, fw: Framework, code: str, points: Any) -> float:
        self._points(fw, code, None)  # an unknown code is refused first
        try:
            return check_points(fw.component_by_code[code], points)
        except InputError as exc:
            raise InputProblems([InputProblem(code, exc.en, message_vi=exc.vi)]) from None

    def save_response(self, actor: Actor, assessment_id: int, code: str, base_version: int,
                      **changes: Any) -> StoredResponse:
        """Save the changed fields (value or points, evidence, links, note, status) of one component.

        ``base_version`` is the version the editor started from (0 for a component never saved). A save based
        on an older version raises ConflictError with what is stored now; nothing is overwritten.
        """
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise TypeError(f"cannot save fields {sorted(unknown)}; use {EDITABLE_FIELDS}")
        if "status" in changes and changes["status"] not in STATUSES:
            raise StorageError(f"status {changes['status']!r} is not one of {STATUSES}")
        changes = {k: clean_value(v) for k, v in changes.items()}
        _check_texts(code, changes)
        fw = self.framework_of(assessment_id)
        if "value" in changes or "points" in changes:
            value = changes.get("value")
            if isinstance(value, str):
                value = value.strip()
            if is_blank(value) and changes.get("points") is not None:
                # Points given without a value (direct points, "no part met"): checked against the maximum.
                changes["value"], changes["points"] = None, self._checked_points(fw, code, changes["points"])
            else:
                changes["value"], changes["points"] = value, self._points(fw, code, value)
        # One Core transaction, no ORM objects: this runs on every autosave. RETURNING hands back the row as
        # stored, so the saved answer is not read again.
        with self.engine.begin() as conn:
            self._check_can_edit(conn, actor, assessment_id, code)
            row = conn.execute(_STORED_ONE, {"assessment_id": assessment_id, "code": code}).first()
            current = StoredResponse(*row[1:]) if row else None
            if current is not None and current.version != base_version:
                raise ConflictError(code, base_version, current)
            new_version = current.version + 1 if current else 1
            before = {k: getattr(current, k) if current else None for k in changes}
            diff = {k: [before[k], v] for k, v in changes.items() if before[k] != v}
            if current is not None and not diff:
                return current  # nothing changed (a rerun of the same form): no new version
            if (current is None or current.status == "not_started") and "status" not in changes \
                    and not is_blank(changes.get("value")):
                changes["status"] = diff.setdefault("status", ["not_started", "in_progress"])[1]
            now = _now()
            saved = None
            if current is None:
                values = {"evidence": "", "links": "", "note": "", "status": "not_started", "appraisal_note": "",
                          **changes}
                try:
                    saved = conn.execute(insert(ResponseRecord).values(
                        assessment_id=assessment_id, component_code=code, updated_by=actor.username, updated_at=now,
                        version=1, **values).returning(*_RESPONSE_COLUMNS)).first()
                except IntegrityError:  # another session inserted it first
                    pass
            else:
                new = {"updated_by": actor.username, "updated_at": now, "version": new_version, **changes}
                saved = conn.execute(_update_response(tuple(sorted(new))),
                                     {"row_id": row[0], "base_version": base_version,
                                      **{f"new_{k}": v for k, v in new.items()}}).first()
            if saved is None:  # saved by someone else between our read and our write
                conn.rollback()
            else:
                conn.execute(_LOG, {"assessment_id": assessment_id, "component_code": code, "action": "save",
                                    "changes": diff, "actor": actor.username, "at": now, "version": new_version})
        if saved is None:
            raise ConflictError(code, base_version, self.stored_response(assessment_id, code))
        return StoredResponse(*saved)

    # --- general information ('Thông tin chung') ------------------------------------------------------

    def general_info(self, assessment_id: int) -> dict[str, str]:
        """The answers to the edition's unscored general-information fields, by field code (as typed)."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(GeneralInfoAnswer.field_code, GeneralInfoAnswer.value).where(
                GeneralInfoAnswer.assessment_id == assessment_id)).all())

    def save_general_info(self, actor: Actor, assessment_id: int, field_code: str, value: str | float | None
                          ) -> bool:
        """Save one general-information field (blank or None clears it); True when something changed.

        A number field takes a number, or its text in the stored form (``general_info_number_text``: '1250000',
        '1.5'); it is stored in that one language-free form, so it reads back alike in vi and en.

        The coordinator and every agency account may write: these fields (population, contact person …) belong
        to the whole assessment, no component is assigned for them, and an agency filling in its self-assessment
        is often the one that knows them; who wrote what is kept in the history. A viewer writes nothing.
        """
        if actor.role == "viewer":
            raise PermissionDenied(actor, field_code, "a viewer account can read but not change answers")
        if field_code not in {f.code for f in self.framework_of(assessment_id).general_info}:
            raise StorageError(f"{field_code!r} is not a general-information field of this edition")
        field = next(f for f in self.framework_of(assessment_id).general_info if f.code == field_code)
        if field.kind == "number":
            value = _general_info_number(field_code, value)
        value = clean_text(value if isinstance(value, str) else str(value)).strip()
        problem = limits.text_problem(field_code, "value", value)
        if problem:
            raise InputProblems([InputProblem(field_code, problem.en, message_vi=problem.vi)])
        with self._session.begin() as s:
            row = s.get(GeneralInfoAnswer, (assessment_id, field_code))
            before = row.value if row is not None else ""
            if before == value:
                return False
            now = _now()
            if not value:
                s.delete(row)
            elif row is None:
                s.add(GeneralInfoAnswer(assessment_id=assessment_id, field_code=field_code, value=value,
                                        updated_by=actor.username, updated_at=now))
            else:
                row.value, row.updated_by, row.updated_at = value, actor.username, now
            # The history's component column is short (20): the field code goes into the changes instead.
            self._log(s, assessment_id, GENERAL_INFO, "general_info", {field_code: [before, value]}, actor, now, 1)
        return True

    def set_appraisal(self, actor: Actor, assessment_id: int, code: str, points: float | None,
                      note: str = "") -> StoredResponse:
        """The appraised points (thẩm định) of a component; coordinator only. None clears it."""
        self.set_appraisals(actor, assessment_id, {code: (points, note)})
        return self.stored_response(assessment_id, code)

    def set_appraisals(self, actor: Actor, assessment_id: int,
                       rows: Mapping[str, tuple[float | None, str]]) -> int:
        """Appraised points and note of many components (code → (points or None, note)); coordinator only.

        Every row is checked first (known code, points within 0..maximum, note within the caps); any problem
        raises InputProblems listing every refused row, and nothing is written. Otherwise all rows are written
        in one transaction, each with its history row. Returns how many components changed.
        """
        self._require_coordinator(actor, "appraisal")
        fw = self.framework_of(assessment_id)
        problems: list[InputProblem] = []
        checked: dict[str, tuple[float | None, str]] = {}
        for code, (points, note) in rows.items():
            comp = fw.component_by_code.get(code)
            if comp is None:
                problems.append(InputProblem(code, f"is not a component of {fw.id}; check the code",
                                             message_vi=f"không phải chỉ số thành phần của {fw.id}; kiểm tra mã"))
                continue
            note = clean_text(note or "")
            problems += [InputProblem(code, p.en, message_vi=p.vi)
                         for p in limits.text_problems(code, {"appraisal_note": note})]
            if points is not None:
                try:
                    points = check_points(comp, points)
                except InputError as exc:
                    problems.append(InputProblem(code, exc.en, message_vi=exc.vi))
                    continue
            checked[code] = (points, note)
        if problems:
            raise InputProblems(problems)
        changed = 0
        with self._session.begin() as s:
            existing = {r.component_code: r for r in s.scalars(select(ResponseRecord).where(
                ResponseRecord.assessment_id == assessment_id,
                ResponseRecord.component_code.in_(list(checked))))} if checked else {}
            now = _now()
            for code, (points, note) in checked.items():
                current = existing.get(code)
                if current is None:
                    current = ResponseRecord(assessment_id=assessment_id, component_code=code, evidence="",
                                             links="", note="", status="not_started", appraisal_note="",
                                             updated_by=actor.username, updated_at=now, version=0)
                    s.add(current)
                diff = {k: [before, after] for k, before, after in (
                    ("appraisal_points", current.appraisal_points, points),
                    ("appraisal_note", current.appraisal_note or "", note)) if before != after}
                if not diff and current.version:
                    continue
                current.appraisal_points, current.appraisal_note = points, note
                current.version += 1
                current.updated_by, current.updated_at = actor.username, now
                s.flush()
                self._log(s, assessment_id, code, "appraisal", diff, actor, now, current.version)
                changed += 1
        return changed

    def appraised(self, assessment_id: int) -> AppraisedResult:
        """The self-assessed and the appraised DTI of an assessment (``dti.scoring.appraised``)."""
        fw = self.framework_of(assessment_id)
        stored = self.stored(assessment_id)  # read once: the answers as ``responses`` gives them, and the appraisal
        responses = {code: r.to_response() for code, r in stored.items()
                     if r.is_answered and self._reading(fw, r) is None}
        appraisal = {c: r.appraisal_points for c, r in stored.items() if r.appraisal_points is not None}
        return score_appraised(fw, responses, appraisal)

    def _import_changes(self, s: Session, actor: Actor, assessment_id: int, responses: Mapping[str, Response],
                        replace: bool) -> tuple[dict[str, ResponseRecord], dict[str, tuple[dict, dict]], ImportPlan]:
        """What an import would write: code → (new fields, diff) for every component that changes, and its plan.

        Raises PermissionDenied listing every code of the file the actor may not edit. A component whose
        fields would not change (a blank row for a component never saved) is not written at all.
        """
        # Cleaned and capped here, so the plan shown before a replace and the write that follows agree.
        responses = {code: Response(code, clean_value(r.value), r.points, clean_text(r.evidence), clean_text(r.note))
                     for code, r in responses.items()}
        for code, r in responses.items():
            _check_texts(code, {"value": r.value, "evidence": r.evidence, "note": r.note})
        fw = self.framework_of(assessment_id)
        file_codes = list(responses)
        points = {code: (check_points(fw.component_by_code[code], r.points) if r.points is not None
                         else self._points(fw, code, r.value)) for code, r in responses.items()}
        allowed = self._editable(s, actor, assessment_id)  # the rule that refuses single saves too
        refused = [code for code in responses if allowed is not None and code not in allowed]
        if refused:
            raise PermissionDenied(actor, ", ".join(sorted(refused, key=_order)),
                                   "not assigned to your agency; nothing was imported")
        existing = {r.component_code: r for r in s.scalars(select(ResponseRecord).where(
            ResponseRecord.assessment_id == assessment_id))}
        if replace:
            # An agency clears only its own components; the coordinator every stored one.
            own = set(existing) if actor.role == "coordinator" else self.components_of(assessment_id,
                                                                                       actor.agency_id)
            responses = {**{c: Response(c, None) for c in own if c in existing and c not in responses},
                         **responses}
            points |= {c: None for c in responses if c not in points}
        changes: dict[str, tuple[dict, dict]] = {}
        for code, r in responses.items():
            new = {"evidence": r.evidence, "note": r.note}
            if r.is_answered or replace:
                new |= {"value": None if r.points is not None else r.value, "points": points[code]}
            rec = existing.get(code)
            before = {"value": None, "points": None, "evidence": "", "note": ""} if rec is None else \
                {k: getattr(rec, k) for k in new}
            diff = {k: [before[k], v] for k, v in new.items() if before[k] != v}
            if diff:
                changes[code] = (new, diff)
        held = {c for c, rec in existing.items() if rec.value is not None or rec.points is not None
                or rec.evidence or rec.note}
        in_file = set(file_codes)
        plan = ImportPlan(added=tuple(sorted((c for c in changes if c not in held), key=_order)),
                          replaced=tuple(sorted((c for c in changes if c in held and c in in_file), key=_order)),
                          cleared=tuple(sorted((c for c in changes if c in held and c not in in_file), key=_order)))
        return existing, changes, plan

    def import_plan(self, actor: Actor, assessment_id: int, responses: Mapping[str, Response],
                    replace: bool = False) -> ImportPlan:
        """What ``import_responses`` would change, without writing: shown to the user before a replace."""
        with self._session() as s:
            return self._import_changes(s, actor, assessment_id, responses, replace)[2]

    def import_responses(self, actor: Actor, assessment_id: int, responses: Mapping[str, Response],
                         source: str = "", replace: bool = False, confirmed: ImportPlan | None = None) -> int:
        """Write already-checked responses in one transaction: all of them or, on any refusal, none.

        An agency may import only its own components; every other code is listed in one PermissionDenied.
        By default the file is merged: a response without a value or points (evidence or a note only) keeps
        the stored value, and components not in the file are untouched. With ``replace`` every other stored
        answer this actor may edit is cleared too (the file becomes the assessment); that erases answers, so it
        needs ``confirmed``: the ``import_plan`` the user saw. If the plan differs now (someone saved
        meanwhile), nothing is written and ReplaceNotConfirmed carries the current plan. Returns how many
        components changed.
        """
        changed = 0
        with self._session.begin() as s:
            existing, changes, plan = self._import_changes(s, actor, assessment_id, responses, replace)
            if replace and confirmed != plan:
                raise ReplaceNotConfirmed(plan)
            now = _now()
            for code, (new, diff) in changes.items():
                rec = existing.get(code)
                if rec is None:
                    rec = ResponseRecord(assessment_id=assessment_id, component_code=code, value=None, points=None,
                                         evidence="", links="", note="", status="not_started", appraisal_note="",
                                         version=0)
                    s.add(rec)
                for k, v in new.items():
                    setattr(rec, k, v)
                if rec.status == "not_started" and new.get("points") is not None:
                    diff["status"] = [rec.status, "in_progress"]
                    rec.status = "in_progress"
                rec.version += 1
                rec.updated_by, rec.updated_at = actor.username, now
                s.flush()
                self._log(s, assessment_id, code, "import", {**diff, "source": [None, source]}, actor, now,
                          rec.version)
                changed += 1
        return changed

    def import_file(self, actor: Actor, assessment_id: int, data: bytes, name: str, replace: bool = False,
                    confirmed: ImportPlan | None = None) -> int:
        """Check an uploaded .xlsx/.csv/.json completely (``dti.io.excel.read_upload``, the one reader of answer
        files), then write it in one transaction, merged unless ``replace`` (see ``import_responses``).

        Raises ImportRefused (every problem with sheet, row, component and fix), PermissionDenied or
        ReplaceNotConfirmed; in all cases nothing is written.
        """
        from dti.io.excel import read_upload  # openpyxl is loaded only when a file is imported

        fw = self.framework_of(assessment_id)
        return self.import_responses(actor, assessment_id, read_upload(fw, data, name), source=name,
                                     replace=replace, confirmed=confirmed)

    def _log(self, s: Session, assessment_id: int, code: str, action: str, diff: dict, actor: Actor,
             at: datetime, version: int) -> None:
        s.add(HistoryRecord(assessment_id=assessment_id, component_code=code, action=action, changes=diff,
                            actor=actor.username, at=at, version=version))

    def history(self, assessment_id: int, code: str | None = None) -> list[HistoryRecord]:
        with self._session() as s:
            q = select(HistoryRecord).where(HistoryRecord.assessment_id == assessment_id)
            if code is not None:
                q = q.where(HistoryRecord.component_code == code)
            return list(s.scalars(q.order_by(HistoryRecord.id)))

    # --- coordinator views ------------------------------------------------------------------------

    def progress(self, assessment_id: int, today: date | None = None) -> list[AgencyProgress]:
        """Per agency: components assigned, answered, with evidence, finished; late after the due date."""
        info = self.assessment_by_id(assessment_id)
        today = today or date.today()
        stored = self.stored(assessment_id)
        assigned: dict[int, set[str]] = {}
        for code, (lead, support) in self.assignments(assessment_id).items():
            for agency_id in [lead, *support]:
                if agency_id is not None:
                    assigned.setdefault(agency_id, set()).add(code)
        with_files = self.evidence_counts(assessment_id)
        out = []
        for agency in self.agencies():
            codes = assigned.get(agency.id, set())
            rows = [stored[c] for c in codes if c in stored]
            finished = sum(r.status == "done" for r in rows)
            late = bool(codes) and info.due_date is not None and today > info.due_date and finished < len(codes)
            evidenced = {r.code for r in rows if r.has_evidence} | (codes & set(with_files))
            out.append(AgencyProgress(agency.id, agency.name, len(codes), sum(r.is_answered for r in rows),
                                      len(evidenced), finished, late, len(codes & set(with_files))))
        return out

    # --- evidence files -----------------------------------------------------------------------------

    @property
    def evidence_store(self) -> evidence_lib.EvidenceStore:
        """Where evidence bytes are kept: as configured, else ``evidence/`` beside the SQLite file (or in
        DTI_DATA_DIR for a server database)."""
        if self._evidence is None:
            folder = db.data_folder(self.engine.url.render_as_string(hide_password=False))
            self._evidence = evidence_lib.store_from_settings(
                default_folder=folder / "evidence" if folder is not None else None)
        return self._evidence

    def add_evidence(self, actor: Actor, assessment_id: int, code: str, data: bytes, name: str) -> EvidenceInfo:
        """Store an evidence file of component ``code``: whoever may edit the component's answer may add it.

        Refused (EvidenceRefused, nothing kept) when over the size limit per file or per assessment, or when its
        content is not a PDF, an image or an Office document matching its name. Logged in the history.
        """
        name = clean_text(name, one_line=True).strip().replace("/", "_").replace("\\", "_")[
            :evidence_lib.MAX_NAME_CHARS] or "evidence"
        fw = self.framework_of(assessment_id)
        if code not in fw.component_by_code:
            raise InputProblems([InputProblem(code, f"is not a component of {fw.id}; check the code")])
        with self._session() as s:
            self._check_can_edit(s, actor, assessment_id, code)
        kind = evidence_lib.check_file(data, name)
        used = self.evidence_bytes(assessment_id)
        if used + len(data) > evidence_lib.MAX_ASSESSMENT_BYTES:
            limit = evidence_lib.MAX_ASSESSMENT_BYTES // 2**20
            raise evidence_lib.EvidenceRefused(
                f"{name}: the evidence files of this assessment would exceed {limit} MB; delete files no longer "
                "needed or upload a smaller copy", "assessment_full", name=name, limit=limit, used=used / 2**20)
        key = evidence_lib.new_key(assessment_id)
        self.evidence_store.put(key, data, evidence_lib.media_type(kind))
        now = _now()
        try:
            with self._session.begin() as s:
                self._check_can_edit(s, actor, assessment_id, code)  # again, in the writing transaction
                rec = EvidenceFile(assessment_id=assessment_id, component_code=code, file_name=name, kind=kind,
                                   size=len(data), sha256=hashlib.sha256(data).hexdigest(), storage_key=key,
                                   uploaded_by=actor.username, uploaded_at=now)
                s.add(rec)
                s.flush()
                self._log(s, assessment_id, code, "evidence_add", {"file": [None, name]}, actor, now,
                          self._version(s, assessment_id, code))
                return _evidence_info(rec)
        except BaseException:
            self.evidence_store.delete(key)  # the record was not written: no file without its record
            raise

    def evidence_files(self, actor: Actor, assessment_id: int, code: str | None = None) -> list[EvidenceInfo]:
        """The evidence files of one component (or of all the actor may see): an agency sees its own components'."""
        with self._session() as s:
            if code is not None:
                self._check_own_component(s, actor, assessment_id, code)
            q = select(EvidenceFile).where(EvidenceFile.assessment_id == assessment_id)
            if code is not None:
                q = q.where(EvidenceFile.component_code == code)
            elif actor.role == "agency":
                q = q.where(EvidenceFile.component_code.in_(self.components_of(assessment_id, actor.agency_id)))
            return [_evidence_info(r) for r in s.scalars(q.order_by(EvidenceFile.id))]

    def evidence_content(self, actor: Actor, assessment_id: int, file_id: int) -> tuple[EvidenceInfo, bytes]:
        """An evidence file and its bytes, for whoever may see its component."""
        with self._session() as s:
            rec = self._evidence_record(s, assessment_id, file_id)
            self._check_own_component(s, actor, assessment_id, rec.component_code)
            info, key = _evidence_info(rec), rec.storage_key
        return info, self.evidence_store.get(key)

    def delete_evidence(self, actor: Actor, assessment_id: int, file_id: int) -> EvidenceInfo:
        """Delete an evidence file: whoever may edit the component's answer; logged in the history."""
        now = _now()
        with self._session.begin() as s:
            rec = self._evidence_record(s, assessment_id, file_id)
            self._check_can_edit(s, actor, assessment_id, rec.component_code)
            info, key = _evidence_info(rec), rec.storage_key
            s.delete(rec)
            self._log(s, assessment_id, info.code, "evidence_delete", {"file": [info.file_name, None]}, actor, now,
                      self._version(s, assessment_id, info.code))
        try:
            self.evidence_store.delete(key)
        except evidence_lib.EvidenceUnavailable:
            # The record is gone (the file is deleted for every user); an orphan object only costs space.
            pass
        return info

    def evidence_counts(self, assessment_id: int) -> dict[str, int]:
        """Component code → number of evidence files (components without files are absent)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(EvidenceFile.component_code, func.count()).where(
                EvidenceFile.assessment_id == assessment_id).group_by(EvidenceFile.component_code))
            return {code: n for code, n in rows}

    def evidence_bytes(self, assessment_id: int) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.coalesce(func.sum(EvidenceFile.size), 0)).where(
                EvidenceFile.assessment_id == assessment_id)) or 0)

    def _evidence_record(self, s: Session, assessment_id: int, file_id: int) -> EvidenceFile:
        rec = s.get(EvidenceFile, file_id)
        if rec is None or rec.assessment_id != assessment_id:
            raise StorageError(f"evidence file {file_id} does not exist (deleted meanwhile?)", "evidence_gone")
        return rec

    def _version(self, s: Session, assessment_id: int, code: str) -> int:
        """The answer's version a history row of a file refers to (0: no answer saved yet)."""
        return s.scalar(select(ResponseRecord.version).where(ResponseRecord.assessment_id == assessment_id,
                                                             ResponseRecord.component_code == code)) or 0

    # --- what-if scenarios -------------------------------------------------------------------------

    def scenarios(self, assessment_id: int) -> list[StoredScenario]:
        """The period's saved scenarios, oldest first (everyone who may see the assessment sees them)."""
        with self._session() as s:
            rows = s.scalars(select(ScenarioRecord).where(ScenarioRecord.assessment_id == assessment_id)
                             .order_by(ScenarioRecord.id))
            return [_scenario(r) for r in rows]

    def save_scenario(self, actor: Actor, assessment_id: int, name: str, component_points: Mapping[str, float],
                      main_values: Mapping[str, float]) -> StoredScenario:
        """Create or update the scenario ``name`` (overrides already checked by dti.decide.scenarios.check).

        The coordinator and agencies save scenarios, viewers do not; an agency changes only the scenarios it
        created.
        """
        name = self._scenario_name(actor, name)
        fw = self.framework_of(assessment_id)
        comps = {str(c): float(v) for c, v in component_points.items()}
        mains = {str(c): float(v) for c, v in main_values.items()}
        unknown = [c for c in comps if c not in fw.component_by_code] + \
                  [c for c in mains if c not in fw.main_index_by_code]
        if unknown or not all(math.isfinite(v) for v in [*comps.values(), *mains.values()]):
            raise StorageError(f"scenario {name!r}: unknown codes {unknown} or a value that is not a number",
                               "scenario_invalid", name=name)
        now = _now()
        with self._session.begin() as s:
            rec = self._scenario_record(s, assessment_id, name)
            if rec is None:
                rec = ScenarioRecord(assessment_id=assessment_id, name=name, created_by=actor.username)
                s.add(rec)
            else:
                self._check_scenario_owner(actor, rec)
            rec.component_points, rec.main_values = comps, mains
            rec.updated_by, rec.updated_at = actor.username, now
            try:
                s.flush()
            except IntegrityError:  # saved under the same name by another session at the same moment
                raise StorageError(f"a scenario named {name!r} exists already", "scenario_exists",
                                   name=name) from None
            return _scenario(rec)

    def rename_scenario(self, actor: Actor, assessment_id: int, old: str, new: str) -> StoredScenario:
        new = self._scenario_name(actor, new)
        with self._session.begin() as s:
            rec = self._scenario_record(s, assessment_id, old)
            if rec is None:
                raise StorageError(f"no scenario named {old!r} (deleted meanwhile?)", "scenario_gone", name=old)
            self._check_scenario_owner(actor, rec)
            if new != old and self._scenario_record(s, assessment_id, new) is not None:
                raise StorageError(f"a scenario named {new!r} exists already", "scenario_exists", name=new)
            rec.name, rec.updated_by, rec.updated_at = new, actor.username, _now()
            s.flush()
            return _scenario(rec)

    def delete_scenario(self, actor: Actor, assessment_id: int, name: str) -> None:
        with self._session.begin() as s:
            if actor.role == "viewer":
                raise PermissionDenied(actor, name, "a viewer account can read but not change scenarios")
            rec = self._scenario_record(s, assessment_id, name)
            if rec is None:
                return  # deleted already: the wish is fulfilled
            self._check_scenario_owner(actor, rec)
            s.delete(rec)

    def _scenario_name(self, actor: Actor, name: str) -> str:
        if actor.role == "viewer":
            raise PermissionDenied(actor, name, "a viewer account can read but not change scenarios")
        name = clean_text(name, one_line=True).strip()
        if not name or len(name) > SCENARIO_NAME_CHARS:
            raise StorageError(f"a scenario needs a name of 1 to {SCENARIO_NAME_CHARS} characters",
                               "scenario_name", limit=SCENARIO_NAME_CHARS)
        return name

    def _scenario_record(self, s: Session, assessment_id: int, name: str) -> ScenarioRecord | None:
        return s.scalar(select(ScenarioRecord).where(ScenarioRecord.assessment_id == assessment_id,
                                                     ScenarioRecord.name == name))

    def _check_scenario_owner(self, actor: Actor, rec: ScenarioRecord) -> None:
        if actor.role == "agency" and rec.created_by != actor.username:
            raise PermissionDenied(actor, rec.name, f"the scenario was made by {rec.created_by}; save a copy "
                                   "under another name")

    # --- periods ----------------------------------------------------------------------------------

    def copy_period(self, actor: Actor, source_id: int, year: int, quarter: int) -> AssessmentInfo:
        """A new period of the same edition starting from the answers and assignments of ``source_id``.

        A target period that exists but holds nothing (no answer, no assignment: created by an earlier version
        of the app on merely opening it) is filled; one that holds anything is refused with PeriodExists.
        """
        self._require_coordinator(actor, "periods")
        src = self.assessment_by_id(source_id)
        existing = self.assessment(src.edition_id, year, quarter, create=False)
        if existing is not None and (self.stored(existing.id) or self.assignments(existing.id)):
            raise PeriodExists(f"{year} Q{quarter} exists already for {src.edition_id}; open it instead")
        new = existing or self.assessment(src.edition_id, year, quarter)
        now = _now()
        with self._session.begin() as s:
            for a in s.scalars(select(Assignment).where(Assignment.assessment_id == source_id)).all():
                s.add(Assignment(assessment_id=new.id, component_code=a.component_code, agency_id=a.agency_id,
                                 lead=a.lead))
            for r in s.scalars(select(ResponseRecord).where(ResponseRecord.assessment_id == source_id)).all():
                s.add(ResponseRecord(assessment_id=new.id, component_code=r.component_code, value=r.value,
                                     points=r.points, evidence=r.evidence, links=r.links, note=r.note,
                                     status=r.status, appraisal_note="", updated_by=actor.username,
                                     updated_at=now, version=1))
                self._log(s, new.id, r.component_code, "copy", {"from": [None, src.label]}, actor, now, 1)
        return new

    def compare(self, before_id: int, after_id: int) -> PeriodComparison:
        """Main-index, pillar and DTI values of two periods of the same edition, and their differences."""
        a, b = self.assessment_by_id(before_id), self.assessment_by_id(after_id)
        if a.edition_id != b.edition_id:
            raise StorageError(f"{a.label} uses {a.edition_id} and {b.label} uses {b.edition_id}; "
                               "compare periods of the same edition")
        ra, rb = self.result(before_id), self.result(after_id)
        return PeriodComparison(
            a, b, Delta("dti", ra.dti, rb.dti),
            [Delta(code, ra.main_indices[code].value, rb.main_indices[code].value) for code in ra.main_indices
             if ra.main_indices[code].value is not None],
            [Delta(code, ra.pillars[code].value, rb.pillars[code].value) for code in ra.pillars])


def _utc(at: datetime) -> datetime:
    """SQLite hands back the stored UTC time without its zone; PostgreSQL with it."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _evidence_info(r: EvidenceFile) -> EvidenceInfo:
    return EvidenceInfo(r.id, r.component_code, r.file_name, r.kind, r.size, r.uploaded_by, _utc(r.uploaded_at))


def _scenario(r: ScenarioRecord) -> StoredScenario:
    return StoredScenario(r.name, dict(r.component_points), dict(r.main_values), r.created_by, r.updated_by,
                          _utc(r.updated_at))


def general_info_number_text(number: float) -> str:
    """The stored form of a general-information number: no thousands separator, '.' for decimals."""
    return plain_number(number, "en")


def _general_info_number(field_code: str, value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        refused = NumberError(str(value), "malformed")
        raise InputProblems([InputProblem(field_code, refused.message("en"), message_vi=refused.message("vi"))])
    return general_info_number_text(number)


def _check_texts(code: str, fields: Mapping[str, Any]) -> None:
    """Evidence, notes, links and text values within dti/limits.py's caps, for every write (not only
    the readers'): a 200 MB evidence would be stored twice, in the answer and in its history."""
    problems = limits.text_problems(code, dict(fields))
    if problems:
        raise InputProblems([InputProblem(code, p.en, message_vi=p.vi) for p in problems])


def _translating_faults(method: Callable) -> Callable:
    """Every public Store method: a storage fault leaves as StorageUnavailable (what happened, what to do)."""

    @functools.wraps(method)
    def call(self: Store, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except DBAPIError as exc:  # SQLite's file errors come as DBAPIError too; the file check raises its own
            fault = db.classify(exc, self.engine.url.render_as_string(hide_password=False),
                                db.file_identity(self.engine))
            if fault is None:
                raise
            raise fault from exc

    return call


for _name, _method in list(vars(Store).items()):
    if not _name.startswith("_") and callable(_method) and not isinstance(_method, (classmethod, staticmethod)):
        setattr(Store, _name, _translating_faults(_method))


def _order(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split(".") if p.isdigit())


def _unreadable(fw: Framework, r: StoredResponse) -> UnreadableAnswer | None:
    """Why the stored answer ``r`` does not read under ``fw``'s rule now (None when it does)."""
    comp = fw.component_by_code.get(r.code)
    if comp is None:
        return UnreadableAnswer(r.code, r.value, r.points, f"is not a component of {fw.id} any more",
                                f"không còn là chỉ số thành phần của {fw.id}")
    if comp.rule.type == "not_scored":
        return None
    response = r.to_response()
    try:
        if response.points is not None:
            check_points(comp, response.points)
        else:
            points_from_value(comp, response.value)
    except InputError as exc:
        return UnreadableAnswer(r.code, r.value, r.points, exc.en, exc.vi)
    return None
