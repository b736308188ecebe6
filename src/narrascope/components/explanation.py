"""A short explanation of the article's dominant narrative, built only from the article itself.

The dominant narrative is the most probable one `narratives` found (its most probable
subnarrative with it). The explanation names it in English and quotes, in the article's own
language, the sentence that carries it most, so every word of evidence is the article's and
links back to its offsets; nothing is generated.
"""

from __future__ import annotations

from ..model import Analysis, ExplanationPart, ExplanationResult, Span
from ..taxonomy import narrative_of
from . import Component, create, info, register

MAX_QUOTE_CHARS = 400  # a longer evidence sentence is cut at a word boundary, marked with "…"


class Explanation:
    name = "explanation"
    labels: tuple[str, ...] = ()

    def __init__(self, narratives: Component):
        self.version = "1.0"
        self._narratives = narratives  # runs only when the pipeline has not run it already

    def __call__(self, analysis: Analysis) -> Analysis:
        if analysis.results.narratives is None:
            self._narratives(analysis)
        result = analysis.results.narratives
        dominant = result.narratives[0]
        subnarratives = [s for s in result.subnarratives if narrative_of(s.label) == dominant.label]
        sub = subnarratives[0] if subnarratives else None
        if dominant.label == "Other":
            text = "The article pushes none of the known war or climate narratives."
            analysis.results.explanation = ExplanationResult(
                component=info(self), narrative="Other", subnarrative=None, text=text,
                parts=[ExplanationPart(text=text)],
            )
            return analysis
        evidence = (sub.evidence if sub and sub.evidence else dominant.evidence)[:1]
        claim = _label_phrase(dominant.label, sub.label if sub else None)
        parts = [ExplanationPart(text=f"The article pushes {claim}" + (":" if evidence else "."))]
        parts += [ExplanationPart(text=_quote(analysis.document.text, span), evidence=[span]) for span in evidence]
        analysis.results.explanation = ExplanationResult(
            component=info(self),
            narrative=dominant.label,
            subnarrative=sub.label if sub else None,
            text=" ".join(part.text for part in parts),
            parts=parts,
        )
        return analysis


def _label_phrase(narrative: str, subnarrative: str | None) -> str:
    """'URW: Discrediting Ukraine' + '...: Ukraine is a puppet of the West' ->
    'the narrative "Discrediting Ukraine" (Ukraine is a puppet of the West)'."""
    name = narrative.split(": ", 1)[1]
    detail = subnarrative.rsplit(": ", 1)[1] if subnarrative else "Other"
    return f'the narrative "{name}"' + (f" ({detail})" if detail != "Other" else "")


def _quote(text: str, span: Span) -> str:
    sentence = text[span.start : span.end]
    if len(sentence) <= MAX_QUOTE_CHARS:
        return sentence
    return sentence[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


@register("explanation")
def create_explanation() -> Explanation:
    return Explanation(create("narratives"))
