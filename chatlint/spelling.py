"""Spelling: which word forms are known, and the best correction of an unknown one.

Known words are, in this order: pymorphy3's dictionary; the support-domain vocabulary of
``rules/lexicons/spelling.toml`` and the project's own ``dictionary`` words, each with every
form of its pymorphy3 paradigm («постамат» → «постаматах»); units and short forms («гб»,
«руб»); hyphenated words whose parts are known or are particles («какой-нибудь», «кое-что»,
«интернет-магазин»); and a productive prefix over a known word («видеоредакторов»,
«перезайти»).

Suggestions come from a weighted edit distance, searched rather than indexed: every form
one edit away is looked up in pymorphy3's DAWG (about 2 µs a look-up), and so is every form
one edit away from a *cheap* first edit (a doubled letter, an unstressed vowel, a silent
consonant, «ь» before «ся»…). Keyboard-adjacent keys (ЙЦУКЕН) and sound-alike letters cost
less than other substitutions. A correction is *confident* when it costs at most
``CONFIDENT`` and beats every other candidate by ``MARGIN``. Results are cached per word form
and everything loads on first use: a message whose words are all known never builds the
vocabulary.

Libraries: symspellpy would need its delete index built over the whole vocabulary (five
million pymorphy3 forms: seconds and hundreds of MB at start-up), where a search costs
about 30 ms a new unknown word, once. Word frequencies come from wordfreq's small Russian list
(61,000 forms, Zipf 3 and above): they rank candidates («пути» before the rare «путли»)
and raise recall on ``benchmarks/spelling.py`` from 0.83 to 0.91. They never make a word
known: the list holds common misspellings («вообщем» at Zipf 3.0) and lacks most domain
words, so it can tell what is likely, not what is right.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, repeat

from . import morph
from .caches import WORD_FORMS
from .compiled import regex
from .resources import lexicon

ALPHABET = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
CONFIDENT = 1.05  # the most a confident correction may cost
MARGIN = 0.15  # how much cheaper than the runner-up it must be
NEAR_MARGIN = 0.02  # … for a very frequent word
_CHEAP = 0.55  # a cheap edit
_SECOND = 0.45  # first edits cheap enough to take a second edit after them
_MAX_TOTAL = 1.25

_CYRILLIC_WORD = regex(r"[а-яё]+(?:-[а-яё]+)*")

# ЙЦУКЕН neighbours (same row and the rows above and below, one key apart)
_ROWS = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")


def _neighbours() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {c: set() for c in ALPHABET}
    for r, row in enumerate(_ROWS):
        for i, c in enumerate(row):
            for rr in (r - 1, r, r + 1):
                if 0 <= rr < len(_ROWS):
                    other = _ROWS[rr]
                    for j in (i - 1, i, i + 1) if rr != r else (i - 1, i + 1):
                        if 0 <= j < len(other) and other[j] != c:
                            out[c].add(other[j])
    return out


_ADJACENT = _neighbours()

# Letters that sound alike or that operators confuse, with the cost of one for the other.
_SOUND: dict[tuple[str, str], float] = {}
for _pair, _cost in {
    "ао": 0.45, "еи": 0.45, "ея": 0.5, "ия": 0.55, "ыи": 0.5, "еэ": 0.45, "ий": 0.35, "шщ": 0.4,
    "ьъ": 0.35, "зс": 0.5, "дт": 0.5, "бп": 0.5, "вф": 0.5, "гк": 0.5, "жш": 0.5, "цс": 0.6,
    "юу": 0.55, "ёо": 0.45, "чщ": 0.55, "ёе": 0.1,
}.items():
    _SOUND[(_pair[0], _pair[1])] = _SOUND[(_pair[1], _pair[0])] = _cost

_VOWELS = set("аеёиоуыэюя")
# a consonant written in a cluster but not pronounced: «здра(в)ствуйте», «поз(д)но», «чес(т)но»,
# «со(л)нце»: (the letter, what must precede it, what must follow it)
_SILENT = {"в": ("", "ств"), "д": ("з", "н"), "т": ("с", "н"), "л": ("о", "нц")}


def _sub_cost(a: str, b: str) -> float:
    cost = _SOUND.get((a, b))
    if cost is not None:
        return cost
    return 0.7 if b in _ADJACENT.get(a, ()) else 1.0


def _sub_row(c: str) -> tuple[tuple[str, float], ...]:
    """(letter, cost of writing it for ``c``) for every other letter of the alphabet, in order."""
    row = _SUB_ROWS.get(c)
    if row is None:
        row = _SUB_ROWS[c] = tuple((b, _sub_cost(c, b)) for b in ALPHABET if b != c)
    return row


_SUB_ROWS: dict[str, tuple[tuple[str, float], ...]] = {}


def edits(word: str, upto: int | None = None, spent: float | None = None, total: float = _MAX_TOTAL):
    """(variant, cost) for every variant of ``word`` one weighted edit away; with ``upto``,
    only the edits at positions up to it (a variant keeps ``word``'s letters before its edit);
    with ``spent`` (the cost of an edit made before), only the variants that stay within
    ``total`` (``_MAX_TOTAL``) in all and whose letters up to their edit start some known word
    (the others cannot be corrections).

    The letters a substitution or an insertion may write are read from rows made once (a
    letter's substitutes, an insertion's costs at a position), those too dear for ``total``
    left out before their prefix is looked up; tests/test_suggest_paths.py compares the
    variants with those of the letter-by-letter generator."""
    n = len(word)
    last = n if upto is None else min(n, upto + 1)
    bounded = spent is not None
    known = _known_prefix
    if bounded:
        affordable = frozenset(x for x in _EDIT_COSTS if spent + x <= total)
    for i in range(last):
        c = word[i]
        head = word[:i]
        tail = word[i + 1 :]
        cost = _deletion_cost(word, i)
        if not bounded or spent + cost <= total:
            yield head + tail, cost
        # substitution
        if not bounded:
            for b, cost in _sub_row(c):
                yield head + b + tail, cost
        else:
            for b, cost in _affordable_subs(c, affordable):
                if i and not known(head + b):
                    continue
                yield head + b + tail, cost
        # transposition
        if i + 1 < n and word[i + 1] != c and (not bounded or spent + 0.6 <= total):
            yield head + word[i + 1] + c + word[i + 2 :], 0.6
    for i in range(n + 1 if upto is None else min(n, upto) + 1):
        head = word[:i]
        rest = word[i:]
        for b, cost in _insertions(word, i):
            if bounded and (cost not in affordable or (i and not known(head + b))):
                continue
            yield head + b + rest, cost


# every cost an edit of one letter can have (tests/test_suggest_paths.py checks the rows)
_EDIT_COSTS = frozenset({0.35, 0.4, 0.45, 0.6, 0.7, 0.75, 0.85, 1.0, *_SOUND.values()})


def _affordable_subs(c: str, affordable: frozenset[float]) -> tuple[tuple[str, float], ...]:
    """The entries of ``_sub_row(c)`` whose cost is one of ``affordable``, in order."""
    key = (c, affordable)
    row = _AFFORDABLE.get(key)
    if row is None:
        if len(_AFFORDABLE) > 4096:
            _AFFORDABLE.clear()
        row = _AFFORDABLE[key] = tuple(x for x in _sub_row(c) if x[1] in affordable)
    return row


_AFFORDABLE: dict[tuple[str, frozenset[float]], tuple[tuple[str, float], ...]] = {}


def _insertions(word: str, i: int) -> tuple[tuple[str, float], ...]:
    """(letter, cost) of every insertion into ``word`` before position ``i``, in the
    alphabet's order: a doubled letter written single, «ь» of «-ться», a silent consonant,
    «ь» and «ъ», any other letter left out. Only the first four depend on the position: the
    row is the plain one (made once) with those letters' costs put in."""
    n = len(word)
    left = word[i - 1] if i > 0 else ""
    right = word[i] if i < n else ""
    special: dict[str, float] = {}
    if word.startswith("ся", i):
        special["ь"] = 0.35  # «-тся» for «-ться»
    for b, (before, after) in _SILENT.items():
        if word.startswith(after, i) and word[:i].endswith(before):
            special[b] = 0.4
    if left:
        special[left] = 0.4  # a doubled letter written single: «колонна», «касса»
    if right:
        special[right] = 0.4
    if not special:
        return _PLAIN_INSERTIONS
    return tuple((b, special.get(b, cost)) for b, cost in _PLAIN_INSERTIONS)


_PLAIN_INSERTIONS = tuple((b, 0.6 if b in "ьъ" else 0.75) for b in ALPHABET)


def _deletion_cost(word: str, i: int) -> float:
    """What leaving out ``word[i]`` costs: a doubled letter, «ь» and «ъ» are cheap to have
    typed in excess (the «ь» of «-ться» cheapest)."""
    c = word[i]
    if (i > 0 and word[i - 1] == c) or (i + 1 < len(word) and word[i + 1] == c):
        return 0.4
    if c in "ьъ":
        return 0.45 if word.startswith("ся", i + 1) else 0.6
    return 0.85


def _cheap_edits(word: str, most: float = _SECOND):
    """The variants of :func:`edits` (every position) that cost at most ``most`` (below 0.6),
    in its order, made without the others: a doubled letter or «ь» of «-ться» typed in
    excess, a sound-alike letter, a letter written once for twice, «ь» of «-ться» or a silent
    consonant left out."""
    assert most < 0.6  # dearer edits (a transposition, other letters) are not made here
    n = len(word)
    for i in range(n):
        c = word[i]
        head = word[:i]
        tail = word[i + 1 :]
        cost = _deletion_cost(word, i)
        if cost <= most:
            yield head + tail, cost
        for b, cost in _cheap_subs(c, most):
            yield head + b + tail, cost
    for i in range(n + 1):
        head = word[:i]
        rest = word[i:]
        for b, cost in _insertions(word, i):
            if cost <= most:
                yield head + b + rest, cost


@lru_cache(maxsize=256)
def _cheap_subs(c: str, most: float) -> tuple[tuple[str, float], ...]:
    return tuple(x for x in _sub_row(c) if x[1] <= most)


# ------------------------------------------------------------------ data


@dataclass(frozen=True, slots=True)
class Data:
    lemmas: dict[str, tuple[str, ...]]  # the domain lemmas by their first two letters
    prefixes: tuple[str, ...]
    hyphen_suffixes: frozenset[str]
    hyphen_prefixes: frozenset[str]
    abbreviations: frozenset[str]
    misspellings: dict[str, str]
    during_next: frozenset[str]


def _fold(w: str) -> str:
    return w.lower().replace("ё", "е")


@lru_cache(maxsize=1)
def data() -> Data:
    raw = lexicon("spelling")
    by_head: dict[str, list[str]] = {}
    for w in sorted({_fold(w) for ws in raw["vocabulary"].values() for w in ws}):
        by_head.setdefault(w[:2], []).append(w)
    return Data(
        lemmas={k: tuple(v) for k, v in by_head.items()},
        prefixes=tuple(sorted({_fold(p) for p in raw["prefixes"]["words"]}, key=len, reverse=True)),
        hyphen_suffixes=frozenset(_fold(w) for w in raw["hyphen"]["suffixes"]),
        hyphen_prefixes=frozenset(_fold(w) for w in raw["hyphen"]["prefixes"]),
        abbreviations=frozenset(_fold(w) for w in raw["abbreviations"]["words"]),
        misspellings={_fold(k): v for k, v in raw["misspellings"].items()},
        during_next=frozenset(_fold(w) for w in raw["during"]["next"]),
    )


@lru_cache(maxsize=1024)
def _vocabulary_by_head(head: str) -> frozenset[str]:
    """Every form of the domain lemmas that start with ``head`` (two letters): from the forms
    shipped with the lexicon (``FORMS_FILE``) when they were made from this lexicon with this
    dictionary, else from the paradigms, a group at a time, on first need (all of them take a
    quarter of a second, and a suggestion's search asks for most groups)."""
    shipped = _shipped_forms()
    if shipped is not None:
        return shipped.get(head, frozenset())
    return _built_forms(head)


def _built_forms(head: str) -> frozenset[str]:
    out: set[str] = set()
    for lemma in data().lemmas.get(head, ()):
        out |= forms_of(lemma)
    return frozenset(out)


# The vocabulary's forms, generated from lexicons/spelling.toml and pymorphy3's dictionary
# (python -m chatlint.spelling writes it; tests/test_suggest_paths.py checks it is current).
FORMS_FILE = "lexicons/spelling-forms.txt"


def _forms_header() -> str:
    """What the shipped forms were made from: the lexicon's digest, the dictionary's revision
    and build, pymorphy3's version."""
    import pymorphy3

    meta = morph.analyzer().dictionary.meta
    return (f"# chatlint spelling vocabulary forms: lexicon {_lexicon_digest()}, dictionary "
            f"{meta.get('source_revision')} {meta.get('compiled_at')}, pymorphy3 {pymorphy3.__version__}")


def _lexicon_digest() -> str:
    import hashlib

    from .resources import rules_dir

    return hashlib.sha256((rules_dir() / "lexicons" / "spelling.toml").read_bytes()).hexdigest()[:16]


def forms_text() -> str:
    """The content of ``FORMS_FILE`` for this lexicon and dictionary: the forms of each group
    that start with its two letters (the others — «побезналичнее» of «безналичный» — are never
    looked up in that group, which is where a form's own first two letters lead)."""
    forms = sorted({f for head in data().lemmas for f in _built_forms(head) if f[:2] == head})
    return "\n".join([_forms_header(), *forms]) + "\n"


@lru_cache(maxsize=1)
def _shipped_forms() -> dict[str, frozenset[str]] | None:
    from .resources import rules_dir

    try:
        lines = (rules_dir() / FORMS_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):  # missing or damaged: build the paradigms instead
        return None
    if not lines or lines[0] != _forms_header():
        return None  # made from another lexicon or dictionary: build the paradigms instead
    by_head: dict[str, set[str]] = {}
    for form in lines[1:]:
        by_head.setdefault(form[:2], set()).add(form)
    return {head: frozenset(forms) for head, forms in by_head.items()}



def in_vocabulary(form: str) -> bool:
    """``form`` is a form of a word of the support-domain vocabulary."""
    return form in _vocabulary_by_head(form[:2])


# ------------------------------------------------------------------ word frequencies

_FREQ_LOCK = threading.Lock()
_freq: dict[bytes, float] | _Stored | None = None  # by the UTF-8 of the folded form


def zipf(word: str) -> float:
    """The word's Zipf frequency in modern Russian (wordfreq's small list: 61,000 forms at
    3.0 and above), 0.0 when the list does not have it or wordfreq is not installed.

    The list is read from wordfreq's data file without importing wordfreq itself (its import
    costs 0.4 s; the file 0.1 s), through wordfreq's API if the file is not where it was."""
    global _freq
    if _freq is None:
        with _FREQ_LOCK:
            if _freq is None:
                _freq = _load_frequencies()
    try:
        return _freq.get(word.encode(), 0.0)
    except UnicodeError:  # a lone surrogate: no word of the list
        return 0.0


def _frequencies_from_buckets(buckets: list[list[str]]) -> dict[str, float]:
    """Zipf frequency by folded form from wordfreq's buckets (one a centibel, the most frequent
    first): a form in several buckets after folding («ёлка», «елка») keeps its highest. Built
    from the least frequent bucket up, each bucket added in C: as it is when it is lower case
    (wordfreq's are) with its few «ё» words folded after, else folded as one string (61,000
    forms in ~10 ms rather than ~50)."""
    out: dict[str, float] = {}
    for centibels in range(len(buckets) - 1, -1, -1):
        words = buckets[centibels]
        if not words:
            continue
        zipf = 9.0 - centibels / 100
        joined = "\n".join(words)
        if joined == joined.lower():  # as wordfreq gives them: only the «ё» words to fold
            out.update(dict.fromkeys(words, zipf))
            if "ё" in joined:
                yo = [w for w in words if "ё" in w]
                for w in yo:
                    out.pop(w, None)
                out.update(dict.fromkeys([w.replace("ё", "е") for w in yo], zipf))
            continue
        if joined.count("\n") == len(words) - 1:  # no word holds a line break: fold them as one
            folded = joined.lower().replace("ё", "е").split("\n")
        else:
            folded = [_fold(w) for w in words]
        out.update(dict.fromkeys(folded, zipf))
    return out


_YO, _YE = "ё".encode(), "е".encode()


class _Frequencies(dict):
    """Zipf frequency by the UTF-8 of a folded form; ``tops``: the highest of the forms of
    each length in bytes, for the lengths where it is above ``_FLAT`` (None until
    :func:`_tops` works it out)."""

    __slots__ = ("tops",)

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.tops: dict[int, float] | None = None


def _tops(freq: dict[bytes, float]) -> dict[int, float]:
    """The highest frequency of the list's forms of each length in bytes, where it is above
    ``_FLAT`` (a penalty's floor is the same for all lengths below)."""
    tops = getattr(freq, "tops", None)
    if tops is None:
        tops = {}
        for form, z in freq.items():
            if _above_flat(z) and z > tops.get(len(form), 0.0):
                tops[len(form)] = z
        if isinstance(freq, _Frequencies):
            freq.tops = tops
    return tops


def _above_flat(z: float) -> bool:
    """A word this frequent may gain more than a rarer form of a frequent word can (0.25)."""
    return -0.12 * (z - 3.0) < -0.25


def _frequencies_from_packed(buckets: list[list[bytes]]) -> dict[bytes, float]:
    """:func:`_frequencies_from_buckets` keyed by UTF-8, from the buckets as msgpack gives them
    undecoded: no string object for each of the 61,000 forms (msgpack's decoding and the
    dictionary of strings were 25 of the 30 ms the list cost a process, where a run looks up
    a few dozen words). The words are checked as one text: when they are all lower case (as
    wordfreq gives them), the buckets are taken as they are, the least frequent first (so that
    a form keeps its highest bucket), and the few «ё» words (372) are found in the text and
    folded after, each keeping the highest bucket of the forms it folds with; else (or when a
    bucket with «ё» has a word with a line break) the words are decoded and folded as
    :func:`_frequencies_from_buckets` does. Invalid UTF-8 raises UnicodeDecodeError, a bucket
    of anything but strings TypeError."""
    joined = [b"\n".join(words) for words in buckets]
    everything = b"\n".join(joined)
    text = everything.decode()
    # no capital (nor title-case letter): nothing lower() changes (every letter it changes is
    # one, tests/test_suggest_paths.py checks over all of Unicode); islower() does not copy
    if not text.islower() and text != text.lower():
        return _decoded(buckets)
    out = _Frequencies(zip(chain.from_iterable(reversed(buckets)),
                           chain.from_iterable(repeat(9.0 - c / 100, len(buckets[c]))
                                               for c in range(len(buckets) - 1, -1, -1)),
                           strict=True))
    # the highest frequency of each length, from each bucket's lengths (the most frequent bucket
    # first; folding «ё» keeps a form's length in bytes)
    tops: dict[int, float] = {}
    for c, words in enumerate(buckets):
        if not _above_flat(9.0 - c / 100):
            break  # (the 2,000 most frequent words are read, not all 61,000)
        if words:
            for length in set(map(len, words)).difference(tops):
                tops[length] = 9.0 - c / 100
    out.tops = tops
    at = everything.find(_YO)
    if at < 0:
        return out
    ends = list(accumulate(len(j) + 1 for j in joined))  # where each bucket's words end, and a line break
    checked: set[int] = set()
    yo: set[bytes] = set()
    while at >= 0:
        c = bisect_right(ends, at)
        if c not in checked:
            if joined[c].count(b"\n") != len(buckets[c]) - 1:
                return _decoded(buckets)  # a word with a line break: the lines are not the words
            checked.add(c)
        end = everything.find(b"\n", at)
        end = len(everything) if end < 0 else end
        yo.add(everything[everything.rfind(b"\n", 0, at) + 1 : end])
        at = everything.find(_YO, end)
    for word in yo:
        z = out.pop(word)
        folded = word.replace(_YO, _YE)
        out[folded] = max(z, out.get(folded, z))
    return out


def _decoded(buckets: list[list[bytes]]) -> dict[bytes, float]:
    plain = _frequencies_from_buckets([[w.decode() for w in words] for words in buckets])
    return {form.encode(): z for form, z in plain.items()}


class _Stored:
    """The frequency list as :mod:`chatlint.datacache` keeps it between runs, read without a
    dictionary: the forms (UTF-8, folded) sorted and joined into one bytes object, where each
    one starts, and their frequencies, looked up by bisection (~5 µs, where a run looks up a
    few dozen forms; making the dictionary of 61,000 forms was the ~20 ms it cost each process).
    Answers ``get``, ``values``, ``tops`` and truth as the dictionary it was made from."""

    __slots__ = ("_blob", "_starts", "_values", "tops")

    def __init__(self, blob: bytes, starts, values, tops: dict[int, float]) -> None:
        self._blob, self._starts, self._values, self.tops = blob, starts, values, tops

    @staticmethod
    def parts(freq: dict[bytes, float]) -> tuple:
        """What is stored of ``freq``: plain values marshal keeps."""
        from array import array

        forms = sorted(freq)
        starts = array("I", [0])
        starts.extend(accumulate(map(len, forms)))
        values = array("d", [freq[f] for f in forms])
        return b"".join(forms), starts.tobytes(), values.tobytes(), dict(_tops(freq))

    @classmethod
    def from_parts(cls, parts) -> _Stored:
        from array import array

        blob, starts_bytes, values_bytes, tops = parts
        starts, values = array("I"), array("d")
        starts.frombytes(starts_bytes)
        values.frombytes(values_bytes)
        if not (isinstance(blob, bytes) and isinstance(tops, dict) and len(starts) == len(values) + 1
                and starts[-1] == len(blob)):
            raise ValueError("not a stored frequency list")
        return cls(blob, starts, values, tops)

    def get(self, form: bytes, default: float = 0.0) -> float:
        blob, starts = self._blob, self._starts
        lo, hi = 0, len(self._values)
        while lo < hi:
            mid = (lo + hi) // 2
            at = blob[starts[mid] : starts[mid + 1]]
            if at < form:
                lo = mid + 1
            elif form < at:
                hi = mid
            else:
                return self._values[mid]
        return default

    def values(self):
        return self._values

    def __len__(self) -> int:
        return len(self._values)


def _load_frequencies() -> dict[bytes, float] | _Stored:
    """wordfreq's list (see :func:`zipf`): as the cache keeps it when it was built before from
    the same file (:mod:`chatlint.datacache`), else built from the file and kept."""
    import importlib.util
    import os

    try:
        spec = importlib.util.find_spec("wordfreq")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = os.path.join(next(iter(spec.submodule_search_locations)), "data", "small_ru.msgpack.gz")
    from . import datacache

    try:
        # what the list is built from: wordfreq's file, and this module (the code that reads,
        # folds and indexes it: another version of it must not be answered by what an older one
        # built and kept, whatever datacache.FORMAT says)
        st, code = os.stat(path), os.stat(__file__)
        key: tuple | None = (path, st.st_size, st.st_mtime_ns, __file__, code.st_size, code.st_mtime_ns)
    except (OSError, NameError, TypeError):  # (no source file to speak of: keep nothing)
        key = None
    if key is not None:
        stored = datacache.load("wordfreq-ru", key)
        if stored is not None:
            try:
                return _Stored.from_parts(stored)
            except (ValueError, TypeError):
                pass
    freq = _read_frequencies(path)
    if key is not None and freq:
        datacache.store("wordfreq-ru", key, _Stored.parts(freq))
    return freq


def _read_frequencies(path: str) -> dict[bytes, float]:
    import zlib

    try:
        import msgpack

        with open(path, "rb") as fh:
            packed = fh.read()
        inflate = zlib.decompressobj(wbits=31)  # gzip, in one call (gzip's reader: twice as long)
        raw = inflate.decompress(packed)
        if not inflate.eof or inflate.unused_data:
            raise ValueError("not one whole gzip member")
        buckets = msgpack.unpackb(raw, raw=True)  # each form as its UTF-8: no string object
        if not (buckets and isinstance(buckets[0], dict) and buckets[0].get(b"format") == b"cB"):
            raise ValueError("not a cBpack list")
        return _frequencies_from_packed(buckets[1:])  # (a bucket of anything but strings raises)
    except Exception:  # the file moved or changed shape: ask wordfreq itself
        try:
            import wordfreq

            return {_fold(w).encode(): wordfreq.zipf_frequency(w, "ru", wordlist="small")
                    for w in wordfreq.iter_wordlist("ru", wordlist="small")}
        except Exception:
            return {}


@lru_cache(maxsize=WORD_FORMS)
def forms_of(word: str) -> frozenset[str]:
    """Every form of ``word`` (a dictionary form, folded) in its pymorphy3 paradigm(s): those
    of the parses whose normal form is the word itself, known or predicted."""
    w = _fold(word)
    out = {w}
    if not _CYRILLIC_WORD.fullmatch(w):
        return frozenset(out)
    try:
        parses = [p for p in morph.analyzer().parse(w) if _fold(p.normal_form) == w]
        inflecting = [p for p in parses if "Fixd" not in p.tag]  # a guessed «indeclinable» reading adds nothing
        seen: set[str] = set()
        for p in inflecting or parses:
            key = f"{p.tag.POS} {p.tag.gender}"
            if key in seen or len(seen) >= 3:
                continue
            seen.add(key)
            out.update(_fold(x.word) for x in p.lexeme)
    except (KeyError, ValueError, IndexError):
        pass
    return frozenset(out)


@lru_cache(maxsize=64)
def own_forms(words: frozenset[str]) -> frozenset[str]:
    """Every form of the project's own dictionary words (cached per dictionary)."""
    out: set[str] = set()
    for w in words:
        out |= forms_of(w)
    return frozenset(out)


# ------------------------------------------------------------------ known words


_dawg = None


def _in_dictionary(form: str) -> bool:
    """pymorphy3's dictionary has the form (lower case, «е» standing for «ё» too): its DAWG
    asked directly, without the analyzer's per-call lower-casing (the search asks thousands)."""
    global _dawg
    if _dawg is None:
        a = morph.analyzer()
        _dawg = (a.dictionary.words, a.char_substitutes)
    words, subs = _dawg
    try:
        if "е" in form:
            return bool(words.similar_keys(form, subs))
        return form in words
    except (KeyError, ValueError, IndexError, UnicodeError):
        return True  # pymorphy3 cannot even read it: not a Russian typo


@lru_cache(maxsize=WORD_FORMS)
def misplaced_yo(lower: str) -> str | None:
    """«телёфон», «всё-равно»: a lower-case form with «ё» that pymorphy3's dictionary has only
    with «е» in its place: the dictionary's spelling; None when the «ё» is right (or the word
    is not in the dictionary at all, where it cannot be judged)."""
    if "ё" not in lower or not _CYRILLIC_WORD.fullmatch(lower):
        return None
    _in_dictionary("е")  # loads the DAWG
    words, subs = _dawg
    try:
        if any(words.similar_keys(part, subs) for part in (lower,)):
            return None
        keys = words.similar_keys(lower.replace("ё", "е"), subs)
    except (KeyError, ValueError, IndexError, UnicodeError):
        return None
    return keys[0] if keys else None


@lru_cache(maxsize=WORD_FORMS)
def is_known(form: str) -> bool:
    """True for a known word form (lower case, «ё» folded to «е»), or a word that is not a
    Cyrillic one at all (Latin, digits: not this checker's business)."""
    if not _CYRILLIC_WORD.fullmatch(form):
        return True
    if _in_dictionary(form):
        return True
    d = data()
    if form in d.abbreviations or in_vocabulary(form):
        return True
    if "-" in form:
        parts = form.split("-")
        for i, part in enumerate(parts):
            if i > 0 and part in d.hyphen_suffixes:
                continue
            if i == 0 and part in d.hyphen_prefixes:
                continue
            if not is_known(part):
                return False
        return True
    for p in d.prefixes:
        if form.startswith(p):
            rest = form[len(p) :]
            if len(rest) >= 4 and (_in_dictionary(rest) or in_vocabulary(rest)):
                return True
    return False


# ------------------------------------------------------------------ suggestions


@dataclass(frozen=True, slots=True)
class Suggestion:
    word: str  # the correction, lower case (folded)
    cost: float
    runner_up: float | None  # the cost of the best other candidate


_RARE = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Init", "Arch", "Erro", "Dist"})


@lru_cache(maxsize=WORD_FORMS)
def _penalty(word: str) -> float | None:
    """None when ``word`` is no known word; else what it adds to the cost of the edit as a
    correction: frequent words subtract, words outside the frequency list add, names,
    abbreviations and archaic forms add more."""
    if in_vocabulary(word):
        return -0.15
    if not _in_dictionary(word):
        return None
    z = zipf(word)
    if z:
        return -0.12 * (z - 3.0)
    lz = max((zipf(lemma) for lemma in morph.lemmas(word)), default=0.0)
    if lz:  # a rarer form of a frequent word: «тарифу» of «тариф»
        return max(-0.12 * (lz - 3.5), -0.3) + 0.05
    tags = morph.known_tags(word)
    if tags and all(_RARE & set(t.grammemes) for t in tags):
        return 0.6
    return 0.25


@lru_cache(maxsize=WORD_FORMS)
def _known_prefix(prefix: str) -> bool:
    """Some known word starts with ``prefix``: a form of pymorphy3's dictionary («е» standing
    for «ё» too) or of the domain vocabulary. Short prefixes count as known."""
    if len(prefix) < 2:
        return True
    _in_dictionary("е")  # loads the DAWG
    words, _subs = _dawg
    n = prefix.count("е")
    if n > 4:
        return True  # too many «е»/«ё» readings to try: assume some word has it
    if n == 0:
        if words.has_keys_with_prefix(prefix):
            return True
    else:
        parts = prefix.split("е")
        for mask in range(1 << n):  # each «е» read as «е» or as «ё»
            q = parts[0]
            for k in range(n):
                q += ("ё" if mask >> k & 1 else "е") + parts[k + 1]
            if words.has_keys_with_prefix(q):
                return True
    forms = _vocabulary_sorted(prefix[:2])
    k = bisect_left(forms, prefix)
    return k < len(forms) and forms[k].startswith(prefix)


@lru_cache(maxsize=1024)
def _vocabulary_sorted(head: str) -> tuple[str, ...]:
    return tuple(sorted(_vocabulary_by_head(head)))


def _known_length(word: str) -> int:
    """The length of the longest prefix of ``word`` that some known word starts with (prefixes
    of a prefix that some word starts with are such prefixes too: a binary search)."""
    lo, hi = 1, len(word)  # _known_prefix(word[:lo]) holds
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _known_prefix(word[:mid]):
            lo = mid
        else:
            hi = mid - 1
    return lo


@lru_cache(maxsize=WORD_FORMS)
def suggest(form: str) -> Suggestion | None:
    """The best correction of an unknown form (lower case, «ё» folded), or None."""
    return _search(form, bounded=False)


@lru_cache(maxsize=WORD_FORMS)
def correction(form: str) -> str | None:
    """What P001 offers for an unknown form (lower case, «ё» folded): the best correction when
    :func:`confident` takes it, else None — the answer of :func:`suggest` and ``confident``,
    found with less search (:func:`_search` bounded). tests/test_suggest_paths.py compares the
    two."""
    s = _search(form, bounded=True)
    return s.word if confident(s) else None


def _search(form: str, bounded: bool) -> Suggestion | None:
    """The weighted search for corrections of ``form``.

    An edit at position i keeps the letters before it, so it can give a known word only at
    positions up to the longest prefix some known word starts with: the others are skipped
    (the same corrections, a fraction of the look-ups). A cheap first edit further right is
    still a step towards a word that a second edit, further left, completes.

    ``bounded`` (for a decision, not the whole ranking): a candidate's final cost is its edit's
    cost plus its word's penalty, never below the edit's cost plus :func:`_lowest_penalty`; once
    the best found so far costs ``b``, a candidate that cannot come in under ``min(b,
    CONFIDENT) + MARGIN`` can be neither the correction :func:`confident` takes nor a runner-up
    close enough to make it unsure, so it is not looked up (nor, at the second edit, generated).
    """
    if not _CYRILLIC_WORD.fullmatch(form) or len(form) > 40:
        return None
    floor = _lowest_penalty() if bounded else 0.0
    best: dict[str, float] = {}
    get = best.get
    top = CONFIDENT if bounded else float("inf")
    limit = top + MARGIN - floor + 1e-9  # an edit at or above this cost cannot change the answer
    # … or, for a candidate of n letters (no hyphen: every letter two bytes), at or above
    # top + MARGIN - floors[n]
    floors = {n: _lowest_penalty_of(n) for n in range(max(1, len(form) - 2), len(form) + 3)} \
        if bounded and "-" not in form else None
    _in_dictionary("е")  # loads the DAWG
    words, subs = _dawg
    similar = words.similar_keys
    vocabulary = _vocabulary_by_head

    def consider(v: str, cost: float) -> None:
        nonlocal top, limit
        if cost >= limit or cost >= get(v, 9.0):
            return
        if floors is not None and cost >= top + MARGIN - floors.get(len(v), floor) + 1e-9:
            return
        try:  # most candidates are no word: told so here as _penalty would, without its cache
            if v not in words and not ("е" in v and similar(v, subs)) and v not in vocabulary(v[:2]):
                return
        except (KeyError, ValueError, IndexError, UnicodeError):
            pass  # (_penalty knows what such a form is)
        pen = _penalty(v)
        if pen is None:
            return
        final = min(get(v, 9.0), cost + pen)
        best[v] = final
        if bounded and final < top:
            top = final
            limit = top + MARGIN - floor + 1e-9

    for v, c in edits(form, _known_length(form)):
        consider(v, c)
    for v, c in _cheap_edits(form, _SECOND):
        if c < limit:
            reach = limit
            if floors is not None:  # the candidates of a second edit are one letter shorter to one longer
                reach = min(limit, top + MARGIN - min(floors.get(n, floor) for n in range(len(v) - 1, len(v) + 2)) + 1e-9)
            for v2, c2 in edits(v, _known_length(v), c, min(_MAX_TOTAL, reach)):
                if c + c2 <= _MAX_TOTAL and v2 != form:
                    consider(v2, c + c2)
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda kv: (kv[1], kv[0]))
    word, cost = ranked[0]
    return Suggestion(word, cost, ranked[1][1] if len(ranked) > 1 else None)


