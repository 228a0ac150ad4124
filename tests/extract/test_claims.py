"""Claims: attributed statements and the writer's marked judgements (sitroom.extract.claims).

Every sentence here is written for the test; the model is loaded once (the session ``nlp`` fixture).
"""

from __future__ import annotations

import pytest

from sitroom.extract import claims
from sitroom.ingest.identity import make_document
from sitroom.model import ClaimMention


@pytest.fixture(scope="module")
def extract(nlp):
    def run(text: str) -> list[ClaimMention]:
        document = make_document(text)
        found = claims.extract(nlp(document.text), document, [])
        for c in found:  # offsets always point at the text they claim to
            assert document.text[c.span.start:c.span.end] == c.text
            assert c.sentence.end - c.sentence.start <= 700
            assert c.sentence.start <= c.span.start < c.sentence.end
            assert c.span.end <= c.sentence.end or c.span.end - c.span.start > 700
        return found

    return run


def one(found: list[ClaimMention]) -> ClaimMention:
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- constructions


def test_said_that_gives_the_clause(extract):
    c = one(extract("The port authority said on Sunday that two drones had hit a fuel depot."))
    assert (c.claimant, c.cue, c.text) == ("port authority", "said", "two drones had hit a fuel depot")
    assert (c.certainty, c.polarity, c.author_stance) == ("certain", "positive", "neutral")


def test_speaker_after_the_statement(extract):
    c = one(extract("Two drones hit a fuel depot near the port overnight, regional officials said."))
    assert c.text == "Two drones hit a fuel depot near the port overnight"
    assert c.claimant == "regional officials" and c.claimant_type == "government"


def test_according_to(extract):
    c = one(extract("According to the district council, eleven houses were destroyed in the shelling."))
    assert (c.claimant, c.cue) == ("district council", "according to")
    assert c.text == "eleven houses were destroyed in the shelling"


def test_spoke_of_and_unnamed_sources(extract):
    c = one(extract("Reports spoke of heavy fighting in the northern suburbs."))
    assert (c.claimant, c.claimant_type, c.cue, c.text) == (
        "unnamed reports", "unnamed", "spoke of", "heavy fighting in the northern suburbs")
    c = one(extract("Witnesses said the convoy was ambushed on the coast road."))
    assert c.claimant == "unnamed reports"


def test_claim_noun_with_demonym_owner(extract):
    c = one(extract("The Ruritanian claim that the bridge was mined is wrong."))
    assert c.cue == "claim" and c.text == "the bridge was mined"


def test_claim_noun_russian_is_russia(extract):
    c = one(extract("The Russian claim that the ferry was sunk by a naval drone is wrong."))
    assert c.claimant == "Russia" and c.claimant_type == "government"
    assert c.author_stance == "disputes"


def test_video_that_claims_to_show(extract):
    c = one(extract("A video released by the Northern Front claims to show its fighters in the town hall."))
    assert c.cue == "claims to show" and c.text == "its fighters in the town hall"
    assert "Northern Front" in c.claimant


def test_participle_saying_reports_for_the_subject(extract):
    c = one(extract("Hospital staff put the toll higher, saying 27 people had died."))
    assert (c.claimant, c.cue, c.text) == ("hospital staff", "saying", "27 people had died")


def test_verb_frames(extract):
    c = one(extract("The ministry accused the opposition of staging the attack."))
    assert c.cue == "accused of" and "staging the attack" in c.text
    c = one(extract("The militia described the raid as an act of self-defence."))
    assert c.cue == "described as" and c.text == "the raid as an act of self-defence"
    c = one(extract("The rebel commander claimed responsibility for the ambush."))
    assert c.text == "claimed responsibility for the ambush"


def test_passive_report(extract):
    c = one(extract("Looting of shops in the old market has been reported."))
    assert c.claimant == "unnamed reports" and c.text.startswith("Looting of shops")


def test_coordinated_reporting_verbs_are_two_claims(extract):
    found = extract("The ministry denied that its jets had hit the school and said rebels had mined it.")
    assert [c.cue for c in found] == ["denied", "said"]
    assert [c.polarity for c in found] == ["negative", "positive"]
    assert found[0].claimant == found[1].claimant == "ministry"


