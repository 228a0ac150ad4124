"""Merging event mentions across articles (resolve/merge.py), on records built by hand."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random

import pytest

from sitroom.model import SUB_TO_TYPE
from sitroom.resolve import merge

GOMA = (-1.6792, 29.2228)
SAKE = (-1.5731, 29.0450)  # ~23 km from Goma
BUKAVU = (-2.5083, 28.8608)  # ~100 km from Goma
NORTH_KIVU = (-0.8, 29.0)


def rec(mid: str, doc: str, *, sub: str = "Shelling/artillery/missile attack", published: str | None = "2024-03-06",
        start: str | None = "2024-03-05", end: str | None = None, precision: int | None = None,
        place: str | None = "Goma", coords: tuple | None = GOMA, geo: int | None = 1, iso: str | None = "CD",
        admin1: str | None = "North Kivu", actor1: str | None = "M23", actor2: str | None = "Civilians (DR Congo)",
        fatalities: int | None = None, fmin: int | None = None, fmax: int | None = None,
        modality: str = "asserted", claimed_by: str | None = None, source: str | None = None,
        text: str = "Rebels shelled the town of Goma, killing civilians.") -> dict:
    end = end if end is not None else start
    if precision is None and start:
        precision = 1 if start == end else 2
    return {
        "schema_version": "1", "event_id": mid, "event_type": SUB_TO_TYPE[sub], "sub_event_type": sub,
        "event_date": start if start and start == end else None, "date_start": start, "date_end": end,
        "time_precision": precision, "actor1": actor1, "assoc_actor_1": [], "actor2": actor2, "assoc_actor_2": [],
        "country": "Democratic Republic of Congo" if iso == "CD" else None, "iso": iso,
        "admin1": admin1 if coords else None, "location": place,
        "latitude": coords[0] if coords else None, "longitude": coords[1] if coords else None,
        "geo_precision": geo if coords else None,
        "fatalities": fatalities, "fatalities_min": fmin if fmin is not None else fatalities, "fatalities_max": fmax,
        "modality": modality, "claimed_by": claimed_by, "notes": text[:80],
        "sources": [source or f"Outlet {doc}"],
        "evidence": [{"doc_id": doc, "url": None, "source": source or f"Outlet {doc}", "published": published,
                      "text": text, "start": 0, "end": len(text)}],
    }


def events(*records: dict) -> list[dict]:
    return [merge.combine(g) for g in merge.resolve(merge.mention(r) for r in records)]


# ---------------------------------------------------------------- one incident, many sources


def test_reports_of_one_incident_become_one_event_listing_every_source():
    wire = rec("m-wire", "wire", published="2024-03-05", text="M23 rebels shelled a market in Goma on Tuesday, "
               "killing at least 12 civilians, local officials said.", fatalities=12, fmin=12)
    local = rec("m-local", "local", published="2024-03-07", start="2024-03-04", end="2024-03-06", place=None,
                coords=None, actor2=None, fatalities=15, fmin=15, fmax=15,
                text="The toll from the shelling of the Goma market by M23 has risen to 15, the mayor said.")
    [ev] = events(local, wire)
    assert ev["event_id"] == "m-wire"  # the earliest report names the event
    assert ev["sources"] == ["Outlet wire", "Outlet local"]
    assert [e["doc_id"] for e in ev["evidence"]] == ["wire", "local"]
    assert (ev["date_start"], ev["date_end"], ev["time_precision"]) == ("2024-03-05", "2024-03-05", 1)
    assert (ev["location"], ev["latitude"]) == ("Goma", GOMA[0])  # the precise place wins
    assert (ev["actor1"], ev["actor2"]) == ("M23", "Civilians (DR Congo)")
    assert [r["mention_id"] for r in ev["reports"]] == ["m-wire", "m-local"]


def test_a_report_without_a_place_joins_one_that_it_names():
    a = rec("a", "d1", text="A missile hit the railway station in Goma, killing 30 people.", fatalities=30)
    b = rec("b", "d2", place=None, coords=None, actor1=None,
            text="Rescuers searched the rubble of the Goma railway station after the missile attack.")
    s = merge.score(merge.mention(a), merge.mention(b))
    assert s.place == 0.6 and s.linked
    assert len(events(a, b)) == 1


def test_a_town_inside_a_region_level_report_merges():
    town = rec("t", "d1", text="M23 shelled Sake, west of Goma, on Tuesday.", place="Sake", coords=SAKE)
    region = rec("r", "d2", place="North Kivu", coords=NORTH_KIVU, geo=3,
                 text="Shelling by M23 in North Kivu killed civilians on Tuesday, the UN said.")
    [ev] = events(town, region)
    assert ev["location"] == "Sake" and ev["geo_precision"] == 1


# ---------------------------------------------------------------- different incidents stay apart


NO_MERGE = {
    "two strikes on one city on different days": (
        rec("a", "d1", start="2024-03-05"), rec("b", "d2", start="2024-03-06")),
    "a clash and the later retaking of the town": (
        rec("a", "d1", sub="Armed clash", start="2024-03-01", end="2024-03-04", actor1="Military Forces of DR Congo",
            actor2="M23", text="Fighting between the army and M23 raged around Goma for four days."),
        rec("b", "d2", sub="Government regains territory", start="2024-03-04", actor1="Military Forces of DR Congo",
            actor2="M23", text="The army retook Goma from M23 on Monday.")),
    "the same day in towns 100 km apart": (
        rec("a", "d1"), rec("b", "d2", place="Bukavu", coords=BUKAVU, text="Rebels shelled Bukavu, killing civilians.")),
    "same kind, day and country, nothing specific in common": (
        rec("a", "d1", sub="Protest with intervention", place=None, coords=None, actor1="Protesters (DR Congo)",
            actor2="Police Forces of DR Congo", text="Police fired tear gas at students marching to the governor's office."),
        rec("b", "d2", sub="Protest with intervention", place=None, coords=None, actor1="Protesters (DR Congo)",
            actor2="Police Forces of DR Congo", text="Officers dispersed traders blocking the main road with batons.")),
    "a forecast and a report": (
        rec("a", "d1"), rec("b", "d2", modality="hypothetical")),
    "different countries": (
        rec("a", "d1"), rec("b", "d2", iso="RW", place="Gisenyi", coords=(-1.70, 29.26))),
    "two incidents told in one article": (
        rec("a", "same"), rec("b", "same")),
    "an undated report and a dated one long before its article": (
        rec("a", "d1", start="2023-01-10", published="2023-01-11"),
        rec("b", "d2", start=None, published="2024-03-06")),
}


@pytest.mark.parametrize("case", NO_MERGE, ids=list(NO_MERGE))
def test_different_incidents_stay_apart(case):
    a, b = NO_MERGE[case]
    assert len(events(a, b)) == 2


def test_a_chain_cannot_glue_incompatible_reports():
    """B's interval overlaps both A's day and C's, but A and C are days apart: B joins one."""
    a = rec("a", "d1", start="2024-03-01")
    b = rec("b", "d2", start="2024-03-01", end="2024-03-03")
    c = rec("c", "d3", start="2024-03-03")
    groups = merge.resolve(merge.mention(r) for r in (a, b, c))
    assert sorted(len(g) for g in groups) == [1, 2]
    assert not any({"a", "c"} <= {m.mention_id for m in g} for g in groups)


