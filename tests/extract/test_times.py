"""Date expressions resolved against the publication date, with ACLED precision.

The spaCy model comes from the session fixture ``nlp`` in tests/conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest

from sitroom.extract import times
from sitroom.ingest.identity import make_document

D = dt.date
FRIDAY = D(2022, 4, 8)  # a Friday


def run(nlp, text: str, published: dt.date | None = FRIDAY):
    document = make_document(text, published=published)
    return times.extract(nlp(document.text), document)


def only(nlp, text: str, published: dt.date | None = FRIDAY):
    """The single text expression found: (surface, start, end, precision)."""
    found = [t for t in run(nlp, text, published) if t.span is not None]
    assert len(found) == 1, found
    t = found[0]
    assert t.span.of(text) == t.surface
    return t.surface, t.start, t.end, t.precision


def test_publication_date_comes_first(nlp):
    first = run(nlp, "Nothing happened.")[0]
    assert (first.surface, first.span, first.start, first.end, first.precision) == ("", None, FRIDAY, FRIDAY, 1)


@pytest.mark.parametrize(
    ("sentence", "surface", "start", "end", "precision"),
    [
        ("The town fell yesterday, officials said.", "yesterday", D(2022, 4, 7), D(2022, 4, 7), 1),
        ("Shelling resumed today, officials said.", "today", FRIDAY, FRIDAY, 1),
        ("The town fell on Monday, officials said.", "Monday", D(2022, 4, 4), D(2022, 4, 4), 1),
        ("The station was hit on Friday, officials said.", "Friday", FRIDAY, FRIDAY, 1),
        ("Drones attacked on Wednesday night, officials said.", "Wednesday night", D(2022, 4, 6), D(2022, 4, 6), 1),
        ("The bridge was destroyed last week, officials said.", "last week", D(2022, 3, 28), D(2022, 4, 3), 2),
        ("Over the last 24 hours the army advanced.", "the last 24 hours", D(2022, 4, 7), FRIDAY, 2),
        ("The army took the village a few days ago.", "a few days ago", D(2022, 4, 2), D(2022, 4, 6), 2),
        ("The army took the village several days ago.", "several days ago", D(2022, 4, 2), D(2022, 4, 6), 2),
        ("A day or so ago the army took the village.", "A day or so ago", D(2022, 4, 6), D(2022, 4, 7), 2),
        ("The army took the village three days ago.", "three days ago", D(2022, 4, 5), D(2022, 4, 5), 1),
        ("Earlier this month the army took the village.", "Earlier this month", D(2022, 4, 1), FRIDAY, 3),
        ("Missiles struck the city overnight, officials said.", "overnight", D(2022, 4, 7), FRIDAY, 2),
        ("Fighting went on over the weekend, officials said.", "the weekend", D(2022, 4, 2), D(2022, 4, 3), 2),
    ],
)
def test_relative_expressions(nlp, sentence, surface, start, end, precision):
    assert only(nlp, sentence) == (surface, start, end, precision)


@pytest.mark.parametrize(
    ("sentence", "surface", "start", "end", "precision"),
    [
        ("The attack happened on June 5, 2017, witnesses said.", "June 5, 2017", D(2017, 6, 5), D(2017, 6, 5), 1),
        ("The siege began on 17 March 2022, witnesses said.", "17 March 2022", D(2022, 3, 17), D(2022, 3, 17), 1),
        ("The report is dated 2017-06-05 and was leaked.", "2017-06-05", D(2017, 6, 5), D(2017, 6, 5), 1),
        ("The siege began in March 2022, witnesses said.", "March 2022", D(2022, 3, 1), D(2022, 3, 31), 3),
        ("The town fell on 18 or 19 December 2021, witnesses said.", "18 or 19 December 2021",
         D(2021, 12, 18), D(2021, 12, 19), 2),
        ("The siege began on Monday, March 14, 2022, witnesses said.", "Monday, March 14, 2022",
         D(2022, 3, 14), D(2022, 3, 14), 1),
        ("The siege began on the 16th of December, 2014, witnesses said.", "the 16th of December, 2014",
         D(2014, 12, 16), D(2014, 12, 16), 1),
        ("The siege began in mid-March 2022, witnesses said.", "mid-March 2022", D(2022, 3, 11), D(2022, 3, 20), 3),
    ],
)
def test_absolute_dates(nlp, sentence, surface, start, end, precision):
    assert only(nlp, sentence) == (surface, start, end, precision)


@pytest.mark.parametrize(
    ("sentence", "published", "start", "end"),
    [
        ("The school was attacked on 5 April, police said.", FRIDAY, D(2022, 4, 5), D(2022, 4, 5)),
        ("The school was attacked on 5 June, police said.", FRIDAY, D(2021, 6, 5), D(2021, 6, 5)),
        ("The school was attacked on December 16, police said.", D(2023, 1, 30), D(2022, 12, 16), D(2022, 12, 16)),
        ("The group has held the town since April, police said.", D(2023, 12, 19), D(2023, 4, 1), D(2023, 4, 30)),
        ("The group seized the town in late November, police said.", D(2023, 1, 30), D(2022, 11, 21),
         D(2022, 11, 30)),
    ],
)
def test_year_is_inferred_from_publication(nlp, sentence, published, start, end):
    _, got_start, got_end, _ = only(nlp, sentence, published)
    assert (got_start, got_end) == (start, end)


@pytest.mark.parametrize(
    "sentence",
    [
        "The town fell yesterday, officials said.",
        "The army took the village a few days ago.",
        "The town fell on Monday, officials said.",
        "Over the last 24 hours the army advanced.",
        "The school was attacked on 5 June, police said.",
    ],
)
def test_without_publication_date_relative_dates_stay_unresolved(nlp, sentence):
    found = run(nlp, sentence, published=None)
    assert len(found) == 1 and found[0].span is not None
    assert (found[0].start, found[0].end, found[0].precision) == (None, None, None)


def test_without_publication_date_absolute_dates_still_resolve(nlp):
    found = run(nlp, "The siege began on 17 March 2022, witnesses said.", published=None)
    assert [(t.start, t.precision) for t in found] == [(D(2022, 3, 17), 1)]


def test_expressions_come_in_text_order_with_their_spans(nlp):
    text = "The town fell on Monday. On 17 March 2022 the siege began. Yesterday shelling resumed."
    found = run(nlp, text)[1:]
    assert [t.surface for t in found] == ["Monday", "17 March 2022", "Yesterday"]
    assert all(t.span.of(text) == t.surface for t in found)


def test_names_that_look_like_dates_are_not_dates(nlp):
    assert run(nlp, "Theresa May met the envoy.", published=None) == []
    assert [t.surface for t in run(nlp, "Good Friday prayers were held.")] == [""]
    assert [t.surface for t in run(nlp, "He wrote about the last days of the siege.")] == [""]


def test_past_week_is_the_last_seven_days_and_last_week_the_calendar_week(nlp):
    assert only(nlp, "In the past week 40 people died.")[1:3] == (D(2022, 4, 1), FRIDAY)
    assert only(nlp, "Last week 40 people died.")[1:3] == (D(2022, 3, 28), D(2022, 4, 3))


def test_dateutil_fallback_for_entities_the_patterns_miss():
    assert times._fallback("March", FRIDAY) == (D(2022, 3, 1), D(2022, 3, 31), 3)
    assert times._fallback("May 3", FRIDAY) == (D(2021, 5, 3), D(2021, 5, 3), 1)
    assert times._fallback("May 3", None) == (None, None, None)
    assert times._fallback("the coming weeks", FRIDAY) is None


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("Veterans still recall the 1994 ambush on the river road.", D(1994, 1, 1), D(1994, 12, 31)),
        ("The group never repeated its 2011 raid on the depot.", D(2011, 1, 1), D(2011, 12, 31)),
    ],
)
def test_a_year_that_modifies_a_noun_is_a_date(nlp, sentence, start, end):
    assert only(nlp, sentence)[1:] == (start, end, 3)


@pytest.mark.parametrize("sentence", [
    "The 2000 troops on the border were sent home.",
    "Their 1500 fighters withdrew to the hills.",
])
def test_a_number_that_counts_a_noun_is_no_year(nlp, sentence):
    assert [t for t in run(nlp, sentence) if t.span is not None] == []
