"""The analyst's desk: an HTTP API (FastAPI) and an offline web dashboard over a Store.

``create_app(store)`` builds the app; ``sitroom serve`` runs it with uvicorn.
"""

from sitroom.serve.app import create_app

__all__ = ["create_app"]
