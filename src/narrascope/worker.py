"""A time budget per document: each document is read and analysed in a child process, which is
stopped when the document runs past `Settings.document_timeout` (or past `document_memory_mb`).

Why a process and not checks between stages: a Python thread cannot be stopped from outside, and
the expensive steps are single calls into C or Rust that never come back to Python until they are
done (lxml parsing a deeply nested page inside trafilatura, a regular expression over a 2 MB
"word", sentencex over one 500,000-character line, the encoder's tokeniser). A deadline checked
between stages would be noticed only after such a call, minutes late. A child process can be
killed at the deadline whatever it is doing; the batch records the document as failed (`timeout`)
and goes on with a fresh child. The price: starting a child (importing narrascope, loading the
heads, one warm-up analysis) takes a few seconds, once per batch and again after each timeout or
crash, and each document and analysis crosses a local socket as a pickle (well under a millisecond
for an article). A child that dies (out of memory, a native crash) costs only its document,
recorded as `crash`; one that holds more than `document_memory_mb` is stopped (`memory`).

`document_timeout=0` analyses in this process with no budget (the Python API's `analyze`, tests).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from .components.custom import Recipe, from_recipes
from .encoder import get_encoder
from .errors import NarrascopeError
from .ingest import Failure, FailureKind, RawDocument
from .model import Analysis, Document
from .pipeline import analyze_document, as_analysed, read_document
from .settings import Settings

Skip = Callable[[Document], bool]
Outcome = Analysis | Failure | None  # None: `skip` said the document needs no analysis
Recipes = Sequence[Recipe]  # the user's taxonomy files to score too, as `components.custom.recipe` reads them
STARTUP_TIMEOUT = 300.0  # seconds a child may take to import narrascope and load models (a cold, busy machine)
WATCH_SECONDS = 0.5  # how often a child's memory is looked at while it works
WARM_UP = RawDocument(
    source="<warm-up>",
    # lines long enough to be told apart as an article's are (see `extract.language`): a warm-up of
    # short lines would load lingua's slow high-accuracy models, which articles seldom need
    content=(
        "The city council approved the new budget on Tuesday after a long and heated debate.\n"
        "Critics called the plan reckless and costly, and warned that local taxes would rise next year."
    ),
    kind="text",
)
_HEADER = struct.Struct("!Q")


class Analyser(Protocol):
    """Reads and analyses one raw document at a time; never raises for what the document does."""

    def run(self, raw: RawDocument, components: Sequence[str], skip: Skip | None = None,
            deadline: float | None = None, custom: Recipes = ()) -> Outcome: ...

    def close(self) -> None: ...


def make_analyser(settings: Settings, components: Sequence[str] = ()) -> Analyser:
    """An `IsolatedAnalyser` when `settings.document_timeout` is set, else an `InProcessAnalyser`.
    `components` are the ones most documents will need, loaded before the first document."""
    if settings.document_timeout > 0:
        return IsolatedAnalyser(settings, components)
    return InProcessAnalyser(settings)


@contextlib.contextmanager
def open_analyser(settings: Settings, components: Sequence[str] = ()) -> Iterator[Analyser]:
    """`make_analyser`, closed (its child stopped) on leaving."""
    analyser = make_analyser(settings, components)
    try:
        yield analyser
    finally:
        analyser.close()


class InProcessAnalyser:
    """No budget: for one-off analyses and where a child process is not wanted."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def run(self, raw: RawDocument, components: Sequence[str], skip: Skip | None = None,
            deadline: float | None = None, custom: Recipes = ()) -> Outcome:
        try:
            document = read_document(raw, self.settings)
            scorers = from_recipes(custom)
            stored_as = as_analysed(document, components, scorers) if skip is not None else document
        except Exception as exc:  # noqa: BLE001 - whatever one document does, it is its failure
            return Failure.from_exception(raw.source, exc, raw.id)
        if skip is not None and skip(stored_as):
            return None
        try:
            return analyze_document(document, components, scorers)
        except Exception as exc:  # noqa: BLE001
            return Failure.from_exception(raw.source, exc, raw.id)

    def close(self) -> None:
        pass


