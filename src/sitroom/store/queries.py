"""Read-side queries for the API and dashboard: filters, sorting, pagination, facets, search.

SQLAlchemy Core over the tables in ``store.schema``, dialect-neutral except full-text search:

- SQLite: an FTS5 table ``events_fts`` (one row per event, ``rowid`` = the event row's
  ``rowid``) kept in step with ``events`` by triggers, created by migration 0003. Any later
  migration that rebuilds the ``events`` table (SQLite batch mode copies and drops it, which
  drops the triggers too) must call :func:`install_event_search` again.
- PostgreSQL: ``jsonb_to_tsvector('english', record::jsonb, '["string"]')`` against
  ``websearch_to_tsquery``, served by a GIN expression index from the same migration.

Every function takes a SQLAlchemy ``Connection`` and returns plain dicts and lists, so the
HTTP layer (``sitroom.serve``) formats and never writes SQL itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from sitroom.store import schema

# -- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What an analyst narrows events by. Empty tuples and None mean "no constraint".

    Dates select events whose interval ``[date_start, date_end]`` overlaps
    ``[date_from, date_to]``; events without a date are left out once a date is given.
    ``countries`` matches the country name or the ISO code, case-insensitively;
    ``actor`` is a case-insensitive substring of actor1 or actor2; ``bbox`` is
    ``(west, south, east, north)`` in degrees; ``q`` is full-text search."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    actor: str | None = None
    modalities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    min_fatalities: int | None = None
    q: str | None = None
    doc_id: str | None = None
    # set by ``exact()``: countries, admin1 and sources hold stored spellings; ``isos`` the
    # ISO codes the countries were given as
    isos: tuple[str, ...] = ()
    actor_names: tuple[str, ...] | None = None  # set by ``exact()``: the stored names ``actor`` is part of
    start_floor: dt.date | None = None  # set by ``exact()``: no event reaching date_from starts earlier
    exact: bool = False

    def without_dates(self) -> EventFilter:
        return replace(self, date_from=None, date_to=None)


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    date_from: dt.date | None = None  # on the article's publication date
    date_to: dt.date | None = None
    claimant: str | None = None  # case-insensitive substring
    certainties: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    polarities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    event_id: str | None = None
    doc_id: str | None = None
    q: str | None = None  # case-insensitive substring of the claim's record


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


EVENT_SORTS = {
    "date": "date_start", "fatalities": "fatalities", "type": "event_type", "sub_type": "sub_event_type",
    "country": "country", "admin1": "admin1", "location": "location", "actor1": "actor1",
    "actor2": "actor2", "modality": "modality", "id": "event_id",
}
CLAIM_SORTS = {"claimant": "claimant", "certainty": "certainty", "stance": "author_stance",
               "polarity": "polarity", "id": "claim_id", "published": "published"}

_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_query(text: str) -> str | None:
    """User text → a safe FTS5 query: every word quoted (so no operator or quote in the input
    can break the syntax), all words required, the last one as a prefix. None when no words."""
    words = _WORD.findall(text or "")[:32]
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _ci_in(column, values: Sequence[str], dialect: str = "sqlite"):
    """Equal to one of ``values``, ignoring case. On SQLite a LIKE without wildcards (which
    ignores ASCII case) on the bare column, readable from a covering index."""
    if dialect == "sqlite":
        return sa.or_(*[column.like(_like_escape(v), escape="\\") for v in values])
    return sa.func.lower(column).in_([v.lower() for v in values])


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains_ci(column, text: str, dialect: str = "sqlite"):
    """Case-insensitive substring. SQLite's LIKE already ignores (ASCII) case, and a bare
    column lets it read the value straight from a covering index."""
    pattern = f"%{_like_escape(text)}%"
    if dialect == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def _event_source_condition(sources: Sequence[str], dialect: str, exact: bool = False):
    """Events reported by one of these outlets: through ``event_mentions`` where the store
    has merged events, else through the event's own article."""
    e, d = schema.events, schema.documents
    docs = sa.select(d.c.id).where(d.c.source.in_(sources) if exact else _ci_in(d.c.source, sources, dialect))
    mentions = getattr(schema, "event_mentions", None)
    if mentions is not None and "doc_id" in mentions.c and "event_id" in mentions.c:
        return e.c.event_id.in_(sa.select(mentions.c.event_id).where(mentions.c.doc_id.in_(docs)))
    return e.c.doc_id.in_(docs)


