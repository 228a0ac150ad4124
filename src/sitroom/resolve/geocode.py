"""Toponyms → gazetteer places, chosen with the article's context.

:func:`geocode` takes the :class:`~sitroom.model.PlaceMention` list that ``extract/places.py``
found and fills ``name, country, iso, admin1, latitude, longitude, geo_precision`` where a
gazetteer entry fits. Among the candidates of a name it prefers, in this order of weight:

1. the article's countries: ``hint_countries``, demonyms in the text ("Iraqi troops" → IQ),
   countries named among the places, and the countries the other places resolve to
   (so "Tripoli" next to "Beirut" is Lebanon's, not Libya's);
2. the kind of place: a country name is the country; a bare name that is both a city and
   its province is the city ("Idlib"), unless the surface says "province", "oblast"...;
3. population (log scale), and an exact name over an alternate name over a loose spelling.

ACLED geo-precision: 1 the town itself, 2 a part of or near it ("the Old City of Mosul",
"eastern Aleppo", "Kharkiv airport"), 3 a province or country. A name that no entry fits
keeps ``latitude``/``longitude`` None: nothing is invented.

Demonyms come from ``lexicons/countries.tsv`` (the country table ``extract/places.py``
uses too); when it is absent, text demonyms are simply not used.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sitroom.lexicons import load_tsv, load_yaml
from sitroom.lexicons import path as lexicon_path
from sitroom.model import CACHE_SIZE, PlaceMention, Span
from sitroom.resolve.gazetteer import (
    ADMIN_WORDS,
    Entry,
    Gazetteer,
    first_chars,
    fold,
    gazetteer,
    literal_alternation,
    normalize,
    population_score,
)

TOWN, PART, REGION = 1, 2, 3  # ACLED geo_precision

# weights of the score (see module doc); a candidate must reach MIN_SCORE to be taken
W_CONTEXT = 2.0
W_COUNTRY = 2.0
W_HINT = 3  # context votes of one hinted country
W_NAMED_COUNTRY = 2  # context votes of a country named among the places
W_ADMIN = -0.3  # an area is named less often than a city of its population
W_ADMIN_SEAT = -0.6  # more so when its own big city has the same name ("Idlib", "Kharkiv")
W_AREA = 0.6  # a town in the admin1 area where the article's other places are
W_PARENT = 1.5  # a town in the area the text puts it in ("Daura in Katsina state")
MATCH_PENALTY = {"name": 0.0, "alternate": -0.1, "fold": -0.3}
FOLD_BESIDE_EXACT = -0.5  # more for a loose spelling match when some place has the exact name
# a town's former or variant name, when a real town bears it today, yields to that town even
# against the article's countries ("Pokrovsk" is a town in Ukraine and an old name of Engels, Russia)
OLD_NAME_BESIDE_TOWN = -2.5
TOWN_POPULATION = 10_000
MIN_SCORE = 0.2
SEAT_POPULATION = 20_000  # a city this big beats the province it names
# A place outside every country of the article's context is taken only if it is a country
# or a city at least this big (a town of another country is more likely a namesake).
FOREIGN_MIN_POPULATION = 100_000
FAMOUS_POPULATION = 1_000_000  # a city this big is meant by any of its names ("Kharkov")
UNKNOWN_POPULATION = 1_000  # GeoNames has 0 for some towns (seats included without a figure)

_DIRECTIONS = (
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
    r"|central|greater|downtown|inner|outer|rural"
)


def _words(key: str) -> str:
    """An alternation of a word list of ``lexicons/places.yaml``, longest first."""
    raw = load_yaml("places.yaml").get(key) or []
    return "|".join(re.escape(str(w).lower()).replace("\\ ", r"\s+") for w in sorted(raw, key=len, reverse=True))


# parts of a town ("old city", "outskirts") and landmarks in it ("railway station", "great mosque")
_PARTS = _words("part_words") + "|" + _words("landmark_words")
_NAMEWORD = r"[A-Z][\w'\u2019-]*"
# "the Old City of Mosul", "the eastern outskirts of Aleppo", "the Great Mosque of Mosul"
_PART_OF = re.compile(
    rf"^(?:the\s+)?(?:(?:{_DIRECTIONS})[\s-]+)?(?:(?:{_NAMEWORD}|[a-z]+)\s+){{0,3}}?(?i:{_PARTS})\s+of\s+"
    rf"(?:the\s+(?:city|town|village)\s+of\s+)?(?P<name>.+)$", re.I
)
# "eastern Aleppo", "north-western Syria", "greater Damascus"
_DIRECTION = re.compile(rf"^(?:the\s+)?(?:{_DIRECTIONS})[\s-]+(?P<name>.+)$", re.I)
# "Mosul's Old City", "Kharkiv airport", "Raqqa countryside", "Kramatorsk railway station"
_PART_AFTER = re.compile(
    rf"^(?:the\s+)?(?P<name>.+?)(?:['\u2019]s)?(?:\s+(?:{_NAMEWORD}|[a-z]+)){{0,2}}?\s+(?:{_PARTS})$", re.I
)
# what comes right before a town that is only a reference point: "near", "outside",
# "20 km north-west of", "north of the town of"
_NEAR_BEFORE = re.compile(
    rf"(?:(?<![\w-])(?i:{_words('near_words')})"
    rf"|(?:\d[\d.,]*\s*(?:km|kilometres|kilometers|miles|mi)\s+(?:\([^()]{{1,20}}\)\s+)?)?"
    rf"(?<![\w-])(?i:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of)"
    rf"\s+(?:(?i:the)\s+(?:(?i:city|town|village|port)\s+of\s+)?)?$"
)
# "the city of Mosul", "Mosul city", "the town of Bakhmut": the town itself
_TOWN = re.compile(
    r"^(?:the\s+)?(?:(?:port\s+)?(?:city|town|village|port)\s+of\s+(?P<a>.+)"
    r"|(?P<b>.+?)(?<![Oo]ld)\s+(?:city|town|village))$",
    re.I,
)
# "Idlib province", "the province of Idlib", "Kharkiv oblast", "Khartoum State"
_ADMIN_WORDS = "|".join(sorted(ADMIN_WORDS))
_ADMIN = re.compile(
    rf"^(?:the\s+)?(?:(?:{_ADMIN_WORDS})\s+of\s+(?P<a>.+)|(?P<b>.+?)\s+(?:{_ADMIN_WORDS}))$", re.I
)


@dataclass(frozen=True, slots=True)
class _Query:
    """One way to read a surface: the bare ``name`` to look up, the precision a town match
    gets (``TOWN``, or ``PART`` for a part of or near it), and whether the surface named an
    administrative area (then only admin1 areas and countries fit)."""

    name: str
    town_precision: int = TOWN
    admin: bool = False


def readings(surface: str) -> list[_Query]:
    """Ways to read a surface, most literal first.

    >>> [q.name for q in readings("the Old City of Mosul")]
    ['the Old City of Mosul', 'Mosul']
    """
    return list(_readings(surface))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _readings(surface: str) -> tuple[_Query, ...]:
    """:func:`readings`, worked out once per surface (the same names recur across articles)."""
    out: list[_Query] = []

    def walk(text: str, precision: int, admin: bool) -> None:
        text = re.sub(r"['\u2019]s$", "", text.strip(" \t\n,.;:"))
        if not text or any(q.name == text for q in out):
            return
        out.append(_Query(text, precision, admin))
        if m := _ADMIN.match(text):
            walk(m.group("a") or m.group("b"), precision, True)
        if m := _TOWN.match(text):
            walk(m.group("a") or m.group("b"), precision, admin)
        for pattern in (_PART_OF, _DIRECTION, _PART_AFTER):
            if m := pattern.match(text):
                walk(m.group("name"), PART, admin)

    walk(surface, TOWN, False)
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _demonyms() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A pattern of the country table's demonyms (case-sensitive, plural -s too) → ISO."""
    if not lexicon_path("countries.tsv").exists():
        return None, {}
    table = {
        d.strip(): row["iso"]
        for row in load_tsv("countries.tsv")
        for d in row.get("demonyms", "").split("|")
        if d.strip()
    }
    return re.compile(rf"{first_chars(table)}(?<![\w-])({literal_alternation(table)})s?(?![\w-])"), table


