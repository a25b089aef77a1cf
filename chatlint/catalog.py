"""The catalog: every rule chatlint knows — the built-in checks (:mod:`chatlint.checks`), the
packs shipped in ``rules/packs/`` (if any), and the plugins of the ``chatlint.rules``
entry-point group. It sits above the rule API (:mod:`chatlint.registry`), the checks and the
packs, and below the configuration and the front ends."""

from __future__ import annotations

import os
import sys
import threading
import warnings

from . import (
    checks,  # noqa: F401  (importing the package registers the built-in rules)
    registry,
    resources,
)
from .registry import Rule, sorted_rules

ENTRY_POINT_GROUP = "chatlint.rules"


class PluginWarning(UserWarning):
    """A ``chatlint.rules`` plugin failed to load; it is skipped and the other rules run."""


_lock = threading.Lock()
_loaded = False


def all_rules() -> dict[str, Rule]:
    """Every rule by code, sorted by group then code: built-in, shipped packs, and plugins."""
    global _loaded
    if not _loaded:
        with _lock:
            if not _loaded:
                for path in _shipped_packs():
                    from .packs import pack_rules  # only when packs are shipped

                    for r in pack_rules(path):
                        if r.code in registry.REGISTRY:
                            raise ValueError(f"{path}: {r.code} is already a rule code")
                        registry.REGISTRY[r.code] = r
                if may_have_plugins():
                    load_plugins()
                _loaded = True
    return sorted_rules(registry.REGISTRY)


def _shipped_packs() -> list:
    """:func:`chatlint.packs.shipped_packs`, without importing the pack machinery (its models
    and validators) when no pack is shipped."""
    if not (resources.rules_dir() / "packs").is_dir():
        return []
    from .packs import shipped_packs

    return shipped_packs()


def load_plugins() -> list[str]:
    """Import every ``chatlint.rules`` entry point; importing registers its rules with
    :func:`~chatlint.registry.rule`. A plugin that fails to load is skipped with a
    :class:`PluginWarning` (the caller decides how to show it), so that a broken plugin
    cannot stop the linter. Returns the names of the loaded plugins."""
    import importlib.metadata

    loaded = []
    for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            ep.load()
            loaded.append(ep.name)
        except Exception as exc:  # a third party's bug: say so and go on
            warnings.warn(f"chatlint: plugin {ep.name!r} ({ep.value}) failed to load: {exc!r}", PluginWarning, stacklevel=2)
    return loaded


def may_have_plugins() -> bool:
    """Whether some installed distribution may declare a ``chatlint.rules`` entry point.

    ``importlib.metadata`` (imported, then every distribution's metadata parsed) is a good part
    of a cold start, and almost no installation has a plugin. This looks only at the
    ``entry_points.txt`` of the ``*.dist-info``/``*.egg-info`` folders on ``sys.path`` for the
    group's name; anything it cannot read that way (a zip or an egg on the path, a folder it
    cannot list, a custom finder) answers True, and :func:`load_plugins` decides as always.
    """
    from importlib.machinery import PathFinder

    if any(hasattr(f, "find_distributions") and f is not PathFinder for f in sys.meta_path):
        return True  # a finder that serves distributions of its own
    needle = f"[{ENTRY_POINT_GROUP}]".encode()
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):  # a zip file or an egg: importlib.metadata reads those
                return True
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            return True
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            meta = os.path.join(folder, name)
            if not os.path.isdir(meta):
                return True  # an egg-info file (very old setuptools): let importlib decide
            try:
                with open(os.path.join(meta, "entry_points.txt"), "rb") as f:
                    if needle in f.read():
                        return True
            except FileNotFoundError:
                continue
            except OSError:
                return True
    return False
