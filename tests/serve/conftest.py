"""Fixtures for the API and dashboard tests: a real SQLite store filled through ``Store.add``
with hand-made analyses (no NLP, so it is fast), hostile strings included."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import warnings

import pytest

from sitroom.ingest.identity import make_document
from sitroom.model import Analysis, ClaimMention, EventMention, PlaceMention, Span, TimeSpan

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'

PLACES = {
    "Tripoli": ("Libya", "LY", "Tripoli", 32.88743, 13.18733),
    "Kabul": ("Afghanistan", "AF", "Kabul", 34.52813, 69.17233),
    "Aleppo": ("Syria", "SY", "Aleppo", 36.20124, 37.16117),
    "Bangkok": ("Thailand", "TH", "Bangkok", 13.75398, 100.50144),
    "Minsk": ("Belarus", "BY", "Minsk", 53.90019, 27.56653),
}


def _place(text: str, name: str) -> PlaceMention:
    country, iso, admin1, lat, lon = PLACES[name]
    i = text.index(name)
    return PlaceMention(name, Span(i, i + len(name)), "GPE", name=name, country=country, iso=iso,
                        admin1=admin1, latitude=lat, longitude=lon, geo_precision=1)


def _span(text: str, part: str) -> Span:
    i = text.index(part)
    return Span(i, i + len(part))


def _event(text, sentence, type_, sub, *, place=None, day=None, fatalities=None, actor1=None, actor2=None,
           modality="asserted", notes="", claimed_by=None, also=()) -> EventMention:
    s = _span(text, sentence)
    time = TimeSpan(day.isoformat(), None, day, day, 1) if day else None
    return EventMention(type_, sub, trigger=Span(s.start, s.start + 3), sentence=s, actor1=actor1, actor2=actor2,
                        place=_place(text, place) if place else None, time=time, fatalities=fatalities,
                        fatalities_min=fatalities, fatalities_max=fatalities, modality=modality,
                        claimed_by=claimed_by, notes=notes, extra_evidence=[_span(text, a) for a in also])


def _claim(text, sentence, proposition, claimant, ctype, cue, certainty="certain", polarity="positive",
           stance="neutral") -> ClaimMention:
    return ClaimMention(claimant, ctype, cue, proposition, _span(text, proposition), _span(text, sentence),
                        certainty=certainty, polarity=polarity, author_stance=stance)


def analyses() -> list[Analysis]:
    out = []

    t = ("An air strike on a military academy in Tripoli killed 28 cadets on Saturday. "
         "Haftar's forces denied any role in the strike, their spokesman said.")
    d = make_document(t, doc_id="d-tripoli", title="Air strike on Tripoli academy", source="Mediterranean Courier",
                      published=dt.date(2020, 1, 5), url="https://example.org/tripoli")
    s1 = "An air strike on a military academy in Tripoli killed 28 cadets on Saturday."
    s2 = "Haftar's forces denied any role in the strike, their spokesman said."
    out.append(Analysis(d, events=[_event(t, s1, "Explosions/Remote violence", "Air/drone strike", place="Tripoli",
                                          day=dt.date(2020, 1, 4), fatalities=28, actor1="Military Forces of Libya",
                                          actor2="Civilians (Libya)", notes="An air strike killed 28 cadets in Tripoli.",
                                          also=[s2])],
                        claims=[_claim(t, s2, "any role in the strike", "Haftar's forces", "armed_group", "denied",
                                       polarity="negative", stance="neutral")]))

    t = ("KABUL - A suicide bomber killed 170 people outside Kabul airport on Thursday. "
         "Islamic State claimed the attack through Amaq. Analysts think more attacks are probably planned.")
    d = make_document(t, doc_id="d-kabul", title="Kabul airport bombing", source="Test Wire",
                      published=dt.date(2021, 8, 27))
    s1 = "KABUL - A suicide bomber killed 170 people outside Kabul airport on Thursday."
    s2 = "Islamic State claimed the attack through Amaq."
    s3 = "Analysts think more attacks are probably planned."
    out.append(Analysis(d, events=[_event(t, s1, "Explosions/Remote violence", "Suicide bomb", place="Kabul",
                                          day=dt.date(2021, 8, 26), fatalities=170, actor1="Islamic State",
                                          notes="A suicide bombing killed 170 at Kabul airport.", also=[s2])],
                        claims=[_claim(t, s2, "the attack", "Islamic State", "armed_group", "claimed", stance="neutral"),
                                _claim(t, s3, "more attacks are probably planned", "unnamed reports", "unnamed",
                                       "think", certainty="probable", stance="endorses")]))

    t = ("Government shelling hit eastern Aleppo on Monday, killing 20 civilians. "
         "Rebels and soldiers clashed near Aleppo on Sunday. The government disputes the toll.")
    d = make_document(t, doc_id="d-aleppo", title="Aleppo sitrep", source="Relief Bulletin",
                      published=dt.date(2016, 9, 20))
    s1 = "Government shelling hit eastern Aleppo on Monday, killing 20 civilians."
    s2 = "Rebels and soldiers clashed near Aleppo on Sunday."
    s3 = "The government disputes the toll."
    out.append(Analysis(d, events=[
        _event(t, s1, "Explosions/Remote violence", "Shelling/artillery/missile attack", place="Aleppo",
               day=dt.date(2016, 9, 19), fatalities=20, actor1="Military Forces of Syria", actor2="Civilians (Syria)",
               notes="Shelling killed 20 civilians in Aleppo."),
        _event(t, s2, "Battles", "Armed clash", place="Aleppo", day=dt.date(2016, 9, 18),
               actor1="Military Forces of Syria", actor2="Rebels", notes="Clashes near Aleppo."),
    ], claims=[_claim(t, s3, "the toll", "Government of Syria", "government", "disputes", certainty="certain",
                      polarity="negative", stance="disputes")]))

    t = "Police in Bangkok did not fire on protesters on Tuesday, officials said. Thousands marched in Bangkok."
    d = make_document(t, doc_id="d-bangkok", title="Bangkok protests", source="World Briefs",
                      published=dt.date(2020, 11, 18))
    out.append(Analysis(d, events=[
        _event(t, "Police in Bangkok did not fire on protesters on Tuesday, officials said.", "Protests",
               "Excessive force against protesters", place="Bangkok", day=dt.date(2020, 11, 17),
               actor1="Police Forces of Thailand", actor2="Protesters (Thailand)", modality="negated",
               notes="Police reportedly did not fire on protesters."),
        _event(t, "Thousands marched in Bangkok.", "Protests", "Peaceful protest", place="Bangkok",
               day=dt.date(2020, 11, 17), actor1="Protesters (Thailand)", notes="A march in Bangkok."),
    ]))

    t = (f"Rioters in Minsk {HOSTILE} burned cars on Sunday. Police arrested dozens, a ministry said. "
         "No place was given for the arrests.")
    d = make_document(t, doc_id="d-hostile", title=HOSTILE, source="<b>Evil</b> Outlet",
                      published=dt.date(2020, 11, 16), url="javascript:alert(1)")
    s1 = f"Rioters in Minsk {HOSTILE} burned cars on Sunday."
    s2 = "Police arrested dozens, a ministry said."
    out.append(Analysis(d, events=[
        _event(t, s1, "Riots", "Violent demonstration", place="Minsk", day=dt.date(2020, 11, 15),
               actor1=f"Rioters {HOSTILE}", notes=f"Riot {HOSTILE}"),
        _event(t, s2, "Strategic developments", "Arrests", actor1="Police Forces of Belarus", notes="Arrests."),
    ], claims=[_claim(t, s2, "Police arrested dozens", f"ministry {HOSTILE}", "government", "said")]))
    return out


def fill(store) -> None:
    store.add(analyses())
    claims = {c["claim_id"]: c for c in store.claims()}
    by_claimant = {c["claimant"]: c["claim_id"] for c in claims.values()}
    hyps = [
        {"schema_version": "1", "hypothesis_id": "hy-kabul-is", "question": "Who carried out the Kabul bombing?",
         "statement": "Islamic State", "claims_for": [by_claimant["Islamic State"]],
         "claims_against": [], "sources_for": ["Test Wire"], "sources_against": [],
         "first_seen": "2021-08-27", "last_seen": "2021-08-27"},
        {"schema_version": "1", "hypothesis_id": "hy-tripoli-lna", "question": "Who struck the Tripoli academy?",
         "statement": "Haftar's forces", "claims_for": [], "claims_against": [by_claimant["Haftar's forces"]],
         "sources_for": [], "sources_against": ["Mediterranean Courier"],
         "first_seen": "2020-01-05", "last_seen": "2020-01-05"},
    ]
    from sitroom.store import schema

    with store.engine.begin() as conn:
        conn.execute(schema.hypotheses.delete())
        conn.execute(schema.hypotheses.insert(), [
            {"hypothesis_id": h["hypothesis_id"], "question": h["question"], "statement": h["statement"],
             "record": json.dumps(h)} for h in hyps])


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from sitroom.store.repository import Store

    s = Store(str(tmp_path_factory.mktemp("serve") / "api.db"))
    fill(s)
    yield s
    s.close()


def _test_client(store):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's note that it prefers httpx2 to httpx
        from fastapi.testclient import TestClient

    from sitroom.serve import create_app

    return TestClient(create_app(store), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client(store):
    with _test_client(store) as c:
        yield c


@pytest.fixture()
def make_client():
    return _test_client


@pytest.fixture(scope="session")
def hostile() -> str:
    return HOSTILE


@pytest.fixture(scope="session")
def sample_analyses() -> list[Analysis]:
    return analyses()


_pg_names = itertools.count(1)


@pytest.fixture(scope="module")
def pg_client(pg_server):
    """The same data in a PostgreSQL store (a database of its own on the session's server),
    or a skip where no server can be started here."""
    from sitroom.store.repository import Store

    s = Store(pg_server.create_database(f"serve_api_{next(_pg_names)}"))  # one per test module
    fill(s)
    with _test_client(s) as c:
        yield c
    s.close()
