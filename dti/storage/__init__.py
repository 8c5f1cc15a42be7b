"""Storage of assessments: SQLAlchemy 2 models, Alembic migrations, and the repository ``Store``."""

from dti.storage.db import StorageUnavailable
from dti.storage.repo import (
    Actor,
    AgencyProgress,
    AssessmentInfo,
    ConflictError,
    ImportPlan,
    PeriodExists,
    PermissionDenied,
    ReplaceNotConfirmed,
    StorageError,
    Store,
    StoredResponse,
    next_period,
    previous_period,
)

__all__ = ["Actor", "AgencyProgress", "AssessmentInfo", "ConflictError", "ImportPlan", "PeriodExists",
           "PermissionDenied", "ReplaceNotConfirmed", "StorageError", "StorageUnavailable", "Store", "StoredResponse",
           "next_period", "previous_period"]
