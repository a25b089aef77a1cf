"""The Document: one parse of an operator message that every rule shares.

A Document is built once per message and owns everything the rules read: lines, blocks
(paragraphs and lists with their items and markers), sentences (razdel), tokens and words
with offsets (razdel), links and e-mail addresses, placeholders such as ``{ИМЯ}``, text
emoticons, bracket smileys, Unicode emoji and the balanced parentheses that tell them apart.
Costly parts are computed lazily, on first use, and then kept. Every offset is a half-open
``str`` offset into the original, unmodified text.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

from . import morph
from .caches import WORD_FORMS
from .compiled import regex
from .layout import QUOTE_LINE, Block, Line, ListItem, Sentence, build_blocks, split_lines
from .segment import punctuation
from .segment import tokenize as _tokenize


class cached_property:  # noqa: N801 - a drop-in for functools.cached_property
    """``functools.cached_property`` without its lock: Python 3.11's takes an ``RLock`` on
    every first access, about a microsecond each, and a Document has some twenty of them per
    message. A Document is not shared between threads while it is being read; should two
    threads ever compute one value at once, both get the same value (the parts are pure
    functions of the text). The value lands in the instance's ``__dict__``, which shadows this
    non-data descriptor: later reads cost a plain attribute lookup."""

    def __init__(self, func) -> None:
        self.func = func
        self.attrname = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.attrname = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.attrname] = self.func(instance)
        return value

__all__ = ["Block", "Document", "Line", "ListItem", "Sentence", "Smiley", "Word", "norm"]

# ---------------------------------------------------------------- small value types


class Word(NamedTuple):
    """A word token: letters (possibly with hyphens or digits), or a ``{placeholder}``."""

    start: int
    end: int
    text: str
    norm: str  # lower case, «ё» folded to «е»: for matching only, never for offsets
    placeholder: bool = False

    @property
    def is_capitalized(self) -> bool:
        return self.placeholder or self.text[:1].isupper()


class Smiley(NamedTuple):
    start: int
    end: int
    text: str
    kind: str  # "emoticon" (text, «:)»), "bracket" («)))»), "emoji" (Unicode)


# ---------------------------------------------------------------- patterns

_URL = regex(
    r"(?:https?://|www\.)[^\s<>«»\"']+"
    r"|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:ru|com|net|org|su|io|me|info|biz|рф|ua|by|kz|pro|shop|online|app)"
    r"(?::\d+)?(?:/[^\s<>«»\"']*)?(?![\w@])",
    re.IGNORECASE,
)
_TLD_HINT = regex(r"\.(?:ru|com|net|org|su|io|me|info|biz|рф|ua|by|kz|pro|shop|online|app)(?!\w)", re.IGNORECASE)
# An address starts where its local part starts (not at every character of a long run of
# «a.a.a.…», which made the search quadratic), and its local part is at most 64 characters.
_EMAIL = regex(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")
# Words after which «8)» is a number: «пункт 8)», «шаг 8)».
_NUMBERED_NOUNS = frozenset(
    "пункт пункта пункте пунктом п пп раздел раздела разделе шаг шага шаге вариант варианта "
    "статья статьи статье ст глава главы главе номер номера №".split()
)
_PAREN_RUN = regex(r"\(+|\)+")
_NUMBER_PAREN = regex(r"(?<!\S)\d{1,2}\)")
_WORD_BEFORE = regex(r"(\w+)\.?\s*$")
_PLACEHOLDER = regex(r"\{[^{}\s]{1,40}\}")
_URL_TRAILING = ".,;:!?…»\"'"
# «[текст](https://…)»: group 1 is the target in parentheses (one level of brackets inside)
_MD_LINK = regex(r"\[[^\[\]\n]{1,300}\](\((?:[^\s()]|\([^\s()]*\))+\))")
_FENCE = regex(r"[ \t]{0,3}(```+|~~~+)")
_INDENTED = regex(r"(?:    |\t)[ \t]*\S")
# Inline code: a run of backticks, then at most 500 characters on the line, then a run of the
# same length (bounded, so that openers that never close cost 500 steps each, not a line each)
_INLINE_CODE = regex(r"(?<!`)(`{1,16})(?!`)[^\n]{1,500}?(?<!`)\1(?!`)")
# A secret after its label: «Пароль: qwerty», «Промокод «SALE»», «код подтверждения: 1234»
_SECRET_LABEL = (
    r"(?<!\w)(?:парол[ьяюе]|промо-?код[а-я]{0,2}|код[а-я]{0,2}(?:\s+подтверждения|\s+доступа)?|пин-?код[а-я]{0,2}"
    r"|pin|логин[а-я]{0,2}|токен[а-я]{0,2}|ключ[а-я]{0,2}|купон[а-я]{0,2}|кодовое\s+слово"
    r"|password|passcode|promo\s?code|coupon|code|login|token)(?!\w)"
)
_QUOTED_VALUE = r"«[^«»\n]{1,200}»|\"[^\"\n]{1,200}\"|'[^'\n]{1,200}'|“[^“”\n]{1,200}”|„[^„“\n]{1,200}“|`[^`\n]{1,200}`"
_SECRET = regex(
    _SECRET_LABEL + r"(?:[ \t]*[:—–-][ \t]*(?P<value>" + _QUOTED_VALUE + r"|[^\s«»\"“„]+)|[ \t]+(?=[«\"'“„`])(?P<value2>"
    + _QUOTED_VALUE + "))",
    re.IGNORECASE,
)
# Matched on the lower-cased text: a case-insensitive alternation costs the whole text in
# case folds at every position (7× slower than lower() and a plain one).
_SECRET_HINT = regex(r"парол|код|pin|логин|токен|ключ|купон|password|passcode|coupon|code|login|token")
_SECRET_LOWER = regex(_SECRET.pattern)  # for the lower-cased text, when lower() keeps its length
# A token (between spaces) with both a letter and a digit: «SALE2024», «А1Б2», «ID-77x»
_MIXED_TOKEN = regex(r"(?<!\S)(?=[^\s\d]*\d)(?=\S*?[^\W\d_])\S+")
_TOKEN_OPENERS = frozenset("([{«\"'„“‘")
_TOKEN_CLOSERS = frozenset(".,;:!?…)]}»\"'“”’")
# Letters on both sides of a symbol run inside a token: «abc!!def», «вы!!@example»
_SYMBOL_INSIDE = regex(r"[^\W\d_][!?;:*#$%^&=+|\\/~<>@]+(?=[^\W\d_])\w")
# The same runs found from the symbols (a letter after them; the one before is checked), and
# the digits of _MIXED_TOKEN
# (each run tried once, from its first symbol: «!!!!…» not followed by a letter is not tried
# again from each of its symbols, which took the square of its length)
_SYMBOLS_BEFORE_LETTER = regex(
    r"[!?;:*#$%^&=+|\\/~<>@](?<![!?;:*#$%^&=+|\\/~<>@][!?;:*#$%^&=+|\\/~<>@])[!?;:*#$%^&=+|\\/~<>@]*+(?=[^\W\d_])"
)
_DIGIT_RUN = regex(r"\d+")
_SPACE = regex(r"\s")

# Text emoticons. Mouths may repeat («:)))»); «8)», «%)», «*)», «B)» need a space (or the
# start) before them so that «50%)», «пункт 8)» and footnote marks are not taken for faces.
# Every branch starts with the character it consumes (so that the regex engine can skip
# ahead by a character set) and checks what precedes it with a look-behind.
_EMOTICON_BRANCHES = (
    r"[:;=](?<![\w:;=][:;=])['’]?-?(?:\)+|\(+|[DРP](?!\w)|[pр](?!\w)|\*|\|(?!\w)|\\(?!\w)|/(?![/\w])|3(?![\w\d])|[oOоО](?!\w))",
    r"[xXхХ](?<!\w[xXхХ])-?[DД]+(?!\w)",
    r"[%*8B](?<!\S[%*8B])-?\)+(?!\w)",
    r"\^[_.]?\^",
    r"[oOоО](?<!\w[oOоО])_[oOоО](?!\w)",
    r"<(?<![\w<]<)3(?!\d)",
)
# «х» and «о» are among the commonest Russian letters, and the «xD» and «о_О» branches start
# at each of them; a text without «D»/«Д» (or without «_») cannot match that branch, so it is
# searched without it (branches that cannot match do not change what the others find).
_EMOTICON_WITHOUT = {
    (x, o): re.compile("|".join(b for k, b in enumerate(_EMOTICON_BRANCHES) if not (k == 1 and x or k == 4 and o)))
    for x in (False, True) for o in (False, True)
}


def _emoticon_pattern(text: str) -> re.Pattern[str]:
    return _EMOTICON_WITHOUT[("D" not in text and "Д" not in text, "_" not in text)]


# «1)», «12)», «а)», «b)»: a closing bracket that ends an enumeration marker (tried at each «)»)
_MARKER_PAREN = regex(r"(?<!\S)(?:\d{1,2}|[а-яёa-z])\)", re.IGNORECASE)


# Emoji live above U+203C (and in keycaps «1️⃣»); a cheap range scan finds candidates, and
# only their runs go to the emoji package, which knows every sequence exactly.
_EMOJI_CANDIDATE = regex(r"[\u203c-\u3299\U0001F000-\U0001FAFF]|[0-9#*]\ufe0f?\u20e3")
_ABOVE_EMOJI_FLOOR = regex("[\u203c-\U0010ffff]")
_EMOJI_JOINERS = frozenset("\u200d\ufe0f\ufe0e\u20e3") | frozenset(chr(c) for c in range(0x1F3FB, 0x1F400)) | frozenset(
    chr(c) for c in range(0xE0020, 0xE0080)
)
_EMOJI_FIRST: frozenset[str] | None = None
# Below U+2C00 only these are emoji by default (Unicode's Emoji_Presentation); the other
# symbols there («™», «‼», «↔», «►», «✔») are emoji only when followed by U+FE0F.
_EMOJI_PRESENTATION = frozenset(
    "⌚⌛⏩⏪⏫⏬⏰⏳◽◾☔☕♈♉♊♋♌♍♎♏♐♑♒♓♿⚓⚡⚪⚫⚽⚾⛄⛅⛎⛔⛪⛲⛳⛵⛺⛽✅✊✋✨❌❎❓❔❕❗➕➖➗➰➿⬛⬜⭐⭕"
)


def _emoji_first() -> frozenset[str]:
    global _EMOJI_FIRST
    if _EMOJI_FIRST is None:
        import emoji

        _EMOJI_FIRST = frozenset(k[0] for k in emoji.EMOJI_DATA if ord(k[0]) >= 0x2000)
    return _EMOJI_FIRST


def _emoji_single() -> frozenset[str]:
    """The emoji that are one character long, but for regional indicators (a flag is a pair)
    and skin tones."""
    global _EMOJI_SINGLE
    if _EMOJI_SINGLE is None:
        import emoji

        _EMOJI_SINGLE = frozenset(
            k
            for k in emoji.EMOJI_DATA
            if len(k) == 1 and ord(k) >= 0x2000 and not 0x1F1E6 <= ord(k) <= 0x1F1FF and k not in _EMOJI_JOINERS
        )  # a skin tone is an emoji by itself, but it joins the one before it
    return _EMOJI_SINGLE


_EMOJI_SINGLE: frozenset[str] | None = None
_SIMPLE_EMOJI_RUN: re.Pattern | None = None


def _simple_emoji_run() -> re.Pattern:
    """Runs of one-character emoji, each with no ZWJ before it and no joiner after it."""
    global _SIMPLE_EMOJI_RUN
    if _SIMPLE_EMOJI_RUN is None:
        single = "".join(sorted(_emoji_single()))
        joiners = "".join(sorted(_EMOJI_JOINERS))
        _SIMPLE_EMOJI_RUN = re.compile(
            "(?:(?<!\u200d)[" + re.escape(single) + "](?![" + re.escape(joiners) + "]))+"
        )
    return _SIMPLE_EMOJI_RUN


def _emoji_list(text: str, start: int, end: int) -> list[Smiley]:
    """The emoji package's reading of ``text[start:end]``, as Smileys at text offsets."""
    import emoji as emoji_pkg

    return [
        Smiley(start + e["match_start"], start + e["match_end"], e["emoji"], "emoji")
        for e in emoji_pkg.emoji_list(text[start:end])
    ]


