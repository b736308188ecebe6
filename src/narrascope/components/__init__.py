"""The registry of task components (spaCy-style): small named callables that fill one part of
`Analysis.results`.

A component module registers a factory with `@register("name")`; the factory loads the shipped
artifact and returns an object with `name`, `version`, `labels` and `__call__(analysis)`.
Modules are imported by name on first use, so adding a head is adding a module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ..errors import ComponentUnavailable
from ..model import Analysis, ComponentInfo

DEFAULT_COMPONENTS: tuple[str, ...] = (
    "genre",
    "frames",
    "techniques",
    "narratives",
    "entities",
    "explanation",
    "claims",
)


@runtime_checkable
class Component(Protocol):
    name: str
    version: str
    labels: tuple[str, ...]

    def __call__(self, analysis: Analysis) -> Analysis: ...


_FACTORIES: dict[str, Callable[[], Component]] = {}


def register(name: str) -> Callable[[Callable[[], Component]], Callable[[], Component]]:
    def decorator(factory: Callable[[], Component]) -> Callable[[], Component]:
        _FACTORIES[name] = factory
        return factory

    return decorator


def create(name: str) -> Component:
    """Build the named component; raises `ComponentUnavailable` with the reason if it cannot run."""
    if name not in _FACTORIES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise ComponentUnavailable(f"no component named {name!r}") from None
    if name not in _FACTORIES:
        raise ComponentUnavailable(f"module for {name!r} registers no component")
    return _FACTORIES[name]()


def info(component: Component) -> ComponentInfo:
    return ComponentInfo(name=component.name, version=component.version)
