"""A storyline over time: its documents per period (day, week starting Monday, or month), every
period from the first to the last included, and the growth from the period before."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from ..store.dates import next_period, period_start


@dataclass(frozen=True)
class Period:
    start: date
    documents: int
    growth: int  # documents minus the period before's (the first period: its own count)


def periods_of(days: list[date], interval: str) -> list[Period]:
    """Documents per period for the days the storyline's documents were published (or stored)."""
    if not days:
        return []
    counts = Counter(period_start(day, interval) for day in days)
    current, last = min(counts), max(counts)
    periods, before = [], 0
    while current <= last:
        count = counts.get(current, 0)
        periods.append(Period(current, count, count - before))
        before = count
        current = next_period(current, interval)
    return periods
