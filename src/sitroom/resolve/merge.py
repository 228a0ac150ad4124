"""One incident, many sources: per-article event mentions → merged events.

Pure functions, no I/O: the store (``store/repository.py``) loads mentions, calls these and
writes what they return. A *mention* is one article's contract record of an incident
(``export/records.py``); an *event* is the set of mentions, from different articles, that
report the same incident, and its record combines theirs.

Gates (``incompatible``): two mentions can only be one incident when all hold:

- they come from different articles (inside an article, the extractor has already decided);
- same sub-type, or sub-types the trigger lexicon's ``compatible`` table lets one fold into
  the other (an "attack" and a bombing, a peaceful protest and one the police broke up);
- forecasts (``hypothetical``) only go with forecasts;
- both dated: the intervals overlap (no slack: strikes on consecutive days stay apart).
  An undated mention, or one whose date only stands in for its article's (``date_from``
  "publication"), counts as "some time in the month before its article was published"
  (``WINDOW``); a mention from an undated article only meets others from undated articles;
- countries agree when both are known, and places with coordinates lie within reach of each
  other: 25 km around a town (50 km at precision 2), 250 km around a region, anywhere in the
  country for a country-level place.

Score (``score``): components in [-1, 1], weighted (``WEIGHTS``) and summed; a pair is linked
when the total reaches ``THRESHOLD`` and at least one component shows a specific agreement
(``ANCHORS``: the same place or one named by the other report, the same death toll, much
shared wording, or the same named actor1 where the reports have a place in common below the
country, or one names a town and the other only the country): the same kind of incident on the
same day in the same country is not, alone, one incident, nor is one armed group's attack of a
day when neither report says where, or both say only the country.

- ``type`` 1 same sub-type, 0.5 compatible ones;
- ``date`` 0.5 + 0.5 × (shared days / days of the longer interval); when one is undated, how
  recent the other is at its article's date: 0.5 the same day, 0.3 within 2 days, 0 within a
  week, -0.5 older (news is mostly of the last days); 0 when both articles are undated;
- ``place`` 1 same place name or within 5 km, falling with distance; 0.5/0.3 a town in a region
  (same/other first-level division), 0.2 a place in a country-level mention (0.3 both
  country-level, whether or not the country came with coordinates); at least 0.6 when one report names the other's place in its evidence
  (a report without a place, or one geocoded nearby); 0 unknown;
- ``actors`` 1 same named actor1, 0.7 a named actor in common, 0.3 only a generic side
  (civilians, protesters, unidentified gunmen) in common, -0.5 named actors on both and
  none in common (outlets and parties disagree on perpetrators, so it is no gate), 0 unknown;
- ``text`` cosine of the evidence's content words, proper names counted twice;
- ``figures`` 1 when both give the same death toll (different tolls are normal: no penalty).

Blocking (``candidate_pairs``): a sweep over the days, so only mentions whose days meet,
whose sub-types are compatible and whose countries do not differ are compared: the work grows
with the mentions times the mentions of the same days and country (``benchmarks/merge.py``).

Clustering (``cluster``): links sorted by score (highest first, ties by mention ids) are
taken one by one (Kruskal); two groups join unless an article is in both or some pair across
them fails a gate. So one weak chain cannot glue two incompatible reports together, and the
outcome is a function of the set of mentions only: ingest order cannot change it.

Event record (``combine``), over the mentions in *report order* (published date, undated
last, then mention id):

- ``event_id``: the ``mention_id`` of the first report (the *anchor*). A single-report event
  keeps the id its article's record always had; a report published later never renumbers
  an event. A report published the same day or earlier can become the anchor: the old id
  then stays valid as an alias (the store keeps ``event_aliases``).
- sub-type: the one the others fold into (the more specific: "Attack" + "Suicide bomb" →
  "Suicide bomb"), else the most reported, else the anchor's.
- dates: the intersection of the dated reports' intervals (the gates make them overlap
  pairwise, so they share a day; dates that stand in for the publication day count only
  when no report gives one); precision 1 when that is one day, else the finest
  precision among the reports whose interval is that intersection, else 2 up to a fortnight
  and 3 beyond.
- place: the most precise (lowest ``geo_precision``; a place with coordinates before a bare
  name), ties to the place most reports give, then report order.
- actors: actor1 by vote: a named side before a generic one (but a crowd of protesters stays
  first, as ACLED codes it), then the most reports (asserted ones weigh 1, others 0.5), then
  report order; actor2 likewise among the rest; associated actors united.
- ``fatalities_min`` the lowest figure and ``fatalities_max`` the highest bounded one, left
  open (null) when some report's "at least N" exceeds every bounded figure. ``fatalities``:
  the figure of the most recent report that gives one (tolls rise as bodies are counted),
  preferring reports that assert the event over claims, then exact figures over "at least",
  then the higher. Never a sum.
- modality: asserted if any outlet asserts it, else claimed, else negated, else
  hypothetical; ``claimed_by`` only when the event stays claimed. Every report's own
  modality and claimant stay in ``reports``.
- ``sources`` every outlet once, ``evidence`` every report's spans, in report order;
  ``notes`` the anchor's.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from sitroom.model import CACHE_SIZE, SCHEMA_VERSION, SUB_TO_TYPE

THRESHOLD = 3.0
WEIGHTS = {"type": 1.0, "date": 1.5, "place": 1.5, "actors": 1.0, "text": 2.0, "figures": 0.5}
# a link also needs one specific agreement (component ≥ value): same kind, day and country is not enough
ANCHORS = {"place": 0.5, "actors": 1.0, "figures": 1.0, "text": 0.3}
WINDOW = dt.timedelta(days=31)  # an undated mention: the month before its article's publication
NEAR_KM = 5.0
REACH_KM = {1: 25.0, 2: 50.0}  # around a town / a part of a district
REGION_KM = 250.0
MAX_REACH_KM = 300.0
COUNTRY_PLACE = 0.3  # only the country in common (both country-level, or two regions): nowhere finer
MODALITY_ORDER = ("asserted", "claimed", "negated", "hypothetical")
GENERIC_PREFIXES = ("Civilians", "Protesters", "Rioters", "Unidentified Armed Group", "Rebels (")
GENERIC_NAMES = {"Military Forces", "Police Forces", "Government", "Rebels", "Civilians", "Protesters", "Rioters"}

_STOPWORDS = """
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers him his how i if in into is it its itself just me more most my no nor
not now of off on once only or other our out over own same she should so some such than that the
their theirs them then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your said says say told tell according
reported reports report officials official people statement added later earlier still since around
near several many
"""
_STOP = frozenset(_STOPWORDS.split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*[A-Za-z]|\d+")


# ---------------------------------------------------------------- mentions


@dataclass(frozen=True, slots=True, eq=False)
class Mention:
    """What merging looks at in one article's event record."""

    mention_id: str
    doc_id: str
    published: dt.date | None
    event_type: str
    sub_event_type: str
    start: dt.date | None
    end: dt.date | None
    precision: int | None
    iso: str | None
    country: str | None
    admin1: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    actor1: str | None
    actor2: str | None
    modality: str
    fatalities: int | None
    fatalities_min: int | None
    fatalities_max: int | None
    text: str
    tokens: frozenset[str]
    record: dict = field(repr=False)
    # derived once, for speed: place level, day ordinals, casefolded names, actor sets
    level: str | None = field(default=None, repr=False)
    days: tuple[int, int] | None = field(default=None, repr=False)
    folded: str = field(default="", repr=False)
    sides: frozenset[str] = field(default=frozenset(), repr=False)
    named: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def dated(self) -> bool:
        return self.days is not None

    @property
    def order(self) -> tuple:
        """Report order: earliest publication first, undated articles last, then the id."""
        return (self.published is None, self.published or dt.date.min, self.mention_id)


