"""Score sitroom.extract on the dev gold sets without a database (fast loop for extractor work).

    .venv/bin/python benchmarks/devscore.py [SET ...] [--dump DIR]

SET is seed, dispatches or desk (default: all together). Prints score.py's figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="*", default=["seed", "dispatches", "desk"])
    ap.add_argument("--dump", help="keep events.jsonl and claims.jsonl in this folder")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not BENCH.exists():
        print(f"no gold sets at {BENCH}", file=sys.stderr)
        return 2

    from sitroom.extract import analyze_documents
    from sitroom.export.records import records
    from sitroom.ingest.identity import make_document

    docs, gold = [], {"events": [], "claims": []}
    for name in args.sets:
        for line in (BENCH / "dev" / f"{name}.docs.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                pub = dt.date.fromisoformat(d["published"][:10]) if d.get("published") else None
                docs.append(make_document(d["text"], doc_id=d.get("id"), title=d.get("title"),
                                          source=d.get("source"), url=d.get("url"), published=pub))
        g = json.loads((BENCH / "dev" / f"{name}.gold.json").read_text(encoding="utf-8"))
        gold["events"] += g.get("events", [])
        gold["claims"] += g.get("claims", [])
    events, claims = [], []
    for analysis in analyze_documents(docs):
        e, c = records(analysis)
        events += e
        claims += c
    out = Path(args.dump) if args.dump else Path(tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("events", events), ("claims", claims), ("gold", None)):
        with (out / f"{name}.{'json' if rows is None else 'jsonl'}").open("w", encoding="utf-8") as fh:
            if rows is None:
                json.dump(gold, fh)
            else:
                fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    cmd = [sys.executable, str(BENCH / "score.py"), str(out / "gold.json"), str(out / "events.jsonl"),
           str(out / "claims.jsonl")] + (["--json"] if args.json else [])
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
