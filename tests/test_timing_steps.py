"""Times that step back (issue 14): an iPhone export steps a second back between lines now and
then; that must not turn timing off. A larger step back is a note about those messages only,
and the timing rules stay on for the rest of the conversation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chatlint import Message, Transcript
from chatlint.dialogue import BACKWARD_TOLERANCE_S, Dialogue
from chatlint.engine import check_transcript
from chatlint.readers.whatsapp import read

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
GREETING = "Здравствуйте, меня зовут Анна. Чем я могу Вам помочь?"
ANSWER = "Заказ 5531 передан в доставку, курьер привезёт его завтра."
FAREWELL = "Всего доброго, будут еще вопросы - обращайтесь!"


def conv(*turns) -> Transcript:
    return Transcript(
        messages=tuple(
            Message(text=text, role="operator" if who == "o" else "client", author="Анна" if who == "o" else "Иван",
                    time=T0 + timedelta(seconds=sec))
            for sec, who, text in turns
        ),
        conversation_id="c1",
    )


def codes(findings) -> set[str]:
    return {f.code for f in findings}


def test_a_one_second_step_back_keeps_timing_on_and_says_nothing():
    t = conv(
        (0, "c", "Где мой заказ 5531?"),
        (600, "o", GREETING),  # ten minutes: a slow first reply
        (599, "o", ANSWER),  # the iPhone's one-second step back
        (620, "c", "Спасибо"),
        (640, "o", FAREWELL),
    )
    findings, notes = check_transcript(t)
    assert "T001" in codes(findings)
    assert notes == []
    assert Dialogue(t).timed and Dialogue(t).wait(1, 2) == 0  # never a negative wait


def test_a_large_step_back_is_a_note_about_those_messages_and_timing_stays_on():
    t = conv(
        (0, "c", "Где мой заказ 5531?"),
        (600, "o", GREETING),  # slow: still reported
        (3600, "c", "Подскажите, когда привезут?"),
        (1200, "o", ANSWER),  # forty minutes before the question above: a clock set wrong
        (1260, "c", "Спасибо"),
        (1280, "o", FAREWELL),
    )
    findings, notes = check_transcript(t)
    assert "T001" in codes(findings)
    t002 = [f for f in findings if f.code == "T002"]
    assert t002 == []  # the wait across the step is not measured (it would be negative)
    [note] = notes
    assert "message 4" in note and "message 3" in note and "backwards" in note
    assert "T001" not in note  # the rules ran; only those waits are left out


def test_waits_across_a_large_step_back_are_not_measured():
    t = conv((0, "c", "Вопрос"), (7200, "c", "Ещё вопрос"), (60, "o", GREETING), (4000, "o", ANSWER))
    d = Dialogue(t)
    assert d.timed
    assert d.backward == [2]
    assert not d.measurable(1, 2) and not d.measurable(0, 3)
    assert d.wait(0, 3) == 0.0  # crosses the step: no wait rather than a wrong one
    assert d.measurable(2, 3) and d.wait(2, 3) == 3940


def test_tolerance_is_a_few_seconds():
    assert 1 <= BACKWARD_TOLERANCE_S <= 120


def test_an_iphone_export_with_a_step_back_is_timed():
    text = (
        "[27.11.2026, 09:58:02] Иван Петров: Добрый день! Где мой заказ?\n"
        "[27.11.2026, 10:09:40] Анна Смирнова: " + GREETING + "\n"
        "[27.11.2026, 10:09:39] Анна Смирнова: " + ANSWER + "\n"
        "[27.11.2026, 10:10:30] Анна Смирнова: " + FAREWELL + "\n"
    )
    [t] = read(text, "chat.txt", ["Анна"]).transcripts
    findings, notes = check_transcript(t)
    assert "T001" in codes(findings) and notes == []
