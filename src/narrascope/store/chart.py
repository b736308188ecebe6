"""A trends chart: the share of documents carrying each of the most frequent labels, per period."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from ..errors import StoreError
from .core import TrendRow

CHART_SUFFIXES = (".png", ".svg")


def plot_trends(rows: list[TrendRow], path: str | Path, *, by: str, interval: str, top: int = 8) -> None:
    """Draw one line per label (per group, when grouped) for the `top` most frequent ones."""
    path = Path(path)
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise StoreError(f"{path}: chart must be a .png or .svg file")
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    series: dict[str, dict[date, float]] = defaultdict(dict)
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        name = f"{row.label} ({row.group})" if row.group else row.label
        series[name][date.fromisoformat(row.period)] = 100 * row.share
        totals[name] += row.count
    shown = sorted(totals, key=lambda name: (-totals[name], name))[:top]
    periods = sorted({date.fromisoformat(row.period) for row in rows})

    figure, axes = plt.subplots(figsize=(10, 5.5), layout="constrained")
    for name in shown:
        axes.plot(periods, [series[name].get(p, 0.0) for p in periods], marker="o", label=name)
    axes.set_title(f"Share of documents by {by}, per {interval}" + ("" if rows else " (no documents)"))
    axes.set_xlabel(f"{interval} starting")
    axes.set_ylabel("documents with the label (%)")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    if shown:
        axes.legend(title=by, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.autofmt_xdate()
    try:
        with matplotlib.rc_context({"svg.fonttype": "none"}):  # SVG text stays text
            figure.savefig(path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write chart: {exc.strerror}") from None
    finally:
        plt.close(figure)
