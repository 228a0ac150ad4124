"""Safe fetching: every refused address class, by DNS answer, by IP literal and behind a
redirect; the ``--allow-private`` flag from the command line to the dialler; schemes,
content types, size caps and time budgets.

No packet leaves this machine: names are answered by a fake resolver, and a tripwire
replaces the dialler, so that an address the guard lets through is recorded instead of
dialled (only 127.0.0.1, the test server, is really connected to).
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import threading
import time
from collections.abc import Iterator

import httpcore
import httpx
import pytest
from click.testing import CliRunner
from hostile.checks import check_items

from sitroom.ingest import read, web
from sitroom.model import Document, Skipped

PAGE = (b"<!doctype html><html><head><title>Mosul pocket shrinks</title></head><body><article>"
        b"<p>The Iraqi army reduced the pocket held by Islamic State fighters in the Old City of Mosul on Monday.</p>"
        b"<p>Officers said the remaining fighters were trapped in a warren of streets near the river.</p>"
        b"</article></body></html>")

# (address, words the refusal must contain): one per class the guard refuses
REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.53.0.9", "loopback"),  # all of 127/8
    ("::1", "loopback"),
    ("10.0.0.1", "private"),
    ("10.255.255.254", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.254", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),  # cloud metadata (AWS, GCP, Azure, ...)
    ("169.254.0.1", "link-local"),
    ("fd00:ec2::254", "private"),  # AWS metadata over IPv6 (fc00::/7)
    ("fc00::1", "private"),
    ("fe80::1", "link-local"),
    ("fe80::1%lo", "link-local"),
    ("fec0::1", "site-local"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("ff02::1", "multicast"),
    ("255.255.255.255", "address"),  # broadcast
    ("100.100.100.200", "not a public address"),  # Alibaba Cloud metadata (100.64/10, shared)
    ("198.18.0.1", "private"),  # benchmarking
    ("::ffff:169.254.169.254", "link-local"),  # IPv4-mapped
    ("::ffff:10.0.0.1", "private"),
    ("2002:a9fe:a9fe::", "embeds"),  # 6to4 of 169.254.169.254
    ("64:ff9b::a9fe:a9fe", "embeds"),  # NAT64 of 169.254.169.254
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "embeds"),  # Teredo, client 10.0.0.1
]


def _family(address: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in address else socket.AF_INET


class Network:
    """A fake resolver for names ending in ``.test`` and a tripwire in place of the dialler."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, server: tuple[str, int]) -> None:
        self.names: dict[str, list[str]] = {}
        self.dialled: list[str] = []
        real_getaddrinfo = socket.getaddrinfo
        real_connect = httpcore.SyncBackend.connect_tcp

        def getaddrinfo(host, port, *args, **kwargs):
            if isinstance(host, str) and host.endswith(".test"):
                if host not in self.names:
                    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
                return [(_family(a), socket.SOCK_STREAM, 6, "", (a, port)) for a in self.names[host]]
            return real_getaddrinfo(host, port, *args, **kwargs)

        def connect_tcp(backend, host, port, *args, **kwargs):
            self.dialled.append(host)
            if (host, port) != server:
                raise httpcore.ConnectError(f"tripwire: the guard let {host} through")
            return real_connect(backend, host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect_tcp)


@pytest.fixture()
def network(monkeypatch: pytest.MonkeyPatch, server: str) -> Network:
    host, port = server.rsplit(":", 1)
    return Network(monkeypatch, (host, int(port)))


