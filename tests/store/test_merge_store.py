"""Merged events in the store: one event per incident across articles, claims that follow it,
order independence, idempotence, stable ids, the migration from per-article events, explain."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from sitroom.cli import cli
from sitroom.ingest.identity import make_document
from sitroom.model import Analysis, ClaimMention, EventMention, PlaceMention, Span, TimeSpan
from sitroom.store.repository import Store

SLOVIANSK = {"name": "Sloviansk", "country": "Ukraine", "iso": "UA", "admin1": "Donetsk", "latitude": 48.8522,
             "longitude": 37.6050, "geo_precision": 1}


def report(text: str, doc_id: str, published: str, *, day: str = "2022-04-08", toll: int | None = None,
           exact: bool = False, place: bool = True, source: str | None = None) -> Analysis:
    """An article with one shelling event (its whole text is the evidence) and one claim about it."""
    doc = make_document(text, doc_id=doc_id, source=source or f"Outlet {doc_id}",
                        published=dt.date.fromisoformat(published))
    d = dt.date.fromisoformat(day)
    where = None
    if place:
        i = doc.text.find("Sloviansk")
        where = PlaceMention("Sloviansk", Span(i, i + 9), "GPE", **SLOVIANSK)
    ev = EventMention("Explosions/Remote violence", "Shelling/artillery/missile attack", trigger=Span(0, 5),
                      sentence=Span(0, len(doc.text)), actor1="Military Forces of Russia",
                      actor2="Civilians (Ukraine)", place=where, time=TimeSpan(day, Span(0, 1), d, d, 1),
                      fatalities=toll, fatalities_min=toll, fatalities_max=toll if exact else None)
    cl = ClaimMention("Ukrainian officials", "government", "said", doc.text[:20], Span(0, 20), Span(0, len(doc.text)))
    return Analysis(document=doc, events=[ev], claims=[cl])


WIRE = (("A missile hit the bus station in Sloviansk on Friday, killing at least 17 people queuing "
        "for coaches out of the city, officials said."), "wire", "2022-04-08", {"toll": 17})
LEDGER = (("The death toll from the missile strike on the Sloviansk bus station has climbed to 23, the "
          "regional governor said on Saturday."), "ledger", "2022-04-09", {"toll": 23, "exact": True})
BLOG = (("In my view the strike on the bus station was meant to frighten the people of Sloviansk into "
        "leaving for good."), "blog", "2022-04-10", {"place": False})


_numbers = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def new_db(request, tmp_path):
    """Makes new, empty databases: SQLite files, or databases on the session's PostgreSQL server."""
    if request.param == "sqlite":
        return lambda name: str(tmp_path / f"{name}.db")
    server = request.getfixturevalue("pg_server")
    return lambda name: server.create_database(f"merge_{name}_{next(_numbers)}")


def _store(new_db, name: str) -> Store:
    return Store(new_db(name))


def _dump(store: Store) -> tuple[list, list]:
    return list(store.events()), list(store.claims())


def test_reports_merge_and_claims_follow_the_merged_event(new_db):
    store = _store(new_db, "one")
    result = store.add([report(*WIRE[:3], **WIRE[3]), report(*LEDGER[:3], **LEDGER[3])])
    assert (result.events, result.merged) == (2, 1)
    [ev] = store.events()
    assert ev["sources"] == ["Outlet wire", "Outlet ledger"]
    assert {e["doc_id"] for e in ev["evidence"]} == {"wire", "ledger"}
    assert (ev["fatalities"], ev["fatalities_min"], ev["fatalities_max"]) == (23, 17, 23)
    assert {c["event_id"] for c in store.claims()} == {ev["event_id"]}
    assert len(list(store.mentions())) == 2
    assert store.counts()["event_mentions"] == 2 and store.counts()["events"] == 1


