"""Marking spans on an article's text: the one place that resolves overlapping spans.

`segments` cuts a text into pieces such that every piece is covered by the same set of spans
from start to end; both renderers (terminal and HTML, and the web app's article view) draw one
piece at a time, so nested, overlapping and adjacent spans never need special cases.

`article_html` renders a whole analysed document as escaped HTML paragraphs whose pieces are
`<mark>` elements (technique families and entity roles as CSS classes, confidence graded in four
steps, details in `title`, the techniques with their scores in `data-techniques` for the article
page's toggles), with empty anchors where narrative evidence and claims start, so other parts of a
page can link there. Family colours live in `FAMILY_COLOURS`; `stylesheet()` turns them and
`style.css` into the CSS every HTML view embeds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Generic, Protocol, TypeVar

from markupsafe import Markup, escape

from ..labelsets import technique_name
from ..model import Analysis
from ..taxonomy import TECHNIQUE_FAMILIES, TECHNIQUES


class HasOffsets(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=HasOffsets)


@dataclass(frozen=True)
class Segment(Generic[S]):
    """`text[start:end]`, covered by exactly `spans` (outermost first; empty when unmarked)."""

    start: int
    end: int
    spans: tuple[S, ...]


def segments(text: str, spans: Iterable[S], start: int = 0, end: int | None = None) -> list[Segment[S]]:
    """Cut `text[start:end]` into consecutive segments, each covered by one unchanging set of spans.

    The segments cover the window exactly once, in order, with no empty segment. Spans are
    clipped to the window; spans that are empty after clipping are ignored. Within a segment,
    spans are ordered by start, then longest first (so the outermost comes first), then input order.
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    clipped = [
        (max(span.start, start), min(span.end, end), order, span)
        for order, span in enumerate(spans)
        if min(span.end, end) > max(span.start, start)
    ]
    clipped.sort(key=lambda item: (item[0], -item[1], item[2]))
    cuts = sorted({start, end, *(s for s, _, _, _ in clipped), *(e for _, e, _, _ in clipped)})
    return [
        Segment(left, right, tuple(span for s, e, _, span in clipped if s <= left and right <= e))
        for left, right in zip(cuts, cuts[1:])
    ]


# --- colours and names shared by every view ----------------------------------------------------

# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), one per family.
FAMILY_COLOURS: dict[str, str] = dict(
    zip(TECHNIQUE_FAMILIES, ("#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"))
)
ROLE_COLOURS: dict[str, str] = {"Protagonist": "#009e73", "Antagonist": "#d55e00", "Innocent": "#0072b2"}
# A highlight's tint follows its confidence: below 25 %, 25-50 %, 50-75 %, from 75 % (alpha, hex).
CONFIDENCE_STEPS: tuple[tuple[float, str], ...] = ((0.0, "1a"), (0.25, "33"), (0.5, "5c"), (0.75, "8c"))


def confidence_step(score: float) -> int:
    """1 to 4: which of `CONFIDENCE_STEPS` a score falls in (CSS class `conf-<step>`)."""
    return max(step for step, (floor, _) in enumerate(CONFIDENCE_STEPS, start=1) if score >= floor)