_low: list[float] = []


def _lowest_penalty() -> float:
    """The lowest penalty :func:`_penalty` can give: the most frequent word's (wordfreq's list),
    a domain word's, or a rarer form of a frequent word's, whichever is lowest."""
    if not _low:
        zipf("а")  # the list, loaded
        top = max(_freq.values(), default=3.0) if _freq else 3.0
        _low.append(min(-0.15, -0.25, -0.12 * (top - 3.0)))
    return _low[0]


def _lowest_penalty_of(length: int) -> float:
    """The lowest penalty :func:`_penalty` can give a word of ``length`` Cyrillic letters: the
    most frequent such word's, a domain word's, or a rarer form of a frequent word's — which is
    well above :func:`_lowest_penalty` for all but short words («и» is far more frequent than
    any word of eight letters)."""
    zipf("а")  # the list, loaded
    top = _tops(_freq).get(2 * length, 3.0) if _freq else 3.0  # (two bytes a Cyrillic letter)
    return min(-0.15, -0.25, -0.12 * (top - 3.0))


def confident(s: Suggestion | None) -> bool:
    """The correction is clearly the one: cheap enough, and cheaper than the runner-up by
    ``MARGIN`` — or by ``NEAR_MARGIN`` when it is a very frequent word one cheap slip away
    («моно» → «можно», «посе» → «после»)."""
    if s is None or s.cost > CONFIDENT:
        return False
    if s.runner_up is None:
        return True
    gap = s.runner_up - s.cost
    return gap >= MARGIN or (gap >= NEAR_MARGIN and s.cost <= 0.6 and zipf(s.word) >= 5.0)


def restore_case(word: str, original: str) -> str:
    """``word`` in the case of ``original``: «ЗДРАСТВУЙТЕ» → «ЗДРАВСТВУЙТЕ», «Спс» → «Спасибо»."""
    if len(original) > 1 and original.isupper():
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


if __name__ == "__main__":  # regenerate FORMS_FILE in a source checkout
    from .resources import rules_dir as _rules_dir

    (_rules_dir() / FORMS_FILE).write_text(forms_text(), encoding="utf-8")
    print(f"wrote {_rules_dir() / FORMS_FILE}")
