"""API safety (issue 8): SQL-injection strings in every parameter of every list route, read-only
routes, no CORS unless configured, page-size limits. On the hand-made store of conftest.py.

Every parameter is taken from the app's OpenAPI schema, so a parameter added later is covered,
and must be classified below (a filter matched exactly, a filter matched as text, or a value
the API checks against a type, a list or a range)."""

from __future__ import annotations

import csv
import io
import json

import pytest

PAYLOADS = {
    "or-true": "' OR 1=1 --",
    "or-true-balanced": "x' OR 'a'='a",  # stays valid SQL where pasted into quotes: would widen, not fail
    "drop-table": "'; DROP TABLE events; --",
    "double-quote-or": '" OR ""="',
    "union": "1) UNION SELECT name FROM sqlite_master --",
    "nul": "a\x00b",
    "10k": "x" * 10_000,
}

# a filter matched to stored values exactly (case-blind): an injection string matches nothing
EXACT = {"country", "admin1", "source", "doc", "event_id"}
# a filter matched as part of a text, or full-text search: never more rows than no filter
TEXT = {"actor", "claimant", "q"}
# values checked against a type, a list or a pattern: an injection string is a 422
CHECKED = {"from", "to", "type", "sub_type", "modality", "bbox", "min_fatalities", "page", "per_page", "sort",
           "certainty", "stance", "polarity", "limit"}

LIST_PATHS = ["/events", "/events.csv", "/events.geojson", "/events/points", "/stats", "/claims", "/claims.csv",
              "/hypotheses", "/hypotheses.csv"]
TABLES = ["documents", "events", "claims", "hypotheses"]


@pytest.fixture(scope="module")
def spec(client) -> dict:
    return client.get("/openapi.json").json()


def query_params(spec: dict, path: str) -> list[dict]:
    return [p for p in spec["paths"][path]["get"].get("parameters", []) if p["in"] == "query"]


def rows(resp, path: str) -> int:
    """How many records a response of this route holds (the whole filtered view)."""
    assert resp.status_code == 200, resp.text[:300]
    if path.endswith(".csv"):
        return len(list(csv.DictReader(io.StringIO(resp.text))))
    if path.endswith(".geojson"):
        body = json.loads(resp.text)
        return len(body["features"]) + body["sitroom:without_coordinates"]
    body = resp.json()
    return body["events"] if path == "/stats" else body["total"]


def table_counts(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one() for t in TABLES}


def test_list_routes_are_all_covered(spec):
    listed = {p for p in spec["paths"] if "{" not in p}
    assert listed == set(LIST_PATHS)
    for path in LIST_PATHS:
        names = {p["name"] for p in query_params(spec, path)}
        assert names, path
        assert names <= EXACT | TEXT | CHECKED, f"classify {names - EXACT - TEXT - CHECKED} for {path}"


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
@pytest.mark.parametrize("path", LIST_PATHS)
def test_injection_strings_in_every_parameter(client, store, spec, path, payload):
    before = table_counts(store)
    check_injection(client, spec, path, payload)
    after = table_counts(store)
    assert after == before and after["events"] == 8


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
@pytest.mark.parametrize("path", ["/events", "/events/points", "/stats", "/claims", "/hypotheses", "/events.csv"])
def test_injection_strings_on_postgresql(pg_client, spec, path, payload):
    """The same on PostgreSQL, which refuses a NUL character in any text parameter."""
    check_injection(pg_client, spec, path, payload)
    assert pg_client.get("/events").json()["total"] == 8


