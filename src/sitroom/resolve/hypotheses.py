"""Competing hypotheses across stored articles: the matrix of the Analysis of Competing Hypotheses.

Claims are grouped into *questions* with competing *answers*; each answer is one hypothesis record
(``../shared/spec/contract.md``) listing the claims for it and against it, their outlets, and when it
was first and last put forward. Three kinds of question, tried in this order on every claim:

1. **Opposed states** of one theme (``lexicons/hypotheses.yaml``, ``oppositions``): "he may have been
   killed" and "he is probably still alive" answer "Is al-Baghdadi alive?" as *dead* and *alive*; a town
   *fallen* or *held*; troops *encircled* or *got out*; a video *genuine* or *faked*. The theme is the
   subject or the patient of the predicate (by the word's role), resolved to a canonical name: pronouns to
   the person named before, "its forces" to the claimant, "the city" to the place named before, names
   through the actor dictionary (so "Ukrainian troops" and "its units" said by Ukraine are one side).
2. **Who did it**: acts ("struck", "blew up", "claimed responsibility for", "had nothing to do with")
   with a doer. Claims about one incident are those linked to one event, or to events of the same type,
   place and dates in different articles, or (without an event) to the same target in one article; the
   doers are the answers ("Who carried out the air strike in Mariupol?": Russia / the Azov regiment).
3. **Yes or no**: a denial and an assertion of the same proposition (sentence embeddings, see
   :mod:`sitroom.resolve.embeddings`, decide "the same") by different claimants.

A claim is *for* an answer when its claimant asserts it and *against* it when the claimant denies it
or asserts a competing answer. A question is kept only when it is contested: two answers, or one
answer both asserted and denied. Each claim gets the ``hypothesis_id`` of the answer it asserts (or
denies). Text similarity also keeps questions apart: claims in different articles join one "who did
it" question only when their sentences are about the same matter (or name the same place).

``first_seen``/``last_seen`` are the publication dates of the claims for an answer (of those against
it when none is for it); an article without a date counts from the day it was ingested. Records carry
one extra field, ``question_id``, shared by the answers of one question.

Cost: every run regroups all stored claims. What a claim asserts is read when its article is parsed
(:func:`read_claims`, kept with the stored claim), so regrouping parses nothing again; only claims
stored without a reading (by an older version) that contain a word of the lexicon are parsed (spaCy,
in a window of their article). Only claims that may be compared are embedded; embeddings are cached
for the process.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sitroom.export.records import stable_id
from sitroom.lexicons import load_yaml
from sitroom.model import SCHEMA_VERSION
from sitroom.resolve.actors import PLACEHOLDER, alias_key, country_name, dictionary, lookup

log = logging.getLogger(__name__)

Token = Any
CONTEXT_CHARS = 900  # how far back pronouns and "the city" look for what they stand for
NEEDS_CONTEXT = re.compile(r"\b(he|she|him|his|her|it|its|they|their|them)\b", re.I)
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
OWNER_PRONOUNS = {"its", "their", "our", "his", "her"}
SUBJ = ("nsubj", "nsubjpass")
NEG_CUES = ("den", "reject", "dismiss", "refut", "disput", "doubt")  # denied, denies, denial, rejected...


@functools.lru_cache(maxsize=1)
def lexicon() -> dict:
    raw = load_yaml("hypotheses.yaml")
    words: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # lemma → [(frame, pole, role)]
    for frame, spec in raw["oppositions"].items():
        for pole, entries in spec["poles"].items():
            for word, role in entries.items():
                words[word].append((frame, pole, role))
    return {**raw, "words": dict(words), "acts": set(raw["acts"]),
            **{k: set(raw[k]) for k in ("part_heads", "place_nouns", "group_nouns", "local_nouns",
                                        "incident_nouns", "instrument_heads", "member_heads",
                                        "statement_drop", "responsibility_objects", "irregular_forms")}}


# Which themes each opposition accepts: a person is dead or alive, a place falls, a force is encircled.
THEMES = {"life": ("person",), "control": ("place",), "encirclement": ("iso", "actor"),
          "authenticity": ("local", "actor", "org", "thing")}


# --------------------------------------------------------------------------- records in, records out


@dataclass(frozen=True, slots=True)
class Entity:
    key: str  # kind:name, e.g. person:baghdadi, iso:RU, place:bakhmut, actor:islamic state, local:doc:video
    name: str

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]


@dataclass(slots=True)
class Assertion:
    """What one claim says about one question: its answer, and whether it asserts or denies it."""

    kind: str  # state, agent, fact
    frame: str  # the opposition, the act, or "fact"
    topic: Entity | None  # the theme (state) or the incident key holder (agent)
    answer: str  # pole name or doer key
    answer_name: str
    sign: int  # +1 asserts, -1 denies
    phrase: str = ""  # the predicate as a statement ("killed in an air strike")
    patient: str = ""  # agent questions: what was acted on ("the station")
    verb: str = ""  # agent questions: the act as written ("struck")


@dataclass(slots=True)
class Item:
    """One stored claim as the grouping sees it."""

    rec: dict
    order: int
    date: dt.date | None
    source: str
    assertions: list[Assertion] = field(default_factory=list)
    places: set[str] = field(default_factory=set)  # places named in the claim's sentence

    @property
    def id(self) -> str:
        return self.rec["claim_id"]


# --------------------------------------------------------------------------- entry points


def update(store) -> int:
    """Regroup every stored claim into hypotheses and store them (the pipeline calls this after
    ingesting, and when an earlier regrouping did not finish). Returns the number of hypothesis
    records grouped (not written when claims were added meanwhile: the ingest that added them
    regroups after its last batch)."""
    generation = store.claims_generation()  # first: claims added while this runs make the result stale
    claims = list(store.claims())
    readings = store.claim_readings()  # read at extraction: those claims need no text and no parse
    texts = store.document_texts({c["doc_id"] for c in claims}, text=False)
    unread = {c["doc_id"] for c in claims if c["claim_id"] not in readings and _may_bear(c.get("text") or "")}
    if unread:
        texts.update(store.document_texts(unread))
    events = list(store.events())
    hypotheses, links = build(claims, texts, events, readings=readings)
    # refused when another ingest added claims meanwhile: that one groups them all after its last batch
    store.replace_hypotheses(hypotheses, links, generation)
    return len(hypotheses)


def build(claims: Sequence[dict], texts: dict[str, dict], events: Sequence[dict] = (), *, nlp=None,
          encoder=None, readings: dict[str, dict] | None = None) -> tuple[list[dict], dict[str, str | None]]:
    """Hypothesis records for ``claims`` (contract records) and each claim's ``hypothesis_id``.

    ``texts`` maps doc_id → {"text", "published", "ingested_at"} (the stored article);
    ``events`` are stored event records, used to tell which claims are about one incident;
    ``readings`` (claim_id → :func:`read_claims` output) spares parsing those claims again."""
    if encoder is None:
        from sitroom.resolve.embeddings import encoder as default_encoder

        encoder = default_encoder()
    items = [_item(i, c, texts.get(c["doc_id"]) or {}) for i, c in enumerate(claims)]
    readings = readings or {}
    todo = []
    for it in items:
        if (reading := readings.get(it.id)) is not None:
            _restore(it, reading)
        elif _may_bear(it.rec.get("text") or ""):
            todo.append(it)
    _analyse(todo, texts, nlp)
    sim = Similarity(encoder)
    questions = _state_questions(items) + _agent_questions(items, events, sim)
    taken = {it.id for q in questions for it, _ in q.members}
    questions += _fact_questions([it for it in items if it.id not in taken], sim)
    records, links = [], {c["claim_id"]: None for c in claims}
    for q in questions:
        records += q.records(links)
    records.sort(key=lambda r: (r["question"], r["statement"]))
    return records, links


def _item(order: int, rec: dict, doc: dict) -> Item:
    ev = rec.get("evidence") or {}
    pub = ev.get("published") or doc.get("published")
    date = _as_date(pub) or _as_date(doc.get("ingested_at"))
    source = ev.get("source") or doc.get("source") or ev.get("url") or rec["doc_id"]
    return Item(rec, order, date, source)


def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------- parsing claims


@dataclass(slots=True)
class _Ctx:
    item: Item
    doc: Any  # the spaCy Doc of the window
    start: int  # the window's offset in the article
    claimant: Entity | None
    article: str = ""
    ents: tuple = ()  # the entities of the window (of ``doc`` when the window is the whole Doc)


def _window(rec: dict, text: str | None) -> tuple[int, int, int] | None:
    """Where a claim is read in its article: (window start, claim start, claim end), character offsets.
    The window is the claim's sentence, and what comes before it (from a line start, at most
    CONTEXT_CHARS) when a pronoun or "the city" needs an antecedent. None when the article does not
    hold the claim's evidence where the record says."""
    ev = rec.get("evidence") or {}
    claim = rec.get("text") or ""
    at = (ev.get("text") or "").find(claim) if claim else -1
    if not text or at < 0 or text[ev["start"]:ev["end"]] != ev.get("text"):
        return None
    cs = ev["start"] + at
    ws = ev["start"]
    if NEEDS_CONTEXT.search(claim) or re.search(r"\bthe\s+(city|town|village|group|video|footage)\b", claim, re.I):
        ws = max(0, ev["start"] - CONTEXT_CHARS)
        cut = text.find("\n", ws, ev["start"])
        if ws and cut != -1:
            ws = cut + 1
    return ws, cs, cs + len(claim)


