"""Attributed claims and the writer's own marked judgements, from one parsed article.

Two passes over each sentence:

1. *Attributed statements*: reporting verbs with a clause ("X said that P", "P, X said"),
   verb frames ("spoke of P", "accused X of P", "described X as P", "claimed responsibility"),
   participles ("..., saying P"), passive reports ("P has been reported"), "according to X, P",
   claim nouns ("the Russian claim that P") and media items that "claim to show" something.
   The claimant is who speaks: the subject, the object of "according to", the owner of the claim
   noun, the maker of the video.
2. *The writer's own judgements*: finite clauses marked by a hedge ("probably", "may",
   "is likely to"), a booster ("will doubtless") or a first-person opinion ("it looks to me",
   "in my view"), outside quotations, background clauses and the propositions of pass 1. Plain
   narration is not a claim. First-person reporting verbs ("I think that P") are found in pass 1
   with the claimant ``author``.

Claimants are normalised through the actor dictionary first (:func:`sitroom.resolve.actors.lookup`),
then by rules: persons by name, demonyms to countries ("Ukrainian officials" → Ukraine), unnamed
sources ("reports", "witnesses") to ``unnamed reports``, pronouns to the last fitting speaker.
All cue words live in ``lexicons/claims.yaml``.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitroom.extract.matching import doc_words
from sitroom.extract.nlp import ents_of, sent_ents, text_of
from sitroom.extract.places import dateline_match
from sitroom.lexicons import load_yaml
from sitroom.model import Actor, ClaimMention, Document, EventMention, Span
from sitroom.resolve.actors import lookup

Token = Any  # a spaCy Token
Part = tuple[int, int, Token]  # first and last token of a proposition, and its head

MAX_EVIDENCE = 700
LEVEL = {"unknown": 0, "possible": 1, "probable": 2, "certain": 3}
CLAUSE_DEPS = {"ROOT", "conj", "ccomp", "parataxis", "advcl"}
EMBEDDED_DEPS = {"relcl", "acl", "csubj", "csubjpass", "pcomp", "amod", "xcomp", "appos", "npadvmod"}
RELATIVE = {"which", "who", "that", "whom"}
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them"}
SUBJECTS = {"nsubj", "nsubjpass", "expl"}
NEGATED_BEFORE = re.compile(r"\b(not|no|never|cannot|n't|without)\b[\w\s]{0,25}$")


# --------------------------------------------------------------------------- lexicon


class Lexicon:
    """``claims.yaml`` as attributes; its lists become frozensets."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        for key, value in raw.items():
            setattr(self, key, frozenset(value) if isinstance(value, list) else value)

    def __getattr__(self, name: str) -> Any:  # only reached for keys the file lacks
        raise AttributeError(f"claims.yaml has no '{name}'")

    def phrases(self, name: str) -> list[re.Pattern[str]]:
        return [re.compile(r"(?<![\w-])" + _phrase_regex(p) + r"(?![\w-])") for p in self.raw[name]]

    def hedge_word(self, word: str) -> str | None:
        """The certainty an adverb marks: boosters are certain, hedges their own level."""
        return "certain" if word in self.boosters else self.hedge_adverbs.get(word)


def _phrase_regex(phrase: str) -> str:
    """A lexicon phrase as a regex: words literal, ``(a|b)`` one of the alternatives, ``[a|b]``
    optionally one of them ("looks [to me] (genuine|authentic)")."""
    regex = ""
    for unit in re.findall(r"\[[^\]]*\]|\([^)]*\)|[^\s\[(]+", phrase):
        if unit[0] in "[(":
            alts = "(?:" + "|".join(r"\s+".join(map(re.escape, a.split())) for a in unit[1:-1].split("|")) + ")"
        else:
            alts = re.escape(unit)
        if unit[0] == "[":
            regex += rf"(?:\s+{alts})?" if regex else rf"(?:{alts}\s+)?"
        else:
            regex += (r"\s+" if regex and not regex.endswith(r"\s+)?") else "") + alts
    return regex


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon(load_yaml("claims.yaml"))


STANCE_LISTS = ("disputes", "endorses", "next_sentence_disputes", "next_sentence_endorses")


@functools.lru_cache(maxsize=1)
def _stance_patterns() -> dict[str, list[re.Pattern[str]]]:
    return {n: lexicon().phrases(n) for n in STANCE_LISTS}


@functools.lru_cache(maxsize=1)
def _stance_unions() -> dict[str, re.Pattern[str]]:
    """Each stance list as one alternation between one pair of word-boundary checks: it matches
    somewhere exactly when one of the list's patterns (:meth:`Lexicon.phrases`) does. One scan of
    the text instead of one per phrase, and ~20x faster than joining the whole patterns, because
    the regex engine then tries the boundary check once per position, not once per phrase."""
    raw = lexicon().raw
    return {n: re.compile(r"(?<![\w-])(?:" + "|".join(_phrase_regex(p) for p in raw[n]) + r")(?![\w-])")
            for n in STANCE_LISTS}


def _weakest(*levels: str | None) -> str:
    known = [lv for lv in levels if lv]
    return min(known, key=LEVEL.__getitem__) if known else "unknown"


# --------------------------------------------------------------------------- token attributes


class _Strings(dict):
    """String-store hash → string, looked up once per process: every article repeats the same
    few dependency labels."""

    def __init__(self, strings: Any) -> None:
        super().__init__()
        self.strings = strings

    def __missing__(self, h: int) -> str:
        self[h] = s = self.strings[h]
        return s


class _Feats:
    """The token attributes the sentence scans read, for every token of one Doc, as plain lists
    indexed by token: ``lower`` (``lower_``), ``lem`` (``lemma_.lower()``), ``pos`` (``pos_``),
    ``dep`` (``dep_``), ``idx``, ``skip`` (``is_punct or is_space``), ``head`` (``head.i``) and
    ``kids`` (the indices of ``children``, ascending as spaCy gives them). spaCy builds a new Token
    object, and looks its strings up again, on every ``doc[i]`` and every step through a span;
    one ``Doc.to_array`` per article is ~10x cheaper than touching each token in Python."""

    __slots__ = ("dep", "doc", "head", "idx", "kids", "lem", "lower", "pos", "skip")

    def __init__(self, doc: Any) -> None:
        # spaCy is imported only when an article is parsed
        from spacy.attrs import DEP, HEAD, IDX, IS_PUNCT, IS_SPACE, POS
        from spacy.parts_of_speech import NAMES as POS_NAMES

        strings = doc.vocab.strings
        if _names[0] is not strings or len(_names[1]) > MAX_NAMES:
            _names[:] = [strings, _Strings(strings)]
        names = _names[1]
        cols = doc.to_array([DEP, POS, IDX, IS_PUNCT, IS_SPACE, HEAD])
        dep, pos, idx = cols[:, :3].T.tolist()
        rel = cols[:, 5].astype("int64")  # the head's offset from the token, stored unsigned
        words = doc_words(doc)  # forms and lemmas, read once per Doc for every extractor
        self.doc = doc
        self.lower: list[str] = words.lower
        self.lem: list[str] = words.spacy_lemma
        # map() over a bound __getitem__ is ~2x faster than the equivalent list comprehension
        self.dep: list[str] = list(map(names.__getitem__, dep))
        self.pos: list[str] = list(map(POS_NAMES.__getitem__, pos))
        self.idx: list[int] = idx
        self.skip: list[int] = (cols[:, 3] | cols[:, 4]).tolist()  # 1 for punctuation and spaces
        self.head: list[int] = (rel + range(len(rel))).tolist()
        self.kids: list[list[int]] = [[] for _ in self.head]
        for i, h in enumerate(self.head):
            if h != i:
                self.kids[h].append(i)


