"""Property tests of the engine (SPEC §1, §7): lint_message never raises, spans and positions
are exact, results are sorted and deterministic, fix_message is idempotent.

The text strategy mixes the things operators (and broken exports) actually send: Russian
prose, the canonical phrases, punctuation runs, parentheses and bracket smileys, emoticons,
emoji sequences, list lines, every kind of line break, control / zero-width / bidi characters,
code points next to the surrogate range, Latin/Cyrillic mixes, links — and fully arbitrary
``st.text()``.
"""

from __future__ import annotations

import os
import random
import re
import warnings
from bisect import bisect_right

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chatlint import Config, apply_fixes, fix_message, lint_message
from chatlint.engine import RuleCrashWarning

CHANNELS = ["chat", "messenger", "social", "email"]

# ---------------------------------------------------------------- strategies

RU_WORDS = [
    "здравствуйте",
    "Здравствуйте",
    "привет",
    "Привет",
    "вы",
    "Вы",
    "вам",
    "ваш",
    "Вашего",
    "ты",
    "твой",
    "заказ",
    "доставка",
    "щас",
    "ок",
    "норм",
    "спс",
    "короче",
    "блин",
    "ИНН",
    "СРОЧНО",
    "ВНИМАНИЕ",
    "к",
    "сожалению",
    "извините",
    "не",
    "можем",
    "ошибка",
    "Итого:",
    "Резюме:",
    "Суть:",
    "во-первых",
    "во-вторых",
    "в-третьих",
    "ёлка",
    "ещё",
    "Всего",
    "доброго",
    "Пока",
    "Давай",
    "меня",
    "зовут",
    "Анна",
    "с",
    "Вами",
    "чем",
    "могу",
    "помочь",
    "{ИМЯ}",
    "{ИМЯ_КЛИЕНТА}",
    "{",
    "}",
    "{}",
    "Здрaвствуйте",
    "пpивет",
    "Hello",
    "ok",
    "OK",
    "СМС",
    "т.е.",
    "т.д.",
    "и",
    "т. п.",
    "50%",
    "8",
    "1",
    "12",
    "№5",
    "—",
    "–",
    "-",
    "…",
]
SENTENCES = [
    "Ваш заказ передан в доставку.",
    "К сожалению, мы не можем оформить возврат :)",
    "Вы не поняли, я же сказала.",
    "Уточните, пожалуйста, номер заказа",
    "Доступны цвета: красный, синий, зелёный и чёрный.",
    "Во-первых, проверьте почту, во-вторых, папку «Спам», в-третьих, напишите нам.",
    "Есть варианты 1) курьер 2) самовывоз 3) почта.",
    "Мне потребуется немного времени, одну минуту, уточню.",
    "Итого: заказ приедет завтра.",
    "Давайте общаться в цивилизованном формате.",
    "Это не наша проблема!!!",
    "ВЫ ДОЛЖНЫ БЫЛИ ПРОЧИТАТЬ УСЛОВИЯ",
]
CANON = [
    "Здравствуйте, меня зовут {ИМЯ}, чем я могу Вам помочь?",
    "Всего доброго, будут еще вопросы - обращайтесь!",
    "Добрый день, с Вами Анна, чем могу помочь?",
    "До свидания!",
]
PUNCT = [
    "!!!",
    "???",
    ".....",
    "?!!",
    "!?",
    "…",
    "..",
    ",,",
    ";;",
    "!",
    "?",
    ".",
    ",",
    ":",
    ";",
    "«",
    "»",
    '"',
]
PARENS = [
    "(см. ниже)",
    ")))",
    "((",
    ")",
    "(",
    "1)",
    "а)",
    "b)",
    "((a) b)",
    "(скидка 50%)",
    "Спасибо)))",
    "Жаль((",
    "()",
    ")(",
    "(((",
    ")))))",
    "(см. ниже).",
    "(а)",
    "8)",
    "пункт 8)",
    "50%)",
]
EMOTICONS = [
    ":)",
    ";)",
    ":-(",
    ":-)",
    "xD",
    "XD",
    "^_^",
    ":(",
    ":D",
    ":P",
    "=)",
    ":*",
    "%)",
    "*)",
    "8)",
    "B)",
    "<3",
    "o_O",
    ":)))",
    ";-)",
    ":|",
    ":/",
    ":\\",
    ":3",
    ":о",
    "хД",
]
EMOJI = [
    "😀",
    "👍",
    "👍🏽",
    "👨‍👩‍👧",
    "👩🏾‍💻",
    "🇷🇺",
    "🇺🇦",
    "1️⃣",
    "#️⃣",
    "*️⃣",
    "❤️",
    "❤",
    "☺",
    "✅",
    "🙂",
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "🤷‍♀️",
    "😀😀😀",
    "👍🏽👍",
    "\u200d😀",
    "😀\u200d",
    "🏽",
    "\ufe0f",
    "\u20e3",
]
LIST_PREFIXES = [
    "- ",
    "* ",
    "• ",
    "1. ",
    "2) ",
    "а) ",
    "b) ",
    "— ",
    "– ",
    "+ ",
    "► ",
    "· ",
    "✅ ",
    "1️⃣ ",
    "  - ",
    "\t",
]
BREAKS = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\r\r", "\n\r", "\n \n", "\n\t\n"]
NASTY_CHARS = [
    "\x00",
    "\x07",
    "\x1b",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200c",
    "\u200d",
    "\ufeff",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2069",
    "\u00ad",
    "\u0301",
    "\ud7ff",
    "\ue000",
    "\uffff",
    "\ufffd",
    "\U0010ffff",
    "\U0001f3fb",
    "\u0400",
    "\u04ff",
    "a",
    "а",
    "е",
    "e",
    "о",
    "o",
    "р",
    "p",
    "с",
    "c",
    "х",
    "x",
    "İ",
    "ß",
    "ǅ",
    "ﬁ",
    "Ⅻ",
    "٣",
    "𝟙",
]
URLS = [
    "https://shop.ru/x",
    "https://shop.ru/x.",
    "(https://shop.ru/a_(b))",
    "www.shop.ru",
    "shop.ru/x",
    "http://пример.рф/путь?a=1&b=2#якорь",
    "support@shop.ru",
    "a.b@c.d.ru",
    "https://",
    "www.",
    "shop.ru",
    "https://shop.ru/x)))",
    "«https://shop.ru»",
    "http://x.ru:8080/a,b",
]

