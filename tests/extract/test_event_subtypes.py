"""Every ACLED sub-event type: sentences that must fire (with the expected sub-type) and near-misses
that must not fire at all. All sentences were written for these tests; they use names and
places of several conflicts so that no rule leans on one story.

The spaCy model comes from the session fixture ``nlp`` in tests/conftest.py; the whole article
pipeline (places, times, figures) runs, as in ``sitroom.analyze``."""

from __future__ import annotations

import pytest

from sitroom.extract import analyze_text
from sitroom.model import SUB_TO_TYPE

FIRE = [
    # Chemical weapon
    ("Chemical weapon", "Government helicopters dropped barrels of chlorine gas on the town of Kafr Zita, doctors said."),
    ("Chemical weapon", "A sarin attack on the village of Al-Lataminah killed 12 people, investigators found."),
    ("Chemical weapon", "Residents of Ghouta said the shells released a poison gas that choked dozens of children."),
    # Air/drone strike
    ("Air/drone strike", "Israeli warplanes bombed a house in Khan Younis on Sunday, killing seven people."),
    ("Air/drone strike", "A drone strike hit a car near Marib on Friday, killing two Al Qaeda members."),
    ("Air/drone strike", "Junta aircraft struck a monastery in Sagaing region on Tuesday, killing 11 villagers."),
    # Suicide bomb
    ("Suicide bomb", "A suicide bomber blew himself up at a checkpoint in Mogadishu on Saturday."),
    ("Suicide bomb", "A suicide car bomber rammed an army convoy near Afgoye on Monday."),
    ("Suicide bomb", "A female suicide bomber detonated her vest at a market in Maiduguri, killing six people."),
    # Shelling/artillery/missile attack
    ("Shelling/artillery/missile attack", "Russian artillery shelled the village of Vovchansk overnight."),
    ("Shelling/artillery/missile attack", "Rockets landed on a market in Kharkiv on Monday, killing three people."),
    ("Shelling/artillery/missile attack", "Houthi forces fired a ballistic missile at the port of Mocha on Sunday."),
    # Remote explosive/landmine/IED
    ("Remote explosive/landmine/IED", "A roadside bomb struck a police patrol near Kandahar, killing three officers."),
    ("Remote explosive/landmine/IED", "A landmine killed four children herding goats near Tillaberi on Friday."),
    ("Remote explosive/landmine/IED", "A car bomb exploded outside a hotel in Mogadishu on Saturday."),
    # Grenade
    ("Grenade", "Unknown attackers threw a grenade into a bar in Bujumbura on Saturday night."),
    ("Grenade", "Militants lobbed a grenade at a security post in Srinagar, wounding four policemen."),
    # Armed clash
    ("Armed clash", "Government troops clashed with al-Shabaab fighters near Baidoa on Tuesday."),
    ("Armed clash", "Heavy fighting broke out between the army and Arakan Army fighters in Rakhine state on Friday."),
    ("Armed clash", "ADF rebels ambushed a FARDC convoy near Beni on Monday, killing six soldiers."),
    # Government regains territory
    ("Government regains territory", "The Iraqi army recaptured the town of Hit from Islamic State fighters."),
    ("Government regains territory", "Ukrainian forces liberated the village of Robotyne in Zaporizhzhia region on Monday."),
    # Non-state actor overtakes territory
    ("Non-state actor overtakes territory", "M23 rebels seized the town of Rubaya on Monday."),
    ("Non-state actor overtakes territory", "Taliban fighters captured the provincial capital of Kunduz on Sunday."),
    ("Non-state actor overtakes territory", "JNIM militants overran a military base in central Mali on Tuesday."),
    # Sexual violence
    ("Sexual violence", "Soldiers raped several women in the village of Minova, a UN report said."),
    ("Sexual violence", "RSF fighters sexually assaulted girls at a camp near Geneina, survivors said."),
    # Attack
    ("Attack", "Gunmen killed 12 villagers in Zamfara state, Nigeria, on Sunday."),
    ("Attack", "Militiamen executed five civilians in the village of Djibo on Thursday."),
    ("Attack", "Militants attacked a school in Borno state on Monday."),
    # Abduction/forced disappearance
    ("Abduction/forced disappearance", "Gunmen abducted 20 passengers from a bus in Kaduna state on Sunday."),
    ("Abduction/forced disappearance", "Bandits kidnapped a priest in Kogi state on Monday."),
    ("Abduction/forced disappearance", "Security agents forcibly disappeared three activists in Harare last week."),
    # Peaceful protest
    ("Peaceful protest", "Thousands of teachers marched through Nairobi on Monday to demand higher pay."),
    ("Peaceful protest", "Hundreds of demonstrators gathered outside parliament in Belgrade on Sunday."),
    ("Peaceful protest", "Dock workers went on strike in the port of Durban over unpaid wages."),
    # Protest with intervention
    ("Protest with intervention", "Police fired tear gas to disperse protesters in Lagos on Monday."),
    ("Protest with intervention", "Riot police used water cannon against students marching in Dhaka."),
    # Excessive force against protesters
    ("Excessive force against protesters", "Security forces opened fire on demonstrators in Omdurman, killing four."),
    ("Excessive force against protesters", "Soldiers shot dead 12 protesters in Mandalay on Saturday."),
    # Violent demonstration
    ("Violent demonstration", "Rioters threw stones at police in Dakar on Friday."),
    ("Violent demonstration", "Protesters broke through a police cordon and stormed the town hall in Dakar on Monday."),
    ("Violent demonstration", "Protesters clashed with police in Tbilisi on Thursday night."),
    # Mob violence
    ("Mob violence", "A mob lynched a man accused of theft in Kisumu on Sunday."),
    ("Mob violence", "Villagers beat to death two suspected cattle thieves in Plateau state."),
    # Agreement
    ("Agreement", "The government and the ELN signed a ceasefire agreement in Havana on Friday."),
    ("Agreement", "Russia and Ukraine exchanged 200 prisoners of war on Friday."),
    ("Agreement", "Israel and Hamas agreed to a truce on Wednesday."),
    # Arrests
    ("Arrests", "Police arrested 30 opposition activists in Kampala on Monday."),
    ("Arrests", "Security forces detained the editor of a newspaper in Tehran on Sunday."),
    # Change to group/activity
    ("Change to group/activity", "The faction pledged allegiance to the Islamic State on Friday."),
    ("Change to group/activity", "The army deployed troops to the border town of Tabou on Friday."),
    # Disrupted weapons use
    ("Disrupted weapons use", "Air defences intercepted two drones over Belgorod on Sunday."),
    ("Disrupted weapons use", "Police defused a bomb planted near a church in Kaduna on Sunday."),
    ("Disrupted weapons use", "Soldiers seized a large weapons cache in Kirkuk province."),
    # Headquarters or base established
    ("Headquarters or base established", "JNIM fighters established a base in the forest near Djibo."),
    ("Headquarters or base established", "Wagner fighters set up a base at Tessalit airport on Monday."),
    # Looting/property destruction
    ("Looting/property destruction", "RSF fighters looted shops in the market of El Fasher on Sunday."),
    ("Looting/property destruction", "Islamic State militants blew up a Shia shrine in Tal Afar on Friday."),
    ("Looting/property destruction", "Israeli forces demolished the homes of two Palestinians in Jenin."),
    # Non-violent transfer of territory
    ("Non-violent transfer of territory", "Russian troops withdrew from the city of Kherson on Friday."),
    ("Non-violent transfer of territory", "French forces handed over the base in Gao to the Malian army."),
    # Other
    ("Other", "Soldiers staged a coup in Niamey on Wednesday."),
    ("Other", "The government imposed a curfew in the city of Imphal on Monday."),
]

