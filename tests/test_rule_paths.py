"""The quick paths of the message rules find what the plain scans find: the per-form tests
asked only of the forms not known to be plain (``lexicon.notable_forms``), the disguised-word
hint looked for from its rarer side, the runs of letters with «ё» found from each «ё».

Each property compares the quick path with the plain one on generated text; a quick path
that dropped a case would fail it (tried by breaking each one)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint import lexicon
from chatlint.checks import address, spelling
from chatlint.document import Document

# words some per-form test flags (profane, unknown, a common slip, «ты»), with plain ones
_FLAGGED = ["идиот", "дебилом", "ожадание", "утсройство", "вообщем", "незнаю", "течении", "ты", "можешь", "напиши"]
_PLAIN = ["Здравствуйте", "заказ", "доставка", "Вы", "вам", "кто-нибудь", "ИНН", "ёлка", "Ещё", "SMS", "{ИМЯ}"]
_JUNK = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁaxz@$*0-", min_size=1, max_size=8)
words = st.lists(st.one_of(st.sampled_from(_FLAGGED + _PLAIN), _JUNK), max_size=12)
seps = st.sampled_from([" ", ", ", "-", ". ", "\n", "!"])


@st.composite
def messages(draw):
    ws = draw(words)
    return "".join(w + draw(seps) for w in ws)


@settings(max_examples=300, deadline=None)
@given(messages())
def test_every_form_test_flags_the_same_forms_among_the_notable_ones(text):
    doc = Document(text)
    notable = lexicon.notable_forms(doc)
    assert notable <= doc.vocabulary
    for test in lexicon._FORM_TESTS:
        assert {f for f in notable if test(f)} == {f for f in doc.vocabulary if test(f)}, test


def test_the_rules_tests_are_registered_and_plain_forms_are_remembered():
    for test in (lexicon.is_profane, spelling._unknown, spelling._may_slip, address._informal_form):
        assert test in lexicon._FORM_TESTS
    doc = Document("Здравствуйте, незнаю, идиот ли ожадание, напиши")
    assert lexicon.notable_forms(doc) == {"незнаю", "идиот", "ожадание", "напиши"}
    assert "здравствуйте" in lexicon._PLAIN_FORMS
    assert lexicon.notable_forms(Document("Здравствуйте!")) == frozenset()


def test_a_test_registered_later_forgets_the_plain_forms_and_refreshes_a_document():
    doc = Document("Здравствуйте, заказ готов")
    assert lexicon.notable_forms(doc) == frozenset()
    saved = list(lexicon._FORM_TESTS)
    try:
        lexicon.form_test(lambda f: f == "заказ")
        assert "заказ" not in lexicon._PLAIN_FORMS
        assert lexicon.notable_forms(doc) == {"заказ"}
    finally:
        lexicon._FORM_TESTS[:] = saved
        lexicon._PLAIN_FORMS.clear()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="аяЁё ZzQ09@$*_-.,\n", max_size=40))
def test_the_disguise_hint_looked_for_from_its_rare_side_is_the_pair_search(text):
    assert bool(lexicon._DISGUISE_HINT.search(text)) == bool(lexicon._DISGUISE_PAIR.search(text))


_LETTER_RUN = re.compile(r"[^\W\d_]+")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="аеёЁЕ z_1²½-. \n", max_size=40))
def test_the_runs_with_yo_found_from_each_yo_are_those_of_every_run(text):
    assert spelling._yo_words(Document(text)) == [t for t in _LETTER_RUN.findall(text) if "ё" in t or "Ё" in t]
