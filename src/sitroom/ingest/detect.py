"""What an input is (by its content, the file name only as a tie-breaker) and how to decode it.

Kinds: ``binary`` (NUL bytes or no text encoding fits), ``html``, ``feed`` (RSS/Atom/RDF
root element), ``jsonl`` (the first non-blank line is a JSON object) and ``text``.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Literal

import charset_normalizer

Kind = Literal["binary", "html", "feed", "jsonl", "text"]

SNIFF_BYTES = 64 * 1024  # how much of the head is enough to tell the kinds apart

# Longest first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Hand-written rather than parsed: only the name of the root element is needed, and a regex
# over the head neither parses the whole document nor processes any (external) entity.
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.S | re.I)
_ROOT = re.compile(r"<([A-Za-z_][\w:.-]*)")
_DOCTYPE_HTML = re.compile(r"<!DOCTYPE\s+html", re.I)
_FEED_ROOTS = {"rss", "feed", "rdf"}
_HTML_TAG = re.compile(r"</?[a-z][a-z0-9]*\b[^<>]*>", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.I)
# WHATWG: a page labelled Latin-1 or ASCII is decoded as windows-1252.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def bom_encoding(data: bytes) -> str | None:
    """The codec named by a byte-order mark at the start of ``data``, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def sniff(head: bytes, name: str = "") -> Kind:
    """The kind of an input from its first bytes (``SNIFF_BYTES`` are plenty); ``name``
    (a file name or URL path) only decides between ``text`` and a kind its extension names."""
    encoding = bom_encoding(head)
    if encoding is None and b"\0" in head:
        return "binary"
    # Lenient decoding is enough to see the structure; ``decode`` does the real work later.
    sample = head.decode(encoding or "utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if _looks_binary(sample):
        return "binary"
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if sample.startswith("{"):
        first = sample.split("\n", 1)[0]
        if _is_json_object(first) or suffix in ("jsonl", "ndjson") or len(first) == len(sample):
            return "jsonl"  # the last case: the first line is longer than the head
    if sample.startswith("<"):
        return _markup_kind(sample)
    if suffix in ("jsonl", "ndjson"):
        return "jsonl"
    if suffix in ("html", "htm", "xhtml") and _HTML_TAG.search(sample):
        return "html"
    return "text"


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply
        return False


def _markup_kind(sample: str) -> Kind:
    """``feed`` if the root element is rss, feed (Atom) or rdf:RDF, else ``html``."""
    prolog = _PROLOG.match(sample)
    rest = sample[prolog.end() if prolog else 0 :]
    if prolog and _DOCTYPE_HTML.search(prolog.group(0)):
        return "html"
    root = _ROOT.match(rest)
    if root and root.group(1).rsplit(":", 1)[-1].lower() in _FEED_ROOTS:
        return "feed"
    return "html"


def html_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag of its first 4 KB (the browsers' prescan)."""
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii", "replace") if found else None


def decode(data: bytes, declared: str | None = None) -> str | None:
    """Bytes to text, or None when they are not text.

    Order: a byte-order mark; the ``declared`` charset (HTTP header or HTML meta); UTF-8;
    windows-1252 when that leaves the text mostly ASCII; then charset-normalizer.
    """
    encoding = bom_encoding(data)
    if encoding:
        return _checked(data, encoding)
    if b"\0" in data:
        return None
    candidates = [declared.strip().lower()] if declared and _is_charset(declared.strip()) else []
    candidates = ["cp1252" if c in _AS_CP1252 else c for c in candidates] + ["utf-8"]
    for candidate in candidates:
        if (text := _checked(data, candidate)) is not None:
            return text
    # sitroom reads English news, whose non-UTF-8 files are nearly always windows-1252/Latin-1;
    # charset-normalizer guesses Baltic or Central European code pages for short, mostly
    # ASCII texts, so this common case is settled first.
    text = _checked(data, "cp1252")
    if text is not None and _mostly_ascii(text):
        return text
    best = charset_normalizer.from_bytes(data).best()
    return None if best is None or _looks_binary(str(best)) else str(best)


# Python codecs that are no character set a page may declare: escape decoders, which turn
# "\u003c" or "+ADw-" into "<" (UTF-7 too: browsers refuse it for that), and "undefined".
_NOT_CHARSETS = frozenset({"unicode-escape", "raw-unicode-escape", "undefined", "idna", "punycode", "utf-7"})


def _is_charset(name: str) -> bool:
    """Whether a declared charset names a text encoding worth trying."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return False
    return getattr(info, "_is_text_encoding", True) and info.name not in _NOT_CHARSETS


def _checked(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except (UnicodeError, LookupError, ValueError):  # UnicodeError: the "undefined" codec
        return None
    return None if _looks_binary(text) else text


def _mostly_ascii(text: str) -> bool:
    visible = [c for c in text if not c.isspace()]
    return not visible or sum(not c.isascii() for c in visible) / len(visible) <= 0.5


def _looks_binary(text: str) -> bool:
    """More than 1 % control characters (other than tab, newlines, form feed): not prose."""
    return bool(text) and len(_CONTROL.findall(text)) > 0.01 * len(text)
