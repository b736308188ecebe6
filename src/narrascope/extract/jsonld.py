"""The JSON-LD items of an HTML page (schema.org metadata: authors, dates), nested graphs included."""

from __future__ import annotations

import json
from collections.abc import Iterator

from resiliparse.parse.html import HTMLTree


def json_ld_items(tree: HTMLTree) -> Iterator[dict[str, object]]:
    """Every object of the page's `application/ld+json` scripts, in order, with the items of their
    `@graph` and `mainEntity`; scripts that are not JSON (or nest deeper than the parser goes) are
    passed over."""
    for script in tree.document.query_selector_all('script[type="application/ld+json"]') if tree.document else []:
        try:
            items = [json.loads(script.text)]
        except (ValueError, RecursionError):
            continue
        while items:
            item = items.pop(0)
            if isinstance(item, list):
                items.extend(item)
            elif isinstance(item, dict):
                items.extend(value for key, value in item.items() if key in ("@graph", "mainEntity"))
                yield item
