"""ACLED-coded events from one parsed article.

1. Triggers from ``lexicons/event_triggers.yaml`` (see :mod:`sitroom.extract.matching`).
2. Each trigger becomes a mention: actors from its dependency roles, sub-type re-picked from
   them (an attack on civilians vs on troops, a town taken by the state vs by rebels),
   casualty figures, place, time and modality (negated / claimed / hypothetical / asserted).
3. In a sentence, a trigger inside another's phrase is folded into the stronger one, and weak
   triggers (kill, die, shoot) only lend their figures when a stronger one is there.
4. In the article, mentions that restate an incident (same or compatible sub-type, no
   conflicting place, date or actor) become one event; restating words ("the attack",
   "the strike") and generic statements ("suicide bombing is a weapon") add evidence only.
5. Sides the incident's own sentence does not name come from the article, the way an analyst
   reads it: the side blamed for it ("Zelenskiy blamed Russia"), the side acting in the
   sentences just before, the parties of an agreement's "between" phrase, the police for
   arrests, and for a battle the other side the article names most.
6. Fatalities: figures of the incident's sentences and restatements only; a vague figure
   ("dozens") is a range without a point value; a toll update wins, rival figures make the
   range. ``notes`` is one sentence written from the record (when, who did what to whom,
   where, how many died, who says so), templates by sub-type in the lexicon.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from dataclasses import dataclass, field

from sitroom.extract import matching, quantities
from sitroom.extract.actors import ARMED, Resolver, doc_facts, document_country, is_generic, sentence_country
from sitroom.extract.nlp import ents_of, sent_ents, text_of
from sitroom.model import SUB_TO_TYPE, Actor, EventMention, PlaceMention, Quantity, Span, TimeSpan
from sitroom.resolve import actors as dictionary

MAX_EVIDENCE = 700
SAME_PLACE_KM = 25  # two places closer than this are one place
TARGET_PREPS = ("with", "on", "at", "against")
LIKELY = ("likely", "possible", "poised", "due", "set")
TEMPORAL_PREPS = ("after", "following", "before", "since", "amid", "during", "ahead")
LEVELS = {"strong": 0, "weak": 1, "restate": 2}
MODALITY_RANK = {"asserted": 0, "claimed": 1, "negated": 2, "hypothetical": 3}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]


@functools.lru_cache(maxsize=1)
def _lex() -> dict:
    return matching.lexicon().lex


@functools.lru_cache(maxsize=1)
def _sub_priority() -> dict[str, int]:
    return {sub: int(spec.get("priority", 0)) for sub, spec in _lex()["subtypes"].items()}


@functools.lru_cache(maxsize=None)
def _set(*path: str) -> frozenset[str]:
    """A word list of the trigger lexicon (by its path of keys), lower case."""
    node = _lex()
    for p in path:
        node = node.get(p, {}) if isinstance(node, dict) else {}
    return frozenset(str(w).lower() for w in (node or []))


class _DocMemo:
    """Per-token facts of one Doc that the extractor asks for again and again (a lemma ~700 times
    per article, a token's sentence ~250 times: spaCy walks the tokens and builds a new Span for
    every ``tok.sent``), found once per token: lemmas and verb flags as they are asked for, the
    sentence of every token when one is first asked for."""

    __slots__ = ("doc", "lemmas", "sent_at", "sents", "verbs")

    def __init__(self, doc) -> None:
        self.doc = doc
        self.lemmas: list[str | None] = [None] * len(doc)
        self.verbs: list[bool | None] = [None] * len(doc)
        self.sent_at: list | None = None
        self.sents: list = []

    def all_verbs(self) -> list[bool | None]:
        """:func:`_is_verb` of every token, read from the Doc's POS and TAG arrays in one call
        (``pos_`` is the name of the POS id, ``tag_`` the string of the TAG id)."""
        from spacy.attrs import POS, TAG
        from spacy.parts_of_speech import NAMES

        strings = self.doc.vocab.strings
        known: dict[tuple[int, int], bool] = {}
        for k, (pos, tag) in enumerate(self.doc.to_array([POS, TAG]).tolist()):
            verb = known.get((pos, tag))
            if verb is None:
                verb = known[(pos, tag)] = NAMES[pos] in ("VERB", "AUX") or strings[tag].startswith("VB")
            self.verbs[k] = verb
        return self.verbs

    def sentences(self) -> list:
        """``tok.sent`` by token index: the spans of ``doc.sents`` (the same boundaries)."""
        if self.sent_at is None:
            at: list = [None] * len(self.lemmas)
            self.sents = list(self.doc.sents)
            for sent in self.sents:
                for i in range(sent.start, sent.end):
                    at[i] = sent
            self.sent_at = at
        return self.sent_at


_doc_memo: list = [None]  # the _DocMemo of the last Doc asked about (by identity)


def _memo_of(doc) -> _DocMemo:
    memo = _doc_memo[0]
    if memo is None or memo.doc is not doc:
        memo = _doc_memo[0] = _DocMemo(doc)
    return memo


def _lemma(tok) -> str:
    """:func:`matching.lemma`, computed once per token of a Doc."""
    lemmas = _memo_of(tok.doc).lemmas
    lem = lemmas[tok.i]
    if lem is None:
        lem = lemmas[tok.i] = matching.lemma(tok)
    return lem


def _sent(tok):
    """``tok.sent`` (the sentence Span holding the token), found once per Doc."""
    return _memo_of(tok.doc).sentences()[tok.i]


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
        """The strength of the sub-type told: a retyped trigger ("stormed" a school: an attack)
        has the strength of the sub-type it became."""
        if self.sub is not None and self.sub != self.hit.rule.sub:
            return _sub_priority().get(self.sub, self.hit.rule.priority)
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
        self._sents: list | None = None
        self._blame_verbs: list | None = None
        self._verbs: list | None = None
        # asked for again and again per trigger: found once per article
        facts = doc_facts(doc)
        self.tokens: list = facts.tokens  # the Doc's tokens (doc[i] builds a new Token each time)
        self.text: str = facts.doc_text  # text_of(doc)
        self.skip = _dateline_end(self.text)  # where the dateline ends (0 without one)
        self._lowers: list[str] | None = None
        self._char_spans: dict[tuple[int, int], object] = {}
        self._speaks: dict[int, tuple[PlaceMention, bool]] = {}  # id(place) → (place, answer)
        self._sentence_places: dict[int, list[PlaceMention]] = {}  # sentence start → its places
        self._after_dateline_lower: str | None = None
        self._headings: list[int] | None = None
        self._line_starts: list[int] | None = None

    @property
    def lowers(self) -> list[str]:
        """``tok.lower_`` of every token, by index."""
        if self._lowers is None:
            self._lowers = [t.lower_ for t in self.tokens]
        return self._lowers

    def char_span(self, start: int, end: int):
        """``doc.char_span(start, end, alignment_mode="expand")``, built once per offsets (the same
        places and dates are tried for every trigger of their sentence). A Span's ``root`` is
        still found, as a new Token, on every access."""
        key = (start, end)
        if key not in self._char_spans:
            self._char_spans[key] = self.doc.char_span(start, end, alignment_mode="expand")
        return self._char_spans[key]

    @property
    def sents(self) -> list:
        """The doc's sentences, listed once per article (spaCy walks every token for ``doc.sents``)."""
        if self._sents is None:
            memo = _memo_of(self.doc)
            memo.sentences()
            self._sents = memo.sents
        return self._sents

    @property
    def blame_verbs(self) -> list:
        """The article's verbs of blame that are not negated, in text order (found once per article)."""
        if self._blame_verbs is None:
            words = _set("blame_verbs")
            self._blame_verbs = [tok for tok in self.verbs if _lemma(tok) in words
                                 and not any(c.dep_ == "neg" for c in tok.children)]
        return self._blame_verbs

    @property
    def verbs(self) -> list:
        """The article's verbs (:func:`_is_verb`), in text order (found once per article)."""
        if self._verbs is None:
            tokens = self.tokens
            self._verbs = [tokens[k] for k, verb in enumerate(_memo_of(self.doc).all_verbs()) if verb]
        return self._verbs

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
    sent = _sent(trigger)
    text = text_of(doc)
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
    verbs = _memo_of(tok.doc).verbs  # computed once per token of a Doc
    verb = verbs[tok.i]
    if verb is None:
        verb = verbs[tok.i] = tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")
    return verb


def _passive(tok) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children) or matching.reduced_passive(tok)


def _symmetric(m: _Mention) -> bool:
    return (m.sub or "").lower() in _set("symmetric")


def _where(ctx: _Context, tok) -> bool:
    """A place named as where it happened ("over Kyiv", "in Gaza"), not a side that was hit."""
    return tok.dep_ == "pobj" and tok.head.lower_ in ("over", "in", "near", "across", "around", "outside",
                                                      "inside", "into", "throughout") and ctx.is_place(tok)


