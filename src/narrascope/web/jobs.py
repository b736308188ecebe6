"""Background analysis: a small queue of jobs run by a pool of worker threads.

A job analyses one or more documents and stores each result; its progress (done / total, the
stored document ids, the failures) is what the job page polls. Jobs live in memory only: they are
a view of work in progress, the results themselves are in the store.

A job that runs past its time limit is reported as failed and its late results are not stored.
Python threads cannot be stopped from outside, so the analysis in hand finishes in the
background before the worker takes the next job; the limit bounds what the user waits for.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from ..errors import NarrascopeError
from ..ingest import Failure, RawDocument
from ..model import Analysis

log = logging.getLogger(__name__)

Status = Literal["queued", "running", "done", "failed"]
Work = Callable[[], Iterable[RawDocument | Failure]]
Components = tuple[str, ...] | None  # None: the server's default components


class QueueFull(NarrascopeError):
    """More submissions are waiting than the server accepts (HTTP 503)."""


@dataclass
class Job:
    """What a user sees of one submission. Mutated only by the worker running it."""

    id: str
    title: str
    timeout: float
    status: Status = "queued"
    total: int | None = None  # None until the input has been read (a JSONL file is counted then)
    done: int = 0
    document_ids: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    error: str | None = None
    internal: bool = False  # failed by a bug, not by its input
    started: float | None = None
    ended: float | None = None
    finished: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def timed_out(self) -> bool:
        if self.started is None:
            return False
        return (self.ended or time.monotonic()) - self.started > self.timeout

    @property
    def elapsed(self) -> int | None:
        """Whole seconds since the job started (until it ended); None while it waits."""
        if self.started is None:
            return None
        return int((self.ended or time.monotonic()) - self.started)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "total": self.total,
            "done": self.done,
            "document_ids": list(self.document_ids),
            "failures": list(self.failures),
            "error": self.error,
            "elapsed": self.elapsed,
        }


class JobQueue:
    """Runs `analyze` over each job's documents on `workers` threads and `save`s every result."""

    def __init__(
        self,
        analyze: Callable[[RawDocument, Components], Analysis],
        save: Callable[[Analysis], None],
        *,
        workers: int = 1,
        timeout: float = 120.0,
        max_pending: int = 100,
        keep: int = 500,
    ) -> None:
        self._analyze = analyze
        self._save = save
        self._timeout = timeout
        self._max_pending = max_pending
        self._keep = keep
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="narrascope-job")

    def submit(self, title: str, work: Work, components: Components = None) -> Job:
        """Queue `work` (a callable giving the documents, so reading them happens in the worker).

        Raises `QueueFull` when `max_pending` jobs are already waiting or running: a public server
        must not let anyone queue unbounded work.
        """
        job = Job(id=uuid.uuid4().hex, title=title, timeout=self._timeout)
        with self._lock:
            pending = sum(1 for j in self._jobs.values() if j.status in ("queued", "running"))
            if pending >= self._max_pending:
                raise QueueFull(f"the server is busy ({pending} analyses waiting); try again in a minute")
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, work, components)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None and job.status == "running" and job.timed_out:
            job.status, job.error = "failed", f"took longer than the {job.timeout:g} s time limit"
        return job

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job, work: Work, components: Components) -> None:
        job.status, job.started = "running", time.monotonic()
        try:
            items = list(work())
            job.total = len(items)
            for item in items:
                if job.timed_out:
                    break
                self._one(job, item, components)
            if job.timed_out:
                job.status, job.error = "failed", f"took longer than the {job.timeout:g} s time limit"
            elif job.failures and not job.document_ids:
                job.status, job.error = "failed", "; ".join(job.failures[:3])
            else:
                job.status = "done"
        except NarrascopeError as exc:
            job.status, job.error = "failed", str(exc)
        except Exception as exc:  # a worker must report, not die silently
            log.exception("job %s failed", job.id)
            job.status, job.error, job.internal = "failed", f"internal error: {type(exc).__name__}: {exc}", True
        finally:
            job.ended = time.monotonic()
            job.finished.set()

    def _one(self, job: Job, item: RawDocument | Failure, components: Components) -> None:
        if isinstance(item, Failure):
            job.failures.append(item.reason)
        else:
            try:
                analysis = self._analyze(item, components)
            except NarrascopeError as exc:
                job.failures.append(str(exc))
            else:
                if job.timed_out:
                    return
                self._save(analysis)
                job.document_ids.append(analysis.document.id)
        job.done += 1
