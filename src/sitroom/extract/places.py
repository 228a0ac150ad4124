"""Toponyms in an article: spaCy GPE/LOC/FAC entities, cleaned, plus the dateline town.

The small English model misses or mislabels many places, so a few cheap repairs run on
top of its entities:

- the dateline ("KRAMATORSK, Ukraine (Outlet) - ...") gives a town even when NER tags it
  ORG, normalised to "Kramatorsk", and the country it names;
- possessives and articles are stripped ("Mosul's Old City" → "Mosul", "the Donbas" → "Donbas");
- demonyms, metonyms ("the Kremlin") and known non-state actors tagged as places are dropped;
- ORG/PERSON entities that are clearly places ("the port city of Mariupol", "in Sloviansk",
  "Khartoum State", "in Gedaref and Kosti") are kept;
- a name found as a place once is a place wherever else it occurs untagged or mislabelled;
- country names NER left untagged are found from the country table.

Countries come from ``lexicons/countries.tsv``; place cues from ``lexicons/places.yaml``.
Coordinates are left to the gazetteer in ``resolve/``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from sitroom.extract.nlp import ents_of, text_of
from sitroom.lexicons import load_tsv, load_yaml
from sitroom.model import CACHE_SIZE, Document, PlaceMention, Span
from sitroom.resolve.actors import lookup
from sitroom.resolve.gazetteer import ADMIN_WORDS, first_chars, literal_alternation
from sitroom.resolve.gazetteer import candidates as gazetteer_candidates

PLACE_LABELS = ("GPE", "LOC", "FAC")
# labels the model often gives a place name it knows from elsewhere in the article
_LOOSE_LABELS = ("ORG", "NORP", "PRODUCT", "WORK_OF_ART", "LANGUAGE")
# labels the model gives place names it does not know ("Wad Madani" PERSON, "Mariupol" ORG):
# such a name is a place when the gazetteer knows it in the article's countries, or as a big place
_SPOT_LABELS = ("PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LANGUAGE")
BIG_PLACE = 100_000  # a city this big is a place wherever the article is about
LOCAL_TOWN = 20_000  # a one-word name tagged as a person is a place of the article's countries this big
# particles inside a transliterated name ("Deir ez-Zor", "Ras al-Ain", "Bab al-Hawa")
_NAME_PARTICLES = frozenset("al el ar ad an as at az ash ath ed es ez et en ul ud un i e de du da di der la le von bin".split())
_ENGLISH_PARTICLES = frozenset("an as at en et i e de la le".split())


@dataclass(frozen=True, slots=True)
class Country:
    """One row of the country table."""

    name: str
    iso: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]


@functools.lru_cache(maxsize=CACHE_SIZE)
def _key(name: str) -> str:
    """Case-, accent-, article- and apostrophe-insensitive lookup key of a name."""
    s = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().strip()
    s = re.sub(r"^the\s+", "", s)
    return re.sub(r"\s+", " ", s)


@functools.lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """The packaged country table (UN members plus Palestine, Kosovo, Taiwan, Western Sahara)."""

    def split(cell: str) -> tuple[str, ...]:
        return tuple(a.strip() for a in cell.split("|") if a.strip())

    return tuple(
        Country(row["name"], row["iso"], split(row.get("aliases", "")), split(row.get("demonyms", "")))
        for row in load_tsv("countries.tsv")
    )


@functools.lru_cache(maxsize=1)
def _country_index() -> dict[str, Country]:
    return {_key(n): c for c in countries() for n in (c.name, *c.aliases)}


def country_of(name: str) -> Country | None:
    """The country a toponym names ("Britain" → United Kingdom), or None."""
    return _country_index().get(_key(name))


@functools.lru_cache(maxsize=1)
def _demonyms() -> tuple[re.Pattern[str], dict[str, Country]]:
    table = {d: c for c in countries() for d in c.demonyms}
    return re.compile(rf"{first_chars(table)}(?<![\w-])({literal_alternation(table)})s?(?!\w)"), table


def demonym_country(word: str) -> Country | None:
    """The country of a demonym ("Iraqi", "Ukrainians"), case-sensitive, or None."""
    pattern, table = _demonyms()
    m = pattern.fullmatch(word.strip())
    return table[m.group(1)] if m else None


@functools.lru_cache(maxsize=1)
def _country_names_re() -> re.Pattern[str]:
    """Country names and title-case aliases as written in running text (case-sensitive)."""
    names = {n for c in countries() for n in (c.name, *c.aliases) if not n.isupper() or "." in n}
    names = {n for n in names if n[:1].isupper()}
    return re.compile(rf"{first_chars(names)}(?<![\w.-])({literal_alternation(names)})(?![\w-])")


_names_memo: list = [None, ()]


def _country_mentions(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, name) of each country name in a text (:func:`_country_names_re`), found once
    per article: the last text asked about is kept (by identity) with its matches."""
    if _names_memo[0] is not text:
        found = tuple((m.start(), m.end(), m.group(0)) for m in _country_names_re().finditer(text))
        _names_memo[0], _names_memo[1] = text, found
    return _names_memo[1]