_names: list[Any] = [None, None]  # the string store, and its lookup
MAX_NAMES = 20_000  # a long-running process starts the lookups afresh rather than grow them for ever
_feats_memo: list[_Feats | None] = [None]  # the last Doc asked about (by identity), as in extract.nlp


def _feats(doc: Any) -> _Feats:
    """:class:`_Feats` of ``doc``, computed once per Doc (Docs are not changed after parsing)."""
    f = _feats_memo[0]
    if f is None or f.doc is not doc:
        f = _feats_memo[0] = _Feats(doc)
    return f


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Speaker:
    """A normalised claimant."""

    name: str
    kind: str  # claimant_type
    person: bool = False
    plural: bool = False


AUTHOR = Speaker("author", "author")


def _unnamed() -> Speaker:
    return Speaker(lexicon().unnamed_name, "unnamed", plural=True)


@dataclass(slots=True)
class Found:
    """A claim before it becomes a :class:`ClaimMention`: token range of the proposition."""

    lo: int
    hi: int  # inclusive
    cue: str
    cue_tokens: tuple[int, ...]
    speaker: Speaker
    certainty: str
    polarity: str
    stance: str = "neutral"


@dataclass
class _State:
    """Per-article state: the parse, quotations, line breaks, speakers seen so far."""

    doc: Any
    text: str
    quotes: list[tuple[int, int]] = field(default_factory=list)  # character spans of quotations
    quoted: set[int] = field(default_factory=set)  # tokens inside them
    newlines: list[int] = field(default_factory=list)
    speakers: list[tuple[int, Speaker]] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)  # participles merged into their verb's claim
    dateline: Any = None  # the article's dateline match ("KHARTOUM (Nile Desk) - "), if any
    feats: _Feats = field(init=False)
    sents: list[Any] = field(init=False)  # the sentences, as doc.sents gives them
    sent_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.feats = _feats(self.doc)
        self.sents = list(self.doc.sents)
        self.sent_starts = [s.start for s in self.sents]

    def sent_of(self, i: int) -> Any:
        """``doc[i].sent``, without walking the sentence's tokens again."""
        return self.sents[bisect.bisect_right(self.sent_starts, i) - 1]

    def line(self, i: int) -> int:
        """The line a token is on: the parser sometimes runs one sentence across lines (lists,
        datelines, a missing full stop); a relation across a line break is not trusted."""
        return bisect.bisect_right(self.newlines, self.feats.idx[i])


# --------------------------------------------------------------------------- entry point


def extract(doc, document: Document, events: Sequence[EventMention] = ()) -> list[ClaimMention]:
    """Claims of one article: attributed statements and the writer's marked judgements.

    ``events`` is accepted for the analyze wiring and not needed here."""
    quotes = _quotes(text_of(doc))
    st = _State(doc, document.text, quotes=quotes, quoted=_quoted_tokens(doc, quotes),
                newlines=[m.start() for m in re.finditer("\n", text_of(doc))],
                dateline=dateline_match(document.text))
    sents = st.sents
    per_sent = []
    for sent in sents:
        if _interrogative(sent, st):
            per_sent.append([])  # a question asks; it asserts nothing ("Did the army shell the market?")
            continue
        here = _attributed(sent, st)
        here = [f for f in _dedupe(here + _own_judgements(sent, st, here)) if not _asks(f, doc)]
        per_sent.append(here)
    found: list[Found] = []
    for k, (sent, here) in enumerate(zip(sents, per_sent)):
        nxt = (sents[k + 1], per_sent[k + 1]) if k + 1 < len(sents) else None
        _set_stance(sent, here, nxt, st)
        found += here
    return [_mention(f, st) for f in found]


def _interrogative(sent, st: _State) -> bool:
    """A direct question outside quotation marks: the sentence ends with a question mark."""
    closing = ('"', "”", "’", "'", ")")
    last = next((t for t in reversed(sent) if not t.is_space and t.text not in closing), None)
    return last is not None and last.text.endswith("?") and last.i not in st.quoted


def _asks(f: Found, doc) -> bool:
    """A proposition that is itself a question ('"Where is the aid?" a resident said')."""
    nxt = next((t for t in doc[f.hi + 1:f.hi + 4] if not t.is_space and t.text not in ('"', "”", "’")), None)
    return nxt is not None and nxt.text.startswith("?")


# --------------------------------------------------------------------------- small parse helpers


# The helpers below read the tree through :class:`_Feats` and make a Token only for what they return.


def _child(tok: Token, *deps: str) -> Token | None:
    ft = _feats(tok.doc)
    dep = ft.dep
    return next((tok.doc[c] for c in ft.kids[tok.i] if dep[c] in deps), None)


def _pobj(prep: Token | None) -> Token | None:
    return _child(prep, "pobj") if prep is not None else None


def _ccomp(v: Token) -> list[Token]:
    ft = _feats(v.doc)
    return [v.doc[c] for c in ft.kids[v.i] if ft.dep[c] == "ccomp"]


def _has_subject(v: Token) -> bool:
    ft = _feats(v.doc)
    return any(ft.dep[c] in SUBJECTS for c in ft.kids[v.i])


def _within(k: Token, h: Token) -> bool:
    return any(a.i == h.i for a in k.ancestors)


def _subtree(ft: _Feats, i: int) -> list[int]:
    """``[t.i for t in doc[i].subtree]``, in spaCy's order: each left child's subtree, the token,
    each right child's subtree."""
    kids = ft.kids
    out: list[int] = []

    def visit(j: int) -> None:
        for c in kids[j]:
            if c < j:
                visit(c)
        out.append(j)
        for c in kids[j]:
            if c > j:
                visit(c)

    visit(i)
    return out


def _without(root: Token, drop: Iterable[Token]) -> list[int]:
    ft = _feats(root.doc)
    dropped = {t for d in drop for t in _subtree(ft, d.i)}
    return [t for t in _subtree(ft, root.i) if t not in dropped]


def _hull(indices: Iterable[int], doc) -> tuple[int, int]:
    """The contiguous token range covering ``indices``, without edge punctuation and connectives
    ("that", "and"); ``lo > hi`` when nothing is left."""
    ft = _feats(doc)
    skip, dep, pos = ft.skip, ft.dep, ft.pos
    idx = sorted(i for i in indices if not skip[i])
    while idx and (dep[idx[0]] in ("cc", "mark") or pos[idx[0]] == "CCONJ"):
        idx.pop(0)
    while idx and (dep[idx[-1]] in ("cc", "mark") or pos[idx[-1]] == "CCONJ"):
        idx.pop()
    return (idx[0], idx[-1]) if idx else (1, 0)


