"""The Dialogue: one conversation as the dialogue rules (T, M) see it.

It wraps a :class:`~chatlint.transcript.Transcript` with what those rules share: each
message's :class:`~chatlint.document.Document` (the operator's are the ones the message
rules already parsed), times as epoch seconds, and whether the times can be trusted. Timing
rules skip a conversation whose times are missing or go backwards; the engine reports that
once per conversation instead of a finding per message.
"""

from __future__ import annotations

from functools import cached_property

from .document import Document
from .transcript import Transcript, epoch_seconds


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


def run_of(msgs, ops: list[int], forward: bool) -> list[int]:
    """The operator's first (or last) messages with no client message between them: the
    greeting rules judge the first run as one text, the farewell rules the last."""
    if not ops:
        return []
    order = ops if forward else ops[::-1]
    run = [order[0]]
    for i in order[1:]:
        lo, hi = sorted((run[-1], i))
        if any(msgs[k].role == "client" for k in range(lo + 1, hi)):
            break
        run.append(i)
    return sorted(run)
