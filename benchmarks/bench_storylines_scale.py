"""`narrascope storylines` over a synthetic store of 100,000 documents: wall time and peak memory.

The store is generated from the SemEval-2025 Task 10 sentences (read from ../shared/data, never
copied into the project; the store goes outside the repository, default /work/cache/narr/). Each
document holds 4-8 claim sentences: half drawn from 2,000 "recurring assertions" (popularity
following Zipf's law, so some are repeated by hundreds of outlets), half from the rest of the
corpus. A repeated sentence's vector gets a little noise (cosine ~0.93 to the original), as a
paraphrase would; documents get one of 300 outlets, the sentence's language and a day in 2024.
Vectors come from the encoder's on-disk cache (NARRASCOPE_EMBEDDING_CACHE) where it has them, so
only sentences never embedded cost an encoder pass. Rows are written straight into the store's
tables (as `Store.save` would leave them) to build the store in minutes.

Then `narrascope storylines --store URL --json` runs as a child process; its wall time and peak
RSS (getrusage of the child) go to results/benchmarks/storylines-scale.json and docs/custom-narratives.md.

    NARRASCOPE_EMBEDDING_CACHE=/work/cache/narr/emb.sqlite \\
      python benchmarks/bench_storylines_scale.py [--documents 100000] [--store-path PATH] [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from _results import RESULTS, ROOT, replace_section, stamp, table, write_results
from narrascope.encoder import NAME as ENCODER_NAME
from narrascope.encoder import get_encoder
from narrascope.evaluate.datasets import read_semeval2025
from narrascope.store import open_store
from narrascope.store.tables import DocumentTable, UnitVectorTable
from narrascope.store.units import quantise

LANGUAGES = {"BG": "bg", "EN": "en", "HI": "hi", "PT": "pt", "RU": "ru"}
RECURRING = 2000
OUTLETS = 300
NOISE = 0.02  # per dimension: cosine ~0.93 between a repeated sentence and its source
LIMITS = {"seconds": 600, "rss_gb": 4.0}


def sentence_pool(data: Path, limit: int | None) -> tuple[list[str], list[str], np.ndarray]:
    """Corpus sentences (4+ words) with their language and cached vector; uncached ones are
    embedded only when the cache holds too few."""
    texts, languages = [], []
    for split in ("validation", "fit"):
        for example in read_semeval2025(data / "semeval2025-task10", split=split):
            document = example.document
            for sentence in document.sentences:
                text = document.text[sentence.start : sentence.end]
                if len(text.split()) >= 4:
                    texts.append(text)
                    languages.append(LANGUAGES.get(example.language, example.language.lower()))
    found = get_encoder().cached(texts)
    keep = [i for i, vector in enumerate(found) if vector is not None]
    if limit and len(keep) < limit:
        missing = [i for i, vector in enumerate(found) if vector is None][: limit - len(keep)]
        print(f"embedding {len(missing)} sentences missing from the cache", file=sys.stderr)
        vectors = get_encoder().encode([texts[i] for i in missing])
        for i, vector in zip(missing, vectors):
            found[i] = vector
        keep = sorted(keep + missing)
    return [texts[i] for i in keep], [languages[i] for i in keep], np.stack([found[i] for i in keep])


def build_store(url: str, documents: int, texts: list[str], languages: list[str], vectors: np.ndarray,
                seed: int) -> int:
    """Write `documents` synthetic documents; returns the number of storyline sentences."""
    rng = np.random.default_rng(seed)
    recurring = min(RECURRING, len(texts) // 2)
    popularity = 1.0 / np.arange(1, recurring + 1) ** 1.1
    popularity /= popularity.sum()
    now = datetime.now(timezone.utc)
    units_written = 0
    open_store(url).close()  # creates the schema (migrations)
    engine = sa.create_engine(url)
    for batch_start in range(0, documents, 2000):
        document_rows, unit_rows = [], []
        for number in range(batch_start, min(documents, batch_start + 2000)):
            count = int(rng.integers(4, 9))
            picks = [int(rng.choice(recurring, p=popularity)) if rng.random() < 0.5
                     else int(rng.integers(recurring, len(texts))) for _ in range(count)]
            picks = list(dict.fromkeys(picks))
            rows = np.array(vectors[picks], dtype=np.float32)
            rows += rng.normal(0.0, NOISE, rows.shape).astype(np.float32) * np.array([[p < recurring] for p in picks])
            rows /= np.linalg.norm(rows, axis=1, keepdims=True)
            body, units, position = [], [], 0
            for pick in picks:
                units.append([position, position + len(texts[pick]), "claim", None, texts[pick]])
                body.append(texts[pick])
                position += len(texts[pick]) + 2
            text = "\n\n".join(body)
            document_id = hashlib.sha256(f"{seed}:{number}".encode()).hexdigest()[:16]
            day = date(2024, 1, 1) + timedelta(days=int(rng.integers(0, 366)))
            language = languages[picks[0]]
            site = f"outlet{int(rng.integers(0, OUTLETS)):03d}.test"
            document_rows.append(_document_row(document_id, text, site, language, day, units, now))
            unit_rows.append({"document_id": document_id, "encoder": ENCODER_NAME, "units": units,
                              "vectors": quantise(rows), "dim": int(rows.shape[1])})
            units_written += len(units)
        with engine.begin() as connection:
            connection.execute(sa.insert(DocumentTable), document_rows)
            connection.execute(sa.insert(UnitVectorTable), unit_rows)
        print(f"  {min(documents, batch_start + 2000):,} documents", file=sys.stderr, flush=True)
    engine.dispose()
    return units_written


def _document_row(document_id: str, text: str, site: str, language: str, day: date, units: list, now: datetime) -> dict:
    paragraphs = [{"start": u[0], "end": u[1], "language": None} for u in units]
    analysis = {
        "schema_version": "1.0",
        "document": {"id": document_id, "source": f"synthetic/{document_id}", "url": None, "title": units[0][4][:80],
                     "authors": [], "published": day.isoformat(), "site": site,
                     "language": {"code": language, "confidence": 1.0}, "text": text, "paragraphs": paragraphs,
                     "sentences": [], "mixed_language": False, "removed": []},
        "results": {"claims": {"component": {"name": "claims", "version": "synthetic"},
                               "claims": [{"start": u[0], "end": u[1], "score": 0.9, "rank": i + 1, "kinds": []}
                                          for i, u in enumerate(units)]}},
        "warnings": [],
    }
    return {"id": document_id, "source": f"synthetic/{document_id}", "url": None, "site": site, "language": language,
            "title": units[0][4][:80], "published": day.isoformat(), "day": day, "authors": [], "text": text,
            "analysis": analysis, "schema_version": "1.0", "analysed_at": now, "updated_at": now}


def run_storylines(url: str, seed: int) -> dict:
    """Time `narrascope storylines` in a child process; its CPU time and peak RSS from getrusage
    (CPU time says more than wall time on a machine shared with other work; the load average
    before and after says how shared it was)."""
    command = [sys.executable, "-m", "narrascope", "storylines", "--store", url, "--seed", str(seed), "--json"]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"storylines failed: {finished.stderr[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = json.loads(finished.stdout)
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "peak_rss_gb": round(usage.ru_maxrss / 1024**2, 2),
        "documents": found["documents"],
        "sentences": found["sentences"],
        "storylines": len(found["storylines"]),
        "method": found["method"],
        "largest_storyline_documents": max((s["documents"] for s in found["storylines"]), default=0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--store-path", type=Path, default=Path("/work/cache/narr/storylines-scale.db"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="time the store already at --store-path")
    parser.add_argument("--quick", action="store_true", help="10,000 documents, results not written")
    parser.add_argument("--docs", action="store_true", help="only render docs from the results file written before")
    args = parser.parse_args()
    if args.docs:
        replace_section("storylines-scale", docs_table(json.loads((RESULTS / "benchmarks" / "storylines-scale.json").read_text())))
        return
    documents = 10_000 if args.quick else args.documents
    url = f"sqlite:///{args.store_path}"
    if not args.reuse:
        args.store_path.unlink(missing_ok=True)
        texts, languages, vectors = sentence_pool(args.data, 2_000 if args.quick else 10_000)
        print(f"{len(texts):,} corpus sentences; writing {documents:,} documents to {args.store_path}", file=sys.stderr)
        started = time.perf_counter()
        build_store(url, documents, texts, languages, vectors, args.seed)
        print(f"store built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    measured = run_storylines(url, args.seed)
    measured["cores"] = os.cpu_count()
    measured["limits"] = LIMITS
    measured["within_limits"] = measured["seconds"] <= LIMITS["seconds"] and measured["peak_rss_gb"] <= LIMITS["rss_gb"]
    print(json.dumps(measured, indent=2))
    if args.quick:
        return
    write_results("storylines-scale.json", {**stamp(), "benchmark": "benchmarks/bench_storylines_scale.py",
                                            "seed": args.seed, **measured})
    replace_section("storylines-scale", docs_table(measured))


def docs_table(measured: dict) -> str:
    rows = [[f"{measured['documents']:,}", f"{measured['sentences']:,}", measured["method"], measured["storylines"],
             f"{measured['largest_storyline_documents']:,}", f"{measured['seconds']:.0f} s",
             f"{measured['cpu_seconds']:.0f} s", f"{measured['peak_rss_gb']:.2f} GB", measured["cores"],
             " / ".join(str(load) for load in measured["load_average"])]]
    return table(["documents", "sentences", "grouping", "storylines", "largest (documents)", "wall time", "CPU time",
                  "peak RSS", "cores", "load average (before / after)"], rows)

if __name__ == "__main__":
    main()
