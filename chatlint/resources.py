"""The shipped rule data (profiles, lexicons): found inside the installed wheel
(``chatlint/rules``) or, in a source checkout, in the repository's top-level ``rules/``."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from .document import norm
from .phrases import Phrase, compile_phrase


@lru_cache(maxsize=1)
def rules_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if (candidate / "profiles").is_dir():
            return candidate
    raise RuntimeError(
        "chatlint's rule data (profiles/, lexicons/) is missing: reinstall the package"
    )


@lru_cache(maxsize=64)
def load_data(relpath: str) -> dict[str, Any]:
    """A TOML file of the rule data, e.g. ``lexicons/etiquette.toml`` (parsed once a process,
    and kept parsed between runs by :mod:`chatlint.datacache`, keyed by the file's path, size
    and time: Python's TOML parser took ~9 ms of every run's start for the lexicons)."""
    from . import datacache

    path = rules_dir() / relpath
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        key = (str(path), st.st_size, st.st_mtime_ns)
        kept = datacache.load("rules", key)
        if isinstance(kept, dict):
            return kept
        data = tomllib.load(fh)
    datacache.store("rules", key, data)
    return data


def lexicon(name: str) -> dict[str, Any]:
    return load_data(f"lexicons/{name}.toml")


@lru_cache(maxsize=256)
def phrases(name: str, section: str, key: str = "patterns") -> tuple[Phrase, ...]:
    """The compiled phrase patterns of ``lexicons/NAME.toml`` ``[section] key``."""
    return tuple(compile_phrase(p) for p in lexicon(name)[section][key])


@lru_cache(maxsize=256)
def word_set(name: str, section: str, key: str, fold: bool = True) -> frozenset[str]:
    words = lexicon(name)[section][key]
    return frozenset(norm(w) if fold else w for w in words)
