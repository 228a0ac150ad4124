"""Throughput of sitroom against bare spaCy ``nlp.pipe`` (same texts, model, batch size and worker
count), on SQLite and PostgreSQL, and peak memory at two corpus sizes: one run.

    .venv/bin/python benchmarks/throughput.py [--articles 500] [--workers 1 2] [--stores sqlite postgresql]
                                              [--memory 5000 50000] [--memory-workers 2] [--repeat 1]

Bare spaCy is the model package as shipped (``spacy.load``, every component stock). sitroom's
own parse runs the same model with its two rule components (attribute ruler, lemmatizer) applied
by table, which gives the same annotations (``sitroom.extract.tables``), and with a component of
its own that marks sentence starts at line breaks; "sitroom parse only" shows what that parse
alone costs, so the share of each part is visible.

Texts: the bundled examples plus, where present, the dev articles in ../shared/bench, repeated with
a numbered line so each is a distinct document, until --articles is reached. sitroom runs end to
end: JSON Lines reading, hashing, parsing, extraction, merging and the database writes. PostgreSQL
is a throwaway server on 127.0.0.1 (tests/pgserver.py: Debian's binaries) unless --pg-url is
given; it is left out, with a note, where neither is available.

Memory: peak RSS (of the writer process, and of the largest worker process) of a fresh
``sitroom ingest`` of N short articles (one incident each, on a day of its own) into a new SQLite
database, without the final regrouping into hypotheses (it reads every stored claim);
each size runs in a process of its own. ``--memory`` with no sizes skips it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BATCH = 32  # spaCy batch size, for bare nlp.pipe and inside sitroom alike


def base_texts() -> list[str]:
    from sitroom.ingest import read
    from sitroom.model import Document

    base = [d.text for d in read([str(ROOT / "examples")]) if isinstance(d, Document)]
    dev = ROOT.parent / "shared" / "bench" / "dev"
    for f in sorted(dev.glob("*.docs.jsonl")) if dev.exists() else []:
        base += [json.loads(line)["text"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not base:
        sys.exit("no texts found: examples/ is empty")
    return base


def corpus(n: int) -> list[str]:
    base = base_texts()
    return [f"{base[i % len(base)]}\n\nDispatch {i}." for i in range(n)]


TOWNS = ["Goma", "Mosul", "Kharkiv", "Idlib", "Tripoli", "Kabul", "Mogadishu", "Bamako", "Sanaa", "Aleppo",
         "Maiduguri", "Bunia", "Kherson", "Khartoum", "Raqqa", "Gao", "Kandahar", "Marib", "Beni", "Donetsk"]
ACTORS = ["Rebels", "Government troops", "Militants", "Unidentified gunmen", "Army artillery"]


def short_corpus(n: int) -> list[str]:
    """Short articles (about twenty words), each one incident: a town, a day, a toll. A town and
    day come back at most every 25,000 articles, so the merge across articles joins at most a
    few reports and its work per batch stays the same as the store grows (a corpus of repeated
    texts would be one ever-growing incident: what merging is for, not what memory is measured
    on)."""
    import datetime as dt

    start, days = dt.date(1950, 1, 1), 25_000  # 1950 to 2018: dates the extractor takes as real
    return [f"{ACTORS[i % len(ACTORS)]} shelled {TOWNS[i % len(TOWNS)]} on "
            f"{(start + dt.timedelta(days=i % days)):%d %B %Y}, killing {2 + i % 9} civilians, officials said. "
            f"Dispatch {i}." for i in range(n)]


def write_jsonl(texts: list[str], path: Path) -> None:
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")


# -- throughput ----------------------------------------------------------------------------------


def cpu() -> float:
    """CPU seconds of this process and of its finished children (workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def bare(nlp, texts: list[str], workers: int) -> tuple[float, float]:
    c0, t0 = cpu(), time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH, n_process=workers):
        pass
    return time.perf_counter() - t0, cpu() - c0


