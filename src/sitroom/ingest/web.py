"""Polite, guarded HTTP(S) fetching, then the reader for what came back.

Polite: a User-Agent naming sitroom, 10 s connect/read timeouts, a 60 s budget per page,
at most 5 redirects, bodies capped at ``MAX_ITEM_BYTES`` (streamed; a longer body is
abandoned). Guarded: only http and https, and no connection to loopback, private,
link-local (cloud metadata), reserved or multicast addresses unless ``allow_private``.
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


def refusal(address: str) -> str | None:
    """Why ``address`` must not be dialled without ``allow_private``, or None if it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for label in ("loopback", "link_local", "unspecified", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{label}"):
            return f"{ip} is a {label.replace('_', '-')} address"
    return None if ip.is_global else f"{ip} is not a public address"


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves the host itself, refuses non-public addresses, then dials the checked address
    (TLS still verifies and sends the host name: httpcore takes it from the request)."""

    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private
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
                return self._backend.connect_tcp(address, port, timeout, local_address, socket_options)
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

    def __init__(self, allow_private: bool = False) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_GuardedBackend(allow_private),
        )


def fetch(url: str, *, allow_private: bool = False, transport: httpx.BaseTransport | None = None) -> Fetched:
    """GET ``url`` politely; raises :class:`FetchError` with a one-line reason.

    A ``transport`` given here (e.g. ``httpx.MockTransport`` in tests) replaces
    :class:`GuardedTransport`, and with it the address guard.
    """
    if httpx.URL(url).scheme not in ("http", "https"):
        raise FetchError("only http:// and https:// URLs are fetched")
    deadline = time.monotonic() + PAGE_BUDGET_S
    client = httpx.Client(
        transport=transport or GuardedTransport(allow_private),
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
            content_type = response.headers.get("content-type")
            return Fetched(str(response.url), content_type, response.charset_encoding, b"".join(chunks))
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(f"unsupported URL (only http and https): {exc}") from None
    except httpx.TimeoutException as exc:
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
