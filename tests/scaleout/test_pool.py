"""Connections per app process on PostgreSQL: several processes share one server's max_connections (100 by
default), so the pool of each is set from the environment, the same way for every process."""

from __future__ import annotations

import pytest
from pg import server as postgres_server

from dti.storage import StorageUnavailable, Store

pytestmark = [pytest.mark.postgres, pytest.mark.scaleout]


def test_the_pool_of_a_process_follows_the_environment(monkeypatch):
    monkeypatch.setenv("DTI_DB_POOL_SIZE", "3")
    monkeypatch.setenv("DTI_DB_MAX_OVERFLOW", "2")
    store = Store.open(postgres_server().new_database())
    try:
        assert (store.engine.pool.size(), store.engine.pool._max_overflow) == (3, 2)
    finally:
        store.close()


def test_a_pool_size_that_is_no_number_is_said_naming_the_setting(monkeypatch):
    monkeypatch.setenv("DTI_DB_POOL_SIZE", "ba")
    with pytest.raises(StorageUnavailable) as refused:
        Store.open(postgres_server().new_database())
    assert "DTI_DB_POOL_SIZE" in str(refused.value)
