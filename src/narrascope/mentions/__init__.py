"""Finding the people, organisations, countries, places and groups an article talks about,
without a pretrained NER model (none ships in a registry package for all our languages).

- `words`: tokens with offsets and light stems, so inflected names meet.
- `lexicon`: what names are known to be (CLDR country, capital, bloc and month names in every
  corpus language) and the cue words of organisations, groups and persons.
- `finder`: mentions from a gazetteer learnt from the role annotations plus capitalised runs,
  grouped into entities.
- `kinds`: an entity's type from those cues, or none when no cue fires.
"""

from .finder import FoundMention, Gazetteer, find_mentions, group_mentions
from .kinds import entity_type
from .lexicon import COUNTRY, GROUP, ORGANISATION, PERSON, PLACE, canonical_key, demonym, lexicon
from .words import Token, is_pronoun, name_key, stem, tokenize

__all__ = [
    "COUNTRY", "GROUP", "ORGANISATION", "PERSON", "PLACE", "FoundMention", "Gazetteer", "Token",
    "canonical_key", "demonym", "entity_type", "find_mentions", "group_mentions", "is_pronoun", "lexicon",
    "name_key", "stem", "tokenize",
]
