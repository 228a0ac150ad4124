"""ACLED-coded events from one parsed article.

1. Triggers from ``lexicons/event_triggers.yaml`` (see :mod:`sitroom.extract.matching`).
2. Each trigger becomes a mention: actors from its dependency roles, sub-type re-picked from
   them (an attack on civilians vs on troops, a town taken by the state vs by rebels),
   casualty figures, place, time and modality (negated / claimed / hypothetical / asserted).
3. In a sentence, a trigger inside another's phrase is folded into the stronger one, and weak
   triggers (kill, die, shoot) only lend their figures when a stronger one is there.
4. In the article, mentions that restate an incident (same or compatible sub-type, no
   conflicting place, date or actor) become one event; restating words ("the attack",
   "the strike") add evidence only. Generic statements ("suicide bombing is a weapon") do not
   make events.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass, field

from sitroom.extract import matching
from sitroom.extract.actors import ARMED, Resolver, document_country, is_generic, sentence_country
from sitroom.model import SUB_TO_TYPE, Actor, EventMention, PlaceMention, Quantity, Span, TimeSpan
from sitroom.resolve import actors as dictionary

MAX_EVIDENCE = 700
SAME_PLACE_KM = 25  # two places closer than this are one place
TARGET_PREPS = ("with", "on", "at", "against")
LIKELY = ("likely", "possible", "poised", "due", "set")
TEMPORAL_PREPS = ("after", "following", "before", "since", "amid", "during", "ahead")
NOTE_CHARS = 200
LEVELS = {"strong": 0, "weak": 1, "restate": 2}
MODALITY_RANK = {"asserted": 0, "claimed": 1, "negated": 2, "hypothetical": 3}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]


@functools.lru_cache(maxsize=1)
def _lex() -> dict:
    return matching.lexicon().lex


@functools.lru_cache(maxsize=None)
def _set(*path: str) -> frozenset[str]:
    """A word list of the trigger lexicon (by its path of keys), lower case."""
    node = _lex()
    for p in path:
        node = node.get(p, {}) if isinstance(node, dict) else {}
    return frozenset(str(w).lower() for w in (node or []))


def _lemma(tok) -> str:
    return matching.lemma(tok)


# ---------------------------------------------------------------- mentions


@dataclass
class _Mention:
    hit: matching.Hit
    sub: str | None
    level: str
    trigger: object  # spaCy Token
    sentence: Span
    actor1: str | None = None
    actor2: str | None = None
    kind1: str | None = None
    kind2: str | None = None
    modality: str = "asserted"
    claimed_by: str | None = None
    place_key: frozenset[str] = frozenset()
    place: PlaceMention | None = None
    place_own: bool = False  # the place is in the trigger's own clause
    time: TimeSpan | None = None
    date_key: tuple | None = None
    figures: list[Quantity] = field(default_factory=list)
    generic: bool = False
    anaphoric: bool = False  # "the attack", "the fighting": first tried as a restatement
    separate: bool = False  # "Separately, ...": told as another incident
    published: dt.date | None = None
    into: tuple[str, ...] = ()

    @property
    def priority(self) -> int:
        return self.hit.rule.priority

    @property
    def event_type(self) -> str | None:
        return SUB_TO_TYPE.get(self.sub) if self.sub else None


@dataclass
class _Event:
    mentions: list[_Mention]

    @property
    def primary(self) -> _Mention:
        return min(self.mentions, key=lambda m: (LEVELS[m.level], -m.priority, MODALITY_RANK[m.modality],
                                                 m.hit.start))

    @property
    def sub(self) -> str:
        return self.primary.sub  # type: ignore[return-value]


class _Context:
    """What one article's extraction shares: the doc, its resolver, places, times, figures."""

    def __init__(self, doc, document, places, times, quantities) -> None:
        self.doc = doc
        self.document = document
        self.places = list(places or [])
        self.times = list(times or [])
        self.quantities = list(quantities or [])
        self.country = document_country(doc, self.places)
        self.resolver = Resolver(doc, self.country)
        lex = _lex()
        self.kinds = {k: frozenset(v) for k, v in lex.get("actor_kinds", {}).items()}
        self.targets = {k: frozenset(v) for k, v in lex.get("target_nouns", {}).items()}

    def sent_country(self, sent, place: PlaceMention | None) -> str | None:
        if place is not None and place.iso:
            return place.iso
        return sentence_country(sent) or self.country

    def is_actor(self, tok) -> bool:
        return self.resolver.np(tok) is not None

    def is_place(self, tok) -> bool:
        return tok.ent_type_ in ("GPE", "LOC", "FAC") or any(
            p.span.start <= tok.idx < p.span.end for p in self.places)

    @property
    def tests(self) -> matching.Tests:
        return matching.Tests(actor=self.is_actor, place=self.is_place)


# ---------------------------------------------------------------- evidence span