def _analyse(items: list[Item], texts: dict[str, dict], nlp) -> None:
    """Parse each claim in a window of its article (its sentence, and what comes before it when a
    pronoun needs an antecedent) and read its assertions."""
    jobs = []
    for it in items:
        text = (texts.get(it.rec["doc_id"]) or {}).get("text")
        claim = it.rec.get("text") or ""
        window = _window(it.rec, text)
        if window is None:
            jobs.append((claim, (it, 0, 0, len(claim))))  # the claim alone
            continue
        ws, cs, ce = window
        jobs.append((text[ws:ce], (it, ws, cs - ws, ce - ws)))
    if not jobs:
        return
    if nlp is None:  # loaded only when a claim has no reading stored (the readings are made at ingest)
        from sitroom.extract.nlp import load

        nlp = load()
    for doc, (it, ws, a, b) in nlp.pipe(jobs, as_tuples=True, batch_size=64):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None or not len(span):
            continue
        ctx = _Ctx(it, doc, ws, _claimant_entity(it.rec), (texts.get(it.rec["doc_id"]) or {}).get("text") or "",
                   tuple(doc.ents))
        _read(it, span, span.sent.ents, ctx)


def _read(it: Item, span, sent_ents, ctx: _Ctx) -> None:
    it.places = {e.text.lower() for e in sent_ents if e.label_ in ("GPE", "LOC", "FAC")}
    try:
        it.assertions = _assertions(span, ctx)
    except Exception:  # a parse we did not foresee must not stop the whole regrouping
        log.exception("cannot read claim %s", it.id)


def read_claims(doc, claims: Sequence[dict], text: str) -> dict[str, dict]:
    """What each claim of one article asserts, read in the article's own parse (``doc``, the spaCy Doc
    of ``text``) at extraction time, so that regrouping never parses an article again: claim_id →
    ``{"places": [...], "assertions": [...]}`` (JSON-ready). The reading keeps to the claim's window
    (:func:`_window`): entities outside it are not seen. Claims the lexicon cannot bear read as empty;
    a claim whose evidence is not in ``text`` is left out (regrouping then parses it alone)."""
    from sitroom.extract.nlp import ents_of

    out: dict[str, dict] = {}
    bounds: list[tuple[int, int, int, int, Any]] | None = None  # each entity's offsets, read once
    claimants: dict[tuple[Any, Any], Entity | None] = {}  # one article's claims share few claimants
    for rec in claims:
        if not _may_bear(rec.get("text") or ""):
            out[rec["claim_id"]] = {"places": [], "assertions": []}
            continue
        window = _window(rec, text)
        if window is None:
            continue
        ws, cs, ce = window
        it = Item(rec, 0, None, "")
        span = doc.char_span(cs, ce, alignment_mode="expand")
        if span is not None and len(span):
            if bounds is None:
                bounds = [(e.start_char, e.end_char, e.start, e.end, e) for e in ents_of(doc)]
            inside = [b for b in bounds if b[0] >= ws and b[1] <= ce]
            ents = tuple(b[4] for b in inside)
            sent = span.sent
            s_start, s_end = sent.start, sent.end
            sent_ents = [b[4] for b in inside if b[2] >= s_start and b[3] <= s_end]
            who = (rec.get("claimant"), rec.get("claimant_type"))  # all _claimant_entity reads
            if who not in claimants:
                claimants[who] = _claimant_entity(rec)
            _read(it, span, sent_ents, _Ctx(it, doc, ws, claimants[who], text, ents))
        out[rec["claim_id"]] = {"places": sorted(it.places),
                                "assertions": [_assertion_json(a) for a in it.assertions]}
    return out


