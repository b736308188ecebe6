"""`narrascope analyze SOURCE...`: analyse articles; summarise them in the terminal or write
JSON, JSON Lines and/or a standalone HTML report, keeping every analysis in the store.

A thin shell over `narrascope.core.analyze_many`: whatever one input does (unreadable, any
error, over the time or memory limit, a crash), it is reported (one line naming it) and the rest
go on; what is not read on purpose (archives, other file types, links out of a folder) is reported
as skipped; the exit code is 1 when anything failed. The closing counts always add up to the
inputs, also when the run is interrupted. Every analysis is kept in the store the other commands
read (`--store`, default `NARRASCOPE_STORE_URL` or the user data folder; `--no-store` keeps
nothing), so runs resume: documents already stored are not analysed again (unless `--force`), and
their stored analyses still go to the requested outputs, each with its own input's source and id;
an unchanged input that went over a limit or crashed is not tried again.
"""

from __future__ import annotations

import argparse
import threading
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..components import DEFAULT_COMPONENTS
from ..core import analyze_many
from ..errors import InputError, NarrascopeError, StoreError
from ..ingest import INPUT_FORMATS, Failure, RawDocument, Skipped
from ..model import Analysis, Document
from ..report import print_analysis, render_html
from ..settings import FEED_ENTRY_MODES, Settings
from ._help import add_command
from ._outputs import STDOUT, check_writable, open_output, write_output
from ._progress import progress_bar
from .store import genre_mix_argument, non_negative_seconds, positive_int

if TYPE_CHECKING:
    from ..store import FailureRecord, Store