def _day(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def mention(record: Mapping, doc_id: str | None = None, published: dt.date | str | None = None) -> Mention:
    """A Mention from one article's event record (its ``event_id`` is the mention id)."""
    evidence = record.get("evidence") or [{}]
    first = evidence[0]
    text = "\n".join(e.get("text") or "" for e in evidence)
    start, end = _day(record.get("date_start")), _day(record.get("date_end"))
    if start is None or end is None:
        start = end = None
    soft = record.get("date_from") == "publication"  # the article gave no date: undated for merging
    sides = frozenset(x for x in (record.get("actor1"), record.get("actor2")) if x)
    return Mention(
        mention_id=record["event_id"],
        doc_id=str(doc_id if doc_id is not None else first.get("doc_id")),
        published=_day(published if published is not None else first.get("published")),
        event_type=record["event_type"],
        sub_event_type=record["sub_event_type"],
        start=start,
        end=end,
        precision=record.get("time_precision"),
        iso=record.get("iso"),
        country=record.get("country"),
        admin1=record.get("admin1"),
        location=record.get("location"),
        latitude=record.get("latitude"),
        longitude=record.get("longitude"),
        geo_precision=record.get("geo_precision"),
        actor1=record.get("actor1"),
        actor2=record.get("actor2"),
        modality=record.get("modality") or "asserted",
        fatalities=record.get("fatalities"),
        fatalities_min=record.get("fatalities_min"),
        fatalities_max=record.get("fatalities_max"),
        text=text,
        tokens=_tokens(evidence),
        record=dict(record),
        level=_level(record),
        days=(start.toordinal(), end.toordinal()) if start and end and not soft else None,
        folded=text.casefold(),
        sides=sides,
        named=frozenset(x for x in sides if not _generic(x)),
    )


def _tokens(evidence: Iterable[Mapping]) -> frozenset[str]:
    """Content words of the evidence, lower case; proper names (capitalised inside a sentence)
    also as ``^name``, so they count twice."""
    out: set[str] = set()
    for e in evidence:
        text = e.get("text") or ""
        for m in _WORD.finditer(text):
            w = m.group(0)
            low = w.lower().replace("\u2019", "'")
            low = low.removesuffix("'s")
            if low in _STOP or (len(low) < 3 and not low.isdigit()):
                continue
            out.add(low)
            before = text[: m.start()].rstrip()
            if w[0].isupper() and before and before[-1] not in '.!?:"\u201c-\n':
                out.add("^" + low)
    return frozenset(out)


# ---------------------------------------------------------------- gates and components


@functools.lru_cache(maxsize=1)
def _compatible_table() -> dict[str, frozenset[str]]:
    from sitroom.lexicons import load_yaml

    table = load_yaml("event_triggers.yaml").get("compatible") or {}
    return {k: frozenset(v) for k, v in table.items()}


def _folds(sub: str, into: str) -> bool:
    """May a mention of ``sub`` be told of an event of ``into`` (the lexicon's table)?"""
    names = _compatible_table().get(sub, frozenset())
    return into in names or SUB_TO_TYPE.get(into) in names


@functools.cache
def compatible_subs(sub: str) -> frozenset[str]:
    """The sub-types a mention of ``sub`` may be merged with (itself included)."""
    return frozenset(s for s in SUB_TO_TYPE if s == sub or _folds(sub, s) or _folds(s, sub))


def type_score(a: Mention, b: Mention) -> float | None:
    return _type_score(a.sub_event_type, b.sub_event_type)


@functools.cache
def _type_score(x: str, y: str) -> float | None:
    if x == y:
        return 1.0
    if _folds(x, y) or _folds(y, x):
        return 0.5
    return None


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = math.radians
    h = math.sin(r(lat2 - lat1) / 2) ** 2 + math.cos(r(lat1)) * math.cos(r(lat2)) * math.sin(r(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _same_name(x: str | None, y: str | None) -> bool:
    return bool(x) and bool(y) and (x == y or x.casefold() == y.casefold())  # type: ignore[union-attr]


def _level(r: Mapping) -> str | None:
    """'point' (a town, precision 1-2), 'region' (a first-level division), 'country' (with
    coordinates: a country-level place), 'named' (a place name without coordinates), 'iso'
    (only the country is known) or None."""
    location, country = r.get("location"), r.get("country")
    if r.get("latitude") is not None and r.get("longitude") is not None:
        if _same_name(location, country) or (r.get("geo_precision") == 3 and not r.get("admin1")):
            return "country"
        return "region" if r.get("geo_precision") == 3 else "point"
    if location and not _same_name(location, country):
        return "named"
    return "iso" if r.get("iso") else None


def place_level(m: Mention) -> str | None:
    return m.level


def _reach(m: Mention, level: str) -> float:
    return REGION_KM if level == "region" else REACH_KM.get(m.geo_precision or 1, 50.0)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.IGNORECASE)


def _names_in(name: str | None, m: Mention) -> bool:
    """Does ``m``'s evidence name the place ``name`` (a whole word, any case)?"""
    if not name or len(name) < 4 or name.casefold() not in m.folded:
        return False
    return _name_pattern(name).search(m.text) is not None


_LOCAL = ("point", "region", "named")
_COORDS = ("point", "region", "country")


def place_score(a: Mention, b: Mention) -> tuple[float, str | None]:
    """(score, reason it cannot be the same place or None)."""
    if a.iso and b.iso and a.iso != b.iso:
        return 0.0, f"different countries ({a.iso}, {b.iso})"
    la, lb = a.level, b.level
    if la in _COORDS and lb in _COORDS:
        if la == "country" or lb == "country":  # nested in a country-level report: weak agreement
            return (COUNTRY_PLACE if la == lb else 0.2), None
        d = km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]
        if d <= NEAR_KM or _same_name(a.location, b.location):
            return 1.0, None
        reach = min(MAX_REACH_KM, _reach(a, la) + _reach(b, lb))  # type: ignore[arg-type]
        if d > reach:
            return 0.0, f"places {d:.0f} km apart"
        named = 0.6 if _names_in(a.location, b) or _names_in(b.location, a) else 0.0
        if la == "region" or lb == "region":
            return max(named, 0.5 if _same_name(a.admin1, b.admin1) else COUNTRY_PLACE), None
        return max(named, round(1.0 - 0.8 * d / reach, 4)), None
    if la in _LOCAL and _same_name(a.location, b.location):
        return 0.8, None
    if _country_only(a) and _country_only(b):  # both tell only the (same) country, coordinates or not
        return (COUNTRY_PLACE if a.iso and a.iso == b.iso else 0.0), None
    if (la in _LOCAL and _names_in(a.location, b)) or (lb in _LOCAL and _names_in(b.location, a)):
        return 0.6, None
    return 0.0, None


def _country_only(m: Mention) -> bool:
    """Does the report place the incident in a country and nowhere finer (its place is the
    country, with or without the country's coordinates)?"""
    return m.level == "country" or (m.level == "iso" and _same_name(m.location, m.country))


def _generic(name: str) -> bool:
    return name in GENERIC_NAMES or name.startswith(GENERIC_PREFIXES)


def actor_score(a: Mention, b: Mention) -> float:
    if not a.sides or not b.sides:
        return 0.0
    if a.actor1 and a.actor1 == b.actor1 and a.actor1 in a.named:
        return 1.0
    if a.named & b.named:
        return 0.7
    if a.sides & b.sides:
        return 0.3
    return -0.5 if a.named and b.named else 0.0


def _recent(days: int) -> float:
    """How an undated report's article date fits the other report: news is mostly of the last
    days: the same day helps half as much as a confirmed day, up to 2 days a little, up to a
    week is neutral, more counts against."""
    return 0.5 if days == 0 else 0.3 if days <= 2 else 0.0 if days <= 7 else -0.5


def date_score(a: Mention, b: Mention) -> tuple[float, str | None]:
    if a.days is not None and b.days is not None:
        (s1, e1), (s2, e2) = a.days, b.days
        lo, hi = max(s1, s2), min(e1, e2)
        if lo > hi:
            return 0.0, f"dates apart ({a.start}..{a.end}, {b.start}..{b.end})"
        return round(0.5 + 0.5 * (hi - lo + 1) / (max(e1 - s1, e2 - s2) + 1), 4), None
    if a.days is not None or b.days is not None:
        dated, other = (a, b) if a.days is not None else (b, a)
        if other.published is None:
            return 0.0, "one report is dated, the other's article has no date"
        pub = other.published.toordinal()
        start, end = dated.days  # type: ignore[misc]
        if start > pub or end < pub - WINDOW.days:
            return 0.0, "dated report outside the month before the undated one's article"
        return _recent(max(0, pub - end)), None
    if (a.published is None) != (b.published is None):
        return 0.0, "only one of the articles has a date"
    if a.published and b.published:
        gap = abs((a.published - b.published).days)
        if gap > WINDOW.days:
            return 0.0, "undated reports in articles more than a month apart"
        return _recent(gap), None
    return 0.0, None


def text_score(a: Mention, b: Mention) -> float:
    if not a.tokens or not b.tokens:
        return 0.0
    return round(len(a.tokens & b.tokens) / math.sqrt(len(a.tokens) * len(b.tokens)), 4)


def figures_score(a: Mention, b: Mention) -> float:
    return 1.0 if a.fatalities is not None and a.fatalities == b.fatalities else 0.0


def compare(a: Mention, b: Mention) -> tuple[str | None, Score | None]:
    """(why they cannot be one incident, None) or (None, their score): gates, then components."""
    if a.doc_id == b.doc_id:
        return "same article", None
    date, why = date_score(a, b)
    if why:
        return why, None
    kind = type_score(a, b)
    if kind is None:
        return f"sub-types {a.sub_event_type!r} and {b.sub_event_type!r}", None
    if a.modality != b.modality and "hypothetical" in (a.modality, b.modality):
        return "a forecast and a report", None
    place, why = place_score(a, b)
    if why:
        return why, None
    return None, Score.of(kind, date, place, actor_score(a, b), text_score(a, b), figures_score(a, b))


def incompatible(a: Mention, b: Mention) -> str | None:
    """Why ``a`` and ``b`` cannot report one incident, or None when nothing forbids it."""
    return compare(a, b)[0]


@dataclass(frozen=True, slots=True)
class Score:
    type: float
    date: float
    place: float
    actors: float
    text: float
    figures: float
    total: float

    @classmethod
    def of(cls, kind: float, date: float, place: float, actors: float, text: float, figures: float) -> Score:
        w = WEIGHTS
        total = (w["type"] * kind + w["date"] * date + w["place"] * place + w["actors"] * actors
                 + w["text"] * text + w["figures"] * figures)
        return cls(kind, date, place, actors, text, figures, round(total, 4))

    @property
    def anchored(self) -> bool:
        """A specific agreement; the same named actor1 counts only where the reports have a
        place in common below the country (one may be vaguer: a town in a country-level report):
        where neither says where, or both say only the country (or different regions), one armed
        group's attacks of a day cannot be told apart."""
        if self.actors >= ANCHORS["actors"] and (self.place <= 0 or self.place == COUNTRY_PLACE):  # nowhere in common
            return any(getattr(self, k) >= v for k, v in ANCHORS.items() if k != "actors")
        return any(getattr(self, k) >= v for k, v in ANCHORS.items())

    @property
    def linked(self) -> bool:
        return self.total >= THRESHOLD and self.anchored

    def as_dict(self) -> dict:
        return {**{k: getattr(self, k) for k in WEIGHTS}, "total": self.total, "anchored": self.anchored}


def score(a: Mention, b: Mention) -> Score:
    """The components of a pair (see the module's docstring), whatever the gates say."""
    return Score.of(type_score(a, b) or 0.0, date_score(a, b)[0], place_score(a, b)[0], actor_score(a, b),
                    text_score(a, b), figures_score(a, b))


def link(a: Mention, b: Mention) -> Score | None:
    """The pair's score when it is compatible and linked (threshold and anchor), else None."""
    _why, s = compare(a, b)
    return s if s is not None and s.linked else None


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


# ---------------------------------------------------------------- blocking


def reach(m: Mention) -> tuple[int, int]:
    """The days (as ordinals) a compatible mention's own days must meet: its interval; for an
    undated mention the month either side of its article's date; all undated-article
    mentions share day 0 (they only meet each other)."""
    if m.days is not None:
        return m.days
    if m.published is not None:
        return (m.published - WINDOW).toordinal(), (m.published + WINDOW).toordinal()
    return 0, 0


def candidate_pairs(mentions: list[Mention]) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) whose days meet, whose sub-types are compatible and whose countries
    do not differ, each once: a sweep over the days, so the work grows with the mentions
    times the mentions active on the same days, never with their square."""
    order = sorted(range(len(mentions)), key=lambda i: reach(mentions[i]))
    active: dict[str, dict[str | None, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for i in order:
        m = mentions[i]
        lo, hi = reach(m)
        for sub in compatible_subs(m.sub_event_type):
            by_iso = active.get(sub)
            if not by_iso:
                continue
            for iso in ((m.iso, None) if m.iso else list(by_iso)):
                bucket = by_iso.get(iso)
                if not bucket:
                    continue
                bucket[:] = [(end, j) for end, j in bucket if end >= lo]  # drop the ones that ended
                for _end, j in bucket:
                    yield (i, j) if i < j else (j, i)
        active[m.sub_event_type][m.iso].append((hi, i))


# ---------------------------------------------------------------- clustering


def cluster(mentions: Iterable[Mention], links: Mapping[tuple[str, str], Score]) -> list[list[Mention]]:
    """Group mentions along their links, strongest first, never putting two mentions of one
    article, or an incompatible pair, in one group. Groups in report order of their anchors."""
    by_id = {m.mention_id: m for m in mentions}
    root = {k: k for k in by_id}
    members = {k: [m] for k, m in by_id.items()}

    def find(k: str) -> str:
        while root[k] != k:
            root[k] = root[root[k]]
            k = root[k]
        return k

    for (a, b), _s in sorted(links.items(), key=lambda kv: (-kv[1].total, kv[0])):
        if a not in by_id or b not in by_id:
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if any(incompatible(x, y) for x in members[ra] for y in members[rb]):
            continue
        root[rb] = ra
        members[ra] += members.pop(rb)
    groups = [sorted(ms, key=lambda m: m.order) for ms in members.values()]
    return sorted(groups, key=lambda g: g[0].order)


def resolve(mentions: Iterable[Mention]) -> list[list[Mention]]:
    """Every mention into its event, from scratch (the store does the same incrementally)."""
    ms = sorted(mentions, key=lambda m: m.mention_id)
    links: dict[tuple[str, str], Score] = {}
    for i, j in candidate_pairs(ms):
        s = link(ms[i], ms[j])
        if s is not None:
            links[pair(ms[i].mention_id, ms[j].mention_id)] = s
    return cluster(ms, links)


def spanning_links(group: list[Mention]) -> list[tuple[Mention, Mention, Score]]:
    """The links that joined a group (its maximum spanning tree over linked pairs, which is
    what ``cluster`` took), strongest first."""
    scored = []
    for i, a in enumerate(group):
        for b in group[i + 1:]:
            s = link(a, b)
            if s is not None:
                scored.append((a, b, s))
    scored.sort(key=lambda t: (-t[2].total, pair(t[0].mention_id, t[1].mention_id)))
    root = {m.mention_id: m.mention_id for m in group}

    def find(k: str) -> str:
        while root[k] != k:
            k = root[k]
        return k

    tree = []
    for a, b, s in scored:
        ra, rb = find(a.mention_id), find(b.mention_id)
        if ra != rb:
            root[rb] = ra
            tree.append((a, b, s))
    return tree


# ---------------------------------------------------------------- the merged record


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _sub_type(group: list[Mention]) -> str:
    subs = [m.sub_event_type for m in group]
    distinct = list(dict.fromkeys(subs))
    absorbing = [s for s in distinct if all(o == s or _folds(o, s) for o in distinct)]
    if len(absorbing) == 1:
        return absorbing[0]
    counts = Counter(subs)
    top = max(counts.values())
    return next(s for s in subs if counts[s] == top)  # most reported, ties to report order


def _dates(group: list[Mention]) -> tuple[dt.date | None, dt.date | None, int | None]:
    dated = [m for m in group if m.dated] or [m for m in group if m.start and m.end]  # text dates first
    if not dated:
        return None, None, None
    lo = max(m.start for m in dated)  # type: ignore[type-var]
    hi = min(m.end for m in dated)  # type: ignore[type-var]
    if lo > hi:  # cannot happen through cluster(); keep the anchor's own interval then
        lo, hi = dated[0].start, dated[0].end
    if lo == hi:
        return lo, hi, 1
    same = [m.precision for m in dated if m.start == lo and m.end == hi and m.precision]
    if same:
        return lo, hi, min(same)
    return lo, hi, 2 if (hi - lo).days < 14 else 3  # type: ignore[operator]


PLACE_FIELDS = ("country", "iso", "admin1", "location", "latitude", "longitude", "geo_precision")


def _place(group: list[Mention]) -> dict:
    def rank(m: Mention) -> tuple:
        has_coords = m.latitude is not None
        named = sum(1 for o in group if _same_name(o.location, m.location))
        return (not has_coords, m.geo_precision or 9, m.location is None, -named)

    candidates = [m for m in group if m.location or m.latitude is not None or m.iso]
    if not candidates:
        return {f: None for f in PLACE_FIELDS}
    best = min(candidates, key=rank)  # min() keeps the first in report order among equals
    place = {f: best.record.get(f) for f in PLACE_FIELDS}
    if place["iso"] is None:
        other = next((m for m in group if m.iso), None)
        if other is not None:
            place["iso"], place["country"] = other.iso, other.country
    return place


def _vote(group: list[Mention], attr: str, exclude: set[str], crowd: bool) -> str | None:
    """The side most reports give (asserted ones weigh 1, others 0.5); a named side before a
    generic one ("gunmen" vs the group an outlet names), except for a crowd, which ACLED puts
    first by name ("Protesters (Kenya)"); then report order."""
    weights: dict[str, float] = {}
    first: dict[str, int] = {}
    for k, m in enumerate(group):
        name = getattr(m, attr)
        if not name or name in exclude:
            continue
        weights[name] = weights.get(name, 0.0) + (1.0 if m.modality == "asserted" else 0.5)
        first.setdefault(name, k)
    if not weights:
        return None
    return min(weights, key=lambda n: (_generic(n) and not crowd, -weights[n], first[n]))


def _actors(group: list[Mention], event_type: str) -> tuple[str | None, str | None]:
    crowd = event_type in ("Protests", "Riots")
    actor1 = _vote(group, "actor1", set(), crowd)
    actor2 = _vote(group, "actor2", {actor1} if actor1 else set(), crowd)
    return actor1, actor2


def _lo(m: Mention) -> int | None:
    return m.fatalities_min if m.fatalities_min is not None else m.fatalities


def _hi(m: Mention) -> int | None:
    """The report's upper bound: None for "at least N" (open) or no figure."""
    if m.fatalities_max is not None:
        return m.fatalities_max
    if m.fatalities is not None and m.fatalities_min is None:
        return m.fatalities
    return None


