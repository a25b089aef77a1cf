"""Lexicon matching over words and lemmas, shared by the rules, the packs and the
dialogue rules: phrase matches sentence by sentence (:func:`phrase_hits`), colloquial
words with their formal replacements, obscene and abusive words (through disguises). Phrases
that blame the client are a speech act (:mod:`chatlint.acts`). The vocabulary is data in ``rules/lexicons/``; the rules that report
these live in :mod:`chatlint.checks`."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from . import morph
from .caches import WORD_FORMS
from .compiled import regex
from .document import Document, Word, in_quotes, norm
from .inflect import grammemes_of
from .phrases import Phrase
from .resources import lexicon

# ------------------------------------------------------------------ forms no word test flags

# Several rules ask a per-form question of every distinct word of a message (is it profane,
# unknown to the dictionaries, a common misspelling, a «ты» form?), and nearly every form of
# every message answers no to all of them. Forms known to answer no to every registered test
# are kept in one bounded set, so a message's candidates for those rules are one set
# difference in C (``notable_forms``) instead of one cached call per form and rule.
_FORM_TESTS: list[Callable[[str], object]] = []
_PLAIN_FORMS: set[str] = set()
_forms_generation = 0
_forms_lock = threading.Lock()


def form_test(test: Callable[[str], object]) -> Callable[[str], object]:
    """Register a per-form test (a function of a lower-case word form, ``ё`` folded, that
    depends on nothing but the form: cache it) whose true answers :func:`notable_forms` must
    keep. A decorator; registering forgets the forms known to be plain so far."""
    global _forms_generation
    with _forms_lock:
        _FORM_TESTS.append(test)
        _PLAIN_FORMS.clear()
        _forms_generation += 1
    return test


def notable_forms(doc: Document) -> frozenset[str]:
    """The forms of ``doc.vocabulary`` that some registered :func:`form_test` may answer true
    for (usually none or a few): a rule asking ``test(form)`` of every form of the vocabulary
    gets the same true ones asking it of these. Once per document."""
    cached = doc._memo.get(notable_forms)
    if cached is not None and cached[0] == _forms_generation:
        return cached[1]
    generation = _forms_generation
    tests = tuple(_FORM_TESTS)
    rest = doc.vocabulary - _PLAIN_FORMS
    if rest:
        plain = [f for f in rest if not any(t(f) for t in tests)]
        if plain:
            rest = rest.difference(plain)
            with _forms_lock:
                if generation == _forms_generation:  # no test registered meanwhile
                    if len(_PLAIN_FORMS) + len(plain) > WORD_FORMS:
                        _PLAIN_FORMS.clear()  # bounded as the per-form caches are
                    if len(plain) <= WORD_FORMS:  # (a text of more forms than that keeps none)
                        _PLAIN_FORMS.update(plain)
    doc._memo[notable_forms] = (generation, rest)
    return rest


# ------------------------------------------------------------------ phrases


def phrase_hits(doc: Document, phrases: tuple[Phrase, ...]) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of phrase matches, sentence by sentence."""
    lemma_set = doc.lemma_set  # a property: asked once, not once per phrase
    candidates = [p for p in phrases if p.possible_in(lemma_set)]
    if not candidates:
        return
    words = doc.words
    for s in doc.sentences:
        taken = -1
        for p in candidates:
            for i, j in p.finditer(words, s.first_word, s.last_word):
                if i <= taken:
                    continue
                taken = j - 1
                yield words[i].start, words[j - 1].end


# ------------------------------------------------------------------ colloquial words (A003)


@dataclass(frozen=True, slots=True)
class Colloquial:
    replacement: str
    parenthetical: bool


@dataclass(frozen=True, slots=True)
class ColloquialLexicon:
    forms: dict[str, tuple[Colloquial, frozenset[str]]]  # surface form → entry, grammemes
    lemmas: dict[str, Colloquial]  # lemma → entry
    lemma_keys: frozenset[str]
    form_keys: frozenset[str]


@lru_cache(maxsize=1)
def colloquial_lexicon() -> ColloquialLexicon:
    forms: dict[str, tuple[Colloquial, frozenset[str]]] = {}
    lemmas: dict[str, Colloquial] = {}
    for entry in lexicon("colloquial")["entry"]:
        c = Colloquial(entry.get("replacement", ""), bool(entry.get("parenthetical", False)))
        for form, gram in entry.get("forms", {}).items():
            forms[norm(form)] = (c, frozenset(g.strip() for g in gram.split(",") if g.strip()))
        for lemma in entry.get("lemmas", []):
            lemmas[norm(lemma)] = c
    morph.register_keys(lemmas)
    return ColloquialLexicon(forms, lemmas, frozenset(lemmas), frozenset(forms))


