"""Extraction must cost a fraction of parsing (issue 9: sitroom at >= 0.8x bare nlp.pipe). spaCy
rebuilds ``Doc.text`` from every token and ``Doc.ents`` from every IOB tag on each access, so the
extractors ask ``sitroom.extract.nlp`` (``text_of``, ``ents_of``, ``sent_ents``), which compute
them once per Doc."""

from __future__ import annotations

import re
from pathlib import Path

from sitroom.extract.nlp import ents_of, sent_ents, text_of

EXTRACT = Path(__file__).resolve().parents[2] / "src" / "sitroom" / "extract"
SLOW = re.compile(r"\bdoc\.text\b|\b(?:doc|sent)\.ents\b")


def test_extractors_take_doc_text_and_entities_from_the_cache():
    offenders = [f"{p.name}:{i}: {line.strip()}"
                 for p in sorted(EXTRACT.glob("*.py")) if p.name != "nlp.py"
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if SLOW.search(line.split("#")[0])]
    assert not offenders, ("use text_of(doc) / ents_of(doc) / sent_ents(span) from sitroom.extract.nlp "
                           "instead of doc.text / doc.ents / span.ents:\n" + "\n".join(offenders))


def test_cached_text_and_entities_are_spacys(nlp):
    a = nlp("Rebels shelled Goma on Monday. The UN said 12 people died in North Kivu.\n\nKyiv was quiet.")
    b = nlp("Israeli jets struck Gaza City, the Health Ministry said.")
    for doc in (a, b, a):
        assert text_of(doc) == doc.text
        assert ents_of(doc) == doc.ents
        for sent in doc.sents:
            assert sent_ents(sent) == list(sent.ents)
        assert sent_ents(doc[2:9]) == list(doc[2:9].ents)
