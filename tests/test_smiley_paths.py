"""The quick paths of smiley detection find what the plain searches find: the emoticon search
without the branches a text cannot match, enumeration brackets tried only at «)», emoji
looked for only in a text with a character above U+203C."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint import document as D
from chatlint.document import Document

_ALPHABET = "xXхХoOоОdDДрРpP_:;=-()^*8B%<3|/\\'’ 1207аяё.,!?\n\u203b\u203c\u2122\u20e3\ufe0f😀👍🏻"

texts = st.text(alphabet=_ALPHABET, max_size=60)

_FULL_EMOTICON = re.compile("|".join(D._EMOTICON_BRANCHES))
_PLAIN_MARKERS = re.compile(r"(?<!\S)(?:\d{1,2}|[а-яёa-z])\)", re.IGNORECASE)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_the_emoticon_search_without_impossible_branches_finds_the_same(text):
    assert [m.span() for m in D._emoticon_pattern(text).finditer(text)] == [
        m.span() for m in _FULL_EMOTICON.finditer(text)
    ]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_marker_brackets_tried_at_each_bracket_are_the_regex_ones(text):
    assert Document(text)._marker_parens == {m.end() - 1 for m in _PLAIN_MARKERS.finditer(text)}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="абв xyz12#*!?\u2014\u2026\u203b", max_size=40))
def test_a_text_below_the_emoji_range_has_no_emoji(text):
    assert Document(text).emoji_parts == []
    assert Document(text + "\u203c\ufe0f").emoji_count == 1


def test_the_quick_paths_on_plain_cases():
    d = Document("Итого:\n1) заказ\n2) оплата\nа) курьер :) xD о_О")
    assert [s.text for s in d.emoticons] == [":)", "xD", "о_О"]
    assert sorted(d._marker_parens) == [d.text.index("1)") + 1, d.text.index("2)") + 1, d.text.index("а)") + 1]


_EMOJI_ALPHABET = "1#*9a я\ufe0f\u20e3\u200d™‼✅❤✈→№₽\u2c00😀👍🏻🇷🇺"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_EMOJI_ALPHABET, max_size=40))
def test_skipping_to_the_emoji_range_finds_the_candidates_a_full_scan_finds(text):
    fast = Document(text).emoji_parts
    saved = D._ABOVE_EMOJI_FLOOR
    D._ABOVE_EMOJI_FLOOR = re.compile(r"[\s\S]")  # every character: the candidate scan from each position
    try:
        full = Document(text).emoji_parts
    finally:
        D._ABOVE_EMOJI_FLOOR = saved
    assert fast == full


def test_the_first_message_of_a_process_sees_the_lemmas_of_lazily_compiled_phrases():
    """E004's phrases compile on first use and may register lemmas: a lemma set taken before
    that would miss them, and only the first message of a process would show it."""
    import subprocess
    import sys

    code = (
        "from chatlint import lint_message\n"
        "t = 'Хай) Чё-то у нас сегодня всё медленно грузится, извиняюсь.'\n"
        "first = [f.code for f in lint_message(t)]\n"
        "again = [f.code for f in lint_message(t)]\n"
        "print(first == again, 'E004' in first)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["True", "True"], out.stderr[-2000:]
