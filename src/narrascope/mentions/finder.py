"""Finding the names an article mentions, and grouping the mentions of one entity.

Two finders, joined: a gazetteer of names and aliases learnt from the SemEval-2025 role
annotations (matched on light stems, so Russian and Bulgarian inflections still match) with
CLDR's country and capital names, and capitalised-word runs for scripts with letter case.
Mentions whose stems agree, or whose last word is the last word of a longer name in the same
article ("Путина" / "Владимир Путин"), are grouped into one entity.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ..model import Document
from .lexicon import COUNTRY, LEADING_ARTICLES, PLACE, canonical_key, demonym, lexicon
from .words import (
    FUNCTION_WORDS, LATIN_POSSESSIVE, Token, caseless, contiguous, is_cyrillic, is_pronoun, name_key, root, stem, tokenize,
)

NAME_PARTICLES = frozenset("von van der den de da do dos das di del la le bin ibn al".split())
MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class Gazetteer:
    """Known names (stem key -> the name as usually written) and common words (words the
    corpus writes in lowercase, so a capitalised one is only opening a sentence)."""

    names: dict[tuple[str, ...], str]
    common_words: frozenset[str] = frozenset()

    @classmethod
    def learn(cls, surfaces: Iterable[str], common_words: Iterable[str] = ()) -> "Gazetteer":
        by_key: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        for surface in surfaces:
            key = name_key(surface)
            if key and len(key) <= MAX_NAME_WORDS:
                by_key[key][surface.strip()] += 1
        names = {key: forms.most_common(1)[0][0] for key, forms in by_key.items()}
        return cls(names, frozenset(common_words))

    @cached_property
    def longest(self) -> int:
        return max((len(k) for k in self.names), default=0)

    @cached_property
    def first_names(self) -> frozenset[str]:
        """Stems of first names: the first word of a two- or three-word name whose last word is
        also a name on its own ("Olaf Scholz" / "Scholz"), unless either is a title, a place, a
        demonym or an organisation or group word."""
        known = lexicon()
        surnames = {key[0] for key in self.names if len(key) == 1}
        cue_words = known.titles | known.organisation_words | known.group_words
        return frozenset(
            key[0] for key, name in self.names.items()
            if 1 < len(key) <= 3 and len(key[0]) > 2 and key[-1] in surnames and not name[:1].islower()
            and not {stem(key[0]), stem(key[-1])} & cue_words and not {key, key[:1], key[-1:]} & known.types.keys()
            and not demonym(name.split()[0])
        )

    @cached_property
    def surnames(self) -> frozenset[tuple[str, ...]]:
        """One-word keys of surnames: the last word of a name that opens with a first name."""
        return frozenset((key[-1],) for key in self.names if 1 < len(key) <= 3 and key[0] in self.first_names)


@dataclass(frozen=True)
class FoundMention:
    start: int
    end: int
    text: str
    key: tuple[str, ...]


def find_mentions(document: Document, gazetteer: Gazetteer) -> list[FoundMention]:
    """Known names first (the gazetteer's, and CLDR's country and capital names written with a
    capital; longest match wins), then unknown capitalised runs in the gaps; a first name the
    gazetteer knows joins the name after it."""
    text = document.text
    tokens = tokenize(text)
    stems = [stem(t.text) for t in tokens]
    taken = [False] * len(tokens)
    spans: list[list[int]] = []
    i = 0
    while i < len(tokens):
        length = _known_name_at(text, tokens, stems, i, gazetteer)
        if length == 1 and _hindi_demonym(tokens[i].text):  # "रूसी सेना": the adjective names no one alone
            length = (_phrase_head(text, tokens, taken, i) or i) + 1 - i
        if length:
            taken[i : i + length] = [True] * length
            article = length > 1 and stems[i] in LEADING_ARTICLES  # "the US" is mostly annotated "US"
            spans.append(list(range(i + article, i + length)))
        i += length or 1
    calendar = lexicon().calendar
    for whole in _capitalised_runs(text, tokens, taken, gazetteer.common_words):
        for run in _split_after_country(_demonym_phrase(text, tokens, taken, whole), stems):
            if tuple(stems[j] for j in run) not in calendar:
                spans.append(run)
    spans = _join_first_names(text, tokens, stems, sorted(spans), gazetteer.first_names)
    found = [_mention(text, tokens[run[0]], tokens[run[-1]], tuple(stems[j] for j in run)) for run in spans]
    return sorted(found, key=lambda m: m.start)


def _known_name_at(text: str, tokens: list[Token], stems: list[str], i: int, gazetteer: Gazetteer) -> int:
    """How many tokens from `i` on spell a known name (0 for none), longest first; in a caseless
    script, a known first name alone counts (the name after it joins it later)."""
    types = lexicon().types
    for length in range(min(max(gazetteer.longest, MAX_NAME_WORDS), len(tokens) - i), 0, -1):
        key = tuple(stems[i : i + length])
        known = key in gazetteer.names or key in types and not tokens[i].text[:1].islower()
        if known and contiguous(text, tokens[i : i + length]) and not (length == 1 and is_pronoun(tokens[i].text)):
            return length
    return int(caseless(tokens[i].text) and stems[i] in gazetteer.first_names)  # a name starts here


def _join_first_names(
    text: str, tokens: list[Token], stems: list[str], spans: list[list[int]], first_names: frozenset[str]
) -> list[list[int]]:
    """A known first name joins the name right after it ("Вадим" + "Красиков"); in scripts
    without letter case, it also takes the next word when that is no function word."""
    covered = {j for run in spans for j in run}
    joined: list[list[int]] = []
    for run in spans:
        before = run[0] - 1
        first_name_before = (
            before >= 0 and stems[before] in first_names and contiguous(text, tokens[before : run[0] + 1])
        )
        if first_name_before and joined and joined[-1] == [before]:
            joined[-1] = [before, *run]
            continue
        if first_name_before and before not in covered:
            run = [before, *run]
        after = run[-1] + 1
        if (
            len(run) == 1 and stems[run[0]] in first_names and after < len(tokens) and after not in covered
            and caseless(tokens[after].text) and tokens[after].text not in FUNCTION_WORDS
            and contiguous(text, tokens[run[0] : after + 1])
        ):
            run = [*run, after]
        joined.append(run)
    return joined


def _split_after_country(run: list[int], stems: list[str]) -> list[list[int]]:
    """Cyrillic runs split after a country or capital name: where titles are lowercase,
    "Франции Эммануэль Макрон" is two names side by side."""
    types = lexicon().types
    for at, j in enumerate(run[:-1]):
        if is_cyrillic(stems[j]) and types.get((stems[j],)) in (COUNTRY, PLACE):
            return [run[: at + 1], *_split_after_country(run[at + 1 :], stems)]
    return [run] if run else []


def _demonym_phrase(text: str, tokens: list[Token], taken: list[bool], run: list[int]) -> list[int]:
    """A run that is one demonym adjective ("Ukrainian army", "Western money") is no name: empty,
    unless a group or organisation noun follows within three words ("Russian forces", "Ukrainian
    special services"), which the phrase then spans. Other runs are returned as they are."""
    if len(run) != 1 or demonym(tokens[run[0]].text) != "singular":
        return run
    head = _phrase_head(text, tokens, taken, run[0])
    return list(range(run[0], head + 1)) if head else []


def _phrase_head(text: str, tokens: list[Token], taken: list[bool], j: int) -> int | None:
    """The index of a group or organisation noun among the three uncapitalised words after
    tokens[j], if one is there before any function word."""
    known = lexicon()
    for k in range(j + 1, min(j + 4, len(tokens))):
        word = tokens[k].text
        if taken[k] or word[:1].isupper() or word in FUNCTION_WORDS or not contiguous(text, tokens[k - 1 : k + 1]):
            return None
        if root(word) in known.group_words | known.organisation_words:
            return k
    return None


def _hindi_demonym(word: str) -> bool:
    """A Hindi adjective of a country or bloc ("रूसी", "अमेरिकी", "भारतीय"): its name plus -ी or -ीय."""
    types = lexicon().types
    return any(
        word.endswith(suffix) and {(word[: -len(suffix)],), (word[: -len(suffix)] + "ा",)} & types.keys()
        for suffix in ("ीय", "ी")
    )


def _mention(text: str, first: Token, last: Token, key: tuple[str, ...]) -> FoundMention:
    """The mention from `first` to `last`, without a possessive "'s": "Europe's" names Europe."""
    possessive = LATIN_POSSESSIVE.search(last.text)
    end = last.end - (len(possessive.group()) if possessive and last.end - first.start > 2 else 0)
    return FoundMention(first.start, end, text[first.start : end], key)



def _opens_sentence(text: str, start: int) -> bool:
    """Whether only quotes, dashes or spaces stand between `start` and the previous sentence end."""
    before = text[max(0, start - 12) : start].rstrip(" \t\"'«»“”„‘’([—–-")
    if not before:
        return start <= 12
    return before[-1] in ".!?…:\n"


def _bridges(tokens: list[Token], j: int) -> bool:
    """Whether tokens[j] starts particles that join two capitalised words ("von der")."""
    k = j
    while k < len(tokens) and tokens[k].text in NAME_PARTICLES:
        k += 1
    return j < k < len(tokens) and tokens[k].text[:1].isupper()


def _capitalised_runs(
    text: str, tokens: list[Token], taken: list[bool], common_words: frozenset[str]
) -> list[list[int]]:
    """Runs of capitalised words not already matched, bridging name particles ("von der").
    A run's first word is dropped when it opens a sentence and is short or a common word
    ("The", "But", "С Путиным"), since any word may open a sentence."""
    lowercase = common_words | {t.text for t in tokens if t.text[:1].islower()}
    runs: list[list[int]] = [[]]
    for j, token in enumerate(tokens):
        starts_or_extends = token.text[:1].isupper() or runs[-1] and _bridges(tokens, j)
        if taken[j] or is_pronoun(token.text) or not starts_or_extends:
            runs.append([])
            continue
        if runs[-1] and not contiguous(text, [tokens[runs[-1][-1]], token]):
            runs.append([])
        runs[-1].append(j)
    kept = []
    for run in runs:
        if run and _opens_sentence(text, tokens[run[0]].start):
            first = tokens[run[0]].text
            if len(first) <= 2 or first.lower() in lowercase:
                run = run[1:]
        if any(len(tokens[j].text) > 1 for j in run):  # not a lone "I"
            kept.append(run[:MAX_NAME_WORDS])
    return kept


def group_mentions(mentions: list[FoundMention]) -> list[list[int]]:
    """Indices of `mentions` grouped by entity: same stem key (less "the", one key for a
    country's names), or a one-word key equal to the last word of a longer key in the same
    article (a surname standing for the full name)."""
    keys = [canonical_key(m.key) for m in mentions]
    longer_by_last = {key[-1]: key for key in sorted(keys, key=len) if len(key) > 1}
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        if len(key) == 1 and key[0] in longer_by_last:
            key = longer_by_last[key[0]]
        groups[key].append(index)
    return list(groups.values())
