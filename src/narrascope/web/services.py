"""How one server is configured (`WebConfig`) and what its routes share (`Services`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..components import DEFAULT_COMPONENTS
from ..settings import Settings
from ..store import Store
from .jobs import JobQueue, QueueConfig, default_workers
from .security import Access, csrf_value

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
MULTIPART_ALLOWANCE = 64 * 1024  # form fields and boundaries around an upload of the maximum size


@dataclass(frozen=True)
class WebConfig:
    """How one server runs. `token=None` means no authentication: only for loopback binds."""

    settings: Settings = field(default_factory=Settings.from_env)
    store_url: str | None = None  # None: settings.store_url
    token: str | None = None
    components: tuple[str, ...] = DEFAULT_COMPONENTS
    workers: int = field(default_factory=default_workers)  # each analyses in its own child process
    job_timeout: float = 300.0  # seconds one submission may take, fetching and analysing
    queue_timeout: float = 900.0  # seconds a submission may wait for a worker before it expires
    max_pending_jobs: int = 100  # submissions waiting or running; more are refused with 503
    allowed_hosts: tuple[str, ...] | None = LOOPBACK_HOSTS  # Host headers accepted; None: any
    taxonomies: tuple[Path, ...] = ()  # taxonomy files scored on every analysis; storylines are saved into the first

    @property
    def max_request_bytes(self) -> int:
        return self.settings.max_input_bytes + MULTIPART_ALLOWANCE

    @property
    def queue(self) -> QueueConfig:
        return QueueConfig(self.workers, self.job_timeout, self.queue_timeout, self.max_pending_jobs)


@dataclass
class Services:
    """What every route needs, kept on `app.state.services`."""

    config: WebConfig
    store: Store
    jobs: JobQueue
    access: Access
    templates: Jinja2Templates


def services(request: Request) -> Services:
    return request.app.state.services


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page from `templates/`, with what the layout needs (CSRF token, whether sign-in is on)."""
    context.setdefault("csrf", csrf_value(request, services(request).access.csrf_key))
    context.setdefault("token_required", services(request).access.required)
    return services(request).templates.TemplateResponse(request, template, context, status_code=status_code)
