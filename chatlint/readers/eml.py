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
- A body in an unknown or wrong charset is decoded with the declared charset, else UTF-8,
  else windows-1251 (Russian mail), reporting a problem when bytes had to be replaced.

Only the standard library's :mod:`email` and :mod:`html.parser` are used.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import Parser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

from ..errors import ReaderError
from ..transcript import Message, Transcript
from .common import Problem, Reading, is_operator_name

__all__ = ["read", "html_to_text", "split_reply"]

# Headers of which at least one must open the file for it to be an e-mail.
_MAIL_HEADERS = frozenset(
    {
        "from", "to", "cc", "subject", "date", "message-id", "mime-version", "content-type",
        "in-reply-to", "references", "received", "return-path", "sender", "reply-to",
        "delivered-to", "x-mailer", "user-agent", "auto-submitted",
    }
)
_HEADER_RE = re.compile(r"^(From |[\041-\071\073-\176]*:|[\t ])")  # email.feedparser.headerRE
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MSG_ID = re.compile(r"<[^<>\s]*>")


def read(text: str, path: str, operators: Sequence[str]) -> Reading:
    """Read one ``.eml`` file (already decoded to ``str``) as one e-mail conversation."""
    text = text.lstrip("\ufeff")
    header_lines, body_line = _scan_headers(text)
    try:
        msg = Parser(policy=policy.default).parsestr(text)
    except Exception as exc:  # the parser is lenient; this is a safety net for odd input
        raise ReaderError(f"not an e-mail: {type(exc).__name__}") from None
    if not isinstance(msg, EmailMessage):  # pragma: no cover - policy.default always gives one
        raise ReaderError("not an e-mail")
    names = {k.lower() for k, _ in _raw_items(msg)}
    if not names & _MAIL_HEADERS:
        raise ReaderError("not an e-mail: no e-mail headers (From:, Subject:, Date: …) at the top")

    problems: list[Problem] = []
    reading = Reading(problems=problems)

    # ---- headers
    sender_name, _sender_addr = _address(_header(msg, "from"))
    subject = " ".join((_header(msg, "subject") or "").split())
    in_reply_to = " ".join((_header(msg, "in-reply-to") or "").split()) or None
    date_value = _header(msg, "date")
    when: datetime | None = None
    if date_value and date_value.strip():
        when = _rfc2822(date_value)
        if when is None:
            reason = f"the Date header is not a date: {date_value.strip()[:60]!r}"
            problems.append(Problem(header_lines.get("date"), reason))
    conversation_id = _conversation_id(msg, path)

    # ---- body
    body = _body(msg, problems)
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


def _swap_roles(sender: str | None, quoted_author: str | None, operators: Sequence[str]) -> bool:
    """A client's letter quoting an operator: the sender is no configured operator, the
    quoted author is one."""
    if not operators or is_operator_name(sender, operators):
        return False
    return is_operator_name(quoted_author, operators)


# ------------------------------------------------------------------ headers


def _scan_headers(text: str) -> tuple[dict[str, int], int]:
    """The 1-based line of each header (first occurrence) and of the body's first line,
    found the way :mod:`email.feedparser` finds them."""
    lines: dict[str, int] = {}
    n = 0
    for n, line in enumerate(_LINE_BREAK.split(text), 1):
        if line == "":
            return lines, n + 1
        if not _HEADER_RE.match(line):
            return lines, n
        if ":" in line and not line[:1].isspace():
            lines.setdefault(line.split(":", 1)[0].strip().lower(), n)
    return lines, n + 1  # no body


def _raw_items(msg: EmailMessage) -> list[tuple[str, str]]:
    try:
        return [(str(k), str(v)) for k, v in msg.raw_items()]
    except Exception:  # pragma: no cover - raw_items only reads a list
        return []


def _header(msg: EmailMessage, name: str) -> str | None:
    """A header decoded (RFC 2047, unfolded), or None when absent; never raises."""
    raw = next((v for k, v in _raw_items(msg) if k.lower() == name), None)
    if raw is None:
        return None
    try:
        value = msg.get(name)
        if value is not None:
            return str(value)
    except Exception:  # malformed structured headers can trip the header parser
        pass
    unfolded = "".join(raw.splitlines())
    try:
        return str(make_header(decode_header(unfolded)))
    except Exception:
        return unfolded


