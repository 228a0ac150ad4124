"""The shared vocabulary: plain typed records every stage takes and returns.

Nobody passes dicts between stages. Each record that comes from text keeps the
character offsets (``start``/``end``) into ``Document.text`` that support it.

Flow: ingest yields :class:`Document`; analyze turns one Document into an
:class:`Analysis` (event and claim mentions, places, times, quantities); the store
keeps them; export turns stored rows into contract records (see
``../shared/spec/contract.md``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SCHEMA_VERSION = "1"
# entries kept by each memo of a pure function of names and phrases: enough for the names a desk
# meets again and again, and bounded, so that memory stays flat over a run of any length
CACHE_SIZE = 8192

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
SUB_TO_TYPE: dict[str, str] = {sub: t for t, subs in EVENT_TYPES.items() for sub in subs}

MODALITIES = ("asserted", "claimed", "hypothetical", "negated")
CERTAINTIES = ("certain", "probable", "possible", "unknown")
POLARITIES = ("positive", "negative")
STANCES = ("endorses", "neutral", "disputes")
CLAIMANT_TYPES = ("author", "person", "government", "military", "armed_group", "media", "organization", "unnamed")


@dataclass(frozen=True, slots=True)
class Document:
    """One article. ``id`` is the caller's id when the input carries one (JSONL ``id``),
    otherwise the content hash; ``content_hash`` always identifies the text."""

    id: str
    text: str
    content_hash: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    published: dt.date | None = None
    origin: str = ""  # the path or URL (and item) it was read from, for messages


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input item that could not become a Document, and why (one line)."""

    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets into ``Document.text`` (end exclusive)."""

    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor from the dictionary (``lexicons/actors.tsv``)."""

    name: str
    kind: str  # state, rebel, militia, identity_militia, rioters, protesters, civilians, external, media, organization, person
    country: str | None = None  # ISO 3166-1 alpha-2


@dataclass(frozen=True, slots=True)
class ActorMention:
    surface: str
    span: Span
    actor: Actor | None  # None when the dictionary does not know the name


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A toponym in the text. Coordinates come from resolve/ (gazetteer), not from here."""

    surface: str
    span: Span
    label: str  # spaCy entity label: GPE, LOC, FAC
    name: str | None = None
    country: str | None = None
    iso: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """A date interval (inclusive) and its ACLED precision, with the text it came from.

    ``start``/``end`` are None when the expression cannot be anchored (a relative
    date in an article without a publication date): never invented."""

    surface: str
    span: Span | None
    start: dt.date | None
    end: dt.date | None
    precision: int | None  # 1 day, 2 range of days/week, 3 month


@dataclass(frozen=True, slots=True)
class Quantity:
    """A casualty figure: ``kind`` is 'killed' or 'wounded'."""

    kind: str
    value: int | None
    low: int | None
    high: int | None
    span: Span
    head: int  # token index of the word the figure is attached to (dead, killed, people...)


@dataclass(slots=True)
class EventMention:
    """One incident as one article reports it."""

    event_type: str
    sub_event_type: str
    trigger: Span
    sentence: Span  # the evidence: the sentence(s) that report it
    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: list[str] = field(default_factory=list)
    assoc_actor_2: list[str] = field(default_factory=list)
    place: PlaceMention | None = None
    time: TimeSpan | None = None
    fatalities: int | None = None
    fatalities_min: int | None = None
    fatalities_max: int | None = None
    modality: str = "asserted"
    claimed_by: str | None = None
    notes: str = ""
    extra_evidence: list[Span] = field(default_factory=list)  # restatements in the same article


@dataclass(slots=True)
class ClaimMention:
    """A proposition someone asserts, reports, denies or speculates about."""

    claimant: str
    claimant_type: str
    cue: str | None
    text: str
    span: Span  # the proposition
    sentence: Span  # evidence: the sentence it is in
    certainty: str = "unknown"
    polarity: str = "positive"
    author_stance: str = "neutral"


@dataclass(slots=True)
class Analysis:
    """Everything extracted from one Document, before storage."""

    document: Document
    events: list[EventMention] = field(default_factory=list)
    claims: list[ClaimMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    times: list[TimeSpan] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    # what each claim asserts, read in this article's parse (claim_id → reading, JSON-ready;
    # resolve.hypotheses.read_claims), so that regrouping claims never parses the article again
    readings: dict[str, dict] = field(default_factory=dict)
