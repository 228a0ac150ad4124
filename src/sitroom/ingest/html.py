"""HTML pages: the main text and metadata, extracted by trafilatura; and HTML fragments
(feed item bodies) turned into plain text."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html
import trafilatura

from sitroom.ingest.dates import parse_date
from sitroom.ingest.text import to_document
from sitroom.model import Document, Skipped

# Only dates the page states in its markup or metadata; htmldate's "extensive search" also
# takes dates from the running text, which may be the date of an event, not of the article.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}

_BLOCKS = frozenset(
    "address article aside blockquote body br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
_SPACE = re.compile(r"\s+")


def read_html(html: str, origin: str, *, url: str | None = None) -> Document | Skipped:
    """One web page: main text, title, site name (as source), author and publication date."""
    try:
        found = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, date_extraction_params=_DATE_PARAMS
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        return Skipped(origin, f"could not parse the HTML ({type(exc).__name__}: {exc})")
    text = (found.text or "") if found is not None else ""
    if not text.strip():
        return Skipped(origin, "no article text found in the HTML (a page built by JavaScript? save the rendered page)")
    title = found.title or None
    first, _, rest = text.strip().partition("\n")
    if title and rest and _SPACE.sub(" ", first).casefold() == _SPACE.sub(" ", title).casefold():
        text = rest  # trafilatura keeps the <h1> headline as the first line of the text
    return to_document(
        text,
        origin,
        title=title,
        source=found.sitename or None,
        url=found.url or url,
        author=found.author or None,
        published=parse_date(found.date),
    )


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one line per block element.

    Hand-written over lxml because trafilatura's ``html2txt`` joins all blocks into one line
    and its article extractor is tuned for whole pages, not a feed item's few paragraphs.
    """
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except AssertionError:  # a whole document without exactly one <body> (a frameset, two bodies)
        try:
            root = lxml.html.document_fromstring(fragment)
        except (lxml.etree.ParserError, ValueError):
            return ""
    except (lxml.etree.ParserError, ValueError):
        return fragment
    parts: list[str] = []
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None  # comments, processing instructions
        block = tag is not None and tag.lower() in _BLOCKS
        if event == "start":
            if block:
                parts.append("\n")
            if tag is not None and tag.lower() not in ("script", "style") and element.text:
                parts.append(_SPACE.sub(" ", element.text))
        else:
            if block:
                parts.append("\n")
            if element is not root and element.tail:
                parts.append(_SPACE.sub(" ", element.tail))
    return "".join(parts)
