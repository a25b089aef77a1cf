"""The protected tokens of a line (``Document.protected``: what a safe fix must leave alone) are
found from their rarer side — a token with a digit from each run of digits, a symbol inside a
word from each run of the symbols — and are what the patterns that say what they are
(``_MIXED_TOKEN``, ``_SYMBOL_INSIDE``, tried at every character) find. A quick path that
dropped or added a token fails the property (tried by breaking each piece)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from chatlint import document as D
from chatlint.document import Document


def _plain_token_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    spans = []
    for m in D._MIXED_TOKEN.finditer(text, lo, hi):
        a, b = m.span()
        while a < b and text[a] in D._TOKEN_OPENERS:
            a += 1
        while b > a and text[b - 1] in D._TOKEN_CLOSERS:
            b -= 1
        if a < b:
            spans.append((a, b))
    spans.extend(m.span() for m in D._SYMBOL_INSIDE.finditer(text, lo, hi))
    return spans


# letters, digits, the symbols, openers and closers, every kind of whitespace
_ALPHABET = "aZяЁ_1 90!?;:*#$%^&=+|\\/~<>@(«»\".,)-\n\t\u00a0\u2009\u3000\x1c"
texts = st.text(alphabet=_ALPHABET, max_size=40)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_the_protected_tokens_of_a_text_are_the_patterns_ones(text):
    assert D._token_spans(text, 0, len(text)) == _plain_token_spans(text, 0, len(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aя!?@1 (.\n", max_size=20))
@example("a!b!c")
@example("!!a")
@example("1a!!b")
def test_runs_of_symbols_between_letters_are_the_patterns_ones(text):
    assert D._token_spans(text, 0, len(text)) == _plain_token_spans(text, 0, len(text))


@settings(max_examples=300, deadline=None)
@given(texts, texts, texts)
def test_the_protected_tokens_of_a_line_are_the_patterns_ones(before, line, after):
    line = line.replace("\n", " ")
    text = before + "\n" + line + "\n" + after
    lo = len(before) + 1
    assert D._token_spans(text, lo, lo + len(line)) == _plain_token_spans(text, lo, lo + len(line))


def test_protected_tokens_on_plain_cases():
    text = "Промокод (SALE2024). Пишите: вы!!@example, a!b!c, 12:30, ID-77x\u00a0A1\tок"
    spans = D._token_spans(text, 0, len(text))
    assert [text[a:b] for a, b in spans] == ["SALE2024", "ID-77x", "A1", "ы!!@e", "a!b"]
    assert spans == _plain_token_spans(text, 0, len(text))
    doc = Document(text)
    assert doc.protected(text.index("SALE"), text.index("SALE") + 4)
    assert not doc.protected(0, 8)
