"""Event extraction: triggers by sub-type, sides from the parse, disambiguation, figures,
modality and one event per incident. Sentences written for these tests.

The spaCy model comes from the session fixture ``nlp`` in tests/conftest.py. Places and times
are left empty (other extractors), so these tests exercise events.py on its own."""

from __future__ import annotations

import datetime as dt

import pytest

from sitroom.extract import events, matching, quantities
from sitroom.ingest.identity import make_document
from sitroom.model import EVENT_TYPES, SUB_TO_TYPE, PlaceMention, Span, TimeSpan

PUB = dt.date(2024, 3, 12)  # a Tuesday


def run(nlp, text: str, places=(), times=()):
    document = make_document(text, published=PUB)
    doc = nlp(document.text)
    return events.extract(doc, document, list(places), list(times), quantities.extract(doc))


def one(nlp, text: str):
    found = run(nlp, text)
    assert len(found) == 1, [(e.sub_event_type, e.sentence.of(text)) for e in found]
    return found[0]


def test_lexicon_covers_every_sub_type():
    subs = {r.sub for rules in matching.lexicon().rules.values() for r in rules if r.sub}
    assert subs >= set(SUB_TO_TYPE) - {"Other"}
    assert set(matching.lexicon().lex["subtypes"]) == {s for v in EVENT_TYPES.values() for s in v}


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("Israeli warplanes bombed a house in Rafah on Sunday, killing seven people.", "Air/drone strike"),
        ("A drone strike hit a car near Marib on Friday.", "Air/drone strike"),
        ("Russian artillery shelled the village of Kupiansk overnight.", "Shelling/artillery/missile attack"),
        ("Rockets landed on a market in Kharkiv on Monday.", "Shelling/artillery/missile attack"),
        ("A roadside bomb struck a police patrol near Kandahar, killing three officers.",
         "Remote explosive/landmine/IED"),
        ("A suicide bomber blew himself up at a checkpoint in Mogadishu on Saturday.", "Suicide bomb"),
        ("Unknown attackers threw a grenade into a bar in Bujumbura.", "Grenade"),
        ("Activists accused the army of a chlorine attack on the town of Douma.", "Chemical weapon"),
        ("Government troops clashed with al-Shabaab fighters near Baidoa on Tuesday.", "Armed clash"),
        ("The Iraqi army recaptured the town of Hit from Islamic State fighters.",
         "Government regains territory"),
        ("M23 rebels seized the town of Rubaya on Monday.", "Non-state actor overtakes territory"),
        ("Gunmen abducted 20 passengers from a bus in Kaduna state on Sunday.",
         "Abduction/forced disappearance"),
        ("Soldiers raped several women in the village of Minova, a UN report said.", "Sexual violence"),
        ("Thousands of teachers marched through Nairobi on Monday to demand higher pay.", "Peaceful protest"),
        ("Police fired tear gas to disperse protesters in Lagos on Monday.", "Protest with intervention"),
        ("Rioters threw stones at police in Dakar on Friday.", "Violent demonstration"),
        ("A mob lynched a man accused of theft in Kisumu.", "Mob violence"),
        ("The government and the ELN signed a ceasefire agreement in Havana on Friday.", "Agreement"),
        ("Police arrested 30 opposition activists in Kampala on Monday.", "Arrests"),
        ("Air defences intercepted two drones over Belgorod on Sunday.", "Disrupted weapons use"),
        ("JNIM fighters established a base in the forest near Djibo.", "Headquarters or base established"),
        ("RSF fighters looted shops in the market of El Fasher on Sunday.", "Looting/property destruction"),
        ("Russian troops withdrew from the city of Kherson on Friday.", "Non-violent transfer of territory"),
    ],
)
def test_each_sub_type(nlp, text, sub):
    e = one(nlp, text)
    assert (e.event_type, e.sub_event_type) == (SUB_TO_TYPE[sub], sub)
    assert len(e.sentence.of(text)) <= 700 and e.notes


def test_sides_from_active_and_passive(nlp):
    e = one(nlp, "The village of Zarichne was shelled by Russian forces on Monday.")
    assert e.actor1 == "Military Forces of Russia"
    e = one(nlp, "Hamas fighters ambushed an Israeli patrol near Khan Younis.")
    assert (e.actor1, e.actor2) == ("Hamas", "Military Forces of Israel")


def test_demonym_on_a_noun_trigger(nlp):
    e = one(nlp, "A Russian air strike destroyed a school in Izium on Wednesday.")
    assert (e.sub_event_type, e.actor1) == ("Air/drone strike", "Military Forces of Russia")


def test_unknown_gunmen_get_the_country(nlp):
    e = one(nlp, "Gunmen killed 12 villagers in Zamfara state, Nigeria, on Sunday.")
    assert (e.sub_event_type, e.actor1, e.actor2) == (
        "Attack", "Unidentified Armed Group (Nigeria)", "Civilians (Nigeria)")
    assert e.fatalities == 12


@pytest.mark.parametrize(
    "text",
    [
        "Teachers went on strike over unpaid wages in Accra.",
        "Thousands of workers joined a general strike in Buenos Aires.",
    ],
)
def test_labour_strike_is_a_protest(nlp, text):
    assert one(nlp, text).sub_event_type == "Peaceful protest"


