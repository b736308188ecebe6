"""Discovery quality: do storylines group documents as the SemEval-2025 annotators' subnarratives
do, better than a TF-IDF + k-means baseline?

The documents are analysed (narratives and claims components, whose evidence and claim
sentences are what storylines group) into a temporary store, and `discover` runs over it. Each
document joins the storyline holding most of its sentences; documents in no storyline form one
"no storyline" cluster. That partition is compared with the gold dominant subnarrative of each
document (subtask 3's, else its first subnarrative) by adjusted mutual information (AMI: 0 is
chance, 1 identical); purity (share of clustered documents whose gold subnarratives include
their cluster's most common one) and coverage (share of documents in a storyline) are reported
beside it. The baseline clusters the same documents' TF-IDF vectors (word 1-2-grams) with
k-means, once with as many clusters as the storylines found (plus one) and once with as many as
there are gold subnarratives, each every document assigned.

The cut (`--threshold`) is chosen on a tuning set of fit documents (every sixth), never on the
validation documents reported. Writes results/benchmarks/storylines-quality-validation.json and the table in
docs/custom-narratives.md.

    NARRASCOPE_EMBEDDING_CACHE=/work/cache/narr/emb.sqlite python benchmarks/bench_storylines.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path


from _results import ROOT, replace_section, stamp, table, write_results
from narrascope.core import analyze_document
from narrascope.evaluate.datasets import Example, read_semeval2025
from narrascope.store import open_store
from narrascope.storylines import discover
from narrascope.storylines.discover import THRESHOLD
from narrascope.train.custom_calibration import CALIBRATION_EVERY

COMPONENTS = ("narratives", "claims")
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
NONE = "(no storyline)"


def gold_label(example: Example) -> str:
    if example.dominant_subnarrative:
        return example.dominant_subnarrative
    return (example.subnarratives or example.narratives or ["Other"])[0]


def storyline_partition(examples: Sequence[Example], url: str, threshold: float, seed: int) -> tuple[list[str], int]:
    """Each document's storyline (its id, or NONE) and the number of storylines."""
    with open_store(url) as store:
        found = discover(store, threshold=threshold, seed=seed)
    votes: dict[str, Counter] = {}
    size = {s.id: s.documents for s in found.storylines}
    for storyline in found.storylines:
        for sentence in storyline.sentences:
            votes.setdefault(sentence.document_id, Counter())[storyline.id] += 1
    assigned = []
    for example in examples:
        counted = votes.get(example.document.id)
        assigned.append(min(counted, key=lambda s: (-counted[s], -size[s], s)) if counted else NONE)
    return assigned, len(found.storylines)


def scores(gold: Sequence[str], predicted: Sequence[str], gold_sets: Sequence[set[str]]) -> dict[str, float]:
    from sklearn.metrics import adjusted_mutual_info_score

    clustered = [i for i, p in enumerate(predicted) if p != NONE]
    majority = {}
    for cluster in set(predicted) - {NONE}:
        members = [gold[i] for i in clustered if predicted[i] == cluster]
        majority[cluster] = Counter(members).most_common(1)[0][0]
    pure = sum(majority[predicted[i]] in gold_sets[i] for i in clustered)
    return {"ami": round(float(adjusted_mutual_info_score(gold, predicted)), 4),
            "purity": round(pure / len(clustered), 4) if clustered else 0.0,
            "coverage": round(len(clustered) / len(predicted), 4)}


def kmeans_baseline(texts: Sequence[str], clusters: int, seed: int) -> list[str]:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2).fit_transform(texts)
    labels = KMeans(n_clusters=min(clusters, len(texts)), random_state=seed, n_init=10).fit_predict(matrix)
    return [str(label) for label in labels]


def build_store(examples: Sequence[Example], folder: Path, name: str) -> str:
    url = f"sqlite:///{folder / name}.db"
    with open_store(url) as store:
        for example in examples:
            store.save(analyze_document(example.document, COMPONENTS))
    return url


