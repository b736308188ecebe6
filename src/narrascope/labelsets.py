"""The label sets narrascope predicts, the names users see for them, and the one resolver from
what a user types to the labels the store keeps.

Stored labels are the shared tasks' ids (`Loaded_Language`, `Security_and_defense`,
`URW: Discrediting Ukraine`); screens show names (`Loaded Language`, `Security and defense`).
`resolve_label` accepts either, case-insensitively, with or without a family prefix (`URW:`,
`Manipulative wording:`), or an unambiguous prefix of one, so every surface that filters by
label (CLI, web, API, trends) agrees with what it shows. A label set is registered by name;
`register` adds more (a user taxonomy, say) without touching the resolver.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import taxonomy
from .errors import InputError

CARDS = Path(__file__).parent / "artifacts"
MAX_SUGGESTIONS = 5


class UnknownLabel(InputError):
    """A label filter names no label, or several (HTTP 422, exit code 2)."""


@dataclass(frozen=True)
class LabelSet:
    """One set of labels: `names` maps each stored id to the name shown; `families` maps an id
    to a family a user may write before its name (`Manipulative wording: Loaded Language`).
    Names written as 'Domain: Narrative: Subnarrative' also answer to their tails."""

    name: str  # e.g. "technique"
    kinds: tuple[str, ...]  # the store's label kinds it covers, e.g. ("technique", "technique_span")
    names: Mapping[str, str]
    families: Mapping[str, str] = field(default_factory=dict)


_REGISTRY: dict[str, LabelSet] = {}


def register(label_set: LabelSet) -> None:
    """Add (or replace, by name) a label set; the resolver and `display_name` see it at once."""
    _REGISTRY[label_set.name] = label_set
    _index.cache_clear()


def label_sets() -> list[LabelSet]:
    return list(_REGISTRY.values())


def display_name(label: str) -> str:
    """The name a screen shows for a stored label id; an id of no known set is shown as it is."""
    for label_set in _REGISTRY.values():
        if label in label_set.names:
            return label_set.names[label]
    return label


def technique_name(label: str) -> str:
    """'False_Dilemma-No_Choice' -> 'False Dilemma/No Choice'."""
    return label.replace("-", "/").replace("_", " ")


def frame_name(label: str) -> str:
    """'Security_and_defense' -> 'Security and defense'."""
    return label.replace("_", " ")


def resolve_label(text: str, stored: Callable[[str], bool] | None = None) -> tuple[str, ...]:
    """The stored label ids `text` names, for a filter.

    In order: every label one of whose keys (id, name, name with or without its family) equals
    `text` once case, spaces, underscores and punctuation are set aside; else the one label
    whose key starts with it; else `text` itself when `stored(text)` says the store holds such a
    label (one no registered set knows). Otherwise `UnknownLabel`, naming the closest labels.
    """
    exact, labels = search_labels(text)
    if exact or len(labels) == 1:
        return labels
    if stored is not None and stored(text.strip()):
        return (text.strip(),)
    if labels:
        shown = ", ".join(repr(display_name(label)) for label in labels[:8])
        more = f" and {len(labels) - 8} more" if len(labels) > 8 else ""
        raise UnknownLabel(f"label {text.strip()!r} fits {len(labels)} labels: {shown}{more}; give more of the name")
    raise UnknownLabel(f"unknown label {text.strip()!r}{_suggestions(_key(text), _index())}")


def search_labels(text: str) -> tuple[bool, tuple[str, ...]]:
    """(True, the labels `text` names exactly) or (False, every label with a key starting with it)."""
    key = _key(text)
    if not key:
        raise UnknownLabel("label: empty; give a label name such as 'Loaded Language'")
    index = _index()
    if key in index:
        return True, index[key]
    return False, tuple(sorted({label for candidate, labels in index.items() if candidate.startswith(key) for label in labels}))


def _suggestions(key: str, index: Mapping[str, tuple[str, ...]]) -> str:
    close = difflib.get_close_matches(key, list(index), n=20, cutoff=0.6)
    names = list(dict.fromkeys(display_name(label) for candidate in close for label in index[candidate]))
    hint = "; `narrascope labels` lists them all"
    return f"; closest: {', '.join(map(repr, names[:MAX_SUGGESTIONS]))}{hint}" if names else hint


@cache
def _index() -> dict[str, tuple[str, ...]]:
    """Every key a filterable label answers to -> the labels answering to it."""
    found: dict[str, set[str]] = {}
    for label_set in _REGISTRY.values():
        for label, name in label_set.names.items():
            keys = {label, name, *_tails(name)}
            if family := label_set.families.get(label):
                keys.add(f"{family}: {name}")
            for candidate in filter(None, map(_key, keys)):
                found.setdefault(candidate, set()).add(label)
    return {candidate: tuple(sorted(labels)) for candidate, labels in found.items()}


def _tails(name: str) -> list[str]:
    """'URW: Discrediting Ukraine: Other' -> ['Discrediting Ukraine: Other'] (a bare 'Other'
    would name every narrative's catch-all); 'URW: Praise of Russia' -> ['Praise of Russia']."""
    parts = name.split(": ")
    return [tail for i in range(1, len(parts)) if (tail := ": ".join(parts[i:])) != "Other"]


def _key(text: str) -> str:
    """'False_Dilemma-No_Choice' and 'false dilemma / no choice' -> 'false dilemma no choice'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


# --- the built-in sets: the shared tasks' labels (taxonomy.py) and what the shipped cards add ---


def _card_labels(name: str) -> list[str]:
    """Labels a shipped artifact's card lists (a retrained head may know labels taxonomy.py lacks)."""
    try:
        labels = json.loads((CARDS / name / "card.json").read_text(encoding="utf-8")).get("labels", [])
    except (OSError, ValueError):
        return []
    if isinstance(labels, dict):
        labels = [label for group in labels.values() for label in group]
    return [label for label in labels if isinstance(label, str)]


def _merged(*groups: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(label for group in groups for label in group))


def _builtin_sets() -> list[LabelSet]:
    techniques = _merged(taxonomy.TECHNIQUES, _card_labels("techniques"))
    frames = _merged(taxonomy.FRAMES, _card_labels("frames"))
    narrative_cards = [label for label in _card_labels("narratives") if label.count(": ") < 2]
    subnarrative_cards = [label for label in _card_labels("narratives") if label.count(": ") >= 2]
    narratives = _merged(taxonomy.NARRATIVES, narrative_cards)
    subnarratives = _merged(taxonomy.SUBNARRATIVES, subnarrative_cards)
    return [
        LabelSet("genre", ("genre",), {label: label for label in _merged(taxonomy.GENRES, _card_labels("genre"))}),
        LabelSet("frame", ("frame",), {label: frame_name(label) for label in frames}),
        LabelSet(
            "technique",
            ("technique", "technique_span"),
            {label: technique_name(label) for label in techniques},
            {label: taxonomy.TECHNIQUES[label][0] for label in techniques if label in taxonomy.TECHNIQUES},
        ),
        LabelSet("narrative", ("narrative",), {label: label for label in narratives}),
        LabelSet("subnarrative", ("subnarrative",), {label: label for label in subnarratives}),
        LabelSet("entity_role", ("entity_role",), {role: role for role in taxonomy.MAIN_ROLES}),
        LabelSet("claim", ("claim",), {"claim": "check-worthy claim"}),
    ]


for _set in _builtin_sets():
    register(_set)
