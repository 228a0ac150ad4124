"""p50/p95 latency of GET /events with the filters analysts use, over a SQLite store of
100,000 synthetic events, served by a real `sitroom serve` (uvicorn) on 127.0.0.1.

    .venv/bin/python benchmarks/api_latency.py [--events 100000] [--requests 60] [--db FILE]

The store is written straight into the tables (documents, event mentions where the store has
them, events) with contract records, then opened with ``Store`` so that the migrations and
the full-text index are those of the real thing. Each scenario sends ``--requests`` requests
with parameters drawn from a seeded generator; the server is warmed up first. Exits 1 when
the overall p95 is 100 ms or more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

from sitroom.model import EVENT_TYPES, SUB_TO_TYPE
from sitroom.store import schema
from sitroom.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]

COUNTRIES = [  # name, iso, lat, lon, admin1s
    ("Syria", "SY", 35.0, 38.5, ["Aleppo", "Idlib", "Homs", "Hama", "Damascus", "Deir ez-Zor"]),
    ("Iraq", "IQ", 33.2, 43.7, ["Anbar", "Nineveh", "Baghdad", "Salah ad-Din", "Kirkuk"]),
    ("Afghanistan", "AF", 34.0, 66.0, ["Kabul", "Helmand", "Kandahar", "Nangarhar", "Kunduz"]),
    ("Yemen", "YE", 15.5, 47.5, ["Taizz", "Marib", "Al Hudaydah", "Sanaa", "Aden"]),
    ("Libya", "LY", 27.0, 17.0, ["Tripoli", "Benghazi", "Misrata", "Sirte"]),
    ("Mali", "ML", 17.0, -4.0, ["Mopti", "Gao", "Timbuktu", "Kidal", "Segou"]),
    ("Nigeria", "NG", 9.5, 8.0, ["Borno", "Yobe", "Kaduna", "Zamfara", "Benue", "Plateau"]),
    ("Somalia", "SO", 5.0, 46.0, ["Banadir", "Lower Shabelle", "Bay", "Gedo"]),
    ("Ukraine", "UA", 49.0, 32.0, ["Donetsk", "Luhansk", "Kharkiv", "Zaporizhzhia", "Kherson", "Kyiv"]),
    ("Sudan", "SD", 15.0, 30.0, ["Khartoum", "North Darfur", "West Darfur", "South Kordofan"]),
    ("Myanmar", "MM", 21.0, 96.0, ["Rakhine", "Shan", "Kachin", "Sagaing", "Mandalay"]),
    ("DR Congo", "CD", -2.0, 28.0, ["North Kivu", "South Kivu", "Ituri", "Tanganyika"]),
    ("Burkina Faso", "BF", 12.5, -1.5, ["Sahel", "Est", "Centre-Nord", "Boucle du Mouhoun"]),
    ("Ethiopia", "ET", 9.0, 39.5, ["Tigray", "Amhara", "Oromia", "Afar"]),
    ("Colombia", "CO", 4.5, -74.0, ["Cauca", "Antioquia", "Narino", "Norte de Santander"]),
    ("Mexico", "MX", 22.0, -101.0, ["Guerrero", "Michoacan", "Jalisco", "Tamaulipas", "Sinaloa"]),
    ("Pakistan", "PK", 30.0, 70.0, ["Khyber Pakhtunkhwa", "Balochistan", "Punjab", "Sindh"]),
    ("Israel", "IL", 31.5, 34.9, ["Gaza", "West Bank", "Jerusalem"]),
    ("Lebanon", "LB", 33.9, 35.8, ["South Lebanon", "Nabatieh", "Beqaa"]),
    ("Mozambique", "MZ", -12.5, 39.5, ["Cabo Delgado", "Niassa", "Nampula"]),
]
ACTORS = [
    "Military Forces of {c}", "Police Forces of {c}", "Rebels ({c})", "Civilians ({c})", "Protesters ({c})",
    "Rioters ({c})", "Unidentified Armed Group ({c})", "Islamic State", "Al Shabaab", "JNIM", "Wagner Group",
    "Hamas", "Hezbollah", "Houthis", "Taliban", "Boko Haram", "RSF", "ELN", "Sinaloa Cartel",
]
SOURCES = ["Compass Wire", "Euphrates Notes", "Mediterranean Courier", "Flashpoint Daily", "Relief Bulletin",
           "Sahel Monitor", "Frontline Report", "Horn Observer", "Steppe Dispatch", "Delta Times",
           "Andes Herald", "Levant Ledger", "Gulf Recorder", "Lakes Courier", "Border Watch"]
VERBS = {"Battles": "clashed with", "Explosions/Remote violence": "struck",
         "Violence against civilians": "attacked", "Protests": "protested against", "Riots": "rioted against",
         "Strategic developments": "moved against"}
WORDS = ["convoy", "checkpoint", "village", "market", "bridge", "airport", "base", "hospital", "school", "mosque",
         "church", "road", "pipeline", "district", "outskirts", "compound", "barracks", "camp", "displaced",
         "residents", "officials", "witnesses", "spokesman", "ceasefire", "offensive", "counterattack", "ambush",
         "drone", "artillery", "mortar", "rocket", "landmine", "grenade"]


def synthetic(n: int, seed: int = 7):
    """Documents and event records: ``n`` events, five per article, over ten years."""
    rng = random.Random(seed)
    subs = list(SUB_TO_TYPE)
    start = dt.date(2015, 1, 1)
    docs, events = [], []
    for i in range(n):
        if i % 5 == 0:
            doc_id = f"bench-{i // 5:06d}"
            published = start + dt.timedelta(days=rng.randrange(3650))
            source = rng.choice(SOURCES)
            docs.append({"id": doc_id, "content_hash": f"{i // 5:064x}", "url": None, "title": f"Report {i // 5}",
                         "source": source, "author": None, "published": published, "origin": "benchmark",
                         "text": "", "ingested_at": dt.datetime(2026, 1, 1)})
        sub = rng.choice(subs)
        etype = SUB_TO_TYPE[sub]
        country, iso, clat, clon, admins = rng.choice(COUNTRIES)
        admin1 = rng.choice(admins)
        lat, lon = round(clat + rng.uniform(-3, 3), 5), round(clon + rng.uniform(-3, 3), 5)
        a1 = rng.choice(ACTORS).format(c=country)
        a2 = rng.choice(ACTORS).format(c=country) if rng.random() < 0.6 else None
        day = published - dt.timedelta(days=rng.randrange(4))
        dated = rng.random() < 0.92
        deaths = None if rng.random() < 0.45 else int(rng.expovariate(1 / 8))
        modality = rng.choices(["asserted", "claimed", "hypothetical", "negated"], [80, 12, 5, 3])[0]
        location = f"{admin1} {rng.choice(['town', 'city', 'village', 'district'])} {rng.randrange(50)}"
        sentence = (f"{a1} {VERBS[etype]} {a2 or 'positions'} near {location}, {admin1}, "
                    f"{' '.join(rng.sample(WORDS, 4))}"
                    + (f", killing {deaths} people" if deaths else "") + ", officials said.")
        doc = docs[-1]
        begin = len(doc["text"]) + (1 if doc["text"] else 0)
        doc["text"] = (doc["text"] + " " + sentence) if doc["text"] else sentence
        event_id = f"ev-{i:012x}"
        record = {
            "schema_version": "1", "event_id": event_id, "event_type": etype, "sub_event_type": sub,
            "event_date": day.isoformat() if dated else None, "date_start": day.isoformat() if dated else None,
            "date_end": day.isoformat() if dated else None, "time_precision": 1 if dated else None,
            "actor1": a1, "assoc_actor_1": [], "actor2": a2, "assoc_actor_2": [], "country": country, "iso": iso,
            "admin1": admin1, "location": location, "latitude": lat, "longitude": lon, "geo_precision": 1,
            "fatalities": deaths, "fatalities_min": deaths, "fatalities_max": deaths, "modality": modality,
            "claimed_by": a1 if modality == "claimed" else None,
            "notes": f"{sub} by {a1} near {location}.", "sources": [doc["source"]],
            "evidence": [{"doc_id": doc["id"], "url": None, "source": doc["source"],
                          "published": doc["published"].isoformat(), "text": sentence,
                          "start": begin, "end": begin + len(sentence)}],
        }
        events.append((doc, record))
    return docs, events


def _row(table: sa.Table, doc: dict, rec: dict) -> dict:
    values = {
        "mention_id": rec["event_id"], "doc_id": doc["id"], "published": doc["published"], "n_mentions": 1,
        "record": json.dumps(rec, ensure_ascii=False),
    }
    row = {}
    for c in table.c:
        if c.name in values:
            row[c.name] = values[c.name]
        elif c.name in rec:
            v = rec[c.name]
            row[c.name] = dt.date.fromisoformat(v) if c.name in ("event_date", "date_start", "date_end") and v else v
        else:
            row[c.name] = None
    return row


def build(db: str, n: int) -> None:
    t0 = time.perf_counter()
    store = Store(db)  # migrations: the real schema and full-text index
    docs, events = synthetic(n)
    mentions = getattr(schema, "event_mentions", None)
    with store.engine.begin() as conn:
        conn.execute(schema.documents.insert(), docs)
        for i in range(0, len(events), 5000):
            chunk = events[i:i + 5000]
            if mentions is not None:
                rows = [_row(mentions, d, r) for d, r in chunk]
                for row in rows:
                    row["event_id"] = row["mention_id"]
                conn.execute(mentions.insert(), rows)
            conn.execute(schema.events.insert(), [_row(schema.events, d, r) for d, r in chunk])
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    store.close()
    print(f"built {n} events in {len(docs)} articles in {time.perf_counter() - t0:.1f} s ({db})", flush=True)


def scenarios(rng: random.Random) -> dict:
    types = list(EVENT_TYPES)

    def month():
        d = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3620))
        return {"from": d.isoformat(), "to": (d + dt.timedelta(days=30)).isoformat()}

    def box(size=10):
        _, _, lat, lon, _ = rng.choice(COUNTRIES)
        return f"{lon - size / 2:.2f},{lat - size / 2:.2f},{lon + size / 2:.2f},{lat + size / 2:.2f}"

    return {
        "no filter": dict,
        "type + month": lambda: {"type": rng.choice(types), **month()},
        "country + min deaths": lambda: {"country": rng.choice(COUNTRIES)[0], "min_fatalities": rng.choice([1, 5, 20])},
        "bbox": lambda: {"bbox": box()},
        "full text": lambda: {"q": rng.choice(WORDS + ["officials", "Aleppo", "drone strike", "Islamic State"])},
        "actor + modality": lambda: {"actor": rng.choice(["islamic", "police", "rebels", "wagner", "civilians"]),
                                     "modality": rng.choice(["asserted", "claimed"])},
        "source + sub-type": lambda: {"source": rng.choice(SOURCES), "sub_type": rng.choice(list(SUB_TO_TYPE))},
        "admin1 + year, by deaths": lambda: {"admin1": rng.choice(rng.choice(COUNTRIES)[4]),
                                             "from": f"{rng.randrange(2015, 2025)}-01-01", "sort": "-fatalities"},
        "combined + text": lambda: {"type": rng.choice(types), "from": "2018-01-01", "to": "2022-12-31",
                                    "bbox": box(20), "min_fatalities": 1, "q": rng.choice(WORDS)},
        "page 40, by country": lambda: {"page": 40, "sort": "country"},
        "500 per page": lambda: {"per_page": 500, "type": rng.choice(types)},
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ms(pid: int) -> float:
    """CPU time (user + system) a process has used, in ms (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=60, help="requests per scenario")
    ap.add_argument("--db", help="store to build (or reuse, if it holds --events events)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "bench.db")
    reuse = False
    if Path(db).exists():
        with Store(db).engine.connect() as conn:
            reuse = conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one() == args.events
    if not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        build(db, args.events)

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "sitroom", "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=str(ROOT))
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.get("/events", params={"per_page": 1})
                    break
                except httpx.TransportError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        print(server.stderr.read().decode() if server.stderr else "", file=sys.stderr)
                        raise SystemExit("the server did not start")
                    time.sleep(0.2)
            rng = random.Random(11)
            cases = scenarios(rng)
            for make in cases.values():  # warm up: page cache, prepared statements
                for _ in range(3):
                    client.get("/events", params=make())
            everything: list[float] = []
            print(f"GET /events over {args.events} events, {args.requests} requests per scenario (ms)")
            print(f"{'scenario':28} {'p50':>7} {'p95':>7} {'max':>7} {'server CPU/req':>15} {'matches (median)':>17}")
            for name, make in cases.items():
                times, totals = [], []
                cpu0 = cpu_ms(server.pid)
                for _ in range(args.requests):
                    params = make()
                    t = time.perf_counter()
                    r = client.get("/events", params=params)
                    times.append((time.perf_counter() - t) * 1000)
                    if r.status_code != 200:
                        raise SystemExit(f"{name}: {r.status_code} {r.text[:200]}")
                    totals.append(r.json()["total"])
                everything += times
                cpu = (cpu_ms(server.pid) - cpu0) / len(times)
                print(f"{name:28} {pct(times, 50):7.1f} {pct(times, 95):7.1f} {max(times):7.1f} {cpu:15.1f} "
                      f"{statistics.median(totals):17.0f}")
            p50, p95 = pct(everything, 50), pct(everything, 95)
            load = os.getloadavg()[0]
            print(f"{'all':28} {p50:7.1f} {p95:7.1f} {max(everything):7.1f}")
            print(f"p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(everything)} requests "
                  f"({'under' if p95 < 100 else 'NOT under'} the 100 ms target); "
                  f"load average {load:.1f} on {os.cpu_count()} cores")
            return 0 if p95 < 100 else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