def evaluate(examples: Sequence[Example], url: str, threshold: float, seed: int) -> dict:
    gold = [gold_label(e) for e in examples]
    gold_sets = [set(e.subnarratives or []) | {gold_label(e)} for e in examples]
    predicted, count = storyline_partition(examples, url, threshold, seed)
    texts = [e.document.text for e in examples]
    matched = kmeans_baseline(texts, count + 1, seed)
    by_gold = kmeans_baseline(texts, len(set(gold)), seed)
    return {
        "documents": len(examples),
        "gold_subnarratives": len(set(gold)),
        "storylines": count,
        "storylines_scores": scores(gold, predicted, gold_sets),
        "kmeans_matched": {"clusters": count + 1, **scores(gold, matched, gold_sets)},
        "kmeans_gold_count": {"clusters": len(set(gold)), **scores(gold, by_gold, gold_sets)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "semeval2025-task10")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, help="at most this many documents per part")
    parser.add_argument("--quick", action="store_true", help="--limit 60, results not written")
    args = parser.parse_args()
    limit = 60 if args.quick else args.limit
    started = time.perf_counter()
    validation = [e for e in read_semeval2025(args.data, split="validation") if e.narratives][:limit]
    tuning = [e for e in read_semeval2025(args.data, split="fit") if e.narratives][::CALIBRATION_EVERY][:limit]
    with tempfile.TemporaryDirectory(prefix="narrascope-storylines-") as folder:
        tuning_url = build_store(tuning, Path(folder), "tuning")
        sweep = {str(t): evaluate(tuning, tuning_url, t, args.seed)["storylines_scores"] for t in THRESHOLDS}
        chosen = max(THRESHOLDS, key=lambda t: (sweep[str(t)]["ami"], -t))
        validation_url = build_store(validation, Path(folder), "validation")
        result = evaluate(validation, validation_url, chosen, args.seed)
        at_default = evaluate(validation, validation_url, THRESHOLD, args.seed)["storylines_scores"]
    results = {
        **stamp(),
        "benchmark": "benchmarks/bench_storylines.py",
        "data": str(args.data),
        "seed": args.seed,
        "components": list(COMPONENTS),
        "threshold": {"chosen": chosen, "default": THRESHOLD, "tuning_documents": len(tuning),
                      "tuning_ami": {t: v["ami"] for t, v in sweep.items()}},
        "validation": result,
        "validation_at_default_threshold": at_default,
        "seconds": round(time.perf_counter() - started),
    }
    print(json.dumps(results, indent=2))
    if not args.quick:
        write_results("storylines-quality-validation.json", results)
        replace_section("storylines-quality", _docs_table(results))


def _docs_table(results: dict) -> str:
    v = results["validation"]
    rows = [[f"storylines (cut {results['threshold']['chosen']})", v["storylines"] + 1, *_cells(v["storylines_scores"])],
            ["TF-IDF + k-means, as many clusters", v["kmeans_matched"]["clusters"], *_cells(v["kmeans_matched"])],
            ["TF-IDF + k-means, one per gold subnarrative", v["kmeans_gold_count"]["clusters"],
             *_cells(v["kmeans_gold_count"])]]
    note = (f"{v['documents']} validation documents, {v['gold_subnarratives']} gold (dominant) subnarratives. "
            f"The cut was chosen on {results['threshold']['tuning_documents']} fit documents (AMI by cut: "
            + ", ".join(f"{t}: {a:.3f}" for t, a in results["threshold"]["tuning_ami"].items())
            + f"). Measured {results['date'][:10]} with {results['encoder']} (`benchmarks/bench_storylines.py`).")
    return table(["grouping", "clusters", "AMI", "purity", "coverage"], rows) + "\n\n" + note


def _cells(scores: dict) -> list[object]:
    return [scores["ami"], scores["purity"], scores["coverage"]]


if __name__ == "__main__":
    main()