def css_name(label: str) -> str:
    """A CSS-class-safe slug: 'Attack on reputation' -> 'attack-on-reputation'."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def technique_family(label: str) -> str:
    return TECHNIQUES[label][0] if label in TECHNIQUES else "Other"


def technique_definition(label: str) -> str:
    return TECHNIQUES[label][1] if label in TECHNIQUES else ""


@cache
def stylesheet() -> str:
    """The CSS of highlighted articles: `style.css` plus colour variables per family and role
    (`--fam-bg` is the family colour at 28% opacity, as #rrggbbaa)."""
    base = resources.files(__package__).joinpath("templates/style.css").read_text(encoding="utf-8")
    colours = [f".fam-{css_name(f)} {{ --fam: {c}; --fam-bg: {c}47; }}" for f, c in FAMILY_COLOURS.items()]
    colours += [
        f"mark.fam-{css_name(f)}.conf-{step} {{ --fam-bg: {c}{alpha}; }}"
        for f, c in FAMILY_COLOURS.items()
        for step, (_, alpha) in enumerate(CONFIDENCE_STEPS, start=1)
    ]
    colours += [f".also-{css_name(f)} {{ --also: {c}; }}" for f, c in FAMILY_COLOURS.items()]
    colours += [f".role-{css_name(r)} {{ --role: {c}; }}" for r, c in ROLE_COLOURS.items()]
    return base + "\n" + "\n".join(colours) + "\n"


# --- the article as HTML -----------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """Something drawn on the text: a technique, an entity mention, or a link target."""

    start: int
    end: int
    kind: str  # "technique", "entity" or "anchor"
    label: str  # technique label, entity role, or the anchor's element id
    note: str = ""  # one line shown on hover/focus
    score: float = 1.0


def document_anchor(prefix: str, kind: str, index: int, item: int = 0) -> str:
    """Element id of a link target in the text, e.g. 'd0-narrative-2-1' (evidence 1 of narrative 2)."""
    return f"{prefix}{kind}-{index}-{item}"


def analysis_highlights(analysis: Analysis, id_prefix: str = "") -> list[Highlight]:
    """Every technique span, entity mention, and evidence/claim anchor of an analysis.

    Anchors are named with `document_anchor(id_prefix, kind, index, item)` where kind is
    'narrative', 'subnarrative', 'explanation' (evidence `item` of entry `index`) or 'claim'.
    """
    results = analysis.results
    found: list[Highlight] = []
    if results.techniques:
        for span in results.techniques.spans:
            note = f"{technique_name(span.label)} ({span.score:.0%}): {technique_definition(span.label)}"
            found.append(Highlight(span.start, span.end, "technique", span.label, note, span.score))
    if results.entities:
        for entity in results.entities.entities:
            for mention in entity.mentions:
                fine = ", ".join(f"{r.label} {r.score:.0%}" for r in mention.fine_roles)
                role = mention.main_role
                score = mention.main_role_scores.get(role, 1.0)
                note = f"{entity.name}: {role} ({score:.0%})" + (f"; {fine}" if fine else "")
                found.append(Highlight(mention.start, mention.end, "entity", role, note, score))
    evidence: list[tuple[str, Sequence[Sequence[HasOffsets]]]] = []
    if results.narratives:
        evidence.append(("narrative", [n.evidence for n in results.narratives.narratives]))
        evidence.append(("subnarrative", [n.evidence for n in results.narratives.subnarratives]))
    if results.explanation:
        evidence.append(("explanation", [p.evidence for p in results.explanation.parts]))
    if results.claims:
        evidence.append(("claim", [[c] for c in results.claims.claims]))
    for kind, groups in evidence:
        for index, spans in enumerate(groups):
            for item, span in enumerate(spans):
                anchor = document_anchor(id_prefix, kind, index, item)
                found.append(Highlight(span.start, span.end, "anchor", anchor))
    return found


def article_html(analysis: Analysis, id_prefix: str = "") -> Markup:
    """The document's text as escaped `<p>` paragraphs with marked techniques and entities.

    Each marked piece is a keyboard-focusable `<mark>`: background = family of its strongest
    technique, underline = a second family overlapping it, a dashed border = an entity mention
    (coloured by role, role named after the mention); `title` lists every technique (with
    confidence and definition) and entity role covering it. `id_prefix` keeps anchor ids unique
    when several documents share a page.
    """
    document = analysis.document
    highlights = analysis_highlights(analysis, id_prefix)
    windows = [(p.start, p.end) for p in document.paragraphs] or [(0, len(document.text))]
    paragraphs = []
    for start, end in windows:
        pieces = [_segment_html(document.text, segment) for segment in segments(document.text, highlights, start, end)]
        paragraphs.append(Markup("<p>{}</p>").format(Markup("").join(pieces)))
    return Markup("\n").join(paragraphs)


def _segment_html(text: str, segment: Segment[Highlight]) -> Markup:
    anchors = Markup("").join(
        Markup('<span class="anchor" id="{}"></span>').format(h.label)
        for h in segment.spans
        if h.kind == "anchor" and h.start == segment.start
    )
    piece = escape(text[segment.start : segment.end])
    techniques = sorted((h for h in segment.spans if h.kind == "technique"), key=lambda h: -h.score)
    entities = [h for h in segment.spans if h.kind == "entity"]
    if not techniques and not entities:
        return anchors + piece
    classes = ["hl"]
    families = list(dict.fromkeys(technique_family(h.label) for h in techniques))
    if families:
        classes += [f"fam-{css_name(families[0])}", f"conf-{confidence_step(techniques[0].score)}"]
    if len(families) > 1:
        classes.append(f"also-{css_name(families[1])}")
    role = Markup("")
    if entities:
        classes += ["entity", f"role-{css_name(entities[0].label)}"]
        if any(h.end == segment.end for h in entities):  # the role is named after the mention
            classes.append("role-end")
            role = Markup(' data-role="{}"').format(entities[0].label)
    if techniques:  # "label score family;..." for the article page's technique toggles and floor
        listed = ";".join(f"{h.label} {h.score:.3f} {css_name(technique_family(h.label))}" for h in techniques)
        role += Markup(' data-techniques="{}"').format(listed)
    attributes = Markup(' class="{}" tabindex="0" title="{}"{}').format(
        " ".join(classes), "\n".join(h.note for h in techniques + entities), role
    )
    return anchors + Markup("<mark{}>{}</mark>").format(attributes, piece)