def _assertion_json(a: Assertion) -> dict:
    d = {k: getattr(a, k) for k in Assertion.__slots__}
    d["topic"] = [a.topic.key, a.topic.name] if a.topic is not None else None
    return d


def _restore(it: Item, reading: dict) -> None:
    it.places = set(reading.get("places") or ())
    it.assertions = [Assertion(**{**a, "topic": Entity(*a["topic"]) if a.get("topic") else None})
                     for a in reading.get("assertions") or ()]


def _claimant_entity(rec: dict) -> Entity | None:
    name, kind = rec.get("claimant") or "", rec.get("claimant_type")
    if kind in ("author", "unnamed") or not name:
        return None
    if kind == "person":
        return _person(name)
    return _canon(name) or Entity("org:" + name.lower(), name)


# --------------------------------------------------------------------------- entities


def _surname(name: str) -> str:
    words = re.findall(r"[\w'’-]+", name.lower())
    last = re.sub(r"['’]s$", "", words[-1]) if words else name.lower()
    return re.sub(r"^(al|el|ad|as|ash|an|ar|at|az)-", "", last)


def _person(name: str) -> Entity:
    return Entity("person:" + _surname(name), name)


def _actor_entity(actor) -> Entity:
    if actor.country and actor.kind in ("state", "government", "country"):
        return Entity("iso:" + actor.country, country_name(actor.country) or actor.name)
    return Entity("actor:" + actor.name.lower(), actor.name)


def _canon(text: str, label: str | None = None) -> Entity | None:
    """A canonical entity for a name: the actor dictionary, demonyms, persons, places."""
    text = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I).strip(" ,.;:'\"’‘“”")
    if not text:
        return None
    raw = dictionary().get(alias_key(text))
    if raw is not None and PLACEHOLDER not in raw.name:
        return _actor_entity(lookup(text) or raw)
    from sitroom.extract.claims import lexicon as claims_lexicon

    demonyms = claims_lexicon().demonyms
    if text.lower() in demonyms:
        country = lookup(demonyms[text.lower()])
        return _actor_entity(country) if country else Entity("place:" + text.lower(), demonyms[text.lower()])
    if label == "PERSON":
        return _person(text)
    if label in ("GPE", "LOC", "FAC"):
        country = dictionary().get(alias_key(text))
        if country is not None and country.kind == "country":
            return _actor_entity(country)
        return Entity("place:" + text.lower(), text)
    if label in ("ORG", "NORP"):
        return Entity("org:" + text.lower(), text)
    return None


def _phrase(tok: Token, drop_clauses: bool = True) -> str:
    """The words of a noun phrase without its clauses, appositions and leading article."""
    skip = {t.i for c in tok.children if drop_clauses and c.dep_ in ("relcl", "acl", "appos", "punct")
            for t in c.subtree}
    words = [t for t in tok.subtree if t.i not in skip]
    s = "".join(t.text_with_ws for t in words).strip()
    return re.sub(r"^(the|a|an)\s+", "", s, flags=re.I)


def _ent_of(tok: Token, ctx: _Ctx):
    return next((e for e in ctx.ents if e.start <= tok.i < e.end), None)


def _antecedent(tok: Token, ctx: _Ctx, labels: Iterable[str], kinds: Iterable[str] = (),
                article: str = "") -> Entity | None:
    """The entity named before ``tok`` with one of ``labels`` (and of one of ``kinds``) that the
    article names most often (the nearest of those): "the town" is the town the story is about."""
    labels, kinds = set(labels), set(kinds)
    persons = {e[-1].text for e in ctx.ents if e.label_ == "PERSON"}
    best, best_count = None, -1
    for ent in reversed([e for e in ctx.ents if e.end <= tok.i and e.label_ in labels]):
        if ent.label_ == "ORG" and (ent.text in persons or not ent.text[:1].isupper()):
            continue  # a surname or a common word the tagger took for an organisation
        found = _canon(ent.text, ent.label_)
        if found is None or (kinds and found.kind not in kinds):
            continue
        count = len(re.findall(r"(?<!\w)" + re.escape(ent.text) + r"(?!\w)", article)) if article else 0
        if count > best_count:
            best, best_count = found, count
        if not article:
            break
    return best


