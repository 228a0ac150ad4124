"""CSV and GeoJSON downloads of any filtered view, written by ``sitroom.export``'s writers and
streamed: the writer runs in a thread and hands the response chunks through a small queue,
so a large view never sits in memory whole."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator

import sqlalchemy as sa
from fastapi.responses import Response, StreamingResponse

from sitroom.export import FORMATS

MEDIA = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json", "jsonl": "application/x-ndjson"}
_END = object()


class _Sink:
    def __init__(self, put: Callable[[str], None], size: int = 64 * 1024):
        self.parts: list[str] = []
        self.n = 0
        self.size = size
        self.put = put

    def write(self, text: str) -> int:
        self.parts.append(text)
        self.n += len(text)
        if self.n >= self.size:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.parts:
            self.put("".join(self.parts))
            self.parts, self.n = [], 0


def _chunks(engine: sa.Engine, fmt: str, kind: str,
            records: Callable[[sa.Connection], Iterable[dict]]) -> Iterator[bytes]:
    q: queue.Queue = queue.Queue(maxsize=8)
    stop = threading.Event()

    def put(item) -> None:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        raise _Stopped

    def run() -> None:
        try:
            with engine.connect() as conn:
                sink = _Sink(put)
                FORMATS[fmt](records(conn), sink, kind)
                sink.flush()
        except _Stopped:
            return
        except Exception as exc:  # noqa: BLE001 - handed over, and raised where the response is sent
            try:
                put(exc)
            except _Stopped:
                return
        try:
            put(_END)
        except _Stopped:
            return

    worker = threading.Thread(target=run, name="sitroom-download", daemon=True)
    worker.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, Exception):
                raise item
            yield item.encode("utf-8")
    finally:
        stop.set()


class _Stopped(Exception):
    pass


def download(engine: sa.Engine, fmt: str, kind: str, filename: str,
             records: Callable[[sa.Connection], Iterable[dict]]) -> StreamingResponse:
    return StreamingResponse(
        _chunks(engine, fmt, kind, records), media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def page_response(page) -> Response:
    """A page whose items are records as stored (JSON text written by the Store): the
    envelope is written around them as they are, with no parse and re-serialise."""
    head = (f'{{"total":{int(page.total)},"page":{int(page.page)},"per_page":{int(page.per_page)},'
            f'"pages":{int(page.pages)},"items":[')
    return Response(head + ",".join(page.items) + "]}", media_type="application/json")
