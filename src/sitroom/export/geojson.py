"""A GeoJSON FeatureCollection of Point features; records without coordinates are left out
(a point cannot be invented) and counted in the collection's ``sitroom:without_coordinates``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO


def write(records: Iterable[dict], fp: TextIO, kind: str = "events") -> int:
    fp.write('{"type": "FeatureCollection", "features": [')
    n = skipped = 0
    for rec in records:
        lat, lon = rec.get("latitude"), rec.get("longitude")
        if lat is None or lon is None:
            skipped += 1
            continue
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": rec}
        fp.write(("," if n else "") + "\n" + json.dumps(feature, ensure_ascii=False))
        n += 1
    fp.write(f'\n], "sitroom:without_coordinates": {skipped}}}\n')
    return n
