"""The HTTP API over a real SQLite store: filters, pagination, records, downloads, validation."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitroom.export.records import CLAIM_COLUMNS, EVENT_COLUMNS


def ids(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [r["event_id"] for r in resp.json()["items"]]


def by_notes(client, **params) -> set[str]:
    r = client.get("/events", params={"per_page": 500, **params})
    assert r.status_code == 200, r.text
    return {e["notes"].split(" ")[0] + ":" + (e["location"] or "-") for e in r.json()["items"]}


def test_events_page_and_sort(client):
    r = client.get("/events", params={"per_page": 3})
    body = r.json()
    assert r.status_code == 200
    assert body["total"] == 8 and body["pages"] == 3 and len(body["items"]) == 3
    assert set(EVENT_COLUMNS) <= set(body["items"][0])
    last = client.get("/events", params={"per_page": 3, "page": 3}).json()
    assert len(last["items"]) == 2
    everything = ids(client.get("/events", params={"per_page": 500}))
    assert len(set(everything)) == 8
    # newest first by default, undated last
    dates = [e["date_start"] for e in client.get("/events", params={"per_page": 500}).json()["items"]]
    assert dates[-1] is None and dates[:-1] == sorted(dates[:-1], reverse=True)
    asc = [e["date_start"] for e in client.get("/events", params={"per_page": 500, "sort": "date"}).json()["items"]]
    assert asc[-1] is None and asc[:-1] == sorted(asc[:-1])
    deaths = [e["fatalities"] for e in client.get("/events", params={"sort": "-fatalities"}).json()["items"]]
    assert deaths[:3] == [170, 28, 20] and deaths[-1] is None


@pytest.mark.parametrize("params, expected", [
    ({"type": "Battles"}, {"Clashes:Aleppo"}),
    ({"type": ["Battles", "Riots"]}, {"Clashes:Aleppo", "Riot:Minsk"}),
    ({"sub_type": "Suicide bomb"}, {"A:Kabul"}),
    ({"from": "2020-01-01", "to": "2020-01-31"}, {"An:Tripoli"}),
    ({"from": "2021-01-01"}, {"A:Kabul"}),
    ({"to": "2016-12-31"}, {"Shelling:Aleppo", "Clashes:Aleppo"}),
    ({"country": "syria"}, {"Shelling:Aleppo", "Clashes:Aleppo"}),
    ({"country": "AF"}, {"A:Kabul"}),
    ({"admin1": "Tripoli"}, {"An:Tripoli"}),
    ({"actor": "islamic"}, {"A:Kabul"}),
    ({"actor": "civilians (syria)"}, {"Shelling:Aleppo"}),
    ({"modality": "negated"}, {"Police:Bangkok"}),
    ({"source": "relief bulletin"}, {"Shelling:Aleppo", "Clashes:Aleppo"}),
    ({"bbox": "60,30,110,40"}, {"A:Kabul"}),
    ({"bbox": "90,0,110,20"}, {"Police:Bangkok", "A:Bangkok"}),
    ({"min_fatalities": 25}, {"A:Kabul", "An:Tripoli"}),
    ({"q": "cadets"}, {"An:Tripoli"}),
    ({"q": "strikes"}, {"An:Tripoli"}),  # stemmed
    ({"q": "marched bangkok"}, {"A:Bangkok"}),
    ({"q": "Kab"}, {"A:Kabul"}),  # the last word is a prefix
    ({"q": "mediterranean"}, {"An:Tripoli"}),  # sources are searchable
    ({"type": "Explosions/Remote violence", "min_fatalities": 1, "to": "2020-12-31"},
     {"Shelling:Aleppo", "An:Tripoli"}),
    ({"doc": "d-hostile"}, {"Riot:Minsk", "Arrests.:-"}),
])
def test_events_filters(client, params, expected):
    assert by_notes(client, **params) == expected


def test_filters_that_match_nothing_and_punctuation_search(client):
    assert by_notes(client, q="zeppelin") == set()
    assert by_notes(client, type="Riots", country="Libya") == set()
    # FTS syntax in the input is just text: quotes, operators, a lone star
    for q in ['"', 'NEAR(a b', "*", "air AND OR", "-cadets", "'; DROP TABLE events; --"]:
        assert client.get("/events", params={"q": q}).status_code == 200


def test_event_detail_has_evidence_claims_and_documents(client):
    [ev] = client.get("/events", params={"q": "cadets"}).json()["items"]
    r = client.get(f"/events/{ev['event_id']}")
    assert r.status_code == 200
    detail = r.json()
    assert detail["evidence"][0]["text"].startswith("An air strike on a military academy")
    assert detail["documents"]["d-tripoli"]["title"] == "Air strike on Tripoli academy"
    assert [c["claimant"] for c in detail["claims"]] == ["Haftar's forces"]
    assert "merge" in detail  # null where the store keeps no mentions, else the mentions and why
    if detail["merge"] is not None:
        assert detail["merge"]["mentions"]
    missing = client.get("/events/ev-000000000000")
    assert missing.status_code == 404 and "no event" in missing.json()["message"]


def test_document_spans_point_at_the_evidence(client):
    r = client.get("/documents/d-kabul")
    assert r.status_code == 200
    doc = r.json()
    assert doc["title"] == "Kabul airport bombing" and doc["source"] == "Test Wire"
    kinds = {(s["kind"], s["record_id"]) for s in doc["spans"]}
    assert {k for k, _ in kinds} == {"event", "claim"}
    assert len(kinds) == len(doc["events"]) + len(doc["claims"]) == 3
    for s in doc["spans"]:
        piece = doc["text"][s["start"]:s["end"]]
        records = doc["events"] + doc["claims"]
        rec = next(x for x in records if (x.get("claim_id") or x["event_id"]) == s["record_id"])
        evidence = rec["evidence"] if isinstance(rec["evidence"], list) else [rec["evidence"]]
        assert piece in [e["text"] for e in evidence]
    assert client.get("/documents/nope").status_code == 404


def test_claims_filters_and_pages(client):
    r = client.get("/claims", params={"per_page": 2})
    body = r.json()
    assert body["total"] == 5 and body["pages"] == 3 and set(CLAIM_COLUMNS) <= set(body["items"][0])

    def claimants(**params):
        resp = client.get("/claims", params={"per_page": 100, **params})
        assert resp.status_code == 200, resp.text
        return {c["claimant"] for c in resp.json()["items"]}

    assert claimants(claimant="haftar") == {"Haftar's forces"}
    assert claimants(certainty="probable") == {"unnamed reports"}
    assert claimants(stance="disputes") == {"Government of Syria"}
    assert claimants(polarity="negative") == {"Haftar's forces", "Government of Syria"}
    assert claimants(source="Test Wire") == {"Islamic State", "unnamed reports"}
    assert claimants(**{"from": "2021-01-01"}) == {"Islamic State", "unnamed reports"}
    assert claimants(q="toll") == {"Government of Syria"}
    assert claimants(doc="d-aleppo") == {"Government of Syria"}
    kabul = client.get("/events", params={"q": "kabul"}).json()["items"][0]["event_id"]
    assert claimants(event_id=kabul) == {"Islamic State"}
    newest = client.get("/claims", params={"sort": "-published"}).json()["items"][0]
    assert newest["doc_id"] == "d-kabul"


def test_hypotheses_matrix_by_source(client):
    r = client.get("/hypotheses")
    assert r.status_code == 200
    items = {h["hypothesis_id"]: h for h in r.json()["items"]}
    assert items["hy-kabul-is"]["matrix"] == {"Test Wire": {"for": items["hy-kabul-is"]["claims_for"], "against": []}}
    assert items["hy-tripoli-lna"]["matrix"]["Mediterranean Courier"]["against"]
    assert [h["hypothesis_id"] for h in client.get("/hypotheses", params={"q": "kabul"}).json()["items"]] == [
        "hy-kabul-is"]


def test_stats_counts_timeline_and_facets(client):
    s = client.get("/stats").json()
    assert s["totals"]["documents"] == 5 and s["totals"]["claims"] == 5 and s["totals"]["hypotheses"] == 2
    assert s["events"] == s["totals"]["events"] == 8
    assert s["by_type"]["Explosions/Remote violence"] == 3
    assert s["date_min"] == "2016-09-18" and s["date_max"] == "2021-08-26"
    assert "Libya" in s["facets"]["countries"] and "Test Wire" in s["facets"]["sources"]
    assert "Air/drone strike" in s["event_types"]["Explosions/Remote violence"]
    narrowed = client.get("/stats", params={"from": "2020-01-01", "to": "2020-01-31"}).json()
    assert narrowed["events"] == 1
    # the timeline keeps the whole span so that the selection can be drawn on it
    assert sum(d["count"] for d in narrowed["per_day"]) == 7


def test_downloads_follow_the_filters(client):
    r = client.get("/events.csv", params={"type": "Explosions/Remote violence"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == EVENT_COLUMNS and len(rows) == 3
    g = client.get("/events.geojson", params={"country": "Thailand"})
    geo = json.loads(g.text)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    assert geo["features"][0]["geometry"]["coordinates"] == [100.50144, 13.75398]
    undated = json.loads(client.get("/events.geojson", params={"q": "arrests"}).text)
    assert undated["features"] == [] and undated["sitroom:without_coordinates"] == 1
    claims = list(csv.DictReader(io.StringIO(client.get("/claims.csv", params={"stance": "endorses"}).text)))
    assert [c["claimant"] for c in claims] == ["unnamed reports"]
    assert client.get("/hypotheses.csv").text.startswith("schema_version,hypothesis_id")
    assert client.get("/events.csv", params={"from": "bad"}).status_code == 422


def test_map_points(client):
    body = client.get("/events/points", params={"limit": 3}).json()
    assert body["total"] == 7 and body["truncated"] and len(body["points"]) == 3
    assert body["points"][0]["fatalities"] == 170
    assert client.get("/events/points", params={"limit": 0}).status_code == 422


@pytest.mark.parametrize("path, params, where", [
    ("/events", {"from": "2020-13-01"}, "from"),
    ("/events", {"to": "yesterday"}, "to"),
    ("/events", {"from": "2021-01-02", "to": "2021-01-01"}, "to"),
    ("/events", {"bbox": "1,2,3"}, "bbox"),
    ("/events", {"bbox": "a,b,c,d"}, "bbox"),
    ("/events", {"bbox": "0,50,10,40"}, "bbox"),
    ("/events", {"bbox": "0,-95,10,40"}, "bbox"),
    ("/events", {"bbox": "nan,0,1,1"}, "bbox"),
    ("/events", {"per_page": 0}, "per_page"),
    ("/events", {"per_page": 501}, "per_page"),
    ("/events", {"per_page": "ten"}, "per_page"),
    ("/events", {"page": 0}, "page"),
    ("/events", {"page": "9" * 30}, "page"),
    ("/events", {"type": "Earthquakes"}, "type"),
    ("/events", {"type": "Battles", "sub_type": "Grenade"}, "sub_type"),
    ("/events", {"sub_type": "Skirmish"}, "sub_type"),
    ("/events", {"modality": "rumoured"}, "modality"),
    ("/events", {"min_fatalities": -1}, "min_fatalities"),
    ("/events", {"sort": "colour"}, "sort"),
    ("/events", {"q": "x" * 301}, "q"),
    ("/events/points", {"bbox": "1"}, "bbox"),
    ("/stats", {"from": "2020-02-30"}, "from"),
    ("/claims", {"certainty": "sure"}, "certainty"),
    ("/claims", {"stance": "hostile"}, "stance"),
    ("/claims", {"per_page": 10_000}, "per_page"),
    ("/claims", {"sort": "nope"}, "sort"),
    ("/hypotheses", {"page": -1}, "page"),
])
def test_bad_input_is_a_clear_422(client, path, params, where):
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["message"].startswith(where + ":"), body
    assert body["detail"][0]["loc"][-1] == where


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["/events", "/events/points", "/stats", "/claims", "/events.csv"]),
    key=st.sampled_from(["from", "to", "type", "sub_type", "country", "admin1", "actor", "modality", "source",
                         "bbox", "min_fatalities", "q", "page", "per_page", "sort", "claimant", "certainty", "doc"]),
    value=st.text(max_size=40),
)
def test_any_parameter_value_is_200_or_422_never_500(client, path, key, value):
    r = client.get(path, params={key: value})
    assert r.status_code in (200, 422), (path, key, value, r.text)


def test_hostile_strings_come_back_as_data(client, hostile):
    doc = client.get("/documents/d-hostile").json()
    assert doc["title"] == hostile and hostile in doc["text"]
    riot = client.get("/events", params={"type": "Riots"}).json()["items"][0]
    assert riot["actor1"] == f"Rioters {hostile}"
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert page.headers["x-content-type-options"] == "nosniff"


def test_dashboard_assets_are_served_offline(client):
    html = client.get("/").text
    assert "http://" not in html and "https://" not in html
    for path in ["/static/app.js", "/static/app.css", "/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css",
                 "/vendor/markercluster/leaflet.markercluster.js", "/static/vendor/world-atlas/countries-110m.json",
                 "/vendor/swagger-ui/swagger-ui-bundle.js"]:
        assert client.get(path).status_code == 200, path
    docs = client.get("/docs").text
    assert "/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn." not in docs
    spec = client.get("/openapi.json").json()
    for path in ["/events", "/events/{event_id}", "/events/points", "/events.csv", "/events.geojson", "/claims",
                 "/claims.csv", "/hypotheses", "/documents/{doc_id}", "/stats"]:
        assert path in spec["paths"], path
    names = {p["name"] for p in spec["paths"]["/events"]["get"]["parameters"]}
    assert {"from", "to", "type", "sub_type", "country", "admin1", "actor", "modality", "source", "bbox",
            "min_fatalities", "q", "page", "per_page", "sort"} <= names


def test_full_text_search_sql_per_dialect():
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql, sqlite

    from sitroom.store.queries import EventFilter, event_conditions, fts5_query

    assert fts5_query('air "strike" NEAR(') == '"air" "strike" "NEAR"*'
    assert fts5_query("*** --") is None
    pg = sa.select(sa.literal(1)).where(*event_conditions(EventFilter(q="air strike"), "postgresql"))
    sql = str(pg.compile(dialect=postgresql.dialect()))
    assert "jsonb_to_tsvector" in sql and "websearch_to_tsquery" in sql
    lite = sa.select(sa.literal(1)).where(*event_conditions(EventFilter(q="air strike"), "sqlite"))
    assert "events_fts MATCH" in str(lite.compile(dialect=sqlite.dialect()))


def test_search_index_follows_writes(tmp_path, make_client):
    """Rows added after the app started are searchable (triggers keep the index in step)."""
    import datetime as dt

    from sitroom.ingest.identity import make_document
    from sitroom.model import Analysis, EventMention, PlaceMention, Span
    from sitroom.store.repository import Store

    store = Store(str(tmp_path / "later.db"))
    client = make_client(store)
    assert by_notes(client, q="pipeline") == set()
    assert by_notes(client, country="libya", source="pipeline watch") == set()
    text = "Saboteurs blew up a pipeline near Zawiya overnight."
    doc = make_document(text, doc_id="d-zawiya", source="Pipeline Watch", published=dt.date(2022, 3, 1))
    place = PlaceMention("Zawiya", Span(34, 40), "GPE", name="Zawiya", country="Libya", iso="LY",
                         admin1="Az Zawiyah", latitude=32.75, longitude=12.73, geo_precision=1)
    store.add([Analysis(doc, events=[EventMention("Strategic developments", "Looting/property destruction",
                                                  Span(10, 17), Span(0, len(text)), place=place,
                                                  notes="Pipeline sabotage.")])])
    assert by_notes(client, q="saboteurs pipeline") == {"Pipeline:Zawiya"}
    assert by_notes(client, q="pipeline watch") == {"Pipeline:Zawiya"}
    # values to match case-blind are read again once the store has changed
    assert by_notes(client, country="libya", source="pipeline watch") == {"Pipeline:Zawiya"}
    assert by_notes(client, country="ly", admin1="az zawiyah") == {"Pipeline:Zawiya"}


def test_cli_serve_arguments(tmp_path):
    from click.testing import CliRunner

    from sitroom.cli import cli

    res = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1 and "no database" in res.stderr
    assert not (tmp_path / "none.db").exists()
    res = CliRunner().invoke(cli, ["serve", "--port", "70000"])
    assert res.exit_code == 2 and "--port" in res.output
    assert "--host" in CliRunner().invoke(cli, ["serve", "--help"]).output


@pytest.mark.parametrize("params", [
    {}, {"type": "Battles"}, {"sub_type": "Suicide bomb"}, {"from": "2020-01-01", "to": "2020-01-31"},
    {"country": "syria"}, {"country": "AF"}, {"admin1": "tripoli"}, {"actor": "ISLAMIC"}, {"modality": "negated"},
    {"source": "relief bulletin"}, {"bbox": "60,30,110,40"}, {"min_fatalities": 25}, {"q": "cadets"},
    {"q": "strikes"}, {"q": "marched bangkok"}, {"q": "mediterranean"}, {"sort": "-fatalities"},
    {"sort": "country", "per_page": 3, "page": 2}, {"doc": "d-hostile"},
])
def test_postgresql_store_answers_like_sqlite(client, pg_client, params):
    """Every filter, full-text search included, gives the same events on PostgreSQL."""
    lite = client.get("/events", params=params).json()
    pg = pg_client.get("/events", params=params)
    assert pg.status_code == 200, pg.text
    assert [e["event_id"] for e in pg.json()["items"]] == [e["event_id"] for e in lite["items"]]
    assert pg.json()["total"] == lite["total"]


def test_postgresql_store_other_routes(client, pg_client):
    for path in ["/stats", "/claims?certainty=probable", "/hypotheses", "/documents/d-kabul", "/events/points"]:
        a, b = client.get(path).json(), pg_client.get(path).json()
        for body in (a, b):
            body.pop("ingested_at", None)  # when each store was filled
        assert b == a, path


@pytest.mark.parametrize("params", [{"q": "the"}, {"q": "police", "type": "Protests"}, {"q": "air", "sort": "date"},
                                    {"q": "killed", "min_fatalities": 20, "sort": "-fatalities"},
                                    {"q": "killed", "bbox": "-180,-90,180,90"},
                                    {"q": "killed", "country": "syria", "from": "2016-01-01"},
                                    {"q": "in", "actor": "forces", "per_page": 1, "page": 2},
                                    {"q": "killed", "admin1": "kabul", "modality": "asserted", "sort": "date"}])
def test_search_plans_agree(client, monkeypatch, params):
    """Walking the filter index and probing many hits gives what looking each hit up gives."""
    from sitroom.store import queries

    driven = client.get("/events", params=params).json()
    monkeypatch.setattr(queries, "FTS_DRIVE_LIMIT", 0)
    probed = client.get("/events", params=params).json()
    assert probed == driven and driven["total"] > 0


def test_date_range_finds_long_intervals(tmp_path, make_client):
    """An event known only to lie within a year is found by a range that reaches its end."""
    import datetime as dt

    from sitroom.ingest.identity import make_document
    from sitroom.model import Analysis, EventMention, Span, TimeSpan
    from sitroom.store.repository import Store

    store = Store(str(tmp_path / "span.db"))
    text = "Fighting went on through 2019 in the hills."
    doc = make_document(text, doc_id="d-2019", source="Year Review", published=dt.date(2020, 1, 2))
    year = TimeSpan("through 2019", Span(25, 29), dt.date(2019, 1, 1), dt.date(2019, 12, 31), 3)
    store.add([Analysis(doc, events=[EventMention("Battles", "Armed clash", Span(0, 8), Span(0, len(text)),
                                                  time=year, notes="A year of fighting.")])])
    client = make_client(store)
    assert by_notes(client, **{"from": "2019-12-15"}) == {"A:-"}
    assert by_notes(client, **{"from": "2019-12-15", "to": "2020-01-31"}) == {"A:-"}
    assert by_notes(client, **{"from": "2020-01-01"}) == set()
    assert by_notes(client, **{"to": "2018-12-31"}) == set()


@pytest.mark.parametrize("params", [
    {"bbox": "-180,-90,180,90"}, {"bbox": "20,10,110,40", "per_page": 2, "page": 2}, {"country": "syria"},
    {"country": "LY", "min_fatalities": 1}, {"admin1": "aleppo", "per_page": 1, "page": 2},
    {"actor": "forces", "modality": "asserted"}, {"min_fatalities": 0, "per_page": 2, "page": 3},
    {"modality": "negated", "sort": "date"}, {"modality": "asserted", "bbox": "-180,-90,180,90", "sort": "date"},
    {"bbox": "60,30,110,40", "from": "2020-01-01"},
    {"country": "nowhere"}, {"min_fatalities": 1, "per_page": 2, "page": 9},
])
def test_date_walk_plans_agree(client, store, monkeypatch, params):
    """A page in date order found by walking the filter index (the other indexes' columns
    written ``+events.x``) is the page found by reading the matches and sorting them."""
    from sqlalchemy import event as sa_event

    from sitroom.store import queries

    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa_event.listen(store.engine, "before_cursor_execute", seen)
    try:
        monkeypatch.setattr(queries, "WALK_LIMIT", 10**9)
        walked = client.get("/events", params=params).json()
        walk_sql = [s for s in statements if "+events." in s]
        statements.clear()
        monkeypatch.setattr(queries, "WALK_LIMIT", 0)
        sorted_ = client.get("/events", params=params).json()
        assert not [s for s in statements if "+events." in s]
    finally:
        sa_event.remove(store.engine, "before_cursor_execute", seen)
    assert walked == sorted_
    indexed = {"bbox", "country", "admin1", "actor"} & set(params)  # columns that lead other indexes
    if indexed and walked["total"] > (walked["page"] - 1) * walked["per_page"]:
        assert walk_sql and walked["items"], "the walk was not taken"
