"""Entities and the roles an article casts them in (SemEval-2025 Task 10, subtask 1).

Mentions come from `narrascope.mentions` (a gazetteer learnt from the annotations plus
capitalised runs). Each mention is read as its paragraph's embedding, the embedding of the
mention text and the document's pooled lead paragraphs: a softmax regression gives the main
role (Protagonist / Antagonist / Innocent), one-vs-rest regressions the fine roles, of which only
those belonging to the main role are kept. Only entities the model is confident play a role are
reported.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..artifacts import load
from ..encoder import DIM, get_encoder, paragraph_embeddings
from ..linear import LinearHead
from ..mentions import FoundMention, Gazetteer, find_mentions, group_mentions
from ..model import Analysis, Document, EntitiesResult, Entity, EntityMention, LabelScore, Span
from ..taxonomy import FINE_ROLES, MAIN_ROLES, fine_roles
from . import info, register
from .narratives import lead_features

FINE_ROLE_LABELS = fine_roles()
MAX_ENTITIES = 12  # an article casts a handful of entities; past that it is listing names


def mention_paragraphs(document: Document, spans: list[Span]) -> list[int]:
    """Index of the paragraph each span starts in."""
    starts = np.array([p.start for p in document.paragraphs] or [0])
    return np.clip(np.searchsorted(starts, [s.start for s in spans], side="right") - 1, 0, None).tolist()


def role_features(mention_texts: list[str], context_vectors: np.ndarray, lead_vector: np.ndarray) -> np.ndarray:
    """One row per mention: its paragraph's vector, the vector of its text, and the document's
    pooled lead vector (the narrative heads' input)."""
    if not mention_texts:
        return np.zeros((0, 4 * DIM), dtype=np.float32)
    mention_vectors = get_encoder().encode([text.strip() or "?" for text in mention_texts])
    lead = np.tile(lead_vector, (len(mention_texts), 1))
    return np.hstack([context_vectors, mention_vectors, lead]).astype(np.float32)


class Entities:
    name = "entities"
    labels = MAIN_ROLES + FINE_ROLE_LABELS

    def __init__(self, arrays: dict[str, np.ndarray], card: dict):
        self.version = card["version"]
        self.main_head = LinearHead.from_arrays(arrays, "main")
        self.fine_head = LinearHead.from_arrays(arrays, "fine")
        self.fine_threshold = float(card["fine_threshold"])
        self.role_threshold = float(card["role_threshold"])
        surfaces = arrays["gazetteer_surfaces"].tolist()
        counts = arrays["gazetteer_counts"].tolist()
        self.gazetteer = Gazetteer.learn(
            (s for s, n in zip(surfaces, counts) for _ in range(int(n))), arrays["common_words"].tolist()
        )

    def predict_roles(self, analysis: Analysis, mentions: list[Span]) -> list[EntityMention]:
        """Roles for exactly the given mentions, in their order."""
        document = analysis.document
        for span in mentions:
            if not 0 <= span.start <= span.end <= len(document.text):
                raise ValueError(f"mention {span.start}-{span.end} lies outside the document")
        vectors = paragraph_embeddings(document)
        if not len(vectors):
            vectors = np.zeros((1, DIM), dtype=np.float32)
        features = role_features(
            [document.text[s.start : s.end] for s in mentions],
            vectors[mention_paragraphs(document, list(mentions))],
            lead_features(vectors),
        )
        main = self.main_head.softmax(features) if len(features) else np.zeros((0, 3))
        fine = self.fine_head.sigmoid(features) if len(features) else np.zeros((0, len(FINE_ROLE_LABELS)))
        return [self._mention(document, span, m, f) for span, m, f in zip(mentions, main, fine)]

    def _mention(self, document: Document, span: Span, main: np.ndarray, fine: np.ndarray) -> EntityMention:
        role = MAIN_ROLES[int(np.argmax(main))]
        allowed = [(label, float(fine[FINE_ROLE_LABELS.index(label)])) for label in FINE_ROLES[role]]
        allowed.sort(key=lambda item: -item[1])
        chosen = [item for item in allowed if item[1] >= self.fine_threshold] or allowed[:1]
        return EntityMention(
            start=span.start,
            end=span.end,
            text=document.text[span.start : span.end],
            main_role=role,
            main_role_scores={label: round(float(p), 4) for label, p in zip(MAIN_ROLES, main)},
            fine_roles=[LabelScore(label=label, score=round(p, 4)) for label, p in chosen],
        )

    def __call__(self, analysis: Analysis) -> Analysis:
        found = find_mentions(analysis.document, self.gazetteer)
        groups = self._salient(found, group_mentions(found))
        spans = [Span(start=found[i].start, end=found[i].end) for group in groups for i in group]
        roles = iter(self.predict_roles(analysis, spans))
        entities = []
        for group in groups:
            mentions = [next(roles) for _ in group]
            if max(max(m.main_role_scores.values()) for m in mentions) < self.role_threshold:
                continue
            names = Counter(found[i].text for i in group)
            entities.append(Entity(name=names.most_common(1)[0][0], mentions=mentions))
        analysis.results.entities = EntitiesResult(component=info(self), entities=entities)
        return analysis

    def _salient(self, found: list[FoundMention], groups: list[list[int]]) -> list[list[int]]:
        """Entities worth a role: known from the annotations or named more than once; the most
        mentioned first."""
        kept = [g for g in groups if len(g) > 1 or found[g[0]].key in self.gazetteer.names]
        kept.sort(key=lambda g: (-len(g), found[g[0]].start))
        return kept[:MAX_ENTITIES]


@register("entities")
def create_entities() -> Entities:
    return Entities(*load("roles"))
