"""The Store: the only place that speaks SQL. SQLite by default, PostgreSQL by URL.

Writes go in one transaction per batch (``add``), so a crash loses at most the batch in
flight and a re-run finishes the job: documents are keyed by content hash, and a batch
is committed together with its events and claims or not at all.

Each article's event records are stored as ``event_mentions``; in the same transaction the
new mentions are resolved into merged ``events`` across all stored articles
(``resolve``, rules in ``resolve/merge.py``), and the claims follow their mention's event.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import uuid
from collections import OrderedDict
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
MENTION_CACHE = 4096  # parsed event mentions kept between batches for the merge (most recently used)


def resolve_url(db: str | None) -> str:
    """``--db`` value (or SITROOM_DB, or sitroom.db) → SQLAlchemy URL."""
    db = db or os.environ.get("SITROOM_DB") or DEFAULT_DB
    if "://" in db:
        if db.startswith("postgres://"):
            db = "postgresql://" + db[len("postgres://"):]
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def _engine_url(url: str) -> sa.engine.URL:
    """The URL SQLAlchemy connects with: ``postgresql://`` goes through psycopg 3."""
    u = sa.engine.make_url(url)
    if u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    return u


# Writers take this lock first (PostgreSQL: a transaction-scoped advisory lock; SQLite: BEGIN
# IMMEDIATE, the database's write lock), so that concurrent ingests into one database serialize
# their batches: each sees the documents the others committed and merges against their events.
WRITE_LOCK_KEY = 0x5117_2002