def _event_doc_condition(doc_id: str):
    e = schema.events
    mentions = getattr(schema, "event_mentions", None)
    if mentions is not None and "doc_id" in mentions.c and "event_id" in mentions.c:
        return sa.or_(e.c.doc_id == doc_id,
                      e.c.event_id.in_(sa.select(mentions.c.event_id).where(mentions.c.doc_id == doc_id)))
    return e.c.doc_id == doc_id


def _fts_hits(text: str):
    """SELECT rowid FROM events_fts WHERE events_fts MATCH <query>, or None when no words."""
    query = fts5_query(text)
    if query is None:
        return None
    return sa.select(sa.literal_column("rowid")).select_from(sa.table("events_fts")).where(
        sa.text("events_fts MATCH :fts_query").bindparams(fts_query=query))


def _fts_condition(dialect: str, text: str, probe: bool = False):
    e = schema.events
    if dialect == "sqlite":
        hits = _fts_hits(text)
        if hits is None:
            return None
        # Driven from the hits (a rowid lookup each in the wide table), or, with ``probe``,
        # each row of the filter index (which holds the rowid) probed against them: the
        # better way to walk newest first through many hits.
        rowid = sa.literal_column("events.rowid")
        return (rowid + 0 if probe else rowid).in_(hits)
    if dialect == "postgresql":
        if not _WORD.search(text or ""):
            return None
        doc = sa.func.jsonb_to_tsvector(sa.literal_column("'english'::regconfig"),
                                        sa.cast(e.c.record, postgresql.JSONB),
                                        sa.literal_column("'[\"string\"]'::jsonb"))
        return doc.op("@@")(sa.func.websearch_to_tsquery(sa.literal_column("'english'::regconfig"), text))
    # any other database: a plain substring search over the record
    return _contains_ci(e.c.record, text, dialect)


_KNOWN: dict[str, tuple[tuple, dict[str, dict[str, list[str]]]]] = {}


def _known_values(conn: sa.Connection) -> dict[str, dict[str, list[str]]]:
    """Stored spellings of countries, ISO codes, admin1 names and sources, by lower case;
    read again whenever rows were added or removed (cheap counts tell)."""
    e, d = schema.events, schema.documents
    version = (conn.execute(sa.select(sa.func.count()).select_from(e)).scalar_one(),
               conn.execute(sa.select(sa.func.max(sa.literal_column("rowid"))).select_from(e)).scalar_one(),
               conn.execute(sa.select(sa.func.count()).select_from(d)).scalar_one())
    url = conn.engine.url.render_as_string(hide_password=False)
    cached = _KNOWN.get(url)
    if cached and cached[0] == version:
        return cached[1]
    known: dict[str, dict[str, list[str]]] = {}
    for name, column in (("country", e.c.country), ("iso", e.c.iso), ("admin1", e.c.admin1),
                         ("source", d.c.source), ("actor", e.c.actor1), ("actor", e.c.actor2)):
        table = known.setdefault(name, {})
        for (value,) in conn.execute(sa.select(column).where(column.is_not(None)).group_by(column)):
            if value not in table.get(value.lower(), []):
                table.setdefault(value.lower(), []).append(value)
    # the longest date interval, so that "reaches date_from" can also be put as "starts after
    # date_from minus that"; unusable (None) if some event has an end without a start
    span, odd = conn.execute(sa.select(
        sa.func.max(sa.func.julianday(e.c.date_end) - sa.func.julianday(e.c.date_start)),
        sa.func.count().filter(sa.and_(e.c.date_start.is_(None), e.c.date_end.is_not(None))))).one()
    known["span"] = {"days": [int(span or 0) + 1 if not odd else None]}
    _KNOWN[url] = (version, known)
    return known


def _rows_in_store(conn: sa.Connection) -> int:
    """How many events the store holds: as last counted by ``_known_values`` where it has
    been (a plan is chosen by it, so it may be a little stale), else counted now."""
    cached = _KNOWN.get(conn.engine.url.render_as_string(hide_password=False))
    if cached:
        return cached[0][0]
    return conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one()


