"""Event trigger lexicon (``lexicons/event_triggers.yaml``) compiled once into a spaCy Matcher,
and the checks of each trigger's conditions (with / near / not_near / obj / subj / pos).

:func:`find` returns, for one parsed article, every trigger that passes its conditions: the
longest phrase wins where phrases overlap, and of the rules for one phrase the first that
passes (strongest sub-type first, restating words last) is taken.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.attrs import LEMMA, LOWER, POS
from spacy.symbols import PROPN

from sitroom.lexicons import LexiconError, load_yaml
from sitroom.model import EVENT_TYPES, SUB_TO_TYPE

LEXICON = "event_triggers.yaml"
WINDOW = 6  # tokens either side for near / not_near
ENTITY_MARKS = {"@GPE": ("GPE",), "@LOC": ("LOC",), "@FAC": ("FAC",)}


@dataclass(frozen=True, slots=True)
class Rule:
    """One trigger of the lexicon with its conditions (word sets already expanded)."""

    phrase: tuple[str, ...]
    sub: str | None  # the sub-event type; None for a restating word
    level: str  # strong | weak | restate
    priority: int
    pos: frozenset[str] = frozenset()
    with_: frozenset[str] = frozenset()
    not_with: frozenset[str] = frozenset()
    near: frozenset[str] = frozenset()
    not_near: frozenset[str] = frozenset()
    obj: frozenset[str] = frozenset()
    subj: frozenset[str] = frozenset()
    not_subj: frozenset[str] = frozenset()
    retype: str | None = None
    need_actor: bool = False
    into: tuple[str, ...] = ()  # restating words: the sub-types / event types they restate


@dataclass(frozen=True, slots=True)
class Hit:
    """A trigger found in the text: the rule it passed and the tokens it covers."""

    rule: Rule
    start: int  # token indices, end exclusive
    end: int
    head: int  # the token that carries the trigger in the parse


@dataclass(frozen=True, slots=True)
class Lexicon:
    rules: dict[str, tuple[Rule, ...]]  # phrase → candidate rules, best first
    lex: dict  # the raw file, for the other sections
    classes: dict[str, frozenset[str]]


def _words(value, classes: dict[str, frozenset[str]]) -> frozenset[str]:
    """A word list (or one word / one @class) → lower-case set, classes expanded."""
    if value is None:
        return frozenset()
    items = [value] if isinstance(value, str) else list(value)
    out: set[str] = set()
    for item in items:
        item = str(item)
        if item.startswith("@") and item[1:] in classes:
            out |= classes[item[1:]]
        else:
            out.add(item.lower() if not item.startswith("@") else item)
    return frozenset(out)


def _rule(entry, sub: str | None, priority: int, classes, into=()) -> Rule:
    if isinstance(entry, str):
        entry = {"t": entry}
    if "t" not in entry:
        raise LexiconError(f"{LEXICON}: trigger without 't': {entry}")
    target = entry.get("sub", sub)
    if target is not None and target not in SUB_TO_TYPE:
        raise LexiconError(f"{LEXICON}: unknown sub-event type {target!r}")
    level = entry.get("level", "restate" if sub is None and "sub" not in entry else "strong")
    pos = entry.get("pos", [])
    return Rule(
        phrase=tuple(str(entry["t"]).lower().split()),
        sub=target,
        level=level,
        priority=priority,
        pos=frozenset([pos] if isinstance(pos, str) else pos),
        with_=_words(entry.get("with"), classes),
        not_with=_words(entry.get("not_with"), classes),
        near=_words(entry.get("near"), classes),
        not_near=_words(entry.get("not_near"), classes),
        obj=_words(entry.get("obj"), classes),
        subj=_words(entry.get("subj"), classes),
        not_subj=_words(entry.get("not_subj"), classes),
        retype=entry.get("retype"),
        need_actor=entry.get("actor") == "need",
        into=tuple(entry.get("into", into)),
    )


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The trigger lexicon, validated: every ACLED sub-type has an entry."""
    lex = load_yaml(LEXICON)
    classes = {k: frozenset(str(w).lower() for w in v) for k, v in lex["classes"].items()}
    missing = [s for subs in EVENT_TYPES.values() for s in subs if s not in lex["subtypes"]]
    if missing:
        raise LexiconError(f"{LEXICON}: no entry for sub-event types {missing}")
    rules: list[Rule] = []
    for sub, spec in lex["subtypes"].items():
        for entry in spec.get("triggers") or []:
            rules.append(_rule(entry, sub, int(spec.get("priority", 0)), classes))
    for entry in lex.get("restate") or []:
        for into in entry.get("into", []):
            if into not in SUB_TO_TYPE and into not in EVENT_TYPES:
                raise LexiconError(f"{LEXICON}: restate 'into' names unknown type {into!r}")
        rules.append(_rule(entry, None, -1, classes))
    by_phrase: dict[str, list[Rule]] = {}
    for r in rules:
        by_phrase.setdefault(" ".join(r.phrase), []).append(r)
    level_rank = {"strong": 0, "weak": 1, "restate": 2}

    def order(r: Rule):  # conditioned rules before bare ones, then strength, then priority
        conditioned = bool(r.with_ or r.near or r.obj or r.subj or r.pos)
        return (level_rank[r.level], not conditioned, -r.priority)

    return Lexicon({k: tuple(sorted(v, key=order)) for k, v in by_phrase.items()}, lex, classes)


