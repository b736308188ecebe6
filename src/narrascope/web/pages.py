"""The HTML pages: analyse, job progress, article view, library, trends, login and API docs.

Every form posts a CSRF token (`security.csrf_valid`); every page is rendered with autoescaping,
and article text reaches the page only through `report.highlight.article_html`, which escapes it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from math import ceil
from pathlib import Path
from tempfile import NamedTemporaryFile
from typing import Annotated, Literal
from urllib.parse import urlencode

import anyio
from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from ..errors import InputError
from ..report.highlight import article_html, stylesheet
from ..report.summary import header_facts, technique_counts
from ..store import Filters, Trends
from ..store.export import write_csv, write_jsonl, write_parquet
from ..labelsets import UnknownLabel, label_sets
from . import inputs
from .charts import TREND_KINDS, Interval, TrendGroup, TrendKind, line_charts
from .filters import as_query, document_filters, trend_genre_mix
from .security import CSRF_COOKIE, SESSION_COOKIE, csrf_valid
from .services import render, services

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).parent / "static"

PAGE_SIZE = 25
MAX_PAGE = 10_000_000  # past every library, and within what the databases' integers hold
EXPORTS = {
    "jsonl": (write_jsonl, "application/x-ndjson"),
    "csv": (write_csv, "text/csv; charset=utf-8"),
    "parquet": (write_parquet, "application/vnd.apache.parquet"),
}
def label_choices() -> list[str]:
    """What the label box suggests: every filterable label by the name screens show."""
    return list(dict.fromkeys(name for label_set in label_sets() for name in label_set.names.values()))


def check_csrf(request: Request, submitted: str | None) -> None:
    if not csrf_valid(request, submitted, services(request).access.csrf_key):
        raise HTTPException(403, "the form's security token is missing or wrong; reload the page and try again")


# --- analyse ------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def analyse_page(request: Request) -> HTMLResponse:
    return render(request, "analyse.html", error=None, text="", url="")


@router.post("/analyze", response_class=HTMLResponse)
async def analyse_submit(
    request: Request,
    csrf_token: Annotated[str | None, Form()] = None,
    text: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    app = services(request)
    settings = app.config.settings
    upload: tuple[str, bytes] | None = None
    if file is not None and file.filename:  # browsers send an empty part when no file is chosen
        upload = (file.filename, await file.read(settings.max_input_bytes + 1))
    given = [name for name, value in (("text", text.strip()), ("url", url.strip()), ("file", upload)) if value]
    try:
        if len(given) != 1:
            raise InputError(f"give one of: text, a URL or a file (got {', '.join(given) or 'nothing'})")
        if upload is not None:
            submission = inputs.from_upload(*upload, settings)
        elif url.strip():
            submission = inputs.from_url(url, settings)
        else:
            submission = inputs.from_text(text, settings, kind=None)
    except InputError as exc:
        return render(request, "analyse.html", status_code=inputs.http_status(exc), error=str(exc), text=text, url=url)
    job = await anyio.to_thread.run_sync(app.jobs.submit, submission)  # persisted before we answer
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> Response:
    job = services(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job with id {job_id!r}")
    if job.status == "done" and len(job.document_ids) == 1 and not job.failures:
        return RedirectResponse(f"/documents/{job.document_ids[0]}", status_code=303)
    return render(request, "job.html", job=job, elapsed=job.elapsed)


# --- one article ----------------------------------------------------------------------------


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str) -> HTMLResponse:
    analysis = services(request).store.get(document_id)
    if analysis is None:
        raise HTTPException(404, f"no stored document with id {document_id!r}")
    claims = analysis.results.claims
    return render(
        request,
        "document.html",
        a=analysis,
        r=analysis.results,
        facts=header_facts(analysis),
        technique_counts=technique_counts(analysis),
        article=article_html(analysis),
        claims=sorted(enumerate(claims.claims), key=lambda item: item[1].rank) if claims else [],
    )


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Browsers and feed readers ask for it at the root whatever the page says."""
    return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon", headers={"Cache-Control": "max-age=86400"})


