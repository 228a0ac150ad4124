"""Kind detection by content and decoding."""

from __future__ import annotations

import codecs

import pytest

from sitroom.ingest.detect import decode, sniff


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', "news.txt", "feed"),
        (b'<?xml version="1.0"?><!-- c --><feed xmlns="http://www.w3.org/2005/Atom"/>', "", "feed"),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "", "feed"),
        (b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "page.xml", "html"),
        (b"\n\n<html><p>x</p></html>", "", "html"),
        (b'\n{"id": "a", "text": "x"}\n{"id": "b"', "data.txt", "jsonl"),
        (b"{not json", "x.jsonl", "jsonl"),
        (b"{not json\nmore", "x.txt", "text"),
        (b"Mosul falls\n\nThe army said...", "x.html", "text"),
        (b"Plain <b>bold</b> words in a page\n", "x.html", "html"),
        (b"PK\x03\x04\x00\x00binary", "a.txt", "binary"),
        (codecs.BOM_UTF16_LE + "Hello\n".encode("utf-16-le"), "", "text"),
        (codecs.BOM_UTF8 + b'{"text": "x"}', "", "jsonl"),
    ],
)
def test_sniff(head: bytes, name: str, kind: str) -> None:
    assert sniff(head, name) == kind


def test_decode_utf8_bom_and_utf16() -> None:
    assert decode(codecs.BOM_UTF8 + "Zoë".encode()) == "Zoë"
    assert decode("Zoë".encode("utf-16")) == "Zoë"


def test_decode_cp1252_short_text() -> None:
    text = "Déjà vu in Mosul\n\nThe café near the mosque was hit — “again”."
    assert decode(text.encode("cp1252")) == text
    assert decode("naïve résumé".encode("latin-1")) == "naïve résumé"


def test_decode_declared_charset_wins() -> None:
    text = "Сегодня в Москве прошёл митинг"
    assert decode(text.encode("koi8-r"), "koi8-r") == text
    assert decode("café".encode("cp1252"), "iso-8859-1") == "café"


def test_decode_binary_is_none() -> None:
    assert decode(b"\x00\x01\x02abc") is None
    assert decode(bytes(range(1, 32)) * 50) is None
