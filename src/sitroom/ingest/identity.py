"""Text normalisation and the content hash that identifies a document."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from sitroom.model import Document

_SPACE_CHARS = "\t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# Removed: zero-width characters; C0/C1 control characters other than tab and newline (NUL
# breaks PostgreSQL text, ESC sequences a terminal); bidirectional embeddings, overrides and
# isolates ("Trojan Source" spoofing; the letters keep their order, only the display changes);
# the non-characters U+FFFE/U+FFFF.
_INVISIBLE_CHARS = (
    "\u200b\u200c\u200d\u2060\ufeff"
    "\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f"
    "\u202a-\u202e\u2066-\u2069\ufffe\uffff"
)
# Line separators other than "\n": NEL, LS, PS, and FS/GS/RS (which str.splitlines splits on).
_LINE_BREAK_CHARS = "\x85\u2028\u2029\x1c-\x1e"
# Lone surrogates (from JSON "\ud800" or an undecodable file name) cannot be stored as UTF-8.
_SURROGATE_CHARS = "\ud800-\udfff"


def _table(ranges: str, to: str | None) -> dict[int, str | None]:
    """``str.translate`` entries mapping each character of a regex-style class to ``to``."""
    codes: dict[int, str | None] = {}
    for first, last in re.findall(r"(.)(?:-(.))?", ranges, re.DOTALL):
        codes.update((code, to) for code in range(ord(first), ord(last or first) + 1))
    return codes


# One pass of str.translate does the removals and replacements (a regex per class would
# scan a 10 MB line several times).
_TRANSLATE = {**_table(_INVISIBLE_CHARS, None), **_table(_LINE_BREAK_CHARS, "\n"),
              **_table(_SURROGATE_CHARS, "\ufffd"), **_table(_SPACE_CHARS, " ")}
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}{_LINE_BREAK_CHARS}{_SURROGATE_CHARS}]")
_SURROGATES = re.compile(f"[{_SURROGATE_CHARS}]")
_SPACES = re.compile(" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")

MAX_FIELD_CHARS = 1000  # title, source, author: longer is not a title (it is cut, with "…")
MAX_URL_CHARS = 8192  # a longer URL is dropped


def normalise_text(text: str) -> str:
    """NFC, unified newlines, no invisible or control characters (see ``_INVISIBLE_CHARS``),
    lone surrogates replaced by U+FFFD, single spaces, stripped lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    text = unicodedata.normalize("NFC", text)  # after the removals: they may join combining marks
    if "  " in text:
        text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    if "\n\n\n" in text:  # the regex alone would cost ~0.5 s on a 10 MB line
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def clean_field(value: object, limit: int = MAX_FIELD_CHARS) -> str | None:
    """A metadata string (title, source, author) as one clean line of at most ``limit``
    characters, or None when nothing is left (or it is not a string)."""
    if not isinstance(value, str):
        return None
    line = " ".join(normalise_text(value[: limit * 4]).split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "\u2026"
    return line or None


def clean_url(value: object) -> str | None:
    """A URL without whitespace or control characters; None when longer than ``MAX_URL_CHARS``."""
    if not isinstance(value, str) or len(value) > MAX_URL_CHARS:
        return None
    return "".join(normalise_text(value).split()) or None


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds a character :func:`normalise_text` would remove or replace, or a
    line break."""
    return bool(_INVISIBLE.search(text)) or "\n" in text or "\r" in text


def printable(origin: str) -> str:
    """A path or URL fit to store and print: undecodable bytes of a file name (which Python
    keeps as lone surrogates) become U+FFFD."""
    return _SURROGATES.sub("\ufffd", origin) if _SURROGATES.search(origin) else origin


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
        title=clean_field(title),
        source=clean_field(source),
        url=clean_url(url),
        author=clean_field(author),
        published=published,
        origin=printable(origin),
    )
