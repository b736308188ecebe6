"""Which stored documents a query, a listing, an export or a trend reads: `Filters`, and the SQL
conditions they become."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import sqlalchemy as sa

from .tables import DocumentTable, LabelTable


@dataclass(frozen=True)
class Filters:
    """Which documents: every field given must match (`None` means any)."""

    site: str | None = None
    language: str | None = None
    since: date | None = None  # published on or after
    until: date | None = None  # published on or before
    # documents without a publication date: None = kept unless `since`/`until` is given;
    # "include" = kept even then; "only" = nothing but them
    undated: Literal["include", "only"] | None = None
    label: str | None = None  # a label as shown, its id or a prefix (`labelsets.resolve_label`)
    min_score: float | None = None  # that label's score >= this (without a label: any label's)
    text: str | None = None  # case-insensitive substring of the title or the text


def conditions(filters: Filters, labels: tuple[str, ...] | None) -> list[sa.ColumnElement[bool]]:
    """SQL for `filters`, the label filter already resolved to stored `labels`."""
    d = DocumentTable
    found: list[sa.ColumnElement[bool]] = []
    if filters.site:
        found.append(d.site == filters.site)
    if filters.language:
        found.append(d.language == filters.language)
    dated = []
    if filters.since:
        dated.append(d.published_day >= filters.since)
    if filters.until:
        dated.append(d.published_day <= filters.until)
    if filters.undated == "only":
        found.append(d.published_day.is_(None))
    elif dated and filters.undated == "include":
        found.append(sa.or_(sa.and_(*dated), d.published_day.is_(None)))
    else:
        found += dated
    if filters.label or filters.min_score is not None:
        # correlated on documents only: trends join the labels table in the outer query too
        match = sa.select(LabelTable.id).where(LabelTable.document_id == d.id).correlate(d)
        if labels is not None:
            match = match.where(LabelTable.label.in_(labels))
        if filters.min_score is not None:
            match = match.where(LabelTable.score >= filters.min_score)
        found.append(match.exists())
    if filters.text:
        pattern = "%" + filters.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found.append(sa.or_(d.title.ilike(pattern, escape="\\"), d.text.ilike(pattern, escape="\\")))
    return found
