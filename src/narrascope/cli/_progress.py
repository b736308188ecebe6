"""Progress bars for long commands: a total and an ETA whenever the count is known, drawn on
standard error only when it is a terminal (logs and pipes get no bar frames)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


def progress_bar(console: Console, enabled: bool) -> Progress:
    """A transient bar: spinner, what is happening, bar, done/total, elapsed and time left."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        disable=not enabled,
        transient=True,
        redirect_stdout=False,  # stdout may carry JSON
        redirect_stderr=False,
    )
