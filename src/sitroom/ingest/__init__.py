"""Ingest: files, folders and URLs → :class:`~sitroom.model.Document` (or a reason to skip).

    for item in read(["news/", "https://example.org/feed.xml"], published=date(2017, 7, 1)):
        print(item.origin, item.reason if isinstance(item, Skipped) else item.title)

The kind of each input is detected by content (see :mod:`sitroom.ingest.detect`); each
reader lives in its own module (``text``, ``html``, ``feeds``, ``jsonl``, ``web``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from sitroom.ingest import limits
from sitroom.ingest.dispatch import read_file
from sitroom.ingest.identity import printable
from sitroom.ingest.web import PAGE_BUDGET_S, read_url
from sitroom.model import Document, Skipped

__all__ = ["read", "read_file", "read_url", "walk"]


def read(
    sources: Iterable[str],
    *,
    published: dt.date | None = None,
    source: str | None = None,
    allow_private: bool = False,
) -> Iterator[Document | Skipped]:
    """Documents from paths (files or folders, recursively, in sorted order) and http(s) URLs.

    Never raises for a bad input: it becomes ``Skipped(origin, reason)`` and reading goes on.
    Each file or URL is read within the per-item limits of :mod:`sitroom.ingest.limits`.
    ``published`` and ``source`` fill in what an input does not carry itself;
    ``allow_private`` lets URLs reach loopback and private-network addresses.
    """
    for spec in sources:
        try:
            for item in _read_one(spec, allow_private):
                if isinstance(item, Document):
                    item = _fill(item, published, source)
                elif isinstance(item, Skipped) and item.origin != (origin := printable(item.origin)):
                    item = Skipped(origin, item.reason)
                yield item
        except Exception as exc:  # a reader bug must not end a batch; report it on the input
            reason = f"internal error while reading ({type(exc).__name__}: {exc}); please report it"
            yield Skipped(printable(spec), printable(reason))


def _read_one(spec: str, allow_private: bool) -> Iterator[Document | Skipped]:
    scheme = spec.split("://", 1)[0].lower() if "://" in spec else ""
    if scheme in ("http", "https"):
        # the fetch has its own budget (PAGE_BUDGET_S); reading what came back gets the item limit
        yield from limits.limited(read_url(spec, allow_private=allow_private), spec,
                                  PAGE_BUDGET_S + limits.ITEM_TIME_LIMIT_S)
    elif scheme:
        yield Skipped(spec, f"unsupported URL scheme {scheme!r}; give a path or an http(s) URL")
    elif os.path.isdir(spec):
        for path in walk(Path(spec)):
            if path.is_file():  # follows a symlink; False for FIFOs, sockets and devices
                yield from limits.limited(read_file(path), str(path))
            else:  # opening a FIFO would wait for a writer forever
                yield Skipped(str(path), "not a regular file (a FIFO, socket, device or broken link)")
    elif os.path.exists(spec):
        yield from limits.limited(read_file(Path(spec)), spec)
    else:
        yield Skipped(spec, "no such file or directory")


def walk(root: Path) -> list[Path]:
    """The files under ``root``, sorted; hidden files and folders (``.git``) are left out,
    symlinked folders are not followed."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(folder, name) for name in files if not name.startswith("."))
    return sorted(found, key=lambda path: path.parts)


def _fill(document: Document, published: dt.date | None, source: str | None) -> Document:
    """Apply the caller's defaults where the input carried nothing."""
    changes: dict[str, object] = {}
    if document.published is None and published is not None:
        changes["published"] = published
    if document.source is None and source:
        changes["source"] = source
    return dataclasses.replace(document, **changes) if changes else document
