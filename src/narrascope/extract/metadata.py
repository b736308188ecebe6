"""The title of an HTML page, chosen among what trafilatura and the page's markup offer, and
where its headline stands in the page's text.

trafilatura's title is the `<title>`/`og:title`, often with the site's name attached ("Headline |
Site") or a section label instead of the headline; the headline itself usually stands in an
`<h1>` (or an `<h2>` on blogs whose `<h1>` is the blog's name). The rules below were chosen
on the `fit` half of the development set (title accuracy 0.589 -> 0.841 there; see
docs/extraction.md for the held-back figures).
"""

from __future__ import annotations

import re

from resiliparse.parse.html import HTMLTree

# " | ", " - ", " – ", " › ", " :: " between a headline and a site or section name
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—›»:·•/]\s+|\s*[|›»·•]\s*|_")
MAX_HEADINGS = 5  # of each level: the headline is near the top
MIN_MATCH_CHARS = 8  # a heading this short matching inside the title is chance
MAX_TITLE_WORDS = 40
HEADLINE_KEY_CHARS = 30  # enough of the headline to find it in the page's text


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def headings(tree: HTMLTree) -> tuple[list[str], list[str]]:
    """The texts of the first `<h1>`s and `<h2>`s."""
    found = []
    for tag in ("h1", "h2"):
        elements = tree.document.query_selector_all(tag)[:MAX_HEADINGS] if tree.document else []
        found.append([" ".join(element.text.split()) for element in elements if element.text.strip()])
    return found[0], found[1]


def choose_title(title: str | None, site: str | None, tree: HTMLTree) -> str | None:
    """The headline: a heading that the metadata title contains, else the metadata title's part
    that an `<h1>` ends with (a kicker run into the headline), else a lone `<h1>`, else an `<h2>`
    the page's `<title>` contains, else the longest part of the metadata title that is not the
    site's name."""
    title = " ".join((title or "").split())
    site_key = _key(site or "")

    def plausible(heading: str) -> bool:
        return 1 <= len(heading.split()) <= MAX_TITLE_WORDS and _key(heading) != site_key and not heading.startswith(".")

    level1, level2 = (list(filter(plausible, level)) for level in headings(tree))
    title_key = _key(title)
    parts = [part.strip() for part in _TITLE_SEPARATORS.split(title) if part.strip()]
    for heading in level1 + level2:
        if len(_key(heading)) >= MIN_MATCH_CHARS and _key(heading) in title_key:
            return heading
    for heading in level1:
        for part in parts:
            if len(part) >= MIN_MATCH_CHARS and _key(heading).endswith(_key(part)):
                return part
    if len(level1) == 1:
        return level1[0]
    page_title = _key(tree.title or "")
    for heading in level2:  # a blog's post title, when its h1 is the blog's name
        if len(_key(heading)) >= MIN_MATCH_CHARS and _key(heading) in page_title:
            return heading
    if len(parts) > 1:
        return max([part for part in parts if _key(part) != site_key] or parts, key=len)
    return title or None


def text_after_headline(tree: HTMLTree, page_text: str, title: str | None = None) -> str:
    """The page's visible text from its first `<h1>` on, or, on pages without one, from where
    it prints `title` ("" when neither is found): where bylines and datelines stand."""
    heading = tree.document.query_selector("h1") if tree.document else None
    for text in (heading.text if heading is not None else "", title or ""):
        key = " ".join(text.split())[:HEADLINE_KEY_CHARS]
        at = page_text.find(key) if key else -1
        if at >= 0:
            return page_text[at:]
    return ""
