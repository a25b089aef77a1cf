"""The command line's process settings, applied before any pydantic model is built (imported
first by :mod:`chatlint.cli`).

pydantic looks for its own plugins (the ``pydantic`` entry-point group) when it builds the
first model, parsing every installed distribution's metadata: about 15 ms of a 0.3 s cold
``chatlint check``, for plugins that observe validation and have nothing to observe in the
linter's own models. The ``chatlint`` command therefore runs with ``PYDANTIC_DISABLE_PLUGINS``
set, unless the environment sets it already (to anything, even empty), and pydantic's plugin
loader is a stand-in that does not import ``importlib.metadata`` (:class:`_PluginLoader`).
Importing :mod:`chatlint` as a library changes nothing: this module is the command's.
"""

from __future__ import annotations

import os
import sys
import types

os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# The values with which pydantic's loader (pydantic.plugin._loader.get_plugins) loads no plugin.
_NO_PLUGINS = ("__all__", "1", "true")
_LOADER = "pydantic.plugin._loader"


class _PluginLoader(types.ModuleType):
    """``pydantic.plugin._loader`` while plugins are disabled: the real module imports
    ``importlib.metadata`` (and with it email, zipfile, csv…: about 20 ms of the command's
    start-up) for the entry points it never reads when plugins are disabled. This stand-in
    answers ``get_plugins()`` as the real one does then (no plugins), and loads the real module
    for anything else (plugins enabled again, another name)."""

    @staticmethod
    def get_plugins():
        if os.getenv("PYDANTIC_DISABLE_PLUGINS") in _NO_PLUGINS:
            return ()
        return _real_loader().get_plugins()

    def __getattr__(self, name: str):
        if name.startswith("__"):  # what the import system asks of any module (``__path__``)
            raise AttributeError(name)
        return getattr(_real_loader(), name)


def _real_loader() -> types.ModuleType:
    if isinstance(sys.modules.get(_LOADER), _PluginLoader):
        del sys.modules[_LOADER]
    import importlib

    return importlib.import_module(_LOADER)


if os.environ["PYDANTIC_DISABLE_PLUGINS"] in _NO_PLUGINS and _LOADER not in sys.modules:
    sys.modules[_LOADER] = _PluginLoader(_LOADER)


# ------------------------------------------------------------------ the collector at start-up
#
# A ``chatlint`` process spends its first ~0.3 s importing modules and building what the rules
# compile lazily (plans, lexicons, phrase automata, the morphology dictionary): hundreds of
# thousands of objects that live until exit. The cyclic collector, left on, walks them again
# and again while they are made (full collections of everything loaded so far), for nothing it
# can free. The command (:func:`chatlint.__main__.main`) pauses it before the first import and
# :func:`started` gives it back once the start-up is over: before the first input is checked
# (``--jobs 1``), or as the workers are forked. Whatever was loaded by then is frozen
# (``gc.freeze``): later collections, in this process and in forked workers, leave it alone
# (and a worker does not copy the pages it would touch). Imported as a library (tests, an
# application calling :func:`chatlint.cli.main`), nothing of this happens.

_paused = False


def pause() -> None:
    """Pause the cyclic collector for the start-up (the command's entry point only)."""
    global _paused
    import gc

    if gc.isenabled():
        gc.disable()
        _paused = True


def paused() -> bool:
    """Whether the collector is paused for the start-up (:func:`pause`)."""
    return _paused


def started(freeze: bool = True) -> None:
    """The start-up is over: what is loaded is frozen (``freeze``) and the collector runs
    again. Nothing when it was not paused by :func:`pause`."""
    global _paused
    if not _paused:
        return
    import gc

    _paused = False
    if freeze:
        gc.freeze()
    gc.enable()