@functools.lru_cache(maxsize=1)
def _armed_groups() -> dict[str, dict[str, str]]:
    """Names (lower case) of armed groups with a home country (``lexicons/actors.tsv``) → ISO,
    indexed by their first word."""
    from sitroom.resolve.actors import dictionary

    by_first: dict[str, dict[str, str]] = {}
    for k, a in dictionary().items():
        if a.country and a.kind in ("rebel", "militia", "identity_militia") and len(k) >= 3 and "{" not in a.name:
            by_first.setdefault(k.split()[0], {})[k] = a.country
    return by_first


_WORD = re.compile(r"[\w'\u2019-]+")


def group_countries(text: str) -> Counter[str]:
    """ISO codes of the home countries of the armed groups a text names ("Hamas" → PS,
    "the Houthis" → YE), with their counts; short names ("RSF", "TTP") count in capitals only."""
    index = _armed_groups()
    # "\u2019" and "'" are both word characters: replacing one by the other in the text splits
    # it into the same words as replacing it word by word
    words = _WORD.findall(text.replace("\u2019", "'"))
    lower = [w.lower() for w in words]
    out: Counter[str] = Counter()
    end = 0  # words before this one are part of a name already counted
    for i in [i for i, w in enumerate(lower) if w in index]:  # the words that begin some name
        if i < end:
            continue
        names = index[lower[i]]
        for key in sorted(names, key=len, reverse=True):
            n = key.count(" ") + 1
            if " ".join(lower[i : i + n]) == key and (len(key) > 4 or words[i].isupper()):
                out[names[key]] += 1
                end = i + n
                break
    return out


