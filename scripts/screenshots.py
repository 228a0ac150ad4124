"""Screenshots of the dashboard's main views, for the README: docs/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py [--db FILE] [--out docs/screenshots]

Without --db, builds a store from examples/ in a temporary folder (each file with the date in
its name as the publication date for inputs that carry none), starts `sitroom serve` on
127.0.0.1 and drives Debian's chromium (/usr/bin/chromium) with Playwright, offline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars"]


def build(db: str) -> None:
    from sitroom.pipeline import ingest
    from sitroom.store.repository import Store

    store = Store(db)
    for path in sorted((ROOT / "examples").iterdir()):
        m = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
        ingest([str(path)], store, published=dt.date.fromisoformat(m.group(1)) if m else None)
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shoot(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    events = httpx.get(base + "/events", params={"per_page": 500, "sort": "-fatalities"}).json()["items"]
    located = [e for e in events if e["latitude"] is not None and e["evidence"]]
    top = located[0] if located else (events[0] if events else None)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

        def page(width, height, mobile=False):
            ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                      is_mobile=mobile, has_touch=mobile)
            return ctx.new_page()

        def ready(pg):
            pg.wait_for_selector("body[data-state=ready]", timeout=20000)
            pg.wait_for_timeout(400)

        def save(pg, name, full=True):
            path = out / f"{name}.png"
            pg.screenshot(path=str(path), full_page=full)
            saved.append(path)

        pg = page(1366, 900)
        pg.goto(base + "/")
        ready(pg)
        marker = pg.locator(".ev-marker").first  # an event standing alone, with its popup open
        if marker.count():
            marker.click()
            pg.wait_for_selector(".leaflet-popup .links a:nth-child(2)", timeout=5000)
        save(pg, "overview", full=False)
        if top:
            ev = top["evidence"][0]
            pg.goto(base + "/?" + urlencode({"view": "article", "doc": ev["doc_id"], "id": top["event_id"],
                                             "hl": f"{ev['start']}-{ev['end']}"}))
            ready(pg)
            save(pg, "article", full=False)
            pg.goto(base + "/?" + urlencode({"view": "event", "id": top["event_id"]}))
            ready(pg)
            save(pg, "event")
        pg.goto(base + "/?view=claims")
        ready(pg)
        save(pg, "claims", full=False)
        pg.goto(base + "/?view=hypotheses")
        ready(pg)
        save(pg, "hypotheses")
        phone = page(390, 844, mobile=True)
        phone.goto(base + "/?" + urlencode({"type": ["Explosions/Remote violence", "Battles"]}, doseq=True))
        ready(phone)
        save(phone, "phone-overview", full=False)
        browser.close()
    return saved


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="an existing store (default: built from examples/)")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db
    if not db:
        db = str(Path(tmp.name) / "examples.db")
        build(db)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "sitroom", "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=str(ROOT))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/stats", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("sitroom serve did not start: " + server.stderr.read().decode())
                time.sleep(0.2)
        for path in shoot(base, Path(args.out)):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    finally:
        server.terminate()
        server.wait(timeout=10)
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
