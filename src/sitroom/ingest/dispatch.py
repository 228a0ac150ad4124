"""Bytes from a file or a URL → the reader for their kind; files with their size limit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

from sitroom.ingest import detect
from sitroom.ingest.feeds import read_feed
from sitroom.ingest.html import read_html
from sitroom.ingest.jsonl import iter_lines, read_jsonl
from sitroom.ingest.text import read_text
from sitroom.model import Document, Skipped

MAX_ITEM_BYTES = 20 * 2**20  # one file, page or JSONL line; JSONL files are streamed
NOT_TEXT = "not text (binary content, or no character encoding fits); only text, HTML, feeds and JSONL are read"


def megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def too_large(size: int) -> str:
    return f"too large ({megabytes(size)} > {MAX_ITEM_BYTES // 2**20} MB limit); split it into smaller files"


def parse_bytes(
    data: bytes,
    origin: str,
    *,
    name: str = "",
    url: str | None = None,
    content_type: str | None = None,
    charset: str | None = None,
) -> Iterator[Document | Skipped]:
    """Detect the kind of ``data`` and read it; ``charset`` is one declared by the transport."""
    if not data.strip():
        yield Skipped(origin, "empty")
        return
    kind = detect.sniff(data[: detect.SNIFF_BYTES], name)
    if kind == "binary":
        yield Skipped(origin, NOT_TEXT)
    elif kind == "feed":
        yield from read_feed(data, origin, content_type=content_type)
    elif kind == "jsonl":
        yield from read_jsonl(data.splitlines(), origin, limit=MAX_ITEM_BYTES)
    else:
        declared = charset or (detect.html_charset(data) if kind == "html" else None)
        text = detect.decode(data, declared)
        if text is None:
            yield Skipped(origin, NOT_TEXT)
        elif kind == "html":
            yield read_html(text, origin, url=url)
        else:
            yield read_text(text, origin, url=url)


def read_file(path: Path) -> Iterator[Document | Skipped]:
    """One file: JSONL is streamed line by line; anything else over ``MAX_ITEM_BYTES`` is
    Skipped from its size alone, without being read."""
    origin = str(path)
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as stream:
            head = stream.read(detect.SNIFF_BYTES)
            if not head.strip():
                # all whitespace or nothing; a large file of blanks is not worth reading on
                yield Skipped(origin, "empty" if size == len(head) else too_large(size))
                return
            if detect.sniff(head, path.name) == "jsonl":
                stream.seek(0)
                yield from read_jsonl(iter_lines(stream, MAX_ITEM_BYTES), origin, limit=MAX_ITEM_BYTES)
                return
            if size > MAX_ITEM_BYTES:
                yield Skipped(origin, too_large(size))
                return
            data = head + stream.read(MAX_ITEM_BYTES + 1 - len(head))
    except OSError as exc:
        yield Skipped(origin, f"cannot read: {exc.strerror or exc}")
        return
    if len(data) > MAX_ITEM_BYTES:  # it grew since the stat
        yield Skipped(origin, too_large(len(data)))
        return
    day = date_in_name(path.name)
    for item in parse_bytes(data, origin, name=path.name):
        if day is not None and isinstance(item, Document) and item.published is None:
            item = dataclasses.replace(item, published=day)  # "2021-08-27_kabul.txt": saved that day
        yield item


_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")


def date_in_name(name: str) -> dt.date | None:
    """The publication day a file's name gives ("2021-08-27 kabul.txt", "wire_2021-08-27.html"),
    for the text, HTML and feed articles of that file that carry none (analysts save dispatches
    so; JSON Lines records carry their own). A name with two dates gives none."""
    found = _NAME_DATE.findall(name)
    if len(found) != 1:
        return None
    try:
        return dt.date(*map(int, found[0]))
    except ValueError:
        return None
