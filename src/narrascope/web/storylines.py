"""The Storylines pages: the storylines of the stored documents (list and chart over time), one
storyline's sentences and documents, and saving a storyline into a taxonomy file as a label.

Discovery can take minutes on a large store, so it runs in a background thread, one at a time;
the page says it is working and refreshes itself (`<meta http-equiv="refresh">`, no script)
until the result is there. Results are kept per filter set and store state (document count and
last save), so a page reload or the detail pages cost nothing until the store changes.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import NarrascopeError
from ..report.summary import excerpt
from ..store import Filters, PeriodCount, Store, TrendRow, Trends
from ..storylines import Discovery, Storyline, discover
from ..user_taxonomy import ID_PATTERN, ExampleRef, UserLabel
from ..user_taxonomy_edit import add_label, new_taxonomy_yaml
from .charts import line_charts
from .filters import as_query, document_filters
from .services import render, services

router = APIRouter(include_in_schema=False)
KEPT_RESULTS = 8
CHART_STORYLINES = 8
EXAMPLES_SAVED = 10  # a saved storyline's most central sentences become the label's examples


@dataclass
class _Run:
    result: Discovery | None = None
    error: str | None = None
    done: threading.Event | None = None


class StorylineRuns:
    """Background discoveries keyed by (filters, store state); at most one runs at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: OrderedDict[tuple, _Run] = OrderedDict()
        self._busy = threading.Lock()

    def get(self, store: Store, filters: Filters) -> _Run:
        key = (filters, store.count(filters), store.last_change())
        with self._lock:
            run = self._runs.get(key)
            if run is None:
                run = self._runs[key] = _Run(done=threading.Event())
                while len(self._runs) > KEPT_RESULTS:
                    self._runs.popitem(last=False)
                threading.Thread(target=self._discover, args=(run, store, filters), daemon=True).start()
            self._runs.move_to_end(key)
            return run

    def _discover(self, run: _Run, store: Store, filters: Filters) -> None:
        with self._busy:
            try:
                run.result = discover(store, filters)
            except (NarrascopeError, ValueError) as exc:
                run.error = str(exc)
            finally:
                assert run.done is not None
                run.done.set()


def runs(request: Request) -> StorylineRuns:
    state = request.app.state
    if not hasattr(state, "storyline_runs"):
        state.storyline_runs = StorylineRuns()
    return state.storyline_runs


def _finished(request: Request, filters: Filters) -> _Run:
    run = runs(request).get(services(request).store, filters)
    assert run.done is not None
    run.done.wait(timeout=2.0)  # small stores answer at once; large ones show the waiting page
    return run


@router.get("/storylines", response_class=HTMLResponse)
def storylines_page(request: Request, filters: Annotated[Filters, Depends(document_filters)]) -> HTMLResponse:
    run = _finished(request, filters)
    query = urlencode(as_query(filters))
    if run.result is None:
        return render(request, "storylines.html", found=None, error=run.error, filters=filters, query=query,
                      charts=[], label_choices=())
    return render(request, "storylines.html", found=run.result, error=None, filters=filters, query=query,
                  charts=line_charts(storyline_trends(run.result, run.result.storylines[:CHART_STORYLINES])),
                  label_choices=())


@router.get("/storylines/{storyline_id}", response_class=HTMLResponse)
def storyline_page(request: Request, storyline_id: str,
                   filters: Annotated[Filters, Depends(document_filters)]) -> HTMLResponse:
    found, storyline = _storyline(request, filters, storyline_id)
    target = services(request).config.taxonomies[0] if services(request).config.taxonomies else None
    return render(request, "storyline.html", s=storyline, found=found, query=urlencode(as_query(filters)),
                  charts=line_charts(storyline_trends(found, [storyline])),
                  documents=_documents(storyline), target=target, suggested_id=suggested_id(storyline),
                  saved=request.query_params.get("saved"), error=None)


