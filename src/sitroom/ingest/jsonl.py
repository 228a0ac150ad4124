"""JSON Lines: one article per line, ``{id, url, title, source, published, text}``.

Only ``text`` is required. The ``id`` becomes ``Document.id``: benchmarks and callers match
on it. A bad line is Skipped as ``FILE:LINE`` and the rest of the file is still read;
files are streamed line by line, so their size is not limited, only each line's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from sitroom.ingest.dates import parse_date
from sitroom.ingest.identity import has_invisible
from sitroom.ingest.text import to_document
from sitroom.model import Document, Skipped

_CHUNK = 1 << 20
_STRING_FIELDS = ("url", "title", "source")
MAX_ID_CHARS = 200  # the width of documents.id in the store


def iter_lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The lines of a binary stream, without reading more than ``limit`` bytes of one line
    into memory; a longer line is consumed and yields None."""
    while line := stream.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while (rest := stream.readline(_CHUNK)) and not rest.endswith(b"\n"):
            pass
        yield None


def read_jsonl(lines: Iterable[bytes | str | None], origin: str, *, limit: int) -> Iterator[Document | Skipped]:
    """One Document per non-blank line (origin ``ORIGIN:LINE``); None stands for a line over
    ``limit`` bytes."""
    for number, raw in enumerate(lines, 1):
        line_origin = f"{origin}:{number}"
        if raw is None:
            yield Skipped(line_origin, f"line too large (over {limit // 2**20} MB)")
            continue
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Skipped(line_origin, f"not UTF-8 ({exc.reason} at byte {exc.start}); JSON Lines must be UTF-8")
                continue
        if number == 1:
            raw = raw.lstrip("\ufeff")
        if raw.strip():
            yield _record(raw, line_origin)


def _record(line: str, origin: str) -> Document | Skipped:
    try:
        record = json.loads(line)
    except ValueError as exc:
        return Skipped(origin, f"invalid JSON ({exc})")
    except RecursionError:
        return Skipped(origin, "invalid JSON (nested too deeply)")
    if not isinstance(record, dict):
        return Skipped(origin, f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return Skipped(origin, 'no "text" (a non-empty string is required)')
    doc_id = record.get("id")
    if doc_id is not None and (isinstance(doc_id, bool) or not isinstance(doc_id, (str, int))):
        return Skipped(origin, f'"id" must be a string or an integer, not {type(doc_id).__name__}')
    if doc_id is not None and (len(str(doc_id)) > MAX_ID_CHARS or has_invisible(str(doc_id))):
        return Skipped(origin, f'"id" must be at most {MAX_ID_CHARS} characters, without line breaks, '
                               "control or invisible characters")
    for name in _STRING_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            return Skipped(origin, f'"{name}" must be a string or null')
    published = record.get("published")
    date = parse_date(published)
    if published not in (None, "") and date is None:
        return Skipped(origin, f'"published" {published!r} is not a date (use YYYY-MM-DD)')
    return to_document(
        text,
        origin,
        doc_id=None if doc_id is None else str(doc_id),
        title=record.get("title") or None,
        source=record.get("source") or None,
        url=record.get("url") or None,
        author=record.get("author") if isinstance(record.get("author"), str) else None,
        published=date,
    )
