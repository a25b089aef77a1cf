"""The Dialogue: one conversation as the dialogue rules (T, M) see it.

It wraps a :class:`~chatlint.transcript.Transcript` with what those rules share: each
message's :class:`~chatlint.document.Document` (the operator's are the ones the message
rules already parsed), times as epoch seconds, and whether the times can be trusted. Timing
rules skip a conversation whose times are missing; the engine reports that once per
conversation instead of a finding per message. Times are kept in the order of the file: a step
back of up to :data:`BACKWARD_TOLERANCE_S` between consecutive messages (iPhone exports step a
second back now and then) is no wait at all; a larger step back leaves out only the waits that
cross it (:meth:`Dialogue.measurable`), with a note, and the timing rules run on the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .compiled import regex
from .document import Document, cached_property, parsed

if TYPE_CHECKING:
    from .transcript import Transcript

#: A step back in time between consecutive messages up to this many seconds is the exporting
#: phone's rounding, not a clock set wrong: tolerated (the wait is zero).
BACKWARD_TOLERANCE_S = 60.0


class Dialogue:
    """A conversation with its parsed messages; built once per transcript by the engine."""

    def __init__(self, transcript: Transcript, docs: dict[int, Document] | None = None, clock=None) -> None:
        self.transcript = transcript
        self.messages = transcript.messages
        self._docs: dict[int, Document] = docs if docs is not None else {}
        # working hours (chatlint.clock.WorkingHours): waits count working time only; None: all time
        self.clock = clock
        self.archive = None  # cross-conversation state (chatlint.archive) under lint_transcripts

    def doc(self, i: int) -> Document:
        """The parsed text of message ``i`` (parsed on first use)."""
        d = self._docs.get(i)
        if d is None:
            d = self._docs[i] = parsed(self.messages[i].text)
        return d

    @cached_property
    def seconds(self) -> list[float | None]:
        from .transcript import epoch_seconds

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
        return None

    @cached_property
    def backward(self) -> list[int]:
        """The messages whose time is earlier than the message before them by more than
        :data:`BACKWARD_TOLERANCE_S` (a clock set wrong, messages out of order)."""
        out, prev = [], None
        for i, s in enumerate(self.seconds):
            if s is None or self.messages[i].role == "system":
                continue
            if prev is not None and s < prev - BACKWARD_TOLERANCE_S:
                out.append(i)
            prev = s
        return out

    @cached_property
    def backward_note(self) -> str | None:
        """What the engine says about the large steps back (None when there are none)."""
        if not self.backward:
            return None
        shown = []
        for i in self.backward[:3]:
            before = max(k for k in range(i) if self.seconds[k] is not None and self.messages[k].role != "system")
            shown.append(f"message {i + 1} (earlier than message {before + 1})")
        more = f" and {len(self.backward) - 3} more" if len(self.backward) > 3 else ""
        return (f"times go backwards at {', '.join(shown)}{more}: the waits across "
                f"{'it' if len(self.backward) == 1 else 'them'} are not measured")

    def measurable(self, since: int, until: int) -> bool:
        """Whether the wait from message ``since`` to ``until`` can be measured: no large
        step back (:attr:`backward`) lies after ``since`` up to ``until``."""
        return not any(since < i <= until for i in self.backward)

    @property
    def timed(self) -> bool:
        return self.timing_problem is None

    def wait(self, since: int, until: int) -> float:
        """Seconds between two messages (only on a timed dialogue): working seconds when the
        channel has working hours (``clock``), else all of them."""
        a, b = self.seconds[since] or 0.0, self.seconds[until] or 0.0
        if b <= a or not self.measurable(since, until):
            return 0.0  # a tolerated step back; or one that makes the wait unknowable
        if self.clock is not None:
            return self.clock.elapsed(a, b)
        return b - a

    # ---- the client's side

    def needs_answer(self, i: int) -> bool:
        """Whether client message ``i`` asks something of the operator (it starts the clock):
        see :func:`needs_answer`."""
        return needs_answer(self.doc(i), self.messages[i].media)

    @cached_property
    def waits(self) -> list[Wait]:
        """Every wait of the client, in order: :func:`client_waits`."""
        return client_waits(self)

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


# ------------------------------------------------------------------ the client's clock

_MEDIA = regex(
    r"""\s*(?:
        <[^<>\n]{1,60}>                                   # <Без медиафайлов>, <Media omitted>
      | \[(?:фото|фотография|изображение|картинка|скриншот|видео|видеосообщение|файл|документ
           |стикер|голосовое(?:\ сообщение)?|аудио|gif|photo|image|picture|screenshot|video
           |file|document|sticker|voice(?:\ message)?|audio)\]
      | (?:image|video|audio|GIF|sticker|document)\ omitted
      | (?:изображение|видео|аудио|стикер|документ)\ отсутствует
    )\s*""",
    re.I | re.X,
)


def is_media_placeholder(text: str) -> bool:
    """A message text that only stands for an attachment («[Фото]», "<Media omitted>")."""
    return len(text) <= 80 and _MEDIA.fullmatch(text) is not None


@lru_cache(maxsize=1)
def _ack_words() -> frozenset[str]:
    from .resources import word_set

    return word_set("dialogue", "acknowledgement", "words")


@lru_cache(maxsize=1)
def filler_words() -> frozenset[str]:
    from .resources import word_set

    return word_set("dialogue", "fillers", "words")


_QUOTED = regex(r"«[^«»\n]{0,300}»|\"[^\"\n]{0,300}\"|“[^“”\n]{0,300}”")
_THANKS = frozenset({"спасибо", "благодарю", "спасибочки", "спс"})


def _plain_question_marks(doc: Document, start: int, end: int) -> bool:
    """A «?» in [start, end) that is the writer's own: not inside a link, code, a «>» quote or
    a quotation («…/maps?q=…», «Ваш вопрос "где заказ?" передан»)."""
    text = doc.text
    k = text.find("?", start, end)
    if k < 0:
        return False
    quoted = [m.span() for m in _QUOTED.finditer(text)] if any(q in text for q in "«\"“") else []
    while k >= 0:
        if not doc.in_opaque(k) and not any(a < k < b for a, b in quoted):
            return True
        k = text.find("?", k + 1, end)
    return False


def question_span(doc: Document) -> tuple[int, int] | None:
    """The first sentence of ``doc`` that is a question, or None: told by the sentence — a
    «?» of its own (never one inside a link, code or a quotation), an opening question word
    («когда», «где», «можно»…), or a request («подскажите», «ли») — not by any «?» in the text.
    Computed once per document (T010 asks it of every pair of client messages)."""
    return doc.memo(("question_span",), _question_span)


def _question_span(doc: Document) -> tuple[int, int] | None:
    from .acts import words_of
    from .resources import word_set

    questions = words_of("questions")
    requests = word_set("dialogue", "questions", "requests")
    words = doc.words
    for s in doc.sentences:
        ws = words[s.first_word : s.last_word]
        asks = _plain_question_marks(doc, s.start, s.end)
        if not asks and any(w.norm in _THANKS for w in ws):
            continue  # «Когда будет готово — спасибо!» is thanks, not a question
        if asks:
            return s.start, s.end
        if ws and ws[0].norm in questions and not doc.in_opaque(ws[0].start):
            return s.start, s.end
        if any(w.norm in requests and not doc.in_opaque(w.start) for w in ws):
            return s.start, s.end
    return None


def needs_answer(doc: Document, media: bool = False) -> bool:
    """Whether a client message asks something of the operator, so that it starts the clock.

    A media-only message (a photo of the problem; an attachment placeholder) does; so does a
    question, and any message with something to say. Thanks, an acknowledgement, an emoji
    alone or a closing remark («Спасибо!», «Ок, понял», «👍», «Всё, вопрос решён») do not:
    a client's «Ага» followed by a day of silence is not a day of waiting."""
    text = doc.text
    if not text.strip():
        return media
    if is_media_placeholder(text):
        return True
    if question_span(doc) is not None:
        return True
    ack = _ack_words()
    words = doc.words
    others = [k for k, w in enumerate(words) if w.norm not in ack]
    if not others:
        return False
    # one name among acknowledgements: «Спасибо, Анна!», «Ок, Ирина, жду»
    k = others[0]
    return not (len(others) == 1 and k > 0 and words[k].is_capitalized and not words[k].placeholder and len(words) <= 6)


