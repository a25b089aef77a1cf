"""Layout: what each line of a message is, before anything counts sentences or paragraphs.

Real answers are not only prose. They put one item per line without list markers (keyboard
shortcuts, settings, steps, link lists), open with a heading («Шаг 1»), quote the client
(«> …»), show code, end with a signature. Taking every line for a paragraph made the
structure rules wrong on such text (a missing blank line reported between list items, a
"sentence" of 150 words glued across lines). This module tells the lines apart once, and
every structure rule reads the result through ``Document.blocks``.

A message is split into *chunks* (separated by blank lines) and each chunk into *blocks*:

``paragraph``  prose lines; consecutive prose lines are separate paragraphs unless the
               line break merely wraps a sentence (the next line starts in lower case)
``list``       lines with list markers («-», «1.», «а)», «•»…) and their indented
               continuation lines
``plainlist``  a list written without markers: two or more lines of one shape after a
               lead-in ending with «:», two or more «ключ: значение» lines, or a chunk of
               instructions most of whose lines start with an imperative or an infinitive
``heading``    a short label line that opens a chunk («Шаг 1», «ВЫВОД», «**Итог**»)
``url``        a line that is only a link
``code``       a fenced (```) code block
``quote``      quoted lines («> …») of e-mail and forum replies
``signature``  the lines after an RFC 3676 «-- » delimiter

Only ``paragraph``, ``list`` and ``plainlist`` blocks hold sentences (razdel, split inside
each line of a list so that items are never glued together). The layout knows no words of
the etiquette: it reads shape, punctuation and, for instructions and labels, the part of
speech of a line's first words (pymorphy3).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from . import morph
from .caches import WORD_FORMS
from .compiled import regex
from .segment import sentenize

# ---------------------------------------------------------------- value types


class Sentence(NamedTuple):
    start: int
    end: int
    first_word: int  # index into Document.words
    last_word: int  # exclusive


class Line(NamedTuple):
    start: int
    end: int  # before the line break
    break_end: int  # after the line break (== end on the last line)
    blank: bool


class ListItem(NamedTuple):
    start: int  # start of the marker line (after indentation); the text's start without a marker
    end: int  # end of the item's text (last line, before its line break, right-stripped)
    marker_start: int
    marker_end: int
    marker: str  # "" for an item of a list without markers
    marker_kind: str  # "dash" | "digit" | "letter" | "other" | "none"
    content_start: int
    line: int  # index into Document.lines of the marker line


@dataclass(slots=True)
class Block:
    """One unit of layout inside a blank-line-separated chunk (see the module docstring)."""

    kind: str  # "paragraph" | "list" | "plainlist" | "heading" | "url" | "code" | "quote" | "signature"
    start: int
    end: int
    lines: list[int]  # indices into Document.lines
    chunk: int  # index of the blank-line-separated chunk it belongs to
    items: list[ListItem] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def is_list(self) -> bool:
        return self.kind in ("list", "plainlist")


# ---------------------------------------------------------------- patterns

_LINE_BREAK = regex(r"\r\n|\r|\n")

# A list line: indentation, a marker, then at least one space. Digits take «1.» or «1)»,
# letters only «а)»; anything else (bullets, dashes, arrows, emoji) is an "other" marker.
_EMOJI_BULLET = r"(?:[\u2190-\u2bff\U0001F000-\U0001FAFF][\ufe0f\U0001F3FB-\U0001F3FF]?|[0-9#*]\ufe0f?\u20e3)"
_LIST_LINE = regex(
    r"[ \t]*(?P<m>(?P<dash>-)|(?P<digit>\d{1,2}[.)])|(?P<letter>[а-яёa-z]\))"
    r"|(?P<other>[*•·—–+►▸▪▫○●◦→✓✔]|" + _EMOJI_BULLET + r"))[ \t]+(?=\S)"
)
QUOTE_LINE = regex(r"[ \t]{0,3}>(?:[ \t>]|$)")
# The end of a thought: a final mark, then closing quotes or brackets («…».», «(…)!»).
_FINAL = regex(r"[.!?…][»\"'”)\]*_]*$")
# A Markdown heading or a line that is bold as a whole.
_MD_HEADING = regex(r"#{1,6}\s+\S|\*\*[^*].*\*\*:?$|__[^_].*__:?$")
# «ключ: значение» or «клавиша — действие» at the start of a line.
_KEY_VALUE = regex(r"(?P<key>[^\s:][^:\n]{0,48}?)(?::[ \t]+(?=\S)|[ \t]+[–—-][ \t]+(?=\S))")
_WORD = regex(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SENTENCE_PUNCT = regex(r"[.!?…][ \t]")
# «1.» of an inline numbered list, where razdel ends a sentence: «роли: 1. Редактор 2. …»
_INLINE_NUMBER_END = regex(r"(?<![\w.,])(\d{1,2})\.$")

_TAIL = 12  # how far from a line's end its final mark may stand («…».)» and the like)
_MAX_HEADING_WORDS = 5
_MAX_KEY_WORDS = 4


# ---------------------------------------------------------------- parts of speech

_VERBAL = frozenset({"VERB", "INFN", "PRED"})


@lru_cache(maxsize=WORD_FORMS)
def _starts_instruction(word: str) -> bool:
    """An imperative («Нажмите») or an infinitive («Перейти») opens the line: a step."""
    low = word.lower()
    if morph.no_reading(low, _instruction_tag):
        return False  # a dictionary word that is neither: no parse needed to say so
    # «Обновите», «Сохраните» read first as future indicative, as likely as the imperative
    return any(_instruction_tag(p.tag) and p.score >= 0.3 for p in morph.parses(low))


def _instruction_tag(tag) -> bool:
    return "impr" in tag or tag.POS == "INFN"


def _is_step(inf: _Info) -> bool:
    return bool(inf.words) and _starts_instruction(inf.words[0])


@lru_cache(maxsize=WORD_FORMS)
def _verbal(word: str) -> bool:
    """Any verb form, infinitive or predicative («можно», «нужно») among the likely parses."""
    low = word.lower()
    if morph.no_reading(low, _verbal_tag):
        return False
    return any(_verbal_tag(p.tag) for p in morph.parses(low) if p.score >= 0.3)


def _verbal_tag(tag) -> bool:
    return tag.POS in _VERBAL


# ---------------------------------------------------------------- one line's shape


@dataclass(slots=True)
class _Info:
    idx: int
    start: int  # stripped
    end: int  # stripped
    words: list[str]
    final: bool  # ends with a final mark
    colon: bool  # ends with «:» (a lead-in)
    kv: bool  # «ключ: значение»
    url: bool  # only a link
    shape: str  # "final" | "open" | "url": what a list's items share


def _line_info(doc: Any, idx: int, ln: Line) -> _Info:
    text = doc.text
    s = _lstrip(text, ln.start, ln.end)
    e = _rstrip(text, s, ln.end)
    seg = text[s:e]
    words = _WORD.findall(seg[:200])
    url = _only_links(doc, s, e)
    tail = seg.rstrip("*_ \t")
    colon = tail.endswith(":") and bool(words)
    final = bool(_FINAL.search(seg, max(0, len(seg) - _TAIL))) or _ends_with_smiley(doc, e)
    kv = False
    if not url and not colon:
        m = _KEY_VALUE.match(seg)
        if m is not None:
            key = m.group("key")
            kw = _WORD.findall(key)
            sep_is_dash = not text[s + m.end("key") : s + m.end()].strip().startswith(":")
            kv = (
                len(key.split()) <= _MAX_KEY_WORDS
                and not _SENTENCE_PUNCT.search(key + " ")
                and not any(_verbal(w) for w in kw)
                and not (sep_is_dash and final)
            )
    shape = "url" if url or _ends_with_link(doc, e) else ("final" if final else "open")
    return _Info(idx, s, e, words, final, colon, kv, url, shape)


def _link_starts(doc: Any) -> list[int]:
    return doc.memo(_link_starts, lambda d: [ls for ls, _ in d.links])


def _only_links(doc: Any, s: int, e: int) -> bool:
    """The line [s, e) holds links and nothing but brackets and punctuation around them."""
    links = doc.links
    if not links:
        return False
    text = doc.text
    pos = s
    k = max(0, bisect_right(_link_starts(doc), s) - 1)
    while k < len(links) and links[k][0] < e:
        ls, le = links[k]
        k += 1
        if le <= pos:
            continue
        if ls < pos or text[pos:ls].strip(" \t<>()[],;.:"):
            return False
        pos = le
    return pos > s and not text[pos:e].strip(" \t<>()[],;.:")


def _ends_with_link(doc: Any, e: int) -> bool:
    """A link ends the line (maybe followed by a period or a bracket)."""
    links = doc.links
    if not links:
        return False
    k = bisect_right(_link_starts(doc), e) - 1
    if k < 0:
        return False
    le = links[k][1]
    return le <= e and not doc.text[le:e].strip(" \t.,;)")


def _ends_with_smiley(doc: Any, e: int) -> bool:
    ch = doc.text[e - 1 : e]
    return bool(ch) and (ord(ch) >= 0x2600 or ch in ")(") and _smiley_end(doc, e)


def _smiley_end(doc: Any, e: int) -> bool:
    text = doc.text
    if text[e - 1] in ")(":
        # «Спасибо :)», «Хорошо)))»: a face, not a closing parenthesis
        k = e - 1
        while k > 0 and text[k - 1] == text[e - 1]:
            k -= 1
        before = text[max(0, k - 2) : k]
        if before.endswith((":", ";", ":-", "=")):
            return True
        if text[e - 1] == "(" or not text[k - 1 : k].isalnum():
            return text[e - 1] == "(" and text[k - 1 : k].isalpha()  # «Жаль((»
        # «Хорошо)» or «Спасибо)))»: a face unless it closes a «(» opened on the line
        line_start = text.rfind("\n", 0, k) + 1
        return text.count("(", line_start, k) <= text.count(")", line_start, k)
    return True


def _lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# ---------------------------------------------------------------- lines → blocks


# A NamedTuple's own constructor is a Python function; every message builds a few lines and
# sentences, so they are made as tuples of their class directly (the same objects).
_new = tuple.__new__


def split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        start, end = m.span()
        out.append(_new(Line, (pos, start, end, not text[pos:start].strip())))
        pos = end
    out.append(_new(Line, (pos, len(text), len(text), not text[pos:].strip())))
    return out


def build_blocks(doc: Any) -> list[Block]:
    """The blocks of ``doc`` (a Document: ``text``, ``lines``, ``links``, ``word_range``), in
    text order, each with its sentences."""
    text = doc.text
    lines: list[Line] = doc.lines
    blocks: list[Block] = []
    chunk = -1
    prev_blank = True
    in_sig = False
    pending: list[int] = []  # the current run of plain lines (not list, code, quote)
    current: Block | None = None

    def flush() -> None:
        nonlocal pending
        if pending:
            blocks.append(Block("_plain", 0, 0, pending, chunk))
            pending = []

    code = _code_lines(doc)
    for idx, ln in enumerate(lines):
        is_code = idx in code
        if ln.blank and not is_code:
            flush()
            prev_blank = True
            current = None
            continue
        if prev_blank:
            chunk += 1
            prev_blank = False
        s, e = _lstrip(text, ln.start, ln.end), _rstrip(text, ln.start, ln.end)
        if is_code:  # a fenced block (blank lines inside it too) or an indented one
            flush()
            current = _add_line(blocks, current, "code", idx, s, e, chunk)
            continue
        if in_sig or text[s:e] == "--":
            flush()
            in_sig = True
            current = _add_line(blocks, current, "signature", idx, s, e, chunk)
            continue
        if QUOTE_LINE.match(text, ln.start, ln.end):
            flush()
            current = _add_line(blocks, current, "quote", idx, s, e, chunk)
            continue
        m = _LIST_LINE.match(text, ln.start, ln.end)
        if m is not None and m.group("other") is not None and (current is None or current.kind != "list"):
            # «😊 Рады, что всё получилось!», «* Акция не суммируется»: an emoji or a star
            # opening one line marks no list unless the next line has a marker too
            nxt = lines[idx + 1] if idx + 1 < len(lines) else None
            if nxt is None or nxt.blank or not _LIST_LINE.match(text, nxt.start, nxt.end):
                m = None
        if m is not None:
            flush()
            kind = next(k for k in ("dash", "digit", "letter", "other") if m.group(k) is not None)
            item = ListItem(m.start("m"), _rstrip(text, m.end(), ln.end), m.start("m"), m.end("m"),
                            m.group("m"), kind, m.end(), idx)
            current = _add_line(blocks, current, "list", idx, item.start, item.end, chunk)
            current.items.append(item)
            continue
        indented = ln.end > ln.start and text[ln.start] in " \t"
        if current is not None and current.kind == "list" and not indented and text[s : s + 1].islower():
            # «- банк отклонил платёж⏎из-за ограничений…»: an item wrapped onto the next line
            indented = text[current.items[-1].end - 1] not in ".;!?:"
        if current is not None and current.kind == "list" and indented:
            last = current.items[-1]
            current.items[-1] = last._replace(end=e)
            current.lines.append(idx)
            current.end = e
            continue
        current = None
        pending.append(idx)
    flush()

    out: list[Block] = []
    for k, b in enumerate(blocks):
        if b.kind != "_plain":
            out.append(b)
            continue
        followed_by_list = k + 1 < len(blocks) and blocks[k + 1].chunk == b.chunk and blocks[k + 1].is_list
        prev = out[-1] if out else None
        after_leadin = prev is not None and prev.chunk == b.chunk - 1 and _ends_with_colon(text, prev)
        out.extend(_plain_blocks(doc, b.lines, b.chunk, after_leadin, followed_by_list))
    _fill_sentences(doc, out)
    return out


def _add_line(blocks: list[Block], current: Block | None, kind: str, idx: int, s: int, e: int, chunk: int) -> Block:
    """Line ``idx`` ([s, e) stripped) joins the current block of ``kind`` right above it, or
    opens a new one."""
    if current is None or current.kind != kind or current.lines[-1] != idx - 1:
        current = Block(kind, s, e, [idx], chunk)
        blocks.append(current)
    else:
        current.lines.append(idx)
        if e > s:
            current.end = e
    return current


def _code_lines(doc: Any) -> set[int]:
    """The lines that code fills (``Document.code_spans``: fenced and indented blocks, and a
    line that is inline code alone), blank lines inside a fenced block included."""
    out: set[int] = set()
    text = doc.text
    for s, e in doc.code_spans:
        first, last = doc.line_index(s), doc.line_index(max(s, e - 1))
        ln0, ln1 = doc.lines[first], doc.lines[last]
        if text[ln0.start : s].strip() or text[e : ln1.end].strip():
            continue  # inline code inside prose: the line is prose
        out.update(range(first, last + 1))
    return out


def _ends_with_colon(text: str, b: Block) -> bool:
    return b.kind in ("paragraph", "heading") and text[b.start : b.end].rstrip("*_ \t").endswith(":")


def _plain_blocks(doc: Any, idxs: list[int], chunk: int, after_leadin: bool, followed_by_list: bool) -> list[Block]:
    """A run of plain lines (no markers, code or quotes) of one chunk, told apart."""
    lines = doc.lines
    if len(idxs) == 1 and not followed_by_list:
        # the common case, a paragraph on one line: only a bare link is something else
        ln = lines[idxs[0]]
        s, e = _lstrip(doc.text, ln.start, ln.end), _rstrip(doc.text, ln.start, ln.end)
        kind = "url" if doc.links and _only_links(doc, s, e) else "paragraph"
        return [Block(kind, s, e, [idxs[0]], chunk)]
    infos = [_line_info(doc, i, lines[i]) for i in idxs]
    n = len(infos)
    role = ["prose"] * n  # "prose" | "item" | "heading" | "url"

    for k, inf in enumerate(infos):
        if inf.url:
            role[k] = "url"
    # a heading: a short label that opens the chunk and is followed by its content
    first = infos[0]
    opens = not _wraps(doc.text, first, infos[1]) if n > 1 else followed_by_list
    if opens and role[0] == "prose" and _is_heading(doc, first):
        role[0] = "heading"

    # instructions: a chunk most of whose lines open with an imperative or an infinitive
    # (where a lead-in announces the list, the items after it are told by their shape below)
    body = [k for k in range(n) if role[k] == "prose"]
    leadin = after_leadin or any(infos[k].colon for k in body[:-1])
    if len(body) >= 3 and not leadin:
        steps = [k for k in body if _is_step(infos[k])]
        if 2 * len(steps) >= len(body):
            # the steps run from the first one to the end of the chunk, but a closing note or
            # question after them («Если не получится — напишите!») is prose again
            run = [k for k in body if k >= steps[0]]
            while run and run[-1] not in steps and doc.text[infos[run[-1]].end - 1 : infos[run[-1]].end] in "!?":
                run.pop()
            if len(run) >= 2:
                for k in run:
                    role[k] = "item"

    # items after a lead-in: the lines after a line ending with «:» (or the whole chunk after
    # a chunk that ends with one), while they keep the shape the first two items share
    starts = [0] if after_leadin else []
    starts += [k + 1 for k in range(n - 1) if infos[k].colon and role[k] != "item"]
    for s0 in starts:
        run = _item_run(doc.text, infos, role, s0)
        if len(run) >= 2 and not all(infos[k].url for k in run):  # bare links stay links
            for k in run:
                role[k] = "item"

    # «ключ: значение» lines, two or more in a row
    k = 0
    while k < n:
        j = k
        while j < n and infos[j].kv and role[j] in ("prose", "item"):
            j += 1
        if j - k >= 2:
            for t in range(k, j):
                role[t] = "item"
        k = max(j, k + 1)

    # build blocks: consecutive items form one plainlist; prose lines form paragraphs,
    # a new one at every line break that does not merely wrap a sentence
    text = doc.text
    out: list[Block] = []
    for k, inf in enumerate(infos):
        r = role[k]
        prev = out[-1] if out else None
        if r == "item":
            item = ListItem(inf.start, inf.end, inf.start, inf.start, "", "none", inf.start, inf.idx)
            if prev is not None and prev.kind == "plainlist" and prev.lines[-1] == inf.idx - 1:
                prev.items.append(item)
                prev.lines.append(inf.idx)
                prev.end = inf.end
            else:
                out.append(Block("plainlist", inf.start, inf.end, [inf.idx], chunk, [item]))
            continue
        if r in ("heading", "url"):
            out.append(Block(r, inf.start, inf.end, [inf.idx], chunk))
            continue
        if prev is not None and prev.kind == "paragraph" and _wraps(text, infos[k - 1], inf):
            prev.lines.append(inf.idx)
            prev.end = inf.end
            continue
        out.append(Block("paragraph", inf.start, inf.end, [inf.idx], chunk))
    return out


def _item_run(text: str, infos: list[_Info], role: list[str], s0: int) -> list[int]:
    """The lines from ``s0`` on that are items of one list: they keep the shape (ending with a
    final mark or not, or being a link) that its first two items share; an item ending with
    «;» or «,», or a next line in lower case, says the list goes on whatever the shape."""
    run: list[int] = []
    shape = None
    for k in range(s0, len(infos)):
        inf = infos[k]
        if role[k] not in ("prose", "item", "url") or (inf.colon and run):
            break
        if len(run) >= 2 and text[inf.end - 1] == "?":
            break  # a question to the client after the items is prose («Какой Вам удобнее?»)
        goes_on = run and (text[infos[run[-1]].end - 1] in ";," or text[inf.start : inf.start + 1].islower())
        if len(run) >= 2 and shape is not None and inf.shape not in (shape, "url") and not inf.kv and not goes_on:
            break  # the list's items shared a shape; this line breaks it: prose again
        if inf.shape != "url":
            shape = shape if shape is not None and len(run) >= 2 else inf.shape
        run.append(k)
    return run


def _wraps(text: str, a: _Info, b: _Info) -> bool:
    """The break between lines ``a`` and ``b`` only wraps a sentence."""
    if a.final or a.colon or a.url:
        return False
    nxt = text[b.start : b.start + 1]
    return nxt.islower() or (nxt.isdigit() and not a.final)


def _is_heading(doc: Any, inf: _Info) -> bool:
    text = doc.text
    seg = text[inf.start : inf.end]
    if _MD_HEADING.match(seg):
        return True
    if inf.final or inf.kv or inf.colon or seg.rstrip().endswith((",", ";")):
        return False
    if len(seg.split()) > _MAX_HEADING_WORDS or not inf.words:
        return False
    letters = "".join(inf.words)
    if len(letters) >= 2 and letters.isupper():
        return True  # «ВЫВОД», «ШАГ 1»
    # a label: no verb among its words («Шаг 2», «Настройки звука»), capitalised
    return seg[:1].isupper() and not any(_verbal(w) for w in inf.words) and not _greeting_like(inf.words[0])


def _greeting_like(word: str) -> bool:
    """An interjection («Привет», «Здравствуйте») opens a greeting, not a heading."""
    return any(p.tag.POS == "INTJ" for p in morph.parses(word.lower()) if p.score >= 0.3)


# ---------------------------------------------------------------- sentences


def _fill_sentences(doc: Any, blocks: list[Block]) -> None:
    """Sentences of the text blocks: razdel once over the whole text, each sentence cut at the
    edges of its block (and of each list item: sentences never run across items)."""
    whole: list[tuple[int, int]] | None = None
    for b in blocks:
        if b.kind in ("paragraph", "heading"):
            ranges = [(b.start, b.end)]
        elif b.is_list:
            ranges = [(it.content_start, it.end) for it in b.items]
        else:
            continue
        if whole is None:
            whole = sentenize(doc.text)
            starts = [s for s, _ in whole]
        for start, end in ranges:
            if end > start:
                _sentences_of(doc, b, start, end, whole, starts)


def _sentences_of(doc: Any, b: Block, start: int, end: int, whole: list[tuple[int, int]], starts: list[int]) -> None:
    text = doc.text
    pieces: list[tuple[int, int]] = []
    k = max(0, bisect_right(starts, start) - 1)
    n = len(whole)
    while k < n and whole[k][0] < end:
        s, e = whole[k]
        k += 1
        if s < start:
            s = start
        if e > end:
            e = end
        # razdel's sentences are stripped already: only a cut at the block's edge may need it
        if s < e and text[s].isspace():
            s = _lstrip(text, s, e)
        if e > s and text[e - 1].isspace():
            e = _rstrip(text, s, e)
        if e > s:
            pieces.append((s, e))
    merged: list[tuple[int, int]] = []
    expect = 1  # the next number of an inline numbered list
    for s, e in pieces:
        if merged:
            # razdel ends a sentence at the «1.» of an inline list («роли: 1. Редактор 2. …»):
            # a piece ending in the list's next number goes on into the following one
            ps, pe = merged[-1]
            # the number is the piece's last three characters: search only there (from one
            # character before them, so that the look-behind sees what it saw from ``ps``)
            m = _INLINE_NUMBER_END.search(text, max(ps, pe - 4), pe) if text[pe - 1] == "." else None
            if m is not None and int(m.group(1)) == expect:
                merged[-1] = (merged[-1][0], e)
                expect += 1
                continue
        merged.append((s, e))
    for s, e in merged:
        i, j = doc.word_range(s, e)
        b.sentences.append(_new(Sentence, (s, e, i, j)))


def ends_thought(doc: Any, end: int) -> bool:
    """The text before ``end`` closes a sentence: a final mark («.», «!», «?», «…», maybe inside
    closing quotes or brackets), a smiley or an emoji."""
    text = doc.text
    e = _rstrip(text, 0, end)
    return e > 0 and (bool(_FINAL.search(text, max(0, e - _TAIL), e)) or _ends_with_smiley(doc, e))