NEAR_MISSES = [
    # Chemical weapon
    "Inspectors from the OPCW visited a chemical weapons storage site near Damascus.",
    "The chemical plant produces chlorine for water treatment.",
    # Air/drone strike
    "The air force held a parade in Kyiv to mark independence day.",
    "Drones now deliver blood samples to clinics in rural Rwanda.",
    # Suicide bomb
    "The charity runs a helpline for suicide prevention in Nairobi.",
    # Shelling
    "The company shelled out millions for the new stadium.",
    "North Korea carried out a ballistic missile test on Sunday.",
    # Remote explosive
    "The coal mine collapsed after heavy rain in Balochistan.",
    "Gold mine workers in Obuasi demanded higher wages.",
    # Grenade
    "Soldiers trained with grenade launchers at the range.",
    # Armed clash
    "Fans clashed after the football match in Cairo, and the referee was booed.",
    "The two leaders clashed over the budget plan in parliament.",
    # Government regains territory
    "The company regained control of its website after the hack.",
    # Non-state actor overtakes territory
    "Fears of inflation took control of the markets on Monday.",
    # Sexual violence
    "Farmers began the oilseed rape harvest in the region.",
    # Attack
    "The minister attacked the opposition's budget plan in a speech.",
    "The former president died of cancer in Paris.",
    # Abduction
    "The new film is about a kidnapping in Mexico City.",
    # Peaceful protest
    "The ambassador lodged a formal protest with the foreign ministry.",
    "Stock markets rallied on Monday.",
    # Protest with intervention
    "Customs officers found tear gas canisters in a warehouse at the port.",
    # Excessive force
    "The army held live fire exercises near the border.",
    # Violent demonstration
    "Children threw stones into the river.",
    "The riot police stood by.",
    # Mob violence
    "Lynch said the plan would fail.",
    # Agreement
    "The two teams agreed to play the final in Abuja.",
    # Arrests
    "The footballer suffered a cardiac arrest during training.",
    # Change to group/activity
    "The company deployed new software across its offices.",
    # Disrupted weapons use
    "The goalkeeper intercepted the ball and cleared it.",
    # Headquarters or base established
    "The bank established its headquarters in Lagos in 1990.",
    # Looting/property destruction
    "A storm destroyed dozens of homes in the coastal town.",
    # Non-violent transfer of territory
    "Russia withdrew from the grain deal in July.",
    "The candidate withdrew from the presidential race.",
    # Other
    "The curfew was lifted on Monday.",
]