def exact(conn: sa.Connection, f: EventFilter) -> EventFilter:
    """``f`` with countries, admin1 names, sources and actors as stored (SQLite), so that they
    are compared for equality (an index can answer) rather than by a case-blind LIKE on each
    row, and with a lower bound on ``date_start`` implied by ``date_from``. A value matching
    nothing stays as given and so still matches nothing."""
    if f.exact or conn.dialect.name != "sqlite" or not (f.countries or f.admin1 or f.sources or f.actor
                                                          or f.date_from):
        return f
    known = _known_values(conn)

    def pick(values: Sequence[str], name: str, keep: bool = True) -> tuple[str, ...]:
        out = [stored for v in values for stored in known[name].get(v.lower(), [])]
        return tuple(dict.fromkeys(out)) if out else (tuple(values) if keep else ())

    actor_names = None
    if f.actor:  # the names it is part of, as LIKE would find them (ASCII case ignored)
        needle = f.actor.lower()
        names = [n for lower, stored in known["actor"].items() if needle in lower for n in stored]
        actor_names = tuple(names) if len(names) <= MAX_ACTOR_NAMES else None
    span = known["span"]["days"][0]
    floor = f.date_from - dt.timedelta(days=span) if f.date_from and span is not None else None
    return replace(f, countries=pick(f.countries, "country"), isos=pick(f.countries, "iso", keep=False),
                   admin1=pick(f.admin1, "admin1"), sources=pick(f.sources, "source"),
                   actor_names=actor_names, start_floor=floor, exact=True)


MAX_ACTOR_NAMES = 500  # beyond, the actor filter stays a LIKE on each row


# Columns that lead an index other than the filter index (``ix_events_filter``, led by date_start)
_OTHER_INDEX_LEADS = ("country", "admin1", "actor1", "actor2", "latitude", "event_type", "event_date")


class _Columns:
    """``events.c``, or, with ``walk_dates`` (SQLite), the same columns written ``+events.x``
    where they lead another index: SQLite then cannot search by them, and walks the filter
    index in date order instead, checking every filter in the index entry itself."""

    def __init__(self, walk_dates: bool):
        self._c = schema.events.c
        self._walk = walk_dates

    def __getattr__(self, name: str):
        col = self._c[name]
        if self._walk and name in _OTHER_INDEX_LEADS:
            return sa.literal_column(f"+events.{name}", type_=col.type)
        return col


def event_conditions(f: EventFilter, dialect: str = "sqlite", probe_text: bool = False,
                     walk_dates: bool = False) -> list:
    """WHERE terms for ``f`` (dialect-neutral but for full-text search; ``probe_text``: see
    ``_fts_condition``; ``walk_dates``: see ``_Columns``, SQLite only)."""
    e = _Columns(walk_dates and dialect == "sqlite")
    cond: list = []
    if f.date_from:
        cond.append(sa.func.coalesce(e.date_end, e.date_start) >= f.date_from)
        if f.start_floor:  # the same events, said so that an index on date_start can find them
            cond.append(e.date_start >= f.start_floor)
    if f.date_to:
        cond.append(e.date_start <= f.date_to)
    if f.event_types:
        cond.append(e.event_type.in_(f.event_types))
    if f.sub_event_types:
        cond.append(e.sub_event_type.in_(f.sub_event_types))
    if f.countries and f.exact:
        cond.append(sa.or_(e.country.in_(f.countries), e.iso.in_(f.isos)) if f.isos
                    else e.country.in_(f.countries))
    elif f.countries:
        codes = [c.upper() for c in f.countries if len(c) == 2]
        by_name = _ci_in(e.country, f.countries, dialect)
        cond.append(sa.or_(by_name, e.iso.in_(codes)) if codes else by_name)
    if f.admin1:
        cond.append(e.admin1.in_(f.admin1) if f.exact else _ci_in(e.admin1, f.admin1, dialect))
    if f.actor and f.actor_names is not None:
        cond.append(sa.or_(e.actor1.in_(f.actor_names), e.actor2.in_(f.actor_names)) if f.actor_names
                    else sa.false())
    elif f.actor:
        cond.append(sa.or_(_contains_ci(e.actor1, f.actor, dialect), _contains_ci(e.actor2, f.actor, dialect)))
    if f.modalities:
        cond.append(e.modality.in_(f.modalities))
    if f.sources:
        cond.append(_event_source_condition(f.sources, dialect, f.exact))
    if f.bbox:
        west, south, east, north = f.bbox
        cond.append(e.latitude.between(south, north))
        if west <= east:
            cond.append(e.longitude.between(west, east))
        else:  # a box across the antimeridian
            cond.append(sa.or_(e.longitude >= west, e.longitude <= east))
    if f.min_fatalities is not None:
        cond.append(e.fatalities >= f.min_fatalities)
    if f.q:
        c = _fts_condition(dialect, f.q, probe_text)
        if c is not None:
            cond.append(c)
    if f.doc_id:
        cond.append(_event_doc_condition(f.doc_id))
    return cond


