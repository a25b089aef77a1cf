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
from bisect import bisect_left, bisect_right
from functools import cached_property
from typing import NamedTuple

import razdel

from . import morph
from .layout import Block, Line, ListItem, Sentence, build_blocks, split_lines

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

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"']+"
    r"|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:ru|com|net|org|su|io|me|info|biz|рф|ua|by|kz|pro|shop|online|app)"
    r"(?::\d+)?(?:/[^\s<>«»\"']*)?(?![\w@])",
    re.IGNORECASE,
)
_TLD_HINT = re.compile(r"\.(?:ru|com|net|org|su|io|me|info|biz|рф|ua|by|kz|pro|shop|online|app)(?!\w)", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Words after which «8)» is a number: «пункт 8)», «шаг 8)».
_NUMBERED_NOUNS = frozenset(
    "пункт пункта пункте пунктом п пп раздел раздела разделе шаг шага шаге вариант варианта "
    "статья статьи статье ст глава главы главе номер номера №".split()
)
_PAREN_RUN = re.compile(r"\(+|\)+")
_PLACEHOLDER = re.compile(r"\{[^{}\s]{1,40}\}")
_URL_TRAILING = ".,;:!?…»\"'"

# Text emoticons. Mouths may repeat («:)))»); «8)», «%)», «*)», «B)» need a space (or the
# start) before them so that «50%)», «пункт 8)» and footnote marks are not taken for faces.
_EMOTICON = re.compile(
    # Every branch starts with the character it consumes (so that the regex engine can skip
    # ahead by a character set) and checks what precedes it with a look-behind.
    r"[:;=](?<![\w:;=][:;=])['’]?-?(?:\)+|\(+|[DРP](?!\w)|[pр](?!\w)|\*|\|(?!\w)|\\(?!\w)|/(?![/\w])|3(?![\w\d])|[oOоО](?!\w))"
    r"|[xXхХ](?<!\w[xXхХ])-?[DД]+(?!\w)"
    r"|[%*8B](?<!\S[%*8B])-?\)+(?!\w)"
    r"|\^[_.]?\^"
    r"|[oOоО](?<!\w[oOоО])_[oOоО](?!\w)"
    r"|<(?<![\w<]<)3(?!\d)"
)


# Emoji live above U+203C (and in keycaps «1️⃣»); a cheap range scan finds candidates, and
# only their runs go to the emoji package, which knows every sequence exactly.
_EMOJI_CANDIDATE = re.compile(r"[\u203c-\u3299\U0001F000-\U0001FAFF]|[0-9#*]\ufe0f?\u20e3")
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


def _tokenize(text: str) -> list[tuple[int, int, str]]:
    """razdel's tokens as (start, end, text) tuples.

    ``razdel.tokenize(text)`` is ``find_substrings(segment(split(text)), text)``; taking the
    segmenter's chunks and locating them here, the same way, saves building one razdel
    ``Substring`` object per token on the hot path. Should razdel's segmenter change shape,
    the public call is used instead.
    """
    seg = razdel.tokenize
    if _RAZDEL_CHUNKS:
        out = []
        append = out.append
        find = text.find
        offset = 0
        for chunk in seg.segment(seg.split(text)):
            start = find(chunk, offset)
            offset = start + len(chunk)
            append((start, offset, chunk))
        return out
    return [(t.start, t.stop, t.text) for t in seg(text)]


_RAZDEL_CHUNKS = (
    callable(getattr(razdel.tokenize, "segment", None))
    and callable(getattr(razdel.tokenize, "split", None))
    and getattr(razdel.tokenize, "post", None) is None
)


def norm(word: str) -> str:
    """The matching form of a word: lower case with «ё» folded to «е»."""
    return word.lower().replace("ё", "е")


