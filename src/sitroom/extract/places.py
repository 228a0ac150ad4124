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

from sitroom.lexicons import load_tsv, load_yaml
from sitroom.model import Document, PlaceMention, Span
from sitroom.resolve.actors import lookup

PLACE_LABELS = ("GPE", "LOC", "FAC")
# labels the model often gives a place name it knows from elsewhere in the article
_LOOSE_LABELS = ("ORG", "NORP", "PRODUCT", "WORK_OF_ART")


@dataclass(frozen=True, slots=True)
class Country:
    """One row of the country table."""

    name: str
    iso: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]


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
    alts = "|".join(re.escape(d) for d in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alts})s?(?!\w)"), table


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
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])({alts})(?![\w-])")


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


def _dateline(text: str) -> list[_Cand]:
    """The town (and region or country) of a dateline on the first or second line."""
    offset = 0
    for line in text.split("\n")[:2]:
        stripped = line.lstrip()
        start = offset + len(line) - len(stripped)
        offset += len(line) + 1
        if not stripped:
            continue
        m = _DATELINE.match(text, start)
        if not m or m.group("town").lower() in _cues()["dateline_stopwords"]:
            continue
        town = m.group("town").rstrip(".'’-")
        found = [_Cand(m.start("town"), m.start("town") + len(town), "GPE", title_case(town), dateline=True)]
        region = (m.group("region") or "").strip()
        if region and not _MONTH_ABBR.match(region.split()[0]):
            country = country_of(region)
            rs = m.start("region")
            found.append(_Cand(rs, rs + len(region), "GPE", region, country=country, dateline=True))
            found[0].country = country
        return found
    return []


def _clean(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Trim an entity span: leading article, possessive and what follows it, punctuation;
    'Lviv and Kyiv' becomes two spans."""
    s = text[start:end]
    m = re.search(r"['’]s(?!\w)", s)  # "Mosul’s Old City" → "Mosul"; "Mosul's" → "Mosul"
    if m and m.start() > 0:
        s = s[: m.start()]
    if "\n" in s:
        s = s[: s.index("\n")]
    lead = re.match(r"(?i)(the\s+)?", s).end()
    s = s.rstrip(" ,;:-–—'’\"")
    if s.endswith(".") and not re.search(r"(?:\b[A-Z]\.)+$", s):  # keep "U.S."
        s = s.rstrip(".")
    if lead >= len(s):
        return []
    start, end = start + lead, start + len(s)
    parts = re.split(r"\s+(?:and|&)\s+", text[start:end])
    if len(parts) > 1 and all(p[:1].isupper() for p in parts):
        out, pos = [], start
        for p in parts:
            ps = text.index(p, pos)
            out.append((ps, ps + len(p)))
            pos = ps + len(p)
        return out
    return [(start, end)]


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


def _rescued(doc, ent, after_place: bool) -> bool:
    """Whether an ORG or PERSON entity is in fact a place: after a cue ("the port city of
    Mariupol", "in Sloviansk"), an administrative area ("Khartoum State"), or coordinated
    with a place just before it ("in Gedaref and Kosti")."""
    cues = _cues()
    name = re.sub(r"^(?i:the)\s+", "", ent.text).strip()
    if ent.label_ not in ("ORG", "PERSON") or name.isupper() or not _is_place_name(name):
        return False
    words = name.split()
    if 2 <= len(words) <= 3 and words[-1].lower() in cues["admin_words"]:
        return True
    before = [t.lower_ for t in doc[max(ent.start - 3, 0) : ent.start]]
    if any(" ".join(before[i:]) in cues["place_cues_before"] for i in range(len(before))):
        return True
    prev = before[-1] if before else ""
    if len(words) > (1 if ent.label_ == "PERSON" else 2) or not all(w[:1].isupper() for w in words):
        return False
    if ent.end < len(doc) and doc[ent.end].lower_ in ("'s", "’s"):  # "in Putin's speech"
        return False
    return prev in cues["place_prepositions"] or (after_place and prev in ("and", "or", ","))


def _overlaps(a: tuple[int, int], taken) -> bool:
    return any(a[0] < e and s < a[1] for s, e in taken)


def _from_entities(doc) -> list[_Cand]:
    """Cleaned place entities, and ORG/PERSON entities that are places (label GPE)."""
    text = doc.text
    surnames = {e.text.split()[-1] for e in doc.ents if e.label_ == "PERSON" and " " in e.text}
    found: list[_Cand] = []
    last_place_end = -1  # token index just after the last accepted place entity
    for ent in doc.ents:
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
    text = doc.text
    loose = {(e.start_char, e.end_char) for e in doc.ents if e.label_ in _LOOSE_LABELS}
    tagged = [(e.start_char, e.end_char) for e in doc.ents if (e.start_char, e.end_char) not in loose]
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    found = []
    for m in re.finditer(rf"(?<![\w-])({alts})(?![\w-])", text):
        span = (m.start(), m.end())
        if span in loose or not (_overlaps(span, tagged) or _overlaps(span, loose)):
            found.append(_Cand(span[0], span[1], names[m.group(1)]))
    return found


def _untagged_countries(doc) -> list[_Cand]:
    """Country names the model left untagged or tagged as something else."""
    person = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    others = [(e.start_char, e.end_char) for e in doc.ents if e.label_ not in ("PERSON", "ORG", "NORP")]
    orgs = {(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("ORG", "NORP")}
    found = []
    for m in _country_names_re().finditer(doc.text):
        span = (m.start(), m.end())
        if _overlaps(span, others) or (_overlaps(span, orgs) and span not in orgs):
            continue
        if _overlaps(span, person) and m.group(0).lower() in _cues()["personal_names"]:
            continue
        found.append(_Cand(span[0], span[1], "GPE"))
    return found


def extract(doc, document: Document | None = None) -> list[PlaceMention]:
    """Place mentions of one parsed article, in text order."""
    text = doc.text
    cands = _dateline(text) + _from_entities(doc)
    known = {c.name or text[c.start : c.end]: c.label for c in cands}
    cands += _repeats(doc, {n: lab for n, lab in known.items() if not country_of(n)})
    cands += _untagged_countries(doc)

    kept: list[_Cand] = []
    for c in cands:  # dateline first, then entities: the first claim on a stretch of text wins
        if not _overlaps((c.start, c.end), [(k.start, k.end) for k in kept]):
            kept.append(c)
    kept.sort(key=lambda c: c.start)
    for c in kept:
        c.name = c.name or re.sub(r"\s+", " ", text[c.start : c.end])
        c.country = c.country or country_of(c.name)

    # "CITY, COUNTRY" in the dateline or a sentence gives that city's country everywhere
    city_country = {_key(c.name): c.country for c in kept if c.dateline and c.country}
    for a, b in zip(kept, kept[1:]):
        if b.country and country_of(b.name) and not country_of(a.name):
            if re.fullmatch(r"\s*,\s*", text[a.end : b.start]):
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
    for m in pattern.finditer(doc.text):
        if doc.text.startswith("-", m.end()):  # "Saudi-led", "Iranian-backed": an actor, not a place
            continue
        c = table[m.group(1)]
        add(c.iso, c.name, m.start())
    if not counts:
        return None
    iso = min(counts, key=lambda i: (-counts[i], first[i]))
    return names[iso], iso
