"""URL fetching against a real HTTP server on 127.0.0.1 (no other network)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitroom.ingest import read, web
from sitroom.ingest.web import FetchError, fetch, refusal
from sitroom.model import Document, Skipped

PAGE = b"""<!doctype html><html><head><title>Mosul pocket shrinks</title>
<meta property="og:site_name" content="Local Desk"></head><body><article><h1>Mosul pocket shrinks</h1>
<p>The Iraqi army reduced the pocket held by Islamic State fighters in the Old City of Mosul on Monday.</p>
<p>Officers said the remaining fighters were trapped in a warren of streets near the river.</p>
</article></body></html>"""
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local Feed</title>
<item><title>One</title><link>http://example.org/1</link><description>First item text.</description></item>
</channel></rss>"""
CP1252 = "Caf\u00e9 strike: \u201ctwo dead\u201d, officials said.".encode("cp1252")


class _Handler(BaseHTTPRequestHandler):
    seen_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        routes = {
            "/page": (200, "text/html; charset=utf-8", PAGE),
            "/feed": (200, "application/rss+xml", FEED),
            "/latin": (200, "text/plain; charset=windows-1252", CP1252),
            "/empty": (200, "text/html", b""),
            "/big": (200, "text/plain", b"x" * 5000),
        }
        if self.path == "/redirect":
            self._send(302, "text/plain", b"", location="/page")
        elif self.path == "/to-private":
            port = self.server.server_address[1]
            self._send(302, "text/plain", b"", location=f"http://127.0.0.2:{port}/page")
        elif self.path.startswith("/loop"):
            self._send(302, "text/plain", b"", location=f"/loop{len(self.path)}")
        elif self.path in routes:
            self._send(*routes[self.path])
        else:
            self._send(404, "text/plain", b"not here")

    def _send(self, status: int, content_type: str, body: bytes, location: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetched(url: str, **kwargs: object) -> list[Document | Skipped]:
    return list(read([url], allow_private=True, **kwargs))  # type: ignore[arg-type]


def test_html_page_over_http(server: str) -> None:
    (document,) = fetched(f"{server}/page", published=dt.date(2017, 7, 3))
    assert isinstance(document, Document)
    assert document.title == "Mosul pocket shrinks" and document.source == "Local Desk"
    assert document.text.startswith("The Iraqi army reduced the pocket")
    assert document.origin == document.url == f"{server}/page"
    assert document.published == dt.date(2017, 7, 3)
    assert _Handler.seen_agents[-1] == web.USER_AGENT


def test_feed_over_http(server: str) -> None:
    (document,) = fetched(f"{server}/feed")
    assert isinstance(document, Document)
    assert (document.title, document.source, document.url) == ("One", "Local Feed", "http://example.org/1")
    assert document.origin == f"{server}/feed#item-1"


def test_charset_from_header(server: str) -> None:
    (document,) = fetched(f"{server}/latin")
    assert isinstance(document, Document)
    assert document.text == "Caf\u00e9 strike: \u201ctwo dead\u201d, officials said."


def test_redirect_followed(server: str) -> None:
    (document,) = fetched(f"{server}/redirect")
    assert isinstance(document, Document)
    assert document.origin == f"{server}/redirect" and document.url == f"{server}/page"


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/missing", "HTTP 404"), ("/loop", "more than 5 redirects"), ("/empty", "empty")],
)
def test_bad_responses(server: str, path: str, reason: str) -> None:
    (item,) = fetched(server + path)
    assert isinstance(item, Skipped) and reason in item.reason


def test_size_cap(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web, "MAX_ITEM_BYTES", 1000)
    with pytest.raises(FetchError, match="too large"):
        fetch(f"{server}/big", allow_private=True)


def test_private_address_refused_without_allow_private(server: str) -> None:
    host_port = server.removeprefix("http://")
    for url in (f"{server}/page", f"http://localhost:{host_port.rsplit(':', 1)[1]}/page"):
        (item,) = read([url])
        assert isinstance(item, Skipped)
        assert "refused" in item.reason and "loopback" in item.reason


def test_redirect_to_private_address_refused(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend 127.0.0.1 (the test server) is public and 127.0.0.2 is not: the guard must
    # check the address of every hop, not only the first URL.
    monkeypatch.setattr(web, "refusal", lambda address: "a test-private address" if address == "127.0.0.2" else None)
    (item,) = read([f"{server}/to-private"])
    assert isinstance(item, Skipped) and "refused 127.0.0.2: a test-private address" in item.reason


def test_unreachable_url() -> None:
    (item,) = fetched("http://127.0.0.1:9/")
    assert isinstance(item, Skipped) and item.origin == "http://127.0.0.1:9/"
    assert item.reason.startswith("cannot fetch: ConnectError")


def test_only_http_schemes() -> None:
    with pytest.raises(FetchError, match="only http"):
        fetch("file:///etc/passwd")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1%eth0", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "not a public address"),
        ("224.0.0.1", "multicast"),
    ],
)
def test_refusal(address: str, kind: str) -> None:
    why = refusal(address)
    assert why is not None and kind in why


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "8.8.8.8"])
def test_public_addresses_allowed(address: str) -> None:
    assert refusal(address) is None
