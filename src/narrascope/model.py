"""The one data model: a `Document` (clean text with offsets) and its `Analysis`.

Every span anywhere in an analysis is a pair of character offsets into `Document.text`, so
`document.text[start:end]` is always the evidence. `Analysis.to_json()` is the JSON every
interface emits (CLI, web API, store, Spark); `json_schema()` publishes its schema.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """Half-open character range `[start, end)` into `Document.text`."""

    start: int = Field(
        ge=0,
        description="start offset into Document.text, in characters (Unicode code points), counted from 0",
    )
    end: int = Field(ge=0, description="end offset into Document.text, exclusive: text[start:end] is the span")

    @model_validator(mode="after")
    def _ordered(self) -> "Span":
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self


class Language(_Model):
    code: str | None = Field(description="ISO 639-1 code, or null when undetermined")
    confidence: float = Field(ge=0.0, le=1.0, description="the language identifier's confidence, 0-1")


class Paragraph(Span):
    language: Language | None = Field(
        default=None, description="the paragraph's own language, when identified (see Document.mixed_language)"
    )


class Sentence(Span):
    paragraph: int = Field(ge=0, description="index into Document.paragraphs")


class RemovedText(_Model):
    """A piece of the raw input that extraction cut, and why (so users can see what was dropped)."""

    text: str = Field(description="the text that was cut")
    reason: str = Field(description="why: e.g. 'title', 'byline', 'share bar', 'copyright', 'over the max_text_chars limit'")
    start: int | None = Field(
        default=None, description="character offset into the raw input (not Document.text), when known"
    )
    end: int | None = Field(default=None, description="end offset into the raw input, exclusive, when known")


class Document(_Model):
    id: str = Field(description="content hash of the normalized text (sha256, hex, 16 chars)")
    source: str = Field(description="where the document came from: a path, URL, or archive#record")
    input_id: str | None = Field(
        default=None,
        description="the id the input itself carried (JSON Lines `id`), so every output joins back to its "
        "input; `id` is the content hash, the same for inputs with the same text",
    )
    url: str | None = Field(default=None, description="the article's URL (after redirects), when known")
    title: str | None = Field(default=None, description="the article's title, when found")
    authors: list[str] = Field(default_factory=list, description="author names, when found (byline or metadata)")
    published: str | None = Field(
        default=None,
        description="publication date or datetime as ISO 8601, as the source declares it (a feed's or JSONL's "
        "date first) or as found in the page; null when unknown, never the time of analysis",
    )
    site: str | None = Field(default=None, description="the site or outlet, when known (page metadata or feed title)")
    language: Language = Field(description="the document's main language")
    text: str = Field(
        description="the normalised article text (NFC, LF line ends, one paragraph per line) that every offset "
        "in the analysis indexes"
    )
    paragraphs: list[Paragraph] = Field(
        default_factory=list, description="the paragraphs (non-empty lines of text), in order; indexed from 0"
    )
    sentences: list[Sentence] = Field(default_factory=list, description="the sentences, in order; indexed from 0")
    mixed_language: bool = Field(
        default=False, description="true when paragraphs are in different languages (see Paragraph.language)"
    )
    removed: list[RemovedText] = Field(
        default_factory=list, description="what extraction cut from the input (page furniture, title line, byline)"
    )

    @staticmethod
    def content_id(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def paragraph_texts(self) -> list[str]:
        return [self.text[p.start : p.end] for p in self.paragraphs]


# --- results of the task components ------------------------------------------------------


class ComponentInfo(_Model):
    """Which component produced a result (the registry name) and which version of its artifact."""

    name: str = Field(description="the component's name: genre, frames, techniques, narratives, entities...")
    version: str = Field(description="the component's version, from its artifact's card")


class LabelScore(_Model):
    label: str = Field(description="the label's id (see the enclosing field for its label set)")
    score: float = Field(ge=0.0, le=1.0, description="calibrated confidence, 0-1")


class GenreResult(_Model):
    component: ComponentInfo = Field(description="the component and artifact version that produced it")
    label: Literal["opinion", "reporting", "satire"] = Field(
        description="the genre (SemEval-2023 Task 3 subtask 1 label set), the most probable one"
    )
    probabilities: dict[str, float] = Field(description="each genre's calibrated probability, 0-1, summing to 1")
    familiarity: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="how much the article resembles the articles the genre model learnt from: the share of "
        "validation articles whose closest training article is no closer than this one's (below 0.05 the "
        "analysis warns that the genre is a weak guess); null for an empty article",
    )
    mix: dict[str, float] | None = Field(
        default=None,
        description="the genre mix of the collection the decision assumed, when one was given (`--genre-mix`): the "
        "probabilities and label are moved from the training articles' mix to it (label shift, Saerens et al. "
        "2002); null: the training articles' mix, as the head learnt it",
    )


class FrameLabel(_Model):
    label: str = Field(description="a frame id of SemEval-2023 Task 3 subtask 2, e.g. Security_and_defense")
    score: float = Field(ge=0.0, le=1.0, description="calibrated probability, 0-1")
    paragraphs: list[int] = Field(default_factory=list, description="paragraphs that carry it most")


class FramesResult(_Model):
    component: ComponentInfo = Field(description="the component and artifact version that produced it")
    labels: list[FrameLabel] = Field(description="frames above their decision threshold")
    probabilities: dict[str, float] = Field(description="every frame's probability")


class ParagraphTechniques(_Model):
    paragraph: int = Field(ge=0, description="index into Document.paragraphs")
    labels: list[LabelScore] = Field(
        description="techniques (SemEval-2023 Task 3 subtask 3 ids, e.g. Loaded_Language) above their threshold "
        "in this paragraph, with calibrated scores"
    )


class TechniqueSpan(Span):
    label: str = Field(description="the technique's id (SemEval-2023 Task 3 subtask 3), e.g. Loaded_Language")
    score: float = Field(ge=0.0, le=1.0, description="confidence that these words carry the technique, 0-1")
    paragraph: int = Field(ge=0, description="index into Document.paragraphs of the paragraph holding the span")


class TechniquesResult(_Model):
    component: ComponentInfo = Field(description="the component and artifact version that produced it")
    paragraphs: list[ParagraphTechniques] = Field(description="techniques per paragraph (paragraphs with none left out)")
    spans: list[TechniqueSpan] = Field(description="the words carrying each technique, as offsets")


class NarrativeLabel(_Model):
    label: str = Field(
        description="as in the SemEval-2025 Task 10 taxonomy, e.g. 'URW: Discrediting Ukraine' (URW: Ukraine-Russia "
        "war, CC: climate change); subnarratives add ': Subnarrative'"
    )
    score: float = Field(ge=0.0, le=1.0, description="calibrated confidence, 0-1")
    evidence: list[Span] = Field(default_factory=list, description="sentences supporting it")


class SubnarrativeLabel(NarrativeLabel):
    narrative: str = Field(description="the narrative it belongs to (a NarrativeLabel.label)")


class NarrativesResult(_Model):
    component: ComponentInfo = Field(description="the component and artifact version that produced it")
    narratives: list[NarrativeLabel] = Field(description="narratives above their decision threshold, strongest first")
    subnarratives: list[SubnarrativeLabel] = Field(description="subnarratives above their threshold, strongest first")
    candidates: list[NarrativeLabel] = Field(
        default_factory=list,
        description="the likeliest narratives that did not pass their cut, with evidence: leads to check, not labels",
    )


class EntityMention(Span):
    text: str = Field(description="the mention's words, Document.text[start:end]")
    main_role: Literal["Protagonist", "Antagonist", "Innocent"] = Field(
        description="the role the text casts the entity in here (SemEval-2025 Task 10 subtask 1)"
    )
    main_role_scores: dict[str, float] = Field(description="each main role's calibrated probability, 0-1")
    fine_roles: list[LabelScore] = Field(
        description="fine-grained roles under the main role (e.g. Instigator, Victim) above their threshold"
    )


class Entity(_Model):
    name: str = Field(description="the entity's name, its fullest form in the text")
    type: str | None = Field(default=None, description="person, organisation, country, place (a city or region), group")
    mentions: list[EntityMention] = Field(description="where the text names it, each with its role")


class EntitiesResult(_Model):
    component: ComponentInfo = Field(description="the component and artifact version that produced it")
    entities: list[Entity] = Field(description="named entities cast in a role")


class ExplanationPart(_Model):
    text: str = Field(description="one sentence of the explanation")
    evidence: list[Span] = Field(default_factory=list, description="the article's words it rests on")


class ExplanationResult(_Model):
    component: ComponentInfo = Field(description="the component and artifact version that produced it")
    narrative: str = Field(description="the dominant narrative explained (a NarrativeLabel.label)")
    subnarrative: str | None = Field(default=None, description="its dominant subnarrative, when one was found")
    text: str = Field(description="the explanation as one paragraph, worded from its parts")
    parts: list[ExplanationPart] = Field(description="the explanation sentence by sentence, with evidence")
    language: str | None = Field(default=None, description="language of the template wording (ISO 639-1)")
    note: str | None = Field(default=None, description="why the wording is not in the article's language")


class Claim(Span):
    score: float = Field(
        ge=0.0, le=1.0, description="calibrated probability that the sentence is check-worthy (CheckThat! 2024 Task 1), 0-1"
    )
    rank: int = Field(ge=1, description="1 for the most check-worthy claim of the document, then 2, 3...")
    kinds: list[str] = Field(default_factory=list, description="number, event, quote, attribution")


class ClaimsResult(_Model):
    component: ComponentInfo = Field(description="the component and artifact version that produced it")
    claims: list[Claim] = Field(
        description="the document's most check-worthy sentences, best first (`rank`): about a quarter of its "
        "sentences of four words or more, at least 3 and at most 10, none under probability 0.1"
    )
    threshold: float | None = Field(
        None, ge=0.0, le=1.0, description="score from which the model calls a sentence check-worthy "
        "(CheckThat's Yes); the ranking and which sentences are listed do not depend on it",
    )


class TaxonomyInfo(_Model):
    name: str = Field(description="the taxonomy file's name")
    version: str = Field(description="the taxonomy file's version")
    fingerprint: str = Field(description="hash of the file's labels, descriptions and examples")


class CustomLabel(_Model):
    id: str = Field(description="the label's id in the taxonomy file")
    label: str = Field(description="the label's name, as stored and queried")
    parent: str | None = Field(default=None, description="id of the broader label, if any")
    score: float = Field(ge=0.0, le=1.0, description="calibrated probability that the document pushes it")
    present: bool = Field(description="score at or above the label's cut")
    method: Literal["descriptions", "examples", "trained"] = Field(
        description="how it was scored: similarity to the description, a head fitted on the examples, "
        "or a head trained on labelled documents (narrascope train --task custom)"
    )
    evidence: list[Span] = Field(default_factory=list, description="sentences supporting it, best first")


class CustomResult(_Model):
    component: ComponentInfo = Field(description="the scorer of taxonomy files (name 'custom') and its version")
    taxonomy: TaxonomyInfo = Field(description="the taxonomy file the labels come from")
    labels: list[CustomLabel] = Field(description="every label of the taxonomy, likeliest first")


class Results(_Model):
    """What each component found; a component not run (or unavailable, see warnings) is null."""

    genre: GenreResult | None = Field(default=None, description="opinion, reporting or satire")
    frames: FramesResult | None = Field(default=None, description="the frames the article uses")
    techniques: TechniquesResult | None = Field(
        default=None, description="persuasion techniques per paragraph and on their words"
    )
    narratives: NarrativesResult | None = Field(
        default=None, description="Ukraine-war and climate narratives and subnarratives, with evidence"
    )
    entities: EntitiesResult | None = Field(default=None, description="named entities and the roles they are cast in")
    explanation: ExplanationResult | None = Field(default=None, description="why the dominant narrative, in words")
    claims: ClaimsResult | None = Field(default=None, description="factual claims worth checking")
    custom: list[CustomResult] | None = Field(
        default=None, description="one result per taxonomy file given (--taxonomy): your own labels"
    )


class Analysis(_Model):
    schema_version: str = Field(default=SCHEMA_VERSION, description="version of this JSON's layout")
    document: Document = Field(description="the article as read: its text, offsets and metadata")
    results: Results = Field(default_factory=Results, description="what the components found")
    warnings: list[str] = Field(
        default_factory=list,
        description="what to keep in mind when reading the results: components unavailable, an article unlike "
        "the training data, a language never trained on, text cut at a limit",
    )

    def to_json(self, indent: int | None = None) -> str:
        return self.model_dump_json(indent=indent, exclude_none=False)

    def as_input(self, source: str, url: str | None, input_id: str | None) -> "Analysis":
        """This analysis as another input of the same text gave it: that input's source, URL and id."""
        identity = {"source": source, "url": url, "input_id": input_id}
        return self.model_copy(update={"document": self.document.model_copy(update=identity)})

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: str | bytes | dict[str, Any]) -> "Analysis":
        if isinstance(data, dict):
            return cls.model_validate(data)
        return cls.model_validate_json(data)

    def spans(self) -> list[Span]:
        """Every offset-bearing object in the analysis, for checking that they slice back."""
        found: list[Span] = []

        def walk(node: Any) -> None:
            if isinstance(node, Span):
                found.append(node)
            if isinstance(node, BaseModel):
                for name in type(node).model_fields:
                    walk(getattr(node, name))
            elif isinstance(node, (list, tuple)):
                for item in node:
                    walk(item)

        walk(self.results)
        walk(self.document.paragraphs)
        walk(self.document.sentences)
        return found


def json_schema() -> str:
    """The published JSON Schema of one analysis (`narrascope schema`)."""
    schema = Analysis.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"narrascope analysis (schema_version {SCHEMA_VERSION})"
    return json.dumps(schema, indent=2)
