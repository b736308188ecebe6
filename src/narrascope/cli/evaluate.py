"""`narrascope evaluate`: score a predictor on a shared-task split, or a prediction file alone.

    narrascope evaluate --task T --data DIR [--split S] [--lang L ...] [--predictor P]
                        [--predictions-out DIR] [--results-out FILE] [--train-data DIR]
    narrascope evaluate --task T --gold FILE --predictions FILE [--results-out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from ._help import add_command

TASK_NAMES = ("genre", "frames", "techniques", "spans", "narratives", "roles", "explanations", "claims")


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "evaluate",
        help="score a predictor on a shared-task split (official metrics, per language)",
        description="Score the model or a floor (majority, random) on a shared-task dataset in its "
        "official layout, or score an official prediction file against a gold file. On a terminal, a bar "
        "shows the documents done out of the split's total, per language, with the time left.",
        examples=[
            ("the frames model on the fixed validation split",
             "narrascope evaluate --task frames --data ../shared/data/semeval2023-task3 --predictor model"),
            ("the majority floor, saving results",
             "narrascope evaluate --task genre --data ../shared/data/semeval2023-task3 --predictor majority "
             "--results-out results/genre-majority.json"),
            ("an official prediction file",
             "narrascope evaluate --task frames --gold gold/en.txt --predictions predictions/en.txt"),
        ],
    )
    parser.add_argument("--task", required=True, choices=TASK_NAMES)
    parser.add_argument("--data", type=Path, help="dataset root in its official layout")
    parser.add_argument(
        "--split",
        default="validation",
        help="train, dev, test, or the fixed parts of train: fit, validation (default); "
        "CheckThat also takes dev-test; 'cross-language' scores each language with heads trained "
        "on the other languages (shift-aware); for SemEval-2025, 'cross-source' scores each source "
        "(file-name prefix) with heads trained on the other sources; for CheckThat, 'cross-debate' "
        "scores each block of debates with heads trained on the others",
    )
    parser.add_argument("--lang", nargs="+", metavar="L", help="the dataset's own language codes (default: all)")
    parser.add_argument("--predictor", default="model", choices=("model", "majority", "random"))
    parser.add_argument(
        "--recipe", metavar="NAME", help="score an earlier training recipe of the model (refitted here), e.g. for before/after tables"
    )
    parser.add_argument(
        "--label-shift",
        nargs="?",
        const="estimated",
        choices=("estimated", "known"),
        help="genre model: decide each language's documents at the genre mix EM estimates for them "
        "('estimated', the default; label-shift correction, measured against the plain decisions), or at their "
        "true mix ('known': what --genre-mix gives a user who knows their collection's mix)",
    )
    parser.add_argument("--predictions-out", type=Path, metavar="DIR", help="write DIR/<lang>.txt in the official format")
    parser.add_argument("--results-out", type=Path, metavar="FILE", help="write the results as JSON")
    parser.add_argument("--train-data", type=Path, metavar="DIR", help="training root for the floors (default: --data)")
    parser.add_argument("--gold", type=Path, metavar="FILE", help="gold file in the official format")
    parser.add_argument("--predictions", type=Path, metavar="FILE", help="prediction file to score against --gold")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import ComponentUnavailable, InputError
    from ..evaluate.runner import evaluate, score_files

    if args.gold or args.predictions:
        if not (args.gold and args.predictions):
            raise InputError("--gold and --predictions go together")
        results = score_files(args.task, args.gold, args.predictions)
    else:
        if args.data is None:
            raise InputError("--data DIR is required (or --gold FILE --predictions FILE)")
        if not args.data.is_dir():
            raise InputError(f"{args.data}: no such dataset folder")
        try:
            with LanguageProgress(args.task) as progress:
                results = evaluate(
                    args.task, args.data, args.split, args.lang, args.predictor, args.predictions_out,
                    args.train_data, args.recipe, progress=progress.report, label_shift=args.label_shift,
                )
        except ComponentUnavailable as exc:
            print(f"narrascope: {args.task}: model unavailable: {exc}", file=sys.stderr)
            return 1
    print_results(results)
    if args.predictions_out and not args.gold:
        print(f"predictions written to {args.predictions_out}/<lang>.txt")
    if args.results_out:
        args.results_out.parent.mkdir(parents=True, exist_ok=True)
        args.results_out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


class LanguageProgress:
    """A bar over every document of the split, naming the language in hand; a line per language
    done stays on screen. Shown only when standard error is a terminal."""

    def __init__(self, task: str) -> None:
        from rich.console import Console

        from ._progress import progress_bar

        console = Console(stderr=True)
        self.task = task
        self.bar = progress_bar(console, enabled=console.is_terminal)
        self.overall = self.bar.add_task(f"{task}: reading the dataset", total=None)
        self.language: str | None = None
        self.before = 0  # documents of the languages already done
        self.started = time.monotonic()

    def __enter__(self) -> "LanguageProgress":
        self.bar.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.bar.__exit__(*exc_info)

    def report(self, sizes: Mapping[str, int], language: str, done: int) -> None:
        if language != self.language:
            if self.language is not None:
                self._finished(sizes)
            self.language, self.started = language, time.monotonic()
        order = list(sizes)
        where = f"{self.task}: {language} ({order.index(language) + 1}/{len(order)} languages), {done}/{sizes[language]}"
        self.bar.update(self.overall, total=sum(sizes.values()), completed=self.before + done, description=where)
        if done == sizes[language] and language == order[-1]:
            self._finished(sizes)
            self.language = None

    def _finished(self, sizes: Mapping[str, int]) -> None:
        assert self.language is not None
        self.before += sizes[self.language]
        elapsed = time.monotonic() - self.started
        if not self.bar.disable:  # logs and pipes stay quiet
            done = f"{self.task}: {self.language} done, {sizes[self.language]} documents in {elapsed:.0f} s"
            self.bar.console.print(done, markup=False, highlight=False)


def print_results(results: dict) -> None:
    """A per-language table of the metrics with an average row (rich)."""
    from rich.console import Console
    from rich.table import Table

    from ..evaluate.report import metric_order

    console = Console()
    languages = results["languages"]
    title = f"{results['task']} — {results.get('predictor', 'file')} on {results.get('split', 'file')}"
    if not languages:
        console.print(f"{title}: no gold labels in this split, nothing scored")
        return
    keys = metric_order(results)
    table = Table(title=title)
    table.add_column("language")
    for key in keys:
        table.add_column(key, justify="right", no_wrap=True)
    for language, values in languages.items():
        table.add_row(language, *(cell(values.get(key)) for key in keys))
    if len(languages) > 1:
        table.add_row("average", *(cell(results["average"].get(key)) for key in keys), style="bold")
    width = 16 + sum(max(len(key), 6) + 3 for key in keys)
    Console(width=max(console.width, width)).print(table)
    for note in results.get("notes", []):
        console.print(f"note: {note}")


def cell(value) -> str:
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else f"{value:.3f}"
