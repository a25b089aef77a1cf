"""chatlint: a style linter for the replies of Russian-speaking support operators.

Public API (stable)::

    from chatlint import (lint_message, lint_transcript, load_config, apply_fixes, fix_message,
                          Config, Finding, Transcript, Message)
"""

from .config import Config, load_config
from .engine import fix_message, lint_message, lint_transcript, lint_transcripts
from .errors import ChatlintError, ConfigError
from .findings import Edit, Finding, Fix, apply_fixes
from .transcript import Message, Transcript

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
]

__version__ = "0.1.0"
