"""Actor mentions from noun phrases: who a token in the parse stands for.

Resolution of a noun phrase head, best first: a named actor in the phrase ("the paramilitary
Rapid Support Forces", "gunmen from the Pakistani Taliban", "Houthi fighters"); a generic head
filled with the country a modifier names ("Kenyan police" → Police Forces of Kenya, "Sudan's
army", "Russian aircraft"); a generic head filled with the context's country ("gunmen" in a
Nigerian story → Unidentified Armed Group (Nigeria)); a country ("Russia"). A side's post or
unit is that side ("rebel positions", "police lines", "an army checkpoint"); a person named with a
state title is that state's government or forces ("Russian President Vladimir Putin"). Pronouns
(it, its, they, them, their) take the speaker of the report they sit in ("the RSF announced it
had...") or the last armed actor before them; "its forces" of a country are that country's forces.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

from sitroom.extract.matching import lexicon
from sitroom.extract.nlp import ents_of, sent_ents, text_of
from sitroom.model import Actor
from sitroom.resolve import actors as dictionary

PRONOUNS = {"it", "its", "they", "them", "their", "themselves", "itself"}
# heads that stand for a group named in their "of" phrase: "many of them", "a commander of JuA"
QUANTIFIERS = {"many", "some", "most", "all", "several", "dozen", "hundred", "thousand", "one", "none",
               "member", "remnant", "each", "both", "majority", "part", "number", "group", "unit",
               "commander", "fighter", "spokesman", "spokesperson", "leader", "faction", "detachment",
               "column", "band", "squad", "wing"}
LEFT_DEPS = {"compound", "amod", "poss", "det", "nmod", "nummod", "quantmod", "case", "punct", "npadvmod"}
RIGHT_PREPS = {"of", "from", "in", "with", "loyal"}  # gunmen from X, men in X uniforms
ARMED = {"state", "rebel", "militia", "identity_militia", "external"}
# heads that stand for a side's post or unit when a modifier names the side ("police station")
POSTS = {"position", "line", "cordon", "checkpoint", "post", "outpost", "base", "station", "camp", "compound",
         "barracks", "headquarters", "convoy", "patrol", "vehicle", "truck", "stronghold", "hideout", "garrison",
         "trench", "depot", "academy", "facility", "unit", "target", "boat", "helicopter", "jet", "plane",
         "aircraft", "drone", "tank", "ship", "column"}
# actions that stand for the forces of the country that names them ("repelled 14 Russian attacks")
ACTIONS = {"attack", "assault", "offensive", "advance", "incursion", "raid", "counterattack", "counteroffensive"}
MILITARY_POSTS = {"position", "line", "checkpoint", "post", "outpost", "base", "convoy", "patrol", "garrison",
                  "trench", "stronghold", "column", "unit", "target", "depot", "barracks"}
# civilian institutions: a side named in their name runs them, it is not who is there ("the Army
# Public School", "an army hospital", "the Police Lines mosque"): the phrase names a place, not a side
INSTITUTIONS = {"school", "hospital", "clinic", "mosque", "church", "temple", "synagogue", "university",
                "kindergarten", "orphanage", "market", "bazaar"}
REPORT_LEMMAS = {"say", "announce", "claim", "state", "report", "tell", "add", "declare", "confirm", "deny",
                 "allege", "insist", "admit", "acknowledge", "describe", "accuse", "warn"}


@dataclass(frozen=True, slots=True)
class Found:
    """An actor and the token that names it."""

    actor: Actor
    token: int


@functools.lru_cache(maxsize=1)
def _equipment() -> frozenset[str]:
    cls = lexicon().classes
    return frozenset().union(*(cls.get(k, frozenset()) for k in ("air", "missile", "military_things")))


GENERIC_NAMES = {"Military Forces", "Police Forces", "Government", "Rebels", "Civilians", "Protesters",
                 "Rioters"}


def is_generic(actor: Actor) -> bool:
    """A side named only by its kind (gunmen, civilians, protesters, "the army" of no country)."""
    return actor.kind in ("civilians", "protesters", "rioters") or actor.name in GENERIC_NAMES or \
        actor.name.startswith("Unidentified Armed Group") or dictionary.PLACEHOLDER in actor.name


class DocFacts:
    """What the resolver asks of one Doc again and again, listed or found once: its tokens (spaCy
    makes a new Token object for every ``doc[i]`` and every iteration), its text, the entity each
    token is in, and per token the noun phrase start and the country a modifier names.
    ``text(a, b)`` is ``doc[a:b].text`` read from the Doc's text (a span's text is the Doc's text
    from its first token's offset to its last token's end), without building the Span."""

    __slots__ = ("_country", "_ent_at", "_mod_country", "_np_start", "doc", "doc_text", "table", "tokens")

    def __init__(self, doc) -> None:
        self.doc = doc
        self.table = dictionary.dictionary()  # the country facts hold for this dictionary
        self.tokens = list(doc)
        self.doc_text = text_of(doc)
        self._ent_at: list | None = None
        self._np_start: dict[int, int] = {}
        self._country: dict[int, str | None] = {}
        self._mod_country: dict[int, str | None] = {}

    def text(self, start: int, end: int) -> str:
        if end <= start:
            return ""
        last = self.tokens[end - 1]
        return self.doc_text[self.tokens[start].idx : last.idx + len(last.text)]

    def ent_at(self, i: int):
        """The entity holding token ``i`` (the first of the entities that does: they do not
        overlap), or None."""
        if self._ent_at is None:
            at: list = [None] * len(self.tokens)
            for ent in ents_of(self.doc):
                for k in range(ent.start, ent.end):
                    if at[k] is None:
                        at[k] = ent
            self._ent_at = at
        return self._ent_at[i]

    def np_start(self, tok) -> int:
        i = tok.i
        start = self._np_start.get(i)
        if start is None:
            start = self._np_start[i] = _np_start(tok)
        return start

    def country_of(self, i: int) -> str | None:
        if i not in self._country:
            self._country[i] = _country_of(self.tokens[i])
        return self._country[i]

    def mod_country(self, tok) -> str | None:
        """The first country a word of the head's noun phrase other than the head names."""
        i = tok.i
        if i not in self._mod_country:
            self._mod_country[i] = next(
                (c for c in (self.country_of(k) for k in range(self.np_start(tok), i)) if c), None)
        return self._mod_country[i]