def _address(value: str | None) -> tuple[str | None, str | None]:
    """(display name or address, address) of the first address of a header."""
    if not value or not value.strip():
        return None, None
    try:
        pairs = getaddresses([value])
    except Exception:
        pairs = []
    for name, addr in pairs:
        name = " ".join(name.split())
        if name or addr:
            return (name or addr or None), (addr or None)
    return _person(value), None


def _rfc2822(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _conversation_id(msg: EmailMessage, path: str) -> str | None:
    for name in ("references", "in-reply-to", "message-id"):
        value = _header(msg, name)
        if not value or not value.strip():
            continue
        ids = _MSG_ID.findall(value)
        if ids:
            return ids[0]
        return value.split()[0]
    return Path(path).stem or None


_PREFIX_RE = re.compile(
    r"^\s*(?:(?:re|ре|ответ|отв|aw|sv|fwd?|пересл(?:ано)?|tr|wg)\s*(?:(?:\[\d+\]|\(\d+\))\s*)?:\s*)+", re.I
)


def _original_subject(subject: str) -> str | None:
    """The quoted letter's subject guessed from the reply's: «RE: Заказ» → «Заказ». A reply
    subject without a reply prefix may have been rewritten, so it says nothing: None."""
    m = _PREFIX_RE.match(subject)
    if not m:
        return None
    return " ".join(subject[m.end() :].split()) or None


# ------------------------------------------------------------------ body


def _body(msg: EmailMessage, problems: list[Problem]) -> tuple[str, bool] | None:
    """The letter's text (plain preferred, else HTML as text), line breaks normalised, and
    whether its lines are the file's lines (single-part, not encoded, not re-flowed)."""
    for kind in ("plain", "html"):
        try:
            part = msg.get_body(preferencelist=(kind,))
        except Exception:
            part = _walk_for(msg, kind)
        if part is None or part.is_multipart():
            continue
        text, raw = _part_text(part, problems)
        text = _LINE_BREAK.sub("\n", text)
        if kind == "html":
            text = html_to_text(text)
            raw = False
        elif _param(part, "format").lower() == "flowed":
            text, joined = _unflow(text, delsp=_param(part, "delsp").lower() == "yes")
            raw = raw and not joined
        if text.strip():
            return text, raw and part is msg
    return None


def _walk_for(msg: EmailMessage, kind: str) -> EmailMessage | None:
    try:
        for part in msg.walk():
            if not part.is_multipart() and part.get_content_type() == f"text/{kind}":
                if part.get_content_disposition() != "attachment":
                    return part  # type: ignore[return-value]
    except Exception:
        pass
    return None


def _param(part: EmailMessage, name: str) -> str:
    try:
        value = part.get_param(name, "")
    except Exception:
        return ""
    return value if isinstance(value, str) else ""


def _charset(part: EmailMessage) -> str | None:
    try:
        cs = part.get_content_charset()
    except Exception:
        return None
    return cs.strip().strip("\"'") if isinstance(cs, str) and cs.strip() else None


def _part_text(part: EmailMessage, problems: list[Problem]) -> tuple[str, bool]:
    """A text part decoded from its transfer encoding and charset, and whether it was taken
    verbatim from the file (7bit/8bit, so its lines are the file's lines)."""
    try:
        payload = part.get_payload()
    except Exception:
        return "", False
    if not isinstance(payload, str):
        return "", False
    cte = (_header(part, "content-transfer-encoding") or "").strip().lower()
    charset = _charset(part)
    if cte in ("", "7bit", "8bit", "binary"):
        if any("\udc80" <= c <= "\udcff" for c in payload):  # bytes smuggled as surrogates
            try:
                return _decode(payload.encode("ascii", "surrogateescape"), charset, problems), False
            except UnicodeError:
                pass
        return payload, True  # the file was decoded already: the text is what it says
    if cte == "quoted-printable" and not payload.isascii():
        data = quopri.decodestring(payload.encode("utf-8", "surrogatepass"))
        return _decode(data, "utf-8", problems, then=charset), False
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if not isinstance(data, bytes):
        return payload, False
    return _decode(data, charset, problems), False


def _decode(data: bytes, charset: str | None, problems: list[Problem], then: str | None = None) -> str:
    for cs in (charset, then, "utf-8", "windows-1251"):
        if not cs:
            continue
        try:
            return data.decode(cs)
        except (LookupError, UnicodeError, ValueError, TypeError):
            continue
    problems.append(Problem(None, f"the text is not valid {charset or 'UTF-8'}: undecodable bytes replaced"))
    return data.decode("utf-8", "replace")


def _unflow(text: str, delsp: bool) -> tuple[str, bool]:
    """RFC 3676 ``format=flowed``: join soft-broken lines (ending in a space)."""
    out: list[str] = []
    joined = False
    pending: tuple[int, str] | None = None
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing (or the space after the quote marks)
        if pending is not None and pending[0] == depth:
            content = pending[1] + content
            joined = True
        elif pending is not None:
            out.append(_flowed_line(*pending))
        pending = None
        if content.endswith(" ") and content != "-- ":
            pending = (depth, content[:-1] if delsp else content)
            continue
        out.append(_flowed_line(depth, content))
    if pending is not None:
        out.append(_flowed_line(*pending))
    return "\n".join(out), joined


def _flowed_line(depth: int, content: str) -> str:
    return (">" * depth + " " + content) if depth else content


# ------------------------------------------------------------------ HTML


class _HtmlText(HTMLParser):
    _BLOCKS = frozenset(
        "div p ul ol li tr table tbody thead tfoot h1 h2 h3 h4 h5 h6 pre section article header footer "
        "center address dl dt dd form fieldset figure main nav aside caption".split()
    )
    _SKIP = frozenset("style script head title template xml".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str, bool]] = []  # (quote depth, text, preformatted)
        self.cur: list[str] = []
        self.cur_depth = 0
        self.has_text = False
        self.depth = 0
        self.skip = 0
        self.pre = 0
        self.lists: list[list[int]] = []  # [counter] for <ol>, [-1] for <ul>
        self.blank = False

    # -- line building
    def _newline(self) -> None:
        self.lines.append((self.cur_depth, "".join(self.cur), self.pre > 0))
        self.cur = []
        self.cur_depth = self.depth
        self.has_text = False

    def _break(self) -> None:
        if self.has_text:
            self._newline()
        else:
            self.cur = []
            self.cur_depth = self.depth

    def _para(self) -> None:
        self._break()
        self.blank = True

    def _write(self, s: str) -> None:
        if not self.has_text:
            if self.blank and self.lines and self.lines[-1][1].strip():
                self.lines.append((min(self.depth, self.lines[-1][0]), "", False))
            self.blank = False
            self.cur_depth = self.depth
        self.cur.append(s)
        self.has_text = True

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
            return
        if tag == "br":
            if self.blank and not self.has_text:
                self.blank = False
            self._newline()
        elif tag == "hr":
            self._break()
            self._write("_" * 32)
            self._newline()
        elif tag == "blockquote":
            self._para()
            self.depth += 1
            self.cur_depth = self.depth
        elif tag == "p":
            cls = next((v or "" for k, v in attrs if k == "class"), "")
            if "msonormal" in cls.lower():
                self._break()
            else:
                self._para()
        elif tag in ("ul", "ol"):
            self._break()
            self.lists.append([0 if tag == "ol" else -1])
        elif tag == "li":
            self._break()
            if self.lists and self.lists[-1][0] >= 0:
                self.lists[-1][0] += 1
                self._write(f"{self.lists[-1][0]}. ")
            else:
                self._write("- ")
        elif tag == "pre":
            self._para()
            self.pre += 1
        elif tag in self._BLOCKS:
            self._break()
        elif tag in ("td", "th") and self.has_text:
            self.cur.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "blockquote":
            self._break()
            self.depth = max(0, self.depth - 1)
            self.cur_depth = self.depth
            self.blank = True
        elif tag == "p":
            self._break()
        elif tag in ("ul", "ol"):
            self._break()
            if self.lists:
                self.lists.pop()
        elif tag == "pre":
            self._break()
            self.pre = max(0, self.pre - 1)
        elif tag in self._BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            for i, chunk in enumerate(data.split("\n")):
                if i:
                    self._newline()
                if chunk:
                    self._write(chunk)
            return
        chunk = re.sub(r"[ \t\r\n\f\v]+", " ", data)
        if not self.has_text or (self.cur and self.cur[-1].endswith(" ")):
            chunk = chunk.lstrip(" ")
        if chunk:
            self._write(chunk)

    def text(self) -> str:
        self._break()
        out: list[str] = []
        for depth, line, pre in self.lines:
            line = line.replace("\xa0", " ").rstrip()
            line = line if pre else line.lstrip()
            depth = min(depth, 8)  # deeper history is dropped anyway
            rendered = ("> " * depth + line).rstrip() if line else ">" * depth
            if not rendered.strip(">") and out and not out[-1].strip(">") and out[-1] == rendered:
                continue  # collapse runs of blank lines
            out.append(rendered)
        return "\n".join(out).strip("\n")


