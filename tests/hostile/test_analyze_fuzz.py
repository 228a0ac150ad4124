"""``sitroom.analyze`` on hostile text: a valid Analysis (every span inside the text, every
record serialisable, every evidence quote equal to the text it points at), never a crash."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest
from hostile.checks import check_item, hostile_text, prose
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sitroom
from sitroom.export.records import records
from sitroom.ingest.identity import normalise_text
from sitroom.model import Span

EXAMPLES = int(os.environ.get("SITROOM_FUZZ_EXAMPLES", "60"))

REPORT = "Rebels shelled the town of Goma on Monday, killing five civilians, officials said."
# Characters that hide inside words: zero-width characters and bidirectional controls.
INSIDE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u202a", "\u202e", "\u202c", "\u2067", "\u2069", "\ufeff"]


def _spans(value: object):
    """Every Span inside a (nested) dataclass or list."""
    if isinstance(value, Span):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name != "document":
                yield from _spans(getattr(value, f.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _spans(item)


def check_analysis(analysis: sitroom.Analysis) -> None:
    document = check_item(analysis.document)
    text = document.text
    for span in _spans(analysis):
        assert 0 <= span.start <= span.end <= len(text), span
    events, claims = records(analysis)
    json.dumps(events + claims, ensure_ascii=False).encode("utf-8")  # storable, no lone surrogates
    for record in events + claims:
        quotes = record.get("evidence") or []
        for quote in [quotes] if isinstance(quotes, dict) else quotes:
            if quote.get("doc_id") == document.id:
                assert text[quote["start"]:quote["end"]] == quote["text"]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(prose, hostile_text, st.lists(st.one_of(prose, hostile_text), min_size=1, max_size=5)
                      .map("\n\n".join)),
       published=st.one_of(st.none(), st.dates().map(str)))
def test_analyze_never_crashes(text: str, published: str | None) -> None:
    if not text.strip():
        text += "x"
    if not normalise_text(text):  # nothing left to analyse: a clean ValueError, not a crash
        with pytest.raises(ValueError, match="no text to analyse"):
            sitroom.analyze(text, published)
        return
    check_analysis(sitroom.analyze(text, published))


@settings(max_examples=max(10, EXAMPLES // 4), deadline=None)
@given(positions=st.lists(st.tuples(st.integers(0, len(REPORT)), st.sampled_from(INSIDE)), max_size=12))
def test_invisible_characters_do_not_change_what_is_found(positions: list[tuple[int, str]]) -> None:
    """Zero-width and bidirectional controls sprinkled into a report are removed before
    analysis: the same events are found at the same places."""
    clean = sitroom.analyze(REPORT, "2024-02-12")
    text = REPORT
    for at, char in sorted(positions, reverse=True):
        text = text[:at] + char + text[at:]
    dirty = sitroom.analyze(text, "2024-02-12")
    check_analysis(dirty)
    assert dirty.document.text == clean.document.text
    assert [(e.event_type, e.sub_event_type, e.fatalities) for e in dirty.events] == \
        [(e.event_type, e.sub_event_type, e.fatalities) for e in clean.events]


@pytest.mark.parametrize("text", [
    "a" * 200_000,  # one huge token
    ("\u202e" + REPORT + "\u202c") * 20,  # right-to-left override around every sentence
    "\u0627\u0644\u0645\u0648\u0635\u0644 " * 300 + REPORT,  # Arabic script, then English
    "\u200b" * 100_000 + REPORT,  # 100,000 zero-width spaces
    "\u0301" * 5000 + REPORT,  # a pile of combining accents
    "Rebels shelled Goma, killing 99999999999999999999999999999999 civilians, officials said.",
    "Rebels attacked Goma on Monday, killing 900,000,000 soldiers, 900,000,000 civilians and 900,000,000 "
    "policemen, officials said.",  # parts of one toll, each a figure, summed past what a store holds
    "Rebels shelled Goma on 31 February 99999, killing five, officials said.",
    "\n".join(["KABUL, Afghanistan (Wire) -"] * 100),
])
def test_analyze_hostile_text(text: str, tmp_path) -> None:
    """Analysed, and stored: every value fits the store (a 32-digit toll is no figure at all)."""
    from sitroom.extract.quantities import MAX_FIGURE
    from sitroom.store.repository import Store

    analysis = sitroom.analyze(text, "2024-02-12")
    check_analysis(analysis)
    for ev in analysis.events:
        assert all(n is None or n <= MAX_FIGURE for n in (ev.fatalities, ev.fatalities_min, ev.fatalities_max))
    store = Store(str(tmp_path / "hostile.db"))
    assert store.add([analysis]).documents == 1
    assert len(list(store.events())) == len({e["event_id"] for e in store.events()})
    store.close()


def test_text_over_the_parsers_limit_is_refused_cleanly() -> None:
    """Longer than spaCy accepts (``nlp.max_length``): a ValueError that says so, at once.
    (``sitroom ingest`` never gets there: the readers skip texts over ``MAX_TEXT_CHARS``.)"""
    from sitroom.extract.nlp import load

    with pytest.raises(ValueError, match="max_length|exceeds maximum"):
        sitroom.analyze("y" * (load().max_length + 1))
