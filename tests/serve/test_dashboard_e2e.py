"""The dashboard end to end: real headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright) against a real `sitroom serve` process on 127.0.0.1, over a store built from
examples/ plus one hostile article.

`make test` installs chromium when it is missing; nothing is installed here.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest

from sitroom.model import Analysis

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: 'make test' installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (make test installs it)", allow_module_level=True)

playwright_sync = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, hostile_doc):
    db = str(tmp_path_factory.mktemp("e2e") / "examples.db")
    build_examples_store_with(db, hostile_doc)
    port = _free_port()
    log = Path(db).with_suffix(".log")
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "sitroom", "serve", "--db", db, "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, cwd=str(ROOT))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/stats", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("sitroom serve did not start: " + log.read_text())
        time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def build_examples_store_with(db: str, hostile_doc: Analysis) -> None:
    """examples/ ingested as `make run` does (one call: the feed and the web page carry their
    dates, the text files none), then the hostile article."""
    from sitroom.pipeline import ingest
    from sitroom.store.repository import Store

    store = Store(db)
    summary = ingest([str(ROOT / "examples")], store)
    assert summary.new >= 6 and not summary.failed
    store.add([hostile_doc])
    store.close()


@pytest.fixture(scope="module")
def hostile_doc(sample_analyses) -> Analysis:
    return next(a for a in sample_analyses if a.document.id == "d-hostile")


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()


def ready(pg, view: str | None = None) -> None:
    pg.wait_for_selector("body[data-state=ready]", timeout=15000)
    if view:
        assert pg.get_attribute("body", "data-view") == view


def map_idle(pg) -> None:
    """Wait until the map has stopped zooming and the clusters have stopped animating (markers
    move, and both zoom levels' clusters are drawn, while they do)."""
    pg.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim')",
                         timeout=10000)


def api(server: str, path: str, **params) -> dict:
    r = httpx.get(server + path, params=params, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def query(pg) -> dict[str, list[str]]:
    return parse_qs(urlparse(pg.url).query)


def test_dashboard_loads_map_timeline_and_table(server, page):
    page.goto(server + "/")
    ready(page, "overview")
    total = api(server, "/events")["total"]
    points = api(server, "/events/points")["total"]
    assert total >= 10 and points >= 5
    assert page.locator("#events-table tbody tr").count() == min(total, 25)
    # every point is on the map, as a marker or inside a cluster
    page.wait_for_selector(".ev-marker, .ev-cluster", timeout=5000)
    map_idle(page)
    # while the map zooms to fit, the clusters of the old and the new zoom level are both drawn:
    # count once the drawing has settled on the total (or fail below with what was drawn)
    counted = """() => [...document.querySelectorAll('.ev-marker')].length + [...document.querySelectorAll(
        '.ev-cluster span')].reduce((n, s) => n + parseInt(s.textContent, 10), 0)"""
    with contextlib.suppress(playwright_sync.TimeoutError):
        page.wait_for_function(f"(n) => ({counted})() === n", arg=points, timeout=5000)
    shown = page.locator(".ev-marker").count()
    clustered = sum(int(t) for t in page.locator(".ev-cluster span").all_inner_texts())
    assert shown + clustered == points
    assert page.locator("#timeline svg rect[data-date]").count() >= 3
    assert page.locator(".leaflet-overlay-pane path").count() > 100  # country outlines
    assert page.errors == []


def test_filter_by_type_and_date(server, page):
    dated = api(server, "/events", sort="date", per_page=500)["items"]
    target = next(e for e in dated if e["date_start"] and e["event_type"] == "Explosions/Remote violence")
    day = target["date_start"]
    page.goto(server + "/")
    ready(page)
    page.check("#type-boxes input[value='Explosions/Remote violence']")
    page.fill("#f-from", day)
    page.fill("#f-to", day)
    page.click("#apply")
    page.wait_for_function("() => location.search.includes('from=')")
    ready(page, "overview")
    q = query(page)
    assert q["type"] == ["Explosions/Remote violence"] and q["from"] == [day] and q["to"] == [day]
    expected = api(server, "/events", type="Explosions/Remote violence", **{"from": day, "to": day})
    rows = page.locator("#events-table tbody tr[data-event-id]")
    assert rows.count() == expected["total"] >= 1
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.eventId)")) == {e["event_id"] for e in expected["items"]}
    for text in page.locator("#events-table tbody tr td:nth-child(2)").all_inner_texts():
        assert "Explosions/Remote violence" in text
    # the filters live in the URL: reloading the address restores form and view
    page.reload()
    ready(page)
    assert page.is_checked("#type-boxes input[value='Explosions/Remote violence']")
    assert page.input_value("#f-from") == day
    assert page.errors == []


def test_timeline_brush_sets_the_date_range(server, page):
    page.goto(server + "/")
    ready(page)
    box = page.locator("#timeline svg").bounding_box()
    y = box["y"] + box["height"] * 0.5
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.99, y, steps=5)
    page.mouse.up()
    page.wait_for_function("() => location.search.includes('from=') && location.search.includes('to=')")
    ready(page)
    q = query(page)
    start, end = q["from"][0], q["to"][0]
    assert start <= end
    expected = api(server, "/events", **{"from": start, "to": end})["total"]
    assert page.locator("#events-table tbody tr[data-event-id]").count() == min(expected, 25)
    assert page.locator("#timeline .sel[visibility=visible]").count() == 1