def full(texts: list[str], workers: int, db: str, src: Path):
    from sitroom.pipeline import ingest
    from sitroom.resolve.hypotheses import update
    from sitroom.store.repository import Store

    store = Store(db)
    c0, t0 = cpu(), time.perf_counter()
    summary = ingest([str(src)], store, workers=workers, regroup=False)
    elapsed, used = time.perf_counter() - t0, cpu() - c0
    update(store)  # what ingest does last: regroup every stored claim into hypotheses
    regroup, regroup_cpu = time.perf_counter() - t0 - elapsed, cpu() - c0 - used
    store.close()
    assert summary.new == len(texts), summary
    return (elapsed, used), (regroup, regroup_cpu), summary


class Postgres:
    """New databases on --pg-url's server, or on a throwaway local server."""

    def __init__(self, url: str | None):
        self.server = None
        self.url = url
        self.note = ""
        self.n = 0
        if url:
            return
        sys.path.insert(0, str(ROOT / "tests"))
        try:
            import psycopg  # noqa: F401
            from pgserver import start_server

            self.server = start_server()
        except (ImportError, LookupError, RuntimeError) as exc:
            self.note = f"PostgreSQL left out: {exc}"

    def available(self) -> bool:
        return bool(self.url or self.server)

    def new_database(self) -> str:
        self.n += 1
        name = f"bench_{os.getpid()}_{self.n}"
        if self.server:
            return self.server.create_database(name)
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + "/" + name

    def close(self) -> None:
        if self.server:
            self.server.stop()


