"""Competing hypotheses (sitroom.resolve.hypotheses) and the sentence embeddings they compare claims with.

Every article here is written for the test, except the seed dispatch of the acceptance test.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import shared_path

from sitroom.cli import cli
from sitroom.export.records import HYPOTHESIS_COLUMNS, records
from sitroom.extract import analyze_doc
from sitroom.ingest.identity import make_document
from sitroom.resolve import embeddings, hypotheses
from sitroom.store.repository import Store


def _analyse(nlp, docs: list[tuple[str, str, str, str]]):
    """(doc_id, source, published, text) → claims, events and texts, as the store would hold them."""
    claims, events, texts = [], [], {}
    for doc_id, source, published, text in docs:
        d = make_document(text, doc_id=doc_id, source=source, published=dt.date.fromisoformat(published))
        e, c = records(analyze_doc(nlp(d.text), d))
        claims += c
        events += e
        texts[doc_id] = {"text": d.text, "source": source, "published": d.published, "ingested_at": None}
    return claims, events, texts


def _by_question(hyps: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for h in hyps:
        out.setdefault(h["question"], []).append(h)
    return out


def _claim(claims: list[dict], words: str) -> dict:
    return next(c for c in claims if words in c["text"])


# --------------------------------------------------------------------------- grouping


def test_two_articles_that_disagree_are_one_question_with_two_statements(nlp):
    claims, events, texts = _analyse(nlp, [
        ("a1", "Northern Herald", "2024-03-02",
         "The rebel commander Dmitri Varkov was killed in a drone strike near Lisk on Friday, "
         "the defence ministry said."),
        ("a2", "Southern Courier", "2024-03-05",
         "Rebel spokesmen insisted on Monday that Varkov is alive and commanding his men near Lisk."),
    ])
    hyps, links = hypotheses.build(claims, texts, events)
    [(question, answers)] = _by_question(hyps).items()
    assert question == "Is Dmitri Varkov alive?"
    statements = {h["statement"]: h for h in answers}
    assert set(statements) == {"killed in a drone strike near Lisk on Friday", "alive"}
    dead, alive = statements["killed in a drone strike near Lisk on Friday"], statements["alive"]
    killed, denied = _claim(claims, "was killed"), _claim(claims, "is alive")
    assert dead["claims_for"] == alive["claims_against"] == [killed["claim_id"]]
    assert alive["claims_for"] == dead["claims_against"] == [denied["claim_id"]]
    assert dead["sources_for"] == ["Northern Herald"] and alive["sources_for"] == ["Southern Courier"]
    assert (dead["first_seen"], alive["last_seen"]) == ("2024-03-02", "2024-03-05")
    assert links[killed["claim_id"]] == dead["hypothesis_id"] and links[denied["claim_id"]] == alive["hypothesis_id"]
    for h in hyps:
        assert set(HYPOTHESIS_COLUMNS) <= set(h)


def test_agreeing_articles_make_no_question(nlp):
    claims, events, texts = _analyse(nlp, [
        ("b1", "Herald", "2024-03-02", "Officials said the commander Ilya Brenner was killed in an air strike."),
        ("b2", "Courier", "2024-03-03", "Local witnesses said Brenner died in the strike on his convoy."),
    ])
    hyps, links = hypotheses.build(claims, texts, events)
    assert hyps == [] and set(links.values()) == {None}


def test_a_denial_is_against_its_own_answer(nlp):
    claims, events, texts = _analyse(nlp, [
        ("c1", "Herald", "2024-06-10",
         "Separatist leaders said on Sunday that Ukrainian troops were encircled near the town of Olsk."),
        ("c2", "Courier", "2024-06-11",
         "The Ukrainian government denied that its troops had been encircled near Olsk."),
    ])
    hyps, _ = hypotheses.build(claims, texts, events)
    [encircled] = hyps
    assert encircled["question"] == "Were the forces of Ukraine encircled?"
    assert encircled["statement"] == "encircled near the town of Olsk"
    assert encircled["claims_for"] == [_claim(claims, "were encircled")["claim_id"]]
    assert encircled["claims_against"] == [_claim(claims, "had been encircled")["claim_id"]]


def test_who_did_it_names_the_doers_as_answers(nlp):
    claims, events, texts = _analyse(nlp, [
        ("d1", "Wire One", "2023-09-14",
         "A missile struck the central market in Barsk on Wednesday, killing eleven people, "
         "local officials said. The governor said Russian forces had fired the missile. "
         "Russia's defence ministry denied that its units had targeted the market and said "
         "Ukrainian gunners had hit it by mistake."),
    ])
    hyps, _ = hypotheses.build(claims, texts, events)
    [question] = _by_question(hyps)
    assert question.startswith("Who ")
    answers = {h["statement"]: h for h in hyps}
    assert set(answers) == {"Russia", "Ukraine"}
    fired, denied = _claim(claims, "had fired the missile"), _claim(claims, "had targeted the market")
    assert fired["claim_id"] in answers["Russia"]["claims_for"]
    assert denied["claim_id"] in answers["Russia"]["claims_against"]
    assert fired["claim_id"] in answers["Ukraine"]["claims_against"]


def test_claimed_responsibility_against_a_denial(nlp):
    claims, events, texts = _analyse(nlp, [
        ("e1", "Frontier Wire", "2023-05-02",
         "A suicide bomber killed 20 people at a market in Quetta on Monday, police said. "
         "The Balochistan Liberation Army claimed responsibility for the bombing in a statement."),
        ("e2", "Valley Times", "2023-05-03",
         "The Pakistani Taliban said on Tuesday that they had nothing to do with the bombing in Quetta."),
    ])
    hyps, _ = hypotheses.build(claims, texts, events)
    answers = {h["statement"]: h for h in hyps}
    assert len(answers) == 2 and len({h["question"] for h in hyps}) == 1
    [taliban] = [h for name, h in answers.items() if "Taliban" in name]
    assert taliban["claims_for"] == [] and taliban["claims_against"]


def test_a_denial_and_the_same_statement_make_a_yes_no_question(nlp):
    claims, events, texts = _analyse(nlp, [
        ("f1", "Herald", "2024-01-08", "Aid agencies said the dam on the Kessel river had been deliberately breached."),
        ("f2", "Courier", "2024-01-09", "The army denied that the dam on the Kessel river had been deliberately breached."),
    ])
    hyps, _ = hypotheses.build(claims, texts, events)
    [h] = hyps
    assert h["question"].startswith("Is it true that") and "dam" in h["question"]
    assert h["sources_for"] == ["Herald"] and h["sources_against"] == ["Courier"]


def test_unrelated_claims_stay_apart(nlp):
    claims, events, texts = _analyse(nlp, [
        ("g1", "Herald", "2024-01-08", "The minister said the harvest would be late this year."),
        ("g2", "Courier", "2024-02-09", "Union leaders denied that the strike at the port had ended."),
    ])
    assert hypotheses.build(claims, texts, events)[0] == []


# --------------------------------------------------------------------------- readings at extraction


ARTICLE_SETS = {
    "state": [("r1", "Northern Herald", "2024-03-02",
               "The rebel commander Dmitri Varkov was killed in a drone strike near Lisk on Friday, "
               "the defence ministry said."),
              ("r2", "Southern Courier", "2024-03-05",
               "Rebel spokesmen insisted on Monday that Varkov is alive and commanding his men near Lisk.")],
    "encircled": [("r3", "Herald", "2024-06-10",
                   "Separatist leaders said on Sunday that Ukrainian troops were encircled near the town of Olsk."),
                  ("r4", "Courier", "2024-06-11",
                   "The Ukrainian government denied that its troops had been encircled near Olsk.")],
    "agent": [("r5", "Wire One", "2023-09-14",
               "A missile struck the central market in Barsk on Wednesday, killing eleven people, "
               "local officials said. The governor said Russian forces had fired the missile. "
               "Russia's defence ministry denied that its forces had struck the market and said "
               "Ukrainian troops had hit it by mistake.")],
    "pronoun": [("r6", "Wire Two", "2024-02-01",
                 "KHARTOUM, Feb 1 - The army said on Thursday that it had retaken the town of Umm Rawaba.\n"
                 "The Rapid Support Forces said they still held the town and that it had not fallen.")],
    # a claim's window reaches back CONTEXT_CHARS, from a line start: the commander named further
    # back is not seen by either reading
    "window": [("r7", "Wire Three", "2024-04-02",
                "Commander Idris Kamara toured the front near Lisk last week.\n"
                + "The shelling went on along the river and the roads stayed closed. " * 16 + "\n"
                "Officials said that he was killed in an air strike.\n"
                "His aides insisted that he is alive and well.")],
}


class _NoParse:
    """An nlp that refuses to parse: regrouping claims that carry readings must not need one."""

    def pipe(self, jobs, **_):
        for _job in jobs:
            raise AssertionError("a claim with a reading was parsed again")
        return iter(())


@pytest.mark.parametrize("name", sorted(ARTICLE_SETS))
def test_readings_from_the_article_parse_group_as_parsing_each_claim_does(nlp, name):
    claims, events, texts, readings = [], [], {}, {}
    for doc_id, source, published, text in ARTICLE_SETS[name]:
        d = make_document(text, doc_id=doc_id, source=source, published=dt.date.fromisoformat(published))
        analysis = analyze_doc(nlp(d.text), d)
        e, c = records(analysis)
        claims += c
        events += e
        texts[doc_id] = {"text": d.text, "source": source, "published": d.published, "ingested_at": None}
        readings.update(analysis.readings)
    assert set(readings) == {c["claim_id"] for c in claims}
    assert any(r["assertions"] for r in readings.values()) == (name != "window")
    parsed = hypotheses.build(claims, texts, events)
    read = hypotheses.build(claims, texts, events, readings=readings, nlp=_NoParse())
    assert read == parsed
    if name not in ("pronoun", "window"):
        assert parsed[0]


def test_ingest_stores_readings_and_regrouping_parses_nothing(tmp_path, monkeypatch):
    from sitroom.extract import nlp as nlp_module
    from sitroom.pipeline import ingest

    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t, "source": s, "published": p}) + "\n"
                           for i, s, p, t in ARTICLE_SETS["state"]), encoding="utf-8")
    store = Store(str(tmp_path / "r.db"))
    summary = ingest([str(src)], store, regroup=False)
    readings = store.claim_readings()
    assert summary.claims and set(readings) == {c["claim_id"] for c in store.claims()}
    def no_model():  # not even loaded: a writer whose workers parsed never needs the model itself
        raise AssertionError("regrouping loaded the spaCy model")

    monkeypatch.setattr(nlp_module, "load", no_model)
    assert hypotheses.update(store) == 2
    assert {h["question"] for h in store.hypotheses()} == {"Is Dmitri Varkov alive?"}


# --------------------------------------------------------------------------- the seed dispatch


def test_seed_dispatch_puts_the_russian_claim_against_the_writer(tmp_path):
    from sitroom.pipeline import ingest

    docs = shared_path("bench", "dev", "seed.docs.jsonl")
    store = Store(str(tmp_path / "seed.db"))
    summary = ingest([str(docs)], store)
    assert summary.new == 1 and summary.hypotheses >= 2
    hyps = list(store.hypotheses())
    claims = {c["claim_id"]: c for c in store.claims()}
    killed = next(c for c in claims.values() if "killed in an air strike" in c["text"])
    alive = next(c for c in claims.values() if "probably still alive" in c["text"])
    assert (killed["claimant"], alive["claimant"]) == ("Russia", "author")
    [dead] = [h for h in hyps if killed["claim_id"] in h["claims_for"]]
    assert alive["claim_id"] in dead["claims_against"] and "alive" in dead["question"]
    assert "Baghdadi" in dead["question"]
    [living] = [h for h in hyps if alive["claim_id"] in h["claims_for"]]
    assert killed["claim_id"] in living["claims_against"] and living["question"] == dead["question"]
    assert (killed["hypothesis_id"], alive["hypothesis_id"]) == (dead["hypothesis_id"], living["hypothesis_id"])
    video = next(c for c in claims.values() if c["cue"] == "claims to show")
    assert video["claimant"] == "Amaq" and video["author_stance"] == "endorses"

    res = CliRunner().invoke(cli, ["hypotheses", "--db", str(tmp_path / "seed.db")], catch_exceptions=False)
    assert res.exit_code == 0 and "Baghdadi" in res.output and "killed in an air strike" in res.output
    exported = CliRunner().invoke(cli, ["export", "hypotheses", "--db", str(tmp_path / "seed.db")])
    assert {json.loads(line)["hypothesis_id"] for line in exported.output.splitlines()} == {h["hypothesis_id"]
                                                                                            for h in hyps}


# --------------------------------------------------------------------------- the store


def test_store_replaces_hypotheses_and_links_claims(db, nlp):
    from sitroom.model import Analysis

    store = Store(db)
    d = make_document("Officials said the commander Ilya Brenner was killed.", doc_id="h1", source="Herald")
    analysis = analyze_doc(nlp(d.text), d)
    store.add([Analysis(document=d, claims=analysis.claims)])
    [claim] = list(store.claims())
    h = {"schema_version": "1", "hypothesis_id": "hy-1", "question": "Q?", "statement": "S", "claims_for": [],
         "claims_against": [], "sources_for": [], "sources_against": [], "first_seen": None, "last_seen": None}
    store.replace_hypotheses([h], {claim["claim_id"]: "hy-1"})
    assert [x["hypothesis_id"] for x in store.hypotheses()] == ["hy-1"]
    assert next(store.claims())["hypothesis_id"] == "hy-1"
    store.replace_hypotheses([], {claim["claim_id"]: None})
    assert list(store.hypotheses()) == [] and next(store.claims())["hypothesis_id"] is None
    assert store.document_texts()["h1"]["text"] == d.text


# --------------------------------------------------------------------------- embeddings


def test_lexical_encoder_is_a_unit_bag_of_words():
    enc = embeddings.LexicalEncoder()
    v = enc.encode(["Troops shelled the village", "the troops were shelling villages", "Harvest prices rose"])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0)
    assert v[0] @ v[1] > enc.same > v[0] @ v[2]


def test_wordpiece_splits_like_bert(tmp_path):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "shell", "##ed", "cafe", ",", "!"]) + "\n")
    wp = embeddings.WordPiece(vocab)
    assert wp.ids("The Café shelled, the xyz!") == [2, 4, 7, 5, 6, 8, 4, 1, 9, 3]


def test_a_wrong_hash_refuses_the_model(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"not the weights")
    (tmp_path / "vocab.txt").write_text("[CLS]\n")
    with pytest.raises(embeddings.EmbeddingUnavailable, match="sha256"):
        embeddings.OnnxEncoder(tmp_path)


def test_the_neural_encoder_when_installed():
    try:
        enc = embeddings.OnnxEncoder()
    except embeddings.EmbeddingUnavailable as exc:
        pytest.skip(f"no neural encoder here: {exc}")
    v = enc.encode(["The commander was killed in an air strike.", "An air raid killed the commander.",
                    "Wheat prices rose sharply in the capital."])
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > enc.related > v[0] @ v[2]


def test_incident_merger_compares_only_what_can_be_one_incident_and_finds_all_of_it():
    """The grouping of a store's events into incidents is found through an index by type and dates;
    it equals the definition: each event, in id order, takes every later one not yet taken that
    ``_same_event`` accepts."""
    import datetime as dt
    import random

    def reference(events):
        out, evs = {}, sorted(events, key=lambda e: e["event_id"])
        for i, e in enumerate(evs):
            if e["event_id"] not in out:
                out[e["event_id"]] = e["event_id"]
                for f in evs[i + 1:]:
                    if f["event_id"] not in out and hypotheses._same_event(e, f):
                        out[f["event_id"]] = e["event_id"]
        return out

    rnd = random.Random(7)
    places = [("Goma", -1.68, 29.22), ("Sake", -1.57, 29.04), ("Mosul", 36.34, 43.13),
              ("Bartella", 36.35, 43.38), (None, None, None)]
    joined = 0
    for _ in range(200):
        events = []
        for _ in range(rnd.randint(0, 50)):
            name, lat, lon = rnd.choice(places)
            start = dt.date(2020, 1, 1) + dt.timedelta(days=rnd.randint(0, 40))
            end = start + dt.timedelta(days=rnd.choice([0, 0, 1, 3, 10, 30]))
            events.append({"event_id": f"ev{rnd.randint(0, 10**6):07d}", "location": name, "latitude": lat,
                           "longitude": lon, "event_type": rnd.choice(["Battles", "Riots"]),
                           "modality": rnd.choice(["asserted", "claimed", "hypothetical"]),
                           "date_start": None if rnd.random() < 0.1 else start.isoformat(),
                           "date_end": None if rnd.random() < 0.2 else end.isoformat()})
        expected = reference(events)
        assert hypotheses._incident_merger(events) == expected
        joined += sum(k != v for k, v in expected.items())
    assert joined > 100  # the stores did hold incidents reported more than once


def test_two_acts_of_one_claim_are_not_one_group_by_their_incident_alone():
    """Acts of one incident join when two claims tell them; one claim's two acts (a vague "they were
    behind it" and a named target) meet nobody through that incident."""
    import datetime as dt

    import numpy as np

    class OneHot:  # every distinct text its own direction: texts are unrelated unless equal
        name, same, related = "one-hot", 0.9, 0.6

        def __init__(self):
            self.seen: dict[str, int] = {}

        def encode(self, texts):
            out = np.zeros((len(texts), 64), dtype=np.float32)
            for row, text in enumerate(texts):
                out[row, self.seen.setdefault(text, len(self.seen))] = 1.0
            return out

    day = dt.date(2024, 5, 1)

    def claim(cid: str, event: str | None, text: str, acts) -> hypotheses.Item:
        it = hypotheses.Item({"claim_id": cid, "doc_id": "D3", "event_id": event, "text": text}, int(cid[1:]), day, "D3")
        it.assertions = [hypotheses.Assertion("agent", "attack", None, who, who, sign, "", target, "attacked")
                         for who, sign, target in acts]
        return it

    base = {"event_type": "Battles", "sub_event_type": "Armed clash", "location": "Goma", "latitude": None,
            "longitude": None, "date_start": "2024-05-01", "date_end": "2024-05-01", "event_date": "2024-05-01"}
    events = [{**base, "event_id": "E1", "evidence": [{"doc_id": "D3", "start": 0}]},
              {**base, "event_id": "E2", "evidence": []}]  # one incident with E1; E1 is D3's main event
    items = [claim("c0", None, "first text", [("army", 1, "the convoy"), ("is", 1, "the bridge")]),
             claim("c1", "E2", "second text", [("hamas", -1, ""), ("is", 1, "the bridge")])]
    assert hypotheses._agent_questions(items, events, hypotheses.Similarity(OneHot())) == []