def demonym_countries(text: str) -> Counter[str]:
    """ISO codes of the demonyms in a text, with their counts ("Iraqi troops" → IQ)."""
    pattern, table = _demonyms()
    return Counter(table[m.group(1)] for m in pattern.finditer(text)) if pattern else Counter()


@dataclass(frozen=True, slots=True)
class _Option:
    """A candidate of a mention: its precision if taken; for an admin1 area whether a big
    city of the same name inside it competes; for a loose match whether exact ones exist;
    whether its own name spells like the surface ("Slovyansk" for "Sloviansk")."""

    entry: Entry
    precision: int
    seat_competes: bool = False
    beside_exact: bool = False
    alike: bool = False
    old_name: bool = False  # an alternate name of a town while a town of exactly that name exists


@functools.lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[str, str]]:
    """Normalized name → (display name, ISO or "") of ``lexicons/gazetteer_regions.tsv``."""
    if not lexicon_path("gazetteer_regions.tsv").exists():
        return {}
    out = {}
    for row in load_tsv("gazetteer_regions.tsv"):
        for n in [row["name"], *row.get("aliases", "").split("|")]:
            if n.strip():
                out[normalize(n)] = (row["name"], row.get("iso", "").strip())
    return out


def _region_entry(name: str, iso: str) -> Entry:
    """A region inside one country, as a place of country level (no point of its own)."""
    country = place_country_name(iso)
    return Entry(id=-1, name=name, ascii_name=name, feature="country", population=0, country=country, iso=iso,
                 admin1=None, latitude=0.0, longitude=0.0)


def place_country_name(iso: str) -> str:
    return gazetteer().countries.get(iso, iso)