def _entity(tok: Token | None, ctx: _Ctx, depth: int = 0, generic: bool = False) -> Entity | None:
    """The canonical entity a noun phrase (given by its head) stands for, or None. With ``generic``,
    a class of actor the dictionary knows ("armed bandits", "gunmen") also counts (doers may be
    unnamed); themes need a name."""
    if tok is None or depth > 4:
        return None
    lx = lexicon()
    low, lem = tok.lower_, tok.lemma_.lower()
    kids = list(tok.children)
    if low in ("they", "we", "them", "us") and ctx.claimant is not None and ctx.claimant.kind in ("iso", "actor", "org"):
        return ctx.claimant  # "the group said they had nothing to do with it"
    if low in ("he", "she", "him", "her"):
        if ctx.claimant is not None and ctx.claimant.kind == "person" and tok.i < _first_ent_end(ctx, "PERSON"):
            return ctx.claimant
        return _antecedent(tok, ctx, ["PERSON"]) or (ctx.claimant if ctx.claimant and ctx.claimant.kind == "person"
                                                else None)
    if tok.pos_ == "PRON":
        return None
    # "its forces", "their fighters", "his men": the owner speaks for them
    owner = next((c for c in kids if c.dep_ == "poss"), None)
    proper = next((c for c in kids if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    demonym = next((c for c in kids if c.dep_ in ("amod", "compound") and _canon(c.text) is not None
                    and c.pos_ in ("ADJ", "PROPN", "NOUN")), None)
    by = next((c for c in kids if c.dep_ in ("prep", "agent") and c.lower_ == "by"), None)
    of = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "of"), None)
    inside = next((c for c in kids if c.dep_ == "prep" and c.lower_ in ("in", "of")), None)
    if lem in lx["instrument_heads"] or lem in lx["member_heads"]:
        if by is not None and (p := _pobj(by)) is not None:
            return _entity(p, ctx, depth + 1, generic)
        full = _canon(_phrase(tok))
        if full is not None:
            return full
        if proper is not None and (e := _canon(proper.text, proper.ent_type_ or "ORG")) is not None:
            return e
        if demonym is not None:
            return _canon(demonym.text)
        if lem in lx["member_heads"] and of is not None and (p := _pobj(of)) is not None:
            return _entity(p, ctx, depth + 1, generic)
        if owner is not None:
            if owner.lower_ in ("its", "their", "our") and ctx.claimant is not None:
                return ctx.claimant
            if owner.lower_ in ("his", "her"):
                return _entity_of_pronoun_owner(owner, ctx)
            return _entity(owner, ctx, depth + 1, generic)
        return None
    if lem in lx["part_heads"] and inside is not None and (p := _pobj(inside)) is not None:
        return _entity(p, ctx, depth + 1, generic)
    ent = _ent_of(tok, ctx)
    if ent is not None and ent.label_ in ("PERSON", "GPE", "LOC", "FAC", "ORG", "NORP") and len(ent) <= 6 \
            and not any(t.like_num for t in ent):
        return _canon(ent.text, ent.label_) or _canon(_phrase(tok))
    found = _canon(_phrase(tok))
    if found is not None:
        return found
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in kids)
    if lem in lx["place_nouns"] and definite:
        return _antecedent(tok, ctx, ["GPE", "LOC", "FAC"], ["place"], ctx.article)  # "the city": not a country
    if lem in lx["group_nouns"] and definite:
        return _antecedent(tok, ctx, ["ORG", "NORP"], ["actor", "org"], ctx.article)
    if generic and (raw := dictionary().get(alias_key(_phrase(tok))) or dictionary().get(alias_key(tok.text))):
        if raw.kind not in ("civilians", "country"):
            name = re.sub(r"\s*\(\{country\}\)|\s*of \{country\}", "", raw.name)
            return Entity("actor:" + name.lower(), _phrase(tok))
    if lem in lx["local_nouns"]:
        return Entity(f"local:{ctx.item.rec['doc_id']}:{lem}", "the " + lem)
    if tok.pos_ == "NOUN":
        return Entity(f"thing:{ctx.item.rec['doc_id']}:{lem}", _phrase(tok, drop_clauses=True))
    return None


def _first_ent_end(ctx: _Ctx, label: str) -> int:
    """Where the first entity of ``label`` in the window ends (pronouns before it are the claimant's)."""
    return next((e.end for e in ctx.ents if e.label_ == label), 10**9)


def _entity_of_pronoun_owner(owner: Token, ctx: _Ctx) -> Entity | None:
    if ctx.claimant is not None and ctx.claimant.kind == "person":
        return ctx.claimant
    return _antecedent(owner, ctx, ["PERSON"])


def _pobj(prep: Token | None) -> Token | None:
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None


# --------------------------------------------------------------------------- predicates


def _phrase_lemma(tok: Token) -> str:
    prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
    return f"{tok.lemma_.lower()} {prt}" if prt else tok.lemma_.lower()


def _forms(tok: Token) -> list[str]:
    """The lemmas a predicate may be listed under: with its particle, plain, and the verb of a
    participle the tagger took for an adjective ("encircled" → encircle, "trapped" → trap)."""
    lem = tok.lemma_.lower()
    forms = [_phrase_lemma(tok), lem]
    if lem.endswith("ed") and len(lem) > 4:
        forms += [lem[:-1], lem[:-2]] + ([lem[:-3]] if lem[-3] == lem[-4] else [])
    return list(dict.fromkeys(forms))


def _predicates(root: Token, span) -> list[Token]:
    """The main predicates of a proposition: its root, what it coordinates and its complements —
    not what is said inside its subordinate clauses."""
    out, stack = [], [root]
    while stack:
        t = stack.pop()
        if t in out or not (span.start <= t.i < span.end):
            continue
        out.append(t)
        for c in t.children:
            if c.dep_ in ("conj", "xcomp", "acomp", "attr", "oprd"):
                stack.append(c)
            elif c.dep_ == "amod" and t.pos_ in ("NOUN", "PROPN"):
                stack.append(c)
            elif c.dep_ == "advcl" and any(m.dep_ in ("mark", "advmod") and m.lower_ in ("when", "as", "after")
                                           for m in c.children):
                stack.append(c)
            elif c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children) and any(
                    s.lower_ == "it" and s.dep_ in ("nsubj", "expl") for s in _clause_subjects(t)):
                stack.append(c)  # "it is likely that P": P is the proposition
    return sorted(out, key=lambda t: t.i)


def _clause_subjects(t: Token) -> list[Token]:
    head = t.head if t.dep_ in ("acomp", "attr") else t
    return [c for c in head.children if c.dep_ in ("nsubj", "expl")]


def _passive(v: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children) or (v.tag_ == "VBN" and v.dep_ == "acl")


def _subject(v: Token) -> Token | None:
    """The subject of a verb, inherited along a coordination; for a predicate adjective, its copula's."""
    t = v
    for _ in range(4):
        s = next((c for c in t.children if c.dep_ in SUBJ), None)
        if s is not None:
            return s
        if t.dep_ in ("conj", "acomp", "attr", "oprd", "xcomp") and t.head is not t:
            t = t.head
            continue
        return None
    return None


def _object(v: Token) -> Token | None:
    """What a verb acts on: its object, or the subject of a passive (which the parser sometimes hangs
    on the auxiliary: "its troops were encircled")."""
    if _passive(v):
        for t in [v, *(c for c in v.children if c.dep_ == "auxpass")]:
            found = next((c for c in t.children if c.dep_ in ("nsubjpass", "nsubj")), None)
            if found is not None:
                return found
        if v.dep_ == "acl" and not any(c.dep_ == "mark" for c in v.children):
            return v.head  # "an attack claimed by X"
        return None
    return next((c for c in v.children if c.dep_ == "dobj"), None)


