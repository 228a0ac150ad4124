"""Property-based fuzzing of every reader: whatever the bytes, a valid Document or a clean
Skipped, never an exception. Examples per test: ``SITROOM_FUZZ_EXAMPLES`` (default 60; the
coverage-guided fuzzers in benchmarks/fuzz/ run for longer)."""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import json
import os
import tempfile
from pathlib import Path

import httpx
import pytest
from hostile.checks import HOSTILE_CHARS, check_item, check_items, hostile_text, prose
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitroom.ingest import detect, dispatch, read
from sitroom.ingest.dates import parse_date
from sitroom.ingest.feeds import read_feed
from sitroom.ingest.html import fragment_text, read_html
from sitroom.ingest.jsonl import iter_lines, read_jsonl
from sitroom.ingest.text import is_headline, read_text, split_trailer
from sitroom.ingest.web import read_url, readable_type, refusal

EXAMPLES = int(os.environ.get("SITROOM_FUZZ_EXAMPLES", "60"))
pytestmark = [
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:feedparser"),
]
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# --- building blocks ------------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "koi8-r", "shift_jis", "gb18030"]


def utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # lone surrogates become invalid UTF-8, as in the wild


@st.composite
def encoded(draw: st.DrawFn, text: st.SearchStrategy[str] = prose) -> bytes:
    """Text in some encoding (errors replaced), sometimes with a BOM, sometimes raw bytes."""
    value = draw(text)
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=500))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = value.encode(encoding, errors="replace" if encoding != "utf-8" else "surrogatepass")
    if draw(st.booleans()):
        data = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b""])) + data
    return data


attr_value = st.one_of(st.sampled_from(["", "x", "javascript:alert(1)", "utf-8", "text/html; charset=utf-7"]),
                       hostile_text.map(lambda s: s[:30]))
TAGS = ["div", "p", "article", "main", "section", "span", "b", "h1", "h2", "title", "script", "style", "a", "br",
        "table", "tr", "td", "ul", "li", "meta", "noscript", "template", "svg", "math", "iframe", "pre", "nav"]


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attrs, kids, close: f"<{tag}{attrs}>{''.join(kids)}" + (f"</{tag}>" if close else ""),
        st.sampled_from(TAGS),
        st.lists(st.builds(lambda k, v: f' {k}="{v}"', st.sampled_from(["class", "id", "content", "charset",
                                                                          "property", "name", "href"]), attr_value),
                 max_size=3).map("".join),
        st.lists(children, max_size=4),
        st.booleans(),
    )


html_fragment = st.recursive(
    st.one_of(prose, hostile_text, st.sampled_from(["&amp;", "&lt;", "&#0;", "&#xD800;", "&#x110000;", "&nbsp;",
                                                    "<!-- c -->", "<![CDATA[x]]>", "<?php ?>", "&bogus;"])),
    _element,
    max_leaves=25,
)
html_page = st.builds(
    lambda doctype, head, body: f"{doctype}<html><head>{head}</head><body>{body}</body></html>",
    st.sampled_from(["", "<!DOCTYPE html>", "<!doctype html public '-//W3C//DTD HTML 4.01//EN'>", "<?xml ?>"]),
    st.lists(st.one_of(
        st.builds(lambda t: f"<title>{t}</title>", prose),
        st.builds(lambda c: f'<meta charset="{c}">', attr_value),
        st.builds(lambda c: f'<meta property="article:published_time" content="{c}">',
                  st.one_of(attr_value, st.dates().map(str))),
        st.builds(lambda c: f'<meta property="og:site_name" content="{c}">', attr_value),
    ), max_size=4).map("".join),
    st.lists(html_fragment, max_size=5).map("".join),
)

date_text = st.one_of(
    st.dates().map(str),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S +0300")),
    st.sampled_from(["", "yesterday", "0000-00-00", "9999-12-31T23:59:59+14:00", "Fri, 31 Feb 2022 25:61:61 +9999",
                     "Mon, 01 Jan 99999 00:00:00 GMT", "2024-13-45", "\x00", "2022-04-08T10:00:00Z"]),
    hostile_text.map(lambda s: s[:40]),
)


