"""Dates in the store: the day a `published` value names, and the periods trends count in.

A document without a publication date stays undated: it is never given the day it was
analysed, so date filters leave it out and trends count it on its own "undated" line.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

INTERVALS = ("day", "week", "month")


def published_day(published: str | None) -> date | None:
    """The calendar day of a `published` value: ISO 8601 (`2024-02-10`, `2024-02-10T08:00:00Z`)
    or RFC 2822 as feeds write it (`Sat, 10 Feb 2024 10:00:00 GMT`); None for anything else."""
    if not published or not published.strip():
        return None
    value = published.strip()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def period_start(day: date, interval: str) -> date:
    """The first day of the day, week (Monday) or month `day` falls in."""
    if interval == "month":
        return day.replace(day=1)
    if interval == "week":
        return day - timedelta(days=day.weekday())
    return day


def next_period(start: date, interval: str) -> date:
    if interval == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if interval == "week" else 1)


def period_range(first: str, last: str, interval: str) -> list[str]:
    """Every period start from `first` to `last` (ISO dates), one `interval` apart: periods
    without documents included, so charts can show them as gaps."""
    current, end = date.fromisoformat(first), date.fromisoformat(last)
    periods = []
    while current <= end:
        periods.append(current.isoformat())
        current = next_period(current, interval)
    return periods


def iso(value: date | datetime | str) -> str:
    return value if isinstance(value, str) else value.isoformat()[:10]
