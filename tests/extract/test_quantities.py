"""Casualty figures attached through the parse, with their qualifiers.

The spaCy model comes from the session fixture ``nlp`` in tests/conftest.py."""

from __future__ import annotations

import pytest

from sitroom.extract import quantities


def figures(nlp, text: str):
    doc = nlp(text)
    return [(q.kind, q.value, q.low, q.high, q.span.of(text), doc[q.head].lemma_.lower())
            for q in quantities.extract(doc)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Gunmen opened fire on a bus, killing at least 17 passengers.",
         ("killed", 17, 17, None, "at least 17", "kill")),
        ("Nine policemen were killed in the ambush.", ("killed", 9, None, None, "Nine", "kill")),
        ("The death toll from the blast climbed to 64 on Tuesday.", ("killed", 64, None, None, "64", "toll")),
        ("More than 80 people were injured in the stampede.",
         ("wounded", 80, 80, None, "More than 80", "injure")),
        ("Dozens dead as fighting spreads.", ("killed", None, 24, 99, "Dozens", "dead")),
        ("Between 15 and 25 people were killed.", ("killed", None, 15, 25, "Between 15 and 25", "kill")),
        ("Up to 60 villagers were wounded.", ("wounded", None, None, 60, "Up to 60", "wound")),
        ("A dozen fighters died in the clashes.", ("killed", 12, None, None, "A dozen", "die")),
        ("Hundreds of civilians have been killed since May.", ("killed", None, 200, 999, "Hundreds", "kill")),
        ("The strike killed two hundred people.", ("killed", 200, None, None, "two hundred", "kill")),
        ("Rescuers recovered the bodies of 14 miners.", ("killed", 14, None, None, "14", "body")),
        ("The number of people killed in the raid rose to 31.", ("killed", 31, None, None, "31", "number")),
        ("The shelling left 5 dead.", ("killed", 5, None, None, "5", "dead")),
        ("Three soldiers were shot dead at a checkpoint.", ("killed", 3, None, None, "Three", "shoot")),
        ("Nearly 40 people died.", ("killed", 40, None, 40, "Nearly 40", "die")),
    ],
)
def test_figure_and_qualifier(nlp, sentence, expected):
    assert figures(nlp, sentence) == [expected]


def test_killed_and_wounded_in_one_sentence(nlp):
    found = figures(nlp, "Officials said 23 people had been killed and 48 wounded.")
    assert [(k, v) for k, v, *_ in found] == [("killed", 23), ("wounded", 48)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Up to 200,000 people have fled the region.",
        "The victims were under the age of 12.",
        "About 70 per cent of the town was destroyed.",
        "The army deployed 3,000 troops to the border.",
        "The strike happened at 10:30 on 12 May 2023.",
    ],
)
def test_numbers_that_are_not_casualties(nlp, sentence):
    assert figures(nlp, sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A roadside bomb killed a policeman in Diyala.", ("killed", 1, None, None, "a policeman", "kill")),
        ("A soldier was killed when a mine exploded.", ("killed", 1, None, None, "A soldier", "kill")),
        ("A child was among the dead.", ("killed", None, 1, None, "A child", "dead")),
        ("Four children were among the dead.", ("killed", None, 4, None, "Four", "dead")),
    ],
)
def test_victims_without_a_number_and_parts_of_a_toll(nlp, sentence, expected):
    assert figures(nlp, sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "The storm killed a plan to build the bridge.",
        "A number of people were killed.",  # a vague quantity word, not one victim
        "A man was wounded in the attack.",  # wounded, and it is recorded as such only
    ],
)
def test_no_single_killed_victim(nlp, sentence):
    assert [f for f in figures(nlp, sentence) if f[0] == "killed"] == []


@pytest.mark.parametrize(
    ("text", "vague"),
    [("dozens", True), ("Scores", True), ("several hundred", True), ("a dozen", False), ("at least 12", False),
     ("between 20 and 30", False), ("hundreds", True), ("tens of thousands", True)],
)
def test_vague_figures_have_no_point_value(text, vague):
    assert quantities.vague(text) is vague


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Militants vowed to avenge the assassination of their leader in Kunduz.",
         ("killed", 1, None, None, "their leader", "assassination")),
        ("Mourners buried the mayor's deputy, who was shot dead outside his home.",
         ("killed", 1, None, None, "the mayor's deputy", "shoot")),
        ("Gunmen killed Ali Hassan Yusuf outside his home on Sunday.",
         ("killed", 1, None, None, "Ali Hassan Yusuf", "kill")),
        ("Her husband was killed in the shelling.", ("killed", 1, None, None, "Her husband", "kill")),
    ],
)
def test_one_particular_person_killed_is_one_death(nlp, sentence, expected):
    assert figures(nlp, sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "The killing of the group's members went unpunished.",  # several people, no number
        "Fighters killed his brothers in the raid.",
        "Gunmen killed Ali Hassan Yusuf and his driver on Sunday.",  # more than one, uncounted
    ],
)
def test_no_single_particular_victim(nlp, sentence):
    assert [f for f in figures(nlp, sentence) if f[0] == "killed" and f[1] == 1] == []


def test_a_particular_person_singled_out_is_not_one_more_death():
    assert quantities.singled_out("the mosque's imam") and quantities.singled_out("Ali Hassan Yusuf")
    assert not quantities.singled_out("a policeman") and not quantities.singled_out("One soldier")
