"""What a full analysis costs beside the shared encoder pass, and whether the pass beats the floor.

    python benchmarks/bench_models.py [ARTICLE.txt] [--repeat N]

For a ~1,000-word article (by default the English SemEval-2023 Task 3 test article closest to
1,000 words, read from ../shared/data, or any text file given), with a fresh encoder each time
(no cache): the issue's floor, the encoder run paragraph by paragraph and batched; the pass the
pipeline makes, every sentence once (paragraph vectors are pooled from it); loading the rhetoric
heads; each head's time once the pass is done; and a whole `analyze_document` with every default
component. The heads' budget is 30% of the shared pass.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from narrascope.components import DEFAULT_COMPONENTS, create
from narrascope.core import analyze_document
from narrascope.pipeline import get_pipeline
from narrascope.encoder import Encoder, get_encoder, paragraph_embeddings, sentence_embeddings
from narrascope.model import Analysis, Document, Language
from narrascope.text import split_paragraphs, split_sentences

HEADS = ("genre", "frames", "techniques")
TARGET_WORDS = 1000
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2023-task3" / "en" / "test-articles-subtask-3"


def default_article() -> Path:
    """The shared-data test article closest to 1,000 words."""
    articles = sorted(CORPUS.glob("article*.txt"))
    if not articles:
        raise SystemExit(f"no article given and none found in {CORPUS}")
    return min(articles, key=lambda p: abs(len(p.read_text(encoding="utf-8").split()) - TARGET_WORDS))


def document_of(path: Path) -> Document:
    text = "\n".join(line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()).strip()
    paragraphs = split_paragraphs(text)
    return Document(
        id=Document.content_id(text),
        source=str(path),
        language=Language(code="en", confidence=1.0),
        text=text,
        paragraphs=paragraphs,
        sentences=split_sentences(text, paragraphs, "en"),
    )


def timed(action, repeat: int, before=lambda: None) -> float:
    """Median wall time of `action()` in seconds (`before()` runs untimed ahead of each try)."""
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fresh_encoder() -> None:
    """Forget every embedding, so the next pass is really computed."""
    get_encoder.cache_clear()
    get_encoder()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    document = document_of(args.article or default_article())
    texts = document.paragraph_texts()
    print(
        f"article: {document.source} ({len(document.text.split())} words, {len(texts)} paragraphs, "
        f"{len(document.sentences)} sentences)"
    )

    rows = []
    for name in HEADS:
        start = time.perf_counter()
        create(name)
        rows.append((f"load {name}", time.perf_counter() - start))
    start = time.perf_counter()
    get_pipeline(DEFAULT_COMPONENTS)
    rows.append(("load the pipeline (all default components)", time.perf_counter() - start))
    repeat = max(1, args.repeat // 2)
    rows.append(("floor: encoder, paragraph by paragraph", timed(lambda: [Encoder().encode([t]) for t in texts], repeat)))
    rows.append(("floor: encoder, paragraphs batched", timed(lambda: Encoder().encode(texts), repeat)))
    shared = timed(lambda: paragraph_embeddings(document), repeat, fresh_encoder)
    rows.append(("shared pass: sentences batched, paragraphs pooled", shared))

    sentence_embeddings(document)  # the shared pass every head reuses
    heads_total = 0.0
    for name in HEADS:
        head = create(name)
        seconds = timed(lambda: head(Analysis(document=document)), args.repeat)
        heads_total += seconds
        rows.append((f"head {name}", seconds))
    rows.append(("rhetoric heads together", heads_total))
    rows.append(("full analysis, all components (pass included)", timed(lambda: analyze_document(document), repeat, fresh_encoder)))

    width = max(len(label) for label, _ in rows)
    print(f"{'step':<{width}}  {'ms':>9}  {'% of shared pass':>16}")
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds * 1000:9.1f}  {100 * seconds / shared:15.1f}%")
    verdict = "within" if heads_total <= 0.3 * shared else "OVER"
    print(f"rhetoric heads add {100 * heads_total / shared:.1f}% to the shared encoder pass ({verdict} the 30% budget)")


if __name__ == "__main__":
    main()
