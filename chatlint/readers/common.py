"""What every transcript reader shares: the :class:`Reading` it returns, the
:class:`Problem` values it steps over, and how roles come from the data or the configured
operator names. The readers import this module, never the package that dispatches to them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..errors import ReaderError
from ..transcript import Message, Transcript


@dataclass(frozen=True, slots=True)
class Problem:
    """A part of the input that was skipped (or read in part, e.g. a message kept without its
    unreadable time); the rest of the file is still checked."""

    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line is not None else self.reason


@dataclass(slots=True)
class Reading:
    transcripts: list[Transcript] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


Reader = Callable[[str, str, Sequence[str]], Reading]


# ------------------------------------------------------------------ roles


OPERATOR_ROLES = frozenset({"operator", "agent", "support", "оператор", "сотрудник", "менеджер", "поддержка"})
CLIENT_ROLES = frozenset({"client", "customer", "user", "клиент", "покупатель", "пользователь", "посетитель"})
SYSTEM_ROLES = frozenset({"system", "bot", "service", "система", "бот"})


def role_from_data(value: str | None) -> str | None:
    """A role written in the data (any case, Russian or English); None if it is not one."""
    if not value:
        return None
    v = value.strip().lower()
    if v in OPERATOR_ROLES:
        return "operator"
    if v in CLIENT_ROLES:
        return "client"
    if v in SYSTEM_ROLES:
        return "system"
    return None


def _name_key(name: str) -> str:
    return " ".join(name.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def is_operator_name(author: str | None, operators: Sequence[str]) -> bool:
    """Whether ``author`` is one of the configured operators: the whole name, or the name
    followed by more words («Анна» matches «Анна Смирнова»), case- and «ё»-insensitive."""
    if not author:
        return False
    a = _name_key(author)
    for op in operators:
        o = _name_key(op)
        if o and (a == o or a.startswith(o + " ")):
            return True
    return False


def no_operator_error(path: str, authors: Sequence[str]) -> ReaderError:
    names = ", ".join(f"«{a}»" for a in list(dict.fromkeys(a for a in authors if a))[:6]) or "none"
    return ReaderError(
        f"no operator can be identified (authors: {names}): list the operators' names in the "
        "config (`operators = [\"Анна\"]` in chatlint.toml or [tool.chatlint]) or give the data a role"
    )


def assign_roles(messages: list[Message], operators: Sequence[str], path: str) -> list[Message]:
    """Messages without a role from the data get one from the ``operators`` names: an operator
    name is an operator, anyone else a client. Raises :class:`ReaderError` when no message of
    the whole file is by an operator."""
    out = []
    for m in messages:
        if m.role == "system":
            out.append(m)
            continue
        role = "operator" if is_operator_name(m.author, operators) else "client"
        out.append(m if m.role == role else m.model_copy(update={"role": role}))
    return out


def require_operator(transcripts: list[Transcript], path: str) -> None:
    """Raise the "configure your operators" error when no message of any transcript is an
    operator's (a file of only clients cannot be checked)."""
    if not any(m.role == "operator" for t in transcripts for m in t.messages):
        authors = [m.author or "" for t in transcripts for m in t.messages]
        if authors:
            raise no_operator_error(path, authors)