@functools.lru_cache(maxsize=1)
def _phrase_index() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]], tuple[tuple[str, ...], ...]]:
    """The lexicon's phrases as (by lemma of the first word, by lower-case form of the first
    word, phrases as word tuples), numbered in lexicon order.

    A word matches a token by its lemma (:func:`lemma`), or by its form when it has a hyphen;
    a single-word phrase also by its regular inflections ("fighting"); the words of a phrase
    may be joined by a hyphen token ("car-bomb"). These are the matches a spaCy Matcher gave
    with one pattern per phrase, found here by dictionary look-up per token: the Matcher's
    cost grows with tokens x patterns, and hundreds of patterns made it most of the
    extraction time."""
    by_lemma: dict[str, list[int]] = {}
    by_lower: dict[str, list[int]] = {}
    phrases = tuple(tuple(p.split()) for p in lexicon().rules)
    for k, words in enumerate(phrases):
        first = words[0]
        (by_lemma if "-" not in first else by_lower).setdefault(first, []).append(k)
        if len(words) == 1:
            for form in _forms(first):
                by_lower.setdefault(form, []).append(k)
    return ({w: tuple(v) for w, v in by_lemma.items()}, {w: tuple(v) for w, v in by_lower.items()}, phrases)


def _phrase_matches(doc) -> list[tuple[str, int, int]]:
    """Every (phrase, start, end) of the lexicon in the doc, by start, then phrase order."""
    by_lemma, by_lower, phrases = _phrase_index()
    w = doc_words(doc)
    lemmas, lowers = w.lemma, w.lower
    n = len(lemmas)
    out = []
    for i in range(n):
        found = by_lemma.get(lemmas[i], ()) + by_lower.get(lowers[i], ())
        if not found:
            continue
        for k in sorted(set(found)):
            words = phrases[k]
            j = i + 1
            for w in words[1:]:
                if j < n and lowers[j] == "-":
                    j += 1
                if j >= n or (lowers[j] if "-" in w else lemmas[j]) != w:
                    break
                j += 1
            else:
                out.append((" ".join(words), i, j))
    return out


def _forms(word: str) -> set[str]:
    """Regular inflections of a lemma, for when the lemmatizer gets a form wrong."""
    stem = word.removesuffix("e")
    forms = {word, word + "s", word + "es", stem + "ed", stem + "ing"}
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", word):  # ambush → ambushed; kidnap → kidnapped
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    return forms


@functools.lru_cache(maxsize=1)
def _irregular() -> dict[str, str]:
    return {str(k).lower(): str(v).lower() for k, v in (lexicon().lex.get("irregular") or {}).items()}


def lemma(tok) -> str:
    """The token's lemma in lower case, mended where the lemmatizer stumbles (irregular forms
    listed in the lexicon; capitalised plurals read as proper nouns: "Rockets")."""
    doc = tok.doc
    return (_memo[1] if _memo[0] is doc else doc_words(doc)).lemma[tok.i]


