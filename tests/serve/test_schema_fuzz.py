"""Property-based tests of the whole API from its own OpenAPI schema (schemathesis, in process
over ASGI: no server), on a store built from examples/ as `make run` builds it, plus the
hostile article of the other API tests.

Every GET operation gets a bounded, derandomised run (the same cases on every machine, so CI
is not flaky) of schema-valid requests and of requests that break the schema. Whatever the
input, the API must never answer 5xx, and every response must conform to the schema: a
documented status code, the documented content type, a body that validates, headers as
declared. (Schemathesis' "a schema-valid request must be accepted" check is left out: some
rules cannot be written in OpenAPI (``from`` after ``to``, a ``sub_type`` of another
``type``, a ``bbox`` whose south is north of its north) and get a documented 422.)

schemathesis' own pytest integration (``@schema.parametrize`` with ``from_fixture``) does not
run under pytest 9, so its strategies are driven here with Hypothesis' ``@given``.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

try:
    import schemathesis
except ImportError:
    if os.environ.get("CI"):
        pytest.fail("schemathesis is missing: pip install -e '.[test]'", pytrace=False)
    pytest.skip("schemathesis is not installed (it is in the test extra)", allow_module_level=True)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 25  # per operation and mode: about 20 s for the lot here
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
GET_PATHS = ["/events", "/events.csv", "/events.geojson", "/events/points", "/events/{event_id}", "/claims",
             "/claims.csv", "/hypotheses", "/hypotheses.csv", "/documents/{doc_id}", "/stats"]


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory, sample_analyses):
    from sitroom.pipeline import ingest
    from sitroom.store.repository import Store

    store = Store(str(tmp_path_factory.mktemp("fuzz") / "examples.db"))
    summary = ingest([str(ROOT / "examples")], store)
    assert summary.new >= 6 and not summary.failed
    store.add([a for a in sample_analyses if a.document.id == "d-hostile"])
    yield store
    store.close()


@pytest.fixture(scope="module")
def app(examples_store):
    from sitroom.serve import create_app

    return create_app(examples_store)


@pytest.fixture(scope="module")
def api_schema(app):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module")
def known_ids(examples_store) -> dict[str, list[str]]:
    """Ids that exist, so that the record routes are exercised past their 404."""
    with examples_store.engine.connect() as conn:
        events = [r[0] for r in conn.exec_driver_sql("SELECT event_id FROM events ORDER BY event_id")]
        docs = [r[0] for r in conn.exec_driver_sql("SELECT id FROM documents ORDER BY id")]
    assert events and docs
    return {"event_id": events, "doc_id": docs}


def _api_routes(routes):
    """The app's API routes, through the routers it includes (FastAPI >= 0.16x wraps them)."""
    from fastapi.routing import APIRoute

    for r in routes:
        included = getattr(r, "original_router", None)
        if included is not None:
            yield from _api_routes(included.routes)
        elif isinstance(r, APIRoute):
            yield r


def test_every_get_route_is_fuzzed(app, api_schema):
    """The list below is every GET route of the app: a new route must be added to it."""
    routes = {r.path for r in _api_routes(app.routes) if r.include_in_schema and "GET" in r.methods}
    operations = {op.path for op in (res.ok() for res in api_schema.get_all_operations())
                  if op.method.upper() == "GET"}
    assert routes == operations == set(GET_PATHS)
    unsafe = {(op.method.upper(), op.path) for op in (res.ok() for res in api_schema.get_all_operations())
              if op.method.upper() != "GET"}
    assert unsafe == set(), "the API is read-only: a write route needs an operator token and tests of its own"


def _run(api_schema, path: str, mode: GenerationMode, known_ids: dict[str, list[str]]) -> dict[int, int]:
    operation = api_schema[path]["GET"]
    names = [p for p in ("event_id", "doc_id") if "{" + p + "}" in path]
    strategy = operation.as_strategy(mode)
    if names and mode is GenerationMode.POSITIVE:
        # half the cases with ids that exist, half with whatever the schema allows
        real = st.sampled_from(known_ids[names[0]]).flatmap(
            lambda v: operation.as_strategy(mode, path_parameters={names[0]: v}))
        strategy = st.one_of(real, strategy)
    statuses: dict[int, int] = {}

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case):
        response = case.call()
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        case.validate_response(response, checks=CHECKS)

    check()
    return statuses


@pytest.mark.parametrize("path", GET_PATHS)
def test_schema_valid_requests_conform(api_schema, known_ids, path):
    statuses = _run(api_schema, path, GenerationMode.POSITIVE, known_ids)
    assert not any(s >= 500 for s in statuses), statuses
    if "{" in path:
        assert statuses.get(200), f"no request found a record: {statuses}"
    else:
        assert statuses.get(200), f"no schema-valid request was accepted: {statuses}"


@pytest.mark.parametrize("path", GET_PATHS)
def test_schema_breaking_requests_are_refused_cleanly(api_schema, known_ids, path):
    try:
        statuses = _run(api_schema, path, GenerationMode.NEGATIVE, known_ids)
    except Unsatisfiable:
        # a free-text path parameter: there is no value that breaks its schema
        assert "{" in path
        return
    assert not any(s >= 500 for s in statuses), statuses
