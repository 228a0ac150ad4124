"""Surface names → canonical actors, through the dictionary in ``lexicons/actors.tsv``.

Users add their own dictionary with the ``SITROOM_ACTORS`` environment variable (a TSV
of the same columns); their rows win over the built-in ones.
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
    "civilians", "external", "media", "organization", "person", "government",
}


def _key(surface: str) -> str:
    s = surface.lower().replace("\u2019", "'")
    s = re.sub(r"^(the|a|an)\s+", "", s.strip())
    return re.sub(r"\s+", " ", s)


@functools.lru_cache(maxsize=1)
def dictionary() -> dict[str, Actor]:
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
    if bad:
        raise LexiconError("actors dictionary has bad rows (need name and a known kind): " + "; ".join(bad))
    return table


def lookup(surface: str) -> Actor | None:
    """The canonical actor a name refers to, or None when the dictionary does not know it."""
    return dictionary().get(_key(surface))
