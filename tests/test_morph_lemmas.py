"""``morph.lemmas`` reads the normal forms of a word the dictionary has straight from the
dictionary (no parse objects, tags or probabilities): it must give exactly the normal forms of
pymorphy3's own parse, for every kind of word."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatlint import morph


def _parsed(word: str) -> frozenset[str]:
    """The plain definition: the normal forms of pymorphy3's parses."""
    return frozenset(p.normal_form.replace("ё", "е") for p in morph.parses(word))


def _words() -> list[str]:
    """Forms of every kind: dictionary forms (with «е» for «ё», capitals, hyphens), predicted
    words, one-letter words and initials, Latin, digits, mixed scripts, punctuation."""
    words = ["еще", "ещё", "всё", "все", "елка", "ёлка", "Ёлка", "ЗДРАВСТВУЙТЕ", "Москве", "кто-то", "из-за",
             "по-моему", "ну-ка", "интернет-магазин", "суперскидка", "спасибки", "щас", "оч", "в", "В", "А", "я",
             "ok", "CRM", "123", "12-й", "xvii", "чел0век", "сaйт", "-", "—", "…", "", "ъ", "ь", "йцукен"]
    an = morph.analyzer()
    # a stretch of the dictionary itself: forms of common paradigms, their other forms
    for lemma in ("заказ", "доставка", "оператор", "помочь", "ожидать", "быстрый", "наш", "этот", "один", "сто"):
        for p in an.parse(lemma)[:2]:
            words += [f.word for f in p.lexeme][:40]
    return words


@pytest.mark.parametrize("word", _words())
def test_same_normal_forms_as_pymorphy3(word):
    assert morph._dictionary_lemmas(word) in (None, _parsed(word))
    assert morph.lemmas(word) == _parsed(word)


def test_dictionary_words_take_the_quick_path():
    # the quick path answers for dictionary words (else this test would pass without it)
    for word in ("заказ", "доставки", "еще", "кто-то", "ЗДРАВСТВУЙТЕ"):
        assert morph._dictionary_lemmas(word) is not None, word
    for word in ("спасибки", "в", "А", "ok", "123"):
        assert morph._dictionary_lemmas(word) is None, word


_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_RU + _RU.upper() + "-", min_size=1, max_size=9))
def test_any_cyrillic_string(word):
    assert morph.lemmas(word) == _parsed(word)


def _informal_verb(word: str) -> bool:
    """The plain definition: pymorphy3's most probable parse is a 2nd-person singular verb or
    a singular imperative."""
    ps = morph.parses(word)
    if not ps:
        return False
    tag = ps[0].tag
    return "VERB" in tag and "sing" in tag and ("2per" in tag or ("impr" in tag and "excl" in tag))


_VERBS = ["можешь", "напиши", "подожди", "можете", "напишите", "перешли", "пиши", "жди", "смотри", "смотрите", "бери",
          "скажи", "знаешь", "хочешь", "будешь", "сделаешь", "ешь", "печь", "пойми", "дай", "давай", "оставь", "приходи"]


@pytest.mark.parametrize("word", _words() + _VERBS)
def test_informal_verb_as_pymorphy3_ranks_it(word):
    morph.is_informal_verb.cache_clear()
    assert morph.is_informal_verb(word) == _informal_verb(word)


def test_dictionary_tags_are_the_dictionary_readings():
    for word in _words() + _VERBS:
        tags = morph._dictionary_tags(word)
        if tags is not None:
            assert sorted(map(str, tags)) == sorted(str(p.tag) for p in morph.parses(word)), word
    assert any(morph._addresses_you(t) for t in morph._dictionary_tags("напиши"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_RU + "-", min_size=2, max_size=9))
def test_informal_verb_any_cyrillic_string(word):
    assert morph.is_informal_verb.__wrapped__(word) == _informal_verb(word)


# ------------------------------------------------------------------ foreign words

_FOREIGN_CHARS = "aeopcxykmhtbsgvdjflqwzAEOPCXKM0123456789.'’_ѐђ"


def _forms() -> list[str]:
    """Dictionary forms of words operators write, lexicon lemmas among them, to put foreign
    letters into."""
    an = morph.analyzer()
    out = ["сейчас", "здравствуйте", "пожалуйста", "интернет", "спасибо", "всего", "доброго"]
    for lemma in ("заказ", "доставка", "оператор", "помочь", "ожидать", "быстрый", "кабинет", "сообщение", "вопрос",
                  "извинить", "подождать", "уточнить", "минута", "сука", "идиот", "дебил"):
        out += [f.word for f in an.parse(lemma)[0].lexeme][:24]
    return out


@st.composite
def _disguised(draw) -> str:
    """A real form with one to three of its letters foreign («сeйчас», «зaказа»), sometimes
    with a particle or a prefix."""
    chars = list(draw(st.sampled_from(_forms())))
    for _ in range(draw(st.integers(1, 3))):
        chars[draw(st.integers(0, len(chars) - 1))] = draw(st.sampled_from(_FOREIGN_CHARS))
    return draw(st.sampled_from(["", "", "по", "не", "супер"])) + "".join(chars) + draw(
        st.sampled_from(["", "", "-то", "-нибудь", "-ка"]))