class _Handler(socketserver.StreamRequestHandler):
    """A deliberately bad web server: answers by path, some slowly or with lies."""

    def handle(self) -> None:
        request = self.rfile.readline(65537).decode("latin-1")
        while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
            pass
        path = request.split(" ")[1] if request.count(" ") >= 2 else "/"
        try:
            self._answer(path)
        except OSError:  # the client hung up, as it should
            pass

    def _send(self, status: str, headers: dict[str, str], body: bytes = b"") -> None:
        head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.wfile.write(head.encode("latin-1") + b"Connection: close\r\n\r\n" + body)

    def _answer(self, path: str) -> None:
        if path == "/page":
            self._send("200 OK", {"Content-Type": "text/html", "Content-Length": str(len(PAGE))}, PAGE)
        elif path.startswith("/redirect?to="):
            self._send("302 Found", {"Location": path.removeprefix("/redirect?to="), "Content-Length": "0"})
        elif path.startswith("/typed/"):
            mime = path.removeprefix("/typed/").replace("~", "/")
            self._send("200 OK", {"Content-Type": mime, "Content-Length": str(len(PAGE))}, PAGE)
        elif path == "/untyped":
            self._send("200 OK", {"Content-Length": str(len(PAGE))}, PAGE)
        elif path == "/huge-length":
            self._send("200 OK", {"Content-Type": "text/plain", "Content-Length": str(50 * 2**20)}, b"x" * 1000)
        elif path == "/chunked-forever":
            self._send("200 OK", {"Content-Type": "text/plain", "Transfer-Encoding": "chunked"})
            chunk = b"%x\r\n%s\r\n" % (65536, b"y" * 65536)
            for _ in range(2000):  # 128 MB at most, if nobody hangs up
                self.wfile.write(chunk)
        elif path == "/gzip-bomb":
            bomb = gzip.compress(b"\0" * (8 * 2**20), 9)  # 8 MB of zeros in ~8 kB
            self._send("200 OK", {"Content-Type": "text/plain", "Content-Encoding": "gzip",
                                  "Content-Length": str(len(bomb))}, bomb)
        elif path == "/slow-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(600):  # one header byte every 0.1 s: each read is quick, the whole is not
                self.wfile.write(b"X")
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/slow-body":
            self._send("200 OK", {"Content-Type": "text/plain", "Content-Length": "100000"})
            for _ in range(600):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/stall":
            self._send("200 OK", {"Content-Type": "text/plain", "Content-Length": "100"})
            time.sleep(10)
        else:
            self._send("404 Not Found", {"Content-Length": "0"})


SERVER_HOST = "127.0.0.2"  # loopback too, but not the 127.0.0.1 of the refused classes


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    httpd = socketserver.ThreadingTCPServer((SERVER_HOST, 0), _Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"{SERVER_HOST}:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def one(url: str, **kwargs: object) -> Document | Skipped:
    (item,) = check_items(read([url], **kwargs))  # type: ignore[arg-type]
    return item


def refused(item: Document | Skipped, words: str) -> None:
    assert isinstance(item, Skipped), item
    assert "refused" in item.reason and words in item.reason, item.reason


# --- every address class: after DNS, as a literal, behind a redirect, and with the flag ----


@pytest.mark.parametrize(("address", "words"), REFUSED)
def test_refused_after_dns(network: Network, address: str, words: str) -> None:
    network.names["evil.test"] = [address]
    refused(one("http://evil.test/"), words)
    assert network.dialled == []


@pytest.mark.parametrize(("address", "words"), REFUSED)
def test_refused_behind_a_redirect(network: Network, server: str, monkeypatch: pytest.MonkeyPatch,
                                   address: str, words: str) -> None:
    """The first hop (the test server, taken for public here) is fine; the redirect target is not."""
    real = web.refusal
    monkeypatch.setattr(web, "refusal", lambda a: None if a == SERVER_HOST else real(a))
    network.names["evil.test"] = [address]
    item = one(f"http://{server}/redirect?to=http://evil.test:8080/latest")
    refused(item, words)
    assert network.dialled == [SERVER_HOST]


@pytest.mark.parametrize(("address", "words"), REFUSED)
def test_allow_private_lets_each_class_through_to_the_dialler(network: Network, address: str, words: str) -> None:
    network.names["evil.test"] = [address]
    item = one("http://evil.test/", allow_private=True)
    assert isinstance(item, Skipped) and "tripwire" in item.reason
    assert network.dialled == [address]  # the checked address itself, not the name again


@pytest.mark.parametrize("host", ["[::1]", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.0.0.1.",
                                  "localhost", "[::ffff:127.0.0.1]", "[0:0:0:0:0:0:0:1]"])
def test_loopback_spellings_are_refused(network: Network, host: str) -> None:
    item = one(f"http://{host}:8080/")
    assert isinstance(item, Skipped), item
    assert any(w in item.reason for w in ("refused", "cannot resolve", "invalid URL")), item.reason
    assert network.dialled == []


def test_one_private_address_among_public_ones_is_enough_to_refuse(network: Network) -> None:
    network.names["mixed.test"] = ["93.184.216.34", "10.0.0.7"]
    refused(one("http://mixed.test/"), "10.0.0.7 is a private address")
    assert network.dialled == []


def test_public_address_is_dialled(network: Network) -> None:
    network.names["public.test"] = ["93.184.216.34"]
    item = one("http://public.test/")
    assert isinstance(item, Skipped) and "tripwire" in item.reason and network.dialled == ["93.184.216.34"]


def test_the_local_test_server_needs_allow_private(network: Network, server: str) -> None:
    refused(one(f"http://{server}/page"), "loopback")
    assert isinstance(one(f"http://{server}/page", allow_private=True), Document)
    assert network.dialled == [SERVER_HOST]


# --- the command line ------------------------------------------------------------------------


def test_cli_allow_private_reaches_the_guard(network: Network, server: str, tmp_path) -> None:
    """Without the flag the loopback server is refused; with it, it is dialled (and its answer,
    an image, is refused for its content type: no article is analysed, the test stays quick)."""
    from sitroom.cli import cli

    db = str(tmp_path / "cli.db")
    url = f"http://{server}/typed/image~png"
    without = CliRunner().invoke(cli, ["ingest", url, "--db", db])
    assert without.exit_code == 1
    assert f"refused {SERVER_HOST}: {SERVER_HOST} is a loopback address" in without.output
    assert network.dialled == []
    flagged = CliRunner().invoke(cli, ["ingest", url, "--db", db, "--allow-private"])
    assert flagged.exit_code == 1 and "content type 'image/png'" in flagged.output, flagged.output
    assert network.dialled == [SERVER_HOST]


# --- schemes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/_x",
                                 "dict://127.0.0.1:11211/stat", "data:text/plain,hello", "javascript:alert(1)"])
