"""Plain text: one article; and ``to_document``, the last step every reader shares.

The first line is the title when it reads like a headline. A closing WordPress line
"The post TITLE appeared first on OUTLET." names title and outlet and is not article text.
A wire dateline ("KRAMATORSK, Ukraine (Eastbound Wire) - ...") is article text, never a title.
"""

from __future__ import annotations

import datetime as dt
import re

from sitroom.ingest import limits
from sitroom.ingest.identity import make_document, normalise_text
from sitroom.model import Document, Skipped

# Hand-written: these are house styles of news text that no library knows.
_TRAILER = re.compile(r"The post (?P<title>.+) appeared first on (?P<outlet>.+?)\.?")
DATELINE = re.compile(r"[A-Z][A-Z .'’-]{1,40}\b(?:,[^\n()]{1,40})?(?: ?\([^)\n]{1,60}\))? ?[-–—]")
_HEADLINE_MAX_CHARS = 160
_HEADLINE_MAX_WORDS = 25


def split_trailer(text: str) -> tuple[str, str | None, str | None]:
    """``(text without the trailer, title, outlet)``; title and outlet are None without one."""
    body, _, last = text.rstrip().rpartition("\n")
    found = _TRAILER.fullmatch(last.strip())
    if not found:
        return text, None, None
    return body, found.group("title").strip(), found.group("outlet").strip()


def is_headline(line: str) -> bool:
    """Short, no closing sentence punctuation, not a dateline, not a section label ("KEY POINTS")."""
    line = line.strip()
    words = line.split()
    return (
        0 < len(line) <= _HEADLINE_MAX_CHARS
        and len(words) <= _HEADLINE_MAX_WORDS
        and line.rstrip("\"'”’)")[-1:] not in (".", ",", ";", ":", "")
        and not DATELINE.match(line)
        and not (line.isupper() and len(words) <= 3)
    )


def to_document(
    text: str,
    origin: str,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    author: str | None = None,
    published: dt.date | None = None,
) -> Document | Skipped:
    """Remove the "appeared first on" trailer (filling title/source it names when missing) and
    build the Document; an empty text, or one over ``limits.MAX_TEXT_CHARS``, is Skipped."""
    body, trailer_title, outlet = split_trailer(normalise_text(text))
    if len(body) > limits.MAX_TEXT_CHARS:
        return Skipped(
            origin,
            f"text too long to analyse ({len(body):,} characters > {limits.MAX_TEXT_CHARS:,} limit); "
            "split it into smaller articles",
        )
    document = make_document(
        body,
        doc_id=doc_id,
        title=title or trailer_title,
        source=source or outlet,
        url=url,
        author=author,
        published=published,
        origin=origin,
    )
    if not document.text:
        return Skipped(origin, "empty text: nothing left after extraction")
    return document


def read_text(text: str, origin: str, *, url: str | None = None) -> Document | Skipped:
    """One plain-text article; the first line becomes the title when it reads like a headline
    and more text follows it."""
    clean = normalise_text(text)
    if not clean:
        return Skipped(origin, "empty text")
    body, trailer_title, _ = split_trailer(clean)
    first, _, rest = body.partition("\n")
    title = None
    if rest.strip() and (is_headline(first) or first == trailer_title):
        title, clean = first, rest + clean[len(body) :]
    return to_document(clean, origin, title=title, url=url)