nasty_run = st.lists(st.sampled_from(NASTY_CHARS), min_size=1, max_size=6).map("".join)

piece = st.one_of(
    st.sampled_from(RU_WORDS),
    st.sampled_from(SENTENCES),
    st.sampled_from(CANON),
    st.sampled_from(PUNCT),
    st.sampled_from(PARENS),
    st.sampled_from(EMOTICONS),
    st.sampled_from(EMOJI),
    st.sampled_from(URLS),
    nasty_run,
    st.text(max_size=8),
    st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЯabcxyzABCXYZ-", min_size=1, max_size=12),
)
separator = st.one_of(
    st.sampled_from([" ", " ", " ", "", ", ", "  ", "\t", "\u00a0"]),
    st.sampled_from(BREAKS),
    st.builds(lambda b, p: b + p, st.sampled_from(BREAKS), st.sampled_from(LIST_PREFIXES)),
)
structured = st.lists(st.tuples(piece, separator), max_size=40).map(
    lambda parts: "".join(p + s for p, s in parts)
)
TEXTS = st.one_of(
    structured, structured, structured, st.text(), st.text(alphabet=st.characters(codec="utf-8"))
)

CHANNEL = st.sampled_from(CHANNELS)

NASTY_EXAMPLES = [
    "",
    "\r\n\r\n",
    "\r",
    "\n",
    "\x00",
    "\ufeff",
    "\u200b\u200d\u202e\u2066",
    ")",
    "(",
    "{ИМЯ}",
    "- ",
    "-",
    "1)",
    "а)",
    "\r\n- a\r- b\n\r* c",
    "Спасибо)))\r\n\r\nЖаль((\r:)))",
    "👨‍👩‍👧👍🏽🇷🇺1️⃣",
    "Здрaвствуйте, меня зовут {ИМЯ}, чем я могу вам помочь???",
    "\ud7ff\ue000\uffff\U0010ffff",
]