def test_quotation_spanning_sentences(extract):
    c = one(extract('"The roof fell in. Nobody got out," a neighbour told the paper.'))
    assert c.text.startswith("The roof fell in") and c.claimant == "neighbour"


# --------------------------------------------------------------------------- claimants


def test_person_names_and_pronouns(extract):
    found = extract("Governor Amina Bello said the bridge was closed. She added that repairs would follow.")
    assert [(c.claimant, c.claimant_type) for c in found] == [("Amina Bello", "person")] * 2


def test_surname_refers_back_to_the_full_name(extract):
    found = extract("Colonel Tomas Varga said the town was surrounded. Varga said supplies were running out.")
    assert [c.claimant for c in found] == ["Tomas Varga", "Tomas Varga"]


def test_title_and_apposition(extract):
    c = one(extract("The deputy interior minister, Lena Okafor, said the curfew would be lifted."))
    assert (c.claimant, c.claimant_type) == ("Lena Okafor", "person")


def test_demonym_officials_are_the_country(extract):
    c = one(extract("Ukrainian officials said the dam was breached overnight."))
    assert c.claimant == "Ukraine" and c.claimant_type == "government"


def test_spokesman_for_an_organisation(extract):
    c = one(extract("The toll has risen to 40, a spokesman for Mercy Hospital said."))
    assert c.claimant == "Mercy Hospital"


def test_first_person_in_a_quotation_is_not_the_author(extract):
    c = one(extract('"We will hold the city," the mayor told reporters.'))
    assert c.claimant == "mayor" and c.text == "We will hold the city"


# --------------------------------------------------------------------------- the writer's own claims


@pytest.mark.parametrize(("text", "certainty", "cue"), [
    ("The rebels will probably try to retake the town before the rains.", "probable", "probably"),
    ("The strike may have been a mistake.", "possible", "may"),
    ("The city will doubtless fall within days.", "certain", "doubtless"),
    ("The offensive is likely to resume in the spring.", "probable", "likely"),
    ("It is possible that the militia withdrew to the hills.", "possible", "possible"),
    ("The attack was almost certainly carried out by a drone.", "probable", "certainly"),
])
def test_hedged_narration_is_the_authors_claim(extract, text, certainty, cue):
    c = one(extract(text))
    assert (c.claimant, c.claimant_type, c.author_stance) == ("author", "author", "endorses")
    assert (c.certainty, c.cue) == (certainty, cue)


def test_first_person_judgements(extract):
    c = one(extract("I think the offensive has stalled."))
    assert (c.claimant, c.cue, c.certainty) == ("author", "think", "probable")
    assert c.text == "the offensive has stalled"
    c = one(extract("In my view the ceasefire will not hold."))
    assert (c.claimant, c.cue, c.polarity) == ("author", "In my view", "negative")
    c = one(extract("The footage looks to me genuine."))
    assert (c.claimant, c.certainty) == ("author", "probable")


def test_coordinated_judgements_with_their_own_hedges(extract):
    text = "I speculated that the bridge may have been mined and that the retreat was probably planned."
    found = extract(text)
    assert [(c.text, c.certainty) for c in found] == [
        ("the bridge may have been mined", "possible"), ("the retreat was probably planned", "probable")]
    assert all(c.cue == "speculated" and c.claimant == "author" for c in found)


def test_coordinated_clauses_differing_in_certainty_split(extract):
    found = extract("Analysts said the loss was a heavy blow and could open the road to the capital.")
    assert [c.certainty for c in found] == ["certain", "possible"]


def test_plain_narration_is_not_a_claim(extract):
    assert extract("Russian forces shelled the village overnight, killing three civilians. "
                   "The brigade withdrew from the town after two weeks of fighting. "
                   "Smoke could be seen rising from the refinery.") == []


def test_background_hedges_are_not_claims(extract):
    assert extract("The council, which could not give a figure, closed the schools.") == []
    assert extract("Officials did not say how many soldiers died. The army was quick to claim the town") == []


# --------------------------------------------------------------------------- certainty, polarity, stance


def test_hedge_in_the_proposition_lowers_certainty(extract):
    assert one(extract("The minister warned that fighting could spread south.")).certainty == "possible"
    assert one(extract("Security analysts said the bomber probably had help.")).certainty == "probable"
    assert one(extract("The ministry suggested that the toll was lower.")).certainty == "probable"


