"""`narrascope analyze SOURCE...`: analyse articles; summarise them in the terminal or write
JSON, JSON Lines and/or a standalone HTML report, keeping every analysis in the store.

A thin shell over `narrascope.core.analyze_many`: a source that fails is reported (one line
naming it) and the rest go on; the exit code is 1 when anything failed. Every analysis is kept in
the store the other commands read (`--store`, default `NARRASCOPE_STORE_URL` or the user data
folder; `--no-store` keeps nothing), so runs resume: documents already stored are not analysed
again (unless `--force`), and their stored analyses still go to the requested outputs.
"""

from __future__ import annotations

import argparse
import sys
import threading
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING, ContextManager

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..components import DEFAULT_COMPONENTS
from ..core import analyze_many
from ..errors import InputError, NarrascopeError
from ..ingest import INPUT_FORMATS, Failure
from ..model import Analysis, Document
from ..report import print_analysis, render_html
from ..settings import FEED_ENTRY_MODES, Settings
from ._help import add_command
from ._progress import progress_bar

if TYPE_CHECKING:
    from ..store import Store

STDOUT = "-"


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "analyze",
        help="analyse articles: genre, frames, techniques, narratives, entity roles, claims",
        description="Analyse articles and show how they persuade. Without --json/--jsonl, prints a "
        "readable summary of each document. Every analysis is kept in the store that `query`, `show`, "
        "`trends`, `export` and `serve` read (default: NARRASCOPE_STORE_URL, else a SQLite file in the "
        "user data folder); documents already there are not analysed again unless --force.",
        examples=[
            ("a web page, summarised in the terminal", "narrascope analyze https://example.org/column"),
            ("one article as JSON on stdout", "narrascope analyze page.html --json -"),
            ("a folder, a dump, a feed and an archive into a team store",
             "narrascope analyze folder/ dump.jsonl feed.xml crawl.warc.gz --store postgresql://host/news"),
            ("an HTML report, nothing stored", "narrascope analyze pasted.txt --html report.html --no-store"),
        ],
    )
    parser.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="file, folder, URL, JSONL, feed, WARC archive, or - for stdin"
    )
    parser.add_argument("--json", metavar="FILE", help="write the analysis of one document as JSON (- for stdout)")
    parser.add_argument("--jsonl", metavar="FILE", help="write one analysis per line, any number (- for stdout)")
    parser.add_argument("--html", metavar="FILE", type=Path, help="write a standalone HTML report")
    parser.add_argument("--input-format", choices=INPUT_FORMATS, help="how to read the sources (default: detected)")
    parser.add_argument(
        "--store",
        metavar="URL",
        help="keep every analysis in this store: sqlite:///PATH or postgresql://... (default: "
        "NARRASCOPE_STORE_URL, else the SQLite file in the user data folder)",
    )
    parser.add_argument("--no-store", action="store_true", help="keep nothing: analyse and print or write only")
    parser.add_argument("--force", action="store_true", help="re-analyse documents the store already holds")
    parser.add_argument(
        "--components",
        metavar="LIST",
        type=parse_components,
        default=DEFAULT_COMPONENTS,
        help=f"comma-separated components to run, or 'none' (default: {','.join(DEFAULT_COMPONENTS)})",
    )
    parser.add_argument(
        "--taxonomy",
        metavar="FILE",
        type=Path,
        action="append",
        default=[],
        help="also score your own labels from this taxonomy file (repeatable; see narrascope taxonomy check)",
    )
    parser.add_argument(
        "--allow-private-urls", action="store_true", help="allow fetching loopback, private and link-local addresses"
    )
    parser.add_argument("--max-bytes", metavar="N", type=positive_int, help="refuse inputs larger than N bytes")
    parser.add_argument(
        "--fetch-feed-entries",
        choices=FEED_ENTRY_MODES,
        help="for RSS/Atom feeds: 'auto' (default) analyses entries that carry the full text from the feed "
        "and fetches the page of those that are only a teaser; 'always' fetches every entry's page; "
        "'never' uses what the feed holds (also NARRASCOPE_FETCH_FEED_ENTRIES)",
    )
    parser.set_defaults(run=run)


