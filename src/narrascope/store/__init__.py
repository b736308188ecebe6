"""Keeping analyses: SQLite by default, PostgreSQL for teams; queries, trends and exports.

    store = open_store("sqlite:///runs.db")
    store.save(analysis)
    store.query(Filters(site="example.com", label="Name_Calling-Labeling"))
"""

from .core import DocumentRow, FailureRecord, Store, open_store
from .filters import Filters
from .trends import PeriodCount, TrendRow, Trends

__all__ = ["open_store", "Store", "Filters", "FailureRecord", "DocumentRow", "Trends", "TrendRow", "PeriodCount"]
