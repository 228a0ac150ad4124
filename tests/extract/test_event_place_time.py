"""Where and when each event is placed: from its own clause, then its sentence, then what its
words point back to, then the article's dateline and main place; its date from the expression
governing its clause, else the article's "today" (its publication date); nothing invented.

Runs the whole per-article extraction (``sitroom.analyze``) on short dispatches written for
these tests, and looks at the event told in a given sentence.
"""

from __future__ import annotations

import datetime as dt

import pytest

import sitroom


def event_in(analysis, words: str):
    """The event whose evidence sentence holds ``words``."""
    text = analysis.document.text
    found = [e for e in analysis.events if words in e.sentence.of(text)]
    assert found, [e.sentence.of(text) for e in analysis.events]
    return found[0]


def place_of(e):
    p = e.place
    return None if p is None else (p.name, p.iso, p.geo_precision, p.latitude is not None)


DAMBOA = """MAIDUGURI, Nigeria (Test Wire) - Gunmen in pickup trucks stormed a girls' secondary school in Damboa, \
Borno state, before dawn on Tuesday, Nigerian police said.

On Thursday the governor said 71 pupils were still unaccounted for. Parents waited outside the school gates.

Police said officers exchanged fire with the raiders at the school on Tuesday morning.
"""

SENNAR = """NAIROBI, Mar 4 (Test Wire) - Sudan's paramilitary Rapid Support Forces captured Sennar on Saturday after \
the army pulled out of the city, residents said.

The RSF had begun its assault on the city on Wednesday, and many of those who fled had come from Omdurman.

Residents reported looting of markets and houses after the RSF arrived.
"""

LIVE = """19:05 - The picture tonight
Officers shot dead three demonstrators near parliament in central Nairobi. Kenyatta hospital treated dozens of injured.

16:30 - Kisumu
Large crowds have been marching along the main road of Kisumu.

13:45 - Tear gas
Police fired tear gas at protesters in the city centre.
"""


def test_own_clause_place_first():
    a = sitroom.analyze("Rebels shelled the town of Goma on Monday, killing five civilians, officials said.",
                        published="2024-02-14")
    assert place_of(event_in(a, "shelled")) == ("Goma", "CD", 1, True)


def test_a_definite_landmark_points_back_to_its_town_not_to_the_main_place():
    a = sitroom.analyze(DAMBOA, published="2024-03-07")
    assert place_of(event_in(a, "stormed")) == ("Damboa", "NG", 1, True)
    assert place_of(event_in(a, "exchanged fire")) == ("Damboa", "NG", 1, True)


def test_the_city_points_back_and_a_wire_dateline_elsewhere_is_not_the_place():
    a = sitroom.analyze(SENNAR, published="2024-03-04")
    assert place_of(event_in(a, "captured Sennar"))[:2] == ("Sennar", "SD")
    # "the city" is Sennar, not Omdurman named later in the sentence
    assert place_of(event_in(a, "assault on the city"))[:2] == ("Sennar", "SD")
    # no place in the sentence: the article's main place, never Nairobi where the wire filed
    assert place_of(event_in(a, "looting"))[:2] == ("Sennar", "SD")


def test_a_heading_ends_what_a_live_blog_entry_can_point_back_to():
    a = sitroom.analyze(LIVE, published="2024-06-25")
    assert place_of(event_in(a, "marching"))[:2] == ("Kisumu", "KE")
    # "the city centre" of the 13:45 entry is not Kisumu's, told under another heading:
    # the blog's main place
    assert place_of(event_in(a, "tear gas"))[:2] == ("Nairobi", "KE")


def test_an_institution_of_the_state_stands_in_the_capital():
    text = ("Thousands of people marched through the centre of Mombasa, and more gathered in Mombasa's "
            "old town.\n\nIn the afternoon protesters stormed the parliament building and set part of it on fire.")
    a = sitroom.analyze(text, published="2024-06-25")
    assert place_of(event_in(a, "stormed")) == ("Nairobi", "KE", 2, True)


def test_unknown_village_in_a_named_province_gets_the_province():
    a = sitroom.analyze("ADEN, Sep 2 (Test Wire) - A Saudi-led coalition drone struck a lorry at a busy fuel "
                        "station in Bani Hasmah, in Yemen's northwestern Hajjah province, on Sunday, killing "
                        "11 people, the UN said.", published="2019-09-02")
    _, iso, precision, has_point = place_of(event_in(a, "drone struck"))
    assert (iso, precision, has_point) == ("YE", 3, True)
    e = event_in(a, "drone struck")
    assert abs(e.place.latitude - 15.69) < 0.3 and abs(e.place.longitude - 43.61) < 0.3


def test_an_event_abroad_keeps_its_country_without_a_point():
    text = ("QUETTA, Pakistan (Test Wire) - A suicide bomber killed 23 people at a police station in Quetta on "
            "Thursday, officials said.\n\nThe group's deputy leader died in a roadside bomb blast in Afghanistan "
            "last spring.")
    a = sitroom.analyze(text, published="2023-02-03")
    assert place_of(event_in(a, "suicide bomber"))[:2] == ("Quetta", "PK")
    assert place_of(event_in(a, "roadside bomb")) == ("Afghanistan", "AF", 3, False)


def test_a_group_named_after_a_town_does_not_place_the_event_there():
    text = ("So Debaltseve has fallen, and Ukrainian troops withdrew from the town on Wednesday. "
            "The Donetsk rebels announced that they had captured the railway station.")
    a = sitroom.analyze(text)
    assert place_of(event_in(a, "captured"))[:2] == ("Debaltseve", "UA")


def test_no_place_anywhere_means_no_place():
    a = sitroom.analyze("Gunmen killed five villagers and burned their homes, police said.",
                        published="2024-02-14")
    e = event_in(a, "killed")
    assert e.place is None or e.place.latitude is None


@pytest.mark.parametrize(
    ("text", "published", "words", "start", "end"),
    [
        # the clause's own date, not the reporting verb's
        ("The army said on Tuesday that rebels had shelled the town of Goma on Sunday.", "2024-02-14",
         "shelled", dt.date(2024, 2, 11), dt.date(2024, 2, 11)),
        # a date told relative to the one just before
        ("Rebels entered the town of Goma on 15 December, and shelled its market the following day.",
         "2023-12-19", "shelled", dt.date(2023, 12, 16), dt.date(2023, 12, 16)),
        # nothing in the clause: the article's "today"
        ("Rebels shelled the town of Goma, killing five civilians, officials said.", "2024-02-14", "shelled",
         dt.date(2024, 2, 14), dt.date(2024, 2, 14)),
        # a vague range, resolved against publication
        ("A few days ago rebels shelled the town of Goma, killing five civilians.", "2024-02-14", "shelled",
         dt.date(2024, 2, 8), dt.date(2024, 2, 12)),
    ],
)
def test_event_date(text, published, words, start, end):
    e = event_in(sitroom.analyze(text, published=published), words)
    assert (e.time.start, e.time.end) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "A day or so ago rebels shelled the town of Goma, killing five civilians.",
        "Rebels shelled the town of Goma yesterday, killing five civilians.",
        "Rebels shelled the town of Goma on Monday, killing five civilians.",
        "Rebels shelled the town of Goma, killing five civilians, officials said.",
    ],
)
def test_without_a_publication_date_no_date_is_invented(text):
    e = event_in(sitroom.analyze(text), "shelled")
    assert e.time is None or (e.time.start, e.time.end, e.time.precision) == (None, None, None)
