"""Wires the stages: read → parse once → analyze → store, in batches.

Each batch is committed in one transaction; documents already in the store (by content
hash) are dropped before parsing, so a re-run over the same inputs only does new work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from sitroom.model import Document, Skipped
from sitroom.store.repository import Store


@dataclass(slots=True)
class Summary:
    new: int = 0
    already_stored: int = 0
    failed: int = 0
    events: int = 0
    claims: int = 0
    hypotheses: int = 0  # hypothesis records after regrouping (left as is, and 0 here, when nothing new came)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.new + self.already_stored + self.failed


def _batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def ingest(
    sources: Iterable[str],
    store: Store,
    *,
    published: dt.date | None = None,
    source: str | None = None,
    workers: int = 1,
    batch_size: int = 64,
    allow_private: bool = False,
    on_skip: Callable[[Skipped], None] | None = None,
    on_batch: Callable[[Summary], None] | None = None,
    engine: str = "local",
    address: str | None = None,
    regroup: bool = True,
) -> Summary:
    """Read every source, analyse what is new, store it batch by batch; return the tally.

    The NLP runs where ``engine``/``workers``/``address`` say (``sitroom.engines``: this
    process, N local processes, or Ray tasks); this process is the single writer, storing
    the batches in input order, one transaction each, with a bounded number in flight.
    ``regroup=False`` leaves the hypotheses as they were (the regrouping reads every stored claim)."""
    from sitroom.engines import engine as make_engine
    from sitroom.ingest import read

    summary = Summary()
    in_flight: set[str] = set()  # content hashes of the documents being analysed now

    def new_batches() -> Iterator[list[Document]]:
        for batch in _batches(read(sources, published=published, source=source, allow_private=allow_private),
                              batch_size):
            docs: list[Document] = []
            for item in batch:
                if isinstance(item, Skipped):
                    summary.failed += 1
                    summary.skipped.append(item)
                    if on_skip:
                        on_skip(item)
                else:
                    docs.append(item)
            known = store.known_hashes(d.content_hash for d in docs)
            fresh, hashes = [], set()
            for d in docs:
                if d.content_hash in known or d.content_hash in hashes or d.content_hash in in_flight:
                    summary.already_stored += 1
                else:
                    hashes.add(d.content_hash)
                    fresh.append(d)
            if fresh:
                in_flight.update(hashes)
                yield fresh
            elif on_batch:
                on_batch(summary)

    # no open database connection is carried into forked workers
    with make_engine(engine, workers, address, before_start=store.engine.dispose) as nlp_engine:
        for fresh, analyses in nlp_engine.map(new_batches()):
            result = store.add(analyses)
            in_flight.difference_update(d.content_hash for d in fresh)
            summary.new += result.documents
            summary.already_stored += result.duplicates
            summary.events += result.events
            summary.claims += result.claims
            if on_batch:
                on_batch(summary)
    # claims across all stored articles, regrouped into competing hypotheses: after new articles, or
    # when an earlier run stored claims and did not finish regrouping them (killed meanwhile)
    if regroup and (summary.new or store.hypotheses_stale()):
        from sitroom.resolve.hypotheses import update as update_hypotheses

        summary.hypotheses = update_hypotheses(store)
    return summary
