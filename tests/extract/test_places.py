"""Place mentions: datelines, possessives, demonyms, countries and the article's country.

The spaCy model comes from the session fixture ``nlp`` in tests/conftest.py."""

from __future__ import annotations

import pytest

from sitroom.extract import places
from sitroom.ingest.identity import make_document


def run(nlp, text: str):
    document = make_document(text)
    doc = nlp(document.text)
    return places.extract(doc, document), doc


def named(found, name):
    return [p for p in found if p.name == name]


def test_dateline_town_in_capitals_is_a_place_with_its_country(nlp):
    text = "KHERSON, Ukraine (Dnieper Courier) - A shell hit the ferry terminal in Kherson on Sunday."
    found, _ = run(nlp, text)
    first = found[0]
    assert (first.surface, first.name, first.country, first.iso) == ("KHERSON", "Kherson", "Ukraine", "UA")
    assert first.span.of(text) == "KHERSON"
    assert named(found, "Ukraine")[0].iso == "UA"
    # the town's later mention gets the dateline's country too
    assert [p.iso for p in named(found, "Kherson")] == ["UA", "UA"]


def test_dateline_with_date_and_no_country(nlp):
    found, _ = run(nlp, "ADEN, Oct 3 (Gulf Desk) - A drone strike hit a fuel depot in the south on Sunday.")
    assert found[0].name == "Aden" and found[0].iso is None
    assert not any(p.name and p.name.startswith("Oct") for p in found)


def test_no_dateline_in_a_heading(nlp):
    found, _ = run(nlp, "KEY POINTS\n- Fighting continued in Khartoum on Monday.")
    assert not named(found, "Key Points")


def test_possessive_is_stripped_and_demonym_is_not_a_place(nlp):
    text = "Iraqi forces pushed into Mosul’s Old City as Syria's border stayed closed."
    found, _ = run(nlp, text)
    names = [p.name for p in found]
    assert "Mosul" in names and "Syria" in names
    assert not any("’" in n or "'" in n for n in names)
    assert "Iraqi" not in names
    assert all(p.span.of(text) == p.surface for p in found)


def test_countries_from_names_and_aliases(nlp):
    found, _ = run(nlp, "Britain and the United States condemned the attack, while Türkiye called for calm.")
    assert {p.iso for p in found} >= {"GB", "US", "TR"}
    assert named(found, "Britain")[0].country == "United Kingdom"


def test_city_comma_country_in_a_sentence(nlp):
    found, _ = run(nlp, "A bomb exploded at a mosque in Peshawar, Pakistan, killing dozens. Peshawar is tense.")
    assert [p.iso for p in named(found, "Peshawar")] == ["PK", "PK"]


def test_abbreviated_country_keeps_its_dots(nlp):
    found, _ = run(nlp, "Washington and Moscow traded accusations over the U.S. embassy.")
    assert named(found, "U.S.")[0].iso == "US"


def test_places_the_model_tags_as_organisations_or_people(nlp):
    found, _ = run(nlp, "Residents of Khartoum State fled to Gezira State and Sennar.")
    assert {"Khartoum State", "Gezira State", "Sennar"} <= {p.name for p in found}


def test_a_known_place_is_found_where_the_model_missed_it(nlp):
    text = "MARIUPOL, Ukraine (Wire) - Shelling went on. The Mariupol city council said 300 died in Mariupol."
    found, _ = run(nlp, text)
    assert len(named(found, "Mariupol")) == 3


def test_metonyms_are_not_places(nlp):
    found, _ = run(nlp, "The Kremlin said on Monday that talks with Ukraine had stalled.")
    assert not named(found, "Kremlin")
    assert named(found, "Ukraine")


def test_article_country_counts_names_and_demonyms(nlp):
    text = (
        "Sudan's army said its troops left Wad Madani. Sudanese officials blamed the RSF. "
        "Egypt called for talks, and the Sudanese army denied losses."
    )
    found, doc = run(nlp, text)
    assert places.article_country(found, doc) == ("Sudan", "SD")


def test_article_country_none_without_countries(nlp):
    found, doc = run(nlp, "It rained all day.")
    assert places.article_country(found, doc) is None


def test_country_table_covers_un_members_and_the_four_others():
    table = places.countries()
    isos = [c.iso for c in table]
    assert len(set(isos)) == len(isos) >= 197
    assert {"PS", "XK", "TW", "EH", "UA", "SD", "CD"} <= set(isos)
    assert places.country_of("the Democratic Republic of the Congo").iso == "CD"
    assert places.country_of("Cote d'Ivoire").name == "Ivory Coast"
    assert places.demonym_country("Ukrainians").iso == "UA"
    assert places.demonym_country("South Sudanese").iso == "SS"


def test_title_case():
    assert places.title_case("WAD MADANI") == "Wad Madani"
    assert places.title_case("AL-HASAKAH") == "Al-Hasakah"


def test_known_armed_groups_are_not_places_but_capitals_are():
    assert not places._is_place_name("ISIS")
    assert places._is_place_name("Moscow")