def _cue_text(tokens: Iterable[Token]) -> str:
    return " ".join(t.text for t in sorted(tokens, key=lambda t: t.i))


# --------------------------------------------------------------------------- pass 1: attributed


def _attributed(sent, st: _State) -> list[Found]:
    lx = lexicon()
    out: list[Found] = []
    doc, ft = st.doc, st.feats
    for i in range(sent.start, sent.end):  # the words decide first; a Token only for a cue word
        if i in st.quoted or i in st.consumed:
            continue  # a reporting verb inside a quotation belongs to the quoted speaker
        lem, low, pos = ft.lem[i], ft.lower[i], ft.pos[i]
        if low == "according" and any(c.lower_ == "to" for c in doc[i].children):
            out += _according(doc[i], st)
        elif pos in ("VERB", "AUX") and lem in lx.reporting_verbs:
            out += _verb(doc[i], st, out)
        elif pos in ("NOUN", "PROPN") and lem in lx.claim_nouns:
            out += _noun(doc[i], st)
        if pos != "VERB" and low in lx.purport_forms:
            out += _purport_fallback(doc[i], st)
    return out


def _nobody(subj: Token) -> bool:
    """A subject that names no one: "no group", "nobody", "none of the factions"."""
    return subj.lower_ in ("nobody", "none", "noone") or (subj.lower_ == "one" and any(
        c.lower_ == "no" for c in subj.children)) or any(c.dep_ == "det" and c.lower_ == "no" for c in subj.children)


def _verb(v: Token, st: _State, earlier: list[Found]) -> list[Found]:
    """Claims introduced by one reporting verb: who speaks, what is said, how sure, which polarity."""
    info = lexicon().reporting_verbs[v.lemma_.lower()]
    kids = list(v.children)
    if v.dep_ == "amod" or any(c.dep_ == "aux" and c.tag_ == "TO" for c in kids):
        return []  # "the reported strike", "quick to claim", "continues to deny"
    if any(c.dep_ == "neg" for c in kids):
        if (subj := _child(v, "nsubj")) is not None:
            _speaker(subj, st)  # remembered for pronouns, but "did not say how many" claims nothing
        return []
    if (subj := _child(v, "nsubj")) is not None and _nobody(subj):
        return []  # "no group claimed the attack", "nobody said": no one claims anything
    passive = any(c.dep_ == "auxpass" for c in kids) or (v.tag_ == "VBN" and v.dep_ == "acl")
    if passive and _ccomp(v) and any(c.dep_ == "nsubjpass" and c.lower_ != "it" for c in kids):
        return []  # "P; the extent is being assessed": only "it is reported that P" reports P
    if passive and any(f.lo <= v.i <= f.hi for f in earlier):
        return []  # "according to X, P are estimated to ...": already X's claim
    trailing = _trailing_speaker(v)
    speaker = _verb_speaker(v, st, passive, trailing)
    if speaker is None:
        return []
    cue = [v]
    out = []
    for lo, hi, head in _verb_propositions(v, st, passive, cue):
        if trailing is not None and lo < trailing[0] <= hi:  # the speakers the parser hung on P
            lo, hi = _hull(range(lo, trailing[0]), v.doc)
        if lo > hi or st.line(head.i) != st.line(v.i):
            continue
        negative = info.get("polarity") == "negative" or _negated(head)
        out.append(Found(lo, hi, _cue_text(cue), tuple(t.i for t in cue), speaker,
                         _weakest(info.get("certainty", "certain"), _hedge_level(head)),
                         "negative" if negative else "positive", _verb_stance(v, info)))
    return out


def _verb_propositions(v: Token, st: _State, passive: bool, cue: list[Token]) -> list[Part]:
    """What a reporting verb reports; extends ``cue`` with the words of a frame ("spoke of",
    "claims to show")."""
    lx = lexicon()
    lem, doc = v.lemma_.lower(), v.doc
    saying = next((c for c in v.children if c.dep_ == "advcl" and c.tag_ == "VBG"
                   and c.lemma_.lower() in lx.participles and _ccomp(c)), None)
    ccomps = [c for c in _ccomp(v) if st.line(c.i) == st.line(v.i)]
    xcomp = _child(v, "xcomp")
    if lem in lx.purport_verbs and xcomp is not None:
        to = [c for c in xcomp.children if c.dep_ == "aux"]
        if xcomp.lemma_.lower() in lx.purport_complements:  # "claims to show P": P is what is shown
            cue += [*to, xcomp]
            return [_hull([t.i for t in xcomp.subtree if t.i > xcomp.i], doc) + (xcomp,)]
        return [_hull([t.i for t in xcomp.subtree if t not in to], doc) + (xcomp,)]  # "claimed to have won"
    if ccomps:
        return _complement_parts(v, ccomps)
    if _parenthetical(v):  # "P, a spokesman said, as ...": P is what precedes the speaker
        first = next(t for t in v.subtree if not t.is_punct)
        return [_hull([t.i for t in v.head.subtree if t.i < first.i], doc) + (v.head,)]
    if (frame := _frame(v)) is not None:
        prep, lo = frame
        cue.append(prep)
        hi = max(t.i for t in prep.subtree)
        if lo == prep.i + 1:  # "spoke of": up to the end of the verb phrase
            hi = max([hi, *(t.i for r in v.rights for t in r.subtree if t.i > prep.i)])
        return [_hull(range(lo, _merge_saying(saying, hi, st) + 1), doc) + (prep,)]
    if lem in lx.object_verbs and xcomp is not None and xcomp.tag_ == "VBG":  # "denied firing on them"
        return [_hull([t.i for t in xcomp.subtree], doc) + (xcomp,)]
    if (obj := _object(v)) is not None:
        preps = [c.right_edge.i for c in v.children if c.dep_ == "prep" and c.i > obj.i]
        hi = max([obj.right_edge.i, *preps])
        lo = v.i if lem in lx.purport_verbs else obj.i  # "claimed responsibility for ..."
        return [_hull(range(lo, _merge_saying(saying, hi, st) + 1), doc) + (obj,)]
    if passive and lem in lx.passive_reports | lx.passive_raising:
        if v.dep_ == "acl":  # "an attack claimed by X"
            return [_hull(range(v.head.left_edge.i, v.right_edge.i + 1), doc) + (v,)]
        subj = _child(v, "nsubjpass")
        if subj is None or subj.lower_ == "it" or (xcomp is None and lem not in lx.passive_reports):
            return []  # "is believed" needs its infinitive: "is believed to have died"
        hi = xcomp.right_edge.i if xcomp is not None else v.i
        return [_hull(range(subj.left_edge.i, hi + 1), doc) + (xcomp if xcomp is not None else v,)]
    return []