def _first_actor(ctx: _Context, toks, country):
    """The first token of ``toks`` that names an actor (else the first token, else None). A wire
    dateline ("KHARTOUM, Sudan (Nile Post) -") that the parser took for a subject is no side."""
    skip = ctx.skip
    toks = [t for t in toks if t.idx >= skip]
    return next((t for t in toks if ctx.resolver.actor(t, country) is not None), toks[0] if toks else None)


def _line(ctx: _Context, tok) -> int:
    """The line a token is on (headings and list items are lines the parser may run together)."""
    return ctx.text.count("\n", 0, tok.idx)


def _on_line(ctx: _Context, toks, trigger) -> list:
    return [t for t in toks if _line(ctx, t) == _line(ctx, trigger)]


def _left_actor(ctx: _Context, tok, country):
    """For a broken parse: the nearest actor named before the trigger on its line, with no
    other verb in between."""
    line_start = ctx.text.rfind("\n", 0, tok.idx) + 1
    for t in reversed(ctx.doc[_sent(tok).start : tok.i]):
        if t.idx < line_start or (_is_verb(t) and t.dep_ not in ("aux", "auxpass")) or (
                t.is_punct and t.text not in ("'", "\u2019", "(", ")")):
            return None
        a = ctx.resolver.np(t, country) if t.pos_ in ("NOUN", "PROPN") else None
        if a is not None and a.kind not in ("country", "government", "civilians"):
            return t
    return None


def _pair(obj) -> tuple[object | None, object | None]:
    """The two sides of a 'between' phrase: "between SAF and RSF", and the parse that hangs the
    first side on the second's head ("between [the army and Arakan Army] fighters")."""
    if obj is None:
        return None, None
    if obj.conjuncts:
        return obj, obj.conjuncts[0]
    for c in obj.children:
        if c.dep_ in ("nmod", "compound", "amod") and c.i < obj.i and any(g.dep_ == "conj" for g in c.children):
            return c, obj
    return obj, None


def _between(tok):
    """The 'between' object hanging on a token, if any."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "between":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
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
            if tok.dep_ in ("acl", "relcl", "amod") and (not victims or all(
                    v.lower_ in ("who", "which", "that", "whom") for v in victims)):
                victims = [tok.head]  # "the Iraqi troops who were attacked"
            a2 = _first_actor(ctx, victims or objs, country)
        elif _lemma(tok) in _set("quantities", "victim_subject_verbs"):  # "a protester who died": a victim
            a2 = _first_actor(ctx, _on_line(ctx, matching.subjects(tok), tok), country)
            a1 = None
        else:
            a1 = _first_actor(ctx, _on_line(ctx, matching.subjects(tok), tok), country)
            targets = list(objs)
            for o in (c for c in tok.children if c.dep_ == "dobj"):  # "opened fire on crowds"
                targets += [g for p in o.children if p.dep_ == "prep" and p.lower_ in ("on", "at", "against", "with")
                            for g in p.children if g.dep_ == "pobj"]  # "exchanged gunfire with the attackers"
            targets += [g for p in tok.children if p.dep_ == "prep" and p.lower_ in TARGET_PREPS
                        for g in p.children if g.dep_ == "pobj"]
            targets = [t for t in _on_line(ctx, targets, tok) if not _where(ctx, t)]
            a2 = _first_actor(ctx, targets, country)
            if _symmetric(m):  # "Israel and Hamas agreed", "Russian and Ukrainian forces clashed"
                subs = [s for s in matching.subjects(tok) if ctx.resolver.actor(s, country) is not None]
                a2 = subs[1] if len(subs) > 1 and (a1 is None or subs[1].i != a1.i) else a2
                if _between(tok) is not None and len(subs) < 2:
                    a1, a2 = _pair(_between(tok))  # "a truce was agreed between X and Y"
        if (a1 is None or ctx.resolver.actor(a1, country) is None) and not _passive(tok) \
                and _lemma(tok) not in _set("quantities", "victim_subject_verbs"):
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
                    a1, a2 = _pair(a2)
        verb = _clause_verb(tok)
        if a1 is None and verb is not None and _between(verb) is not None:  # "clashes erupted between M23 and the army"
            a1, other = _pair(_between(verb))
            a2 = other or a2
        not_agent = _set("not_agent_verbs") | _set("modality", "report_verbs")
        if a2 is None and verb is not None and tok.dep_ == "nsubj" and tok.head.i == verb.i \
                and _lemma(verb) not in not_agent:  # "a suicide bomber rammed an army convoy"
            hit = [o for o in matching.objects(verb) if not _where(ctx, o) and o.pos_ != "PRON"]
            a2 = next((o for o in hit if ctx.resolver.actor(o, country) is not None), None)
        if a1 is None:
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
    if a.kind in ("country", "government") and event_type in VIOLENT:
        mil = dictionary.lookup("military", a.country)  # "Russia struck..." → its forces
        if mil is not None:
            return mil.name, mil.kind
    if a.kind == "country":
        gov = dictionary.lookup("government", a.country)
        return (gov.name, gov.kind) if gov else (a.name, a.kind)
    return a.name, a.kind


def _name_country(name: str | None) -> str | None:
    """The ISO code of a canonical actor name ("Police Forces of Kenya", "Civilians (Sudan)", "M23")."""
    if not name:
        return None
    a = dictionary.lookup(name)
    if a is not None and a.country:
        return a.country
    found = re.search(r"\(([^()]+)\)$|\bof ([A-Z][\w' .\-]+)$", name)
    if found:
        c = dictionary.lookup(found.group(1) or found.group(2))
        if c is not None and c.kind == "country":
            return c.country
    return None


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
    if rule in ("target", "clash") and (crowd or (rule == "clash" and (
            m.kind2 in k.get("protesters", ()) or m.kind2 in k.get("rioters", ())))):
        # a crowd attacks or fights: a riot ("protesters clashed with police"); a mob's attack: mob violence
        choice = table.get("mob") if m.kind1 in k.get("rioters", ()) and m.sub != "Armed clash" else \
            table.get("crowd")
    elif rule == "clash":
        choice = None
    elif rule == "disperse":
        target_crowd = m.kind2 in k.get("protesters", ()) or m.kind2 in k.get("rioters", ()) or \
            _target_class(ctx, m.kind2, objs) == "protesters"
        choice = table.get("protesters_target") if target_crowd and not crowd else table.get("default")
    elif rule == "target" and _weapon_sub(m.trigger):  # "attacked a ship with missiles and drones"
        choice = _weapon_sub(m.trigger)
    elif rule == "target":
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


def _weapon_sub(tok) -> str | None:
    """The sub-type an attack's weapon names ("with missiles": shelling; "with drones": a drone strike)."""
    classes = matching.lexicon().classes
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("with", "using")):
        for obj in (g for g in prep.children if g.dep_ == "pobj"):
            for word in [obj, *obj.conjuncts]:
                if _lemma(word) in classes.get("missile", ()):
                    return "Shelling/artillery/missile attack"
                if _lemma(word) in classes.get("air", ()):
                    return "Air/drone strike"
    return None


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
    if m.sub == "Peaceful protest" and m.kind2 not in crowd:  # a peaceful protest has no second side
        m.actor2, m.kind2 = None, None
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
            ent = next((e for e in ents_of(ctx.doc) if e.start <= s.i < e.end), None)
            return (ent.text if ent is not None else s.text), "person"
    return None, None


def _party_media(name: str | None) -> bool:
    """A party's own outlet ("Amaq", "Al-Masirah"): what it reports is that party's claim."""
    return bool(name) and name.lower() in _set("modality", "party_media")


def _own_side(name: str | None, kind: str | None, m: _Mention) -> bool:
    """A government or ministry speaking of its own forces' action ("the ministry said its jets
    struck ..."): a claim, not a neutral report."""
    return kind == "state" and m.actor1 is not None and name != m.actor2 and \
        _name_country(name) is not None and _name_country(name) == _name_country(m.actor1) and \
        _name_country(name) != _name_country(m.actor2)