def _negated(t: Token) -> bool:
    heads = [t] + ([t.head] if t.dep_ in ("acomp", "attr", "oprd") else [])
    for h in heads:
        for c in h.children:
            if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never"):
                return True
            if c.dep_ in ("dobj", "nsubj", "attr") and (c.lower_ in ("nothing", "none", "nobody", "no") or any(
                    d.dep_ == "det" and d.lower_ == "no" for d in c.children)):
                return True
    return False


def _cue_negative(rec: dict) -> bool:
    cue = (rec.get("cue") or "").lower().split()
    return bool(cue) and cue[0].startswith(NEG_CUES)


def _statement(p: Token, span, drop: Iterable[Token] = ()) -> str:
    """A predicate as a short statement: "killed in an air strike", "alive", "taken full control of X"."""
    lx = lexicon()
    dropped = {t.i for d in drop for t in d.subtree}
    for c in p.children:
        if c.dep_ in ("nsubj", "nsubjpass", "expl", "aux", "auxpass", "neg", "mark", "cc", "conj", "relcl",
                      "advcl", "ccomp", "parataxis", "punct") or (c.dep_ in ("advmod", "npadvmod")
                                                                   and c.lower_ in lx["statement_drop"]):
            dropped.update(x.i for x in c.subtree)
    keep = [t for t in p.subtree if t.i not in dropped and span.start <= t.i < span.end
            and not (t.dep_ in ("advmod", "npadvmod") and t.lower_ in lx["statement_drop"])]
    if not keep:
        return p.text
    words = ""
    for k, t in enumerate(keep):
        gap = k and keep[k - 1].i + 1 != t.i and not t.is_punct
        words += (" " if gap and not words.endswith(" ") else "") + t.text_with_ws
    words = words.strip()
    words = re.split(r"\s*[,;:–—(]\s*|\s+-\s+", words)[0]
    return words.strip(" .\"'“”’")


def _assertions(span, ctx: _Ctx) -> list[Assertion]:
    lx = lexicon()
    root = span.root
    flip = _cue_negative(ctx.item.rec)
    out: list[Assertion] = []
    out += _responsibility(root, span, ctx, flip)
    for p in _predicates(root, span):
        sign = -1 if _negated(p) != flip else 1
        senses = [sense for form in _forms(p) for sense in lx["words"].get(form, [])]
        for frame, pole, role in senses:
            theme_tok = _theme(p, role)
            theme = _entity(theme_tok, ctx)
            if theme is None or theme.kind not in THEMES[frame]:
                continue
            if frame == "life" and p.pos_ == "VERB" and role == "subject" and theme_tok is not None \
                    and theme_tok.dep_ != "nsubj":
                continue
            out.append(Assertion("state", frame, theme, pole, pole, sign, _statement(p, span)))
        if any(form in lx["acts"] for form in _forms(p)):
            if (a := _act(p, span, ctx, sign)) is not None:
                out.append(a)
    return out


def _theme(p: Token, role: str) -> Token | None:
    if role == "from":
        prep = next((c for c in p.children if c.dep_ == "prep" and c.lower_ == "from"), None)
        return _pobj(prep)
    if p.pos_ in ("NOUN", "PROPN"):  # "his death", "the killing of X"
        poss = next((c for c in p.children if c.dep_ == "poss"), None)
        of = next((c for c in p.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        return poss if poss is not None else _pobj(of)
    if p.pos_ == "ADJ" or p.dep_ in ("acomp", "attr", "oprd"):
        if p.dep_ == "amod":
            return p.head
        return _subject(p)
    if role == "patient":
        return _object(p) or (_object(p.head) if p.dep_ == "conj" and _passive(p.head) else None)
    return _subject(p) if not _passive(p) else None


def _act(p: Token, span, ctx: _Ctx, sign: int) -> Assertion | None:
    """Who did an act: the subject of an active verb, the "by" object of a passive one."""
    if _passive(p):
        agent = next((c for c in p.children if c.dep_ == "agent"), None)
        doer = _pobj(agent)
    else:
        doer = _subject(p)
    who = _entity(doer, ctx, generic=True)
    if who is None or who.kind in ("thing", "local", "place"):
        return None
    target = _object(p)
    return Assertion("agent", "act", None, who.key, who.name, sign, patient=_target(target), verb=p.text)


def _target(tok: Token | None) -> str:
    if tok is None or tok.pos_ == "PRON":
        return ""
    return _phrase(tok)


def _responsibility(root: Token, span, ctx: _Ctx, flip: bool) -> list[Assertion]:
    """'X claimed responsibility for Y', 'X claimed the attack', 'blamed Y on X', 'accused X of Y-ing',
    'X had nothing to do with Y', 'X was behind Y'."""
    lx = lexicon()
    lem = root.lemma_.lower()
    kids = list(root.children)
    obj = next((c for c in kids if c.dep_ == "dobj"), None)
    if lem == "claim" and obj is not None and ctx.claimant is not None and (
            obj.lemma_.lower() in lx["responsibility_objects"] or obj.lemma_.lower() in lx["incident_nouns"]):
        prep = next((c for c in [*kids, *obj.children] if c.dep_ == "prep" and c.lower_ == "for"), None)
        target = _pobj(prep) if obj.lemma_.lower() in lx["responsibility_objects"] else obj
        return [Assertion("agent", "act", None, ctx.claimant.key, ctx.claimant.name, 1,
                          patient=_target(target), verb="carried out")]
    if lem == "blame" and obj is not None:
        on = next((c for c in [*kids, *obj.children] if c.dep_ == "prep" and c.lower_ == "on"), None)
        who = _entity(_pobj(on), ctx, generic=True)
        if who is not None and who.kind not in ("thing", "local", "place"):
            return [Assertion("agent", "act", None, who.key, who.name, 1, patient=_target(obj), verb="carried out")]
    if lem == "accuse" and obj is not None:
        of = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "of"), None)
        act = _pobj(of)
        who = _entity(obj, ctx, generic=True)
        if act is not None and who is not None and act.lemma_.lower() in lx["acts"] | {"stage", "carry"}:
            return [Assertion("agent", "act", None, who.key, who.name, 1, patient=_target(_object(act)),
                              verb=act.text)]
    # "had nothing to do with Y"
    if lem == "have" and obj is not None and obj.lower_ in ("nothing", "anything"):
        with_ = next((t for t in obj.subtree if t.dep_ == "prep" and t.lower_ == "with"), None)
        who = _entity(_subject(root), ctx, generic=True)
        if with_ is not None and who is not None and who.kind not in ("thing", "local", "place"):
            sign = -1 if (obj.lower_ == "nothing" or _negated(root)) != flip else 1
            return [Assertion("agent", "act", None, who.key, who.name, sign, patient=_target(_pobj(with_)),
                              verb="carried out")]
    if lem == "be":
        pred = next((c for c in kids if c.dep_ in ("prep", "acomp") and c.lower_ in ("behind", "responsible")), None)
        who = _entity(_subject(root), ctx, generic=True)
        if pred is not None and who is not None and who.kind not in ("thing", "local", "place"):
            sign = -1 if _negated(root) != flip else 1
            target = _pobj(pred) if pred.lower_ == "behind" else _pobj(
                next((c for c in pred.children if c.dep_ == "prep" and c.lower_ == "for"), None))
            return [Assertion("agent", "act", None, who.key, who.name, sign, patient=_target(target),
                              verb="carried out")]
    return []