@router.post("/storylines/{storyline_id}/save", response_class=HTMLResponse)
def save_storyline(
    request: Request,
    storyline_id: str,
    filters: Annotated[Filters, Depends(document_filters)],
    csrf_token: Annotated[str | None, Form()] = None,
    label_id: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
) -> Response:
    from .pages import check_csrf

    check_csrf(request, csrf_token)
    found, storyline = _storyline(request, filters, storyline_id)
    config = services(request).config
    query = urlencode(as_query(filters))
    if not config.taxonomies:
        raise HTTPException(409, "no taxonomy file to save into: start the server with --taxonomy FILE, "
                                 "or download the label as a file")
    try:
        label = _label(storyline, label_id, name, description)
        updated = add_label(config.taxonomies[0], label)
    except NarrascopeError as exc:
        return render(request, "storyline.html", status_code=422, s=storyline, found=found, query=query,
                      charts=line_charts(storyline_trends(found, [storyline])),
                      documents=_documents(storyline), target=config.taxonomies[0],
                      suggested_id=label_id or suggested_id(storyline), saved=None, error=str(exc))
    saved = urlencode({"saved": f"{updated.name} {updated.version}"})
    return RedirectResponse(f"/storylines/{storyline_id}?{query + '&' if query else ''}{saved}", status_code=303)


@router.get("/storylines/{storyline_id}/taxonomy.yaml")
def storyline_taxonomy(request: Request, storyline_id: str,
                       filters: Annotated[Filters, Depends(document_filters)]) -> Response:
    """The storyline as a one-label taxonomy file, to download and merge by hand."""
    _, storyline = _storyline(request, filters, storyline_id)
    label = _label(storyline, suggested_id(storyline), storyline.name[:200], "")
    text = new_taxonomy_yaml(f"storyline-{storyline.id}", "1", [label])
    return Response(text, media_type="application/yaml; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="storyline-{storyline.id}.yaml"'})


def storyline_trends(found: Discovery, storylines: list[Storyline]) -> Trends:
    """Each storyline's documents per period, as a share of all documents read in that period,
    in the shape the trends charts draw."""
    totals = found.period_totals
    rows = [
        TrendRow(p.start.isoformat(), None, excerpt(s.name, 60), p.documents,
                 p.documents / max(totals.get(p.start.isoformat(), 0), 1), totals.get(p.start.isoformat(), 0))
        for s in storylines for p in s.periods if p.documents
    ]
    periods = [PeriodCount(period, None, count) for period, count in totals.items()]
    return Trends(by="storyline", interval=found.interval, group=None, rows=rows, periods=periods)


def suggested_id(storyline: Storyline) -> str:
    words = "-".join(re.findall(r"[a-z0-9]+", " ".join(storyline.key_terms[:3]).lower()))[:48].strip("-")
    return f"{words or 'storyline'}-{storyline.id[:6]}"


def _label(storyline: Storyline, label_id: str, name: str, description: str) -> UserLabel:
    label_id, name = label_id.strip(), " ".join(name.split())
    if not ID_PATTERN.fullmatch(label_id):
        raise NarrascopeError(f"id {label_id!r}: use letters, digits, '-', '_' or '.' (64 at most)")
    if not name or len(name) > 200:
        raise NarrascopeError("name: give the label a name (200 characters at most)")
    description = " ".join(description.split()) or f"{storyline.name} (key terms: {', '.join(storyline.key_terms)})"
    examples = tuple(ExampleRef(text=text[:2000]) for text in storyline.central_examples(EXAMPLES_SAVED))
    return UserLabel(label_id, name, description[:2000], examples=examples)


def _storyline(request: Request, filters: Filters, storyline_id: str) -> tuple[Discovery, Storyline]:
    run = _finished(request, filters)
    if run.result is None:
        raise HTTPException(503 if run.error is None else 500,
                            run.error or "storylines are still being discovered; reload in a moment")
    storyline = run.result.find(storyline_id)
    if storyline is None:
        raise HTTPException(404, f"no storyline {storyline_id!r} among the documents matching these filters")
    return run.result, storyline


def _documents(storyline: Storyline) -> list:
    """One entry per document (its most central sentence), newest first."""
    first: dict[str, object] = {}
    for sentence in storyline.sentences:
        first.setdefault(sentence.document_id, sentence)
    return sorted(first.values(), key=lambda s: (s.day, s.document_id), reverse=True)