@functools.lru_cache(maxsize=1)
def _cues() -> dict[str, frozenset[str]]:
    raw = load_yaml("places.yaml")
    return {k: frozenset(str(v).lower() for v in vals) for k, vals in raw.items()}


# "KRAMATORSK, Ukraine (Outlet) -", "CAIRO, Dec 19 (CPS) -", "PESHAWAR, Pakistan, Jan 30 (X) -", "NAIROBI -"
_DATELINE = re.compile(
    r"(?P<town>[A-Z][A-Z'’.\-]+(?:[ ][A-Z][A-Z'’.\-]+){0,3})"
    r"(?:,[ \t]*(?P<region>[A-Z][A-Za-z'’.\- ]{1,40}?))?"
    r"(?:,?[ \t]*[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?"
    r"[ \t]*(?:\([^()\n]{1,60}\))?[ \t]*[-–—:]+[ \t]"
)
_MONTH_ABBR = re.compile(r"(?i)^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$")


def title_case(name: str) -> str:
    """'KRAMATORSK' → 'Kramatorsk', 'AL-HASAKAH' → 'Al-Hasakah', 'WAD MADANI' → 'Wad Madani'."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), name.lower())


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    label: str
    name: str = ""
    country: Country | None = None
    dateline: bool = False


class _Ent(NamedTuple):
    """The attributes of a spaCy entity that place finding reads, as plain values: a Span
    rebuilds ``text`` from its tokens and looks ``label_`` up on every access."""

    start: int
    end: int
    start_char: int
    end_char: int
    label_: str
    text: str


_ents_memo: list = [None, ()]


def _ents(doc) -> tuple[_Ent, ...]:
    """The article's entities (:func:`ents_of`) as :class:`_Ent`, made once per Doc (the last
    Doc asked about is kept, by identity)."""
    if _ents_memo[0] is not doc:
        text = text_of(doc)  # a span's text is the document's text between its offsets
        found = tuple(_Ent(e.start, e.end, e.start_char, e.end_char, e.label_, text[e.start_char : e.end_char])
                      for e in ents_of(doc))
        _ents_memo[0], _ents_memo[1] = doc, found
    return _ents_memo[1]


def _dateline_match(text: str) -> re.Match[str] | None:
    """The dateline of the first or second non-empty line (a headline may come first)."""
    offset, seen = 0, 0
    for line in text.split("\n"):
        stripped = line.lstrip()
        start = offset + len(line) - len(stripped)
        offset += len(line) + 1
        if not stripped:
            continue
        seen += 1
        if seen > 2:
            break
        m = _DATELINE.match(text, start)
        if m and m.group("town").lower() not in _cues()["dateline_stopwords"]:
            return m
    return None


dateline_match = _dateline_match  # for the other extractors ("KHARTOUM (Desk) - P, officials said")


def dateline_end(text: str) -> int:
    """Where the article's dateline ("KRAMATORSK, Ukraine (Wire) - ") ends, or 0 without one."""
    m = _dateline_match(text)
    return m.end() if m else 0


