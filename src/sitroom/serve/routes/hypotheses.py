"""/hypotheses: competing answers to a question, each with its claims for and against by
source (the matrix the dashboard draws); CSV download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from sitroom.serve import schemas
from sitroom.serve.deps import Conn
from sitroom.serve.downloads import download
from sitroom.serve.params import PlainPagingDep, _text
from sitroom.store import queries as Q

router = APIRouter(tags=["hypotheses"], responses=schemas.INVALID)

QText = Annotated[str | None, Query(description="text in the question or the statement")]


def _matrix(conn, records: list[dict]) -> list[dict]:
    ids = [c for r in records for c in (*r.get("claims_for", []), *r.get("claims_against", []))]
    claims = Q.claims_by_id(conn, ids)
    docs = Q.documents_meta(conn, [c["doc_id"] for c in claims.values()])

    def source_of(c: dict | None) -> str:
        """The outlet; for an article without one, the article itself (its title or id)."""
        if c is None:
            return "(claim not stored)"
        if c["evidence"].get("source"):
            return c["evidence"]["source"]
        doc = docs.get(c["doc_id"], {})
        return f"article: {doc.get('title') or c['doc_id']}"

    out = []
    for r in records:
        matrix: dict[str, dict[str, list[str]]] = {}
        for side, key in (("for", "claims_for"), ("against", "claims_against")):
            for cid in r.get(key, []):
                matrix.setdefault(source_of(claims.get(cid)), {"for": [], "against": []})[side].append(cid)
        out.append({**r, "matrix": matrix})
    return out


@router.get("/hypotheses", response_model=schemas.HypothesisPage, response_model_by_alias=True,
            summary="Hypotheses with the claims for and against each, by source")
def list_hypotheses(paging: PlainPagingDep, conn: Conn, q: QText = None):
    page = Q.hypothesis_page(conn, _text("q", q), page=paging.page, per_page=paging.per_page)
    return {"items": _matrix(conn, page.items), "total": page.total, "page": page.page,
            "per_page": page.per_page, "pages": page.pages}


@router.get("/hypotheses.csv", response_class=StreamingResponse, summary="Download the hypotheses as CSV")
def hypotheses_csv(request: Request, q: QText = None):
    text = _text("q", q)
    return download(request.app.state.store.engine, "csv", "hypotheses", "sitroom-hypotheses.csv",
                    lambda conn: Q.iter_hypotheses(conn, text))
