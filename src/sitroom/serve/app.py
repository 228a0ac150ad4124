"""``create_app(store)``: the API routes, the dashboard and its vendored assets, offline docs.

Nothing is fetched from the network: Leaflet and Leaflet.markercluster come from the
``xstatic-leaflet*`` packages, Swagger UI (/docs) from ``swagger-ui-bundle-v2``, country
outlines from the ``world-atlas`` TopoJSON that ``make install`` fetches into ``static/vendor/``
(``tools/fetch_world_atlas.py``).
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import event as sa_event
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitroom import __version__
from sitroom.errors import SitroomError, StoreError
from sitroom.serve.params import BadQuery
from sitroom.serve.routes import claims, documents, events, hypotheses, stats
from sitroom.store import queries
from sitroom.store.repository import Store

log = logging.getLogger("sitroom.serve")

STATIC = Path(str(resources.files("sitroom.serve").joinpath("static")))

# The dashboard runs only its own scripts: no inline script, nothing from another origin.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

DESCRIPTION = """ACLED-coded events, attributed claims and competing hypotheses extracted by sitroom,
with the article spans that support them. Every list takes the same filters as the dashboard's
address bar; `.csv` and `.geojson` variants download the whole filtered view. A bad parameter
gets a 422 whose `message` says which and why. The dashboard is at [/](/)."""


def _problem(status: int, message: str, detail) -> JSONResponse:
    return JSONResponse({"message": message, "detail": jsonable_encoder(detail)}, status_code=status)


def _validation_message(errors: list[dict]) -> str:
    parts = []
    for err in errors:
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        where = ".".join(loc) or "request"
        value = err.get("input")
        shown = f" (got {str(value)[:40]!r})" if isinstance(value, (str, int, float)) else ""
        parts.append(f"{where}: {err.get('msg', 'invalid')}{shown}")
    return "; ".join(parts) or "invalid request"


def _read_pragmas(dbapi_conn, _record) -> None:
    """A reader's cache: the filter indexes of a large store stay in memory between requests."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB
    cur.execute("PRAGMA mmap_size=268435456")  # 256 MiB
    cur.close()


def _vendor_dir(module: str) -> Path:
    import importlib

    return Path(importlib.import_module(module).BASE_DIR)


def create_app(store: Store) -> FastAPI:
    """The API and the dashboard over ``store`` (which stays open for the app's life)."""
    app = FastAPI(
        title="sitroom", version=__version__, description=DESCRIPTION,
        docs_url=None, redoc_url=None,  # /docs is served below from packaged Swagger UI assets
    )
    app.state.store = store
    if store.engine.dialect.name == "sqlite":
        sa_event.listen(store.engine, "connect", _read_pragmas)
        store.engine.dispose()  # connections opened before this get the pragmas when reopened
    try:
        with store.engine.begin() as conn:  # a store copied or rebuilt by hand: re-index before serving
            if not queries.event_search_in_step(conn):
                log.warning("rebuilding the full-text index of events")
                queries.install_event_search(conn)
            queries.ensure_planner_stats(conn)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot prepare {store.display_url} for serving: {exc}") from exc

    @app.exception_handler(BadQuery)
    async def bad_query(_request: Request, exc: BadQuery):
        detail = [{"loc": ["query", exc.param], "msg": exc.message, "type": "value_error"}]
        return _problem(422, f"{exc.param}: {exc.message}", detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type", "input")} for e in exc.errors()]
        return _problem(422, _validation_message(errors), errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "error"
        return _problem(exc.status_code, message, exc.detail)

    @app.exception_handler(SitroomError)
    async def store_error(_request: Request, exc: SitroomError):
        return _problem(503, str(exc), str(exc))

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if not request.url.path.startswith("/docs"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    for module in (events, claims, hypotheses, documents, stats):
        app.include_router(module.router)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/vendor/leaflet", StaticFiles(directory=_vendor_dir("xstatic.pkg.leaflet")), name="leaflet")
    app.mount("/vendor/markercluster", StaticFiles(directory=_vendor_dir("xstatic.pkg.leaflet_markercluster")),
              name="markercluster")

    import swagger_ui_bundle

    app.mount("/vendor/swagger-ui", StaticFiles(directory=Path(str(swagger_ui_bundle.swagger_ui_path))),
              name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url, title="sitroom API",
            swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/vendor/swagger-ui/favicon-32x32.png",
        )

    @app.get("/", include_in_schema=False)
    def dashboard():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    return app
