"""Text normalisation and the content hash that identifies a document."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from sitroom.model import Document

_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """NFC, unified newlines, no zero-width characters, single spaces, stripped lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_document(
    text: str,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    author: str | None = None,
    published: dt.date | None = None,
    origin: str = "",
) -> Document:
    """Build a Document from raw text; the id is the caller's or the first 16 hex of the hash."""
    clean = normalise_text(text)
    digest = content_hash(clean)
    return Document(
        id=doc_id or digest[:16],
        text=clean,
        content_hash=digest,
        title=title,
        source=source,
        url=url,
        author=author,
        published=published,
        origin=origin,
    )