def _complement_parts(v: Token, ccomps: list[Token]) -> list[Part]:
    """The proposition(s) of a verb's clausal complements. A statement of its own before the verb
    ("Kiev says P; the rebels claim Q") is not its complement; a second complement is the parser's
    split of one clause and is merged into the first."""
    lx = lexicon()
    own = [c for c in ccomps if c.i < v.i and c.lemma_.lower() in lx.reporting_verbs and _has_subject(c)]
    ccomps = [c for c in ccomps if c not in own] or ccomps[-1:]
    parts: list[Part] = []
    for c in ccomps:
        more = _clause_parts(c)
        if parts and more:
            (lo, hi, head), (lo2, hi2, _) = parts[0], more.pop(0)
            parts[0] = (min(lo, lo2), max(hi, hi2), head)
        parts += more
    return parts


def _clause_parts(c: Token) -> list[Part]:
    """The proposition(s) of one clausal complement. A coordinated clause with a hedge of its own
    ("that P and that he is probably Q", "P and could Q") is a claim of its own: it has its own
    certainty. Plain coordinations stay one claim ("said that P and that Q"). A reporting verb
    coordinated inside the clause ("denied that P and said Q", a misparse) is cut out: it is a
    claim of its own."""
    lx = lexicon()
    heads, drop, stack = [c], [], [c]
    while stack:
        h = stack.pop()
        for k in h.children:
            if k.dep_ != "conj" or k.pos_ not in ("VERB", "AUX"):
                continue
            if k.lemma_.lower() in lx.reporting_verbs and not _has_subject(k):
                drop.append(k)
                continue
            marked = any(m.dep_ == "mark" and m.lower_ == "that" for m in k.children)
            own = _hedge_level(k, inherit=False)
            if own is not None and (marked or own != _hedge_level(h)):
                heads.append(k)
            stack.append(k)
    parts = []
    for h in heads:
        nested = [k for k in heads if k.i > h.i and _within(k, h)]
        if keep := _without(h, nested + drop):
            parts.append(_hull(keep, c.doc) + (h,))
    return parts


def _merge_saying(saying: Token | None, hi: int, st: _State) -> int:
    """'claimed responsibility ..., saying P' is one claim: extend it over the participle's clause."""
    if saying is None:
        return hi
    st.consumed.update(t.i for t in saying.subtree)
    return max(hi, saying.right_edge.i)


def _parenthetical(v: Token) -> bool:
    """'P, the coalition said, and Q': a reporting verb with its subject, set off after what it reports."""
    if v.dep_ not in ("parataxis", "advcl") or v.head.i > v.i or v.head.pos_ not in ("VERB", "AUX"):
        return False
    if _child(v, "nsubj") is None or _child(v, "dobj", "xcomp") is not None:
        return False
    first = next(t for t in v.subtree if not t.is_punct)
    return first.i > 0 and v.doc[first.i - 1].is_punct


def _frame(v: Token) -> tuple[Token, int] | None:
    """The preposition that carries the proposition of a framed verb, and where the proposition
    starts: "spoke of P" (after the preposition), "accused X of P" (the verb), "described X as P"
    (the object)."""
    lx = lexicon()
    preps = lx.frames.get(v.lemma_.lower())
    if not preps:
        return None
    obj = _child(v, "dobj")
    for c in [*v.children, *(obj.children if obj is not None else ())]:  # "blamed [the raid on X]"
        if c.dep_ not in ("prep", "agent") or c.lower_ not in preps:
            continue
        if c.lower_ in ("of", "about") and v.lemma_.lower() in lx.open_frames:
            return c, c.i + 1  # the parser often hangs what was spoken of on the verb, not on "of"
        if not any(True for _ in c.children):
            continue
        if c.lower_ == "as":
            return c, (obj.left_edge.i if obj is not None else c.i + 1)
        return c, v.i
    return None


def _object(v: Token) -> Token | None:
    """A noun object that is itself the claim ("denied responsibility"); not a pronoun ("denied it")."""
    lx = lexicon()
    lem = v.lemma_.lower()
    if lem not in lx.object_verbs or lem in lx.frame_only:
        return None
    obj = _child(v, "dobj")
    if obj is None or obj.pos_ == "PRON" or obj.lower_ in ("this", "that", "so"):
        return None
    if lem in lx.purport_verbs and obj.lemma_.lower() not in lx.claim_objects:
        return None  # "claimed responsibility", "claimed the attack"; not "claimed the town"
    return obj


def _according(t: Token, st: _State) -> list[Found]:
    """'According to X, P' and 'P, according to X'."""
    to = next(c for c in t.children if c.lower_ == "to")
    if (pobj := _pobj(to)) is None:
        return []
    speaker = _speaker(pobj, st)
    head = t.head
    while head.pos_ not in ("VERB", "AUX") and head.dep_ != "ROOT":
        head = head.head
    lo, hi = _hull([i for i in _without(head, [t]) if st.line(i) == st.line(t.i)], t.doc)
    if lo > hi:
        return []
    return [Found(lo, hi, "according to", (t.i, to.i), speaker, _weakest("certain", _hedge_level(head)),
                  "negative" if _negated(head) else "positive")]


