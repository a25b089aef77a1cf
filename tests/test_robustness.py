"""Library robustness (issue 11): whitespace-only messages in transcripts, rule crashes that
never carry the message text into warnings, and a bounded warning registry."""

from __future__ import annotations

import sys
import warnings

import pytest

from chatlint import Message, Transcript, lint_message, lint_transcript
from chatlint.document import Document
from chatlint.engine import RuleCrashWarning

# ------------------------------------------------------------------ whitespace-only messages


@pytest.mark.parametrize("blank", ["", " ", "   \n  ", "\n\n", "\t \r\n "])
@pytest.mark.parametrize("channel", ["chat", "email", "messenger"])
def test_whitespace_only_operator_messages_give_ordered_spans(blank, channel):
    # ten operator answers make the dialogue long (T007); e-mails without a subject (M001)
    msgs = [Message(text="Сколько стоит доставка?", role="client", author="Клиент")]
    for _ in range(10):
        msgs.append(Message(text=blank, role="operator", author="Анна", subject=""))
    t = Transcript(messages=tuple(msgs), channel=channel)
    findings = lint_transcript(t)
    for f in findings:
        assert 0 <= f.start <= f.end <= len(t.messages[f.message_index].text), f
    codes = {f.code for f in findings}
    if channel == "email":
        assert "M001" in codes
    if channel == "chat":
        assert "T007" in codes


# ------------------------------------------------------------------ rule crashes


def _crash_on_text(self):
    raise ValueError(f"cannot read {self.text!r}")


def _registry_size() -> int:
    n = 0
    for mod in list(sys.modules.values()):
        reg = getattr(mod, "__dict__", {}).get("__warningregistry__")
        if isinstance(reg, dict):
            n += len(reg)
    return n


def test_rule_crash_warning_names_the_rule_and_exception_type_only(monkeypatch):
    monkeypatch.setattr(Document, "vocabulary", property(_crash_on_text))
    secret = "Мой пароль qwerty12345, номер карты 4111 1111 1111 1111"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lint_message(secret)
    crashes = [w for w in caught if issubclass(w.category, RuleCrashWarning)]
    assert crashes, "the patched Document should make some rule crash"
    for w in crashes:
        text = str(w.message)
        assert "qwerty" not in text and "4111" not in text and "пароль" not in text
        assert "ValueError" in text
        assert text.startswith("chatlint: rule ")


def test_rule_crashes_keep_the_warning_registry_bounded(monkeypatch):
    monkeypatch.setattr(Document, "vocabulary", property(_crash_on_text))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")  # the registry deduplicates by message text
        lint_message("Первое сообщение клиенту")
        before = _registry_size()
        for k in range(1000):
            lint_message(f"Сообщение номер {k}: заказ {k * 7919} уже в пути")
        after = _registry_size()
    assert caught
    assert after - before <= 5, f"the warning registry grew by {after - before} entries"
    assert not any("уже в пути" in str(w.message) for w in caught)


def test_dialogue_rule_crash_warning_carries_no_text(monkeypatch):
    monkeypatch.setattr(Document, "vocabulary", property(_crash_on_text))
    msgs = (
        Message(text="Где мой заказ 5551234?", role="client", author="Клиент"),
        Message(text="Заказ 5551234 приедет завтра.", role="operator", author="Анна"),
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lint_transcript(Transcript(messages=msgs))
    assert caught
    assert not any("5551234" in str(w.message) for w in caught)
