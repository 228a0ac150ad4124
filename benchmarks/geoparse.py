"""Geoparsing cost: gazetteer build and load time, its memory, and resolution time per article.

    .venv/bin/python benchmarks/geoparse.py [--rounds 3] [--build]

- build (with --build): the offline index built from scratch into a temporary folder (what
  `make install` does once), its time and file size;
- load: opening the built index (`Gazetteer()`: the SQLite file and the country table), time,
  and the process's resident memory before and after, and after resolving every article;
- resolution per article: toponym spotting (places.extract, spaCy parse excluded) plus geocoding
  (resolve/geocode.py) of each article of the bundled examples and, where present, the dev sets in
  ../shared/bench; first round with cold lookup caches, later rounds warm. Wall-clock and CPU
  time (the CPU figure is the one to compare on a busy machine).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; else the peak from getrusage)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def articles() -> list:
    from sitroom.ingest import read
    from sitroom.ingest.identity import make_document
    from sitroom.model import Document

    docs = [d for d in read([str(ROOT / "examples")]) if isinstance(d, Document)]
    dev = ROOT.parent / "shared" / "bench" / "dev"
    for f in sorted(dev.glob("*.docs.jsonl")) if dev.exists() else []:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                docs.append(make_document(d["text"], doc_id=d.get("id")))
    return docs


def ms(xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]
    return f"mean {statistics.mean(xs):7.2f} ms  median {statistics.median(xs):7.2f} ms  p95 {p95:7.2f} ms  " \
           f"max {xs[-1]:7.2f} ms"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3, help="passes over the articles (the first is cold)")
    ap.add_argument("--build", action="store_true", help="also time a build of the index from scratch")
    args = ap.parse_args()

    from sitroom.resolve import gazetteer as gz

    if args.build:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "gazetteer.sqlite"
            t = time.perf_counter()
            gz.build(target)
            took = time.perf_counter() - t
            print(f"gazetteer build: {took:6.1f} s, index {target.stat().st_size / 2**20:.1f} MB")

    # spaCy first, so that the memory figures below are the gazetteer's and the geocoder's alone
    from sitroom.extract import places
    from sitroom.extract.nlp import load
    from sitroom.resolve import geocode

    nlp = load()
    docs = articles()
    parsed = [(nlp(d.text), d) for d in docs]
    before = rss_mb()
    gz.gazetteer.cache_clear()
    t = time.perf_counter()
    g = gz.gazetteer()
    load_s = time.perf_counter() - t
    loaded = rss_mb()
    size = g.file.stat().st_size / 2**20 if g.file.exists() else float("nan")
    print(f"gazetteer load:  {load_s * 1000:6.1f} ms ({g.file.name}, {size:.1f} MB on disk, "
          f"{len(g.countries)} countries)")

    words = sum(len(d.text.split()) for d in docs)
    print(f"articles: {len(docs)} ({words} words)")
    for r in range(args.rounds):
        if r == 0:
            g._candidates.cache_clear()
            gz.normalize.cache_clear()
        times, cpu, mentions = [], [], 0
        for doc, d in parsed:
            t, c = time.perf_counter(), time.process_time()
            found = geocode.geocode(places.extract(doc, d), d.text)
            cpu.append((time.process_time() - c) * 1000)
            times.append((time.perf_counter() - t) * 1000)
            mentions += len(found)
        label = "cold" if r == 0 else "warm"
        print(f"resolution per article, round {r + 1} ({label}):\n  wall {ms(times)}\n  cpu  {ms(cpu)}\n"
              f"  {mentions} toponyms, {sum(times) / max(mentions, 1):.2f} ms wall per toponym")
    after = rss_mb()
    print(f"memory (RSS): {before:.0f} MB before the gazetteer, +{loaded - before:.1f} MB after loading it, "
          f"+{after - before:.1f} MB after resolving every article (pid {os.getpid()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