# --------------------------------------------------------------------------- similarity


_VECTORS: dict[tuple[str, str], np.ndarray] = {}  # (encoder, text) → unit vector, kept across calls


class Similarity:
    """Cosine similarity of claims' texts, embedding each text once (in batches, on demand)."""

    def __init__(self, encoder):
        self.encoder = encoder
        self.same, self.related = encoder.same, encoder.related

    def prepare(self, items: Iterable[Item]) -> None:
        texts = list(dict.fromkeys(it.rec.get("text") or "" for it in items))
        todo = [t for t in texts if (self.encoder.name, t) not in _VECTORS]
        if todo:
            if len(_VECTORS) > 200_000:
                _VECTORS.clear()
            for t, v in zip(todo, self.encoder.encode(todo)):
                _VECTORS[(self.encoder.name, t)] = v

    def __call__(self, a: Item, b: Item) -> float:
        self.prepare([a, b])
        va = _VECTORS[(self.encoder.name, a.rec.get("text") or "")]
        vb = _VECTORS[(self.encoder.name, b.rec.get("text") or "")]
        return float(va @ vb)


@functools.lru_cache(maxsize=1)
def _bearing_words() -> re.Pattern[str]:
    """Word beginnings of every predicate the questions read: a claim without one is not parsed."""
    lx = lexicon()
    words = set(lx["words"]) | lx["acts"] | lx["responsibility_objects"] | {"claim", "blame", "accus", "nothing",
                                                                             "behind", "responsib"}
    stems = {w.split()[0][:4] if len(w.split()[0]) > 4 else w.split()[0] for w in words}
    stems |= set(lx["irregular_forms"])
    return re.compile(r"\b(?:" + _trie_regex(stems) + r")", re.IGNORECASE)


def _trie_regex(words: Iterable[str]) -> str:
    """A regex matching exactly ``words``, with shared beginnings factored out ("bl(?:am|ew|ow(?:n)?)"
    for blam, blew, blow, blown): the same matches as "blam|blew|blow|blown", found ~3x faster,
    since each character of the text is compared once per branch point, not once per word."""
    tree: dict[str, dict] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


def _may_bear(text: str) -> bool:
    return bool(_bearing_words().search(text))


# --------------------------------------------------------------------------- questions


@dataclass
class Question:
    key: str
    text: str
    members: list[tuple[Item, Assertion]]
    names: dict[str, str]  # answer key → statement

    def __post_init__(self) -> None:
        """A claimant does not compete with itself: the answers one claimant asserts in one question
        ("Shekau claimed the abduction", "the group's fighters carried it out") are one answer."""
        first: dict[str, str] = {}
        alias: dict[str, str] = {}
        ranked = sorted(self.members, key=lambda m: (m[1].sign < 0, m[0].date or dt.date.max, m[0].order))
        for it, a in ranked:
            if a.sign < 0:
                continue
            who = (it.rec.get("claimant") or "").lower()
            ans = alias.get(a.answer, a.answer)
            if who in first and first[who] != ans and who not in ("author", "unnamed reports"):
                alias[ans] = first[who]
            else:
                first.setdefault(who, ans)
        if alias:
            for _, a in self.members:
                while a.answer in alias:
                    a.answer = alias[a.answer]

    def answers(self) -> list[str]:
        seen: list[str] = []
        for _, a in sorted(self.members, key=lambda m: (m[1].sign < 0, m[0].date or dt.date.max, m[0].order)):
            if a.answer not in seen:
                seen.append(a.answer)
        return seen

    def contested(self) -> bool:
        answers = {a.answer for _, a in self.members}
        if len(answers) >= 2 and any(a.sign > 0 for _, a in self.members):
            return True
        return any({a.sign for _, a in self.members if a.answer == ans} == {1, -1} for ans in answers)

    def records(self, links: dict[str, str | None]) -> list[dict]:
        answers = self.answers()
        ids = {ans: stable_id("hy", self.key, ans) for ans in answers}
        for it, a in self.members:
            if links.get(it.id) is None:
                links[it.id] = ids[a.answer]
        out = []
        for ans in answers:
            pro = [it for it, a in self.members if a.answer == ans and a.sign > 0]
            con = [it for it, a in self.members if (a.answer == ans and a.sign < 0) or (a.answer != ans and a.sign > 0)]
            dated = [it.date for it in (pro or [it for it, a in self.members if a.answer == ans]) if it.date]
            out.append({
                "schema_version": SCHEMA_VERSION,
                "hypothesis_id": ids[ans],
                "question": self.text,
                "statement": self.names[ans],
                "claims_for": _ids(pro),
                "claims_against": _ids(con),
                "sources_for": _sources(pro),
                "sources_against": _sources(con),
                "first_seen": min(dated).isoformat() if dated else None,
                "last_seen": max(dated).isoformat() if dated else None,
                "question_id": stable_id("hq", self.key),
            })
        return out


def _ids(items: list[Item]) -> list[str]:
    return list(dict.fromkeys(it.id for it in sorted(items, key=lambda i: (i.date or dt.date.max, i.order))))


def _sources(items: list[Item]) -> list[str]:
    return list(dict.fromkeys(it.source for it in sorted(items, key=lambda i: (i.date or dt.date.max, i.order))))


def _statement_names(members: list[tuple[Item, Assertion]], use_phrase: bool) -> dict[str, str]:
    names: dict[str, str] = {}
    ranked = sorted(members, key=lambda m: (m[1].sign < 0, m[0].date or dt.date.max, m[0].order))
    for _, a in ranked:
        if a.answer not in names:
            names[a.answer] = (a.phrase or a.answer_name) if use_phrase else a.answer_name
    return names


