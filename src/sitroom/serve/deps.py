"""Request-scoped dependencies: a database connection from the app's Store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request


def get_conn(request: Request) -> Iterator[sa.Connection]:
    with request.app.state.store.engine.connect() as conn:
        yield conn


Conn = Annotated[sa.Connection, Depends(get_conn)]