def is_filler(doc: Document) -> bool:
    """A holding message of filler words only («Секунду», «Одну минуту, пожалуйста»)."""
    fill = filler_words()
    return bool(doc.words) and all(w.norm in fill for w in doc.words)


@dataclass(frozen=True, slots=True)
class Wait:
    """One wait of the client: from the client message that needed an answer to the
    operator's substantive answer (``end``; None when none came), with the operator's
    holding messages honoured as pauses. ``silences`` are the stretches with no word from the
    operator: (from message, to message, kind), kind "reply" from the client's message to the
    operator's first word, "hold" after a holding message, "filler" after a filler."""

    client: int
    end: int | None
    pauses: tuple[int, ...]
    silences: tuple[tuple[int, int, str], ...]


def client_waits(d: Dialogue) -> list[Wait]:
    """The client's waits, in order. A client message that needs an answer (see
    :func:`needs_answer`) starts the clock unless it already runs; client messages during a
    wait do not restart it. An operator holding message (act "holding") is a pause, a filler
    only the first time in a wait; any other operator message is the answer and stops the
    clock."""
    from .acts import is_holding

    out: list[Wait] = []
    client: int | None = None
    last = 0
    kind = "reply"
    pauses: list[int] = []
    silences: list[tuple[int, int, str]] = []
    filler_used = False
    for i, m in enumerate(d.messages):
        if m.role == "client":
            if client is None and d.needs_answer(i):
                client, last, kind, pauses, silences, filler_used = i, i, "reply", [], [], False
            continue
        if m.role != "operator" or client is None:
            continue
        doc = d.doc(i)
        if is_holding(doc):
            filler = is_filler(doc)
            if filler and filler_used:
                continue  # «Секунду» again: the silence goes on
            silences.append((last, i, kind))
            pauses.append(i)
            last, kind = i, "filler" if filler else "hold"
            filler_used = filler_used or filler
            continue
        silences.append((last, i, kind))
        out.append(Wait(client, i, tuple(pauses), tuple(silences)))
        client = None
    if client is not None:
        out.append(Wait(client, None, tuple(pauses), tuple(silences)))
    return out
