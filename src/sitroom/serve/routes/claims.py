"""/claims: who asserts what, filtered and paginated; CSV download."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from sitroom.serve import schemas
from sitroom.serve.deps import Conn
from sitroom.serve.downloads import download, page_response
from sitroom.serve.params import ClaimFilterDep, ClaimPagingDep
from sitroom.store import queries as Q

router = APIRouter(tags=["claims"], responses=schemas.INVALID)


@router.get("/claims", response_model=schemas.ClaimPage, summary="Claims matching the filters, a page at a time")
def list_claims(f: ClaimFilterDep, paging: ClaimPagingDep, conn: Conn):
    page = Q.claim_page(conn, f, page=paging.page, per_page=paging.per_page, sort=paging.sort, raw=True)
    return page_response(page)


@router.get("/claims.csv", response_class=StreamingResponse, summary="Download the filtered claims as CSV")
def claims_csv(f: ClaimFilterDep, request: Request):
    return download(request.app.state.store.engine, "csv", "claims", "sitroom-claims.csv",
                    lambda conn: Q.iter_claims(conn, f))
