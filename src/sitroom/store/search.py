"""Full-text search over the stored articles (``documents``: title and text).

The one place where each database needs its own SQL:

- PostgreSQL: a GIN index on the expression :data:`PG_DOCUMENT_TSV` (English stemming; the first
  200,000 characters of an article, which keeps every tsvector far below PostgreSQL's 1 MB
  limit), queried with ``websearch_to_tsquery`` and ranked by ``ts_rank``.
- SQLite: an FTS5 table ``documents_fts`` (Porter stemming) with external content — it indexes
  ``documents`` without keeping a second copy of the text — kept in step by triggers and
  ranked by bm25. A later migration that rebuilds the ``documents`` table (SQLite batch mode
  copies and drops it: the triggers go, and rowids may change) must call
  :func:`install_document_search` again.

Both come from migration 0004. A query is words (all required), "quoted phrases", ``-word``
to exclude and ``OR`` between alternatives, as in a web search box, on both databases.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

PG_DOCUMENT_TSV = "to_tsvector('english'::regconfig, left(coalesce(title, '') || ' ' || text, 200000))"

_SQLITE_TRIGGERS = ("documents_fts_insert", "documents_fts_delete", "documents_fts_update")


def install_document_search(conn: sa.Connection) -> None:
    """(Re)create the full-text index of documents and fill it from what is stored. Idempotent."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_documents_fts ON documents USING gin ({PG_DOCUMENT_TSV})")
    elif conn.dialect.name == "sqlite":
        drop_document_search(conn)
        for stmt in (
            "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
            "content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2')",
            "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
            "INSERT INTO documents_fts(rowid, title, text) VALUES (NEW.rowid, NEW.title, NEW.text); END",
            "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
            "VALUES ('delete', OLD.rowid, OLD.title, OLD.text); END",
            "CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
            "VALUES ('delete', OLD.rowid, OLD.title, OLD.text); "
            "INSERT INTO documents_fts(rowid, title, text) VALUES (NEW.rowid, NEW.title, NEW.text); END",
            "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
        ):
            conn.exec_driver_sql(stmt)


def drop_document_search(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_documents_fts")
    elif conn.dialect.name == "sqlite":
        for trigger in _SQLITE_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS documents_fts")


_TERM = re.compile(r'(-?)"([^"]*)"|(\S+)')


def fts5_query(query: str) -> str | None:
    """A web-search-style query as an FTS5 query: every word or "phrase" required, ``-x`` left
    out, ``OR`` between alternatives; punctuation never reaches FTS5's own syntax. None when
    nothing is left to search for."""
    groups: list[list[str]] = [[]]  # OR-groups of required terms
    exclude: list[str] = []
    pending_or = False
    for m in _TERM.finditer(query):
        neg, phrase, word = m.group(1), m.group(2), m.group(3)
        if word is not None and word == "OR":
            pending_or = bool(groups[-1])
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            neg, word = "-", word[1:]
        tokens = re.findall(r"\w+", phrase if phrase is not None else word or "")
        if not tokens:
            continue
        term = '"' + " ".join(tokens) + '"'
        if neg:
            exclude.append(term)
        elif pending_or:
            groups[-1][-1] = f"({groups[-1][-1]} OR {term})"
        else:
            groups[-1].append(term)
        pending_or = False
    required = [t for g in groups for t in g]
    if not required:
        return None
    out = " AND ".join(required)
    for t in exclude:
        out = f"({out}) NOT {t}"
    return out


def search_documents(conn: sa.Connection, query: str, limit: int = 20) -> list[dict]:
    """Stored articles matching ``query``, best first: ``{id, title, source, published, url}``."""
    limit = max(1, int(limit))
    if conn.dialect.name == "postgresql":
        sql = sa.text(  # the WHERE expression is the index's, word for word, so the index serves it
            f"SELECT d.id, d.title, d.source, d.published, d.url, ts_rank({PG_DOCUMENT_TSV}, q) AS rank "
            "FROM documents AS d, websearch_to_tsquery('english', :q) AS q "
            f"WHERE {PG_DOCUMENT_TSV} @@ q ORDER BY rank DESC, d.id LIMIT :n").columns(published=sa.Date)
        rows = conn.execute(sql, {"q": query, "n": limit}).mappings().all()
    else:  # SQLite: the store opens no other database (Store refuses them)
        match = fts5_query(query)
        if match is None:
            return []
        sql = sa.text(
            "SELECT d.id, d.title, d.source, d.published, d.url FROM documents_fts "
            "JOIN documents AS d ON d.rowid = documents_fts.rowid "
            "WHERE documents_fts MATCH :q ORDER BY bm25(documents_fts), d.id LIMIT :n").columns(published=sa.Date)
        rows = conn.execute(sql, {"q": match, "n": limit}).mappings().all()
    return [{k: row[k] for k in ("id", "title", "source", "published", "url")} for row in rows]