def fatalities(group: list[Mention]) -> tuple[int | None, int | None, int | None]:
    """(best, min, max) across the reports; see the module's docstring for the rule."""
    figured = [m for m in group if m.fatalities is not None or m.fatalities_min is not None]
    if not figured:
        return None, None, None
    lows = [x for m in figured if (x := _lo(m)) is not None]
    highs = [x for m in figured if (x := _hi(m)) is not None]
    open_lows = [_lo(m) for m in figured if _hi(m) is None and _lo(m) is not None]
    top = max(highs) if highs else None
    if top is not None and any(x > top for x in open_lows):  # type: ignore[operator]
        top = None
    low = min(lows) if lows else None

    def credibility(m: Mention) -> tuple:
        exact = _hi(m) is not None and _hi(m) == _lo(m)
        return (m.modality == "asserted", m.published or dt.date.min, exact,
                m.fatalities if m.fatalities is not None else -1)

    pointed = [m for m in figured if m.fatalities is not None]
    best = max(pointed, key=credibility).fatalities if pointed else None
    if best is not None:
        low = min(low, best) if low is not None else best
        if top is not None and best > top:
            top = None
    return best, low, top


def _modality(group: list[Mention]) -> tuple[str, str | None]:
    modality = min((m.modality for m in group), key=MODALITY_ORDER.index)
    claimed_by = None
    if modality == "claimed":
        claimed_by = next((m.record.get("claimed_by") for m in group
                           if m.modality == "claimed" and m.record.get("claimed_by")), None)
    return modality, claimed_by