_MIXED = st.one_of(_disguised(), st.text(alphabet=_RU + _FOREIGN_CHARS + "-", min_size=1, max_size=9))

# dictionary words with a foreign character (pymorphy3's dictionary has about 2,400 forms)
_FOREIGN_IN_DICTIONARY = ["1-го", "2-ми", "10-е", "лентой.ру", "ленты.ру", "кот-д’ивуаре", "о'кей", "вояджером-2"]


def _plain_relevant(word: str) -> frozenset[str]:
    return morph.cyrillic_lemmas(word) & morph._KEYS


@pytest.fixture
def keys(monkeypatch):
    """The shipped lexicons' lemmas (all plain words; a test elsewhere may have registered a
    Latin one, which turns the quick path off for the rest of the process)."""
    import chatlint

    chatlint.lint_message("Здравствуйте! Подождите, пожалуйста, минуту. Спасибо, всего доброго!", first=True, last=True)
    plain = frozenset(k for k in morph._KEYS if not morph.foreign(k))
    assert len(plain) > 100
    monkeypatch.setattr(morph, "_KEYS", plain)
    monkeypatch.setattr(morph, "_PLAIN_KEYS", True)
    return plain


@settings(max_examples=500, deadline=None)
@given(_MIXED)
def test_a_foreign_word_has_no_plain_lemma(word):
    """What the quick path of relevant_lemmas and lexicon.is_profane rests on: every normal
    form pymorphy3 gives a word with a foreign character has one too."""
    if morph.foreign(word):
        assert all(morph.foreign(lemma) for lemma in _parsed(word)), (word, _parsed(word))


@pytest.mark.parametrize("word", _FOREIGN_IN_DICTIONARY)
def test_a_foreign_dictionary_word_has_no_plain_lemma(word):
    assert morph._dictionary_lemmas(word) is not None and morph.foreign(word)
    assert all(morph.foreign(lemma) for lemma in _parsed(word))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(_MIXED, st.sampled_from(_forms())))
def test_relevant_lemmas_as_the_plain_intersection(keys, word):
    assert morph.relevant_lemmas.__wrapped__(word) == _plain_relevant(word)


def test_relevant_lemmas_of_lexicon_words(keys):
    # the plain words the lexicons look for keep their lemmas (else the tests above could pass
    # with a quick path that drops every word)
    found = [w for w in _forms() if _plain_relevant(w)]
    assert len(found) > 20
    assert all(morph.relevant_lemmas.__wrapped__(w) == _plain_relevant(w) for w in found)
    assert not morph.foreign("сейчас") and morph.foreign("сeйчас") and morph.foreign("СЕЙЧАС1")


def test_a_foreign_key_turns_the_quick_path_off(keys, monkeypatch):
    word = "push-уведомлениях"
    assert morph.foreign(word) and morph.relevant_lemmas.__wrapped__(word) == frozenset()
    monkeypatch.setattr(morph, "_KEYS", frozenset())
    morph.register_keys(keys | {"push-уведомление"})
    try:
        assert not morph._PLAIN_KEYS
        assert morph.relevant_lemmas.__wrapped__(word) == {"push-уведомление"}
    finally:
        morph.relevant_lemmas.cache_clear()


def _verb_forms() -> list[str]:
    """Every form of verbs operators use with «ты» or «Вы» (imperatives, 2nd person, past
    plurals that look like imperatives: «перешли»)."""
    an = morph.analyzer()
    out = []
    for lemma in ("написать", "подождать", "переслать", "смотреть", "сказать", "оставить", "дать", "печь", "есть"):
        out += [f.word for f in an.parse(lemma)[0].lexeme]
    return out


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(_verb_forms()), st.text(alphabet=_RU, min_size=2, max_size=8)))
def test_informal_verb_from_the_tag_numbers_as_pymorphy3_ranks_it(word):
    assert morph.is_informal_verb.__wrapped__(word) == _informal_verb(word)


def test_recent_readings_are_the_dictionary_look_up(monkeypatch):
    monkeypatch.setattr(morph, "_RECENT", {})
    monkeypatch.setattr(morph, "_RECENT_SIZE", 50)
    words = _verb_forms()[:120] + ["щас", "ok", "в", "ещё", "еще"]
    for _ in range(2):  # asked again: from the memo (or looked up again once it was cleared)
        for w in words:
            assert morph._readings(w) == morph._look_up(w), w
            assert len(morph._RECENT) <= 50
    assert morph._readings("напиши") is morph._readings("напиши")  # remembered


def _plain_known_tags(word: str) -> list[str]:
    return sorted(str(p.tag) for p in morph.parses(word) if p.is_known)


@pytest.mark.parametrize("word", _words() + _VERBS + _FOREIGN_IN_DICTIONARY)
def test_known_tags_are_the_known_parses_tags(word):
    assert sorted(map(str, morph.known_tags(word))) == _plain_known_tags(word)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(_verb_forms()), st.text(alphabet=_RU + "-", min_size=1, max_size=8),
                 st.text(alphabet=_RU, min_size=1, max_size=6).map(lambda w: w + "тся")))
def test_known_tags_of_any_word(word):
    assert sorted(map(str, morph.known_tags(word))) == _plain_known_tags(word)
