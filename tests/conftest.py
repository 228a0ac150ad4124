"""Shared fixtures, defined once."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from sitroom.extract.nlp import load

    return load()


@pytest.fixture()
def db(tmp_path) -> str:
    return str(tmp_path / "test.db")


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test where that folder is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is not available here")
    return p


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server of its own for this test session (see tests/pgserver.py); skipped, with
    the reason, only where the server binaries or psycopg are not installed."""
    pytest.importorskip("psycopg", reason="psycopg 3 is not installed (pip install 'sitroom[postgres]')")
    from pgserver import start_server

    try:
        server = start_server()
    except LookupError as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()


_pg_databases = iter(range(1, 1_000_000))


@pytest.fixture()
def pg_url(pg_server) -> str:
    """A new, empty PostgreSQL database on the session's server."""
    return pg_server.create_database(f"test_{next(_pg_databases)}")
