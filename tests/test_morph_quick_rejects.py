"""The per-word questions that answer a dictionary word from its readings' tags
(``morph.no_reading``) or from its lemmas, before any parse, against their definitions on
pymorphy3's parses: the same answer for every word."""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint import morph
from chatlint.checks import address, structure
from chatlint.layout import _starts_instruction, _verbal

_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def _plain_starts_instruction(word: str) -> bool:
    ps = morph.parses(word.lower())
    return any(("impr" in p.tag or p.tag.POS == "INFN") and p.score >= 0.3 for p in ps)


def _plain_verbal(word: str) -> bool:
    ps = morph.parses(word.lower())
    return any(p.tag.POS in ("VERB", "INFN", "PRED") and p.score >= 0.3 for p in ps)


def _plain_clause_word(word: str) -> bool:
    ps = morph.parses(word)
    if not ps:
        return False
    tag = ps[0].tag
    return tag.POS in ("VERB", "GRND", "PRED") or (tag.POS == "CONJ" and word in structure._SUBORDINATORS)


def _plain_plural_vocative(form: str, nouns: frozenset[str]) -> bool:
    return any(
        p.normal_form.replace("ё", "е") in nouns and {"plur", "nomn"} <= p.tag.grammemes for p in morph.parses(form)
    )


@lru_cache(maxsize=1)
def _words() -> list[str]:
    """Every form of verbs, nouns, predicatives and conjunctions the rules meet, as the
    dictionary gives them, with capitals, «ё», words it does not know and mixed scripts."""
    a = morph.analyzer()
    out = ["Перейти", "Нажмите", "Обновите", "Сохраните", "Откройте", "можно", "нужно", "надо", "что", "чтобы",
           "если", "когда", "потому", "так", "хотя", "клиенты", "Клиенты", "друзья", "коллеги", "Коллеги",
           "клиентов", "пожалуйста", "Ёлки", "ещё", "щас", "сeйчас", "ok", "в", "и", "-", "нажмитее", "перейдити",
           "гугл", "скриньте", "залогиньтесь", "зачекиньтесь", "оплаченно", "доставленна", "было", "будь"]
    for lemma in ("нажать", "перейти", "обновить", "клиент", "друг", "коллега", "можно", "готовый", "ждать",
                  "оплатить", "проверить", "сообщить", "подписчик", "покупатель", "учитель"):
        for p in a.parse(lemma)[:2]:
            out += [f.word for f in p.lexeme]
    return sorted(set(out))


_NOUNS = frozenset(["клиент", "друг", "коллега", "подписчик", "покупатель", "участник"])


def _answers_as_the_parses(word: str) -> None:
    assert _starts_instruction.__wrapped__(word) == _plain_starts_instruction(word)
    assert _verbal.__wrapped__(word) == _plain_verbal(word)
    low = word.lower()
    assert structure._clause_word.__wrapped__(low) == _plain_clause_word(low)
    assert address._plural_vocative(low, _NOUNS) == _plain_plural_vocative(low, _NOUNS)


@pytest.mark.parametrize("word", _words())
def test_quick_rejects_answer_as_the_parses(word):
    _answers_as_the_parses(word)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_RU + _RU.upper() + "-", min_size=1, max_size=9))
def test_quick_rejects_on_any_cyrillic_string(word):
    _answers_as_the_parses(word)


def test_no_reading_is_a_dictionary_answer():
    """A dictionary word none of whose readings passes is rejected without a parse; a word the
    dictionary does not know, or one with a passing reading, is left to the parses."""
    def impr(tag) -> bool:
        return "impr" in tag

    assert morph.no_reading("клиенты", impr)  # no reading of it is an imperative
    assert not morph.no_reading("нажмите", impr)  # one is
    assert not morph.no_reading("зачекиньтесь", impr)  # not in the dictionary: ask the parses
    assert morph.parses("зачекиньтесь") and morph._dictionary_tags("зачекиньтесь") is None