@pytest.mark.parametrize(("sub", "text"), FIRE)
def test_fires_with_its_sub_type(nlp, sub, text):
    found = analyze_text(text, published="2024-03-12").events
    assert [e.sub_event_type for e in found] == [sub], [(e.sub_event_type, e.actor1) for e in found]
    assert found[0].event_type == SUB_TO_TYPE[sub]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_miss_does_not_fire(nlp, text):
    found = analyze_text(text, published="2024-03-12").events
    assert found == [], [(e.sub_event_type, e.actor1) for e in found]


def test_every_sub_type_has_sentences_that_fire():
    assert {sub for sub, _ in FIRE} == set(SUB_TO_TYPE)


def test_a_failed_agreement_is_negated(nlp):
    found = analyze_text("The two sides failed to agree on a ceasefire.", published="2024-03-12").events
    assert [(e.sub_event_type, e.modality) for e in found] == [("Agreement", "negated")]


def test_villagers_who_kill_are_a_mob(nlp):
    e, = analyze_text("Villagers beat a man to death in Kisumu on Sunday.", published="2024-03-12").events
    assert (e.sub_event_type, e.actor1) == ("Mob violence", "Rioters (Kenya)")


def test_a_school_named_after_the_army_is_a_civilian_target(nlp):
    e, = analyze_text("Gunmen attacked the Army Cadet School in Kohat on Tuesday, killing 12 pupils.",
                      published="2024-03-12").events
    assert e.sub_event_type == "Attack" and "Military" not in (e.actor2 or ""), (e.sub_event_type, e.actor2)


def test_an_army_post_is_still_the_army(nlp):  # near miss of the rule above
    e, = analyze_text("Gunmen attacked an army checkpoint in Kohat on Tuesday, killing 12 soldiers.",
                      published="2024-03-12").events
    assert e.sub_event_type == "Armed clash" and "Military" in (e.actor2 or ""), (e.sub_event_type, e.actor2)