def _noun(n: Token, st: _State) -> list[Found]:
    """'the Russian claim that P', 'X's denial that P', 'reports that P'."""
    info = lexicon().claim_nouns[n.lemma_.lower()]
    clause = next((c for c in n.children if c.dep_ in ("acl", "ccomp")
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is None:
        return []
    lo, hi = _hull([t.i for t in clause.subtree], n.doc)
    negative = info.get("polarity") == "negative" or _negated(clause)
    certainty = _weakest(info.get("certainty"), _hedge_level(clause))
    polarity = "negative" if negative else "positive"
    return [Found(lo, hi, n.text, (n.i,), _noun_owner(n, st), certainty, polarity)]


def _purport_fallback(t: Token, st: _State) -> list[Found]:
    """'A video ... purports to show P' when the parser took the verb for a noun: the words decide."""
    lx = lexicon()
    doc, end = t.doc, t.sent.end
    if t.i + 2 >= end or doc[t.i + 1].lower_ != "to":
        return []
    if doc[t.i + 2].lemma_.lower() not in lx.purport_complements:
        return []
    media = next((m for m in reversed(doc[t.sent.start:t.i])
                  if m.pos_ in ("NOUN", "PROPN") and m.lemma_.lower() in lx.media_nouns), None)
    lo, hi = _hull(range(t.i + 3, end), doc)
    if media is None or lo > hi:
        return []
    cue = doc[t.i:t.i + 3]
    return [Found(lo, hi, cue.text, tuple(c.i for c in cue), _maker(media, st), "certain", "positive")]


# --------------------------------------------------------------------------- pass 2: the writer


def _own_judgements(sent, st: _State, attributed: list[Found]) -> list[Found]:
    """Finite clauses the writer marks as judgement: hedged, boosted or first-person."""
    covered = {i for f in attributed for i in range(f.lo, f.hi + 1)}
    out = []
    ft = st.feats
    for i in range(sent.start, sent.end):
        if i in st.quoted or i in covered or ft.pos[i] not in ("VERB", "AUX") or ft.dep[i] not in CLAUSE_DEPS:
            continue
        h = st.doc[i]
        if not _finite_clause(h) or _background(h):
            continue
        level, cue = _own_cue(h)
        if level is None:
            continue
        others = [k for k in h.children if k.dep_ == "conj" and _has_subject(k)]
        others += [k for k in h.children if k.dep_ in ("advcl", "ccomp") and k.i < h.i
                   and _concessive(k, conditional=False)]
        lo, hi = _hull([i for i in _without(h, others) if i not in covered], h.doc)
        if lo <= hi:
            out.append(Found(lo, hi, _cue_text(cue), tuple(c.i for c in cue), AUTHOR, level,
                             "negative" if _negated(h) else "positive", "endorses"))
    return out


def _finite_clause(h: Token) -> bool:
    """A finite clause head with a subject (its own or its first conjunct's). The parser sometimes
    takes a booster for the verb ("The city will doubtless fall": subject and "will" hang on
    'doubtless'), so the children of such an adverb count as the head's."""
    lx = lexicon()
    ft = _feats(h.doc)
    dep, i = ft.dep, h.i
    kids = ft.kids[i] + [g for c in ft.kids[i] if dep[c] == "advmod" and lx.hedge_word(ft.lower[c])
                         for g in ft.kids[c]]
    subject = any(dep[c] in SUBJECTS for c in kids) or (
        dep[i] == "conj" and any(dep[c] in SUBJECTS for c in ft.kids[ft.head[i]]))
    finite = h.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(dep[c] in ("aux", "auxpass") for c in kids)
    return subject and finite


def _own_cue(h: Token) -> tuple[str | None, list[Token]]:
    """The writer's marker on a clause head: a hedge, a booster or a first-person opinion."""
    lx = lexicon()
    level, cue = _hedge(h)
    for c in h.children:
        if c.dep_ != "prep" or (pobj := _pobj(c)) is None:
            continue
        mine = any(d.lower_ in lx.first_person_possessives for d in pobj.children)
        if c.lower_ == "in" and pobj.lower_ in lx.opinion_nouns and mine:  # "in my view"
            return _weakest(level, "probable"), cue + list(c.subtree)
        if c.lower_ == "to" and pobj.lower_ in ("me", "us") and h.lemma_.lower() in lx.hedge_verbs:
            return _weakest(level, "probable"), [h, c, pobj]  # "it looks to me"
    return level, cue


def _background(h: Token) -> bool:
    """Inside a relative clause, a modifier or a concessive subordinate clause ("Though X may ...")."""
    return any(a.dep_ in EMBEDDED_DEPS or (a.dep_ in ("advcl", "ccomp") and _concessive(a))
               for a in [h, *h.ancestors])


def _concessive(a: Token, conditional: bool = True) -> bool:
    """A subordinate clause marked as background ("though", "while", "as"; with ``conditional``
    also "if", "unless"): a hedge in it is not a claim, and a condition stays part of its claim."""
    lx = lexicon()
    marks = lx.background_marks if conditional else lx.background_marks - lx.conditional_marks
    return any(m.dep_ == "mark" and m.lower_ in marks for m in a.children)


# --------------------------------------------------------------------------- hedges and negation


def _hedge(h: Token) -> tuple[str | None, list[Token]]:
    """The weakest hedge or booster on a clause head, and its words."""
    lx = lexicon()
    doc, ft = h.doc, _feats(h.doc)
    lower, dep, kids = ft.lower, ft.dep, ft.kids[h.i]
    levels: list[str] = []
    cue: list[Token] = []
    if level := lx.hedge_word(lower[h.i]):  # an adverb the parser took for the verb
        levels.append(level)
        cue.append(h)
    for k in kids:
        low = lower[k]
        if dep[k] == "aux" and low in lx.hedge_modals:
            if low == "could" and (_negated(h) or ft.lem[h.i] in lx.ability_verbs):
                continue  # "could not be verified", "could be seen": ability, not a hedge
            level = lx.hedge_modals[low]
        elif dep[k] == "advmod" and low in lx.boosters:
            soft = any(lower[d] in lx.booster_softeners for d in ft.kids[k])  # "almost certainly"
            level = "probable" if soft else "certain"
        elif dep[k] == "advmod" and low in lx.hedge_adverbs:
            level = lx.hedge_adverbs[low]
        elif dep[k] in ("acomp", "attr") and low in lx.hedge_adjectives:
            c = doc[k]
            if low in ("possible", "certain") and not (_ccomp(h) or _ccomp(c) or _child(c, "xcomp")):
                continue  # "making it possible", "a certain number"
            level = lx.hedge_adjectives[low]
        else:
            continue
        levels.append(level)
        cue.append(doc[k])
    lem = ft.lem[h.i]
    if lem in lx.hedge_verbs:
        passive = any(dep[k] == "auxpass" for k in kids)
        complement = any(dep[k] in ("xcomp", "ccomp", "acomp", "oprd") for k in kids)
        to_me = any(dep[k] == "prep" and lower[k] == "to" for k in kids)
        if (lem == "expect" and passive and complement) or (lem in ("appear", "seem") and complement) \
                or (lem == "look" and to_me):
            levels.append(lx.hedge_verbs[lem])
            cue.append(h)
    if not levels:
        return None, []
    return _weakest(*levels), sorted(cue, key=lambda t: t.i)


def _hedge_level(h: Token, inherit: bool = True) -> str | None:
    """The hedge level of a clause head; a coordinated verb without its own subject and auxiliaries
    shares its first conjunct's (``inherit``)."""
    level, _ = _hedge(h)
    if level is None and inherit and h.dep_ == "conj" and not _has_subject(h) and _child(h, "aux") is None:
        level, _ = _hedge(h.head)
    return level


def _negated(h: Token) -> bool:
    """The clause head is negated: 'do not use', 'had nothing to do', 'no combat tasks planned'."""
    lx = lexicon()
    ft = _feats(h.doc)
    lower, dep = ft.lower, ft.dep
    for c in ft.kids[h.i]:
        if dep[c] == "neg" or (dep[c] == "advmod" and lower[c] == "never"):
            return True
        if dep[c] in ("dobj", "nsubj", "attr") and (
                lower[c] in lx.negators or any(dep[d] == "det" and lower[d] == "no" for d in ft.kids[c])):
            return True
    return False


# --------------------------------------------------------------------------- claimants


def _verb_speaker(v: Token, st: _State, passive: bool, trailing: tuple[int, Token] | None) -> Speaker | None:
    """Who speaks through a reporting verb: its subject, the agent of a passive, the subject of the
    clause a participle or a subject-less coordinated verb hangs on, or the ``trailing`` speakers
    (:func:`_trailing_speaker`)."""
    if passive:
        pobj = _pobj(_child(v, "agent"))
        return _speaker(pobj, st) if pobj is not None else _unnamed()
    subjects = [c for c in v.children if c.dep_ == "nsubj"]  # a dateline can pose as a second subject
    subj = min(subjects, key=lambda c: abs(v.i - c.i)) if subjects else _inherited_subject(v)
    if subj is None and v.tag_ == "VBG":  # a participle in a misparsed clause: the nearest name before it
        subj = next((v.doc[e.end - 1] for e in reversed(sent_ents(v.sent))
                     if e.end <= v.i and e.label_ in ("PERSON", "ORG", "NORP", "GPE")), None)
    if subj is None and trailing is not None:
        subj = trailing[1]
    if subj is None:
        return None
    if subj.lower_ in RELATIVE and v.dep_ == "relcl":
        return _maker(_purporting_item(v), st)
    if subj.lemma_.lower() in lexicon().media_nouns:  # "the statement said", "a video ... claims to show"
        return _maker(subj, st)
    return _speaker(subj, st)


def _trailing_speaker(v: Token) -> tuple[int, Token] | None:
    """"P, killing 11 people, residents and a rights group said": the parser hangs the speakers on
    the last noun of P and leaves the verb without a subject; they are the words between the last
    comma and the verb. The comma's index and the first noun of the speakers."""
    if v.dep_ != "ROOT" or any(c.dep_ in SUBJECTS for c in v.children) or not any(c.i < v.i for c in _ccomp(v)):
        return None
    words = []
    for t in reversed(v.doc[v.sent.start:v.i]):
        if t.text == ",":
            break
        words.append(t)
    else:
        return None
    if not words or len(words) > 8:
        return None
    noun = next((t for t in reversed(words) if t.pos_ in ("NOUN", "PROPN")), None)
    return (words[-1].i - 1, noun) if noun is not None else None


def _purporting_item(v: Token) -> Token:
    """What 'which claims to show' refers back to. The parser often hangs the relative clause on the
    nearest noun ("a video published by Amaq, ISIS's news agency, which claims to show"); only a media
    item claims to show something, so the nearest media noun above it is meant."""
    lx = lexicon()
    xcomp = _child(v, "xcomp")
    if (v.head.lemma_.lower() in lx.media_nouns or xcomp is None
            or xcomp.lemma_.lower() not in lx.purport_complements):
        return v.head

    def media(t: Token) -> bool:
        return t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in lx.media_nouns

    above = next((a for a in list(v.head.ancestors)[:6] if media(a)), None)
    if above is not None:
        return above
    before = v.doc[max(v.sent.start, v.i - 15):v.i]  # hung anywhere by the parser: the nearest before it
    return next((t for t in reversed(before) if media(t)), v.head)


def _inherited_subject(v: Token) -> Token | None:
    """The subject a subject-less verb shares: for a coordinated verb, that of the nearest reporting
    verb above it ("X denied that P and said Q"), else of its first conjunct; for a participle
    ("..., saying P"), that of the nearest clause above it."""
    verbs = [a for a in v.ancestors if a.pos_ in ("VERB", "AUX")]
    if v.dep_ == "conj":
        reporting = lexicon().reporting_verbs
        for a in verbs:
            if a.lemma_.lower() in reporting and (s := _child(a, "nsubj")) is not None:
                return s
        return _child(v.head, "nsubj")
    return next((s for a in verbs if (s := _child(a, "nsubj")) is not None), None)


def _maker(n: Token, st: _State) -> Speaker:
    """The maker of a media item ('a video published by Amaq', 'Amaq's video'); for a statement
    without a maker, whoever spoke last. Any other noun speaks for itself."""
    lx = lexicon()
    if n.lemma_.lower() not in lx.media_nouns:
        return _speaker(n, st)
    for c in n.children:
        if c.dep_ == "poss":
            return _speaker(c, st)
        if c.dep_ == "acl":
            by = _pobj(_child(c, "agent"))  # "a video published by X"
        else:
            by = _pobj(c) if c.lower_ in ("by", "from") else None
        if by is not None:
            return _speaker(by, st)
    earlier = [sp for i, sp in st.speakers if i < n.i]
    return earlier[-1] if earlier else _unnamed()


def _noun_owner(n: Token, st: _State) -> Speaker:
    """Whose claim a claim noun is: 'Russia's claim', 'the Russian claim', 'a claim by X'."""
    lx = lexicon()
    for c in n.children:
        if c.dep_ == "poss":
            return _speaker(c, st)
        if c.dep_ in ("amod", "compound") and c.lower_ in lx.demonyms:
            return _country(lx.demonyms[c.lower_])
        if c.dep_ == "compound" and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON"):
            return _speaker(c, st)
        if c.dep_ == "prep" and c.lower_ in ("by", "from") and (pobj := _pobj(c)) is not None:
            return _speaker(pobj, st)
    return _unnamed()


def _speaker(tok: Token, st: _State) -> Speaker:
    """Normalise the head of a noun phrase that speaks, and remember it for later pronouns."""
    lx = lexicon()
    low = tok.lower_
    if low in lx.first_person and tok.i not in st.quoted:
        return AUTHOR
    if low in PRONOUNS or (tok.pos_ in ("DET", "NUM", "ADJ") and tok.dep_ in SUBJECTS):
        return _resolve(tok, st)
    ours = any(c.lower_ in lx.first_person_possessives for c in tok.children)
    if ours and tok.lemma_.lower() in lx.own_staff:
        return AUTHOR  # "our correspondent says"
    sp = _name(tok)
    st.speakers.append((tok.i, sp))
    return sp


def _resolve(tok: Token, st: _State) -> Speaker:
    """A pronoun (or 'Several said') → the last speaker that fits, else the last person named, else
    the subject before it in the sentence."""
    low = tok.lower_
    want_person = low in ("he", "she", "him", "her")
    want_plural = low in ("they", "them") or tok.pos_ in ("DET", "NUM", "ADJ")
    for i, sp in reversed(st.speakers):
        if i < tok.i and sp.person == want_person and (want_person or sp.plural == want_plural):
            return sp
    if want_person:
        for ent in reversed([e for e in ents_of(tok.doc) if e.end <= tok.i and e.label_ == "PERSON"]):
            return Speaker(_strip_titles(ent), "person", person=True)
    else:  # "The separatists never accepted the truce, which they said ...": the subject before it
        for c in reversed(tok.doc[tok.sent.start:tok.i]):
            plural = c.tag_ in ("NNS", "NNPS")
            if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") and plural == want_plural:
                return _speaker(c, st)
    earlier = [sp for i, sp in st.speakers if i < tok.i and sp.person == want_person]
    return earlier[-1] if earlier else _unnamed()


def _name(tok: Token) -> Speaker:
    """The canonical name of a noun phrase: the actor dictionary first, then person names, unnamed
    sources, demonyms, the body a spokesman speaks for, named entities, and the phrase itself."""
    lx = lexicon()
    core = _core(tok)
    clauses = ("relcl", "acl", "appos")
    ft = _feats(tok.doc)
    dep, head = ft.dep, ft.head

    def in_clause(j: int) -> bool:  # a token on the way up from j to tok (tok excluded) heads a clause
        while j != tok.i and head[j] != j:
            if dep[j] in clauses:
                return True
            j = head[j]
        return False

    full = [tok.doc[j] for j in _subtree(ft, tok.i) if j >= core[0].i and dep[j] not in (*clauses, "punct", "case")
            and not in_clause(j) and (j <= tok.i or ft.lower[j] not in lx.purport_forms)]
    plural = tok.tag_ in ("NNS", "NNPS")
    ent = next((e for e in ents_of(tok.doc) if e.start <= tok.i < e.end), None)
    for toks in (full, core, list(ent) if ent is not None else []):
        if toks and (actor := lookup(_text(toks))) is not None and _specific(actor, toks):
            return Speaker(actor.name, _actor_kind(actor), person=actor.kind == "person", plural=plural)
    appos = _child(tok, "appos")
    if appos is not None and appos.pos_ == "PROPN" and (
            tok.lemma_.lower() in lx.roles | lx.titles or appos.ent_type_ == "PERSON"):
        return _name(appos) if lookup(_text(_core(appos))) else Speaker(_strip_titles(_core(appos)), "person",
                                                                         person=True)
    if tok.ent_type_ == "PERSON":
        return Speaker(_strip_titles(ent if ent is not None else core), "person", person=True)
    if tok.pos_ == "PROPN" and len(core) == 1:  # "Kyrylenko said": a person named before in full
        for e in ents_of(tok.doc):
            if e.label_ == "PERSON" and e.end <= tok.i and e[-1].text == tok.text:
                return Speaker(_strip_titles(e), "person", person=True)
    lem = tok.lemma_.lower()
    if lem in lx.unnamed_sources:
        return _unnamed()
    if lem in lx.state_voices:  # "Ukrainian officials" → Ukraine
        demonym = next((c.lower_ for c in tok.children
                        if c.dep_ in ("amod", "compound") and c.lower_ in lx.demonyms), None)
        if demonym:
            sp = _country(lx.demonyms[demonym])
            return Speaker(sp.name, sp.kind, plural=plural)
    if lem in lx.roles:  # "a spokesman for X" speaks for X
        for c in tok.children:
            if c.dep_ != "prep" or c.lower_ not in ("of", "for") or (pobj := _pobj(c)) is None:
                continue
            named = next((d for d in pobj.children if d.dep_ == "appos" and d.ent_type_ == "PERSON"), None)
            if named is not None:  # "the leader of the group X, Abubakar Shekau,": the name hangs on X
                return Speaker(_strip_titles(_core(named)), "person", person=True)
            if pobj.ent_type_ in ("ORG", "GPE", "NORP") or pobj.pos_ == "PROPN":
                return _name(pobj)
    if ent is not None and ent.label_ in ("ORG", "GPE", "NORP", "FAC") and ent.end - 1 == tok.i:
        return Speaker(_text(list(ent)), _kind_of(tok, ent.label_), plural=plural)
    # the whole phrase when short ("governor of Kherson", "officials in Peshawar"), else its core
    words = full if len(full) <= 6 and full[-1].i > tok.i else core
    name = _text(words)
    first = words[0]
    if first.is_sent_start and first.pos_ != "PROPN" and not first.ent_type_ and not first.text.isupper():
        name = name[:1].lower() + name[1:]  # "Security analysts said" → "security analysts"
    return Speaker(name, _kind_of(tok, None), plural=plural)


def _core(tok: Token) -> list[Token]:
    """The head with its left modifiers (no determiner): 'Ukraine's deputy defence minister'; a
    dateline or other material the parser glued on before a comma, bracket or dash is cut off."""
    left = sorted((t for c in tok.lefts if c.dep_ not in ("det", "predet", "punct", "cc") for t in c.subtree),
                  key=lambda t: t.i)
    cut = [t.i for t in left if t.text in (",", "(", ")", "–", "—", ":", ";") or
           (t.text == "-" and t.i > 0 and t.doc[t.i - 1].whitespace_)]
    if cut:
        left = [t for t in left if t.i > max(cut)]
    return left + [tok]


def _specific(actor: Actor, toks: list[Token]) -> bool:
    """Whether a dictionary match names the speaker: a country-bound actor, or a proper name that the
    canonical name shares a word with (or abbreviates). 'officials' → 'Government' and 'World Food
    Programme' → 'United Nations' are categories, not names: the phrase itself says more."""
    if actor.country:
        return True
    if not any(t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "PERSON", "GPE", "NORP") for t in toks):
        return False
    words = {w.lower() for w in re.findall(r"\w+", actor.name)}
    return bool(words & {t.lower_ for t in toks}) or (len(toks) == 1 and toks[0].text.isupper())


def _country(name: str) -> Speaker:
    actor = lookup(name)
    return Speaker(actor.name, _actor_kind(actor)) if actor is not None else Speaker(name, "government")


def _text(tokens: list[Token]) -> str:
    """A name from tokens: no leading article, no quotation marks."""
    s = "".join(t.text_with_ws for t in tokens).strip()
    s = _QUOTE_MARKS.sub("", s)
    s = _SINGLE_QUOTES.sub("", s)
    s = _ARTICLE.sub("", s)
    return _SPACES.sub(" ", s).strip(" ,;:-–")


_QUOTE_MARKS = re.compile(r"[\"“”«»]")
_SINGLE_QUOTES = re.compile(r"(?<!\w)[‘’']|[‘’'](?!\w)")
_ARTICLE = re.compile(r"^(the|a|an)\s+", flags=re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _strip_titles(tokens: Iterable[Token]) -> str:
    titles = lexicon().titles
    words = [t.text for t in tokens if t.dep_ not in ("det", "punct", "poss", "case")]
    while len(words) > 1 and words[0].lower().rstrip(".") in titles:
        words.pop(0)
    return " ".join(words)


def _actor_kind(actor: Actor) -> str:
    lx = lexicon()
    if actor.kind == "state" and any(w.lower() in lx.state_government_words for w in actor.name.split()):
        return "government"
    return lx.actor_kinds.get(actor.kind, "organization")


def _kind_of(tok: Token, label: str | None) -> str:
    """claimant_type from the head noun ('officials'), else from its modifiers ('militant group')."""
    for word in [tok, *(c for c in tok.lefts if c.dep_ in ("amod", "compound"))]:
        lem = word.lemma_.lower()
        for kind, heads in lexicon().claimant_types.items():
            if lem in heads:
                return kind
    return {"PERSON": "person", "GPE": "government", "NORP": "government"}.get(label or "", "organization")


# --------------------------------------------------------------------------- quotations and duplicates


def _quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of double quotations (straight quotes are paired within a paragraph; an
    unclosed curly quotation runs to the end of its paragraph)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"“[^”]*(”|$)|«[^»]*(»|$)", text, flags=re.M)]
    for line in re.finditer(r"[^\n]+", text):
        marks = [line.start() + m.start() for m in re.finditer('"', line.group())]
        spans += list(zip(marks[::2], (b + 1 for b in marks[1::2])))
    return sorted(spans)


