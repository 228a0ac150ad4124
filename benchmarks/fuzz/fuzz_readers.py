"""Coverage-guided fuzzing (atheris, libFuzzer) of every ingest reader, within a time budget.

    python benchmarks/fuzz/fuzz_readers.py                    # every target, 60 s each
    python benchmarks/fuzz/fuzz_readers.py --seconds 300 feed html
    make fuzz FUZZ_SECONDS=120

Each target runs in a process of its own, seeded with examples/ and a few hostile inputs,
and prints one line: inputs tried, crashes, hangs, and the largest and the slowest input.
A crash is an exception out of a reader, or an item that is not a valid Document or a clean
Skipped (the contract of tests/hostile/checks.py); the input is saved under
out/fuzz/crashes/ and fuzzing goes on. libFuzzer itself stops a target on a hang (an input
over ``--hang-seconds``) or on memory over ``--rss-mb``. The exit status is 1 if any
target found anything. Needs atheris: pip install -r benchmarks/fuzz/requirements.txt
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "out" / "fuzz"
TARGETS = ("detect", "text", "html", "feed", "jsonl", "dates", "dispatch", "url")

SEEDS = {
    "laughs.xml": ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                   '<rss version="2.0"><channel><item><title>T</title><description>&b;&b; x</description></item>'
                   "</channel></rss>").encode(),
    "atom.xml": (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry><title>E</title>'
                 b'<content type="html">&lt;p&gt;Rebels shelled Goma.&lt;/p&gt;</content>'
                 b"<updated>2024-02-12T10:00:00Z</updated></entry></feed>"),
    "nested.html": b"<html><body>" + b"<div>" * 300 + b"<p>Rebels shelled Goma on Monday.</p>" + b"</div>" * 300,
    "lines.jsonl": (b'{"id": "a", "text": "Rebels shelled Goma.", "published": "2024-02-12"}\n'
                    b'{"text": "\\ud800\\u0000\\u202e", "title": 5}\n[[[[\n'),
    "rtl.txt": "Reb\u200bels \u202eshelled\u202c Goma\u2069, officials said.\n\nThe post X appeared first on Y.".encode(),
    "cp1252.txt": "Caf\u00e9 strike: \u201ctwo dead\u201d".encode("cp1252"),
}


# --- the child: one target under libFuzzer ----------------------------------------------------


def _child(target: str, seconds: float) -> None:
    import atheris

    sys.path.insert(0, str(ROOT / "tests"))
    with atheris.instrument_imports(include=["sitroom", "feedparser", "trafilatura"]):
        import httpx
        from hostile.checks import check_item

        from sitroom.ingest import detect
        from sitroom.ingest.dates import parse_date
        from sitroom.ingest.dispatch import parse_bytes
        from sitroom.ingest.feeds import read_feed
        from sitroom.ingest.html import fragment_text, read_html
        from sitroom.ingest.jsonl import iter_lines, read_jsonl
        from sitroom.ingest.text import read_text
        from sitroom.ingest.web import read_url
    import io
    import logging

    logging.disable(logging.CRITICAL)  # trafilatura logs every page it discards
    names = ["", "a.txt", "a.html", "a.jsonl", "feed.xml", "x"]
    charsets = [None, "utf-8", "latin-1", "utf-16", "koi8-r", "utf-7", "undefined", "bogus"]
    types = [None, "text/html", "application/rss+xml", "image/png", "text/plain; charset=utf-16",
             "application/octet-stream", "text/css"]

    def run(data: bytes) -> list:
        fdp = atheris.FuzzedDataProvider(data)
        if target == "detect":
            name, declared = fdp.PickValueInList(names), fdp.PickValueInList(charsets)
            rest = fdp.ConsumeBytes(atheris.ALL_REMAINING)
            assert detect.sniff(rest[: detect.SNIFF_BYTES], name) in ("binary", "html", "feed", "jsonl", "text")
            text = detect.decode(rest, declared)
            assert text is None or isinstance(text, str)
            return []
        if target == "text":
            return [read_text(data.decode("utf-8", "surrogateescape"), "fuzz.txt")]
        if target == "html":
            page = data.decode("utf-8", "surrogateescape")
            assert isinstance(fragment_text(page), str)
            return [read_html(page, "fuzz.html", url="http://example.org/a")]
        if target == "feed":
            return list(read_feed(data, "fuzz.xml", content_type=None))
        if target == "jsonl":
            return list(read_jsonl(iter_lines(io.BytesIO(data), 4096), "fuzz.jsonl", limit=4096))
        if target == "dates":
            value = parse_date(data.decode("utf-8", "surrogateescape"))
            assert value is None or hasattr(value, "isoformat")
            return []
        if target == "dispatch":
            name = fdp.PickValueInList(names)
            return list(parse_bytes(fdp.ConsumeBytes(atheris.ALL_REMAINING), "fuzz", name=name))
        if target == "url":
            status = fdp.PickValueInList([200, 200, 200, 301, 404, 500])
            mime = fdp.PickValueInList(types)
            body = fdp.ConsumeBytes(atheris.ALL_REMAINING)
            headers = ([("content-type", mime)] if mime else []) + (
                [("location", "http://example.org/next")] if status == 301 else [])
            transport = httpx.MockTransport(lambda request: httpx.Response(status, headers=headers, content=body))
            return list(read_url("http://example.org/x", transport=transport))
        raise SystemExit(f"unknown target {target}")

    crashes_dir = OUT / "crashes"
    stats = {"target": target, "tried": 0, "crashes": 0, "largest_bytes": 0, "largest_s": 0.0,
             "slowest_s": 0.0, "slowest_bytes": 0}
    deadline = time.monotonic() + seconds
    seen: dict[str, int] = {}  # crash kinds and their counts

    def one_input(data: bytes) -> None:
        if time.monotonic() > deadline:
            print("FUZZ-RESULT " + json.dumps(stats), flush=True)
            os._exit(0)
        stats["tried"] += 1
        start = time.perf_counter()
        try:
            for item in run(data):
                check_item(item)
        except Exception as exc:  # a crash: keep the input (the first few of each kind), go on
            stats["crashes"] += 1
            kind = f"{type(exc).__name__}: {str(exc).splitlines()[0][:80] if str(exc) else ''}"
            seen[kind] = seen.get(kind, 0) + 1
            if seen[kind] <= 5:
                crashes_dir.mkdir(parents=True, exist_ok=True)
                path = crashes_dir / f"{target}-{hashlib.sha1(data).hexdigest()[:12]}.bin"
                path.write_bytes(data)
                if seen[kind] == 1:
                    print(f"CRASH {target}: {kind!r} -> {path}", flush=True)
        took = time.perf_counter() - start
        if len(data) >= stats["largest_bytes"]:
            stats["largest_bytes"], stats["largest_s"] = len(data), round(took, 4)
        if took > stats["slowest_s"]:
            stats["slowest_s"], stats["slowest_bytes"] = round(took, 4), len(data)

    atheris.Setup(sys.argv[:1] + [a for a in sys.argv[1:] if a.startswith("-") and not a.startswith("--")]
                  + [str(OUT / "corpus" / target)], one_input)

    atheris.Fuzz()


# --- the parent: every target, one process each ------------------------------------------------


def _seed(target: str) -> Path:
    corpus = OUT / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "examples").glob("*")):
        if path.is_file() and path.stat().st_size < 200_000:
            (corpus / path.name).write_bytes(path.read_bytes())
    for name, data in SEEDS.items():
        (corpus / name).write_bytes(data)
    return corpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", default=list(TARGETS), help=f"of {', '.join(TARGETS)}")
    parser.add_argument("--seconds", type=float, default=60.0, help="budget per target")
    parser.add_argument("--hang-seconds", type=int, default=30, help="libFuzzer -timeout: one input longer is a hang")
    parser.add_argument("--rss-mb", type=int, default=4096, help="libFuzzer -rss_limit_mb")
    parser.add_argument("--max-len", type=int, default=1 << 16, help="libFuzzer -max_len (bytes per input)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args, libfuzzer_flags = parser.parse_known_args()
    if args.child:
        _child(args.child, args.seconds)
        return 0
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed: pip install -r benchmarks/fuzz/requirements.txt", file=sys.stderr)
        return 2
    if libfuzzer_flags:
        parser.error(f"unrecognized arguments: {' '.join(libfuzzer_flags)}")
    bad = False
    for target in args.targets:
        if target not in TARGETS:
            parser.error(f"unknown target {target!r}")
        _seed(target)
        cmd = [sys.executable, __file__, "--child", target, "--seconds", str(args.seconds),
               f"-timeout={args.hang_seconds}", f"-rss_limit_mb={args.rss_mb}", f"-max_len={args.max_len}",
               f"-max_total_time={int(args.seconds) + 60}", "-print_final_stats=0"]
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        result = next((json.loads(line.split(" ", 1)[1]) for line in proc.stdout.splitlines()
                       if line.startswith("FUZZ-RESULT ")), None)
        for line in proc.stdout.splitlines():
            if line.startswith("CRASH "):
                print(line)
        if result is None:  # libFuzzer stopped it: a hang, memory, or a crash in native code
            bad = True
            tail = [line for line in proc.stderr.splitlines() if "ERROR" in line or "SUMMARY" in line][-3:]
            print(f"{target:9} stopped by libFuzzer after {time.monotonic() - started:.0f} s (exit {proc.returncode}): "
                  + " | ".join(tail or proc.stderr.splitlines()[-3:]))
            continue
        bad |= result["crashes"] > 0
        print(f"{target:9} {result['tried']:>8} inputs  {result['crashes']} crashes  "
              f"largest {result['largest_bytes']} B in {result['largest_s']:.3f} s  "
              f"slowest {result['slowest_s']:.3f} s ({result['slowest_bytes']} B)", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
