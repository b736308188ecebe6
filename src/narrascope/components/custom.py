"""Your own narratives: every label of a taxonomy file (`user_taxonomy`) scored on a document.

Each sentence is scored against each label, then the document's score for a label is read from
its strongest sentences (a narrative is pushed when some sentences argue it):

- descriptions only: the cosine similarity of the sentence (E5 "passage: ") to the label's name
  and description (E5 "query: "), the retrieval use E5 was trained for, across languages;
- with example sentences: a small logistic regression per label over the sentence vectors,
  fitted when the taxonomy loads (its examples against the other labels' examples, its
  negatives and the file-wide negatives: text that pushes none of the labels, which teaches the
  heads what an article that pushes nothing reads like), beside the description's similarity;
- after `narrascope train --task custom`: the head trained on the user's labelled documents
  (`train.custom`), for the labels it covers.

Raw scores become probabilities through a label-agnostic calibration (`Calibration`: a logistic
regression over the label's strongest-sentence score and how far it stands above the document's
other labels), fitted on SemEval-2025 narratives written up as a user would (`narrascope train
--task custom-calibration`); a trained head carries its own. Evidence is chosen as for the
built-in narratives (`narratives.choose_evidence`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..artifacts import load
from ..encoder import NAME as ENCODER_NAME
from ..encoder import get_encoder, sentence_embeddings
from ..labelsets import LabelSet, register
from ..linear import LinearHead, sigmoid
from ..model import Analysis, ComponentInfo, CustomLabel, CustomResult, Document, TaxonomyInfo
from ..user_taxonomy import UserTaxonomy
from .custom_examples import DocumentLookup, Examples, resolve_examples
from .custom_trained import PRESENT, TrainedHead, load_trained
from .narratives import choose_evidence, evidence_units

VERSION = "1.1"
TOP_SENTENCES = 2  # a label's document score is the mean of its best sentences' scores
FEW_SHOT_C = 1.0  # regularisation of the per-label example heads
NEAREST = 3  # a sentence's closeness to a label's examples: mean cosine to its 3 closest
MAX_PRESENT = 5  # labels in the likeliest set at most
EXAMPLE_FEATURES = 6  # `label_features` of the example heads, of the nearest examples, of the description
# The calibration of example heads fitted against file-wide negatives too (their scores sit lower
# on text like the negatives, and closeness to the examples is read against closeness to them)
EXAMPLES_WITH_NONE = "examples_with_none"


@dataclass(frozen=True)
class Calibration:
    """Per method, `p = sigmoid(features @ coef + intercept + shift)`; features are `label_features`.

    It is fitted on a taxonomy of `label_count` labels, where a label applied to `base_rate` of
    the (document, label) pairs. A taxonomy of K labels gets the same expected number of labels
    per document: its labels' prior is base_rate · label_count / K (at most one half), and the
    logits shift by the difference of the priors' logits (Bayes' rule under a prior change), so
    three labels are not judged as rare as ninety."""

    coef: dict[str, np.ndarray]
    intercept: dict[str, float]
    base_rate: float = 0.0  # 0: no prior shift
    label_count: int = 0

    def __call__(self, method: str, features: np.ndarray, columns: Sequence[int] = (), labels: int = 0) -> np.ndarray:
        """Probabilities of the rows of `features`, the labels `columns` of a taxonomy of `labels`
        labels (the same for every label here; a subclass may calibrate labels apart, as the
        benchmark does)."""
        return sigmoid(features @ self.coef[method] + self.intercept[method] + self.shift(labels))

    def shift(self, labels: int) -> float:
        if not (self.base_rate and self.label_count and labels):
            return 0.0
        prior = min(0.5, self.base_rate * self.label_count / labels)
        return float(_logit(prior) - _logit(self.base_rate))

    @classmethod
    def neutral(cls) -> "Calibration":
        """Every probability 0.5: for computing features before any calibration is fitted."""
        return cls({"descriptions": np.zeros(2), "examples": np.zeros(EXAMPLE_FEATURES),
                    EXAMPLES_WITH_NONE: np.zeros(EXAMPLE_FEATURES)},
                   {"descriptions": 0.0, "examples": 0.0, EXAMPLES_WITH_NONE: 0.0})

    def arrays(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {"base_rate": np.float64(self.base_rate), "label_count": np.int64(self.label_count)}
        for method in self.coef:
            out[f"{method}_coef"] = self.coef[method].astype(np.float64)
            out[f"{method}_intercept"] = np.float64(self.intercept[method])
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "Calibration":
        methods = [name.removesuffix("_coef") for name in arrays if name.endswith("_coef")]
        return cls({m: np.asarray(arrays[f"{m}_coef"], dtype=np.float64) for m in methods},
                   {m: float(arrays[f"{m}_intercept"]) for m in methods},
                   float(arrays.get("base_rate", 0.0)), int(arrays.get("label_count", 0)))


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def label_features(sentence_scores: np.ndarray) -> np.ndarray:
    """(labels, features) of one document from its (sentences, labels) scores: the mean of the
    label's best sentences, and how far that stands above the mean over the labels."""
    if sentence_scores.shape[0] == 0:
        return np.zeros((sentence_scores.shape[1], 2))
    k = min(TOP_SENTENCES, sentence_scores.shape[0])
    top = -np.sort(-sentence_scores, axis=0)[:k].mean(axis=0)
    return np.stack([top, top - top.mean()], axis=1)