LISTED_SKIPS = 10  # more skipped inputs than this are summed up by reason
COSTLY_KINDS = ("timeout", "memory", "crash")  # failures a re-run does not pay for again while the input is unchanged


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
        "--genre-mix",
        metavar="MIX",
        type=genre_mix_argument,
        help="the genre mix of your collection when you know it, e.g. reporting=0.7,opinion=0.25,satire=0.05: "
        "each genre is then decided at that mix instead of the training articles' (mostly opinion); "
        "recorded as results.genre.mix. Documents the store already holds keep their genre (--force redoes them)",
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
    parser.add_argument(
        "--document-timeout",
        metavar="SECONDS",
        type=non_negative_seconds,
        help="stop reading and analysing one document after this long and record it as failed; "
        "0 for no limit (default: 120, or NARRASCOPE_DOCUMENT_TIMEOUT)",
    )
    parser.add_argument(
        "--workers",
        metavar="N",
        type=positive_int,
        help="analysis processes a batch runs side by side, sharing the cores (default: one per core, "
        "up to 4, or NARRASCOPE_BATCH_WORKERS); each holds its own models, ~0.6 GB",
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


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env(
        allow_private_addresses=args.allow_private_urls or None,
        max_input_bytes=args.max_bytes,
        fetch_feed_entries=args.fetch_feed_entries,
        document_timeout=args.document_timeout,
        batch_workers=args.workers,
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
            batch.jsonl = resources.enter_context(open_output(args.jsonl))
        if not args.no_store:
            from ..store import open_store  # SQLAlchemy and Alembic load only when asked for

            batch.store = resources.enter_context(open_store(args.store))
            batch.remember_costly_failures()
        resuming = batch.store is not None and not args.force
        try:
            for analysis in analyze_many(
                args.sources,
                input_format=args.input_format,
                components=args.components,
                settings=settings,
                on_failure=batch.failed,
                on_skipped=batch.passed,
                skip=batch.skip if resuming else None,
                known_failure=batch.known_failure if resuming else None,
                taxonomies=taxonomies,
                documents=batch.store.get_document if batch.store else None,
                genre_mix=args.genre_mix,
            ):
                batch.emit(analysis)
        except BaseException:  # interrupted, or the store or an output failed: say what was done
            batch.report(stopped=True)
            raise
    return batch.finish()


def _check_arguments(args: argparse.Namespace, settings: Settings) -> None:
    """Every refusal that needs no analysis, before any: hours of work must not end in a usage error."""
    if [args.json, args.jsonl].count(STDOUT) > 1:
        raise NarrascopeError("only one of --json and --jsonl can write to stdout (-)")
    if args.no_store and (args.store or args.force):
        raise NarrascopeError(f"--no-store keeps nothing; it cannot go with {'--store' if args.store else '--force'}")
    for path in (args.json, args.html, args.jsonl):
        if path and str(path) != STDOUT:
            check_writable(Path(path))
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
        self.analysed = self.skipped = 0  # skipped: already in the store
        self.last_id: str | None = None  # of the document delivered last
        self.fingerprints: set[str] = set()  # taxonomy files a stored analysis must have been scored with
        self.not_read: list[Skipped] = []  # skipped on purpose: archives, other file types, links
        self.failures: list[Failure] = []
        self.costly: dict[str, FailureRecord] = {}  # source -> its stored over-limit or crash failure (see known_failure)
        self.repeated = 0  # failures known from an earlier run, not tried again
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

    def remember_costly_failures(self) -> None:
        assert self.store is not None
        self.costly = {record.source: record for record in self.store.failures(kinds=COSTLY_KINDS) if record.input_hash}

    def known_failure(self, raw: RawDocument) -> Failure | None:
        """An input that went over a limit or crashed before, unchanged since: its failure again, not retried."""
        record = self.costly.get(raw.source)
        if record is None or record.input_hash != raw.fingerprint():
            return None
        self.repeated += 1
        note = f" (on {record.at.date().isoformat()}; unchanged since, not tried again: --force retries it)"
        return Failure(raw.source, record.reason + note, raw.id, record.kind, record.input_hash)  # type: ignore[arg-type]

    def skip(self, document: Document) -> bool:
        """Documents already stored are not analysed again (unless a taxonomy file given was not
        scored on them); their stored analysis is emitted, as this input gave it (its source, URL
        and id), and this source is linked to it."""
        stored = self.store.get(document.id) if self.store else None
        if stored is None or not self.fingerprints <= {c.taxonomy.fingerprint for c in stored.results.custom or []}:
            return False
        self.store.link(document)  # type: ignore[union-attr]
        self.skipped += 1
        self._deliver(stored.as_input(document.source, document.url, document.input_id))
        return True

    def passed(self, item: Skipped) -> None:
        self.not_read.append(item)
        self._advance(by=0)  # not a document: the bar's count stays, its description says it

    def failed(self, failure: Failure) -> None:
        self.failures.append(failure)
        if self.store and failure.source not in self.costly:
            self.store.record_failure(failure)
        self._advance()

    def emit(self, analysis: Analysis) -> None:
        """A new analysis: stored, then delivered to the outputs. If storing this one analysis
        fails (not the store itself), it is this input's failure and the batch goes on."""
        self._check_one_document(len(self.analyses) + 1)  # here, not in skip: analyze_many would catch it
        if self.store:
            try:
                self.store.save(analysis)
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001 - the rule: one input never stops the batch
                document = analysis.document
                self.failed(Failure.from_exception(document.source, exc, document.input_id))
                return
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

    def _advance(self, by: int = 1) -> None:
        self.seen += by
        skipped = self.skipped + len(self.not_read)
        description = f"analysed {self.analysed} · skipped {skipped} · failed {len(self.failures)}"
        total = self.progress.tasks[0].total
        grown = {"total": self.seen} if total is not None and self.seen > total else {}  # a count is an estimate
        self.progress.update(self.task, advance=by, description=description, **grown)

    def finish(self) -> int:
        """Write the collected outputs, report failures and counts; the exit code."""
        self._check_one_document(len(self.analyses))
        if self.args.json and self.analyses:
            write_output(self.args.json, self.analyses[0].to_json(indent=2) + "\n")
        if self.args.html and self.analyses:
            write_output(str(self.args.html), render_html(self.analyses))
            self._say(f"wrote the HTML report to {self.args.html}")
        if self.analysed + self.skipped + len(self.failures) == 0:
            self._report_skipped()
            sources = ", ".join(self.args.sources)
            self._say(f"narrascope: error: no documents found in {sources}")
            return 1
        self.report()
        return 1 if self.failures else 0

    def report(self, stopped: bool = False) -> None:
        """What was skipped and what failed, then the counts (analysed + skipped + failed = inputs)."""
        self.progress.stop()
        self._report_skipped()
        self._report_failures()
        inputs = self.analysed + self.skipped + len(self.not_read) + len(self.failures)
        if self.store and inputs == 1 and self.last_id and not stopped:
            if self.skipped:
                said = f"already in {self.store.url} (--force analyses it again)"
            else:
                said = f"stored in {self.store.url}"
            self._say(f"{said} as {self.last_id}: `narrascope show {self.last_id}` prints it again")
        elif inputs > 1 or stopped:
            self._say(("stopped early: " if stopped else "") + self.counts())

    def counts(self) -> str:
        """'analysed 3, skipped 5 (2 already in sqlite:///x.db, 3 not read), failed 1'."""
        why = [(f"already in {self.store.url}", self.skipped)] if self.store else []
        why += [("not read", len(self.not_read))] if self.not_read else []
        line = f"analysed {self.analysed}, "
        if why:
            detail = why[0][0] if len(why) == 1 else ", ".join(f"{count} {what}" for what, count in why)
            line += f"skipped {self.skipped + len(self.not_read)} ({detail}), "
        line += f"failed {len(self.failures)}"
        if self.repeated:
            line += f" ({self.repeated} unchanged since they went over a limit or crashed, not tried again)"
        return line

    def _say(self, line: str) -> None:
        """One plain line on stderr: never wrapped, never read as markup."""
        self.errors.print(line, markup=False, highlight=False, soft_wrap=True)

    def _report_skipped(self) -> None:
        if len(self.not_read) <= LISTED_SKIPS:
            for item in self.not_read:
                self._say(f"narrascope: skipped: {item.reason}")
            return
        reasons = Counter(item.reason.removeprefix(f"{item.source}: ") for item in self.not_read)
        first = {}
        for item in self.not_read:
            first.setdefault(item.reason.removeprefix(f"{item.source}: "), item.source)
        for reason, count in reasons.most_common():
            self._say(f"narrascope: skipped {count} input(s): {reason} (first: {first[reason]})")

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
