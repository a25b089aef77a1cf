"""The Dialogue: one conversation as the dialogue rules (T, M) see it.

It wraps a :class:`~chatlint.transcript.Transcript` with what those rules share: each
message's :class:`~chatlint.document.Document` (the operator's are the ones the message
rules already parsed), times as epoch seconds, and whether the times can be trusted. Timing
rules skip a conversation whose times are missing or go backwards; the engine reports that
once per conversation instead of a finding per message.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, lru_cache

from .document import Document
from .phrases import Phrase, compile_phrase
from .resources import lexicon, word_set
from .transcript import Transcript, epoch_seconds


def needs_time(check: Callable) -> Callable:
    """Mark a dialogue check as a timing rule: it runs only on conversations whose times are
    all present and in order (the engine says once why it skipped the others)."""
    check.needs_time = True  # type: ignore[attr-defined]
    return check


class Dialogue:
    """A conversation with its parsed messages; built once per transcript by the engine."""

    def __init__(self, transcript: Transcript, docs: dict[int, Document] | None = None) -> None:
        self.transcript = transcript
        self.messages = transcript.messages
        self._docs: dict[int, Document] = docs if docs is not None else {}

    def doc(self, i: int) -> Document:
        """The parsed text of message ``i`` (parsed on first use)."""
        d = self._docs.get(i)
        if d is None:
            d = self._docs[i] = Document(self.messages[i].text)
        return d

    @cached_property
    def seconds(self) -> list[float | None]:
        return [epoch_seconds(m.time) for m in self.messages]

    @cached_property
    def operator_indexes(self) -> list[int]:
        return [i for i, m in enumerate(self.messages) if m.role == "operator"]

    @cached_property
    def client_indexes(self) -> list[int]:
        return [i for i, m in enumerate(self.messages) if m.role == "client"]

    @cached_property
    def timing_problem(self) -> str | None:
        """Why the times of this conversation cannot be used, or None when they can."""
        speaking = [i for i, m in enumerate(self.messages) if m.role != "system"]
        missing = [i for i in speaking if self.seconds[i] is None]
        if missing:
            return f"{len(missing)} of {len(speaking)} messages have no time (first: message {missing[0] + 1})"
        prev = None
        for i in speaking:
            s = self.seconds[i]
            if prev is not None and s is not None and self.seconds[prev] is not None and s < self.seconds[prev]:
                return f"times go backwards at message {i + 1} (earlier than message {prev + 1})"
            prev = i
        return None

    @property
    def timed(self) -> bool:
        return self.timing_problem is None

    def wait(self, since: int, until: int) -> float:
        """Seconds between two messages (only on a timed dialogue)."""
        return (self.seconds[until] or 0.0) - (self.seconds[since] or 0.0)

    def first_line_span(self, i: int) -> tuple[int, int]:
        """The span of a message's first non-empty line: where a dialogue finding points when it
        is about the message as a whole (its time, its place in the conversation)."""
        text = self.messages[i].text
        start = len(text) - len(text.lstrip())
        if start == len(text):  # empty or whitespace only: the whole message
            return 0, len(text)
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        return start, len(text[:end].rstrip())


# ------------------------------------------------------------------ shared lexicons


@lru_cache(maxsize=16)
def phrases_of(section: str) -> tuple[Phrase, ...]:
    """The compiled patterns of ``rules/lexicons/dialogue.toml`` ``[section]``."""
    data = lexicon("dialogue")[section]
    gap = data.get("gap", 0)
    return tuple(compile_phrase(p, gap) for p in data.get("patterns", []))


def words_of(section: str) -> frozenset[str]:
    return word_set("dialogue", section, "words")


def phrase_spans(doc: Document, section: str) -> list[tuple[int, int]]:
    """Where the phrases of a lexicon section occur in ``doc`` (memoised per document)."""

    def compute(d: Document) -> list[tuple[int, int]]:
        from .checks.lexical import phrase_hits

        return list(phrase_hits(d, phrases_of(section)))

    return doc.memo(("dialogue-phrases", section), compute)


def is_holding(doc: Document) -> bool:
    """A holding message: the operator asks the client to wait while they find the answer."""
    return bool(phrase_spans(doc, "holding"))


def phone_offer(doc: Document) -> tuple[int, int] | None:
    """The span where the operator offers a phone call, or None."""
    spans = phrase_spans(doc, "phone")
    return spans[0] if spans else None