@pytest.mark.parametrize(
    "text",
    [
        "The documentary was shot in Aleppo last year.",
        "The striker attacked down the left wing, but his shot was blocked and the team lost.",
        "Our correspondent said the deal was struck after long talks about wages.",
    ],
)
def test_no_event(nlp, text):
    assert run(nlp, text) == []


def test_attack_on_troops_is_a_clash_on_civilians_an_attack(nlp):
    clash = one(nlp, "Militants attacked an army checkpoint in Borno on Monday.")
    assert clash.sub_event_type == "Armed clash"
    assert one(nlp, "Militants attacked a school in Borno on Monday.").sub_event_type == "Attack"


def test_who_takes_the_town_decides_the_sub_type(nlp):
    assert one(nlp, "Syrian troops retook the town of Saraqib on Friday.").sub_event_type == \
        "Government regains territory"
    assert one(nlp, "HTS fighters captured the town of Saraqib on Friday.").sub_event_type == \
        "Non-state actor overtakes territory"


def test_police_fire_at_protesters(nlp):
    e = one(nlp, "Kenyan police fired tear gas at protesters in Nakuru on Tuesday.")
    assert e.sub_event_type == "Protest with intervention"
    assert (e.actor1, e.actor2) == ("Protesters (Kenya)", "Police Forces of Kenya")
    e = one(nlp, "Security forces opened fire on demonstrators in Omdurman, killing four, medics said.")
    assert (e.sub_event_type, e.fatalities) == ("Excessive force against protesters", 4)


def test_fatalities_keep_their_qualifier_and_wounded_are_not_fatalities(nlp):
    e = one(nlp, "A car bomb exploded in Kirkuk on Monday, killing at least 11 people and wounding 40.")
    assert (e.fatalities, e.fatalities_min, e.fatalities_max) == (11, 11, None)
    e = one(nlp, "A car bomb exploded in Kirkuk on Monday, wounding 40 people.")
    assert e.fatalities is None
    e = one(nlp, "Shelling killed up to 30 civilians in Avdiivka on Friday.")
    assert (e.fatalities, e.fatalities_max) == (30, 30)


def test_negated(nlp):
    e = one(nlp, "The defence ministry denied that its aircraft had bombed the hospital in Idlib.")
    assert e.modality == "negated"


@pytest.mark.parametrize(
    "text",
    [
        "Officials warned that Russian forces could launch an assault on Zaporizhzhia within days.",
        "The Houthis threatened to attack ships in the Red Sea.",
    ],
)
def test_hypothetical(nlp, text):
    assert one(nlp, text).modality == "hypothetical"


def test_claimed_with_claimant(nlp):
    e = one(nlp, "The Russian defence ministry claimed its forces had captured the village of Krynky.")
    assert (e.modality, e.claimed_by) == ("claimed", "Military Forces of Russia")
    assert e.sub_event_type == "Government regains territory"


def test_report_by_a_neutral_source_is_asserted(nlp):
    e = one(nlp, "Local officials said an air strike hit a market in Saada on Monday.")
    assert e.modality == "asserted"


def test_restatements_make_one_event(nlp):
    text = ("A car bomb exploded outside a hotel in Mogadishu on Saturday, killing nine people. "
            "Al-Shabaab claimed responsibility for the attack. "
            "The blast destroyed several shops nearby, witnesses said.")
    e = one(nlp, text)
    assert e.sub_event_type == "Remote explosive/landmine/IED"
    assert e.actor1 == "Al Shabaab"
    assert len(e.extra_evidence) == 2


def test_distinct_incidents_stay_apart(nlp):
    text = ("An air strike hit a hospital in Idlib on Monday. "
            "Separately, rebels shelled government positions near Hama on Wednesday.")
    assert [e.sub_event_type for e in run(nlp, text)] == [
        "Air/drone strike", "Shelling/artillery/missile attack"]
    text = "An air strike hit Idlib on Monday. Another air strike hit Aleppo on Thursday."
    assert len(run(nlp, text)) == 2


def test_generic_statements_make_no_event(nlp):
    assert run(nlp, "Suicide bombing is a weapon of the desperate.") == []
    assert run(nlp, "Attacks on aid workers have increased across the region.") == []


def test_place_and_time_come_from_the_trigger_sentence(nlp):
    text = "Officials spoke in Kyiv. A missile hit a depot in Lviv on Monday."
    lviv = PlaceMention(surface="Lviv", span=Span(text.index("Lviv"), text.index("Lviv") + 4), label="GPE")
    kyiv = PlaceMention(surface="Kyiv", span=Span(text.index("Kyiv"), text.index("Kyiv") + 4), label="GPE")
    monday = TimeSpan("on Monday", Span(text.index("on Monday"), text.index("on Monday") + 9),
                      dt.date(2024, 3, 11), dt.date(2024, 3, 11), 1)
    published = TimeSpan("", None, PUB, PUB, 1)
    e = run(nlp, text, places=[kyiv, lviv], times=[published, monday])[0]
    assert (e.place.surface, e.time.start) == ("Lviv", dt.date(2024, 3, 11))


def test_long_sentences_are_clipped(nlp):
    filler = ", ".join(f"witness number {i} said" for i in range(60))
    text = f"An air strike hit a market in Saada on Monday, {filler}."
    e = one(nlp, text)
    assert len(e.sentence.of(text)) <= 700 and "air strike" in e.sentence.of(text)
