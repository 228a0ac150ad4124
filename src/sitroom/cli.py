"""The ``sitroom`` command: parses arguments, calls the library, prints. No logic of its own."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from sitroom import __version__
from sitroom.errors import SitroomError

KINDS = ("events", "claims", "hypotheses")
db_option = click.option("--db", envvar="SITROOM_DB", default=None, metavar="URL",
                         help="SQLite file or postgresql:// URL [default: sitroom.db; env SITROOM_DB]")


def _fail(message: str, code: int = 1):
    click.echo(f"sitroom: error: {message}", err=True)
    sys.exit(code)


def _open_store(db: str | None, must_exist: bool = False):
    from sitroom.store.repository import Store, resolve_url

    url = resolve_url(db)
    if must_exist and url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        _fail(f"no database at {url[len('sqlite:///'):]}: run 'sitroom ingest PATH --db ...' first, or pass --db")
    return Store(db)


def _parse_date(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitroom")
def cli() -> None:
    """sitroom: ACLED-coded events and attributed claims from war reporting, offline."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@db_option
@click.option("--published", callback=_parse_date, metavar="YYYY-MM-DD",
              help="publication date for inputs that carry none (anchors relative dates)")
@click.option("--source", metavar="NAME", help="outlet name for inputs that carry none")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="processes that run the NLP")
@click.option("--allow-private", is_flag=True, help="allow URLs on loopback and private networks")
@click.option("--quiet", "-q", is_flag=True, help="no progress bar and no summary; warnings still go to stderr")
def ingest(inputs, db, published, source, workers, allow_private, quiet) -> None:
    """Read articles (text, HTML, RSS/Atom, JSON Lines, folders, URLs), extract and store them."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from sitroom.pipeline import ingest as run

    err = Console(stderr=True, highlight=False)

    def warn(skipped) -> None:
        err.print(f"sitroom: warning: skipped {skipped.origin}: {skipped.reason}", markup=False, soft_wrap=True)

    try:
        store = _open_store(db)
        progress = Progress(SpinnerColumn(), TextColumn("ingesting"), BarColumn(),
                            TextColumn("{task.fields[done]} documents"), TimeElapsedColumn(),
                            console=err, transient=True, disable=quiet or not err.is_terminal)
        with progress:
            task = progress.add_task("ingest", total=None, done=0)
            summary = run(inputs, store, published=published, source=source, workers=workers,
                          allow_private=allow_private, on_skip=warn,
                          on_batch=lambda s: progress.update(task, done=s.seen))
    except SitroomError as exc:
        _fail(str(exc))
    if not quiet:
        click.echo(
            f"documents: {summary.new} new, {summary.already_stored} already stored, {summary.failed} failed; "
            f"events: {summary.events}, claims: {summary.claims} (in {store.display_url})"
        )
        if summary.new == 0 and summary.already_stored:
            click.echo("nothing new to store: every document was already in the database")
    if summary.new == 0 and summary.already_stored == 0:
        _fail("nothing could be ingested" + (f" ({summary.failed} items failed)" if summary.failed else ""))


@cli.command()
@click.argument("kind", type=click.Choice(KINDS))
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson"]), default=None,
              help="output format [default: from --out's extension, else jsonl]")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="write to this file instead of stdout")
def export(kind, db, fmt, out) -> None:
    """Write stored events, claims or hypotheses as JSON Lines, CSV (ACLED columns) or GeoJSON."""
    from sitroom.export import FORMATS

    if fmt is None:
        suffix = Path(out).suffix.lower().lstrip(".") if out else ""
        fmt = {"csv": "csv", "geojson": "geojson", "json": "geojson"}.get(suffix, "jsonl")
    try:
        store = _open_store(db, must_exist=True)
        rows = getattr(store, kind)()
        if out:
            with open(out, "w", encoding="utf-8", newline="") as fp:
                FORMATS[fmt](rows, fp, kind)
        else:
            FORMATS[fmt](rows, sys.stdout, kind)
    except SitroomError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write {out}: {exc.strerror or exc}")


@cli.command()
@click.argument("kind", type=click.Choice(("events", "claims")))
@db_option
@click.option("--limit", type=int, default=50, show_default=True, help="rows to show")
def show(kind, db, limit) -> None:
    """Print stored events or claims as a table."""
    from rich.console import Console
    from rich.table import Table

    try:
        store = _open_store(db, must_exist=True)
        rows = list(getattr(store, kind)())
    except SitroomError as exc:
        _fail(str(exc))
    if kind == "events":
        table = Table(title=f"events ({len(rows)})", show_lines=False)
        cols = ["date", "type / sub-type", "actor1", "actor2", "location", "fatal.", "modality", "evidence"]
        for c in cols:
            table.add_column(c, overflow="fold")
        for r in rows[:limit]:
            ev = r["evidence"][0]["text"] if r["evidence"] else ""
            fat = "" if r["fatalities"] is None else str(r["fatalities"])
            if r["fatalities"] is None and r["fatalities_min"] is not None:
                fat = f"≥{r['fatalities_min']}"
            table.add_row(r["event_date"] or r["date_start"] or "", f"{r['event_type']} / {r['sub_event_type']}",
                          r["actor1"] or "", r["actor2"] or "", r["location"] or "", fat, r["modality"],
                          ev[:120] + ("…" if len(ev) > 120 else ""))
    else:
        table = Table(title=f"claims ({len(rows)})")
        for c in ["claimant", "cue", "claim", "certainty", "polarity", "stance"]:
            table.add_column(c, overflow="fold")
        for r in rows[:limit]:
            table.add_row(r["claimant"], r["cue"] or "", r["text"][:140], r["certainty"], r["polarity"],
                          r["author_stance"])
    Console(width=max(Console().width, 160)).print(table)
    if len(rows) > limit:
        click.echo(f"... {len(rows) - limit} more; use --limit or 'sitroom export {kind}'")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