def _order(column, descending: bool, dialect: str):
    """Nulls last in both directions (SQLite puts NULL first ascending, last descending)."""
    if descending:
        return column.desc() if dialect == "sqlite" else column.desc().nulls_last()
    return column.asc().nulls_last()


def _sort_clause(table: sa.Table, sort: str, allowed: dict[str, str], key: str, dialect: str,
                 extra: dict | None = None):
    descending = sort.startswith("-")
    name = allowed[sort.lstrip("-")]
    column = (extra or {}).get(name, table.c.get(name))
    tie = table.c[key].desc() if descending else table.c[key].asc()
    return [_order(column, descending, dialect), tie]


# -- events ----------------------------------------------------------------------------------


def _dialect(conn: sa.Connection) -> str:
    return conn.dialect.name


def count_events(conn: sa.Connection, f: EventFilter) -> int:
    e = schema.events
    f = exact(conn, f)
    q = sa.select(sa.func.count()).select_from(e).where(*event_conditions(f, _dialect(conn)))
    return conn.execute(q).scalar_one()


# With more full-text hits than this, a page in date order walks the filter index and probes
# the hits, rather than looking up every hit and sorting them (measured on 100k events).
FTS_DRIVE_LIMIT = 2000
# A page in date order walks the filter index when it expects to read at most this many of its
# entries (cheap: the index holds every filtered column); else the matches are read and sorted.
WALK_LIMIT = 20_000


def _row_by_row(f: EventFilter) -> bool:
    """True when a filter can only be checked row by row, as no index leads with it (only
    type, sub-type, dates and the article lead an index)."""
    return bool(f.countries or f.admin1 or f.actor or f.modalities or f.sources or f.bbox
                or f.min_fatalities is not None or f.q)