def _dateline(text: str) -> list[_Cand]:
    """The town (and region or country) of a dateline on the first or second non-empty line."""
    m = _dateline_match(text)
    if m is None:
        return []
    town = m.group("town").rstrip(".'’-")
    found = [_Cand(m.start("town"), m.start("town") + len(town), "GPE", title_case(town), dateline=True)]
    region = (m.group("region") or "").strip()
    if region and not _MONTH_ABBR.match(region.split()[0]):
        country = country_of(region)
        rs = m.start("region")
        found.append(_Cand(rs, rs + len(region), "GPE", region, country=country, dateline=True))
        found[0].country = country
    return found


# the patterns of _clean and its callers, compiled once
_POSSESSIVE = re.compile(r"['’]s(?!\w)")
_LEADING_THE = re.compile(r"(?i)(the\s+)?")
_THE_PREFIX = re.compile(r"^(?i:the)\s+")
_INITIALS_END = re.compile(r"(?:\b[A-Z]\.)+$")
_AND = re.compile(r"\s+(?:and|&)\s+")
_SPACES = re.compile(r"\s+")
_COMMA_GAP = re.compile(r"\s*,\s*")


def _clean(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Trim an entity span: leading article, possessive and what follows it, punctuation;
    'Lviv and Kyiv' becomes two spans."""
    s = text[start:end]
    m = _POSSESSIVE.search(s)  # "Mosul’s Old City" → "Mosul"; "Mosul's" → "Mosul"
    if m and m.start() > 0:
        s = s[: m.start()]
    if "\n" in s:
        s = s[: s.index("\n")]
    lead = _LEADING_THE.match(s).end()
    s = s.rstrip(" ,;:-–—'’\"")
    if s.endswith(".") and not _INITIALS_END.search(s):  # keep "U.S."
        s = s.rstrip(".")
    if lead >= len(s):
        return []
    start, end = start + lead, start + len(s)
    parts = _AND.split(text[start:end])
    if len(parts) > 1 and all(p[:1].isupper() for p in parts):
        out, pos = [], start
        for p in parts:
            ps = text.index(p, pos)
            out.append((ps, ps + len(p)))
            pos = ps + len(p)
        return out
    return [(start, end)]


@functools.lru_cache(maxsize=CACHE_SIZE)
def _is_place_name(name: str) -> bool:
    """False for names that are not toponyms: demonyms, metonyms, known non-state actors
    ("ISIS" tagged GPE)."""
    if not name[:1].isupper() and not name[:1].isdigit():
        return False
    if _key(name) in _cues()["not_places"]:
        return False
    if country_of(name):
        return True
    if demonym_country(name):
        return False
    actor = lookup(name)  # "Moscow", "Gaza Strip" may also name a state actor: still places
    return actor is None or actor.kind in ("country", "state", "government")


def _rescued(doc, ent: _Ent, after_place: bool) -> bool:
    """Whether an ORG or PERSON entity is in fact a place: after a cue ("the port city of
    Mariupol", "in Sloviansk"), an administrative area ("Khartoum State"), or coordinated
    with a place just before it ("in Gedaref and Kosti")."""
    cues = _cues()
    name = _THE_PREFIX.sub("", ent.text).strip()
    if ent.label_ not in ("ORG", "PERSON") or name.isupper() or not _is_place_name(name):
        return False
    words = name.split()
    if 2 <= len(words) <= 3 and words[-1].lower() in cues["admin_words"]:
        return True
    lower = _toks(doc).lower
    before = lower[max(ent.start - 3, 0) : ent.start]
    if any(" ".join(before[i:]) in cues["place_cues_before"] for i in range(len(before))):
        return True
    prev = before[-1] if before else ""
    if len(words) > (1 if ent.label_ == "PERSON" else 2) or not all(w[:1].isupper() for w in words):
        return False
    if ent.end < len(lower) and lower[ent.end] in ("'s", "’s"):  # "in Putin's speech"
        return False
    if prev in cues["place_prepositions"] or (after_place and prev in ("and", "or")):
        return True
    return after_place and prev == "," and bool(_known(name))  # "Aleppo, Hama", not "Homs, the Syrian Observatory"


def _overlaps(a: tuple[int, int], taken) -> bool:
    return any(a[0] < e and s < a[1] for s, e in taken)


def _from_entities(doc) -> list[_Cand]:
    """Cleaned place entities, and ORG/PERSON entities that are places (label GPE)."""
    text = text_of(doc)
    surnames = {e.text.split()[-1] for e in _ents(doc) if e.label_ == "PERSON" and " " in e.text}
    found: list[_Cand] = []
    last_place_end = -1  # token index just after the last accepted place entity
    for ent in _ents(doc):
        if ent.label_ in PLACE_LABELS:
            label = ent.label_
        elif _rescued(doc, ent, after_place=ent.start - 1 == last_place_end):
            label = "GPE"
        else:
            continue
        before = len(found)
        for s, e in _clean(text, ent.start_char, ent.end_char):
            name = text[s:e]
            if _is_place_name(name) and (name not in surnames or country_of(name)):
                found.append(_Cand(s, e, label))
        if len(found) > before:
            last_place_end = ent.end
    return found


def _repeats(doc, names: dict[str, str]) -> list[_Cand]:
    """Other occurrences of names already known as places that the model tagged as nothing,
    or mislabelled on exactly that name ("Mariupol" tagged ORG after a "MARIUPOL" dateline)."""
    if not names:
        return []
    text = text_of(doc)
    loose = {(e.start_char, e.end_char) for e in _ents(doc) if e.label_ in _LOOSE_LABELS}
    tagged = [(e.start_char, e.end_char) for e in _ents(doc) if (e.start_char, e.end_char) not in loose]
    found = []
    # the names (never empty: every candidate covers some text) longest first, grouped for speed
    pattern = rf"{first_chars(names)}(?<![\w-])({literal_alternation(names)})(?![\w-])"
    for m in re.finditer(pattern, text):
        span = (m.start(), m.end())
        if span in loose or not (_overlaps(span, tagged) or _overlaps(span, loose)):
            found.append(_Cand(span[0], span[1], names[m.group(1)]))
    return found


def _untagged_countries(doc) -> list[_Cand]:
    """Country names the model left untagged or tagged as something else."""
    person = [(e.start_char, e.end_char) for e in _ents(doc) if e.label_ == "PERSON"]
    others = [(e.start_char, e.end_char) for e in _ents(doc) if e.label_ not in ("PERSON", "ORG", "NORP")]
    orgs = {(e.start_char, e.end_char) for e in _ents(doc) if e.label_ in ("ORG", "NORP")}
    found = []
    for s, e, name in _country_mentions(text_of(doc)):
        span = (s, e)
        if _overlaps(span, others) or (_overlaps(span, orgs) and span not in orgs):
            continue
        if _overlaps(span, person) and name.lower() in _cues()["personal_names"]:
            continue
        found.append(_Cand(span[0], span[1], "GPE"))
    return found


# ---------------------------------------------------------------- names the model missed


def _context_isos(doc, cands: list[_Cand]) -> set[str]:
    """Countries the article is about, for judging unknown names: the countries named, the
    dateline's, demonyms ("Sudanese army") and the likeliest country of each tagged place."""
    text = text_of(doc)
    isos: set[str] = set()
    for c in cands:
        name = c.name or text[c.start : c.end]
        country = c.country or country_of(name)
        if country:
            isos.add(country.iso)
        elif c.label in PLACE_LABELS:
            found = [e for e in gazetteer_candidates(name, 5) if e.match == "name"]
            if found:
                isos.add(found[0].iso)
    for _, _, name in _country_mentions(text):
        isos.add(country_of(name).iso)  # type: ignore[union-attr]
    pattern, table = _demonyms()
    for m in pattern.finditer(text):
        if not text.startswith("-", m.end()):  # "Saudi-led": an actor's backer, not the article's country
            isos.add(table[m.group(1)].iso)
    for e in _ents(doc):  # the home country of the armed groups named ("Hamas", "the RSF")
        if e.label_ in ("ORG", "NORP", "PERSON", "GPE") and (iso := _group_country(e.text)):
            isos.add(iso)
    return isos


@functools.lru_cache(maxsize=CACHE_SIZE)
def _group_country(name: str) -> str | None:
    """The home country of the armed group (not a state's forces) a name refers to, or None."""
    actor = lookup(name)
    if actor is not None and actor.country and actor.kind not in ("country", "state", "government"):
        return actor.country
    return None


def _person_parts(doc) -> frozenset[str]:
    """First and last words of the article's multi-word person names ("Aden Duale" → Aden, Duale)."""
    parts = set()
    for e in _ents(doc):
        words = e.text.split()
        if e.label_ == "PERSON" and len(words) > 1:
            parts.update({words[0], words[-1]})
    return frozenset(parts)


_NOT_NAME_ENTS = frozenset(("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"))


@dataclass(slots=True)
class _Toks:
    """The token attributes name spotting reads, as plain lists (a spaCy Token is rebuilt on
    every ``doc[i]``): texts, lower case, coarse part of speech, entity type, sentence starts,
    trailing whitespace and character offsets."""

    doc: object
    text: list[str]
    lower: list[str]
    pos: list[str]
    ent: list[str]
    sent_start: list[bool]
    ws: list[str]
    idx: list[int]

    def __len__(self) -> int:
        return len(self.text)


_toks_memo: list = [None, None]


def _toks(doc) -> _Toks:
    if _toks_memo[0] is not doc:
        from spacy.attrs import ENT_TYPE, IDX, LENGTH, POS, SENT_START, SPACY

        # one array, read column by column: no Token object is built (``t.text`` is the
        # document's text from the token's offset, LENGTH characters long; ``t.whitespace_`` is
        # " " when SPACY is set); the few distinct POS and entity hashes are looked up once each
        strings = doc.vocab.strings
        doc_text = text_of(doc)
        length, space, pos, ent, sent, idx = doc.to_array([LENGTH, SPACY, POS, ENT_TYPE, SENT_START, IDX]).T.tolist()
        text = [doc_text[i : i + n] for i, n in zip(idx, length, strict=True)]
        names = {h: strings[h] if h else "" for h in {*pos, *ent}}
        _toks_memo[0], _toks_memo[1] = doc, _Toks(
            doc, text, [x.lower() for x in text], [names[h] for h in pos], [names[h] for h in ent],
            [s == 1 for s in sent], [" " if w else "" for w in space], idx)
    return _toks_memo[1]


def _name_token(T: _Toks, k: int) -> bool:
    return T.pos[k] == "PROPN" and T.text[k][:1].isupper() and T.ent[k] not in _NOT_NAME_ENTS


def _particle(T: _Toks, k: int) -> bool:
    if T.text[k] in ("-", "'", "\u2019"):
        return not T.ws[k]
    if T.lower[k] not in _NAME_PARTICLES:
        return False
    # "as", "at", "an", "i" are English words too: inside a name only when hyphenated ("at-Tanf")
    return T.lower[k] not in _ENGLISH_PARTICLES or (not T.ws[k] and k + 1 < len(T) and T.text[k + 1] == "-")


def _glue(T: _Toks, k: int) -> bool:
    """Is token k a particle or hyphen inside a name ("Deir ez-Zor", "Mazar-i-Sharif")?"""
    if not 0 < k < len(T) - 1 or not _particle(T, k):
        return False
    for m in range(k + 1, min(k + 4, len(T))):
        if T.sent_start[m]:
            return False
        if T.text[m][:1].isupper():
            return True
        if not _particle(T, m):
            return False
    return False


def _widen(T: _Toks, i: int, j: int) -> tuple[int, int]:
    """Token span [i, j) widened over the proper nouns and name particles around it: the model
    often tags only part of a transliterated name ("Zawr" of "Dayr az Zawr", "Mazar" of
    "Mazar-i-Sharif")."""
    while i > 0 and (_name_token(T, i - 1) and not T.sent_start[i] or _glue(T, i - 1)) \
            and T.ent[i - 1] not in ("GPE", "NORP"):
        i -= 1
    while j < len(T) and not T.sent_start[j] and (_name_token(T, j) or _glue(T, j)):
        j += 1
    while i < j and T.text[i] in ("-", "'", "\u2019"):
        i += 1
    while j > i and (T.lower[j - 1] in _NAME_PARTICLES or T.text[j - 1] in ("-", "'", "\u2019")):
        j -= 1
    return i, j


def _spot_runs(doc) -> list[tuple[int, int, str]]:
    """Spans that may be unrecognised place names: entities with a non-place label, and runs of
    untagged proper nouns (with particles: "Deir ez-Zor"), as (start, end, label)."""
    out = [(e.start, e.end, e.label_) for e in _ents(doc) if e.label_ in _SPOT_LABELS]
    T = _toks(doc)
    i = 0
    while i < len(T):
        if T.ent[i] or not _name_token(T, i):
            i += 1
            continue
        j = i + 1
        while j < len(T) and not T.ent[j] and not T.sent_start[j] and (_name_token(T, j) or _glue(T, j)):
            j += 1
        if not (j == i + 1 and T.sent_start[i]):  # a lone capitalised first word is mostly not a name
            out.append((i, j, ""))
        i = j
    return out


def _known(name: str, loose: bool = False) -> list:
    """Gazetteer entries that bear a name exactly (own or alternate name), or also by a loose
    spelling ("Beit Lahia" for Bayt Lahya)."""
    return [e for e in gazetteer_candidates(name, 20) if loose or e.match != "fold"]


def _spot_ok(name: str, label: str, isos: set[str], cue: bool) -> bool:
    """Is a name the model did not tag as a place one all the same? The gazetteer must know it
    by its name or an alternate name (not a loose spelling): in one of the article's countries,
    or as a country, province or big city (BIG_PLACE people; a million for an alternate name)."""
    if len(name) < 3 or name.isupper() and len(name) <= 4 or not _is_place_name(name):
        return False
    if label == "PERSON" and name.lower() in _cues()["personal_names"]:
        return False
    found = _known(name)
    local = [e for e in (found if found or not cue else _known(name, loose=True)) if e.iso in isos]
    big = [e for e in found if e.feature != "city"
           or e.population >= (BIG_PLACE if e.match == "name" else 10 * BIG_PLACE)]
    if label in ("PERSON", "NORP"):  # a one-word name of a person is as likely as a village
        sure = cue or " " in name or any(e.feature != "city" or e.population >= LOCAL_TOWN for e in local)
        return (bool(local) and sure) or (cue and bool(big))
    return bool(local or big)


def _cued(T: _Toks, i: int, j: int) -> bool:
    """Does the context say a place: "in X", "the town of X", "X province", "X port", X the
    object of a verb of taking or striking ("shelled X", "entered X"), or the subject of one of
    falling ("X has fallen")?"""
    cues = _cues()
    before = T.lower[max(i - 3, 0) : i]
    if any(" ".join(before[k:]) in cues["place_cues_before"] or " ".join(before[k:]) in cues["place_prepositions"]
           for k in range(len(before))):
        return True
    if j < len(T) and (T.lower[j] in cues["landmark_words"] or T.lower[j] in cues["part_words"]
                       or T.lower[j] in cues["admin_words"]):
        return True
    head = T.doc[j - 1]  # type: ignore[index]
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in cues["place_subject_verbs"]:
        return True  # "Debaltseve has fallen"
    return head.dep_ == "dobj" and head.head.lemma_.lower() in cues["place_object_verbs"]


def _widen_candidates(doc, cands: list[_Cand]) -> None:
    """Widen place entities the model cut short ("Deir" of "Deir ez-Zor", "Mazar" of
    "Mazar-i-Sharif") when the gazetteer knows the whole name."""
    text = text_of(doc)
    T = _toks(doc)
    for c in cands:
        if c.dateline or c.name:
            continue
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is None:
            continue
        i, j = _widen(T, span.start, span.end)
        if (i, j) == (span.start, span.end):
            continue
        s, e = T.idx[i], T.idx[j - 1] + len(T.text[j - 1])
        if _known(text[s:e]):
            c.start, c.end = s, e


def _from_gazetteer(doc, taken: list[_Cand]) -> list[_Cand]:
    """Place names the model missed or mislabelled, found in the gazetteer with the article's
    countries as context ("Wad Madani" tagged PERSON, "Mariupol" ORG, "Sennar" untagged,
    "Dayr az Zawr" of which the model tagged "Zawr")."""
    text = text_of(doc)
    cues = _cues()
    isos = _context_isos(doc, taken)
    people = _person_parts(doc)
    spans = [(c.start, c.end) for c in taken]
    found: list[_Cand] = []
    T = _toks(doc)
    for i0, j0, label in _spot_runs(doc):
        tries = []
        for i, j in (_widen(T, i0, j0), (i0, j0)):
            while i < j and (T.lower[i] in ("the", "a") or T.lower[i].rstrip(".") in cues["person_titles"]):
                i += 1
            if i < j and (i, j) not in tries:
                tries.append((i, j))
        for i, j in tries:
            if i > 0 and T.lower[i - 1].rstrip(".") in cues["person_titles"] and T.text[i - 1][:1].isupper():
                break  # "Governor Masari", "President Ruto"
            hit = None
            for s, e in _clean(text, T.idx[i], T.idx[j - 1] + len(T.text[j - 1])):
                name = _SPACES.sub(" ", text[s:e])
                if _overlaps((s, e), spans) or (name in people and not country_of(name)):
                    continue
                after_place = i >= 2 and T.lower[i - 1] in ("and", "or", ",") and any(
                    e == T.idx[i - 2] + len(T.text[i - 2]) for _, e in spans)  # "between Gao and Menaka"
                if _spot_ok(name, label, isos, after_place or _cued(T, i, j)):
                    hit = (s, e)
                    found.append(_Cand(s, e, "GPE"))
                    spans.append((s, e))
            if hit:
                break
    return found


def _expand(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a toponym widened over a part or landmark phrase around it: "the Old City of
    Mosul", "the Great Mosque of Mosul", "Mosul's Old City", "Kramatorsk railway station",
    "eastern Aleppo"."""
    pattern_before, pattern_after = _part_patterns()
    window = max(0, start - 80)
    # Whatever pattern_before matches ends in "of" or a direction word, then spaces or hyphens:
    # that cheap test first spares most toponyms the costly search (it tries up to 80 starts).
    k = start
    while k > window and (text[k - 1].isspace() or text[k - 1] == "-"):
        k -= 1
    m = None
    if k < start and _BEFORE_TAIL.search(text, max(window, k - 7), k):
        m = pattern_before.search(text[window:start])
    if m:
        start = window + m.start()
    m = pattern_after.match(text, end)
    if m:
        end = m.end()
    return start, end


# the last word of every phrase _part_patterns()[0] matches: "of" or a direction ("north-western")
_BEFORE_TAIL = re.compile(r"(?i:of|north|south|east|west|ern|central)\Z")


@functools.lru_cache(maxsize=1)
def _part_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    cues = _cues()
    nouns = "|".join(re.escape(w).replace("\\ ", r"\s+") for w in sorted(
        cues["part_words"] | cues["landmark_words"], key=len, reverse=True))
    direction = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?|central"
    word = r"[A-Z][\w'’-]*"
    before = re.compile(
        rf"(?:(?<![\w-])(?i:the\s+)?(?:(?i:{direction})[\s-]+)?(?:(?:{word}|(?i:{direction}))\s+){{0,3}}"
        rf"(?<![\w-])(?i:{nouns})\s+of\s+(?i:the\s+(?:city|town|village)\s+of\s+)?"
        rf"|(?<![\w-])(?i:{direction})[\s-]+)\Z"
    )
    lower = rf"(?!(?:{_FUNCTION_WORDS})\b)[a-z]+"
    admin = "|".join(sorted(ADMIN_WORDS | {"county"}, key=len, reverse=True))
    after = re.compile(rf"(?:['’]s)?(?:\s+(?:{word}|{lower})){{0,2}}?\s+(?i:{nouns})(?![\w-])"
                       rf"|\s+(?i:{admin})(?![\w-])")
    return before, after


_FUNCTION_WORDS = (
    "and|or|but|in|on|at|to|of|the|a|an|its|his|her|their|our|this|that|these|those|with|from|by|for|"
    "as|was|is|were|are|be|been|has|had|have|into|onto|near|after|before|since|while|where|when|which|who"
)
_TRAILER = re.compile(r"(?m)^The post .{0,300} appeared first on .{1,120}$")


def _in_trailer(text: str, at: int) -> bool:
    """Is the offset inside a feed's trailer line ("The post TITLE appeared first on OUTLET.")?"""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    return bool(_TRAILER.fullmatch(text, line_start, len(text) if line_end < 0 else line_end))


def extract(doc, document: Document | None = None) -> list[PlaceMention]:
    """Place mentions of one parsed article, in text order."""
    text = text_of(doc)
    cands = _dateline(text) + _from_entities(doc)
    _widen_candidates(doc, cands)
    cands += _from_gazetteer(doc, cands)
    known = {c.name or text[c.start : c.end]: c.label for c in cands}
    cands += _repeats(doc, {n: lab for n, lab in known.items() if not country_of(n)})
    cands += _untagged_countries(doc)
    cands = [c for c in cands if not _in_trailer(text, c.start)]

    kept: list[_Cand] = []
    for c in cands:  # dateline first, then entities: the first claim on a stretch of text wins
        if not _overlaps((c.start, c.end), [(k.start, k.end) for k in kept]):
            kept.append(c)
    kept.sort(key=lambda c: c.start)
    # a part or landmark phrase around a place is one mention with it ("the Old City of Mosul")
    for c in kept:
        name = c.name or text[c.start : c.end]
        if not c.dateline:
            s, e = _expand(text, c.start, c.end)
            if (s, e) != (c.start, c.end):
                c.name = c.name or _SPACES.sub(" ", name)
                c.start, c.end = s, e
    kept = [c for c in kept if not any(
        w is not c and w.start <= c.start and c.end <= w.end and (w.start, w.end) != (c.start, c.end)
        for w in kept)]
    for c in kept:
        c.name = c.name or _SPACES.sub(" ", text[c.start : c.end])
        c.country = c.country or country_of(c.name)

    # "CITY, COUNTRY" in the dateline or a sentence gives that city's country everywhere
    city_country = {_key(c.name): c.country for c in kept if c.dateline and c.country}
    for a, b in zip(kept, kept[1:]):
        if b.country and country_of(b.name) and not country_of(a.name):
            if _COMMA_GAP.fullmatch(text[a.end : b.start]):
                city_country.setdefault(_key(a.name), b.country)
    out = []
    for c in kept:
        country = c.country or city_country.get(_key(c.name))
        out.append(
            PlaceMention(
                surface=text[c.start : c.end],
                span=Span(c.start, c.end),
                label=c.label,
                name=c.name,
                country=country.name if country else None,
                iso=country.iso if country else None,
            )
        )
    return out


def article_country(places: list[PlaceMention], doc) -> tuple[str, str] | None:
    """The country the article is most about: the most mentions by name, by demonym
    ("Iraqi forces") or through a city of that country; ties go to the first mentioned."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    names: dict[str, str] = {}

    def add(iso: str, name: str, at: int) -> None:
        counts[iso] += 1
        first[iso] = min(first.get(iso, at), at)
        names[iso] = name

    for p in places:
        if p.iso and p.country:
            add(p.iso, p.country, p.span.start)
    pattern, table = _demonyms()
    for m in pattern.finditer(text_of(doc)):
        if text_of(doc).startswith("-", m.end()):  # "Saudi-led", "Iranian-backed": an actor, not a place
            continue
        c = table[m.group(1)]
        add(c.iso, c.name, m.start())
    if not counts:
        return None
    iso = min(counts, key=lambda i: (-counts[i], first[i]))
    return names[iso], iso
