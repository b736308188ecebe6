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

The cut (`threshold`) and the weight of a sentence's document in its vector (`context`) are
chosen together on the fit part, never on the validation documents reported: the fit documents
are dealt into four folds of about the validation set's size, storylines are found in each fold's
own store, and the pair with the best mean AMI over the folds is taken. Narratives heads that
learnt from the validation documents (a card whose `trained_on` lists that part) are refitted on
the fit part before the validation documents are analysed, as `narrascope evaluate` does, so the
evidence sentences grouped are never in-sample. Writes
results/benchmarks/storylines-quality-validation.json and the table in docs/custom-narratives.md.

    NARRASCOPE_EMBEDDING_CACHE=/work/cache/e5v2.sqlite python benchmarks/bench_storylines.py [--quick]
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
from narrascope.artifacts import load, overriding
from narrascope.core import analyze_document
from narrascope.evaluate.datasets import Example, read_semeval2025
from narrascope.store import open_store
from narrascope.storylines import discover
from narrascope.storylines.discover import CONTEXT, THRESHOLD
from narrascope.train.protocol import TRAINERS, fit_heads, saw

COMPONENTS = ("narratives", "claims")
THRESHOLDS = (0.1, 0.125, 0.15, 0.2, 0.3)
CONTEXTS = (0.0, 0.25, 0.5, 1.0)
FOLDS = 4
NONE = "(no storyline)"


def gold_label(example: Example) -> str:
    if example.dominant_subnarrative:
        return example.dominant_subnarrative
    return (example.subnarratives or example.narratives or ["Other"])[0]


def storyline_partition(examples: Sequence[Example], url: str, threshold: float, context: float,
                        seed: int) -> tuple[list[str], int]:
    """Each document's storyline (its id, or NONE) and the number of storylines."""
    with open_store(url) as store:
        found = discover(store, threshold=threshold, context=context, seed=seed)
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


def storyline_scores(examples: Sequence[Example], url: str, threshold: float, context: float, seed: int) -> dict:
    predicted, _ = storyline_partition(examples, url, threshold, context, seed)
    return scores([gold_label(e) for e in examples], predicted, _gold_sets(examples))


def _gold_sets(examples: Sequence[Example]) -> list[set[str]]:
    return [set(e.subnarratives or []) | {gold_label(e)} for e in examples]


def evaluate(examples: Sequence[Example], url: str, threshold: float, context: float, seed: int) -> dict:
    gold = [gold_label(e) for e in examples]
    gold_sets = _gold_sets(examples)
    predicted, count = storyline_partition(examples, url, threshold, context, seed)
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


def heads_blind_to_validation(fit: Sequence[Example]) -> dict:
    """Narratives heads refitted on the fit part, for those shipped heads that saw validation."""
    names = [name for name in TRAINERS["narratives"] if saw(load(name)[1], "validation")]
    return fit_heads("narratives", fit, seed=13, names=names) if names else {}


def tune(fit: Sequence[Example], folder: Path, seed: int) -> tuple[tuple[float, float], dict[str, float]]:
    """The (threshold, context) with the best mean AMI over folds of the fit part; AMI by pair."""
    folds = [list(fit[f::FOLDS]) for f in range(FOLDS)]
    urls = [build_store(documents, folder, f"fit{f}") for f, documents in enumerate(folds)]
    pairs = [(t, c) for t in THRESHOLDS for c in CONTEXTS]
    mean_ami = {}
    for threshold, context in pairs:
        found = [storyline_scores(documents, url, threshold, context, seed)["ami"] for documents, url in zip(folds, urls)]
        mean_ami[(threshold, context)] = round(sum(found) / len(found), 4)
        print(f"threshold {threshold}, context {context}: fit-fold AMI {mean_ami[(threshold, context)]}", flush=True)
    chosen = max(pairs, key=lambda pair: (mean_ami[pair], pair[0], -pair[1]))
    return chosen, {f"{t}/{c}": ami for (t, c), ami in mean_ami.items()}


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
    fit = [e for e in read_semeval2025(args.data, split="fit") if e.narratives][: limit and limit * FOLDS]
    with tempfile.TemporaryDirectory(prefix="narrascope-storylines-") as folder:
        (threshold, context), sweep = tune(fit, Path(folder), args.seed)
        with overriding(heads_blind_to_validation(fit)):
            validation_url = build_store(validation, Path(folder), "validation")
        result = evaluate(validation, validation_url, threshold, context, args.seed)
        at_default = storyline_scores(validation, validation_url, THRESHOLD, CONTEXT, args.seed)
    results = {
        **stamp(),
        "benchmark": "benchmarks/bench_storylines.py",
        "data": str(args.data),
        "seed": args.seed,
        "components": list(COMPONENTS),
        "tuning": {"chosen": {"threshold": threshold, "context": context},
                   "default": {"threshold": THRESHOLD, "context": CONTEXT},
                   "fit_documents": len(fit), "folds": FOLDS, "fit_fold_ami": sweep},
        "validation": result,
        "validation_at_default": at_default,
        "seconds": round(time.perf_counter() - started),
    }
    print(json.dumps(results, indent=2))
    if not args.quick:
        write_results("storylines-quality-validation.json", results)
        replace_section("storylines-quality", _docs_table(results))


def _docs_table(results: dict) -> str:
    v = results["validation"]
    chosen = results["tuning"]["chosen"]
    rows = [[f"storylines (cut {chosen['threshold']}, context {chosen['context']})", v["storylines"] + 1,
             *_cells(v["storylines_scores"])],
            ["TF-IDF + k-means, as many clusters", v["kmeans_matched"]["clusters"], *_cells(v["kmeans_matched"])],
            ["TF-IDF + k-means, one per gold subnarrative", v["kmeans_gold_count"]["clusters"],
             *_cells(v["kmeans_gold_count"])]]
    tuning = results["tuning"]
    best = sorted(tuning["fit_fold_ami"].items(), key=lambda item: -item[1])[:5]
    note = (f"{v['documents']} validation documents, {v['gold_subnarratives']} gold (dominant) subnarratives; "
            "the storylines row counts \"no storyline\" as a cluster. Cut and context were chosen on "
            f"{tuning['fit_documents']} fit documents in {tuning['folds']} folds (mean AMI, best five of "
            f"{len(tuning['fit_fold_ami'])} cut/context pairs: "
            + ", ".join(f"{pair}: {ami:.3f}" for pair, ami in best)
            + f"). Measured {results['date'][:10]} with {results['encoder']} (`benchmarks/bench_storylines.py`).")
    return table(["grouping", "clusters", "AMI", "purity", "coverage"], rows) + "\n\n" + note


def _cells(scores: dict) -> list[object]:
    return [scores["ami"], scores["purity"], scores["coverage"]]


if __name__ == "__main__":
    main()
