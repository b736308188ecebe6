"""How much the rhetoric heads (genre, frames, techniques) cost beside the encoder pass.

    python benchmarks/bench_models.py [ARTICLE.txt] [--repeat N]

Measures, for a ~1,000-word article (by default an English test article of SemEval-2023 Task 3
from ../shared/data, or any text file given): loading each head, the encoder pass paragraph by
paragraph and batched (fresh encoder, no cache), and each head's time once the paragraph
embeddings are computed. Prints a table; the heads' budget is 30% of the batched encoder pass.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from narrascope.components import create
from narrascope.encoder import Encoder, paragraph_embeddings
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


def timed(action, repeat: int) -> float:
    """Median wall time of `action()` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    document = document_of(args.article or default_article())
    texts = document.paragraph_texts()
    print(f"article: {document.source} ({len(document.text.split())} words, {len(texts)} paragraphs)")

    rows = []
    for name in HEADS:
        start = time.perf_counter()
        head = create(name)
        rows.append((f"load {name}", time.perf_counter() - start))
    encoder_repeat = max(1, args.repeat // 2)
    one_by_one = timed(lambda: [Encoder().encode([t]) for t in texts], encoder_repeat)
    batched = timed(lambda: Encoder().encode(texts), encoder_repeat)
    rows += [("encoder, paragraph by paragraph", one_by_one), ("encoder, batched", batched)]

    paragraph_embeddings(document)  # the shared pass the heads reuse
    heads_total = 0.0
    for name in HEADS:
        head = create(name)
        seconds = timed(lambda: head(Analysis(document=document)), args.repeat)
        heads_total += seconds
        rows.append((f"head {name}", seconds))
    rows.append(("all heads", heads_total))

    width = max(len(label) for label, _ in rows)
    print(f"{'step':<{width}}  {'ms':>9}  {'% of batched encoder':>20}")
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds * 1000:9.1f}  {100 * seconds / batched:19.1f}%")
    verdict = "within" if heads_total <= 0.3 * batched else "OVER"
    print(f"heads add {100 * heads_total / batched:.1f}% to the batched encoder pass ({verdict} the 30% budget)")


if __name__ == "__main__":
    main()
