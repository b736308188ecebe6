"""Trends: how many documents carry each label per period, out of how many, and how many
documents have no date at all (they belong to no period and are counted apart).

Genres can be counted at a collection's known genre mix instead of as stored: each document's
genre is then decided again from the calibrated probabilities its analysis keeps (see
`components.genre.genre_at_mix`), so a wire feed known to be mostly reporting is not counted
at the training articles' mix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
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
    genre_mix: dict[str, float] | None = None  # the mix genres were decided at; None: as stored

    def at_mix(self) -> str:
        """", decided at the mix opinion 8%, reporting 90%, satire 2%" for titles; "" as stored."""
        if not self.genre_mix:
            return ""
        return ", decided at the mix " + ", ".join(f"{genre} {share:.0%}" for genre, share in self.genre_mix.items())


GenreDecision = Callable[[Mapping[str, float]], str]  # a genre from a document's stored genre probabilities


def check(by: str, interval: str, group: str | None) -> None:
    if by not in TREND_KINDS:
        raise StoreError(f"trends by {by!r}: expected one of {', '.join(TREND_KINDS)}")
    if interval not in INTERVALS:
        raise StoreError(f"trends interval {interval!r}: expected one of {', '.join(INTERVALS)}")
    if group is not None and group not in TREND_GROUPS:
        raise StoreError(f"trends group {group!r}: expected one of {', '.join(TREND_GROUPS)}")


def count_trends(
    engine: sa.Engine,
    conditions: list[sa.ColumnElement[bool]],
    by: str,
    interval: str,
    group: str | None,
    genre_at: tuple[dict[str, float], GenreDecision] | None = None,
) -> Trends:
    """`Trends` of the documents matching `conditions` (see `Store.trends`); with `genre_at` (a
    genre mix and what decides a genre at it), genres as decided at that mix."""
    check(by, interval, group)
    if genre_at is not None and by != "genre":
        raise StoreError(f"a genre mix re-decides genres: use it with trends by genre, not by {by}")
    d = DocumentTable
    dated = [*conditions, d.published_day.is_not(None)]
    keys = [_period(engine, interval).label("period")]
    if group:
        keys.append(getattr(d, group).label("grp"))
    totals_statement = sa.select(*keys, sa.func.count(d.id)).where(*dated).group_by(*keys)
    undated_statement = sa.select(sa.func.count(d.id)).where(*conditions, d.published_day.is_(None))
    with database.read_connection(engine) as connection:
        totals = {tuple(row[:-1]): row[-1] for row in connection.execute(totals_statement)}
        if genre_at is None:
            counts_statement = (
                sa.select(*keys, LabelTable.label, sa.func.count(sa.distinct(d.id)))
                .join(LabelTable, LabelTable.document_id == d.id)
                .where(*dated, LabelTable.kind.in_(TREND_KINDS[by]))
                .group_by(*keys, LabelTable.label)
            )
            counts = [(tuple(row[:-2]), row[-2], row[-1]) for row in connection.execute(counts_statement)]
        else:
            counts = _genres_decided(connection, keys, dated, genre_at[1])
        undated = int(connection.scalar(undated_statement) or 0)
    rows = [
        TrendRow(iso(key[0]), key[1] if group else None, label, count, count / totals[key], totals[key])
        for key, label, count in counts
    ]
    periods = [PeriodCount(iso(key[0]), key[1] if group else None, total) for key, total in totals.items()]
    return Trends(
        by,
        interval,
        group,
        rows=sorted(rows, key=lambda r: (r.period, r.group or "", -r.count, r.label)),
        periods=sorted(periods, key=lambda p: (p.period, p.group or "")),
        undated=undated,
        genre_mix=genre_at[0] if genre_at else None,
    )


def _genres_decided(
    connection: sa.Connection, keys: list[Any], dated: list[sa.ColumnElement[bool]], decide: GenreDecision
) -> list[tuple[tuple[Any, ...], str, int]]:
    """(period key, genre, documents) with each document's genre decided by `decide` from the
    genre probabilities its stored analysis holds (documents analysed without genre are skipped).
    Only those three numbers per document leave the database, not its analysis."""
    probabilities = DocumentTable.analysis[("results", "genre", "probabilities")]
    statement = sa.select(*keys, probabilities).where(*dated, probabilities.is_not(None))
    counted: Counter[tuple[tuple[Any, ...], str]] = Counter()
    for row in connection.execute(statement):
        if isinstance(row[-1], dict) and row[-1]:
            counted[tuple(row[:-1]), decide(row[-1])] += 1
    return [(key, label, count) for (key, label), count in counted.items()]


def _period(engine: sa.Engine, interval: str) -> sa.ColumnElement[Any]:
    """The first day of the publication's day, week (Monday) or month, in this database's SQL."""
    day = DocumentTable.published_day
    if engine.dialect.name == "postgresql":
        return sa.cast(sa.func.date_trunc(interval, day), sa.Date)
    modifiers = {"day": (), "week": ("weekday 0", "-6 days"), "month": ("start of month",)}
    return sa.func.date(day, *modifiers[interval])
