"""What the narrative, entity, explanation and claim components add to the encoder pass.

For SemEval-2025 articles of about 1,000 words (read from ../shared/data, never copied), times
the shared encoder pass (every sentence once; paragraph vectors are pooled from it, and the
rhetoric heads share it too), then the four components on top of it, and reports the ratio. The on-disk embedding cache is
not used, so the encoder pass is real.

    python benchmarks/bench_narratives.py [--data ../shared/data] [--articles 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from narrascope.components import create
from narrascope.encoder import paragraph_embeddings
from narrascope.evaluate.datasets import read_semeval2025
from narrascope.model import Analysis

ROOT = Path(__file__).resolve().parents[1]
COMPONENTS = ("narratives", "entities", "explanation", "claims")


def articles_of_about(words: int, data: Path, count: int) -> list:
    """The `count` articles whose length is closest to `words`, across languages."""
    examples = list(read_semeval2025(data / "semeval2025-task10", split="validation"))
    examples.sort(key=lambda e: abs(len(e.document.text.split()) - words))
    return [e.document for e in examples[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    os.environ.pop("NARRASCOPE_EMBEDDING_CACHE", None)
    components = [create(name) for name in COMPONENTS]
    documents = articles_of_about(1000, args.data, args.articles)
    encoder_seconds = 0.0
    component_seconds = dict.fromkeys(COMPONENTS, 0.0)
    for document in documents:
        start = time.perf_counter()
        paragraph_embeddings(document)  # encodes the sentences, pools the paragraphs
        encoder_seconds += time.perf_counter() - start
        analysis = Analysis(document=document)
        for name, component in zip(COMPONENTS, components):
            start = time.perf_counter()
            analysis = component(analysis)
            component_seconds[name] += time.perf_counter() - start
    added = sum(component_seconds.values())
    report = {
        "articles": len(documents),
        "mean_words": round(sum(len(d.text.split()) for d in documents) / len(documents)),
        "encoder_pass_seconds_per_article": round(encoder_seconds / len(documents), 3),
        "components_seconds_per_article": {k: round(v / len(documents), 3) for k, v in component_seconds.items()},
        "added_share_of_encoder_pass": round(added / encoder_seconds, 3),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
