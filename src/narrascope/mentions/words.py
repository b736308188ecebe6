"""Words as the mention finder sees them: tokens with offsets, light stems that let inflected
names meet ("Путина" / "Путин"), and the small closed classes that are never names."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[\w\u0900-\u097F]+(?:[-'’][\w\u0900-\u097F]+)*")
# Noun, adjective and article endings of Russian, Ukrainian and Bulgarian, longest first.
_CYRILLIC_ENDINGS = sorted(
    "ыми ими ями ами ого его ому ему ите ове ой ей ою ею ом ем ам ям ах ях ов ев ый ий ая яя ое ее ые ие ых их "
    "ым им ую юю ът ят та то те а я у ю ы и е о ь й".split(),
    key=len,
    reverse=True,
)
LATIN_POSSESSIVE = re.compile(r"['’]s$")
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
# Postpositions, conjunctions and auxiliaries of the caseless scripts: never part of a name.
FUNCTION_WORDS = frozenset(
    "ने के की का को से में पर और है हैं था थे थी तथा या एवं कि जो भी ही तो नहीं यह वह इस उस ये वे इन उन एक लिए साथ "
    "बाद द्वारा गया गई गए कहा कर करने रहा रही रहे हुए हुआ हो होने वाले वाली अब तक जब तब अपने अपनी".split()
)
MIN_STEM = 3


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


def stem(word: str) -> str:
    """A light, language-blind stem: casefolded, possessive and one Cyrillic ending removed."""
    word = LATIN_POSSESSIVE.sub("", word.casefold())
    if is_cyrillic(word):
        for ending in _CYRILLIC_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                return word[: -len(ending)]
    return word


def root(word: str) -> str:
    """A word stemmed twice, so that a cue word and its inflections meet ("режим", "режима")."""
    return stem(stem(word))


def name_key(text: str) -> tuple[str, ...]:
    """The stems of a name's words: what two spellings of one name have in common."""
    return tuple(stem(token.text) for token in tokenize(text))


def caseless(word: str) -> bool:
    """Written in a script without letter case (Devanagari, Georgian)."""
    return not word[:1].isupper() and not word[:1].islower()


def is_pronoun(word: str) -> bool:
    """A personal pronoun, unless written in capitals like an acronym ("US")."""
    return word.casefold() in PRONOUNS and not word.isupper()


def contiguous(text: str, tokens: list[Token]) -> bool:
    """Words of one name are separated by spaces only (not by a full stop or a line break)."""
    return all(text[a.end : b.start].strip(" ") in ("", "-") for a, b in zip(tokens, tokens[1:]))
