"""The store tests run against both stores: each test that takes ``db`` runs once on a SQLite
file and once on a new database of a PostgreSQL server the session starts (tests/pgserver.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    return request.getfixturevalue("pg_url")