def html_to_text(html: str) -> str:
    """An HTML letter as plain text: paragraphs and ``<br>`` become line breaks, lists get
    «- »/«1. » markers, and ``<blockquote>`` (Gmail's ``gmail_quote``, Thunderbird's
    ``type=cite``) becomes ``>``-quoted lines, which :func:`split_reply` then separates from
    the operator's own text. Never raises."""
    p = _HtmlText()
    try:
        p.feed(html)
        p.close()
    except Exception:  # html.parser is lenient; keep what was read on anything odd
        pass
    return p.text()


# ------------------------------------------------------------------ quoted history

_QUOTED = re.compile(r"^[ \t]{0,3}>")
_UNQUOTE = re.compile(r"^[ \t]{0,3}> ?")
_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}|_{2,}|={2,})?\s*(?:original message|forwarded message|begin forwarded message|"
    r"исходное сообщение|пересылаемое сообщение|переадресованное сообщение|оригинальное сообщение|"
    r"начало переадресованного сообщения|перенаправленное сообщение)\s*:?\s*(?:-{2,}|_{2,}|={2,})?\s*$",
    re.I,
)
_RULE = re.compile(r"^\s*_{8,}\s*$")
_BLOCK_HEADER = re.compile(
    r"^\s*\*?(?P<key>[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё \-]{0,24}?)\*?\s*:\*?[ \t]*(?P<value>.*)$"
)
_KEYS = {
    "from": "from", "от": "from", "отправитель": "from", "от кого": "from",
    "sent": "date", "date": "date", "отправлено": "date", "отправлен": "date", "дата": "date",
    "дата отправки": "date", "sent date": "date",
    "to": "to", "кому": "to", "cc": "to", "копия": "to", "кому копия": "to", "reply-to": "to",
    "subject": "subject", "тема": "subject",
    "importance": "other", "важность": "other", "attachments": "other", "вложения": "other",
}
_VERB = re.compile(r"\s*\b(?:wrote|writes|написал\(а\)|написала|написал|пишет)\s*$", re.I)
_ADDR = re.compile(r"<[^<>\s@]+@[^<>\s]+>|\[mailto:[^\]\s]+\]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)

_TIME = (
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<ampm>[ap]\.?\s?m\.?)(?![а-яёa-z]))?"
    r"(?:\s*\(?(?:gmt|utc)?\s*(?P<tzs>[+-−])(?P<tzh>\d{1,2}):?(?P<tzm>\d{2})?\)?)?"
)
_DATE_PATTERNS = [
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?P<sep>[./])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}})\b"
        rf"[,\s]*(?:в\s+|at\s+)?{_TIME}",
        re.I,
    ),
    re.compile(rf"\b(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?:t|,?\s+)(?:в\s+|at\s+)?{_TIME}", re.I),
    re.compile(
        rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>[а-яёa-z]{{3,9}})\.?,?\s+(?P<y>\d{{4}})(?:\s*(?:г\.?|года))?,?\s*"
        rf"(?:в\s+|at\s+)?{_TIME}",
        re.I,
    ),
    re.compile(
        rf"\b(?P<mon>[a-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}),?\s*"
        rf"(?:at\s+)?{_TIME}",
        re.I,
    ),
]
_RU_MONTHS = (("янв", 1), ("фев", 2), ("мар", 3), ("апр", 4), ("май", 5), ("мая", 5), ("июн", 6), ("июл", 7),
              ("авг", 8), ("сен", 9), ("окт", 10), ("ноя", 11), ("дек", 12))
