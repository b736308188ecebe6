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

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "Span":
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self


class Language(_Model):
    code: str | None = Field(description="ISO 639-1 code, or null when undetermined")
    confidence: float = Field(ge=0.0, le=1.0)


class Paragraph(Span):
    language: Language | None = None


class Sentence(Span):
    paragraph: int = Field(ge=0, description="index into Document.paragraphs")


class RemovedText(_Model):
    """A piece of the raw input that extraction cut, and why (so users can see what was dropped)."""

    text: str
    reason: str
    start: int | None = Field(default=None, description="offset into the raw input, when known")
    end: int | None = None


class Document(_Model):
    id: str = Field(description="content hash of the normalized text (sha256, hex, 16 chars)")
    source: str = Field(description="where the document came from: a path, URL, or archive#record")
    url: str | None = None
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = Field(default=None, description="ISO 8601 date or datetime")
    site: str | None = None
    language: Language
    text: str
    paragraphs: list[Paragraph] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    mixed_language: bool = False
    removed: list[RemovedText] = Field(default_factory=list)

    @staticmethod
    def content_id(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def paragraph_texts(self) -> list[str]:
        return [self.text[p.start : p.end] for p in self.paragraphs]


# --- results of the task components ------------------------------------------------------


class ComponentInfo(_Model):
    name: str
    version: str


class LabelScore(_Model):
    label: str
    score: float = Field(ge=0.0, le=1.0)


class GenreResult(_Model):
    component: ComponentInfo
    label: Literal["opinion", "reporting", "satire"]
    probabilities: dict[str, float]
    familiarity: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="how much the article resembles the articles the genre model learnt from: the share of "
        "validation articles whose closest training article is no closer than this one's (below 0.05 the "
        "analysis warns that the genre is a weak guess); null for an empty article",
    )


class FrameLabel(_Model):
    label: str
    score: float = Field(ge=0.0, le=1.0)
    paragraphs: list[int] = Field(default_factory=list, description="paragraphs that carry it most")


class FramesResult(_Model):
    component: ComponentInfo
    labels: list[FrameLabel] = Field(description="frames above their decision threshold")
    probabilities: dict[str, float] = Field(description="every frame's probability")


class ParagraphTechniques(_Model):
    paragraph: int
    labels: list[LabelScore]


class TechniqueSpan(Span):
    label: str
    score: float = Field(ge=0.0, le=1.0)
    paragraph: int


class TechniquesResult(_Model):
    component: ComponentInfo
    paragraphs: list[ParagraphTechniques]
    spans: list[TechniqueSpan]


class NarrativeLabel(_Model):
    label: str = Field(description="as in the taxonomy, e.g. 'URW: Discrediting Ukraine'")
    score: float = Field(ge=0.0, le=1.0)
    evidence: list[Span] = Field(default_factory=list, description="sentences supporting it")


class SubnarrativeLabel(NarrativeLabel):
    narrative: str


class NarrativesResult(_Model):
    component: ComponentInfo
    narratives: list[NarrativeLabel]
    subnarratives: list[SubnarrativeLabel]
    candidates: list[NarrativeLabel] = Field(
        default_factory=list,
        description="the likeliest narratives that did not pass their cut, with evidence: leads to check, not labels",
    )


class EntityMention(Span):
    text: str
    main_role: Literal["Protagonist", "Antagonist", "Innocent"]
    main_role_scores: dict[str, float]
    fine_roles: list[LabelScore]


class Entity(_Model):
    name: str
    type: str | None = Field(default=None, description="person, organisation, country, group")
    mentions: list[EntityMention]


class EntitiesResult(_Model):
    component: ComponentInfo
    entities: list[Entity]


class ExplanationPart(_Model):
    text: str
    evidence: list[Span] = Field(default_factory=list)


class ExplanationResult(_Model):
    component: ComponentInfo
    narrative: str
    subnarrative: str | None = None
    text: str
    parts: list[ExplanationPart]
    language: str | None = Field(default=None, description="language of the template wording (ISO 639-1)")
    note: str | None = Field(default=None, description="why the wording is not in the article's language")


class Claim(Span):
    score: float = Field(ge=0.0, le=1.0)
    rank: int = Field(ge=1)
    kinds: list[str] = Field(default_factory=list, description="number, event, quote, attribution")


class ClaimsResult(_Model):
    component: ComponentInfo
    claims: list[Claim]


class Results(_Model):
    genre: GenreResult | None = None
    frames: FramesResult | None = None
    techniques: TechniquesResult | None = None
    narratives: NarrativesResult | None = None
    entities: EntitiesResult | None = None
    explanation: ExplanationResult | None = None
    claims: ClaimsResult | None = None


class Analysis(_Model):
    schema_version: str = SCHEMA_VERSION
    document: Document
    results: Results = Field(default_factory=Results)
    warnings: list[str] = Field(default_factory=list)

    def to_json(self, indent: int | None = None) -> str:
        return self.model_dump_json(indent=indent, exclude_none=False)

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
