"""Links, Markdown links and code are read before brackets and smileys, and safe fixes keep
the meaning: they never touch a link, an e-mail, code, a secret after «Пароль:» or
«Промокод:», or a token that mixes letters with digits or symbols (issues 10 and 11)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatlint import apply_fixes, fix_message, lint_message
from chatlint.document import Document


def codes(text, **kw):
    return [f.code for f in lint_message(text, **kw)]


# ------------------------------------------------------------------ links before brackets


def test_spaced_brackets_around_a_link_are_a_remark_not_two_smileys():
    text = "Подробности по доставке ( https://example.ru/delivery ). Заказ приедет завтра."
    found = lint_message(text)
    assert "E002" not in [f.code for f in found]
    s006 = [f for f in found if f.code == "S006"]
    assert [(f.start, f.end) for f in s006] == [(text.index(")") + 1, text.index(")") + 2)]


def test_spaced_brackets_around_an_email_are_a_remark():
    text = "Пишите на почту ( help@example.ru ), ответим за день."
    assert "E002" not in codes(text)
    assert Document(text).paren_pairs == [(text.index("("), text.index(")"))]


def test_markdown_link_brackets_are_no_remark_and_no_smiley():
    text = "Откройте [инструкцию по возврату](https://example.ru/help/return). Доставка бесплатная."
    c = codes(text)
    assert "S006" not in c and "E002" not in c
    assert Document(text).paren_pairs == []


def test_markdown_link_with_brackets_inside_its_address():
    text = "См. [статью](https://ru.example.org/wiki/Чай_(напиток)). Спасибо)"
    doc = Document(text)
    assert doc.paren_pairs == []
    assert [(sm.start, sm.text) for sm in doc.bracket_smileys] == [(len(text) - 1, ")")]


def test_markdown_link_text_is_still_prose():
    doc = Document("Смотрите [вашу инструкцию](https://example.ru/a)")
    assert "вашу" in [w.text for w in doc.words]
    assert "example" not in [w.text for w in doc.words]


def test_a_real_remark_after_a_markdown_link_still_counts():
    text = "Смотрите [тут](https://example.ru/a) (раздел «Доставка»)."
    assert [f.start for f in lint_message(text) if f.code == "S006"] == [len(text) - 1]


# ------------------------------------------------------------------ code spans


@pytest.mark.parametrize(
    "text, code",
    [
        ("Выполните `git pull --rebase` и перезапустите.", "`git pull --rebase`"),
        ("Команда ``echo `date` `` выводит дату.", "``echo `date` ``"),
        ("Пример:\n```\nвы тут!!!\nвторая строка\n```\nГотово.", "```\nвы тут!!!\nвторая строка\n```"),
        ("Пример:\n~~~python\nprint('ок!!')\n~~~", "~~~python\nprint('ок!!')\n~~~"),
        ("Текст.\n\n    вы код!!!\n\tещё строка\n\nГотово.", "    вы код!!!\n\tещё строка"),
        ("Незакрытый блок:\n```\nвы тут!!!", "```\nвы тут!!!"),
    ],
)
def test_code_spans(text, code):
    doc = Document(text)
    assert [text[s:e] for s, e in doc.code_spans] == [code]


@pytest.mark.parametrize(
    "text",
    [
        "Цена 5`000 рублей",  # a lone backtick is no code
        "Шаги:\n    первый\nвторой",  # indented, but right after text: no blank line before
        "    Здравствуйте!",  # a message that starts indented is not code
    ],
)
def test_no_code_spans(text):
    assert Document(text).code_spans == []


def test_rules_do_not_report_style_inside_code():
    text = "Выполните в консоли:\n\n```\nвы тут!!! щас ;)\n```\n\nИ ещё `ок!!` в строке."
    found = lint_message(text)
    inside = [f for f in found if text.index("```") <= f.start < text.rindex("```") + 3 or 52 <= f.start < 58]
    assert [f.code for f in inside if f.code in ("A001", "A003", "A006", "E001")] == []


# ------------------------------------------------------------------ safe fixes keep meaning


@pytest.mark.parametrize(
    "text",
    [
        "Ссылка: https://example.ru/вы!!/путь",
        "Почта: вы!!@example.ru",
        "Код: `x!!y` и вы",
        "```\nвы тут!!!\n```\nГотово.",
        "Промокод: «SALE!!2024»",
        "Пароль: вы!!",
        "Ваш код подтверждения: «ab!!cd»",
        "Промокод SАLE2024!!",
        "Токен abc!!def в письме",
    ],
)
def test_no_safe_fix_inside_protected_text(text):
    doc = Document(text)
    for f in lint_message(text):
        if f.fix is None or f.fix.applicability != "safe":
            continue
        for e in f.fix.edits:
            assert not doc.protected(e.start, e.end), (f.code, text[e.start : e.end])


def test_protected_regions_keep_their_text_through_fix_message():
    text = "Промокод: «SALE!!2024». Код: `x!!y`. Ссылка: https://example.ru/a!!b. Токен abc!!def"
    fixed = fix_message(text)
    for piece in ("«SALE!!2024»", "`x!!y`", "https://example.ru/a!!b", "abc!!def"):
        assert piece in fixed


def test_prose_around_protected_text_is_still_fixed():
    assert fix_message("Промокод: «SALE2024». Ждём вас!!!") == "Промокод: «SALE2024». Ждём Вас!"


def test_downgraded_fix_stays_available_as_unsafe():
    text = "Ваш код abc!!def"
    a006 = [f for f in lint_message(text) if f.code == "A006"]
    assert a006 and all(f.fix.applicability == "unsafe" for f in a006)
    assert apply_fixes(text, a006) == text
    assert apply_fixes(text, a006, unsafe=True) == "Ваш код abc!def"


@pytest.mark.parametrize(
    "text",
    [
        "Посчитаем:\n- 5 + 3\n+ 2 = 10",
        "Проверка:\n* 2 = 4\n* 3 = 9",
        "Вы писали:\n> первая строка\n> вторая строка",
    ],
)
def test_s004_never_makes_arithmetic_or_quotes_a_list(text):
    fixed = fix_message(text)
    for line in text.splitlines()[1:]:
        body = line[1:].strip()
        assert any(fl.endswith(body) or fl.rstrip(";.").endswith(body) for fl in fixed.splitlines())
        assert not any(fl.startswith("- " + body) for fl in fixed.splitlines() if not line.startswith("- "))


def test_s006_fix_is_unsafe():
    text = "Оплата картой (онлайн). Доставка бесплатная."
    s006 = [f for f in lint_message(text) if f.code == "S006"]
    assert s006 and all(f.fix.applicability == "unsafe" for f in s006)
    assert fix_message(text) == text  # no sentence boundary is lost by --fix


# ------------------------------------------------------------------ property

_WORDS = ["Здравствуйте", "вы", "заказ", "вам", "готов", "ваш", "щас", "Итого"]
_PROTECTED = [
    "https://example.ru/a!!b",
    "www.example.ru/вы",
    "help@example.ru",
    "`вы!!`",
    "«x!!y»",
    "abc!!def",
    "SАLE2024",
    "A1b2!!",
    "[текст](https://example.ru/a).",
]
_PUNCT = ["!!!", "!", ".", ",", "?!!", ";", ":", " (", ")", "."]
_pieces = st.lists(
    st.one_of(
        st.sampled_from(_WORDS),
        st.sampled_from(_PROTECTED),
        st.sampled_from(_PUNCT),
        st.sampled_from(["Промокод: ", "Пароль: ", "код: "]),
    ),
    max_size=14,
)
_seps = st.sampled_from([" ", " ", "\n", "\n\n", "\n- ", "\n* ", ""])


@given(_pieces, st.lists(_seps, min_size=14, max_size=14))
def test_safe_fixes_change_only_prose(pieces, seps):
    """Every token that is not a word of prose (a link, an address, code, a secret, a token
    mixing letters with digits or symbols) comes out of the safe fixes unchanged, in order."""
    text = "".join(p + s for p, s in zip(pieces, seps, strict=False))
    doc = Document(text)
    spans = doc.protected_spans
    fixed = apply_fixes(text, lint_message(text))
    kept = [text[s:e] for s, e in spans]
    # each protected piece is still there, in the same order
    pos = 0
    for piece in kept:
        k = fixed.find(piece, pos)
        assert k >= 0, (piece, text, fixed)
        pos = k + len(piece)
    # and the protected spans of the original are exactly the non-prose tokens we put in
    for p in _PROTECTED:
        for m in re.finditer(re.escape(p.rstrip(".")), text):
            assert doc.protected(m.start(), m.end()), (p, text)


@pytest.mark.parametrize(
    "text, outside",
    [
        ("Готово 😀 `echo 🚚🚚` 👍", ["😀", "👍"]),
        ("```\n🚚🚚🚚\n```\nГотово 😀😀", ["😀", "😀"]),
        ("Ссылка https://example.ru/😀😀/a и 🚚", ["🚚"]),
        ("😀😀`🚚`😀😀", ["😀", "😀", "😀", "😀"]),
    ],
)
def test_emoji_inside_code_and_links_are_not_the_operators(text, outside):
    doc = Document(text)
    assert [sm.text for sm in doc.emoji] == outside
    assert doc.emoji_count == len(outside)
    e003 = [f for f in lint_message(text) if f.code == "E003"]
    assert all(not doc.in_opaque(f.start, f.end) for f in e003)


_PROTECTED_PIECES = [
    "Пароль: qwe12", "код «ABC»", "Промокод SALE2024", "https://example.ru/a?b=1", "help@example.ru",
    "`x = 1`", "А1Б2", "abc!!def", "(SALE2024).", "слово", "вы", " ", "  ", "\n", "\n\n", ",", ".", ":",
    "```\ncode\n```", "> цитата", "12", "x7", "!", "«", "»",
]


@given(
    st.lists(st.sampled_from(_PROTECTED_PIECES), max_size=14).map("".join),
    st.integers(0, 200),
    st.integers(0, 6),
)
def test_protected_asks_only_the_lines_it_touches(text, at, width):
    """``Document.protected`` (mixed tokens looked for on the edit's lines only) says what the
    whole-text ``protected_spans`` say: overlap for an edit, strictly inside for an insertion."""
    doc = Document(text)
    start = min(at, len(text))
    end = min(start + width, len(text))
    spans = doc.protected_spans
    if start == end:
        want = any(a < start < b for a, b in spans)
    else:
        want = any(a < end and start < b for a, b in spans)
    assert doc.protected(start, end) == want
