"""Two ``sitroom ingest`` processes writing one SQLite store at once (overlapping inputs, a
new database), while ``sitroom export`` reads it over and over: both ingests succeed, every
document is stored once, nothing is lost, and every export is whole and valid."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile.corpus import consistency_problems, count, ingest_command, snapshot, start

RUN_LIMIT_S = 600
MAX_EXPORTS = 8  # each is a process of its own: enough to read at several points of the writes


def test_two_ingests_and_a_reader_on_one_store(corpus: list[Path], reference: dict, tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    jsonl = [p for p in corpus if p.suffix == ".jsonl"]
    others = [p for p in corpus if p.suffix != ".jsonl"]
    # Overlapping halves, in opposite orders: both try to store the shared documents.
    first = jsonl[:3] + others[:1]
    second = list(reversed(jsonl[1:])) + others
    ingests = [start(ingest_command(db, *first)), start(ingest_command(db, *second))]
    exports: list[int] = []
    began = time.monotonic()
    while any(p.poll() is None for p in ingests) and time.monotonic() - began < RUN_LIMIT_S:
        if count(db) == 0 or len(exports) >= MAX_EXPORTS:
            time.sleep(0.1)
            continue
        out = subprocess.run([sys.executable, "-m", "sitroom", "export", "events", "--db", str(db)],
                             capture_output=True, text=True, timeout=120, check=False)
        assert out.returncode == 0, out.stderr[-2000:]
        records = [json.loads(line) for line in out.stdout.splitlines()]  # whole lines only
        assert all(r["event_id"] and r["evidence"] for r in records)
        exports.append(len(records))
        time.sleep(0.5)  # leave the CPU to the writers
    results = [p.communicate(timeout=RUN_LIMIT_S) for p in ingests]
    for proc, (_out, err) in zip(ingests, results):
        assert proc.returncode == 0, err[-3000:]
        assert "warning" not in err and "error" not in err, err[-3000:]
    assert exports, "the reader never ran while the ingests wrote"

    assert not consistency_problems(db), consistency_problems(db)
    got = snapshot(db)
    assert got["documents"] == reference["documents"]  # the union, each exactly once
    for key in ("mentions", "events", "claims"):
        assert got.get(key) == reference.get(key), f"{key} differ from one ingest of the same inputs"
    assert got.get("hypotheses") == reference.get("hypotheses"), "the last regrouping saw every claim"
