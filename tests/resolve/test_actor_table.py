"""Actor normalisation table: surface forms of the actors of current and recent conflicts (and of
protests) → canonical ACLED-style names with their ACLED actor type and inter code, generic sides
filled with a country, demonyms, the derived rows of every country, and a user's own file."""

from __future__ import annotations

import os

import pytest

from sitroom.extract.actors import resolve_np
from sitroom.lexicons import LexiconError
from sitroom.resolve import actors as dictionary
from sitroom.resolve.actors import ACLED_TYPES, acled_type, lookup

# surface form, context country (ISO) or None, canonical name, inter code
TABLE = [
    # Iraq
    ("the Iraqi army", None, "Military Forces of Iraq", 1),
    ("Iraqi troops", None, "Military Forces of Iraq", 1),
    ("Iraq's security forces", None, "Military Forces of Iraq", 1),
    ("Hashd al-Shaabi", None, "Popular Mobilization Forces", 3),
    ("Asa'ib Ahl al-Haq", None, "Asa'ib Ahl al-Haq", 3),
    # Islamic State and its provinces
    ("ISIS", None, "Islamic State", 2),
    ("ISIL", None, "Islamic State", 2),
    ("Daesh", None, "Islamic State", 2),
    ("IS", None, "Islamic State", 2),
    ("ISWAP", None, "Islamic State West Africa Province", 2),
    ("ISKP", None, "Islamic State Khorasan Province", 2),
    # Syria
    ("Syrian Arab Army", None, "Military Forces of Syria", 1),
    ("HTS", None, "Hayat Tahrir al-Sham", 2),
    ("SDF fighters", None, "Syrian Democratic Forces", 2),
    ("Free Syrian Army", None, "Free Syrian Army", 2),
    # Ukraine / Russia
    ("Russian troops", None, "Military Forces of Russia", 1),
    ("Rosgvardia", None, "Military Forces of Russia", 1),
    ("Ukrainian air defences", None, "Military Forces of Ukraine", 1),
    ("the SBU", None, "Military Forces of Ukraine", 1),
    ("Wagner fighters", None, "Wagner Group", 8),
    ("Donetsk separatists", None, "Donetsk People's Republic", 2),
    # Israel / Palestine / Lebanon
    ("the IDF", None, "Military Forces of Israel", 1),
    ("Border Police", None, "Police Forces of Israel", 1),
    ("Qassam Brigades", None, "Hamas", 2),
    ("Islamic Jihad", None, "Palestinian Islamic Jihad", 2),
    ("Al-Aqsa Martyrs' Brigades", None, "Al-Aqsa Martyrs' Brigades", 2),
    ("Jewish settlers", None, "Settlers (Israel)", 4),
    ("Hezbollah fighters", None, "Hezbollah", 2),
    # Sudan / South Sudan
    ("SAF", None, "Military Forces of Sudan", 1),
    ("RSF", None, "Rapid Support Forces", 2),
    ("SPLM-N", None, "SPLM-N", 2),
    ("Janjaweed", None, "Arab Ethnic Militia (Sudan)", 4),
    ("SPLA-IO", None, "SPLM/A-In Opposition", 2),
    ("White Army", None, "White Army", 4),
    # Yemen
    ("Houthi rebels", None, "Ansar Allah", 2),
    ("the Saudi-led coalition", None, "Military Forces of Saudi Arabia", 1),
    ("Southern Transitional Council", None, "Southern Transitional Council", 3),
    ("AQAP", None, "Al Qaeda in the Arabian Peninsula", 2),
    # Sahel
    ("JNIM", None, "Jama'at Nusrat al-Islam wal-Muslimin", 2),
    ("Katiba Macina", None, "Jama'at Nusrat al-Islam wal-Muslimin", 2),
    ("FAMa", None, "Military Forces of Mali", 1),
    ("VDP", None, "Volunteers for the Defense of the Homeland", 3),
    ("Dozo hunters", "ML", "Dozo Communal Militia (Mali)", 4),
    ("Azawad Liberation Front", None, "Azawad Liberation Front", 2),
    # DRC and Great Lakes
    ("M23 rebels", None, "M23", 2),
    ("FARDC", None, "Military Forces of Democratic Republic of Congo", 1),
    ("ADF", None, "Allied Democratic Forces", 2),
    ("FDLR", None, "Democratic Forces for the Liberation of Rwanda", 2),
    ("Mai-Mai militiamen", None, "Mai-Mai Militia", 3),
    ("Wazalendo", None, "Wazalendo", 3),
    ("MONUSCO", None, "United Nations Peacekeeping Forces", 8),
    # Somalia
    ("al-Shabab", None, "Al Shabaab", 2),
    ("Somali National Army", None, "Military Forces of Somalia", 1),
    ("ATMIS", None, "African Union Forces", 8),
    ("Macawisley", None, "Macawisley", 3),
    # Nigeria
    ("Boko Haram", None, "Boko Haram", 2),
    ("Fulani gunmen", "NG", "Fulani Ethnic Militia (Nigeria)", 4),
    ("Civilian JTF", None, "Civilian Joint Task Force", 3),
    ("IPOB", None, "Indigenous People of Biafra", 2),
    # Myanmar
    ("the Tatmadaw", None, "Military Forces of Myanmar", 1),
    ("PDF fighters", None, "People's Defence Force", 2),
    ("Arakan Army", None, "Arakan Army", 2),
    ("MNDAA", None, "Myanmar National Democratic Alliance Army", 2),
    ("KNDF", None, "Karenni Nationalities Defence Force", 2),
    # Afghanistan / Pakistan
    ("Taliban fighters", None, "Taliban", 2),
    ("Pakistani Taliban", None, "Tehrik-i-Taliban Pakistan", 2),
    ("National Resistance Front", None, "National Resistance Front", 2),
    ("BLA", None, "Balochistan Liberation Army", 2),
    # Colombia
    ("ELN guerrillas", None, "National Liberation Army (Colombia)", 2),
    ("FARC dissidents", None, "FARC Dissidents", 2),
    ("Gulf Clan", None, "Clan del Golfo", 3),
    ("ESMAD", None, "Police Forces of Colombia", 1),
    # generic sides filled with the country
    ("gunmen", "NG", "Unidentified Armed Group (Nigeria)", 3),
    ("unknown assailants", "BF", "Unidentified Armed Group (Burkina Faso)", 3),
    ("riot police", "KE", "Police Forces of Kenya", 1),
    ("protesters", "GE", "Protesters (Georgia)", 6),
    ("rioters", "SN", "Rioters (Senegal)", 5),
    ("villagers", "ML", "Civilians (Mali)", 7),
    ("tribal fighters", "SO", "Unidentified Communal Militia (Somalia)", 4),
    ("the junta", "MM", "Military Forces of Myanmar", 1),
    # countries without a row of their own in actors.tsv: derived from countries.tsv
    ("Belgium's police", None, "Police Forces of Belgium", 1),
    ("Serbia's army", None, "Military Forces of Serbia", 1),
    ("police", "BE", "Police Forces of Belgium", 1),
]


