"""Per-item limits against hostile input: characters of article text, and wall-clock time.

The byte limit of one file, page or JSONL line is ``dispatch.MAX_ITEM_BYTES``; a text over
``MAX_TEXT_CHARS`` (after extraction) is Skipped before it reaches spaCy, whose memory and
time grow with the length of a text (and which refuses texts over ``nlp.max_length``).

Time: :func:`limited` gives each item a reader yields ``ITEM_TIME_LIMIT_S`` seconds of
reading, enforced with ``SIGALRM`` (``setitimer``). A signal can only interrupt Python code
(feedparser, trafilatura's Python parts, the readers here), not one long call into C, which
the size limits keep short. Signals reach only the main thread: read from another thread
(or where SIGALRM already has a handler) there is no time limit, only the size limits.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sitroom.model import Document, Skipped

MAX_TEXT_CHARS = 1_000_000  # spaCy's own default max_length; ~500 pages of prose
ITEM_TIME_LIMIT_S = 60.0


class ItemTimeout(BaseException):
    """Raised by the alarm inside a reader. A BaseException, like KeyboardInterrupt, so that
    the readers' and libraries' ``except Exception`` clauses do not swallow it."""


def _can_use_alarm() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) == signal.SIG_DFL  # not a handler of someone else's
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ItemTimeout` in the body after ``seconds`` (see the module's caveats)."""
    if not seconds or seconds <= 0 or not _can_use_alarm():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise ItemTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limited(
    items: Iterable[Document | Skipped], origin: str, seconds: float | None = None
) -> Iterator[Document | Skipped]:
    """``items`` with at most ``seconds`` (default ``ITEM_TIME_LIMIT_S``) spent producing each;
    an item over the limit ends its input with one Skipped naming ``origin``."""
    seconds = ITEM_TIME_LIMIT_S if seconds is None else seconds
    iterator = iter(items)
    done = 0
    while True:
        try:
            with time_limit(seconds):
                item = next(iterator)
        except StopIteration:
            return
        except ItemTimeout:
            if close := getattr(iterator, "close", None):
                close()
            after = f" after {done} items" if done else ""
            yield Skipped(
                origin,
                f"reading took longer than the {seconds:g} s limit for one item{after}; the rest of it is skipped",
            )
            return
        done += 1
        yield item
