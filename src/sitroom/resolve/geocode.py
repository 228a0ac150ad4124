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

from sitroom.lexicons import load_tsv
from sitroom.lexicons import path as lexicon_path
from sitroom.model import PlaceMention, Span
from sitroom.resolve.gazetteer import ADMIN_WORDS, Entry, candidates, normalize, population_score

TOWN, PART, REGION = 1, 2, 3  # ACLED geo_precision

# weights of the score (see module doc); a candidate must reach MIN_SCORE to be taken
W_CONTEXT = 2.0
W_COUNTRY = 2.0
W_HINT = 3  # context votes of one hinted country
W_NAMED_COUNTRY = 2  # context votes of a country named among the places
W_ADMIN = -0.3  # an area is named less often than a city of its population
W_ADMIN_SEAT = -0.6  # more so when its own big city has the same name ("Idlib", "Kharkiv")
MATCH_PENALTY = {"name": 0.0, "alternate": -0.1, "fold": -0.3}
FOLD_BESIDE_EXACT = -0.5  # more for a loose spelling match when some place has the exact name
MIN_SCORE = 0.2
SEAT_POPULATION = 20_000  # a city this big beats the province it names
# A place outside every country of the article's context is taken only if it is a country
# or a city at least this big (a town of another country is more likely a namesake).
FOREIGN_MIN_POPULATION = 100_000
UNKNOWN_POPULATION = 1_000  # GeoNames has 0 for some towns (seats included without a figure)

_DIRECTIONS = (
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
    r"|central|greater|downtown|inner|outer|rural"
)
_PARTS = (
    r"old city|old town|old quarter|city cent(?:re|er)|cent(?:re|er)|outskirts|suburbs?|"
    r"countryside|environs|vicinity|heart|edge|periphery|district|neighbou?rhoods?|quarter|"
    r"area|areas|part|parts|side|airport|air ?base|air ?field|military base|base|dam|port|"
    r"harbou?r|refinery|prison|camp|bridge|checkpoint|crossing|frontline|front line|front"
)
# "the Old City of Mosul", "the eastern outskirts of Aleppo", "northern parts of Raqqa"
_PART_OF = re.compile(rf"^(?:the\s+)?(?:(?:{_DIRECTIONS})[\s-]+)?(?:{_PARTS})\s+of\s+(?P<name>.+)$", re.I)
# "eastern Aleppo", "north-western Syria", "greater Damascus"
_DIRECTION = re.compile(rf"^(?:the\s+)?(?:{_DIRECTIONS})[\s-]+(?P<name>.+)$", re.I)
# "Mosul's Old City", "Kharkiv airport", "Raqqa countryside"
_PART_AFTER = re.compile(rf"^(?:the\s+)?(?P<name>.+?)(?:['\u2019]s)?\s+(?:{_PARTS})$", re.I)
# "the city of Mosul", "Mosul city", "the town of Bakhmut": the town itself
_TOWN = re.compile(
    r"^(?:the\s+)?(?:(?:port\s+)?(?:city|town|village|port)\s+of\s+(?P<a>.+)"
    r"|(?P<b>.+?)\s+(?:city|town|village))$",
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
    return out


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
    alts = "|".join(re.escape(d) for d in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alts})s?(?![\w-])"), table


def demonym_countries(text: str) -> Counter[str]:
    """ISO codes of the demonyms in a text, with their counts ("Iraqi troops" → IQ)."""
    pattern, table = _demonyms()
    return Counter(table[m.group(1)] for m in pattern.finditer(text)) if pattern else Counter()


@dataclass(frozen=True, slots=True)
class _Option:
    """A candidate of a mention: its precision if taken; for an admin1 area whether a big
    city of the same name inside it competes; for a loose match whether exact ones exist."""

    entry: Entry
    precision: int
    seat_competes: bool = False
    beside_exact: bool = False


