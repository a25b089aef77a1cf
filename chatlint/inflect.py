"""Replacements that agree: put a suggested word into the case, number, gender or person of
the word it replaces («инфу» → «информацию», «проги» → «программы», «звякну» → «позвоню»)."""

from __future__ import annotations

from functools import lru_cache

from . import morph

CASES = frozenset("nomn gent datv accs ablt loct".split())
NUMBERS = frozenset("sing plur".split())
GENDERS = frozenset("masc femn neut".split())
VERBAL = frozenset("1per 2per 3per pres past futr impr indc incl excl".split())
ANIMACY = frozenset("anim inan".split())


def agree(replacement: str, grammemes: frozenset[str] | set[str], original: str) -> str:
    """``replacement`` inflected to ``grammemes`` where it can be, with ``original``'s case."""
    if not replacement:
        return replacement
    word = _inflect(replacement, frozenset(grammemes)) if grammemes else replacement
    return _copy_case(word, original)


@lru_cache(maxsize=4096)
def _inflect(replacement: str, grammemes: frozenset[str]) -> str:
    words = replacement.split()
    if len(words) != 1:
        return replacement  # a phrase keeps its form: «на мой взгляд», «медленно работать»
    parses = morph.parses(replacement.lower())
    for p in parses:
        if p.normal_form.replace("ё", "е") != replacement.lower().replace("ё", "е"):
            continue
        pos = p.tag.POS
        if pos == "NOUN":
            wanted = grammemes & (CASES | NUMBERS)
        elif pos in ("ADJF", "PRTF"):
            wanted = grammemes & (CASES | NUMBERS)
            if "sing" in grammemes:
                wanted |= grammemes & GENDERS
            if "accs" in grammemes:
                wanted |= grammemes & ANIMACY
        elif pos in ("VERB", "INFN"):
            wanted = grammemes & (NUMBERS | VERBAL)
            if "past" in grammemes and "sing" in grammemes:
                wanted |= grammemes & GENDERS
            if wanted and "INFN" not in grammemes:
                wanted |= {"VERB"} if pos == "INFN" else set()
        else:
            return replacement
        if not wanted:
            return replacement
        for attempt in (wanted, wanted & (CASES | NUMBERS)):
            if not attempt:
                continue
            r = p.inflect(set(attempt))
            if r is not None:
                return r.word
        return replacement
    return replacement


def _copy_case(word: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def grammemes_of(form: str, lemma: str) -> frozenset[str]:
    """The grammemes of the most probable parse of ``form`` whose lemma is ``lemma``."""
    for p in morph.parses(form):
        if p.normal_form.replace("ё", "е") == lemma:
            return frozenset(p.tag.grammemes)
    return frozenset()


@lru_cache(maxsize=1024)
def noun_for(n: int, noun: str, case: str = "nomn") -> str:
    """``noun`` (given in the nominative singular) in the form that goes with the number ``n``
    in ``case``: ``noun_for(5, "слово")`` is «слов», ``noun_for(21, "предложение", "gent")``
    («из 21 …») is «предложения», ``noun_for(3, "пункт", "gent")`` is «пунктов»."""
    for p in morph.parses(noun.lower()):
        if p.tag.POS != "NOUN" or "sing" not in p.tag or "nomn" not in p.tag:
            continue
        form = p.inflect({case}) if case != "nomn" else p
        if form is not None:
            agreed = form.make_agree_with_number(abs(n))
            if agreed is not None:
                return agreed.word
    return noun


def count(n: int, noun: str, case: str = "nomn") -> str:
    """«5 слов», «из 21 предложения» (with ``case="gent"``), «1 пункт»."""
    return f"{n} {noun_for(n, noun, case)}"


def decimal(x: float, digits: int = 1) -> str:
    """A number the Russian way: a decimal comma, no trailing zeros («2,7», «3»)."""
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def duration(seconds: float) -> str:
    """A wait the way a Russian QA report says it: «45 с», «3 мин», «1,5 ч», «2,7 дня»,
    «5 дней» (seconds, minutes and hours abbreviated, days in words that agree)."""
    if seconds < 120 and seconds % 60:
        return f"{int(seconds)} с"
    if seconds < 2 * 3600:
        return f"{int(seconds // 60)} мин"
    if seconds < 2 * 86400:
        return f"{decimal(seconds / 3600)} ч"
    days = round(seconds / 86400, 1)
    if days != int(days):
        return f"{decimal(days)} дня"  # a fraction takes the genitive singular: «2,7 дня»
    return count(int(days), "день")
