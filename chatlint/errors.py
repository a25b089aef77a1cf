"""chatlint's errors, one hierarchy: catch :class:`ChatlintError` for any input the linter
cannot use. Each message is one line naming the file, the line or key, and what to do."""

from __future__ import annotations


class ChatlintError(Exception):
    """Base of every error chatlint raises on bad input (never on a message's text)."""


class ConfigError(ChatlintError):
    """Invalid configuration: the message names the file, the key and the problem."""


class PackError(ChatlintError, ValueError):
    """A malformed rule pack; the message names the file, the rule and the field."""


class ReaderError(ChatlintError):
    """Input that cannot be read: ``str(exc)`` is the one-line reason (with the line, if any)."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line is not None else reason)


class InputError(ChatlintError):
    """An input that cannot be checked (missing, binary, too large): the one-line reason."""


class WorkerDied(RuntimeError):
    """A ``--jobs`` worker process stopped before it sent the results of its tasks: the run
    cannot be complete (the command reports it in one line and exits 2)."""