def _state_questions(items: list[Item]) -> list[Question]:
    lx = lexicon()
    groups: dict[tuple[str, str], list[tuple[Item, Assertion]]] = defaultdict(list)
    for it in items:
        for a in it.assertions:
            if a.kind == "state" and a.topic is not None:
                groups[(a.frame, a.topic.key)].append((it, a))
    out = []
    for (frame, theme_key), members in groups.items():
        # one assertion per claim and frame: the first
        seen, kept = set(), []
        for it, a in members:
            if it.id not in seen:
                seen.add(it.id)
                kept.append((it, a))
        names = [a.topic.name for _, a in kept]
        theme = max(names, key=len) if kept[0][1].topic.kind == "person" else names[0]
        text = lx["oppositions"][frame]["question"].format(theme=theme)
        q = Question(f"state|{frame}|{theme_key}", text, kept, _statement_names(kept, use_phrase=True))
        if q.contested():
            out.append(q)
    return out


def _agent_questions(items: list[Item], events: Sequence[dict], sim: Similarity) -> list[Question]:
    """Doers of one incident. The incident of a claim is its event (events of the same type, place and
    dates in different articles are one), else its article and target."""
    by_id = {e["event_id"]: e for e in events}
    same_incident = _incident_merger(events)
    main = _main_events(events)
    members = [(it, a) for it in items for a in it.assertions if a.kind == "agent"]
    if not members:
        return []
    sim.prepare(it for it, _ in members)
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def incident(it: Item, a: Assertion) -> str | None:
        """The incident an act is about: the article's main event when the claim names the act only
        vaguely ("claimed responsibility", "the attack", "blew it up"), else the event it is linked to."""
        ev = it.rec.get("event_id")
        if _vague(a.patient):
            ev = main.get(it.rec["doc_id"], ev)
        return same_incident.get(ev, ev) if ev else None

    def joined(i: int, j: int) -> bool:
        """Are two acts, one of them (at least) of no known incident, one?"""
        (it, a), (jt, b) = members[i], members[j]
        if it.id == jt.id:
            return False
        if it.rec["doc_id"] == jt.rec["doc_id"]:
            return _same_target(a.patient, b.patient) or sim(it, jt) >= sim.related
        close = it.date is None or jt.date is None or abs((it.date - jt.date).days) <= 14
        return close and _same_target(a.patient, b.patient) and (
            bool(it.places & jt.places) or sim(it, jt) >= sim.related)

    # two acts that both have an incident are one when the incident is: joined through a table of
    # incidents; only acts of no known incident are compared with every other act (the groups are
    # the connected components either way, whatever the order of the joins)
    incidents = [incident(it, a) for it, a in members]
    of_incident: dict[str, list[int]] = defaultdict(list)
    for i, ev in enumerate(incidents):
        if ev:
            of_incident[ev].append(i)
    for group in of_incident.values():
        # two acts of one claim are never joined directly: one incident's acts are one group only
        # when they come from two claims or more (each then meets an act of another claim)
        if len({members[i][0].id for i in group}) > 1:
            for i in group[1:]:
                parent[find(i)] = find(group[0])
    for i, ev in enumerate(incidents):
        if not ev:
            for j in range(len(members)):
                if j != i and joined(i, j):
                    parent[find(i)] = find(j)
    clusters: dict[int, list[tuple[Item, Assertion]]] = defaultdict(list)
    for i, m in enumerate(members):
        clusters[find(i)].append(m)
    out = []
    for group in clusters.values():
        seen, kept = set(), []
        for it, a in group:
            if (it.id, a.answer) not in seen and it.id not in {x.id for x, _ in kept}:
                seen.add((it.id, a.answer))
                kept.append((it, a))
        votes = defaultdict(int)
        for it, a in kept:
            if (ev := incident(it, a)) is not None:
                votes[ev] += 1
        key_events = sorted(votes, key=lambda e: (-votes[e], e))
        key = "agent|" + (key_events[0] if key_events else min(it.id for it, _ in kept))
        text = _agent_question_text(kept, [by_id[e] for e in key_events if e in by_id])
        q = Question(key, text, kept, _statement_names(kept, use_phrase=False))
        if q.contested():
            out.append(q)
    return out


def _vague(patient: str) -> bool:
    """No target, or only the incident itself ("the attack", "the abduction of the boys")."""
    if not patient:
        return True
    words = re.findall(r"[a-z]+", patient.lower())
    head = next((w for w in words if w not in ("the", "a", "an", "this", "that", "such")), "")
    return head in lexicon()["incident_nouns"]


def _main_events(events: Sequence[dict]) -> dict[str, str]:
    """Each article's main event: the one its text reports most often (then the first told)."""
    best: dict[str, tuple] = {}
    for e in events:
        if e.get("modality") in ("hypothetical", "negated"):
            continue
        per_doc: dict[str, list[int]] = defaultdict(list)
        for ev in e.get("evidence") or []:
            per_doc[ev["doc_id"]].append(ev.get("start") or 0)
        for doc_id, starts in per_doc.items():
            rank = (-len(starts), min(starts), e["event_id"])
            if doc_id not in best or rank < best[doc_id][0]:
                best[doc_id] = (rank, e["event_id"])
    return {doc_id: v[1] for doc_id, v in best.items()}


def _same_target(a: str, b: str) -> bool:
    if not a or not b:
        return False
    wa, wb = set(re.findall(r"[a-z]{3,}", a.lower())), set(re.findall(r"[a-z]{3,}", b.lower()))
    incident = lexicon()["incident_nouns"]
    return bool((wa & wb) - {"the"}) or bool(wa & incident and wb & incident)


def _incident_merger(events: Sequence[dict]) -> dict[str, str]:
    """Events of different articles that are one incident: the same event type, the same place (name or
    within 25 km) and overlapping dates. Maps each event_id to the first of its group."""
    out: dict[str, str] = {}
    evs = sorted(events, key=lambda e: e["event_id"])
    later = _dated_alike(evs)
    for i, e in enumerate(evs):
        if e["event_id"] in out:
            continue
        out[e["event_id"]] = e["event_id"]
        for k in later(i):
            f = evs[k]
            if f["event_id"] not in out and _same_event(e, f):
                out[f["event_id"]] = e["event_id"]
    return out


