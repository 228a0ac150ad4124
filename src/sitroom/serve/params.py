"""Query parameters shared by the routes, parsed and checked here: a bad value becomes a
422 with one clear line (``BadQuery``), never a 500.

The same names are used in the dashboard's URL, so a view's filters are its address:
``from``, ``to``, ``type``, ``sub_type``, ``country``, ``admin1``, ``actor``, ``modality``,
``source``, ``bbox``, ``min_fatalities``, ``q``, ``page``, ``per_page``, ``sort``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated

from fastapi import Depends, Query

from sitroom.model import CERTAINTIES, EVENT_TYPES, MODALITIES, POLARITIES, STANCES, SUB_TO_TYPE
from sitroom.store.queries import CLAIM_SORTS, EVENT_SORTS, ClaimFilter, EventFilter

MAX_PER_PAGE = 500
MAX_TEXT = 300
MAX_VALUES = 50


class BadQuery(Exception):
    """A query parameter that cannot be used as given."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


def parse_date(param: str, value: str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadQuery(param, f"{value[:40]!r} is not a date; use YYYY-MM-DD") from None


def _date_range(date_from: str | None, date_to: str | None) -> tuple[dt.date | None, dt.date | None]:
    start, end = parse_date("from", date_from), parse_date("to", date_to)
    if start and end and start > end:
        raise BadQuery("to", f"{end} is before from={start}")
    return start, end


def _values(param: str, values: list[str] | None, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Repeated parameters (``?type=A&type=B``), blanks dropped; checked against ``allowed``."""
    out = []
    for v in values or []:
        v = v.strip()
        if not v:
            continue
        if len(v) > MAX_TEXT:
            raise BadQuery(param, f"value longer than {MAX_TEXT} characters")
        if "\x00" in v:  # (PostgreSQL cannot take it as a text parameter at all)
            raise BadQuery(param, "contains a NUL character")
        if allowed is not None and v not in allowed:
            raise BadQuery(param, f"{v[:60]!r} is not one of: " + ", ".join(allowed))
        out.append(v)
    if len(out) > MAX_VALUES:
        raise BadQuery(param, f"at most {MAX_VALUES} values")
    return tuple(dict.fromkeys(out))


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` in degrees; west > east is a box across the antimeridian."""
    if value is None or value.strip() == "":
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise BadQuery("bbox", "use four numbers: west,south,east,north (degrees)")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise BadQuery("bbox", f"{value[:80]!r} is not four numbers: west,south,east,north") from None
    if not all(math.isfinite(x) for x in (west, south, east, north)):
        raise BadQuery("bbox", "coordinates must be finite numbers")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BadQuery("bbox", "latitudes (south, north) must lie between -90 and 90")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise BadQuery("bbox", "longitudes (west, east) must lie between -180 and 180")
    if south > north:
        raise BadQuery("bbox", f"south ({south}) is north of north ({north})")
    return west, south, east, north


def _text(param: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise BadQuery(param, f"longer than {MAX_TEXT} characters")
    if "\x00" in value:
        raise BadQuery(param, "contains a NUL character")
    return value or None


def _sort(value: str, allowed: dict[str, str]) -> str:
    if value.lstrip("-") not in allowed:
        raise BadQuery("sort", f"{value[:40]!r} is not one of: " + ", ".join(allowed) + " (prefix - for descending)")
    return value


FROM = Query(alias="from", description="first day, YYYY-MM-DD (events whose interval reaches it)",
             json_schema_extra={"format": "date"})
TO = Query(alias="to", description="last day, YYYY-MM-DD", json_schema_extra={"format": "date"})


def event_filter(
    date_from: Annotated[str | None, FROM] = None,
    date_to: Annotated[str | None, TO] = None,
    event_type: Annotated[list[str] | None, Query(alias="type", description="ACLED event type; repeat for several")] = None,
    sub_type: Annotated[list[str] | None, Query(description="ACLED sub-event type; repeat for several")] = None,
    country: Annotated[list[str] | None, Query(description="country name or ISO 3166-1 alpha-2 code")] = None,
    admin1: Annotated[list[str] | None, Query(description="first-level administrative division")] = None,
    actor: Annotated[str | None, Query(description="part of the name of actor1 or actor2")] = None,
    modality: Annotated[list[str] | None, Query(description="asserted, claimed, hypothetical, negated")] = None,
    source: Annotated[list[str] | None, Query(description="outlet that reported it")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees")] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, le=10_000_000, description="at least this many deaths")] = None,
    q: Annotated[str | None, Query(description="full-text search: every word must appear")] = None,
    doc: Annotated[str | None, Query(description="only events cited from this article (document id)")] = None,
) -> EventFilter:
    start, end = _date_range(date_from, date_to)
    types = _values("type", event_type, tuple(EVENT_TYPES))
    subs = _values("sub_type", sub_type, tuple(SUB_TO_TYPE))
    if types and subs:
        stray = [s for s in subs if SUB_TO_TYPE[s] not in types]
        if stray:
            raise BadQuery("sub_type", f"{stray[0]!r} is a sub-type of {SUB_TO_TYPE[stray[0]]!r}, "
                                       f"not of the selected type(s)")
    return EventFilter(
        date_from=start, date_to=end, event_types=types, sub_event_types=subs,
        countries=_values("country", country), admin1=_values("admin1", admin1), actor=_text("actor", actor),
        modalities=_values("modality", modality, MODALITIES), sources=_values("source", source),
        bbox=parse_bbox(bbox), min_fatalities=min_fatalities, q=_text("q", q), doc_id=_text("doc", doc),
    )


def claim_filter(
    date_from: Annotated[str | None, Query(alias="from", description="article published on or after, YYYY-MM-DD",
                                           json_schema_extra={"format": "date"})] = None,
    date_to: Annotated[str | None, Query(alias="to", description="article published on or before, YYYY-MM-DD",
                                         json_schema_extra={"format": "date"})] = None,
    claimant: Annotated[str | None, Query(description="part of the claimant's name")] = None,
    certainty: Annotated[list[str] | None, Query(description="certain, probable, possible, unknown")] = None,
    stance: Annotated[list[str] | None, Query(description="the writer's stance: endorses, neutral, disputes")] = None,
    polarity: Annotated[list[str] | None, Query(description="positive, negative")] = None,
    source: Annotated[list[str] | None, Query(description="outlet of the article")] = None,
    event_id: Annotated[str | None, Query(description="claims about this event")] = None,
    doc: Annotated[str | None, Query(description="claims found in this article (document id)")] = None,
    q: Annotated[str | None, Query(description="text the claim contains")] = None,
) -> ClaimFilter:
    start, end = _date_range(date_from, date_to)
    return ClaimFilter(
        date_from=start, date_to=end, claimant=_text("claimant", claimant),
        certainties=_values("certainty", certainty, CERTAINTIES), stances=_values("stance", stance, STANCES),
        polarities=_values("polarity", polarity, POLARITIES), sources=_values("source", source),
        event_id=_text("event_id", event_id), doc_id=_text("doc", doc), q=_text("q", q),
    )


class Paging:
    def __init__(self, page: int, per_page: int, sort: str):
        self.page, self.per_page, self.sort = page, per_page, sort


PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="page number, from 1")]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description=f"records per page, 1..{MAX_PER_PAGE}")]


def event_paging(
    page: PageNumber = 1,
    per_page: PerPage = 50,
    sort: Annotated[str, Query(description="date, fatalities, type, sub_type, country, admin1, location, actor1, "
                                           "actor2, modality or id; prefix - for descending")] = "-date",
) -> Paging:
    return Paging(page, per_page, _sort(sort, EVENT_SORTS))


def claim_paging(
    page: PageNumber = 1,
    per_page: PerPage = 50,
    sort: Annotated[str, Query(description="claimant, certainty, stance, polarity, published or id; "
                                           "prefix - for descending")] = "claimant",
) -> Paging:
    return Paging(page, per_page, _sort(sort, CLAIM_SORTS))


def plain_paging(
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> Paging:
    return Paging(page, per_page, "")


EventFilterDep = Annotated[EventFilter, Depends(event_filter)]
ClaimFilterDep = Annotated[ClaimFilter, Depends(claim_filter)]
EventPagingDep = Annotated[Paging, Depends(event_paging)]
ClaimPagingDep = Annotated[Paging, Depends(claim_paging)]
PlainPagingDep = Annotated[Paging, Depends(plain_paging)]