def check_injection(client, spec: dict, path: str, payload: str) -> None:
    everything = rows(client.get(path), path)
    assert everything > 0
    for param in query_params(spec, path):
        name = param["name"]
        r = client.get(path, params={name: payload})
        assert r.status_code in (200, 422), (path, name, r.status_code, r.text[:300])
        if name in CHECKED:
            assert r.status_code == 422, (path, name, r.text[:300])
        if r.status_code == 422:
            body = r.json()
            assert body["message"].startswith(name + ":"), (path, name, body["message"])
            continue
        n = rows(r, path)
        if name in EXACT:
            assert n == 0, (path, name, n)
        else:
            assert n <= everything, (path, name, n, everything)
        # the same string next to a real filter narrows it, never widens it
        if path.startswith("/events") or path == "/stats":
            narrow = {"type": "Battles"}
        elif path.startswith("/claims"):
            narrow = {"certainty": "probable"}
        else:
            narrow = {}
        if narrow:
            base = rows(client.get(path, params=narrow), path)
            assert rows(client.get(path, params={**narrow, name: payload}), path) <= base


@pytest.mark.parametrize("path, param", [("/events", "actor"), ("/claims", "claimant"), ("/claims", "q"),
                                         ("/hypotheses", "q"), ("/events", "country"), ("/events", "source")])
def test_like_wildcards_are_literal(client, path, param):
    """``%`` and ``_`` in a filter are characters to find, not patterns that match everything."""
    for value in ["%", "%%", "_%", "%' OR '%'='"]:
        r = client.get(path, params={param: value})
        assert r.status_code == 200 and r.json()["total"] == 0, (param, value, r.text[:200])


def test_no_write_routes(client, spec):
    """The API is read-only: no route takes POST, PUT, PATCH or DELETE (a write route would
    need an operator-configured token, and tests of its own)."""
    methods = {m for ops in spec["paths"].values() for m in ops}
    assert methods == {"get"}
    ev = client.get("/events", params={"per_page": 1}).json()["items"][0]["event_id"]
    for path in ["/events", f"/events/{ev}", "/claims", "/hypotheses", "/documents/d-kabul", "/stats", "/",
                 "/static/app.js"]:
        for method in ["POST", "PUT", "PATCH", "DELETE"]:
            r = client.request(method, path)
            assert r.status_code == 405, (method, path, r.status_code)
    assert client.get(f"/events/{ev}").status_code == 200


@pytest.mark.parametrize("path", ["/events", "/events/points", "/claims", "/hypotheses", "/stats", "/events.csv",
                                  "/", "/openapi.json", "/documents/d-kabul"])
def test_no_cors_headers_by_default(client, path):
    """Another origin's page cannot read the API from a browser: no Access-Control-* header,
    on a simple request or on a preflight."""
    r = client.get(path, headers={"Origin": "https://evil.example"})
    assert r.status_code == 200
    assert not [h for h in r.headers if h.lower().startswith("access-control-")], dict(r.headers)
    pre = client.options(path, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert pre.status_code in (404, 405), pre.status_code
    assert not [h for h in pre.headers if h.lower().startswith("access-control-")], dict(pre.headers)


@pytest.mark.parametrize("path", LIST_PATHS)
def test_page_size_and_other_limits(client, spec, path):
    """Every bounded number is documented in the schema and enforced: the maximum is accepted,
    one more is a 422 naming the parameter."""
    bounded = [p for p in query_params(spec, path) if "maximum" in _schema(p)]
    if path in ("/events", "/claims", "/hypotheses"):
        assert {"per_page", "page"} <= {p["name"] for p in bounded}
        assert _schema(next(p for p in bounded if p["name"] == "per_page"))["maximum"] <= 500
    if path == "/events/points":
        assert "limit" in {p["name"] for p in bounded}
    for p in bounded:
        top = _schema(p)["maximum"]
        assert client.get(path, params={p["name"]: top}).status_code == 200, (path, p["name"], top)
        r = client.get(path, params={p["name"]: top + 1})
        assert r.status_code == 422 and r.json()["message"].startswith(p["name"] + ":"), (path, p["name"])


def _schema(param: dict) -> dict:
    s = param["schema"]
    for alt in s.get("anyOf", []):
        if alt.get("type") in ("integer", "number"):
            return alt
    return s