def _lock_for_write(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


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
    events: int = 0  # event mentions (one per incident per article)
    claims: int = 0
    merged: int = 0  # merged events written (new or changed) by the resolve that followed


@dataclass(slots=True)
class ResolveResult:
    mentions: int = 0  # mentions looked at (the pending ones and those they link to)
    events: int = 0  # merged events written (new or changed)
    retired: int = 0  # event ids that became aliases of another event


class Store:
    """Open (and migrate) a store: ``Store("sitroom.db")``, ``Store("postgresql://...")``."""

    def __init__(self, db: str | None = None):
        self.url = resolve_url(db)
        try:
            url = _engine_url(self.url)
            if url.get_backend_name() not in ("sqlite", "postgresql"):
                raise StoreError(f"cannot open database {self.display_url}: sitroom stores in SQLite or "
                                 "PostgreSQL; give --db a file path or a postgresql:// URL")
            if url.drivername == "postgresql+psycopg":
                try:
                    import psycopg  # noqa: F401
                except ImportError:
                    raise StoreError("PostgreSQL needs psycopg 3: pip install 'sitroom[postgres]'") from None
            self.engine = sa.create_engine(url)
            if self.engine.dialect.name == "sqlite":
                sa_event.listen(self.engine, "connect", _sqlite_pragmas)
            self._migrate()
            self._resolve_pending()
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
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        heads = set(ScriptDirectory.from_config(cfg).get_heads())
        with self.engine.connect() as conn:
            if set(MigrationContext.configure(conn).get_current_heads()) == heads:
                return  # up to date: no write (a read-only database opens)
        with self.engine.begin() as conn:
            _lock_for_write(conn)  # two processes opening a new database migrate one after the other
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

    def add(self, analyses: Iterable[Analysis], *, resolve: bool = True) -> BatchResult:
        """Store a batch of analysed articles in one transaction; already-stored ones are skipped.
        Their event mentions are merged into events in the same transaction (unless ``resolve``
        is False: then they wait, unresolved, for the next ``resolve()`` or ``Store`` open)."""
        result = BatchResult()
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        analyses = list(analyses)
        try:
            with self.engine.begin() as conn:
                _lock_for_write(conn)
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
                    event_rows += [_event_row(d.id, r, d.published) for r in ev]
                    claim_rows += [_claim_row(d.id, r, a.readings.get(r["claim_id"])) for r in cl]
                if doc_rows:
                    conn.execute(schema.documents.insert(), doc_rows)
                if event_rows:
                    conn.execute(schema.event_mentions.insert(), event_rows)
                    _widen_span(conn, event_rows)
                if claim_rows:
                    conn.execute(schema.claims.insert(), claim_rows)
                    _set_state(conn, "claims", uuid.uuid4().hex)  # the hypotheses are now behind
                result.documents = len(doc_rows)
                result.events = len(event_rows)
                result.claims = len(claim_rows)
                if event_rows and resolve:
                    result.merged = self._resolve(conn).events
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to {self.display_url}: {_one_line(exc)}") from exc
        return result

    def claims_generation(self) -> str | None:
        """A token that changes whenever claims are added (None before any): what
        :meth:`replace_hypotheses` checks that the hypotheses were grouped from."""
        with self.engine.connect() as conn:
            return _get_state(conn, "claims")

    def hypotheses_stale(self) -> bool:
        """Were claims added since the hypotheses were last grouped (a run killed while regrouping)?"""
        with self.engine.connect() as conn:
            return _get_state(conn, "claims") != _get_state(conn, "hypotheses")

    def replace_hypotheses(self, hypotheses: Iterable[dict], links: dict[str, str | None],
                           generation: str | None = None) -> bool:
        """Replace every stored hypothesis with ``hypotheses`` (contract records) and set each claim's
        ``hypothesis_id`` from ``links`` (claim_id → hypothesis_id or None), in one transaction.
        Claims not named in ``links`` keep theirs. ``generation``: the :meth:`claims_generation`
        they were grouped from; when claims were added since, nothing is written (the writer of
        those claims groups them all) and False is returned."""
        h, c = schema.hypotheses, schema.claims
        rows = [{"hypothesis_id": r["hypothesis_id"], "question": r["question"], "statement": r["statement"],
                 "record": json.dumps(r, ensure_ascii=False)} for r in hypotheses]
        try:
            with self.engine.begin() as conn:
                _lock_for_write(conn)
                current = _get_state(conn, "claims")
                if generation is not None and current != generation:
                    return False
                if current is not None:
                    _set_state(conn, "hypotheses", current)
                conn.execute(h.delete())
                if rows:
                    conn.execute(h.insert(), rows)
                changed = []
                for claim_id, rec in conn.execute(sa.select(c.c.claim_id, c.c.record)):
                    if claim_id not in links:
                        continue
                    record = json.loads(rec)
                    if record.get("hypothesis_id") != links[claim_id]:
                        record["hypothesis_id"] = links[claim_id]
                        changed.append({"b_claim_id": claim_id, "b_record": json.dumps(record, ensure_ascii=False)})
                if changed:
                    conn.execute(c.update().where(c.c.claim_id == sa.bindparam("b_claim_id"))
                                 .values(record=sa.bindparam("b_record")), changed)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to {self.display_url}: {_one_line(exc)}") from exc
        return True

    # -- reading -------------------------------------------------------------------------

    def _records(self, table: sa.Table, order: list) -> Iterator[dict]:
        with self.engine.connect() as conn:
            for (rec,) in conn.execute(sa.select(table.c.record).order_by(*order)):
                yield json.loads(rec)

    def events(self) -> Iterator[dict]:
        """Merged events (one per incident, every report in ``evidence``/``sources``)."""
        e = schema.events
        q = sa.select(e.c.record).order_by(e.c.date_start.is_(None), e.c.date_start, e.c.event_id)
        with self.engine.connect() as conn:
            for (rec,) in conn.execute(q):
                yield json.loads(rec)

    def mentions(self) -> Iterator[dict]:
        """Each article's own event records, as extracted (their ``event_id`` is the mention id)."""
        m = schema.event_mentions
        return self._records(m, [m.c.doc_id, m.c.mention_id])

    def claims(self) -> Iterator[dict]:
        return self._records(schema.claims, [schema.claims.c.doc_id, schema.claims.c.claim_id])

    def claim_readings(self) -> dict[str, dict]:
        """claim_id → what the claim asserts, as read at extraction (claims stored without one are left
        out: regrouping parses those)."""
        c = schema.claims
        with self.engine.connect() as conn:
            return {cid: json.loads(r) for cid, r in conn.execute(
                sa.select(c.c.claim_id, c.c.reading).where(c.c.reading.is_not(None)))}

    def hypotheses(self) -> Iterator[dict]:
        return self._records(schema.hypotheses, [schema.hypotheses.c.hypothesis_id])

    def document_texts(self, ids: Iterable[str] | None = None, *, text: bool = True) -> dict[str, dict]:
        """Stored articles' texts with their outlet and dates: doc_id → {text, source, published,
        ingested_at} (what hypotheses need to read claims in their context); all, or those of ``ids``.
        ``text=False`` leaves the texts out (``text`` is None)."""
        d = schema.documents
        q = sa.select(d.c.id, d.c.text if text else sa.null().label("text"), d.c.source, d.c.published,
                      d.c.ingested_at)
        out = {}
        with self.engine.connect() as conn:
            if ids is None:
                rows = list(conn.execute(q))
            else:
                wanted = sorted(set(ids))
                rows = [r for i in range(0, len(wanted), 500)
                        for r in conn.execute(q.where(d.c.id.in_(wanted[i:i + 500])))]
            for row in rows:
                out[row.id] = {"text": row.text, "source": row.source, "published": row.published,
                               "ingested_at": row.ingested_at}
        return out

    def search_documents(self, query: str, limit: int = 20) -> list[dict]:
        """Stored articles whose title or text match ``query`` (words, "phrases", -word, OR), best
        first: ``{id, title, source, published, url}``. PostgreSQL: tsvector; SQLite: FTS5."""
        from sitroom.store.search import search_documents

        try:
            with self.engine.connect() as conn:
                return search_documents(conn, query, limit)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot search {self.display_url}: {_one_line(exc)}") from exc

    def document(self, doc_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(schema.documents).where(schema.documents.c.id == doc_id)).mappings().first()
            return dict(row) if row else None

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in (schema.documents, schema.event_mentions, schema.events, schema.claims,
                          schema.hypotheses)
            }

    # -- merging events across articles (rules: resolve/merge.py) ------------------------

    def resolve(self, *, full: bool = False) -> ResolveResult:
        """Merge the unresolved event mentions into events, in one transaction. With ``full``,
        every event is recomputed from all mentions (after a change of the merge rules).
        Idempotent: run again, it changes nothing."""
        try:
            with self.engine.begin() as conn:
                _lock_for_write(conn)
                return self._resolve(conn, full=full)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to {self.display_url}: {_one_line(exc)}") from exc

    def _resolve_pending(self) -> None:
        """Resolve what a migration (or an ``add(resolve=False)``) left unresolved."""
        m = schema.event_mentions
        with self.engine.begin() as conn:
            if conn.execute(sa.select(m.c.mention_id).where(m.c.event_id.is_(None)).limit(1)).first():
                _lock_for_write(conn)
                self._resolve(conn)

    def explain(self, event_id: str) -> dict | None:
        """An event (or an old id of one), its reports and the score components that joined
        them (``resolve.merge.explain``); None when no event has that id."""
        from sitroom.resolve import merge

        e, m, al = schema.events, schema.event_mentions, schema.event_aliases
        with self.engine.connect() as conn:
            target = conn.execute(sa.select(al.c.event_id).where(al.c.alias == event_id)).scalar()
            target = target or event_id
            rec = conn.execute(sa.select(e.c.record).where(e.c.event_id == target)).scalar()
            if rec is None:
                return None
            rows = conn.execute(sa.select(m.c.mention_id, m.c.doc_id, m.c.published, m.c.record)
                                .where(m.c.event_id == target)).all()
        out = merge.explain([merge.mention(json.loads(r.record), r.doc_id, r.published) for r in rows])
        return {"event": json.loads(rec), "requested": event_id,
                "alias_of": target if target != event_id else None, **out}

    def _resolve(self, conn: sa.Connection, *, full: bool = False) -> ResolveResult:
        """Resolve on ``conn``: the pending mentions and every mention linked to them, transitively,
        are clustered again (``merge.cluster``); what changed is written. The result depends on
        the set of stored mentions only, never on the order they came in."""
        from sitroom.resolve import merge

        # the mentions parsed in this call; the most recently used ones also outlive it, up to
        # MENTION_CACHE (a mention's record never changes; its event_id does), so that memory stays
        # flat however many articles a store receives
        recent: OrderedDict[str, merge.Mention] = self.__dict__.setdefault("_mention_cache", OrderedDict())
        cache: dict[str, merge.Mention] = {}
        old: dict[str, str | None] = {}

        def load(rows) -> list[merge.Mention]:
            """Parsed mentions of ``rows``; rows of the candidate query carry no record (the
            largest column, read only for the mentions not parsed yet)."""
            rows = rows if isinstance(rows, list) else rows.all()
            full: dict = {}
            if rows and "record" not in rows[0]._fields:
                t = schema.event_mentions
                missing = [r.mention_id for r in rows if r.mention_id not in cache and r.mention_id not in recent]
                if missing:
                    full = {r.mention_id: r for r in _select_in(
                        conn, sa.select(t.c.mention_id, t.c.doc_id, t.c.published, t.c.record), t.c.mention_id,
                        missing)}
            out = []
            for row in rows:
                m = cache.get(row.mention_id)
                if m is None:
                    m = recent.get(row.mention_id)
                    if m is None:
                        r = full.get(row.mention_id, row)
                        m = merge.mention(json.loads(r.record), r.doc_id, r.published)
                    cache[row.mention_id] = m
                old.setdefault(row.mention_id, row.event_id)
                out.append(m)
            return out

        try:
            return self._resolve_loaded(conn, full, load, cache, old)
        finally:
            for mid, m in cache.items():
                recent[mid] = m
                recent.move_to_end(mid)
            while len(recent) > MENTION_CACHE:
                recent.popitem(last=False)

    def _resolve_loaded(self, conn: sa.Connection, full: bool, load, cache: dict, old: dict) -> ResolveResult:
        from sitroom.resolve import merge

        t = schema.event_mentions
        cols = _mention_columns()
        span = _widest_span(conn)
        if full:
            groups = merge.resolve(load(conn.execute(sa.select(*cols))))
        else:
            pending = load(conn.execute(sa.select(*cols).where(t.c.event_id.is_(None))))
            if not pending:
                return ResolveResult()
            links: dict[tuple[str, str], merge.Score] = {}
            compared: set[tuple[str, str]] = set()
            seen: set[str] = set()
            frontier = [p.mention_id for p in pending]
            answers: dict[tuple, list] = {}
            while frontier:  # the linked component(s) of the pending mentions
                mid = frontier.pop()
                if mid in seen:
                    continue
                seen.add(mid)
                a = cache[mid]
                query, params = _candidates(a, span)
                # mentions of one incident mostly ask the same question (sub-types, country, days):
                # asked once per call (the store does not change before the writes at the end);
                # the other-article test is applied here
                asked = (query, repr(sorted(params.items())))
                rows = answers.get(asked)
                if rows is None:
                    rows = answers[asked] = conn.execute(query, params).all()
                for b in load([r for r in rows if r.doc_id != a.doc_id]):
                    key = merge.pair(a.mention_id, b.mention_id)
                    if key in compared:
                        continue
                    compared.add(key)
                    s = merge.link(a, b)
                    if s is not None:
                        links[key] = s
                        if b.mention_id not in seen:
                            frontier.append(b.mention_id)
            groups = merge.cluster([cache[k] for k in sorted(seen)], links)
            old = {k: old[k] for k in seen}  # candidates that did not link keep their events
        return self._write_events(conn, groups, old, full)

    def _write_events(self, conn: sa.Connection, groups, old: dict[str, str | None],
                      full: bool) -> ResolveResult:
        from sitroom.resolve import merge

        e, t, al, c = schema.events, schema.event_mentions, schema.event_aliases, schema.claims
        result = ResolveResult(mentions=len(old))
        new_of: dict[str, str] = {}
        records: dict[str, tuple[dict, int]] = {}
        for g in groups:
            rec = merge.combine(g)
            records[rec["event_id"]] = (rec, len(g))
            for x in g:
                new_of[x.mention_id] = rec["event_id"]
        if full:
            before = dict(conn.execute(sa.select(e.c.event_id, e.c.record)).all())
        else:
            wanted = {v for v in old.values() if v} | set(records)
            before = dict(_select_in(conn, sa.select(e.c.event_id, e.c.record), e.c.event_id, wanted))
        retired = set(before) - set(records)
        if retired:
            for chunk in _chunks(sorted(retired)):
                conn.execute(e.delete().where(e.c.event_id.in_(chunk)))
            aliases = [{"alias": r, "event_id": new_of[r]} for r in sorted(retired) if r in new_of]
            for a in aliases:  # an alias of an alias follows it
                conn.execute(al.update().where(al.c.event_id == a["alias"]).values(event_id=a["event_id"]))
            for chunk in _chunks([a["alias"] for a in aliases]):
                conn.execute(al.delete().where(al.c.alias.in_(chunk)))
            if aliases:
                conn.execute(al.insert(), aliases)
            result.retired = len(retired)
        for chunk in _chunks(sorted(records)):  # a live event is nobody's alias
            conn.execute(al.delete().where(al.c.alias.in_(chunk)))
        inserts, updates = [], []
        for eid, (rec, n) in records.items():
            text = json.dumps(rec, ensure_ascii=False)
            if before.get(eid) == text:
                continue
            row = _merged_row(rec, n, text)
            (updates if eid in before else inserts).append(row)
        if inserts:
            conn.execute(e.insert(), inserts)
        for row in updates:
            conn.execute(e.update().where(e.c.event_id == row["event_id"]).values(**row))
        result.events = len(inserts) + len(updates)
        moved = [{"b_id": mid, "b_event": ev} for mid, ev in new_of.items() if old.get(mid) != ev]
        if moved:
            conn.execute(t.update().where(t.c.mention_id == sa.bindparam("b_id"))
                         .values(event_id=sa.bindparam("b_event")), moved)
        changed = []
        rows = _select_in(conn, sa.select(c.c.claim_id, c.c.mention_id, c.c.event_id, c.c.record),
                          c.c.mention_id, sorted(new_of))
        for claim_id, mention_id, event_id, rec in rows:
            target = new_of[mention_id]
            record = json.loads(rec)
            if event_id != target or record.get("event_id") != target:
                record["event_id"] = target
                changed.append({"b_id": claim_id, "b_event": target,
                                "b_record": json.dumps(record, ensure_ascii=False)})
        if changed:
            conn.execute(c.update().where(c.c.claim_id == sa.bindparam("b_id"))
                         .values(event_id=sa.bindparam("b_event"), record=sa.bindparam("b_record")), changed)
        return result


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


