"""Records → files. Each format module exposes ``write(records, fp, kind)``."""

from __future__ import annotations

from sitroom.export import csv as csv_format
from sitroom.export import geojson, jsonl

FORMATS = {"jsonl": jsonl.write, "csv": csv_format.write, "geojson": geojson.write}
