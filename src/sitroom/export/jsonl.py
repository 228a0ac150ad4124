"""One JSON object per line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO


def write(records: Iterable[dict], fp: TextIO, kind: str = "events") -> int:
    n = 0
    for rec in records:
        fp.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n
