"""A tiny registry for swappable parts (encoders, readers, writers, language detectors, engines).

Entries are factories registered by name; heavy modules are imported by the factory, never at
registration, so listing or picking a part stays cheap.

Other distributions add parts through entry points: the registry's ``group`` (for instance
``aligner.encoders``) maps a name to the plugin's factory, which follows the same contract as a
built-in one. Entry points are read only when a name is not among the built-ins, or when the
names are listed (iteration, the error for an unknown name), so the common path never scans the
installed distributions. A built-in wins over a plugin of the same name: the plugin is ignored,
so ``csv`` or ``usem3`` always mean what aligner's signatures say they mean. A loaded plugin is
registered like a built-in, through ``adopt`` (the formats read their file extensions off it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

from aligner.errors import RegistryError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str, group: str) -> None:
        self.kind = kind
        self.group = group
        """The entry-point group plugins register under, e.g. ``aligner.encoders``."""
        self.adopt: Callable[[str, Callable[..., T]], None] = self._register_plugin
        """Registers a plugin's factory once loaded; a format replaces it to also take the
        file extensions the factory declares."""
        self._factories: dict[str, Callable[..., T]] = {}
        self._plugins: dict[str, list[EntryPoint]] = {}
        self._plugins_path: tuple[str, ...] | None = None
        self._from_plugins: dict[str, str] = {}
        """Loaded plugins: name -> its distribution."""

    def register(self, name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
        def decorator(factory: Callable[..., T]) -> Callable[..., T]:
            if name in self._factories:
                raise RegistryError(f"{self.kind} {name!r} is registered twice")
            self._factories[name] = factory
            return factory

        return decorator

    def get(self, name: str) -> Callable[..., T]:
        factory = self._factories.get(name)
        if factory is not None:
            return factory
        if name not in self.plugins():
            raise RegistryError(f"unknown {self.kind} {name!r}. {self.available()}")
        return self._load(name)

    def __contains__(self, name: object) -> bool:
        return name in self._factories or name in self.plugins()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*self._factories, *self.plugins()}))

    def available(self) -> str:
        """``Available names: a, b; plugins: c (from dist-c)``, for error messages."""
        builtin = sorted(set(self._factories) - set(self._from_plugins))
        text = f"Available names: {', '.join(builtin)}"
        waiting = {name: _distribution(points[0]) for name, points in self.plugins().items()}
        plugins = sorted({**self._from_plugins, **waiting}.items())
        if plugins:
            text += "; plugins: " + ", ".join(f"{name} (from {dist})" for name, dist in plugins)
        return text

    def plugins(self) -> dict[str, list[EntryPoint]]:
        """The group's entry points by name, not yet loaded, without the names a built-in
        holds. Read once, and again only when ``sys.path`` has changed."""
        if self._plugins_path != tuple(sys.path):
            from importlib.metadata import entry_points

            found: dict[str, list[EntryPoint]] = {}
            for entry_point in entry_points(group=self.group):
                found.setdefault(entry_point.name, []).append(entry_point)
            self._plugins = found
            self._plugins_path = tuple(sys.path)
        return {
            name: points for name, points in self._plugins.items() if name not in self._factories
        }

    def load_plugins(self) -> bool:
        """Load every plugin not loaded yet (so that the formats learn their extensions);
        whether there was any."""
        waiting = list(self.plugins())
        for name in waiting:
            self._load(name)
        return bool(waiting)

    def _load(self, name: str) -> Callable[..., T]:
        points = self._plugins[name]
        if len(points) > 1:
            offered = " and ".join(sorted(_distribution(point) for point in points))
            raise RegistryError(
                f"{self.kind} plugin {name!r} is offered by {offered}; uninstall all but one"
            )
        point = points[0]
        try:
            factory = point.load()
        except Exception as exc:  # a plugin's import can fail in any way: say which, in one line
            reason = (str(exc).strip().splitlines() or [""])[0]
            raise RegistryError(
                f"{self.kind} plugin {name!r} from {_distribution(point)} cannot be loaded "
                f"({point.value}): {type(exc).__name__}: {reason}"
            ) from None
        if self._factories.get(name) is not factory:  # unless its module registered it itself
            self.adopt(name, factory)
        self._from_plugins[name] = _distribution(point)
        return factory

    def _register_plugin(self, name: str, factory: Callable[..., T]) -> None:
        self.register(name)(factory)


def _distribution(point: EntryPoint) -> str:
    dist = point.dist
    return f"{dist.name} {dist.version}" if dist is not None else "an unnamed distribution"
