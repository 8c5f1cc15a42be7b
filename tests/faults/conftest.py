"""Fixtures of the fault tests."""

from __future__ import annotations

import pytest
from pg import PostgresServer


@pytest.fixture(scope="module")
def own_postgres():
    """A PostgreSQL server of the module's own, which its tests stop and start (never the shared one)."""
    srv = PostgresServer()
    yield srv
    srv.stop()
