"""Entities and the roles an article casts them in (SemEval-2025 Task 10, subtask 1).

Mentions come from `narrascope.mentions` (a gazetteer learnt from the annotations plus
capitalised runs). Each mention is read as the embeddings of its sentence and its own text, the
document's pooled lead paragraphs, how the annotators usually cast that name (a smoothed prior
learnt from the training annotations), the document's language (before recipe 1.5) and, from
recipe 1.3, the document's stance: the narratives the article pushes (a head of the role
artifact's own, over the pooled paragraph vectors), alone and crossed with the name's prior, so a
name the press usually casts as an antagonist can turn protagonist in an article on the other
side. A softmax regression gives the main role (Protagonist / Antagonist / Innocent), one-vs-rest
regressions the fine roles, of which only those belonging to the main role are kept. Only
entities the model is confident play a role are reported.

Recipe 1.4 reads the mention in its context as well: the mean of the encoder's last-layer states
of the pieces inside the mention (the same pass as the sentence vectors, so it costs nothing at
analysis). The text's own vector says who the name is; its states say what the sentence does with
it, and that carries across languages where the name prior does not (cross-language exact match
0.242 -> 0.276, every held-out language better; cross-source 0.220 -> 0.242 pooled over mentions,
though the mean over sources falls 0.252 -> 0.222 on four sources of 3 to 18 mentions; validation
0.396 -> 0.405; docs/results.md). Its fine roles come from a softmax over each main role's own
fine roles, learnt on that main role's mentions only (`fine_probabilities`), instead of
one-vs-rest over all 22.

Recipe 1.5 fits the heads with the one-hot of each document's language and serves them without
it. Served, the one-hot learnt from a language's annotated sources told the heads how those
sources cast names, and carried it to the language's other outlets, right or wrong (cross-source
Portuguese: the PT outlet was read with the habits of two small PT sources). Fitted with it, each
language's habits go into its own column and the rest of the head learns what holds across
languages, which is what an article from a new outlet gets (`train.roles._served`): cross-source
exact match 0.222 -> 0.274 (mean over sources; 0.242 -> 0.271 pooled over mentions; PT 0.185 ->
0.322), cross-language unchanged (0.276). In-period validation falls 0.405 -> 0.380: that is what
the served one-hot was worth on outlets the heads had already seen (docs/results.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..artifacts import load
from ..encoder import DIM, TokenStates, get_encoder, paragraph_embeddings, sentence_embeddings
from ..encoder.saved_states import document_states
from ..linear import LinearHead, pooled, softmax
from ..mentions import FoundMention, Gazetteer, entity_type, find_mentions, group_mentions, name_key
from ..model import Analysis, Document, EntitiesResult, Entity, EntityMention, LabelScore, Span
from ..taxonomy import FINE_ROLES, MAIN_ROLES, fine_roles
from . import info, register
from .narratives import lead_features

FINE_ROLE_LABELS = fine_roles()
MAX_ENTITIES = 12  # an article casts a handful of entities; past that it is listing names
ROLE_LANGUAGES = ("bg", "en", "hi", "pt", "ru")  # the annotations' languages; others read as none
# pseudo-mentions of the overall role shares added to every name's counts (0.5 and 5 scored the same)
PRIOR_SMOOTHING = 2.0
# sentence and mention-text vectors, lead mean and max; name prior
_SHARED_FEATURES = 4 * DIM + len(MAIN_ROLES) + 1
# and the language one-hot read up to recipe 1.4
ROLE_FEATURES = _SHARED_FEATURES + len(ROLE_LANGUAGES)


@dataclass(frozen=True)
class NamePrior:
    """How the training annotations cast each name (by its stem key, so inflections share one
    entry): "NATO" is mostly an antagonist in this press, "civilians" mostly innocent. A name's
    feature is its main-role shares smoothed towards the overall shares, and its log count."""

    counts: dict[str, np.ndarray]  # joined name key -> mentions per main role
    base: np.ndarray  # overall share of each main role

    @classmethod
    def learn(cls, names: Sequence[str], roles: Sequence[str]) -> "NamePrior":
        counts: dict[str, np.ndarray] = {}
        for name, role in zip(names, roles):
            counts.setdefault(_prior_key(name), np.zeros(len(MAIN_ROLES)))[MAIN_ROLES.index(role)] += 1
        total = np.sum(list(counts.values()), axis=0) if counts else np.ones(len(MAIN_ROLES))
        return cls(counts, total / total.sum())

    def features(self, names: Sequence[str]) -> np.ndarray:
        """One row per name: smoothed main-role shares, then log(1 + times annotated)."""
        seen = np.array([self.counts.get(_prior_key(name), np.zeros(len(MAIN_ROLES))) for name in names])
        seen = seen.reshape(len(names), len(MAIN_ROLES))
        total = seen.sum(axis=1, keepdims=True)
        shares = (seen + PRIOR_SMOOTHING * self.base) / (total + PRIOR_SMOOTHING)
        return np.hstack([shares, np.log1p(total)]).astype(np.float32)

    def arrays(self) -> dict[str, np.ndarray]:
        names = sorted(self.counts)
        return {
            "prior_names": np.array(names, dtype=str),
            "prior_counts": np.array([self.counts[n] for n in names], dtype=np.int32).reshape(-1, len(MAIN_ROLES)),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "NamePrior":
        counts = arrays["prior_counts"].astype(float)
        total = counts.sum(axis=0) if len(counts) else np.ones(len(MAIN_ROLES))
        return cls(dict(zip(arrays["prior_names"].tolist(), counts)), total / total.sum())


def _prior_key(name: str) -> str:
    return " ".join(name_key(name))


@dataclass(frozen=True)
class DocumentStance:
    """Which narratives a document pushes, as the role heads' context: a one-vs-rest head over
    the mean and max of all its paragraph vectors, trained on the role documents' own narrative
    annotations (the roles artifact carries it, so the role heads and their context are fitted
    and evaluated together, never on probabilities of a head that saw the scored article)."""

    head: LinearHead
    labels: tuple[str, ...]

    def probabilities(self, document: Document) -> np.ndarray:
        return self.head.sigmoid(document_vector(document)[None, :])[0]

    def arrays(self) -> dict[str, np.ndarray]:
        return {**self.head.arrays("stance"), "stance_labels": np.array(self.labels, dtype=str)}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "DocumentStance | None":
        """The stance head an artifact stores, or None for one from before recipe 1.3."""
        if "stance_coef" not in arrays:
            return None
        return cls(LinearHead.from_arrays(arrays, "stance"), tuple(arrays["stance_labels"].tolist()))


def document_vector(document: Document) -> np.ndarray:
    """Mean and max of all the document's paragraph vectors (the stance head's input)."""
    paragraphs = paragraph_embeddings(document)
    return pooled(paragraphs if len(paragraphs) else np.zeros((1, DIM), dtype=np.float32))


def stance_features(prior_rows: np.ndarray, stance: np.ndarray) -> np.ndarray:
    """One row per mention: the document's narrative probabilities, then each main-role prior
    share times each of them (how a name usually cast as antagonist reads in a document that
    praises its side)."""
    shares = prior_rows[:, : len(MAIN_ROLES)]
    crossed = (shares[:, :, None] * stance[None, None, :]).reshape(len(prior_rows), -1)
    return np.hstack([np.tile(stance, (len(prior_rows), 1)), crossed]).astype(np.float32)


def containing_units(units: Sequence[Span], spans: Sequence[Span]) -> list[int]:
    """Index of the unit (paragraph or sentence) each span starts in."""
    starts = np.array([u.start for u in units] or [0])
    return np.clip(np.searchsorted(starts, [s.start for s in spans], side="right") - 1, 0, None).tolist()


def role_features(
    document: Document,
    spans: Sequence[Span],
    prior: NamePrior,
    stance: np.ndarray | None = None,
    in_context: bool = False,
    languages: Sequence[str] = ROLE_LANGUAGES,
) -> np.ndarray:
    """One row per mention: the vectors of its sentence and its text, the document's pooled lead
    vector (the narrative heads' input), the `stance_features` of the document's narrative
    probabilities `stance` when given, the name's role prior, a one-hot of the document's
    language among `languages` (none from recipe 1.5) and, with `in_context`, the mention's
    `in_context_vectors`. (The sentence read better than the whole paragraph on validation: 0.758
    against 0.749 main-role accuracy, 0.394 against 0.369 fine-role exact match, BG/EN/PT/RU.)"""
    stance = np.zeros(0, dtype=np.float32) if stance is None else np.asarray(stance, dtype=np.float32)
    if not spans:
        width = _SHARED_FEATURES + len(languages) + len(stance) * (1 + len(MAIN_ROLES)) + (DIM if in_context else 0)
        return np.zeros((0, width), dtype=np.float32)
    paragraphs = paragraph_embeddings(document)
    if not len(paragraphs):
        paragraphs = np.zeros((1, DIM), dtype=np.float32)
    # a document built without sentences reads each mention's paragraph in its sentence's place
    sentence_rows = (
        sentence_embeddings(document)[containing_units(document.sentences, spans)]
        if document.sentences
        else paragraphs[containing_units(document.paragraphs, spans)]
    )
    texts = [document.text[s.start : s.end] for s in spans]
    mention_rows = get_encoder().encode([text.strip() or "?" for text in texts])
    lead = np.tile(lead_features(paragraphs), (len(spans), 1))
    code = (document.language.code or "").lower()
    language = np.tile([code == known for known in languages], (len(spans), 1))
    prior_rows = prior.features(texts)
    context = stance_features(prior_rows, stance)
    blocks = [sentence_rows, mention_rows, lead, context, prior_rows, language]
    if in_context:
        blocks.append(in_context_vectors(document_states(document), spans))
    return np.hstack(blocks).astype(np.float32)


def in_context_vectors(states: TokenStates, spans: Sequence[Span]) -> np.ndarray:
    """One row per span: the mean last-layer state of the pieces overlapping it, L2-normalised
    (zeros for a span no piece reaches)."""
    rows = np.zeros((len(spans), DIM), dtype=np.float32)
    for i, span in enumerate(spans):
        inside = (states.offsets[:, 0] < span.end) & (states.offsets[:, 1] > span.start)
        if inside.any():
            mean = states.states[inside].mean(axis=0)
            rows[i] = mean / max(float(np.linalg.norm(mean)), 1e-9)
    return rows


def fine_probabilities(head: LinearHead, features: np.ndarray, within_main_role: bool) -> np.ndarray:
    """Each mention's probability of every fine role: one-vs-rest sigmoids, or, `within_main_role`,
    a softmax over each main role's own fine roles (the probability of the fine role given that
    main role)."""
    if not within_main_role:
        return head.sigmoid(features)
    scores = head.scores(features)
    probabilities = np.zeros_like(scores)
    for roles in FINE_ROLES.values():
        columns = [FINE_ROLE_LABELS.index(role) for role in roles]
        probabilities[:, columns] = softmax(scores[:, columns])
    return probabilities


def cast(document: Document, spans: Sequence[Span], main: np.ndarray, fine: np.ndarray, fine_threshold: float) -> list[EntityMention]:
    """Each mention's roles from its main-role (softmax) and fine-role (sigmoid) probabilities:
    the likeliest main role, and those of its fine roles at or above `fine_threshold` (at least
    its likeliest one)."""
    return [_mention(document, span, m, f, fine_threshold) for span, m, f in zip(spans, main, fine)]


def _mention(document: Document, span: Span, main: np.ndarray, fine: np.ndarray, fine_threshold: float) -> EntityMention:
    role = MAIN_ROLES[int(np.argmax(main))]
    allowed = [(label, float(fine[FINE_ROLE_LABELS.index(label)])) for label in FINE_ROLES[role]]
    allowed.sort(key=lambda item: -item[1])
    chosen = [item for item in allowed if item[1] >= fine_threshold] or allowed[:1]
    return EntityMention(
        start=span.start,
        end=span.end,
        text=document.text[span.start : span.end],
        main_role=role,
        main_role_scores={label: round(float(p), 4) for label, p in zip(MAIN_ROLES, main)},
        fine_roles=[LabelScore(label=label, score=round(p, 4)) for label, p in chosen],
    )


def gazetteer_from_arrays(arrays: dict[str, np.ndarray]) -> Gazetteer:
    """The gazetteer an artifact stores as names with their counts and the common words."""
    surfaces = arrays["gazetteer_surfaces"].tolist()
    counts = arrays["gazetteer_counts"].tolist()
    return Gazetteer.learn((s for s, n in zip(surfaces, counts) for _ in range(int(n))), arrays["common_words"].tolist())


class Entities:
    name = "entities"
    labels = MAIN_ROLES + FINE_ROLE_LABELS

    def __init__(self, arrays: dict[str, np.ndarray], card: dict):
        self.version = card["version"]
        self.main_head = LinearHead.from_arrays(arrays, "main")
        self.fine_head = LinearHead.from_arrays(arrays, "fine")
        self.fine_threshold = float(card["fine_threshold"])
        # recipe 1.4 on; an artifact from before it has neither
        self.in_context = bool(card.get("in_context_mentions", False))
        self.fine_within_main_role = card.get("fine_head", "one-vs-rest") == "softmax within each main role"
        # recipe 1.5 reads no language one-hot; an artifact from before it read one of ROLE_LANGUAGES
        self.one_hot_languages = tuple(card.get("language_one_hot", ROLE_LANGUAGES))
        self.role_threshold = float(card["role_threshold"])
        self.name_prior = NamePrior.from_arrays(arrays)
        self.stance = DocumentStance.from_arrays(arrays)
        self.gazetteer = gazetteer_from_arrays(arrays)

    def predict_roles(self, analysis: Analysis, mentions: list[Span]) -> list[EntityMention]:
        """Roles for exactly the given mentions, in their order."""
        document = analysis.document
        for span in mentions:
            if not 0 <= span.start <= span.end <= len(document.text):
                raise ValueError(f"mention {span.start}-{span.end} lies outside the document")
        stance = self.stance.probabilities(document) if self.stance and mentions else None
        features = role_features(document, mentions, self.name_prior, stance, self.in_context, self.one_hot_languages)
        main = self.main_head.softmax(features) if len(features) else np.zeros((0, 3))
        fine = (
            fine_probabilities(self.fine_head, features, self.fine_within_main_role)
            if len(features)
            else np.zeros((0, len(FINE_ROLE_LABELS)))
        )
        return cast(document, mentions, main, fine, self.fine_threshold)

    def __call__(self, analysis: Analysis) -> Analysis:
        text = analysis.document.text
        found = find_mentions(analysis.document, self.gazetteer)
        kinds = {
            tuple(group): entity_type(text, [found[i] for i in group], self.gazetteer)
            for group in group_mentions(found)
        }
        groups = self._salient(found, kinds)
        spans = [Span(start=found[i].start, end=found[i].end) for group in groups for i in group]
        roles = iter(self.predict_roles(analysis, spans))
        entities = []
        for group in groups:
            mentions = [next(roles) for _ in group]
            if max(max(m.main_role_scores.values()) for m in mentions) < self.role_threshold:
                continue
            names = Counter(found[i].text for i in group)
            entities.append(Entity(name=names.most_common(1)[0][0], type=kinds[group], mentions=mentions))
        analysis.results.entities = EntitiesResult(component=info(self), entities=entities)
        return analysis

    def _salient(self, found: list[FoundMention], kinds: dict[tuple[int, ...], str | None]) -> list[tuple[int, ...]]:
        """Entities worth a role: known from the annotations or named more than once; the most
        mentioned first, and among equals those whose type is known (an untyped capitalised
        word is more often a stray headline word)."""
        kept = [g for g in kinds if len(g) > 1 or found[g[0]].key in self.gazetteer.names]
        kept.sort(key=lambda g: (-len(g), kinds[g] is None, found[g[0]].start))
        return kept[:MAX_ENTITIES]


@register("entities")
def create_entities() -> Entities:
    return Entities(*load("roles"))
