"""Every record sitroom exports keeps to ../shared/spec/contract.md's field rules."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from sitroom.model import CERTAINTIES, CLAIMANT_TYPES, EVENT_TYPES, MODALITIES, POLARITIES, STANCES
from sitroom.pipeline import ingest
from sitroom.store.repository import Store

from conftest import ROOT, shared_path

EVENT_FIELDS = {
    "schema_version", "event_id", "event_type", "sub_event_type", "event_date", "date_start", "date_end",
    "time_precision", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "country", "iso", "admin1",
    "location", "latitude", "longitude", "geo_precision", "fatalities", "fatalities_min", "fatalities_max",
    "modality", "claimed_by", "notes", "sources", "evidence",
}
CLAIM_FIELDS = {
    "schema_version", "claim_id", "doc_id", "claimant", "claimant_type", "cue", "text", "certainty",
    "polarity", "author_stance", "event_id", "hypothesis_id", "evidence",
}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_evidence(e: dict, texts: dict[str, str]) -> None:
    assert set(e) >= {"doc_id", "url", "source", "published", "text", "start", "end"}
    assert texts[e["doc_id"]][e["start"]:e["end"]] == e["text"], "evidence must be the exact span"
    assert 0 < len(e["text"]) <= 700


def check_event(r: dict, texts: dict[str, str]) -> None:
    assert set(r) >= EVENT_FIELDS
    assert r["schema_version"] == "1"
    assert r["sub_event_type"] in EVENT_TYPES[r["event_type"]]
    assert r["modality"] in MODALITIES
    assert (r["claimed_by"] is not None) == (r["modality"] == "claimed") or r["claimed_by"] is None
    for f in ("event_date", "date_start", "date_end"):
        assert r[f] is None or DATE.match(r[f])
    if r["date_start"] and r["date_end"]:
        assert r["date_start"] <= r["date_end"]
    assert r["time_precision"] in (None, 1, 2, 3) and r["geo_precision"] in (None, 1, 2, 3)
    if r["latitude"] is not None:
        assert -90 <= r["latitude"] <= 90 and -180 <= r["longitude"] <= 180
    for f in ("fatalities", "fatalities_min", "fatalities_max"):
        assert r[f] is None or (isinstance(r[f], int) and r[f] >= 0)
    if r["fatalities_min"] is not None and r["fatalities_max"] is not None:
        assert r["fatalities_min"] <= r["fatalities_max"]
    assert isinstance(r["sources"], list) and isinstance(r["notes"], str)
    assert r["evidence"]
    for e in r["evidence"]:
        check_evidence(e, texts)


def check_claim(r: dict, texts: dict[str, str]) -> None:
    assert set(r) >= CLAIM_FIELDS
    assert r["certainty"] in CERTAINTIES and r["polarity"] in POLARITIES and r["author_stance"] in STANCES
    assert r["claimant_type"] in CLAIMANT_TYPES and r["claimant"]
    assert r["text"] and r["text"] in texts[r["doc_id"]]
    check_evidence(r["evidence"], texts)


def _ingest(tmp_path, *paths, published=None):
    store = Store(str(tmp_path / "c.db"))
    summary = ingest([str(p) for p in paths], store, published=published)
    texts = {}
    import sqlalchemy as sa

    from sitroom.store.schema import documents

    with store.engine.connect() as conn:
        texts = dict(conn.execute(sa.select(documents.c.id, documents.c.text)).all())
    return store, summary, texts


def test_contract_examples(tmp_path):
    store, summary, texts = _ingest(tmp_path, ROOT / "examples")
    assert summary.new >= 6 and summary.failed == 0
    events, claims = list(store.events()), list(store.claims())
    assert len(events) >= 6 and len(claims) >= 6
    for r in events:
        check_event(r, texts)
    for r in claims:
        check_claim(r, texts)
    json.dumps(events)  # plain JSON all the way down


@pytest.mark.parametrize("name", ["seed", "dispatches", "desk"])
def test_contract_dev_sets(tmp_path, name):
    path = shared_path("bench", "dev", f"{name}.docs.jsonl")
    store, summary, texts = _ingest(tmp_path, path)
    assert summary.new > 0
    for r in store.events():
        check_event(r, texts)
    for r in store.claims():
        check_claim(r, texts)


def test_library_analyze_without_database(tmp_path):
    import sitroom

    a = sitroom.analyze("Rebels shelled the town of Goma yesterday, killing five civilians, officials said.",
                        published="2024-02-10")
    assert a.document.published == dt.date(2024, 2, 10)
    assert a.events and a.events[0].event_type == "Explosions/Remote violence"
    assert not list(tmp_path.iterdir())
