"""Time and peak memory of the readers on the largest hostile inputs the limits let in.

    python benchmarks/fuzz/limits.py            # every case, each in a fresh process
    python benchmarks/fuzz/limits.py feed-20mb  # one case

Each case is written to a temporary file and read with ``sitroom.ingest.read`` (the per-item
size and time limits apply) in a process of its own, so that its peak RSS is its own.
Prints one line per case: what came out, seconds, peak RSS.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 2**20
LIMIT = 20 * MB - 1024  # just under dispatch.MAX_ITEM_BYTES


def _laughs(levels: int) -> bytes:
    ents = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, levels))
    return (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{ents}]><rss version="2.0"><channel>'
            f"<item><description>x &l{levels - 1}; y</description></item></channel></rss>").encode()


def _feed(size: int) -> bytes:
    item = b"<item><title>T</title><description>Rebels shelled the town, officials said.</description></item>"
    return b'<rss version="2.0"><channel>' + item * (size // len(item)) + b"</channel></rss>"


CASES = {
    "text-20mb-words": ("txt", lambda: b"Rebels shelled the town. " * (LIMIT // 25)),
    "text-10mb-one-line": ("txt", lambda: b"word " * (2 * MB)),
    "text-20mb-one-token": ("txt", lambda: b"x" * LIMIT),
    "text-20mb-zero-width": ("txt", lambda: "\u200b".encode() * (LIMIT // 3)),
    "html-20mb-paragraphs": ("html", lambda: b"<html><body><article>" + b"<p>Rebels shelled the town.</p>" * (LIMIT // 32)
                             + b"</article></body></html>"),
    "html-nested-1m": ("html", lambda: b"<html><body>" + b"<div>" * MB + b"x" + b"</div>" * MB),
    "jsonl-20mb-line": ("jsonl", lambda: json.dumps({"text": "word " * (LIMIT // 5 - 10)}).encode()),
    "jsonl-100k-lines": ("jsonl", lambda: b"".join(json.dumps({"text": f"Report {i}."}).encode() + b"\n"
                                                   for i in range(100_000))),
    "feed-1mb": ("xml", lambda: _feed(MB)),
    "feed-20mb": ("xml", lambda: _feed(LIMIT)),
    "feed-billion-laughs": ("xml", lambda: _laughs(10)),
    "feed-nested-100k": ("xml", lambda: b'<rss version="2.0"><channel><item><description>' + b"<x>" * 100_000
                         + b"t" + b"</x>" * 100_000 + b"</description></item></channel></rss>"),
}


def _run_case(name: str) -> None:
    suffix, make = CASES[name]
    from sitroom.ingest import read
    from sitroom.model import Document

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"case.{suffix}"
        data = make()
        path.write_bytes(data)
        del data
        start = time.perf_counter()
        documents = skipped = 0
        reasons: set[str] = set()
        for item in read([str(path)]):
            if isinstance(item, Document):
                documents += 1
            else:
                skipped += 1
                reasons.add(item.reason.split(";")[0][:70])
        took = time.perf_counter() - start
        size = path.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"case": name, "bytes": size, "seconds": round(took, 2), "peak_rss_mb": round(peak),
                      "documents": documents, "skipped": skipped, "reasons": sorted(reasons)}))


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        _run_case(sys.argv[2])
        return 0
    names = sys.argv[1:] or list(CASES)
    for name in names:
        if name not in CASES:
            print(f"unknown case {name!r}; cases: {', '.join(CASES)}", file=sys.stderr)
            return 2
        proc = subprocess.run([sys.executable, __file__, "--case", name], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(f"{name:22} FAILED (exit {proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        out = f"{r['documents']} documents, {r['skipped']} skipped" + (f" ({'; '.join(r['reasons'])})" if r["reasons"] else "")
        print(f"{name:22} {r['bytes'] / MB:7.1f} MB  {r['seconds']:6.2f} s  peak {r['peak_rss_mb']:5d} MB  {out}",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
