"""chatlint: a style linter for the replies of Russian-speaking support operators.

Public API (stable)::

    from chatlint import lint_message, load_config, apply_fixes, fix_message, Config, Finding
"""

from .config import Config, ConfigError, load_config
from .engine import fix_message, lint_message
from .findings import Edit, Finding, Fix, apply_fixes

__all__ = [
    "Config",
    "ConfigError",
    "Edit",
    "Finding",
    "Fix",
    "apply_fixes",
    "fix_message",
    "lint_message",
    "load_config",
]

__version__ = "0.1.0"
