"""The human-readable format: ``path:line:col: CODE [severity] message`` and the line, marked."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from ..compiled import regex
from . import Options, Rendered, Report, closing_line, printable

_CONTROL_SHOW = {"\t": " "}


def _width(ch: str) -> int:
    if unicodedata.combining(ch) or ch in "\u200d\ufe0f\ufe0e" or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _printable(ch: str) -> str:
    if ch in _CONTROL_SHOW:
        return _CONTROL_SHOW[ch]
    cat = unicodedata.category(ch)
    if cat == "Cc" or cat == "Cs":
        return "\ufffd"
    if cat == "Cf" and ch not in "\u200d":
        return ""  # bidi and zero-width controls would scramble the terminal line
    return ch


class _PerChar(dict):
    """``str.translate`` table filled on first sight of each character (a text has few distinct
    ones): the excerpt of a finding is translated in C instead of a Python call per character.
    Bounded: past ``_MAX_CHARS`` distinct characters, new ones are computed and not kept."""

    __slots__ = ("_of",)

    def __init__(self, of) -> None:
        super().__init__()
        self._of = of

    def __missing__(self, code: int) -> str:
        value = self._of(chr(code))
        if len(self) < _MAX_CHARS:
            self[code] = value
        return value


_MAX_CHARS = 65_536
# the character as the terminal line shows it (_printable)
_SHOWN = _PerChar(_printable)
# as many "x" as the terminal columns the shown character takes (_width of _printable's output)
_COLUMNS = _PerChar(lambda ch: "".join("x" * _width(c) for c in _printable(ch)))


def _columns(text: str) -> int:
    """The terminal columns ``text`` takes once made printable."""
    return len(text.translate(_COLUMNS))


# characters shown as themselves in one terminal column (most of a Russian text): a line made
# of them only is its own excerpt, and its width is its length
_PLAIN: set[str] = set()


# most excerpts are made of these only (printable ASCII, the Russian alphabet, the marks of
# Russian typography): one regular expression tells, without a set of the line's characters
_COMMON = "".join(ch for ch in map(chr, (*range(0x20, 0x7F), *range(0x400, 0x460), *map(ord, "«»—–…№’“”„‘‚₽•\xa0→←×°€±§©®™‑‒―")))
                  if _printable(ch) == ch and _width(ch) == 1)
_ALL_COMMON = regex("[" + re.escape(_COMMON) + "]*").fullmatch


def _plain(text: str) -> bool:
    """Whether every character of ``text`` is shown as itself in one column (:data:`_COMMON`,
    else :data:`_PLAIN`, filled on first sight of each character, bounded as the translate
    tables are)."""
    if _ALL_COMMON(text):
        return True
    chars = set(text)
    if chars <= _PLAIN:
        return True
    for ch in chars - _PLAIN:
        if _printable(ch) != ch or _width(ch) != 1:
            return False
        if len(_PLAIN) < _MAX_CHARS:
            _PLAIN.add(ch)
    return True


#: What the stream writes between the text of two reports (:func:`chatlint.formats.joined`): nothing.
JOIN = ""


def chunk(rep: Report, options: Options | None = None) -> tuple[str, int]:
    """The lines of one report (with the offending lines unless ``show_source`` is off) and how
    many of its findings ``--fix`` can fix."""
    show_source = (options or Options()).show_source
    fixable = 0
    out: list[str] = []
    lines = None
    path = printable(rep.path)
    for f in rep.findings:
        safe = f.fix is not None and f.fix.applicability == "safe"
        if safe and f.message_index is None:
            fixable += 1
        mark = " [*]" if safe and f.message_index is None else ""
        if f.message_index is not None:
            out.append(_transcript_line(rep, f, mark))
            if show_source:
                text = rep.text_of(f)
                out.extend(_excerpt(text, _line_spans(text), f.line, f.start, f.end))
            continue
        out.append(f"{path}:{f.line}:{f.column}: {f.code}{mark} [{f.severity}] {printable(f.message)}")
        if not show_source:
            continue
        if lines is None:
            lines = _line_spans(rep.text)
        out.extend(_excerpt(rep.text, lines, f.line, f.start, f.end))
    return "\n".join(out) + "\n", fixable


def stream(reports: Iterable[Report | Rendered], options: Options | None = None) -> Iterator[str]:
    """The report, one input (or one conversation of a transcript) at a time. Names, ids,
    paths and messages have their control characters escaped (:func:`printable`). The last
    line counts the findings and what failed (``options.status``)."""
    options = options or Options()
    total = fixable = 0
    for rep in reports:
        if not rep.findings:
            continue
        if isinstance(rep, Rendered):
            text, n = rep.text, rep.fixable
            total += rep.findings
        else:
            text, n = chunk(rep, options)
            total += len(rep.findings)
        fixable += n
        yield text
    yield closing_line(total, fixable, options.status, options.lang) + "\n"


def render(reports: Iterable[Report], show_source: bool = True) -> str:
    return "".join(stream(reports, Options(show_source=show_source)))


def _transcript_line(rep: Report, f, mark: str) -> str:
    """``path:LINE: CODE [severity] message (conversation, message N, speaker)``: the line is
    where the reader found the message (columns are into the message, so none is given)."""
    line = rep.file_line(f)
    path = printable(rep.path)
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    who = [f"conversation {printable(f.conversation_id)}"] if f.conversation_id is not None else []
    who.append(f"message {f.message_index + 1}")
    if f.speaker:
        who.append(printable(f.speaker))
    return f"{where} {f.code}{mark} [{f.severity}] {printable(f.message)} ({', '.join(who)})"


_NEWLINE = regex(r"\r\n|\r|\n")


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text``: lines end at CR LF, CR or LF."""
    spans = []
    pos = 0
    if "\r" not in text:  # LF only (most texts): the lines' lengths, without the regex
        for line in text.split("\n"):
            end = pos + len(line)
            spans.append((pos, end))
            pos = end + 1
        return spans
    for m in _NEWLINE.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _excerpt(text: str, lines: list[tuple[int, int]], line_no: int, start: int, end: int) -> list[str]:
    ls, le = lines[line_no - 1]
    raw = text[ls:le]
    if len(raw) > 200:  # long lines: show a window around the span
        lo = max(ls, start - 60)
        hi = min(le, max(end, start) + 60)
        raw = ("…" if lo > ls else "") + text[lo:hi] + ("…" if hi < le else "")
        prefix_chars = ("…" if lo > ls else "") + text[lo:start]
    else:
        prefix_chars = text[ls:start]
    marked = text[start : min(end, le)]
    if ls <= start <= le and _plain(raw):  # the prefix and the marked part are pieces of raw
        shown, pad, marks = raw, len(prefix_chars), max(1, len(marked))
    else:
        shown, pad, marks = raw.translate(_SHOWN), _columns(prefix_chars), max(1, _columns(marked))
    num = str(line_no)
    gutter = " " * len(num)
    more = "…" if end > le else ""
    return [f" {num} | {shown}", f" {gutter} | {' ' * pad}{'^' * marks}{more}"]