def test_one_event_takes_at_most_one_report_per_article():
    a1 = rec("a1", "A")
    a2 = rec("a2", "A", text="Rebels shelled Goma again, hitting a school.")
    b = rec("b", "B")
    groups = merge.resolve(merge.mention(r) for r in (a1, a2, b))
    assert all(len({m.doc_id for m in g}) == len(g) for g in groups)
    assert sorted(len(g) for g in groups) == [1, 2]


# ---------------------------------------------------------------- figures, dates, modality


def test_fatalities_span_the_sources_and_the_latest_report_is_the_estimate():
    early = rec("a", "d1", published="2024-03-05", fatalities=39, fmin=39)  # "at least 39"
    later = rec("b", "d2", published="2024-03-06", fatalities=52, fmin=52, fmax=52)
    [ev] = events(early, later)
    assert (ev["fatalities"], ev["fatalities_min"], ev["fatalities_max"]) == (52, 39, 52)
    assert ev["fatalities"] != 39 + 52


def test_an_open_at_least_above_every_bounded_figure_leaves_the_maximum_open():
    a = rec("a", "d1", published="2024-03-05", fatalities=40, fmin=40, fmax=40)
    b = rec("b", "d2", published="2024-03-06", fatalities=60, fmin=60)  # "more than 60"
    [ev] = events(a, b)
    assert (ev["fatalities"], ev["fatalities_min"], ev["fatalities_max"]) == (60, 40, None)


