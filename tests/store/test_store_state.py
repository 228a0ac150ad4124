"""Hypotheses left behind by claims added later are noticed: an ingest killed while regrouping is
regrouped by the next run, and a regrouping from fewer claims than are stored is not written."""

from __future__ import annotations

from pathlib import Path

from sitroom.pipeline import ingest
from sitroom.store.repository import Store

ROOT = Path(__file__).resolve().parents[2]


def test_a_run_that_did_not_regroup_is_regrouped_by_the_next(tmp_path):
    store = Store(str(tmp_path / "s.db"))
    first = ingest([str(ROOT / "examples")], store, regroup=False)  # as if killed before regrouping
    assert first.new > 0 and store.hypotheses_stale() and list(store.hypotheses()) == []
    again = ingest([str(ROOT / "examples")], store)
    assert again.new == 0
    assert not store.hypotheses_stale()
    assert again.hypotheses == len(list(store.hypotheses())) > 0


def test_hypotheses_grouped_from_fewer_claims_are_not_written(tmp_path):
    from sitroom.resolve.hypotheses import update

    store = Store(str(tmp_path / "s.db"))
    ingest([str(ROOT / "examples" / "01_wire_kabul-airport-bombing_2021-08-27.txt")], store, regroup=False)
    old = store.claims_generation()
    ingest([str(ROOT / "examples")], store, regroup=False)  # another ingest stores more claims meanwhile
    assert store.claims_generation() != old
    assert store.replace_hypotheses([], {}, old) is False  # the slower, older regrouping loses
    assert store.hypotheses_stale()
    update(store)
    assert not store.hypotheses_stale() and list(store.hypotheses())


def test_a_database_other_than_sqlite_or_postgresql_is_refused_with_what_to_do():
    import pytest

    from sitroom.errors import StoreError

    with pytest.raises(StoreError, match="SQLite or PostgreSQL; give --db a file path or a postgresql:// URL"):
        Store("mysql://someone@localhost/news")
