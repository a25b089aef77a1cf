"""chatlint: a style linter for the replies of Russian-speaking support operators.

Public API (stable)::

    from chatlint import (lint_message, lint_transcript, lint_transcripts, load_config,
                          apply_fixes, fix_message, read_transcripts,
                          Config, Finding, Transcript, Message)
    from chatlint import score   # QA scorecards (chatlint.scoring), loaded on first call

``read_transcripts(path, as_="auto", encoding=None)`` is :func:`chatlint.readers.read_transcripts`,
imported on first use (the readers are not loaded by ``import chatlint``).
"""

from .config import Config, load_config
from .engine import fix_message, lint_message, lint_transcript, lint_transcripts
from .errors import ChatlintError, ConfigError
from .findings import Edit, Finding, Fix, apply_fixes
from .transcript import Message, Transcript


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
    if name == "read_transcripts":
        from .readers import read_transcripts

        return read_transcripts
    raise AttributeError(f"module 'chatlint' has no attribute {name!r}")


__version__ = "0.1.0"