@router.get("/highlight.css")
def highlight_css() -> Response:
    """The technique and role colours, shared with the HTML report (one stylesheet for both)."""
    return Response(stylesheet(), media_type="text/css", headers={"Cache-Control": "max-age=3600"})


# --- library and exports --------------------------------------------------------------------


@router.get("/library", response_class=HTMLResponse)
def library_page(
    request: Request,
    filters: Annotated[Filters, Depends(document_filters)],
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    store = services(request).store
    try:
        total = store.count(filters)
        rows = store.query(filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        error = None
    except UnknownLabel as exc:  # the form again, with what the label box could have meant
        total, rows, error = 0, [], str(exc)
    query = as_query(filters)
    return render(
        request,
        "library.html",
        status_code=422 if error else 200,
        error=error,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, ceil(total / PAGE_SIZE)),
        filters=filters,
        query=urlencode(query),
        page_link=lambda number: "/library?" + urlencode({**query, "page": number}),
        label_choices=label_choices(),
    )


@router.get("/library/export.{fmt}")
def export(
    request: Request, fmt: Literal["jsonl", "csv", "parquet"], filters: Annotated[Filters, Depends(document_filters)]
) -> FileResponse:
    """The matching analyses as a file, written by the store's exporters to a temporary file."""
    write, media_type = EXPORTS[fmt]
    with NamedTemporaryFile(prefix="narrascope-export-", suffix=f".{fmt}", delete=False) as handle:
        path = Path(handle.name)
    try:
        write(services(request).store.iter_analyses(filters, per_source=True), path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return FileResponse(
        path, media_type=media_type, filename=f"narrascope-{stamp}.{fmt}", background=BackgroundTask(path.unlink)
    )


# --- trends ---------------------------------------------------------------------------------


@router.get("/trends", response_class=HTMLResponse)
def trends_page(
    request: Request,
    filters: Annotated[Filters, Depends(document_filters)],
    by: TrendKind = "narrative",
    interval: Interval = "month",
    group: TrendGroup | Literal[""] = "",
    genre_mix: str = "",
) -> HTMLResponse:
    trends, error, mix_error = Trends(by, interval, group or None), None, None
    try:
        mix = trend_genre_mix(genre_mix, by)
        trends = services(request).store.trends(by, interval, filters, group or None, genre_mix=mix)
    except UnknownLabel as exc:
        error = str(exc)
    except InputError as exc:
        mix_error = str(exc)
    return render(
        request,
        "trends.html",
        status_code=422 if error or mix_error else 200,
        error=error,
        mix_error=mix_error,
        charts=line_charts(trends),
        rows=trends.rows,
        undated=trends.undated,
        undated_query=urlencode({**as_query(filters), "undated": "only"}),
        by=by,
        interval=interval,
        group=group,
        kinds=TREND_KINDS,
        filters=filters,
        genre_mix=genre_mix,
        query=urlencode({**as_query(filters), "by": by, "interval": interval, **({"group": group} if group else {}),
                         **({"genre_mix": genre_mix} if genre_mix.strip() else {})}),
        label_choices=label_choices(),
    )


# --- login, docs, health --------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=_local_path(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    csrf_token: Annotated[str | None, Form()] = None,
    token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request, csrf_token)
    access = services(request).access
    if not access.required:
        return RedirectResponse(_local_path(next), status_code=303)
    if not access.token_matches(token.strip()):
        return render(request, "login.html", status_code=401, next=_local_path(next), error="That token is not right.")
    response = RedirectResponse(_local_path(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, access.session_value, httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str | None, Form()] = None) -> Response:
    check_csrf(request, csrf_token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The OpenAPI schema as a plain page (Swagger UI would need a CDN and inline scripts)."""
    return render(request, "api_docs.html", schema=request.app.openapi())


@router.get("/healthz", response_class=PlainTextResponse)
def health() -> str:
    return "ok"


def _local_path(target: str) -> str:
    """Only paths on this site are followed after login (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"
