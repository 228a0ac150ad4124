"""A table of temporal expressions in context, resolved against a publication date.

Each row: a sentence holding exactly one date expression, the publication date (None: the
article has none), and what times.extract must give: the expression's surface, the interval
(inclusive) and the ACLED time precision (1 the day, 2 a range of days or a week, 3 a month or
coarser). Rows cover absolute dates, weekdays, relative days, vague ranges, years and seasons,
dates told relative to another date, and year, month and leap-day boundaries.

The spaCy model comes from the session fixture ``nlp`` in tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitroom.extract import times
from sitroom.ingest.identity import make_document

D = dt.date
FRI = D(2022, 4, 8)  # a Friday
TUE = D(2023, 12, 19)  # a Tuesday
NEW_YEAR = D(2023, 1, 2)  # a Monday, two days into the year
JAN1 = D(2021, 1, 1)  # a Friday, the first day of the year
LEAP = D(2024, 3, 1)  # a Friday, the day after 29 February
MID = D(2024, 6, 25)  # a Tuesday

ROWS = [
    # ---- explicit dates
    ("The attack happened on 5 June 2017, witnesses said.", FRI, "5 June 2017", D(2017, 6, 5), D(2017, 6, 5), 1),
    ("The attack happened on June 5, 2017, witnesses said.", FRI, "June 5, 2017", D(2017, 6, 5), D(2017, 6, 5), 1),
    ("The attack happened on June 5, witnesses said.", FRI, "June 5", D(2021, 6, 5), D(2021, 6, 5), 1),
    ("The attack happened on 5 April, witnesses said.", FRI, "5 April", D(2022, 4, 5), D(2022, 4, 5), 1),
    ("The attack happened on the 5th of April, witnesses said.", FRI, "the 5th of April", D(2022, 4, 5),
     D(2022, 4, 5), 1),
    ("The attack happened on Dec. 15, 2023, witnesses said.", FRI, "Dec. 15, 2023", D(2023, 12, 15),
     D(2023, 12, 15), 1),
    ("CAIRO, Dec 19 (CPS) - The army withdrew, officials said.", TUE, "Dec 19", TUE, TUE, 1),
    ("The army withdrew on Tuesday, 19 December 2023, officials said.", FRI, "Tuesday, 19 December 2023",
     TUE, TUE, 1),
    ("The report is dated 2023-12-19 and was leaked.", None, "2023-12-19", TUE, TUE, 1),
    ("The army withdrew on the 16th, officials said.", TUE, "the 16th", D(2023, 12, 16), D(2023, 12, 16), 1),
    ("The army withdrew on the 28th, officials said.", TUE, "the 28th", D(2023, 11, 28), D(2023, 11, 28), 1),
    ("The town fell on 18 or 19 December, officials said.", TUE, "18 or 19 December", D(2023, 12, 18), TUE, 2),
    ("Fighting raged from 15 to 18 December, officials said.", TUE, "15 to 18 December", D(2023, 12, 15),
     D(2023, 12, 18), 2),
    ("Fighting raged on June 5-7, officials said.", FRI, "June 5-7", D(2021, 6, 5), D(2021, 6, 7), 2),
    ("Fighting raged from 30 November to 2 December, officials said.", TUE, "30 November to 2 December",
     D(2023, 11, 30), D(2023, 12, 2), 2),
    ("Fighting raged from 28 December to 3 January, officials said.", NEW_YEAR, "28 December to 3 January",
     D(2021, 12, 28), D(2022, 1, 3), 2),
    # ---- months and parts of months
    ("The siege began in March 2022, witnesses said.", FRI, "March 2022", D(2022, 3, 1), D(2022, 3, 31), 3),
    ("The siege began in mid-March 2022, witnesses said.", FRI, "mid-March 2022", D(2022, 3, 11),
     D(2022, 3, 20), 3),
    ("The siege began in early March, witnesses said.", FRI, "early March", D(2022, 3, 1), D(2022, 3, 10), 3),
    ("The siege began in mid-July, witnesses said.", FRI, "mid-July", D(2021, 7, 11), D(2021, 7, 20), 3),
    ("The siege began in late November, witnesses said.", NEW_YEAR, "late November", D(2022, 11, 21),
     D(2022, 11, 30), 3),
    ("The siege began at the end of February, witnesses said.", LEAP, "the end of February", D(2024, 2, 21),
     D(2024, 2, 29), 3),
    ("The group has held the town since June, witnesses said.", TUE, "June", D(2023, 6, 1), D(2023, 6, 30), 3),
    ("The group has held the town since April, witnesses said.", FRI, "April", D(2022, 4, 1), D(2022, 4, 30), 3),
    ("The group took the town last August, witnesses said.", FRI, "last August", D(2021, 8, 1), D(2021, 8, 31), 3),
    ("The group took the town in December, witnesses said.", NEW_YEAR, "December", D(2022, 12, 1),
     D(2022, 12, 31), 3),
    ("Elections are due next March, officials said.", FRI, "next March", D(2023, 3, 1), D(2023, 3, 31), 3),
    # ---- years, parts of years, seasons
    ("The breakaway faction rejoined the alliance in 2019 and kept its own commanders.", D(2023, 1, 31), "2019",
     D(2019, 1, 1), D(2019, 12, 31), 3),
    ("The group has fought the army since 2014, analysts say.", FRI, "2014", D(2014, 1, 1), D(2014, 12, 31), 3),
    ("The group was formed in mid-2014, analysts say.", FRI, "mid-2014", D(2014, 5, 1), D(2014, 8, 31), 3),
    ("The group was formed in early 2015, analysts say.", FRI, "early 2015", D(2015, 1, 1), D(2015, 4, 30), 3),
    ("The group was formed in late 2016, analysts say.", FRI, "late 2016", D(2016, 9, 1), D(2016, 12, 31), 3),
    ("The talks collapsed late last year, analysts say.", FRI, "late last year", D(2021, 9, 1),
     D(2021, 12, 31), 3),
    ("The talks collapsed last year, analysts say.", JAN1, "last year", D(2020, 1, 1), D(2020, 12, 31), 3),
    ("The talks collapsed earlier this year, analysts say.", FRI, "earlier this year", D(2022, 1, 1), FRI, 3),
    ("The talks collapsed this year, analysts say.", JAN1, "this year", JAN1, JAN1, 3),
    ("The town fell in the summer of 2016, analysts say.", FRI, "the summer of 2016", D(2016, 6, 1),
     D(2016, 8, 31), 3),
    ("The town fell last summer, analysts say.", FRI, "last summer", D(2021, 6, 1), D(2021, 8, 31), 3),
    ("The town fell in the winter of 2014, analysts say.", FRI, "the winter of 2014", D(2014, 12, 1),
     D(2015, 2, 28), 3),
    ("The town fell two years ago, analysts say.", FRI, "two years ago", D(2020, 4, 1), D(2020, 4, 30), 3),
    ("A population of 2000 people lived there, analysts say.", FRI, None, None, None, None),
    # ---- weekdays
    ("The town fell on Monday, officials said.", FRI, "Monday", D(2022, 4, 4), D(2022, 4, 4), 1),
    ("The station was hit on Friday, officials said.", FRI, "Friday", FRI, FRI, 1),
    ("The station was hit early on Sunday, officials said.", FRI, "Sunday", D(2022, 4, 3), D(2022, 4, 3), 1),
    ("Drones attacked on Wednesday night, officials said.", FRI, "Wednesday night", D(2022, 4, 6),
     D(2022, 4, 6), 1),
    ("The station was hit last Friday, officials said.", FRI, "last Friday", D(2022, 4, 1), D(2022, 4, 1), 1),
    ("The ministers will meet on Monday, officials said.", FRI, "Monday", D(2022, 4, 11), D(2022, 4, 11), 1),
    ("A vote is scheduled for Tuesday, officials said.", FRI, "Tuesday", D(2022, 4, 12), D(2022, 4, 12), 1),
    ("The ministers meet next Tuesday, officials said.", FRI, "next Tuesday", D(2022, 4, 12), D(2022, 4, 12), 1),
    ("Gunmen stormed the school on Friday, officials said.", NEW_YEAR, "Friday", D(2022, 12, 30),
     D(2022, 12, 30), 1),
    ("Gunmen stormed the school on Thursday, officials said.", JAN1, "Thursday", D(2020, 12, 31),
     D(2020, 12, 31), 1),
    ("Gunmen stormed the school on Thursday, officials said.", LEAP, "Thursday", D(2024, 2, 29),
     D(2024, 2, 29), 1),
    ("The Sunday Times reported the raid.", FRI, None, None, None, None),
    ("Good Friday prayers were held.", FRI, None, None, None, None),
    # ---- relative days
    ("The town fell yesterday, officials said.", FRI, "yesterday", D(2022, 4, 7), D(2022, 4, 7), 1),
    ("The town fell yesterday, officials said.", JAN1, "yesterday", D(2020, 12, 31), D(2020, 12, 31), 1),
    ("The town fell yesterday, officials said.", LEAP, "yesterday", D(2024, 2, 29), D(2024, 2, 29), 1),
    ("The town fell yesterday morning, officials said.", FRI, "yesterday morning", D(2022, 4, 7),
     D(2022, 4, 7), 1),
    ("Shelling resumed today, officials said.", FRI, "today", FRI, FRI, 1),
    ("Shelling resumed this morning, officials said.", FRI, "this morning", FRI, FRI, 1),
    ("Shelling resumed a few hours ago, officials said.", FRI, "a few hours ago", FRI, FRI, 1),
    ("The town fell the day before yesterday, officials said.", FRI, "the day before yesterday",
     D(2022, 4, 6), D(2022, 4, 6), 1),
    ("Missiles struck the city overnight, officials said.", FRI, "overnight", D(2022, 4, 7), FRI, 2),
    ("Missiles struck the city last night, officials said.", JAN1, "last night", D(2020, 12, 31), JAN1, 2),
    ("The army took the village two days ago.", LEAP, "two days ago", D(2024, 2, 28), D(2024, 2, 28), 1),
    ("The army took the village three days ago.", NEW_YEAR, "three days ago", D(2022, 12, 30),
     D(2022, 12, 30), 1),
    ("A day or so ago the army took the village.", FRI, "A day or so ago", D(2022, 4, 6), D(2022, 4, 7), 2),
    ("A couple of days ago the army took the village.", FRI, "A couple of days ago", D(2022, 4, 5),
     D(2022, 4, 6), 2),
    ("Over the last 24 hours the army advanced.", FRI, "the last 24 hours", D(2022, 4, 7), FRI, 2),
    ("In the past 48 hours the army advanced.", FRI, "the past 48 hours", D(2022, 4, 6), FRI, 2),
    ("Over the last 24 hours the army advanced.", JAN1, "the last 24 hours", D(2020, 12, 31), JAN1, 2),
    ("Rebels attacked the camp tomorrow, a rumour said.", FRI, "tomorrow", D(2022, 4, 9), D(2022, 4, 9), 1),
    # ---- vague ranges
    ("The army took the village a few days ago.", FRI, "a few days ago", D(2022, 4, 2), D(2022, 4, 6), 2),
    ("The army took the village a few days ago.", NEW_YEAR, "a few days ago", D(2022, 12, 27),
     D(2022, 12, 31), 2),
    ("The army took the village several days ago.", LEAP, "several days ago", D(2024, 2, 24),
     D(2024, 2, 28), 2),
    ("The army took the village two weeks ago.", FRI, "two weeks ago", D(2022, 3, 22), D(2022, 3, 28), 2),
    ("The army took the village a month ago.", NEW_YEAR, "a month ago", D(2022, 12, 1), D(2022, 12, 31), 3),
    ("The bridge was destroyed last week, officials said.", FRI, "last week", D(2022, 3, 28), D(2022, 4, 3), 2),
    ("The bridge was destroyed last week, officials said.", NEW_YEAR, "last week", D(2022, 12, 26),
     D(2023, 1, 1), 2),
    ("The bridge was destroyed late last week, officials said.", FRI, "late last week", D(2022, 3, 31),
     D(2022, 4, 3), 2),
    ("The bridge was destroyed earlier this week, officials said.", FRI, "earlier this week", D(2022, 4, 4),
     FRI, 2),
    ("In the past week 40 people died.", TUE, "the past week", D(2023, 12, 12), TUE, 2),
    ("Over the past two weeks 40 people died.", FRI, "the past two weeks", D(2022, 3, 25), FRI, 2),
    ("Over the past three months 400 people died.", FRI, "the past three months", D(2022, 1, 8), FRI, 3),
    ("Fighting went on over the weekend, officials said.", FRI, "the weekend", D(2022, 4, 2), D(2022, 4, 3), 2),
    ("Earlier this month the army took the village.", TUE, "Earlier this month", D(2023, 12, 1), TUE, 3),
    ("Earlier this month the army took the village.", JAN1, "Earlier this month", JAN1, JAN1, 3),
    ("The army took the village last month.", NEW_YEAR, "last month", D(2022, 12, 1), D(2022, 12, 31), 3),
    ("The army took the village last month.", LEAP, "last month", D(2024, 2, 1), D(2024, 2, 29), 3),
    ("The army took the village late last month.", LEAP, "late last month", D(2024, 2, 21), D(2024, 2, 29), 3),
    ("In recent days 40 people died.", FRI, "recent days", D(2022, 4, 2), FRI, 2),
    ("In recent weeks 40 people died.", FRI, "recent weeks", D(2022, 3, 11), FRI, 3),
    ("More attacks may come in the coming days, officials said.", FRI, "the coming days", FRI,
     D(2022, 4, 14), 2),
    # ---- told relative to the date just before
    ("The army said on Tuesday that it had withdrawn, a day after the RSF announced its advance.", TUE,
     ("Tuesday", "a day after"), D(2023, 12, 18), D(2023, 12, 18), 1),
    ("Rebels entered the town on 15 December and the army left the following day.", TUE,
     ("15 December", "the following day"), D(2023, 12, 16), D(2023, 12, 16), 1),
    ("Rebels entered the town on 15 December; two days later the army left.", TUE,
     ("15 December", "two days later"), D(2023, 12, 17), D(2023, 12, 17), 1),
    ("The truce signed on 3 July 2019 was due to begin at noon on the 6th.", None,
     ("3 July 2019", "the 6th"), D(2019, 7, 6), D(2019, 7, 6), 1),
    ("A truce was agreed on 12 February 2015. It failed on 18 February, monitors said.", None,
     ("12 February 2015", "18 February"), D(2015, 2, 18), D(2015, 2, 18), 1),
    ("The army left the following day, officials said.", FRI, "the following day", None, None, None),
]


def _extract(nlp, sentence: str, published: dt.date | None):
    document = make_document(sentence, published=published)
    return [t for t in times.extract(nlp(document.text), document) if t.span is not None]


@pytest.mark.parametrize(("sentence", "published", "surface", "start", "end", "precision"), ROWS)
def test_temporal_expression(nlp, sentence, published, surface, start, end, precision):
    found = _extract(nlp, sentence, published)
    if surface is None:  # not a date at all
        assert found == []
        return
    surfaces = surface if isinstance(surface, tuple) else (surface,)
    assert [t.surface for t in found] == list(surfaces)
    t = found[-1]  # the expression under test comes last
    assert t.span.of(sentence) == t.surface
    assert (t.start, t.end, t.precision) == (start, end, precision)


def test_the_table_is_big_enough():
    assert len(ROWS) >= 80
    assert len({r[1] for r in ROWS}) >= 6  # publication dates, across year and month ends and a leap day


@pytest.mark.parametrize(
    "sentence",
    [
        "The town fell yesterday, officials said.",
        "The town fell late last year, officials said.",
        "The army left the following day, officials said.",
        "The army withdrew on the 16th, officials said.",
        "The group took the town in December, witnesses said.",
        "In recent weeks 40 people died.",
        "The station was hit last Friday, officials said.",
    ],
)
def test_without_any_date_to_count_from_nothing_is_invented(nlp, sentence):
    found = _extract(nlp, sentence, None)
    assert len(found) == 1
    assert (found[0].start, found[0].end, found[0].precision) == (None, None, None)
