"""The `sitroom` command end to end: ingest, idempotence, export formats, errors, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom import __version__
from sitroom.cli import cli
from sitroom.export.records import EVENT_COLUMNS

WIRE = """Gunmen kill four at checkpoint

KADUNA, Nigeria (Test Wire) - Gunmen attacked a police checkpoint near Kaduna on Tuesday, killing at least four officers, police said.
Residents said the attackers escaped on motorbikes. The army later deployed troops to the area.
"""
BLOG = """I think the ceasefire will not hold. Officials said on Monday that rebels had shelled the town of Goma,
and the government probably knows more than it says.
"""


@pytest.fixture()
def inbox(tmp_path) -> Path:
    d = tmp_path / "inbox"
    (d / "sub").mkdir(parents=True)
    (d / "wire.txt").write_text(WIRE, encoding="utf-8")
    (d / "sub" / "blog.txt").write_text(BLOG, encoding="utf-8")
    return d


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_version():
    res = run("--version")
    assert res.exit_code == 0 and __version__ in res.output


def test_cli_ingest_twice_stores_nothing_new(inbox, db):
    first = run("ingest", str(inbox), "--db", db, "--published", "2024-05-07")
    assert first.exit_code == 0, first.output
    assert "documents: 2 new, 0 already stored, 0 failed" in first.output
    second = run("ingest", str(inbox), "--db", db)
    assert second.exit_code == 0
    assert "documents: 0 new, 2 already stored" in second.output
    assert "nothing new to store" in second.output


def test_cli_export_formats(inbox, db, tmp_path):
    assert run("ingest", str(inbox), "--db", db, "--published", "2024-05-07", "-q").exit_code == 0
    res = run("export", "events", "--db", db)
    events = [json.loads(line) for line in res.output.splitlines()]
    assert events, "the wire report describes an attack"
    for ev in events:
        assert set(EVENT_COLUMNS) <= set(ev)
        for e in ev["evidence"]:
            doc_text = e["text"]
            assert doc_text and e["start"] < e["end"]
    out = tmp_path / "events.csv"
    assert run("export", "events", "--db", db, "--out", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0].keys()) == EVENT_COLUMNS and len(rows) == len(events)
    geo = json.loads(run("export", "events", "--db", db, "--format", "geojson").output)
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) + geo["sitroom:without_coordinates"] == len(events)
    claims = [json.loads(line) for line in run("export", "claims", "--db", db).output.splitlines()]
    assert any(c["claimant"] == "author" for c in claims)
    assert run("export", "hypotheses", "--db", db).exit_code == 0


def test_cli_bad_items_warn_and_the_rest_is_stored(inbox, db):
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "blob.bin").write_bytes(bytes(range(256)) * 50)
    res = CliRunner().invoke(cli, ["ingest", str(inbox), str(inbox / "nope.txt"), "--db", db])
    assert res.exit_code == 0
    warnings = [ln for ln in res.stderr.splitlines() if "warning" in ln]
    assert len(warnings) == 3
    assert any("empty.txt" in w for w in warnings) and any("blob.bin" in w for w in warnings)
    assert any("nope.txt" in w for w in warnings)
    assert "2 new" in res.stdout


def test_cli_nothing_ingested_is_an_error(tmp_path, db):
    res = CliRunner().invoke(cli, ["ingest", str(tmp_path / "missing.txt"), "--db", db])
    assert res.exit_code != 0
    assert "nothing could be ingested" in res.stderr


def test_cli_bad_arguments(inbox, db, tmp_path):
    res = CliRunner().invoke(cli, ["ingest", str(inbox), "--published", "last tuesday", "--db", db])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output
    res = CliRunner().invoke(cli, ["export", "events", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1 and "no database" in res.stderr
    assert not (tmp_path / "none.db").exists()


def test_cli_runs_as_a_real_process(inbox, tmp_path):
    """The installed entry point, in a subprocess, with SITROOM_DB instead of --db."""
    env = {"SITROOM_DB": str(tmp_path / "env.db"), "PATH": str(Path(sys.executable).parent)}
    res = subprocess.run([sys.executable, "-m", "sitroom", "ingest", str(inbox), "--quiet"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""
    assert (tmp_path / "env.db").exists()
    shown = subprocess.run([sys.executable, "-m", "sitroom", "show", "events"], capture_output=True,
                           text=True, env=env, timeout=60)
    assert shown.returncode == 0 and "events (" in shown.stdout
