"""Background analysis: a durable queue of jobs (kept in the store, `narrascope.store.jobs`) run by
worker threads, each analysing in its own child process under the per-document time budget.

A submission is written to the store, input included, before the server answers with its job id,
so an accepted job survives SIGTERM, SIGKILL and power cuts: on start-up (and every few seconds)
jobs whose server is gone go back to the queue and resume after the documents they had done; a
job interrupted `MAX_ATTEMPTS` times fails with that reason. A document past its time budget is
stopped and recorded as that job's failure, and the job goes on; a job past `job_timeout` stops;
a job that waited in the queue more than `queue_timeout` expires. Results go to the store as they
come, so a job's page shows them while it runs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace

import anyio

from ..encoder.runtime import available_cores
from ..errors import NarrascopeError, StoreError
from ..ingest import Failure, Item, Skipped
from ..model import Analysis
from ..settings import Settings
from ..store import Store
from ..store.jobs import JobRecord, new_owner
from ..worker import Analyser, Recipes, open_analyser
from . import inputs

log = logging.getLogger(__name__)

Components = tuple[str, ...] | None  # None: the server's default components
MAX_ATTEMPTS = 3  # runs a job may start before restarts count as its failure
SWEEP_SECONDS = 2.0  # heartbeat, recovery and expiry every this often
STALE_SECONDS = 15.0  # a running job whose server has not beaten for this long is resumed elsewhere


class QueueFull(NarrascopeError):
    """More submissions are waiting than the server accepts (HTTP 503)."""


def default_workers() -> int:
    """One worker per two cores, at most four: each runs the encoder, on its share of the cores."""
    return max(1, min(4, available_cores() // 2))


@dataclass(frozen=True)
class QueueConfig:
    workers: int = 1
    job_timeout: float = 300.0  # seconds one job may run (all its documents)
    queue_timeout: float = 900.0  # seconds a job may wait for a worker before it expires
    max_pending: int = 100  # jobs queued or running; more are refused with 503


def job_view(job: JobRecord) -> dict[str, object]:
    """What the API says about a job (`GET /api/jobs/{id}`)."""
    return {
        "id": job.id,
        "title": job.title,
        "status": job.status,
        "total": job.total,
        "done": job.done,
        "document_ids": list(job.document_ids),
        "failures": list(job.failures),
        "error": job.error,
        "attempts": job.attempts,
        "elapsed": job.elapsed,
    }


class JobQueue:
    """Persists submissions in `store` and runs them on `config.workers` threads.

    `analyser` opens what analyses documents (a child process per worker by default);
    `components` are the server's default components for jobs that name none; `custom` gives the
    taxonomy files every job scores too, asked for each job (a file edited meanwhile counts).
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        components: Sequence[str],
        config: QueueConfig = QueueConfig(),
        analyser: Callable[[Settings, Sequence[str]], AbstractContextManager[Analyser]] = open_analyser,
        custom: Callable[[], Recipes] = tuple,
    ) -> None:
        self.store = store
        if settings.encoder_threads == 0 and config.workers > 1:  # share the cores, not oversubscribe them
            settings = replace(settings, encoder_threads=max(1, available_cores() // config.workers))
        self.settings = settings
        self.components = tuple(components)
        self.config = config
        self.owner = new_owner()
        self._open_analyser = analyser
        self._custom = custom
        self._stop = threading.Event()
        self._wake = threading.Condition()
        self._finished: dict[str, threading.Event] = {}  # jobs submitted here, until they end
        self._running: set[str] = set()  # jobs this server's workers are on: the ones it beats for
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    # --- the server's side --------------------------------------------------------------------

    def start(self) -> None:
        """Recover what a stopped server left, then start the workers and the sweeper."""
        self._sweep()
        self._threads = [
            threading.Thread(target=self._work, name=f"narrascope-job-{n}", daemon=True)
            for n in range(self.config.workers)
        ]
        self._threads.append(threading.Thread(target=self._sweeper, name="narrascope-jobs-sweep", daemon=True))
        for thread in self._threads:
            thread.start()

    def shutdown(self) -> None:
        """Stop the workers (their child processes are killed) and hand this server's running
        jobs back to the queue, so a restarted server resumes them at once."""
        self._stop.set()
        with self._wake:
            self._wake.notify_all()
        for thread in self._threads:
            thread.join(timeout=10)
        try:
            self.store.jobs.release(self.owner)
        except StoreError:
            log.warning("could not hand running jobs back to the queue; they resume after %g s", STALE_SECONDS)

    def submit(self, submission: inputs.Submission, components: Components = None) -> JobRecord:
        """Persist the submission as a queued job and wake a worker. Raises `QueueFull` when
        `max_pending` jobs are already waiting or running."""
        job = self.store.jobs.add(
            title=submission.title,
            input_kind=submission.kind,
            payload=submission.payload,
            filename=submission.filename,
            components=components,
            max_pending=self.config.max_pending,
        )
        if job is None:
            raise QueueFull(f"the server is busy ({self.config.max_pending} analyses waiting); try again in a minute")
        self._finished[job.id] = threading.Event()
        with self._wake:
            self._wake.notify()
        return job

    def get(self, job_id: str) -> JobRecord | None:
        return self.store.jobs.get(job_id)

    async def wait(self, job_id: str, timeout: float) -> JobRecord | None:
        """The job once it has ended, or as it is after `timeout`, without holding a thread."""
        deadline = time.monotonic() + timeout
        finished = self._finished.get(job_id)
        pause, checked = 0.002, time.monotonic() if finished else float("-inf")
        while time.monotonic() < deadline:
            if finished is not None and finished.is_set():
                break
            if time.monotonic() - checked > 1.0:  # not ours to watch, or run by another server
                job = await anyio.to_thread.run_sync(self.get, job_id)
                if job is None or not job.active:
                    return job
                checked = time.monotonic()
            await anyio.sleep(pause)
            pause = min(pause * 1.5, 0.2)
        return await anyio.to_thread.run_sync(self.get, job_id)

    # --- the workers ---------------------------------------------------------------------------

    def _work(self) -> None:
        with self._open_analyser(self.settings, self.components) as analyser:
            while not self._stop.is_set():
                try:
                    job = self.store.jobs.claim(self.owner)
                except StoreError as exc:
                    log.warning("job queue: %s", exc)
                    job = None
                if job is None:
                    with self._wake:
                        self._wake.wait(timeout=1.0)
                    continue
                with self._lock:
                    self._running.add(job.id)
                try:
                    self._run(job, analyser)
                except StoreError as exc:  # no longer beaten for: resumed once the store is back
                    log.warning("job %s stopped: %s", job.id, exc)
                finally:
                    with self._lock:
                        self._running.discard(job.id)
                    event = self._finished.pop(job.id, None)
                    if event is not None:
                        event.set()

    def _run(self, job: JobRecord, analyser: Analyser) -> None:
        deadline = time.monotonic() + self.config.job_timeout
        components = tuple(job.components) if job.components is not None else self.components
        jobs = self.store.jobs
        try:
            custom = self._custom()
            items = self._read(job)
            jobs.progress(job.id, self.owner, total=len(items))
            document_ids, failures = list(job.document_ids), list(job.failures)
            for done, item in enumerate(items[job.done :], start=job.done + 1):
                if self._stop.is_set():
                    return  # shutdown() hands the job back; it resumes here
                if time.monotonic() > deadline:
                    jobs.finish(job.id, self.owner, "failed", f"took longer than the {self.config.job_timeout:g} s time limit")
                    return
                outcome = self._one(item, analyser, components, custom, deadline)
                if isinstance(outcome, str):
                    document_ids.append(outcome)
                else:
                    failures.append(outcome.reason)
                if not jobs.progress(job.id, self.owner, done=done, document_ids=document_ids, failures=failures):
                    return  # no longer ours (given up on after a long stall)
            if failures and not document_ids:
                jobs.finish(job.id, self.owner, "failed", "; ".join(failures[:3]))
            else:
                jobs.finish(job.id, self.owner, "done")
        except StoreError:
            raise
        except NarrascopeError as exc:
            jobs.finish(job.id, self.owner, "failed", str(exc))
        except Exception as exc:  # a worker reports, it never dies silently
            log.exception("job %s failed", job.id)
            jobs.finish(job.id, self.owner, "failed", f"internal error: {type(exc).__name__}: {exc}", internal=True)

    def _read(self, job: JobRecord) -> list[Item]:
        payload = self.store.jobs.payload(job.id)
        if payload is None:
            raise NarrascopeError("the job's input is no longer stored")
        submission = inputs.Submission(job.title, job.input_kind, payload, job.filename)
        return inputs.read(submission, self.settings)

    def _one(
        self, item: Item, analyser: Analyser, components: tuple[str, ...], custom: Recipes, deadline: float
    ) -> str | Failure:
        """The stored document's id, or the item's failure."""
        if isinstance(item, Skipped):
            return Failure(item.source, item.reason)
        if isinstance(item, Failure):
            return item
        outcome = analyser.run(item, components, deadline=deadline, custom=custom)
        if isinstance(outcome, Failure):
            return outcome
        assert isinstance(outcome, Analysis)  # no `skip` was given
        try:
            self.store.save(outcome)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - this analysis cannot be stored: its failure
            return Failure.from_exception(item.source, exc, item.id)
        return outcome.document.id

    # --- keeping the queue honest --------------------------------------------------------------

    def _sweeper(self) -> None:
        while not self._stop.wait(SWEEP_SECONDS):
            self._sweep()

    def _sweep(self) -> None:
        """Say this server is alive, resume jobs whose server is gone, expire jobs waited too long."""
        with self._lock:
            running = list(self._running)
        try:
            jobs = self.store.jobs
            jobs.beat(self.owner, running)
            recovered = jobs.recover(STALE_SECONDS, MAX_ATTEMPTS)
            jobs.expire(self.config.queue_timeout)
        except StoreError as exc:
            log.warning("job queue: %s", exc)
            return
        if recovered:
            with self._wake:
                self._wake.notify_all()
