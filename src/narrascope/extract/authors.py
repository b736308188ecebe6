"""The authors of an HTML page: trafilatura's, cleaned, or the byline readers see.

trafilatura's names come from the page's metadata: they keep leads ("View all posts by", "Por"),
lose the dots of initials ("R C Baker", "Perry Bacon Jr"), are at times the outlet itself
("Tagesschau De") or a content system's account, and trafilatura misses author links, bylines
written only in the page ("Von: Max Mustermann") and the JSON-LD authors of items that are not
articles (forum posts). The rules below were chosen on the `fit` half of the development set
(author accuracy 0.613 -> 0.699 there; see docs/extraction.md for the held-back figures).
"""

from __future__ import annotations

import re

from resiliparse.parse.html import HTMLTree

from .bylines import introduced_authors, is_handle, parse_byline, split_names
from .jsonld import json_ld_items
from .metadata import text_after_headline

AUTHOR_SELECTORS = ('[rel="author"]', '[itemprop="author"] [itemprop="name"]', '[itemprop="author"]')
MAX_AUTHOR_CHARS = 60
MIN_SITE_KEY_CHARS = 4
UNDER_HEADLINE_LINES = 6  # a byline this close to the headline is the article's own
BYLINE_SEARCH_LINES = 100  # lines from the headline on where a byline is looked for when metadata has none
_STAFF_WORDS = {"staff", "reporter", "correspondent"}  # after a name, with the outlet's
_AUTHOR_LEAD = re.compile(
    r"^(?:(?:view|see|more) (?:all )?(?:posts|articles|stories)? ?by|posted by|written by|more by|geschrieben von|"
    r"verfasst von|veröffentlicht von|publié par|écrit par|von|vom|by|par|di|por|autor:?|author:?|автор:?)\s+",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


MAX_FUNCTION_WORD_CHARS = 3


def _trailing_function_word(words: list[str]) -> bool:
    """Whether a capitalised name ends in a short lower-case word ("vor", "am", "on"), which
    names do not; names written all in lower case ("www koffergepackt com") keep theirs."""
    last = words[-1]
    return (last.isalpha() and last.islower() and len(last) <= MAX_FUNCTION_WORD_CHARS
            and any(word[0].isupper() for word in words[:-1]))


def _clean_author(text: str, site_key: str) -> str:
    """A name without its lead ("By", "View all posts by"), quotes, or trailing outlet name and
    staff label ("Adam Aaronson PhillyVoice Staff")."""
    name = _AUTHOR_LEAD.sub("", " ".join(text.split())).strip(" ,|:;'\"‘’“”")
    words = name.split()
    while len(words) > 2 and (words[-1].casefold() in _STAFF_WORDS or _alnum(words[-1]) == site_key):
        words.pop()
    while len(words) > 1 and _trailing_function_word(words):
        words.pop()  # "Houzz Deutschland vor" (… 5 Stunden ago)
    half = len(words) // 2
    if len(words) % 2 == 0 and words[:half] == words[half:]:
        words = words[:half]  # "Newsdesk Newsdesk": the name printed twice
    return " ".join(words)


def _is_site(name: str, site_key: str) -> bool:
    """Whether `name` is the outlet's name ("Tagesschau De" for tagesschau.de), not a person's."""
    key = _alnum(name)
    return len(key) >= MIN_SITE_KEY_CHARS and key in site_key


def as_written(name: str, page_text: str) -> str:
    """`name` as the page spells it when only dots tell them apart: "R.C. Baker", "Markus M.
    Haefliger", "Perry Bacon Jr." (trafilatura drops the dots of initials)."""
    words = name.split()
    if "." in name or not words:
        return name
    tail = r"\.?" if len(words[-1]) <= 2 else ""  # an initial, "Jr."
    pattern = r"(?<!\w)" + r"\.?\s*".join(map(re.escape, words)) + tail + r"(?!\w)"
    match = re.search(pattern, page_text, re.IGNORECASE)
    return match.group() if match and "." in match.group() else name


def linked_authors(tree: HTMLTree, site_key: str) -> list[str]:
    """The names of the page's author links and `itemprop="author"` elements."""
    names: list[str] = []
    for selector in AUTHOR_SELECTORS:
        for element in tree.document.query_selector_all(selector)[:3] if tree.document else []:
            name = _clean_author(element.text, site_key)
            if name and len(name) <= MAX_AUTHOR_CHARS and name not in names:
                names.append(name)
    return [name for name in names if len(split_names(name, introduced=True)) == 1 or is_handle(name)]


def dated_byline(text: str, max_lines: int) -> list[str]:
    """The names of the first of `text`'s first `max_lines` lines that is a byline with a date
    ("Georg Quaas, 21. Jan. 2015"), where no word introduces the names."""
    lines = [line for line in (" ".join(line.split()) for line in text.split("\n")) if line][:max_lines]
    for line in lines:
        byline = parse_byline(line)
        if byline and byline.authors:
            return byline.authors
    return []


def _as_linked(name: str, linked: list[str]) -> str:
    """The linked author's name when `name` is it with a role before it ("FOCUS-Online-Experte
    Robin Tschöpe"), or a user name as trafilatura rewrites it ("Freeman" for "freeman1984")."""
    for link in linked:
        if _key(name).endswith(" " + _key(link)) or (is_handle(link) and _alnum(link).startswith(_alnum(name))):
            return link
    return name


def declared_authors(tree: HTMLTree) -> list[str]:
    """The author names of the page's JSON-LD, on any item (trafilatura reads articles' only)."""
    names: list[str] = []
    for item in json_ld_items(tree):
        authors = item.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            name = author.get("name") if isinstance(author, dict) else author
            if isinstance(name, str) and name.strip() and name.strip() not in names:
                names.append(name.strip())
    return names


def choose_authors(found: list[str], tree: HTMLTree, site: str | None, page_text: str, title: str | None = None) -> list[str]:
    """The byline right under the headline when trafilatura's names are not in it; else
    trafilatura's names, cleaned (a role before a linked author's name out, the title out); when
    they are none or only the outlet's name, the author links', a byline further down, a dated
    byline under the headline, or the JSON-LD's. Each spelt as the page spells it."""
    site_key = _alnum(site or "")
    linked = linked_authors(tree, site_key)
    names = [_as_linked(name, linked) for name in (_clean_author(name, site_key) for name in found) if name]
    names = [name for name in names if _key(name) != _key(title or "")]
    after_headline = text_after_headline(tree, page_text, title)
    under_headline = introduced_authors(after_headline, UNDER_HEADLINE_LINES)
    if under_headline and not {_key(name) for name in names} & {_key(name) for name in under_headline}:
        names = under_headline  # the byline readers see beats a content system's account name
    elif not names or all(_is_site(name, site_key) for name in names):
        names = (linked[:1] or introduced_authors(after_headline, BYLINE_SEARCH_LINES)
                 or dated_byline(after_headline, UNDER_HEADLINE_LINES) or names or declared_authors(tree)[:1])
    return [as_written(_clean_author(name, site_key), page_text) for name in names]
