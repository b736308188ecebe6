"""An entity's type (person, organisation, country, place, group) from cues in the article:
known names (CLDR), group nouns and plural demonyms, acronyms and organisation words, then person
cues (titles, patronymics, first names the gazetteer knows, a surname used alone). When no cue
fires, the type is left to the learnt reading of the entity's token states
(`components.entities`), never guessed here."""

from __future__ import annotations

import re

from .finder import FoundMention, Gazetteer
from .lexicon import GROUP, HONORIFICS_AFTER, ORGANISATION, PERSON, demonym, lexicon, without_article
from .words import MIN_STEM, stem, tokenize

_ACRONYM = re.compile(r"[^\W\d_]{2,}\d*|[^\W\d_]\d{1,2}")  # NATO, ВСУ, G7, COP28; not F-16
_PATRONYMIC = re.compile(r"\w{3,}(?:ович|евич|овн|евн)\w{0,3}$")


def entity_type(text: str, mentions: list[FoundMention], gazetteer: Gazetteer) -> str | None:
    """Person, organisation, country, place or group for one entity's mentions in `text`, from
    the first cue that fires (known names, group nouns, organisation cues, person cues); None
    when nothing says."""
    known = lexicon()
    keys = sorted({without_article(m.key) for m in mentions}, key=len, reverse=True)
    for key in keys:
        if key in known.types:
            return known.types[key]
    words = [token.text for m in mentions for token in tokenize(m.text)]
    if any(stem(key[-1]) in known.group_words for key in keys) or any(
        len(m.key) == 1 and (demonym(m.text) == "plural" or _cyrillic_demonym(m.key[0])) for m in mentions
    ):
        return GROUP
    acronym = any(word.isupper() and _ACRONYM.fullmatch(word) for word in words)
    if acronym or any(stem(word) in known.organisation_words for key in keys for word in key):
        return ORGANISATION
    if _person_cues(text, mentions, keys, gazetteer):
        return PERSON
    return None


def _person_cues(text: str, mentions: list[FoundMention], keys: list[tuple[str, ...]], gazetteer: Gazetteer) -> bool:
    """A title before a mention or opening it, a Slavic patronymic, a first name the gazetteer
    knows, a Hindi honorific after, or a full name whose surname the article also uses alone."""
    known = lexicon()
    for mention in mentions:
        before = tokenize(text[max(0, mention.start - 40) : mention.start])
        after = tokenize(text[mention.end : mention.end + 10])
        if before and stem(before[-1].text) in known.titles or after and after[0].text in HONORIFICS_AFTER:
            return True
    for key in keys:
        if stem(key[0]) in known.titles or any(stem(word) in known.titles for word in key[:-1]):
            return True
        if any(word in gazetteer.first_names for word in key[:-1]) or key in gazetteer.surnames:
            return True
    if any(_PATRONYMIC.match(word.casefold()) for m in mentions if len(m.key) > 1 for word in m.text.split()):
        return True
    singles = {key[0] for key in keys if len(key) == 1}
    return any(
        1 < len(m.key) <= 3 and m.key[-1] in singles and m.text.split()[0].casefold() not in gazetteer.common_words
        and not any(word[:1].islower() for word in m.text.split())
        for m in mentions
    )


def _cyrillic_demonym(word_stem: str) -> bool:
    """A Russian or Bulgarian noun for a people ("украинцы", "американците"): a place's stem, then "ц"."""
    places = lexicon().cyrillic_places
    at = word_stem.find("ц", MIN_STEM + 1)
    return at > 0 and any(word_stem[:k] in places for k in range(MIN_STEM + 1, at + 1))