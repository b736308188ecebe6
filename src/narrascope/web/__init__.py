"""The web app: analyse in the browser, read articles with their techniques highlighted, browse
and export the library, chart trends; plus a JSON API. `create_app(WebConfig(...))` builds it;
`narrascope serve` runs it."""

from .app import create_app
from .services import WebConfig

__all__ = ["create_app", "WebConfig"]