def norm(word: str) -> str:
    """The matching form of a word: lower case with «ё» folded to «е»."""
    return word.lower().replace("ё", "е")


_LETTER = regex(r"[^\W\d_]")

# Words without the tokenizer. A token never spans a space (razdel splits every gap with one),
# so the words of a text are those of its whitespace-separated chunks. Most chunks are one run
# of letters of one alphabet between opening and closing punctuation («(Здравствуйте,»): there
# razdel's rules join nothing (they join at a dash, «_», «/», digits, two marks in a row or a
# symbol outside its alphabets), so the run is the chunk's one word. The other chunks
# (hyphenated words, digits, emoji…) are tokenized as razdel would, with the chunks either side
# as context (its rules look two atoms across a space at most). tests/test_words_fast.py
# compares the result with the tokenizer's on random text.
_OPENERS = "«“‘\"„'(["
_CLOSERS = ".,!?:;…»”’\"')]"
_CHUNK = regex(
    "[" + re.escape(_OPENERS) + "]*([а-яёА-ЯЁ]+|[a-zA-Z]+)[" + re.escape(_CLOSERS) + "]*(?!\\S)|\\S+"
)
_CHUNK_END = regex(r"\s*\S*")


def _odd_characters(puncts: str, dashes: str) -> re.Pattern[str]:
    """A character other than a Cyrillic or Latin letter, a digit, a space or one of razdel's
    marks that never joins a letter (its dashes and «_» do): an emoji, «₽», «{», an accented
    letter, a letter of another alphabet."""
    safe = "".join(c for c in puncts if c not in dashes and c != "_")
    return re.compile("[^\\sа-яёА-ЯЁa-zA-Z0-9" + re.escape(safe) + "]")


_MARKS = punctuation()
_ODD = _odd_characters(*_MARKS) if _MARKS is not None else None
_LETTER_RUN = regex(r"[а-яёА-ЯЁa-zA-Z]+")
_LATIN_RUN = regex(r"[a-zA-Z]+")
_CYRILLIC = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
_span = re.Match.span
_NORM = itemgetter(3)  # Word.norm


