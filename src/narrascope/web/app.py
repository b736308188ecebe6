"""The web app: `create_app(WebConfig(...))` wires the store, the job queue, the security layers,
the HTML pages and the JSON API into one FastAPI application.

Pages are rendered on the server (Jinja2, autoescaped); the one script, `static/app.js`, only
polls job progress. With taxonomy files (`WebConfig.taxonomies`) every analysis also scores the
user's own labels, and the Storylines pages can save a storyline into the first file. Everything is served from this process, so the app works offline and under
a Content-Security-Policy that allows nothing from anywhere else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ..components.custom import Recipe
from ..core import custom_recipes
from ..labelsets import UnknownLabel
from ..report.html import template_environment
from ..store import open_store
from ..taxonomy import TECHNIQUE_FAMILIES
from . import api, pages, storylines
from .jobs import JobQueue, QueueFull
from .security import CSRF_COOKIE, CSRF_FIELD, Access, BodyLimit, CrossSiteRefusal, SecurityHeaders
from .services import Services, WebConfig, render, services

HERE = Path(__file__).parent
OPEN_PATHS = ("/login", "/static/", "/healthz", "/favicon.ico")  # reachable without the token


def create_app(config: WebConfig | None = None) -> FastAPI:
    config = config or WebConfig()
    store = open_store(config.store_url or config.settings.store_url)
    def taxonomies() -> tuple[Recipe, ...]:  # re-read for each job: a saved storyline counts at once
        return custom_recipes(config.taxonomies, store.get_document)

    taxonomies()  # a bad taxonomy file stops the start, with its problems
    jobs = JobQueue(store, config.settings, config.components, config.queue, custom=taxonomies)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        jobs.start()  # resumes what a stopped server left in the queue
        yield
        jobs.shutdown()
        store.close()

    app = FastAPI(
        title="narrascope",
        version=__version__,
        description="How news articles persuade: genre, frames, techniques with spans, narratives, "
        "entity roles and check-worthy claims. Every label carries its evidence as character offsets.",
        docs_url=None,  # Swagger UI needs a CDN and inline scripts; /docs renders the schema instead
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = Services(config, store, jobs, Access(config.token), _templates())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(storylines.router)
    _install_middleware(app, config)
    _install_error_handlers(app)
    return app


def _templates() -> Jinja2Templates:
    environment = template_environment(jinja2.FileSystemLoader(HERE / "templates"))
    environment.globals.update(
        version=__version__,
        csrf_field=CSRF_FIELD,
        families=TECHNIQUE_FAMILIES,
        used_families=lambda counts: {family for family, _ in counts},
        schema_type=schema_type,
    )
    environment.filters["duration"] = duration
    return Jinja2Templates(env=environment)


def duration(seconds: int) -> str:
    """65 -> '1 min 5 s', for the job page (app.js counts on from there)."""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def schema_type(schema: dict[str, object]) -> str:
    """'string', 'integer', 'string or null'... of a JSON Schema, for the API page."""
    options = schema.get("anyOf") or [schema]
    names = [str(o.get("type", "any")) if isinstance(o, dict) else "any" for o in options]  # type: ignore[union-attr]
    enum = schema.get("enum")
    return " or ".join(names) + (f" ({', '.join(map(str, enum))})" if isinstance(enum, list) else "")


def _install_middleware(app: FastAPI, config: WebConfig) -> None:
    """Outermost last: security headers wrap everything, then the cross-site refusal, the body cap,
    the Host check, then the token and CSRF-cookie layer closest to the routes."""

    @app.middleware("http")
    async def token_and_csrf_cookie(request: Request, call_next):  # type: ignore[no-untyped-def]
        access = services(request).access
        path = request.url.path
        if not access.allows(request) and not path.startswith(OPEN_PATHS):
            if _wants_json(request):
                return JSONResponse(
                    {"detail": "an API token is required (Authorization: Bearer TOKEN or X-API-Token)"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            return RedirectResponse(f"/login?next={quote(path, safe='/')}", status_code=303)
        response = await call_next(request)
        new_token = getattr(request.state, "new_csrf", None)
        if new_token:
            response.set_cookie(
                CSRF_COOKIE, new_token, httponly=True, samesite="strict", secure=request.url.scheme == "https"
            )
        return response

    if config.allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts))
    app.add_middleware(BodyLimit, max_bytes=config.max_request_bytes)
    app.add_middleware(CrossSiteRefusal)
    app.add_middleware(SecurityHeaders)


def _install_error_handlers(app: FastAPI) -> None:
    """JSON errors under /api, an HTML page elsewhere; always one readable line."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(UnknownLabel)
    async def unknown_label(request: Request, exc: UnknownLabel) -> Response:
        return error_response(request, 422, str(exc))

    @app.exception_handler(QueueFull)
    async def busy(request: Request, exc: QueueFull) -> Response:
        return error_response(request, 503, str(exc), {"Retry-After": "60"})

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, validation_message(exc))


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    page = render(request, "error.html", status_code=status, status=status, message=message)
    if headers:
        page.headers.update(headers)
    return page


def validation_message(exc: RequestValidationError) -> str:
    """'limit: Input should be less than or equal to 1000; since: Input should be a valid date'."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/openapi.json"))