def test_ingest_order_and_batching_do_not_change_the_result(new_db):
    reports = [WIRE, LEDGER, BLOG]
    runs = []
    for name, order, batches in (("abc", [0, 1, 2], [[0], [1], [2]]), ("cba", [2, 1, 0], [[2], [1], [0]]),
                                 ("bac", [1, 0, 2], [[1, 0], [2]]), ("all", [0, 1, 2], [[0, 1, 2]])):
        store = _store(new_db, name)
        for batch in batches:
            store.add([report(*reports[k][:3], **reports[k][3]) for k in batch])
        runs.append(_dump(store))
    assert all(r == runs[0] for r in runs[1:])
    [ev] = runs[0][0]
    assert len(ev["sources"]) == 3


def test_resolving_again_changes_nothing(new_db):
    url = new_db("idem")
    store = Store(url)
    store.add([report(*WIRE[:3], **WIRE[3])])
    store.add([report(*LEDGER[:3], **LEDGER[3]), report(*BLOG[:3], **BLOG[3])])
    before = _dump(store)
    assert store.resolve().events == 0
    full = store.resolve(full=True)
    assert (full.events, full.retired) == (0, 0)
    assert _dump(store) == before
    assert _dump(Store(url)) == before  # reopening resolves nothing either


def test_a_later_report_keeps_the_event_id_and_an_earlier_one_leaves_an_alias(new_db):
    store = _store(new_db, "ids")
    store.add([report(*LEDGER[:3], **LEDGER[3])])
    [first] = store.events()
    store.add([report(*BLOG[:3], **BLOG[3])])  # published later: joins, id unchanged
    [joined] = store.events()
    assert joined["event_id"] == first["event_id"] and len(joined["sources"]) == 2
    store.add([report(*WIRE[:3], **WIRE[3])])  # published earlier: becomes the first report
    [backfilled] = store.events()
    assert backfilled["event_id"] != first["event_id"] and len(backfilled["sources"]) == 3
    info = store.explain(first["event_id"])
    assert info["alias_of"] == backfilled["event_id"] and info["event"] == backfilled
    assert {c["event_id"] for c in store.claims()} == {backfilled["event_id"]}


def test_a_different_day_stays_another_event(new_db):
    store = _store(new_db, "apart")
    store.add([report(*WIRE[:3], **WIRE[3]),
               report("Another missile hit Sloviansk on Sunday, officials said.", "sunday", "2022-04-10",
                      day="2022-04-10")])
    assert len(list(store.events())) == 2


def test_a_database_with_per_article_events_is_migrated_and_merged(new_db):
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    from sitroom.export.records import records
    from sitroom.store.repository import _engine_url, resolve_url

    url = new_db("old")
    engine = sa.create_engine(_engine_url(resolve_url(url)))
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("sitroom.store").joinpath("migrations")))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    old_ids = []
    with engine.begin() as conn:  # what a 0001 store held: one events row per article's event
        for args in (WIRE, LEDGER):
            a = report(*args[:3], **args[3])
            d = a.document
            conn.execute(sa.text(
                "INSERT INTO documents (id, content_hash, source, published, text, ingested_at) "
                "VALUES (:id, :hash, :source, :published, :text, :at)"),
                {"id": d.id, "hash": d.content_hash, "source": d.source, "published": d.published, "text": d.text,
                     "at": dt.datetime(2024, 1, 1)})
            ev, cl = records(a)
            old_ids.append(ev[0]["event_id"])
            conn.execute(sa.text(
                "INSERT INTO events (event_id, doc_id, event_type, sub_event_type, date_start, date_end, modality, "
                "record) VALUES (:id, :doc, :type, :sub, :start, :end, :modality, :record)"),
                {"id": ev[0]["event_id"], "doc": d.id, "type": ev[0]["event_type"], "sub": ev[0]["sub_event_type"],
                     "start": dt.date.fromisoformat(ev[0]["date_start"]), "end": dt.date.fromisoformat(ev[0]["date_end"]),
                     "modality": ev[0]["modality"], "record": json.dumps(ev[0])})
            conn.execute(sa.text(
                "INSERT INTO claims (claim_id, doc_id, event_id, claimant, certainty, polarity, author_stance, record)"
                " VALUES (:id, :doc, :event, :claimant, :certainty, :polarity, :stance, :record)"),
                {"id": cl[0]["claim_id"], "doc": d.id, "event": cl[0]["event_id"], "claimant": cl[0]["claimant"],
                     "certainty": cl[0]["certainty"], "polarity": cl[0]["polarity"], "stance": cl[0]["author_stance"],
                     "record": json.dumps(cl[0])})
    engine.dispose()

    store = Store(url)
    [ev] = store.events()
    assert ev["event_id"] == old_ids[0]  # the earliest report's old id names the merged event
    assert sorted(m["event_id"] for m in store.mentions()) == sorted(old_ids)
    assert {c["event_id"] for c in store.claims()} == {ev["event_id"]}
    with store.engine.connect() as conn:
        m, c = schema_tables()
        assert conn.execute(sa.select(sa.func.count()).select_from(m).where(m.c.event_id.is_(None))).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(c).where(c.c.mention_id.is_(None))).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(m).where(m.c.published.is_(None))).scalar() == 0