def parse_components(value: str) -> tuple[str, ...]:
    if value.strip().lower() == "none":
        return ()
    names = tuple(dict.fromkeys(name.strip() for name in value.split(",") if name.strip()))
    unknown = [name for name in names if name not in DEFAULT_COMPONENTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown component {', '.join(map(repr, unknown)) or repr(value)}; "
            f"choose from {', '.join(DEFAULT_COMPONENTS)} or 'none'"
        )
    return names


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return number


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env(
        allow_private_addresses=args.allow_private_urls or None,
        max_input_bytes=args.max_bytes,
        fetch_feed_entries=args.fetch_feed_entries,
    )
    _check_arguments(args, settings)
    from ..user_taxonomy import load as load_taxonomy

    taxonomies = [load_taxonomy(path) for path in args.taxonomy]  # a bad file stops the run before any work
    with ExitStack() as resources:
        batch = Batch(args, errors=Console(stderr=True))
        batch.fingerprints = {taxonomy.fingerprint for taxonomy in taxonomies}
        resources.enter_context(batch.progress)
        batch.count_in_background(settings)
        if args.jsonl:
            batch.jsonl = resources.enter_context(_open_output(args.jsonl))
        if not args.no_store:
            from ..store import open_store  # SQLAlchemy and Alembic load only when asked for

            batch.store = resources.enter_context(open_store(args.store))
        for analysis in analyze_many(
            args.sources,
            input_format=args.input_format,
            components=args.components,
            settings=settings,
            on_failure=batch.failed,
            skip=batch.skip if batch.store and not args.force else None,
            taxonomies=taxonomies,
            documents=batch.store.get_document if batch.store else None,
        ):
            batch.emit(analysis)
    return batch.finish()


def _check_arguments(args: argparse.Namespace, settings: Settings) -> None:
    """Every refusal that needs no analysis, before any: hours of work must not end in a usage error."""
    if [args.json, args.jsonl].count(STDOUT) > 1:
        raise NarrascopeError("only one of --json and --jsonl can write to stdout (-)")
    if args.no_store and (args.store or args.force):
        raise NarrascopeError(f"--no-store keeps nothing; it cannot go with {'--store' if args.store else '--force'}")
    for path in (args.json, args.html, args.jsonl):
        if path and str(path) != STDOUT:
            _check_writable(Path(path))
    if args.json:
        if len(args.sources) > 1:
            raise InputError(f"--json writes one document, but {len(args.sources)} sources were given; use --jsonl")
        from ..ingest.counting import count_documents

        found = count_documents(args.sources, args.input_format, settings)
        if found is not None and found > 1:
            raise InputError(f"--json writes one document, but {args.sources[0]} holds {found}; use --jsonl")