class IsolatedAnalyser:
    """Runs `read_document` and the pipeline in a child process, stopped past the budget.

    The child starts at once (so it loads while the first input is read), runs a small sample
    through `components` before it says it is ready (lazily loaded models are not charged to the
    first document's budget), and is replaced after a timeout or a crash. Not thread-safe: one per
    thread (the thread that makes it, since the child is told to die with that thread).
    """

    def __init__(self, settings: Settings, components: Sequence[str] = ()) -> None:
        self.settings = settings
        self.components = tuple(components)
        self.budget = settings.document_timeout
        self._child: _Child | None = _Child(settings, self.components)

    def run(self, raw: RawDocument, components: Sequence[str], skip: Skip | None = None,
            deadline: float | None = None, custom: Recipes = (), threads: int = 0) -> Outcome:
        """The analysis, `None` when `skip` declined it, or the failure. `deadline` (a
        `time.monotonic()` value) ends it sooner than the budget would; `threads` (0: as the
        settings say) are the cores the child's encoder may use for this document."""
        child = self._child = self._child or _Child(self.settings, self.components)
        try:
            child.ready()
            started = time.monotonic()
            own_deadline = started + self.budget
            limit = min(own_deadline, deadline) if deadline is not None else own_deadline
            child.send(("run", raw, tuple(components), tuple(custom), skip is not None, threads))
            while True:
                message = child.receive(limit, self.settings.document_memory_mb)
                if message is None:
                    self.close()
                    took = time.monotonic() - started
                    why = "the job's time limit ran out" if limit < own_deadline else (
                        f"over the {self.budget:g} s time limit for one document"
                    )
                    return _costly(raw, f"stopped after {took:.0f} s, {why}", "timeout")
                if message[0] == "document":
                    wanted = skip is None or not skip(message[1])
                    child.send(("analyse" if wanted else "skip",))
                    continue
                return message[1]
        except _ChildDied as died:
            self.close()
            return _costly(raw, f"the analysis process died ({died}) on this input", "crash")
        except _OverMemory as over:
            self.close()
            limit_mb = self.settings.document_memory_mb
            return _costly(raw, f"stopped at {over.used_mb} MB, over the {limit_mb} MB memory limit for one document", "memory")
        except BaseException:  # the child may be mid-conversation: never reuse it
            self.close()
            raise

    def close(self) -> None:
        if self._child is not None:
            self._child.stop()
            self._child = None



def _costly(raw: RawDocument, why: str, kind: FailureKind) -> Failure:
    """A timeout or a crash: with the input's fingerprint, so a re-run can leave it alone."""
    return Failure(raw.source, f"{raw.source}: {why}", raw.id, kind=kind, input_hash=raw.fingerprint())


class _ChildDied(Exception):
    pass


class _OverMemory(Exception):
    def __init__(self, used_mb: int) -> None:
        super().__init__(used_mb)
        self.used_mb = used_mb


