"""A draft reply checked in its conversation: what the operator UI asks before sending.

Stateless: the caller gives the conversation so far (messages with roles and, optionally,
times) and the draft; :func:`check_draft` returns

* the draft's findings: the message rules with ``first`` following from the conversation (no
  operator message yet) and ``last`` as the caller says, plus the dialogue rules' findings
  that land on the draft in its place (slow first answer, a repeated reply, a call offered too
  early, a reply to rudeness…), through the public :func:`~chatlint.engine.lint_transcript`;
* hints: the client has been waiting (from the last operator message, or the first unanswered
  client message) for at least half of the channel's answer time → «Клиент ждёт 3 мин —
  отправьте сообщение об ожидании» with the configuration's holding template; the first reply
  lacks a greeting → the greeting template; a closing reply lacks a farewell → the farewell
  template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .acts import has_act
from .config import Config, default_config
from .document import Document, DocumentCache, sharing_documents
from .engine import lint_message, lint_transcript, merge_findings
from .findings import Finding
from .transcript import Message, Transcript, epoch_seconds

HOLDING_RULE = "T002"  # its response_s is the channel's answer time
DEFAULT_ANSWER_S = {"chat": 60, "messenger": 300, "social": 3600, "email": 86400}
NAME_SLOT = "{ИМЯ}"


@dataclass(frozen=True)
class Hint:
    """What the conversation asks of the draft, with a template to insert in one click."""

    kind: str  # "holding" | "greeting" | "farewell"
    message: str
    template: str | None = None
    at: str = "end"  # "start" | "end" | "replace"
    wait_s: int | None = None

    def record(self) -> dict:
        return {"kind": self.kind, "message": self.message, "template": self.template, "at": self.at,
                "wait_s": self.wait_s}


@dataclass
class DraftCheck:
    findings: list[Finding]
    hints: list[Hint] = field(default_factory=list)
    first: bool = False


def _dialogue_config(cfg: Config) -> Config:
    """``cfg`` with its dialogue rules only (cached on the config object's identity)."""
    cached = _DIALOGUE.get(id(cfg))
    if cached is not None and cached[0] is cfg:
        return cached[1]
    codes = [code for code, r in cfg.rules_by_code().items() if r.scope == "dialogue"]
    only = cfg.with_changes(select=codes or ["T"])
    if len(_DIALOGUE) > 32:
        _DIALOGUE.clear()
    _DIALOGUE[id(cfg)] = (cfg, only)
    return only


_DIALOGUE: dict[int, tuple[Config, Config]] = {}


def answer_seconds(cfg: Config, channel: str) -> int:
    """The channel's time to answer a client (T002's ``response_s``; its default when off)."""
    for item in cfg.plan(channel).dialogue:
        if item.rule.code == HOLDING_RULE:
            value = getattr(item.ctx.params, "response_s", None)
            if isinstance(value, int) and value > 0:
                return value
    return DEFAULT_ANSWER_S.get(channel, 60)


def _duration(seconds: float, en: bool) -> str:
    s = max(0, int(seconds))
    if s < 60:
        return f"{s} s" if en else f"{s} с"
    if s < 3600:
        return f"{s // 60} min" if en else f"{s // 60} мин"
    h, m = divmod(s // 60, 60)
    if en:
        return f"{h} h {m} min" if m else f"{h} h"
    return f"{h} ч {m} мин" if m else f"{h} ч"


def waiting_since(messages: Sequence[Message]) -> datetime | None:
    """When the client's wait began: the first client message after the operator's last one
    (None when the operator spoke last, or that message has no time)."""
    start = None
    for m in reversed(messages):
        if m.role == "operator":
            break
        if m.role == "client":
            start = m
    return start.time if start is not None else None


def check_draft(
    draft: str,
    conversation: Sequence[Message],
    *,
    channel: str | None = None,
    last: bool = False,
    now: datetime | None = None,
    operator: str | None = None,
    config: Config | None = None,
    merge: bool = False,
    documents: DocumentCache | None = None,
) -> DraftCheck:
    """Check ``draft`` as the operator's next message after ``conversation`` (see the module).

    ``documents``: a cache of parsed messages the caller keeps between calls (the server does:
    a conversation comes back with every keystroke's check, and parsing its thirty messages
    again would cost ten times the draft's own check); nothing else is kept."""
    cfg = config if config is not None else default_config()
    ch = channel or cfg.channel
    en = cfg.lang == "en"
    msgs = tuple(conversation)
    first = not any(m.role == "operator" for m in msgs)
    timed = any(m.time is not None for m in msgs)
    if now is None and timed:
        last_time = next((m.time for m in reversed(msgs) if m.time is not None), None)
        now = datetime.now(UTC) if last_time is None or last_time.tzinfo is not None else datetime.now(UTC).replace(tzinfo=None)
    doc = Document(draft)
    # the draft is parsed once for both runs, and kept out of the cache (it changes with
    # every keystroke); the conversation's messages come from the cache when there is one
    with sharing_documents(documents, {draft: doc}):
        found = lint_message(draft, channel=ch, first=first, last=last, config=cfg)
        if draft.strip() and msgs:
            whole = Transcript(messages=(*msgs, Message(text=draft, role="operator", time=now)), channel=ch)
            k = len(msgs)
            dialogue = lint_transcript(whole, config=_dialogue_config(cfg))
            found += [f.model_copy(update={"message_index": None, "speaker": None})
                      for f in dialogue if f.message_index == k]
        found.sort(key=lambda f: (f.start, f.code, f.end))
    if merge:
        found = merge_findings(found, cfg)
    hints: list[Hint] = []
    templates = cfg.templates

    def fill(template: str) -> str:
        return template.replace(NAME_SLOT, operator) if operator else template

    since = waiting_since(msgs)
    if since is not None and now is not None and not has_act(doc, "holding"):
        a, b = epoch_seconds(since), epoch_seconds(now)
        wait = (b - a) if a is not None and b is not None else 0
        if wait >= answer_seconds(cfg, ch) / 2:
            message = (f"The client has been waiting {_duration(wait, True)}: send a holding message" if en
                       else f"Клиент ждёт {_duration(wait, False)} — отправьте сообщение об ожидании")
            hints.append(Hint("holding", message, fill(templates.holding), "replace" if not draft.strip() else "start",
                              int(wait)))
    if first and not has_act(doc, "greeting") and not has_act(doc, "informal_greeting"):
        message = "Greet the client: this is your first reply" if en else "Поздоровайтесь: это Ваш первый ответ клиенту"
        hints.append(Hint("greeting", message, fill(templates.greeting), "start"))
    if last and not has_act(doc, "farewell") and not has_act(doc, "informal_farewell"):
        message = "Say goodbye: this is your closing reply" if en else "Попрощайтесь: это завершающий ответ"
        hints.append(Hint("farewell", message, fill(templates.farewell), "end"))
    return DraftCheck(found, hints, first)
