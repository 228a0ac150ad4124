"""Casualty figures: numbers attached to killed/dead/wounded... through the dependency tree.

"killing at least 39 people" → killed, value 39, low 39; "the death toll rose to 50" → killed 50;
"dozens dead" → killed, low 24, high 99; "up to 40 injured" → wounded, high 40. The vocabulary
(casualty words, qualifiers, number words, vague figures) is the ``quantities`` section of
``lexicons/event_triggers.yaml``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from spacy.symbols import ADJ, NOUN, VERB

from sitroom.extract import matching
from sitroom.lexicons import load_yaml
from sitroom.model import Quantity, Span

_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")


@dataclass(frozen=True)
class _Vocab:
    killed_verbs: frozenset[str]
    wounded_verbs: frozenset[str]
    killed_nouns: frozenset[str]
    wounded_nouns: frozenset[str]
    killed_adjs: frozenset[str]
    killing_nouns: frozenset[str]
    wounded_adjs: frozenset[str]
    toll_nouns: frozenset[str]
    toll_verbs: frozenset[str]
    at_least: tuple[str, ...]
    at_most: tuple[str, ...]
    about: tuple[str, ...]
    number_words: dict[str, int]
    vague: dict[str, tuple[int, int]]


@functools.lru_cache(maxsize=1)
def vocab() -> _Vocab:
    q = load_yaml("event_triggers.yaml")["quantities"]
    quals = q["qualifiers"]

    def longest_first(words):
        return tuple(sorted(words, key=lambda w: -len(w.split())))

    return _Vocab(
        killed_verbs=frozenset(q["killed_verbs"]),
        wounded_verbs=frozenset(q["wounded_verbs"]),
        killed_nouns=frozenset(q["killed_nouns"]),
        wounded_nouns=frozenset(q["wounded_nouns"]),
        killed_adjs=frozenset(q["killed_adjs"]),
        killing_nouns=frozenset(q.get("killing_nouns", ())),
        wounded_adjs=frozenset(q["wounded_adjs"]),
        toll_nouns=frozenset(q["toll_nouns"]),
        toll_verbs=frozenset(q["toll_verbs"]),
        at_least=longest_first(quals["at_least"]),
        at_most=longest_first(quals["at_most"]),
        about=longest_first(quals["about"]),
        number_words={k: int(v) for k, v in q["number_words"].items()},
        vague={k: (int(v[0]), int(v[1])) for k, v in q["vague"].items()},
    )


# Speed: every token of an article is tested, and the tree around each candidate is walked with
# many look-ups of the same tokens' forms and lemmas; those of the last Doc asked about are read
# once, for all its tokens (matching.doc_words).
_words = matching.doc_words


def _low(tok) -> str:
    return tok.lower_


def _lemma(tok) -> str:
    return _words(tok.doc).spacy_lemma[tok.i]


def _is_number(tok, v: _Vocab) -> bool:
    return _is_number_word(tok.lower_, v)


# no count of people in a war report reaches a billion: longer digits are not a figure (and would
# not fit the stores' integer columns)
MAX_FIGURE = 1_000_000_000


def _is_number_word(t: str, v: _Vocab) -> bool:
    """Is the (lower-case) form a number word: digits, 'seven', 'dozens', 'two-thirds'?"""
    if ":" in t or t.endswith("%"):
        return False
    if t[:1].isdecimal() and _DIGITS.match(t):  # (_DIGITS matches only from a digit: \d is isdecimal())
        return True
    return (t in v.number_words and t not in ("a", "an")) or t in v.vague \
        or ("-" in t and t.replace("-", " ") in v.vague)  # (without a hyphen that is the test before)


def _word_value(tok, v: _Vocab) -> int | None:
    t = _low(tok)
    if _DIGITS.match(t):
        return int(t.replace(",", ""))
    if "-" in t:  # twenty-five
        parts = [v.number_words.get(p) for p in t.split("-")]
        if all(p is not None for p in parts):
            return sum(parts)  # type: ignore[arg-type]
    return v.number_words.get(t)


@dataclass
class _Figure:
    first: int  # token index where the figure (with its qualifier) starts
    last: int  # token index of its last number word
    value: int | None
    low: int | None
    high: int | None


def _figure(doc, i: int, v: _Vocab) -> _Figure | None:
    """The figure whose number words start at token i (run of number words, 'a dozen',
    'several hundred', 'between 20 and 30'), with its qualifier."""
    j = i
    while j + 1 < len(doc) and _is_number(doc[j + 1], v) and doc[j + 1].sent == doc[i].sent:
        j += 1
    words = [_low(t) for t in doc[i : j + 1]]
    phrase = " ".join(words)
    start = i
    if i > 0 and _low(doc[i - 1]) in ("a", "an") and words[0] in ("dozen", "hundred", "thousand", "few",
                                                                    "handful"):
        start = i - 1
        phrase = f"{_low(doc[i - 1])} {phrase}"
    value = low = high = None
    if phrase in v.vague or phrase.removeprefix("a ") in v.vague or words[-1] in v.vague:
        bare = phrase.removeprefix("a ")
        key = phrase if phrase in v.vague else bare if bare in v.vague else words[-1]
        lo, hi = v.vague[key]
        if lo == hi:
            value = lo
        else:
            low, high = lo, hi
    else:
        total, current = 0, 0
        for t in doc[i : j + 1]:
            n = _word_value(t, v)
            if n is None:
                return None
            if n in (100, 1000, 1000000) and current:
                current *= n
                if n >= 1000:
                    total, current = total + current, 0
            else:
                current += n
        value = total + current
        if value > MAX_FIGURE:
            return None
    # "tens of thousands", "dozens of" are vague heads with an "of" phrase: nothing to add
    # between X and Y
    if start > 0 and _low(doc[start - 1]) == "between" and j + 2 < len(doc) and _low(doc[j + 1]) == "and" \
            and _is_number(doc[j + 2], v) and value is not None:
        other = _figure(doc, j + 2, v)
        if other and other.value is not None:
            return _Figure(start - 1, other.last, None, value, other.value)
    before = " ".join(_low(t) for t in doc[max(0, start - 4) : start])
    for kind, quals in (("at_least", v.at_least), ("at_most", v.at_most), ("about", v.about)):
        for q in quals:
            if before == q or before.endswith(" " + q):
                start -= len(q.split())
                if value is not None:
                    if kind == "at_least":
                        low, high = value, None
                    elif kind == "at_most":
                        if q in ("nearly", "almost"):
                            high = value
                        else:
                            value, high = None, value
                return _Figure(start, j, value, low, high)
    return _Figure(start, j, value, low, high)


def _kind_of_word(tok, v: _Vocab) -> str | None:
    lem = _lemma(tok)
    if lem in v.killed_nouns or lem in v.killed_adjs or _low(tok) in v.killed_adjs:
        return "killed"
    if lem in v.wounded_nouns or lem in v.wounded_adjs or _low(tok) in v.wounded_adjs:
        return "wounded"
    return None


def _kind_of_verb(tok, v: _Vocab) -> str | None:
    lem = _lemma(tok)
    if lem in v.killed_verbs or (lem == "shoot" and any(_low(c) == "dead" for c in tok.children)):
        return "killed"
    forms = _words(tok.doc).forms  # (no "death" nor "alive" in the doc: no need to look at the children)
    if tok.pos_ == "VERB" and ("death" in forms or "alive" in forms) and any(  # "hacked to death", "burned alive"
            (c.dep_ == "prep" and _low(c) == "to" and any(_low(g) == "death" for g in c.children))
            or (_low(c) == "alive" and lem in ("burn", "bury")) for c in tok.children):
        return "killed"
    if lem in v.wounded_verbs:
        return "wounded"
    return None


def _toll_kind(noun, v: _Vocab) -> str | None:
    """'death toll', 'the toll', 'the number of (people) killed/dead' → killed."""
    lem = _lemma(noun)
    if lem not in v.toll_nouns:
        return None
    mods = [c for c in noun.children if c.dep_ in ("compound", "amod")]
    if any(_kind_of_word(m, v) == "wounded" or _lemma(m) in ("injury", "casualty") for m in mods):
        return "wounded"
    if lem == "toll":
        return "killed"
    for prep in (c for c in noun.children if c.dep_ == "prep" and _low(c) == "of"):
        for obj in prep.children:
            kind = _kind_of_word(obj, v)
            if kind:
                return kind
            for c in obj.children:
                if c.dep_ in ("acl", "amod", "relcl"):
                    kind = _kind_of_verb(c, v) or _kind_of_word(c, v)
                    if kind:
                        return kind
    if any(_lemma(m) in ("death", "casualty", "fatality") for m in mods):
        return "killed"
    return None


def _attach(n, v: _Vocab, depth: int = 0):
    """(kind, head token) for the noun or number ``n`` that carries a figure, or None."""
    if depth > 2:
        return None
    kind = _kind_of_word(n, v) if n.pos_ in ("NOUN", "ADJ", "PROPN") else None
    if kind and n.pos_ != "ADJ":
        return kind, n
    for c in n.children:  # people killed in..., 29 dead, dead people, dozens dead
        if c.dep_ in ("acl", "amod", "relcl", "advmod"):
            kind = _kind_of_verb(c, v) or _kind_of_word(c, v)
            if kind:
                return kind, c
    for prep in (c for c in n.children if c.dep_ == "prep" and _low(c) == "of"):  # dozens of people killed
        for obj in prep.children:
            if obj.dep_ == "pobj":
                found = _attach(obj, v, depth + 1)
                if found:
                    return found
    head = n.head
    if n.dep_ in ("dobj", "nsubjpass", "attr", "oprd"):
        kind = _kind_of_verb(head, v)
        if kind:
            return kind, head
    if n.dep_ == "dobj":  # the attack left 7 dead
        for c in head.children:
            if c.dep_ in ("oprd", "acomp", "xcomp") and _kind_of_word(c, v):
                return _kind_of_word(c, v), c
    if n.dep_ == "nsubj":
        kind = _kind_of_verb(head, v)
        reduced = head.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in head.children)
        if kind and (_lemma(head) in ("die", "perish") or reduced):
            return kind, head
        kind = _kind_of_word(head, v)
        if kind and head.pos_ == "ADJ":  # dozens dead, 12 people are dead
            return kind, head
        if _lemma(head) == "be":
            for c in head.children:
                if c.dep_ == "acomp" and _kind_of_word(c, v):
                    return _kind_of_word(c, v), c
    if n.dep_ == "pobj" and _low(head) == "of" and _kind_of_word(head.head, v):  # bodies of 29 children
        return _kind_of_word(head.head, v), head.head
    among = _among(n, v)
    if among is not None:  # four children were among the dead
        return among
    # toll: "the death toll rose to 50", "the toll reached 100", "the number ... has risen to 52"
    verb = head.head if n.dep_ == "pobj" and _low(head) in ("to", "at") else None
    if n.dep_ in ("dobj", "attr"):
        verb = head
    if verb is not None and (_lemma(verb) in v.toll_verbs or _lemma(verb) == "be"):
        for s in verb.children:
            if s.dep_ in ("nsubj", "nsubjpass"):
                kind = _toll_kind(s, v)
                if kind:
                    return kind, s
    if n.dep_ == "conj" and n.head.i != n.i:  # killed 12 soldiers and 3 civilians; 43 killed and 61 wounded
        return _attach(n.head, v, depth + 1)
    return None


def _among(n, v: _Vocab):
    """(kind, head) when the noun ``n`` is the subject of 'was/were among the dead/injured'."""
    if n.dep_ not in ("nsubj", "nsubjpass"):
        return None
    for prep in (c for c in n.head.children if c.dep_ == "prep" and _low(c) == "among"):
        for obj in (g for g in prep.children if g.dep_ == "pobj"):
            kind = _kind_of_word(obj, v) or _kind_of_verb(obj, v)
            if kind:
                return kind, obj
    return None


def _partial(head) -> bool:
    """Is the figure a part of the toll ('four children were among the dead'): a lower bound?"""
    return head.dep_ == "pobj" and _low(head.head) == "among"


def vague(text: str) -> bool:
    """Is the figure's text a vague quantity ('dozens', 'scores of', 'several hundred'): a range
    with no point value?"""
    v = vocab()
    words = [w for w in re.findall(r"[a-z\-]+", text.lower()) if w not in ("a", "an", "of")]
    if not words or words[0] == "between":
        return False
    key = " ".join(words) if " ".join(words) in v.vague else words[-1]
    low, high = v.vague.get(key, (0, 0))
    return low != high


def _one_victim(n, v: _Vocab, taken: set[int]):
    """The first token of ``n``'s phrase when ``n`` names one person: 'a policeman', a singular
    noun with a possessive ('the group's founder', 'his brother'), or a person's name ('Abu
    Salim'); a relative pronoun stands for its antecedent ('X, who was killed'). Else None."""
    if n.tag_ == "WP" and n.head.dep_ == "relcl":
        n = n.head.head
    if n.i in taken or _lemma(n) in _NOT_VICTIMS or any(c.dep_ == "conj" for c in n.children):
        return None
    if any(c.dep_ in ("nummod", "prep") and (c.like_num or _low(c) == "of") for c in n.children):
        return None
    if n.tag_ == "NN":
        dets = [c for c in n.children if c.dep_ == "det"]
        if dets and _low(dets[0]) in ("a", "an"):
            return dets[0]
        poss = [c for c in n.children if c.dep_ == "poss"]
        if poss and not dets:
            return poss[0].left_edge
        return None
    if n.tag_ == "NNP" and n.ent_type_ == "PERSON":
        return n.left_edge
    return None


def singled_out(text: str) -> bool:
    """Is a one-victim figure's phrase a particular person ('the mosque's prayer leader', 'Abu
    Salim') rather than one more of a count ('a policeman', 'one civilian')? Such a person is
    usually one of a toll told elsewhere, not an addition to it."""
    words = text.split()
    return bool(words) and words[0].lower() not in ("a", "an", "one") and not words[0][0].isdigit()


def _single_victims(doc, v: _Vocab, taken: set[int]) -> list[Quantity]:
    """One victim named without a number: 'killed a policeman', 'a soldier was killed', 'one
    civilian died', 'the killing of the group's founder', 'X, who was shot dead'. Quantifier
    nouns ('a number of', 'a series of') are not victims."""
    out = []
    words = _words(doc)
    for i, pos in enumerate(words.pos):
        if pos != NOUN and pos != VERB and pos != ADJ:  # (what the tests below would turn down)
            continue
        tok = doc[i]
        if tok.pos_ == "NOUN" and _lemma(tok) in v.killing_nouns:  # "the killing of X"
            for n in (g for c in tok.children if c.dep_ == "prep" and _low(c) == "of" for g in c.children
                      if g.dep_ == "pobj"):
                first = _one_victim(n, v, taken)
                if first is not None:
                    out.append(Quantity(kind="killed", value=1, low=None, high=None,
                                        span=Span(first.idx, n.idx + len(n.text)), head=tok.i))
            continue
        if tok.pos_ not in ("VERB", "ADJ") or (_kind_of_verb(tok, v) is None and not (
                tok.pos_ == "ADJ" and _kind_of_word(tok, v))):
            continue
        kind = _kind_of_verb(tok, v) or _kind_of_word(tok, v)
        roles = ("dobj", "nsubjpass") if tok.pos_ == "VERB" and _lemma(tok) not in ("die", "perish") \
            else ("nsubj",)
        children = list(tok.children)
        partial = tok.dep_ == "pobj" and _low(tok.head) == "among"  # a child was among the dead
        if partial:
            children = [c for c in tok.head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            roles = ("nsubj", "nsubjpass")
        for n in children:
            if n.dep_ not in roles:
                continue
            first = _one_victim(n, v, taken)
            if first is None:
                continue
            last = n if n.tag_ != "WP" else n.head.head
            span = Span(first.idx, last.idx + len(last.text)) if first.i <= last.i else Span(last.idx, first.idx + len(first.text))
            out.append(Quantity(kind=kind, value=None if partial else 1, low=1 if partial else None,
                                high=None, span=span, head=tok.i))
    return out


_NOT_VICTIMS = {"number", "lot", "total", "majority", "series", "wave", "host", "couple", "bit", "part",
                "dozen", "hundred", "thousand", "handful", "score", "plan", "deal", "bill", "attack",
                "proposal", "idea", "project", "story", "rumour", "rumor", "chance", "time", "day"}


def extract(doc, *args) -> list[Quantity]:
    """Every casualty figure in the parsed article, in text order."""
    v = vocab()
    out: list[Quantity] = []
    lower = _words(doc).lower
    n = len(lower)
    i = 0
    while i < n:
        if not _is_number_word(lower[i], v) or (i + 1 < n and lower[i + 1] in ("%", "percent")):
            i += 1
            continue
        fig = _figure(doc, i, v)
        if fig is None:
            i += 1
            continue
        if " ".join(lower[max(0, fig.first - 2) : fig.first]) in ("age of", "ages of") \
                or (fig.first > 0 and lower[fig.first - 1] in ("aged", "age")):
            i = fig.last + 1
            continue
        # the number word that hangs in the tree: for "between 20 and 30" the first one
        anchor = doc[i] if lower[max(fig.first, 0)] == "between" else doc[fig.last]
        attached = anchor.dep_ in ("nummod", "quantmod", "compound", "amod", "det", "npadvmod")
        carrier = anchor.head if attached and anchor.head.i != anchor.i else anchor
        found = _attach(carrier, v)
        if found is None and carrier is not anchor:
            found = _attach(anchor, v)
        if found is None and fig.last + 1 < len(doc):  # "dozens dead" parsed loosely
            nxt = doc[fig.last + 1]
            kind = _kind_of_word(nxt, v) if nxt.pos_ in ("ADJ", "VERB") else None
            found = (kind, nxt) if kind else None
        if found is not None:
            kind, head = found
            span = Span(doc[fig.first].idx, doc[fig.last].idx + len(doc[fig.last].text))
            value, low, high = fig.value, fig.low, fig.high
            if _partial(head):  # part of the toll: only a lower bound
                value, low, high = None, (value if value is not None else low), None
            out.append(Quantity(kind=kind, value=value, low=low, high=high, span=span, head=head.i))
        i = fig.last + 1
    taken = {t.i for q in out for t in doc.char_span(q.span.start, q.span.end, alignment_mode="expand") or ()}
    taken |= {t.head.i for q in out for t in doc.char_span(q.span.start, q.span.end, alignment_mode="expand")
              or ()}
    out += _single_victims(doc, v, taken)
    return sorted(out, key=lambda q: q.span.start)
