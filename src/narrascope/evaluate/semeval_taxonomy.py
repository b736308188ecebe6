"""The SemEval-2025 narratives written up as a user's taxonomy file would be: what the custom
labels are calibrated on (`train.custom_calibration`) and measured with (benchmarks/bench_custom.py).

Each narrative gets a one-line description as a user would write it; a subnarrative is described
by its name under its narrative, and is the narrative's child. Example sentences come from the
fit part's evidence: for each label, the fit articles labelled with it (in an order fixed by a
hash of the seed and the file name), one sentence each, the one the built-in narratives head
scores highest for the label (its word n-grams shortlist three sentences, its full features,
vectors included, pick among them: the same ranking as `Narratives.evidence`, on a tenth of
the encoder work). Articles that push no narrative ("Other") stand in for the articles a user
lists as pushing none of the labels (`none_examples`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from ..components.custom_examples import pushing_none_sentences
from ..components.narratives import OTHER, Narratives, narrative_features
from ..encoder import get_encoder
from ..taxonomy import narrative_of
from ..user_taxonomy import ExampleRef, UserLabel, UserTaxonomy
from .datasets import Example

SHORTLIST = 3
NARRATIVE_DESCRIPTIONS = {
    "CC: Amplifying Climate Fears": "Climate change is presented as a catastrophe that is already here and will destroy us.",
    "CC: Climate change is beneficial": "A warmer climate and more CO2 are good for plants, farming and people.",
    "CC: Controversy about green technologies": "Renewable energy and green technologies are costly, unreliable or dangerous.",
    "CC: Criticism of climate movement": "Climate activists are alarmist, hypocritical, corrupt or ridiculous.",
    "CC: Criticism of climate policies": "Climate policies do not work, hurt the economy or only serve someone's profit.",
    "CC: Criticism of institutions and authorities": "Governments, the EU and international bodies are failing or abusing power over climate.",
    "CC: Downplaying climate change": "Climate change is natural, small or harmless, and humans do not drive it.",
    "CC: Green policies are geopolitical instruments": "Green policies are a tool for powerful countries to dominate poorer ones.",
    "CC: Hidden plots by secret schemes of powerful groups": "Elites secretly push the climate agenda for hidden motives.",
    "CC: Questioning the measurements and science": "Climate data, models and scientists cannot be trusted.",
    "URW: Amplifying war-related fears": "The war will escalate: nuclear weapons, World War III, attacks on other countries.",
    "URW: Blaming the war on others rather than the invader": "The West or Ukraine, not Russia, caused the war and are the aggressors.",
    "URW: Discrediting Ukraine": "Ukraine's government, army and society are corrupt, criminal, Nazi or hopeless puppets.",
    "URW: Discrediting the West, Diplomacy": "The West is weak, divided and self-interested, and diplomacy will not work.",
    "URW: Distrust towards Media": "Western and Ukrainian media spread propaganda and cannot be trusted.",
    "URW: Hidden plots by secret schemes of powerful groups": "Secret groups and elites are behind the war for their own plans.",
    "URW: Negative Consequences for the West": "Sanctions and support for Ukraine backfire on Western economies and societies.",
    "URW: Overpraising the West": "The West is on the right side of history, united and strong, and will defeat Russia.",
    "URW: Praise of Russia": "Russia, its army and Putin are strong, admired and bring peace and prosperity.",
    "URW: Russia is the Victim": "Russia is the victim of Western russophobia and only defends itself.",
    "URW: Speculating war outcomes": "Predictions of who is winning or collapsing and how the war will end.",
}


def label_id(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug if len(slug) <= 64 else slug[:55].rstrip("-") + "-" + hashlib.sha1(name.encode()).hexdigest()[:8]


def semeval_taxonomy(
    narrative_labels: Sequence[str],
    subnarrative_labels: Sequence[str],
    examples: dict[str, list[str]] | None = None,
    pushing_none: Sequence[str] = (),
) -> UserTaxonomy:
    """The narratives (parents) and specific subnarratives (children) as a taxonomy; `examples`
    maps a SemEval label to its example sentences, `pushing_none` are the file-wide negatives."""
    examples = examples or {}
    labels = [
        UserLabel(label_id(name), name, NARRATIVE_DESCRIPTIONS[name],
                  examples=tuple(ExampleRef(text=t) for t in examples.get(name, [])))
        for name in narrative_labels
    ]
    for name in subnarrative_labels:
        parent = narrative_of(name)
        specific = name.rsplit(": ", 1)[1]
        labels.append(UserLabel(label_id(name), name, f"{specific}. ({parent.split(': ', 1)[1]})", label_id(parent),
                                tuple(ExampleRef(text=t) for t in examples.get(name, []))))
    count = max((len(v) for v in examples.values()), default=0)
    return UserTaxonomy(name="semeval2025-narratives", version=f"examples-{count}", labels=tuple(labels),
                        negatives=tuple(ExampleRef(text=t) for t in pushing_none))


def semeval_sets(present: Sequence[str], narrative_labels: Sequence[str]) -> tuple[set[str], set[str]]:
    """(coarse, fine) SemEval label sets from the present custom labels' names, read as the task
    reads them: nothing present is "Other"; a narrative without a specific child present gets
    "<narrative>: Other"."""
    narratives = {name for name in present if name in narrative_labels}
    subnarratives = {name for name in present if name not in narrative_labels}
    narratives |= {narrative_of(name) for name in subnarratives}
    if not narratives:
        return {OTHER}, {OTHER}
    fine = subnarratives | {f"{n}: Other" for n in narratives if not any(narrative_of(s) == n for s in subnarratives)}
    return narratives, fine


def evidence_examples(model: Narratives, sources: Sequence[Example], labels: Sequence[str], count: int,
                      seed: int) -> dict[str, list[str]]:
    """Up to `count` example sentences per label from `sources` (see the module docstring)."""
    chosen: dict[str, list[str]] = {}
    for label in labels:
        documents = [e for e in sources if label in set(e.narratives or []) | set(e.subnarratives or [])]
        picked: list[str] = []
        for example in _drawn(documents, seed):
            sentence = _best_sentence(model, example, label)
            if sentence and sentence not in picked:
                picked.append(sentence)
            if len(picked) == count:
                break
        chosen[label] = picked
    return chosen


def none_articles(sources: Sequence[Example], seed: int) -> list[Example]:
    """The articles of `sources` that push no narrative ("Other"), in the order `evidence_examples`
    draws documents."""
    return _drawn([e for e in sources if set(e.narratives or []) == {OTHER}], seed)


def none_examples(sources: Sequence[Example], count: int | None, seed: int) -> list[str]:
    """The sentences of the first `count` (None: all) `none_articles`, as a user lists articles
    that push none of the labels (file-wide negatives: `pushing_none_sentences` of each)."""
    articles = none_articles(sources, seed)[:count]
    sentences = [t for example in articles for t in pushing_none_sentences(example.document)]
    return list(dict.fromkeys(sentences))


def _drawn(documents: Sequence[Example], seed: int) -> list[Example]:
    """`documents` in an order fixed by a hash of the seed and each file's name."""
    return sorted(documents, key=lambda e: hashlib.sha1(f"{seed}:{e.language}/{e.document_id}".encode()).hexdigest())


def _best_sentence(model: Narratives, example: Example, label: str) -> str | None:
    document = example.document
    texts = [document.text[s.start : s.end] for s in document.sentences if len(document.text[s.start : s.end].split()) >= 4]
    if not texts:
        return None
    head, row = model._head_of(label)
    dim = head.coef.shape[1] - len(model.vocabulary.terms)
    lexical = np.asarray(model.vocabulary.transform(texts) @ head.coef[row, dim:]).ravel() * model.ngram_weight
    shortlist = [texts[i] for i in np.argsort(-lexical, kind="stable")[:SHORTLIST]]
    vectors = get_encoder().encode(shortlist)
    features = narrative_features(np.hstack([vectors, vectors]), shortlist, model.vocabulary, model.ngram_weight)
    return shortlist[int(np.argmax(head.scores(features)[:, row]))]
