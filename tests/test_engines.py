"""Parallel and distributed ingest give exactly the single-process result; queues stay bounded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.engines import ordered_map
from sitroom.pipeline import ingest
from sitroom.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]
IDS = {"event_id", "claim_id", "mention_id", "hypothesis_id"}


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in IDS}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _export(db: str) -> dict[str, list[str]]:
    store = Store(db)
    out = {kind: sorted(json.dumps(_without_ids(r), sort_keys=True) for r in getattr(store, kind)())
           for kind in ("events", "claims", "hypotheses")}
    store.close()
    return out


@pytest.fixture(scope="module")
def single(tmp_path_factory) -> dict[str, list[str]]:
    """The examples ingested in this process, one worker: the reference."""
    db = str(tmp_path_factory.mktemp("single") / "single.db")
    summary = ingest([str(ROOT / "examples")], Store(db), batch_size=3)
    assert summary.new >= 6 and summary.events > 0 and summary.claims > 0
    return _export(db)


def test_ordered_map_keeps_order_and_bounds_what_is_in_flight():
    submitted, collected, most = [], [], 0

    def submit(x):
        nonlocal most
        submitted.append(x)
        most = max(most, len(submitted) - len(collected))
        return x * 10

    def result(handle):
        collected.append(handle)
        return handle + 1

    out = list(ordered_map(submit, result, iter(range(20)), depth=3))
    assert out == [(i, i * 10 + 1) for i in range(20)]
    assert most == 3


def test_workers_give_the_single_process_result(tmp_path, single):
    db = str(tmp_path / "workers.db")
    summary = ingest([str(ROOT / "examples")], Store(db), workers=2, batch_size=2)
    assert summary.new >= 6
    assert _export(db) == single
    again = ingest([str(ROOT / "examples")], Store(db), workers=2, batch_size=2)
    assert again.new == 0 and again.already_stored == summary.new


def test_ray_gives_the_single_process_result(tmp_path, request, single):
    """A local Ray instance (2 CPUs) parses and extracts; this process writes, to PostgreSQL
    where the test server runs, else to SQLite."""
    pytest.importorskip("ray", reason="Ray is not installed (pip install 'sitroom[ray]')")
    try:
        db = request.getfixturevalue("pg_url")
    except pytest.skip.Exception:
        db = str(tmp_path / "ray.db")
    summary = ingest([str(ROOT / "examples")], Store(db), workers=2, batch_size=2, engine="ray")
    assert summary.new >= 6
    assert _export(db) == single
