"""A trends chart: the share of documents carrying each of the most frequent labels, per period,
over a bar panel of how many documents each period holds.

Every period from the first to the last is on the axis. A period without documents breaks the
lines (there is nothing to measure), a period whose documents lack a label puts that label at 0;
the bars show when a share rests on one or two articles. Undated documents are in no period;
the title says how many were left out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from ..errors import StoreError
from ..labelsets import display_name
from .dates import period_range
from .trends import Trends

CHART_SUFFIXES = (".png", ".svg")


def plot_trends(trends: Trends, path: str | Path, *, top: int = 8) -> None:
    """Draw one line per label (per group, when grouped) for the `top` most frequent ones."""
    path = Path(path)
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise StoreError(f"{path}: chart must be a .png or .svg file")
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    series: dict[str, dict[str, float]] = defaultdict(dict)
    group_of: dict[str, str | None] = {}
    totals: dict[str, int] = defaultdict(int)
    for row in trends.rows:
        name = display_name(row.label) + (f" ({row.group})" if row.group else "")
        series[name][row.period] = 100 * row.share
        group_of[name] = row.group
        totals[name] += row.count
    shown = sorted(totals, key=lambda name: (-totals[name], name))[:top]
    documents: dict[tuple[str, str | None], int] = {(p.period, p.group): p.documents for p in trends.periods}
    all_documents: dict[str, int] = defaultdict(int)
    for (period, _), count in documents.items():
        all_documents[period] += count
    periods = period_range(min(all_documents), max(all_documents), trends.interval) if all_documents else []
    days = [date.fromisoformat(p) for p in periods]

    figure, (axes, bars) = plt.subplots(
        2, 1, figsize=(10, 6.5), sharex=True, layout="constrained", gridspec_kw={"height_ratios": (4, 1)}
    )
    for name in shown:
        held = {p for (p, group) in documents if group == group_of[name]}
        values = [series[name].get(p, 0.0) if p in held else float("nan") for p in periods]  # nan: a gap
        axes.plot(days, values, marker="o", label=name)
    title = f"Share of documents by {trends.by}, per {trends.interval}{trends.at_mix()}" + ("" if trends.rows else " (no documents)")
    if trends.undated:
        title += f"\n{trends.undated} undated document{'s' if trends.undated != 1 else ''} not shown"
    axes.set_title(title)
    axes.set_ylabel("documents with the label (%)")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    if shown:
        axes.legend(title=trends.by, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    counts = [all_documents.get(p, 0) for p in periods]
    width = {"day": 0.8, "week": 5.6, "month": 24}[trends.interval]
    drawn = bars.bar(days, counts, width=width, color="0.6")
    if len(periods) <= 24:
        bars.bar_label(drawn, fontsize="x-small")
    bars.set_ylabel("documents")
    bars.set_xlabel(f"{trends.interval} starting")
    bars.grid(alpha=0.3, axis="y")
    figure.autofmt_xdate()
    try:
        with matplotlib.rc_context({"svg.fonttype": "none"}):  # SVG text stays text
            figure.savefig(path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write chart: {exc.strerror}") from None
    finally:
        plt.close(figure)
