"""The conversation model (issue 15): the client's clock, unanswered clients, and what the
summaries make of them. The rules' own cases are their examples (tests/test_rule_examples.py);
these pin the pieces underneath."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chatlint import Message, Transcript, lint_transcript
from chatlint.dialogue import Dialogue, is_media_placeholder, needs_answer, question_span
from chatlint.document import Document
from chatlint.summary import NOBODY, file_stats, records

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
GREETING = "Здравствуйте, меня зовут Анна. Чем могу помочь?"


def conv(*turns, channel=None, cid="c1", media=()) -> Transcript:
    msgs = []
    for k, (sec, who, text) in enumerate(turns):
        msgs.append(
            Message(
                text=text,
                role="operator" if who == "o" else "client",
                author="Анна" if who == "o" else "Иван",
                time=T0 + timedelta(seconds=sec),
                media=k in media,
            )
        )
    return Transcript(messages=tuple(msgs), conversation_id=cid, channel=channel)


@pytest.mark.parametrize(
    "text",
    ["Спасибо!", "Ок!", "Понял", "Ага", "👍", "Спасибо, Анна!", "Хорошо, жду.", "Всё, вопрос решён, спасибо",
     "Спасибо большое за помощь, всего доброго!", "ок))", ""],
)
def test_thanks_acknowledgements_emoji_and_closings_need_no_answer(text):
    assert not needs_answer(Document(text))


@pytest.mark.parametrize(
    "text",
    ["Заказ 5531.", "Спасибо, а когда привезут?", "Здравствуйте", "Курьер так и не приехал",
     "[Фото]", "<Без медиафайлов>", "Ок, Заказ не пришёл"],
)
def test_questions_statements_and_media_need_an_answer(text):
    assert needs_answer(Document(text))


def test_a_media_only_message_needs_an_answer():
    assert needs_answer(Document(""), media=True)
    assert is_media_placeholder("[Фото]") and is_media_placeholder("<Media omitted>")
    assert not is_media_placeholder("Фото прислал")


@pytest.mark.parametrize(
    "text",
    [
        "Вот ссылка https://yandex.ru/maps?q=Ленина+5",
        "Я написал в форме «где мой заказ?» и жду.",
        "Код ошибки `err?42` на экране.",
    ],
)
def test_a_question_mark_inside_a_link_code_or_quotation_is_no_question(text):
    assert question_span(Document(text)) is None


def test_a_question_is_told_by_its_sentence():
    doc = Document("Фото приложил. Когда привезут замену")
    assert question_span(doc) == (15, len(doc.text))
    assert question_span(Document("Ссылка https://x.ru/?a=1 не открывается, что делать?")) is not None


def test_waits_start_at_the_message_that_needs_an_answer_and_honour_holding_messages():
    d = Dialogue(conv(
        (0, "c", "Здравствуйте, где заказ?"),
        (20, "o", GREETING),
        (30, "c", "Спасибо"),
        (40, "c", "Заказ 5531"),
        (50, "o", "Секунду."),
        (60, "o", "Секунду."),
        (90, "o", "Одну минуту, уточню на складе."),
        (100, "c", "Жду"),
        (300, "o", "Заказ в пути."),
    ))
    waits = d.waits
    assert [(w.client, w.end, w.pauses) for w in waits] == [(0, 1, ()), (3, 8, (4, 6))]
    # the second «Секунду» is no pause: the silence after the first runs to the real holding message
    assert waits[1].silences == ((3, 4, "reply"), (4, 6, "filler"), (6, 8, "hold"))


def test_t002_reports_the_total_wait_and_the_longest_silence():
    found = [f for f in lint_transcript(conv(
        (0, "c", "Здравствуйте, где заказ?"),
        (20, "o", GREETING),
        (40, "c", "Заказ 5531"),
        (50, "o", "Одну минуту, уточню на складе."),
        (200, "o", "Проверяю, ещё немного."),
        (800, "o", "Заказ в пути."),
    )) if f.code == "T002"]
    assert len(found) == 1 and found[0].message_index == 5
    assert "12 мин" in found[0].message and "10 мин" in found[0].message, found[0].message


def test_a_client_acknowledgement_followed_by_days_of_silence_gives_no_timing_finding():
    t = conv(
        (0, "c", "Здравствуйте, где заказ?"),
        (20, "o", GREETING),
        (40, "c", "Заказ 5531"),
        (60, "o", "Заказ в пути, приедет завтра."),
        (80, "c", "Ага 👍"),
        (4 * 86400, "o", "Подскажите, заказ доставлен?"),
    )
    assert not [f for f in lint_transcript(t) if f.code.startswith("T00")]


def test_a_conversation_nobody_answered_counts_in_the_summary():
    t = conv((0, "c", "Здравствуйте, какие нужны документы для возврата?"), cid="lost")
    found = lint_transcript(t)
    assert [f.code for f in found] == ["T009"]
    rec = {r["operator"]: r for r in records(file_stats([t], found, {}))}
    assert rec[NOBODY]["conversations"] == 1 and rec[NOBODY]["findings"]["T"] == 1


def test_summary_response_times_follow_the_clients_clock():
    t = conv(
        (0, "c", "Здравствуйте, где заказ?"),
        (20, "o", GREETING),
        (40, "c", "Спасибо!"),
        (3600, "o", "Заказ в пути."),
    )
    rec = records(file_stats([t], lint_transcript(t), {}))[0]
    # the client's «Спасибо!» started no wait: one response time, 20 s
    assert rec["response_time_s"]["count"] == 1 and rec["response_time_s"]["median"] == 20
