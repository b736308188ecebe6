"""Cost of a whole analysis over pathological inputs, at growing sizes: does it grow linearly up to
the caps? One huge word, many tiny lines, combining marks, one long line, deeply nested HTML, and
ordinary prose as the reference.

Each (input, size) runs in a fresh process that first analyses a small article (models loaded),
then times the input stage by stage: `extract` (trafilatura / pasted-text clean-up), `text`
(normalisation, language ID, sentences: `build_document`), the shared encoder pass
(`sentence_embeddings`), then each component. The parent records wall time and the process's peak
RSS, and stops a run at `--limit` CPU seconds (the larger sizes of that input are then not run). The
growth exponent between two sizes is log(t2/t1) / log(s2/s1): 1 is linear, 2 quadratic. Inputs
larger than `Settings.max_text_chars` are cut there by extraction, so the cost should flatten.

    python benchmarks/bench_pathological.py [--sizes 16384,65536,262144,1048576] [--limit 60]
        [--kinds one_word,...] [--json results/benchmarks/pathological.json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JSON = ROOT / "results" / "benchmarks" / "pathological.json"
PROSE = (
    "The city council voted on Tuesday to add three bus routes to the northern districts. "
    "Critics called the plan a reckless waste of money, while residents said it was long overdue.\n"
)


def prose(size: int) -> str:
    """Ordinary paragraphs, every sentence different (the encoder's cache must not flatter it)."""
    lines, total, number = [], 0, 0
    while total < size:
        line = PROSE.replace("three", str(number)).replace("Tuesday", f"day {number * 7 % 31}")
        lines.append(line)
        total += len(line.encode())
        number += 1
    return "".join(lines)[:size]


def make(kind: str, size: int) -> tuple[str, str]:
    """(content, kind of input) of about `size` bytes of UTF-8."""
    if kind == "prose":
        return prose(size), "text"
    if kind == "one_word":
        return "a" * size, "text"
    if kind == "tiny_lines":
        return "ok.\n" * (size // 4), "text"
    if kind == "combining":
        return "a" + "\u0301" * (size // 2), "text"  # two bytes each
    if kind == "long_line":
        return "H\n\n" + "b" * size, "text"
    if kind == "deep_html":
        depth = size // 11
        return "<html><body>" + "<div>" * depth + "<p>deep text</p>" + "</div>" * depth + "</body></html>", "html"
    raise ValueError(kind)


KINDS = ("prose", "one_word", "tiny_lines", "combining", "long_line", "deep_html")
MEASURABLE = 0.2  # CPU seconds: below this, the ratio of two runs is noise


def run_one(kind: str, size: int) -> dict[str, object]:
    """In the child: warm up, then time each stage of one analysis of the pathological input."""
    import resource

    from narrascope.components import DEFAULT_COMPONENTS
    from narrascope.encoder import sentence_embeddings
    from narrascope.extract import build_document, extract
    from narrascope.ingest import RawDocument
    from narrascope.model import Analysis
    from narrascope.pipeline import analyze_document, get_pipeline, read_document
    from narrascope.settings import Settings

    settings = Settings(document_timeout=0)
    analyze_document(read_document(RawDocument(source="warm-up", content=prose(2000), kind="text"), settings))
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"ready": True}), flush=True)  # the time limit starts now
    content, input_kind = make(kind, size)
    raw = RawDocument(source=kind, content=content, kind=input_kind)  # type: ignore[arg-type]
    stages: dict[str, dict[str, float]] = {}

    def timed(name: str, step):  # type: ignore[no-untyped-def]
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return step()
        finally:  # a stage that fails took time too
            stages[name] = {"seconds": round(time.perf_counter() - wall, 3), "cpu": round(time.process_time() - cpu, 3)}
            print(json.dumps({"stage": name, **stages[name]}), flush=True)  # the parent keeps what ended

    try:
        extracted = timed("extract", lambda: extract(raw, settings))
        document = timed("text", lambda: build_document(extracted, raw))
        timed("encoder", lambda: sentence_embeddings(document))
        analysis = Analysis(document=document)
        for component in get_pipeline(DEFAULT_COMPONENTS).components:
            analysis = timed(component.name, lambda c=component, a=analysis: c(a))
        outcome = f"{len(document.text):,} characters, {len(document.sentences):,} sentences"
    except Exception as exc:  # noqa: BLE001 - an input may fail; how long it took to fail is the measure
        outcome = f"failed: {type(exc).__name__}: {str(exc)[:120]}"
    return {"stages": stages, "outcome": outcome, "baseline_rss_mb": round(baseline / 1024)}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) a running process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(kind: str, size: int, limit: float) -> dict[str, object]:
    """Run one (kind, size) in a fresh process; its wall time, peak RSS and stage times. `limit`
    is in CPU seconds from when the child is warm: on a shared machine wall time says more about
    the neighbours than about the input."""
    command = [sys.executable, __file__, "--one", kind, str(size)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    lines: list[dict[str, object]] = []
    reader = threading.Thread(target=lambda: lines.extend(json.loads(l) for l in child.stdout if l.startswith("{")))  # type: ignore[union-attr]
    reader.start()
    ready_at, stopped = None, False
    while True:
        pid, _, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if ready_at is None and any("ready" in line for line in lines):
            ready_at = cpu_seconds(child.pid)
        if ready_at is not None and cpu_seconds(child.pid) - ready_at > limit:
            child.kill()
            _, _, usage = os.wait4(child.pid, 0)
            stopped = True
            break
        time.sleep(0.05)
    wall = time.perf_counter() - started
    reader.join()
    result = next((line for line in lines if "stages" in line), None)
    stages = {line["stage"]: {"seconds": line["seconds"], "cpu": line["cpu"]} for line in lines if "stage" in line}
    return {
        "kind": kind,
        "bytes": size,
        "stopped_at_limit": stopped,
        "process_seconds": round(wall, 2),  # with interpreter start, imports and warm-up (a busy machine shows here)
        "analysis_seconds": round(sum(stage["seconds"] for stage in stages.values()), 2),
        "analysis_cpu_seconds": round(sum(stage["cpu"] for stage in stages.values()), 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "baseline_rss_mb": result["baseline_rss_mb"] if result else None,
        "stages": stages,
        "outcome": result["outcome"] if result else f"stopped after {limit:g} CPU seconds",
    }


def exponents(rows: list[dict[str, object]]) -> dict[str, list[float | None]]:
    """Per kind, the growth exponent of analysis CPU time between consecutive sizes (None where
    a run is too short to tell)."""
    growth: dict[str, list[float | None]] = {}
    for kind in dict.fromkeys(row["kind"] for row in rows):
        runs = [row for row in rows if row["kind"] == kind and not row["stopped_at_limit"]]
        growth[kind] = [
            round(math.log(b["analysis_cpu_seconds"] / a["analysis_cpu_seconds"]) / math.log(b["bytes"] / a["bytes"]), 2)
            if a["analysis_cpu_seconds"] >= MEASURABLE and b["analysis_cpu_seconds"] >= MEASURABLE
            else None
            for a, b in zip(runs, runs[1:])
        ]
    return growth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="16384,65536,262144,1048576", help="bytes, comma-separated")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--limit", type=float, default=60.0, help="CPU seconds one run may take before it is stopped")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--update", action="store_true", help="replace only the runs of --kinds in the --json file")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "BYTES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]))))
        return 0
    sizes = sorted(int(size) for size in args.sizes.split(","))
    kinds = args.kinds.split(",")
    rows = []
    if args.update and args.json.exists():
        rows = [row for row in json.loads(args.json.read_text(encoding="utf-8"))["runs"] if row["kind"] not in kinds]
    for kind in kinds:
        for size in sizes:
            row = measure(kind, size, args.limit)
            rows.append(row)
            stages = ", ".join(f"{name} {stage['seconds']}" for name, stage in row["stages"].items())
            print(f"{kind:<11}{size:>9,} B  {row['analysis_seconds']:>7} s  cpu {row['analysis_cpu_seconds']:>7} s  "
                  f"peak {row['peak_rss_mb']:>5} MB  [{stages}]  {row['outcome']}", flush=True)
            if row["stopped_at_limit"]:
                break  # larger sizes of this input would only take longer
    rows.sort(key=lambda row: (KINDS.index(row["kind"]), row["bytes"]))
    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "limit_seconds": args.limit,
        "runs": rows,
        "growth_exponents": exponents(rows),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"growth exponents (1 = linear): {results['growth_exponents']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
