"""The one pymorphy3 analyzer, loaded on first use, with parses cached by word form.

Loading the dictionaries takes ~0.1 s, so nothing here runs at import time: a message whose
rules never ask about word forms never loads pymorphy3. Parses are cached per lower-cased
word form; the cache is bounded and thread-safe (``functools.lru_cache``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .caches import WORD_FORMS
from .compiled import regex

_lock = threading.Lock()
_analyzer: Any = None


def analyzer() -> Any:
    """The shared ``pymorphy3.MorphAnalyzer`` (created once, on first call)."""
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                _analyzer = _load()
    return _analyzer


def _load() -> Any:
    """The analyzer, with its table of tags built lazily (:class:`_Tags`) where pymorphy3's
    loader has the shape this knows; else as pymorphy3 builds it."""
    import pymorphy3

    try:
        from pymorphy3.opencorpora_dict import storage, wrapper
    except ImportError:  # pragma: no cover - another layout: pymorphy3's own way
        storage = wrapper = None
    if not (hasattr(storage, "_load_gramtab") and getattr(wrapper, "load_dict", None) is storage.load_dict):
        return pymorphy3.MorphAnalyzer(path=_dictionary_path(), lang="ru")
    real_load, real_gramtab = storage.load_dict, storage._load_gramtab

    def load_dict(path, *args, **kwargs):
        strings: list = []

        def gramtab(*a, **k):
            strings.extend(real_gramtab(*a, **k))
            return ()  # load_dict builds its tags from this: none

        storage._load_gramtab = gramtab
        try:
            loaded = real_load(path, *args, **kwargs)
        finally:
            storage._load_gramtab = real_gramtab
        return loaded._replace(gramtab=_Tags(strings, loaded.Tag))

    wrapper.load_dict = load_dict
    try:
        return pymorphy3.MorphAnalyzer(path=_dictionary_path(), lang="ru")
    finally:
        wrapper.load_dict = real_load


class _Tags(list):
    """pymorphy3's table of tags (the dictionary's ``gramtab``), each tag built the first time
    it is read. pymorphy3 builds all 5,563 of them when it loads the dictionary (a third of
    the ~45 ms load, before the first word is parsed), where a run reads a few hundred. The
    tags are the ones pymorphy3 builds (its ``Tag`` class, from the same strings), so every
    parse is the same; reading a tag twice gives the same object."""

    __slots__ = ("_strings", "_make")

    def __init__(self, strings: list[str], make) -> None:
        super().__init__([None] * len(strings))
        self._strings = strings
        self._make = make

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        tag = list.__getitem__(self, index)
        if tag is None:
            tag = self._make(self._strings[index])
            list.__setitem__(self, index, tag)
        return tag

    def __iter__(self):
        return (self[i] for i in range(len(self)))


def _dictionary_path() -> str | None:
    """The Russian dictionary's folder, from its package: pymorphy3 would otherwise find it by
    scanning every installed distribution's entry points (``importlib.metadata``), a good part
    of a cold start. ``PYMORPHY3_DICT_PATH`` still wins, as in pymorphy3; without the package,
    None lets pymorphy3 look for a dictionary as it always does."""
    import os

    if os.environ.get("PYMORPHY3_DICT_PATH"):
        return None
    try:
        import pymorphy3_dicts_ru
    except ImportError:
        return None
    return pymorphy3_dicts_ru.get_path()


@lru_cache(maxsize=WORD_FORMS)
def parses(word: str) -> tuple[Any, ...]:
    """All pymorphy3 parses of a lower-cased word form, most probable first.

    pymorphy3 raises on some characters it has no Unicode name for (e.g. Tangut); such a
    word simply has no parse.
    """
    try:
        return tuple(analyzer().parse(word))
    except (KeyError, ValueError, IndexError):
        return ()


@lru_cache(maxsize=WORD_FORMS)
def lemmas(word: str) -> frozenset[str]:
    """Every normal form the word can have (``ё`` folded to ``е``)."""
    quick = _dictionary_lemmas(word)
    if quick is not None:
        return quick
    return frozenset(p.normal_form.replace("ё", "е") for p in parses(word))


_dictionary: Any = None  # (the words' DAWG, pymorphy3's «е»/«ё» substitutes, the normal-form builder)


def _readings(word: str) -> list | None:
    """How pymorphy3's dictionary has a word: (its spelling there, ((paradigm, form index),
    ...)) for each spelling («е» may stand for «ё»); None for a word it does not have, and for
    one-letter words (which may be initials, parsed by other units too).

    The last words asked are remembered (``_RECENT``): a new word of a message is asked
    about by its lemmas (for the document's lemma set) and again by the rules (its tags:
    is_informal_verb), ~3 µs a look-up."""
    found = _RECENT.get(word, _UNSEEN)
    if found is not _UNSEEN:
        return found
    found = _look_up(word)
    if len(_RECENT) >= _RECENT_SIZE:
        _RECENT.clear()
    _RECENT[word] = found
    return found


_UNSEEN = object()
_RECENT: dict[str, Any] = {}  # word -> _look_up(word), for the last words asked (bounded)
_RECENT_SIZE = 4096


def _look_up(word: str) -> list | None:
    global _dictionary
    if len(word) < 2:
        return None
    if _dictionary is None:
        a = analyzer()
        _dictionary = (a.dictionary.words, a.char_substitutes, a.dictionary.build_normal_form)
    words, subs, _ = _dictionary
    try:
        found = words.similar_items(word.lower(), subs)
    except (KeyError, ValueError, IndexError, UnicodeError):
        return None
    return found or None


def _dictionary_lemmas(word: str) -> frozenset[str] | None:
    """The normal forms of a word the dictionary has, read from the dictionary alone; None for
    any other word (see :func:`_readings`).

    For such a word pymorphy3's parse is its dictionary unit's, and a normal form is built from
    the form's paradigm the same way (``build_normal_form``): the parse's tags, scores and
    result objects are what made it cost ~30 µs a new word, where the lemma set of every
    message asks this of each of its words (tests/test_morph_lemmas.py compares the two)."""
    found = _readings(word)
    if found is None:
        return None
    normal_form = _dictionary[2]
    return frozenset(normal_form(para, idx, fixed).replace("ё", "е") for fixed, forms in found for para, idx in forms)


def _dictionary_tags(word: str) -> list | None:
    """The tags of every reading of a word the dictionary has (pymorphy3's tag objects, in no
    particular order), read from the dictionary alone; None for any other word. Such a word's
    parses are exactly these readings, so a question that no reading can answer yes needs no
    parse (nor the probabilities that order them)."""
    found = _readings(word)
    if found is None:
        return None
    d = analyzer().dictionary
    paradigms, gramtab = d.paradigms, d.gramtab
    return [gramtab[paradigms[para][len(paradigms[para]) // 3 + idx]] for _, forms in found for para, idx in forms]


def no_reading(word: str, test: Callable[[Any], object]) -> bool:
    """``word`` (lower case) is a dictionary word none of whose readings' tags passes ``test``:
    none of its parses does either (such a word's parses are exactly its readings), so a
    question that only a passing parse answers yes is answered no without a parse (nor its
    probabilities). False for any other word: ask its parses."""
    tags = _dictionary_tags(word)
    return tags is not None and not any(map(test, tags))


def known_tags(word: str) -> list:
    """The tags of the parses of ``word`` that pymorphy3 calls known (``Parse.is_known``), in no
    particular order: for a word the dictionary has, its readings' tags (such a word's parses
    are exactly its readings, all known: no parse, scores or probabilities needed), else from
    the parses. tests/test_morph_lemmas.py compares the two."""
    tags = _dictionary_tags(word)
    if tags is not None:
        return tags
    if len(word) > 1 and _PLAIN_WORD.fullmatch(word):
        # a known parse's word is a spelling of this one the dictionary has («е» for «ё»),
        # which it would have given as a reading: none is known (not parsed, ~100 µs)
        return []
    return [p.tag for p in parses(word) if p.is_known]


_CYRILLIC = regex(r"[а-яё]")
_PLAIN_WORD = regex(r"[а-яё-]+")
_FOREIGN = regex(r"[^а-яё-]")


def foreign(word: str) -> bool:
    """The word (lower-cased) has a character that no plain Cyrillic word has: anything but
    «а»–«я», «ё» and the hyphen («сeйчас» with a Latin «e», «sоггу», «5гб», «о'кей»).

    pymorphy3 keeps such a character in every normal form it gives: a dictionary word's
    («1-го» → «1-й», «лентой.ру» → «лента.ру») and a predicted one's (the analyzers replace an
    ending from the dictionary, which is Cyrillic, and keep the rest, or the whole word), so no
    lemma of the word is a plain word, and a question about plain lemmas needs no parse: for
    a word pymorphy3 does not know, ~100 µs of its predictors (tests/test_morph_lemmas.py
    checks the normal forms of such words, from the dictionary and generated)."""
    return _FOREIGN.search(word.lower()) is not None


def plain_words(words) -> bool:
    """Every one of ``words`` is a plain Cyrillic word (no character :func:`foreign` finds)."""
    return all(_PLAIN_WORD.fullmatch(w) for w in words)


@lru_cache(maxsize=WORD_FORMS)
def cyrillic_lemmas(word: str) -> frozenset[str]:
    """``lemmas(word)`` for a word with Cyrillic letters; nothing for any other word."""
    return lemmas(word) if _CYRILLIC.search(word) else frozenset()


# The lemmas some lexicon or phrase looks for. A document keeps only these of its words'
# lemmas (``Document.lemma_set``), which makes the quick reject of lexicon rules cheap. The
# set only grows; each growth bumps the generation, so that a Document whose lemma set is
# older than a newly compiled phrase (a plugin's rule compiling it lazily) computes it again.
_KEYS: frozenset[str] = frozenset()
_PLAIN_KEYS = True  # every key is a plain word (so a foreign word has none of them)
_generation = 0


def register_keys(keys) -> None:
    """Declare lemmas that lexicon rules match on (called whenever a lexicon or phrase compiles)."""
    global _KEYS, _PLAIN_KEYS, _generation
    keys = frozenset(keys)
    if not keys <= _KEYS:
        with _lock:
            _KEYS = _KEYS | keys
            _PLAIN_KEYS = plain_words(_KEYS)
            relevant_lemmas.cache_clear()
            _generation += 1


def keys_generation() -> int:
    """How many times the set of lexicon lemmas has grown (compare to tell a stale cache)."""
    return _generation


@lru_cache(maxsize=WORD_FORMS)
def relevant_lemmas(word: str) -> frozenset[str]:
    """The lemmas of ``word`` that some registered lexicon looks for (usually none). A
    :func:`foreign` word has none of them while they are all plain words: not parsed."""
    if _PLAIN_KEYS and foreign(word):
        return frozenset()
    return cyrillic_lemmas(word) & _KEYS


@lru_cache(maxsize=WORD_FORMS)
def is_informal_verb(word: str) -> bool:
    """True when the most probable parse is a 2nd-person singular verb or a singular imperative.

    «можешь», «напиши», «подожди» address the reader as «ты»; «можете», «напишите» do not.
    """
    found = _readings(word)
    if found is not None and not _some_tag_addresses_you(found):
        return False  # no reading of it is such a verb: which one is the most probable does not matter
    ps = parses(word)
    return bool(ps) and _addresses_you(ps[0].tag)


_YOU: list = []  # by the dictionary's tag number: does the tag address the reader as «ты» (None: not yet known)


def _some_tag_addresses_you(found: list) -> bool:
    """Some reading of a dictionary word (:func:`_readings`) is a «ты» verb: the tags of
    :func:`_dictionary_tags`, each tag's answer worked out once by its number (a tag's
    grammemes asked three times, for each reading of each new word, were half the check)."""
    d = analyzer().dictionary
    paradigms, you = d.paradigms, _YOU
    if not you:
        with _lock:
            if not you:
                you.extend([None] * len(d.gramtab))
    for _, forms in found:
        for para, idx in forms:
            paradigm = paradigms[para]
            tag_id = paradigm[len(paradigm) // 3 + idx]
            answer = you[tag_id]
            if answer is None:
                answer = you[tag_id] = _addresses_you(d.gramtab[tag_id])
            if answer:
                return True
    return False


def _addresses_you(tag) -> bool:
    """A 2nd-person singular verb or a singular imperative."""
    if "VERB" not in tag or "sing" not in tag:
        return False
    return "2per" in tag or ("impr" in tag and "excl" in tag)


@lru_cache(maxsize=WORD_FORMS)
def has_past_plural(word: str) -> bool:
    """The form can be a past-tense plural verb («перешли», «нашли»): a reading that a
    singular imperative spelled the same way («перешли!») competes with."""
    return any(p.tag.POS == "VERB" and "past" in p.tag and "plur" in p.tag for p in parses(word))


_CASES = frozenset("nomn gent datv accs ablt loct".split())


@lru_cache(maxsize=WORD_FORMS)
def agrees_as_noun(adjective: str, word: str) -> bool:
    """``word`` is a dictionary noun that the adjective (or participle, or «весь»/«этот»)
    before it agrees with in case and number: «санитарных норм», «этих норм»."""
    nouns = [p.tag for p in parses(word) if p.tag.POS == "NOUN" and p.is_known]
    if not nouns:
        return False
    for a in parses(adjective):
        if a.tag.POS not in ("ADJF", "PRTF", "NPRO") and "Apro" not in a.tag:
            continue
        for n in nouns:
            if a.tag.number == n.number and a.tag.case == n.case and a.tag.case in _CASES:
                if a.tag.number == "plur" or a.tag.gender in (None, n.gender):
                    return True
    return False