def throughput(args) -> None:
    import spacy

    from sitroom.extract.nlp import MODEL, load

    texts = corpus(args.articles)
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.load(MODEL)  # bare: the model as shipped
    nlp.max_length = load().max_length
    # warm what is loaded once per process (model, lexicons, gazetteer, and the sentence encoder the
    # regrouping compares claims with), outside the timings: throughput, not start-up, is measured
    from sitroom.extract import analyze_text
    from sitroom.resolve.embeddings import encoder

    analyze_text(texts[0])
    encoder()
    nlp(texts[0])
    print(f"{len(texts)} articles, {words} words, model {nlp.meta['name']} {nlp.meta['version']}, "
          f"spaCy batch {BATCH}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    pg = Postgres(args.pg_url) if "postgresql" in args.stores else None
    if pg and pg.note:
        print(pg.note)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "corpus.jsonl"
            write_jsonl(texts, src)
            for workers in args.workers:
                # the repeats interleave (bare, parse only, each store; again ...), so that a change
                # in the machine's load over the minutes of a run falls on every row alike; each
                # row keeps its fastest repeat
                runs: dict[str, list] = {}
                for r in range(args.repeat):
                    runs.setdefault("bare", []).append(bare(nlp, texts, workers))
                    print(f"  bare nlp.pipe, {workers} workers: {runs['bare'][-1][0]:.1f} s, "
                          f"{runs['bare'][-1][1]:.1f} CPU s", flush=True)
                    runs.setdefault("own", []).append(bare(load(), texts, workers))
                    print(f"  sitroom's parse alone, {workers} workers: {runs['own'][-1][0]:.1f} s, "
                          f"{runs['own'][-1][1]:.1f} CPU s", flush=True)
                    for store in args.stores:
                        if store == "postgresql" and not (pg and pg.available()):
                            continue
                        db = str(Path(tmp) / f"b{workers}_{r}.db") if store == "sqlite" else pg.new_database()
                        run = full(texts, workers, db, src)
                        runs.setdefault(store, []).append(run)
                        (elapsed, used), (regroup, regroup_cpu), _ = run
                        print(f"  sitroom {store}, {workers} workers: {elapsed:.1f} s, {used:.1f} CPU s; regroup "
                              f"{regroup:.1f} s, {regroup_cpu:.1f} CPU s", flush=True)
                best_bare = min(runs["bare"])
                rows.append(("bare nlp.pipe", "-", workers, best_bare, None, best_bare))
                rows.append(("sitroom parse only", "-", workers, min(runs["own"]), True, best_bare))
                for store in args.stores:
                    if store not in runs:
                        continue
                    fastest = min(runs[store], key=lambda run: run[0])
                    (elapsed, used), (regroup, regroup_cpu), summary = fastest
                    rows.append(("sitroom ingest", store, workers, (elapsed, used), summary, best_bare))
                    rows.append(("  + regroup", store, workers, (elapsed + regroup, used + regroup_cpu), summary,
                                 best_bare))
    finally:
        if pg:
            pg.close()
    print(f"{'':19}{'store':>11}{'workers':>8}{'articles/s':>12}{'words/s':>10}{'ratio':>7}"
          f"{'CPU s':>8}{'CPU ratio':>10}")
    for name, store, workers, (secs, used), summary, (ref, ref_cpu) in rows:
        ratio = "" if summary is None else f"{ref / secs:7.2f}"
        cpu_ratio = "" if summary is None else f"{ref_cpu / used:10.2f}"
        print(f"{name:19}{store:>11}{workers:>8}{len(texts) / secs:12.2f}{words / secs:10.0f}{ratio:>7}"
              f"{used:8.1f}{cpu_ratio}")
    last = rows[-1][4]
    if last not in (None, True):
        print(f"(each sitroom run: {last.events} event mentions, {last.claims} claims; "
              "ratio = sitroom articles/s ÷ bare nlp.pipe articles/s at the same worker count; "
              "'sitroom parse only': nlp.pipe with sitroom's pipeline of the same model, nothing else; "
              "'sitroom ingest': read, parse, extract, store and merge; '+ regroup': and then the "
              "regrouping of every stored claim into hypotheses that ingest runs last; CPU s: CPU "
              "seconds of all processes (the fairer figure on a shared machine); CPU ratio = bare CPU "
              "÷ sitroom CPU)")


# -- memory --------------------------------------------------------------------------------------


def memory_run(n: int, workers: int) -> dict:
    """In this (fresh) process: ingest n short articles; peak RSS of this process and of the
    largest worker."""
    from sitroom.pipeline import ingest
    from sitroom.store.repository import Store

    texts = short_corpus(n)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "short.jsonl"
        write_jsonl(texts, src)
        t0 = time.perf_counter()
        # without the final regrouping into hypotheses: it reads every stored claim
        summary = ingest([str(src)], Store(str(Path(tmp) / "mem.db")), workers=workers, regroup=False)
        elapsed = time.perf_counter() - t0
    assert summary.new == n, summary
    return {"articles": n, "workers": workers, "seconds": round(elapsed, 1),
            "rss_writer_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def memory(args) -> None:
    results = []
    for n in args.memory:
        out = subprocess.run([sys.executable, __file__, "--memory-run", str(n), "--memory-workers",
                              str(args.memory_workers)], capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"\nmemory: short articles, --workers {args.memory_workers}, peak RSS")
    print(f"{'articles':>9}{'seconds':>9}{'writer MB':>11}{'worker MB':>11}")
    for r in results:
        print(f"{r['articles']:9}{r['seconds']:9.1f}{r['rss_writer_mb']:11.0f}{r['rss_worker_mb']:11.0f}")
    if len(results) >= 2:
        a, b = results[0], results[-1]
        tot_a, tot_b = a["rss_writer_mb"] + a["rss_worker_mb"], b["rss_writer_mb"] + b["rss_worker_mb"]
        print(f"growth {a['articles']} → {b['articles']}: writer {b['rss_writer_mb'] / a['rss_writer_mb'] - 1:+.1%}, "
              f"worker {b['rss_worker_mb'] / max(a['rss_worker_mb'], 1) - 1:+.1%}, total {tot_b / tot_a - 1:+.1%}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--stores", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    ap.add_argument("--pg-url", default=None, help="a PostgreSQL server to create the benchmark databases on")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest counts")
    ap.add_argument("--memory", type=int, nargs="*", default=[5000, 50000])
    ap.add_argument("--memory-workers", type=int, default=2)
    ap.add_argument("--memory-run", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_run:
        print(json.dumps(memory_run(args.memory_run, args.memory_workers)))
        return 0
    if args.articles:
        throughput(args)
    if args.memory:
        memory(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