_facts_memo: list = [None]  # the DocFacts of the last Doc asked about


def doc_facts(doc) -> DocFacts:
    """The :class:`DocFacts` of a Doc, kept for the last Doc asked about (by identity) and the
    loaded dictionary."""
    facts = _facts_memo[0]
    if facts is None or facts.doc is not doc or facts.table is not dictionary.dictionary():
        facts = _facts_memo[0] = DocFacts(doc)
    return facts


def _country_of(tok) -> str | None:
    """ISO code if the token (a modifier) names a country or a country's actor."""
    for text in (tok.text, tok.lemma_):
        a = dictionary.lookup(text)
        if a and a.country and a.kind in ("country", "government", "state"):
            return a.country
    if tok.ent_type_ in ("GPE", "NORP") and tok.ent_iob_ != "O":
        ent = doc_facts(tok.doc).ent_at(tok.i)
        if ent is not None:
            a = dictionary.lookup(ent.text)
            if a and a.country and a.kind in ("country", "government", "state"):
                return a.country
    return None


def _np_start(tok) -> int:
    start = tok.i
    for c in tok.children:
        if c.i < tok.i and c.dep_ in LEFT_DEPS:
            start = min(start, c.left_edge.i)
    return start


def phrase(tok):
    """The noun phrase a head token stands for (left modifiers and the head)."""
    return tok.doc[doc_facts(tok.doc).np_start(tok) : tok.i + 1]


