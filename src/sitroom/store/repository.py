"""The Store: the only place that speaks SQL. SQLite by default, PostgreSQL by URL.

Writes go in one transaction per batch (``add``), so a crash loses at most the batch in
flight and a re-run finishes the job: documents are keyed by content hash, and a batch
is committed together with its events and claims or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.exc import SQLAlchemyError

from sitroom.errors import StoreError
from sitroom.export.records import records
from sitroom.model import Analysis
from sitroom.store import schema

DEFAULT_DB = "sitroom.db"


def resolve_url(db: str | None) -> str:
    """``--db`` value (or SITROOM_DB, or sitroom.db) → SQLAlchemy URL."""
    db = db or os.environ.get("SITROOM_DB") or DEFAULT_DB
    if "://" in db:
        if db.startswith("postgres://"):
            db = "postgresql://" + db[len("postgres://"):]
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


@dataclass(slots=True)
class BatchResult:
    documents: int = 0
    duplicates: int = 0
    events: int = 0
    claims: int = 0


class Store:
    """Open (and migrate) a store: ``Store("sitroom.db")``, ``Store("postgresql://...")``."""

    def __init__(self, db: str | None = None):
        self.url = resolve_url(db)
        try:
            self.engine = sa.create_engine(self.url)
            if self.engine.dialect.name == "sqlite":
                sa_event.listen(self.engine, "connect", _sqlite_pragmas)
            self._migrate()
        except (SQLAlchemyError, OSError, ImportError) as exc:
            raise StoreError(f"cannot open database {self.display_url}: {_one_line(exc)}") from exc

    @property
    def display_url(self) -> str:
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def _migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(resources.files("sitroom.store").joinpath("migrations")))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        hashes = list(hashes)
        if not hashes:
            return set()
        with self.engine.connect() as conn:
            q = sa.select(schema.documents.c.content_hash).where(schema.documents.c.content_hash.in_(hashes))
            return set(conn.execute(q).scalars())

    def add(self, analyses: Iterable[Analysis]) -> BatchResult:
        """Store a batch of analysed articles in one transaction; already-stored ones are skipped."""
        result = BatchResult()
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        analyses = list(analyses)
        try:
            with self.engine.begin() as conn:
                hashes = [a.document.content_hash for a in analyses]
                ids = [a.document.id for a in analyses]
                seen_hash = set(conn.execute(
                    sa.select(schema.documents.c.content_hash).where(schema.documents.c.content_hash.in_(hashes))
                ).scalars())
                seen_id = set(conn.execute(
                    sa.select(schema.documents.c.id).where(schema.documents.c.id.in_(ids))
                ).scalars())
                doc_rows, event_rows, claim_rows = [], [], []
                for a in analyses:
                    d = a.document
                    if d.content_hash in seen_hash or d.id in seen_id:
                        result.duplicates += 1
                        continue
                    seen_hash.add(d.content_hash)
                    seen_id.add(d.id)
                    doc_rows.append({
                        "id": d.id, "content_hash": d.content_hash, "url": d.url, "title": d.title,
                        "source": d.source, "author": d.author, "published": d.published,
                        "origin": d.origin, "text": d.text, "ingested_at": now,
                    })
                    ev, cl = records(a)
                    event_rows += [_event_row(d.id, r) for r in ev]
                    claim_rows += [_claim_row(d.id, r) for r in cl]
                if doc_rows:
                    conn.execute(schema.documents.insert(), doc_rows)
                if event_rows:
                    conn.execute(schema.events.insert(), event_rows)
                if claim_rows:
                    conn.execute(schema.claims.insert(), claim_rows)
                result.documents = len(doc_rows)
                result.events = len(event_rows)
                result.claims = len(claim_rows)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to {self.display_url}: {_one_line(exc)}") from exc
        return result

    # -- reading -------------------------------------------------------------------------

    def _records(self, table: sa.Table, order: list) -> Iterator[dict]:
        with self.engine.connect() as conn:
            for (rec,) in conn.execute(sa.select(table.c.record).order_by(*order)):
                yield json.loads(rec)

    def events(self) -> Iterator[dict]:
        e, d = schema.events, schema.documents
        q = (sa.select(e.c.record).join(d, d.c.id == e.c.doc_id)
             .order_by(e.c.date_start.is_(None), e.c.date_start, d.c.id, e.c.event_id))
        with self.engine.connect() as conn:
            for (rec,) in conn.execute(q):
                yield json.loads(rec)

    def claims(self) -> Iterator[dict]:
        return self._records(schema.claims, [schema.claims.c.doc_id, schema.claims.c.claim_id])

    def hypotheses(self) -> Iterator[dict]:
        return self._records(schema.hypotheses, [schema.hypotheses.c.hypothesis_id])

    def document(self, doc_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(schema.documents).where(schema.documents.c.id == doc_id)).mappings().first()
            return dict(row) if row else None

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in (schema.documents, schema.events, schema.claims, schema.hypotheses)
            }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _event_row(doc_id: str, r: dict) -> dict:
    return {
        "event_id": r["event_id"], "doc_id": doc_id, "event_type": r["event_type"],
        "sub_event_type": r["sub_event_type"], "event_date": _date(r["event_date"]),
        "date_start": _date(r["date_start"]), "date_end": _date(r["date_end"]),
        "actor1": r["actor1"], "actor2": r["actor2"], "country": r["country"], "iso": r["iso"],
        "admin1": r["admin1"], "location": r["location"], "latitude": r["latitude"],
        "longitude": r["longitude"], "fatalities": r["fatalities"], "modality": r["modality"],
        "record": json.dumps(r, ensure_ascii=False),
    }


def _claim_row(doc_id: str, r: dict) -> dict:
    return {
        "claim_id": r["claim_id"], "doc_id": doc_id, "event_id": r["event_id"], "claimant": r["claimant"],
        "certainty": r["certainty"], "polarity": r["polarity"], "author_stance": r["author_stance"],
        "record": json.dumps(r, ensure_ascii=False),
    }


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return " ".join(text.split())[:300]
