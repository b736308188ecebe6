"""Storylines: the assertions that recur across the documents of a store, in any language.

    from narrascope.store import Filters, open_store
    from narrascope.storylines import discover
    with open_store("sqlite:///news.db") as store:
        found = discover(store, Filters(since=date(2024, 1, 1)), seed=0)
    for storyline in found.storylines:
        print(storyline.name, storyline.documents, storyline.sites)

The sentences grouped are each document's claims and label evidence (`store.units`), read with
their stored vectors; `grouping` clusters them, `describe` names and counts each group.
"""

from .discover import Discovery, Storyline, StorylineSentence, discover

__all__ = ["discover", "Discovery", "Storyline", "StorylineSentence"]
