"""The SQLite store: migrations, batch transactions, idempotence, round trips."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from sitroom.errors import StoreError
from sitroom.ingest.identity import make_document
from sitroom.model import Analysis, ClaimMention, EventMention, Span
from sitroom.store.repository import Store, resolve_url


def _analysis(text: str, doc_id: str | None = None) -> Analysis:
    doc = make_document(text, doc_id=doc_id, source="Test Wire", published=dt.date(2022, 4, 8))
    ev = EventMention("Battles", "Armed clash", trigger=Span(0, 5), sentence=Span(0, len(doc.text)),
                      actor1="Islamic State", fatalities=3, fatalities_min=3)
    cl = ClaimMention("author", "author", "probably", doc.text[:5], Span(0, 5), Span(0, len(doc.text)),
                      certainty="probable", author_stance="endorses")
    return Analysis(document=doc, events=[ev], claims=[cl])


def test_store_resolves_urls(monkeypatch):
    monkeypatch.delenv("SITROOM_DB", raising=False)
    assert resolve_url(None) == "sqlite:///sitroom.db"
    assert resolve_url("x/y.db") == "sqlite:///x/y.db"
    assert resolve_url("postgres://u@h/d") == "postgresql://u@h/d"
    monkeypatch.setenv("SITROOM_DB", "env.db")
    assert resolve_url(None) == "sqlite:///env.db"


def test_store_add_is_idempotent_and_round_trips(db):
    store = Store(db)
    a = _analysis("Clashes erupted in the town. Three fighters died.", doc_id="doc-1")
    first = store.add([a])
    again = store.add([a])
    assert (first.documents, first.events, first.claims) == (1, 1, 1)
    assert (again.documents, again.duplicates) == (0, 1)
    [event] = list(store.events())
    assert event["evidence"][0]["doc_id"] == "doc-1"
    assert event["evidence"][0]["text"] == a.document.text
    assert event["sources"] == ["Test Wire"] and event["fatalities"] == 3
    [claim] = list(store.claims())
    assert claim["event_id"] == event["event_id"]
    assert store.document("doc-1")["text"] == a.document.text


def test_store_batch_is_one_transaction(db):
    """A batch that fails part-way stores none of its documents; earlier batches stay."""
    store = Store(db)
    store.add([_analysis("First article about shelling.")])
    good = _analysis("Second article about an air strike.")
    bad = _analysis("Third article about protests.")
    bad.events[0].event_type = None  # violates NOT NULL inside the same batch
    with pytest.raises(StoreError):
        store.add([good, bad])
    assert store.counts()["documents"] == 1
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == _alembic_head()
    if store.engine.dialect.name == "sqlite":
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _alembic_head() -> str:
    from importlib import resources

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("sitroom.store").joinpath("migrations")))
    return ScriptDirectory.from_config(cfg).get_current_head()


def test_store_reopen_keeps_data_and_schema(db):
    Store(db).add([_analysis("An article about a drone strike.")])
    assert Store(db).counts()["documents"] == 1


def test_store_unopenable_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="cannot open database"):
        Store(str(tmp_path / "missing-dir" / "x.db"))


def test_store_searches_documents_full_text(db):
    """Stemmed full-text search over titles and texts, the same query syntax on both stores."""
    store = Store(db)
    store.add([
        _analysis("Air strikes hit a fuel depot near Kharkiv overnight.", doc_id="a"),
        _analysis("Protesters marched through the capital demanding a ceasefire.", doc_id="b"),
        _analysis("A drone strike killed two fighters near Idlib, activists said.", doc_id="c"),
    ])
    assert {r["id"] for r in store.search_documents("strike")} == {"a", "c"}  # "strikes" too: stemmed
    assert [r["id"] for r in store.search_documents("drone strike")] == ["c"]
    assert [r["id"] for r in store.search_documents('"fuel depot"')] == ["a"]
    assert [r["id"] for r in store.search_documents("strike -Idlib")] == ["a"]
    assert {r["id"] for r in store.search_documents("ceasefire OR Kharkiv")} == {"a", "b"}
    assert store.search_documents("nothing-like-this") == []
    hit = store.search_documents("protesters")[0]
    assert hit["source"] == "Test Wire" and hit["published"] == dt.date(2022, 4, 8)
    assert len(store.search_documents("strike", limit=1)) == 1


def test_store_concurrent_writers_store_each_article_once(db):
    """Writers in separate processes, overlapping articles: every article once, no error."""
    import multiprocessing

    Store(db).close()  # migrated before the writers start
    texts = [f"Article {i}: shelling hit the town, officials said." for i in range(24)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(3) as pool:
        results = pool.starmap(_write, [(db, texts[0:16]), (db, texts[8:24]), (db, texts[4:20])])
    store = Store(db)
    assert store.counts()["documents"] == 24
    assert sum(r[0] for r in results) == 24  # stored once in all
    assert sum(r[0] + r[1] for r in results) == 48  # the rest were found already stored
    assert len(list(store.claims())) == 24


def _write(db: str, texts: list[str]) -> tuple[int, int]:
    store = Store(db)
    new = dup = 0
    for i in range(0, len(texts), 4):
        r = store.add([_analysis(t) for t in texts[i:i + 4]])
        new, dup = new + r.documents, dup + r.duplicates
    store.close()
    return new, dup
