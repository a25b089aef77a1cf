"""The conversation model (issue 15): the client's clock, unanswered clients, and what the
summaries make of them. The rules' own cases are their examples (tests/test_rule_examples.py);
these pin the pieces underneath."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chatlint import Config, ConfigError, Message, Transcript, lint_transcript, load_config
from chatlint.clock import WorkingHours
from chatlint.dialogue import Dialogue, is_media_placeholder, needs_answer, question_span
from chatlint.document import Document
from chatlint.summary import NOBODY, file_stats, records, render

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
    assert rec[NOBODY]["greeting_and_farewell_ok"] is None  # nothing to judge, not 0%
    row = next(line for line in render(file_stats([t], found, {})).splitlines() if line.startswith(NOBODY))
    assert "1 f." in row


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


# ------------------------------------------------------------------ working hours

MSK = ZoneInfo("Europe/Moscow")


def _at(*args) -> float:
    return datetime(*args, tzinfo=MSK).timestamp()


def test_working_time_skips_nights_weekends_and_russian_holidays():
    cal = WorkingHours().calendar()  # mon-fri 09:00-18:00 Moscow, RU holidays
    # Friday 19:00 → Monday 10:00: one working hour
    assert cal.elapsed(_at(2026, 11, 27, 19, 0), _at(2026, 11, 30, 10, 0)) == 3600
    # a night message answered at 09:03: three minutes
    assert cal.elapsed(_at(2026, 11, 24, 2, 10), _at(2026, 11, 24, 9, 3)) == 180
    # the New Year holidays (31 December 2025 and 9 January 2026 are days off moved by decree)
    # are no working time
    assert cal.elapsed(_at(2025, 12, 30, 17, 0), _at(2026, 1, 12, 9, 30)) == 3600 + 1800
    assert cal.elapsed(_at(2025, 12, 31, 17, 0), _at(2026, 1, 12, 9, 30)) == 1800
    # … and Saturday 20 February 2027 is a working day (a day off moved to 22 February)
    assert cal.elapsed(_at(2027, 2, 20, 9, 0), _at(2027, 2, 20, 10, 0)) == 3600
    assert cal.is_working_day(date(2027, 2, 20)) and not cal.is_working_day(date(2027, 2, 22))


def test_without_holidays_only_days_and_hours_count():
    cal = WorkingHours(holidays="", days=["mon", "tue", "wed", "thu", "fri", "sat"], hours="10:00-20:00").calendar()
    assert cal.is_working_day(date(2026, 1, 5))  # a Monday of the New Year holidays, no calendar
    assert cal.elapsed(_at(2026, 11, 28, 19, 0), _at(2026, 11, 30, 10, 30)) == 3600 + 1800


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('[working_hours.chat]\nhours = "18:00-09:00"', "working_hours.chat.hours"),
        ('[working_hours.chat]\ntimezone = "Moscow"', "working_hours.chat.timezone"),
        ('[working_hours.email]\ndays = ["monday", "funday"]', "working_hours.email.days"),
        ('[working_hours.email]\nholidays = "XX"', "working_hours.email.holidays"),
        ("[working_hours.telegram]", "working_hours.telegram"),
        ('[working_hours.chat]\nhour = "9-18"', "working_hours.chat.hour"),
    ],
)
def test_bad_working_hours_are_a_config_error_naming_the_key(tmp_path, table, expected):
    path = tmp_path / "chatlint.toml"
    path.write_text(table + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=expected.replace(".", r"\.")):
        load_config(path)


def test_the_summary_says_which_clock_its_response_times_use():
    t = conv(
        (0, "c", "Здравствуйте, где заказ?"),
        (7200, "o", GREETING),
        channel="chat",
    )
    cfg = Config(working_hours={"chat": {"hours": "09:00-18:00", "timezone": "Europe/Moscow"}})
    clock = cfg.plan("chat").clock
    rec = records(file_stats([t], [], {}, clock))[0]
    # Monday 13:00 Moscow → 15:00: two working hours, and the record says so
    assert rec["response_time_s"]["median"] == 7200
    assert rec["response_time_s"]["clock"] == "working hours: mon-fri 09:00-18:00 Europe/Moscow, RU holidays"
    assert "calendar time" in records(file_stats([t], [], {}))[0]["response_time_s"]["clock"]
    assert "counted in working hours" in render(file_stats([t], [], {}, clock))


# ------------------------------------------------------------------ scripts across conversations

SCRIPT = ("{name}, здравствуйте! Приносим извинения за задержку, передали Ваш вопрос в отдел логистики, "
          "ответим в личных сообщениях.")


def post(cid: str, client: str, reply: str) -> Transcript:
    return Transcript(
        messages=(
            Message(text="Заказ от понедельника так и не отправили, что происходит?", role="client", author=client,
                    time=T0),
            Message(text=reply, role="operator", author="SMM", time=T0 + timedelta(minutes=20)),
        ),
        conversation_id=cid,
        channel="social",
    )


def test_lint_transcripts_finds_the_same_reply_under_different_clients_posts():
    from chatlint import lint_transcripts

    posts = [post(f"post-{k}", name, SCRIPT.format(name=name)) for k, name in enumerate(["Иван", "Мария", "Олег"])]
    found = [[f for f in fs if f.code == "T013"] for fs in lint_transcripts(posts)]
    assert [len(fs) for fs in found] == [0, 1, 1]
    assert "post-0" in found[1][0].message and "post-0" in found[2][0].message
    assert "post-1" in found[2][0].message  # the pointer names the earlier copies
    # one conversation at a time, nothing to compare with
    assert not [f for t in posts for f in lint_transcript(t) if f.code == "T013"]
    # other channels have no such rule (T003 covers exact repeats within a conversation)
    chat = [t.model_copy(update={"channel": "chat"}) for t in posts]
    assert not [f for fs in lint_transcripts(chat) for f in fs if f.code == "T013"]


def test_different_replies_to_different_clients_are_no_script():
    from chatlint import lint_transcripts

    replies = [
        "Иван, заказ 4471 ждал размер со склада, сегодня его передали курьеру, трек придёт в СМС.",
        "Мария, Ваш заказ уже в пункте выдачи на Садовой, код для получения придёт в СМС.",
        "Олег, посылку задержали на сортировке в Казани, привезём в четверг, приносим извинения.",
    ]
    posts = [post(f"post-{k}", n, r) for k, (n, r) in enumerate(zip(["Иван", "Мария", "Олег"], replies, strict=True))]
    assert not [f for fs in lint_transcripts(posts) for f in fs if f.code == "T013"]


def test_the_archive_is_bounded_by_groups_not_messages():
    from chatlint.archive import NearDuplicates, Ref

    def letters(n: int) -> str:  # a word of its own for every n (digits would all read as 0)
        out = ""
        while True:
            n, r = divmod(n, 30)
            out += "абвгдежзиклмнопрстуфхцчшщэюяйы"[r]
            if not n:
                return out

    nd = NearDuplicates(max_groups=50)
    for k in range(500):
        nd.add(" ".join(letters(k * 10 + j) + "ка" for j in range(8)), Ref(str(k), None, 0))
        nd.add(SCRIPT.format(name="Анна"), Ref(str(k), "c", 1))
    assert len(nd) <= 50 and nd.dropped >= 450
    # the template survives the churn of one-off replies: it is never the one dropped first
    group = nd.find(SCRIPT.format(name="Ольга"))[0]
    assert group is not None and group.count == 500


def test_the_dialogue_rules_stay_linear_on_a_long_chat():
    """A long messenger chat of questions, nudges, holding messages and answers: 8x the
    messages may take at most 12x the time (a pass over earlier messages per message would
    take 64x)."""
    import gc
    import time

    cfg = Config(select=["T"])
    turns = [
        "Сколько стоит доставка в Казань?",
        "Одну минуту, уточню у склада.",
        "Вы тут?",
        "Доставка в Казань стоит 450 рублей.",
        "Спасибо, а в Самару?",
        "В Самару тоже 450 рублей.",
    ]

    def word(n: int) -> str:  # a word of its own for every n: no question repeats another
        out = ""
        while True:
            n, r = divmod(n, 20)
            out += "бвгдзклмнпрстфхцчшщж"[r] + "аоуиэ"[r % 5]
            if not n:
                return out

    def text(k: int) -> str:
        if k % 6 in (0, 4):
            return f"{turns[k % 6][:-1]}, {word(k)} {word(k + 7)} {word(k + 13)}?"
        return turns[k % 6]

    def chat(n: int) -> Transcript:
        msgs = tuple(
            Message(text=text(k), role="operator" if k % 6 in (1, 3, 5) else "client",
                    author="Анна" if k % 6 in (1, 3, 5) else "Иван", time=T0 + timedelta(seconds=40 * k))
            for k in range(n)
        )
        return Transcript(messages=msgs, conversation_id="long", channel="messenger")

    def cpu(t: Transcript) -> float:
        best = float("inf")
        gc.collect()
        gc.disable()
        try:
            for _ in range(2):
                t0 = time.process_time()
                lint_transcript(t, cfg)
                best = min(best, time.process_time() - t0)
        finally:
            gc.enable()
        return best

    lint_transcript(chat(12), cfg)  # warm up
    small, big = chat(300), chat(2400)
    t1, t8 = cpu(small), cpu(big)
    assert t8 <= 12 * max(t1, 0.01), f"{t1:.3f}s at 1x, {t8:.3f}s at 8x"


def test_t002_counts_the_total_wait_to_the_answer_even_when_the_first_silence_is_the_longest():
    found = [f for f in lint_transcript(conv(
        (0, "c", "Здравствуйте, где заказ?"),
        (20, "o", GREETING),
        (40, "c", "Заказ 5531"),
        (220, "o", "Одну минуту, уточню на складе."),
        (400, "o", "Заказ в пути."),
    )) if f.code == "T002"]
    assert len(found) == 1 and found[0].message_index == 3  # the late holding message
    assert "ждал ответа 6 мин" in found[0].message and "через 3 мин" in found[0].message, found[0].message