@dataclass(frozen=True)
class ExampleHeads:
    """Per label with examples: a logistic regression over sentence vectors, and the examples'
    vectors themselves (a sentence's closeness to its nearest examples is read beside the head)."""

    head: LinearHead
    columns: tuple[int, ...]  # the taxonomy label index each row of `head` scores
    examples: tuple[np.ndarray, ...]  # per row: the vectors of the label's (and narrower labels') examples
    pushing_none: np.ndarray | None = None  # vectors of the file-wide negatives

    def scores(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(units, rows) head scores, and each unit's closeness to the label's examples: its mean
        cosine to the `NEAREST` closest, less the same to the file-wide negatives when there are
        some (a sentence close to the examples and as close to text that pushes nothing is no sign)."""
        if len(vectors) == 0:
            empty = np.zeros((0, len(self.columns)))
            return empty, empty
        nearest = np.stack([_nearest(vectors, examples) for examples in self.examples], axis=1)
        if self.pushing_none is not None:
            nearest -= _nearest(vectors, self.pushing_none)[:, None]
        return self.head.scores(vectors), nearest


def _nearest(vectors: np.ndarray, examples: np.ndarray) -> np.ndarray:
    return -np.sort(-(vectors @ examples.T), axis=1)[:, :NEAREST].mean(axis=1)


class CustomNarratives:
    """The `custom` component for one taxonomy: `name`, `version`, `labels`, `__call__`."""

    name = "custom"
    version = VERSION

    def __init__(self, taxonomy: UserTaxonomy, examples: Examples, calibration: Calibration,
                 trained: TrainedHead | None = None):
        self.taxonomy = taxonomy
        self.labels = tuple(label.name for label in taxonomy.labels)
        self.calibration = calibration
        self.trained = trained
        encoder = get_encoder()
        queries = [f"{label.name}. {label.description}" for label in taxonomy.labels]
        self.queries = encoder.encode(queries, query=True)
        self.heads = fit_example_heads(taxonomy, examples)
        # the calibration the example heads read ("descriptions" has none to read)
        self.example_method = EXAMPLES_WITH_NONE if examples.pushing_none else "examples"
        self.info = TaxonomyInfo(name=taxonomy.name, version=taxonomy.version, fingerprint=taxonomy.fingerprint)

    def sentence_scores(self, document: Document) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
        """Per unit (sentence, or paragraph without sentences): its vector, its similarity to each
        label's description, and (with examples) each example head's score and closeness to the
        label's nearest examples."""
        units = evidence_units(document)
        vectors = sentence_embeddings(document) if document.sentences else _unit_vectors(document, units)
        similarity = vectors @ self.queries.T
        return vectors, similarity, self.heads.scores(vectors) if self.heads is not None else None

    def features(self, document: Document, method: str) -> tuple[np.ndarray, list[int]]:
        """The calibration's input for the labels `method` scores ("descriptions", or the example
        heads' method): rows of features, label columns."""
        _, similarity, examples = self.sentence_scores(document)
        if method == "descriptions":
            return label_features(similarity), list(range(len(self.labels)))
        if examples is None:
            return np.zeros((0, EXAMPLE_FEATURES)), []
        return self._example_features(similarity, examples), list(self.heads.columns)

    def _example_features(self, similarity: np.ndarray, examples: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        heads, nearest = examples
        return np.hstack([label_features(heads), label_features(nearest),
                          label_features(similarity)[list(self.heads.columns)]])

    def probabilities(self, document: Document) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Per label: its probability, each unit's score for it (for evidence), and the method."""
        vectors, similarity, examples = self.sentence_scores(document)
        probabilities = self.calibration("descriptions", label_features(similarity), range(len(self.labels)),
                                         len(self.labels))
        unit_scores = similarity.copy()
        methods = ["descriptions"] * len(self.labels)
        if examples is not None:
            columns = list(self.heads.columns)
            heads = examples[0]
            probabilities[columns] = self.calibration(self.example_method, self._example_features(similarity, examples),
                                                      columns, len(self.labels))
            unit_scores[:, columns] = heads
            for column in columns:
                methods[column] = "examples"
        if self.trained is not None:
            probabilities, unit_scores = self.trained.apply(vectors, probabilities, unit_scores)
            for column in self.trained.columns:
                methods[column] = "trained"
        return _with_parents(self.taxonomy, probabilities), unit_scores, methods

    def present(self, probabilities: np.ndarray) -> set[int]:
        """The labels found: the likeliest set (`likeliest_set`), and any label at or above its cut
        (0.5, or the trained head's)."""
        cuts = self.trained.cuts(len(self.labels)) if self.trained is not None else np.full(len(self.labels), PRESENT)
        return set(likeliest_set(probabilities)) | {i for i in range(len(self.labels)) if probabilities[i] >= cuts[i]}

    def __call__(self, analysis: Analysis) -> Analysis:
        document = analysis.document
        probabilities, unit_scores, methods = self.probabilities(document)
        present = self.present(probabilities)
        order = sorted(range(len(self.labels)), key=lambda i: (-probabilities[i], i))
        units = evidence_units(document)
        ids = [self.taxonomy.labels[i].id for i in order]
        evidence = choose_evidence(units, unit_scores[:, order], ids) if units else {}
        analysis.results.custom = [*(analysis.results.custom or []), CustomResult(
                component=ComponentInfo(name=self.name, version=self.version),
                taxonomy=self.info,
                labels=[
                    CustomLabel(
                        id=self.taxonomy.labels[i].id,
                        label=self.taxonomy.labels[i].name,
                        parent=self.taxonomy.labels[i].parent,
                        score=round(float(probabilities[i]), 4),
                        present=i in present,
                        method=methods[i],
                        evidence=evidence.get(self.taxonomy.labels[i].id, []),
                    )
                    for i in order
                ],
            )]
        return analysis


def likeliest_set(probabilities: np.ndarray) -> list[int]:
    """The labels to call present: of the empty set and the 1..`MAX_PRESENT` likeliest labels,
    the set with the highest expected F1 against the document's true labels, given calibrated
    probabilities (the plug-in estimate 2·Σp(set) / (|set| + Σp(all)); the empty set's is the
    chance that no label applies). So a document gets the labels it most likely pushes, or none,
    without a fixed cut that rare labels would never pass."""
    order = [int(i) for i in np.argsort(-probabilities, kind="stable")]
    total = float(probabilities.sum())
    best, best_value = [], no_label_chance(probabilities)
    for size in range(1, min(MAX_PRESENT, len(order)) + 1):
        value = 2.0 * float(probabilities[order[:size]].sum()) / (size + total)
        if value > best_value:
            best, best_value = order[:size], value
    return best


def no_label_chance(probabilities: np.ndarray) -> float:
    """The chance that none of the labels applies (the empty set's value in `likeliest_set`)."""
    return float(np.prod(1.0 - probabilities))


def fit_example_heads(taxonomy: UserTaxonomy, resolved: Examples) -> ExampleHeads | None:
    """A logistic regression per label that has examples: its examples (and its narrower labels')
    against the other labels' examples (not its broader or narrower ones), its negatives and the
    file-wide negatives."""
    examples = resolved.positive
    with_examples = [i for i, label in enumerate(taxonomy.labels) if _own_and_narrower(taxonomy, label.id, examples)]
    if not with_examples:
        return None
    from sklearn.linear_model import LogisticRegression  # only when a taxonomy has examples

    encoder = get_encoder()
    texts = sorted({t for ts in [*examples.values(), *resolved.negative.values(), resolved.pushing_none] for t in ts})
    vectors = dict(zip(texts, encoder.encode(texts))) if texts else {}
    coef, intercept, example_vectors = [], [], []
    for index in with_examples:
        label = taxonomy.labels[index]
        positive = _own_and_narrower(taxonomy, label.id, examples)
        example_vectors.append(np.stack([vectors[t] for t in positive]))
        related = {label.id, *taxonomy.ancestors(label.id), *_descendants(taxonomy, label.id)}
        negative = [t for other in taxonomy.labels if other.id not in related for t in examples.get(other.id, [])]
        negative = sorted(set(negative + resolved.negative.get(label.id, []) + resolved.pushing_none) - set(positive))
        if not negative:  # a taxonomy of one label: its description's opposite is all we have
            coef.append(np.mean([vectors[t] for t in positive], axis=0))
            intercept.append(-float(np.mean([vectors[t] @ coef[-1] for t in positive])))
            continue
        x = np.stack([vectors[t] for t in positive + negative])
        y = np.array([1] * len(positive) + [0] * len(negative))
        model = LogisticRegression(C=FEW_SHOT_C, class_weight="balanced", max_iter=1000).fit(x, y)
        coef.append(model.coef_[0])
        intercept.append(float(model.intercept_[0]))
    pushing_none = np.stack([vectors[t] for t in resolved.pushing_none]) if resolved.pushing_none else None
    return ExampleHeads(LinearHead(np.stack(coef).astype(np.float32), np.array(intercept, dtype=np.float32)),
                        tuple(with_examples), tuple(example_vectors), pushing_none)


def _own_and_narrower(taxonomy: UserTaxonomy, label_id: str, examples: dict[str, list[str]]) -> list[str]:
    found = list(examples.get(label_id, []))
    for child in _descendants(taxonomy, label_id):
        found += [t for t in examples.get(child, []) if t not in found]
    return found


def _descendants(taxonomy: UserTaxonomy, label_id: str) -> list[str]:
    return [label.id for label in taxonomy.labels if label_id in taxonomy.ancestors(label.id)]


def _with_parents(taxonomy: UserTaxonomy, probabilities: np.ndarray) -> np.ndarray:
    """A narrower label implies its broader one: a parent is at least as likely as its children."""
    probabilities = probabilities.copy()
    index = {label.id: i for i, label in enumerate(taxonomy.labels)}
    for i, label in enumerate(taxonomy.labels):
        for ancestor in taxonomy.ancestors(label.id):
            probabilities[index[ancestor]] = max(probabilities[index[ancestor]], probabilities[i])
    return probabilities


def _unit_vectors(document: Document, units: Sequence) -> np.ndarray:
    return get_encoder().encode([document.text[u.start : u.end] for u in units])


# --- building: one scorer per taxonomy file, cached ------------------------------------------

_BUILT: dict[tuple[str, str, str], CustomNarratives] = {}
_LOCK = threading.Lock()


def create_custom(taxonomy: UserTaxonomy, documents: DocumentLookup | None = None,
                  examples: Examples | None = None) -> CustomNarratives:
    """The scorer of `taxonomy` (examples read unless given as `resolve_examples` returns them,
    heads fitted, a trained model found beside the file loaded); built once per taxonomy
    fingerprint and encoder."""
    key = (taxonomy.fingerprint, str(taxonomy.path), ENCODER_NAME)
    with _LOCK:
        if key not in _BUILT:
            examples = examples or resolve_examples(taxonomy, documents)
            register(LabelSet(f"custom:{taxonomy.name}", ("custom",), {l.name: l.name for l in taxonomy.labels}))
            _BUILT[key] = CustomNarratives(taxonomy, examples, shipped_calibration(), load_trained(taxonomy))
        return _BUILT[key]


Recipe = tuple[UserTaxonomy, Examples]  # a taxonomy and its examples, read
_RECIPES: dict[tuple[str, str], Recipe] = {}


def recipe(taxonomy: UserTaxonomy, documents: DocumentLookup | None = None) -> Recipe:
    """`taxonomy` with its examples read (article files, stored documents): all another process
    (a batch's worker child, a Spark executor) needs to build its scorer, `from_recipes`. Read once
    per file version."""
    key = (taxonomy.fingerprint, str(taxonomy.path))
    with _LOCK:
        if key not in _RECIPES:
            _RECIPES[key] = (taxonomy, resolve_examples(taxonomy, documents))
        return _RECIPES[key]


def from_recipes(recipes: Sequence[Recipe]) -> tuple[CustomNarratives, ...]:
    return tuple(create_custom(taxonomy, examples=examples) for taxonomy, examples in recipes)


def shipped_calibration() -> Calibration:
    arrays, _ = load("custom")
    return Calibration.from_arrays(arrays)