def _quoted_tokens(doc, quotes: list[tuple[int, int]]) -> set[int]:
    """The tokens that start inside a quotation (``a < idx < b - 1``), found by bisection: token
    offsets ascend."""
    idx = _feats(doc).idx
    out: set[int] = set()
    for a, b in quotes:
        out.update(range(bisect.bisect_right(idx, a), bisect.bisect_left(idx, b - 1)))
    return out


def _dedupe(found: list[Found]) -> list[Found]:
    """One claim per proposition: drop repeats, and judgements of the writer nested in another."""
    found.sort(key=lambda f: (f.lo, -f.hi))
    out: list[Found] = []
    for f in found:
        if any((g.lo, g.hi) == (f.lo, f.hi) for g in out):
            continue
        if f.speaker is AUTHOR and any(g.speaker is AUTHOR and g.lo <= f.lo and f.hi <= g.hi
                                       and (g.lo, g.hi) != (f.lo, f.hi) for g in found):
            continue
        out.append(f)
    return out


# --------------------------------------------------------------------------- stance


def _verb_stance(v: Token, info: dict[str, str]) -> str:
    """The stance a reporting verb carries: 'confirmed' endorses, 'falsely claimed' disputes."""
    adverbs = lexicon().stance_adverbs
    for c in v.children:
        if c.dep_ == "advmod" and c.lower_ in adverbs:
            return adverbs[c.lower_]
    return info.get("stance", "neutral")