def resolve_np(tok, country: str | None = None) -> Actor | None:
    """The actor the noun phrase headed by ``tok`` names (pronouns excluded), or None."""
    facts = doc_facts(tok.doc)
    toks, text = facts.tokens, facts.text
    i = tok.i
    lemma = tok.lemma_.lower()
    if lemma in QUANTIFIERS or tok.like_num:  # many of them, a commander of JuA
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "from")):
            for obj in (g for g in prep.children if g.dep_ == "pobj"):
                if obj.lower_ not in PRONOUNS:
                    found = resolve_np(obj, country)
                    if found:
                        return found
    start, end = facts.np_start(tok), i + 1  # the noun phrase: doc[start:end]
    # 1. the whole phrase, then without its leading words: "the paramilitary Rapid Support Forces"
    for s in range(start, end):
        words = text(s, end)
        a = dictionary.lookup(words)
        if a and not is_generic(a) and a.kind != "country":
            raw = dictionary.dictionary().get(dictionary.alias_key(words))
            if raw is not None and dictionary.PLACEHOLDER in raw.name:  # "Fulani gunmen" → (Nigeria)
                a = dictionary.lookup(words, facts.mod_country(tok) or country)
            return a
    if lemma in INSTITUTIONS:
        return None  # a school, a hospital: a place, whatever side its name mentions
    labels = ("ORG", "NORP", "GPE", "PERSON")
    ent = facts.ent_at(i)
    if ent is not None and ent.label_ in labels:
        a = dictionary.lookup(ent.text) or dictionary.search(ent.text)
        if a and not is_generic(a) and a.kind != "country":
            return a
    # 2. a named actor among the modifiers or in the phrase's "of/from/in" parts
    right = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in RIGHT_PREPS and c.i > i]
    if tok.ent_type_ in ("GPE", "LOC", "FAC"):
        right = []  # a place: what follows it describes the place, not a side
    # each part up to its noun: "of 35 drones" in "31 of 35 drones over Kyiv" (not the place after it)
    ends = [max([g.i for g in c.children if g.dep_ == "pobj"] + [c.i]) for c in right]
    texts = [text(start, end)] + [text(c.i, e + 1) for c, e in zip(right, ends)]
    for words in texts:
        a = dictionary.search(words)
        if a:
            return a
    # 2b. a post or unit of a side named by a generic modifier: "rebel positions", "police lines",
    # "an army checkpoint", "government positions" (a government's posts are its forces')
    if lemma in POSTS:
        mod_country = facts.mod_country(tok)
        for m in (m for m in toks[start:i] if m.dep_ in ("compound", "amod", "nmod") and m.head.i == i):
            a = dictionary.lookup(m.text, mod_country or country) or dictionary.lookup(m.lemma_, mod_country or country)
            if a is not None and a.kind in ARMED:
                return a
            if a is not None and a.kind == "government":  # "government positions": its forces; its offices: itself
                if lemma in MILITARY_POSTS:
                    return dictionary.lookup("military", a.country or mod_country or country)
                return a
    # 3. a generic head: with the country a modifier names, else the context's
    head_keys = [text(s, end) for s in range(start, end)] + [tok.lemma_]
    mod_country = facts.mod_country(tok)
    for key in head_keys:
        a = dictionary.lookup(key)
        if a is None or a.kind == "country":
            continue
        raw = dictionary.dictionary().get(dictionary.alias_key(key))
        if is_generic(a) and raw is not None and dictionary.PLACEHOLDER in raw.name:
            return dictionary.lookup(key, mod_country or country)
        if a.country or not is_generic(a):
            return a
    if mod_country and (lemma in _equipment() or lemma in ACTIONS):
        return dictionary.lookup("military", mod_country)  # Russian aircraft, Israeli drones, Russian attacks
    # 3b. a person named with a state title: "Russian President Vladimir Putin", "army chief X"
    if tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON":
        n_words = i - start  # the words before the head: doc[start:i]
        for n in (2, 1):
            for k in range(n_words - n + 1):
                title = text(start + k, start + k + n)
                raw = dictionary.dictionary().get(dictionary.alias_key(title))
                if raw is not None and dictionary.PLACEHOLDER in raw.name and raw.kind in ("government", "state"):
                    return dictionary.lookup(title, mod_country or country)
    # 4. a country named by the whole phrase: "Russia", "Moscow"
    a = dictionary.lookup(text(start, end)) or dictionary.lookup(tok.text)
    if a and a.kind in ("country", "government"):
        return a
    return None


