"""Throughput of the full sitroom pipeline against bare spaCy ``nlp.pipe``, same texts, one run.

    .venv/bin/python benchmarks/throughput.py [--articles 500] [--workers 1]

Texts: the bundled examples plus, where present, the dev articles in ../shared/bench,
repeated with a numbered line so each is a distinct document, until --articles is reached.
sitroom runs end to end: JSONL reading, hashing, parsing, extraction and SQLite writes.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus(n: int) -> list[str]:
    from sitroom.ingest import read
    from sitroom.model import Document

    base = [d.text for d in read([str(ROOT / "examples")]) if isinstance(d, Document)]
    dev = ROOT.parent / "shared" / "bench" / "dev"
    for f in sorted(dev.glob("*.docs.jsonl")) if dev.exists() else []:
        base += [json.loads(line)["text"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not base:
        sys.exit("no texts found: examples/ is empty")
    return [f"{base[i % len(base)]}\n\nDispatch {i}." for i in range(n)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--workers", type=int, nargs="+", default=[1])
    args = ap.parse_args()

    from sitroom.extract.nlp import load
    from sitroom.pipeline import ingest
    from sitroom.store.repository import Store

    texts = corpus(args.articles)
    words = sum(len(t.split()) for t in texts)
    nlp = load()
    print(f"{len(texts)} articles, {words} words, model {nlp.meta['name']} {nlp.meta['version']}")
    for workers in args.workers:
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32, n_process=workers):
            pass
        bare = time.perf_counter() - t0

        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "corpus.jsonl"
            src.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
            store = Store(str(Path(tmp) / "bench.db"))
            t0 = time.perf_counter()
            summary = ingest([str(src)], store, workers=workers)
            full = time.perf_counter() - t0
            store.close()
        assert summary.new == len(texts), summary
        print(f"workers={workers}")
        print(f"  bare nlp.pipe : {len(texts) / bare:8.1f} articles/s {words / bare:10.0f} words/s")
        print(f"  sitroom ingest: {len(texts) / full:8.1f} articles/s {words / full:10.0f} words/s"
              f"  ({summary.events} events, {summary.claims} claims)")
        print(f"  ratio sitroom/bare: {bare / full:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
