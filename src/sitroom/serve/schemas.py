"""Response schemas: the contract records (``../shared/spec/contract.md``) and the API's
envelopes around them. Records allow extra fields, as the contract does."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Evidence(BaseModel):
    model_config = ConfigDict(extra="allow")

    doc_id: str
    url: str | None = None
    source: str | None = None
    published: str | None = None
    text: str
    start: int
    end: int


class Event(BaseModel):
    """An event record, coded the ACLED way."""

    model_config = ConfigDict(extra="allow")

    schema_version: str
    event_id: str
    event_type: str
    sub_event_type: str
    event_date: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    time_precision: int | None = None
    actor1: str | None = None
    assoc_actor_1: list[str] = []
    actor2: str | None = None
    assoc_actor_2: list[str] = []
    country: str | None = None
    iso: str | None = None
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_min: int | None = None
    fatalities_max: int | None = None
    modality: str
    claimed_by: str | None = None
    notes: str = ""
    sources: list[str] = []
    evidence: list[Evidence] = []


class Claim(BaseModel):
    """Who asserts what, how sure they are, and where the writer stands."""

    model_config = ConfigDict(extra="allow")

    schema_version: str
    claim_id: str
    doc_id: str
    claimant: str
    claimant_type: str
    cue: str | None = None
    text: str
    certainty: str
    polarity: str
    author_stance: str
    event_id: str | None = None
    hypothesis_id: str | None = None
    evidence: Evidence


class MatrixCell(BaseModel):
    supports: list[str] = Field(default_factory=list, alias="for", description="claim ids for the statement")
    against: list[str] = Field(default_factory=list, description="claim ids against the statement")

    model_config = ConfigDict(populate_by_name=True)


class Hypothesis(BaseModel):
    """One competing answer to a question, with the claims on each side."""

    model_config = ConfigDict(extra="allow")

    schema_version: str
    hypothesis_id: str
    question: str
    statement: str
    claims_for: list[str] = []
    claims_against: list[str] = []
    sources_for: list[str] = []
    sources_against: list[str] = []
    first_seen: str | None = None
    last_seen: str | None = None
    matrix: dict[str, MatrixCell] = Field(
        default_factory=dict, description="by source: the claims for and against this statement")


class PageInfo(BaseModel):
    total: int = Field(description="records matching the filters")
    page: int
    per_page: int
    pages: int


class EventPage(PageInfo):
    items: list[Event]


class ClaimPage(PageInfo):
    items: list[Claim]


class HypothesisPage(PageInfo):
    items: list[Hypothesis]


class DocumentMeta(BaseModel):
    doc_id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None


class EventDetail(Event):
    """An event with the claims about it, the articles it cites, and how it was merged."""

    claims: list[Claim] = []
    documents: dict[str, DocumentMeta] = {}
    merge: dict | None = Field(
        default=None,
        description="how this event was merged from per-article mentions, where the store keeps that: "
                    "the explanation the merge step recorded and the mentions it merged; null otherwise")


class Point(BaseModel):
    event_id: str
    latitude: float
    longitude: float
    event_type: str
    sub_event_type: str
    event_date: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    location: str | None = None
    country: str | None = None
    fatalities: int | None = None
    modality: str


class Points(BaseModel):
    total: int = Field(description="events with coordinates matching the filters")
    truncated: bool
    points: list[Point]


class Span(BaseModel):
    start: int
    end: int
    kind: Literal["event", "claim"]
    record_id: str
    label: str


class Document(BaseModel):
    """An article with every extracted span that points into it."""

    doc_id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None
    origin: str | None = None
    ingested_at: str | None = None
    text: str
    spans: list[Span]
    events: list[Event]
    claims: list[Claim]


class DayCount(BaseModel):
    date: str
    event_type: str
    count: int


class Stats(BaseModel):
    totals: dict[str, int] = Field(description="rows stored: documents, events, claims, hypotheses")
    events: int = Field(description="events matching the filters")
    by_type: dict[str, int]
    by_modality: dict[str, int]
    by_country: dict[str, int] = Field(description="the 50 countries with most matching events")
    per_day: list[DayCount] = Field(description="matching events per start day and type, date filter ignored")
    date_min: str | None = None
    date_max: str | None = None
    facets: dict[str, list[str]] = Field(description="values to pick from: countries, admin1, actors, sources")
    event_types: dict[str, list[str]] = Field(description="ACLED event types and their sub-event types")


class Problem(BaseModel):
    message: str = Field(description="one line saying what was wrong with the request")
    detail: list[dict] | str



INVALID = {422: {"model": Problem, "description": "a parameter is invalid: `message` says which and why"}}