def event_page(conn: sa.Connection, f: EventFilter, *, page: int = 1, per_page: int = 50,
               sort: str = "-date", raw: bool = False) -> Page:
    """One page of matching event records; with ``raw``, the records as the JSON text they
    are stored as (for a response that need not parse and re-serialise them).

    The page's ids are chosen from the indexes first, then only their (wide) records are read.
    In date order the filter index is walked newest first and stops at the page, so the count
    is the one full pass; in any other order, and with a search or an outlet among other
    filters, the ids and the total come from one pass (``count(*) OVER ()``) rather than two.
    A search alone is counted by the full-text index."""
    e = schema.events
    f = exact(conn, f)
    dialect = _dialect(conn)
    cond = event_conditions(f, dialect)
    order = _sort_clause(e, sort, EVENT_SORTS, "event_id", dialect)
    offset = (page - 1) * per_page
    total = None
    by_date = sort.lstrip("-") == "date"
    hits = _fts_hits(f.q) if f.q and dialect == "sqlite" else None
    if hits is not None and replace(f, q=None) == EventFilter():  # the search alone: the index counts its hits
        total = conn.execute(sa.select(sa.func.count()).select_from(hits.subquery())).scalar_one()
        walk = event_conditions(f, dialect, probe_text=total > FTS_DRIVE_LIMIT and by_date)
        ids = list(conn.execute(sa.select(e.c.event_id).where(*walk).order_by(*order)
                                .limit(per_page).offset(offset)).scalars())
    elif _row_by_row(f) and (not by_date or f.q or f.sources):  # (hits and outlets drive the query)
        if hits is not None and by_date and not f.sources:
            # Many hits among other filters: rather than reading each hit's row, walk the filter
            # index in date order (other indexes set aside) and probe the hits.
            n_hits = conn.execute(sa.select(sa.func.count()).select_from(hits.subquery())).scalar_one()
            if n_hits > FTS_DRIVE_LIMIT:
                cond = event_conditions(f, dialect, probe_text=True, walk_dates=True)
        rows = conn.execute(sa.select(e.c.event_id, sa.func.count().over().label("n")).where(*cond)
                            .order_by(*order).limit(per_page).offset(offset)).all()
        ids = [r.event_id for r in rows]
        total = rows[0].n if rows else None
    elif dialect == "sqlite" and by_date and _row_by_row(f):
        # Counted first, by the narrowest index. When many rows match, the page is found sooner
        # by walking the filter index newest first (about ``rows / total`` entries per event
        # on the page) than by reading every match's row to sort them by date.
        total = conn.execute(sa.select(sa.func.count()).select_from(e).where(*cond)).scalar_one()
        rows_in_store = _rows_in_store(conn)
        walk = total > 0 and (offset + per_page) * rows_in_store / total <= WALK_LIMIT
        where = event_conditions(f, dialect, walk_dates=True) if walk else cond
        ids = [] if total <= offset else list(conn.execute(
            sa.select(e.c.event_id).where(*where).order_by(*order).limit(per_page).offset(offset)).scalars())
    else:
        ids = list(conn.execute(sa.select(e.c.event_id).where(*cond).order_by(*order)
                                .limit(per_page).offset(offset)).scalars())
    if total is None:
        total = (0 if page == 1 and not ids else
                 conn.execute(sa.select(sa.func.count()).select_from(e).where(*cond)).scalar_one())
    records: dict[str, str] = {}
    if ids:
        rows = conn.execute(sa.select(e.c.event_id, e.c.record).where(e.c.event_id.in_(ids)))
        records = {i: rec for i, rec in rows}
    items = [records[i] if raw else json.loads(records[i]) for i in ids if i in records]
    return Page(items, total, page, per_page)


def iter_events(conn: sa.Connection, f: EventFilter, sort: str = "date") -> Iterator[dict]:
    """Every matching event record, for downloads (streamed from the cursor)."""
    e = schema.events
    f = exact(conn, f)
    dialect = _dialect(conn)
    q = (sa.select(e.c.record).where(*event_conditions(f, dialect))
         .order_by(*_sort_clause(e, sort, EVENT_SORTS, "event_id", dialect)))
    for (rec,) in conn.execution_options(yield_per=500).execute(q):
        yield json.loads(rec)


POINT_COLUMNS = ("event_id", "latitude", "longitude", "event_type", "sub_event_type", "event_date",
                 "date_start", "date_end", "location", "country", "fatalities", "modality")


def event_points(conn: sa.Connection, f: EventFilter, limit: int = 5000) -> tuple[list[dict], int]:
    """Light rows for the map (events with coordinates only), and how many matched in all;
    when more match than ``limit``, the deadliest are kept."""
    e = schema.events
    f = exact(conn, f)
    dialect = _dialect(conn)
    cond = [*event_conditions(f, dialect), e.c.latitude.is_not(None), e.c.longitude.is_not(None)]
    total = conn.execute(sa.select(sa.func.count()).select_from(e).where(*cond)).scalar_one()
    # dates as stored (ISO text on SQLite), not parsed into date objects and back
    cols = [sa.type_coerce(e.c[c], sa.String).label(c) if c in _DATES else e.c[c] for c in POINT_COLUMNS]
    q = sa.select(*cols).where(*cond).limit(limit)
    if total > limit:
        q = q.order_by(_order(e.c.fatalities, True, dialect), e.c.event_id)
    rows = []
    for r in conn.execute(q):
        row = dict(zip(POINT_COLUMNS, r))
        for k in _DATES:
            row[k] = _iso(row[k])
        rows.append(row)
    return rows, total


_DATES = ("event_date", "date_start", "date_end")


def event_by_id(conn: sa.Connection, event_id: str) -> dict | None:
    """An event by its id, or by an id it had before a merge (``event_aliases``, where kept)."""
    e = schema.events
    rec = conn.execute(sa.select(e.c.record).where(e.c.event_id == event_id)).scalar()
    aliases = getattr(schema, "event_aliases", None)
    if rec is None and aliases is not None:
        current = sa.select(aliases.c.event_id).where(aliases.c.alias == event_id).scalar_subquery()
        rec = conn.execute(sa.select(e.c.record).where(e.c.event_id == current)).scalar()
    return json.loads(rec) if rec is not None else None