def _dated_alike(evs: Sequence[dict]):
    """``later(i)``: the positions after ``i``, in order, of the events that ``_same_event`` may join
    with ``evs[i]``: of its type, dated, and starting between its start less the widest interval of
    that type and its end. A store's events are not all compared with each other."""
    joinable = [bool(e.get("date_start")) and e.get("modality") != "hypothetical" for e in evs]
    spans: list = [None] * len(evs)
    by_type: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    odd: dict[str, list[int]] = defaultdict(list)  # dates that are not days: compared with every event
    widest: dict[str, int] = defaultdict(int)
    for k, e in enumerate(evs):
        if not joinable[k]:
            continue
        # (a day read from a longer date string keeps its order: the index still finds a superset)
        start, end = _as_date(e["date_start"]), _as_date(e.get("date_end") or e["date_start"])
        if start is None or end is None:
            odd[e["event_type"]].append(k)
            continue
        spans[k] = sp = (start, end)
        by_type[e["event_type"]].append((sp[0], k))
        widest[e["event_type"]] = max(widest[e["event_type"]], (sp[1] - sp[0]).days)
    for rows in by_type.values():
        rows.sort()
    starts = {t: [d for d, _ in rows] for t, rows in by_type.items()}

    def later(i: int) -> list[int]:
        if not joinable[i]:
            return []  # undated or hypothetical: joins nothing
        t, sp = evs[i]["event_type"], spans[i]
        if sp is None:  # a date that is not a day: every later event of the type
            return [k for k in range(i + 1, len(evs)) if joinable[k] and evs[k]["event_type"] == t]
        lo = bisect.bisect_left(starts[t], sp[0] - dt.timedelta(days=widest[t]))
        hi = bisect.bisect_right(starts[t], sp[1])
        return sorted([k for _, k in by_type[t][lo:hi] if k > i] + [k for k in odd.get(t, ()) if k > i])

    return later


def _same_event(e: dict, f: dict) -> bool:
    if e["event_type"] != f["event_type"] or e.get("modality") == "hypothetical" or f.get("modality") == "hypothetical":
        return False
    same_place = bool(e.get("location")) and (e.get("location") or "").lower() == (f.get("location") or "").lower()
    if not same_place and None not in (e.get("latitude"), f.get("latitude")):
        dlat = (e["latitude"] - f["latitude"]) * 111.0
        dlon = (e["longitude"] - f["longitude"]) * 111.0 * np.cos(np.radians(e["latitude"]))
        same_place = (dlat * dlat + dlon * dlon) ** 0.5 <= 25.0
    if not same_place:
        return False
    if e.get("date_start") and f.get("date_start"):
        return e["date_start"] <= (f.get("date_end") or f["date_start"]) and f["date_start"] <= (
            e.get("date_end") or e["date_start"])
    return False


def _agent_question_text(kept: list[tuple[Item, Assertion]], events: list[dict]) -> str:
    lx = lexicon()
    if events:
        e = events[0]
        noun = lx["incident_names"].get(e["sub_event_type"], e["sub_event_type"].lower())
        where = f" in {e['location']}" if e.get("location") else ""
        when = f" on {e['event_date']}" if e.get("event_date") else ""
        return f"Who carried out the {noun}{where}{when}?"
    ranked = sorted(kept, key=lambda m: (m[1].sign < 0, not m[1].patient, m[0].date or dt.date.max, m[0].order))
    it, a = ranked[0]
    verb = a.verb if a.verb and a.verb.lower().endswith(("ed", "t", "k", "d")) else "carried out"
    return f"Who {verb} {a.patient}?" if a.patient else "Who did it?"


def _fact_questions(items: list[Item], sim: Similarity) -> list[Question]:
    """A denial and an assertion of the same proposition by different claimants (only claims that
    share content words with the denial are compared by their embeddings)."""
    from sitroom.resolve.embeddings import content_words

    words = {it.id: set(content_words(it.rec.get("text") or "")) for it in items}
    denials = [it for it in items if it.rec.get("polarity") == "negative" and words[it.id]]
    assertions = [it for it in items if it.rec.get("polarity") != "negative"]

    def near(a: Item, b: Item) -> bool:
        shared = words[a.id] & words[b.id]
        return len(shared) >= 2 and len(shared) / max(1, min(len(words[a.id]), len(words[b.id]))) >= 0.3

    def index(group: list[Item]) -> dict[str, list[int]]:
        """word → the positions in ``group`` of the claims that have it"""
        where: dict[str, list[int]] = defaultdict(list)
        for k, it in enumerate(group):
            for w in words[it.id]:
                where[w].append(k)
        return where

    def sharing(d: Item, group: list[Item], where: dict[str, list[int]]) -> list[Item]:
        """The claims of ``group`` (in its order) with two or more of ``d``'s words: the only ones
        ``near`` can accept, found without comparing ``d`` with every claim of the store."""
        counts: dict[int, int] = defaultdict(int)
        for w in words[d.id]:
            for k in where.get(w, ()):
                counts[k] += 1
        return [group[k] for k in sorted(k for k, n in counts.items() if n >= 2)]

    by_word_a, by_word_d = index(assertions), index(denials)
    out, used = [], set()
    for d in denials:
        if d.id in used:
            continue
        matches = [it for it in sharing(d, assertions, by_word_a) if it.id not in used and it.id != d.id
                   and it.rec.get("claimant") != d.rec.get("claimant") and near(it, d) and sim(it, d) >= sim.same]
        if not matches:
            continue
        group = [d, *matches]
        others = [x for x in sharing(d, denials, by_word_d) if x.id not in used and x.id != d.id and near(x, d)
                  and sim(x, d) >= sim.same]
        group += others
        used.update(x.id for x in group)
        text = matches[0].rec["text"].rstrip(" .")
        first = text.split(" ", 1)[0]
        if first.lower() in ("the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those", "some"):
            text = text[:1].lower() + text[1:]
        members = [(x, Assertion("fact", "fact", None, "yes", "yes", 1 if x.rec.get("polarity") != "negative" else -1))
                   for x in group]
        key = "fact|" + min(x.id for x in group)
        q = Question(key, f"Is it true that {text}?",
                     members, {"yes": text})
        if q.contested():
            out.append(q)
    return out