def test_a_partys_figure_does_not_override_an_outlets():
    outlet = rec("a", "d1", published="2024-03-05", fatalities=29, fmin=29, fmax=29)
    party = rec("b", "d2", published="2024-03-07", fatalities=43, fmin=43, fmax=43, modality="claimed",
                claimed_by="Houthis")
    [ev] = events(outlet, party)
    assert (ev["fatalities"], ev["fatalities_min"], ev["fatalities_max"]) == (29, 29, 43)


def test_no_figure_anywhere_stays_null():
    [ev] = events(rec("a", "d1"), rec("b", "d2"))
    assert (ev["fatalities"], ev["fatalities_min"], ev["fatalities_max"]) == (None, None, None)


def test_dates_narrow_to_the_intersection():
    week = rec("a", "d1", start="2024-03-01", end="2024-03-07", published="2024-03-08")
    month = rec("b", "d2", start="2024-03-01", end="2024-03-31", precision=3, published="2024-04-02")
    days = rec("c", "d3", start="2024-03-05", end="2024-03-09", published="2024-03-10")
    [ev] = events(week, month, days)
    assert (ev["date_start"], ev["date_end"], ev["time_precision"], ev["event_date"]) == (
        "2024-03-05", "2024-03-07", 2, None)


def test_asserted_by_one_outlet_and_claimed_in_another_is_asserted_and_keeps_the_claim():
    asserted = rec("a", "d1")
    claimed = rec("b", "d2", modality="claimed", claimed_by="M23")
    [ev] = events(asserted, claimed)
    assert ev["modality"] == "asserted" and ev["claimed_by"] is None
    assert {(r["modality"], r["claimed_by"]) for r in ev["reports"]} == {("asserted", None), ("claimed", "M23")}
    [only_claims] = events(rec("a", "d1", modality="claimed", claimed_by="M23"),
                           rec("b", "d2", modality="claimed", claimed_by="M23"))
    assert (only_claims["modality"], only_claims["claimed_by"]) == ("claimed", "M23")


def test_the_sub_type_the_others_fold_into_wins():
    vague = rec("a", "d1", sub="Attack", text="An attack on a market in Goma killed civilians.")
    precise = rec("b", "d2", sub="Suicide bomb", text="A suicide bomber struck a market in Goma.")
    [ev] = events(vague, precise)
    assert (ev["event_type"], ev["sub_event_type"]) == ("Explosions/Remote violence", "Suicide bomb")


# ---------------------------------------------------------------- order, idempotence, blocking


