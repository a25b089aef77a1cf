"""chatlint: a style linter for the replies of Russian-speaking support operators.

Public API (stable)::

    from chatlint import (lint_message, lint_transcript, lint_transcripts, load_config,
                          apply_fixes, fix_message, read_transcripts,
                          Config, Finding, Transcript, Message)
    from chatlint import score   # QA scorecards (chatlint.scoring), loaded on first call

``read_transcripts(path, as_="auto", encoding=None)`` is :func:`chatlint.readers.read_transcripts`,
imported on first use (the readers are not loaded by ``import chatlint``).
"""

# Nothing is imported here: ``import chatlint`` stays cheap (no pydantic, rules or morphology) and
# each public name loads its module on first use (PEP 562), so that ``chatlint --version`` and a
# front end that lints later do not pay for what they have not used yet.
TYPE_CHECKING = False
if TYPE_CHECKING:  # what the names are, for type checkers and editors
    from .config import Config, load_config
    from .engine import fix_message, lint_message, lint_transcript, lint_transcripts
    from .errors import ChatlintError, ConfigError
    from .findings import Edit, Finding, Fix, apply_fixes
    from .readers import read_transcripts
    from .transcript import Message, Transcript

_LAZY = {
    "ChatlintError": "errors",
    "ConfigError": "errors",
    "Config": "config",
    "load_config": "config",
    "fix_message": "engine",
    "lint_message": "engine",
    "lint_transcript": "engine",
    "lint_transcripts": "engine",
    "Edit": "findings",
    "Finding": "findings",
    "Fix": "findings",
    "apply_fixes": "findings",
    "Message": "transcript",
    "Transcript": "transcript",
    "read_transcripts": "readers",
}


def score(transcripts, scorecard=None, config=None):
    """Lint ``transcripts`` and score them on a QA scorecard (None: the shipped default one):
    a :class:`chatlint.scoring.ScoreReport` (see :func:`chatlint.scoring.score`)."""
    from .scoring import score as _score

    return _score(transcripts, scorecard, config)


__all__ = [
    "ChatlintError",
    "Config",
    "ConfigError",
    "Edit",
    "Finding",
    "Fix",
    "Message",
    "Transcript",
    "apply_fixes",
    "fix_message",
    "lint_message",
    "lint_transcript",
    "lint_transcripts",
    "load_config",
    "read_transcripts",
    "score",
]


def __getattr__(name: str):
    from importlib import import_module

    module = _LAZY.get(name)
    if module is None:
        # a submodule used as an attribute (``chatlint.engine`` after ``import chatlint``), as
        # when this package imported its modules eagerly
        if not name.startswith("__"):
            try:
                return import_module(f".{name}", __name__)
            except ModuleNotFoundError as exc:
                if exc.name != f"{__name__}.{name}":
                    raise
        raise AttributeError(f"module 'chatlint' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__version__ = "0.1.0"
