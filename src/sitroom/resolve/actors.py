"""Surface names → canonical actors, through the dictionary in ``lexicons/actors.tsv``.

Users add their own dictionary with the ``SITROOM_ACTORS`` environment variable (a TSV
of the same columns); their rows win over the built-in ones.

Generic rows carry a ``{country}`` placeholder in their name ("Police Forces of {country}",
"Civilians ({country})"): :func:`lookup` fills it from its ``country`` argument (an ISO code
or a country name) and drops it when no country is given ("Police Forces").
Rows of kind ``country`` name countries and their demonyms.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from sitroom.lexicons import LexiconError, load_tsv, read_tsv
from sitroom.model import Actor

KINDS = {
    "state", "rebel", "militia", "identity_militia", "rioters", "protesters",
    "civilians", "external", "media", "organization", "person", "government", "country",
}
PLACEHOLDER = "{country}"
_CAPS_ONLY: set[str] = set()  # short all-capital aliases ("IS", "CAR", "AA"): matched only in capitals


def alias_key(surface: str) -> str:
    """The dictionary key of a surface form (lower case, no leading article)."""
    return _key(surface)


def _key(surface: str) -> str:
    s = surface.lower().replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"^(the|a|an)\s+", "", s.strip())
    return re.sub(r"\s+", " ", s)


@functools.lru_cache(maxsize=1)
def dictionary() -> dict[str, Actor]:
    """Every alias key (lower case, no leading article) → its Actor. Generic actors keep the
    ``{country}`` placeholder in their name here."""
    rows = list(load_tsv("actors.tsv"))
    extra = os.environ.get("SITROOM_ACTORS")
    if extra:
        rows += read_tsv(Path(extra))
    table: dict[str, Actor] = {}
    bad = []
    for i, row in enumerate(rows):
        kind = row.get("kind", "")
        if not row.get("name") or kind not in KINDS:
            bad.append(f"row {i + 1}: {row}")
            continue
        actor = Actor(name=row["name"], kind=kind, country=row.get("country") or None)
        for alias in [row["name"], *filter(None, (a.strip() for a in row.get("aliases", "").split("|")))]:
            table[_key(alias)] = actor
            if len(alias) <= 4 and alias.isupper():
                _CAPS_ONLY.add(_key(alias))
            else:
                _CAPS_ONLY.discard(_key(alias))
    if bad:
        raise LexiconError("actors dictionary has bad rows (need name and a known kind): " + "; ".join(bad))
    return table


@functools.lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """ISO code → country name, from the rows of kind ``country``."""
    return {a.country: a.name for a in dictionary().values() if a.kind == "country" and a.country}


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
        iso = next((k for k, v in countries().items() if v == name), None)
        return Actor(actor.name.replace(PLACEHOLDER, name), actor.kind, iso)
    bare = re.sub(r"\s*(of\s+\{country\}|\(\{country\}\)|\{country\})", "", actor.name).strip()
    return Actor(bare, actor.kind, None)


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
