"""Surface names → canonical actors, through the dictionary in ``lexicons/actors.tsv``.

Users add their own dictionary with the ``SITROOM_ACTORS`` environment variable (a TSV
of the same columns); their rows win over the built-in ones.

Generic rows carry a ``{country}`` placeholder in their name ("Police Forces of {country}",
"Civilians ({country})"): :func:`lookup` fills it from its ``country`` argument (an ISO code
or a country name) and drops it when no country is given ("Police Forces").
Rows of kind ``country`` name countries and their demonyms. Every country of
``lexicons/countries.tsv`` that ``actors.tsv`` does not list gets its rows derived from it (the
country with its aliases and demonyms, and its government, military and police forces).

Each actor has an ACLED actor type and inter code (:func:`acled_type`): the ``inter`` column
when the row gives one, else the code of its kind (state forces 1, rebel groups 2, political
militias 3, identity militias 4, rioters 5, protesters 6, civilians 7, external/other forces 8).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from sitroom.lexicons import LexiconError, load_tsv, read_tsv
from sitroom.model import CACHE_SIZE, Actor

KINDS = {
    "state", "rebel", "militia", "identity_militia", "rioters", "protesters",
    "civilians", "external", "media", "organization", "person", "government", "country",
}
PLACEHOLDER = "{country}"
_CAPS_ONLY: set[str] = set()  # short all-capital aliases ("IS", "CAR", "AA"): matched only in capitals
ENV = "SITROOM_ACTORS"
# ACLED inter codes and actor types
ACLED_TYPES = {1: "State Forces", 2: "Rebel Groups", 3: "Political Militias", 4: "Identity Militias",
               5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other Forces"}
KIND_INTER = {"state": 1, "government": 1, "rebel": 2, "militia": 3, "identity_militia": 4, "rioters": 5,
              "protesters": 6, "civilians": 7, "media": 7, "external": 8, "organization": 8}
_INTER: dict[str, int] = {}  # canonical name (placeholder kept) → inter code given in a row


def alias_key(surface: str) -> str:
    """The dictionary key of a surface form (lower case, no leading article)."""
    return _key(surface)


@functools.lru_cache(maxsize=CACHE_SIZE)  # a pure function of the string, asked for ~600 times per article
def _key(surface: str) -> str:
    s = surface.lower().replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"^(the|a|an)\s+", "", s.strip())
    return re.sub(r"\s+", " ", s)


@functools.lru_cache(maxsize=1)
def dictionary() -> dict[str, Actor]:
    """Every alias key (lower case, no leading article) → its Actor. Generic actors keep the
    ``{country}`` placeholder in their name here."""
    builtin = list(load_tsv("actors.tsv"))
    listed = {r.get("country") for r in builtin if r.get("kind") == "country"}
    rows = [r for r in _derived_rows() if r["country"] not in listed] + builtin
    origin = [("actors.tsv", i - (len(rows) - len(builtin)) + 1) for i in range(len(rows))]
    extra = os.environ.get(ENV)
    if extra:
        user = read_user_file(Path(extra))
        rows += user
        origin += [(extra, i + 1) for i in range(len(user))]
    table: dict[str, Actor] = {}
    bad = []
    _INTER.clear()
    for i, row in enumerate(rows):
        kind = row.get("kind", "")
        inter = (row.get("inter") or "").strip()
        if not row.get("name") or kind not in KINDS or (inter and inter not in {str(k) for k in ACLED_TYPES}):
            bad.append(f"{origin[i][0]} row {origin[i][1]}: {row}")
            continue
        actor = Actor(name=row["name"], kind=kind, country=(row.get("country") or "").upper() or None)
        if inter:
            _INTER[row["name"]] = int(inter)
        for alias in [row["name"], *filter(None, (a.strip() for a in row.get("aliases", "").split("|")))]:
            table[_key(alias)] = actor
            if len(alias) <= 4 and alias.isupper():
                _CAPS_ONLY.add(_key(alias))
            else:
                _CAPS_ONLY.discard(_key(alias))
    if bad:
        raise LexiconError("actors dictionary has bad rows (need name, a known kind and an inter code 1-8 "
                           "or none): " + "; ".join(bad[:5]))
    return table


def read_user_file(file: Path) -> list[dict[str, str]]:
    """Rows of a user's actor file (the columns of ``actors.tsv``); a clear error when unreadable."""
    try:
        rows = read_tsv(file)
        header = next((ln for ln in file.read_text(encoding="utf-8").splitlines()
                       if ln.strip() and not ln.lstrip().startswith("#")), "")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"cannot read the actor file {file}: {exc}") from exc
    if not {"name", "kind"} <= {h.strip() for h in header.split("\t")}:
        raise LexiconError(f"{file} needs a tab-separated header line with at least: name, kind, country, aliases")
    return rows


def use_file(file: str | Path | None) -> None:
    """Add a user's actor file (its rows win over the built-in ones) for this process and the
    processes it starts; checks it at once."""
    if file is None:
        return
    os.environ[ENV] = str(Path(file).resolve())
    reload()
    dictionary()


def reload() -> None:
    """Forget the loaded dictionary (after ``SITROOM_ACTORS`` changed)."""
    for fn in (dictionary, countries, _longest_alias, _iso_of_name, lookup, search):
        fn.cache_clear()