def _options(mention: PlaceMention) -> tuple[str, list[_Option]]:
    """The lookup key of a mention and its candidates, from its first reading that has any."""
    key, options = _options_of(gazetteer(), mention.surface, mention.name, mention.iso)
    return key, list(options)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _options_of(gz: Gazetteer, surface: str, name: str | None, iso: str | None) -> tuple[str, tuple[_Option, ...]]:
    """:func:`_options` of a mention with this surface, name and country, worked out once per
    gazetteer (place names recur across articles)."""
    queries = readings(surface)
    if name and name != surface:
        queries += [q for q in readings(name) if q not in queries]
    for q in queries:
        region = _regions().get(normalize(q.name))
        if region is not None:  # "the Sahel": no place; "Donbas": Ukraine, no point
            region_name, region_iso = region
            return normalize(q.name), (_Option(_region_entry(region_name, region_iso), REGION),) if region_iso else ()
        found = gz.candidates(q.name, limit=50)
        if q.admin:
            found = [e for e in found if e.feature != "city"]
        if iso:  # the mention already knows its country (a dateline "X, Ukraine")
            found = [e for e in found if e.iso == iso] or found
        if any(e.match == "name" and (e.feature != "city" or e.population >= FOREIGN_MIN_POPULATION) for e in found):
            # a big place of exactly this name: a small town that only lists it as a variant
            # (Cabool, Missouri for "Kabul") or spells like it is not what the text means
            key = fold(normalize(q.name))
            found = [e for e in found if e.match == "name" or e.feature != "city"
                     or e.population >= FOREIGN_MIN_POPULATION or fold(normalize(e.name)) == key]
        if found:
            seats = {
                (e.iso, e.admin1) for e in found if e.feature == "city" and e.population >= SEAT_POPULATION
            }
            exact = any(e.match != "fold" for e in found)
            town = any(e.match == "name" and e.feature == "city" and e.population >= TOWN_POPULATION for e in found)
            loose = fold(normalize(q.name))
            return normalize(q.name), tuple(
                _Option(
                    e,
                    q.town_precision if e.feature == "city" else REGION,
                    (e.iso, e.name) in seats and not q.admin,
                    exact and e.match == "fold",
                    e.match == "alternate" and fold(normalize(e.name)) == loose,
                    town and e.match == "alternate" and e.feature == "city" and e.population < FAMOUS_POPULATION
                    and fold(normalize(e.name)) != loose,
                )
                for e in found
            )
    return normalize(surface), ()


@dataclass(slots=True)
class _Context:
    """What the other mentions of the article say: votes for countries and for admin1 areas,
    and the area or country a mention is explicitly put in ("Kankara, Katsina state")."""

    countries: Counter[str]
    areas: Counter[tuple[str, str]] = dataclasses.field(default_factory=Counter)
    parent: tuple[str, str | None] | None = None  # (iso, admin1 or None)


def _scores(options: list[_Option], ctx: _Context) -> list[float]:
    """The score of each candidate in one context (whose top votes are counted once)."""
    top = max(ctx.countries.values(), default=0)
    top_area = max(ctx.areas.values(), default=0)
    return [_score(o, ctx, top, top_area) for o in options]


def _score(o: _Option, ctx: _Context, top: int, top_area: int) -> float:
    """One candidate's score; ``top`` and ``top_area`` are the context's most votes for a
    country and for an admin1 area."""
    entry, context = o.entry, ctx.countries
    penalty = 0.0 if o.alike else MATCH_PENALTY[entry.match]
    s = population_score(entry.population or UNKNOWN_POPULATION) + penalty
    s += FOLD_BESIDE_EXACT if o.beside_exact else 0.0
    s += OLD_NAME_BESIDE_TOWN if o.old_name else 0.0
    if top:
        s += W_CONTEXT * context[entry.iso] / top
    if top_area and entry.admin1 and entry.feature == "city":
        s += W_AREA * ctx.areas[(entry.iso, entry.admin1)] / top_area
    if ctx.parent is not None:
        iso, admin1 = ctx.parent
        if entry.iso == iso and (admin1 is None or entry.admin1 == admin1):
            s += W_PARENT
    if entry.feature == "country":
        s += W_COUNTRY
    elif entry.feature == "admin1":
        s += W_ADMIN + (W_ADMIN_SEAT if o.seat_competes else 0.0)
    return s