def synthetic(n_incidents: int, seed: int) -> list[dict]:
    """Incidents with 1-4 reports each, some sharing a town and a day, with noisy fields."""
    rnd = random.Random(seed)
    towns = [("Goma", GOMA), ("Sake", SAKE), ("Bukavu", BUKAVU)]
    subs = ["Shelling/artillery/missile attack", "Armed clash", "Attack", "Air/drone strike"]
    out = []
    for i in range(n_incidents):
        town, coords = rnd.choice(towns)
        day = dt.date(2024, 3, 1) + dt.timedelta(days=rnd.randrange(6))
        sub = rnd.choice(subs)
        toll = rnd.choice([None, 3, 12])
        for k in range(rnd.randint(1, 4)):
            start = day - dt.timedelta(days=rnd.choice([0, 0, 1]))
            end = day + dt.timedelta(days=rnd.choice([0, 0, 2]))
            known = rnd.random() < 0.7
            out.append(rec(
                f"m{i}-{k}", f"doc{i}-{k}", sub=sub, published=(end + dt.timedelta(days=k)).isoformat(),
                start=start.isoformat(), end=end.isoformat(), place=town if known else None,
                coords=coords if known else None, actor1=rnd.choice(["M23", None, "Military Forces of DR Congo"]),
                fatalities=toll if rnd.random() < 0.6 else None,
                text=f"Incident {i} in {town}: {sub.lower()} reported, word{i} detail{i % 7}."))
    return out


def _canonical(records: list[dict]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in records)


def test_the_result_does_not_depend_on_the_order_of_the_reports():
    records = synthetic(40, seed=1)
    expected = _canonical(events(*records))
    rnd = random.Random(7)
    for _ in range(5):
        shuffled = records[:]
        rnd.shuffle(shuffled)
        assert _canonical(events(*shuffled)) == expected


def test_merging_the_merged_reports_again_changes_nothing():
    records = synthetic(30, seed=2)
    groups = merge.resolve(merge.mention(r) for r in records)
    again = merge.resolve(m for g in groups for m in g)
    assert [[m.mention_id for m in g] for g in again] == [[m.mention_id for m in g] for g in groups]


def test_blocking_finds_every_compatible_pair():
    ms = [merge.mention(r) for r in synthetic(40, seed=3)]
    ms += [merge.mention(rec(f"u{k}", f"undated{k}", start=None, published=f"2024-03-0{k + 1}")) for k in range(5)]
    pairs = list(merge.candidate_pairs(ms))
    found = set(pairs)
    assert len(pairs) == len(found), "each pair is compared once"
    for i, j in itertools.combinations(range(len(ms)), 2):
        if merge.incompatible(ms[i], ms[j]) is None:
            assert (i, j) in found, (ms[i].mention_id, ms[j].mention_id)


def test_explain_lists_the_reports_and_the_links_that_joined_them():
    a, b = rec("a", "d1", fatalities=5), rec("b", "d2", fatalities=5)
    info = merge.explain([merge.mention(b), merge.mention(a)])
    assert [r["mention_id"] for r in info["reports"]] == ["a", "b"]
    [link] = info["links"]
    assert {link["a"], link["b"]} == {"a", "b"} and link["total"] >= info["threshold"] and link["figures"] == 1.0


def test_a_named_side_beats_gunmen_but_protesters_stay_first():
    gunmen = rec("a", "d1", sub="Attack", actor1="Unidentified Armed Group (DR Congo)")
    named = rec("b", "d2", sub="Attack")
    gunmen2 = rec("c", "d3", sub="Attack", actor1="Unidentified Armed Group (DR Congo)")
    [ev] = events(gunmen, named, gunmen2)
    assert ev["actor1"] == "M23"
    crowd = {"sub": "Excessive force against protesters", "actor2": "Police Forces of DR Congo", "fatalities": 3}
    [protest] = events(rec("p", "d1", actor1="Protesters (DR Congo)", **crowd),
                       rec("q", "d2", actor1="Protesters (DR Congo)", **crowd),
                       rec("r", "d3", actor1="Police Forces of DR Congo", **{**crowd, "actor2": None}))
    assert (protest["actor1"], protest["actor2"]) == ("Protesters (DR Congo)", "Police Forces of DR Congo")


