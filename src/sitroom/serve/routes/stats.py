"""/stats: counts of the filtered view, events per day by type, and values to filter by."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request

from sitroom.model import EVENT_TYPES
from sitroom.serve import schemas
from sitroom.serve.deps import Conn
from sitroom.serve.params import EventFilterDep
from sitroom.store import queries as Q

router = APIRouter(tags=["stats"], responses=schemas.INVALID)


# facets (distinct values over the whole store) change only when rows are added: kept per
# store and row counts
_facets: dict[tuple, dict] = {}


@router.get("/stats", response_model=schemas.Stats, summary="Counts, the timeline and facets of the filtered events")
def get_stats(f: EventFilterDep, conn: Conn, request: Request):
    out = asdict(Q.stats(conn, f, with_facets=False))
    key = (id(request.app.state.store), tuple(sorted(out["totals"].items())))
    if key not in _facets:
        _facets.clear()
        _facets[key] = Q.facets(conn)
    out["facets"] = _facets[key]
    out["event_types"] = {t: list(s) for t, s in EVENT_TYPES.items()}
    return out
