"""Speech acts, recognised once for every rule that needs them: greetings and farewells
(formal and informal), and the dialogue acts of ``rules/lexicons/dialogue.toml`` (holding,
a phone offer, a call request, an apology, an auto-reply, insults…). Rules and summaries
read these instead of matching strings themselves."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from .document import Document, Word
from .lexicon import phrase_hits
from .phrases import Phrase, compile_phrase, first_match, opens_with
from .resources import lexicon, phrases, word_set

# ------------------------------------------------------------------ greetings and farewells

# How far into the first sentence a greeting may stand: «Анна, добрый день!» is fine.
_GREETING_WINDOW = 3


def formal_greetings() -> tuple[Phrase, ...]:
    return phrases("etiquette", "greetings", "formal")


def informal_greetings() -> tuple[Phrase, ...]:
    return phrases("etiquette", "greetings", "informal")


def formal_farewells() -> tuple[Phrase, ...]:
    return phrases("etiquette", "farewells", "formal")


def opening_greeting(doc: Document, table: tuple[Phrase, ...]) -> tuple[int, int] | None:
    """(i, j) word indices of a greeting that opens the message, if any."""
    words = doc.words
    if not words or not doc.sentences:
        return None
    stop = doc.sentences[0].last_word if doc.sentences[0].last_word > 0 else len(words)
    for i in range(min(_GREETING_WINDOW, stop)):
        # Only a name may come first, set off by a comma: «Анна, добрый день!»
        if i > 0:
            if not words[i - 1].is_capitalized:
                break
            if "," not in doc.text[words[i - 1].end : words[i].start]:
                continue
        hit = opens_with(list(table), words, i, stop)
        if hit is not None:
            return i, hit[0]
    return None


def opens_with_greeting(doc: Document) -> bool:
    return (
        opening_greeting(doc, formal_greetings()) is not None
        or opening_greeting(doc, informal_greetings()) is not None
    )


@lru_cache(maxsize=1)
def informal_farewell_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = lexicon("etiquette")["farewells"]
    words = frozenset(w for entry in data["informal"] for w in entry.split("|"))
    return words, frozenset(data["standalone_only"]), frozenset(data["companions"])


def informal_farewells(doc: Document) -> list[Word]:
    """Words used as a familiar goodbye: «Пока!», «Чао», «Давай)» (not «пока заказ в пути»)."""
    return doc.memo(informal_farewells, _informal_farewells)


def _informal_farewells(doc: Document) -> list[Word]:
    return list(_find_informal_farewells(doc))


def _find_informal_farewells(doc: Document) -> Iterator[Word]:
    words_set, standalone, companions = informal_farewell_words()
    if words_set.isdisjoint(doc.vocabulary):
        return
    for s in doc.sentences:
        ws = doc.sentence_words(s)
        for k, w in enumerate(ws):
            parts = w.norm.split("-")
            if not all(p in words_set for p in parts):
                continue
            if any(p in standalone for p in parts):
                others = ws[:k] + ws[k + 1 :]
                alone = all(_farewell_companion(o, companions, words_set) for o in others)
                if not alone and not _closing_word(doc, ws, k, s.end):
                    continue
            yield w


def _closing_word(doc: Document, ws: list[Word], k: int, sentence_end: int) -> bool:
    """«Всё готово, пока!»: the last word of its sentence, set off by a comma or a dash."""
    if k != len(ws) - 1 or k == 0:
        return False
    text = doc.text
    before = text[ws[k - 1].end : ws[k].start]
    after = text[ws[k].end : sentence_end].strip()
    return any(c in before for c in ",—–-") and all(not c.isalnum() for c in after)


def _farewell_companion(w: Word, companions: frozenset[str], farewells: frozenset[str]) -> bool:
    return w.norm in companions or w.norm in farewells or (w.is_capitalized and not w.placeholder) or w.placeholder


def has_introduction(doc: Document) -> bool:
    """The operator gives their name: «меня зовут Анна», «с Вами Олег»."""
    return first_match(phrases("etiquette", "introductions"), doc.words) is not None


def has_offer_of_help(doc: Document) -> bool:
    """The operator offers help: «чем я могу Вам помочь?»."""
    return first_match(phrases("etiquette", "offers_of_help"), doc.words) is not None


def has_farewell(doc: Document) -> bool:
    return first_match(formal_farewells(), doc.words) is not None or bool(informal_farewells(doc))


def is_farewell_only(doc: Document, start: int, end: int, max_words: int = 15) -> bool:
    """True when [start, end) is a short closing: a farewell and little else."""
    i, j = doc.word_range(start, end)
    if j - i > max_words or j == i:
        return False
    ws = doc.words
    if first_match(list(formal_farewells()), ws, i, j) is not None:
        return True
    return any(start <= w.start < end for w in informal_farewells(doc))


# ------------------------------------------------------------------ dialogue acts (rules/lexicons/dialogue.toml)


@lru_cache(maxsize=16)
def phrases_of(section: str) -> tuple[Phrase, ...]:
    """The compiled patterns of ``rules/lexicons/dialogue.toml`` ``[section]``."""
    data = lexicon("dialogue")[section]
    gap = data.get("gap", 0)
    return tuple(compile_phrase(p, gap) for p in data.get("patterns", []))


def words_of(section: str) -> frozenset[str]:
    return word_set("dialogue", section, "words")


def phrase_spans(doc: Document, section: str) -> list[tuple[int, int]]:
    """Where the phrases of a lexicon section occur in ``doc`` (memoised per document)."""

    def compute(d: Document) -> list[tuple[int, int]]:
        return list(phrase_hits(d, phrases_of(section)))

    return doc.memo(("dialogue-phrases", section), compute)


def is_holding(doc: Document) -> bool:
    """A holding message: the operator asks the client to wait while they find the answer."""
    return bool(phrase_spans(doc, "holding"))


def phone_offer(doc: Document) -> tuple[int, int] | None:
    """The span where the operator offers a phone call, or None."""
    spans = phrase_spans(doc, "phone")
    return spans[0] if spans else None
