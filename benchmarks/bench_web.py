"""Web app speed: how fast the article view loads in Chromium for a 1,000-word article, and how
many `POST /api/analyze` requests per second the server answers on this machine.

The server is uvicorn on 127.0.0.1 with a temporary SQLite store. The article is the web tests'
hand-written opinion column repeated to ~1,000 words, its highlights (techniques, entity
mentions, evidence anchors) repeated with it. Page load is the browser's Navigation Timing
(`loadEventEnd`, `domContentLoadedEventEnd`), median of `--loads` cold-cache loads. Throughput
is a bounded loop: `--requests` analyses of short distinct articles from `--clients` threads.

    python benchmarks/bench_web.py [--components all|none|genre,techniques] [--requests 40] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn

from narrascope.components import DEFAULT_COMPONENTS
from narrascope.model import Analysis, Document
from narrascope.store import open_store
from narrascope.web import WebConfig, create_app

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "web" / "opinion-analysis.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def long_article(words: int = 1000) -> Analysis:
    """The fixture analysis repeated until its text has `words` words, every span shifted along."""
    base = Analysis.from_json(FIXTURE.read_text(encoding="utf-8"))
    copies = -(-words // len(base.document.text.split()))
    data = base.to_dict()
    text, paragraphs, spans, mentions, claims = [], [], [], [], []
    offset = 0
    for copy in range(copies):
        shift = lambda item: {**item, "start": item["start"] + offset, "end": item["end"] + offset}  # noqa: E731
        paragraphs += [shift(p) for p in data["document"]["paragraphs"]]
        paragraph_shift = copy * len(data["document"]["paragraphs"])
        spans += [
            shift(s) | {"paragraph": s["paragraph"] + paragraph_shift} for s in data["results"]["techniques"]["spans"]
        ]
        mentions.append([[shift(m) for m in e["mentions"]] for e in data["results"]["entities"]["entities"]])
        claims += [shift(c) | {"rank": len(claims) + i + 1} for i, c in enumerate(data["results"]["claims"]["claims"])]
        text.append(base.document.text)
        offset += len(base.document.text) + 1
    full = "\n".join(text)
    data["document"] |= {
        "text": full, "id": Document.content_id(full), "paragraphs": paragraphs, "title": "A 1,000-word column"
    }
    data["results"]["techniques"]["spans"] = spans
    for index, entity in enumerate(data["results"]["entities"]["entities"]):
        entity["mentions"] = [m for copy in mentions for m in copy[index]]
    data["results"]["claims"]["claims"] = claims
    return Analysis.from_json(data)


def serve(store_url: str, components: tuple[str, ...]) -> tuple[uvicorn.Server, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(WebConfig(store_url=store_url, components=components, workers=2))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def page_load(base: str, document_id: str, loads: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    load, ready = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for _ in range(loads):
            context = browser.new_context()  # a fresh cache each time: the first visit's cost
            page = context.new_page()
            page.goto(f"{base}/documents/{document_id}", wait_until="load")
            timing = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
            entry = json.loads(timing)
            load.append(entry["loadEventEnd"])
            ready.append(entry["domContentLoadedEventEnd"])
            marks = page.locator("mark.hl").count()
            context.close()
        browser.close()
    return {"load_ms_median": statistics.median(load), "dom_ready_ms_median": statistics.median(ready), "marks": marks}


def analyze_throughput(base: str, requests: int, clients: int) -> dict[str, float]:
    article = (
        "The council approved the budget on Tuesday after a long and bitter debate. Critics called the plan "
        "reckless and a betrayal of voters, while supporters said it protects essential services. "
    )
    with httpx.Client(base_url=base, timeout=300) as client:
        warm = client.post("/api/analyze", json={"text": article + "Warm-up."})  # loads the models once
        warm.raise_for_status()

        def one(index: int) -> float:
            started = time.perf_counter()
            response = client.post("/api/analyze", json={"text": f"{article}Request number {index}."})
            response.raise_for_status()
            return time.perf_counter() - started

        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            latencies = list(pool.map(one, range(requests)))
        elapsed = time.perf_counter() - started
    return {
        "requests": requests,
        "clients": clients,
        "requests_per_s": requests / elapsed,
        "latency_ms_median": 1000 * statistics.median(latencies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", default="all", help="all, none, or a comma-separated list")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--loads", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    named = {"all": DEFAULT_COMPONENTS, "none": ()}
    components = named[args.components] if args.components in named else tuple(args.components.split(","))

    with tempfile.TemporaryDirectory() as scratch:
        store_url = f"sqlite:///{Path(scratch) / 'bench.db'}"
        article = long_article()
        with open_store(store_url) as store:
            store.save(article)
        server, base = serve(store_url, components)
        try:
            results = {
                "cpus": os.cpu_count(),
                "article_words": len(article.document.text.split()),
                "article_view": page_load(base, article.document.id, args.loads),
                "analyze": analyze_throughput(base, args.requests, args.clients) | {"components": list(components)},
            }
        finally:
            server.should_exit = True
    view, analyze = results["article_view"], results["analyze"]
    print(f"article view, {results['article_words']} words, {view['marks']} highlights: "
          f"load {view['load_ms_median']:.0f} ms, DOM ready {view['dom_ready_ms_median']:.0f} ms (median of {args.loads})")
    print(f"POST /api/analyze ({', '.join(analyze['components']) or 'no components'}): "
          f"{analyze['requests_per_s']:.1f} requests/s, median latency {analyze['latency_ms_median']:.0f} ms "
          f"({analyze['requests']} requests, {analyze['clients']} clients, {results['cpus']} CPUs)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
