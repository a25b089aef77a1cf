"""Conversations: the ``Message`` and ``Transcript`` models every reader produces (SPEC §1).

A transcript is one conversation in order of sending. Readers (``chatlint/readers/``) turn
exports into transcripts; :func:`chatlint.lint_transcript` checks them. Offsets of findings
are relative to their message's ``text``; ``source_line`` says where the message starts in
the file it was read from, so that reports can point into the file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .findings import Channel

Role = Literal["operator", "client", "system"]


class Message(BaseModel):
    """One message of a conversation."""

    model_config = ConfigDict(frozen=True)

    text: str
    role: Role = "operator"
    author: str | None = None
    time: datetime | None = None  # naive times are taken as UTC when compared with aware ones
    source_line: int | None = Field(default=None, ge=1)  # 1-based line in the source file
    # E-mail headers (the ``email`` channel; None where the source has no such thing)
    subject: str | None = None
    in_reply_to: str | None = None
    # The message carries a photo, video, file or voice note (``text`` is its caption, maybe
    # empty): a client's media-only message usually shows the problem and needs an answer.
    media: bool = False


class Transcript(BaseModel):
    """One conversation: its messages in the order they were sent."""

    model_config = ConfigDict(frozen=True)

    messages: tuple[Message, ...] = ()
    conversation_id: str | None = None
    channel: Channel | None = None  # None: the config's

    @property
    def operators(self) -> list[str]:
        """The operators' names, in order of first appearance."""
        seen: dict[str, None] = {}
        for m in self.messages:
            if m.role == "operator":
                seen.setdefault(m.author or "", None)
        return list(seen)


def epoch_seconds(t: datetime | None) -> float | None:
    """Seconds since the epoch; a naive time is read as UTC so that any two times compare."""
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.timestamp()
