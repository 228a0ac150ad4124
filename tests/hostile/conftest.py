"""Fixtures of the hostile-input tests: one corpus and one reference store, built once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hostile.corpus import PUBLISHED, snapshot, write_corpus


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """140 short reports (JSONL files, an RSS feed, a folder of text files): three batches of 64."""
    return write_corpus(tmp_path_factory.mktemp("corpus"), jsonl_files=4, per_file=32, feed_items=6, texts=6)


@pytest.fixture(scope="session")
def reference(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """What one uninterrupted ingest of ``corpus`` stores (in this process: the model is loaded once)."""
    from sitroom.pipeline import ingest
    from sitroom.store.repository import Store

    db = tmp_path_factory.mktemp("reference") / "reference.db"
    store = Store(str(db))
    try:
        summary = ingest([str(p) for p in corpus], store, published=dt.date.fromisoformat(PUBLISHED))
    finally:
        store.close()
    assert summary.failed == 0 and summary.new == 140, summary
    return snapshot(db)