def schema_tables():
    from sitroom.store import schema

    return schema.event_mentions, schema.claims


def test_cli_explain_shows_the_reports_and_the_score_components(tmp_path):
    db = str(tmp_path / "cli.db")
    Store(db).add([report(*WIRE[:3], **WIRE[3]), report(*LEDGER[:3], **LEDGER[3])])
    [ev] = Store(db).events()
    res = CliRunner().invoke(cli, ["explain", ev["event_id"], "--db", db])
    assert res.exit_code == 0, res.output
    assert "Outlet wire; Outlet ledger" in res.output and "reports (2)" in res.output
    assert "total" in res.output and "place" in res.output and "date" in res.output
    as_json = json.loads(CliRunner().invoke(cli, ["explain", ev["event_id"], "--db", db, "--json"]).output)
    assert len(as_json["reports"]) == 2 and as_json["links"][0]["total"] >= as_json["threshold"]
    missing = CliRunner().invoke(cli, ["explain", "ev-000000000000", "--db", db])
    assert missing.exit_code == 1 and "no event" in missing.output


def test_batch_by_batch_equals_all_at_once_with_near_misses(new_db):
    """Reports written batch by batch (each resolved on its own) give the events that merging
    them all at once gives, including reports that are candidates of an event but do not join it."""
    import random

    from sitroom.resolve import merge
    from sitroom.store import schema
    from sitroom.store.repository import _event_row

    rnd = random.Random(5)
    towns = {"Kramatorsk": (48.72, 37.56), "Sloviansk": (48.85, 37.60), "Bakhmut": (48.59, 38.00)}
    records = []
    for k in range(120):
        town = rnd.choice(list(towns))
        day = dt.date(2022, 4, 1) + dt.timedelta(days=rnd.randrange(20))
        known = rnd.random() < 0.7
        words = " ".join(rnd.sample(["station", "market", "school", "bridge", "depot", "hospital", "tower", "farm",
                                     "church", "square", "stadium", "factory", "barracks", "harbour"], 3))
        text = f"Shelling hit the {words} of {town}." if known and rnd.random() < 0.5 else f"Shells hit the {words}."
        records.append({
            "schema_version": "1", "event_id": f"m{k:03d}", "sub_event_type": rnd.choice(
                ["Shelling/artillery/missile attack", "Shelling/artillery/missile attack", "Attack", "Armed clash"]),
            "date_start": day.isoformat(), "date_end": (day + dt.timedelta(days=rnd.choice([0, 0, 1]))).isoformat(),
            "time_precision": 1, "event_date": None, "actor1": rnd.choice(["Military Forces of Russia", None]),
            "actor2": None, "assoc_actor_1": [], "assoc_actor_2": [], "country": "Ukraine", "iso": "UA",
            "admin1": "Donetsk" if known else None, "location": town if known else None,
            "latitude": towns[town][0] if known else None, "longitude": towns[town][1] if known else None,
            "geo_precision": 1 if known else None, "fatalities": rnd.choice([None, 2, 5]), "fatalities_min": None,
            "fatalities_max": None, "modality": "asserted", "claimed_by": None, "notes": text,
            "sources": [f"Outlet {k % 7}"],
            "evidence": [{"doc_id": f"d{k:03d}", "url": None, "source": f"Outlet {k % 7}",
                          "published": (day + dt.timedelta(days=1)).isoformat(), "text": text, "start": 0,
                          "end": len(text)}]})
    for r in records:
        r["event_type"] = {"Armed clash": "Battles", "Attack": "Violence against civilians"}.get(
            r["sub_event_type"], "Explosions/Remote violence")
    expected = sorted(json.dumps(merge.combine(g), sort_keys=True)
                      for g in merge.resolve(merge.mention(r) for r in records))
    assert len(expected) < len(records)  # some merged
    ms = [merge.mention(r) for r in records]
    near_misses = sum(1 for a in ms for b in ms if a.mention_id < b.mention_id and merge.incompatible(a, b) is None
                      and merge.link(a, b) is None)
    assert near_misses > 50  # candidates that do not join: their events must survive every batch
    for order in (records, list(reversed(records))):
        store = Store(new_db(f"batches{int(order is records)}"))
        for k in range(0, len(order), 15):
            chunk = order[k:k + 15]
            with store.engine.begin() as conn:
                conn.execute(schema.documents.insert(), [
                    {"id": r["evidence"][0]["doc_id"], "content_hash": r["evidence"][0]["doc_id"],
                     "published": dt.date.fromisoformat(r["evidence"][0]["published"]), "text": r["notes"],
                     "ingested_at": dt.datetime(2024, 1, 1)} for r in chunk])
                conn.execute(schema.event_mentions.insert(), [
                    _event_row(r["evidence"][0]["doc_id"], r, dt.date.fromisoformat(r["evidence"][0]["published"]))
                    for r in chunk])
                store._resolve(conn)
                m, e = schema.event_mentions, schema.events
                dangling = conn.execute(sa.select(sa.func.count()).select_from(m).where(
                    m.c.event_id.not_in(sa.select(e.c.event_id)))).scalar()
                assert dangling == 0  # after every batch, every report points at a live event
        assert sorted(json.dumps(r, sort_keys=True) for r in store.events()) == expected