@dataclass(frozen=True, slots=True)
class Words:
    """What the extractors look up of every token of a Doc, as lists by token index (do not
    change them)."""

    lower: list[str]  # the form in lower case
    lemma: list[str]  # :func:`lemma`
    spacy_lemma: list[str]  # spaCy's lemma in lower case
    pos: list[int]  # the part of speech (a spaCy symbol: spacy.symbols.NOUN...)
    forms: frozenset[str]  # every form of the Doc, in lower case


# Forms and lemmas are asked for over a thousand times per article (every trigger condition,
# events.py, quantities.py), so those of the last Doc asked about are worked out once for all
# its tokens, from spaCy's arrays (without a Token object for each), and kept with the Doc (by
# identity: Docs are not changed after parsing).
_memo: list = [None, None]  # doc, its Words


def doc_words(doc) -> Words:
    """The :class:`Words` of the doc."""
    if _memo[0] is doc:
        return _memo[1]
    irregular = _irregular()
    strings = doc.vocab.strings
    lowers, lemmas, spacy_lemmas, poss = [], [], [], []
    for low_id, lemma_id, pos in doc.to_array([LOWER, LEMMA, POS]).tolist():
        low, lem = strings[low_id], strings[lemma_id].lower()
        lowers.append(low)
        spacy_lemmas.append(lem)
        poss.append(pos)
        fixed = irregular.get(low)
        if fixed:
            lemmas.append(fixed)
        elif pos == PROPN and lem == low and len(low) > 3 and low.endswith("s") and not low.endswith("ss"):
            lemmas.append(low[:-1])
        else:
            lemmas.append(lem)
    found = Words(lowers, lemmas, spacy_lemmas, poss, frozenset(lowers))
    _memo[0], _memo[1] = doc, found
    return found


@dataclass(frozen=True, slots=True)
class Tests:
    """Callbacks from the caller: does a token name a known actor / a known place?"""

    actor: Callable | None = None
    place: Callable | None = None


def _is(tok, words: frozenset[str], tests: Tests | None = None) -> bool:
    """Does the token (its lemma, its form, its entity label, its compound) fall in ``words``?"""
    if lemma(tok) in words or tok.lower_ in words:
        return True
    for mark, labels in ENTITY_MARKS.items():
        if mark in words and (tok.ent_type_ in labels or (tests and tests.place and tests.place(tok))):
            return True
    if "@actor" in words and tests is not None and tests.actor is not None and tests.actor(tok):
        return True
    for c in tok.children:  # "railway station" → station; "air defences" → "air defence"
        if c.dep_ == "compound" and f"{lemma(c)} {lemma(tok)}" in words:
            return True
    return False


def objects(tok) -> list:
    """What a trigger acts on: direct objects, passive subjects, and 'of/on/into/against' objects."""
    out = []
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative") or (c.dep_ == "npadvmod" and c.like_num):
            out.append(c)  # "shot down 31 of 35 drones" is parsed with "31" as an adverbial
        elif c.dep_ == "prep" and c.lower_ in ("of", "on", "into", "against", "at", "over", "upon", "through"):
            out.extend(g for g in c.children if g.dep_ == "pobj")
    if reduced_passive(tok):  # "the town captured by", "looted shops"
        out.append(tok.head)
    out += [g for o in out for g in o.conjuncts]
    out += [g for o in list(out) for g in o.children if g.dep_ == "appos"]  # "seized Lashio, the largest town"
    # "the same type of missile", "a barrage of rockets"
    out += [g for o in list(out) for p in o.children if p.dep_ == "prep" and p.lower_ == "of"
            for g in p.children if g.dep_ == "pobj"]
    return out


def reduced_passive(tok) -> bool:
    """'the town captured by rebels': a participle on its noun. With an object of its own it is
    the parser's misreading of an active verb ('air strikes killed 23 people')."""
    return tok.dep_ in ("acl", "relcl", "amod") and tok.tag_ == "VBN" and not any(
        c.dep_ == "dobj" for c in tok.children)


