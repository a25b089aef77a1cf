"""E-mail MIME decoding: headers (RFC 2047, unfolded, never raising), the text part of a
letter (plain text preferred, else HTML as text), transfer encodings and charsets (declared,
else UTF-8, else windows-1251, with a problem when bytes had to be replaced), format=flowed."""

from __future__ import annotations

import codecs
import quopri
import re
from datetime import datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from ...compiled import regex
from ..common import Problem
from .html import html_to_text

# Headers of which at least one must open the file for it to be an e-mail.
MAIL_HEADERS = frozenset(
    {
        "from", "to", "cc", "subject", "date", "message-id", "mime-version", "content-type",
        "in-reply-to", "references", "received", "return-path", "sender", "reply-to",
        "delivered-to", "x-mailer", "user-agent", "auto-submitted",
    }
)
_HEADER_RE = regex(r"^(From |[\041-\071\073-\176]*:|[\t ])")  # email.feedparser.headerRE
_LINE_BREAK = regex(r"\r\n|\r|\n")


# ------------------------------------------------------------------ headers


def scan_headers(text: str) -> tuple[dict[str, int], int]:
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


def raw_items(msg: EmailMessage) -> list[tuple[str, str]]:
    try:
        return [(str(k), str(v)) for k, v in msg.raw_items()]
    except Exception:  # pragma: no cover - raw_items only reads a list
        return []


def header(msg: EmailMessage, name: str) -> str | None:
    """A header decoded (RFC 2047, unfolded), or None when absent; never raises."""
    raw = next((v for k, v in raw_items(msg) if k.lower() == name), None)
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


def address(value: str | None) -> tuple[str | None, str | None]:
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
    return person(value), None


def rfc2822(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def person(value: str) -> str | None:
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


# ------------------------------------------------------------------ body


def message_body(msg: EmailMessage, problems: list[Problem]) -> tuple[str, bool] | None:
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
    cte = (header(part, "content-transfer-encoding") or "").strip().lower()
    charset = _charset(part)
    if cte in ("", "7bit", "8bit", "binary"):
        # get_payload() has decoded 8-bit bytes (smuggled in as surrogates by the CLI) with the
        # declared charset, replacing what does not fit: take the raw bytes instead
        raw = getattr(part, "_payload", None)
        if isinstance(raw, str) and any("\udc80" <= c <= "\udcff" for c in raw):
            try:
                return _decode(raw.encode("ascii", "surrogateescape"), charset, problems), False
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


# Charsets that decode any byte: a Cyrillic letter read through them is still «valid» text.
_LATIN = frozenset({"iso8859-1", "iso8859-15", "cp1252", "ascii"})
_LETTERS_RUN = regex(r"[^\W\d_]+")


def _cyrillic_read_as_latin(text: str) -> bool:
    """Whether ``text`` (bytes read through a Latin charset) is Cyrillic in disguise: words made
    wholly of non-ASCII letters («Çäðàâñòâóéòå»), where a Western text has an accent per word."""
    foreign = [w for w in _LETTERS_RUN.findall(text) if not w.isascii()]
    whole = [w for w in foreign if len(w) >= 3 and not any(c.isascii() for c in w)]
    return len(whole) >= 2 and 2 * len(whole) >= len(foreign)


def _decode(data: bytes, charset: str | None, problems: list[Problem], then: str | None = None) -> str:
    """A part's bytes as text: in the declared ``charset`` (or ``then``) when they are text in
    it, else UTF-8, else the Cyrillic code page detection finds (cp1251, koi8-r), saying which
    was assumed in a note; undecodable bytes replaced as a last resort, with a problem."""
    from ...encoding import guess_single_byte, label

    for cs in (charset, then):
        if not cs:
            continue
        try:
            name = codecs.lookup(cs).name
            text = data.decode(cs)
        except (LookupError, UnicodeError, ValueError, TypeError):
            continue
        if name not in _LATIN or data.isascii() or not _cyrillic_read_as_latin(text):
            return text
    declared = f"the text is not in its declared charset {charset}" if charset else "no charset declared for 8-bit text"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if charset:
            problems.append(Problem(None, f"{declared}: read as UTF-8", note=True))
        return text
    guess = guess_single_byte(data)
    if guess is not None:
        problems.append(Problem(None, f"{declared}: read as {label(guess)} (detected)", note=True))
        return data.decode(guess, "replace")
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
