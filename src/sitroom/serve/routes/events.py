"""/events: the filtered, sorted, paginated list; /events/points for the map; /events/{id}
with its evidence, claims and merge explanation; CSV and GeoJSON downloads of any view."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from sitroom.errors import SitroomError
from sitroom.serve import schemas
from sitroom.serve.deps import Conn
from sitroom.serve.downloads import download, page_response
from sitroom.serve.params import EventFilterDep, EventPagingDep
from sitroom.store import queries as Q

router = APIRouter(tags=["events"], responses=schemas.INVALID)
log = logging.getLogger("sitroom.serve")


@router.get("/events", response_model=schemas.EventPage, summary="Events matching the filters, a page at a time")
def list_events(f: EventFilterDep, paging: EventPagingDep, conn: Conn):
    page = Q.event_page(conn, f, page=paging.page, per_page=paging.per_page, sort=paging.sort, raw=True)
    return page_response(page)


@router.get("/events.csv", summary="Download the filtered events as CSV (ACLED column order)",
            response_class=StreamingResponse)
def events_csv(f: EventFilterDep, request: Request):
    return download(request.app.state.store.engine, "csv", "events", "sitroom-events.csv",
                    lambda conn: Q.iter_events(conn, f))


@router.get("/events.geojson", summary="Download the filtered events with coordinates as GeoJSON",
            response_class=StreamingResponse)
def events_geojson(f: EventFilterDep, request: Request):
    return download(request.app.state.store.engine, "geojson", "events", "sitroom-events.geojson",
                    lambda conn: Q.iter_events(conn, f))


@router.get("/events/points", response_model=schemas.Points,
            summary="Light rows for the map: the filtered events that have coordinates")
def event_points(f: EventFilterDep, conn: Conn,
                 limit: Annotated[int, Query(ge=1, le=50_000, description="most points to return")] = 5000):
    points, total = Q.event_points(conn, f, limit)
    # plain rows from the store: sent as they are, without validating thousands of them
    return JSONResponse({"total": total, "truncated": total > len(points), "points": points})


@router.get("/events/{event_id}", response_model=schemas.EventDetail,
            responses={404: {"model": schemas.Problem}},
            summary="One event with its evidence, the claims about it, its articles and merge explanation")
def get_event(event_id: str, conn: Conn, request: Request):
    rec = Q.event_by_id(conn, event_id)
    if rec is None:
        raise HTTPException(404, f"no event {event_id!r}")
    docs = Q.documents_meta(conn, [e["doc_id"] for e in rec.get("evidence", [])])
    return {**rec, "claims": Q.claims_of_event(conn, rec["event_id"]), "documents": docs,
            "merge": _merge(request.app.state.store, conn, rec)}


def _merge(store, conn, rec: dict) -> dict | None:
    """How the event was merged from its articles' mentions, where the store keeps mentions:
    the mentions themselves and why they were joined (``Store.explain``: the reports, the
    links and their score components)."""
    mentions = Q.event_mentions(conn, rec["event_id"])
    if mentions is None:
        return None
    explanation = None
    explain = getattr(store, "explain", None)
    if explain is not None:
        try:
            explanation = explain(rec["event_id"])
        except (KeyError, TypeError, ValueError, SitroomError) as exc:
            log.info("no merge explanation for %s: %s", rec["event_id"], exc)
        if isinstance(explanation, dict):
            explanation = {k: v for k, v in explanation.items() if k != "event"}
    light = [{k: v for k, v in m.items() if k != "record"} for m in mentions]
    return {"explanation": explanation, "mentions": light}
