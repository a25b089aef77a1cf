"""Document words from whitespace-separated chunks (Document.words) against the words of the
whole text's razdel tokens (the definition: Document._words_from_tokens), on random text rich
in what razdel's rules react to — dashes, «_», «/», digits, marks, quotes, brackets, emoji,
letters of two alphabets and of others, «Yahoo!», spaces of several kinds — and in what words
leave out or keep whole: links, e-mail addresses, code, «>» quotes, {placeholders}."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint.document import Document

_PIECES = [
    "а", "б", "ё", "Ж", "Я", "q", "Z", "ж", "5", "0", "-", "—", "–", "_", "/", "\\", ".", ",", "!", "?", ":",
    ";", "…", "«", "»", "“", "”", "„", "\"", "'", "(", ")", "[", "]", "{", "}", "*", "+", "%", "№", "@", "#",
    "😀", "👍🏻", "Δ", "é", "ß", "٣", "²", "ᲀ", "K", " ", " ", "  ", "\n", "\t", " ",
    "привет", "Здравствуйте", "Wi-Fi", "из-за", "yahoo", "Yahoo", "ёлка", "=)", ":-(", "xD", "abc",
]
_SPECIAL = [
    "https://shop.example.ru/orders?id=5", "www.пример.рф/доставка", "anna.k@mail.ru", "{ИМЯ}", "{name}",
    "{ИМЯ КЛИЕНТА}", "`код здесь`", "anna@mail.ruответ", "смотри-https://x.ru", "сайт:https://a.b/c", "`x`y", "```\nблок кода\n```", "\n> цитата клиента\n", "[ссылка](https://x.ru/a-b)",
]
texts = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
special_texts = st.lists(st.sampled_from(_PIECES + _SPECIAL * 3), max_size=40).map("".join)


def both(text: str) -> tuple[list, list, int, int]:
    fast, slow = Document(text), Document(text)
    a, b = fast.words, slow._words_from_tokens()
    return a, b, fast._alphabet_changes, slow._alphabet_changes


@given(st.one_of(texts, special_texts))  # prose alone; with links, code and placeholders
@settings(max_examples=6000, deadline=None)
def test_words_are_the_token_words(text):
    a, b, ca, cb = both(text)
    assert a == b
    assert ca == cb


def test_examples_with_each_path():
    for text in [
        "(Здравствуйте, Анна!) Чем могу помочь?",
        "Из-за сбоя Wi-Fi не работал 1-й день; yahoo! Yahoo? «Ок»",
        "Здрaвствуйте (латинская «а»), приветHello, 5шт, 24/7, т.е., =) :-( 😀отлично",
        "слово- слово -слово 5 -слово ! -слово __init__ a_b",
        "Меня зовут{ИМЯ}, заказ: https://shop.example.ru/o?id=5 — пишите на anna@mail.ru, `код` {ИМЯ}а",
    ]:
        a, b, ca, cb = both(text)
        assert a == b and ca == cb, text
    assert [w.text for w in Document("Из-за сбоя, да.").words] == ["Из-за", "сбоя", "да"]
    assert [(w.text, w.placeholder) for w in Document("Анна, зовут{ИМЯ} https://a.ru/b").words] == [
        ("Анна", False), ("зовут", False), ("{ИМЯ}", True)]


class _Counted(list):
    """A list that counts the reads of its items."""

    reads = 0

    def __getitem__(self, k):
        type(self).reads += 1
        return super().__getitem__(k)


def test_each_chunk_looks_only_at_the_links_near_it():
    # hyphenated links send every chunk through the tokens; each must start its look at the
    # spans from where it is, not from the first (2,000 links: millions of reads otherwise)
    doc = Document("см. https://example.ru/a-b " * 2000)
    spans = _Counted(doc._opaque)
    assert len(spans) == 2000
    doc.__dict__["_opaque"] = spans
    _Counted.reads = 0
    assert [w.text for w in doc.words][:2] == ["см", "см"]
    assert _Counted.reads < 30 * len(spans)
