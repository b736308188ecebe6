"""Errors a user can act on. Each message names the input it is about; the CLI prints it on
one line and exits non-zero, never with a traceback."""


class NarrascopeError(Exception):
    """Base of every error narrascope raises on purpose."""


class InputError(NarrascopeError):
    """The input cannot be read: missing, empty, binary, oversized, malformed."""


class FetchError(InputError):
    """A URL could not be fetched: refused address, HTTP error, timeout, wrong content type."""


class ExtractionError(InputError):
    """The page was read but holds no article text."""


class ComponentUnavailable(NarrascopeError):
    """A pipeline component cannot run here, e.g. its trained artifact is missing."""


class DatasetError(NarrascopeError):
    """A shared-task file does not parse; the message names file and line."""


class StoreError(NarrascopeError):
    """The store cannot be opened or written: bad URL, unreachable server, unwritable file."""
