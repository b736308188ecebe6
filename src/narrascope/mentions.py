"""Finding the people, organisations, countries and groups an article talks about, without a
pretrained NER model (none ships in a registry package for all our languages).

Two finders, joined: a gazetteer of names and aliases learnt from the SemEval-2025 role
annotations (matched on light stems, so Russian and Bulgarian inflections still match), and
capitalised-word runs for scripts with letter case. Mentions whose stems agree, or whose last
word is the last word of a longer name in the same article ("Путина" / "Владимир Путин"), are
grouped into one entity.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Document

_WORD = re.compile(r"[\w\u0900-\u097F]+(?:[-'’][\w\u0900-\u097F]+)*")
# Noun, adjective and article endings of Russian, Ukrainian and Bulgarian, longest first.
_CYRILLIC_ENDINGS = sorted(
    "ыми ими ями ами ого его ому ему ите ове ой ей ою ею ом ем ам ям ах ях ов ев ый ий ая яя ое ее ые ие ых их "
    "ым им ую юю ът ят та то те а я у ю ы и е о ь й".split(),
    key=len,
    reverse=True,
)
_LATIN_POSSESSIVE = re.compile(r"['’]s$")
# Personal pronouns of the corpus languages: the gazetteer matches case-blind, so "us" would
# otherwise pass for "US", and a sentence-opening "We" for a name. Written all in capitals they
# are names ("US") and stay.
PRONOUNS = frozenset(
    # English
    "i me my we us our ours you your he him his she her it its they them their theirs".split()
    # Portuguese
    + "eu mim nós nos você vocês ele ela eles elas lhe lhes".split()
    # Russian and Bulgarian
    + "я мы нас нам вы вас он она оно они их им ему его её ее аз ние вие те тя той го ги".split()
    # Hindi
    + "मैं हम तुम आप वह वे यह ये उन उस हमें उन्हें".split()
)
MIN_STEM = 3
NAME_PARTICLES = frozenset("von van der den de da do dos das di del la le bin ibn al".split())
MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def stem(word: str) -> str:
    """A light, language-blind stem: casefolded, possessive and one Cyrillic ending removed."""
    word = _LATIN_POSSESSIVE.sub("", word.casefold())
    if any("\u0400" <= ch <= "\u04ff" for ch in word):
        for ending in _CYRILLIC_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                return word[: -len(ending)]
    return word


def name_key(text: str) -> tuple[str, ...]:
    """The stems of a name's words: what two spellings of one name have in common."""
    return tuple(stem(token.text) for token in tokenize(text))


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

    @property
    def longest(self) -> int:
        return max((len(k) for k in self.names), default=0)


@dataclass(frozen=True)
class FoundMention:
    start: int
    end: int
    text: str
    key: tuple[str, ...]


def find_mentions(document: Document, gazetteer: Gazetteer) -> list[FoundMention]:
    """Known names first (longest match wins), then unknown capitalised runs in the gaps."""
    text = document.text
    tokens = tokenize(text)
    stems = [stem(t.text) for t in tokens]
    taken = [False] * len(tokens)
    found: list[FoundMention] = []
    longest = gazetteer.longest
    i = 0
    while i < len(tokens):
        for length in range(min(longest, len(tokens) - i), 0, -1):
            key = tuple(stems[i : i + length])
            if key in gazetteer.names and _contiguous(text, tokens[i : i + length]) and not (
                length == 1 and is_pronoun(tokens[i].text)
            ):
                found.append(_mention(text, tokens[i], tokens[i + length - 1], key))
                taken[i : i + length] = [True] * length
                i += length
                break
        else:
            i += 1
    for run in _capitalised_runs(text, tokens, taken, gazetteer.common_words):
        key = tuple(stems[j] for j in run)
        found.append(_mention(text, tokens[run[0]], tokens[run[-1]], key))
    return sorted(found, key=lambda m: m.start)


def _mention(text: str, first: Token, last: Token, key: tuple[str, ...]) -> FoundMention:
    """The mention from `first` to `last`, without a possessive "'s": "Europe's" names Europe."""
    possessive = _LATIN_POSSESSIVE.search(last.text)
    end = last.end - (len(possessive.group()) if possessive and last.end - first.start > 2 else 0)
    return FoundMention(first.start, end, text[first.start : end], key)


def is_pronoun(word: str) -> bool:
    """A personal pronoun, unless written in capitals like an acronym ("US")."""
    return word.casefold() in PRONOUNS and not word.isupper()


def _contiguous(text: str, tokens: list[Token]) -> bool:
    """Words of one name are separated by spaces only (not by a full stop or a line break)."""
    return all(text[a.end : b.start].strip(" ") in ("", "-") for a, b in zip(tokens, tokens[1:]))


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


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
    return j < k < len(tokens) and _is_capitalised(tokens[k].text)


def _capitalised_runs(
    text: str, tokens: list[Token], taken: list[bool], common_words: frozenset[str]
) -> list[list[int]]:
    """Runs of capitalised words not already matched, bridging name particles ("von der").
    A run's first word is dropped when it opens a sentence and is short or a common word
    ("The", "But", "С Путиным"), since any word may open a sentence."""
    lowercase = common_words | {t.text for t in tokens if t.text[:1].islower()}
    runs: list[list[int]] = [[]]
    for j, token in enumerate(tokens):
        starts_or_extends = _is_capitalised(token.text) or runs[-1] and _bridges(tokens, j)
        if taken[j] or is_pronoun(token.text) or not starts_or_extends:
            runs.append([])
            continue
        if runs[-1] and not _contiguous(text, [tokens[runs[-1][-1]], token]):
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
    """Indices of `mentions` grouped by entity: same stem key, or a one-word key equal to the
    last word of a longer key in the same article (a surname standing for the full name)."""
    longer_by_last = {m.key[-1]: m.key for m in sorted(mentions, key=lambda m: len(m.key)) if len(m.key) > 1}
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, mention in enumerate(mentions):
        key = mention.key
        if len(key) == 1 and key[0] in longer_by_last:
            key = longer_by_last[key[0]]
        groups[key].append(index)
    return list(groups.values())

