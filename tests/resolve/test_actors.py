"""The actor dictionary: exact names, generic actors filled with a country, contained names,
and noun phrases resolved in context (sitroom.extract.actors)."""

from __future__ import annotations

import pytest

from sitroom.extract.actors import Resolver, document_country, resolve_np
from sitroom.resolve.actors import KINDS, country_name, dictionary, lookup, search


def test_dictionary_loads_with_known_kinds():
    table = dictionary()
    assert len(table) > 1000
    assert {a.kind for a in table.values()} <= KINDS


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("Iraqi army", "Military Forces of Iraq"),
        ("the IDF", "Military Forces of Israel"),
        ("Houthi rebels", "Ansar Allah"),
        ("al-Shabab", "Al Shabaab"),
        ("ISWAP", "Islamic State West Africa Province"),
        ("Tatmadaw", "Military Forces of Myanmar"),
        ("FARDC", "Military Forces of Democratic Republic of Congo"),
        ("Sudan\u2019s army", "Military Forces of Sudan"),
        ("Wagner's", "Wagner Group"),
    ],
)
def test_lookup_exact(surface, name):
    assert lookup(surface).name == name


def test_unknown_name_is_none():
    assert lookup("the local football club") is None


def test_generic_actor_takes_a_country():
    assert lookup("police", "KE").name == "Police Forces of Kenya"
    assert lookup("civilians", "Ukraine").name == "Civilians (Ukraine)"
    assert lookup("gunmen", "NG").name == "Unidentified Armed Group (Nigeria)"
    assert lookup("gunmen").name == "Unidentified Armed Group"
    assert lookup("troops").name == "Military Forces"


def test_country_names_and_demonyms():
    assert country_name("SD") == "Sudan"
    assert country_name("Burma") == "Myanmar"
    assert lookup("Ukrainian").kind == "country"


def test_search_finds_the_longest_name_inside():
    assert search("gunmen from the Pakistani Taliban").name == "Tehrik-i-Taliban Pakistan"
    assert search("men in RSF uniforms").name == "Rapid Support Forces"
    assert search("the army is here") is None  # "is" is not IS
    assert search("gunmen", "NG") is None  # generic names only on request
    assert search("gunmen", "NG", generic=True).name == "Unidentified Armed Group (Nigeria)"


@pytest.mark.parametrize(
    ("sentence", "word", "name"),
    [
        ("Kenyan police dispersed the crowd.", "police", "Police Forces of Kenya"),
        ("Syria's army shelled the town.", "army", "Military Forces of Syria"),
        ("Russian aircraft bombed the bridge.", "aircraft", "Military Forces of Russia"),
        ("Taliban gunmen stormed the compound.", "gunmen", "Taliban"),
        ("A commander of Boko Haram spoke.", "commander", "Boko Haram"),
        ("The paramilitary Rapid Support Forces attacked.", "Forces", "Rapid Support Forces"),
    ],
)
def test_noun_phrases(nlp, sentence, word, name):
    doc = nlp(sentence)
    tok = next(t for t in doc if t.text == word)
    assert resolve_np(tok).name == name


def test_generic_head_uses_the_context_country(nlp):
    doc = nlp("Gunmen attacked a village in Zamfara state, Nigeria.")
    assert resolve_np(doc[0], document_country(doc)).name == "Unidentified Armed Group (Nigeria)"


def test_pronoun_takes_the_speaker_or_the_last_armed_actor(nlp):
    doc = nlp("The army said it had retaken the hill. Later the rebels regrouped. They attacked at dawn.")
    res = Resolver(doc, None)
    it = next(t for t in doc if t.lower_ == "it")
    they = next(t for t in doc if t.text == "They")
    assert res.actor(it).name == "Military Forces"
    assert res.actor(they).name == "Rebels"