def _set_off(doc: Document, w: Word) -> bool:
    """Set off by commas or dashes, as a filler is: «Это, типа, бесплатно», «Короче, …»."""
    text = doc.text
    i = w.start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    j = w.end
    while j < len(text) and text[j] in " \t":
        j += 1
    before = text[i] if i >= 0 else ""
    after = text[j] if j < len(text) else ""
    return before in (",", "—", "–", "(") or after in (",", "—", "–", ")", "!")


def _slang_reading(doc: Document, w: Word) -> bool:
    """Whether a surface form of the slang list is meant as slang here.

    - An abbreviation is slang in its own case only: «мб» is «может быть», «МБ» megabytes.
    - After a number it is a unit («10 мб»).
    - In quotes it is a label («Нажмите «Ок»») or the client's own words.
    - A form that is also a dictionary word reads as that word when an adjective before it
      agrees with it: «санитарных норм» is the genitive plural of «норма», «Всё норм» slang.
    """
    t = w.text
    if len(t) > 1 and t.isupper():
        return False
    text = doc.text
    if text[max(0, w.start - 12) : w.start].rstrip()[-1:].isdigit():
        return False
    if in_quotes(doc, w.start, w.end):
        return False  # a label («Ок») or the client's words quoted («пришлите инфу»)
    i = doc.word_range(w.start, w.end)[0]
    if i > 0:
        prev = doc.words[i - 1]
        if not text[prev.end : w.start].strip() and morph.agrees_as_noun(prev.norm, w.norm):
            return False
    return True


@form_test
def _slang_form(form: str) -> bool:
    return form in colloquial_lexicon().form_keys


def colloquial_forms(doc: Document) -> frozenset[str]:
    """The forms of ``doc.vocabulary`` that are a slang form or have a colloquial lemma: the
    only words :func:`colloquial_words` needs to look at (usually none)."""
    lex = colloquial_lexicon()
    forms = lex.form_keys & notable_forms(doc)  # the slang forms are a form test
    if lex.lemma_keys and not lex.lemma_keys.isdisjoint(doc.lemma_set):
        # from the document's lexicon lemmas: every lemma key is Cyrillic, so
        # ``morph.relevant_lemmas`` holds the same of them as ``morph.lemmas``
        keys = lex.lemma_keys
        forms = forms.union(f for f, ls in doc.lexicon_lemmas.items() if not keys.isdisjoint(ls))
    return forms


def colloquial_words(doc: Document) -> Iterator[tuple[Word, Colloquial, frozenset[str]]]:
    """(word, entry, grammemes for the replacement) for every colloquial word of the text."""
    lex = colloquial_lexicon()
    forms = colloquial_forms(doc)
    if not forms:
        return
    by_form = not lex.form_keys.isdisjoint(forms)
    by_lemma = not lex.lemma_keys.isdisjoint(doc.lemma_set) if lex.lemma_keys else False
    for w in doc.words:
        if w.placeholder or w.norm not in forms:
            continue  # neither a slang form nor a form of a colloquial lemma
        hit = lex.forms.get(w.norm) if by_form else None
        if hit is not None:
            if not _slang_reading(doc, w):
                continue
            entry, gram = hit
        elif by_lemma:
            found = lex.lemma_keys & morph.lemmas(w.norm)
            if not found:
                continue
            lemma = min(found)
            entry, gram = lex.lemmas[lemma], grammemes_of(w.norm, lemma)
        else:
            continue
        if entry.parenthetical and not _set_off(doc, w):
            continue
        yield w, entry, gram


# ------------------------------------------------------------------ profanity (A004, T005)

# Letters and signs used to disguise a word, mapped back to the Cyrillic letter they stand for.
_SUBSTITUTE = str.maketrans(
    {
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о", "p": "р",
        "t": "т", "u": "и", "x": "х", "y": "у", "@": "а", "0": "о", "3": "з", "6": "б", "$": "с",
        "4": "ч", "ё": "е", "z": "з", "i": "и", "n": "п", "r": "г",
    }
)
_LOOSE_WORD = regex(r"[\w@$*]*[^\W\d_][\w@$*]*")
# A Cyrillic letter next to a Latin letter, a digit or «@$*»: looked for from the rarer side
# (the pattern opens with that class, which the regex engine skips to in C), about a third of
# the time of trying both orders at every character. ``_DISGUISE_PAIR`` is the plain form.
_DISGUISE_HINT = regex(r"[@$*0-9a-zA-Z](?:(?<=[а-яёА-ЯЁ].)|(?=[а-яёА-ЯЁ]))")
_DISGUISE_PAIR = regex(r"[а-яёА-ЯЁ][@$*0-9a-zA-Z]|[@$*0-9a-zA-Z][а-яёА-ЯЁ]")


