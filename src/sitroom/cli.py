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
              help="processes that run the NLP (this process stays the single writer)")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="where the NLP runs: local processes, or Ray tasks (pip install 'sitroom[ray]')")
@click.option("--address", metavar="ADDRESS", default=None,
              help="with --engine ray: the Ray cluster (HOST:PORT or ray://HOST:PORT) [default: a new local "
              "Ray instance with --workers CPUs]")
@click.option("--allow-private", is_flag=True, help="allow URLs on loopback and private networks")
@click.option("--quiet", "-q", is_flag=True, help="no progress bar and no summary; warnings still go to stderr")
@click.option("--actors", type=click.Path(exists=True, dir_okay=False), envvar="SITROOM_ACTORS", default=None,
              metavar="FILE", help="your own actor dictionary (TSV, the columns of lexicons/actors.tsv); "
              "its rows win over the built-in ones [env SITROOM_ACTORS]")
def ingest(inputs, db, published, source, workers, engine, address, allow_private, quiet, actors) -> None:
    """Read articles (text, HTML, RSS/Atom, JSON Lines, folders, URLs), extract and store them."""
    from rich.console import Console

    from sitroom.lexicons import LexiconError
    from sitroom.resolve.actors import use_file

    try:
        use_file(actors)
    except LexiconError as exc:
        _fail(f"bad --actors file: {exc}", 2)
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
                          engine=engine, address=address, allow_private=allow_private, on_skip=warn,
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


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="port to listen on")
def serve(db, host, port) -> None:
    """Serve the HTTP API (docs at /docs) and the analyst's dashboard (at /) over the store."""
    import uvicorn

    from sitroom.serve import create_app

    try:
        store = _open_store(db, must_exist=True)
        app = create_app(store)
    except SitroomError as exc:
        _fail(str(exc))
    click.echo(f"sitroom: serving {store.display_url} at http://{host}:{port}/ (API docs: /docs); "
               "Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


@cli.command()
@db_option
@click.option("--limit", type=int, default=20, show_default=True, help="questions to show")
def hypotheses(db, limit) -> None:
    """Print competing hypotheses as ACH matrices: claims by answer (+ for, - against)."""
    from rich.console import Console
    from rich.table import Table

    try:
        store = _open_store(db, must_exist=True)
        hyps = list(store.hypotheses())
        claims = {c["claim_id"]: c for c in store.claims()}
    except SitroomError as exc:
        _fail(str(exc))
    questions: dict[str, list[dict]] = {}
    for h in hyps:
        questions.setdefault(h.get("question_id") or h["question"], []).append(h)
    console = Console(width=max(Console().width, 160))
    if not questions:
        click.echo("no competing hypotheses stored (they are grouped from claims at ingest)")
    for answers in list(questions.values())[:limit]:
        table = Table(title=answers[0]["question"], title_justify="left", show_lines=False)
        for col in ("source", "claimant", "claim", "certainty", "stance"):
            table.add_column(col, overflow="fold", max_width=70 if col == "claim" else 24)
        for h in answers:
            table.add_column(h["statement"][:40], justify="center", overflow="fold")
        ids = list(dict.fromkeys(i for h in answers for i in h["claims_for"] + h["claims_against"]))
        for cid in ids:
            c = claims.get(cid)
            if c is None:
                continue
            ev = c.get("evidence") or {}
            marks = ["+" if cid in h["claims_for"] else "-" if cid in h["claims_against"] else "" for h in answers]
            table.add_row(ev.get("source") or c["doc_id"], c["claimant"], c["text"][:200], c["certainty"],
                          c["author_stance"], *marks)
        table.caption = "; ".join(
            f"{h['statement'][:40]}: {len(h['sources_for'])} source(s) for, {len(h['sources_against'])} against"
            + (f", seen {h['first_seen']}..{h['last_seen']}" if h.get("first_seen") else "") for h in answers)
        table.caption_justify = "left"
        console.print(table)
    if len(questions) > limit:
        click.echo(f"... {len(questions) - limit} more questions; use --limit or 'sitroom export hypotheses'")


@cli.command()
@click.argument("event_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="print the explanation as one JSON object")
def explain(event_id, db, as_json) -> None:
    """Show the reports merged into an event and the score components that merged them."""
    import json

    try:
        store = _open_store(db, must_exist=True)
        info = store.explain(event_id)
    except SitroomError as exc:
        _fail(str(exc))
    if info is None:
        _fail(f"no event {event_id} (ids are in 'sitroom export events')")
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    ev, reports = info["event"], info["reports"]

    def fat(r) -> str:
        lo, hi = r.get("fatalities_min"), r.get("fatalities_max")
        if r.get("fatalities") is None and lo is None:
            return "-"
        span = "" if lo is None and hi is None else f" [{'' if lo is None else lo}-{'' if hi is None else hi}]"
        return f"{'' if r.get('fatalities') is None else r['fatalities']}{span}".strip()

    def when(r) -> str:
        s, e = r.get("date_start"), r.get("date_end")
        return "undated" if not s else s if s == e else f"{s}..{e}"

    click.echo(f"event {ev['event_id']}: {ev['event_type']} / {ev['sub_event_type']}, {when(ev)}, "
               f"{ev.get('location') or ev.get('country') or 'no place'}, "
               f"{ev.get('actor1') or '?'} vs {ev.get('actor2') or '?'}, fatalities {fat(ev)}, {ev['modality']}")
    if info.get("alias_of"):
        click.echo(f"({info['requested']} is an earlier id of this event)")
    click.echo(f"sources: {'; '.join(ev.get('sources') or []) or '-'}")
    click.echo(f"reports ({len(reports)}), earliest published first (the first gives the event its id):")
    texts = {}
    for e in ev.get("evidence") or []:
        texts.setdefault(e.get("doc_id"), e.get("text") or "")
    for k, r in enumerate(reports, 1):
        click.echo(f"  {k}. {r['mention_id']}  {r['doc_id']}  {r.get('source') or '-'}  {r.get('published') or 'undated'}  "
                   f"{r['modality']}{' by ' + r['claimed_by'] if r.get('claimed_by') else ''}")
        click.echo(f"     {r['sub_event_type']}, {when(r)}, {r.get('location') or 'no place'}, "
                   f"{r.get('actor1') or '?'} vs {r.get('actor2') or '?'}, fatalities {fat(r)}")
        quote = " ".join(texts.get(r["doc_id"], "").split())
        click.echo(f"     \"{quote[:160]}{'…' if len(quote) > 160 else ''}\"")
    weights = info["weights"]
    if not info["links"]:
        click.echo("links: none (a single report)")
        return
    click.echo(f"links that merged them (a link needs total >= {info['threshold']} and a specific agreement):")
    for link in info["links"]:
        parts = " + ".join(f"{k} {link[k]:.2f}x{w:g}" for k, w in weights.items())
        click.echo(f"  {link['a']} <-> {link['b']}: total {link['total']:.2f} = {parts}")


@cli.command()
@click.argument("file", metavar="FILE")
@click.option("--candidates", "n_candidates", type=click.IntRange(0, 50), default=5, show_default=True,
              help="candidates shown per toponym")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per toponym instead of text")
def geoparse(file, n_candidates, as_json) -> None:
    """Print the toponyms of an article (any input ingest reads): span, chosen place, coordinates
    and the gazetteer candidates considered, with their scores, for checking by hand."""
    import json

    from sitroom.extract import places
    from sitroom.extract.nlp import load
    from sitroom.ingest import read
    from sitroom.model import Document
    from sitroom.resolve.geocode import resolve

    items = list(read([file]))
    docs = [d for d in items if isinstance(d, Document)]
    for s in items:
        if not isinstance(s, Document):
            click.echo(f"sitroom: warning: skipped {s.origin}: {s.reason}", err=True)
    if not docs:
        _fail(f"nothing to geoparse in {file}")
    nlp = load()
    for d in docs:
        found = resolve(places.extract(nlp(d.text), d), d.text)
        if not as_json:
            click.echo(f"== {d.origin or d.id}" + (f" — {d.title}" if d.title else "") + f" ({len(found)} toponyms)")
        for r in found:
            m = r.mention
            cands = [{"name": e.name, "feature": e.feature, "iso": e.iso, "admin1": e.admin1,
                      "population": e.population, "match": e.match, "score": score,
                      "latitude": None if e.feature == "country" else e.latitude,
                      "longitude": None if e.feature == "country" else e.longitude}
                     for e, score in r.candidates[:n_candidates]]
            if as_json:
                click.echo(json.dumps({"doc_id": d.id, "surface": m.surface, "start": m.span.start,
                                       "end": m.span.end, "label": m.label, "name": m.name, "country": m.country,
                                       "iso": m.iso, "admin1": m.admin1, "latitude": m.latitude,
                                       "longitude": m.longitude, "geo_precision": m.geo_precision,
                                       "candidates": cands}, ensure_ascii=False))
                continue
            if m.latitude is not None:
                where = f"{m.name} ({', '.join(x for x in (m.admin1, m.country) if x)}) " \
                        f"{m.latitude:.4f},{m.longitude:.4f} precision {m.geo_precision}"
            elif m.iso:
                where = f"{m.name} ({m.country}) no point, precision {m.geo_precision}"
            else:
                where = "unresolved: no coordinates"
            click.echo(f"  [{m.span.start}:{m.span.end}] {m.surface!r} {m.label} -> {where}")
            for c in cands:
                at = "" if c["latitude"] is None else f" {c['latitude']:.4f},{c['longitude']:.4f}"
                click.echo(f"      {c['score']:7.3f}  {c['name']} ({c['feature']}, {c['iso']}"
                           f"{', ' + c['admin1'] if c['admin1'] else ''}; pop {c['population']:,}; "
                           f"{c['match']}){at}")
            if len(r.candidates) > n_candidates:
                click.echo(f"      ... {len(r.candidates) - n_candidates} more")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
