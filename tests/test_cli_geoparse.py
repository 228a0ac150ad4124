"""`sitroom geoparse FILE`: every toponym with its span, chosen place, point and candidates."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sitroom.cli import cli

WIRE = """TRIPOLI, Lebanon (Test Wire) - Gunmen clashed in Tripoli on Tuesday as Beirut watched, and a shell
hit the old city of Tripoli. Clashes also broke out in Homs, Syrian activists said.
"""


def test_geoparse_prints_spans_places_and_candidates(tmp_path):
    f = tmp_path / "wire.txt"
    f.write_text(WIRE, encoding="utf-8")
    out = CliRunner().invoke(cli, ["geoparse", str(f), "--candidates", "3"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith("== ") and "toponyms" in lines[0]
    first = next(ln for ln in lines if ln.lstrip().startswith("[") and "'TRIPOLI'" in ln)
    assert "Tripoli (North Lebanon, Lebanon)" in first and "precision 1" in first
    start, end = (int(x) for x in first.split("]")[0].split("[")[1].split(":"))
    assert WIRE[start:end] == "TRIPOLI"
    # the candidates considered are listed under it with their scores, best first
    first_candidate = lines[lines.index(first) + 1].split()
    assert float(first_candidate[0]) > 0 and "LB," in first_candidate
    assert any("old city of Tripoli" in ln and "precision 2" in ln for ln in lines)
    assert any("'Lebanon'" in ln and "no point, precision 3" in ln for ln in lines)
    # "Homs" is a Syrian city and a Libyan town: the Syrian one wins, both were considered
    homs = next(ln for ln in lines if "'Homs'" in ln)
    assert "Syria" in homs
    below = lines[lines.index(homs) + 1 : lines.index(homs) + 4]
    assert any("SY," in ln for ln in below[:1]) and any("LY," in ln for ln in below)


def test_geoparse_json_lines(tmp_path):
    f = tmp_path / "wire.txt"
    f.write_text(WIRE, encoding="utf-8")
    out = CliRunner().invoke(cli, ["geoparse", str(f), "--json"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(ln) for ln in out.output.splitlines()]
    beirut = next(r for r in rows if r["surface"] == "Beirut")
    assert (beirut["iso"], beirut["geo_precision"]) == ("LB", 1)
    assert WIRE[beirut["start"] : beirut["end"]] == "Beirut"
    assert beirut["candidates"] and beirut["candidates"][0]["iso"] == "LB"
    country = next(r for r in rows if r["surface"] == "Lebanon")
    assert (country["iso"], country["latitude"], country["longitude"]) == ("LB", None, None)
    scores = [c["score"] for r in rows for c in r["candidates"]]
    assert scores and all(isinstance(x, float) for x in scores)


def test_geoparse_of_nothing_fails_with_one_line(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text("", encoding="utf-8")
    out = CliRunner().invoke(cli, ["geoparse", str(f)])
    assert out.exit_code == 1
    assert "nothing to geoparse" in out.output
