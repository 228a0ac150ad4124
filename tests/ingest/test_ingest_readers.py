"""The file readers through the public entry point ``read``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sitroom.ingest import read, walk
from sitroom.ingest import dispatch
from sitroom.ingest.identity import content_hash
from sitroom.ingest.text import read_text, split_trailer
from sitroom.model import Document, Skipped

ARTICLE = (
    "KHERSON, Ukraine (Steppe Courier) - A glide bomb crashed into the ferry terminal on Sunday, "
    "killing at least 8 people.\n\nOfficials said hundreds of passengers were queuing for boats."
)


def items(*sources: Path | str, **kwargs) -> list[Document | Skipped]:
    return list(read([str(s) for s in sources], **kwargs))


def one(*sources: Path | str, **kwargs) -> Document | Skipped:
    (item,) = items(*sources, **kwargs)
    return item


def doc(*sources: Path | str, **kwargs) -> Document:
    item = one(*sources, **kwargs)
    assert isinstance(item, Document), item
    return item


def skipped(*sources: Path | str, **kwargs) -> Skipped:
    item = one(*sources, **kwargs)
    assert isinstance(item, Skipped), item
    return item


# --- plain text ---------------------------------------------------------------------------


def test_text_title_and_trailer(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Glide bomb hits Kherson ferry terminal\n\n" + ARTICLE + "\nThe post Glide bomb hits Kherson ferry "
        "terminal appeared first on Steppe Courier.\n"
    )
    document = doc(path)
    assert document.title == "Glide bomb hits Kherson ferry terminal"
    assert document.source == "Steppe Courier"
    assert document.text == ARTICLE  # dateline kept, title and trailer removed
    assert document.origin == str(path)
    assert document.id == content_hash(ARTICLE)[:16]


def test_text_first_sentence_is_not_a_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Over the last 24 hours the army advanced.\nReports spoke of 300 fighters.\n")
    document = doc(path)
    assert document.title is None
    assert document.text.startswith("Over the last 24 hours")


def test_dateline_line_is_text_not_title() -> None:
    document = read_text("KHERSON, Ukraine (Steppe Courier) -\nA glide bomb hit the terminal.", "x")
    assert isinstance(document, Document)
    assert document.title is None
    assert document.text.startswith("KHERSON, Ukraine (Steppe Courier) -")


def test_trailer_without_title_line_gives_title() -> None:
    body, title, outlet = split_trailer("Text.\nThe post A headline appeared first on Antiwar.com.")
    assert (body, title, outlet) == ("Text.", "A headline", "Antiwar.com")


def test_founding_example_has_outlet() -> None:
    example = Path(__file__).parents[3] / "shared" / "examples"
    if not example.is_dir():
        pytest.skip("shared examples not present")
    (document,) = [d for d in read([str(example)]) if isinstance(d, Document)]
    assert document.source == "The Duran"
    assert "appeared first" not in document.text


def test_cp1252_text_file(tmp_path: Path) -> None:
    text = "Café bombing in Mosul\n\nThe mayor’s office said “12 people” died — Zoë Roe reports."
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("cp1252"))
    document = doc(path)
    assert document.title == "Café bombing in Mosul"
    assert document.text == "The mayor’s office said “12 people” died — Zoë Roe reports."


# --- HTML ---------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Bomb hits Kherson ferry terminal | Steppe Courier</title>
<meta charset="utf-8"><meta property="og:site_name" content="Steppe Courier">
<meta name="author" content="Jane Roe"><meta property="article:published_time" content="2022-04-08T10:00:00Z">
</head><body><nav>Home | World | Sport</nav><article><h1>Bomb hits Kherson ferry terminal</h1>
<p>KHERSON, Ukraine (Steppe Courier) - A glide bomb <b>crashed</b> into the ferry terminal on Sunday,
killing at least 8 people.</p><p>Officials said hundreds of passengers were queuing for boats.</p>
</article><footer>Copyright 2022</footer></body></html>"""


def test_html_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE)
    document = doc(path)
    assert document.title == "Bomb hits Kherson ferry terminal"
    assert document.source == "Steppe Courier"
    assert document.author == "Jane Roe"
    assert document.published == dt.date(2022, 4, 8)
    assert document.text.startswith("KHERSON, Ukraine (Steppe Courier) - A glide bomb crashed into")
    assert "Home" not in document.text and "Copyright" not in document.text