def subjects(tok) -> list:
    """Who does it: nsubj, the 'by' agent of a passive or of a noun, the subject of the verb
    a non-finite trigger hangs on."""
    out = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
    for c in tok.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            out.extend(g for g in c.children if g.dep_ == "pobj")
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    if not out and tok.dep_ in ("xcomp", "conj", "advcl") and tok.head.i != tok.i:
        out = subjects(tok.head) if tok.dep_ != "advcl" or tok.tag_ == "VBG" or infinitive else []
    if not out and tok.head.i != tok.i and (tok.dep_ == "relcl" or (
            tok.dep_ == "acl" and tok.tag_ == "VBN" and not reduced_passive(tok))):
        out = [tok.head]
    if tok.dep_ == "relcl" and tok.head.i != tok.i:  # "Hamas, which killed ...": the relative pronoun's noun
        out = [tok.head if o.lower_ in ("which", "who", "that", "whom") else o for o in out]
    out += [g for o in out for g in o.conjuncts]
    return out


def _near(doc, start: int, end: int, words: frozenset[str]) -> bool:
    """Is one of the words (lemma or form) within WINDOW tokens of doc[start:end], in its sentence?"""
    sent = doc[start].sent
    lo, hi = max(sent.start, start - WINDOW), min(sent.end, end + WINDOW)
    w = doc_words(doc)
    lemmas, lowers = w.lemma, w.lower
    if any(lemmas[i] in words or lowers[i] in words for i in range(lo, hi) if not (start <= i < end)):
        return True
    multi = [w for w in words if " " in w]
    if multi:
        text = " ".join(lemmas[max(sent.start, start - WINDOW) : end + WINDOW])
        return any(w in text for w in multi)
    return False


def _family(tok, depth: int = 2) -> list:
    out, frontier = [], [tok]
    for _ in range(depth):
        frontier = [c for t in frontier for c in t.children]
        out += frontier
    return out


def _with_of(toks) -> list:
    """Tokens and, for quantity heads ("hundreds of demonstrators"), the noun of their 'of' phrase."""
    out = list(toks)
    for t in toks:
        if t.like_num or lemma(t) in QUANTITY_HEADS:
            out += [g for p in t.children if p.dep_ == "prep" and p.lower_ == "of"
                    for g in p.children if g.dep_ == "pobj"]
    return out


QUANTITY_HEADS = {"hundred", "thousand", "dozen", "score", "ten", "million", "many", "some", "most", "all",
                  "several", "group", "crowd", "band", "number", "handful", "few", "majority"}


def passes(rule: Rule, doc, start: int, end: int, head, tests: Tests | None) -> bool:
    """Does the trigger at doc[start:end] (carried by ``head``) meet the rule's conditions?"""
    if rule.pos and head.pos_ not in rule.pos:
        return False
    if rule.with_:
        family = _family(head) + [t for t in doc[start:end] if t.i != head.i]
        if head.dep_ in ("dobj", "pobj", "nsubjpass", "nsubj"):  # "ceasefire agreed", "the deal was signed"
            family.append(head.head)
        if not any(_is(t, rule.with_, tests) for t in family):
            return False
    if rule.not_with and any(_is(t, rule.not_with) for t in _family(head, 1)):
        return False
    if rule.near and not _near(doc, start, end, rule.near):
        return False
    if rule.not_near and _near(doc, start, end, rule.not_near):
        return False
    if rule.obj and not any(_is(o, rule.obj, tests) for o in objects(head)):
        return False
    if rule.subj and not any(_is(s, rule.subj, tests) for s in _with_of(subjects(head))):
        return False
    return not (rule.not_subj and any(_is(s, rule.not_subj, tests) for s in subjects(head)))


def _is_trigger_word(tok) -> bool:
    return lemma(tok) in lexicon().rules or tok.lower_ in lexicon().rules


def find(doc, tests: Tests | None = None) -> list[Hit]:
    """All triggers in the document that pass their conditions, in text order."""
    lex = lexicon()
    hits: list[Hit] = []
    taken: set[int] = set()
    # longest first; a shorter phrase inside a longer one that found no passing rule may still count
    for phrase, start, end in sorted(_phrase_matches(doc), key=lambda m: (m[1] - m[2], m[1])):
        if any(i in taken for i in range(start, end)):
            continue
        head = doc[start:end].root
        modifier = head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN")
        if modifier and not _is_trigger_word(head.head):
            continue  # "riot police", "bomb shelter", "rocket launchers": a modifier, not an incident
        for rule in lex.rules.get(phrase, ()):
            if passes(rule, doc, start, end, head, tests):
                hits.append(Hit(rule, start, end, head.i))
                taken.update(range(start, end))
                break
    return sorted(hits, key=lambda h: h.start)
