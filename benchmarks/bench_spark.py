"""Spark throughput: documents per second through `narrascope spark` with local[1] and local[2],
and the speed-up between them, on a JSONL dump built at run time.

The texts are the SemEval-2023 English articles read from ../shared/data when present (never
copied into the repository), else generated paragraphs. Each master gets its own session; a
two-document warm-up (JVM, Python workers, model loading) runs first and is not timed.

    python benchmarks/bench_spark.py [--documents 100] [--components all] [--data ../shared/data]

Each task's Python worker encodes on `spark.task.cpus` threads (one), so local[2] runs two
single-threaded workers rather than two workers fighting over both cores.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from narrascope.components import DEFAULT_COMPONENTS
from narrascope.scale import create_session, run_job

ROOT = Path(__file__).resolve().parents[1]


def articles(data: Path, count: int) -> list[str]:
    """Up to `count` article texts from the shared data, padded with generated ones."""
    found = sorted((data / "semeval2023-task3" / "en").glob("*articles*/*.txt")) if data.is_dir() else []
    texts = [path.read_text(encoding="utf-8", errors="replace")[:4000] for path in found[:count]]
    while len(texts) < count:
        n = len(texts)
        texts.append(
            f"Report {n}: the council met on Monday to debate budget line {n}.\n\n"
            + f"Critics said plan {n} was reckless and would hurt families in district {n}. " * 6
        )
    return texts


def time_job(master: str, dump: Path, folder: Path, components: tuple[str, ...], partitions: int) -> float:
    """Documents per second of one timed run, after a two-document warm-up on both workers."""
    warm = folder / "warm.jsonl"
    warm.write_text("".join(dump.read_text().splitlines(keepends=True)[:2]))
    spark = create_session(master, app_name=f"bench-{master}")
    try:
        run_job(spark, str(warm), str(folder / f"warm-{master}.parquet"), partitions=2, components=components)
        started = time.perf_counter()
        result = run_job(spark, str(dump), str(folder / f"run-{master}.parquet"), partitions=partitions, components=components)
        elapsed = time.perf_counter() - started
    finally:
        spark.stop()
    return result.documents / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--components", default="all", help="comma-separated, 'all' (the defaults) or 'none'")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    components = {"none": (), "all": DEFAULT_COMPONENTS}.get(args.components) or tuple(args.components.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dump = folder / "dump.jsonl"
        dump.write_text("".join(json.dumps({"text": t}) + "\n" for t in articles(args.data, args.documents)))
        rates = {master: time_job(master, dump, folder, components, partitions=4) for master in ("local[1]", "local[2]")}
    ratio = rates["local[2]"] / rates["local[1]"]
    for master, rate in rates.items():
        print(f"{master}: {rate:.2f} documents/s")
    print(f"local[2] / local[1] = {ratio:.2f}x  ({args.documents} documents, components: {args.components})")
    if args.json:
        args.json.write_text(json.dumps({"documents_per_second": rates, "ratio": ratio}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