@dataclass(frozen=True, slots=True)
class ProfanityLexicon:
    root: re.Pattern[str]
    masked: re.Pattern[str]
    lemmas: frozenset[str]
    exceptions: frozenset[str]
    plain: bool  # the lemmas and exceptions are all plain words (see ``morph.foreign``)


@lru_cache(maxsize=1)
def profanity_lexicon() -> ProfanityLexicon:
    data = lexicon("profanity")
    prefixes = sorted((re.escape(p) for p in data["prefixes"]), key=len, reverse=True)
    roots = "|".join(f"(?:{r})" for r in data["roots"])
    root = re.compile(f"(?:{'|'.join(prefixes)})(?:{roots})")
    # Self-censored spellings: «х*й», «б**дь», «п***ц»: a first letter of an obscene root,
    # asterisks, and the rest.
    masked = re.compile(r"(?:х\*+[йяеюи]?|п\*+[зцд]?|бл?\*+[дт]?|е\*+[алу]?|[её]\*+)[а-я*]*")
    lemmas = frozenset(norm(w) for w in data["words"])
    exceptions = frozenset(norm(w) for w in data["exceptions"])
    return ProfanityLexicon(root, masked, lemmas, exceptions, morph.plain_words(lemmas | exceptions))


@form_test
@lru_cache(maxsize=WORD_FORMS)
def is_profane(form: str) -> bool:
    """True for an obscene or abusive word form (already lower case); cached per form, as
    every word of every message asks."""
    lex = profanity_lexicon()
    plain = form.translate(_SUBSTITUTE)
    if plain in lex.exceptions:
        return False
    if "*" in plain:
        return lex.masked.fullmatch(plain) is not None
    # a word with a letter left foreign by the substitutions («sоггу», «риsн») has no plain
    # lemma: neither a profane one nor an exception (not parsed: ~100 µs a word pymorphy3
    # does not know)
    unparsed = lex.plain and morph.foreign(plain)
    if lex.root.match(plain):
        return unparsed or not (morph.lemmas(plain) & lex.exceptions)
    if unparsed or not plain.isalpha():
        return False
    return not lex.lemmas.isdisjoint(morph.lemmas(plain))


def mask(word: str) -> str:
    """«идиот» → «и****»: the finding's message never repeats the word."""
    return word[:1] + "*" * max(1, len(word) - 1)


def mask_profanity(text: str) -> str:
    """``text`` with every obscene or abusive word masked («х****»), disguised ones included:
    the one helper every finding message, fix title, explanation and output goes through, so
    that no rule can print the word it found (lengths are kept, so columns still line up)."""
    if not text or text.isascii() and not _DISGUISE_HINT.search(text):
        return text
    return _masked(text)


@lru_cache(maxsize=2048)
def _masked(text: str) -> str:
    # Finding messages repeat (the same template, the same quoted word): bounded cache
    return _LOOSE_WORD.sub(_mask_match, text)


def _mask_match(m: re.Match[str]) -> str:
    w = m.group()
    return mask(w) if len(w) > 1 and is_profane(w.lower()) else w


def profane_spans(doc: Document) -> list[tuple[int, int, str]]:
    """Obscene and abusive words of ``doc`` as (start, end, text), disguised ones whole
    (computed once per document: A004 and the dialogue rules ask)."""
    return doc.memo(profane_spans, _profane_spans)


def _profane_spans(doc: Document) -> list[tuple[int, int, str]]:
    text = doc.text
    profane = set(filter(is_profane, notable_forms(doc)))  # usually none: no word to look at
    spans = [(w.start, w.end, w.text) for w in doc.words if w.norm in profane and not w.placeholder] if profane else []
    if _DISGUISE_HINT.search(text):
        # Disguised words («пиzдец», «х*йня», «3@ебал») are split by razdel: scan them whole.
        plain = {(w.start, w.end) for w in doc.words}
        for m in _LOOSE_WORD.finditer(text):
            s, e = m.span()
            if (s, e) in plain or doc.in_opaque(s, e):
                continue
            if is_profane(m.group().lower()):
                spans = [x for x in spans if not (s <= x[0] and x[1] <= e)]  # the whole word wins
                spans.append((s, e, m.group()))
        spans.sort()
    return spans