def test_a_date_that_only_stands_in_for_the_publication_day_does_not_split_reports():
    """'Monday's bombing' read as the article's own day must not keep it from Monday's report;
    a dated report weeks before the article stays apart."""
    monday = rec("a", "d1", published="2024-03-04", start="2024-03-04", fatalities=59, fmin=59)
    wednesday = {**rec("b", "d2", published="2024-03-06", start="2024-03-06", fatalities=100, fmin=100, fmax=100),
                 "date_from": "publication"}
    [ev] = events(monday, wednesday)
    assert (ev["date_start"], ev["date_end"], ev["date_from"]) == ("2024-03-04", "2024-03-04", "text")
    old = rec("c", "d3", published="2024-02-01", start="2024-02-01")
    assert len(events(old, {**wednesday, "fatalities": None})) == 2
    [alone] = events(wednesday)
    assert (alone["date_start"], alone["date_from"]) == ("2024-03-06", "publication")


def test_two_reports_that_place_an_incident_only_in_the_same_country_agree_on_the_place():
    """A country named as the place, with or without its coordinates, is a (weak) agreement
    on the place: the killing of one named man told vaguely in one report ('last year') and
    precisely in another merges; another killing of the same kind in the country does not."""
    congo = {"place": "Democratic Republic of Congo", "coords": None, "actor1": None, "actor2": None,
             "fatalities": 1}
    vague = rec("v", "d1", sub="Attack", published="2024-02-10", start="2023-01-01", end="2023-12-31", precision=3,
                text="Fighters swore to avenge the killing of their founder, Jean-Pierre Mukendi Bisimwa, in Congo "
                     "last year, a statement said.", **congo)
    precise = rec("p", "d2", sub="Remote explosive/landmine/IED", published="2024-02-12", start="2023-06-01",
                  end="2023-06-30", precision=3, text="Jean-Pierre Mukendi Bisimwa was killed by a roadside bomb "
                                                       "near his farm in Congo last June.", **congo)
    other = rec("o", "d3", sub="Remote explosive/landmine/IED", published="2024-02-12", start="2023-06-01",
                end="2023-06-30", precision=3, text="A landmine killed a farmer tending his field in Congo in June.",
                **congo)
    s = merge.score(merge.mention(vague), merge.mention(precise))
    assert s.place == 0.3 and s.linked and s.total - 1.5 * s.place < merge.THRESHOLD, s  # the place decides
    [ev] = events(vague, precise)
    assert ev["sub_event_type"] == "Remote explosive/landmine/IED"
    assert ev["date_start"] == "2023-06-01" and len(ev["sources"]) == 2
    assert len(events(vague, other)) == 2  # same kind, country and toll, nothing else in common
    nowhere = rec("n", "d3", sub="Attack", start="2023-06-01", end="2023-06-30", published="2024-02-12",
                  place=None, coords=None, actor1=None, actor2=None, text=precise["evidence"][0]["text"])
    assert merge.score(merge.mention(vague), merge.mention(nowhere)).place == 0.0  # no place told: no agreement


def test_one_armed_groups_attacks_of_a_day_told_only_by_country_stay_apart():
    """The same named actor1 is no specific agreement when both reports give only the country
    (with or without its coordinates): nothing tells its attacks of that day apart."""
    congo = {"place": "Democratic Republic of Congo", "actor2": None}
    a = rec("a", "d1", coords=None, text="M23 shelled army positions in Congo on Tuesday.", **congo)
    b = rec("b", "d2", coords=None, text="The rebels fired rockets at a displacement camp, aid workers in Congo said.",
            **congo)
    s = merge.score(merge.mention(a), merge.mention(b))
    assert s.total >= merge.THRESHOLD and s.actors == 1.0 and s.place == merge.COUNTRY_PLACE and not s.linked, s
    assert len(events(a, b)) == 2
    a3, b3 = ({**r, "latitude": -2.9, "longitude": 23.6, "geo_precision": 3, "admin1": None} for r in (a, b))
    assert len(events(a3, b3)) == 2  # the country's coordinates tell no more
    ta, tb = (rec(r["event_id"], r["evidence"][0]["doc_id"], actor2=None, text=r["evidence"][0]["text"]) for r in (a, b))
    assert len(events(ta, tb)) == 1  # the same town: one incident
    assert merge.score(merge.mention(ta), merge.mention(b3)).anchored  # a town in a country-level report: may be