def test_click_a_marker_then_read_the_highlighted_evidence(server, page):
    points = api(server, "/events/points", limit=1000)["points"]
    alone = [p for p in points
             if sum(1 for o in points if abs(o["latitude"] - p["latitude"]) < 2 and abs(o["longitude"] - p["longitude"]) < 2) == 1]
    assert alone, "some event stands alone on the map"
    pt = alone[0]
    bbox = f"{pt['longitude'] - 1},{pt['latitude'] - 1},{pt['longitude'] + 1},{pt['latitude'] + 1}"
    page.goto(server + "/?" + urlencode({"bbox": bbox}))
    ready(page)
    marker = page.locator(f".ev-marker[data-event-id='{pt['event_id']}']")
    marker.wait_for(timeout=5000)
    map_idle(page)
    marker.click()
    popup = page.locator(".leaflet-popup .popup")
    popup.wait_for()
    detail = api(server, f"/events/{pt['event_id']}")
    page.wait_for_function("() => !document.querySelector('.leaflet-popup .notes').textContent.startsWith('…')")
    assert popup.locator(".notes").inner_text() == (detail["notes"] or "(no notes)")
    popup.get_by_text("Article").click()
    ready(page, "article")
    evidence = detail["evidence"][0]
    assert query(page)["doc"] == [evidence["doc_id"]]
    focused = page.locator("#article-text mark.hl.focus")
    assert focused.count() >= 1
    assert "".join(focused.all_inner_texts()) == evidence["text"]
    assert page.locator(f"#rec-{pt['event_id']}.active").count() == 1
    # every extracted span of the article is highlighted, and each mark names its records
    doc = api(server, f"/documents/{evidence['doc_id']}")
    marked = set(" ".join(page.locator("#article-text mark.hl").evaluate_all(
        "ms => ms.map(m => m.dataset.records)")).split())
    assert marked == {s["record_id"] for s in doc["spans"]}
    assert page.locator("#article-text").inner_text() == doc["text"]
    # a click on a claim's span lights up its record in the side list
    claim_spans = [s for s in doc["spans"] if s["kind"] == "claim"]
    if claim_spans:
        cid = claim_spans[0]["record_id"]
        page.locator(f"#article-text mark.hl[data-records~='{cid}']").first.click()
        assert page.locator(f"#rec-{cid}.active").count() == 1
    assert page.errors == []


def test_hostile_article_is_shown_as_text(server, page, hostile):
    page.goto(server + "/?" + urlencode({"view": "article", "doc": "d-hostile"}))
    ready(page, "article")
    assert page.locator("#article h1").inner_text() == hostile
    assert hostile in page.locator("#article-text").inner_text()
    assert page.locator("#article img, #article script, #article-records img").count() == 0
    assert page.locator("#article a[href^='javascript']").count() == 0
    page.goto(server + "/?" + urlencode({"type": "Riots"}))
    ready(page)
    map_idle(page)
    for m in page.locator(".ev-marker").all():  # popups of hostile events: notes and names as text
        close = page.locator(".leaflet-popup-close-button")
        if close.count():  # the last popup may cover the next marker
            close.first.click()
        m.click()
        page.locator(f".leaflet-popup .popup[data-event-id='{m.get_attribute('data-event-id')}']").wait_for()
    page.goto(server + "/?view=claims&claimant=ministry")
    ready(page, "claims")
    assert hostile in page.locator("#claims-board").inner_text()
    assert page.evaluate("() => window.__pwned === undefined")


def test_table_sorts_and_pages(server, page):
    page.goto(server + "/")
    ready(page)
    page.click("#events-table th button[data-sort='fatalities']")
    page.wait_for_function("() => location.search.includes('sort=-fatalities')")
    ready(page)
    top = api(server, "/events", sort="-fatalities", per_page=1)["items"][0]
    assert page.locator("#events-table tbody tr").first.get_attribute("data-event-id") == top["event_id"]
    total = api(server, "/events")["total"]
    if total > 25:
        page.click("#events-pager a[rel=next]")
        ready(page)
        assert query(page)["page"] == ["2"] and query(page)["sort"] == ["-fatalities"]


def test_claims_board_hypotheses_and_event_view(server, page):
    page.goto(server + "/?view=claims&certainty=probable")
    ready(page, "claims")
    expected = api(server, "/claims", certainty="probable")["total"]
    assert page.locator("#claims-board .card").count() == min(expected, 60)
    assert page.locator("#claims-board .badge.c-probable").count() == page.locator("#claims-board .card").count()
    page.click(".tabs a[data-nav=hypotheses]")
    ready(page, "hypotheses")
    assert page.locator("#hypotheses table, #hypotheses .empty-note").count() >= 1
    ev = api(server, "/events", sort="-fatalities", per_page=1)["items"][0]
    page.goto(server + "/?" + urlencode({"view": "event", "id": ev["event_id"]}))
    ready(page, "event")
    assert page.locator("#event-detail blockquote").count() == len(ev["evidence"])
    assert page.locator("#event-detail h1").inner_text().strip().endswith(ev["sub_event_type"])
    assert page.errors == []


def test_phone_sized_window(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.goto(server + "/")
    ready(pg, "overview")
    assert pg.is_visible("#filters-toggle") and not pg.is_visible("#f-q")
    pg.click("#filters-toggle")
    assert pg.is_visible("#f-q")
    assert pg.locator("#map").bounding_box()["width"] <= 390
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= 391
    pg.goto(server + "/?view=article&doc=d-hostile")
    ready(pg, "article")
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= 391
    context.close()
