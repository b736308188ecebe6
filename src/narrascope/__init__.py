"""narrascope: how a news article tries to persuade, with the evidence for every label."""

from .core import analyze, analyze_many
from .model import Analysis, Document

__version__ = "0.1.0"

__all__ = ["analyze", "analyze_many", "Analysis", "Document", "__version__"]