def _masked(sent, blank: list[Found], cues: list[Found], st: _State) -> str:
    """The sentence in lower case with the propositions of ``blank`` and the cues of ``cues`` blanked
    out: what is left is the writer's framing."""
    s_start, s_end = sent.start_char, sent.end_char
    chars = list(st.text[s_start:s_end].lower())
    doc = sent.doc
    spans = [(doc[f.lo].idx, doc[f.hi].idx + len(doc[f.hi])) for f in blank]
    spans += [(doc[i].idx, doc[i].idx + len(doc[i])) for f in cues for i in f.cue_tokens]
    for a, b in spans:
        lo, hi = max(a, s_start) - s_start, min(b, s_end) - s_start
        if lo < hi:
            chars[lo:hi] = " " * (hi - lo)
    return "".join(chars)


def _said(name: str, text: str) -> bool:
    """A phrase of the stance list ``name`` occurs in ``text``."""
    return _stance_unions()[name].search(text) is not None


def _affirmed(name: str, text: str) -> bool:
    """A phrase of the stance list ``name`` occurs and is not negated just before it ("could not
    be independently verified")."""
    if _stance_unions()[name].search(text) is None:
        return False  # no phrase at all; else every occurrence of every phrase is looked at
    return any(not NEGATED_BEFORE.search(text[max(0, m.start() - 40):m.start()])
               for p in _stance_patterns()[name] for m in p.finditer(text))


