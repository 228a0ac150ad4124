"""Parallel and distributed ingest give exactly the single-process result; queues stay bounded."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitroom.engines import Engine, LocalPool, _parts, ordered_map
from sitroom.ingest import read
from sitroom.model import Document
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


def test_a_batch_is_shared_among_the_workers_in_order():
    assert _parts(list(range(7)), 2) == [[0, 1, 2, 3], [4, 5, 6]]
    assert _parts([1], 4) == [[1]]
    assert _parts([], 2) == [[]]
    assert [x for p in _parts(list(range(65)), 3) for x in p] == list(range(65))


def test_one_worker_is_a_process_of_its_own_with_the_inline_result():
    docs = [d for d in read([str(ROOT / "examples")]) if isinstance(d, Document)]
    batches = [docs[i:i + 2] for i in range(0, len(docs), 2)]
    assert len(batches) >= 3
    inline = list(Engine().map(batches))
    with LocalPool(1) as pool:
        pooled = list(pool.map(batches))
        assert pool._pool is not None  # the NLP ran in a worker process
    assert pooled == inline
    with LocalPool(1) as pool:  # one batch: no process is started for it
        assert list(pool.map(batches[:1])) == inline[:1]
        assert pool._pool is None


def test_no_worker_processes_means_this_process():
    from sitroom.engines import engine

    assert type(engine("local", 0)) is Engine
    assert isinstance(engine("local", 1), LocalPool)


def test_workers_started_by_a_thread_outlive_that_thread():
    """A pool first used from a thread (a server ingesting in the background) keeps its workers
    when that thread ends: they end with the process, not with the thread that forked them."""
    import threading

    with LocalPool(2) as pool:
        first: list = []
        thread = threading.Thread(target=lambda: first.extend(pool.map([[], [], []])))
        thread.start()
        thread.join()
        time.sleep(0.5)
        assert len(first) == 3
        assert [analyses for _, analyses in pool.map([[], []])] == [[], []]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_the_writer_is_killed(tmp_path):
    """A SIGKILLed writer leaves no worker behind (one would hold its pipes open forever)."""
    script = tmp_path / "writer.py"
    script.write_text(
        "import os, signal, sys\n"
        "from sitroom.engines import LocalPool\n"
        "pool = LocalPool(2)\n"
        "list(pool.map([[], [], []]))\n"
        "print(' '.join(str(p) for p in pool._pool._processes), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert run.returncode == -signal.SIGKILL, run.stderr
    pids = [int(p) for p in run.stdout.split()]
    assert len(pids) == 2

    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 10
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in pids)


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
