"""Several analysis processes side by side, for batches: `analyze_many` keeps every core busy.

One child process per document at a time (see `narrascope.worker`) leaves cores idle whenever
the work is not the encoder's: reading and segmenting a page, the heads, pickling the analysis,
and the seconds a child takes to start. Two single-threaded children on two cores spend less CPU
on the same work than one child on two threads (no hand-offs between the encoder's threads),
and each one's Python stages overlap the other's encoder pass. A batch of one document starts one child, on every core.

Each child is driven by its own thread (an `IsolatedAnalyser`, with its time and memory budget,
is bound to the thread that starts it). Outcomes come back in input order, and everything the
caller gave runs on the caller's thread: the `skip` question a child asks about its document is
relayed there, so a store connection is never used from another thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence

from .encoder.runtime import available_cores
from .ingest import RawDocument
from .model import Document
from .settings import Settings
from .worker import IsolatedAnalyser, Outcome, Recipes, Skip

MAX_AUTO_WORKERS = 4  # each child holds its own models (~0.6 GB): more cores get more threads each
_STOP = None


def worker_count(settings: Settings) -> int:
    """`settings.batch_workers`, or one per core (at most `MAX_AUTO_WORKERS`) when it is 0."""
    if settings.batch_workers > 0:
        return settings.batch_workers
    return max(1, min(_cores(settings), MAX_AUTO_WORKERS))


def threads_each(settings: Settings, children: int) -> int:
    """The cores each of `children` working children may use: their share, never more."""
    return max(1, _cores(settings) // max(children, 1))


def _cores(settings: Settings) -> int:
    return settings.encoder_threads or available_cores()


class AnalyserPool:
    """Up to `workers` isolated analysers, each fed by its own thread, started as work arrives."""

    def __init__(self, settings: Settings, components: Sequence[str] = (), workers: int | None = None) -> None:
        self.workers = workers or worker_count(settings)
        self._settings = dataclasses.replace(settings, encoder_threads=_cores(settings))  # each run says its share
        self._components = tuple(components)
        self._jobs: queue.Queue = queue.Queue()
        self._events: queue.SimpleQueue = queue.SimpleQueue()  # ("done", index, outcome) or ("ask", document, reply)
        self._analysers: dict[str, IsolatedAnalyser] = {}  # by the name of the thread feeding it
        self._closed = threading.Event()
        self._threads: list[threading.Thread] = []
        self._start_one()  # loads while the first input is read; the others when there is work for them

    def run_all(
        self,
        raws: Iterable[RawDocument],
        components: Sequence[str],
        skip: Skip | None = None,
        custom: Recipes = (),
    ) -> Iterator[Outcome]:
        """Each input's outcome (as `IsolatedAnalyser.run` gives it), in input order. Inputs are
        read ahead only as far as keeps every child busy; a single input starts a single child."""
        inputs = iter(raws)
        finished: dict[int, Outcome | BaseException] = {}
        submitted = delivered = 0
        while True:
            while submitted - delivered < 2 * self.workers and (raw := next(inputs, None)) is not None:
                if submitted >= len(self._threads) < self.workers:
                    self._start_one()
                self._jobs.put((submitted, raw, tuple(components), skip is not None, tuple(custom)))
                submitted += 1
            if delivered == submitted:
                return
            while delivered not in finished:
                self._handle(self._events.get(), finished, skip)
            outcome = finished.pop(delivered)
            if isinstance(outcome, BaseException):
                raise outcome
            yield outcome
            delivered += 1

    def close(self) -> None:
        """Stop every child and the threads feeding them; documents not done by then are dropped
        (a batch left early, an error in the caller), their children killed."""
        self._closed.set()
        with contextlib.suppress(queue.Empty):
            while True:
                self._jobs.get_nowait()
        for _ in self._threads:
            self._jobs.put(_STOP)
        for thread in self._threads:
            thread.join(timeout=1.0)
            if thread.is_alive() and (analyser := self._analysers.get(thread.name)) is not None:
                analyser.close()  # mid-document: its run ends at once, as if the child had died
            thread.join(timeout=10.0)

    def __enter__(self) -> "AnalyserPool":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _start_one(self) -> None:
        thread = threading.Thread(target=self._serve, name=f"narrascope-analyser-{len(self._threads)}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _handle(self, event: tuple, finished: dict[int, Outcome | BaseException], skip: Skip | None) -> None:
        if event[0] == "done":
            finished[event[1]] = event[2]
            return
        _, document, reply = event
        try:
            reply.put(bool(skip(document)) if skip else False)
        except BaseException:
            reply.put(True)  # the child is told to leave it; the caller's error goes up from here
            raise

    def _serve(self) -> None:
        analyser = IsolatedAnalyser(self._settings, self._components)  # the child dies with this thread
        self._analysers[threading.current_thread().name] = analyser
        try:
            while (job := self._jobs.get()) is not _STOP:
                index, raw, components, asks, custom = job
                try:
                    threads = threads_each(self._settings, len(self._threads))  # a lone child uses every core
                    outcome: Outcome | BaseException = analyser.run(
                        raw, components, self._ask if asks else None, custom=custom, threads=threads
                    )
                except BaseException as exc:  # noqa: BLE001 - raised on the caller's thread instead
                    outcome = exc
                self._events.put(("done", index, outcome))
        finally:
            analyser.close()

    def _ask(self, document: Document) -> bool:
        reply: queue.SimpleQueue = queue.SimpleQueue()
        self._events.put(("ask", document, reply))
        while True:
            try:
                return reply.get(timeout=0.5)
            except queue.Empty:
                if self._closed.is_set():  # nobody will answer: leave the document
                    return True