def _set_stance(sent, found: list[Found], nxt: tuple[Any, list[Found]] | None, st: _State) -> None:
    """The writer's stance on each attributed claim, from cues in its sentence outside the attributed
    propositions ("the Russian claim that P is wrong", "without evidence") and from a following
    sentence that judges it ("In my view that claim is not credible"). The writer's own: endorses."""
    verdict: str | None = None  # the same for every claim of the sentence: read once, when first needed
    for f in found:
        if f.speaker is AUTHOR:
            f.stance = "endorses"
        elif f.stance != "neutral":
            continue
        else:
            if verdict is None:
                verdict = _stance_verdict(sent, found, nxt, st)
            f.stance = verdict


def _stance_verdict(sent, found: list[Found], nxt: tuple[Any, list[Found]] | None, st: _State) -> str:
    """The writer's stance on the attributed claims of ``sent`` (see :func:`_set_stance`)."""
    attributed = [f for f in found if f.speaker is not AUTHOR]
    here = _masked(sent, attributed, found, st)
    after = ""
    if nxt is not None:  # the writer's own cues stay: "The footage looks to me genuine."
        nsent, nfound = nxt
        others = [f for f in nfound if f.speaker is not AUTHOR]
        after = _masked(nsent, others, others, st)
    if _said("disputes", here) or _said("next_sentence_disputes", after):
        return "disputes"
    if _affirmed("endorses", here) or _affirmed("next_sentence_endorses", after):
        return "endorses"
    return "neutral"


# --------------------------------------------------------------------------- output


def _clip_lines(f: Found, doc) -> None:
    """Keep a proposition on one line (the parser sometimes runs sentences across a line break):
    the line of the cue, or the line next to it."""
    idx = _feats(doc).idx
    if f.lo < f.hi and "\n" not in text_of(doc)[idx[f.lo]:idx[f.hi]]:
        return  # the tokens before the last one, with their trailing whitespace, cross no line break
    breaks = [t.i for t in doc[f.lo:f.hi] if "\n" in t.whitespace_ or (t.is_space and "\n" in t.text)]
    if not breaks:
        return
    cue = f.cue_tokens[0] if f.cue_tokens else f.lo
    cuts = [f.lo] + [b + 1 for b in breaks] + [f.hi + 1]
    for a, b in zip(cuts, cuts[1:]):
        if a <= cue < b or (cue < a and a == f.lo) or (cue >= f.hi + 1 and b == f.hi + 1):
            f.lo, f.hi = _hull(range(a, b), doc)
            return


def _mention(f: Found, st: _State) -> ClaimMention:
    doc = st.doc
    _clip_lines(f, doc)
    last = doc[f.hi]
    start, end = st.feats.idx[f.lo], last.idx + len(last)
    sent = st.sent_of(f.lo)
    s_start = sent.start_char
    quote = next(((a, b) for a, b in st.quotes if a < start < b and a < s_start), None)
    if quote is not None and sent.end_char - quote[0] <= MAX_EVIDENCE:  # a quotation of several sentences
        start, s_start = quote[0] + 1, quote[0]
    dateline = st.dateline  # "KHARTOUM (Nile Desk) - P, officials said": P without the dateline
    if dateline is not None and start <= dateline.start() < dateline.end() < end:
        start = dateline.end()
    return ClaimMention(
        claimant=f.speaker.name,
        claimant_type=f.speaker.kind,
        cue=f.cue or None,
        text=st.text[start:end],
        span=Span(start, end),
        sentence=_evidence(st.text, s_start, sent.end_char, start, end),
        certainty=f.certainty,
        polarity=f.polarity,
        author_stance=f.stance,
    )


def _evidence(text: str, s_start: int, s_end: int, start: int, end: int) -> Span:
    """The sentence, kept to the line of the proposition and to ≤ 700 characters around it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    lo, hi = max(s_start, line_start), min(s_end, line_end if line_end != -1 else len(text))
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    if hi - lo <= MAX_EVIDENCE:
        return Span(lo, hi)
    lo = max(lo, start - max(0, MAX_EVIDENCE - (end - start)) // 2)
    hi = min(hi, lo + MAX_EVIDENCE)
    while hi > end and hi < len(text) and not text[hi].isspace():
        hi -= 1  # end on a word boundary
    return Span(lo, hi)