def test_html_without_article(tmp_path: Path) -> None:
    path = tmp_path / "app.html"
    path.write_text("<!doctype html><html><body><div id='app'></div><script>boot()</script></body></html>")
    assert "no article text found in the HTML" in skipped(path).reason


# --- feeds --------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Steppe Courier</title><link>https://steppe.example/</link>
<item><title>Terminal hit</title><link>https://steppe.example/a</link>
<pubDate>Fri, 08 Apr 2022 01:30:00 +0300</pubDate>
<description><![CDATA[<p>A glide bomb hit the <b>terminal</b>.</p><p>Eight people died.</p>]]></description></item>
<item><title>Only a title</title><link>https://steppe.example/b</link></item>
<item><title>Second</title><source url="https://other.example/rss">Other Outlet</source>
<description>Plain text summary of the second item.</description></item>
</channel></rss>"""


def test_rss_detected_by_content(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"  # an RSS file with the wrong extension
    path.write_text(RSS)
    first, second, third = items(path)
    assert isinstance(first, Document)
    assert first.title == "Terminal hit" and first.url == "https://steppe.example/a"
    assert first.source == "Steppe Courier"
    assert first.published == dt.date(2022, 4, 8)  # as written, not shifted to UTC
    assert first.text == "A glide bomb hit the terminal.\n\nEight people died."
    assert first.origin == f"{path}#item-1"
    assert isinstance(second, Skipped) and second.origin == f"{path}#item-2"
    assert isinstance(third, Document) and third.source == "Other Outlet"


def test_atom_feed(tmp_path: Path) -> None:
    path = tmp_path / "feed.atom"
    path.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>'
        "<entry><title>Atom item</title><link href='https://desk.example/1'/><updated>2023-12-19T08:00:00Z</updated>"
        "<author><name>A. Writer</name></author>"
        "<content type='html'>&lt;p&gt;RSF fighters entered Wad Madani.&lt;/p&gt;</content></entry></feed>"
    )
    document = doc(path)
    assert (document.title, document.source, document.author) == ("Atom item", "Desk", "A. Writer")
    assert document.published == dt.date(2023, 12, 19)
    assert document.text == "RSF fighters entered Wad Madani."


def test_malformed_feed(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><<<>>>')
    assert skipped(path).reason.startswith("malformed feed")


def test_feed_external_entity_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    path = tmp_path / "evil.xml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY ext SYSTEM "file://{secret}">]>'
        "<rss version='2.0'><channel><title>T</title><item><title>x</title>"
        "<description>before &ext; after</description></item></channel></rss>"
    )
    for item in items(path):
        text = item.text if isinstance(item, Document) else item.reason
        assert "TOP-SECRET" not in text


# --- JSONL --------------------------------------------------------------------------------


def test_jsonl_ids_fields_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "docs.data"
    lines = [
        json.dumps({"id": "dsp-01", "url": "https://e.example/1", "title": "T1", "source": "Wire",
                    "published": "2022-04-08T23:30:00+03:00", "text": ARTICLE}),
        "",
        "{broken",
        json.dumps({"id": 7, "text": "Second article text.", "published": None}),
        json.dumps({"id": "x", "text": ""}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "y", "text": "t", "published": "last week"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    result = items(path)
    first, broken, second, empty, array, baddate = result
    assert isinstance(first, Document)
    assert (first.id, first.url, first.title, first.source) == ("dsp-01", "https://e.example/1", "T1", "Wire")
    assert first.published == dt.date(2022, 4, 8)
    assert first.origin == f"{path}:1"
    assert isinstance(broken, Skipped) and broken.origin == f"{path}:3" and "invalid JSON" in broken.reason
    assert isinstance(second, Document) and second.id == "7" and second.published is None
    assert isinstance(empty, Skipped) and empty.origin == f"{path}:5"
    assert isinstance(array, Skipped) and "JSON object" in array.reason
    assert isinstance(baddate, Skipped) and "not a date" in baddate.reason


def test_jsonl_line_over_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatch, "MAX_ITEM_BYTES", 1000)
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": "x" * 5000}) + "\n" + json.dumps({"id": "b", "text": "fine"}) + "\n"
    )
    big, fine = items(path)
    assert isinstance(big, Skipped) and big.origin == f"{path}:1" and "too large" in big.reason
    assert isinstance(fine, Document) and fine.id == "b"


def test_bench_seed_keeps_id() -> None:
    seed = Path(__file__).parents[3] / "shared" / "bench" / "dev" / "seed.docs.jsonl"
    if not seed.exists():
        pytest.skip("shared bench not present")
    assert doc(seed).id == "seed-mosul"


# --- folders, defaults and bad inputs -----------------------------------------------------


def test_directory_recursion_sorted(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "b" / "deep" / "z.txt").write_text("Third article.")
    (tmp_path / "b" / "a.txt").write_text("Second article.")
    (tmp_path / "a.txt").write_text("First article.")
    assert [d.text for d in items(tmp_path)] == ["First article.", "Second article.", "Third article."]
    assert [p.name for p in walk(tmp_path)] == ["a.txt", "a.txt", "z.txt"]


def test_defaults_fill_only_missing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("No metadata here.")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "Has both.", "source": "S", "published": "2020-01-02"}))
    a, b = items(tmp_path, published=dt.date(2017, 7, 1), source="Desk")
    assert (a.published, a.source) == (dt.date(2017, 7, 1), "Desk")
    assert (b.published, b.source) == (dt.date(2020, 1, 2), "S")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert skipped(path).reason.startswith("not text")


@pytest.mark.parametrize("content", [b"", b"  \n\n\t "])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert skipped(path).reason == "empty"


def test_50_mb_file_is_skipped_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = b"Shelling continued overnight in the city, officials said.\n"
    with open(path, "wb") as out:
        for _ in range(50):
            out.write(line * (2**20 // len(line)) + b"." * (2**20 % len(line)))
    assert path.stat().st_size == 50 * 2**20
    reason = skipped(path).reason
    assert reason.startswith("too large (50.0 MB > 20 MB limit)")


def test_missing_path_and_bad_scheme(tmp_path: Path) -> None:
    missing, scheme, good = items(tmp_path / "nope.txt", "file:///etc/passwd", _write(tmp_path, "Ok."))
    assert isinstance(missing, Skipped) and missing.reason == "no such file or directory"
    assert isinstance(scheme, Skipped) and "unsupported URL scheme" in scheme.reason
    assert isinstance(good, Document)


def test_same_article_same_hash(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE + "\nThe post X appeared first on Y.")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "b", "text": ARTICLE + "\r\n"}))
    a, b = items(tmp_path)
    assert a.content_hash == b.content_hash


def _write(folder: Path, text: str) -> Path:
    path = folder / "ok.txt"
    path.write_text(text)
    return path


def test_a_files_name_gives_the_publication_day_its_articles_lack(tmp_path):
    (tmp_path / "2023-06-06_dam.txt").write_text("Dam breached\n\nThe dam was breached overnight, officials said.\n")
    (tmp_path / "notes 2023-06-06 to 2023-06-09.txt").write_text("Two dates in the name: neither is the day.\n")
    (tmp_path / "wire_2023-02-30.txt").write_text("Not a day of the calendar.\n")
    docs = {Path(d.origin).name: d for d in read([str(tmp_path)])}
    assert docs["2023-06-06_dam.txt"].published == dt.date(2023, 6, 6)
    assert docs["notes 2023-06-06 to 2023-06-09.txt"].published is None
    assert docs["wire_2023-02-30.txt"].published is None


def test_an_articles_own_date_wins_over_its_files_name(tmp_path):
    feed = tmp_path / "briefs_2020-12-28.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Briefs</title>'
        "<item><title>A</title><description>Rebels shelled the town.</description>"
        "<pubDate>Sat, 26 Dec 2020 08:00:00 GMT</pubDate></item>"
        "<item><title>B</title><description>Police detained five activists.</description></item>"
        "</channel></rss>")
    got = sorted((d.title, d.published) for d in read([str(feed)]))
    assert got == [("A", dt.date(2020, 12, 26)), ("B", dt.date(2020, 12, 28))]