def event_mentions(conn: sa.Connection, event_id: str) -> list[dict] | None:
    """The per-article mentions merged into this event, where the store keeps them; None
    when it does not (events are per article)."""
    mentions = getattr(schema, "event_mentions", None)
    if mentions is None or "event_id" not in mentions.c:
        return None
    rows = conn.execute(sa.select(mentions).where(mentions.c.event_id == event_id)).mappings()
    out = []
    for r in rows:
        row = {k: (_iso(v) if isinstance(v, dt.date) else v) for k, v in r.items()}
        if isinstance(row.get("record"), str):
            try:
                row["record"] = json.loads(row["record"])
            except ValueError:
                pass
        out.append(row)
    return out


def claims_of_event(conn: sa.Connection, event_id: str) -> list[dict]:
    c = schema.claims
    q = sa.select(c.c.record).where(c.c.event_id == event_id).order_by(c.c.doc_id, c.c.claim_id)
    return [json.loads(rec) for (rec,) in conn.execute(q)]


def documents_meta(conn: sa.Connection, doc_ids: Sequence[str]) -> dict[str, dict]:
    d = schema.documents
    if not doc_ids:
        return {}
    q = sa.select(d.c.id, d.c.title, d.c.source, d.c.url, d.c.published).where(d.c.id.in_(set(doc_ids)))
    return {r.id: {"doc_id": r.id, "title": r.title, "source": r.source, "url": r.url,
                   "published": _iso(r.published)} for r in conn.execute(q)}


# -- claims and hypotheses -------------------------------------------------------------------


def claim_conditions(f: ClaimFilter, dialect: str = "sqlite") -> list:
    c, d = schema.claims, schema.documents
    cond: list = []
    if f.date_from or f.date_to or f.sources:
        docs = sa.select(d.c.id)
        if f.date_from:
            docs = docs.where(d.c.published >= f.date_from)
        if f.date_to:
            docs = docs.where(d.c.published <= f.date_to)
        if f.sources:
            docs = docs.where(_ci_in(d.c.source, f.sources, dialect))
        cond.append(c.c.doc_id.in_(docs))
    if f.claimant:
        cond.append(_contains_ci(c.c.claimant, f.claimant, dialect))
    if f.certainties:
        cond.append(c.c.certainty.in_(f.certainties))
    if f.stances:
        cond.append(c.c.author_stance.in_(f.stances))
    if f.polarities:
        cond.append(c.c.polarity.in_(f.polarities))
    if f.event_id:
        cond.append(c.c.event_id == f.event_id)
    if f.doc_id:
        cond.append(c.c.doc_id == f.doc_id)
    if f.q:
        cond.append(_contains_ci(c.c.record, f.q, dialect))
    return cond


def claim_page(conn: sa.Connection, f: ClaimFilter, *, page: int = 1, per_page: int = 50,
               sort: str = "claimant", raw: bool = False) -> Page:
    c, d = schema.claims, schema.documents
    dialect = _dialect(conn)
    cond = claim_conditions(f, dialect)
    total = conn.execute(sa.select(sa.func.count()).select_from(c).where(*cond)).scalar_one()
    published = sa.select(d.c.published).where(d.c.id == c.c.doc_id).scalar_subquery()
    q = (sa.select(c.c.record).where(*cond)
         .order_by(*_sort_clause(c, sort, CLAIM_SORTS, "claim_id", dialect, {"published": published}))
         .limit(per_page).offset((page - 1) * per_page))
    return Page([rec if raw else json.loads(rec) for (rec,) in conn.execute(q)], total, page, per_page)


def iter_claims(conn: sa.Connection, f: ClaimFilter) -> Iterator[dict]:
    c = schema.claims
    q = sa.select(c.c.record).where(*claim_conditions(f, _dialect(conn))).order_by(c.c.doc_id, c.c.claim_id)
    for (rec,) in conn.execution_options(yield_per=500).execute(q):
        yield json.loads(rec)