def _options(mention: PlaceMention) -> tuple[str, list[_Option]]:
    """The lookup key of a mention and its candidates, from its first reading that has any."""
    queries = readings(mention.surface)
    if mention.name and mention.name != mention.surface:
        queries += [q for q in readings(mention.name) if q not in queries]
    for q in queries:
        found = candidates(q.name, limit=50)
        if q.admin:
            found = [e for e in found if e.feature != "city"]
        if mention.iso:  # the mention already knows its country (a dateline "X, Ukraine")
            found = [e for e in found if e.iso == mention.iso] or found
        if found:
            seats = {
                (e.iso, e.admin1) for e in found if e.feature == "city" and e.population >= SEAT_POPULATION
            }
            exact = any(e.match != "fold" for e in found)
            return normalize(q.name), [
                _Option(
                    e,
                    q.town_precision if e.feature == "city" else REGION,
                    (e.iso, e.name) in seats and not q.admin,
                    exact and e.match == "fold",
                )
                for e in found
            ]
    return normalize(mention.surface), []


def _score(o: _Option, context: Counter[str]) -> float:
    entry, top = o.entry, max(context.values(), default=0)
    s = population_score(entry.population or UNKNOWN_POPULATION) + MATCH_PENALTY[entry.match]
    s += FOLD_BESIDE_EXACT if o.beside_exact else 0.0
    if top:
        s += W_CONTEXT * context[entry.iso] / top
    if entry.feature == "country":
        s += W_COUNTRY
    elif entry.feature == "admin1":
        s += W_ADMIN + (W_ADMIN_SEAT if o.seat_competes else 0.0)
    return s


def _choose(options: list[_Option], context: Counter[str], strict: bool = False) -> _Option | None:
    """The best-scoring candidate, or None when none is plausible enough. ``strict`` (for
    LOC mentions: regions, seas, mountains) takes a small town only inside the context."""
    score, best = max(((_score(o, context), o) for o in options), key=lambda t: t[0], default=(0.0, None))
    if best is None or score < MIN_SCORE:
        return None
    e = best.entry
    foreign = (strict or any(context.values())) and not context[e.iso]
    if foreign and e.feature != "country" and e.population < FOREIGN_MIN_POPULATION:
        return None
    return best


def geocode(
    places: list[PlaceMention], doc_text: str, hint_countries: tuple[str, ...] = ()
) -> list[PlaceMention]:
    """The same mentions, in the same order, with their place filled where one fits."""
    base: Counter[str] = Counter()
    for iso in hint_countries:
        base[iso.upper()] += W_HINT
    for iso, n in demonym_countries(doc_text).items():
        base[iso] += min(n, 3)

    keyed = [_options(m) for m in places]
    loc = [m.label == "LOC" for m in places]
    # pass 1: hints, demonyms and the countries named among the places
    for (_, options), is_loc in zip(keyed, loc, strict=True):
        if (o := _choose(options, base, is_loc)) and o.entry.feature == "country":
            base[o.entry.iso] += W_NAMED_COUNTRY
    first = [_choose(options, base, is_loc) for (_, options), is_loc in zip(keyed, loc, strict=True)]
    # pass 2: each place also sees the countries of the *other* places (not its own namesakes)
    out: list[PlaceMention] = []
    for mention, (key, options), is_loc in zip(places, keyed, loc, strict=True):
        context = base.copy()
        for (other_key, _), o in zip(keyed, first, strict=True):
            if o and other_key != key and o.entry.feature != "country":
                context[o.entry.iso] += 1
        o = _choose(options, context, is_loc)
        out.append(_fill(mention, o) if o else mention)
    return out


def _fill(mention: PlaceMention, o: _Option) -> PlaceMention:
    e = o.entry
    return dataclasses.replace(
        mention,
        name=e.ascii_name or e.name,  # ACLED spells places in ASCII: "Hamah", not "Ḩamāh"
        country=e.country,
        iso=e.iso,
        admin1=e.admin1,
        latitude=e.latitude,
        longitude=e.longitude,
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
