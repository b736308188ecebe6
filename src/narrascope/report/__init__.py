"""Reports of analyses: the terminal summary, the standalone HTML page, and the span
highlighting both share with the web app (`narrascope.report.highlight`)."""

from .highlight import Segment, article_html, segments, stylesheet
from .html import render_html
from .terminal import print_analysis

__all__ = ["Segment", "segments", "article_html", "stylesheet", "render_html", "print_analysis"]
