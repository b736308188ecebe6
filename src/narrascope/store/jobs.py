"""The web app's job queue, kept in the store so that an accepted job survives any restart.

A job is written (with its input) before the server answers "accepted"; workers claim the oldest
queued job atomically (`SKIP LOCKED` on PostgreSQL, the write lock on SQLite), so several workers
and several servers can share one queue. A running job names its `owner` (host, process, run) and
refreshes `heartbeat_at`; a job whose owner is gone (its process no longer exists on this host,
or it has not beaten for a while) goes back to the queue and resumes after the documents it had
done, at most `max_attempts` times. Queued jobs that wait too long expire, with a clear state.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from . import database
from .tables import JobTable

ACTIVE = ("queued", "running")
FINISHED = ("done", "failed", "expired")


@dataclass(frozen=True)
class JobRecord:
    """One job as stored (without its input)."""

    id: str
    title: str
    status: str  # queued, running, done, failed, expired
    input_kind: str
    filename: str | None
    components: list[str] | None
    total: int | None
    done: int
    document_ids: list[str]
    failures: list[str]
    error: str | None
    internal: bool
    attempts: int
    owner: str | None
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def elapsed(self) -> int | None:
        """Whole seconds since the job (last) started, until it ended; None while it waits."""
        if self.started_at is None or self.status == "queued":
            return None
        return int(((self.ended_at or _now()) - self.started_at).total_seconds())


_COLUMNS = [getattr(JobTable, name) for name in JobRecord.__dataclass_fields__]


def new_owner() -> str:
    """This server's name on the jobs it runs: host, process id, and a random part for the run."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_gone(owner: str) -> bool:
    """True when `owner` ran on this host in a process that no longer exists (or is not ours)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # this process: its own workers decide
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


class JobStore:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def add(
        self,
        *,
        title: str,
        input_kind: str,
        payload: bytes,
        filename: str | None,
        components: Sequence[str] | None,
        max_pending: int,
    ) -> JobRecord | None:
        """Persist a new queued job; None (nothing stored) when `max_pending` are already active."""
        now = _now()
        row = {
            "id": uuid.uuid4().hex,
            "title": title,
            "status": "queued",
            "input_kind": input_kind,
            "payload": payload,
            "filename": filename,
            "components": list(components) if components is not None else None,
            "total": None,
            "done": 0,
            "document_ids": [],
            "failures": [],
            "error": None,
            "internal": False,
            "attempts": 0,
            "owner": None,
            "created_at": now,
            "started_at": None,
            "ended_at": None,
            "heartbeat_at": None,
        }
        with database.write_transaction(self.engine) as connection:
            active = connection.scalar(sa.select(sa.func.count()).where(JobTable.status.in_(ACTIVE)))
            if (active or 0) >= max_pending:
                return None
            connection.execute(sa.insert(JobTable).values(row))
        return _record(row)

    def get(self, job_id: str) -> JobRecord | None:
        with database.read_connection(self.engine) as connection:
            row = connection.execute(sa.select(*_COLUMNS).where(JobTable.id == job_id)).first()
        return _record(row._mapping) if row else None

    def payload(self, job_id: str) -> bytes | None:
        with database.read_connection(self.engine) as connection:
            return connection.scalar(sa.select(JobTable.payload).where(JobTable.id == job_id))

    def active(self) -> int:
        with database.read_connection(self.engine) as connection:
            return int(connection.scalar(sa.select(sa.func.count()).where(JobTable.status.in_(ACTIVE))) or 0)

    def claim(self, owner: str) -> JobRecord | None:
        """Take the oldest queued job for `owner` (running, one more attempt), or None."""
        now = _now()
        with database.write_transaction(self.engine) as connection:
            job_id = connection.scalar(
                sa.select(JobTable.id)
                .where(JobTable.status == "queued")
                .order_by(JobTable.created_at, JobTable.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if job_id is None:
                return None
            connection.execute(
                sa.update(JobTable)
                .where(JobTable.id == job_id)
                .values(status="running", owner=owner, started_at=now, heartbeat_at=now, attempts=JobTable.attempts + 1)
            )
            row = connection.execute(sa.select(*_COLUMNS).where(JobTable.id == job_id)).one()
        return _record(row._mapping)

    def progress(self, job_id: str, owner: str, **values: Any) -> bool:
        """Update a running job of `owner` (total, done, document_ids, failures); False when the
        job is no longer `owner`'s (it was given up on), so the worker stops."""
        return self._update_own(job_id, owner, heartbeat_at=_now(), **values)

    def finish(self, job_id: str, owner: str, status: str, error: str | None = None, internal: bool = False) -> bool:
        """End a job of `owner`: its final state, its input dropped (the results are in the store)."""
        now = _now()
        return self._update_own(
            job_id, owner, status=status, error=error, internal=internal, ended_at=now, heartbeat_at=now, payload=None
        )

    def beat(self, owner: str, job_ids: Sequence[str]) -> None:
        """`owner` is alive and at work on `job_ids`: refresh their heartbeat. (A job of `owner`
        not among them was dropped, say when the store went away mid-job, and goes stale.)"""
        if not job_ids:
            return
        with database.write_transaction(self.engine) as connection:
            connection.execute(
                sa.update(JobTable)
                .where(JobTable.owner == owner, JobTable.status == "running", JobTable.id.in_(list(job_ids)))
                .values(heartbeat_at=_now())
            )

    def release(self, owner: str) -> int:
        """`owner` is stopping: its running jobs go back to the queue at once, the attempt not
        counted (a clean shutdown is not the job's fault)."""
        with database.write_transaction(self.engine) as connection:
            result = connection.execute(
                sa.update(JobTable)
                .where(JobTable.owner == owner, JobTable.status == "running")
                .values(status="queued", owner=None, attempts=JobTable.attempts - 1)
            )
        return result.rowcount

    def recover(self, stale_after: float, max_attempts: int) -> int:
        """Running jobs whose owner is gone go back to the queue, or fail once they have been
        interrupted `max_attempts` times. Returns how many were recovered or failed."""
        stale_before = _now() - timedelta(seconds=stale_after)
        with database.read_connection(self.engine) as connection:
            running = connection.execute(
                sa.select(JobTable.id, JobTable.owner, JobTable.heartbeat_at, JobTable.attempts, JobTable.done)
                .where(JobTable.status == "running")
            ).all()
        orphans = [
            job for job in running
            if job.owner is None or owner_gone(job.owner) or database.utc(job.heartbeat_at or stale_before) <= stale_before
        ]
        for job in orphans:
            with database.write_transaction(self.engine) as connection:
                still = JobTable.id == job.id, JobTable.status == "running", JobTable.owner == job.owner
                if job.attempts >= max_attempts:
                    error = (
                        f"interrupted {job.attempts} times (the server stopped while analysing it); "
                        f"{job.done} input(s) were done"
                    )
                    values: dict[str, Any] = {"status": "failed", "error": error, "ended_at": _now(), "payload": None}
                else:
                    values = {"status": "queued", "owner": None}
                connection.execute(sa.update(JobTable).where(*still).values(**values))
        return len(orphans)

    def expire(self, queue_timeout: float) -> int:
        """Queued jobs older than `queue_timeout` seconds expire: the server was too busy."""
        now = _now()
        error = f"waited more than {queue_timeout:g} s for a free worker (the server is busy); submit it again"
        with database.write_transaction(self.engine) as connection:
            result = connection.execute(
                sa.update(JobTable)
                .where(JobTable.status == "queued", JobTable.created_at < now - timedelta(seconds=queue_timeout))
                .values(status="expired", error=error, ended_at=now, payload=None)
            )
        return result.rowcount

    def _update_own(self, job_id: str, owner: str, **values: Any) -> bool:
        with database.write_transaction(self.engine) as connection:
            result = connection.execute(
                sa.update(JobTable)
                .where(JobTable.id == job_id, JobTable.owner == owner, JobTable.status == "running")
                .values(**values)
            )
        return result.rowcount == 1


def _record(row: Any) -> JobRecord:
    values = {name: row[name] for name in JobRecord.__dataclass_fields__}
    for name in ("created_at", "started_at", "ended_at"):
        if values[name] is not None:
            values[name] = database.utc(values[name])
    return JobRecord(**values)


def _now() -> datetime:
    return datetime.now(timezone.utc)
