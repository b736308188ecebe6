"""Extraction on real pages: body P/R/F1, title/author/date accuracy and speed of each candidate
extractor alone and of narrascope, in one run on one part of the development set.

The pages are `../shared/data/trafilatura-eval` (read from there, never copied); the part is fixed
by `narrascope.extract.devset.part_of` (narrascope's learned pieces are fitted on `fit`, so the
honest figures are on `held-back`). Each extractor runs over the pages in `--workers` processes,
each warmed up first on one page and on dateparser's locale tables (htmldate's fallback parser
builds them on the first date only it reads: 2.8 s of CPU once per process, which a long-running
worker pays once); pages/s is wall time, pages per CPU-second is the workers' own CPU time,
which a shared machine disturbs less. "narrascope" is extraction alone (`extract.extract`: body,
title, authors, date, scored on the text the heads read); "narrascope (Document)" adds language
identification and sentence splitting (`extract_document`), what `analyze --components none` does.
Two more rows bound what combining the extractors could reach (`devset.best_choice`: a body chunk
found when one of them found it, furniture leaked only when all leaked it, a title, author or date
right when one got it right): among the others, and among all with narrascope.
Extractors whose library is not installed are skipped and named (`pip install readability-lxml goose3
newspaper4k justext rs-trafilatura`, one at a time; not an extra of the project: pip's resolver fails
on newspaper4k's and trafilatura's two spellings of lxml's html-clean extra). rs-trafilatura publishes
wheels for CPython 3.12 only, so the published run is made in a Python 3.12 environment with
narrascope installed in it (`python3.12 -m venv`, `pip install -e .`, then the extractors); the
machine line of the table names the Python.

    python benchmarks/bench_extraction.py [--data ../shared/data] [--part held-back] [--workers 2]
        [--only narrascope trafilatura] [--json results/benchmarks/extraction-held-back.json]
    python benchmarks/bench_extraction.py --table results/benchmarks/extraction-held-back.json --docs docs/extraction.md
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from narrascope.errors import NarrascopeError
from narrascope.extract import devset, extract, extract_document
from narrascope.extract.devset import Output, Page
from narrascope.extract.normalize import compose_text, one_line
from narrascope.ingest import RawDocument
from narrascope.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
# newspaper4k's tldextract fetches the public suffix list from the web on its first URL (and hangs
# where there is no network); with no list URLs it reads the snapshot it ships instead
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
TRAFILATURA_OPTIONS = dict(
    with_metadata=True, include_comments=False, include_tables=False, include_images=False, include_links=False,
    date_extraction_params={"extensive_search": True, "original_date": True},
)


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.replace(" and ", ";").replace(",", ";").split(";") if part.strip()]
    return [str(name) for name in value or []]


def _trafilatura(**options: object) -> Callable[[str, str], Output]:
    def run(html: str, url: str) -> Output:
        import trafilatura

        result = trafilatura.bare_extraction(html, url=url, **TRAFILATURA_OPTIONS, **options)
        if result is None:
            return Output()
        return Output(text=result.text or "", title=result.title, authors=_names(result.author), date=result.date)

    return run


def _resiliparse(html: str, url: str) -> Output:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return Output(text=extract_plain_text(HTMLTree.parse(html), main_content=True))


def _readability(html: str, url: str) -> Output:
    import lxml.html
    from readability import Document

    document = Document(html)
    summary = document.summary(html_partial=True)
    text = "\n".join(lxml.html.fromstring(summary).itertext()) if summary.strip() else ""
    return Output(text=text, title=document.short_title())


_GOOSE = []


def _goose3(html: str, url: str) -> Output:
    from goose3 import Goose

    if not _GOOSE:
        _GOOSE.append(Goose({"enable_image_fetching": False}))
    article = _GOOSE[0].extract(raw_html=html)
    published = article.publish_date
    return Output(text=article.cleaned_text or "", title=article.title, authors=_names(article.authors),
                  date=str(published) if published else None)


def _newspaper4k(html: str, url: str) -> Output:
    import newspaper

    article = newspaper.Article(url or "https://example.org/", fetch_images=False)  # it would download them
    article.download(input_html=html)
    article.parse()
    published = article.publish_date
    return Output(text=article.text or "", title=article.title, authors=_names(article.authors),
                  date=published.isoformat() if published else None)


def _rs_trafilatura(html: str, url: str) -> Output:
    import rs_trafilatura

    result = rs_trafilatura.extract(html, url=url or None, include_tables=False)
    return Output(text=result.main_content or "", title=result.title, authors=_names(result.author), date=result.date)


def _justext(html: str, url: str) -> Output:
    import justext
    from babel import Locale
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    from narrascope.extract.language import detect_language

    # jusText tells text from boilerplate by the density of the language's stop words: the page's
    # language is identified on its visible text, as narrascope identifies it, and named in English
    code = detect_language(extract_plain_text(HTMLTree.parse(html))[:3000]).code
    language = Locale("en").languages.get(code or "", "")
    stoplist = justext.get_stoplist(language) if language in justext.get_stoplists() else frozenset()
    paragraphs = justext.justext(html.encode("utf-8"), stoplist, encoding="utf-8")
    return Output(text="\n".join(p.text for p in paragraphs if not p.is_boilerplate))


def _htmldate(html: str, url: str) -> Output:
    from htmldate import find_date

    return Output(date=find_date(html, url=url, extensive_search=True, original_date=True))


def _narrascope(html: str, url: str) -> Output:
    try:
        found = extract(RawDocument(source=url, content=html, kind="html", url=url), Settings())
    except NarrascopeError:
        return Output()
    title = one_line(found.title or "") or None
    return Output(text=compose_text(found.title, found.text), title=title, authors=found.authors, date=found.published)


def _narrascope_document(html: str, url: str) -> Output:
    try:
        document = extract_document(RawDocument(source=url, content=html, kind="html", url=url), Settings())
    except NarrascopeError:
        return Output()
    return Output(text=document.text, title=document.title, authors=document.authors, date=document.published)


EXTRACTORS: dict[str, tuple[str, Callable[[str, str], Output]]] = {
    # name: (module it needs, run)
    "trafilatura": ("trafilatura", _trafilatura(fast=True)),
    "trafilatura (fallbacks)": ("trafilatura", _trafilatura()),
    "trafilatura (favor_recall)": ("trafilatura", _trafilatura(fast=True, favor_recall=True)),
    "trafilatura (favor_precision)": ("trafilatura", _trafilatura(fast=True, favor_precision=True)),
    "resiliparse": ("resiliparse", _resiliparse),
    "readability-lxml": ("readability", _readability),
    "rs-trafilatura": ("rs_trafilatura", _rs_trafilatura),
    "justext": ("justext", _justext),
    "goose3": ("goose3", _goose3),
    "newspaper4k": ("newspaper", _newspaper4k),
    "htmldate (date only)": ("htmldate", _htmldate),
    "narrascope": ("narrascope", _narrascope),
    "narrascope (Document)": ("narrascope", _narrascope_document),
}

_RUN: Callable[[str, str], Output] | None = None


def _start_worker(name: str, warm_up: tuple[str, str]) -> None:
    global _RUN
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)  # the extractors log every odd page
    _RUN = EXTRACTORS[name][1]
    _RUN(*warm_up)
    if _installed("htmldate"):
        from htmldate.extractors import get_external_parser

        get_external_parser().get_date_data("3 March 2024")


def _run_page(page: tuple[str, str, str]) -> tuple[str, Output, float, str | None]:
    page_id, html, url = page
    started = time.process_time()
    try:
        output, error = _RUN(html, url), None
    except Exception as exc:  # a library failing on one page is a miss, not the end of the run
        output, error = Output(), f"{type(exc).__name__}: {exc}"[:200]
    return page_id, output, time.process_time() - started, error


def bench(name: str, pages: list[Page], workers: int) -> tuple[dict[str, object], dict[str, Output]]:
    jobs = [(page.id, page.html, page.url) for page in pages]
    context = multiprocessing.get_context("spawn")  # clean workers: no state shared with this process
    with context.Pool(workers, initializer=_start_worker, initargs=(name, (pages[0].html, pages[0].url))) as pool:
        started = time.perf_counter()
        results = pool.map(_run_page, jobs, chunksize=4)
        wall = time.perf_counter() - started
    outputs = {page_id: output for page_id, output, _, _ in results}
    cpu = sum(seconds for _, _, seconds, _ in results)
    errors = [f"{page_id}: {error}" for page_id, _, _, error in results if error]
    return {
        **devset.score(pages, outputs),
        "pages_per_second": round(len(pages) / wall, 1),
        "pages_per_cpu_second": round(len(pages) / cpu, 1) if cpu else None,
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "errors": len(errors),
        "first_errors": errors[:3],
    }, outputs


# Rows that bound what choosing among the extractors could reach (a perfect vote per chunk, the
# right one of their titles, authors, dates on every page): no speed, no cost, only a ceiling.
BOUND_OTHERS = "best choice among the others (bound)"
BOUND_ALL = "best choice among all (bound)"


def bounds(pages: list[Page], runs: dict[str, dict[str, Output]]) -> dict[str, dict[str, object]]:
    others = [outputs for name, outputs in runs.items() if not name.startswith("narrascope")]
    rows = {}
    if len(others) > 1:
        rows[BOUND_OTHERS] = devset.best_choice(pages, others)
    if len(runs) > 1 and len(others) < len(runs):
        rows[BOUND_ALL] = devset.best_choice(pages, list(runs.values()))
    return rows


def _installed(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


COLUMNS = [("body_precision", "body P"), ("body_recall", "body R"), ("body_f1", "body F1"), ("title", "title"),
           ("date", "date"), ("author", "author"), ("pages_per_second", "pages/s"),
           ("pages_per_cpu_second", "pages/CPU-s")]


def table(results: dict[str, object]) -> str:
    """The Markdown table of a results file (what docs/extraction.md shows)."""
    lines = [
        f"| extractor | {' | '.join(label for _, label in COLUMNS)} |",
        f"|---|{'---:|' * len(COLUMNS)}",
    ]
    for name, row in results["extractors"].items():
        cells = [("" if row.get(key) is None else f"{row[key]:.3f}" if key not in ("pages_per_second", "pages_per_cpu_second") else f"{row[key]:.1f}")
                 for key, _ in COLUMNS]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return "\n".join(lines)


def write_docs(results_path: Path, docs_path: Path) -> None:
    """Replace the generated block of `docs_path` with the table of `results_path`."""
    results = json.loads(results_path.read_text(encoding="utf-8"))
    start, end = "<!-- bench_extraction:start -->", "<!-- bench_extraction:end -->"
    document = docs_path.read_text(encoding="utf-8")
    head, _, rest = document.partition(start)
    _, _, tail = rest.partition(end)
    run = results["run"]
    block = (
        f"{start}\n<!-- generated by `python benchmarks/bench_extraction.py --table {results_path.relative_to(ROOT)}`; "
        f"do not edit by hand -->\n\n"
        f"Part `{run['part']}` ({run['pages']} pages), {run['workers']} worker processes, {run['date']}, "
        f"{run['machine']}.\n\n{table(results)}\n{end}"
    )
    docs_path.write_text(head + block + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--part", choices=["held-back", "fit", "all"], default="held-back")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="at most this many pages (0: all)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help=f"some of: {', '.join(EXTRACTORS)}")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--table", type=Path, metavar="RESULTS", help="print (or with --docs, write) the table of a results file")
    parser.add_argument("--docs", type=Path, help="with --table: the Markdown file whose generated block to replace")
    args = parser.parse_args(argv)
    if args.table:
        if args.docs:
            write_docs(args.table.resolve(), args.docs)
        else:
            print(table(json.loads(args.table.read_text(encoding="utf-8"))))
        return 0
    unknown = set(args.only or []) - set(EXTRACTORS)
    if unknown:
        parser.error(f"unknown extractor(s): {', '.join(sorted(unknown))}")
    pages = devset.load(args.data, None if args.part == "all" else args.part)
    pages = pages[: args.limit] if args.limit else pages
    results: dict[str, object] = {
        "run": {"part": args.part, "pages": len(pages), "workers": args.workers, "date": time.strftime("%Y-%m-%d"),
                "machine": f"{platform.machine()}, {multiprocessing.cpu_count()} cores, Python {platform.python_version()}"},
        "extractors": {},
        "skipped": {},
    }
    runs: dict[str, dict[str, Output]] = {}
    for name in args.only or EXTRACTORS:
        module = EXTRACTORS[name][0]
        if not _installed(module):
            results["skipped"][name] = f"{module} is not installed"
            print(f"{name}: skipped ({module} is not installed)", file=sys.stderr)
            continue
        row, runs[name] = bench(name, pages, args.workers)
        results["extractors"][name] = row
        print(f"{name:30} F1 {row['body_f1']:.3f}  title {row['title']:.3f}  date {row['date']:.3f}  "
              f"author {row['author']:.3f}  {row['pages_per_second']} pages/s, {row['pages_per_cpu_second']} per CPU-s",
              file=sys.stderr, flush=True)
    results["extractors"].update(bounds(pages, runs))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
