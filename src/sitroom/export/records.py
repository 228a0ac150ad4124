"""Mentions → contract records (``../shared/spec/contract.md``), the public shape of the data."""

from __future__ import annotations

import hashlib

from sitroom.model import SCHEMA_VERSION, Analysis, ClaimMention, Document, EventMention, Span

EVENT_COLUMNS = [
    "schema_version", "event_id", "event_type", "sub_event_type", "event_date", "date_start", "date_end",
    "time_precision", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "iso", "admin1",
    "location", "latitude", "longitude", "geo_precision", "fatalities", "fatalities_min", "fatalities_max",
    "modality", "claimed_by", "notes", "sources", "evidence",
]
CLAIM_COLUMNS = [
    "schema_version", "claim_id", "doc_id", "claimant", "claimant_type", "cue", "text", "certainty",
    "polarity", "author_stance", "event_id", "hypothesis_id", "evidence",
]
HYPOTHESIS_COLUMNS = [
    "schema_version", "hypothesis_id", "question", "statement", "claims_for", "claims_against",
    "sources_for", "sources_against", "first_seen", "last_seen",
]


def stable_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:12]}"


def evidence(document: Document, span: Span) -> dict:
    return {
        "doc_id": document.id,
        "url": document.url,
        "source": document.source,
        "published": document.published.isoformat() if document.published else None,
        "text": span.of(document.text),
        "start": span.start,
        "end": span.end,
    }


def _iso(d):
    return d.isoformat() if d else None


def event_record(document: Document, m: EventMention) -> dict:
    t = m.time
    start = t.start if t else None
    end = t.end if t else None
    p = m.place
    return {
        "schema_version": SCHEMA_VERSION,
        "event_id": stable_id("ev", document.content_hash, m.trigger.start, m.sub_event_type),
        "event_type": m.event_type,
        "sub_event_type": m.sub_event_type,
        "event_date": _iso(start) if start and start == end else _iso(end) if t and t.precision == 1 else None,
        "date_start": _iso(start),
        "date_end": _iso(end),
        "time_precision": t.precision if t and start else None,
        # extra field: "publication" when the article gave no date and the publication day stands in
        "date_from": None if start is None else "publication" if t.span is None else "text",
        "actor1": m.actor1,
        "assoc_actor_1": list(m.assoc_actor_1),
        "actor2": m.actor2,
        "assoc_actor_2": list(m.assoc_actor_2),
        "country": p.country if p else None,
        "iso": p.iso if p else None,
        "admin1": p.admin1 if p else None,
        "location": (p.name or p.surface) if p else None,
        "latitude": p.latitude if p else None,
        "longitude": p.longitude if p else None,
        "geo_precision": p.geo_precision if p and p.latitude is not None else None,
        "fatalities": m.fatalities,
        "fatalities_min": m.fatalities_min,
        "fatalities_max": m.fatalities_max,
        "modality": m.modality,
        "claimed_by": m.claimed_by,
        "notes": m.notes,
        "sources": [document.source] if document.source else [],
        "evidence": [evidence(document, s) for s in [m.sentence, *m.extra_evidence]],
    }


def claim_record(document: Document, c: ClaimMention, event_id: str | None = None) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "claim_id": stable_id("cl", document.content_hash, c.span.start, c.span.end),
        "doc_id": document.id,
        "claimant": c.claimant,
        "claimant_type": c.claimant_type,
        "cue": c.cue,
        "text": c.text,
        "certainty": c.certainty,
        "polarity": c.polarity,
        "author_stance": c.author_stance,
        "event_id": event_id,
        "hypothesis_id": None,
        "evidence": evidence(document, c.sentence),
    }


def records(analysis: Analysis) -> tuple[list[dict], list[dict]]:
    """Event and claim records of one analysed article. A claim whose proposition lies in the
    sentence of an event is linked to that event."""
    doc = analysis.document
    events = [event_record(doc, m) for m in analysis.events]
    claims = []
    for c in analysis.claims:
        linked = None
        for m, rec in zip(analysis.events, events):
            spans = [m.sentence, *m.extra_evidence]
            if any(s.start <= c.span.start < s.end for s in spans):
                linked = rec["event_id"]
                break
        claims.append(claim_record(doc, c, linked))
    return events, claims
