"""`sitroom ingest --actors FILE`: a user's own actor dictionary for the events of that ingest."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from sitroom.cli import cli
from sitroom.resolve import actors as dictionary

TEXT = "ZLF fighters attacked a police station in Garissa, Kenya, on Monday, killing two officers.\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_ingest_with_a_user_actor_file(tmp_path):
    own = tmp_path / "mine.tsv"
    own.write_text("name\tkind\tcountry\taliases\tinter\nZorgon Liberation Front\trebel\tKE\tZLF\t2\n",
                   encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    db = str(tmp_path / "t.db")
    try:
        result = run("ingest", str(tmp_path / "a.txt"), "--db", db, "--published", "2024-03-12",
                     "--actors", str(own), "-q")
        assert result.exit_code == 0, result.output
        out = run("export", "events", "--db", db).output
        events = [json.loads(line) for line in out.splitlines() if line.strip()]
        assert [(e["actor1"], e["actor2"]) for e in events] == [("Zorgon Liberation Front", "Police Forces of Kenya")]
    finally:
        os.environ.pop(dictionary.ENV, None)
        dictionary.reload()


def test_a_bad_actor_file_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("not a header\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    try:
        result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "t.db"),
                                          "--actors", str(bad)])
        assert result.exit_code == 2
        assert "bad --actors file" in result.output
    finally:
        os.environ.pop(dictionary.ENV, None)
        dictionary.reload()