def claims_by_id(conn: sa.Connection, claim_ids: Sequence[str]) -> dict[str, dict]:
    c = schema.claims
    out: dict[str, dict] = {}
    ids = list(dict.fromkeys(claim_ids))
    for i in range(0, len(ids), 500):
        for (rec,) in conn.execute(sa.select(c.c.record).where(c.c.claim_id.in_(ids[i:i + 500]))):
            r = json.loads(rec)
            out[r["claim_id"]] = r
    return out


def _hypothesis_conditions(q: str | None, dialect: str = "sqlite") -> list:
    h = schema.hypotheses
    if not q:
        return []
    return [sa.or_(_contains_ci(h.c.question, q, dialect), _contains_ci(h.c.statement, q, dialect))]


def hypothesis_page(conn: sa.Connection, q: str | None = None, *, page: int = 1, per_page: int = 50) -> Page:
    h = schema.hypotheses
    cond = _hypothesis_conditions(q, _dialect(conn))
    total = conn.execute(sa.select(sa.func.count()).select_from(h).where(*cond)).scalar_one()
    rows = conn.execute(sa.select(h.c.record).where(*cond).order_by(h.c.question, h.c.hypothesis_id)
                        .limit(per_page).offset((page - 1) * per_page))
    return Page([json.loads(rec) for (rec,) in rows], total, page, per_page)


def iter_hypotheses(conn: sa.Connection, q: str | None = None) -> Iterator[dict]:
    h = schema.hypotheses
    rows = conn.execute(sa.select(h.c.record).where(*_hypothesis_conditions(q, _dialect(conn)))
                        .order_by(h.c.question, h.c.hypothesis_id))
    for (rec,) in rows:
        yield json.loads(rec)


# -- documents -------------------------------------------------------------------------------


def document(conn: sa.Connection, doc_id: str) -> dict | None:
    d = schema.documents
    row = conn.execute(sa.select(d).where(d.c.id == doc_id)).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["published"] = _iso(out["published"])
    out["ingested_at"] = out["ingested_at"].isoformat() if out.get("ingested_at") else None
    return out


def document_records(conn: sa.Connection, doc_id: str) -> tuple[list[dict], list[dict]]:
    """The event and claim records that cite this article in their evidence."""
    e, c = schema.events, schema.claims
    events = [json.loads(rec) for (rec,) in conn.execute(
        sa.select(e.c.record).where(_event_doc_condition(doc_id)).order_by(e.c.event_id))]
    claims = [json.loads(rec) for (rec,) in conn.execute(
        sa.select(c.c.record).where(c.c.doc_id == doc_id).order_by(c.c.claim_id))]
    return events, claims


# -- stats -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Stats:
    totals: dict[str, int]
    events: int
    by_type: dict[str, int] = field(default_factory=dict)
    by_modality: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    per_day: list[dict] = field(default_factory=list)
    date_min: str | None = None
    date_max: str | None = None
    facets: dict[str, list[str]] = field(default_factory=dict)


def stats(conn: sa.Connection, f: EventFilter, facet_limit: int = 500, with_facets: bool = True) -> Stats:
    """Counts for the filtered view; ``per_day`` (and the date span) ignores the date filter
    so that a timeline can show the whole span with the selected range on it."""
    e = schema.events
    f = exact(conn, f)
    dialect = _dialect(conn)
    cond = event_conditions(f, dialect)
    totals = {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
              for t in (schema.documents, schema.events, schema.claims, schema.hypotheses)}
    n = conn.execute(sa.select(sa.func.count()).select_from(e).where(*cond)).scalar_one()

    def group(column, where=cond, limit=None):
        q = (sa.select(column, sa.func.count()).where(*where, column.is_not(None)).group_by(column)
             .order_by(sa.func.count().desc(), column))
        if limit:
            q = q.limit(limit)
        return {k: v for k, v in conn.execute(q)}

    undated = event_conditions(f.without_dates(), dialect)
    per_day_rows = conn.execute(
        sa.select(e.c.date_start, e.c.event_type, sa.func.count())
        .where(*undated, e.c.date_start.is_not(None))
        .group_by(e.c.date_start, e.c.event_type).order_by(e.c.date_start, e.c.event_type))
    per_day = [{"date": _iso(day), "event_type": t, "count": k} for day, t, k in per_day_rows]
    return Stats(
        totals=totals, events=n,
        by_type=group(e.c.event_type), by_modality=group(e.c.modality),
        by_country=group(e.c.country, limit=50), per_day=per_day,
        date_min=per_day[0]["date"] if per_day else None, date_max=per_day[-1]["date"] if per_day else None,
        facets=facets(conn, facet_limit) if with_facets else {},
    )