_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")


def _month(word: str) -> int | None:
    w = word.lower().replace("ё", "е")
    for stem, n in _RU_MONTHS:
        if w.startswith(stem):
            return n
    if w == "sept":
        return 9
    for n, full in enumerate(_EN_MONTHS, 1):
        if len(w) >= 3 and full.startswith(w):
            return n
    return None


def _find_datetime(s: str, default_tz: tzinfo | None) -> tuple[int, int, datetime | None] | None:
    """The first date with a time in ``s``: (start, end, the datetime or None if invalid)."""
    best: tuple[int, int, datetime | None] | None = None
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(s):
            if best is not None and m.start() >= best[0]:
                break
            g = m.groupdict()
            month = int(g["m"]) if g.get("m") else _month(g.get("mon") or "")
            if month is None:
                continue
            day = int(g["d"])
            if g.get("sep") == "/" and (month > 12 or (g["ampm"] and day <= 12)):
                day, month = month, day
            best = (m.start(), m.end(), _make_datetime(g, int(g["y"]), month, day, default_tz))
            break
    return best


def _make_datetime(g: dict, year: int, month: int, day: int, default_tz: tzinfo | None) -> datetime | None:
    if year < 100:
        year += 2000
    hour, minute, second = int(g["H"]), int(g["M"]), int(g["S"] or 0)
    ampm = (g.get("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm and 1 <= hour <= 12:
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    tz = default_tz
    if g.get("tzs"):
        offset = timedelta(hours=int(g["tzh"]), minutes=int(g["tzm"] or 0))
        if offset < timedelta(hours=15):
            tz = timezone(-offset if g["tzs"] in "-−" else offset)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except (ValueError, OverflowError):
        return None


def _when(value: str, default_tz: tzinfo | None) -> datetime | None:
    """A date header of a quoted block: RFC 2822, else Russian/English/numeric forms."""
    if len(value) > 200:
        return None
    found = _find_datetime(value, default_tz)  # first: the stdlib reads «2:05 PM» as 02:05
    if found is not None:
        return found[2]
    t = _rfc2822(value)
    if t is not None and t.tzinfo is None and default_tz is not None:
        t = t.replace(tzinfo=default_tz)
    return t


def _person(value: str) -> str | None:
    """A name from «Иван Петров <ivan@example.ru>», «Ivan [mailto:ivan@…]» or a bare address."""
    addr = None
    value = value[:400]
    m = re.search(r"\[mailto:([^\]\s]+)\]", value, re.I) or re.search(r"<([^<>\s]*@[^<>\s]*)>", value)
    if m:
        addr = m.group(1)
        value = value[: m.start()] + value[m.end() :]
    else:
        m = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", value)
        if m and not value[: m.start()].strip(" ,;\"'«»()") and not value[m.end() :].strip(" ,;\"'«»()"):
            addr = m.group(0)
            value = ""
    name = " ".join(value.split()).strip(" ,;:-").strip("\"'«»").strip()
    if len(name) > 80:
        name = ""
    return name or addr or None


@dataclass(frozen=True, slots=True)
class Quote:
    """The quoted letter of a reply."""

    text: str
    author: str | None = None
    time: datetime | None = None
    subject: str | None = None
    line: int | None = None  # 0-based index of its first line among the body's lines


@dataclass(frozen=True, slots=True)
class Split:
    """A reply's own text and the letter it quotes."""

    text: str
    line: int | None  # 0-based index of the text's first line among the body's lines
    quote: Quote | None


@dataclass(frozen=True, slots=True)
class _Start:
    index: int  # the first line of the quoted history
    kind: str  # "quoted" | "attribution" | "block"
    after: int  # the first line after the attribution line(s), or of the block's headers
    author: str | None = None
    time: datetime | None = None


def _next_nonblank(lines: list[str], i: int) -> int | None:
    while i < len(lines):
        if lines[i].strip():
            return i
        i += 1
    return None


def _block_key(line: str) -> str | None:
    if len(line) > 400:
        return None
    m = _BLOCK_HEADER.match(line)
    if not m:
        return None
    return _KEYS.get(" ".join(m.group("key").lower().split()))


def _is_header_block(lines: list[str], i: int) -> bool:
    """«From: …» followed within a few lines by «Sent:/Date:/Отправлено:/Дата:» (Outlook)."""
    if _block_key(lines[i]) != "from":
        return False
    for j in range(i + 1, min(i + 6, len(lines))):
        key = _block_key(lines[j])
        if key == "date":
            return True
        if key is None:
            return False
    return False


_Attribution = tuple[bool, bool, bool, str | None, datetime | None]


def _attribution(line: str, default_tz: tzinfo | None) -> _Attribution | None:
    """(has a date, has an address, has a verb, author, time) of a would-be attribution line."""
    s = line.strip()
    if not s.endswith(":") or len(s) > 400 or _QUOTED.match(line):
        return None
    body = s[:-1].rstrip()
    verb = _VERB.search(body)
    if verb:
        body = body[: verb.start()].rstrip()
    has_addr = _ADDR.search(body) is not None
    found = _find_datetime(body, default_tz)
    if not (verb or has_addr or found):
        return None
    part, time = body, None
    if found:
        start, end, time = found
        part = body[end:] if body[end:].strip(" ,;-") else body[:start]
    part = re.sub(r"^[\s,;-]*(?:on|в|от|from)\s+", "", part, flags=re.I)
    return found is not None, has_addr, verb is not None, _person(part), time


def _find_start(lines: list[str], default_tz: tzinfo | None, begin: int = 0) -> _Start | None:
    n = len(lines)
    for i in range(begin, n):
        line = lines[i]
        if not line.strip():
            continue
        if _QUOTED.match(line):
            return _Start(i, "quoted", i)
        if len(line) > 400:
            continue
        if _SEPARATOR.match(line):
            return _Start(i, "block", i + 1)
        if _RULE.match(line):
            j = _next_nonblank(lines, i + 1)
            if j is not None and _is_header_block(lines, j):
                return _Start(i, "block", j)
            continue
        if _is_header_block(lines, i):
            return _Start(i, "block", i)
        candidates = [(line, i + 1)]
        if i + 1 < n and not line.rstrip().endswith(":") and lines[i + 1].strip().endswith(":"):
            if _find_datetime(line, None) is not None and len(lines[i + 1]) <= 120:
                candidates.append((line.rstrip() + " " + lines[i + 1].strip(), i + 2))
        for k, (cand, after) in enumerate(candidates):
            att = _attribution(cand, default_tz)
            if att is None:
                continue
            if k == 1:
                alone = _attribution(lines[i + 1], default_tz)
                if alone is not None and (alone[0] or alone[3]):
                    continue  # the next line is an attribution by itself
            has_date, has_addr, has_verb, author, time = att
            j = _next_nonblank(lines, after)
            followed = j is not None and _QUOTED.match(lines[j]) is not None
            if (has_date and (has_addr or has_verb)) or ((has_verb or has_addr or has_date) and followed):
                return _Start(i, "attribution", after, author, time)
    return None


def _trim(lines: list[str], first: int) -> tuple[list[str], int]:
    """Lines without leading and trailing blank lines, and the new first line's index."""
    a, b = 0, len(lines)
    while a < b and not lines[a].strip():
        a += 1
    while b > a and not lines[b - 1].strip():
        b -= 1
    return lines[a:b], first + a


def _top(lines: list[str], first: int, default_tz: tzinfo | None) -> tuple[str, int | None]:
    """The text above any quoted history of ``lines`` (deeper history of a quoted letter)."""
    start = _find_start(lines, default_tz)
    own, line = _trim(lines[: start.index] if start else lines, first)
    return "\n".join(own), (line if own else None)


def _block(lines: list[str], start: _Start, default_tz: tzinfo | None) -> Quote:
    """An «-----Original Message-----» quote: its header lines, then the letter."""
    k = start.after
    j = _next_nonblank(lines, k)
    if j is not None and j - k <= 2 and _block_key(lines[j]) is not None:
        k = j  # blank lines between the separator and the headers
    found: list[list[str]] = []
    while k < len(lines):
        line = lines[k]
        if not line.strip():
            k += 1
            break
        key = _block_key(line)
        m = _BLOCK_HEADER.match(line) if key is not None else None
        if key is not None and m is not None:
            found.append([key, m.group("value").strip()])
        elif found and line[:1] in (" ", "\t"):
            found[-1][1] = (found[-1][1] + " " + line.strip()).strip()  # a folded header
        else:
            break
        k += 1
    fields: dict[str, str] = {}
    for key, value in found:
        fields.setdefault(key, value)
    text, line = _top(lines[k:], k, default_tz)
    time = _when(fields["date"], default_tz) if fields.get("date") else None
    author = _person(fields["from"]) if fields.get("from") else None
    subject = " ".join(fields["subject"].split()) if "subject" in fields else None
    return Quote(text, author, time, subject, line)


def split_reply(body: str, default_tz: tzinfo | None = None) -> Split:
    """Split a reply's text into the sender's own text and the most recent quoted letter.

    Quoted history starts at a run of ``>``-quoted lines, at an attribution line («… Иван
    <ivan@…>:», «… написал(а):», «On … wrote:», possibly wrapped over two lines), or at an
    «-----Original Message-----»/«-------- Исходное сообщение --------» block (also
    Outlook's «From:/Sent:» headers under a rule). Text written above the quote is the
    reply (top-posting); with nothing above, the unquoted lines below and between the
    quotes are (bottom-posting and inline answers). Never raises.
    """
    lines = body.split("\n")
    start = _find_start(lines, default_tz)
    if start is None:
        text, line = _top(lines, 0, default_tz)
        return Split(text, line, None)
    above, above_line = _trim(lines[: start.index], 0)
    if start.kind == "block":
        return Split("\n".join(above), above_line if above else None, _block(lines, start, default_tz))
    q = _next_nonblank(lines, start.after)
    if start.kind == "attribution" and (q is None or not _QUOTED.match(lines[q])):
        # an attribution followed by the letter itself, not quoted (HTML turned into text)
        text, line = _top(lines[start.after :], start.after, default_tz)
        quote = Quote(text, start.author, start.time, None, line)
        return Split("\n".join(above), above_line if above else None, quote)
    bottom = not above  # nothing above the quote: the answer is below or between the quotes
    n = len(lines)
    kinds: list[str] = []  # per line from q on: q(uoted), c(ontinued quote), b(lank), o(wn)
    k = q
    while k < len(lines):
        line = lines[k]
        if _QUOTED.match(line):
            kind = "q"
        elif not line.strip():
            kind = "b"
        elif kinds and kinds[-1] in "qc" and (not bottom or _QUOTED.match(lines[k + 1] if k + 1 < n else "")):
            kind = "c"  # a quoted line wrapped by a mail program, without its «>»
        elif not bottom:
            break  # text under a top-posted quote: older history
        else:
            nested = _find_start(lines[k : k + 3], default_tz) if len(line) <= 400 else None
            if nested is not None and nested.index == 0 and nested.kind != "quoted":
                break  # the quoted letter's own history
            kind = "o"
        kinds.append(kind)
        k += 1
    # a blank line between two quoted lines belongs to the quote
    after: list[str | None] = [None] * len(kinds)
    following: str | None = None
    for p in range(len(kinds) - 1, -1, -1):
        after[p] = following
        if kinds[p] != "b":
            following = kinds[p]
    before: str | None = None
    for p, kind in enumerate(kinds):
        if kind != "b":
            before = kind
            continue
        kinds[p] = "q" if before in ("q", "c") and after[p] in ("q", "c") else "o"
    runs: list[list[int]] = []
    own: list[int] = []
    for p, kind in enumerate(kinds):
        if kind in "qc":
            if not runs or runs[-1][-1] != q + p - 1:
                runs.append([])
            runs[-1].append(q + p)
        else:
            own.append(q + p)
    quote = _quote_from_runs(lines, runs, start, default_tz)
    if not bottom:
        return Split("\n".join(above), above_line, quote)
    kept = [i for i in own if lines[i].strip()]
    if not kept:
        return Split("", None, quote)
    first, last = kept[0], kept[-1]
    chosen = [i for i in own if first <= i <= last]
    out: list[str] = []
    for i in chosen:
        if not lines[i].strip() and out and not out[-1].strip():
            continue
        out.append(lines[i])
    contiguous = chosen == list(range(first, last + 1))
    return Split("\n".join(out), first if contiguous else None, quote)


def _quote_from_runs(
    lines: list[str], runs: list[list[int]], start: _Start, default_tz: tzinfo | None
) -> Quote:
    parts: list[str] = []
    first: int | None = None
    for run in runs:
        unquoted = [_UNQUOTE.sub("", lines[i], count=1) for i in run]
        text, line = _top(unquoted, run[0], default_tz)
        if text:
            parts.append(text)
            if first is None:
                first = line
    line = first if len(parts) == 1 else None
    return Quote("\n\n".join(parts), start.author, start.time, None, line)
