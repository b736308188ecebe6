"""`narrascope report-results [RESULTS_DIR] [-o FILE] [--readme FILE] [--validation-data DIR] [--update-cards]`:
regenerate docs/results.md and the README's results summary from the results JSON files,
docs/validation.md from the training data, and the shift-aware section of the shipped cards."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._help import add_command


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "report-results",
        help="build docs/results.md from results/*.json",
        description="Regenerate docs/results.md and the README's results table from the results JSON files "
        "`narrascope evaluate --results-out` writes (tables in docs are never typed by hand), and with "
        "--validation-data also docs/validation.md from the training data.",
        examples=[
            ("after an evaluation run", "narrascope report-results"),
            ("also the validation split's description",
             "narrascope report-results --validation-data ../shared/data"),
            ("also state the gaps in the shipped cards", "narrascope report-results --update-cards"),
        ],
    )
    parser.add_argument("results", nargs="?", type=Path, default=Path("results"), help="folder of results JSON")
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/results.md"))
    parser.add_argument("--readme", type=Path, default=Path("README.md"), help="README whose results markers to fill")
    parser.add_argument(
        "--validation-data", type=Path, metavar="DIR", help="data root: also regenerate docs/validation.md from it"
    )
    parser.add_argument("--validation-output", type=Path, default=Path("docs/validation.md"))
    parser.add_argument(
        "--update-cards",
        action="store_true",
        help="also write each shipped head's shift-aware estimates and their gap to validation into its card",
    )
    parser.add_argument(
        "--allow-stale", action="store_true", help="render results made from other artifacts than the shipped ones"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..evaluate.report import load_results, results_markdown, stale, update_readme, validation_markdown

    results = load_results(args.results)
    if not results:
        raise InputError(f"{args.results}: no results JSON files")
    outdated = stale(results)
    if outdated and not args.allow_stale:
        raise InputError(
            "results made from other artifacts than the shipped ones (re-run `narrascope evaluate` for them, "
            "or pass --allow-stale): " + ", ".join(outdated)
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(results_markdown(results), encoding="utf-8")
    print(f"wrote {args.output} from {len(results)} results files")
    if args.update_cards:
        from ..evaluate.gaps import gaps, update_cards

        written = update_cards(gaps(results))
        print(f"wrote the shift-aware estimates into the cards of: {', '.join(written) or 'none'}")
    if update_readme(args.readme, results):
        print(f"updated the results summary in {args.readme}")
    if args.validation_data:
        if not args.validation_data.is_dir():
            raise InputError(f"{args.validation_data}: no such data folder")
        args.validation_output.write_text(validation_markdown(args.validation_data), encoding="utf-8")
        print(f"wrote {args.validation_output}")
    return 0
