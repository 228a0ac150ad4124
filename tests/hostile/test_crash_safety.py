"""``sitroom ingest`` killed with SIGKILL at random points, then run again to the end: every
document is stored exactly once, nothing is lost, and the SQLite store is consistent.

The kill points are random but spread over the stages of a run: one while the process starts
(imports, model, migrations), two a random 0-1.5 s after a batch was committed (during the next
batch's analysis, its commit or the merge of events), and one a random 0-0.5 s after the last
batch was committed (while claims are regrouped into hypotheses). ``SITROOM_KILL_ROUNDS``
(default 4) sets the number of kills, ``SITROOM_KILL_SEED`` the random seed; rounds after the
fourth kill at a random time in the first 20 s.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from hostile.corpus import consistency_problems, count, ingest_command, snapshot, start

ROUNDS = int(os.environ.get("SITROOM_KILL_ROUNDS", "4"))
SEED = int(os.environ.get("SITROOM_KILL_SEED", str(random.randrange(1 << 30))))
RUN_LIMIT_S = 600  # a hung ingest fails the test instead of hanging the suite


def _kill_at_random_point(proc: subprocess.Popen, db: Path, phase: str, rng: random.Random, total: int) -> str:
    """Wait for the point this round's ``phase`` chose, SIGKILL the process; what happened."""
    began, before = time.monotonic(), count(db)
    if phase == "start":
        delay = rng.uniform(0.2, 4.0)
    elif phase == "random":
        delay = rng.uniform(0.2, 20.0)
    else:  # "commit": this run's first commit; "last": the last document's
        target = total if phase == "last" else before + 1
        while proc.poll() is None and count(db) < target and time.monotonic() - began < RUN_LIMIT_S:
            time.sleep(0.02)
        delay = rng.uniform(0.0, 0.5 if phase == "last" else 1.5)
    deadline = time.monotonic() + delay
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if proc.poll() is not None:
        return f"finished by itself (exit {proc.returncode}) before the kill"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return f"killed at {time.monotonic() - began:.1f} s"


def test_sigkill_at_random_points_then_resume(corpus: list[Path], reference: dict, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    db = tmp_path / "crash.db"
    phases = (["start", "commit", "commit", "last"] + ["random"] * ROUNDS)[:ROUNDS]
    total = len(reference["documents"])
    log = [f"seed {SEED}"]
    for number, phase in enumerate(phases, 1):
        proc = start(ingest_command(db, *corpus))
        what = _kill_at_random_point(proc, db, phase, rng, total)
        proc.communicate(timeout=RUN_LIMIT_S)
        log.append(f"round {number} ({phase}): {what}; {count(db)} documents stored")
        if db.exists():  # a kill leaves a consistent store behind, not only after the final run
            problems = [p for p in consistency_problems(db) if "unresolved" not in p]
            assert not problems, "\n".join(log + problems)

    before_final = count(db)
    final = subprocess.run(ingest_command(db, *corpus), capture_output=True, text=True, timeout=RUN_LIMIT_S, check=False)
    log.append(f"final run: exit {final.returncode}")
    assert final.returncode == 0, "\n".join(log + [final.stderr[-3000:]])
    assert "warning" not in final.stderr, final.stderr[-3000:]

    assert not consistency_problems(db), "\n".join(log + consistency_problems(db))
    got = snapshot(db)
    assert got["documents"] == reference["documents"], "\n".join(log)  # each exactly once, none lost
    for key in ("mentions", "events", "claims"):
        assert got.get(key) == reference.get(key), f"{key} differ from an uninterrupted run\n" + "\n".join(log)
    assert got.get("hypotheses") == reference.get("hypotheses"), "\n".join(log)