class Resolver:
    """Resolves tokens of one document to actors, with the document's default country."""

    def __init__(self, doc, country: str | None) -> None:
        self.doc = doc
        self.country = country
        self._cache: dict[tuple[int, str | None], Actor | None] = {}
        self._armed: list[Found] | None = None
        self._actors: dict[tuple[int, str | None], Actor | None] = {}

    def np(self, tok, country: str | None = None) -> Actor | None:
        key = (tok.i, country or self.country)
        if key not in self._cache:
            self._cache[key] = resolve_np(tok, country or self.country)
        return self._cache[key]

    def armed_mentions(self) -> list[Found]:
        """Armed actors named in the document, in text order."""
        if self._armed is None:
            self._armed = []
            for tok in doc_facts(self.doc).tokens:
                if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("compound", "amod"):
                    a = self.np(tok)
                    if a and a.kind in ARMED:
                        self._armed.append(Found(a, tok.i))
        return self._armed

    def pronoun(self, tok, country: str | None = None) -> Actor | None:
        """The antecedent of it/its/they/them/their."""
        # the speaker of the report the pronoun sits in: "the army said its forces had withdrawn"
        node = tok
        for _ in range(6):
            if node.head.i == node.i:
                break
            parent = node.head
            if parent.lemma_.lower() in REPORT_LEMMAS and node.dep_ in ("ccomp", "xcomp", "conj", "dobj"):
                for s in parent.children:
                    if s.dep_ == "nsubj" and s.lower_ not in PRONOUNS:
                        a = self.np(s, country)
                        if a:
                            return a
            node = parent
        # the last armed actor named before it (from 400 tokens before its sentence), looked for
        # backwards: the document's every noun phrase need not be resolved for one pronoun
        toks = doc_facts(self.doc).tokens
        for i in range(tok.i - 1, max(tok.sent.start - 400, 0) - 1, -1):
            t = toks[i]
            if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "amod"):
                a = self.np(t)
                if a and a.kind in ARMED:
                    return a
        return None

    def actor(self, tok, country: str | None = None) -> Actor | None:
        """The actor a token stands for (noun phrase or pronoun), or None (found once per token and
        country: the document does not change)."""
        key = (tok.i, country)
        if key not in self._actors:
            self._actors[key] = self._actor(tok, country)
        return self._actors[key]

    def _actor(self, tok, country: str | None = None) -> Actor | None:
        if tok.lower_ in PRONOUNS or (tok.pos_ == "PRON" and tok.lower_ in PRONOUNS):
            return self.pronoun(tok, country)
        if tok.lemma_.lower() in QUANTIFIERS:
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
                for obj in (g for g in prep.children if g.dep_ == "pobj" and g.lower_ in PRONOUNS):
                    return self.pronoun(obj, country)
        poss = [c for c in tok.children if c.dep_ == "poss" and c.lower_ in PRONOUNS]
        found = self.np(tok, country)
        victims = ("civilian", "resident", "people")
        table = dictionary.dictionary()
        head = table.get(dictionary.alias_key(tok.text)) or table.get(dictionary.alias_key(tok.lemma_))
        only_generic = found is None or is_generic(found) or (
            head is not None and dictionary.PLACEHOLDER in head.name and found.name.startswith(
                head.name.split("{")[0].strip()))  # "its forces": whose forces, not the story's country's
        if poss and only_generic and tok.lemma_.lower() not in victims:
            owner = self.pronoun(poss[0], country)  # its forces, their fighters
            if owner is not None and owner.kind in ARMED | {"government", "country"}:
                if owner.kind in ARMED:
                    return owner
                if owner.country and found is not None:
                    # "Russia claimed its forces ...": Russia's forces, not the story's country's
                    return dictionary.lookup(tok.text, owner.country) or dictionary.lookup(tok.lemma_, owner.country) \
                        or found
                return found or owner
        return found


def document_country(doc, places=()) -> str | None:
    """The country an article is mostly about: its places' countries, the country names in its
    text (the dateline and first paragraph count double)."""
    votes: Counter[str] = Counter()
    for p in places or ():
        if getattr(p, "iso", None):
            votes[p.iso] += 2
    first_para_end = text_of(doc).find("\n")
    for ent in ents_of(doc):
        if ent.label_ != "GPE":
            continue
        a = dictionary.lookup(ent.text)
        if a and a.kind == "country" and a.country:
            votes[a.country] += 2 if 0 <= ent.start_char < max(first_para_end, 200) else 1
    if not votes:
        for ent in ents_of(doc):
            if ent.label_ == "NORP":
                a = dictionary.lookup(ent.text)
                if a and a.country:
                    votes[a.country] += 1
    return votes.most_common(1)[0][0] if votes else None


def sentence_country(sent) -> str | None:
    """A country named (as a place) in one sentence, if any."""
    for ent in sent_ents(sent):
        if ent.label_ == "GPE":
            a = dictionary.lookup(ent.text)
            if a and a.kind == "country" and a.country:
                return a.country
    return None