def test_polarity(extract):
    assert one(extract("Hamas denied that its fighters had used the clinic.")).polarity == "negative"
    assert one(extract("The ministry said its troops had not entered the village.")).polarity == "negative"
    assert one(extract("The army said it is not true that its men fired on them.")).polarity == "negative"
    assert one(extract("The army said its soldiers had entered the village.")).polarity == "positive"


@pytest.mark.parametrize(("text", "stance"), [
    ("Moscow falsely claimed that the hospital was empty.", "disputes"),
    ("The militia said, without evidence, that saboteurs had blown up the bridge.", "disputes"),
    ("The separatists insist that their fighters took the hill. That claim is not credible.", "disputes"),
    ("Police confirmed that four people had died in the blast.", "endorses"),
    ("The statement, which could not be independently verified, said 40 fighters were killed.", "neutral"),
    ("The army said its soldiers had entered the village.", "neutral"),
])
def test_author_stance(extract, text, stance):
    assert extract(text)[0].author_stance == stance


def test_long_sentence_evidence_is_a_window(extract):
    filler = ", ".join(f"the village of Place{i}" for i in range(60))
    c = one(extract(f"The governor said that shelling had hit {filler} and the market."))
    assert c.text.startswith("shelling had hit") and c.text.endswith("the market")
    assert 0 < c.sentence.end - c.sentence.start <= 700


def test_lexicon_is_complete():
    lx = claims.lexicon()
    assert {"say", "claim", "deny", "report", "accuse"} <= set(lx.reporting_verbs)
    assert lx.reporting_verbs["deny"]["polarity"] == "negative"
    assert lx.demonyms["russian"] == "Russia"


# --------------------------------------------------------------------------- every cue class (issue 5)


@pytest.mark.parametrize(("text", "cue", "claimant", "proposition"), [
    ("The governor said the bridge at Orlov had been blown up.", "said", "governor",
     "the bridge at Orlov had been blown up"),
    ("The militia claimed that its fighters had shot down a helicopter.", "claimed", "militia",
     "its fighters had shot down a helicopter"),
    ("State television reported that the airport had reopened.", "reported", "State television",
     "the airport had reopened"),
    ("The opposition alleged that ballots had been burned in two districts.", "alleged", "opposition",
     "ballots had been burned in two districts"),
    ("The hospital director confirmed that nine patients had died.", "confirmed", "hospital director",
     "nine patients had died"),
    ("According to the Red Crescent, the convoy reached the camp on Sunday.", "according to", "Red Crescent",
     "the convoy reached the camp on Sunday"),
    ("Reports spoke of looting in the eastern districts.", "spoke of", "unnamed reports",
     "looting in the eastern districts"),
    ("Sources say the commander has fled across the border.", "say", "unnamed reports",
     "the commander has fled across the border"),
    ("A statement issued by the Northern Front claims to show that its units hold the pass.", "claims to show",
     "Northern Front", "its units hold the pass"),
])
def test_attribution_cues(extract, text, cue, claimant, proposition):
    c = one(extract(text))
    assert c.cue == cue and claimant.lower() in c.claimant.lower() and c.text == proposition
    assert c.polarity == "positive"


@pytest.mark.parametrize(("text", "cue", "certainty"), [
    ("The garrison will probably surrender before the winter.", "probably", "probable"),
    ("The offensive is likely to stall in the marshes.", "likely", "probable"),
    ("The convoy may have taken the northern road.", "may", "possible"),
    ("The shelling might resume after the talks.", "might", "possible"),
    ("The dam could give way under more shelling.", "could", "possible"),
    ("The port will doubtless be blockaded by spring.", "doubtless", "certain"),
    ("The militia appears to have abandoned its positions.", "appears", "probable"),
])
def test_hedge_and_booster_cues(extract, text, cue, certainty):
    c = one(extract(text))
    assert (c.claimant, c.cue, c.certainty, c.author_stance) == ("author", cue, certainty, "endorses")


@pytest.mark.parametrize(("text", "cue", "proposition"), [
    ("I think the bridgehead will be abandoned.", "think", "the bridgehead will be abandoned"),
    ("I speculated that the raid had been planned for weeks.", "speculated", "the raid had been planned for weeks"),
    ("The photograph looks to me authentic.", "looks to me", "The photograph looks to me authentic"),
])
def test_first_person_cues(extract, text, cue, proposition):
    c = one(extract(text))
    assert (c.claimant, c.cue, c.text) == ("author", cue, proposition)