def _xml(text: str) -> str:
    """Text for an XML document: markup escaped, but anything else (controls, entities) kept."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    """RSS 2.0, Atom or RDF with hostile item fields, entities, CDATA and markup in bodies."""
    kind = draw(st.sampled_from(["rss", "atom", "rdf"]))
    field = st.one_of(prose.map(_xml), hostile_text, html_fragment.map(_xml),
                      html_fragment.map(lambda h: f"<![CDATA[{h.replace(']]>', '')}]]>"),
                      st.sampled_from(["&lol;", "&#0;", "&#xFFFE;", "&amp;amp;", "]]>", "&nbsp;"]))
    items = []
    for _ in range(draw(st.integers(0, 4))):
        title, body, date, link = draw(field), draw(field), draw(date_text.map(_xml)), draw(field)
        if kind == "atom":
            items.append(f"<entry><title>{title}</title><link href=\"{link}\"/><updated>{date}</updated>"
                         f"<content type=\"{draw(st.sampled_from(['html', 'text', 'xhtml']))}\">{body}</content></entry>")
        else:
            items.append(f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
                         f"<description>{body}</description></item>")
    doctype = draw(st.sampled_from([
        "", '<!DOCTYPE rss [<!ENTITY lol "lol">]>',
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY lol "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
        '<!DOCTYPE rss [<!ENTITY lol SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/x.dtd">',
    ]))
    body = "".join(items)
    if kind == "atom":
        doc = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{draw(field)}</title>{body}</feed>'
    elif kind == "rdf":
        doc = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
               f"<channel><title>{draw(field)}</title></channel>{body}</rdf:RDF>")
    else:
        doc = f'<rss version="2.0"><channel><title>{draw(field)}</title>{body}</channel></rss>'
    text = draw(st.sampled_from(['<?xml version="1.0"?>', '<?xml version="1.0" encoding="iso-8859-1"?>', ""]))
    text += doctype + doc
    if draw(st.integers(0, 4)) == 0:  # truncated or corrupted
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(hostile_text.map(lambda s: s[:10]))
    return text.encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])), errors="replace")


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text, prose),
    lambda kids: st.one_of(st.lists(kids, max_size=3), st.dictionaries(hostile_text, kids, max_size=3)),
    max_leaves=10,
)
record = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(prose, hostile_text, json_value),
        "id": st.one_of(st.text(max_size=5), st.integers(), hostile_text, json_value,
                        st.text(min_size=201, max_size=300)),
        "title": st.one_of(prose, hostile_text, json_value, st.text(min_size=1000, max_size=3000)),
        "source": st.one_of(prose, json_value),
        "url": st.one_of(hostile_text, json_value),
        "author": st.one_of(prose, json_value),
        "published": st.one_of(date_text, json_value),
    },
)
jsonl_line = st.one_of(
    record.map(lambda r: json.dumps(r, ensure_ascii=False)),
    record.map(json.dumps),
    json_value.map(json.dumps),
    hostile_text,
    st.integers(1, 5000).map(lambda n: "[" * n),
    st.integers(1, 5000).map(lambda n: '{"text": "x", "a": ' + "[" * n + "]" * n + "}"),
    st.just('{"text": "\\ud800 lone \\u0000 surrogate", "id": "a\\u0000"}'),
)
jsonl_file = st.lists(jsonl_line, max_size=8).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))

# --- the readers ------------------------------------------------------------------------------


@fuzz
@given(data=st.one_of(encoded(), st.binary(max_size=2000), html_page.map(utf8), feeds(), jsonl_file),
       name=st.sampled_from(["", "a.txt", "a.html", "a.jsonl", "feed.xml", "x.ndjson", "noext"]),
       declared=st.one_of(st.none(), st.sampled_from(["utf-8", "latin-1", "bogus", "utf-7", "utf-16", " ", "\x00"])))
def test_detect(data: bytes, name: str, declared: str | None) -> None:
    assert detect.sniff(data[: detect.SNIFF_BYTES], name) in ("binary", "html", "feed", "jsonl", "text")
    text = detect.decode(data, declared)
    assert text is None or isinstance(text, str)
    charset = detect.html_charset(data)
    assert charset is None or isinstance(charset, str)


@fuzz
@given(text=st.one_of(prose, hostile_text, st.lists(st.one_of(prose, hostile_text), max_size=6).map("\n".join)))
def test_text_reader(text: str) -> None:
    check_item(read_text(text, "fuzz.txt"))
    body, _title, _outlet = split_trailer(text)
    assert isinstance(body, str)
    for line in text.split("\n")[:5]:
        assert is_headline(line) in (True, False)


@fuzz
@given(page=st.one_of(html_page, html_fragment, hostile_text))
def test_html_reader(page: str) -> None:
    check_item(read_html(page, "fuzz.html", url="http://example.org/a"))
    assert isinstance(fragment_text(page), str)


@fuzz
@given(data=st.one_of(feeds(), encoded()), content_type=st.sampled_from([None, "application/rss+xml",
                                                                         "text/html", "text/xml; charset=utf-16"]))
def test_feed_reader(data: bytes, content_type: str | None) -> None:
    check_items(read_feed(data, "fuzz.xml", content_type=content_type))


@fuzz
@given(data=jsonl_file, limit=st.sampled_from([10, 100, 2**20]))
def test_jsonl_reader(data: bytes, limit: int) -> None:
    lines = list(iter_lines(io.BytesIO(data), limit))
    assert all(line is None or len(line) <= limit or line.endswith(b"\n") for line in lines)
    for item in check_items(read_jsonl(lines, "fuzz.jsonl", limit=limit)):
        assert item.origin.startswith("fuzz.jsonl:")
    check_items(read_jsonl(data.decode("utf-8", "surrogatepass").splitlines(), "fuzz.jsonl", limit=limit))


@fuzz
@given(value=date_text)
def test_dates(value: str) -> None:
    assert parse_date(value) is None or type(parse_date(value)) is dt.date


@fuzz
@given(data=st.one_of(encoded(), st.binary(max_size=2000), html_page.map(utf8), feeds(), jsonl_file),
       name=st.sampled_from(["", "a.txt", "a.html", "a.jsonl", "feed.xml"]))
def test_dispatch(data: bytes, name: str) -> None:
    check_items(dispatch.parse_bytes(data, "fuzz", name=name, url="http://example.org/x"))


@fuzz
@given(files=st.lists(st.tuples(st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b
                                                                          and b not in (b".", b"..")),
                                st.one_of(encoded(), html_page.map(utf8), feeds(), jsonl_file)),
                      max_size=4, unique_by=lambda f: f[0]))
def test_read_folder(files: list[tuple[bytes, bytes]]) -> None:
    """A folder of hostile files with hostile names (not UTF-8, control characters, dot files)."""
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files:
            Path(os.fsdecode(os.path.join(os.fsencode(folder), name))).write_bytes(data)
        for item in check_items(read([folder])):
            item.origin.encode("utf-8")


def _mock(status: int, headers: list[tuple[str, str]], body: bytes) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, content=body)

    return httpx.MockTransport(handler)


@fuzz
@given(status=st.sampled_from([200, 200, 200, 204, 301, 404, 500]),
       content_type=st.one_of(st.none(), st.sampled_from(["text/html", "text/html; charset=koi8-r",
                                                           "application/rss+xml", "image/png", "text/plain; charset=",
                                                           "application/octet-stream", "text/css",
                                                           "application/json; charset=bogus"]),
                              hostile_text.map(lambda s: s.encode("ascii", "ignore").decode()[:40])),
       body=st.one_of(encoded(), html_page.map(utf8), feeds(), jsonl_file))
def test_url_reader(status: int, content_type: str | None, body: bytes) -> None:
    headers = [("content-type", content_type)] if content_type is not None else []
    if status == 301:
        headers.append(("location", "http://example.org/elsewhere"))
    items = check_items(read_url("http://example.org/feed", transport=_mock(status, headers, body)))
    assert items and all(i.origin.startswith("http://example.org/feed") for i in items)
    assert isinstance(readable_type(content_type), bool)


@fuzz
@given(address=st.one_of(st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n))),
                         st.integers(0, 2**128 - 1).map(lambda n: str(ipaddress.IPv6Address(n))),
                         st.sampled_from(["127.0.0.1", "::1", "::ffff:10.0.0.1", "2002:a00:1::", "64:ff9b::a9fe:a9fe",
                                          "2001:0:4136:e378:8000:63bf:f5ff:fffe", "fe80::1%eth0", "fec0::1"])))
def test_refusal_never_raises_and_refuses_every_non_global(address: str) -> None:
    why = refusal(address)
    ip = ipaddress.ip_address(address.split("%")[0])
    if why is None:
        assert ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast)
    else:
        assert isinstance(why, str) and why


def test_hostile_chars_cover_the_classes() -> None:
    """The alphabet above holds what the issue names: zero-width, right-to-left, controls."""
    assert {"\u200b", "\u202e", "\u2067", "\x00", "\ud800"} <= set(HOSTILE_CHARS)
