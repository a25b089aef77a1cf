"""Splitting a reply from the history it quotes: ``>`` quotes, «-----Original Message-----»
blocks, attribution lines («22.11.2026, 14:05, Иван <ivan@…>:», «On … wrote:»), with the
quoted letter's author, time and subject."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

from ...compiled import regex
from .mime import person, rfc2822

# ------------------------------------------------------------------ quoted history

_QUOTED = regex(r"^[ \t]{0,3}>")
_UNQUOTE = regex(r"^[ \t]{0,3}> ?")
_SEPARATOR = regex(
    r"^\s*(?:-{2,}|_{2,}|={2,})?\s*(?:original message|forwarded message|begin forwarded message|"
    r"исходное сообщение|пересылаемое сообщение|переадресованное сообщение|оригинальное сообщение|"
    r"начало переадресованного сообщения|перенаправленное сообщение)\s*:?\s*(?:-{2,}|_{2,}|={2,})?\s*$",
    re.I,
)
_RULE = regex(r"^\s*_{8,}\s*$")
_BLOCK_HEADER = regex(
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
_VERB = regex(r"\s*\b(?:wrote|writes|написал\(а\)|написала|написал|пишет)\s*$", re.I)
_ADDR = regex(r"<[^<>\s@]+@[^<>\s]+>|\[mailto:[^\]\s]+\]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)

_TIME = (
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<ampm>[ap]\.?\s?m\.?|[дп]\.?\s?п\.?)(?![а-яёa-z]))?"
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
    # Outlook with a Canadian/short locale: «March-09-12 4:22 PM»
    re.compile(rf"\b(?P<mon>[a-z]{{3,9}})-(?P<d>\d{{1,2}})-(?P<y>\d{{4}}|\d{{2}})\s+{_TIME}", re.I),
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
        hour = hour % 12 + (12 if ampm in ("pm", "пп") else 0)
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
    t = rfc2822(value)
    if t is not None and t.tzinfo is None and default_tz is not None:
        t = t.replace(tzinfo=default_tz)
    return t


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
    return found is not None, has_addr, verb is not None, person(part), time


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
    author = person(fields["from"]) if fields.get("from") else None
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
    author, when = start.author, start.time
    for k, run in enumerate(runs):
        unquoted = [_UNQUOTE.sub("", lines[i], count=1) for i in run]
        skip = 0
        if k == 0:
            # Apple Mail quotes its attribution line too («> On 22 Aug 2015, at 19:21, X wrote:»):
            # the letter is below it, its author and time are in it
            lead = _find_start(unquoted, default_tz)
            j = _next_nonblank(unquoted, 0)
            if lead is not None and lead.kind == "attribution" and lead.index == j:
                skip = lead.after
                author, when = author or lead.author, when or lead.time
        text, line = _top(unquoted[skip:], run[0] + skip, default_tz)
        if text:
            parts.append(text)
            if first is None:
                first = line
    line = first if len(parts) == 1 else None
    return Quote("\n\n".join(parts), author, when, None, line)
