"""Phrase patterns over words: the small, linear-time matcher behind every lexicon rule.

A pattern is a sequence of space-separated elements, each matching one word:

- ``здравствуйте`` a word form (case-insensitive, «ё» = «е»); ``день|вечер`` alternatives;
- ``~помочь`` any form whose lemma is «помочь» (pymorphy3, cached);
- ``*`` any one word; ``<name>`` a capitalised word or a ``{placeholder}``;
- a trailing ``?`` makes an element optional: ``я? могу|можем вам? помочь``.

Patterns compile to a list of elements and are matched by simulating the automaton over the
set of live positions, so matching costs O(words × elements) whatever the pattern: there is
no backtracking to blow up on user-supplied patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import morph
from .document import Word, norm


@dataclass(frozen=True, slots=True)
class Element:
    kind: str  # "word" | "lemma" | "any" | "name"
    values: frozenset[str]
    optional: bool

    def matches(self, w: Word) -> bool:
        k = self.kind
        if k == "word":
            return w.norm in self.values
        if k == "any":
            return True
        if k == "name":
            return w.is_capitalized
        if w.placeholder:
            return False
        return not self.values.isdisjoint(morph.lemmas(w.norm))


class PatternError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Phrase:
    source: str
    elements: tuple[Element, ...]
    first: frozenset[str] | None = None  # the word forms a match can start with (None: any)

    def match_at(self, words: list[Word], i: int, stop: int | None = None) -> int | None:
        """End index (exclusive) of the longest match starting at word ``i``, or None."""
        if stop is None:
            stop = len(words)
        els = self.elements
        n = len(els)
        states = _closure({0}, els)
        best = n if n in states else None
        pos = i
        while states and pos < stop:
            w = words[pos]
            nxt = {k + 1 for k in states if k < n and els[k].matches(w)}
            states = _closure(nxt, els)
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
        for i in range(start, stop):
            if first is not None and words[i].norm not in first:
                continue
            j = self.match_at(words, i, stop)
            if j is not None and j > i:
                return i, j
        return None


def _closure(states: set[int], els: tuple[Element, ...]) -> set[int]:
    out = set(states)
    todo = list(states)
    while todo:
        k = todo.pop()
        if k < len(els) and els[k].optional and k + 1 not in out:
            out.add(k + 1)
            todo.append(k + 1)
    return out


@lru_cache(maxsize=4096)
def compile_phrase(source: str) -> Phrase:
    """Compile a pattern (see the module doc); raises PatternError on a malformed one."""
    parts = source.split()
    if not parts:
        raise PatternError("empty pattern")
    els = []
    for raw in parts:
        optional = raw.endswith("?") and len(raw) > 1
        tok = raw[:-1] if optional else raw
        if tok == "*":
            els.append(Element("any", frozenset(), optional))
        elif tok == "<name>":
            els.append(Element("name", frozenset(), optional))
        elif tok.startswith("~"):
            alts = [norm(a) for a in tok[1:].split("|") if a]
            if not alts:
                raise PatternError(f"empty lemma in {raw!r}")
            els.append(Element("lemma", frozenset(alts), optional))
        else:
            alts = [norm(a) for a in tok.split("|") if a]
            if not alts or any(not a.replace("-", "").isalnum() for a in alts):
                raise PatternError(f"not a word form: {raw!r}")
            els.append(Element("word", frozenset(alts), optional))
    if all(e.optional for e in els):
        raise PatternError("every element is optional: the pattern would match nothing")
    return Phrase(source, tuple(els), _first_forms(els))


def _first_forms(els: list[Element]) -> frozenset[str] | None:
    """The word forms a match must start with, when they are known without morphology."""
    forms: set[str] = set()
    for e in els:
        if e.kind != "word":
            return None
        forms |= e.values
        if not e.optional:
            return frozenset(forms)
    return None


def first_match(phrases: list[Phrase], words: list[Word], start: int = 0, stop: int | None = None):
    """The earliest match of any phrase, as (i, j, phrase), or None."""
    best = None
    for p in phrases:
        m = p.search(words, start, stop)
        if m is not None and (best is None or m[0] < best[0] or (m[0] == best[0] and m[1] > best[1])):
            best = (m[0], m[1], p)
    return best


def opens_with(phrases: list[Phrase], words: list[Word], i: int = 0, stop: int | None = None):
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
