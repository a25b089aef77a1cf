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
    back to its full length afterwards: a million emoji cost what three do. (Every way here
    is linear; the short cut only pays on long texts, so a message of a few thousand
    characters is not scanned for such runs.)
    """
    if len(text) < _SHORT_CUT_FROM or _OTHER_RUN is None:
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
    """razdel's tokens: :func:`_tokenize_atoms` when razdel's tokenizer has the shape it reads,
    else :func:`_tokenize_split` (razdel's own split and rules)."""
    if _ATOMS is None:
        return _tokenize_split(text)
    return _tokenize_atoms(text)


def _tokenize_atoms(text: str) -> list[tuple[int, int, str]]:
    """razdel's tokens, from razdel's atoms and razdel's join rules, without its objects.

    ``razdel.tokenize`` builds an ``Atom`` for every letter run, digit run, punctuation mark
    or other character, a ``TokenSplit`` with lazily computed neighbours for every gap
    between two atoms (a space included), and asks each of its seven rules about every gap
    without a space. Most of a message's cost is those objects, not the decisions. Here the
    atoms are razdel's own ``ATOM`` matches (span and type), a gap with a space always splits
    (razdel's segmenter never asks the rules then), and the rules, which only ever *join*
    (so their order does not matter), are asked as one function of the same neighbours
    (:func:`_joins`). ``tests/test_linear.py`` compares the result with ``razdel.tokenize``
    on random text.
    """
    # (start, end, type): an atom's text is sliced only where a rule reads it (few gaps do)
    atoms = [m.span() + (m.lastgroup,) for m in _ATOMS(text)]
    out: list[tuple[int, int, str]] = []
    if not atoms:
        return out
    append = out.append
    joins = _joins
    plain = _PLAIN
    start, end, ltype = atoms[0]
    for i in range(1, len(atoms)):
        s, e, rtype = atoms[i]
        if s == end and (ltype not in plain or rtype not in plain) and joins(atoms, i, text, start):
            end = e
        else:
            append((start, end, text[start:end]))
            start, end = s, e
        ltype = rtype
    append((start, end, text[start:end]))
    return out


def _joins(atoms: list, i: int, text: str, start: int) -> bool:
    """razdel's seven token rules (dash, underscore, float, fraction, punct, other, yahoo) for
    the gap without a space before ``atoms[i]``; ``start`` is where the token being grown
    began (razdel's ``split.buffer``). Neighbours are taken three atoms either side, spaces
    or not, as razdel's ``TokenSplit`` does."""
    ls, le, lt = atoms[i - 1]
    rs, re_, rt = atoms[i]
    lx = text[ls:le]
    rx = text[rs:re_]
    # the 2112 rules: a delimiter atom on one side, the atoms around it must fit
    for delims, kind in _RULES_2112:
        if lx in delims:
            left = atoms[i - 2] if i >= 2 else None
            right = atoms[i]
        elif rx in delims:
            left = atoms[i - 1]
            right = atoms[i + 1] if i + 1 < len(atoms) else None
        else:
            continue
        if left is None or right is None:
            continue
        if kind == "int":
            if left[2] == "INT" and right[2] == "INT":
                return True
        elif left[2] != "PUNCT" and right[2] != "PUNCT":
            return True
    if lt == "PUNCT" and rt == "PUNCT":
        if atoms[i][0] - start < 5 and _SMILE.match(text[start : atoms[i][1]]):
            return True
        if lx in _ENDINGS and rx in _ENDINGS:
            return True
        if lx + rx in ("--", "**"):
            return True
    if lt == "OTHER" and rt in ("OTHER", "RU", "LAT"):
        return True
    if lt in ("OTHER", "RU", "LAT") and rt == "OTHER":
        return True
    return rx == "!" and lx.lower() == "yahoo"


def _atom_rules():
    """razdel's atom pattern and the constants its rules use, checked against the shape this
    module reads; None when razdel changed (then its own split and rules are used)."""
    try:
        rt = importlib.import_module("razdel.segmenters.tokenize")
        names = [getattr(r, "name", None) for r in rt.RULES]
        if names != ["dash", "underscore", "float", "fraction", "punct", "other", "yahoo"]:
            return None
        return rt.ATOM.finditer, rt.SMILE, rt.DASHES, rt.ENDINGS
    except (ImportError, AttributeError):  # pragma: no cover - razdel changed shape
        return None


def _tokenize_split(text: str) -> list[tuple[int, int, str]]:
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


def punctuation() -> tuple[str, str] | None:
    """razdel's marks (its PUNCT atoms) and, among them, its dashes; None when razdel does not
    expose them or its token rules changed (a caller then reads razdel's tokens instead)."""
    if _ATOM_RULES is None:
        return None
    rt = importlib.import_module("razdel.segmenters.tokenize")
    puncts = getattr(rt, "PUNCTS", None)
    return (puncts, rt.DASHES) if isinstance(puncts, str) else None


_OTHER_RUN = _other_run()
_SHORT_CUT_FROM = 4096  # characters

_ATOM_RULES = _atom_rules()
if _ATOM_RULES is None:  # pragma: no cover - razdel changed shape
    _ATOMS = None
else:
    _ATOMS, _SMILE, _DASHES, _ENDINGS = _ATOM_RULES
    # (delimiters, what must stand around them): razdel's DashRule, UnderscoreRule (any
    # non-punctuation atoms), FloatRule and FractionRule (digits on both sides)
    _RULES_2112 = ((_DASHES, "word"), (("_",), "word"), ((".", ","), "int"), (("/", "\\"), "int"))
# atom types between which no rule can join (a letter run next to a digit run, ...)
_PLAIN = frozenset(("RU", "LAT", "INT"))

_RAZDEL_CHUNKS = (
    callable(getattr(razdel.tokenize, "segment", None))
    and callable(getattr(razdel.tokenize, "split", None))
    and callable(getattr(razdel.tokenize, "join", None))
    and getattr(razdel.tokenize, "post", None) is None
)


def sentenize(text: str) -> list[tuple[int, int]]:
    """razdel's sentences of ``text`` as (start, end): :func:`_sentenize_direct` when
    razdel's sentenizer has the shape it reads, else :func:`_sentenize_split`."""
    if _SENT is None:
        return _sentenize_split(text)
    return _sentenize_direct(text)


def _sentenize_direct(text: str) -> list[tuple[int, int]]:
    """razdel's sentences from razdel's own delimiter pattern and rules, without its objects.

    ``razdel.sentenize`` builds a ``SentSplit`` for every candidate boundary (an ending, a
    closing quote or bracket, «;», a smiley) and asks eleven rules, through lazily computed
    properties, whether to join. The rules only ever *join* (so their order does not
    matter); here they are one function (:func:`_sent_joins`) of the same ten-character
    windows either side and of the sentence grown so far. Linear in the text: the one rule
    that reads the whole sentence (``list_item``) gives up past 20 characters.
    ``tests/test_linear.py`` compares the result with ``razdel.sentenize`` on random text.
    """
    chunks: list[tuple[int, int]] = []
    begin = 0  # where the sentence being grown begins (razdel's ``buffer``)
    joins = _sent_joins
    for m in _SENT.finditer(text):
        start, stop = m.span()
        if not joins(text, start, stop, m.group(1), begin):
            chunks.append((begin, stop))
            begin = stop
    chunks.append((begin, len(text)))
    out: list[tuple[int, int]] = []
    find = text.find
    offset = 0
    for a, b in chunks:
        chunk = text[a:b].strip()
        start = find(chunk, offset)
        offset = start + len(chunk)
        out.append((start, offset))
    return out


def _sent_joins(text: str, start: int, stop: int, delimiter: str, begin: int) -> bool:
    """razdel's sentence rules for the candidate boundary ``text[start:stop]``."""
    right = text[stop : stop + 10]
    # no text after the mark (empty_side) or no space after it (no_space_prefix): joined,
    # whatever else holds (every rule only joins)
    if not right or not _SPACE_PREFIX.match(right):
        return True
    left = text[max(0, start - 10) : start]
    m = _LAST_TOKEN.search(left)
    left_token = m.group(1) if m else None
    m = _FIRST_TOKEN.match(right)
    right_token = m.group(1) if m else None
    if not left_token or not right_token:  # empty_side
        return True
    if right_token.isalpha() and right_token.islower():  # lower_right
        return True
    if right_token not in _GENERIC_QUOTES and (  # delimiter_right
        right_token in _DELIMITERS or _SMILE_PREFIX.match(right)
    ):
        return True
    if delimiter == ".":
        if _sokr_left(left, left_token, right_token):  # sokr_left
            return True
        if (left_token.lower(), right_token.lower()) in _PAIR_SOKRS:  # inside_pair_sokr
            return True
        if (left_token.isupper() and len(left_token) == 1) or left_token.lower() in _INITIALS:
            return True  # initials_left
    if delimiter in _BULLET_BOUNDS and start - begin <= _BULLET_SIZE:  # list_item
        if all(_is_bullet(t) for t in _SENT_TOKEN.findall(text, begin, start)):
            return True
    if delimiter in _QUOTES:  # close_quote
        if delimiter in _CLOSE_QUOTES:
            if left_token not in _ENDINGS_S:
                return True
        elif delimiter in _GENERIC_QUOTES:
            if _SPACE_SUFFIX.search(left) or left_token not in _ENDINGS_S:
                return True
    if delimiter in _CLOSE_BRACKETS and left_token not in _ENDINGS_S:  # close_bracket
        return True
    if right_token in _DASHES_S:  # dash_right
        m = _WORD.search(right)
        if m and m.group(1).isalpha() and m.group(1).islower():
            return True
    return False


def _sokr_left(left: str, left_token: str, right_token: str) -> bool:
    m = _PAIR_SOKR.search(left)
    if m:
        a, b = m.groups()
        pair = a.lower(), b.lower()
        if pair in _HEAD_PAIR_SOKRS:
            return True
        if pair in _PAIR_SOKRS:
            return _is_sokr(right_token)
    lower = left_token.lower()
    if lower in _HEAD_SOKRS:
        return True
    return lower in _SOKRS and _is_sokr(right_token)


def _sentence_rules():
    """razdel's sentence splitter and rule constants, checked against the shape
    :func:`_sent_joins` reads; None when razdel changed (its own split is used then)."""
    try:
        rs = importlib.import_module("razdel.segmenters.sentenize")
        names = [getattr(r, "name", None) for r in rs.RULES]
        if names != [
            "empty_side", "no_space_prefix", "lower_right", "delimiter_right", "sokr_left",
            "inside_pair_sokr", "initials_left", "list_item", "close_quote", "close_bracket",
            "dash_right",
        ]:  # fmt: skip
            return None
        splitter = rs.sentenize.split
        if splitter.window != 10 or splitter.pattern != rs.DELIMITER or rs.BULLET_BOUNDS != ".)":
            return None
        return rs
    except (ImportError, AttributeError):  # pragma: no cover - razdel changed shape
        return None


def _sentenize_split(text: str) -> list[tuple[int, int]]:
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


_RS = _sentence_rules()
if _RS is None:  # pragma: no cover - razdel changed shape
    _SENT = None
else:
    _SENT = re.compile(_RS.DELIMITER, re.U)
    _LAST_TOKEN, _FIRST_TOKEN, _SENT_TOKEN = _RS.LAST_TOKEN, _RS.FIRST_TOKEN, _RS.TOKEN
    _WORD, _PAIR_SOKR, _SMILE_PREFIX = _RS.WORD, _RS.PAIR_SOKR, _RS.SMILE_PREFIX
    _SPACE_PREFIX, _SPACE_SUFFIX = _RS.SPACE_PREFIX, _RS.SPACE_SUFFIX
    _GENERIC_QUOTES, _DELIMITERS, _QUOTES = _RS.GENERIC_QUOTES, _RS.DELIMITERS, _RS.QUOTES
    _CLOSE_QUOTES, _CLOSE_BRACKETS = _RS.CLOSE_QUOTES, _RS.CLOSE_BRACKETS
    _ENDINGS_S, _DASHES_S = _RS.ENDINGS, _RS.DASHES
    _HEAD_SOKRS, _SOKRS, _HEAD_PAIR_SOKRS, _PAIR_SOKRS = _RS.HEAD_SOKRS, _RS.SOKRS, _RS.HEAD_PAIR_SOKRS, _RS.PAIR_SOKRS
    _INITIALS, _BULLET_BOUNDS, _BULLET_SIZE = _RS.INITIALS, _RS.BULLET_BOUNDS, _RS.BULLET_SIZE
    _is_bullet, _is_sokr = _RS.is_bullet, _RS.is_sokr
