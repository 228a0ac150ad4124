"""The table-driven attribute ruler and lemmatizer give spaCy's own components' output, token for
token, and step aside for rules the table cannot reproduce."""

from __future__ import annotations

import functools

import numpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, NORM, POS, SENT_START, TAG

from sitroom.extract import tables
from sitroom.extract.nlp import MODEL, load

ATTRS = [POS, TAG, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START, NORM]

TRICKY = [
    "Ain't nobody gonna stop them, y'all, c'mon, let's go; they gotta leave.",
    "There is a checkpoint. There's two more, and there were three. He gets it; they got it.",
    "The militants, who had been shelling the town since Monday, withdrew; 12 were killed.",
    "UN-backed forces retook al-Tanf on 3 March 2017 — 'we won,' a spokesman said.",
    "  \n\n\t ", "!!!", "1 2 3", "i", "Running ran runs better best worse worst geese mice.",
]


@functools.lru_cache(maxsize=1)
def stock():
    import spacy

    nlp = spacy.load(MODEL)
    nlp.add_pipe("sitroom_line_breaks", before="parser")
    return nlp


def same(text: str) -> None:
    a, b = stock()(text), load()(text)
    assert (a.to_array(ATTRS) == b.to_array(ATTRS)).all(), text
    assert [(str(t.morph), t.lemma_, t.pos_) for t in a] == [(str(t.morph), t.lemma_, t.pos_) for t in b]


def test_sitroom_runs_the_tables() -> None:
    nlp = load()
    assert isinstance(nlp.get_pipe("attribute_ruler"), tables.TableRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), tables.TableLemmatizer)
    assert stock().pipe_names == nlp.pipe_names


@pytest.mark.parametrize("text", TRICKY)
def test_same_output_as_spacy(text: str) -> None:
    same(text)


WORDS = [
    "the", "a", "killed", "attack", "gonna", "na", "let", "'s", "ai", "n't", "is", "are", "was", "There",
    "there", "gets", "got", "y'", "all", "c'm", "on", ",", ".", ";", "Mosul", "rebels", "army", "12",
    "Monday", "said", "would", "have", "been", "he", "she", "they", "it", "'", '"', "-", "(", ")", "\n", "3",
    "fighters", "militants", "shelled", "bombed", "Kyiv", "UN", "ISIS"
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join))
def test_same_output_as_spacy_on_any_words(text: str) -> None:
    same(text)


def test_a_rule_beyond_the_table_keeps_spacys_ruler() -> None:
    import spacy

    nlp = spacy.load(MODEL)
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "shelled", "OP": "+"}]], {"LEMMA": "shell"})
    assert tables.replace(nlp) == ["lemmatizer"]
    assert not isinstance(nlp.get_pipe("attribute_ruler"), tables.TableRuler)


def test_the_lemmatizer_fills_only_missing_lemmas() -> None:
    doc = load()("They got it.")  # "got" has its lemma from the ruler: kept
    assert [t.lemma_ for t in doc] == ["they", "get", "it", "."]
    other = load()("They got it.")
    for d in (doc, other):  # with no lemma yet, each component works out every one
        d.from_array([LEMMA], numpy.zeros(len(d), dtype=numpy.uint64))
    load().get_pipe("lemmatizer")(doc)
    stock().get_pipe("lemmatizer")(other)
    assert [t.lemma_ for t in doc] == [t.lemma_ for t in other] == ["they", "get", "it", "."]


def test_a_batch_lets_go_of_its_new_words_and_the_lemma_table_stays_right() -> None:
    from sitroom.extract import analyze_documents
    from sitroom.ingest.identity import make_document

    text = "The Zorblaxians were zorblaxing the outskirts of Qwertyville on Monday."
    list(analyze_documents([make_document(text, origin="<test>")]))
    assert "zorblaxing" not in load().vocab.strings  # spaCy's memory zone ended with the batch
    # the table remembers the lemma of a form whose string has left the store: still right
    again = "Militias were zorblaxing the town."
    assert [t.lemma_ for t in load()(again)] == [t.lemma_ for t in stock()(again)]