def _derived_rows() -> list[dict[str, str]]:
    """Country, government, military and police rows for every country of ``countries.tsv``."""
    out = []
    for row in load_tsv("countries.tsv"):
        iso, name = row.get("iso", ""), row.get("name", "")
        if not iso or not name:
            continue
        demonyms = [d for d in (row.get("demonyms") or "").split("|") if d]
        aliases = [name, *[a for a in (row.get("aliases") or "").split("|") if a], *demonyms,
                   *[d + "s" for d in demonyms if not d.endswith(("s", "sh", "ese", "ch"))]]
        out.append({"name": name, "kind": "country", "country": iso, "aliases": "|".join(aliases)})
        own = f"{name}'s" if not name.endswith("s") else f"{name}'"
        out.append({"name": f"Government of {name}", "kind": "government", "country": iso,
                    "aliases": f"{own} government|{name} government|government of {name}"})
        out.append({"name": f"Military Forces of {name}", "kind": "state", "country": iso,
                    "aliases": f"{own} army|{own} military|{own} armed forces|Armed Forces of {name}"})
        out.append({"name": f"Police Forces of {name}", "kind": "state", "country": iso,
                    "aliases": f"{own} police|{name} Police|National Police of {name}"})
    return out


def acled_type(actor: Actor | str | None) -> tuple[int, str] | None:
    """(inter code, ACLED actor type) of an actor or canonical name; None for countries, persons
    and names the dictionary does not know."""
    if actor is None:
        return None
    if isinstance(actor, str):
        name = actor
        found = dictionary().get(_key(actor)) or _generic_row(actor)
        if found is None:
            return None
        kind = found.kind
    else:
        name, kind = actor.name, actor.kind
    generic = _generic_row(name)
    code = _INTER.get(name) or (_INTER.get(generic.name) if generic else None) or KIND_INTER.get(kind)
    return (code, ACLED_TYPES[code]) if code else None


def _generic_row(name: str) -> Actor | None:
    """The generic row a filled name comes from: "Police Forces of Kenya" → "Police Forces of {country}"."""
    for actor in {a.name: a for a in dictionary().values() if PLACEHOLDER in a.name}.values():
        pattern = re.escape(actor.name).replace(re.escape(PLACEHOLDER), r"[\w' .\-]+")
        if re.fullmatch(pattern, name):
            return actor
    return None


@functools.lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """ISO code → country name, from the rows of kind ``country``."""
    return {a.country: a.name for a in dictionary().values() if a.kind == "country" and a.country}


@functools.lru_cache(maxsize=1)
def _iso_of_name() -> dict[str, str]:
    """Country name → the first ISO code of :func:`countries` with that name."""
    out: dict[str, str] = {}
    for iso, name in countries().items():
        out.setdefault(name, iso)
    return out


def country_name(country: str | None) -> str | None:
    """The country's name for an ISO code or a name; None when unknown."""
    if not country:
        return None
    if country.upper() in countries():
        return countries()[country.upper()]
    found = dictionary().get(_key(country))
    return found.name if found and found.kind == "country" else None


def localize(actor: Actor, country: str | None = None) -> Actor:
    """Fill a generic actor's ``{country}`` placeholder (or drop it when no country is known)."""
    if PLACEHOLDER not in actor.name:
        return actor
    name = country_name(country)
    if name:
        return Actor(actor.name.replace(PLACEHOLDER, name), actor.kind, _iso_of_name().get(name))
    bare = re.sub(r"\s*(of\s+\{country\}|\(\{country\}\)|\{country\})", "", actor.name).strip()
    return Actor(bare, actor.kind, None)


# lookup and search are pure functions of their arguments and the loaded dictionary (Actors are
# frozen, so a remembered one may be shared); the extractors ask the same names tens of thousands
# of times per hundred articles. :func:`reload` forgets them with the dictionary.
@functools.lru_cache(maxsize=CACHE_SIZE)
def lookup(surface: str, country: str | None = None) -> Actor | None:
    """The canonical actor a name refers to, or None when the dictionary does not know it.
    ``country`` (ISO code or name) fills the placeholder of generic actors."""
    key = _key(surface)
    actor = dictionary().get(key)
    if actor is not None and key in _CAPS_ONLY:
        if not re.sub(r"^(the|a|an)\s+", "", surface.strip()).isupper():
            return None
    if actor is None and key.endswith("'s"):
        actor = dictionary().get(key[:-2])
    return localize(actor, country) if actor else None


@functools.lru_cache(maxsize=1)
def _longest_alias() -> int:
    return max(len(k.split()) for k in dictionary())


@functools.lru_cache(maxsize=CACHE_SIZE)
def search(text: str, country: str | None = None, *, generic: bool = False) -> Actor | None:
    """The actor named by the longest alias found inside ``text`` (whole words), or None.
    Generic actors (with a placeholder) and countries count only when ``generic`` is true."""
    original = [re.sub(r"'s$", "", w) for w in re.findall(r"[\w'\-.]+", text.replace("\u2019", "'"))]
    words = [w.lower() for w in original]
    best: tuple[int, int, Actor] | None = None
    for n in range(min(_longest_alias(), len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i : i + n]).rstrip(".")
            actor = dictionary().get(phrase)
            if actor is None or (not generic and (PLACEHOLDER in actor.name or actor.kind == "country")):
                continue
            if len(phrase) <= 3 and not original[i].isupper():  # "IS", "AA", "UN" only in capitals
                continue
            if best is None or n > best[0]:
                best = (n, i, actor)
        if best:
            break
    return localize(best[2], country) if best else None