_LETTER = re.compile(r"[^\W\d_]")


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
            while e > s:
                if text[e - 1] in _URL_TRAILING:
                    e -= 1
                elif text[e - 1] == ")" and text.count("(", s, e) < text.count(")", s, e):
                    e -= 1  # «(см. https://x.ru/a)», «https://x.ru/a)))»: the brackets are not the link's
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
    def _opaque(self) -> list[tuple[int, int]]:
        """Sorted spans of links and e-mail addresses: not prose."""
        spans = sorted(self.links + self.emails)
        return spans

    def in_opaque(self, start: int, end: int | None = None) -> bool:
        """True when [start, end) overlaps a link or an e-mail address."""
        if end is None:
            end = start + 1
        for s, e in self._opaque:
            if s < end and start < e:
                return True
            if s >= end:
                break
        return False

    # ---- tokens and words

    @cached_property
    def tokens(self) -> list[tuple[int, int, str]]:
        """razdel tokens as (start, end, text)."""
        return _tokenize(self.text)

    @cached_property
    def words(self) -> list[Word]:
        text = self.text
        holders = [m.span() for m in _PLACEHOLDER.finditer(text)] if "{" in text else []
        opaque = self._opaque
        if not holders and not opaque:
            return self._plain_words()
        new = tuple.__new__
        out: list[Word] = []
        append = out.append
        hi = 0
        h = 0
        nh = len(holders)
        o = 0
        no = len(opaque)
        prev_end = -1
        for s, e, t in self.tokens:
            if s < hi:
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
                # razdel splits a word where the alphabet changes («Здр» «a» «вствуйте»): rejoin it
                s = out.pop()[0]
                t = text[s:e]
            append(new(Word, (s, e, t, t.lower().replace("ё", "е"), False)))
            prev_end = e
        return out

    def _plain_words(self) -> list[Word]:
        """``words`` for a text without links, e-mails and placeholders: the common case,
        kept tight because every message pays for it."""
        text = self.text
        new = tuple.__new__
        letter = _LETTER.search
        out: list[Word] = []
        append = out.append
        prev_end = -1
        for s, e, t in self.tokens:
            if not t.isalpha() and not letter(t):
                continue
            if prev_end == s and text[s - 1].isalpha():
                s = out.pop()[0]  # razdel split a word where the alphabet changes: rejoin it
                t = text[s:e]
            append(new(Word, (s, e, t, t.lower().replace("ё", "е"), False)))
            prev_end = e
        return out

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word's matching form, and each part of a hyphenated one: for quick rejects."""
        out = {w[3] for w in self.words}
        for n in [n for n in out if "-" in n]:
            out.update(n.split("-"))
        return frozenset(out)

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
        extra = [r for r in map(morph.relevant_lemmas, vocabulary) if r]
        out = vocabulary.union(*extra) if extra else vocabulary
        self.__dict__["_lemma_set"] = (generation, out)
        return out

    @cached_property
    def _word_starts(self) -> list[int]:
        return [w.start for w in self.words]

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
        for m in _EMOTICON.finditer(text):
            s, e = m.span()
            if self._opaque and self.in_opaque(s, e):
                continue
            t = m.group()
            if t[0] == "8" and self._looks_like_number_marker(s):
                continue
            if self.emoji and any(em.start < e and s < em.end for em in self.emoji):
                continue  # «:*️⃣»: the «*» belongs to a keycap emoji
            out.append(Smiley(s, e, t, "emoticon"))
        return out

    def _looks_like_number_marker(self, s: int) -> bool:
        """«8)» as a number, not a face: the eighth point of a list or of an inline
        enumeration («… 7) … 8) …»), a marker at the start of a line, or «пункт 8)»."""
        ln = self.lines[self.line_index(s)]
        before = self.text[ln.start : s]
        if not before.strip():
            return True
        if re.search(r"(?<!\S)\d{1,2}\)", before):
            return True
        prev = re.search(r"(\w+)\.?\s*$", before)
        return prev is not None and prev.group(1).lower() in _NUMBERED_NOUNS

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
        for cs, ce in self.chunks:
            stack: list[int] = []
            for m in _PAREN_RUN.finditer(text, cs, ce):
                i, j = m.span()
                if emoticons:  # a run may begin right after a face: «:)))» is one emoticon
                    for es, ee in emoticons:
                        if es <= i < ee:
                            i = ee
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
        out = set()
        for m in re.finditer(r"(?<!\S)(?:\d{1,2}|[а-яёa-z])\)", text, re.IGNORECASE):
            out.add(m.end() - 1)
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
        text = self.text
        out: list[Smiley] = []
        if text.isascii() and "\u20e3" not in text:
            return out
        first = None
        n = len(text)
        pos = 0
        for m in _EMOJI_CANDIDATE.finditer(text):
            i = m.start()
            if i < pos:
                continue
            if m.end() - i == 1:
                if first is None:
                    first = _emoji_first()
                ch = text[i]
                if ch not in first:
                    continue
                if ch < "\u2c00" and ch not in _EMOJI_PRESENTATION and text[i + 1 : i + 2] != "\ufe0f":
                    continue  # «™», «‼», «►», «✔» are text symbols unless asked to look like emoji
            j = m.end()
            while j < n and (text[j] in _EMOJI_JOINERS or (first is not None and text[j] in first)):
                j += 1
            import emoji as emoji_pkg

            for e in emoji_pkg.emoji_list(text[i:j]):
                out.append(Smiley(i + e["match_start"], i + e["match_end"], e["emoji"], "emoji"))
            pos = j
        return out

    @cached_property
    def smileys(self) -> list[Smiley]:
        """Every emoticon, bracket smiley and emoji, in text order."""
        out = self.emoticons + self.bracket_smileys + self.emoji
        out.sort(key=lambda s: s.start)
        return out


_QUOTED = re.compile(r"«[^«»\n]{1,120}»|\"[^\"\n]{1,120}\"|“[^“”\n]{1,120}”|„[^„“\n]{1,120}“")


def quoted_spans(doc: Document) -> list[tuple[int, int]]:
    """Spans of quoted text on one line («…», "…", “…”, „…“), quotes included, sorted."""
    return doc.memo(quoted_spans, _quoted_spans)


def _quoted_spans(doc: Document) -> list[tuple[int, int]]:
    text = doc.text
    if not any(q in text for q in "«\"“„"):
        return []
    return [m.span() for m in _QUOTED.finditer(text)]


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