@pytest.mark.parametrize(("text", "cue"), [
    ("The army denied that its artillery had hit the clinic.", "denied"),
    ("The rebels rejected claims that they had executed prisoners.", "rejected"),
    ("Officials dismissed reports that the minister had resigned.", "dismissed"),
    ("The ministry said it was not true that troops had entered the village.", "said"),
    ("The militia denied responsibility for the ambush on the convoy.", "denied"),
])
def test_denials_are_negative(extract, text, cue):
    c = extract(text)[0]
    assert (c.cue, c.polarity) == (cue, "negative")


def test_denial_of_a_reported_claim_keeps_both_sides(extract):
    found = extract("Officials dismissed reports that the minister had resigned.")
    assert [(c.claimant, c.polarity) for c in found] == [("officials", "negative"), ("unnamed reports", "positive")]
    assert found[1].text == "the minister had resigned"


def test_nested_attribution(extract):
    found = extract("The ministry said that the rebels claimed the dam had been mined.")
    outer, inner = found
    assert (outer.claimant, outer.cue, outer.text) == ("ministry", "said", "the rebels claimed the dam had been mined")
    assert (inner.claimant, inner.cue, inner.text) == ("rebels", "claimed", "the dam had been mined")
    found = extract("According to the mayor, the police said the gunmen had fled.")
    assert [(c.claimant, c.text) for c in found] == [
        ("mayor", "the police said the gunmen had fled"), ("police", "the gunmen had fled")]


@pytest.mark.parametrize("text", [
    "Did the army shell the market?",
    "Who fired the rocket that hit the station?",
    "Could the rebels have mined the bridge?",
    "Is it possible that the strike was a mistake?",
    "Was the commander killed in the strike, as the rebels claim?",
    '"Where is the aid?" a resident said.',
])
def test_questions_are_not_claims(extract, text):
    assert extract(text) == []


def test_a_question_does_not_swallow_the_next_sentence(extract):
    c = one(extract("Who did the fighting? The separatists insist that their own volunteers took the town."))
    assert (c.claimant, c.text) == ("separatists", "their own volunteers took the town")


def test_media_item_maker_behind_an_apposition(extract):
    c, judgement = extract("Confirmation came in a video published by Amaq, the group's 'news agency', which "
                           "claims to show fighters in the old city. It looks to me genuine.")
    assert (c.claimant, c.claimant_type, c.cue) == ("Amaq", "media", "claims to show")
    assert c.author_stance == "endorses"  # the next sentence judges it genuine
    assert (judgement.claimant, judgement.certainty) == ("author", "probable")


@pytest.mark.parametrize(("text", "stance"), [
    ("The group said its fighters had shot down a drone. The footage looks to me genuine.", "endorses"),
    ("The group said its fighters had shot down a drone. The footage seems to be authentic.", "endorses"),
    ("The group said its fighters had shot down a drone. The footage looks doctored.", "neutral"),
])
def test_stance_phrases_with_optional_words(extract, text, stance):
    assert [c.author_stance for c in extract(text) if c.claimant != "author"] == [stance]


@pytest.mark.parametrize("text", [
    "No group claimed the ambush on the convoy near Menaka.",
    "Nobody said anything about the missing trucks.",
    "None of the militias claimed the rocket fire on the base.",
])
def test_a_subject_that_names_no_one_claims_nothing(extract, text):
    assert extract(text) == []


def test_the_dateline_is_not_part_of_what_was_said(extract):
    c = one(extract("BAMAKO, Mali (Sahel Wire) - Jihadists ambushed a supply convoy near Gao on Monday, "
                    "two security sources said."))
    assert c.text.startswith("Jihadists ambushed") and c.claimant_type == "unnamed"


def test_speakers_the_parser_hangs_on_the_statement(extract):
    c = one(extract("A drone hit a fuel depot near Marib on Friday, starting a large fire, "
                    "residents and a tribal leader said."))
    assert c.claimant == "residents and a tribal leader"
    assert c.text == "A drone hit a fuel depot near Marib on Friday, starting a large fire"
