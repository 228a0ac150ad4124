"""A small corpus of distinct short war reports in several forms, and checks of a store's
consistency, shared by the crash and concurrency tests."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

PUBLISHED = "2024-05-07"
PLACES = ["Kaduna", "Goma", "Mosul", "Aleppo", "Tripoli", "Kharkiv", "Maiduguri", "Bamako", "Sanaa", "Kabul", "Idlib"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TEMPLATES = [
    "Gunmen attacked a police checkpoint near {place} on {day}, killing {n} officers, police said. "
    "Residents said the attackers escaped on motorbikes.",
    "Rebels shelled the town of {place} on {day}, killing {n} civilians, officials said. "
    "The army denied the report and said it had repelled the attack.",
    "An air strike hit a market in {place} on {day}, killing {n} people, according to local officials. "
    "I think the ceasefire will not hold.",
    "Protesters marched through {place} on {day}; police said {n} people were arrested after clashes.",
    "Militants claimed responsibility for a roadside bomb near {place} that killed {n} soldiers on {day}, "
    "a statement relayed by a news agency said.",
]


def article(i: int) -> str:
    """The i-th report: every i gives a different text."""
    template = TEMPLATES[i % len(TEMPLATES)]
    return template.format(place=PLACES[i % len(PLACES)], day=DAYS[(i // len(PLACES)) % len(DAYS)], n=i + 2)


def write_corpus(root: Path, jsonl_files: int = 6, per_file: int = 40, feed_items: int = 6, texts: int = 6) -> list[Path]:
    """JSON Lines files, one RSS feed and a folder of text files under ``root``; returns the
    input paths in the order an ingest should take them (one document per article)."""
    root.mkdir(parents=True, exist_ok=True)
    paths, i = [], 0
    for f in range(jsonl_files):
        path = root / f"part{f:02d}.jsonl"
        lines = []
        for _ in range(per_file):
            lines.append(json.dumps({"title": f"Report {i}", "source": "Test Wire", "text": article(i)}))
            i += 1
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    items = []
    for _ in range(feed_items):
        items.append(f"<item><title>Brief {i}</title><link>http://example.org/{i}</link>"
                     f"<description>{escape(article(i))}</description></item>")
        i += 1
    feed = root / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Test Feed</title>'
                    + "".join(items) + "</channel></rss>", encoding="utf-8")
    paths.append(feed)
    folder = root / "texts"
    folder.mkdir(exist_ok=True)
    for t in range(texts):
        (folder / f"t{t:02d}.txt").write_text(f"Dispatch {i}\n\n{article(i)}\n", encoding="utf-8")
        i += 1
    paths.append(folder)
    return paths


def ingest_command(db: Path, *inputs: Path) -> list[str]:
    return [sys.executable, "-m", "sitroom", "ingest", *map(str, inputs), "--db", str(db),
            "--published", PUBLISHED, "--quiet"]


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def count(db: Path, table: str = "documents") -> int:
    """Rows in ``table`` now (0 while the database or table does not exist yet)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return 0


def tables(conn: sqlite3.Connection) -> dict[str, set[str]]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {n: {r[1] for r in conn.execute(f"PRAGMA table_info('{n}')")} for n in names}


def consistency_problems(db: Path) -> list[str]:
    """What is wrong with a store: integrity, foreign keys, duplicates, rows that point nowhere.
    Adapts to the tables present (``events`` alone, or ``event_mentions`` merged into ``events``)."""
    problems: list[str] = []
    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity[:5]}")
        if fk := conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"foreign_key_check: {fk[:5]}")
        have = tables(conn)
        if "documents" not in have:  # killed before the first migration committed: nothing stored yet
            return problems
        dup = conn.execute("SELECT count(*) - count(DISTINCT content_hash) FROM documents").fetchone()[0]
        if dup:
            problems.append(f"{dup} documents stored twice")

        def orphans(sql: str, what: str) -> None:
            n = conn.execute(sql).fetchone()[0]
            if n:
                problems.append(f"{n} {what}")

        for table, cols in have.items():
            if table != "documents" and "doc_id" in cols and table != "events":
                orphans(f"SELECT count(*) FROM {table} t WHERE NOT EXISTS "
                        f"(SELECT 1 FROM documents d WHERE d.id = t.doc_id)", f"{table} rows without their document")
        if "event_mentions" in have:
            orphans("SELECT count(*) FROM event_mentions WHERE event_id IS NULL", "event mentions left unresolved")
            orphans("SELECT count(*) FROM event_mentions m WHERE m.event_id IS NOT NULL AND NOT EXISTS "
                    "(SELECT 1 FROM events e WHERE e.event_id = m.event_id)", "event mentions of a missing event")
            orphans("SELECT count(*) FROM events e WHERE NOT EXISTS "
                    "(SELECT 1 FROM event_mentions m WHERE m.event_id = e.event_id)", "events without a mention")
            if "n_mentions" in have["events"]:
                orphans("SELECT count(*) FROM events e WHERE e.n_mentions != "
                        "(SELECT count(*) FROM event_mentions m WHERE m.event_id = e.event_id)",
                        "events whose n_mentions is wrong")
            if "mention_id" in have.get("claims", ()):
                orphans("SELECT count(*) FROM claims c WHERE c.mention_id IS NOT NULL AND NOT EXISTS "
                        "(SELECT 1 FROM event_mentions m WHERE m.mention_id = c.mention_id)",
                        "claims of a missing event mention")
        elif "events" in have and "doc_id" in have["events"]:
            orphans("SELECT count(*) FROM events t WHERE NOT EXISTS "
                    "(SELECT 1 FROM documents d WHERE d.id = t.doc_id)", "events without their document")
        if "event_id" in have.get("claims", ()):
            orphans("SELECT count(*) FROM claims c WHERE c.event_id IS NOT NULL AND NOT EXISTS "
                    "(SELECT 1 FROM events e WHERE e.event_id = c.event_id)", "claims of a missing event")
        if "event_aliases" in have:
            orphans("SELECT count(*) FROM event_aliases a WHERE NOT EXISTS "
                    "(SELECT 1 FROM events e WHERE e.event_id = a.event_id)", "event aliases of a missing event")
    return problems


def snapshot(db: Path) -> dict[str, object]:
    """What an ingest stored, comparable across runs of the same inputs: documents by content
    hash, each article's event mentions and claims, the merged events and the hypotheses."""
    with sqlite3.connect(db) as conn:
        have = tables(conn)
        out: dict[str, object] = {
            "documents": sorted(r[0] for r in conn.execute("SELECT content_hash FROM documents")),
            "claims": sorted(conn.execute("SELECT d.content_hash, c.claim_id FROM claims c "
                                          "JOIN documents d ON d.id = c.doc_id").fetchall()),
        }
        if "event_mentions" in have:
            out["mentions"] = sorted(conn.execute("SELECT d.content_hash, m.mention_id FROM event_mentions m "
                                                  "JOIN documents d ON d.id = m.doc_id").fetchall())
            out["events"] = sorted(conn.execute(
                "SELECT e.event_id, group_concat(m.mention_id) FROM events e "
                "JOIN (SELECT * FROM event_mentions ORDER BY mention_id) m ON m.event_id = e.event_id "
                "GROUP BY e.event_id").fetchall())
        else:
            out["events"] = sorted(conn.execute("SELECT d.content_hash, e.event_id FROM events e "
                                                "JOIN documents d ON d.id = e.doc_id").fetchall())
        if "hypotheses" in have:
            out["hypotheses"] = sorted(r[0] for r in conn.execute("SELECT record FROM hypotheses"))
    return out