SPAN_KEY = "mention_span_days"


def _widest_span(conn: sa.Connection) -> int:
    """Days from start to end of the widest date interval of a stored event mention: the merge's
    candidate query bounds ``date_start`` from below with it, so that it reads a range of the
    dates index instead of every earlier mention of a country. Kept in ``store_state`` and
    raised on every insert (``_widen_span``, in the same transaction, under the write lock);
    found by one scan in a store that does not have it yet."""
    value = _get_state(conn, SPAN_KEY)
    if value is not None:
        return int(value)
    t = schema.event_mentions
    rows = conn.execute(sa.select(t.c.date_start, t.c.date_end)
                        .where(t.c.date_start.is_not(None), t.c.date_end.is_not(None)))
    span = max([0, *((end - start).days for start, end in rows)])  # never below 0, whatever a row holds
    _set_state(conn, SPAN_KEY, str(span))
    return span


def _widen_span(conn: sa.Connection, rows: list[dict]) -> None:
    span = max(((r["date_end"] - r["date_start"]).days for r in rows if r["date_start"] and r["date_end"]),
               default=None)
    if span is not None and span > _widest_span(conn):
        _set_state(conn, SPAN_KEY, str(span))


def _get_state(conn: sa.Connection, key: str) -> str | None:
    t = schema.store_state
    return conn.execute(sa.select(t.c.value).where(t.c.key == key)).scalar()


