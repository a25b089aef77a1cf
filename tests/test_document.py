"""Unit tests of the Document model (chatlint/document.py): lines, blocks, sentences, words,
links, parentheses vs smileys, emoji and positions; plus invariants over arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from strategies import TEXTS

from chatlint.document import Document


def spans(doc: Document, pairs) -> list[str]:
    return [doc.text[s:e] for s, e in pairs]


def smileys(text: str) -> list[tuple[str, str, int, int]]:
    return [(s.text, s.kind, s.start, s.end) for s in Document(text).smileys]


def word_texts(text: str) -> list[str]:
    return [w.text for w in Document(text).words]


# ---------------------------------------------------------------- lines and positions


def test_lines_with_crlf_cr_and_lf():
    text = "ab\r\ncd\ref\ngh"
    lines = Document(text).lines
    assert [(ln.start, ln.end, ln.break_end) for ln in lines] == [
        (0, 2, 4),
        (4, 6, 7),
        (7, 9, 10),
        (10, 12, 12),
    ]
    assert [text[ln.start : ln.end] for ln in lines] == ["ab", "cd", "ef", "gh"]
    assert not any(ln.blank for ln in lines)


def test_lines_blank_and_trailing_break():
    text = "a\r\n  \t\r\n\rb\n"
    lines = Document(text).lines
    assert [(text[ln.start : ln.end], ln.blank) for ln in lines] == [
        ("a", False),
        ("  \t", True),
        ("", True),
        ("b", False),
        ("", True),  # after the trailing break
    ]
    assert lines[-1].start == lines[-1].end == lines[-1].break_end == len(text)


def test_lines_of_empty_text():
    lines = Document("").lines
    assert [(ln.start, ln.end, ln.break_end, ln.blank) for ln in lines] == [(0, 0, 0, True)]


def test_lf_then_cr_is_two_breaks_and_crlf_is_one():
    assert len(Document("a\n\rb").lines) == 3
    assert len(Document("a\r\nb").lines) == 2
    assert len(Document("a\r\r\nb").lines) == 3


def test_position_line_and_column():
    doc = Document("a\r\nb\rc\n")
    got = [doc.position(i) for i in range(len(doc.text) + 1)]
    # offsets: a=0 \r=1 \n=2 b=3 \r=4 c=5 \n=6 end=7
    assert got == [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (3, 1), (3, 2), (4, 1)]


def test_position_with_astral_characters_counts_str_offsets():
    doc = Document("😀😀\nЯ")
    assert doc.position(2) == (1, 3)
    assert doc.position(3) == (2, 1)


# ---------------------------------------------------------------- blocks


def test_paragraphs_and_chunks_split_by_blank_lines():
    text = "Первый абзац без\nточки в конце строки\n\nВторой абзац.\r\n\r\nТретий\r\rЧетвёртый"
    doc = Document(text)
    assert [b.kind for b in doc.blocks] == ["paragraph"] * 4
    assert spans(doc, [(b.start, b.end) for b in doc.blocks]) == [
        "Первый абзац без\nточки в конце строки",
        "Второй абзац.",
        "Третий",
        "Четвёртый",
    ]
    assert [b.chunk for b in doc.blocks] == [0, 1, 2, 3]
    assert [b.lines for b in doc.blocks] == [[0, 1], [3], [5], [7]]
    assert doc.paragraphs == doc.blocks


def test_paragraph_and_list_in_one_chunk():
    text = "Варианты:\n- первый\n- второй\nИ ещё абзац."
    doc = Document(text)
    assert [(b.kind, b.chunk) for b in doc.blocks] == [("paragraph", 0), ("list", 0), ("paragraph", 0)]
    lst = doc.blocks[1]
    assert [text[i.start : i.end] for i in lst.items] == ["- первый", "- второй"]
    assert lst.lines == [1, 2]
    assert doc.chunks == [(0, len(text))]
    assert [b.kind for b in doc.paragraphs] == ["paragraph", "paragraph"]


def test_paragraph_is_stripped_of_surrounding_whitespace():
    text = "  отступ  \n\n\n  "
    doc = Document(text)
    assert spans(doc, [(b.start, b.end) for b in doc.blocks]) == ["отступ"]
    assert doc.chunks == [(2, 8)]


def test_empty_and_whitespace_only_text_have_no_blocks():
    for text in ("", "\r\n\r\n", " \t\n \r "):
        doc = Document(text)
        assert doc.blocks == []
        assert doc.sentences == []
        assert doc.chunks == []


@pytest.mark.parametrize(
    ("line", "marker", "kind"),
    [
        ("- пункт", "-", "dash"),
        ("1. пункт", "1.", "digit"),
        ("12) пункт", "12)", "digit"),
        ("3) пункт", "3)", "digit"),
        ("а) пункт", "а)", "letter"),
        ("ё) пункт", "ё)", "letter"),
        ("b) пункт", "b)", "letter"),
        ("* пункт", "*", "other"),
        ("• пункт", "•", "other"),
        ("· пункт", "·", "other"),
        ("— пункт", "—", "other"),
        ("– пункт", "–", "other"),
        ("+ пункт", "+", "other"),
        ("► пункт", "►", "other"),
        ("✅ пункт", "✅", "other"),
        ("1️⃣ пункт", "1️⃣", "other"),
    ],
)
def test_list_marker_kinds(line, marker, kind):
    text = f"Текст:\n{line}\n  {line}"  # the second, indented, is an item too
    doc = Document(text)
    lists = [b for b in doc.blocks if b.kind == "list"]
    assert len(lists) == 1
    items = lists[0].items
    assert [(i.marker, i.marker_kind) for i in items] == [(marker, kind)] * 2
    for item, start in zip(items, (7, 7 + len(line) + 3), strict=True):
        assert item.start == item.marker_start == start
        assert text[item.marker_start : item.marker_end] == marker
        assert text[item.content_start : item.end] == "пункт"
    assert [i.line for i in items] == [1, 2]


@pytest.mark.parametrize("line", ["-пункт", "- ", "-", "123. пункт", "1.пункт", "ab) пункт", "1.5 литра"])
def test_not_a_list_line(line):
    doc = Document(line)
    assert [b.kind for b in doc.blocks] == (["paragraph"] if line.strip() else [])


def test_list_with_mixed_markers_is_one_list():
    text = "- один\n* два\n• три\n1. четыре\nа) пять"
    doc = Document(text)
    assert [b.kind for b in doc.blocks] == ["list"]
    assert [i.marker_kind for i in doc.blocks[0].items] == ["dash", "other", "other", "digit", "letter"]


def test_list_continuation_lines():
    # an indented line goes on with its item; so does an unindented one in lower case after an
    # item without a final mark (a wrapped item); an unindented capitalised line does not
    wrapped = Document("- второй пункт\nпродолжается здесь;\n- третий.")
    assert [len(b.items) for b in wrapped.blocks] == [2]
    text = "- первый пункт\r\n  продолжение первого\r\n- второй\nНе продолжение"
    doc = Document(text)
    assert [b.kind for b in doc.blocks] == ["list", "paragraph"]
    lst = doc.blocks[0]
    assert [text[i.start : i.end] for i in lst.items] == [
        "- первый пункт\r\n  продолжение первого",
        "- второй",
    ]
    assert lst.lines == [0, 1, 2]
    assert [i.line for i in lst.items] == [0, 2]
    assert text[lst.start : lst.end] == "- первый пункт\r\n  продолжение первого\r\n- второй"
    assert text[doc.blocks[1].start : doc.blocks[1].end] == "Не продолжение"


def test_indented_line_after_blank_line_is_a_new_paragraph():
    text = "- пункт\n\n  отдельно"
    doc = Document(text)
    assert [(b.kind, b.chunk) for b in doc.blocks] == [("list", 0), ("paragraph", 1)]
    assert text[doc.blocks[1].start : doc.blocks[1].end] == "отдельно"


def test_list_item_end_is_right_stripped():
    text = "- пункт;   \n- второй \t"
    items = Document(text).blocks[0].items
    assert [text[i.content_start : i.end] for i in items] == ["пункт;", "второй"]


# ---------------------------------------------------------------- sentences


def test_sentences_in_a_paragraph():
    text = "Абзац. Ещё предложение? Да!"
    doc = Document(text)
    assert spans(doc, [(s.start, s.end) for s in doc.sentences]) == ["Абзац.", "Ещё предложение?", "Да!"]
    assert doc.blocks[0].sentences == doc.sentences


def test_sentences_across_lines_of_one_paragraph():
    text = "Первая строка.\r\nВторая!\rТретья"
    doc = Document(text)
    assert spans(doc, [(s.start, s.end) for s in doc.sentences]) == ["Первая строка.", "Вторая!", "Третья"]


def test_sentences_do_not_split_on_abbreviations_in_parentheses():
    text = "Смотрите условия (см. ниже) и т.е. всё. Спасибо!"
    doc = Document(text)
    assert spans(doc, [(s.start, s.end) for s in doc.sentences]) == [
        "Смотрите условия (см. ниже) и т.е. всё.",
        "Спасибо!",
    ]


def test_sentences_in_list_items_exclude_markers():
    text = "- Первое. Второе!\n- Третье\n  продолжение. Четвёртое\n\nАбзац."
    doc = Document(text)
    assert spans(doc, [(s.start, s.end) for s in doc.blocks[0].sentences]) == [
        "Первое.",
        "Второе!",
        "Третье\n  продолжение.",
        "Четвёртое",
    ]
    assert spans(doc, [(s.start, s.end) for s in doc.sentences])[-1] == "Абзац."


def test_sentence_words():
    text = "Здравствуйте, {ИМЯ}! Ваш заказ № 5 готов."
    doc = Document(text)
    assert [[w.text for w in doc.sentence_words(s)] for s in doc.sentences] == [
        ["Здравствуйте", "{ИМЯ}"],
        ["Ваш", "заказ", "готов"],
    ]


# ---------------------------------------------------------------- words


def test_placeholder_is_one_word():
    text = "Здравствуйте, меня зовут {ИМЯ}, а Вас — {ИМЯ_КЛИЕНТА}?"
    words = Document(text).words
    holders = [w for w in words if w.placeholder]
    assert [(w.text, w.start, w.end) for w in holders] == [("{ИМЯ}", 25, 30), ("{ИМЯ_КЛИЕНТА}", 40, 53)]
    assert all(w.is_capitalized for w in holders)
    assert [w.text for w in words if not w.placeholder] == ["Здравствуйте", "меня", "зовут", "а", "Вас"]


def test_adjacent_placeholders_and_suffix():
    assert word_texts("{a}{b}") == ["{a}", "{b}"]
    assert word_texts("{ИМЯ}-{ФАМИЛИЯ}") == ["{ИМЯ}", "{ФАМИЛИЯ}"]
    assert word_texts("{}") == []


def test_word_glued_to_placeholder_is_kept():
    assert word_texts("меня зовут{ИМЯ}") == ["меня", "зовут", "{ИМЯ}"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Здрaвствуйте", ["Здрaвствуйте"]),  # Latin «a» inside
        ("пpивет мир", ["пpивет", "мир"]),  # Latin «p»
        ("abcабв", ["abcабв"]),
        ("Hello,мир", ["Hello", "мир"]),
        ("кое-где", ["кое-где"]),
    ],
)
def test_words_split_at_script_change_are_rejoined(text, expected):
    words = Document(text).words
    assert [w.text for w in words] == expected
    assert all(text[w.start : w.end] == w.text for w in words)


def test_word_norm_and_capitalisation():
    w = Document("Ёлка").words[0]
    assert (w.text, w.norm, w.is_capitalized, w.placeholder) == ("Ёлка", "елка", True, False)
    assert not Document("ёлка").words[0].is_capitalized


def test_tokens_without_letters_are_not_words():
    assert word_texts("5 кг, 100%, 8-800-555-35-35 :) !!! 😀 — ИНН123 5кг") == ["кг", "ИНН", "кг"]


def test_link_and_email_tokens_are_not_words():
    text = "пишите на support@shop.ru или https://shop.ru/help и www.shop.ru/доставка, см. shop.ru/x"
    assert word_texts(text) == ["пишите", "на", "или", "и", "см"]


# ---------------------------------------------------------------- links and e-mails


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("Смотрите https://shop.ru/x.", "https://shop.ru/x"),
        ("Смотрите https://shop.ru/x!?", "https://shop.ru/x"),
        ("Смотрите https://shop.ru/x…", "https://shop.ru/x"),
        ("«https://shop.ru»", "https://shop.ru"),
        ("http://shop.ru/a?b=1&c=2#d, дальше", "http://shop.ru/a?b=1&c=2#d"),
        ("на www.shop.ru, там", "www.shop.ru"),
        ("адрес shop.ru/x; всё", "shop.ru/x"),
        ("адрес shop.ru", "shop.ru"),
        ("ya.ru:8080/a", "ya.ru:8080/a"),
        ("(см. https://shop.ru/x)", "https://shop.ru/x"),
        ("(https://shop.ru/a_(b))", "https://shop.ru/a_(b)"),
        ("https://shop.ru/доставка.", "https://shop.ru/доставка"),
    ],
)
def test_links(text, link):
    doc = Document(text)
    assert spans(doc, doc.links) == [link]
    s, e = doc.links[0]
    assert doc.in_opaque(s, e) and doc.in_opaque(e - 1) and not doc.in_opaque(e, e + 1)


@pytest.mark.parametrize(
    "text", ["т.е. всё", "Привет.Как дела", "файл example.txt", "версия 1.2.3", "Итого: 5."]
)
def test_not_links(text):
    assert Document(text).links == []


def test_link_followed_by_bracket_smiley_run():
    text = "Вот: https://shop.ru/x)))"
    doc = Document(text)
    assert spans(doc, doc.links) == ["https://shop.ru/x"]
    assert [(s.text, s.kind) for s in doc.smileys] == [(")))", "bracket")]


def test_emails():
    text = "Пишите: support@shop.ru. Или a.b+c@mail.shop.ru"
    doc = Document(text)
    assert spans(doc, doc.emails) == ["support@shop.ru", "a.b+c@mail.shop.ru"]


# ---------------------------------------------------------------- parentheses and smileys


def test_parenthetical_remark_is_not_a_smiley():
    doc = Document("Условия (см. ниже) простые")
    assert doc.smileys == []
    assert doc.paren_pairs == [(8, 17)]


def test_nested_parentheses():
    doc = Document("((a) b)")
    assert doc.paren_pairs == [(0, 6), (1, 3)]
    assert doc.smileys == []


def test_percent_inside_parentheses():
    doc = Document("Товар (скидка 50%) дешевле")
    assert doc.paren_pairs == [(6, 17)]
    assert doc.smileys == []


@pytest.mark.parametrize(
    "text",
    ["1) курьер 2) почта", "Варианты: а) курьер, б) почта", "1) курьер\n2) почта", "а) да\nб) нет", "b) yes"],
)
def test_enumeration_markers_are_not_smileys(text):
    doc = Document(text)
    assert doc.smileys == []


@pytest.mark.parametrize(
    "text",
    [
        "\n".join(f"{i}) пункт;" for i in range(1, 10)),
        "8) восьмой пункт",
        "Смотрите пункт 8) договора.",
    ],
    ids=["list-1-to-9", "list-item-8", "prose-item-8"],
)
def test_eight_paren_marker_is_not_a_smiley(text):
    assert Document(text).smileys == []


def test_bracket_smiley_runs():
    assert smileys("Спасибо)))") == [(")))", "bracket", 7, 10)]
    assert smileys("Жаль((") == [("((", "bracket", 4, 6)]
    assert smileys("Хорошо)") == [(")", "bracket", 6, 7)]
    assert smileys("Жаль ( но ладно") == [("(", "bracket", 5, 6)]
    assert smileys(")) привет") == [("))", "bracket", 0, 2)]


def test_extra_closing_parenthesis_after_a_pair_is_a_bracket_smiley():
    doc = Document("Текст (a)).")
    assert doc.paren_pairs == [(6, 8)]
    assert smileys("Текст (a)).") == [(")", "bracket", 9, 10)]


def test_emoticon_with_repeated_mouth_is_one_emoticon():
    assert smileys(":)))") == [(":)))", "emoticon", 0, 4)]
    assert smileys("Спасибо :)))") == [(":)))", "emoticon", 8, 12)]


@pytest.mark.parametrize(
    "emoticon",
    [":)", ":(", ";)", ":-(", ":-)", ";-)", "xD", "XD", "хД", "^_^", ":D", ":P", "=)", ":*", "<3", "o_O"],
)
def test_emoticons(emoticon):
    text = f"Хорошо {emoticon} спасибо"
    assert smileys(text) == [(emoticon, "emoticon", 7, 7 + len(emoticon))]


def test_emoticon_inside_a_link_is_not_a_smiley():
    doc = Document("Смотрите http://shop.ru/a:)b/x")
    assert doc.emoticons == []


def test_emoji_sequences_are_one_emoji_each():
    text = "Семья 👨‍👩‍👧, лайк 👍🏽, флаг 🇷🇺, цифра 1️⃣ 😀😀 🏴󠁧󠁢󠁳󠁣󠁴󠁿!"
    got = [(s.text, s.start, s.end) for s in Document(text).emoji]
    assert got == [
        ("👨\u200d👩\u200d👧", 6, 11),
        ("👍🏽", 18, 20),
        ("🇷🇺", 27, 29),
        ("1️⃣", 37, 40),
        ("😀", 41, 42),
        ("😀", 42, 43),
        ("🏴󠁧󠁢󠁳󠁣󠁴󠁿", 44, 51),
    ]
    assert all(text[s:e] == t for t, s, e in got)


def test_no_emoji_in_ascii_or_plain_cyrillic():
    assert Document("Hello :) (1)").emoji == []
    assert Document("Здравствуйте — «ёлка»…").emoji == []


def test_smileys_in_text_order_with_kinds():
    text = ":) ;) (см. ниже) 😀 )))"
    assert smileys(text) == [
        (":)", "emoticon", 0, 2),
        (";)", "emoticon", 3, 5),
        ("😀", "emoji", 17, 18),
        (")))", "bracket", 19, 22),
    ]


# ---------------------------------------------------------------- invariants on arbitrary text

def _sorted_disjoint(pairs):
    return all(a[1] <= b[0] for a, b in zip(pairs, pairs[1:], strict=False)) and all(s <= e for s, e in pairs)


@given(text=TEXTS)
@example(text=":-( https://shop.ru/x))) ")  # the face's «(» paired with a bracket after a link
@example(text="здравствуйте\n\n\tЗдравствуйте, меня зовут {ИМЯ}, чем я могу Вам помочь? ")  # «{ИМЯ}» in code
def test_document_invariants(text):
    doc = Document(text)
    n = len(text)
    # lines tile the text
    assert "".join(text[ln.start : ln.break_end] for ln in doc.lines) == text
    for ln in doc.lines:
        assert ln.start <= ln.end <= ln.break_end
        assert ln.blank == (text[ln.start : ln.end].strip() == "")
    # every non-blank line belongs to exactly one block, in order
    block_lines = [i for b in doc.blocks for i in b.lines]
    assert block_lines == [i for i, ln in enumerate(doc.lines) if not ln.blank]
    assert _sorted_disjoint([(b.start, b.end) for b in doc.blocks])
    for b in doc.blocks:
        assert 0 <= b.start <= b.end <= n
        assert b.is_list == bool(b.items)
        for s in b.sentences:
            assert b.start <= s.start <= s.end <= b.end
        for it in b.items:
            unmarked = it.marker_kind == "none"  # a list without markers: an empty marker
            assert b.start <= it.marker_start <= it.marker_end <= it.content_start <= it.end <= b.end
            assert (it.marker_start == it.marker_end) == unmarked == (b.kind == "plainlist")
            assert text[it.marker_start : it.marker_end] == it.marker
    # sentences, words, links, e-mails, smileys: exact, sorted, non-overlapping
    assert _sorted_disjoint([(s.start, s.end) for s in doc.sentences])
    for s in doc.sentences:
        for w in doc.sentence_words(s):
            assert s.start <= w.start and w.end <= s.end
    assert _sorted_disjoint([(w.start, w.end) for w in doc.words])
    for w in doc.words:
        assert text[w.start : w.end] == w.text and w.start < w.end
        assert not doc.in_opaque(w.start, w.end)
    assert _sorted_disjoint(doc.links)
    assert all(0 <= s < e <= n for s, e in doc.links + doc.emails)
    assert _sorted_disjoint([(s.start, s.end) for s in doc.smileys])
    for sm in doc.smileys:
        assert text[sm.start : sm.end] == sm.text and sm.start < sm.end
    # a parenthesis pair is an opening and a closing bracket, not inside any smiley
    in_smiley = {i for sm in doc.smileys for i in range(sm.start, sm.end)}
    for o, c in doc.paren_pairs:
        assert o < c and text[o] == "(" and text[c] == ")"
        assert o not in in_smiley and c not in in_smiley