def facets(conn: sa.Connection, limit: int = 500) -> dict[str, list[str]]:
    """Values to pick filters from: countries, admin1 names, actors, sources (all stored)."""
    e, d = schema.events, schema.documents

    def distinct(column, table=e):
        q = (sa.select(column).select_from(table).where(column.is_not(None)).group_by(column)
             .order_by(column).limit(limit))
        return [v for (v,) in conn.execute(q)]

    actors = sorted(set(distinct(e.c.actor1)) | set(distinct(e.c.actor2)))[:limit]
    return {"countries": distinct(e.c.country), "admin1": distinct(e.c.admin1), "actors": actors,
            "sources": distinct(d.c.source, d)}


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value[:10]
    return value.isoformat()


# -- full-text index (SQLite) ----------------------------------------------------------------

# The text an event is found by: its coded fields, notes, sources and evidence sentences.
_FTS_BODY = """
    coalesce(NEW.event_type, '') || ' ' || coalesce(NEW.sub_event_type, '') || ' ' ||
    coalesce(NEW.actor1, '') || ' ' || coalesce(NEW.actor2, '') || ' ' ||
    coalesce(NEW.country, '') || ' ' || coalesce(NEW.admin1, '') || ' ' || coalesce(NEW.location, '') || ' ' ||
    coalesce(json_extract(NEW.record, '$.notes'), '') || ' ' ||
    coalesce(json_extract(NEW.record, '$.claimed_by'), '') || ' ' ||
    coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.record, '$.assoc_actor_1')), '') || ' ' ||
    coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.record, '$.assoc_actor_2')), '') || ' ' ||
    coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.record, '$.sources')), '') || ' ' ||
    coalesce((SELECT group_concat(json_extract(value, '$.text'), ' ')
              FROM json_each(NEW.record, '$.evidence')), '')
"""


def install_event_search(conn: sa.Connection) -> None:
    """(Re)create the SQLite full-text index of events and its triggers, and fill it from
    the events stored now. Idempotent; a no-op on other databases."""
    if _dialect(conn) != "sqlite":
        return
    for stmt in (
        "DROP TRIGGER IF EXISTS events_fts_insert",
        "DROP TRIGGER IF EXISTS events_fts_delete",
        "DROP TRIGGER IF EXISTS events_fts_update",
        "DROP TABLE IF EXISTS events_fts",
        "CREATE VIRTUAL TABLE events_fts USING fts5(body, tokenize='porter unicode61 remove_diacritics 2')",
        ("CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN "
         f"INSERT INTO events_fts(rowid, body) VALUES (NEW.rowid, {_FTS_BODY}); END"),
        ("CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN "
         "DELETE FROM events_fts WHERE rowid = OLD.rowid; END"),
        ("CREATE TRIGGER events_fts_update AFTER UPDATE ON events BEGIN "
         "DELETE FROM events_fts WHERE rowid = OLD.rowid; "
         f"INSERT INTO events_fts(rowid, body) VALUES (NEW.rowid, {_FTS_BODY}); END"),
        "INSERT INTO events_fts(rowid, body) SELECT NEW.rowid, " + _FTS_BODY + " FROM events AS NEW",
    ):
        conn.exec_driver_sql(stmt)


def event_search_in_step(conn: sa.Connection) -> bool:
    """True when the SQLite full-text index has one row per event (always True elsewhere)."""
    if _dialect(conn) != "sqlite":
        return True
    try:
        n_fts = conn.exec_driver_sql("SELECT count(*) FROM events_fts").scalar_one()
    except sa.exc.DBAPIError:
        return False
    return n_fts == conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one()


def ensure_planner_stats(conn: sa.Connection) -> None:
    """SQLite: gather the statistics its query planner uses to pick among the filter indexes
    (``ANALYZE``) where they were never gathered. A no-op elsewhere."""
    if _dialect(conn) != "sqlite":
        return
    has = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar_one()
    if has and conn.exec_driver_sql("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'events'").scalar_one():
        return
    conn.exec_driver_sql("ANALYZE")
