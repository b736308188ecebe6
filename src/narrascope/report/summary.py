"""Facts both report formats show, computed once so the terminal and HTML reports agree."""

from __future__ import annotations

from collections import Counter

from ..model import Analysis, Entity
from ..taxonomy import TECHNIQUE_FAMILIES
from .highlight import technique_family


def excerpt(text: str, limit: int = 220) -> str:
    """One line of at most `limit` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def language_summary(analysis: Analysis) -> str:
    document = analysis.document
    language = document.language
    described = f"{language.code} ({language.confidence:.0%})" if language.code else "undetermined"
    return described + (", mixed languages" if document.mixed_language else "")


def header_facts(analysis: Analysis) -> list[tuple[str, str]]:
    """(name, value) pairs describing the document, in display order, empty values left out."""
    document = analysis.document
    facts = [
        ("site", document.site or ""),
        ("authors", ", ".join(document.authors)),
        ("published", document.published or ""),
        ("language", language_summary(analysis)),
        ("source", document.source),
        ("url", document.url if document.url and document.url != document.source else ""),
        ("length", f"{len(document.text.split())} words, {len(document.paragraphs)} paragraphs"),
        ("id", document.id),
    ]
    return [(name, value) for name, value in facts if value]


def technique_counts(analysis: Analysis) -> dict[tuple[str, str], tuple[int, float]]:
    """(family, technique) -> (number of spans, highest confidence), by family order then count."""
    techniques = analysis.results.techniques
    found: dict[tuple[str, str], tuple[int, float]] = {}
    for span in techniques.spans if techniques else []:
        key = (technique_family(span.label), span.label)
        count, top = found.get(key, (0, 0.0))
        found[key] = (count + 1, max(top, span.score))
    order = {family: index for index, family in enumerate(TECHNIQUE_FAMILIES)}
    ranked = sorted(found.items(), key=lambda item: (order.get(item[0][0], len(order)), -item[1][0]))
    return dict(ranked)


def entity_role(entity: Entity) -> str:
    """The main role an entity is cast in most often across its mentions."""
    return Counter(m.main_role for m in entity.mentions).most_common(1)[0][0] if entity.mentions else ""


def fine_roles(entity: Entity) -> list[str]:
    """The entity's fine-grained roles over the mentions cast in its main role, strongest first,
    each once (a Protagonist is never also listed as an Instigator)."""
    main_role = entity_role(entity)
    scores: dict[str, float] = {}
    for mention in (m for m in entity.mentions if m.main_role == main_role):
        for role in mention.fine_roles:
            scores[role.label] = max(scores.get(role.label, 0.0), role.score)
    return sorted(scores, key=lambda label: -scores[label])
