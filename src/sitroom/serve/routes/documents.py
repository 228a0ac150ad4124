"""/documents/{id}: an article's text with every extracted span that points into it."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from sitroom.serve import schemas
from sitroom.serve.deps import Conn
from sitroom.store import queries as Q

router = APIRouter(tags=["documents"])


def spans_of(doc_id: str, text: str, events: list[dict], claims: list[dict]) -> list[dict]:
    """Evidence spans of these records in this article, checked against its text, in order."""
    spans = []
    for ev in events:
        label = f"{ev['event_type']} / {ev['sub_event_type']}"
        for e in ev.get("evidence", []):
            if e.get("doc_id") == doc_id:
                spans.append({"start": e["start"], "end": e["end"], "kind": "event",
                              "record_id": ev["event_id"], "label": label})
    for cl in claims:
        e = cl.get("evidence") or {}
        if e.get("doc_id") == doc_id:
            spans.append({"start": e["start"], "end": e["end"], "kind": "claim", "record_id": cl["claim_id"],
                          "label": f"{cl['claimant']} ({cl['certainty']}, {cl['author_stance']})"})
    good = [s for s in spans if isinstance(s["start"], int) and isinstance(s["end"], int)
            and 0 <= s["start"] < s["end"] <= len(text)]
    unique = {(s["start"], s["end"], s["kind"], s["record_id"]): s for s in good}
    return sorted(unique.values(), key=lambda s: (s["start"], -s["end"], s["kind"], s["record_id"]))


@router.get("/documents/{doc_id}", response_model=schemas.Document, responses={404: {"model": schemas.Problem}},
            summary="An article, its extracted events and claims, and the spans they cite")
def get_document(doc_id: str, conn: Conn):
    doc = Q.document(conn, doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    events, claims = Q.document_records(conn, doc_id)
    return {
        "doc_id": doc["id"], "title": doc["title"], "source": doc["source"], "url": doc["url"],
        "author": doc["author"], "published": doc["published"], "origin": doc["origin"],
        "ingested_at": doc["ingested_at"], "text": doc["text"],
        "spans": spans_of(doc_id, doc["text"], events, claims), "events": events, "claims": claims,
    }
