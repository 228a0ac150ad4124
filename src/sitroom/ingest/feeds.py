"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: each item is an article.

feedparser reads the feed from bytes handed to it in a stream: given a string it would
fetch URLs or open file names itself. Its SAX parser does not resolve external entities
(no file or network reads from a DOCTYPE); keep it that way.

Entity expansion: feedparser keeps the ``<!ENTITY>`` declarations whose value is plain text
or one character reference, but finds them only at the start of a line (one written on the
DOCTYPE's line reaches expat whole: a "billion laughs" costs seconds until expat's
amplification limit stops it), and when expat gives up it hands the plain ones to its
loose parser, which expands them without a limit (one 50 kB entity used 20,000 times: 1 GB,
minutes). :func:`_replace_doctype` keeps only declarations of a character reference or of
at most ``_MAX_ENTITY_CHARS`` characters of plain text, so an entity can at most
triple the size of the text that uses it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import feedparser
import feedparser.api

from sitroom.ingest.dates import parse_date
from sitroom.ingest.html import fragment_text
from sitroom.ingest.text import to_document
from sitroom.model import Document, Skipped

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FIRST_ELEMENT = re.compile(rb"<\w")
_MAX_ENTITY_CHARS = 8
_ENTITY = re.compile(rb"<!ENTITY[^>]*>")  # what feedparser takes for one declaration
_SMALL_ENTITY = re.compile(rb'<!ENTITY\s+\w+\s+"(?:&#\w+;|[^&"<%%]{0,%d})"\s*>' % _MAX_ENTITY_CHARS)
_feedparser_replace_doctype = feedparser.api.replace_doctype


def _replace_doctype(data: bytes) -> Any:
    """feedparser's DOCTYPE sanitiser, after dropping every entity declaration but small ones
    and putting those on lines of their own (where feedparser looks for them)."""
    first = _FIRST_ELEMENT.search(data)
    end = first.start() if first else len(data)
    head = data[:end]
    if b"<!ENTITY" in head:
        head = _ENTITY.sub(lambda m: b"\n" + m.group(0) if _SMALL_ENTITY.fullmatch(m.group(0)) else b"", head)
        data = head.replace(b"<!DOCTYPE", b"\n<!DOCTYPE") + data[end:]
    return _feedparser_replace_doctype(data)


# feedparser.api calls it after converting the feed to UTF-8, so UTF-16 feeds are covered too.
feedparser.api.replace_doctype = _replace_doctype


def read_feed(data: bytes, origin: str, *, content_type: str | None = None) -> Iterator[Document | Skipped]:
    """One Document per item (origin ``ORIGIN#item-N``, from 1), or a Skipped for the whole
    feed when nothing can be read from it."""
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, resolve_relative_uris=False)
    if not parsed.entries:
        if parsed.bozo:
            yield Skipped(origin, f"malformed feed, no items could be read ({parsed.get('bozo_exception')})")
        else:
            yield Skipped(origin, "feed has no items")
        return
    feed_title = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, 1):
        item_origin = f"{origin}#item-{number}"
        text = _entry_text(entry)
        if not text.strip():
            yield Skipped(item_origin, "feed item has no text (only a title or link); ingest its URL instead")
            continue
        yield to_document(
            text,
            item_origin,
            title=entry.get("title") or None,
            source=(entry.get("source") or {}).get("title") or feed_title,
            url=entry.get("link") or None,
            author=entry.get("author") or None,
            published=_entry_date(entry),
        )


def _entry_text(entry: Any) -> str:
    """The longest of the item's bodies (content, else summary), as plain text."""
    bodies = list(entry.get("content") or [])
    if not bodies and entry.get("summary"):
        bodies = [entry.get("summary_detail") or {"value": entry["summary"], "type": "text/html"}]
    best = max(bodies, key=lambda body: len(body.get("value") or ""), default=None)
    if best is None:
        return ""
    value = best.get("value") or ""
    return fragment_text(value) if best.get("type", "text/html") in _HTML_TYPES else value


def _entry_date(entry: Any) -> dt.date | None:
    """The date as the feed writes it (feedparser's parsed forms are shifted to UTC)."""
    for key in ("published", "updated", "created"):
        if (date := parse_date(entry.get(key))) is not None:
            return date
    for key in ("published_parsed", "updated_parsed"):
        if parsed := entry.get(key):
            return parse_date(f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}")
    return None
