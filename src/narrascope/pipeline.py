"""The path of one document: `read_document` (extract, then segment into a `Document`), then the
registered components, in order, into one `Analysis` (`analyze_document`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from threadpoolctl import ThreadpoolController

from .components import DEFAULT_COMPONENTS, Component, create
from .encoder import fit_to_encoder
from .errors import ComponentUnavailable
from .extract import extract_document
from .ingest import RawDocument
from .model import Analysis, Document
from .settings import Settings

# The heads' products are small (a document's paragraphs by a few hundred columns): a second BLAS
# thread buys nothing, spins after each call on the core the encoder's next pass needs, and may
# change sums in their last bits. Heads run on one BLAS thread wherever they run.
_BLAS = ThreadpoolController()


class Pipeline:
    """Loads each component once. A component that cannot run here (say, no artifact) is left
    out and named in every analysis's `warnings` instead of failing the whole analysis."""

    def __init__(self, components: Sequence[str] = DEFAULT_COMPONENTS, custom: Sequence[Component] = ()):
        """`custom`: components built outside the registry, run after the named ones (the scorers
        of the user's taxonomy files, `components.custom.create_custom`)."""
        self.components: list[Component] = []
        self.unavailable: dict[str, str] = {}
        for name in components:
            try:
                self.components.append(create(name))
            except ComponentUnavailable as exc:
                self.unavailable[name] = str(exc)
        self.components.extend(custom)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def fit(self, document: Document) -> tuple[Document, list[str]]:
        """The document as the heads will read it, and what was left out: every head reads the
        encoder's pass, so its cost is bounded first (`fit_to_encoder`)."""
        if not self.components:
            return document, []
        return fit_to_encoder(document, Settings.from_env())

    def __call__(self, document: Document) -> Analysis:
        warnings = [f"component {name!r} unavailable: {reason}" for name, reason in self.unavailable.items()]
        document, cut = self.fit(document)
        warnings.extend(cut)
        analysis = Analysis(document=document, warnings=warnings)
        with _BLAS.limit(limits=1, user_api="blas"):
            for component in self.components:
                analysis = component(analysis)
        return analysis


@lru_cache(maxsize=8)
def get_pipeline(components: tuple[str, ...] = DEFAULT_COMPONENTS, custom: tuple[Component, ...] = ()) -> Pipeline:
    return Pipeline(components, custom)


def read_document(raw: RawDocument, settings: Settings | None = None) -> Document:
    """Extract and segment one raw input into a `Document` (no models run)."""
    return extract_document(raw, settings or Settings.from_env())


def analyze_document(
    document: Document, components: Sequence[str] = DEFAULT_COMPONENTS, custom: Sequence[Component] = ()
) -> Analysis:
    return get_pipeline(tuple(components), tuple(custom))(document)


def as_analysed(
    document: Document, components: Sequence[str] = DEFAULT_COMPONENTS, custom: Sequence[Component] = ()
) -> Document:
    """`document` with the id its analysis will carry (a text cut for the encoder has the id of
    what is kept), so a resumed batch finds a stored analysis before paying for a new one."""
    fitted, _ = get_pipeline(tuple(components), tuple(custom)).fit(document)
    return document if fitted.id == document.id else document.model_copy(update={"id": fitted.id})
