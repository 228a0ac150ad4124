"""Polite, guarded HTTP(S) fetching, then the reader for what came back.

Polite: a User-Agent naming sitroom, 10 s connect/read timeouts, a 60 s budget per page
(redirects, headers and body together: every socket operation gets at most what is left of
it, so a server trickling bytes cannot hold a fetch open), at most 5 redirects, bodies capped
at ``MAX_ITEM_BYTES`` (streamed; a longer body is abandoned), and only content types that
can hold text (``readable_type``). Guarded: only http and https, and no connection to
loopback, private, link-local (cloud metadata), reserved or multicast addresses, nor to IPv6
addresses that embed one (IPv4-mapped, 6to4, Teredo, NAT64), unless ``allow_private``.
The check runs where the socket is opened, on the address actually dialled, so it holds
on every redirect and cannot be dodged by a DNS answer that changes between check and use.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from sitroom.ingest.dispatch import MAX_ITEM_BYTES, megabytes, parse_bytes, too_large
from sitroom.model import Document, Skipped

USER_AGENT = "sitroom/0.1 (+https://github.com/sitroom)"
TIMEOUT = httpx.Timeout(10.0)
PAGE_BUDGET_S = 60.0
MAX_REDIRECTS = 5
_ACCEPT = "text/html, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5"


class FetchError(Exception):
    """A URL that could not be fetched; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str | None
    charset: str | None
    body: bytes


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def refusal(address: str) -> str | None:
    """Why ``address`` must not be dialled without ``allow_private``, or None if it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        elif ip.is_site_local:  # fec0::/10, deprecated but routed on some networks
            return f"{ip} is a site-local address"
        else:  # an IPv4 address inside: the gateway that unwraps it dials that one
            inner = ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
            if inner is None and any(ip in net for net in _NAT64):
                inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            if inner is not None and (why := refusal(str(inner))):
                return f"{ip} embeds an IPv4 address that is refused: {why}"
    for label in ("loopback", "link_local", "unspecified", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{label}"):
            return f"{ip} is a {label.replace('_', '-')} address"
    return None if ip.is_global else f"{ip} is not a public address"


_TEXT_SUBTYPES_REFUSED = frozenset({"css", "javascript", "ecmascript", "x-javascript", "calendar", "vcard"})


def readable_type(content_type: str | None) -> bool:
    """Whether a response of this Content-Type may hold an article, a feed or JSON Lines:
    ``text/*`` (not CSS or scripts), XML and JSON types, and unlabelled bodies (none, or
    ``application/octet-stream``), which the content sniffer then judges. Images, audio,
    video, fonts, PDF, archives and other binary types are refused before their body is read."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if not mime or mime in ("application/octet-stream", "binary/octet-stream"):
        return True
    kind, _, subtype = mime.partition("/")
    if kind == "text":
        return subtype not in _TEXT_SUBTYPES_REFUSED
    return kind == "application" and any(word in subtype for word in ("xml", "json", "rss", "atom", "rdf"))


def _within(deadline: float | None, timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` shortened to what is left until ``deadline``; ``error`` once none is left."""
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error(f"page budget of {PAGE_BUDGET_S:.0f} s spent")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake waits at most until ``deadline``."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float | None) -> None:
        self._stream = stream
        self._deadline = deadline

    def _timeout(self, timeout: float | None) -> float | None:
        return _within(self._deadline, timeout, httpcore.ReadTimeout)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._timeout(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._timeout(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(ssl_context, server_hostname, self._timeout(timeout))
        return _DeadlineStream(stream, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves the host itself, refuses non-public addresses, then dials the checked address
    (TLS still verifies and sends the host name: httpcore takes it from the request)."""

    def __init__(self, allow_private: bool, deadline: float | None = None) -> None:
        self._allow_private = allow_private
        self._deadline = deadline
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not self._allow_private:
            for address in addresses:
                if why := refusal(address):
                    raise httpcore.ConnectError(
                        f"refused {host}: {why}; private addresses are fetched only with allow_private"
                    )
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:
            try:
                left = _within(self._deadline, timeout, httpcore.ConnectTimeout)
                stream = self._backend.connect_tcp(address, port, left, local_address, socket_options)
                return _DeadlineStream(stream, self._deadline)
            except httpcore.ConnectError as exc:
                error = exc
        raise error

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool dialling through :class:`_GuardedBackend`.

    httpx has no public hook for the network backend, so the pool it builds is replaced with
    an equivalent one; the tests that refuse a loopback URL catch any change in httpx here.
    """

    def __init__(self, allow_private: bool = False, deadline: float | None = None) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_GuardedBackend(allow_private, deadline),
        )


def fetch(url: str, *, allow_private: bool = False, transport: httpx.BaseTransport | None = None) -> Fetched:
    """GET ``url`` politely; raises :class:`FetchError` with a one-line reason.

    A ``transport`` given here (e.g. ``httpx.MockTransport`` in tests) replaces
    :class:`GuardedTransport`, and with it the address guard.
    """
    try:
        scheme = httpx.URL(url).scheme
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(f"invalid URL ({exc})") from None
    if scheme not in ("http", "https"):
        raise FetchError("only http:// and https:// URLs are fetched")
    deadline = time.monotonic() + PAGE_BUDGET_S
    client = httpx.Client(
        transport=transport or GuardedTransport(allow_private, deadline),
        headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
        timeout=TIMEOUT,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        trust_env=False,
    )
    try:
        with client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
            content_type = response.headers.get("content-type")
            if not readable_type(content_type):
                raise FetchError(f"content type {content_type!r} is not text, HTML, a feed or JSON Lines")
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > MAX_ITEM_BYTES:
                raise FetchError(too_large(int(length)))
            chunks: list[bytes] = []
            received = 0
            for chunk in response.iter_bytes():  # decompressed: the cap also stops gzip bombs
                received += len(chunk)
                if received > MAX_ITEM_BYTES:
                    raise FetchError(f"too large (over {megabytes(MAX_ITEM_BYTES)}); download stopped")
                if time.monotonic() > deadline:
                    raise FetchError(f"too slow: not done after {PAGE_BUDGET_S:.0f} s")
                chunks.append(chunk)
            return Fetched(str(response.url), content_type, response.charset_encoding, b"".join(chunks))
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(f"unsupported URL (only http and https): {exc}") from None
    except (httpx.InvalidURL, httpx.CookieConflict) as exc:  # e.g. a redirect to a malformed URL
        raise FetchError(f"invalid URL ({exc})") from None
    except httpx.TimeoutException as exc:
        if time.monotonic() >= deadline:
            raise FetchError(f"too slow: not done after {PAGE_BUDGET_S:.0f} s") from None
        raise FetchError(f"timed out ({type(exc).__name__})") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}") from None


def read_url(
    url: str, *, allow_private: bool = False, transport: httpx.BaseTransport | None = None
) -> Iterator[Document | Skipped]:
    """Fetch one URL and read it as HTML, a feed, JSONL or text (by content)."""
    try:
        page = fetch(url, allow_private=allow_private, transport=transport)
    except FetchError as exc:
        yield Skipped(url, f"cannot fetch: {exc}")
        return
    name = httpx.URL(page.url).path.rsplit("/", 1)[-1]
    yield from parse_bytes(
        page.body, url, name=name, url=page.url, content_type=page.content_type, charset=page.charset
    )
