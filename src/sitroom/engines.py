"""Where the NLP runs: in this process, in a pool of local processes, or as Ray tasks on a cluster.

Every engine does the same thing to a stream of batches of new documents: parse each text once
and run the extractors (``extract.analyze_documents``), and hand the analyses back **in input
order**, so that the single writer (``pipeline.ingest``, in this process) stores batch after
batch in one transaction each, and the result does not depend on the engine or the number of
workers. At most ``depth`` batches are in the workers' hands at a time (a bounded queue):
reading stays just ahead of the NLP, and memory stays flat however large the corpus.

- ``local``: ``--workers N`` processes on this machine (each loads the model once). With one worker
  the work is split in two stages that overlap: the worker process parses (spaCy) and this process
  runs the extractors over the parses and stores the results, while the worker parses the next
  batch; the parses come back as a spaCy ``DocBin``. With more workers, each worker extracts too
  (this process alone would not keep up with them). An input of a single batch is analysed in this
  process (no process is worth starting). A worker process ends when this process dies, even by
  SIGKILL.
- ``ray``: Ray tasks (``--engine ray [--address ray://...|HOST:PORT]``; without an address a local
  Ray instance with ``--workers`` CPUs is started and stopped). ``pip install 'sitroom[ray]'``;
  on a cluster, every node needs sitroom and its spaCy model installed.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import chain
from typing import Any

from sitroom.errors import SitroomError
from sitroom.model import Analysis, Document

ENGINES = ("local", "ray")


def analyze_batch(docs: list[Document]) -> list[Analysis]:
    """The work of one batch, in whichever process runs it."""
    from sitroom.extract import analyze_documents

    return list(analyze_documents(docs))


def parse_batch(docs: list[Document]) -> bytes:
    """The parse of one batch (a spaCy ``DocBin``), for ``extract_batch`` in the writer's process."""
    from sitroom.extract import parse_documents

    return parse_documents(docs)


def extract_batch(docs: list[Document], parsed: bytes) -> list[Analysis]:
    from sitroom.extract import analyze_parsed

    return analyze_parsed(docs, parsed)


def ordered_map(submit: Callable[[Any], Any], result: Callable[[Any], Any], items: Iterable,
                depth: int) -> Iterator[tuple[Any, Any]]:
    """``(item, result(submit(item)))`` in input order, with at most ``depth`` submitted and not
    yet collected. ``items`` is read lazily: the next item is taken only when there is room."""
    pending: deque = deque()
    for item in items:
        pending.append((item, submit(item)))
        while len(pending) >= depth:
            done, handle = pending.popleft()
            yield done, result(handle)
    while pending:
        done, handle = pending.popleft()
        yield done, result(handle)


class Engine:
    """Analyses batches of documents; ``map`` yields ``(batch, analyses)`` in input order."""

    def map(self, batches: Iterable[list[Document]]) -> Iterator[tuple[list[Document], list[Analysis]]]:
        for batch in batches:
            yield batch, analyze_batch(batch)

    def close(self) -> None:
        pass

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _end_with_parent(parent: int, forked_by_main_thread: bool) -> None:
    """Run first in each worker process: the worker ends when the process that started it ends.

    Without this a worker outlives a killed writer, waiting forever on its work queue and holding
    the writer's stdout and stderr open. On Linux the kernel sends SIGKILL on the parent's death
    (``prctl(PR_SET_PDEATHSIG)``, which no library in our dependencies wraps) when the main thread
    forked (the signal comes when the forking *thread* ends); in every case a thread checks every
    second."""
    # the kernel's signal follows the thread that forked: only that thread's end is the process's
    if sys.platform.startswith("linux") and forked_by_main_thread:
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="sitroom-parent-watch", daemon=True).start()


def _parts(batch: list, n: int) -> list[list]:
    """``batch`` cut into at most ``n`` consecutive parts of (nearly) equal length."""
    size = max(1, -(-len(batch) // n))
    return [batch[i:i + size] for i in range(0, len(batch), size)] or [batch]


class LocalPool(Engine):
    """``workers`` processes on this machine. On Linux they are forked (they share the model and
    lexicons when this process has loaded them already); elsewhere spawned."""

    def __init__(self, workers: int, depth: int | None = None, before_start: Callable[[], None] | None = None):
        self.workers = workers
        self.depth = depth or 2 * workers
        self.before_start = before_start  # e.g. close pooled database connections before forking
        self._pool: ProcessPoolExecutor | None = None

    def map(self, batches):
        batches = iter(batches)
        if self.workers == 1:
            if self._pool is None:
                first = next(batches, None)
                second = next(batches, None) if first is not None else None
                if second is None:  # one batch at most: analysed here, no process started for it
                    if first is not None:
                        yield first, analyze_batch(first)
                    return
                batches = chain((first, second), batches)
            # two stages: the worker parses a batch while this process extracts from the one before
            for batch, future in ordered_map(lambda b: self._submit(b, parse_batch), lambda f: f, batches,
                                             self.depth):
                yield batch, extract_batch(batch, future.result())
            return
        # each batch is shared among the workers (one part each), so that they all have work to the
        # last batch, whose analyses the writer waits for
        for batch, futures in ordered_map(lambda b: [self._submit(part) for part in _parts(b, self.workers)],
                                          lambda fs: fs, batches, self.depth):
            yield batch, [analysis for future in futures for analysis in future.result()]

    def _submit(self, batch, work: Callable = analyze_batch):
        if self._pool is None:  # started on the first new batch: nothing to do, no processes
            if self.before_start is not None:
                self.before_start()
            method = "fork" if sys.platform.startswith("linux") else "spawn"
            by_main = threading.current_thread() is threading.main_thread()  # (the workers are forked now)
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method),
                                             initializer=_end_with_parent, initargs=(os.getpid(), by_main))
        return self._pool.submit(work, batch)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class RayEngine(Engine):
    """Ray tasks: one task per batch, at most twice the cluster's CPUs in flight."""

    def __init__(self, address: str | None = None, workers: int = 1):
        try:
            import ray
        except ImportError:
            raise SitroomError("the ray engine needs Ray: pip install 'sitroom[ray]'") from None
        self._ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            try:
                env = {k: os.environ[k] for k in ("SITROOM_ACTORS",) if os.environ.get(k)}  # --actors
                local = {} if address else {"num_cpus": workers, "object_store_memory": 256 * 2**20}
                ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False,
                         runtime_env={"env_vars": env} if env else None, **local)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise SitroomError(f"cannot connect to Ray at {address or 'a new local instance'}: {exc}") from exc
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.depth = max(2, 2 * cpus)
        self._task = ray.remote(num_cpus=1, max_retries=2)(analyze_batch)

    def map(self, batches):
        return ordered_map(lambda b: self._task.remote(b), self._ray.get, batches, self.depth)

    def close(self) -> None:
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()
        self._started = False


def engine(name: str = "local", workers: int = 1, address: str | None = None,
           before_start: Callable[[], None] | None = None) -> Engine:
    """The engine for ``--engine NAME --workers N [--address A]``; ``before_start`` runs just
    before local worker processes are forked (the caller closes its database connections)."""
    if name == "ray":
        return RayEngine(address, workers)
    if name != "local":
        raise SitroomError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
    if address:
        raise SitroomError("--address is for --engine ray")
    return LocalPool(workers, before_start=before_start) if workers >= 1 else Engine()  # 0: in this process
