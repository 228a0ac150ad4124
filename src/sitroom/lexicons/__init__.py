"""Knowledge as data: lexicon files beside this module, loaded once and validated."""

from __future__ import annotations

import csv
import functools
from importlib import resources
from pathlib import Path


class LexiconError(ValueError):
    pass


def path(name: str) -> Path:
    return Path(str(resources.files("sitroom.lexicons").joinpath(name)))


@functools.lru_cache(maxsize=None)
def load_yaml(name: str):
    import yaml

    with path(name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def read_tsv(file: Path) -> list[dict[str, str]]:
    """Rows of a TSV file with a header line; lines starting with '#' are comments."""
    with file.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


@functools.lru_cache(maxsize=None)
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    return tuple(read_tsv(path(name)))
