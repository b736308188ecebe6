"""The JSON API. `POST /api/analyze` answers with exactly the JSON of `narrascope analyze --json`
(`Analysis.to_json`); listings take the same filters as `narrascope query`."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Literal

import anyio
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..components import DEFAULT_COMPONENTS
from ..errors import InputError
from ..labelsets import display_name
from ..store import Filters
from ..store.jobs import JobRecord
from . import inputs
from .charts import Interval, TrendGroup, TrendKind
from .filters import document_filters, trend_genre_mix
from .jobs import job_view
from .services import Services, services

router = APIRouter(prefix="/api", tags=["api"])
MAX_OFFSET = 1_000_000_000  # any larger offset is past every store, and past what SQLite's integers hold


class AnalyzeRequest(BaseModel):
    """Exactly one of `text`, `html` or `url`; `components` picks the task heads (default: all)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="the article's text")
    html: str | None = Field(default=None, description="the article page's HTML")
    url: str | None = Field(default=None, description="an http(s) URL to fetch (public addresses only)")
    components: list[Literal[DEFAULT_COMPONENTS]] | None = Field(  # type: ignore[valid-type]
        default=None, description="components to run, e.g. [\"genre\", \"techniques\"]; [] runs none"
    )

    @model_validator(mode="after")
    def _one_source(self) -> "AnalyzeRequest":
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of text, html or url (got {', '.join(given) or 'none'})")
        return self


@router.post(
    "/analyze",
    summary="Analyse one article and store the result",
    response_description="the analysis, as `narrascope analyze --json` prints it",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": AnalyzeRequest.model_json_schema()}},
        }
    },
    responses={400: {"description": "malformed JSON"}, 413: {"description": "input over a size limit"},
               415: {"description": "not application/json"}, 422: {"description": "invalid or unreadable input"},
               503: {"description": "too many analyses waiting"},
               504: {"description": "still running after the time limit; poll /api/jobs/{id}"}},
)
async def analyze(request: Request) -> Response:
    app = services(request)
    body = _analyze_request(request, await request.body())
    settings = app.config.settings
    try:
        if body.url is not None:
            submission = inputs.from_url(body.url, settings)
        else:
            kind = "html" if body.html is not None else "text"
            submission = inputs.from_text(body.html or body.text or "", settings, kind=kind)
    except InputError as exc:
        raise HTTPException(inputs.http_status(exc), str(exc)) from None
    components = tuple(body.components) if body.components is not None else None
    job = await anyio.to_thread.run_sync(app.jobs.submit, submission, components)
    finished = await app.jobs.wait(job.id, app.config.job_timeout)
    return await anyio.to_thread.run_sync(_analysis_response, app, finished or job)


@router.get("/documents", summary="Stored analyses, newest first, filtered as `narrascope query`")
def documents(
    request: Request,
    filters: Annotated[Filters, Depends(document_filters)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, object]:
    store = services(request).store
    rows = store.query(filters, limit=limit, offset=offset)
    return {"total": store.count(filters), "limit": limit, "offset": offset, "documents": [asdict(r) for r in rows]}


@router.get("/documents/{document_id}", summary="One stored analysis (the `analyze --json` JSON)")
def document(request: Request, document_id: str) -> Response:
    analysis = services(request).store.get(document_id)
    if analysis is None:
        raise HTTPException(404, f"no stored document with id {document_id!r}")
    return Response(analysis.to_json(), media_type="application/json")


@router.get(
    "/trends",
    summary="Share of documents carrying each label, per period of publication (and site or language)",
    description="`rows`: per period (and group) and label, the documents carrying it (`count`), the documents "
    "in that period (`documents`) and `share` = count / documents; `name` is the label as shown. `periods`: "
    "the documents each period holds. `undated`: matching documents without a publication date, in no period.",
)
def trends(
    request: Request,
    filters: Annotated[Filters, Depends(document_filters)],
    by: TrendKind = "narrative",
    interval: Interval = "month",
    group: TrendGroup | None = None,
    genre_mix: Annotated[
        str | None,
        Query(description="with by=genre: the collection's known genre mix, e.g. "
              "reporting=0.8,opinion=0.18,satire=0.02; each genre is decided again at it (`genre_mix` in the "
              "answer gives it, scaled to sum 1)"),
    ] = None,
) -> dict[str, object]:
    try:
        mix = trend_genre_mix(genre_mix, by)
    except InputError as exc:
        raise HTTPException(422, str(exc)) from None
    trends = services(request).store.trends(by, interval, filters, group, genre_mix=mix)
    return {
        "by": by,
        "interval": interval,
        "group": group,
        "genre_mix": trends.genre_mix,
        "rows": [{**asdict(row), "name": display_name(row.label)} for row in trends.rows],
        "periods": [asdict(period) for period in trends.periods],
        "undated": trends.undated,
    }


@router.get("/jobs/{job_id}", summary="Progress of a background analysis (kept across restarts)")
def job_status(request: Request, job_id: str) -> dict[str, object]:
    job = services(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job with id {job_id!r}")
    return {**job_view(job), "documents": [f"/documents/{i}" for i in job.document_ids]}


def _analyze_request(request: Request, raw: bytes) -> AnalyzeRequest:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(415, f"send the body as application/json, not {media_type or 'no content type'}")
    if not raw.strip():
        raise HTTPException(400, "empty request body; send {\"text\": ...}, {\"html\": ...} or {\"url\": ...}")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"malformed JSON: {exc}") from None
    except RecursionError:
        raise HTTPException(400, "malformed JSON: nested too deeply (send one flat object)") from None
    if not isinstance(data, dict):
        raise HTTPException(422, "the body must be a JSON object")
    try:
        return AnalyzeRequest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise HTTPException(422, f"{where}: {message}" if where else message) from None


def _analysis_response(app: Services, job: JobRecord) -> Response:
    if job.status == "done" and job.document_ids:
        analysis = app.store.get(job.document_ids[0])
        if analysis is not None:
            return Response(analysis.to_json(), media_type="application/json")
    if job.active:
        raise HTTPException(504, f"still running after {app.config.job_timeout:g} s; poll /api/jobs/{job.id}")
    if job.internal:
        raise HTTPException(500, job.error or "internal error")
    if job.status == "expired":
        raise HTTPException(503, job.error or "the server was too busy", {"Retry-After": "60"})
    raise HTTPException(422, job.error or "; ".join(job.failures) or "the input could not be analysed")

