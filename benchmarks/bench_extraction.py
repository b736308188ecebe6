"""Extraction throughput: pages per second through `extract` + `build_document`, one process.

Pages are built at run time by wrapping the SemEval-2023 test articles (read from
../shared/data, never copied into the repository) in a news-site template full of furniture,
plus the bundled sample. Also times one end-to-end `narrascope.analyze` of a ~1,000-word page.

    python benchmarks/bench_extraction.py [--data ../shared/data] [--limit 200] [--json out.json]
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import time
from pathlib import Path

from narrascope import analyze
from narrascope.errors import NarrascopeError
from narrascope.extract import build_document, extract
from narrascope.ingest import RawDocument
from narrascope.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "opinion-column.html"

TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} | The Benchmark Herald</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="The Benchmark Herald">
<meta name="author" content="Alex Example"><meta property="article:published_time" content="2024-11-02T08:00:00Z">
<style>body{{font-family:serif}} .nav li{{display:inline}}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script></head>
<body><div class="cookies"><p>We use cookies to improve your experience. By continuing you accept our use of cookies.</p></div>
<header><ul class="lang"><li>EN</li><li>FR</li><li>RU</li></ul>
<nav class="nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/opinion">Opinion</a></li>
<li><a href="/economy">Economy</a></li></ul></nav>
<div class="follow">Follow us on <a>Facebook</a> <a>Twitter</a> <a>Telegram</a></div></header>
<main><article><h1>{title}</h1><p class="byline">By Alex Example | 2 Nov 2024</p>
<div class="share">Share: <a>Facebook</a> <a>Twitter</a> <a>Email</a></div>
<div class="body">{first}<aside class="newsletter"><h3>Subscribe to our newsletter</h3>
<input type="email" placeholder="Your email address"></aside>{rest}</div>
<p class="bio">Alex Example is a columnist who writes about politics for The Benchmark Herald.</p></article>
<section class="related"><h2>More on this topic</h2><ul><li><a href="/a">What the summit means for Europe</a></li>
<li><a href="/b">Five charts that explain the energy crisis</a></li></ul></section></main>
<footer><nav><a>About us</a> | <a>Contact</a> | <a>Privacy</a> | <a>Terms</a></nav>
<p>© 2024 The Benchmark Herald. All rights reserved.</p></footer></body></html>
"""


def wrap(article: str, lang: str) -> str:
    """An article file (title on line 1, paragraphs as lines) as a furnished news page."""
    lines = [line.strip() for line in article.splitlines() if line.strip()]
    title, paragraphs = lines[0], [f"<p>{html.escape(p)}</p>" for p in lines[1:]]
    half = max(1, len(paragraphs) // 2)
    return TEMPLATE.format(
        lang=lang, title=html.escape(title), first="".join(paragraphs[:half]), rest="".join(paragraphs[half:])
    )


def build_pages(data: Path, limit: int) -> list[tuple[str, str]]:
    pages = [(str(SAMPLE), SAMPLE.read_text(encoding="utf-8"))]
    for folder in sorted((data / "semeval2023-task3").glob("*/test-articles-subtask-3")):
        lang = folder.parent.name
        for path in sorted(folder.glob("*.txt")):
            pages.append((str(path), wrap(path.read_text(encoding="utf-8"), lang)))
    return pages[:limit] if limit else pages


def bench_extraction(pages: list[tuple[str, str]], settings: Settings) -> dict[str, float]:
    def run(source: str, content: str) -> int:
        raw = RawDocument(source=source, content=content, kind="html")
        return len(build_document(extract(raw, settings), raw).text)

    started = time.perf_counter()
    run(*pages[0])  # first page pays for imports and lingua's model loading
    warmup = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    characters = sum(run(source, content) for source, content in pages)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "pages": len(pages),
        "seconds": round(elapsed, 3),
        "pages_per_second": round(len(pages) / elapsed, 1),
        # on a shared machine wall time depends on the neighbours; CPU time does not
        "pages_per_cpu_second": round(len(pages) / cpu, 1),
        "chars_per_second": round(characters / elapsed),
        "first_page_seconds": round(warmup, 3),
    }


def bench_analyze(pages: list[tuple[str, str]]) -> dict[str, object]:
    """Time `analyze` on the page whose article is closest to 1,000 words."""
    source, content = min(pages, key=lambda page: abs(len(page[1].split()) - 1000 - 150))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.html"
        path.write_text(content, encoding="utf-8")
        started = time.perf_counter()
        try:
            analysis = analyze(str(path))
            outcome = f"ok ({len(analysis.document.text.split())} words, warnings: {len(analysis.warnings)})"
        except NarrascopeError as exc:
            outcome = f"failed: {exc}"
        return {"source": source, "seconds": round(time.perf_counter() - started, 2), "outcome": outcome}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=0, help="at most this many pages (0: all)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--skip-analyze", action="store_true", help="extraction only")
    args = parser.parse_args(argv)
    if not (args.data / "semeval2023-task3").is_dir():
        parser.error(f"{args.data}: no semeval2023-task3 folder (use --data)")
    pages = build_pages(args.data, args.limit)
    results: dict[str, object] = {"extraction": bench_extraction(pages, Settings())}
    if not args.skip_analyze:
        results["analyze"] = bench_analyze(pages)
    extraction = results["extraction"]
    print(f"{'measure':<34}{'value':>12}")
    print(f"{'pages (extract + build_document)':<34}{extraction['pages']:>12}")
    print(f"{'pages/s':<34}{extraction['pages_per_second']:>12}")
    print(f"{'pages per CPU second':<34}{extraction['pages_per_cpu_second']:>12}")
    print(f"{'characters/s':<34}{extraction['chars_per_second']:>12}")
    print(f"{'first page, with warm-up (s)':<34}{extraction['first_page_seconds']:>12}")
    if "analyze" in results:
        print(f"{'analyze ~1,000-word page (s)':<34}{results['analyze']['seconds']:>12}  {results['analyze']['outcome']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