def _evidence(doc, trigger) -> Span:
    """The trigger's sentence, cut to its line (lists, headlines) and to ≤ 700 characters."""
    sent = trigger.sent
    text = doc.text
    start, end = sent.start_char, sent.end_char
    line_start = text.rfind("\n", 0, trigger.idx) + 1
    line_end = text.find("\n", trigger.idx)
    line_end = len(text) if line_end < 0 else line_end
    start, end = max(start, line_start), min(end, line_end)
    while start < end and text[start] in " \t-•*":
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start > MAX_EVIDENCE:
        mid = trigger.idx
        lo = max(start, mid - MAX_EVIDENCE // 2)
        hi = min(end, lo + MAX_EVIDENCE)
        lo = max(start, hi - MAX_EVIDENCE)
        # snap to word boundaries
        while lo > start and lo < hi and not text[lo - 1].isspace():
            lo += 1
        while hi < end and hi > lo and not text[hi].isspace():
            hi -= 1
        start, end = lo, hi
    return Span(start, end)


# ---------------------------------------------------------------- roles


def _clause_verb(tok):
    """The verb a noun trigger hangs on (through of/in/on phrases), or None."""
    node = tok
    for _ in range(5):
        if node.pos_ in ("VERB", "AUX") and node is not tok:
            return node
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _temporal(tok) -> bool:
    """Is a noun trigger inside a temporal phrase ("after three days of clashes")?"""
    return not _is_verb(tok) and any(a.dep_ == "prep" and a.lower_ in TEMPORAL_PREPS for a in tok.ancestors)


def _is_verb(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")


def _passive(tok) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children) or matching.reduced_passive(tok)


def _first_actor(ctx: _Context, toks, country):
    """The first token of ``toks`` that names an actor (else the first token, else None)."""
    toks = list(toks)
    return next((t for t in toks if ctx.resolver.actor(t, country) is not None), toks[0] if toks else None)


def _left_actor(ctx: _Context, tok, country):
    """For a broken parse: the nearest actor named before the trigger on its line, with no
    other verb in between."""
    line_start = ctx.doc.text.rfind("\n", 0, tok.idx) + 1
    for t in reversed(ctx.doc[tok.sent.start : tok.i]):
        if t.idx < line_start or (_is_verb(t) and t.dep_ not in ("aux", "auxpass")) or (
                t.is_punct and t.text not in ("'", "\u2019", "(", ")")):
            return None
        a = ctx.resolver.np(t, country) if t.pos_ in ("NOUN", "PROPN") else None
        if a is not None and a.kind not in ("country", "government", "civilians"):
            return t
    return None


def _roles(ctx: _Context, m: _Mention, country: str | None) -> tuple[object | None, object | None, list]:
    """(actor1 token, actor2 token, object tokens) from the dependency roles of the trigger."""
    tok = m.trigger
    a1 = a2 = None
    objs = matching.objects(tok)
    if _is_verb(tok):
        if _passive(tok):
            agents = [g for c in tok.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")
                      for g in c.children if g.dep_ == "pobj"]
            a1 = agents[0] if agents else None
            victims = [c for c in tok.children if c.dep_ == "nsubjpass"]
            if tok.dep_ in ("acl", "relcl", "amod") and not victims:
                victims = [tok.head]
            a2 = _first_actor(ctx, victims or objs, country)
        else:
            a1 = _first_actor(ctx, matching.subjects(tok), country)
            targets = list(objs)
            for o in (c for c in tok.children if c.dep_ == "dobj"):  # "opened fire on crowds"
                targets += [g for p in o.children if p.dep_ == "prep" and p.lower_ in ("on", "at", "against")
                            for g in p.children if g.dep_ == "pobj"]
            targets += [g for p in tok.children if p.dep_ == "prep" and p.lower_ in TARGET_PREPS
                        for g in p.children if g.dep_ == "pobj"]
            a2 = _first_actor(ctx, targets, country)
        if a1 is None or ctx.resolver.actor(a1, country) is None:
            a1 = _left_actor(ctx, tok, country) or a1
    else:  # a noun: "by X", X's, Russian ..., "on/against Y"; else the subject of the verb it hangs on
        while tok.dep_ == "compound" and tok.head.i != tok.i and tok.head.pos_ in ("NOUN", "PROPN"):
            tok = tok.head  # "suicide bomb attacks on troops": the roles hang on "attacks"
        for c in tok.children:
            if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < tok.i and a1 is None:
                if ctx.resolver.actor(c, country) is not None:
                    a1 = c
            if (c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")) and a1 is None:
                a1 = next((g for g in c.children if g.dep_ == "pobj"), None)
            if c.dep_ == "prep" and c.lower_ == "of" and _lemma(tok) in _set("of_is_agent") and a1 is None:
                a1 = next((g for g in c.children if g.dep_ == "pobj"), None)  # the withdrawal of X
                continue
            if c.dep_ == "prep" and c.lower_ in TARGET_PREPS + ("of", "between") and a2 is None:
                a2 = next((g for g in c.children if g.dep_ == "pobj"), None)
                if c.lower_ == "between" and a2 is not None:  # fighting between SAF and RSF
                    a1, a2 = a2, (a2.conjuncts[0] if a2.conjuncts else None)
        verb = _clause_verb(tok)
        if a1 is None and verb is not None:  # "clashes erupted between M23 and the army"
            for c in verb.children:
                if c.dep_ == "prep" and c.lower_ == "between":
                    a1 = next((g for g in c.children if g.dep_ == "pobj"), None)
                    a2 = a1.conjuncts[0] if a1 is not None and a1.conjuncts else a2
        if a1 is None:
            not_agent = _set("not_agent_verbs") | _set("modality", "report_verbs")
            if verb is not None and _lemma(verb) not in not_agent:
                subs = matching.subjects(verb)
                if subs and subs[0].i != tok.i and not subs[0].is_ancestor(tok):
                    a1 = subs[0]
    return a1, a2, objs


def _name(ctx: _Context, tok, country: str | None, event_type: str | None,
          victim: bool = False) -> tuple[str | None, str | None]:
    """Canonical name and kind of the side a token stands for. A country stands for its forces
    in violence and for its government elsewhere; a people hit ("killed 23 Palestinians") are
    that country's civilians."""
    if tok is None:
        return None, None
    a = ctx.resolver.actor(tok, country)
    if a is None:
        return None, None
    if victim and a.kind == "country" and tok.tag_ in ("NNS", "NNPS"):
        civ = dictionary.lookup("civilians", a.country)
        if civ is not None:
            return civ.name, civ.kind
    if a.kind in ("country", "government") and event_type not in ("Strategic developments", "Protests", None):
        mil = dictionary.lookup("military", a.country)  # "Russia struck..." → its forces
        if mil is not None:
            return mil.name, mil.kind
    if a.kind == "country":
        gov = dictionary.lookup("government", a.country)
        return (gov.name, gov.kind) if gov else (a.name, a.kind)
    return a.name, a.kind


def _target_class(ctx: _Context, kind: str | None, objs) -> str | None:
    """civilians / forces / protesters: what a violent act hit."""
    k = ctx.kinds
    if kind in k.get("protesters", ()) or kind in k.get("rioters", ()):
        return "protesters"
    if kind in k.get("civilians", ()):
        return "civilians"
    if kind in k.get("forces", ()):
        return "forces"
    for o in objs:
        lem = _lemma(o)
        for cls in ("protesters", "civilians", "forces"):
            if lem in ctx.targets.get(cls, ()):
                return cls
    return None


def _retype(ctx: _Context, m: _Mention, objs) -> None:
    """Re-pick the sub-type from the participants (the trigger's ``retype`` rule set)."""
    rule = m.hit.rule.retype
    if not rule or m.sub is None:
        return
    table = _lex().get("retype", {}).get(rule, {})
    k = ctx.kinds
    crowd = m.kind1 in k.get("protesters", ()) or m.kind1 in k.get("rioters", ())
    choice = None
    if rule == "target":
        cls = _target_class(ctx, m.kind2, objs)
        if cls == "protesters" and crowd:  # protesters hit police: a riot
            cls = None
        choice = table.get(cls) if cls else None
    elif rule == "storm":
        if crowd:
            choice = table.get("protesters")
        else:
            cls = _target_class(ctx, None, objs)
            choice = table.get("civilians_place") if cls == "civilians" else table.get(cls) if cls else None
            choice = choice or table.get("default")
    else:
        if crowd:
            choice = table.get("protesters")
        elif m.kind1 in k.get("state", ()):
            choice = table.get("state")
        elif m.kind1 in k.get("nonstate", ()):
            choice = table.get("nonstate")
        choice = choice or table.get("default")
    if choice and choice != "keep" and choice in SUB_TO_TYPE:
        m.sub = choice


def _crowd_first(m: _Mention, country: str | None) -> None:
    """ACLED's sides for protests: the crowd first, the force that met it second."""
    if m.sub not in set(_lex().get("crowd_first", [])):
        return
    crowd = ("protesters", "rioters")
    if m.kind1 not in crowd and m.kind2 in crowd:
        m.actor1, m.actor2, m.kind1, m.kind2 = m.actor2, m.actor1, m.kind2, m.kind1
    if m.kind1 not in crowd and m.kind1 is not None and m.sub != "Peaceful protest":
        m.actor2, m.kind2 = m.actor1, m.kind1
        m.actor1, m.kind1 = None, None
    if m.actor1 is None:
        a = dictionary.lookup("protesters", country)
        m.actor1, m.kind1 = (a.name, a.kind) if a else (None, None)


# ---------------------------------------------------------------- modality


def _speaker(ctx: _Context, verb, country) -> tuple[str | None, str | None]:
    """Who says it: the subject of a reporting verb (or the owner of 'claim'), canonical."""
    subs = [c for c in verb.children if c.dep_ in ("nsubj", "poss", "amod", "compound") and c.i < verb.i]
    if not subs and verb.dep_ in ("conj", "advcl", "xcomp"):
        subs = [c for c in verb.head.children if c.dep_ == "nsubj"]
    for s in subs:
        a = ctx.resolver.actor(s, country)
        if a is not None:
            return a.name, a.kind
        if s.pos_ == "PROPN" or s.ent_type_ in ("PERSON", "ORG"):
            ent = next((e for e in ctx.doc.ents if e.start <= s.i < e.end), None)
            return (ent.text if ent is not None else s.text), "person"
    return None, None


def _verb_chain(tok) -> list:
    """The verbs whose mood governs the trigger: its own verb, then up through conj/xcomp."""
    verb = tok if _is_verb(tok) else None
    if verb is None and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
        verb = _clause_verb(tok)
    chain = []
    while verb is not None and len(chain) < 5:
        chain.append(verb)
        if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    return chain


def _modality(ctx: _Context, m: _Mention, country) -> None:
    mod = _lex()["modality"]
    deny = set(mod["deny"])
    aux_h, verbs_h = set(mod["hypothetical_aux"]), set(mod["hypothetical_verbs"])
    mods_h = set(mod["hypothetical_mods"])
    cond, claim_v, claim_n = set(mod["conditional"]), set(mod["claim_verbs"]), set(mod["claim_nouns"])
    report, resp = set(mod["report_verbs"]), set(mod["responsibility"])
    claimant_kinds = set(mod["claimant_kinds"])
    tok = m.trigger
    chain = _verb_chain(tok)
    # the trigger's own words: "did not strike", "no attack", "an expected offensive", "could begin"
    own = list(tok.children) + (list(chain[0].children) if chain else [])
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no" and c.head.i == tok.i) for c in own):
        m.modality = "negated"
        return
    hypothetical = (
        any(_lemma(c) in mods_h for c in tok.children if c.dep_ == "amod")  # an expected offensive
        or any((c.dep_ == "aux" and c.lower_ in aux_h) or (c.dep_ == "mark" and c.lower_ in cond)
               for v in chain for c in v.children)  # could launch, if ... spreads
        or any(_lemma(v) in verbs_h or (_lemma(v) in LIKELY and v.pos_ == "ADJ") for v in chain[1:])
        or any(v.dep_ == "xcomp" and _lemma(v.head) in verbs_h | set(LIKELY) for v in chain)  # plans to
    )
    # up the tree: denials, claims, reports by a party
    node = tok
    for _ in range(10):
        if node.head.i == node.i:
            break
        child, node = node, node.head
        lem, via = _lemma(node), child.dep_
        if lem in deny and via in ("ccomp", "dobj", "xcomp", "pobj", "prep"):
            m.modality = "negated"
            return
        if lem in claim_v and _is_verb(node) and via in ("ccomp", "xcomp") and not any(
                _lemma(c) in resp for c in node.children):
            m.modality = "claimed"
            m.claimed_by = _speaker(ctx, node, country)[0]
            return
        if lem in claim_n and node.pos_ == "NOUN" and via in ("acl", "ccomp", "relcl"):
            m.modality = "claimed"
            m.claimed_by = _speaker(ctx, node, country)[0]
            return
        if lem in report and _is_verb(node) and via in ("ccomp", "xcomp"):
            name, kind = _speaker(ctx, node, country)
            if kind in claimant_kinds and not hypothetical and name in (m.actor1, m.actor2):
                m.modality = "claimed"
                m.claimed_by = name
                return
            break
    if hypothetical:
        m.modality = "hypothetical"


# ---------------------------------------------------------------- place, time, figures


def _attached(ctx: _Context, m: _Mention, start: int, end: int) -> bool:
    """Does the expression at characters [start, end) belong to the trigger's clause (not to
    the reporting verb: 'the army said on Tuesday that ...')?"""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    own = m.trigger if _is_verb(m.trigger) else _clause_verb(m.trigger)
    if _temporal(m.trigger):
        own = None  # "after three days of clashes": the clause's date is not the clashes'
    for c in (own, m.trigger):  # "December 2014, when gunmen stormed ..."
        if c is not None and c.dep_ in ("relcl", "acl", "advcl") and span.start <= c.head.i < span.end:
            return True
    node = span.root
    for _ in range(10):
        if node.i == m.trigger.i or (own is not None and node.i == own.i):
            return True
        if node is not span.root and _is_verb(node) and node.dep_ not in ("aux", "auxpass", "amod"):
            return False
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _near_clause(ctx: _Context, m: _Mention, start: int, end: int) -> bool:
    """Second choice for a date: one attached to a verb the trigger's clause hangs on ('had
    gone ... on Monday evening, seizing goods') or inside the trigger's own phrase ('protesters
    who stormed parliament on Tuesday'), but never to a reporting verb."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    if m.trigger.is_ancestor(span.root):
        return True
    node = span.root
    for _ in range(6):
        if node.head.i == node.i:
            return False
        node = node.head
        if _is_verb(node):
            if _lemma(node) in _set("modality", "report_verbs") | _set("modality", "claim_verbs"):
                return False
            return node.is_ancestor(m.trigger)
    return False


def _date_of(text: str, pub: dt.date | None) -> tuple | None:
    """(year, month, day, weekday) read roughly from a date expression."""
    text = text.lower()
    year = next((int(y) for y in re.findall(r"\b(19\d\d|20\d\d)\b", text)), None)
    month = next((i + 1 for i, name in enumerate(MONTHS) if re.search(rf"\b{name[:3]}\w*\b", text)
                  and (name != "may" or re.search(r"\bmay\s+\d|\d\s+may\b", text))), None)
    days = [int(d) for d in re.findall(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", text)]
    day = next((d for d in days if 1 <= d <= 31), None)
    weekday = next((i for i, name in enumerate(WEEKDAYS) if name in text), None)
    if pub is not None:
        if "yesterday" in text:
            d = pub - dt.timedelta(days=1)
            return (d.year, d.month, d.day, d.weekday())
        if text in ("today", "this morning", "tonight"):
            return (pub.year, pub.month, pub.day, pub.weekday())
        if "last year" in text:
            year = pub.year - 1
        elif year is None and (month is not None or weekday is not None):
            year = pub.year if month is None or month <= pub.month else pub.year - 1
    if year is None and month is None and weekday is None:
        return None
    return (year, month, day if month else None, weekday)


def _time_and_date(ctx: _Context, m: _Mention) -> None:
    """The TimeSpan of the trigger's clause (times.py), and a rough date key for conflicts."""
    if _temporal(m.trigger):
        return  # "after three days of clashes": the clause's date is not the clashes'
    sent = m.trigger.sent
    skip = _dateline_end(ctx.doc.text)
    inside = [t for t in ctx.times if t.span is not None and sent.start_char <= t.span.start < sent.end_char
              and t.span.start >= skip]
    times = [t for t in inside if _attached(ctx, m, t.span.start, t.span.end)] or [
        t for t in inside if _near_clause(ctx, m, t.span.start, t.span.end)]  # type: ignore[union-attr]
    if times:
        m.time = min(times, key=lambda t: abs(t.span.start - m.trigger.idx))  # type: ignore[union-attr]
    if m.time is not None and m.time.start is not None:
        t = m.time.start
        day = m.time.precision == 1 and m.time.start == m.time.end
        month = t.month if m.time.end is not None and m.time.end.month == t.month else None
        m.date_key = (t.year, month, t.day if day else None, t.weekday() if day else None)
        return
    ents = [e for e in sent.ents if e.label_ == "DATE" and not all(
        t.like_num or t.lower_ in ("and", "between", "-") for t in e)]
    ents = [e for e in ents if e.start_char >= skip]
    ents = [e for e in ents if _attached(ctx, m, e.start_char, e.end_char)] or [
        e for e in ents if _near_clause(ctx, m, e.start_char, e.end_char)]
    if ents:
        e = min(ents, key=lambda e: abs(e.start - m.trigger.i))
        m.date_key = _date_of(e.text, ctx.document.published)


def _dates_conflict(a: tuple | None, b: tuple | None) -> bool:
    if a is None or b is None:
        return False
    return any(x is not None and y is not None and x != y for x, y in zip(a, b))


def _in_clause(ctx: _Context, m: _Mention, start: int, end: int) -> bool:
    """Is the expression part of the trigger's own clause, or of a purpose/manner clause under
    it ('used tear gas to disperse crowds in Mombasa'), rather than of a reporting verb or of a
    relative clause that tells something else?"""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    own = m.trigger if _is_verb(m.trigger) else _clause_verb(m.trigger)
    node = span.root
    for _ in range(12):
        if node.i == m.trigger.i or (own is not None and node.i == own.i) or node.is_ancestor(m.trigger) and (
                own is None or node.i == own.i):
            return True
        other_clause = node.dep_ in ("relcl", "ccomp", "ROOT", "parataxis")
        if node is not span.root and _is_verb(node) and (
                other_clause or _lemma(node) in _set("modality", "report_verbs")):
            return own is not None and node.i == own.i
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _dateline_end(text: str) -> int:
    """Where a wire dateline ("KRAMATORSK, Ukraine (Wire) - ") ends, or 0."""
    found = re.match(r"^[A-Z][A-Z .'\-]+(?:,[^\n]{0,60}?)?\s[-\u2013\u2014]\s", text)
    return found.end() if found else 0


def _place_key(ctx: _Context, m: _Mention) -> frozenset[str]:
    """The sub-national places of the trigger's own clause (PlaceMention names and GPE/LOC
    entities), lower case; countries and the dateline left out."""
    skip = _dateline_end(ctx.doc.text)
    sent = m.trigger.sent
    found: list[tuple[int, int, str]] = [
        (p.span.start, p.span.end, p.name or p.surface) for p in ctx.places
        if sent.start_char <= p.span.start < sent.end_char and p.geo_precision != 3]
    found += [(e.start_char, e.end_char, e.text) for e in sent.ents if e.label_ in ("GPE", "LOC")]
    names = set()
    for start, end, name in found:
        if start < skip or not _in_clause(ctx, m, start, end):
            continue
        if any((a := dictionary.lookup(w)) is not None and a.kind in ("country", "government")
               for w in [name, *name.split()]):
            continue
        names.add(re.sub(r"^the\s+", "", name.lower()))
    return frozenset(names)


def _same_place(a: frozenset[str], b: frozenset[str]) -> bool:
    return any(x in y or y in x for x in a for y in b)


def _places_conflict(a: _Mention, b: _Mention) -> bool:
    if not a.place_key or not b.place_key or _same_place(a.place_key, b.place_key):
        return False
    pa, pb = a.place, b.place
    if pa is not None and pb is not None and None not in (
            pa.latitude, pa.longitude, pb.latitude, pb.longitude):
        far = _km(pa.latitude, pa.longitude, pb.latitude, pb.longitude)  # type: ignore[arg-type]
        return far > SAME_PLACE_KM
    return True


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = math.radians
    h = math.sin(r(lat2 - lat1) / 2) ** 2 \
        + math.cos(r(lat1)) * math.cos(r(lat2)) * math.sin(r(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _best_place(ctx: _Context, m: _Mention) -> tuple[PlaceMention | None, bool]:
    """The place of the trigger's sentence that best locates it: in its own clause first, then
    below country level, then outside the dateline, then nearest."""
    sent = m.trigger.sent
    skip = _dateline_end(ctx.doc.text)
    found = [p for p in ctx.places if sent.start_char <= p.span.start < sent.end_char]
    if not found:
        return None, False

    body = ctx.doc.text[skip:].lower()
    # a dateline names where the wire filed from: a place only when the story names it again
    found = [p for p in found if p.span.start >= skip or (p.name or p.surface).lower() in body]

    def rank(p: PlaceMention):
        own = _in_clause(ctx, m, p.span.start, p.span.end)
        a = dictionary.lookup(p.name or p.surface)
        country = p.geo_precision == 3 or (a is not None and a.kind in ("country", "government"))
        dist = min(abs(p.span.start - m.trigger.idx), abs(p.span.end - m.trigger.idx))
        return (not own, country, p.span.start < skip, dist)

    # a capital that speaks ("Moscow continues to deny") is a government, not a place
    def speaks(p: PlaceMention) -> bool:  # "Moscow denied", "drones launched by Russia"
        span = ctx.doc.char_span(p.span.start, p.span.end, alignment_mode="expand")
        return span is not None and any(t.dep_ in ("nsubj", "nsubjpass") or (
            t.dep_ == "pobj" and t.head.dep_ == "agent") for t in span)

    found = [p for p in found if not speaks(p)]
    if not found:
        return None, False
    best = min(found, key=rank)
    return best, not rank(best)[0]


def _tree_distance(a, b) -> int:
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    index_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in index_b:
            return k + index_b[t.i]
    return 99


def _assign_figures(ctx: _Context, mentions: list[_Mention]) -> list[Quantity]:
    """Each killed figure to the nearest mention (in the parse) of its sentence; returns the
    figures of sentences without a mention."""
    orphans = []
    for q in ctx.quantities:
        if q.kind != "killed":
            continue
        head = ctx.doc[q.head]
        here = [m for m in mentions if m.trigger.sent.start == head.sent.start]
        if not here:
            orphans.append(q)
            continue
        best = min(here, key=lambda m: (_tree_distance(head, m.trigger), LEVELS[m.level]))
        best.figures.append(q)
    return orphans


# ---------------------------------------------------------------- generic statements


def _generic(m: _Mention) -> bool:
    """A bare noun ("suicide bombing is...", "attacks have increased") that names no incident."""
    tok = m.trigger
    if _is_verb(tok):  # "have fired ... since February": a habit, not an incident
        perfect = any(c.dep_ == "aux" and _lemma(c) == "have" and c.tag_ in ("VBZ", "VBP")
                      for c in tok.children)
        return perfect and any(c.dep_ == "prep" and c.lower_ == "since" for c in tok.children)
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    kids = list(tok.children)
    if any(c.dep_ in ("det", "poss", "nummod") for c in kids) or any(
            c.ent_type_ in ("DATE", "GPE", "TIME", "NORP") for c in kids
            if c.dep_ in ("compound", "amod", "nmod")):
        return False
    verb = _clause_verb(tok)
    past = False
    if verb is not None and _lemma(verb) not in _set("modality", "report_verbs"):
        aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        present = verb.tag_ in ("VBZ", "VBP") or any(c.tag_ in ("VBZ", "VBP") for c in aux)
        if present and tok.dep_ in ("nsubj", "nsubjpass", "attr", "dobj"):
            return True
        past = verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux)
    if past and tok.dep_ in ("nsubj", "nsubjpass", "dobj"):  # "air strikes killed 23", "carried out raids"
        return False
    plural = tok.tag_ in ("NNS", "NNPS")
    preps = TARGET_PREPS + ("in", "near", "between", "of")
    has_prep = any(c.dep_ == "prep" and c.lower_ in preps for c in kids)
    duration = tok.dep_ == "pobj" and tok.head.lower_ == "of" and _lemma(tok.head.head) in (
        "day", "week", "month", "hour", "year", "night", "wave", "series", "round")
    return plural and not has_prep and not duration


def _anaphoric(m: _Mention) -> bool:
    """'the attack', 'the fighting', 'this bombing': a noun that points back to a told incident."""
    tok = m.trigger
    gerund = tok.tag_ == "VBG" and tok.dep_ in ("nsubj", "pobj", "dobj")
    if tok.pos_ not in ("NOUN", "PROPN") and not gerund:
        return False
    dets = [c for c in tok.children if c.dep_ == "det"]
    mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nummod", "prep")]
    return bool(dets) and dets[0].lower_ in ("the", "this", "that") and not mods


# ---------------------------------------------------------------- building mentions


def _mention(ctx: _Context, hit: matching.Hit) -> _Mention | None:
    doc = ctx.doc
    tok = doc[hit.head]
    rule = hit.rule
    m = _Mention(hit=hit, sub=rule.sub, level=rule.level, trigger=tok, sentence=_evidence(doc, tok),
                 into=rule.into, published=ctx.document.published)
    sent = tok.sent
    m.place, m.place_own = _best_place(ctx, m)
    m.place_key = _place_key(ctx, m)
    _time_and_date(ctx, m)
    country = ctx.sent_country(sent, m.place)
    a1, a2, objs = _roles(ctx, m, country)
    m.actor1, m.kind1 = _name(ctx, a1, country, m.event_type)
    m.actor2, m.kind2 = _name(ctx, a2, country, m.event_type, victim=True)
    if m.kind1 == "civilians":  # civilians are victims, never the side that acts
        m.actor1, m.kind1 = None, None
    if m.actor1 is not None and m.actor1 == m.actor2:
        m.actor2, m.kind2 = None, None
    if rule.need_actor and m.actor1 is None and m.actor2 is None:
        return None
    if m.sub is not None:
        _retype(ctx, m, objs)
        _crowd_first(m, country)
    _modality(ctx, m, country)
    m.generic = _generic(m)
    m.anaphoric = m.level != "restate" and _anaphoric(m)
    opening = " ".join(t.lower_ for t in sent[:4])
    m.separate = any(opening.startswith(w) for w in _set("separate_markers"))
    return m


def _within_sentence(mentions: list[_Mention]) -> list[_Mention]:
    """Fold triggers that sit inside another's phrase into the stronger one; weak triggers give
    way to any strong one of the sentence."""
    by_sent: dict[int, list[_Mention]] = {}
    for m in mentions:
        by_sent.setdefault(m.trigger.sent.start, []).append(m)
    kept: list[_Mention] = []
    for group in by_sent.values():
        events = [m for m in group if m.level != "restate"]
        strong = [m for m in events if m.level == "strong"]
        alive = list(events)
        for m in events:
            if m.level == "weak" and strong:
                target = min(strong, key=lambda s: _tree_distance(s.trigger, m.trigger))
                _absorb(target, m)
                alive.remove(m)
        for a in list(alive):
            for b in list(alive):
                if a is b or a not in alive or b not in alive:
                    continue
                if _same_clause(a.trigger, b.trigger):
                    win, lose = (a, b) if (a.priority, -a.hit.start) >= (b.priority, -b.hit.start) else (b, a)
                    if lose.modality != win.modality and "hypothetical" in (lose.modality, win.modality):
                        continue
                    _absorb(win, lose)
                    alive.remove(lose)
        kept += alive
        kept += [m for m in group if m.level == "restate"]
    return sorted(kept, key=lambda m: m.hit.start)


def _same_clause(a, b) -> bool:
    """Is one trigger inside the other's phrase, without a clause of its own in between
    (a relative clause or a reported one tells another incident)?"""
    if b.is_ancestor(a):
        a, b = b, a
    if not a.is_ancestor(b):
        return False
    node = b
    while node.i != a.i:
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children)
        if node.dep_ in ("relcl", "ccomp", "parataxis") or (node.dep_ in ("acl", "advcl") and own_subject):
            return False
        node = node.head
    return True


def _absorb(win: _Mention, lose: _Mention) -> None:
    """The stronger mention of a sentence takes the weaker one's figures and missing sides."""
    win.figures += lose.figures
    if lose.level != "weak" and lose.event_type != win.event_type:  # an interception is not the attack
        win.time = win.time or lose.time
        win.date_key = win.date_key or lose.date_key
        return
    if win.actor1 is None and lose.actor1 is not None and lose.actor1 != win.actor2:
        win.actor1, win.kind1 = lose.actor1, lose.kind1
    if win.actor2 is None and lose.actor2 is not None and lose.actor2 != win.actor1:
        win.actor2, win.kind2 = lose.actor2, lose.kind2
    win.time = win.time or lose.time
    win.date_key = win.date_key or lose.date_key


# ---------------------------------------------------------------- article-level merging


@functools.lru_cache(maxsize=1)
def _compat_table() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in (_lex().get("compatible") or {}).items()}


def _in(sub: str | None, names) -> bool:
    return sub is not None and (sub in names or SUB_TO_TYPE.get(sub) in names)


def _folds(sub: str | None, into: str | None) -> bool:
    """May a mention of ``sub`` be folded into an event of ``into``?"""
    return sub is not None and (sub == into or _in(into, _compat_table().get(sub, ())))


def _named(name: str | None, kind: str | None) -> bool:
    return bool(name) and not is_generic(Actor(name, kind or ""))  # type: ignore[arg-type]


def _conflict(e: _Event, m: _Mention) -> bool:
    """Do the mentions of ``e`` and ``m`` tell different incidents (place, date, sides)?"""
    for o in e.mentions:
        if o.level == "restate":
            continue
        same_sentence = o.trigger.sent.start == m.trigger.sent.start
        if (not same_sentence and _places_conflict(o, m)) or _dates_conflict(o.date_key, m.date_key):
            return True
        pub = o.published
        if _background(pub, o.date_key, m.date_key) or _background(pub, m.date_key, o.date_key):
            return True
        if o.sub == m.sub and _named(o.actor1, o.kind1) and _named(m.actor1, m.kind1) \
                and "asserted" == o.modality == m.modality \
                and o.actor1 not in (m.actor1, m.actor2) and m.actor1 not in (o.actor1, o.actor2):
            return True
    return False


def _background(pub: dt.date | None, dated: tuple | None, undated: tuple | None) -> bool:
    """An incident dated months before the article ("in April 2014") is not the undated
    incident the article is about."""
    if pub is None or dated is None or undated is not None or dated[0] is None:
        return False
    month = dated[1] or 12
    return (pub.year - dated[0]) * 12 + (pub.month - month) > 2


def _mergeable(e: _Event, m: _Mention) -> bool:
    p = e.primary
    if (m.modality == "hypothetical") != (p.modality == "hypothetical"):
        return False
    if not _folds(m.sub, p.sub):
        return False
    if m.sub != p.sub and m.place_key and not any(  # told with another word: only where it was told
            _same_place(o.place_key, m.place_key)
            or o.trigger.sent.start == m.trigger.sent.start for o in e.mentions):
        return False
    return not _conflict(e, m)


def _restate_target(events: list[_Event], m: _Mention, into) -> _Event | None:
    """The event a restating mention belongs to: the nearest one told before it (else after)
    whose sub-type it can restate, with no conflicting date."""
    def fits(e: _Event) -> bool:
        return _in(e.sub, into) and not any(_dates_conflict(o.date_key, m.date_key) for o in e.mentions) \
            and e.primary.modality != "hypothetical"

    before = [e for e in events if fits(e) and any(o.hit.start < m.hit.start for o in e.mentions)]
    if before:
        return max(before, key=lambda e: max(o.hit.start for o in e.mentions if o.hit.start < m.hit.start))
    after = [e for e in events if fits(e)]
    return after[0] if after else None


def _merge(mentions: list[_Mention]) -> list[_Event]:
    events: list[_Event] = []
    for m in mentions:
        if m.level == "restate":
            continue
        if m.anaphoric:  # "the fighting" goes with the fighting already told, if any
            target = _restate_target(events, m, (m.sub,))
            if target is not None and not _conflict(target, m):
                target.mentions.append(m)
                continue
        target = next((e for e in reversed(events) if _mergeable(e, m)), None)
        if m.separate and target is not None and all(o.trigger.sent.start != m.trigger.sent.start
                                                     for o in target.mentions):
            target = None
        if target is None:
            events.append(_Event([m]))
        else:
            target.mentions.append(m)
    events = _fold_events(events)
    claimed = {(m.trigger.sent.start) for e in events for m in e.mentions}
    for m in (x for x in mentions if x.level == "restate"):
        target = _restate_target(events, m, m.into)
        own = {o.trigger.sent.start for o in target.mentions} if target else set()
        if target is not None and (m.trigger.sent.start not in claimed or m.trigger.sent.start in own):
            target.mentions.append(m)
    return events


def _fold_events(events: list[_Event]) -> list[_Event]:
    """Second pass: an event told first with a weaker word ("they kept attacking") joins the
    event told later with a stronger one ("the rebels took the town") when nothing conflicts."""
    out = list(events)
    changed = True
    while changed:
        changed = False
        for e in list(out):
            for f in out:
                if f is e or f.primary.priority <= e.primary.priority or any(
                        m.separate for m in e.mentions + f.mentions if m.level != "restate"):
                    continue
                if all(_mergeable(f, m) for m in e.mentions if m.level != "restate"):
                    f.mentions += e.mentions
                    out.remove(e)
                    changed = True
                    break
            if changed:
                break
    return out


def _responsibility(ctx: _Context, events: list[_Event]) -> None:
    """'X claimed responsibility (for Y)', 'an attack claimed by X': X is actor1 of that
    incident when the text names no perpetrator."""
    resp = _set("modality", "responsibility")
    for tok in ctx.doc:
        if _lemma(tok) != "claim" or not _is_verb(tok):
            continue
        passive_by = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        takes = any(_lemma(o) in resp or o.lower_ == "it" for o in objs)
        if not (takes or (passive_by and tok.dep_ in ("acl", "relcl"))):
            continue
        who = passive_by[0] if passive_by else next((c for c in tok.children if c.dep_ == "nsubj"), None)
        a = ctx.resolver.actor(who) if who is not None else None
        if a is None or a.kind not in ARMED:
            continue
        about = tok.head if passive_by else next(
            (g for o in objs for p in o.children if p.dep_ == "prep" and p.lower_ == "for"
             for g in p.children if g.dep_ == "pobj"), None)
        target = None
        if about is not None:
            target = next((e for e in events if any(o.trigger.i == about.i for o in e.mentions)), None)
        if target is None:
            earlier = [e for e in events if all(o.trigger.sent.start < tok.sent.start for o in e.mentions
                                                if o.level != "restate")]
            violent = [e for e in earlier if SUB_TO_TYPE[e.sub] in (
                "Explosions/Remote violence", "Violence against civilians", "Battles")]
            target = violent[-1] if violent else None
        if target is not None and not any(o.actor1 for o in target.mentions if o.level != "restate"):
            target.primary.actor1, target.primary.kind1 = a.name, a.kind


def _specific(e: _Event) -> bool:
    """Does the event name an incident (not only generic talk, not a bare forecast)?"""
    solid = [m for m in e.mentions if m.level != "restate"]
    if all(m.generic for m in solid):
        return False
    if all(m.modality == "hypothetical" for m in solid):  # forecasts only with a named side
        return any(m.actor1 and not is_generic(Actor(m.actor1, m.kind1 or "")) for m in solid)
    if all(m.level == "weak" for m in solid):
        return any(m.actor1 or m.figures or ((m.place_key or m.place) and (m.date_key or m.time))
                   for m in solid)
    return True


def _figures(mentions: list[_Mention]) -> tuple[int | None, int | None, int | None]:
    qs = [q for m in mentions for q in m.figures]
    if not qs:
        return None, None, None
    points = [x for q in qs for x in ((q.value if q.value is not None else q.low),) if x is not None]
    lows = [x for q in qs for x in ((q.low if q.low is not None else q.value),) if x is not None]
    highs = [x for q in qs for x in ((q.high if q.high is not None else q.value if q.low is None else None),)
             if x is not None]
    best = max(points) if points else (min(highs) if highs else None)
    top = max(highs) if highs else None
    if top is not None and any(q.low is not None and q.high is None and q.low > top for q in qs):
        top = None  # "at least 60" above every bounded figure: no upper bound
    if top is None and not any(q.low is not None and q.high is None for q in qs) and highs:
        top = max(highs)
    return best, (min(lows) if lows else None), top


def _note(text: str, span: Span) -> str:
    s = " ".join(span.of(text).split())
    return s if len(s) <= NOTE_CHARS else s[: NOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _publication_time(ctx: _Context) -> TimeSpan | None:
    pub = ctx.document.published
    return next((t for t in ctx.times if pub is not None and t.start == pub == t.end), None)


def _sentence_actor(ctx: _Context, m: _Mention) -> str | None:
    """Last resort for actor1: the one named armed actor of the trigger's sentence that is not
    a speaker ("looting ... after the RSF entered")."""
    if m.event_type in ("Protests", "Riots", None):
        return None
    report = _set("modality", "report_verbs") | _set("modality", "claim_verbs") | _set("modality", "deny")
    found = set()
    for tok in m.trigger.sent:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("compound", "amod"):
            continue
        if tok.dep_ == "nsubj" and _lemma(tok.head) in report:
            continue
        a = ctx.resolver.np(tok)
        if a is not None and a.kind in ARMED and not is_generic(a) and a.name != m.actor2:
            found.add(a.name)
    return found.pop() if len(found) == 1 else None


def _default_actor2(ctx: _Context, e: _Event, actor1: str | None) -> str | None:
    """actor2 when no mention names it: the side that gave up ground (a withdrawal told with a
    takeover, else the country's forces when rebels take ground); civilians when a bomb or an
    attack hit a civilian place."""
    p = e.primary
    country = ctx.sent_country(p.trigger.sent, p.place)
    if p.sub in ("Non-state actor overtakes territory", "Government regains territory"):
        loser = next((m.actor1 for m in e.mentions if m.sub == "Non-violent transfer of territory"
                      and m.actor1 and m.actor1 != actor1), None)
        if loser:
            return loser
        if p.sub == "Non-state actor overtakes territory" and p.kind1 in ctx.kinds.get("nonstate", ()):
            a = dictionary.lookup("military", country)
            return a.name if a and country else None
    if p.event_type in ("Explosions/Remote violence", "Violence against civilians"):
        verb = p.trigger if _is_verb(p.trigger) else _clause_verb(p.trigger)
        objs = matching.objects(p.trigger) + (matching.objects(verb) if verb is not None else [])
        if _target_class(ctx, None, objs) == "civilians":
            a = dictionary.lookup("civilians", country)
            return a.name if a else None
    return None


def _lead_time(ctx: _Context, events: list[_Event], e: _Event) -> TimeSpan | None:
    """An undated event told right after a dated one ('Police also used tear gas...') shares
    its time: the nearest event before it in the same or the previous paragraph."""
    text = ctx.doc.text
    start = min(m.trigger.idx for m in e.mentions)
    starts = [0] + [k + 1 for k, ch in enumerate(text[:-1]) if ch == "\n" and text[k + 1].strip()]
    line = max(k for k, s in enumerate(starts) if s <= start)
    window = starts[max(0, line - 1)]
    before = [f for f in events if f is not e and window <= min(m.trigger.idx for m in f.mentions) < start
              and f.primary.modality != "hypothetical" and f.primary.event_type == e.primary.event_type]
    for f in sorted(before, key=lambda f: -min(m.trigger.idx for m in f.mentions)):
        t = f.primary.time or next((m.time for m in f.mentions if m.time), None)
        if t is not None:
            return t
    return None


def _build(ctx: _Context, e: _Event, events: list[_Event] | None = None) -> EventMention:
    p = e.primary
    ms = sorted(e.mentions, key=lambda m: m.hit.start)
    solid = [m for m in ms if m.level != "restate"]
    others = [m for m in solid if m is not p]
    sides = [p] + [m for m in others if m.modality == "asserted"] + others
    actor1 = next((m.actor1 for m in sides if m.actor1), None) or _sentence_actor(ctx, p)
    actor2 = next((m.actor2 for m in sides if m.actor2 and m.actor2 != actor1), None) or _default_actor2(
        ctx, e, actor1)
    modality = min((m.modality for m in solid), key=MODALITY_RANK.get) if solid else p.modality
    claimed_by = next((m.claimed_by for m in solid if m.modality == "claimed" and m.claimed_by), None) \
        if modality == "claimed" else None
    place = (p.place if p.place_own else None) or next((m.place for m in solid if m.place_own), None) \
        or p.place or next((m.place for m in solid if m.place), None)
    time = p.time or next((m.time for m in solid if m.time), None)
    if time is None and not any(m.date_key for m in solid):
        time = _lead_time(ctx, events or [], e) or _publication_time(ctx)
    fat, lo, hi = _figures(ms)
    extra: list[Span] = []
    for m in ms:
        if m.sentence != p.sentence and m.sentence not in extra:
            extra.append(m.sentence)
    return EventMention(
        event_type=SUB_TO_TYPE[p.sub],  # type: ignore[index]
        sub_event_type=p.sub,  # type: ignore[arg-type]
        trigger=Span(p.trigger.idx, p.trigger.idx + len(p.trigger.text)),
        sentence=p.sentence,
        actor1=actor1,
        actor2=actor2,
        place=place,
        time=time,
        fatalities=fat,
        fatalities_min=lo,
        fatalities_max=hi,
        modality=modality,
        claimed_by=claimed_by,
        notes=_note(ctx.document.text, p.sentence),
        extra_evidence=extra,
    )


def extract(doc, document, places, times, quantities) -> list[EventMention]:
    """ACLED events of one parsed article, one per incident, in text order."""
    ctx = _Context(doc, document, places, times, quantities)
    hits = matching.find(doc, ctx.tests)
    mentions = [m for m in (_mention(ctx, h) for h in hits) if m is not None]
    orphans = _assign_figures(ctx, mentions)
    mentions = _within_sentence(mentions)
    for q in orphans:  # "Our reporter counted at least five bodies": the incident just told
        sent_start = doc[q.head].sent.start
        prev = [m for m in mentions if m.level != "restate" and m.trigger.sent.start < sent_start
                and sent_start - m.trigger.sent.end < 60]
        if prev:
            prev[-1].figures.append(q)
    events = [e for e in _merge(mentions) if _specific(e)]
    _responsibility(ctx, events)
    built = [_build(ctx, e, events) for e in events]
    return sorted(built, key=lambda ev: ev.trigger.start)