class Batch:
    """What one `analyze` run has seen so far, and where each analysis goes."""

    def __init__(self, args: argparse.Namespace, errors: Console):
        self.args = args
        self.errors = errors
        self.summaries = not (args.json or args.jsonl)  # JSON outputs are for machines; --html is not
        self.out = Console()
        self.jsonl: IO[str] | None = None
        self.store: Store | None = None
        self.analyses: list[Analysis] = []  # kept for --json and --html
        self.analysed = self.skipped = 0
        self.last_id: str | None = None  # of the document delivered last
        self.fingerprints: set[str] = set()  # taxonomy files a stored analysis must have been scored with
        self.failures: list[Failure] = []
        writes_to_terminal = (self.summaries or STDOUT in (args.json, args.jsonl)) and self.out.is_terminal
        self.progress = progress_bar(errors, enabled=errors.is_terminal and not writes_to_terminal)
        self.task = self.progress.add_task("analysing", total=None)
        self.seen = 0

    def count_in_background(self, settings: Settings) -> None:
        """Count the documents while they are analysed; the bar gains its total and ETA when done."""
        if self.progress.disable:
            return
        from ..ingest.counting import count_documents

        def count() -> None:
            total = count_documents(self.args.sources, self.args.input_format, settings)
            if total is not None:
                self.progress.update(self.task, total=max(total, self.seen))

        threading.Thread(target=count, name="narrascope-count", daemon=True).start()

    def skip(self, document: Document) -> bool:
        """Documents already stored are not analysed again (unless a taxonomy file given was not
        scored on them); their stored analysis is emitted."""
        stored = self.store.get(document.id) if self.store else None
        if stored is None or not self.fingerprints <= {c.taxonomy.fingerprint for c in stored.results.custom or []}:
            return False
        self.skipped += 1
        self._deliver(stored)
        return True

    def failed(self, failure: Failure) -> None:
        self.failures.append(failure)
        if self.store:
            self.store.record_failure(failure)
        self._advance()

    def emit(self, analysis: Analysis) -> None:
        """A new analysis: stored, then delivered to the outputs."""
        self._check_one_document(len(self.analyses) + 1)  # here, not in skip: analyze_many would catch it
        if self.store:
            self.store.save(analysis)
        self.analysed += 1
        self._deliver(analysis)

    def _check_one_document(self, count: int) -> None:
        if self.args.json and count > 1:
            raise InputError("--json writes one document, but the sources hold several; use --jsonl")

    def _deliver(self, analysis: Analysis) -> None:
        self.last_id = analysis.document.id
        if self.args.json or self.args.html:
            self.analyses.append(analysis)
        if self.jsonl:
            self.jsonl.write(analysis.to_json() + "\n")
            self.jsonl.flush()
        if self.summaries:
            if self.analysed + self.skipped > 1:
                self.out.rule(style="bold")
            print_analysis(analysis, self.out)
        self._advance()

    def _advance(self) -> None:
        self.seen += 1
        description = f"analysed {self.analysed} · skipped {self.skipped} · failed {len(self.failures)}"
        total = self.progress.tasks[0].total
        grown = {"total": self.seen} if total is not None and self.seen > total else {}  # a count is an estimate
        self.progress.update(self.task, advance=1, description=description, **grown)

    def finish(self) -> int:
        """Write the collected outputs, report failures and counts; the exit code."""
        self._check_one_document(len(self.analyses))
        if self.args.json and self.analyses:
            _write(self.args.json, self.analyses[0].to_json(indent=2) + "\n")
        if self.args.html and self.analyses:
            _write(str(self.args.html), render_html(self.analyses))
            self._say(f"wrote the HTML report to {self.args.html}")
        self._report_failures()
        total = self.analysed + self.skipped + len(self.failures)
        if total == 0:
            sources = ", ".join(self.args.sources)
            self._say(f"narrascope: error: no documents found in {sources}")
            return 1
        if self.store and total == 1 and self.last_id:
            if self.skipped:
                said = f"already in {self.store.url} (--force analyses it again)"
            else:
                said = f"stored in {self.store.url}"
            self._say(f"{said} as {self.last_id}: `narrascope show {self.last_id}` prints it again")
        elif total > 1:
            skipped = f"skipped {self.skipped} (already in {self.store.url}), " if self.store else ""
            counts = f"analysed {self.analysed}, {skipped}failed {len(self.failures)}"
            self._say(counts)
        return 1 if self.failures else 0

    def _say(self, line: str) -> None:
        """One plain line on stderr: never wrapped, never read as markup."""
        self.errors.print(line, markup=False, highlight=False, soft_wrap=True)

    def _report_failures(self) -> None:
        if not self.failures:
            return
        if len(self.failures) == 1 or not self.errors.is_terminal:  # one line each, for logs and grep
            for failure in self.failures:  # a reason names its input (the ingest contract)
                self._say(f"narrascope: error: {failure.reason}")
            return
        table = Table(title=f"{len(self.failures)} inputs failed", title_justify="left")
        table.add_column("input", overflow="fold")
        table.add_column("reason", overflow="fold")
        for failure in self.failures:
            table.add_row(Text(failure.source), Text(failure.reason.removeprefix(f"{failure.source}: ")))
        self.errors.print(table)


def _open_output(name: str) -> ContextManager[IO[str]]:
    if name == STDOUT:
        return nullcontext(sys.stdout)  # never close stdout
    try:
        return open(name, "w", encoding="utf-8")
    except OSError as exc:
        raise NarrascopeError(f"{name}: cannot write ({exc.strerror})") from None


def _check_writable(path: Path) -> None:
    """Fail before hours of analysis, not after."""
    if path.is_dir():
        raise NarrascopeError(f"{path}: is a folder, not a file")
    if not path.parent.is_dir():
        raise NarrascopeError(f"{path}: no such folder {str(path.parent)!r}")


def _write(name: str, content: str) -> None:
    with _open_output(name) as stream:
        stream.write(content)
        stream.flush()
