"""Store throughput: documents saved per second (each in its own transaction, as `analyze
--store` saves them) into SQLite and, when NARRASCOPE_TEST_POSTGRES_URL is set, PostgreSQL.

Each document carries a realistic number of labels (about 60: paragraph techniques, spans,
frames, narratives, entity roles, claims). Also times a filtered query and a monthly trend.

    python benchmarks/bench_store.py [--documents 500] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from narrascope.model import (
    Analysis,
    ComponentInfo,
    Document,
    FrameLabel,
    FramesResult,
    GenreResult,
    Language,
    LabelScore,
    Paragraph,
    ParagraphTechniques,
    TechniqueSpan,
    TechniquesResult,
    Results,
)
from narrascope.store import Filters, open_store

TECHNIQUES = ("Loaded_Language", "Doubt", "Name_Calling-Labeling", "Exaggeration-Minimisation", "Repetition")


def synthetic_analysis(number: int, paragraphs: int = 8) -> Analysis:
    """A ~700-word document with labels on every paragraph (no models needed)."""
    filler = "the council debated the budget again " * 10
    parts = [f"Paragraph {p} of report {number}: {filler}" for p in range(paragraphs)]
    text = "\n\n".join(parts)
    starts = [sum(len(part) + 2 for part in parts[:p]) for p in range(paragraphs)]
    frames = ("Economic", "Political", "Security_and_defense")
    techniques = TechniquesResult(
        component=ComponentInfo(name="techniques", version="bench"),
        paragraphs=[
            ParagraphTechniques(
                paragraph=p, labels=[LabelScore(label=t, score=0.5 + 0.1 * (i % 4)) for i, t in enumerate(TECHNIQUES)]
            )
            for p in range(paragraphs)
        ],
        spans=[
            TechniqueSpan(start=start, end=start + 9, label=t, score=0.7, paragraph=p)
            for p, start in enumerate(starts)
            for t in TECHNIQUES[:2]
        ],
    )
    results = Results(
        genre=GenreResult(
            component=ComponentInfo(name="genre", version="bench"),
            label="opinion",
            probabilities={"opinion": 0.7, "reporting": 0.2, "satire": 0.1},
        ),
        frames=FramesResult(
            component=ComponentInfo(name="frames", version="bench"),
            labels=[FrameLabel(label=f, score=0.6, paragraphs=[0]) for f in frames],
            probabilities=dict.fromkeys(frames, 0.6),
        ),
        techniques=techniques,
    )
    document = Document(
        id=Document.content_id(text),
        source=f"bench/{number}.txt",
        url=f"https://site{number % 7}.example/{number}",
        site=f"site{number % 7}.example",
        published=f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}",
        language=Language(code="en", confidence=1.0),
        text=text,
        paragraphs=[Paragraph(start=start, end=start + len(part)) for start, part in zip(starts, parts)],
    )
    return Analysis(document=document, results=results)


def measure(url: str, analyses: list[Analysis]) -> dict[str, float]:
    with open_store(url) as store:
        started = time.perf_counter()
        for analysis in analyses:
            store.save(analysis)
        saving = time.perf_counter() - started
        filters = Filters(label="Doubt", min_score=0.6, site="site3.example")
        store.query(filters, limit=50)  # warm: compile once
        started = time.perf_counter()
        matches = store.query(filters, limit=50)
        query = time.perf_counter() - started
        started = time.perf_counter()
        store.trends("technique", "month")
        trends = time.perf_counter() - started
    return {
        "documents": len(analyses),
        "documents_per_second": round(len(analyses) / saving, 1),
        "query_ms": round(1000 * query, 1),
        "query_matches": len(matches),
        "trends_ms": round(1000 * trends, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    analyses = [synthetic_analysis(n) for n in range(args.documents)]
    labels = sum(len(a.results.techniques.spans) + 5 * len(a.results.techniques.paragraphs) + 4 for a in analyses)
    print(f"{args.documents} documents, {labels / args.documents:.0f} labels each")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = measure(f"sqlite:///{folder}/bench.db", analyses)
    postgres = os.environ.get("NARRASCOPE_TEST_POSTGRES_URL")
    if postgres:
        name = f"narrascope_bench_{uuid.uuid4().hex[:8]}"
        server = sa.create_engine(postgres, isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            results["postgresql"] = measure(sa.make_url(postgres).set(database=name).render_as_string(False), analyses)
        finally:
            with server.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.dispose()
    else:
        print("PostgreSQL skipped: NARRASCOPE_TEST_POSTGRES_URL is not set", file=sys.stderr)
    for backend, numbers in results.items():
        print(
            f"{backend:>10}: {numbers['documents_per_second']:>7} documents/s saved; "
            f"query {numbers['query_ms']} ms; monthly trends {numbers['trends_ms']} ms"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
