"""The standalone HTML report: one file, inline CSS, no scripts, no external requests.

All article content reaches the page through Jinja2 autoescaping or `markupsafe.escape`
(in `highlight.article_html`), so markup inside an article is shown as text, never run.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from urllib.parse import urlsplit

from jinja2 import BaseLoader, Environment, PackageLoader, StrictUndefined

from .. import __version__
from ..model import Analysis
from ..taxonomy import FRAMES, MAIN_ROLES
from ..labelsets import display_name, frame_name, technique_name
from .highlight import article_html, css_name, document_anchor, stylesheet, technique_definition
from .summary import entity_role, excerpt, fine_roles, header_facts, technique_counts


def render_html(analyses: Sequence[Analysis], title: str | None = None) -> str:
    """One page with a section per analysis (and a table of contents when there are several)."""
    documents = [
        {
            "analysis": analysis,
            "prefix": f"d{index}-",
            "facts": header_facts(analysis),
            "technique_counts": technique_counts(analysis),
            "article": article_html(analysis, id_prefix=f"d{index}-"),
            "claims": sorted(enumerate(analysis.results.claims.claims), key=lambda item: item[1].rank)
            if analysis.results.claims
            else [],
        }
        for index, analysis in enumerate(analyses)
    ]
    if title is None:
        only = analyses[0].document if len(analyses) == 1 else None
        title = f"narrascope: {only.title or only.source}" if only else f"narrascope: {len(analyses)} documents"
    return _environment().get_template("report.html.j2").render(
        documents=documents, page_title=title, version=__version__, stylesheet=stylesheet()
    )


def is_safe_url(value: object) -> bool:
    """Only http(s) URLs become links (never `javascript:` or `data:`)."""
    return isinstance(value, str) and urlsplit(value).scheme.lower() in ("http", "https")


def template_environment(loader: BaseLoader) -> Environment:
    """Jinja2 set up the one safe way for article content (autoescape in every template, strict
    undefined), with the helpers the report and the web app share, as functions and as filters."""
    environment = Environment(
        loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    helpers = {
        "excerpt": excerpt,
        "css_name": css_name,
        "technique_name": technique_name,
        "technique_definition": technique_definition,
        "entity_role": entity_role,
        "fine_roles": fine_roles,
        "frame_name": frame_name,
        "label_name": display_name,
        "percent": lambda score: f"{score:.0%}",
    }
    environment.filters.update(helpers)
    environment.globals.update(helpers, anchor=document_anchor, frame_definitions=FRAMES, roles=MAIN_ROLES)
    environment.tests["safe_url"] = is_safe_url
    return environment


@cache
def _environment() -> Environment:
    return template_environment(PackageLoader("narrascope.report", "templates"))