def _letters_join_only_in_runs(text: str) -> bool:
    """Whether razdel's tokens with letters in ``text`` are just its runs of Cyrillic and Latin
    letters (split where the alphabet changes): its rules join letters to something else only
    at a dash or «_» between two non-marks, next to a symbol outside its marks, or in «Yahoo!»,
    and a letter of another alphabet is a word of its own. So no odd character (``_ODD``) may
    be a letter or stand next to one, and no «Yahoo!»."""
    letter = _LETTER.match
    for m in _ODD.finditer(text):
        i = m.start()
        if letter(text, i) or (i and letter(text, i - 1)) or letter(text, i + 1):
            return False
    return not ("!" in text and "yahoo!" in text.lower())


def _switches(text: str) -> int:
    """Places where a Cyrillic letter and a Latin one touch (each Latin run's two ends)."""
    n = 0
    cyrillic = _CYRILLIC
    for m in _LATIN_RUN.finditer(text):
        s, e = m.span()
        n += (s > 0 and text[s - 1] in cyrillic) + (e < len(text) and text[e] in cyrillic)
    return n


# ---------------------------------------------------------------- the document


class Document:
    """One operator message, parsed once. Properties are computed on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._memo: dict[object, object] = {}

    def memo(self, key: object, compute):
        """A value several rules derive from this document, computed once (``compute(doc)``)."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute(self)
            return value

    # ---- lines and positions

    @cached_property
    def lines(self) -> list[Line]:
        return split_lines(self.text)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [ln.start for ln in self.lines]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a ``str`` offset."""
        i = bisect_right(self._line_starts, offset) - 1
        if i < 0:
            i = 0
        return i + 1, offset - self._line_starts[i] + 1

    def line_index(self, offset: int) -> int:
        return max(0, bisect_right(self._line_starts, offset) - 1)

    # ---- links, e-mails, placeholders (spans no other rule should look inside)

    @cached_property
    def links(self) -> list[tuple[int, int]]:
        text = self.text
        if "://" not in text and "www." not in text and not _TLD_HINT.search(text):
            return []
        out = []
        for m in _URL.finditer(text):
            s, e = m.start(), m.end()
            excess = None  # «)» minus «(» inside the link, counted once
            while e > s:
                if text[e - 1] in _URL_TRAILING:
                    e -= 1
                elif text[e - 1] == ")":
                    if excess is None:
                        excess = text.count(")", s, e) - text.count("(", s, e)
                    if excess <= 0:
                        break
                    e -= 1  # «(см. https://x.ru/a)», «https://x.ru/a)))»: the brackets are not the link's
                    excess -= 1
                else:
                    break
            if e > s:
                out.append((s, e))
        return out

    @cached_property
    def emails(self) -> list[tuple[int, int]]:
        if "@" not in self.text:
            return []
        return [m.span() for m in _EMAIL.finditer(self.text)]

    @cached_property
    def markdown_links(self) -> list[tuple[int, int, int]]:
        """Markdown links «[текст](https://…)» as (start, target_start, end): the text in
        brackets is prose, the target in parentheses («(https://…)», brackets included) is
        not; its «)» closes no remark and is no smiley."""
        text = self.text
        if "](" not in text:
            return []
        return [(m.start(), m.start(1), m.end()) for m in _MD_LINK.finditer(text)]

    @cached_property
    def code_spans(self) -> list[tuple[int, int]]:
        """Code, in text order: fenced blocks («```» or «~~~» lines, to the closing fence or
        the end of the text), indented blocks (lines indented by four spaces or a tab, after a
        blank line) and inline code in backticks («`git pull`», «``a `b` ``»). Not prose:
        no rule reports style inside, no fix touches it."""
        text = self.text
        if "`" not in text and "~~~" not in text and "\n    " not in text and "\n\t" not in text:
            return []
        blocks: list[tuple[int, int]] = []
        lines = self.lines
        fence: str | None = None
        open_at = 0
        prev_blank = False
        k = 0
        n = len(lines)
        while k < n:
            ln = lines[k]
            if fence is not None:
                m = _FENCE.match(text, ln.start, ln.end)
                if m is not None and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                    blocks.append((open_at, ln.end))
                    fence = None
                    prev_blank = False
                k += 1
                continue
            m = _FENCE.match(text, ln.start, ln.end)
            if m is not None:
                fence = m.group(1)
                open_at = m.start(1)
                k += 1
                continue
            if prev_blank and not ln.blank and _INDENTED.match(text, ln.start, ln.end):
                first = k
                while k + 1 < n and not lines[k + 1].blank and _INDENTED.match(text, lines[k + 1].start, lines[k + 1].end):
                    k += 1
                blocks.append((lines[first].start, _rstrip(text, lines[first].start, lines[k].end)))
                prev_blank = False
                k += 1
                continue
            prev_blank = ln.blank
            k += 1
        if fence is not None:  # an unclosed fence runs to the end of the text
            blocks.append((open_at, _rstrip(text, open_at, len(text))))
        if "`" not in text:
            return blocks
        starts = [b[0] for b in blocks]
        inline = [
            m.span()
            for m in _INLINE_CODE.finditer(text)
            if not _overlaps(blocks, starts, m.start(), m.end())
        ]
        return sorted(blocks + inline)

    @cached_property
    def _opaque(self) -> list[tuple[int, int]]:
        """Sorted, disjoint spans of links, e-mail addresses, Markdown link targets, code and
        «>» quotes (overlapping ones merged): not prose."""
        md = [(t, e) for _s, t, e in self.markdown_links]
        return _merge(self.links + self.emails + md + self.code_spans + self.quote_spans)

    @cached_property
    def quote_spans(self) -> list[tuple[int, int]]:
        """Lines quoted with «>» (the client's words in an e-mail or forum reply): not the
        operator's text, so no rule reads them."""
        text = self.text
        if ">" not in text:
            return []
        out = []
        for ln in self.lines:
            if not ln.blank and QUOTE_LINE.match(text, ln.start, ln.end):
                out.append((ln.start, ln.end))
        return out

    @cached_property
    def protected_spans(self) -> list[tuple[int, int]]:
        """Sorted, disjoint spans that a safe fix must leave alone, because changing them
        changes what they mean: links, e-mail addresses, code, the value after «Пароль:»,
        «Промокод:», «Код:» and similar labels, and tokens that mix letters with digits
        («SALE2024», «А1Б2») or with symbols inside («abc!!def»). (The engine asks
        :meth:`protected` about each safe fix instead, which looks at those lines only.)"""
        return _merge(list(self._opaque) + self._secret_spans + _token_spans(self.text, 0, len(self.text)))

    @cached_property
    def _secret_spans(self) -> list[tuple[int, int]]:
        """The values after «Пароль:», «Промокод:», «Код:» and similar labels."""
        text = self.text
        low = text.lower()
        if not _SECRET_HINT.search(low):
            return []
        found = _SECRET_LOWER.finditer(low) if len(low) == len(text) else _SECRET.finditer(text)
        return [m.span("value") if m.group("value") is not None else m.span("value2") for m in found]

    def protected(self, start: int, end: int) -> bool:
        """Whether an edit of [start, end) would change protected text (see
        ``protected_spans``): it overlaps a protected span, or (an insertion) falls strictly
        inside one. Links, code and secret values are found once per message; mixed tokens
        only on the lines the edit touches (a token never spans lines), so a message with a
        safe fix or two does not scan all of its text for them."""
        opaque = self._opaque
        if opaque and _holds(opaque, self._opaque_starts, start, end):
            return True
        for a, b in self._secret_spans:
            if (a < start < b) if start == end else (a < end and start < b):
                return True
        text = self.text
        n = len(text)
        lo = text.rfind("\n", 0, start) + 1
        while True:  # each line the edit touches, its tokens found once per document
            hi = text.find("\n", lo)
            hi = n if hi < 0 else hi
            spans, starts = self._line_tokens(lo, hi)
            if spans and _holds(spans, starts, start, end):
                return True
            if hi >= end:
                return False
            lo = hi + 1

    def _line_tokens(self, lo: int, hi: int) -> tuple[list[tuple[int, int]], list[int]]:
        """The protected tokens of the line [lo, hi) (merged, sorted) and their starts, found
        the first time an edit touches the line."""
        cache = self.__dict__.setdefault("_line_token_cache", {})
        got = cache.get(lo)
        if got is None:
            spans = _merge(_token_spans(self.text, lo, hi))
            got = cache[lo] = (spans, [a for a, _ in spans])
        return got

    @cached_property
    def _opaque_starts(self) -> list[int]:
        return [s for s, _ in self._opaque]

    def in_opaque(self, start: int, end: int | None = None) -> bool:
        """True when [start, end) overlaps a link or an e-mail address (a bisection)."""
        return _overlaps(self._opaque, self._opaque_starts, start, start + 1 if end is None else end)

    # ---- tokens and words

    @cached_property
    def tokens(self) -> list[tuple[int, int, str]]:
        """razdel tokens as (start, end, text)."""
        return _tokenize(self.text)

    def _tokens_once(self) -> list[tuple[int, int, str]]:
        """The tokens for building ``words``, not kept: nothing else reads them, and a document
        lives as long as its conversation is checked (``tokens`` keeps them when asked)."""
        got = self.__dict__.get("tokens")
        return got if got is not None else _tokenize(self.text)

    @cached_property
    def words(self) -> list[Word]:
        text = self.text
        holders = [m.span() for m in _PLACEHOLDER.finditer(text)] if "{" in text else []
        opaque = self._opaque
        if holders and opaque:  # «{ИМЯ}» inside code or a link is not the operator's word
            holders = [h for h in holders if not self.in_opaque(*h)]
        if not holders and _ODD is not None and _letters_join_only_in_runs(text):
            return self._run_words(opaque)
        if not holders and not opaque:
            return self._plain_words()
        return self._chunk_words(holders, opaque)

    def _run_words(self, opaque: list[tuple[int, int]]) -> list[Word]:
        """``words`` where razdel's tokens with letters are the runs of Cyrillic and Latin
        letters (:func:`_letters_join_only_in_runs`): the runs, but those of links, e-mail
        addresses and code (``opaque``), blanked out first, unless a run crosses the edge of
        one (the whole token is left out then: the tokens decide)."""
        text = self.text
        if opaque:
            letter = _LETTER.match
            for s, e in opaque:
                if (s and letter(text, s - 1) and letter(text, s)) or (letter(text, e - 1) and letter(text, e)):
                    return self._chunk_words([], opaque)
            pieces, pos = [], 0
            for s, e in opaque:
                pieces += [text[pos:s], " " * (e - s)]
                pos = e
            pieces.append(text[pos:])
            text = "".join(pieces)  # the same length, the words outside the spans in place
        low = text.lower().replace("ё", "е")  # the same length: these letters only
        new = tuple.__new__
        out = [new(Word, (s, e, text[s:e], low[s:e], False)) for s, e in map(_span, _LETTER_RUN.finditer(text))]
        self._alphabet_changes = _switches(text)
        return out

    def _plain_words(self) -> list[Word]:
        """``words`` chunk by chunk (see ``_CHUNK``) for a text without links, e-mails and
        placeholders but with what makes razdel join letters to more than their run."""
        text = self.text
        new = tuple.__new__
        out: list[Word] = []
        append = out.append
        rejoined: list[int] = []
        prev = 0  # where the previous chunk starts
        for m in _CHUNK.finditer(text):
            w = m.group(1)
            if w is not None and (len(w) != 5 or w.lower() != "yahoo"):  # razdel keeps «Yahoo!» whole
                append(new(Word, (m.start(1), m.end(1), w, w.lower().replace("ё", "е"), False)))
            else:
                start, end = m.span()
                if _LETTER.search(text, start, end):
                    self._token_words(self._tokens_around(prev, end), out, rejoined, start, end)
            prev = m.start()
        self._alphabet_changes = len(rejoined)
        return _rejoin(text, out, rejoined) if rejoined else out

    def _chunk_words(self, holders: list[tuple[int, int]], opaque: list[tuple[int, int]]) -> list[Word]:
        """``words`` chunk by chunk (see ``_CHUNK``) for a text with links, e-mails, code or
        placeholders: a chunk that touches none of them as in ``_plain_words``, the others
        from their tokens (``_token_words``)."""
        text = self.text
        new = tuple.__new__
        out: list[Word] = []
        append = out.append
        rejoined: list[int] = []
        # disjoint (a placeholder inside a link or code was dropped): sorted, their ends too
        spans = sorted(holders + opaque)
        ends = [e for _, e in spans]
        prev = 0
        for m in _CHUNK.finditer(text):
            start, end = m.span()
            k = bisect_right(ends, start)  # the first span that may reach past the chunk's start
            if k < len(spans) and spans[k][0] < end:
                if _LETTER.search(text, start, end) or "{" in m.group():
                    self._token_words(self._tokens_around(prev, end), out, rejoined, start, end, holders, opaque)
            else:
                w = m.group(1)
                if w is not None and (len(w) != 5 or w.lower() != "yahoo"):
                    append(new(Word, (m.start(1), m.end(1), w, w.lower().replace("ё", "е"), False)))
                elif _LETTER.search(text, start, end):
                    self._token_words(self._tokens_around(prev, end), out, rejoined, start, end)
            prev = start
        self._alphabet_changes = len(rejoined)
        return _rejoin(text, out, rejoined) if rejoined else out

    def _tokens_around(self, prev: int, end: int) -> list[tuple[int, int, str]]:
        """razdel's tokens of the chunks from the one starting at ``prev`` to the one after the
        chunk ending at ``end``: a chunk's tokens with the context razdel's rules look at (two
        atoms either side at most), at text offsets."""
        text = self.text
        stop = _CHUNK_END.match(text, end).end()
        return [(s + prev, e + prev, t) for s, e, t in _tokenize(text[prev:stop])]

    def _token_words(
        self,
        tokens,
        out: list[Word],
        rejoined: list[int],
        lo: int = 0,
        up: int | None = None,
        holders: list[tuple[int, int]] = (),
        opaque: list[tuple[int, int]] = (),
    ) -> None:
        """Append the words of the tokens inside [lo, up) to ``out``: tokens with a letter, a
        ``{placeholder}`` as one word (and the letters before it in its token: «зовут{ИМЯ}»),
        none inside a link, an e-mail address or code, and a word razdel split where its
        alphabet changes rejoined (its index noted in ``rejoined``, its text filled in later)."""
        text = self.text
        new = tuple.__new__
        append = out.append
        up = len(text) if up is None else up
        nh, no = len(holders), len(opaque)
        # the spans (sorted, disjoint) from the last one starting before ``lo``: a chunk's words
        # look at the spans near it, not at all those before it (a text of 20,000 links)
        h = max(0, bisect_left(holders, (lo, -1)) - 1) if nh else 0
        o = max(0, bisect_left(opaque, (lo, -1)) - 1) if no else 0
        hi = 0
        prev_end = -1
        for s, e, t in tokens:
            if s < lo or e > up or s < hi:
                continue
            if nh:
                while h < nh and holders[h][1] <= s:
                    h += 1
                if h < nh and holders[h][0] < e:  # a token inside «{ИМЯ}»
                    hs, he = holders[h]
                    if hs > s and _LETTER.search(text, s, hs):  # «зовут{ИМЯ»: the word before it
                        pre = text[s:hs]
                        if not (opaque and self.in_opaque(s, hs)):
                            append(new(Word, (s, hs, pre, norm(pre), False)))
                    append(new(Word, (hs, he, text[hs:he], norm(text[hs:he]), True)))
                    hi = he
                    prev_end = -1
                    continue
            if not t.isalpha() and not _LETTER.search(t):
                continue
            if no:
                while o < no and opaque[o][1] <= s:
                    o += 1
                if o < no and opaque[o][0] < e:
                    continue  # a piece of a link or an e-mail address
            if prev_end == s and text[s - 1].isalpha():
                # razdel splits a word where the alphabet changes («Здр» «a» «вствуйте»): rejoin
                # it (its text is taken once the whole word is known: «аaаa…» stays linear)
                out[-1] = new(Word, (out[-1][0], e, "", "", False))
                rejoined.append(len(out) - 1)
            else:
                append(new(Word, (s, e, t, t.lower().replace("ё", "е"), False)))
            prev_end = e

    def _words_from_tokens(self) -> list[Word]:
        """``words`` from the whole text's tokens: the definition the chunks must give
        (tests/test_words_fast.py)."""
        text = self.text
        holders = [m.span() for m in _PLACEHOLDER.finditer(text)] if "{" in text else []
        opaque = self._opaque
        if holders and opaque:
            holders = [h for h in holders if not self.in_opaque(*h)]
        out: list[Word] = []
        rejoined: list[int] = []
        self._token_words(self._tokens_once(), out, rejoined, holders=holders, opaque=opaque)
        self._alphabet_changes = len(rejoined)
        return _rejoin(text, out, rejoined) if rejoined else out

    @property
    def mixes_alphabets(self) -> bool:
        """Some word changes alphabet inside («Здрaвствуйте» with a Latin «a»): razdel splits
        a word where Cyrillic and Latin letters meet, and ``words`` joins it again."""
        self.words  # noqa: B018 - computes _alphabet_changes
        return getattr(self, "_alphabet_changes", 0) > 0

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word's matching form, and each part of a hyphenated one: for quick rejects."""
        out = frozenset(map(_NORM, self.words))
        if "-" in self.text:  # a hyphenated word's parts too («из-за»: «из», «за»)
            parts = [p for n in out if "-" in n for p in n.split("-")]
            if parts:
                out = out.union(parts)
        return out

    @property
    def lemma_set(self) -> frozenset[str]:
        """Every word form, and the lemmas of the words that some lexicon looks for
        (pymorphy3, cached by form; see ``morph.register_keys``).

        Lexicon rules intersect their entries with this set first, so a message that holds
        none of a rule's words costs one set operation. Cached per document, and computed
        again when lexicon keys were registered since (a rule that compiles a ``~lemma``
        phrase lazily still sees its lemma on the first message).
        """
        generation = morph.keys_generation()
        cached = self.__dict__.get("_lemma_set")
        if cached is not None and cached[0] == generation:
            return cached[1]
        vocabulary = self.vocabulary
        known = _no_lemmas  # read once: a generation and its set together
        if known[0] != generation:
            known = _forget_no_lemmas(generation)
        # (form, its lexicon lemmas) for the forms that have some, without a Python-level loop,
        # asked only of the forms not known to have none (most forms of a message); a set of
        # a newer generation serves too (keys only grow: a form without any now had none before)
        rest = vocabulary - known[1] if known[0] >= generation else vocabulary
        found = dict(filter(itemgetter(1), zip(rest, map(morph.relevant_lemmas, rest), strict=True))) if rest else {}
        if len(found) < len(rest):
            _remember_no_lemmas(generation, rest.difference(found))
        out = vocabulary.union(*found.values()) if found else vocabulary
        self.__dict__["_lemma_set"] = (generation, out, found)
        return out

    @property
    def lexicon_lemmas(self) -> dict[str, frozenset[str]]:
        """The words (forms and hyphen parts, as in ``vocabulary``) that have lemmas some
        lexicon looks for, with those lemmas: the few entries behind ``lemma_set``."""
        self.lemma_set  # noqa: B018 - computes (or refreshes) it
        return self.__dict__["_lemma_set"][2]

    @cached_property
    def _word_starts(self) -> list[int]:
        return [w[0] for w in self.words]  # w.start (index access: every message builds it)

    def word_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices [i, j) of the words that lie inside [start, end)."""
        starts = self._word_starts
        return bisect_left(starts, start), bisect_left(starts, end)

    def words_in(self, start: int, end: int) -> list[Word]:
        i, j = self.word_range(start, end)
        return self.words[i:j]

    # ---- blocks: paragraphs and lists

    @cached_property
    def blocks(self) -> list[Block]:
        """The layout: prose paragraphs, lists with and without markers, headings, links on
        their own line, code, quotes and signatures (see :mod:`chatlint.layout`)."""
        return build_blocks(self)

    @cached_property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "paragraph"]

    @cached_property
    def sentences(self) -> list[Sentence]:
        out = [s for b in self.blocks for s in b.sentences]
        out.sort(key=lambda s: s.start)
        return out

    @cached_property
    def chunks(self) -> list[tuple[int, int]]:
        """Spans of the blank-line-separated chunks, each from its first block to its last."""
        spans: dict[int, list[int]] = {}
        for b in self.blocks:
            if b.chunk in spans:
                spans[b.chunk][1] = b.end
            else:
                spans[b.chunk] = [b.start, b.end]
        return [(s, e) for s, e in spans.values()]

    def sentence_words(self, s: Sentence) -> list[Word]:
        return self.words[s.first_word : s.last_word]

    # ---- parentheses, emoticons, bracket smileys, emoji

    @cached_property
    def emoticons(self) -> list[Smiley]:
        """Text emoticons such as «:)», «;-)», «xD», «^_^» (not inside links)."""
        text = self.text
        out = []
        opaque = self._opaque
        emoji = None
        for m in _emoticon_pattern(text).finditer(text):
            s, e = m.span()
            if opaque and self.in_opaque(s, e):
                continue
            t = m.group()
            if t[0] == "8" and self._looks_like_number_marker(s):
                continue
            if emoji is None:
                emoji = [(p.start, p.end) if isinstance(p, Smiley) else p for p in self.emoji_parts]
                emoji_starts = [a for a, _ in emoji]
            if emoji and _overlaps(emoji, emoji_starts, s, e):
                continue  # «:*️⃣»: the «*» belongs to a keycap emoji
            out.append(Smiley(s, e, t, "emoticon"))
        return out

    def _looks_like_number_marker(self, s: int) -> bool:
        """«8)» as a number, not a face: the eighth point of a list or of an inline
        enumeration («… 7) … 8) …»), a marker at the start of a line, or «пункт 8)»."""
        text = self.text
        line_start = self.lines[self.line_index(s)].start
        if self.line_lead(s) >= s:  # first on its line
            return True
        # an earlier «N)» on this line (the offsets of every «N)» are found once)
        marks = self._number_parens
        k = bisect_left(marks, s) - 1
        if k >= 0 and marks[k] >= line_start:
            return True
        # the word before it; a window of 40 characters is enough for any of those nouns
        lo = max(line_start, s - 40)
        prev = _WORD_BEFORE.search(text, lo, s)
        if prev is None or (prev.start() == lo > line_start and text[lo - 1].isalnum()):
            return False
        return prev.group(1).lower() in _NUMBERED_NOUNS

    @cached_property
    def _line_leads(self) -> dict[int, int]:
        return {}

    def line_lead(self, offset: int) -> int:
        """The offset of the first non-space character of the line holding ``offset`` (the
        line's end when it is blank), found once per line."""
        li = self.line_index(offset)
        lead = self._line_leads.get(li)
        if lead is None:
            ln = self.lines[li]
            lead = self._line_leads[li] = _first_non_space(self.text, ln.start, ln.end)
        return lead

    @cached_property
    def _number_parens(self) -> list[int]:
        """Start offsets of every «N)» or «NN)» that follows a space or starts the text."""
        if ")" not in self.text:
            return []
        return [m.start() for m in _NUMBER_PAREN.finditer(self.text)]

    @cached_property
    def _parens(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(matched parenthesis pairs, bracket-smiley runs), computed chunk by chunk."""
        text = self.text
        if "(" not in text and ")" not in text:
            return [], []
        emoticons = [(sm.start, sm.end) for sm in self.emoticons]
        pairs: list[tuple[int, int]] = []
        runs: list[tuple[int, int]] = []
        markers = self._marker_parens
        opaque = self._opaque
        n = len(text)
        em_starts = [es for es, _ in emoticons]
        n_em = len(emoticons)
        # «( https://… )», «(help@example.ru)»: brackets around a link or an address, spaces
        # inside or not, are a remark (before smileys are looked for); a Markdown link's
        # «(…)» is not one
        used: set[int] = set()
        for ls, le in sorted(self.links + self.emails):
            a = ls - 1
            while a >= 0 and text[a] in " \t":
                a -= 1
            b = le
            while b < n and text[b] in " \t":
                b += 1
            if a >= 0 and b < n and text[a] == "(" and text[b] == ")" and a not in used and b not in used:
                if opaque and (self.in_opaque(a, a + 1) or self.in_opaque(b, b + 1)):
                    continue
                if emoticons and (_inside(emoticons, em_starts, a) or _inside(emoticons, em_starts, b)):
                    continue  # «:-( https://…)))»: the face's mouth opens no remark
                pairs.append((a, b))
                used.update((a, b))
        # «( ссылка и ещё что-то )»: a bracket with a space inside on both ends is a remark
        # written loosely, when a « )» closes it on the same line (matched like brackets, so
        # «Жаль ( » with nothing to close it stays a smiley)
        if "( " in text or "(\t" in text:
            for a, b in _spaced_pairs(text):
                if a in used or b in used or (opaque and (self.in_opaque(a, a + 1) or self.in_opaque(b, b + 1))):
                    continue
                if emoticons and (_inside(emoticons, em_starts, a) or _inside(emoticons, em_starts, b)):
                    continue
                pairs.append((a, b))
                used.update((a, b))
        for cs, ce in self.chunks:
            stack: list[int] = []
            for m in _PAREN_RUN.finditer(text, cs, ce):
                i, j = m.span()
                if emoticons:  # a run may begin inside a face: «:)))» is one emoticon
                    k = bisect_right(em_starts, i) - 1
                    while i < j and 0 <= k < n_em and emoticons[k][0] <= i < emoticons[k][1]:
                        i = emoticons[k][1]
                        k += 1
                    if i >= j:
                        continue
                if used:
                    if text[i] == "(" and j - 1 in used:
                        j -= 1
                    elif text[i] == ")" and i in used:
                        i += 1
                    if i >= j:
                        continue
                if opaque and self.in_opaque(i, j):
                    continue
                if text[i] == "(":
                    after = text[j] if j < n else ""
                    if after == "" or after.isspace() or after in ".,!?;:":
                        runs.append((i, j))  # «Жаль((», «Очень жаль ( »: opens nothing
                    else:
                        stack.extend(range(i, j))
                else:
                    k = i
                    while k < j and stack:
                        pairs.append((stack.pop(), k))
                        k += 1
                    if k < j and not (k == i and i in markers):  # «1)», «а)»: a marker
                        runs.append((k, j))
        pairs.sort()
        runs.sort()
        return pairs, runs

    @cached_property
    def _marker_parens(self) -> set[int]:
        """Offsets of «)» that end an enumeration marker: «1)», «12)», «а)», «b)»."""
        text = self.text
        out: set[int] = set()
        match = _MARKER_PAREN.match
        k = text.find(")")
        while k >= 0:  # the regex tried where a match could end, not at every character
            for start in (k - 2, k - 1):  # the earlier start first, as a search would
                if start >= 0:
                    m = match(text, start, k + 1)
                    if m is not None and m.end() == k + 1:
                        out.add(k)
                        break
            k = text.find(")", k + 1)
        return out

    @property
    def paren_pairs(self) -> list[tuple[int, int]]:
        """Offsets of matched «(» and «)» of genuine parenthetical remarks."""
        return self._parens[0]

    @cached_property
    def bracket_smileys(self) -> list[Smiley]:
        """Runs of «)» or «(» that close or open no parenthesis: «Спасибо)))», «Жаль((»."""
        return [Smiley(s, e, self.text[s:e], "bracket") for s, e in self._parens[1]]

    @cached_property
    def emoji(self) -> list[Smiley]:
        """Unicode emoji; a ZWJ sequence, a flag, a keycap or a skin-toned emoji is one."""
        out: list[Smiley] = []
        for part in self.emoji_parts:
            if isinstance(part, Smiley):
                out.append(part)
            else:
                a, b = part
                out.extend(map(Smiley, range(a, b), range(a + 1, b + 1), self.text[a:b], repeat("emoji")))
        return out

    @cached_property
    def emoji_count(self) -> int:
        return sum(1 if isinstance(p, Smiley) else p[1] - p[0] for p in self.emoji_parts)

    @cached_property
    def emoji_parts(self) -> list[Smiley | tuple[int, int]]:
        """The emoji in text order, compactly: a Smiley for each sequence (ZWJ, flag, keycap,
        skin tone…) and a (start, end) span for each run of one-character emoji, where every
        character is one emoji. A text of a million emoji is one span, not a million objects;
        ``emoji`` spells them out for the rules that want Smileys."""
        text = self.text
        out: list[Smiley | tuple[int, int]] = []
        if text.isascii() and "\u20e3" not in text:
            return out
        first = None
        n = len(text)
        pos = 0
        search = _EMOJI_CANDIDATE.search
        above = _ABOVE_EMOJI_FLOOR.search
        while True:
            # every candidate holds a character at or above U+203C at most two characters in
            # (a keycap «1️⃣» ends in U+20E3): one plain range scan skips to near the next one
            # (the candidate pattern's scan costs five times as much per character)
            h = above(text, pos)
            if h is None:
                break
            m = search(text, max(pos, h.start() - 2))
            if m is None:
                break
            i = m.start()
            if m.end() - i == 1:
                if first is None:
                    first = _emoji_first()
                ch = text[i]
                if ch not in first or (
                    ch < "\u2c00" and ch not in _EMOJI_PRESENTATION and text[i + 1 : i + 2] != "\ufe0f"
                ):
                    pos = i + 1  # «™», «‼», «►», «✔» are text symbols unless asked to look like emoji
                    continue
            j = m.end()
            while j < n and (text[j] in _EMOJI_JOINERS or (first is not None and text[j] in first)):
                j += 1
            # A one-character emoji that no joiner, modifier or selector follows and no ZWJ
            # precedes (nor a regional indicator: flags are pairs) is an emoji by itself and
            # part of no longer sequence (tests/test_linear.py checks this against the emoji
            # data): runs of them are listed directly, only the stretches between them go to
            # the emoji package.
            run = text[i:j]
            seg = 0
            for sm in _simple_emoji_run().finditer(run):
                a, b = sm.span()
                if seg < a:
                    out.extend(_emoji_list(text, i + seg, i + a))
                out.append((i + a, i + b))
                seg = b
            if seg < len(run):
                out.extend(_emoji_list(text, i + seg, j))
            pos = j
        if out and self._opaque:
            return self._outside_opaque(out)
        return out

    def _outside_opaque(self, parts: list[Smiley | tuple[int, int]]) -> list[Smiley | tuple[int, int]]:
        """The emoji parts without what lies in a link, an address or code (not prose: its
        emoji are no style of the operator's); a run of one-character emoji is cut around."""
        opaque = self._opaque
        starts = self._opaque_starts
        out: list[Smiley | tuple[int, int]] = []
        for p in parts:
            if isinstance(p, Smiley):
                if not _overlaps(opaque, starts, p.start, p.end):
                    out.append(p)
                continue
            a, b = p
            k = max(0, bisect_right(starts, a) - 1)
            while a < b:
                while k < len(opaque) and opaque[k][1] <= a:
                    k += 1
                if k == len(opaque) or opaque[k][0] >= b:
                    out.append((a, b))
                    break
                if opaque[k][0] > a:
                    out.append((a, opaque[k][0]))
                a = opaque[k][1]
        return out

    @cached_property
    def smileys(self) -> list[Smiley]:
        """Every emoticon, bracket smiley and emoji, in text order."""
        out = self.emoticons + self.bracket_smileys + self.emoji
        out.sort(key=lambda s: s.start)
        return out

    @cached_property
    def smiley_count(self) -> int:
        """``len(smileys)``, without spelling out every emoji."""
        return len(self.emoticons) + len(self.bracket_smileys) + self.emoji_count

    def first_smileys(self, k: int) -> list[Smiley]:
        """``smileys[:k]``, spelling out no more than ``k`` emoji."""
        emoji: list[Smiley] = []
        for part in self.emoji_parts:
            if len(emoji) >= k:
                break
            if isinstance(part, Smiley):
                emoji.append(part)
            else:
                a, b = part
                b = min(b, a + k - len(emoji))
                emoji.extend(map(Smiley, range(a, b), range(a + 1, b + 1), self.text[a:b], repeat("emoji")))
        out = self.emoticons[:k] + self.bracket_smileys[:k] + emoji
        out.sort(key=lambda s: s.start)
        return out[:k]

    def last_smiley(self) -> Smiley | None:
        """``smileys[-1]`` (None without smileys), spelling out no emoji but the last."""
        last = [src[-1] for src in (self.emoticons, self.bracket_smileys) if src]
        if self.emoji_parts:
            p = self.emoji_parts[-1]
            last.append(p if isinstance(p, Smiley) else Smiley(p[1] - 1, p[1], self.text[p[1] - 1], "emoji"))
        return max(last, key=lambda s: s.start) if last else None


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _first_non_space(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _token_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Tokens of text[lo:hi] (whole lines) that mix letters with digits («SALE2024»), without
    the punctuation around them, and letters around symbols inside a token («abc!!def»).

    Found from their rarer side: a token with a digit from each digit run (the token around
    it, then a letter in it), a symbol inside a token from each run of the symbols, not by
    trying a pattern at every character (``_MIXED_TOKEN``, ``_SYMBOL_INSIDE`` say what is
    found; tests/test_token_paths.py compares)."""
    spans = []
    end = lo  # the end of the last token looked at
    space = _SPACE.search
    for m in _DIGIT_RUN.finditer(text, lo, hi):
        d = m.start()
        if d < end:
            continue  # in the token of an earlier digit
        # the token: from after the last whitespace before the digit to the next whitespace
        a = max(text.rfind(" ", end, d), text.rfind("\n", end, d), end - 1)
        while (w := space(text, a + 1, d)) is not None:
            a = w.start()
        a += 1
        w = space(text, m.end(), hi)
        b = end = hi if w is None else w.start()
        if not _LETTER.search(text, a, b):
            continue
        while a < b and text[a] in _TOKEN_OPENERS:  # the token without the punctuation around it
            a += 1
        while b > a and text[b - 1] in _TOKEN_CLOSERS:
            b -= 1
        if a < b:
            spans.append((a, b))
    end = lo
    letter = _LETTER.match
    for m in _SYMBOLS_BEFORE_LETTER.finditer(text, lo, hi):
        a = m.start() - 1
        # a letter before the run (not the one after an earlier run: «a!b!c» is one)
        if a >= end and letter(text, a):
            end = m.end() + 1
            spans.append((a, end))
    return spans


def _holds(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """An edit of [start, end) overlaps one of the sorted disjoint ``spans``, or (an
    insertion) falls strictly inside one."""
    if start == end:
        k = bisect_right(starts, start) - 1
        return k >= 0 and spans[k][0] < start < spans[k][1]
    return _overlaps(spans, starts, start, end)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the same characters as ``spans``."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted disjoint ``spans`` (``starts`` their
    starts): only the span holding ``start`` and the one after it can."""
    k = bisect_right(starts, start) - 1
    if k >= 0 and spans[k][1] > start and spans[k][0] < end:
        return True
    k += 1
    return k < len(spans) and spans[k][0] < end and start < spans[k][1]


def _rejoin(text: str, words: list[Word], rejoined: list[int]) -> list[Word]:
    """Fill in the text of the words rejoined across a change of alphabet."""
    for i in rejoined:
        w = words[i]
        if not w.text:
            t = text[w.start : w.end]
            words[i] = Word(w.start, w.end, t, t.lower().replace("ё", "е"), False)
    return words


_QUOTED = regex(r"«[^«»\n]{1,120}»|\"[^\"\n]{1,120}\"|“[^“”\n]{1,120}”|„[^„“\n]{1,120}“")


def quoted_spans(doc: Document) -> list[tuple[int, int]]:
    """Spans of quoted text on one line («…», "…", “…”, „…“), quotes included, sorted."""
    return doc.memo(quoted_spans, _quoted_spans)


def _quoted_spans(doc: Document) -> list[tuple[int, int]]:
    text = doc.text
    if not any(q in text for q in "«\"“„"):
        return []
    return [m.span() for m in _QUOTED.finditer(text)]


def in_quotes(doc: Document, start: int, end: int) -> bool:
    """[start, end) lies inside quotation marks on one line: a label, or someone else's words
    reported («Клиент пишет: «ты можешь…»»)."""
    spans = quoted_spans(doc)
    if not spans:
        return False
    k = bisect_right(spans, (start, len(doc.text) + 1)) - 1
    return k >= 0 and spans[k][0] < start and end < spans[k][1]


def in_label(doc: Document, start: int, end: int) -> bool:
    """[start, end) lies inside a quoted name or label: a quotation that starts with a capital
    letter or a digit («Реклама на вашем канале», «Ок», "Удалить сообщение")."""
    spans = quoted_spans(doc)
    if not spans:
        return False
    k = bisect_right(spans, (start, len(doc.text) + 1)) - 1
    if k < 0:
        return False
    s, e = spans[k]
    if not (s < start and end < e):
        return False
    inner = doc.text[s + 1 : e - 1].lstrip("\u200e\u200f ")
    return inner[:1].isupper() or inner[:1].isdigit()


def _inside(spans: list[tuple[int, int]], starts: list[int], i: int) -> bool:
    """Offset ``i`` lies in one of the sorted, disjoint ``spans`` (``starts``: their starts)."""
    k = bisect_right(starts, i) - 1
    return k >= 0 and spans[k][0] <= i < spans[k][1]


_SPACED_PAREN = regex(r"\((?=[ \t]+\S)|(?<=\S[ \t])\)|(?<=\S[ \t]{2})\)|\n")


def _spaced_pairs(text: str) -> list[tuple[int, int]]:
    """Offsets of «( … )» pairs whose brackets have white space inside, per line, matched in
    one pass like brackets (an unclosed «( » pairs with nothing)."""
    out: list[tuple[int, int]] = []
    stack: list[int] = []
    for m in _SPACED_PAREN.finditer(text):
        ch = m.group()
        if ch == "\n":
            stack.clear()
        elif ch == "(":
            stack.append(m.start())
        elif stack:
            out.append((stack.pop(), m.start()))
    return out


# ---------------------------------------------------------------- parsed documents shared across calls


class DocumentCache:
    """A bounded LRU of parsed documents by text, for a caller that checks the same texts again
    and again (the server: an operator's conversation so far comes with every keystroke's
    check). Thread-safe; Documents are only ever read once built (their lazy parts are
    idempotent)."""

    def __init__(self, size: int = 1024) -> None:
        from collections import OrderedDict
        from threading import Lock

        self.size = size
        self._docs: OrderedDict[str, Document] = OrderedDict()
        self._lock = Lock()

    def get(self, text: str) -> Document:
        with self._lock:
            doc = self._docs.get(text)
            if doc is not None:
                self._docs.move_to_end(text)
                return doc
        doc = Document(text)
        with self._lock:
            self._docs[text] = doc
            while len(self._docs) > self.size:
                self._docs.popitem(last=False)
        return doc

    def __len__(self) -> int:
        return len(self._docs)


_SHARED: ContextVar[tuple[DocumentCache | None, dict[str, Document]] | None] = ContextVar(
    "chatlint_shared_documents", default=None)


# Short texts repeat: a client's «Спасибо!», «Ок», «Здравствуйте», an operator's «Одну минуту,
# уточню информацию» come back thousands of times in an archive. Parsing one costs about what a
# long message's parse does per line (tokens, layout, sentences, lemmas: some 45 µs for 40
# characters), so each short text is parsed once per process and its document shared (a
# document is only ever read once built; its lazy parts are idempotent). Bounded: the most
# recently used SHORT_DOCUMENTS texts of at most SHORT_TEXT characters, a few KB each.
SHORT_TEXT = 200
SHORT_DOCUMENTS = 1024
_SHORT = DocumentCache(SHORT_DOCUMENTS)


# The word forms known to have no lexicon lemma (``morph.relevant_lemmas`` empty) for the
# lemmas registered at a generation of ``morph.keys_generation``: nearly every form of every
# message. ``Document.lemma_set`` asks ``relevant_lemmas`` only of the others, one set
# difference in C instead of one cached call per form. Bounded as the per-form caches are;
# replaced, never emptied in place, so a thread reading the old set still reads a whole one.
_no_lemmas: tuple[int, set[str]] = (-1, set())
_no_lemmas_lock = threading.Lock()


def _forget_no_lemmas(generation: int) -> tuple[int, set[str]]:
    """Lexicon lemmas were registered since: a form without any may have one now. Only ever
    forward: a thread still on an older generation leaves a newer set as it is (and gets it
    back; it may not read it for its own generation, see ``Document.lemma_set``)."""
    global _no_lemmas
    with _no_lemmas_lock:
        if _no_lemmas[0] < generation:
            _no_lemmas = (generation, set())
        return _no_lemmas


def _remember_no_lemmas(generation: int, forms) -> None:
    global _no_lemmas
    with _no_lemmas_lock:
        known_generation, known = _no_lemmas
        if known_generation != generation or len(forms) > WORD_FORMS:
            return  # lemmas registered meanwhile (the forms may have some now), or too many
        if len(known) + len(forms) > WORD_FORMS:
            _no_lemmas = (generation, set(forms))
        else:
            known.update(forms)


def parsed(text: str) -> Document:
    """``Document(text)``, or the one already parsed: a short text seen recently in this
    process, or any text when a :func:`sharing_documents` block is active in this context."""
    shared = _SHARED.get()
    if shared is None:
        return _SHORT.get(text) if len(text) <= SHORT_TEXT else Document(text)
    cache, transient = shared
    doc = transient.get(text)
    if doc is not None:
        return doc
    if cache is None:
        doc = transient[text] = Document(text)
        return doc
    return cache.get(text)


@contextmanager
def sharing_documents(cache: DocumentCache | None, transient: dict[str, Document] | None = None):
    """Within the block, :func:`parsed` (the engine's and the dialogue's parse of every
    message) reuses the documents of ``cache``, and those of ``transient`` — texts seen once,
    such as a draft being typed, shared within the block but kept out of the cache."""
    token = _SHARED.set((cache, transient if transient is not None else {}))
    try:
        yield cache
    finally:
        _SHARED.reset(token)
