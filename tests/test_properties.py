"""Property tests of the engine (SPEC §1, §7): lint_message never raises, spans and positions
are exact, results are sorted and deterministic, fix_message is idempotent.

The texts come from ``tests/strategies.py``; the number of examples from the Hypothesis
profile (``tests/conftest.py``).
"""

from __future__ import annotations

import random
import re
import warnings
from bisect import bisect_right

from hypothesis import example, given
from hypothesis import strategies as st
from strategies import CHANNEL, NASTY_EXAMPLES, TEXTS

from chatlint import Config, apply_fixes, fix_message, lint_message
from chatlint.engine import RuleCrashWarning


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
def test_lint_never_raises_spans_positions_order_determinism(text, channel, first, last):
    findings = lint_strict(text, channel=channel, first=first, last=last)
    assert isinstance(findings, list)
    check_findings(text, findings)
    # deterministic: a second run, and a run with a fresh default Config, give the same
    assert lint_strict(text, channel=channel, first=first, last=last) == findings
    assert lint_strict(text, channel=channel, first=first, last=last, config=Config()) == findings


@with_examples
@given(text=TEXTS, channel=CHANNEL, first=st.booleans(), last=st.booleans())
def test_fix_message_is_idempotent_and_leaves_no_safe_fix(text, channel, first, last):
    kw = dict(channel=channel, first=first, last=last)
    fixed = fix_strict(text, **kw)
    assert isinstance(fixed, str)
    assert fix_strict(fixed, **kw) == fixed
    left = [f for f in lint_strict(fixed, **kw) if f.fix is not None and f.fix.applicability == "safe"]
    assert not left, (fixed, left)


@with_examples
@given(text=TEXTS, channel=CHANNEL, first=st.booleans(), last=st.booleans())
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
    # a run of adjacent emoji is one finding whose fix removes the run (issue 11: a million
    # findings cannot be built in linear time worth having); separate emoji are one each
    assert [(f.start, f.end) for f in e003] == [(0, 100_000)]
    assert any(f.code == "E005" and "100000" in f.message for f in findings)
    spaced = "😀 " * 1000
    assert [f.start for f in lint_strict(spaced) if f.code == "E003"] == list(range(0, 2000, 2))


def test_two_hundred_kilobyte_message():
    unit = (
        "Здравствуйте, меня зовут {ИМЯ}, чем я могу вам помочь!!! Спасибо))) 😀 (см. ниже) "
        "https://shop.ru/x.\r\n- первый\n* второй\r• третий\r\n\r\nЗдрaвствуйте\x00\u200b\u202e :-( xD\n\n"
    )
    text = (unit * (200_000 // len(unit) + 1))[:200_000]
    assert len(text) == 200_000
    # the whole 200 KB on the channel with the most rules; the other profile on a quarter of it
    for channel, size in (("chat", 200_000), ("messenger", 50_000)):
        findings = lint_strict(text[:size], channel=channel, first=True, last=True)
        check_findings(text[:size], findings)
        assert findings
    assert apply_fixes(text, []) == text