def _according_to(ctx: _Context, tok, country) -> tuple[str | None, str | None] | None:
    """The source of an "according to X" that governs the trigger's clause."""
    sent, lowers, toks = _sent(tok), ctx.lowers, ctx.tokens
    for acc in (toks[k] for k in range(sent.start, sent.end) if lowers[k] == "according"):
        head = acc.head
        if not (head.i == tok.i or head.is_ancestor(tok) or head.i == _sent(tok).root.i):
            continue
        src = next((g for c in acc.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"), None)
        if src is None:
            continue
        a = ctx.resolver.actor(src, country)
        if a is not None:
            return a.name, a.kind
        ent = next((e for e in ents_of(ctx.doc) if e.start <= src.i < e.end), None)
        return (ent.text if ent is not None else src.text), "person"
    return None


def _claimed_by_root(tok) -> bool:
    """The sentence's main verb is a claim ("Al-Shabaab claimed in a statement that ...") and the
    trigger sits in its "that" clause, however the parser attached that clause."""
    root = _sent(tok).root
    if _lemma(root) not in _set("modality", "claim_verbs") or root.i >= tok.i or not _is_verb(root):
        return False
    if any(_lemma(c) in _set("modality", "responsibility") for c in root.children):
        return False
    between = tok.doc[root.i + 1 : tok.i]
    return any(t.dep_ == "mark" and t.lower_ == "that" for t in between) and not any(
        t.dep_ == "nsubj" and t.head.i == root.i for t in between)


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


@functools.lru_cache(maxsize=1)
def _modality_words() -> dict[str, frozenset]:
    """The modality word lists of the lexicon as sets (as written, not lower-cased)."""
    mod = _lex()["modality"]
    keys = ("deny", "hypothetical_aux", "hypothetical_verbs", "hypothetical_mods", "conditional", "claim_verbs",
            "claim_nouns", "report_verbs", "responsibility", "claimant_kinds")
    return {k: frozenset(mod[k]) for k in keys}


def _modality(ctx: _Context, m: _Mention, country) -> None:
    words = _modality_words()
    deny = words["deny"]
    aux_h, verbs_h = words["hypothetical_aux"], words["hypothetical_verbs"]
    mods_h = words["hypothetical_mods"]
    cond, claim_v, claim_n = words["conditional"], words["claim_verbs"], words["claim_nouns"]
    report, resp = words["report_verbs"], words["responsibility"]
    claimant_kinds = words["claimant_kinds"]
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
        or any((_lemma(v) in verbs_h or (_lemma(v) in LIKELY and v.pos_ == "ADJ")) and below.dep_ != "conj"
               for below, v in zip(chain, chain[1:]))  # not "pushed past police and stormed the building"
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
        if lem in verbs_h and _is_verb(node) and via in ("ccomp", "xcomp", "dobj"):
            hypothetical = True  # "I would expect the fighting of the next weeks to be there"
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
            if not hypothetical and (kind in claimant_kinds and name in (m.actor1, m.actor2) or _party_media(name)
                                     or _own_side(name, kind, m)):
                m.modality = "claimed"
                m.claimed_by = name
                return
            break
    source = _according_to(ctx, tok, country)  # "according to Amaq, ..."
    if source is not None and not hypothetical:
        name, kind = source
        if kind in claimant_kinds and name in (m.actor1, m.actor2) or _party_media(name) or _own_side(name, kind, m):
            m.modality = "claimed"
            m.claimed_by = name
            return
    if not hypothetical and _claimed_by_root(tok):  # a misparsed "X claimed that its fighters had killed..."
        m.modality = "claimed"
        m.claimed_by = _speaker(ctx, _sent(tok).root, country)[0]
        return
    sent = _sent(tok)
    if hypothetical or ctx.text[sent.start_char:sent.end_char].rstrip(" \"'\u201d\u2019").endswith("?"):  # a question asks, it does not tell
        m.modality = "hypothetical"


# ---------------------------------------------------------------- place, time, figures


def _attached(ctx: _Context, m: _Mention, start: int, end: int) -> bool:
    """Does the expression at characters [start, end) belong to the trigger's clause (not to
    the reporting verb: 'the army said on Tuesday that ...')?"""
    span = ctx.char_span(start, end)
    if span is None or len(span) == 0:
        return False
    own = m.trigger if _is_verb(m.trigger) else _clause_verb(m.trigger)
    if _temporal(m.trigger):
        own = None  # "after three days of clashes": the clause's date is not the clashes'
    for c in (own, m.trigger):  # "December 2014, when gunmen stormed ..."
        if c is not None and c.dep_ in ("relcl", "acl", "advcl") and span.start <= c.head.i < span.end:
            return True
        # "Friday night's attack, which killed 133": the date of the noun the clause tells of
        if c is not None and c.dep_ == "relcl" and span.root.head.i == c.head.i and span.root.dep_ in (
                "poss", "compound", "npadvmod", "nmod"):
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
    span = ctx.char_span(start, end)
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


@functools.lru_cache(maxsize=4096)  # a pure function of its arguments (a tuple out); ~10 regexes per call
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
    sent = _sent(m.trigger)
    skip = ctx.skip
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
    ents = [e for e in sent_ents(sent) if e.label_ == "DATE" and not all(
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
    span = ctx.char_span(start, end)
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


_dateline_memo: list = [None, 0]  # the last text asked about (by identity) and its dateline end


def _dateline_end(text: str) -> int:
    """Where a wire dateline ("KRAMATORSK, Ukraine (Wire) - ", "MOGADISHU (Wire) - ") ends, or 0;
    a headline may come before it. Found once per text: it is asked for ~60 times per article."""
    from sitroom.extract.places import dateline_end

    memo = _dateline_memo
    if memo[0] is not text:
        memo[0], memo[1] = text, dateline_end(text)
    return memo[1]


def _place_key(ctx: _Context, m: _Mention) -> frozenset[str]:
    """The sub-national places of the trigger's own clause (PlaceMention names and GPE/LOC
    entities), lower case; countries and the dateline left out."""
    skip = ctx.skip
    sent = _sent(m.trigger)
    found: list[tuple[int, int, str]] = [
        (p.span.start, p.span.end, p.name or p.surface) for p in ctx.places
        if sent.start_char <= p.span.start < sent.end_char and p.geo_precision != 3]
    found += [(e.start_char, e.end_char, e.text) for e in sent_ents(sent) if e.label_ in ("GPE", "LOC")]
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
    """The place of the trigger, and whether it is named in the trigger's own clause.

    1. a town (or part of one) named in the trigger's own clause, else a province named there
       (or the town "the city" points back to when it lies in that province), else a name the
       gazetteer does not know: a building or street in the last town named (geo_precision 2),
       a village kept without coordinates;
    2. a country named there when it is not the article's own (an event abroad);
    3. a place only referred to in the clause ("the city", "the station", "the outskirts",
       "the capital"): the town that reference points back to; an institution of the state
       ("stormed parliament"): the capital;
    4. a town or province named elsewhere in the sentence;
    5. the article's main place (its dateline town when the story is about it), then a country
       of the sentence; else nothing: no place is invented."""
    sent = _sent(m.trigger)
    found = _sentence_places(ctx, sent)
    own = [p for p in found if _in_clause(ctx, m, p.span.start, p.span.end) and not _other_conjunct(ctx, m, p)]
    near = functools.partial(_nearest, m.trigger.idx)
    if at := [p for p in own if _place_level(p) == 0]:
        return near(at), True
    pointed = _anaphor_place(ctx, m)
    if at := [p for p in own if _place_level(p) == 1]:
        region = near(at)  # "took the city, the capital of Gezira state": the city, when it lies there
        if pointed is not None and (pointed.iso, pointed.admin1) == (region.iso, region.admin1):
            return pointed, True
        return region, True
    if at := [p for p in own if _place_level(p) == 2]:
        best = near(at)
        return _landmark_town(ctx, best) or best, True
    main = _main_place(ctx)
    home = main.iso if main is not None else ctx.country
    abroad = [p for p in own if _place_level(p) == 3 and p.iso and p.iso != home]
    if abroad and not any(_place_level(p) == 3 and p.iso == home for p in own):
        return near(abroad), True
    if pointed is not None:
        return pointed, False
    institution = _capital_landmark(ctx, m, [p.iso for p in own if _place_level(p) == 3 and p.iso] + [home])
    if institution is not None:
        return institution, True
    for level in (0, 1):
        if at := [p for p in found if _place_level(p) == level]:
            return near(at), False
    if main is not None:
        return main, False
    countries = [p for p in found if _place_level(p) == 3]
    return (near(countries), False) if countries else (None, False)


def _capital_landmark(ctx: _Context, m: _Mention, isos: list) -> PlaceMention | None:
    """"stormed parliament", "outside the presidential palace": an institution of the state in the
    trigger's clause stands in the capital of the country the clause or the article is about."""
    from sitroom.resolve.gazetteer import capital_of

    iso = next((i for i in isos if i), None)
    if iso is None:
        return None
    words = _place_words("capital_landmarks")
    sent, lowers = _sent(m.trigger), ctx.lowers
    for k in range(sent.start, sent.end):
        two = f"{lowers[k]} {lowers[k + 1]}" if k + 1 < sent.end else ""
        hit = two if two in words else lowers[k] if lowers[k] in words else None
        if hit is None:
            continue
        tok = ctx.tokens[k]
        if not _in_clause(ctx, m, tok.idx, tok.idx + len(tok.text)):
            continue
        e = capital_of(iso)
        if e is None:
            return None
        end = tok.idx + len(hit)
        return PlaceMention(surface=ctx.text[tok.idx:end], span=Span(tok.idx, end), label="FAC",
                            name=e.ascii_name or e.name, country=e.country, iso=e.iso, admin1=e.admin1,
                            latitude=e.latitude, longitude=e.longitude, geo_precision=2)
    return None


def _capital_place(ctx: _Context, tok) -> PlaceMention | None:
    """"the capital": the capital city of the article's country, as a place at the word."""
    from sitroom.resolve.gazetteer import capital_of

    main = _main_place(ctx)
    iso = main.iso if main is not None and main.iso else ctx.country
    e = capital_of(iso) if iso else None
    if e is None:
        return None
    return PlaceMention(surface=tok.text, span=Span(tok.idx, tok.idx + len(tok.text)), label="GPE",
                        name=e.ascii_name or e.name, country=e.country, iso=e.iso, admin1=e.admin1,
                        latitude=e.latitude, longitude=e.longitude, geo_precision=1)


def _nearest(at: int, places: list[PlaceMention]) -> PlaceMention:
    return min(places, key=lambda p: (min(abs(p.span.start - at), abs(p.span.end - at)), p.span.start))


def _place_level(p: PlaceMention) -> int:
    """0 a town or part of one, 1 a province (both with coordinates), 2 a name the gazetteer does
    not know, 3 a country."""
    if p.latitude is not None:
        return 0 if p.geo_precision in (1, 2) else 1
    if p.iso and p.geo_precision == 3:
        return 3
    return 2


def _dateline_counts(ctx: _Context, p: PlaceMention) -> bool:
    """Does a place stand where it may locate events, as far as the dateline goes? A dateline
    names where the wire filed from: it counts when the story names that place again or when it
    lies in the country the story is about ("SANAA" for a Yemen story, not "CAIRO" for a Sudan one)."""
    skip = ctx.skip
    if p.span.start >= skip:
        return True
    if ctx._after_dateline_lower is None:
        ctx._after_dateline_lower = ctx.text[skip:].lower()
    return (p.name or p.surface).lower() in ctx._after_dateline_lower or (p.iso is not None and p.iso == ctx.country)


@functools.cache
def _place_words(key: str) -> frozenset[str]:
    from sitroom.extract.places import _cues

    return _cues()[key]


def _sentence_places(ctx: _Context, sent) -> list[PlaceMention]:
    """The places of a sentence that may locate an event in it: not the dateline (it comes in as
    the article's main place, see :func:`_main_place`), not a place that speaks ("Moscow denied"),
    acts or only says whose a group is ("Donetsk rebels", "Sudan's army"). Found once per sentence."""
    found = ctx._sentence_places.get(sent.start)
    if found is not None:
        return list(found)
    skip = ctx.skip
    out = []
    for p in ctx.places:
        if not sent.start_char <= p.span.start < sent.end_char:
            continue
        if p.span.start >= skip and not _speaks_or_owns(ctx, p):
            out.append(p)
    ctx._sentence_places[sent.start] = out
    return list(out)


def _speaks_or_owns(ctx: _Context, p: PlaceMention) -> bool:
    """:func:`_place_acts`, found once per place of the article."""
    known = ctx._speaks.get(id(p))
    if known is not None and known[0] is p:
        return known[1]
    answer = _place_acts(ctx, p)
    ctx._speaks[id(p)] = (p, answer)  # the place is kept with its answer: its id stays its own
    return answer


def _place_acts(ctx: _Context, p: PlaceMention) -> bool:
    """Is the place an actor in its sentence rather than where something happened: one that
    speaks ("Moscow denied", "Kyiv says"), acts on something ("Russia shelled Kharkiv", "drones
    launched by Russia") or names whose a group is ("Donetsk rebels", "Sudan's army")? A place
    that only undergoes ("Debaltseve has fallen", "Kharkiv was shelled") is a place."""
    span = ctx.char_span(p.span.start, p.span.end)
    if span is None:
        return False
    root = span.root
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        return True
    if _place_level(p) == 3 and root.dep_ in ("nsubj", "compound", "amod", "poss", "nmod"):
        return True  # a country that acts ("France intervened") or qualifies ("U.S. service members")
    if root.dep_ == "nsubj":
        verb = root.head
        says = _set("modality", "report_verbs") | _set("modality", "claim_verbs") | _set("modality", "deny")
        if _lemma(verb) in says or any(c.dep_ == "xcomp" and _lemma(c) in says for c in verb.children):
            return True
        if any(c.dep_ in ("dobj", "attr", "ccomp", "xcomp", "dative") for c in verb.children):
            return True
    heads = _place_words("actor_heads")
    return root.dep_ in ("compound", "poss", "amod", "nmod") and root.head.lower_ in heads and not (
        root.head.i < span.start)


def _other_conjunct(ctx: _Context, m: _Mention, p: PlaceMention) -> bool:
    """Is the place in a clause coordinated with the trigger's ("launched its offensive on the
    city, and many who fled had come from Khartoum"), not in the trigger's own?"""
    span = ctx.char_span(p.span.start, p.span.end)
    if span is None:
        return False
    own = m.trigger if _is_verb(m.trigger) else _clause_verb(m.trigger)
    node = span.root
    for _ in range(12):
        if node.i == m.trigger.i or (own is not None and node.i == own.i):
            return False
        if node is not span.root and _is_verb(node):
            return node.dep_ == "conj" and not node.is_ancestor(m.trigger)
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _anaphor_place(ctx: _Context, m: _Mention) -> PlaceMention | None:
    """The place a reference in the trigger's clause points back to: "the city" to the last town
    named before it, "the station" to the last sentence naming a station with its town."""
    anaphors = _place_words("place_anaphors")
    landmarks = _place_words("landmark_words") | _place_words("part_words")
    sent, lowers = _sent(m.trigger), ctx.lowers
    for k in range(sent.start, sent.end):
        word = lowers[k]
        if word not in anaphors and word not in landmarks:
            continue
        tok = ctx.tokens[k]
        if not any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its") for c in tok.children):
            continue
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            continue  # "the capital of Gezira state", "the city of Mosul": not a reference back
        if not _in_clause(ctx, m, tok.idx, tok.idx + len(tok.text)):
            continue
        if word == "capital":  # "the capital": the capital of the country the article is about
            return _capital_place(ctx, tok) or _town_before(ctx, tok.idx)
        if word in landmarks and word not in anaphors:
            same = _landmark_antecedent(ctx, tok)
            if same is not None:
                return same
        return _town_before(ctx, tok.idx)
    return None


_STREET_WORDS = ("gate", "avenue", "road", "street", "tower", "hall", "lines", "boulevard", "highway", "square")


def _landmark_town(ctx: _Context, p: PlaceMention) -> PlaceMention | None:
    """A building, street, landmark or quarter the gazetteer does not know ("Abbey Gate", "Bunge
    Tower", "the Hadba al-Khadra district") lies in a town: the last town named before it, else
    the article's main place, as a part of that town (geo_precision 2). None for other unknown
    names (a village keeps its name and gets no coordinates)."""
    words = _place_words("landmark_words") | _place_words("part_words")
    lasts = {x.split()[-1].lower() for x in (p.name, p.surface) if x and x.split()}
    if p.label != "FAC" and not lasts & (words | set(_STREET_WORDS)):
        return None
    import dataclasses

    town = _town_before(ctx, p.span.start) or _main_place(ctx)
    if town is None or _place_level(town) != 0:
        return None
    return dataclasses.replace(town, surface=p.surface, span=p.span, label=p.label, geo_precision=2)


def _town_before(ctx: _Context, at: int) -> PlaceMention | None:
    """The last town named before a character offset (none across a heading)."""
    floor = _section_floor(ctx, at)
    towns = [p for p in ctx.places if floor <= p.span.start < at and _place_level(p) == 0
             and not _speaks_or_owns(ctx, p) and _dateline_counts(ctx, p)]
    return max(towns, key=lambda p: p.span.start) if towns else None


def _landmark_antecedent(ctx: _Context, tok) -> PlaceMention | None:
    """"the school": the town of the last earlier sentence that names a school with its town."""
    floor = _section_floor(ctx, tok.idx)
    lowers, word = ctx.lowers, tok.lower_
    for sent in reversed([s for s in ctx.sents if floor <= s.start_char and s.end_char <= _sent(tok).start_char]):
        at = next((k for k in range(sent.start, sent.end) if lowers[k] == word), None)  # its first word alike
        if at is None:
            continue
        towns = [p for p in _sentence_places(ctx, sent) if _place_level(p) == 0]
        if towns:
            idx = ctx.tokens[at].idx
            return min(towns, key=lambda p: abs(p.span.start - idx))
    return None


_HEADING = re.compile(r"(?m)^[^\n.!?]{1,80}$")


def _section_start(text: str, at: int) -> int:
    """Where the section holding an offset starts: after the last heading line before it (a
    short line with no sentence end, as in a live blog's "14:20 - Shots fired"), else 0."""
    last = 0
    for h in _HEADING.finditer(text, 0, at):
        if h.end() < at and not text[h.start():h.end()].rstrip().endswith((",", ";", ":")):
            last = h.end()
    return last


def _section_floor(ctx: _Context, at: int) -> int:
    """:func:`_section_start` from the article's heading ends, found once (a heading line wholly
    before an offset is found alike in the whole text and in the text cut at the offset)."""
    if ctx._headings is None:
        text = ctx.text
        ctx._headings = [h.end() for h in _HEADING.finditer(text)
                         if not text[h.start():h.end()].rstrip().endswith((",", ";", ":"))]
    k = bisect.bisect_left(ctx._headings, at)  # the heading ends before ``at``
    return ctx._headings[k - 1] if k else 0


def _main_place(ctx: _Context) -> PlaceMention | None:
    """The place the article is about: the town (or province) it names most often outside
    speakers and groups' names, its dateline counting one and a half where it counts at all (see
    :func:`_dateline_counts`); ties go to the first named."""
    cached = getattr(ctx, "_main_place_cache", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    skip = ctx.skip
    votes: dict[tuple, float] = {}
    first: dict[tuple, PlaceMention] = {}
    for p in ctx.places:
        level = _place_level(p)
        if level > 1 or _speaks_or_owns(ctx, p) or not _dateline_counts(ctx, p):
            continue
        key = (p.iso, p.name, level)
        votes[key] = votes.get(key, 0.0) + (1.0 if level == 0 else 0.5) + (0.5 if p.span.start < skip else 0.0)
        first.setdefault(key, p)
    best = max(votes, key=lambda k: (votes[k], -first[k].span.start), default=None)
    main = first[best] if best is not None else None
    ctx._main_place_cache = main  # type: ignore[attr-defined]
    return main


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
        here = [m for m in mentions if _sent(m.trigger).start == _sent(head).start]
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
    if tok.tag_ == "VBG" and tok.dep_ in ("dobj", "pobj"):  # "ending six weeks of fighting", "fled the fighting"
        flee = _clause_verb(tok)
        if flee is not None and _lemma(flee) in _set("background_verbs") and not any(
                c.ent_type_ in ("DATE", "TIME") for c in tok.subtree):
            return True
    if _is_verb(tok):  # "have fired ... since February": a habit, not an incident
        perfect = any(c.dep_ == "aux" and _lemma(c) == "have" and c.tag_ in ("VBZ", "VBP")
                      for c in tok.children)
        purpose = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and tok.head.i != tok.i \
            and _lemma(tok.head) in _set("purpose_heads")  # "relied on Wagner to fight jihadists"
        ongoing = tok.tag_ == "VBG" and tok.dep_ == "xcomp" and _lemma(tok.head) in ("keep", "continue", "carry") \
            and not any(c.dep_ in ("dobj", "prep", "npadvmod") for c in tok.children) \
            and m.date_key is None and not m.place_key  # "and they kept attacking": an activity, no incident
        progressive = tok.tag_ == "VBG" and any(c.dep_ == "aux" and _lemma(c) == "be" for c in tok.children) \
            and _lemma(tok) in _set("ongoing_verbs") and m.date_key is None and not m.place_key
        # "Ukraine ... was fighting the Russian army on the battlefield": a state of war, no incident
        return purpose or ongoing or progressive or (
            perfect and any(c.dep_ == "prep" and c.lower_ == "since" for c in tok.children))
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    while tok.dep_ == "compound" and tok.head.i != tok.i and tok.head.pos_ in ("NOUN", "PROPN"):
        tok = tok.head  # "the chemical weapons attack": the phrase's head decides
    flee = _clause_verb(tok)
    if flee is not None and _lemma(flee) in _set("background_verbs") and tok.dep_ in ("dobj", "pobj") and not any(
            c.ent_type_ in ("DATE", "TIME") for c in tok.subtree):
        return True  # "people who fled the fighting in Khartoum": the cause of a flight, not an incident told
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
    if _label(tok):
        return True
    dets = [c for c in tok.children if c.dep_ == "det"]
    mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nummod", "prep")]
    return bool(dets) and dets[0].lower_ in ("the", "this", "that") and not mods


def _told_about(m: _Mention) -> bool:
    """A noun trigger that is only the topic of its clause (the subject of a toll, the object of a
    condemnation): the clause's date is the toll's or the statement's, not the incident's."""
    tok = m.trigger
    if _lemma(tok) in _set("quantities", "toll_nouns"):  # "the toll rose to 100 on Wednesday"
        return True
    if _is_verb(tok) or not m.anaphoric and not any(c.dep_ == "poss" for c in tok.children):
        return False
    node = tok
    for _ in range(4):
        if node.head.i == node.i:
            return False
        node = node.head
        if _lemma(node) in _set("quantities", "toll_nouns"):
            return True
        if _is_verb(node):
            return _lemma(node) in _set("not_agent_verbs") | _set("modality", "report_verbs")
    return False


def _label(tok) -> bool:
    """A name given to a told incident: "describing the bombing as a 'martyrdom operation'"."""
    while tok.dep_ == "compound" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ == "as" and _lemma(tok.head.head) in _set("label_verbs")


# ---------------------------------------------------------------- building mentions


def _mention(ctx: _Context, hit: matching.Hit) -> _Mention | None:
    doc = ctx.doc
    tok = doc[hit.head]
    rule = hit.rule
    m = _Mention(hit=hit, sub=rule.sub, level=rule.level, trigger=tok, sentence=_evidence(doc, tok),
                 into=rule.into, published=ctx.document.published)
    sent = _sent(tok)
    m.place, m.place_own = _best_place(ctx, m)
    m.place_key = _place_key(ctx, m)
    _time_and_date(ctx, m)
    country = ctx.sent_country(sent, m.place)
    a1, a2, objs = _roles(ctx, m, country)
    m.actor1, m.kind1 = _name(ctx, a1, country, m.event_type)
    m.actor2, m.kind2 = _name(ctx, a2, country, m.event_type, victim=True)
    if country is None:  # a side named without a country takes its partner's: "between M23 and the army"
        partner = _name_country(m.actor1) or _name_country(m.actor2)
        if partner is not None:
            country = partner
            m.actor1, m.kind1 = _name(ctx, a1, country, m.event_type)
            m.actor2, m.kind2 = _name(ctx, a2, country, m.event_type, victim=True)
    crowd_of_civilians = m.kind1 == "civilians" and a1 is not None and a1.dep_ == "nsubj" and a1.head.i == tok.i
    if m.kind1 == "civilians":  # civilians are victims, never the side that acts
        m.actor1, m.kind1 = None, None
    if m.actor1 is not None and m.actor1 == m.actor2:
        m.actor2, m.kind2 = None, None
    if rule.need_actor and m.actor1 is None and m.actor2 is None:
        return None
    if m.sub is not None:
        _retype(ctx, m, objs)
        if crowd_of_civilians and m.sub == "Attack":  # "villagers beat two thieves to death": a mob
            m.sub = "Mob violence"
        _crowd_first(m, country)
        if m.event_type == "Riots" and (m.kind1 == "protesters" or (m.actor1 is None and crowd_of_civilians)):
            rioters = dictionary.lookup("rioters", country)  # ACLED names a riot's crowd "Rioters"
            m.actor1, m.kind1 = (rioters.name, rioters.kind) if rioters else (m.actor1, m.kind1)
    _modality(ctx, m, country)
    m.generic = _generic(m)
    m.anaphoric = m.level != "restate" and _anaphoric(m)
    if m.anaphoric and _label(m.trigger):  # a label's clause tells when the label was given, not the incident
        m.time, m.date_key, m.place, m.place_key = None, None, None, frozenset()
    elif _told_about(m):  # "the toll from the bombing rose to 100 on Wednesday", "condemned the attack on Tuesday"
        m.time, m.date_key = None, None
    opening = " ".join(t.lower_ for t in sent[:4])
    m.separate = any(opening.startswith(w) for w in _set("separate_markers"))
    return m


def _within_sentence(mentions: list[_Mention]) -> list[_Mention]:
    """Fold triggers that sit inside another's phrase into the stronger one; weak triggers give
    way to any strong one of the sentence."""
    by_sent: dict[int, list[_Mention]] = {}
    for m in mentions:
        by_sent.setdefault(_sent(m.trigger).start, []).append(m)
    kept: list[_Mention] = []
    for group in by_sent.values():
        events = [m for m in group if m.level != "restate"]
        strong = [m for m in events if m.level == "strong"]
        alive = list(events)
        for m in events:
            hosts = [x for x in strong if x.event_type in VIOLENT + ("Protests", "Riots")
                     or m.event_type not in VIOLENT]  # "killed 40 soldiers and seized weapons": the killing stays
            if m.level == "weak" and hosts:
                target = min(hosts, key=lambda s: _tree_distance(s.trigger, m.trigger))
                _absorb(target, m)
                alive.remove(m)
        for a in list(alive):
            for b in list(alive):
                if a is b or a not in alive or b not in alive:
                    continue
                if _same_clause(a.trigger, b.trigger):
                    win, lose = (a, b) if (a.priority, -a.hit.start) >= (b.priority, -b.hit.start) else (b, a)
                    if _disarms(lose, win):  # "police defused a bomb": the bomb did not go off
                        win, lose = lose, win
                    if lose.modality != win.modality and "hypothetical" in (lose.modality, win.modality):
                        continue
                    _absorb(win, lose)
                    alive.remove(lose)
                elif _describes_crowd(a, b):  # "police fired on protesters who stormed parliament": one event
                    _absorb(a, b)
                    alive.remove(b)
        kept += alive
        kept += [m for m in group if m.level == "restate"]
    return sorted(kept, key=lambda m: m.hit.start)


def _describes_crowd(a: _Mention, b: _Mention) -> bool:
    """Is ``b`` told in a clause that describes the crowd ``a`` is done to ("opened fire on
    protesters who stormed parliament")? Both are of the protest and riot family."""
    crowd = ("Protests", "Riots")
    if a.event_type not in crowd or b.event_type not in crowd or b.trigger.dep_ not in ("relcl", "acl"):
        return False
    head = b.trigger.head
    return any(o.i == head.i for o in matching.objects(a.trigger)) or (
        head.dep_ == "pobj" and head.head.head.i == a.trigger.i)


def _disarms(m: _Mention, device: _Mention) -> bool:
    """Is ``m`` the disruption of the device ``device`` names ("defused a bomb", "seized mines")?"""
    if m.sub != "Disrupted weapons use" or device.sub not in _set("disarmed_devices") and \
            (device.sub or "").lower() not in _set("disarmed_devices"):
        return False
    tok = device.trigger
    while tok.dep_ == "compound" and tok.head.i != tok.i:
        tok = tok.head
    return any(o.i == tok.i for o in matching.objects(m.trigger))


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
        if node.dep_ in ("relcl", "ccomp", "parataxis") or (node.dep_ in ("acl", "advcl", "conj") and own_subject):
            return False
        node = node.head
    return True


def ctx_state_kinds() -> frozenset[str]:
    return _set("actor_kinds", "state")


def _absorb(win: _Mention, lose: _Mention) -> None:
    """The stronger mention of a sentence takes the weaker one's figures and missing sides."""
    win.figures += lose.figures
    if lose.generic or (lose.modality != win.modality and "asserted" in (lose.modality, win.modality)):
        return  # "bombings inside mosques" or a denial lends no sides to the incident told
    if lose.level != "weak" and lose.event_type != win.event_type:  # an interception is not the attack
        win.time = win.time or lose.time
        win.date_key = win.date_key or lose.date_key
        return
    if win.actor1 is None and lose.actor1 is not None and lose.actor1 != win.actor2:
        win.actor1, win.kind1 = lose.actor1, lose.kind1
    crowd = ("protesters", "rioters")
    if win.actor2 is None and (win.sub or "").lower() in _set("crowd_first") and lose.kind1 in ctx_state_kinds() \
            and lose.kind2 in crowd:  # "police arrested supporters after the rally turned violent": police
        win.actor2, win.kind2 = lose.actor1, lose.kind1
    if win.actor2 is None and lose.actor2 is not None and lose.actor2 != win.actor1:
        win.actor2, win.kind2 = lose.actor2, lose.kind2
        if win.hit.rule.retype == "target" and win.sub == "Armed clash" and win.kind2 == "civilians" \
                and win.kind1 not in ("protesters", "rioters"):
            win.sub = "Attack"  # "attacked the town, killing 200 civilians": violence against civilians
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
        same_sentence = _sent(o.trigger).start == _sent(m.trigger).start
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


def _next_sentences(a, b) -> bool:
    """One sentence follows the other ("... rallied in Dhaka. Police fired tear gas to disperse them")."""
    return a.end == b.start or b.end == a.start


def _mergeable(e: _Event, m: _Mention) -> bool:
    p = e.primary
    if (m.modality == "hypothetical") != (p.modality == "hypothetical"):
        return False
    if not _folds(m.sub, p.sub):
        return False
    if m.sub != p.sub and m.place_key and not any(  # told with another word: only where it was told,
            _same_place(o.place_key, m.place_key)  # or next to it when the event has no place of its own
            or _sent(o.trigger).start == _sent(m.trigger).start for o in e.mentions) and not (
            not any(o.place_key for o in e.mentions)
            and any(_next_sentences(_sent(o.trigger), _sent(m.trigger)) for o in e.mentions)):
        return False
    return not _conflict(e, m)


def _restate_target(events: list[_Event], m: _Mention, into) -> _Event | None:
    """The event a restating mention belongs to: the nearest one told before it (else after)
    whose sub-type it can restate, with no conflicting date."""
    def fits(e: _Event) -> bool:
        return _in(e.sub, into) and not any(_dates_conflict(o.date_key, m.date_key) for o in e.mentions) \
            and e.primary.modality != "hypothetical" and (m.level == "restate" or not _conflict(e, m))

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
            target = _restate_target(events, m, (m.sub, *m.into))
            if target is not None and not _conflict(target, m):
                target.mentions.append(m)
                continue
        target = _closest([e for e in events if _mergeable(e, m)], m)
        if m.separate and target is not None and all(_sent(o.trigger).start != _sent(m.trigger).start
                                                     for o in target.mentions):
            target = None
        if target is None:
            events.append(_Event([m]))
        else:
            target.mentions.append(m)
    events = _fold_events(events)
    claimed = {(_sent(m.trigger).start) for e in events for m in e.mentions}
    for m in (x for x in mentions if x.level == "restate"):
        target = _restate_target(events, m, m.into)
        own = {_sent(o.trigger).start for o in target.mentions} if target else set()
        if target is not None and (_sent(m.trigger).start not in claimed or _sent(m.trigger).start in own):
            target.mentions.append(m)
    return events


def _anchors(sent) -> set[str]:
    """The content nouns of a sentence (no trigger words): what an incident is about ("parliament")."""
    words = matching.lexicon().rules
    return {_lemma(t) for t in sent if t.pos_ in ("NOUN", "PROPN") and len(t.text) > 3
            and _lemma(t) not in words and not t.like_num}


def _closest(candidates: list[_Event], m: _Mention) -> _Event | None:
    """Of the events a mention may restate, the one whose sentences share most of its content
    nouns ("outside parliament" goes with the storming of parliament), else the latest told."""
    if len(candidates) < 2:
        return candidates[-1] if candidates else None
    mine = _anchors(_sent(m.trigger))

    def score(e: _Event) -> int:
        return len(mine & set().union(*(_anchors(_sent(o.trigger)) for o in e.mentions if o is not m)))

    best = max(score(e) for e in candidates)
    return [e for e in candidates if score(e) == best][-1]


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
    for tok in ctx.verbs:
        if _lemma(tok) != "claim":
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
            earlier = [e for e in events if min(_sent(o.trigger).start for o in e.mentions
                                                if o.level != "restate") < _sent(tok).start]
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


def _figures(mentions: list[_Mention], text: str = "", doc=None,
             primary: _Mention | None = None) -> tuple[int | None, int | None, int | None]:
    """(best, min, max) fatalities of an incident from its figures. A vague figure ("dozens") gives
    a range and no point value; a bounded one ("between 20 and 30") its lower end; figures on one
    word add up ("killing 12 soldiers and 3 civilians"). The best is the latest toll update ("the
    toll rose to 52") if any, else the figure of the sentence that tells the incident, else the
    lowest reported; the range spans every report ("at least 39" alone has no upper bound)."""
    qs = sorted({(q.span.start, q.span.end): q for m in mentions for q in m.figures}.values(),
                key=lambda q: q.span.start)
    if not qs:
        return None, None, None
    heads: dict[int, list] = {}  # head token → [point, low, high]; None point: no point value
    extra = 0  # "Thirteen U.S. service members also died": more victims of the same incident
    for q in qs:
        head = doc[q.head] if doc is not None else None
        if head is not None and any(ch.dep_ == "advmod" and ch.lower_ in ("also", "too", "additionally")
                                    for t in (head, head.head) for ch in t.children) and q.value is not None \
                and primary is not None and not (_sent(primary.trigger).start <= q.head < _sent(primary.trigger).end):
            if not (q.value == 1 and quantities.singled_out(q.span.of(text))):  # "the imam was also killed": one of the toll
                extra += q.value
            continue
        vague = quantities.vague(q.span.of(text))
        pt = None if vague else q.value if q.value is not None else q.low if q.high is not None else None
        low = q.low if q.low is not None else q.value
        high = q.high if q.high is not None else (q.value if q.low is None else None)
        if q.head not in heads:
            heads[q.head] = [pt, low, high]
            continue
        h = heads[q.head]  # another figure on the same word: a part of the same toll
        h[0] = None if h[0] is None or pt is None else h[0] + pt
        h[1] = None if h[1] is None or low is None else h[1] + low
        h[2] = None if h[2] is None or high is None else h[2] + high
    points = {k: v[0] for k, v in heads.items() if v[0] is not None}
    best = None
    if points:
        tolls = [x for k, x in points.items() if doc is not None
                 and _lemma(doc[k]) in _set("quantities", "toll_nouns")]
        told = [x for k, x in points.items() if primary is not None
                and _sent(primary.trigger).start <= k < _sent(primary.trigger).end]
        best = (tolls[-1] if tolls else told[0] if told else min(points.values())) + extra
    else:  # "up to 40" alone: 40
        capped = [v[2] for v in heads.values() if v[1] is None and v[2] is not None]
        best = min(capped) if capped else (extra or None)
    partial = [v[1] for v in heads.values() if v[0] is None and v[1] is not None and v[2] is None]
    lows = [v[1] for v in heads.values() if v[1] is not None and not (points and v[0] is None and v[2] is None)]
    lows = lows or partial  # "two Britons were among the dead": a part of the toll, a bound only alone
    bounded = [v[2] for v in heads.values() if v[2] is not None]
    open_lows = [v[1] for v in heads.values() if v[2] is None and v[1] is not None]
    top = max(bounded) if bounded else None
    if top is not None and any(x > top for x in open_lows):
        top = None  # "at least 60" above every bounded figure: no upper bound
    low = min(lows) if lows else None
    # summed parts over quantities.MAX_FIGURE are no toll either (nor would they fit the stores)
    return tuple(None if x is not None and x > quantities.MAX_FIGURE else x for x in (best, low, top))


def _notes(ctx: _Context, ev: EventMention, p: _Mention) -> str:
    """One plain sentence from the record: when, who did what to whom, where, how many died, and
    who says so ("On 8 April 2022, Military Forces of Russia carried out shelling or a missile
    attack on civilians in Kramatorsk, Donetsk, Ukraine; at least 39 people were reported killed.")."""
    spec = (_lex().get("notes") or {}).get(ev.sub_event_type) or {}
    a1, a2 = _display(ev.actor1), _display(ev.actor2)
    where = _where_words(ev.place)
    values = {"a1": a1, "a2": a2, "where": where, "ground": where or "territory", "what": _what(p.trigger)}
    template = spec.get("active") if a1 else spec.get("passive")
    clause = _fill(template or "{a1} was involved in an event ({what})" if a1 else
                   template or "an event was reported ({what})", values)
    if where and "{where}" not in (template or "") and "{ground}" not in (template or ""):
        clause += f" in {where}"
    when = _date_words(ev.time)
    dead = _dead_words(ev.fatalities, ev.fatalities_min, ev.fatalities_max)
    if ev.modality == "hypothetical":
        text = f"Expected, planned or threatened, not reported as having happened: {clause}"
    elif ev.modality == "negated":
        text = f"Reported as not having happened: {clause}"
    else:
        lead = f"{when}, " if when else ""
        source = f"according to {_display(ev.claimed_by) or 'one of the parties'}, " if ev.modality == "claimed" else ""
        text = f"{lead}{source}{clause}{dead}"
    text = " ".join(text.split())
    return text[:1].upper() + text[1:] + "."


def _what(tok) -> str:
    """The trigger in a few words: a verb with its object ("imposed a curfew"), a noun with the
    verb it is the object of ("staged a coup")."""
    verb = tok if _is_verb(tok) else (tok.head if tok.dep_ in ("dobj", "nsubjpass") else None)
    if verb is None:
        return tok.text.lower()
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    words = [verb.text] + ([t.text for t in obj.doc[obj.left_edge.i : obj.i + 1]] if obj is not None else [])
    return " ".join(words[:6]).lower()


def _fill(template: str, values: dict[str, str | None]) -> str:
    """A notes template: {name} is replaced; a [bracketed part] is dropped when a name in it is empty."""
    def part(found: re.Match) -> str:
        inner = found.group(1)
        names = re.findall(r"\{(\w+)\}", inner)
        return "" if any(not values.get(n) for n in names) else inner
    out = re.sub(r"\[([^\[\]]*)\]", part, template)
    return re.sub(r"\{(\w+)\}", lambda f: values.get(f.group(1)) or "", out).strip()


def _display(name: str | None) -> str | None:
    """An actor as a sentence names it: generic sides in plain words ("Civilians (Sudan)" → "civilians")."""
    if not name:
        return None
    plain = {"Civilians": "civilians", "Protesters": "protesters", "Rioters": "rioters",
             "Unidentified Armed Group": "an unidentified armed group",
             "Unidentified Communal Militia": "an unidentified communal militia"}
    base = re.sub(r"\s*\([^()]*\)$", "", name)
    return plain.get(base, name)


def _where_words(place: PlaceMention | None) -> str | None:
    if place is None:
        return None
    parts = [place.name or place.surface, place.admin1, place.country or dictionary.country_name(place.iso)]
    out: list[str] = []
    for x in parts:
        if x and all(x.lower() not in y.lower() for y in out):
            out.append(x)
    return ", ".join(out) or None


def _date_words(time: TimeSpan | None) -> str | None:
    if time is None or time.start is None:
        return None
    a, b = time.start, time.end or time.start

    def day(d: dt.date, year: bool = True) -> str:
        return f"{d.day} {MONTHS[d.month - 1].capitalize()}" + (f" {d.year}" if year else "")

    if a == b:
        return f"on {day(a)}"
    if a.day == 1 and (b + dt.timedelta(days=1)).day == 1 and (a.year, a.month) == (b.year, b.month):
        return f"in {MONTHS[a.month - 1].capitalize()} {a.year}"
    if a.month == 1 and a.day == 1 and b.month == 12 and b.day == 31 and a.year == b.year:
        return f"in {a.year}"
    if (a.year, a.month) == (b.year, b.month):
        return f"between {a.day} and {day(b)}"
    return f"between {day(a, a.year != b.year)} and {day(b)}"


def _dead_words(fat: int | None, low: int | None, high: int | None) -> str:
    if fat is None and low is None:
        return ""
    if fat is not None and (low in (None, fat)) and high is None:
        n, what = fat, f"at least {fat}" if low == fat else f"{fat}"
    elif fat is not None and low is not None and high is not None and low != high:
        n = fat
        return f"; {fat} {'person was' if n == 1 else 'people were'} reported killed (reports range from {low} to {high})"
    elif fat is not None:
        n, what = fat, f"{fat}"
    elif high is not None:
        n, what = high, f"between {low} and {high}"
    else:
        n, what = low, f"at least {low}"
    return f"; {what} {'person was' if n == 1 and what == '1' else 'people were'} reported killed"


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
    for tok in _sent(m.trigger):
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("compound", "amod"):
            continue
        if tok.dep_ == "nsubj" and _lemma(tok.head) in report:
            continue
        agent = tok.dep_ == "pobj" and (tok.head.dep_ == "agent" or tok.head.lower_ == "by")
        if tok.dep_ not in ("nsubj", "nsubjpass") and not agent:
            continue  # one who acts: a subject or a 'by' agent, not a place or a victim ("inside a police compound")
        governor = tok.head.head if agent else tok.head
        if governor.i != m.trigger.i and _strong_trigger(governor):
            continue  # the side of another incident told in the sentence ("the destruction by ISIS")
        a = ctx.resolver.np(tok)
        if a is not None and a.kind in ARMED and not is_generic(a) and a.name != m.actor2:
            found.add(a.name)
    return found.pop() if len(found) == 1 else None


def _strong_trigger(tok) -> bool:
    rules = matching.lexicon().rules.get(_lemma(tok)) or matching.lexicon().rules.get(tok.lower_) or ()
    return any(r.level == "strong" for r in rules)


VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")
LOCATIVE = ("in", "inside", "at", "near", "outside", "around", "across", "within", "over", "into", "behind")


def _second_side(m: _Mention, p: _Mention) -> str | None:
    """actor2 as a mention tells it; for a crowd's event, the force that arrested or met the crowd
    ("police arrested supporters after the rally turned violent": the police)."""
    if (p.sub or "").lower() in _set("crowd_first") and m.kind1 in ctx_state_kinds() \
            and m.kind2 in ("protesters", "rioters"):
        return m.actor1
    return m.actor2


def _attributed(m: _Mention) -> bool:
    """Is the mention a party's claim that another side did it ("the ministry claimed the missile
    had been fired by Ukrainian troops")?"""
    return m.modality == "claimed" and m.actor1 is not None and m.claimed_by not in (None, m.actor1) and (
        _name_country(m.claimed_by) is None or _name_country(m.claimed_by) != _name_country(m.actor1))


def _parties(ctx: _Context, m: _Mention, actor2: str | None) -> tuple[str | None, str | None]:
    """The sides of an agreement named in a 'between' phrase of its sentence ("agreed in Minsk after
    talks between the leaders of Russia, Ukraine, Germany and France")."""
    found: list[str] = []
    for prep in (t for t in _sent(m.trigger) if t.dep_ == "prep" and t.lower_ == "between"):
        for tok in prep.subtree:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("compound", "amod"):
                continue
            name, _kind = _name(ctx, tok, None, "Strategic developments")
            if name and name not in found and not is_generic(Actor(name, _kind or "")):
                found.append(name)
    if not found:
        return None, actor2
    return found[0], actor2 or (found[1] if len(found) == 2 else None)  # many parties: no single second side


def _blamed(ctx: _Context, e: _Event) -> str | None:
    """The side the article's speakers hold responsible for an incident it does not attribute:
    'Zelenskiy blamed Russia', 'officials blamed the raid on bandits', 'accused the occupiers'.
    A blame that names the incident wins; else the first one told after the incident."""
    p = e.primary
    first = min(m.trigger.i for m in e.mentions)
    own = {m.trigger.i for m in e.mentions}
    candidates = []
    for tok in ctx.blame_verbs:
        on = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "on" for g in c.children
              if g.dep_ == "pobj"]
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        culprit = on[0] if on else (objs[0] if objs else None)
        if culprit is None:
            continue
        country = ctx.sent_country(_sent(tok), p.place)
        name, kind = _name(ctx, culprit, country, p.event_type)
        if name is None or kind not in ctx.kinds.get("armed", ()) or name == p.actor2:
            continue
        about = [o for o in objs if o is not culprit] + [g for c in tok.children if c.dep_ == "prep"
                                                          and c.lower_ in ("for", "of") for g in c.children]
        names_it = any(t.i in own for a in about for t in a.subtree)
        candidates.append((not names_it, tok.i < first, abs(tok.i - first), name))
    return min(candidates)[3] if candidates else None


def _previous_actor(ctx: _Context, e: _Event, actor2: str | None) -> str | None:
    """The one armed side that acts (a subject) in the sentence or two before an incident told
    with no perpetrator ("Russian forces have encircled the city. ... shelling continued")."""
    p = e.primary
    sent = _sent(p.trigger)
    text = ctx.text
    para = text.rfind("\n", 0, sent.start_char) + 1
    sents = [s for s in ctx.sents if s.end <= sent.start and s.start_char >= para][-2:]
    found: set[str] = set()
    report = _set("modality", "report_verbs") | _set("modality", "claim_verbs") | _set("modality", "deny")
    for s in sents:
        for tok in s:
            if tok.dep_ not in ("nsubj", "nsubjpass") or _lemma(tok.head) in report:
                continue
            a = ctx.resolver.actor(tok)
            if a is not None and a.kind in ARMED and not is_generic(a):
                name, _kind = _name(ctx, tok, ctx.sent_country(s, None), p.event_type)
                if name and name != actor2:
                    found.add(name)
    return found.pop() if len(found) == 1 else None


def _opponent(ctx: _Context, e: _Event, actor1: str | None) -> str | None:
    """actor2 of a battle, or of shelling a town, that names one side only: the side the article
    names most often among the armed actors not on actor1's side (not actor1, not another force
    of the same kind and country)."""
    p = e.primary
    if actor1 is None or p.event_type not in ("Battles", "Explosions/Remote violence"):
        return None
    if p.event_type != "Battles":
        verb = p.trigger if _is_verb(p.trigger) else _clause_verb(p.trigger)
        objs = matching.objects(p.trigger) + (matching.objects(verb) if verb is not None else [])
        if not any(_lemma(o) in _set("contested_places") for o in objs):
            return None  # an explosion hits someone: only "the town was shelled" stands for its defenders
    mine = dictionary.lookup(actor1)
    kind1 = mine.kind if mine else None
    country1 = _name_country(actor1)
    counts: dict[str, int] = {}
    for found in ctx.resolver.armed_mentions():
        a = found.actor
        if a.name == actor1 or is_generic(a):
            continue
        if a.kind == kind1 and (a.country or _name_country(a.name)) == country1:
            continue  # the same side: "the army" and "the police" of one state, two rebel names
        counts[a.name] = counts.get(a.name, 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    names = [n for n, c in counts.items() if c == best]
    return names[0] if len(names) == 1 else None


def _localized(ctx: _Context, p: _Mention, actor1: str | None, actor2: str | None) -> tuple:
    """Civilians hit by a foreign force are the civilians of the place, not of the attacker
    ("Russian aircraft bombed the theatre" in Mariupol: Civilians (Ukraine))."""
    c1, c2 = _name_country(actor1), _name_country(actor2)
    if actor2 and actor2.startswith("Civilians") and c1 is not None and c1 == c2:
        home = (p.place.iso if p.place is not None and p.place.iso else None) or ctx.country
        if home and home != c1:
            civ = dictionary.lookup("civilians", home)
            actor2 = civ.name if civ else actor2
    return actor1, actor2


def _default_actor2(ctx: _Context, e: _Event, actor1: str | None) -> str | None:
    """actor2 when no mention names it: the side that gave up ground (a withdrawal told with a
    takeover, else the country's forces when rebels take ground); civilians when a bomb or an
    attack hit a civilian place."""
    p = e.primary
    country = ctx.sent_country(_sent(p.trigger), p.place)
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
    start = min(m.trigger.idx for m in e.mentions)
    if ctx._line_starts is None:  # where the non-blank lines start, found once per article
        text = ctx.text
        ctx._line_starts = [0] + [k + 1 for k, ch in enumerate(text[:-1]) if ch == "\n" and text[k + 1].strip()]
    starts = ctx._line_starts
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
    if any(m.modality == "asserted" for m in solid):  # a party's attribution of a reported incident to
        others = [m for m in others if not _attributed(m)]  # another side does not name its sides
    sides = [p] + [m for m in others if m.modality == "asserted"] + others
    actor1 = next((m.actor1 for m in sides if m.actor1), None) or _sentence_actor(ctx, p)
    actor2 = next((x for m in sides for x in (_second_side(m, p),) if x and x != actor1), None)
    if actor1 is None and p.sub == "Agreement":
        actor1, actor2 = _parties(ctx, p, actor2)
    if actor1 is None and p.event_type in VIOLENT:
        actor1 = _blamed(ctx, e) or _previous_actor(ctx, e, actor2)
    if actor1 is None and (_lex().get("default_actor1") or {}).get(p.sub) \
            and (actor2 is not None or (p.sub or "").lower() not in _set("symmetric")):  # "five activists were detained": by police
        # (a clash with neither side named stays without sides: "fighting resumed in the east")
        found = dictionary.lookup(_lex()["default_actor1"][p.sub], ctx.sent_country(_sent(p.trigger), p.place))
        actor1 = found.name if found is not None else None
    actor2 = actor2 or _default_actor2(ctx, e, actor1) or _opponent(ctx, e, actor1)
    actor1, actor2 = _localized(ctx, p, actor1, actor2)
    modality = min((m.modality for m in solid), key=MODALITY_RANK.get) if solid else p.modality
    if modality == "claimed" and actor1 and actor2 and {actor1, actor2} <= {
            m.claimed_by for m in solid if m.modality == "claimed"}:
        modality = "asserted"  # both sides say so ("the RSF announced it took the city"; "the army said it withdrew")
    claimed_by = next((m.claimed_by for m in solid if m.modality == "claimed" and m.claimed_by), None) \
        if modality == "claimed" else None
    place = (p.place if p.place_own else None) or min(  # of the restatements' own places, the finest,
        ((m.place, m.anaphoric) for m in solid if m.place_own),  # a full telling's before "the kidnapping in X"
        key=lambda x: (x[0].geo_precision or 9, x[1]), default=(None, False))[0] \
        or p.place or next((m.place for m in solid if m.place), None)
    time = p.time or next((m.time for m in solid if m.time), None)
    if time is None and not any(m.date_key for m in solid):
        time = _lead_time(ctx, events or [], e) or _publication_time(ctx)
    fat, lo, hi = _figures(ms, ctx.text, ctx.doc, p)
    extra: list[Span] = []
    for m in ms:
        if m.sentence != p.sentence and m.sentence not in extra:
            extra.append(m.sentence)
    built = EventMention(
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
        notes="",
        extra_evidence=extra,
    )
    built.notes = _notes(ctx, built, p)
    return built


def extract(doc, document, places, times, quantities) -> list[EventMention]:
    """ACLED events of one parsed article, one per incident, in text order."""
    ctx = _Context(doc, document, places, times, quantities)
    hits = matching.find(doc, ctx.tests)
    mentions = [m for m in (_mention(ctx, h) for h in hits) if m is not None]
    orphans = _assign_figures(ctx, mentions)
    mentions = _within_sentence(mentions)
    for m in mentions:  # "Suicide bombing ... is now a sign of their despair": evidence, never a side or a mood
        if m.generic and m.level != "restate" and m.sub is not None:
            m.level, m.into, m.figures = "restate", (m.sub, SUB_TO_TYPE[m.sub]), []
    for q in orphans:  # "Our reporter counted at least five bodies": the incident just told
        sent_start = _sent(doc[q.head]).start
        prev = [m for m in mentions if m.level != "restate" and _sent(m.trigger).start < sent_start
                and sent_start - _sent(m.trigger).end < 60]
        if prev:
            prev[-1].figures.append(q)
    events = [e for e in _merge(mentions) if _specific(e)]
    _responsibility(ctx, events)
    built = [_build(ctx, e, events) for e in events]
    return sorted(built, key=lambda ev: ev.trigger.start)
