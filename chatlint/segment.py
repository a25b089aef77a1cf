"""razdel's tokens and sentences in time linear in the text.

razdel's segmenters grow the current token or sentence by string concatenation while the
split object keeps a reference to the old buffer, so a long token (a run of emoji, «!!!…»)
or a long stretch without a sentence end («:):):)…») costs the square of its length. The
loops here make the same decisions with razdel's own rules (``tests/test_linear.py``
compares them with razdel on random text), and fall back to razdel's public calls should
its segmenters change shape. A leaf module: the Document and the layout both use it.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_right

import razdel


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """razdel's tokens as (start, end, text) tuples, in time linear in the text.

    razdel spends a few microseconds on every atom (a letter run, a digit run, a punctuation
    mark, any other character). A run of "other" characters (emoji, symbols, letters of
    other scripts; see ``_OTHER_RUN``) always joins into one token, and razdel's rules only
    look at the *type* of an atom there, never at its text, three atoms either side at most.
    So each run longer than three is tokenised as its first three characters and stretched
    back to its full length afterwards: a million emoji cost what three do.
    """
    if len(text) < 64 or _OTHER_RUN is None:
        return _tokenize_razdel(text)
    runs = [m.span() for m in _OTHER_RUN.finditer(text)]
    if not runs:
        return _tokenize_razdel(text)
    parts = []
    ends = []  # end of each shortened run in the short text
    shifts = [0]  # characters removed by the runs up to and including each one
    pos = 0
    removed = 0
    for s, e in runs:
        parts.append(text[pos : s + 3])
        ends.append(s + 3 - removed)
        removed += e - s - 3
        shifts.append(removed)
        pos = e
    parts.append(text[pos:])
    out = []
    for s, e, _t in _tokenize_razdel("".join(parts)):
        s += shifts[bisect_right(ends, s)]
        e += shifts[bisect_right(ends, e)]
        out.append((s, e, text[s:e]))
    return out


def _tokenize_razdel(text: str) -> list[tuple[int, int, str]]:
    """razdel's tokens, with razdel's segmenting loop made linear.

    ``razdel.tokenize(text)`` is ``find_substrings(segment(split(text)), text)``. Its
    ``segment`` grows a token by string concatenation (``buffer += right``) while the split
    object keeps a reference to the old buffer, so a long token (a run of emoji, «!!!…»,
    «а-б-в-…») costs the square of its length. This loop makes the same decisions with the
    same rules, but keeps the token as a list of pieces: the only rule that reads the buffer
    (``punct``: does ``buffer + right`` form a smiley such as «:-)»?) gets the buffer itself
    while it is short, else its first few characters, which cannot make a smiley either (a
    smiley is at most five characters). Should razdel's segmenter change shape, the public
    call is used instead.
    """
    seg = razdel.tokenize
    if not _RAZDEL_CHUNKS:
        return [(t.start, t.stop, t.text) for t in seg(text)]
    out: list[tuple[int, int, str]] = []
    append = out.append
    find = text.find
    join = seg.join
    parts = seg.split(text)
    offset = 0
    first = next(parts, None)
    if first is None:
        return out
    pieces = [first]
    size = len(first)
    head = None  # the first 8 characters of a long buffer, taken once
    for split in parts:
        right = next(parts)
        if not split.delimiter:
            if len(pieces) == 1:
                split.buffer = pieces[0]
            elif size <= 8:
                split.buffer = "".join(pieces)
            else:
                if head is None:
                    head = "".join(pieces)[:8]
                split.buffer = head
            if join(split):
                pieces.append(right)
                size += len(right)
                continue
        chunk = pieces[0] if len(pieces) == 1 else "".join(pieces)
        start = find(chunk, offset)
        offset = start + len(chunk)
        append((start, offset, chunk))
        pieces = [right]
        size = len(right)
        head = None
    chunk = pieces[0] if len(pieces) == 1 else "".join(pieces)
    start = find(chunk, offset)
    append((start, start + len(chunk), chunk))
    return out


def _other_run() -> re.Pattern | None:
    """Runs of four or more characters that razdel's tokenizer reads as "other" atoms (not
    Cyrillic or Latin letters, digits, punctuation or space), built from razdel's own
    classes and flags so that the two agree; None when razdel does not expose them."""
    try:
        rt = importlib.import_module("razdel.segmenters.tokenize")
    except ImportError:  # pragma: no cover - razdel changed shape
        return None
    if "(?P<OTHER>\\S)" not in rt.ATOM.pattern or not isinstance(getattr(rt, "PUNCTS", None), str):
        return None  # pragma: no cover
    return re.compile(r"[^\sа-яёa-z\d" + re.escape(rt.PUNCTS) + r"]{4,}", re.IGNORECASE | re.UNICODE)


_OTHER_RUN = _other_run()

_RAZDEL_CHUNKS = (
    callable(getattr(razdel.tokenize, "segment", None))
    and callable(getattr(razdel.tokenize, "split", None))
    and callable(getattr(razdel.tokenize, "join", None))
    and getattr(razdel.tokenize, "post", None) is None
)


def sentenize(text: str) -> list[tuple[int, int]]:
    """razdel's sentences of ``text`` as (start, end), in time linear in the text.

    The same decisions as ``razdel.sentenize``, whose ``segment`` rebuilds the growing
    sentence with ``buffer + delimiter + right`` at every candidate boundary (the square of
    the sentence's length for a text of many «:)» or «...»). The only rule that reads the
    buffer (``list_item``) first checks that it is at most 20 characters long, so a longer
    buffer is passed as its first 21 characters.
    """
    seg = razdel.sentenize
    if not _RAZDEL_SENTENCES:
        return [(s.start, s.stop) for s in seg(text)]
    out: list[tuple[int, int]] = []
    join = seg.join
    parts = seg.split(text)
    first = next(parts, None)
    if first is None:
        return out
    chunks: list[str] = []
    pieces = [first]
    size = len(first)
    head = None  # the first 21 characters of a long buffer, taken once
    for split in parts:
        right = next(parts)
        if size <= 21:
            split.buffer = "".join(pieces)
        else:
            if head is None:
                head = "".join(pieces)[:21]
            split.buffer = head
        if join(split):
            pieces.append(split.delimiter)
            pieces.append(right)
            size += len(split.delimiter) + len(right)
        else:
            pieces.append(split.delimiter)
            chunks.append("".join(pieces))
            pieces = [right]
            size = len(right)
            head = None
    chunks.append("".join(pieces))
    find = text.find
    offset = 0
    for chunk in chunks:
        chunk = chunk.strip()
        start = find(chunk, offset)
        offset = start + len(chunk)
        out.append((start, offset))
    return out


_RAZDEL_SENTENCES = (
    callable(getattr(razdel.sentenize, "split", None))
    and callable(getattr(razdel.sentenize, "join", None))
    and callable(getattr(razdel.sentenize, "post", None))
)
