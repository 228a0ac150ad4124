"""CSV with the contract's columns in ACLED order; lists joined with "; ", evidence flattened."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from sitroom.export.records import CLAIM_COLUMNS, EVENT_COLUMNS, HYPOTHESIS_COLUMNS

COLUMNS = {"events": EVENT_COLUMNS, "claims": CLAIM_COLUMNS, "hypotheses": HYPOTHESIS_COLUMNS}


def _cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, dict):  # a claim's single evidence object: its quoted text
        return value.get("text", "")
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "; ".join(e.get("text", "") for e in value)
        return "; ".join(map(str, value))
    if isinstance(value, (int, float, str)):
        return value
    return json.dumps(value, ensure_ascii=False)


def write(records: Iterable[dict], fp: TextIO, kind: str = "events") -> int:
    columns = COLUMNS[kind]
    w = csv.DictWriter(fp, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    n = 0
    for rec in records:
        w.writerow({c: _cell(rec.get(c)) for c in columns})
        n += 1
    return n
