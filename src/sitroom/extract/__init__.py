"""Per-article extraction: pure functions of (spaCy Doc, Document) → mentions.

``analyze_doc`` runs the extractors in their fixed order; each later extractor may use
what the earlier ones found (events use places, times and figures; claims use events).
"""

from __future__ import annotations

import datetime as dt

from sitroom.export.records import claim_record
from sitroom.extract import claims, events, places, quantities, times
from sitroom.extract.nlp import load
from sitroom.ingest.identity import make_document
from sitroom.model import Analysis, Document
from sitroom.resolve.geocode import geocode
from sitroom.resolve.hypotheses import read_claims


def analyze_doc(doc, document: Document) -> Analysis:
    """Run every extractor over one parsed article."""
    found_places = geocode(places.extract(doc, document), document.text)
    found_times = times.extract(doc, document)
    found_quantities = quantities.extract(doc)
    found_events = events.extract(doc, document, found_places, found_times, found_quantities)
    found_claims = claims.extract(doc, document, found_events)
    readings = read_claims(doc, [claim_record(document, c) for c in found_claims], document.text)
    return Analysis(
        document=document,
        events=found_events,
        claims=found_claims,
        places=found_places,
        times=found_times,
        quantities=found_quantities,
        readings=readings,
    )


def analyze_documents(documents, batch_size: int = 32, n_process: int = 1):
    """Parse Documents with ``nlp.pipe`` (each text parsed exactly once) and analyze them."""
    nlp = load()
    pairs = ((d.text, d) for d in documents)
    # the strings and word types spaCy meets in these texts are let go at the end (a long run
    # meets new numbers and names without end; the analyses hold plain values only)
    with nlp.memory_zone():
        for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
            yield analyze_doc(doc, document)


def parse_documents(documents: list[Document], batch_size: int = 32) -> bytes:
    """The first half of ``analyze_documents``: the parses of the texts, as a spaCy ``DocBin``
    (every annotation the extractors read: tags, morphology, lemmas, heads and dependencies,
    sentence starts, entities), for ``analyze_parsed`` in another process."""
    from spacy.tokens import DocBin

    nlp = load()
    parsed = DocBin(store_user_data=False)
    with nlp.memory_zone():
        for doc in nlp.pipe((d.text for d in documents), batch_size=batch_size):
            parsed.add(doc)
        return parsed.to_bytes()


def analyze_parsed(documents: list[Document], parsed: bytes) -> list[Analysis]:
    """The second half: the extractors over the parses ``parse_documents`` gave for ``documents``."""
    from spacy.tokens import DocBin

    nlp = load()
    with nlp.memory_zone():
        docs = DocBin().from_bytes(parsed).get_docs(nlp.vocab)
        return [analyze_doc(doc, document) for doc, document in zip(docs, documents, strict=True)]


def analyze_text(text: str, published=None, *, title=None, source=None, url=None) -> Analysis:
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    document = make_document(text, title=title, source=source, url=url, published=published, origin="<text>")
    if not document.text:
        raise ValueError("no text to analyse: the input is empty once control and zero-width characters are removed")
    return analyze_doc(load()(document.text), document)
