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