def test_the_merge_keeps_a_bounded_number_of_parsed_mentions_between_batches(tmp_path, monkeypatch):
    """The writer's memory stays flat as the store grows: at most MENTION_CACHE parsed mentions are
    kept between batches, and a mention parsed again merges as before."""
    from sitroom.store import repository

    runs = []
    for cap in (1, 10_000):
        monkeypatch.setattr(repository, "MENTION_CACHE", cap)
        store = Store(str(tmp_path / f"cap{cap}.db"))
        for text, doc_id, published, kw in (WIRE, LEDGER, BLOG):
            store.add([report(text, doc_id, published, **kw)])
            assert len(store._mention_cache) <= cap
        runs.append(_dump(store))
    assert runs[0] == runs[1]
    [ev] = runs[0][0]
    assert len(ev["sources"]) == 3


def test_a_report_dated_by_a_wide_interval_is_still_a_candidate(new_db):
    """The candidate query bounds the dates it reads by the widest stored interval: a report of a
    day joins an earlier-stored report dated only by the month, whatever the order."""
    from sitroom.store.repository import SPAN_KEY, _get_state, _widest_span

    month = report(*WIRE[:3], **WIRE[3])
    month.events[0].time = TimeSpan("in April", Span(0, 1), dt.date(2022, 4, 1), dt.date(2022, 4, 30), 3)
    runs = []
    for name, batches in (("month_first", [[month], [report(*LEDGER[:3], **LEDGER[3])]]),
                          ("day_first", [[report(*LEDGER[:3], **LEDGER[3])], [month]])):
        store = _store(new_db, name)
        for batch in batches:
            store.add(batch)
        with store.engine.connect() as conn:
            assert _get_state(conn, SPAN_KEY) == "29"
        runs.append(_dump(store))
        assert store.resolve(full=True).events == 0  # nothing was missed
    assert runs[0] == runs[1]
    [ev] = runs[0][0]
    assert len(ev["sources"]) == 2
    with store.engine.begin() as conn:  # a store from before the state was kept: found by a scan
        conn.execute(sa.text("DELETE FROM store_state WHERE key = :k"), {"k": SPAN_KEY})
        assert _widest_span(conn) == 29 and _get_state(conn, SPAN_KEY) == "29"
