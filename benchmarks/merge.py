"""Time and memory of merging event mentions across articles (resolve/merge.py), on synthetic
mentions, and how well the merge finds the synthetic incidents.

    .venv/bin/python benchmarks/merge.py [--sizes 10000 100000] [--per-day 270] [--store 10000]

Each size runs in a fresh process (its peak RSS is the memory figure); times are CPU seconds
of that process (``wall_s`` is the clock, which other work on the machine inflates). The mentions come from
synthetic incidents: 1-6 reports each (2 on average) from different articles, in 60 countries
of 40 towns, with the noise outlets show: a day, a range of days or only the month, or no date;
a town, a region, the country or no place (5% not even the country); a vaguer sub-type; actor1 missing or another; a
rising toll or none; a few claimed reports; wording that shares some of the incident's words.

``--per-day`` is the flow of mentions per day (270 ≈ 100,000 a year, the order of a global
conflict feed), so a larger size covers a longer period at the same density; ``--days`` fixes
the period instead, so a larger size is denser (more mentions per week and country: the
blocks grow, and the work with them). ``--store N`` also runs the store's incremental path:
N mentions written in batches of 200 into a temporary SQLite database, resolved after each
batch, and checks that the result equals merging them all at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

SUBS = ["Armed clash", "Air/drone strike", "Shelling/artillery/missile attack", "Suicide bomb",
        "Remote explosive/landmine/IED", "Attack", "Abduction/forced disappearance", "Peaceful protest",
        "Protest with intervention", "Violent demonstration", "Looting/property destruction", "Arrests"]
VAGUER = {"Air/drone strike": "Attack", "Suicide bomb": "Attack", "Remote explosive/landmine/IED": "Attack",
          "Protest with intervention": "Peaceful protest"}
def _word(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


COMMON = [_word(random.Random(k), 6) for k in range(300)]  # the wording every report shares
START = dt.date(2020, 1, 1)


def synthetic(n: int, seed: int, per_day: float | None, days: int | None) -> list[dict]:
    from sitroom.model import SUB_TO_TYPE

    rnd = random.Random(seed)
    span = days or max(7, round(n / (per_day or 270)))
    countries = []
    for c in range(60):
        iso = chr(65 + c // 26) + chr(65 + c % 26)
        lat0, lon0 = rnd.uniform(-30, 50), rnd.uniform(-20, 100)
        regions = [(f"Region{c}-{r}", lat0 + rnd.uniform(0, 6), lon0 + rnd.uniform(0, 6)) for r in range(6)]
        towns = []
        for t in range(40):
            reg = rnd.choice(regions)
            towns.append((f"Town{c}x{t}", reg, reg[1] + rnd.uniform(-1, 1), reg[2] + rnd.uniform(-1, 1)))
        actors = [f"Group {iso}-{k}" for k in range(5)] + [f"Military Forces of {iso}"]
        countries.append((iso, f"Country {iso}", towns, actors))
    out: list[dict] = []
    i = 0
    while len(out) < n:
        iso, country, towns, actors = rnd.choice(countries)
        town, region, lat, lon = rnd.choice(towns)
        day = START + dt.timedelta(days=rnd.randrange(span))
        sub = rnd.choice(SUBS)
        actor1, actor2 = rnd.sample(actors, 2)
        toll = rnd.choice([None, None, rnd.randint(1, 80)])
        words = [_word(rnd, 8) for _ in range(6)] + [_word(rnd, 7).capitalize()]  # the incident's own words
        reports = 1
        while reports < 6 and rnd.random() < 0.5:
            reports += 1
        hypothetical = rnd.random() < 0.03
        for k in range(reports):
            if len(out) >= n:
                break
            published = day + dt.timedelta(days=rnd.choice([0, 1, 1, 2, 3]) + k)
            r = rnd.random()
            if r < 0.65:
                start = end = day
                precision = 1
            elif r < 0.85:
                start, end = day - dt.timedelta(days=rnd.randint(0, 3)), day + dt.timedelta(days=rnd.randint(1, 3))
                precision = 2
            elif r < 0.95:
                start, end = day.replace(day=1), (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) \
                    - dt.timedelta(days=1)
                precision = 3
            else:
                start = end = None
                precision = None
            r = rnd.random()
            place = {"country": country, "iso": iso, "admin1": region[0], "location": town, "latitude": lat,
                     "longitude": lon, "geo_precision": 1}
            if 0.6 <= r < 0.75:
                place.update(location=region[0], latitude=region[1], longitude=region[2], geo_precision=3)
            elif 0.75 <= r < 0.85:
                place.update(location=country, admin1=None, latitude=region[1], longitude=region[2], geo_precision=3)
            elif r >= 0.85:  # no place; the country is mostly still known from the article
                known = rnd.random() < 0.67
                place = {"country": country if known else None, "iso": iso if known else None, "admin1": None,
                         "location": None, "latitude": None, "longitude": None, "geo_precision": None}
            text_words = rnd.sample(COMMON, 10) + rnd.sample(words, rnd.randint(2, 5))
            if rnd.random() < 0.5:
                text_words.append(town)
            rnd.shuffle(text_words)
            text = "Reports said " + " ".join(text_words) + "."
            figure = None if toll is None or rnd.random() < 0.4 else toll + 3 * k
            at_least = figure is not None and rnd.random() < 0.3
            modality = "hypothetical" if hypothetical else ("claimed" if rnd.random() < 0.1 else "asserted")
            rsub = VAGUER.get(sub, sub) if rnd.random() < 0.1 else sub
            doc = f"doc{len(out)}"
            out.append({
                "schema_version": "1", "event_id": f"ev-{i:07d}-{k}", "event_type": SUB_TO_TYPE[rsub],
                "sub_event_type": rsub, "event_date": start.isoformat() if start and start == end else None,
                "date_start": start.isoformat() if start else None, "date_end": end.isoformat() if end else None,
                "time_precision": precision,
                "actor1": rnd.choice([actor1, actor1, actor1, None, rnd.choice(actors)]), "assoc_actor_1": [],
                "actor2": rnd.choice([actor2, None]), "assoc_actor_2": [], **place,
                "fatalities": figure, "fatalities_min": figure, "fatalities_max": None if at_least else figure,
                "modality": modality, "claimed_by": actor1 if modality == "claimed" else None, "notes": text,
                "sources": [f"Outlet {rnd.randrange(50)}"],
                "evidence": [{"doc_id": doc, "url": None, "source": "Outlet", "published": published.isoformat(),
                              "text": text, "start": 0, "end": len(text)}],
                "_incident": i,
            })
        i += 1
    return out


def quality(groups, incident_of: dict[str, int]) -> dict:
    """Pairwise precision/recall of the merged groups against the synthetic incidents."""
    def pairs(sizes):
        return sum(s * (s - 1) // 2 for s in sizes)

    found = pairs(len(g) for g in groups)
    right = sum(pairs(Counter(incident_of[m.mention_id] for m in g).values()) for g in groups)
    truth = pairs(Counter(incident_of.values()).values())
    return {"events": len(groups), "incidents": len(set(incident_of.values())),
            "pair_precision": round(right / found, 3) if found else 1.0,
            "pair_recall": round(right / truth, 3) if truth else 1.0}


def run_one(n: int, seed: int, per_day: float | None, days: int | None) -> dict:
    from sitroom.resolve import merge

    records = synthetic(n, seed, per_day, days)
    incident_of = {r["event_id"]: r.pop("_incident") for r in records}
    mentions = [merge.mention(r) for r in records]
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.process_time()
    compared = sum(1 for _ in merge.candidate_pairs(sorted(mentions, key=lambda m: m.mention_id)))
    t1 = time.process_time()
    w1 = time.perf_counter()
    groups = merge.resolve(mentions)
    t2 = time.process_time()
    built = [merge.combine(g) for g in groups]
    t3 = time.process_time()
    w3 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"mentions": n, "days": days or max(7, round(n / (per_day or 270))), "pairs_compared": compared,
            "blocking_s": round(t1 - t0, 2), "resolve_s": round(t2 - t1, 2), "combine_s": round(t3 - t2, 2),
            "total_s": round(t3 - t1, 2), "wall_s": round(w3 - w1, 2),
            "us_per_mention": round((t3 - t1) / n * 1e6, 1),
            "peak_rss_mb": round(rss / 1024, 1), "rss_growth_mb": round((rss - rss0) / 1024, 1),
            "records": len(built), **quality(groups, incident_of)}


def run_store(n: int, seed: int, per_day: float | None, days: int | None, batch: int = 200) -> dict:
    """The store's incremental path: batches written and resolved one after the other."""
    from sitroom.resolve import merge
    from sitroom.store import schema
    from sitroom.store.repository import Store, _event_row

    records = synthetic(n, seed, per_day, days)
    for r in records:
        r.pop("_incident")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "bench.db"))
        now = dt.datetime(2024, 1, 1)
        t0 = time.process_time()
        for k in range(0, n, batch):
            chunk = records[k:k + batch]
            with store.engine.begin() as conn:
                conn.execute(schema.documents.insert(), [
                    {"id": r["evidence"][0]["doc_id"], "content_hash": r["evidence"][0]["doc_id"],
                     "published": dt.date.fromisoformat(r["evidence"][0]["published"]), "text": r["notes"],
                     "ingested_at": now} for r in chunk])
                conn.execute(schema.event_mentions.insert(), [
                    _event_row(r["evidence"][0]["doc_id"], r, dt.date.fromisoformat(r["evidence"][0]["published"]))
                    for r in chunk])
                store._resolve(conn)
        elapsed = time.process_time() - t0
        incremental = sorted(json.dumps(r, sort_keys=True) for r in store.events())
        expected = sorted(json.dumps(merge.combine(g), sort_keys=True)
                          for g in merge.resolve(merge.mention(r) for r in records))
        store.close()
    return {"mentions": n, "batches": -(-n // batch), "store_incremental_s": round(elapsed, 2),
            "ms_per_batch": round(elapsed / -(-n // batch) * 1000, 1),
            "same_as_all_at_once": incremental == expected}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--per-day", type=float, default=270.0, help="mentions per day (the period grows with the size)")
    ap.add_argument("--days", type=int, default=None, help="fix the period instead (denser as the size grows)")
    ap.add_argument("--store", type=int, nargs="*", default=[], help="also time the store's incremental path")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--one-store", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed, args.per_day, args.days)))
        return 0
    if args.one_store:
        print(json.dumps(run_store(args.one_store, args.seed, args.per_day, args.days)))
        return 0
    common = ["--seed", str(args.seed)] + (["--days", str(args.days)] if args.days else ["--per-day", str(args.per_day)])
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), *common], capture_output=True, text=True,
                             check=True)
        rows.append(json.loads(out.stdout))
        print(json.dumps(rows[-1]))
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        growth = b["total_s"] / a["total_s"] if a["total_s"] else float("nan")
        print(f"{b['mentions'] / a['mentions']:.0f}x the mentions took {growth:.1f}x the time "
              f"({a['us_per_mention']} -> {b['us_per_mention']} us per mention)")
    for n in args.store:
        out = subprocess.run([sys.executable, __file__, "--one-store", str(n), *common], capture_output=True,
                             text=True, check=True)
        print(out.stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