@pytest.mark.parametrize(("surface", "country", "name", "inter"), TABLE)
def test_normalisation_table(surface, country, name, inter):
    actor = lookup(surface, country)
    assert actor is not None and actor.name == name
    assert acled_type(actor) == (inter, ACLED_TYPES[inter])


@pytest.mark.parametrize(
    ("sentence", "word", "country", "name"),
    [
        ("The Iraqi troops advanced.", "troops", None, "Military Forces of Iraq"),
        ("Iraq's security forces advanced.", "forces", None, "Military Forces of Iraq"),
        ("Fighters of the Rapid Support Forces stormed the village.", "Fighters", None, "Rapid Support Forces"),
        ("Unknown armed men attacked the bus.", "men", "NG", "Unidentified Armed Group (Nigeria)"),
        ("Fulani militiamen attacked the farmers.", "militiamen", "NG", "Fulani Ethnic Militia (Nigeria)"),
        ("Warplanes pounded rebel positions.", "positions", "SY", "Rebels (Syria)"),
        ("Protesters broke through police lines.", "lines", "KE", "Police Forces of Kenya"),
        ("A bomber rammed an army convoy.", "convoy", "SO", "Military Forces of Somalia"),
        ("Drones flew over Kyiv at night.", "Drones", None, None),
        ("Belgian police dispersed the crowd.", "police", None, "Police Forces of Belgium"),
    ],
)
def test_noun_phrases_in_context(nlp, sentence, word, country, name):
    doc = nlp(sentence)
    tok = next(t for t in doc if t.text == word)
    found = resolve_np(tok, country)
    assert (found.name if found else None) == name


def test_every_row_has_a_known_inter_code():
    for actor in dictionary.dictionary().values():
        if actor.kind in ("country", "person"):
            continue
        assert acled_type(actor) is not None, actor


def test_filled_generic_names_keep_their_type():
    assert acled_type("Civilians (Sudan)") == (7, "Civilians")
    assert acled_type("Unidentified Armed Group (Mali)") == (3, "Political Militias")
    assert acled_type("Russia") is None  # a country stands for its forces or its government


def test_user_file_adds_actors_and_wins(tmp_path):
    own = tmp_path / "mine.tsv"
    own.write_text("name\tkind\tcountry\taliases\tinter\n"
                   "Zorgon Liberation Front\trebel\tKE\tZLF|Zorgon rebels\t2\n"
                   "Wagner Group\tstate\tRU\tWagner\t1\n", encoding="utf-8")
    try:
        dictionary.use_file(own)
        assert lookup("ZLF").name == "Zorgon Liberation Front"
        assert lookup("Zorgon rebels").country == "KE"
        assert acled_type("Wagner Group") == (1, "State Forces")  # the user's row wins
    finally:
        os.environ.pop(dictionary.ENV, None)
        dictionary.reload()
    assert lookup("ZLF") is None
    assert acled_type("Wagner Group") == (8, "External/Other Forces")


@pytest.mark.parametrize(
    "content",
    ["just some text\n", "name\tkind\tcountry\taliases\nFoo\tbogus\t\tfoo\n",
     "name\tkind\tcountry\taliases\tinter\nFoo\trebel\t\tfoo\t12\n"],
)
def test_a_bad_user_file_is_refused(tmp_path, content):
    own = tmp_path / "bad.tsv"
    own.write_text(content, encoding="utf-8")
    try:
        with pytest.raises(LexiconError, match="bad.tsv"):
            dictionary.use_file(own)
    finally:
        os.environ.pop(dictionary.ENV, None)
        dictionary.reload()