def _report(m: Mention) -> dict:
    r = m.record
    ev = (r.get("evidence") or [{}])[0]
    return {
        "mention_id": m.mention_id, "doc_id": m.doc_id, "source": ev.get("source"),
        "published": _iso(m.published), "sub_event_type": m.sub_event_type,
        "date_start": r.get("date_start"), "date_end": r.get("date_end"), "location": m.location,
        "actor1": m.actor1, "actor2": m.actor2, "fatalities": m.fatalities,
        "fatalities_min": m.fatalities_min, "fatalities_max": m.fatalities_max,
        "modality": m.modality, "claimed_by": r.get("claimed_by"),
    }


def combine(group: list[Mention]) -> dict:
    """The contract record of one event from its mentions (any order)."""
    group = sorted(group, key=lambda m: m.order)
    anchor = group[0]
    sub = _sub_type(group)
    start, end, precision = _dates(group)
    if start is not None and start == end:
        event_date = start
    else:
        event_date = end if precision == 1 else None
    actor1, actor2 = _actors(group, SUB_TO_TYPE[sub])
    best, low, top = fatalities(group)
    modality, claimed_by = _modality(group)
    assoc1 = sorted({a for m in group for a in m.record.get("assoc_actor_1") or [] if a not in (actor1, actor2)})
    assoc2 = sorted({a for m in group for a in m.record.get("assoc_actor_2") or [] if a not in (actor1, actor2)})
    sources: list[str] = []
    for m in group:
        for s in m.record.get("sources") or []:
            if s not in sources:
                sources.append(s)
    return {
        "schema_version": SCHEMA_VERSION,
        "event_id": anchor.mention_id,
        "event_type": SUB_TO_TYPE[sub],
        "sub_event_type": sub,
        "event_date": _iso(event_date),
        "date_start": _iso(start),
        "date_end": _iso(end),
        "time_precision": precision,
        "date_from": None if start is None else "text" if any(m.dated for m in group) else "publication",
        "actor1": actor1,
        "assoc_actor_1": assoc1,
        "actor2": actor2,
        "assoc_actor_2": assoc2,
        **_place(group),
        "fatalities": best,
        "fatalities_min": low,
        "fatalities_max": top,
        "modality": modality,
        "claimed_by": claimed_by,
        "notes": anchor.record.get("notes") or "",
        "sources": sources,
        "evidence": [e for m in group for e in m.record.get("evidence") or []],
        "reports": [_report(m) for m in group],
    }


def explain(group: list[Mention]) -> dict:
    """Why these mentions are one event: the reports and the links that joined them."""
    group = sorted(group, key=lambda m: m.order)
    return {
        "threshold": THRESHOLD,
        "weights": dict(WEIGHTS),
        "reports": [_report(m) for m in group],
        "links": [{"a": a.mention_id, "b": b.mention_id, **s.as_dict()} for a, b, s in spanning_links(group)],
    }
