"""Who is acting and what they may do: the Actor, the refusal, and the one coordinator check.

At the bottom of the package (no imports from it) so that every layer that writes something (the ``Store``
for assessments, ``dti.io.editions`` for edition files) refuses with the same check and the same error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ROLES = ("coordinator", "agency", "viewer")


@dataclass(frozen=True)
class Actor:
    """Who is acting: their login name, role and (for the agency role) their agency."""

    username: str
    role: str
    agency_id: int | None = None
    display_name: str = ""

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"role {self.role!r} is not one of {ROLES}")
        if self.role == "agency" and self.agency_id is None:
            raise ValueError("an agency account needs its agency")


class StorageError(Exception):
    """A refused write; the message says why and what to do (English; ``key`` and ``params`` name the
    ``storage.err_<key>`` text of config/i18n.yaml for the UI)."""

    def __init__(self, message: str, key: str = "", **params: Any):
        self.key, self.params = key, params
        super().__init__(message)


class PermissionDenied(StorageError):
    def __init__(self, actor: Actor, code: str, reason: str):
        self.actor, self.code, self.reason = actor, code, reason
        super().__init__(f"{actor.username} may not change component {code}: {reason}")


def require_coordinator(actor: Actor, what: str) -> None:
    """Refuse anyone but the coordinator (PermissionDenied naming ``what``)."""
    if actor.role != "coordinator":
        raise PermissionDenied(actor, what, "only the coordinator can do this")
