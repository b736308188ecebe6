"""A short explanation of the article's dominant narrative, built only from the article itself.

The dominant narrative is the most probable one `narratives` found, with its most probable
subnarrative, or the one given to `explain` (SemEval-2025 subtask 3 gives it with the article).
The explanation is one or two sentences in the article's language: a templated clause naming the
label (taxonomy names stay as the taxonomy writes them) followed by a quote of the article's
sentence that carries it most. Each part is one such clause, linked to the offsets
of the sentence it quotes, so nothing is generated and every claim can be checked. Languages
without a template get the English wording and a note saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Analysis, Document, ExplanationPart, ExplanationResult, Span
from ..taxonomy import narrative_of
from . import Component, create, info, register
from .narratives import OTHER

MAX_QUOTE_CHARS = 300  # a longer evidence sentence is cut at a word boundary, marked with "…"
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Wording:
    """The template of one language. `pushes` takes the narrative's name (already quoted);
    `detail` adds the subnarrative; `also` introduces a second subnarrative, `says_also` a
    second quote of the same one; `none` is the whole explanation of an article without any."""

    pushes: str
    detail: str
    also: str
    says_also: str
    none: str
    quotes: tuple[str, str]


WORDINGS: dict[str, Wording] = {
    "en": Wording("The article pushes the narrative {name}", " ({detail})", "It also argues {detail}",
                  "It also says", "The article pushes none of the known war or climate narratives.", ("“", "”")),
    "bg": Wording("Статията прокарва наратива {name}", " ({detail})", "Тя твърди също {detail}",
                  "В нея се казва също", "Статията не прокарва нито един от известните наративи за войната или климата.",
                  ("„", "“")),
    "ru": Wording("Статья продвигает нарратив {name}", " ({detail})", "Она утверждает также {detail}",
                  "В ней также говорится", "Статья не продвигает ни один из известных нарративов о войне или климате.",
                  ("«", "»")),
    "uk": Wording("Стаття просуває наратив {name}", " ({detail})", "Вона стверджує також {detail}",
                  "У ній також сказано", "Стаття не просуває жодного з відомих наративів про війну чи клімат.",
                  ("«", "»")),
    "pt": Wording("O artigo promove a narrativa {name}", " ({detail})", "Também defende {detail}",
                  "Também afirma", "O artigo não promove nenhuma das narrativas conhecidas sobre a guerra ou o clima.",
                  ("«", "»")),
    "hi": Wording("यह लेख {name} आख्यान को बढ़ावा देता है", " ({detail})", "लेख यह भी कहता है कि {detail}",
                  "लेख में यह भी कहा गया है", "यह लेख युद्ध या जलवायु से जुड़े किसी ज्ञात आख्यान को बढ़ावा नहीं देता।",
                  ("“", "”")),
    "de": Wording("Der Artikel verbreitet das Narrativ {name}", " ({detail})", "Er behauptet außerdem {detail}",
                  "Außerdem heißt es", "Der Artikel verbreitet keines der bekannten Kriegs- oder Klimanarrative.",
                  ("„", "“")),
    "fr": Wording("L'article diffuse le récit {name}", " ({detail})", "Il soutient aussi {detail}",
                  "Il affirme aussi", "L'article ne diffuse aucun des récits connus sur la guerre ou le climat.",
                  ("« ", " »")),
    "es": Wording("El artículo difunde la narrativa {name}", " ({detail})", "También sostiene {detail}",
                  "También afirma", "El artículo no difunde ninguna de las narrativas conocidas sobre la guerra o el clima.",
                  ("«", "»")),
    "it": Wording("L'articolo diffonde la narrazione {name}", " ({detail})", "Sostiene inoltre {detail}",
                  "Afferma inoltre", "L'articolo non diffonde nessuna delle narrazioni note sulla guerra o sul clima.",
                  ("«", "»")),
    "pl": Wording("Artykuł promuje narrację {name}", " ({detail})", "Twierdzi też {detail}",
                  "Stwierdza też", "Artykuł nie promuje żadnej ze znanych narracji o wojnie lub klimacie.",
                  ("„", "”")),
}


class Explanation:
    name = "explanation"
    labels: tuple[str, ...] = ()

    def __init__(self, narratives: Component):
        self.version = "1.2"
        self._narratives = narratives  # runs only when the pipeline has not run it already

    def __call__(self, analysis: Analysis) -> Analysis:
        if analysis.results.narratives is None:
            self._narratives(analysis)
        result = analysis.results.narratives
        dominant = result.narratives[0]
        subnarratives = [(s.label, s.evidence) for s in result.subnarratives if narrative_of(s.label) == dominant.label]
        analysis.results.explanation = self._explanation(analysis.document, dominant.label, dominant.evidence, subnarratives)
        return analysis

    def explain(self, document: Document, narrative: str, subnarrative: str | None = None) -> ExplanationResult:
        """The explanation of a dominant narrative (and subnarrative) given from outside, as
        SemEval-2025 subtask 3 gives them: the evidence is searched for these labels alone."""
        if narrative == OTHER:
            return self._explanation(document, OTHER, [], [])
        evidence = self._narratives.evidence(document, [narrative])[narrative]
        subnarratives = [(subnarrative, self._narratives.evidence(document, [subnarrative])[subnarrative])] if subnarrative else []
        return self._explanation(document, narrative, evidence, subnarratives)

    def _explanation(
        self, document: Document, narrative: str, evidence: list[Span], subnarratives: list[tuple[str, list[Span]]]
    ) -> ExplanationResult:
        language = (document.language.code or "").lower()
        wording = WORDINGS.get(language, WORDINGS[FALLBACK_LANGUAGE])
        note = None if language in WORDINGS else (
            f"no explanation template for language {language or 'undetermined'!r}; worded in English"
        )
        parts = [] if narrative == OTHER else _parts(wording, narrative, evidence, subnarratives)
        text = " ".join(_sentence(document.text, part, wording) for part in parts)
        return ExplanationResult(
            component=info(self),
            narrative=narrative,
            subnarrative=subnarratives[0][0] if subnarratives else None,
            text=text or wording.none,
            parts=parts,
            language=language if note is None else FALLBACK_LANGUAGE,
            note=note,
        )


def _parts(
    wording: Wording, narrative: str, narrative_evidence: list[Span], subnarratives: list[tuple[str, list[Span]]]
) -> list[ExplanationPart]:
    """The lead clause on the dominant (sub)narrative with its best sentence, then one more
    clause: a second specific subnarrative of the same narrative argued in another sentence, or
    else the next sentence carrying the first one."""
    first, first_evidence = subnarratives[0] if subnarratives else (narrative, narrative_evidence)
    evidence = first_evidence or narrative_evidence
    clause = wording.pushes.format(name=_quoted(wording, _name(narrative)))
    if first != narrative and _detail(first):
        clause += wording.detail.format(detail=_detail(first))
    parts = [ExplanationPart(text=clause, evidence=evidence[:1])]
    if not evidence:
        return parts
    for other, other_evidence in subnarratives[1:]:
        fresh = [span for span in other_evidence if span != evidence[0]]
        if _detail(other) and fresh:
            detail = _quoted(wording, _detail(other))
            return parts + [ExplanationPart(text=wording.also.format(detail=detail), evidence=fresh[:1])]
    if len(evidence) > 1:
        parts.append(ExplanationPart(text=wording.says_also, evidence=evidence[1:2]))
    return parts


def _sentence(text: str, part: ExplanationPart, wording: Wording) -> str:
    """A part as written in the explanation: its clause, then the sentence it quotes."""
    if not part.evidence:
        return part.text + "."
    return f"{part.text}: {wording.quotes[0]}{_quote(text, part.evidence[0])}{wording.quotes[1]}"


def _name(narrative: str) -> str:
    """'URW: Discrediting Ukraine' -> 'Discrediting Ukraine'."""
    return narrative.split(": ", 1)[1]


def _detail(subnarrative: str) -> str | None:
    """'URW: Discrediting Ukraine: Ukraine is a puppet of the West' -> 'Ukraine is a puppet of
    the West'; None for '<narrative>: Other'."""
    detail = subnarrative.rsplit(": ", 1)[1]
    return None if detail == "Other" else detail


def _quoted(wording: Wording, label: str) -> str:
    return f"{wording.quotes[0]}{label}{wording.quotes[1]}"


def _quote(text: str, span: Span) -> str:
    sentence = " ".join(text[span.start : span.end].split())
    if len(sentence) <= MAX_QUOTE_CHARS:
        return sentence
    return sentence[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


@register("explanation")
def create_explanation() -> Explanation:
    return Explanation(create("narratives"))