def _choose(
    options: list[_Option], ctx: _Context, strict: bool = False, scores: list[float] | None = None
) -> _Option | None:
    """The best-scoring candidate, or None when none is plausible enough. ``strict`` (for
    LOC mentions: regions, seas, mountains) takes a small town only inside the context.
    ``scores`` are the options' :func:`_scores` in this context when already known."""
    if scores is None:
        scores = _scores(options, ctx)
    score, best = max(zip(scores, options), key=lambda t: t[0], default=(0.0, None))
    if best is None or score < MIN_SCORE:
        return None
    e = best.entry
    context = ctx.countries
    inside = context[e.iso] or (ctx.parent is not None and ctx.parent[0] == e.iso)
    foreign = (strict or any(context.values())) and not inside
    if foreign and e.feature != "country" and e.population < FOREIGN_MIN_POPULATION:
        return None
    if foreign and e.feature == "city" and e.match != "name" and not best.alike and e.population < FAMOUS_POPULATION:
        return None  # a foreign town known here only by an odd alternate name ("Duran")
    return best


# what joins a place to the area or country it lies in: "Kankara, Katsina state",
# "Daura in Katsina state", "Molo, in Nakuru county", "Dahyan, in Yemen's northern Saada province",
# "Wad Madani, the capital of Gezira state"
_GLUE = re.compile(
    rf"\s*(?:,\s*)?(?:(?:in|of)\s+)?(?:(?:the|a)\s+)?"
    rf"(?:(?:provincial\s+|regional\s+|state\s+)?capital\s+of\s+|(?:town|city|village)\s+(?:of|in)\s+)?"
    rf"(?:the\s+)?(?:(?:{_DIRECTIONS})[\s-]+)?",
    re.I,
)
_POSSESSIVE_GLUE = re.compile(rf"['\u2019]s\s+(?:(?:{_DIRECTIONS})[\s-]+)?", re.I)


def _parents(places: list[PlaceMention], first: list[_Option | None], doc_text: str) -> list[tuple | None]:
    """For each mention, the (iso, admin1) of the area or country the text puts it in, from
    the mentions right after it ("X, Y state", "X in Y's Z province"), else None."""
    out: list[tuple | None] = [None] * len(places)
    for i, m in enumerate(places):
        if first[i] is None or first[i].entry.feature != "city":  # type: ignore[union-attr]
            continue
        end, best = m.span.end, None
        for j in range(i + 1, min(i + 3, len(places))):
            nxt, o = places[j], first[j]
            gap = doc_text[end : nxt.span.start]
            glue = _GLUE if end == m.span.end else _POSSESSIVE_GLUE
            if not glue.fullmatch(gap) or o is None or o.entry.feature == "city":
                break
            best = (o.entry.iso, o.entry.admin1) if o.entry.feature == "admin1" else best or (o.entry.iso, None)
            end = nxt.span.end
        out[i] = best
    return out


def _near(mention: PlaceMention, doc_text: str) -> bool:
    """Is the town only a reference point ("near Bakhmut", "20 km north of Mosul")?"""
    start = mention.span.start
    return bool(doc_text) and bool(_NEAR_BEFORE.search(doc_text, max(0, start - 60), start))


@dataclass(frozen=True, slots=True)
class Resolution:
    """How one mention was resolved: the mention with its place filled (or untouched), and the
    candidates considered with their scores, best first (for ``sitroom geoparse``)."""

    mention: PlaceMention
    candidates: tuple[tuple[Entry, float], ...]