def test_other_schemes_are_not_fetched(network: Network, url: str) -> None:
    item = one(url)
    assert isinstance(item, Skipped)
    assert network.dialled == []


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://127.0.0.1:70/_x", "ftp://127.0.0.1/"])
def test_redirect_to_another_scheme_is_not_followed(network: Network, server: str, target: str) -> None:
    item = one(f"http://{server}/redirect?to={target}", allow_private=True)
    assert isinstance(item, Skipped) and "unsupported URL" in item.reason
    assert network.dialled == [SERVER_HOST]


# --- content type, size, time --------------------------------------------------------------------


@pytest.mark.parametrize("mime", ["image/png", "application/pdf", "video/mp4", "application/zip", "font/woff2",
                                  "text/css", "application/javascript", "multipart/mixed"])
def test_content_types_that_hold_no_article_are_refused(server: str, mime: str) -> None:
    item = one(f"http://{server}/typed/{mime.replace('/', '~')}", allow_private=True)
    assert isinstance(item, Skipped) and "content type" in item.reason


@pytest.mark.parametrize("path", ["/typed/text~html;charset=utf-8", "/typed/application~xhtml+xml",
                                  "/typed/application~octet-stream", "/untyped"])
def test_content_types_that_may_hold_text_are_read(server: str, path: str) -> None:
    assert isinstance(one(f"http://{server}{path}", allow_private=True), Document)


@pytest.mark.parametrize(("path", "words"), [("/huge-length", "too large (50.0 MB"),
                                             ("/chunked-forever", "download stopped"),
                                             ("/gzip-bomb", "download stopped")])
def test_size_cap(server: str, monkeypatch: pytest.MonkeyPatch, path: str, words: str) -> None:
    monkeypatch.setattr(web, "MAX_ITEM_BYTES", 2**20)  # 1 MB here, to keep the test quick
    item = one(f"http://{server}{path}", allow_private=True)
    assert isinstance(item, Skipped) and words in item.reason, item.reason


@pytest.mark.parametrize("path", ["/slow-headers", "/slow-body"])
def test_page_budget_holds_against_trickling_servers(server: str, monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    """Each read returns within the 10 s read timeout, but the whole never ends: the page
    budget (60 s; 1.5 s here) stops it, in the headers as in the body."""
    monkeypatch.setattr(web, "PAGE_BUDGET_S", 1.5)
    start = time.monotonic()
    item = one(f"http://{server}{path}", allow_private=True)
    assert isinstance(item, Skipped) and "too slow" in item.reason, item.reason
    assert time.monotonic() - start < 6


def test_read_timeout(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web, "TIMEOUT", httpx.Timeout(0.5))
    start = time.monotonic()
    item = one(f"http://{server}/stall", allow_private=True)
    assert isinstance(item, Skipped) and "timed out" in item.reason and time.monotonic() - start < 5
