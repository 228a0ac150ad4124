"""What every reader owes its caller, whatever the input: Documents that are valid, or
Skipped items with a one-line reason; and hostile text to build inputs from."""

from __future__ import annotations

import datetime as dt
import hashlib

from hypothesis import strategies as st

from sitroom.ingest import limits
from sitroom.ingest.identity import MAX_FIELD_CHARS, MAX_URL_CHARS, has_invisible, normalise_text
from sitroom.model import Document, Skipped


def _storable(value: str) -> None:
    value.encode("utf-8")  # no lone surrogates: SQLite and PostgreSQL store UTF-8
    assert "\x00" not in value  # PostgreSQL refuses NUL in text


def check_item(item: object) -> Document | Skipped:
    """``item`` is a valid Document or a Skipped; returns it."""
    assert isinstance(item, (Document, Skipped)), f"a reader returned {type(item).__name__}"
    assert isinstance(item.origin, str) and item.origin
    _storable(item.origin)
    if isinstance(item, Skipped):
        assert isinstance(item.reason, str) and item.reason.strip()
        _storable(item.reason)
        return item
    text = item.text
    assert text and text == text.strip() and normalise_text(text) == text
    assert len(text) <= limits.MAX_TEXT_CHARS
    _storable(text)
    assert item.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert isinstance(item.id, str) and 0 < len(item.id) <= 200 and not has_invisible(item.id)
    for name in ("title", "source", "author"):
        value = getattr(item, name)
        assert value is None or (isinstance(value, str) and 0 < len(value) <= MAX_FIELD_CHARS), name
        if value is not None:
            _storable(value)
            assert not has_invisible(value) and "\t" not in value, name
    assert item.url is None or (isinstance(item.url, str) and 0 < len(item.url) <= MAX_URL_CHARS)
    if item.url is not None:
        _storable(item.url)
    assert item.published is None or type(item.published) is dt.date
    return item


def check_items(items: object) -> list[Document | Skipped]:
    return [check_item(item) for item in items]  # type: ignore[attr-defined]


# Characters that break naive text handling: zero-width and bidirectional controls, NUL and
# other C0/C1 controls, every kind of line break, lone surrogates, combining marks, BOMs,
# non-characters, astral-plane letters, markup and JSON metacharacters.
HOSTILE_CHARS = (
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width, BOM
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"  # bidi
    "\x00\x01\x07\x08\x0b\x0c\x1b\x1c\x1f\x7f\x80\x85\x9f"  # controls
    "\r\n\u2028\u2029"  # line breaks
    "\ud800\udbff\udc00\udfff"  # lone surrogates
    "\u0301\u0336\u20dd"  # combining
    "\ufffe\uffff\ufffd"
    "\U0001f4a3\U0001d400\U00010000"  # astral
    "\u00a0\u2003\u3000\t "  # spaces
    "<>&;\"'#/\\{}[]:,"  # markup, JSON
    "\u0627\u0644\u05d0\u0416\u4e2d"  # Arabic, Hebrew, Cyrillic, CJK letters
)
hostile_text = st.text(
    alphabet=st.one_of(st.sampled_from(HOSTILE_CHARS), st.characters(codec="utf-8"), st.characters()),
    max_size=300,
)
words = st.sampled_from(
    "Rebels shelled the town of Goma on Monday killing five civilians officials said . , ; the army "
    "denied it Kharkiv Mosul air strike drone protesters police arrested".split()
)
prose = st.lists(st.one_of(words, words, words, hostile_text.map(lambda s: s[:12])), max_size=60).map(" ".join)