class _Child:
    """One child process and the socket to it; messages are length-prefixed pickles."""

    def __init__(self, settings: Settings, components: tuple[str, ...]) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"from narrascope.worker import serve; serve({theirs.fileno()})"],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env=_environment(settings),
        )
        theirs.close()
        self.socket = ours
        self.selector = selectors.DefaultSelector()
        self.selector.register(ours, selectors.EVENT_READ)
        self.started = False
        self.send(("init", settings, components))

    def ready(self) -> None:
        if self.started:
            return
        try:
            message = self.receive(time.monotonic() + STARTUP_TIMEOUT)
        except _ChildDied as died:
            raise NarrascopeError(f"the analysis process could not start ({died})") from None
        if message is None or message[0] != "ready":
            self.stop()
            raise NarrascopeError(f"the analysis process did not start within {STARTUP_TIMEOUT:g} s")
        self.started = True

    def send(self, message: tuple[Any, ...]) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.socket.sendall(_HEADER.pack(len(data)) + data)
        except OSError:
            raise _ChildDied(self._death()) from None

    def receive(self, deadline: float, memory_mb: int = 0) -> tuple[Any, ...] | None:
        """The next message, or None once `deadline` (a `time.monotonic()` value) passes;
        `_OverMemory` as soon as the child holds more than `memory_mb` (0: no limit)."""
        while not self.selector.select(min(max(0.0, deadline - time.monotonic()), WATCH_SECONDS)):
            if time.monotonic() >= deadline:
                return None
            if memory_mb and (used := self.resident_mb()) > memory_mb:
                raise _OverMemory(used)
        self.socket.settimeout(None)
        try:
            header = _read_exactly(self.socket, _HEADER.size)
            return pickle.loads(_read_exactly(self.socket, _HEADER.unpack(header)[0]))
        except (OSError, EOFError):
            raise _ChildDied(self._death()) from None

    def resident_mb(self) -> int:
        """The child's resident memory, from /proc (0 where there is none)."""
        try:
            pages = int(Path(f"/proc/{self.process.pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            return 0
        return pages * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.selector.close()
            self.socket.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def _death(self) -> str:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if code < 0:
            name = signal.Signals(-code).name
            hint = ", perhaps out of memory" if -code == signal.SIGKILL else ""
            return f"killed by {name}{hint}"
        return f"exit code {code}"


def _environment(settings: Settings) -> dict[str, str]:
    """This environment with `settings` as `NARRASCOPE_*` variables, so that what the child reads
    with `Settings.from_env()` (the encoder's threads and token caps) is what it was given."""
    environment = dict(os.environ)
    for field in dataclasses.fields(settings):
        key, value = f"NARRASCOPE_{field.name.upper()}", getattr(settings, field.name)
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = str(int(value)) if isinstance(value, bool) else str(value)
    return environment


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


# --- the child ------------------------------------------------------------------------------


def serve(fd: int) -> None:
    """The child's loop: read and analyse what the parent sends until the socket closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()
    sock = socket.socket(fileno=fd)
    _, settings, components = _receive(sock)
    if settings.encoder_threads:  # the encoder reads its own setting; the heads' BLAS is held here
        from threadpoolctl import threadpool_limits

        threadpool_limits(settings.encoder_threads)
    _analyse(sock, WARM_UP, components, (), False, settings)  # loads what each model loads on first use
    _send(sock, ("ready",))
    while True:
        try:
            _, raw, components, custom, ask, threads = _receive(sock)
        except EOFError:
            return
        if threads:
            get_encoder().use_threads(threads)
        _send(sock, _analyse(sock, raw, components, custom, ask, settings))


def _analyse(
    sock: socket.socket, raw: RawDocument, components: tuple[str, ...], custom: Recipes, ask: bool, settings: Settings
) -> tuple:
    try:
        document = read_document(raw, settings)
        scorers = from_recipes(custom)  # built once per taxonomy file and kept
        stored_as = as_analysed(document, components, scorers) if ask else document
    except Exception as exc:  # noqa: BLE001 - whatever one document does, it is its failure
        return ("failure", Failure.from_exception(raw.source, exc, raw.id))
    if ask:
        _send(sock, ("document", stored_as))
        if _receive(sock)[0] == "skip":
            return ("skipped", None)
    try:
        return ("analysis", analyze_document(document, components, scorers))
    except Exception as exc:  # noqa: BLE001
        return ("failure", Failure.from_exception(raw.source, exc, raw.id))


def _send(sock: socket.socket, message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


def _receive(sock: socket.socket) -> tuple[Any, ...]:
    header = _read_exactly(sock, _HEADER.size)
    return pickle.loads(_read_exactly(sock, _HEADER.unpack(header)[0]))


def _die_with_parent() -> None:
    """The child never outlives its parent (a server killed with SIGKILL): the kernel's parent-death
    signal where there is one (Linux), else a thread watching for the parent to change."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL) == 0:  # PR_SET_PDEATHSIG
            if os.getppid() != parent:  # the parent died before the call
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