def geocode(
    places: list[PlaceMention], doc_text: str, hint_countries: tuple[str, ...] = ()
) -> list[PlaceMention]:
    """The same mentions, in the same order, with their place filled where one fits."""
    return [r.mention for r in resolve(places, doc_text, hint_countries)]


def resolve(
    places: list[PlaceMention], doc_text: str, hint_countries: tuple[str, ...] = ()
) -> list[Resolution]:
    """:func:`geocode`, keeping the candidates each mention was chosen from."""
    base: Counter[str] = Counter()
    for iso in hint_countries:
        base[iso.upper()] += W_HINT
    for iso, n in (demonym_countries(doc_text) + group_countries(doc_text)).items():
        base[iso] += min(n, 3)

    keyed = [_options(m) for m in places]
    loc = [m.label == "LOC" for m in places]
    # pass 1: hints, demonyms and the countries named among the places (the context holds
    # ``base`` itself, so it sees each vote as soon as it is cast)
    base_ctx = _Context(base)
    for (_, options), is_loc in zip(keyed, loc, strict=True):
        if (o := _choose(options, base_ctx, is_loc)) and o.entry.feature == "country":
            base[o.entry.iso] += W_NAMED_COUNTRY
    first = [_choose(options, base_ctx, is_loc) for (_, options), is_loc in zip(keyed, loc, strict=True)]
    parents = _parents(places, first, doc_text)
    # pass 2: each place also sees the countries and areas of the *other* places (not its own
    # namesakes); those votes are the same for every mention of a key, so counted once per key
    # (contexts only read them)
    votes: dict[str, tuple[Counter[str], Counter[tuple[str, str]]]] = {}
    out: list[Resolution] = []
    for mention, (key, options), is_loc, parent in zip(places, keyed, loc, parents, strict=True):
        if key not in votes:
            countries, areas = base.copy(), Counter()
            for (other_key, _), o in zip(keyed, first, strict=True):
                if o and other_key != key and o.entry.feature != "country":
                    countries[o.entry.iso] += 1
                    if o.entry.admin1:
                        areas[(o.entry.iso, o.entry.admin1)] += 1
            votes[key] = countries, areas
        ctx = _Context(*votes[key], parent)
        scores = _scores(options, ctx)
        o = _choose(options, ctx, is_loc, scores)
        if o is not None and o.precision == TOWN and o.entry.feature == "city" and _near(mention, doc_text):
            o = dataclasses.replace(o, precision=PART)
        scored = tuple(sorted(((x.entry, round(sc, 3)) for x, sc in zip(options, scores)), key=lambda t: -t[1]))
        out.append(Resolution(_fill(mention, o) if o else mention, scored))
    return out


def _fill(mention: PlaceMention, o: _Option) -> PlaceMention:
    """The mention with the entry's place. A country gets no coordinates: a point at its capital
    would say the event happened there."""
    e = o.entry
    country = e.feature == "country"
    return dataclasses.replace(
        mention,
        name=e.ascii_name or e.name,  # ACLED spells places in ASCII: "Hamah", not "Ḩamāh"
        country=e.country,
        iso=e.iso,
        admin1=e.admin1,
        latitude=None if country else e.latitude,
        longitude=None if country else e.longitude,
        geo_precision=o.precision,
    )


def place_for(
    surface: str,
    doc_text: str = "",
    hint_countries: Sequence[str] = (),
    others: Iterable[str] = (),
    label: str = "GPE",
) -> PlaceMention:
    """Geocode one toponym (a convenience for tests and the REPL): ``others`` are more
    toponyms of the same article, used only as context."""
    mentions = [PlaceMention(s, Span(0, len(s)), label) for s in (surface, *others)]
    return geocode(mentions, doc_text or " ".join(m.surface for m in mentions), tuple(hint_countries))[0]