def _set_state(conn: sa.Connection, key: str, value: str) -> None:
    t = schema.store_state
    if conn.execute(t.update().where(t.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(t.insert().values(key=key, value=value))


def _select_in(conn: sa.Connection, query, column, values) -> list:
    """``query`` restricted to ``column IN values``, in chunks (SQLite caps bound parameters)."""
    out: list = []
    for chunk in _chunks(sorted(set(values))):
        out += conn.execute(query.where(column.in_(chunk))).all()
    return out


def _mention_columns() -> tuple:
    t = schema.event_mentions
    return (t.c.mention_id, t.c.doc_id, t.c.published, t.c.record, t.c.event_id)


@functools.cache
def _candidate_query(kind: str, with_iso: bool) -> sa.Select:
    """The SQL prefilter for the mentions that may be the same incident as a given one: a
    superset of ``merge.incompatible``'s gates (another article, a compatible sub-type, the
    same or an unknown country, days that meet). One statement per case, with bound
    parameters, so it is compiled once."""
    t = schema.event_mentions
    p = sa.bindparam
    undated = sa.or_(t.c.date_start.is_(None), t.c.date_end.is_(None))
    cond = [t.c.sub_event_type.in_(p("subs", expanding=True))]  # and another article's: tested by the caller
    if with_iso:
        # the same country or none; written so that no index on iso is used (a country holds a
        # growing share of the store; the dates below are what narrows the search)
        cond.append(sa.func.coalesce(t.c.iso, p("iso")) == p("iso"))
    # a stored interval that ends on or after day D starts on or after D - the widest span: the
    # lower bound ("floor") makes the dates index usable, without changing what is found
    if kind == "dated":  # meets the interval, or an undated report published in it or a month after
        cond.append(sa.or_(sa.and_(t.c.date_start >= p("floor"), t.c.date_start <= p("end"),
                                   t.c.date_end >= p("start")),
                           sa.and_(undated, t.c.published >= p("start"), t.c.published <= p("end_w"))))
    elif kind == "published":  # undated, in an article of a known date
        cond.append(sa.or_(sa.and_(t.c.date_start >= p("floor"), t.c.date_start <= p("pub"),
                                   t.c.date_end >= p("pub_before")),
                           sa.and_(undated, t.c.published >= p("pub_before"), t.c.published <= p("pub_after"))))
    else:  # an undated article: only other undated articles
        cond += [undated, t.c.published.is_(None)]
    return sa.select(t.c.mention_id, t.c.doc_id, t.c.event_id).where(*cond)  # records: read when not parsed yet


def _candidates(a, span: int) -> tuple[sa.Select, dict]:
    """The candidate query for mention ``a`` and its parameters; ``span``: ``_widest_span``."""
    from sitroom.resolve import merge

    params: dict = {"subs": sorted(merge.compatible_subs(a.sub_event_type))}
    if a.iso:
        params["iso"] = a.iso
    if a.dated:
        kind = "dated"
        params.update(start=a.start, end=a.end, end_w=a.end + merge.WINDOW,
                      floor=a.start - dt.timedelta(days=span))
    elif a.published is not None:
        kind = "published"
        params.update(pub=a.published, pub_before=a.published - merge.WINDOW, pub_after=a.published + merge.WINDOW,
                      floor=a.published - merge.WINDOW - dt.timedelta(days=span))
    else:
        kind = "undated"
    return _candidate_query(kind, bool(a.iso)), params


def _merged_row(rec: dict, n_mentions: int, text: str) -> dict:
    doc = (rec.get("evidence") or [{}])[0].get("doc_id")
    return {
        "event_id": rec["event_id"], "doc_id": doc, "event_type": rec["event_type"],
        "sub_event_type": rec["sub_event_type"], "event_date": _date(rec["event_date"]),
        "date_start": _date(rec["date_start"]), "date_end": _date(rec["date_end"]),
        "actor1": rec["actor1"], "actor2": rec["actor2"], "country": rec["country"], "iso": rec["iso"],
        "admin1": rec["admin1"], "location": rec["location"], "latitude": rec["latitude"],
        "longitude": rec["longitude"], "fatalities": rec["fatalities"], "modality": rec["modality"],
        "n_mentions": n_mentions, "record": text,
    }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _event_row(doc_id: str, r: dict, published: dt.date | None = None) -> dict:
    """An ``event_mentions`` row: one article's event record, not yet resolved. A date that only
    stands in for the article's (``date_from`` "publication") is left out of the date columns,
    which the merge's candidate query reads: for merging, that report is undated."""
    soft = r.get("date_from") == "publication"
    return {
        "mention_id": r["event_id"], "doc_id": doc_id, "published": published, "event_type": r["event_type"],
        "sub_event_type": r["sub_event_type"], "event_date": None if soft else _date(r["event_date"]),
        "date_start": None if soft else _date(r["date_start"]), "date_end": None if soft else _date(r["date_end"]),
        "actor1": r["actor1"], "actor2": r["actor2"], "country": r["country"], "iso": r["iso"],
        "admin1": r["admin1"], "location": r["location"], "latitude": r["latitude"],
        "longitude": r["longitude"], "fatalities": r["fatalities"], "modality": r["modality"],
        "record": json.dumps(r, ensure_ascii=False),
    }


def _claim_row(doc_id: str, r: dict, reading: dict | None = None) -> dict:
    return {
        "claim_id": r["claim_id"], "doc_id": doc_id, "event_id": r["event_id"], "mention_id": r["event_id"],
        "claimant": r["claimant"],
        "certainty": r["certainty"], "polarity": r["polarity"], "author_stance": r["author_stance"],
        "record": json.dumps(r, ensure_ascii=False),
        "reading": None if reading is None else json.dumps(reading, ensure_ascii=False),
    }


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return " ".join(text.split())[:300]
