"""The ``.eml`` reader: one e-mail written by an operator, read as an ``email`` conversation.

QA leads check the mail their operators *sent*, so one file is one letter and **its sender
is the operator**. The letter becomes a :class:`~chatlint.transcript.Transcript` with
``channel="email"`` of one or two messages:

1. the client's letter the operator answered, when the reply quotes it (role ``client``):
   only the most recent quoted letter is kept, deeper history is dropped. Its author and
   time come from the attribution line («22.11.2026, 14:05, Иван Петров <ivan@example.ru>:»,
   «On Mon, Nov 22, 2026 at 2:05 PM Ivan <…> wrote:», «… написал(а):») or from the header
   block of an «-----Original Message-----» / «-------- Исходное сообщение --------» quote;
   its subject from that block's «Subject:/Тема:», else the reply's subject without its
   «RE:»/«Ответ:»/«Fwd:» prefixes; None (unknown) when the reply's subject has no such
   prefix, since it may have been rewritten (M002 would otherwise compare it with itself);
2. the operator's own text (role ``operator``): the plain-text body (or the HTML body as
   text) above the quoted history, signature included. ``author`` is the ``From`` display
   name (or the address), ``time`` the ``Date`` header, ``subject`` the decoded ``Subject``,
   ``in_reply_to`` the ``In-Reply-To`` header.

Decisions where the format leaves room:

- **Subject.** An absent ``Subject`` header and an empty one both give ``subject=""``: an
  e-mail without a subject is exactly what M001 reports, and an ``.eml`` file always is an
  e-mail (``None`` is kept for messages that have no headers at all).
- **Roles.** The sender is the operator; ``operators`` are not needed. One exception: when
  ``operators`` are configured, the sender matches none of them and the quoted author does
  match one, the file is a client's letter quoting the operator (a received mail exported
  by mistake, or a client's answer forwarded to QA): the roles are swapped, so the
  operator's quoted letter is the one checked.
- **Auto-replies** (``Auto-Submitted: auto-replied``) are the operator's message like any
  other; M005 reads their text.
- **Times.** Attribution lines rarely carry a time zone; they are written by the
  operator's mail program in the operator's zone, so the zone of the reply's ``Date`` is
  assumed. A time that cannot be parsed is None.
- **source_line** of the operator's message is the line of the file where its text starts
  only for a single-part, not transfer-encoded ``text/plain`` letter; for base64 or
  quoted-printable bodies, ``format=flowed`` text that had to be re-joined, HTML or
  multipart letters it is None (the text cannot be pointed at in the file).
- ``conversation_id`` is the thread's root: the first ``References`` id, else
  ``In-Reply-To``, else ``Message-ID`` (angle brackets kept), else the file's stem.
- A body in an unknown, wrong or missing charset (8-bit mail declared US-ASCII, cp1251 bytes
  declared UTF-8 or ISO-8859-1) is decoded from its raw bytes: in the declared charset when
  they are text in it, else UTF-8, else the Cyrillic code page detection finds (cp1251,
  koi8-r; :func:`chatlint.encoding.guess_single_byte`), with a note saying which was assumed;
  a problem when bytes had to be replaced.
- Apple Mail quotes its attribution line («> On 22 Aug 2015, at 19:21, X wrote:»): the letter
  below it is the client's, its author and time come from it. Quote headers' times may have
  12 hours («Sent: March-09-12 4:22 PM», «Отправлено: 09.03.2012 4:22 пп»).
- A forward whose letter is attached (message/rfc822) with nothing written is refused with a
  reason that says so.

Only the standard library's :mod:`email` and :mod:`html.parser` are used. The reader is a small package: :mod:`.mime` (headers, MIME parts, charsets, format=flowed),
:mod:`.html` (HTML bodies as text) and :mod:`.quotes` (the reply above the quoted history).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import Parser
from pathlib import Path

from ...compiled import regex
from ...errors import ReaderError
from ...transcript import Message, Transcript
from ..common import Problem, Reading, is_operator_name
from .html import html_to_text
from .mime import MAIL_HEADERS, address, header, message_body, raw_items, rfc2822, scan_headers
from .quotes import split_reply

__all__ = ["read", "html_to_text", "split_reply"]

_MSG_ID = regex(r"<[^<>\s]*>")


def read(text: str, path: str, operators: Sequence[str]) -> Reading:
    """Read one ``.eml`` file (already decoded to ``str``) as one e-mail conversation."""
    text = text.lstrip("\ufeff")
    header_lines, body_line = scan_headers(text)
    try:
        msg = Parser(policy=policy.default).parsestr(text)
    except Exception as exc:  # the parser is lenient; this is a safety net for odd input
        raise ReaderError(f"not an e-mail: {type(exc).__name__}") from None
    if not isinstance(msg, EmailMessage):  # pragma: no cover - policy.default always gives one
        raise ReaderError("not an e-mail")
    names = {k.lower() for k, _ in raw_items(msg)}
    if not names & MAIL_HEADERS:
        raise ReaderError("not an e-mail: no e-mail headers (From:, Subject:, Date: …) at the top")

    problems: list[Problem] = []
    reading = Reading(problems=problems)

    # ---- headers
    sender_name, _sender_addr = address(header(msg, "from"))
    subject = " ".join((header(msg, "subject") or "").split())
    in_reply_to = " ".join((header(msg, "in-reply-to") or "").split()) or None
    date_value = header(msg, "date")
    when: datetime | None = None
    if date_value and date_value.strip():
        when = rfc2822(date_value)
        if when is None:
            reason = f"the Date header is not a date: {date_value.strip()[:60]!r}"
            problems.append(Problem(header_lines.get("date"), reason))
    conversation_id = _conversation_id(msg, path)

    # ---- body
    body = message_body(msg, problems)
    if body is None and _attaches_a_letter(msg):
        raise ReaderError(
            "a forward with nothing written: the forwarded letter is attached (message/rfc822) and the "
            "sender wrote no text of their own; to check the forwarded letter, save it as an .eml of its own"
        )
    if body is None:
        raise ReaderError("no text body: the e-mail has no text/plain or text/html part")
    body_text, pointable = body
    if not body_text.strip():
        raise ReaderError("no text body: the e-mail's text is empty")

    split = split_reply(body_text, default_tz=when.tzinfo if when is not None else None)
    if not split.text:
        raise ReaderError("no text of the sender's own: the e-mail only quotes or forwards another letter")

    base_line = body_line if pointable else None
    own = Message(
        text=split.text,
        role="operator",
        author=sender_name,
        time=when,
        source_line=base_line + split.line if base_line is not None and split.line is not None else None,
        subject=subject,
        in_reply_to=in_reply_to,
    )
    messages = [own]
    q = split.quote
    if q is not None and q.text:
        quoted_subject = q.subject if q.subject is not None else _original_subject(subject)
        client = Message(
            text=q.text,
            role="client",
            author=q.author,
            time=q.time,
            source_line=base_line + q.line if base_line is not None and q.line is not None else None,
            subject=quoted_subject,
        )
        if _swap_roles(sender_name, q.author, operators):
            own = own.model_copy(update={"role": "client"})
            client = client.model_copy(update={"role": "operator"})
        messages = [client, own]
    transcript = Transcript(messages=tuple(messages), conversation_id=conversation_id, channel="email")
    reading.transcripts.append(transcript)
    return reading


def _attaches_a_letter(msg: EmailMessage) -> bool:
    """Whether the e-mail carries another letter as an attachment (a forward «as attachment»)."""
    try:
        return any(part.get_content_type() == "message/rfc822" for part in msg.walk())
    except Exception:
        return False


def _swap_roles(sender: str | None, quoted_author: str | None, operators: Sequence[str]) -> bool:
    """A client's letter quoting an operator: the sender is no configured operator, the
    quoted author is one."""
    if not operators or is_operator_name(sender, operators):
        return False
    return is_operator_name(quoted_author, operators)


# ------------------------------------------------------------------ thread and subject


def _conversation_id(msg: EmailMessage, path: str) -> str | None:
    for name in ("references", "in-reply-to", "message-id"):
        value = header(msg, name)
        if not value or not value.strip():
            continue
        ids = _MSG_ID.findall(value)
        if ids:
            return ids[0]
        return value.split()[0]
    return Path(path).stem or None


_PREFIX_RE = regex(
    r"^\s*(?:(?:re|ре|ответ|отв|aw|sv|fwd?|пересл(?:ано)?|tr|wg)\s*(?:(?:\[\d+\]|\(\d+\))\s*)?:\s*)+", re.I
)


def _original_subject(subject: str) -> str | None:
    """The quoted letter's subject guessed from the reply's: «RE: Заказ» → «Заказ». A reply
    subject without a reply prefix may have been rewritten, so it says nothing: None."""
    m = _PREFIX_RE.match(subject)
    if not m:
        return None
    return " ".join(subject[m.end() :].split()) or None
