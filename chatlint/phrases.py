"""Phrase patterns over words: the small, linear-time matcher behind every lexicon rule.

A pattern is a sequence of space-separated elements, each matching one word:

- ``здравствуйте`` a word form (case-insensitive, «ё» = «е»); ``день|вечер`` alternatives;
- ``~помочь`` any form whose lemma is «помочь» (pymorphy3, cached); ``~вы|ты`` alternatives;
- ``*`` any one word; ``<name>`` a capitalised word or a ``{placeholder}``;
- ``:GRAMMEMES`` after an element constrains its grammar with pymorphy3 (OpenCorpora)
  grammemes, all of which one parse must have: ``~банк:NOUN,gent``, ``*:VERB,impr``;
- a trailing ``?`` makes an element optional: ``я? могу|можем вам? помочь``.

A phrase may allow ``gap`` arbitrary words between consecutive elements («Вы, видимо, не
поняли»). Patterns compile to a list of elements and are matched by simulating the automaton
over the set of live states, so matching costs O(words × elements × gap) whatever the
pattern: there is no backtracking to blow up on user-supplied patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import morph
from .caches import WORD_FORMS
from .compiled import regex
from .document import Word, norm
from .errors import ChatlintError

# Grammemes a pattern may name (pymorphy3's OpenCorpora tag set, the common ones).
KNOWN_GRAMMEMES = frozenset(
    "NOUN ADJF ADJS COMP VERB INFN PRTF PRTS GRND NUMR ADVB NPRO PRED PREP CONJ PRCL INTJ "
    "anim inan masc femn neut ms-f sing plur nomn gent datv accs ablt loct voct gen2 acc2 loc2 "
    "perf impf tran intr 1per 2per 3per pres past futr indc impr incl excl actv pssv "
    "Name Surn Patr Geox Orgn Abbr Infr Slng Arch Erro Dist Qual Apro Anum Poss".split()
)


@dataclass(frozen=True, slots=True)
class Element:
    kind: str  # "lex" (word forms and/or lemmas) | "any" | "name"
    values: frozenset[str]  # word forms
    optional: bool
    grammemes: frozenset[str] = frozenset()
    lemmas: frozenset[str] = frozenset()

    def matches(self, w: Word) -> bool:
        k = self.kind
        if k == "lex":
            if w.norm not in self.values and (
                not self.lemmas or w.placeholder or self.lemmas.isdisjoint(morph.lemmas(w.norm))
            ):
                return False
        elif k == "name":
            if not w.is_capitalized:
                return False
        if self.grammemes:
            if w.placeholder:
                return False
            return _has_grammemes(w.norm, self.grammemes, self.lemmas if self.lemmas and not self.values else None)
        return True


@lru_cache(maxsize=WORD_FORMS)
def _has_grammemes(form: str, grammemes: frozenset[str], lemmas: frozenset[str] | None) -> bool:
    for p in morph.parses(form):
        if lemmas is not None and p.normal_form.replace("ё", "е") not in lemmas:
            continue
        if grammemes <= p.tag.grammemes:
            return True
    return False


class PatternError(ChatlintError, ValueError):
    """A malformed phrase pattern (a pack turns it into a PackError naming the file and rule)."""


@dataclass(frozen=True, slots=True)
class Phrase:
    source: str
    elements: tuple[Element, ...]
    first: frozenset[str] | None = None  # the word forms a match can start with (None: any)
    gap: int = 0  # arbitrary words allowed between consecutive elements
    needs: tuple[frozenset[str], ...] = ()  # each set: one of these forms/lemmas must occur
    # the forms and lemmas a match's first word must have (None: any word may start one)
    start_keys: frozenset[str] | None = None
    # closures[k]: the element indices reachable from k by skipping optional elements
    closures: tuple[frozenset[int], ...] = ()
    # for a phrase any word may start («<name> на связи», «*:VERB ~оператор»): the forms and
    # lemmas of its first required word element, and how many words before it a match starts
    # (lowest, highest): a match starts at an occurrence of one of them minus an offset
    anchor: tuple[frozenset[str], int, int] | None = None
    # per element: its word forms when it is nothing else (a set lookup), else the element
    tests: tuple[frozenset[str] | Element, ...] = ()
    linear: bool = False  # no optional element: a match is one word per element

    def possible_in(self, forms_and_lemmas: frozenset[str]) -> bool:
        """False when the message lacks a word the phrase requires: a cheap reject."""
        for need in self.needs:
            if need.isdisjoint(forms_and_lemmas):
                return False
        return True

    def match_at(self, words: list[Word], i: int, stop: int | None = None) -> int | None:
        """End index (exclusive) of the longest match starting at word ``i``, or None."""
        if stop is None:
            stop = len(words)
        els = self.elements
        n = len(els)
        closures = self.closures or tuple(frozenset(_closure({k}, els)) for k in range(n + 1))
        if not self.gap:
            return self._match_no_gap(words, i, stop, els, n, closures)
        gap = self.gap
        tests = self.tests or _tests(els)
        # A state is (element index k, words skipped since the last matched element).
        states = {(k, 0) for k in closures[0]}
        best = n if any(k == n for k, _ in states) else None
        pos = i
        while states and pos < stop:
            w = words[pos]
            form = w[3]  # w.norm
            nxt: set[tuple[int, int]] = set()
            for k, skipped in states:
                if k < n and (form in tests[k] if tests[k].__class__ is frozenset else tests[k].matches(w)):
                    for k2 in closures[k + 1]:
                        nxt.add((k2, 0))
                if 0 < k < n and skipped < gap:
                    nxt.add((k, skipped + 1))  # skip a word between elements
            states = nxt
            pos += 1
            if any(k == n for k, _ in states):
                best = pos
        if best is None or best == i:
            return None
        return best

    def _match_no_gap(self, words, i, stop, els, n, closures) -> int | None:
        """``match_at`` for a phrase without gaps: a state is just an element index. An
        element of word forms only is a set lookup here (``tests``), not a method call; a
        phrase without optional elements is its elements on consecutive words."""
        tests = self.tests or _tests(els)
        if self.linear:
            if i + n > stop:
                return None
            for k in range(n):
                t = tests[k]
                if not (words[i + k][3] in t if t.__class__ is frozenset else t.matches(words[i + k])):
                    return None
            return i + n
        states = closures[0]
        best = n if n in states else None
        pos = i
        while states and pos < stop:
            w = words[pos]
            form = w[3]  # w.norm
            nxt: set[int] = set()
            for k in states:
                if k < n:
                    t = tests[k]
                    if form in t if t.__class__ is frozenset else t.matches(w):
                        nxt |= closures[k + 1]
            states = nxt
            pos += 1
            if n in states:
                best = pos
        if best is None or best == i:
            return None
        return best

    def search(self, words: list[Word], start: int = 0, stop: int | None = None) -> tuple[int, int] | None:
        """The first (leftmost, then longest) match in words[start:stop] as (i, j)."""
        if stop is None:
            stop = len(words)
        first = self.first
        head = self.elements[0]
        check_head = first is None and not head.optional and head.kind == "lex"
        for i in range(start, stop):
            if first is not None:
                if words[i].norm not in first:
                    continue
            elif check_head and not head.matches(words[i]):
                continue
            j = self.match_at(words, i, stop)
            if j is not None and j > i:
                return i, j
        return None

    def finditer(self, words: list[Word], start: int = 0, stop: int | None = None):
        """Every non-overlapping match, left to right, as (i, j)."""
        if stop is None:
            stop = len(words)
        i = start
        while i < stop:
            m = self.search(words, i, stop)
            if m is None:
                return
            yield m
            i = m[1]


def _closure(states: set[int], els: tuple[Element, ...]) -> set[int]:
    out = set(states)
    todo = list(states)
    while todo:
        k = todo.pop()
        if k < len(els) and els[k].optional and k + 1 not in out:
            out.add(k + 1)
            todo.append(k + 1)
    return out


# One element per distinct source token, shared by the phrases that hold it (an Element is
# immutable): the speech acts' phrases hold 739 elements but 266 distinct ones, one of them a
# list of 75 words that the lexicon inserts into 296 phrases (23,141 alternatives to normalise
# and check at start-up, 795 distinct: ~25 ms of every process's first check, now ~1 ms).
@lru_cache(maxsize=4096)
def _element(raw: str) -> Element:
    optional = raw.endswith("?") and len(raw) > 1
    tok = raw[:-1] if optional else raw
    grammemes: frozenset[str] = frozenset()
    if ":" in tok:
        tok, _, gram = tok.partition(":")
        names = [g.strip() for g in gram.split(",") if g.strip()]
        unknown = [g for g in names if g not in KNOWN_GRAMMEMES]
        if not names or unknown:
            raise PatternError(
                f"unknown grammeme {', '.join(unknown) or '(none)'} in {raw!r} "
                "(use pymorphy3's OpenCorpora grammemes: NOUN, VERB, gent, plur, impr…)"
            )
        grammemes = frozenset(names)
    if tok == "*":
        return Element("any", frozenset(), optional, grammemes)
    if tok == "<name>":
        return Element("name", frozenset(), optional, grammemes)
    forms, lemmas = [], []
    for alt in tok.split("|"):
        target = lemmas if alt.startswith("~") else forms
        a = norm(alt.lstrip("~"))
        if not a or not _is_word(a):
            raise PatternError(f"not a word form or ~lemma: {raw!r} (an element is a word, ~lemma, * or <name>)")
        target.append(a)
    return Element("lex", frozenset(forms), optional, grammemes, frozenset(lemmas))


def _is_word(a: str) -> bool:
    return a.replace("-", "").replace("'", "").isalnum()


@lru_cache(maxsize=4096)
def compile_phrase(source: str, gap: int = 0) -> Phrase:
    """Compile a pattern (see the module doc); raises PatternError on a malformed one."""
    parts = source.split()
    if not parts:
        raise PatternError("empty pattern")
    if gap < 0 or gap > 5:
        raise PatternError(f"gap must be between 0 and 5, not {gap}")
    els = [_element(raw) for raw in parts]
    if all(e.optional for e in els):
        raise PatternError("every element is optional: the pattern would match nothing")
    needs = tuple(e.values | e.lemmas for e in els if not e.optional and e.kind == "lex")
    morph.register_keys(lem for e in els for lem in e.lemmas)
    closures = tuple(frozenset(_closure({k}, els)) for k in range(len(els) + 1))
    start_keys = _start_keys(els)
    anchor = _anchor(els, gap) if start_keys is None else None
    return Phrase(
        source, tuple(els), _first_forms(els), gap, needs, start_keys, closures, anchor, _tests(els),
        not any(e.optional for e in els),
    )


def _tests(els) -> tuple[frozenset[str] | Element, ...]:
    """What ``Element.matches`` comes down to for each element: a word-form element without
    lemmas or grammemes is a test of ``Word.norm`` against its forms."""
    return tuple(e.values if e.kind == "lex" and not e.lemmas and not e.grammemes else e for e in els)


def _start_keys(els: list[Element]) -> frozenset[str] | None:
    """The forms and lemmas one of which the first word of any match has: those of the
    elements up to the first required one (None when one of them is ``*`` or ``<name>``)."""
    keys: set[str] = set()
    for e in els:
        if e.kind != "lex":
            return None
        keys |= e.values | e.lemmas
        if not e.optional:
            return frozenset(keys)
    return None


def _anchor(els: list[Element], gap: int) -> tuple[frozenset[str], int, int] | None:
    """The first required word element («на» of «<name> на связи») with the range of its
    distance in words from the start of a match: the required elements before it at least;
    at most every element before it, each followed by up to ``gap`` skipped words. None when
    no element is a required word or its lemmas are not all Cyrillic (a document indexes the
    lemmas of Cyrillic words only)."""
    for k, e in enumerate(els):
        if e.kind == "lex" and not e.optional:
            if not all(_CYRILLIC.search(lemma) for lemma in e.lemmas):
                return None
            required = sum(1 for x in els[:k] if not x.optional)
            return e.values | e.lemmas, required, k * (1 + gap)
    return None


_CYRILLIC = regex(r"[а-яё]")


def _first_forms(els: list[Element]) -> frozenset[str] | None:
    """The word forms a match must start with, when they are known without morphology."""
    forms: set[str] = set()
    for e in els:
        if e.kind != "lex" or e.lemmas:
            return None
        forms |= e.values
        if not e.optional:
            return frozenset(forms)
    return None


def first_match(phrases, words: list[Word], start: int = 0, stop: int | None = None):
    """The earliest match of any phrase, as (i, j, phrase), or None."""
    best = None
    for p in phrases:
        m = p.search(words, start, stop)
        if m is not None and (best is None or m[0] < best[0] or (m[0] == best[0] and m[1] > best[1])):
            best = (m[0], m[1], p)
    return best


def opens_with(phrases, words: list[Word], i: int = 0, stop: int | None = None):
    """The longest phrase matching right at word ``i``, as (j, phrase), or None."""
    best = None
    if i >= len(words):
        return None
    form = words[i].norm
    for p in phrases:
        if p.first is not None and form not in p.first:
            continue
        j = p.match_at(words, i, stop)
        if j is not None and j > i and (best is None or j > best[0]):
            best = (j, p)
    return best