# CHATLINT_PROPERTY_SCALE=20 runs 20x more examples (a longer bug hunt than the default CI run).
SCALE = max(1, int(os.environ.get("CHATLINT_PROPERTY_SCALE", "1")))
PROPS = settings(max_examples=500 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIX_PROPS = settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def with_examples(f=None, **extra):
    """The nasty inputs of NASTY_EXAMPLES, always tried first (chat, first and last message)."""
    if f is None:
        return lambda g: with_examples(g, **extra)
    for text in NASTY_EXAMPLES:
        f = example(text=text, channel="chat", first=True, last=True, **extra)(f)
    return f


# ---------------------------------------------------------------- helpers

_BREAK = re.compile(r"\r\n|\r|\n")


def break_ends(text: str) -> list[int]:
    """Offsets just after each line break: CRLF, CR and LF each end a line (CRLF counted once)."""
    return [m.end() for m in _BREAK.finditer(text)]


def expected_position(ends: list[int], start: int) -> tuple[int, int]:
    """1-based line and column of ``start``: line = 1 + breaks before it, column from the last."""
    k = bisect_right(ends, start)  # breaks that end at or before start
    return k + 1, start - (ends[k - 1] if k else 0) + 1


def lint_strict(text, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuleCrashWarning)
        return lint_message(text, **kw)


def fix_strict(text, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuleCrashWarning)
        return fix_message(text, **kw)


def check_findings(text: str, findings) -> None:
    n = len(text)
    ends = break_ends(text)
    for f in findings:
        assert 0 <= f.start <= f.end <= n, f
        assert (f.line, f.column) == expected_position(ends, f.start), (
            f,
            text[max(0, f.start - 5) : f.start + 5],
        )
        if f.fix is not None:
            assert f.fix.applicability in ("safe", "unsafe")
            for e in f.fix.edits:
                assert 0 <= e.start <= e.end <= n, (f.code, e)
    keys = [(f.start, f.code) for f in findings]
    assert keys == sorted(keys)


# ---------------------------------------------------------------- properties


@with_examples
@given(text=TEXTS, channel=CHANNEL, first=st.booleans(), last=st.booleans())
@PROPS
def test_lint_never_raises_spans_positions_order_determinism(text, channel, first, last):
    findings = lint_strict(text, channel=channel, first=first, last=last)
    assert isinstance(findings, list)
    check_findings(text, findings)
    # deterministic: a second run, and a run with a fresh default Config, give the same
    assert lint_strict(text, channel=channel, first=first, last=last) == findings
    assert lint_strict(text, channel=channel, first=first, last=last, config=Config()) == findings


@with_examples
@given(text=TEXTS, channel=CHANNEL, first=st.booleans(), last=st.booleans())
@FIX_PROPS
def test_fix_message_is_idempotent_and_leaves_no_safe_fix(text, channel, first, last):
    kw = dict(channel=channel, first=first, last=last)
    fixed = fix_strict(text, **kw)
    assert isinstance(fixed, str)
    assert fix_strict(fixed, **kw) == fixed
    left = [f for f in lint_strict(fixed, **kw) if f.fix is not None and f.fix.applicability == "safe"]
    assert not left, (fixed, left)


@with_examples
@given(text=TEXTS, channel=CHANNEL, first=st.booleans(), last=st.booleans())
@FIX_PROPS
def test_fix_message_unsafe_is_idempotent(text, channel, first, last):
    kw = dict(channel=channel, first=first, last=last, unsafe=True)
    fixed = fix_strict(text, **kw)
    assert isinstance(fixed, str)
    assert fix_strict(fixed, **kw) == fixed


@with_examples(rnd=random.Random(0))
@given(
    text=TEXTS,
    channel=CHANNEL,
    first=st.booleans(),
    last=st.booleans(),
    rnd=st.randoms(use_true_random=False),
)
@PROPS
def test_apply_fixes_without_findings_is_identity_and_with_findings_never_raises(
    text, channel, first, last, rnd
):
    assert apply_fixes(text, []) == text
    assert apply_fixes(text, [], unsafe=True) == text
    findings = lint_strict(text, channel=channel, first=first, last=last)
    shuffled = list(findings)
    rnd.shuffle(shuffled)
    for unsafe in (False, True):
        out = apply_fixes(text, findings, unsafe=unsafe)
        assert isinstance(out, str)
        # which fixes win does not depend on the order the findings are given in
        assert apply_fixes(text, shuffled, unsafe=unsafe) == out
    # findings without any applicable fix change nothing
    no_fix = [f for f in findings if f.fix is None]
    assert apply_fixes(text, no_fix, unsafe=True) == text
    unsafe_only = [f for f in findings if f.fix is not None and f.fix.applicability == "unsafe"]
    assert apply_fixes(text, unsafe_only) == text


# ---------------------------------------------------------------- huge inputs (SPEC §7)


def test_hundred_thousand_emoji_finishes_with_findings():
    text = "😀" * 100_000
    findings = lint_strict(text)
    check_findings(text, findings)
    e003 = [f for f in findings if f.code == "E003"]
    assert len(e003) == 100_000  # each emoji is one finding, at its own offset
    assert [f.start for f in e003] == list(range(100_000))
    assert any(f.code == "E005" for f in findings)


def test_two_hundred_kilobyte_message():
    unit = (
        "Здравствуйте, меня зовут {ИМЯ}, чем я могу вам помочь!!! Спасибо))) 😀 (см. ниже) "
        "https://shop.ru/x.\r\n- первый\n* второй\r• третий\r\n\r\nЗдрaвствуйте\x00\u200b\u202e :-( xD\n\n"
    )
    text = (unit * (200_000 // len(unit) + 1))[:200_000]
    assert len(text) == 200_000
    for channel in ("chat", "messenger"):
        findings = lint_strict(text, channel=channel, first=True, last=True)
        check_findings(text, findings)
        assert findings
    assert apply_fixes(text, []) == text
