"""Trends: how many documents carry each label per period, out of how many, and how many
documents have no date at all (they belong to no period and are counted apart)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..errors import StoreError
from . import database
from .dates import INTERVALS, iso
from .tables import DocumentTable, LabelTable

TREND_KINDS = {
    "narrative": ("narrative",),
    "technique": ("technique", "technique_span"),
    "frame": ("frame",),
    "genre": ("genre",),
    "custom": ("custom",),
}
TREND_GROUPS = ("site", "language")


@dataclass(frozen=True)
class TrendRow:
    period: str  # ISO date the period starts on
    group: str | None
    label: str  # the stored label id (`labelsets.display_name` gives the name shown)
    count: int  # documents carrying the label
    share: float  # count / documents
    documents: int  # documents in the period (and group): a share of 1 out of 1 is not a trend


@dataclass(frozen=True)
class PeriodCount:
    period: str
    group: str | None
    documents: int


@dataclass(frozen=True)
class Trends:
    """Label rows per period, the documents each period holds (labelled or not), and the
    matching documents without a publication date, which no period counts."""

    by: str
    interval: str
    group: str | None
    rows: list[TrendRow] = field(default_factory=list)
    periods: list[PeriodCount] = field(default_factory=list)
    undated: int = 0


def check(by: str, interval: str, group: str | None) -> None:
    if by not in TREND_KINDS:
        raise StoreError(f"trends by {by!r}: expected one of {', '.join(TREND_KINDS)}")
    if interval not in INTERVALS:
        raise StoreError(f"trends interval {interval!r}: expected one of {', '.join(INTERVALS)}")
    if group is not None and group not in TREND_GROUPS:
        raise StoreError(f"trends group {group!r}: expected one of {', '.join(TREND_GROUPS)}")


def count_trends(
    engine: sa.Engine, conditions: list[sa.ColumnElement[bool]], by: str, interval: str, group: str | None
) -> Trends:
    """`Trends` of the documents matching `conditions` (see `Store.trends`)."""
    check(by, interval, group)
    d = DocumentTable
    dated = [*conditions, d.published_day.is_not(None)]
    keys = [_period(engine, interval).label("period")]
    if group:
        keys.append(getattr(d, group).label("grp"))
    totals_statement = sa.select(*keys, sa.func.count(d.id)).where(*dated).group_by(*keys)
    counts_statement = (
        sa.select(*keys, LabelTable.label, sa.func.count(sa.distinct(d.id)))
        .join(LabelTable, LabelTable.document_id == d.id)
        .where(*dated, LabelTable.kind.in_(TREND_KINDS[by]))
        .group_by(*keys, LabelTable.label)
    )
    undated_statement = sa.select(sa.func.count(d.id)).where(*conditions, d.published_day.is_(None))
    with database.read_connection(engine) as connection:
        totals = {tuple(row[:-1]): row[-1] for row in connection.execute(totals_statement)}
        counts = connection.execute(counts_statement).all()
        undated = int(connection.scalar(undated_statement) or 0)
    rows = []
    for row in counts:
        period, grp = row[0], (row[1] if group else None)
        label, count = row[-2], row[-1]
        total = totals[tuple(row[:-2])]
        rows.append(TrendRow(iso(period), grp, label, count, count / total, total))
    periods = [PeriodCount(iso(key[0]), key[1] if group else None, total) for key, total in totals.items()]
    return Trends(
        by,
        interval,
        group,
        rows=sorted(rows, key=lambda r: (r.period, r.group or "", -r.count, r.label)),
        periods=sorted(periods, key=lambda p: (p.period, p.group or "")),
        undated=undated,
    )


def _period(engine: sa.Engine, interval: str) -> sa.ColumnElement[Any]:
    """The first day of the publication's day, week (Monday) or month, in this database's SQL."""
    day = DocumentTable.published_day
    if engine.dialect.name == "postgresql":
        return sa.cast(sa.func.date_trunc(interval, day), sa.Date)
    modifiers = {"day": (), "week": ("weekday 0", "-6 days"), "month": ("start of month",)}
    return sa.func.date(day, *modifiers[interval])
