"""The ``.eml`` reader (``chatlint/readers/eml.py``): one operator's e-mail as a conversation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatlint.readers import ReaderError, detect, reader_for
from chatlint.readers.eml import html_to_text, read, split_reply

DATA = Path(__file__).parent / "data" / "transcripts"
EXAMPLES = Path(__file__).parent.parent / "examples" / "transcripts"
MSK = timezone(timedelta(hours=3))
NOV22 = datetime(2026, 11, 22, 14, 5, tzinfo=MSK)


def load(path: Path) -> str:
    # as the CLI reads files: bytes decoded as UTF-8, line endings kept
    return path.read_bytes().decode("utf-8-sig")


def read_file(path: Path, operators=()):
    reading = read(load(path), str(path), list(operators))
    assert len(reading.transcripts) == 1
    return reading.transcripts[0], reading.problems


def mail(body: str, **headers: str) -> str:
    base = {
        "Message-ID": "<m1@romashka.ru>",
        "Date": "Mon, 23 Nov 2026 10:00:00 +0300",
        "From": "Ольга Кузнецова <olga@romashka.ru>",
        "To": "ivan@example.ru",
        "Subject": "RE: Заказ 8812",
        "Content-Type": "text/plain; charset=utf-8",
    }
    base.update({k.replace("_", "-"): v for k, v in headers.items()})
    head = "".join(f"{k}: {v}\n" for k, v in base.items() if v is not None)
    return head + "\n" + body


def file_line(path: Path, n: int) -> str:
    return load(path).splitlines()[n - 1]


# ------------------------------------------------------------------ detection


def test_detect_eml():
    assert detect("letters/reply.eml", "From: a@b.c\n\nhi") == "email"
    assert detect("REPLY.EML", "") == "email"
    assert reader_for("email") is read


# ------------------------------------------------------------------ the test files


def test_plain_reply_with_russian_attribution():
    path = DATA / "eml-ru-attribution.eml"
    t, problems = read_file(path)
    assert problems == []
    assert t.channel == "email"
    assert t.conversation_id == "<root-1990@example.ru>"  # the first of References
    client, op = t.messages
    assert (client.role, op.role) == ("client", "operator")

    assert op.author == "Дмитрий Соколов"  # RFC 2047 display name
    assert op.time == datetime(2026, 11, 23, 10, 12, 40, tzinfo=MSK)
    assert op.subject == "Re: Не работает личный кабинет"
    assert op.in_reply_to == "<q-2204@example.ru>"
    assert op.text.startswith("Здравствуйте, Иван!\n\nМы сбросили пароль")
    assert op.text.endswith("+7 495 210-40-40, dmitry.sokolov@romashka.ru")  # signature kept, quote dropped
    assert "22.11.2026" not in op.text and ">" not in op.text

    assert client.author == "Иван Петров"
    assert client.time == datetime(2026, 11, 22, 18, 47, tzinfo=MSK)  # the reply's zone
    assert client.subject == "Не работает личный кабинет"  # «Re:» removed
    assert client.in_reply_to is None
    assert client.text == (
        "Добрый вечер!\n\nВторой день не могу войти в личный кабинет: пишет «неверный пароль»,\n"
        "хотя пароль я не менял."
    )  # un-quoted; the «>>» history under its own attribution is dropped

    # single-part 8bit text/plain: lines point into the file
    assert file_line(path, op.source_line) == "Здравствуйте, Иван!"
    assert file_line(path, client.source_line) == "> Добрый вечер!"


def test_outlook_original_message_block():
    t, _ = read_file(DATA / "eml-outlook.eml")
    client, op = t.messages
    assert op.author == "Ольга Кузнецова"
    assert op.subject == "RE: Возврат за заказ 40317"
    assert op.source_line is None  # quoted-printable: cannot point into the file
    assert "\r" not in op.text and "Original Message" not in op.text
    assert op.text.endswith("+7 812 303-11-22 | olga.kuznetsova@romashka.ru")
    assert "№ 40317" in op.text  # QP-encoded UTF-8 decoded

    assert client.author == "Sergey Volkov"  # «[mailto:…]» dropped
    assert client.time == datetime(2026, 11, 22, 16, 35, tzinfo=UTC)  # «4:35 PM», Date's zone
    assert client.subject == "Возврат за заказ 40317"  # from the block's Subject:
    assert client.text.startswith("Здравствуйте.\nНеделю назад")
    assert client.text.endswith("Сергей Волков")
    assert t.conversation_id == "<CAB7rt5_x1@mail.example.com>"


def test_multipart_alternative_base64_koi8r():
    t, problems = read_file(DATA / "eml-multipart-koi8r.eml")
    assert problems == []
    client, op = t.messages
    assert op.author == "Анна Белова"  # =?koi8-r?B?…?=
    assert op.subject == "RE: Доставка заказа 7781"
    assert op.source_line is None  # multipart
    # the text/plain part (koi8-r has no «», so its quotes are straight) is preferred to HTML
    assert 'служба поддержки "Ромашка"' in op.text
    assert op.text.startswith("Здравствуйте, Елена!\n\nКурьер привезёт заказ завтра")
    assert "От:" not in op.text and "____" not in op.text
    assert client.author == "Елена Смирнова"
    assert client.time == datetime(2026, 11, 22, 19, 20, tzinfo=timezone(timedelta(hours=7)))
    assert client.subject == "Доставка заказа 7781"
    assert client.text == "Добрый вечер! Подскажите, когда привезут заказ 7781?"


def test_windows_1251_html_part_when_plain_is_missing():
    text = load(DATA / "eml-multipart-koi8r.eml")
    start = text.index("------=_Part_7781\nContent-Type: text/plain")
    end = text.index("------=_Part_7781\nContent-Type: text/html")
    t = read(text[:start] + text[end:], "x.eml", []).transcripts[0]
    client, op = t.messages
    assert op.text == (
        "Здравствуйте, Елена!\n\n"
        "Курьер привезёт заказ завтра с 12:00 до 15:00, за час до приезда он позвонит.\n\n"
        "Анна Белова\nслужба поддержки «Ромашка»\n+7 383 555-01-02, anna.belova@romashka.ru"
    )
    assert client.author == "Елена Смирнова"
    assert client.text == "Добрый вечер! Подскажите, когда привезут заказ 7781?"


def test_html_only_with_gmail_quote():
    t, _ = read_file(DATA / "eml-html-only.eml")
    client, op = t.messages
    assert op.text == (
        "Здравствуйте, Павел!\n\n"
        "Промокод ROMA15 действует до конца месяца на все товары, кроме уценённых.\n\n"
        "Ольга Кузнецова\nслужба поддержки «Ромашка»\n+7 495 210-40-40, olga.kuznetsova@romashka.ru"
    )
    assert op.source_line is None
    assert client.author == "Павел Орлов"
    assert client.time == datetime(2026, 11, 22, 21, 14, tzinfo=MSK)
    assert client.subject == "Промокод не работает"
    assert client.text == "Добрый вечер!\nПромокод ROMA15 не принимается при оформлении заказа. Почему?"


def test_rfc2047_subject_and_folded_from():
    t, _ = read_file(DATA / "eml-rfc2047-subject.eml")
    (op,) = t.messages
    assert op.subject == "RE: Счёт за ноябрь и декабрь"  # windows-1251 Q + UTF-8 B words
    assert op.author == "Марина Лебедева"
    assert op.in_reply_to is None
    assert t.conversation_id == "<s-2047@romashka.ru>"  # Message-ID when there is no thread
    assert op.source_line == 12


def test_missing_subject_is_empty_for_m001():
    t, _ = read_file(DATA / "eml-no-subject.eml")
    (op,) = t.messages
    assert op.subject == ""
    assert op.author == "anna.belova@romashka.ru"  # no display name: the address
    assert op.role == "operator"
    # present but empty: also ""
    t = read(mail("Текст.", Subject=""), "x.eml", []).transcripts[0]
    assert t.messages[0].subject == ""


def test_auto_reply_is_the_operators_message():
    t, _ = read_file(DATA / "eml-autoreply.eml")
    (op,) = t.messages
    assert op.role == "operator"
    assert op.author == "Марина Лебедева"
    assert "автоматический ответ" in op.text
    assert op.subject == "Автоответ: Вопрос по тарифу"
    assert file_line(DATA / "eml-autoreply.eml", op.source_line) == "Здравствуйте!"


# ------------------------------------------------------------------ quoted history


@pytest.mark.parametrize(
    ("attribution", "author", "time"),
    [
        ("22.11.2026, 14:05, Иван Петров <ivan@example.ru>:", "Иван Петров", NOV22),
        ("Пн, 22 нояб. 2026 г. в 14:05, Иван <ivan@example.ru>:", "Иван", NOV22),
        ("22.11.2026 14:05, Иван Петров пишет:", "Иван Петров", NOV22),
        (
            "Понедельник, 22 ноября 2026, 14:05 +05:00 от Иван Петров <ivan@example.ru>:",
            "Иван Петров",
            datetime(2026, 11, 22, 14, 5, tzinfo=timezone(timedelta(hours=5))),
        ),
        ("On Mon, Nov 22, 2026 at 2:05 PM Ivan Petrov <ivan@example.ru> wrote:", "Ivan Petrov", NOV22),
        # wrapped by Gmail
        ("On Mon, Nov 22, 2026 at 2:05 PM Ivan Petrov <ivan@example.ru>\nwrote:", "Ivan Petrov", NOV22),
        ("On 22 Nov 2026, at 14:05, ivan@example.ru wrote:", "ivan@example.ru", NOV22),
        ("Иван Петров написал(а):", "Иван Петров", None),  # no date: time unknown
        ("2026-11-22 14:05 GMT+03:00, Иван <ivan@example.ru>:", "Иван", NOV22),
    ],
)
def test_attribution_lines(attribution, author, time):
    body = f"Здравствуйте, Иван!\n\nОтвет.\n\nОльга Кузнецова\n\n{attribution}\n> Где мой заказ?\n>\n> Иван\n"
    split = split_reply(body, default_tz=MSK)
    assert split.text == "Здравствуйте, Иван!\n\nОтвет.\n\nОльга Кузнецова"
    assert split.line == 0
    q = split.quote
    assert q is not None
    assert (q.author, q.time) == (author, time)
    assert q.text == "Где мой заказ?\n\nИван"
    assert q.subject is None


@pytest.mark.parametrize(
    ("block", "author", "time", "subject"),
    [
        (
            "-----Original Message-----\nFrom: Ivan Petrov <ivan@example.ru>\n"
            "Sent: Sunday, November 22, 2026 11:15 AM\n"
            "To: support@romashka.ru\nSubject: RE: Заказ 8812",
            "Ivan Petrov",
            datetime(2026, 11, 22, 11, 15, tzinfo=MSK),
            "RE: Заказ 8812",
        ),
        (
            "-------- Исходное сообщение --------\nОт: Иван Петров <ivan@example.ru>\n"
            "Отправлено: 22 ноября 2026 г. 14:05\nКому: support@romashka.ru\nТема: Заказ 8812",
            "Иван Петров",
            datetime(2026, 11, 22, 14, 5, tzinfo=MSK),
            "Заказ 8812",
        ),
        (
            "-------- Пересылаемое сообщение --------\nТема: \tЗаказ 8812\n"
            "Дата: \tSun, 22 Nov 2026 14:05:00 +0500\n"
            "От: \tИван <ivan@example.ru>\nКому: \tsupport@romashka.ru",
            "Иван",
            datetime(2026, 11, 22, 14, 5, tzinfo=timezone(timedelta(hours=5))),
            "Заказ 8812",
        ),
        (
            "________________________________\n"
            "From: ivan@example.ru\nSent: 22.11.2026 14:05\nSubject: Заказ 8812",
            "ivan@example.ru",
            datetime(2026, 11, 22, 14, 5, tzinfo=MSK),
            "Заказ 8812",
        ),
        (
            "От: Иван Петров\nДата: когда-то давно\nТема:",  # unparseable date, empty subject
            "Иван Петров",
            None,
            "",
        ),
    ],
)
def test_original_message_blocks(block, author, time, subject):
    body = f"Добрый день, Иван!\n\nОтвет.\n\n{block}\n\nГде мой заказ?\n\n> старая история\n"
    split = split_reply(body, default_tz=MSK)
    assert split.text == "Добрый день, Иван!\n\nОтвет."
    q = split.quote
    assert q is not None
    assert (q.author, q.time, q.subject) == (author, time, subject)
    assert q.text == "Где мой заказ?"  # deeper history dropped


def test_bottom_posting_and_inline_answers():
    body = (
        "Иван Петров написал(а):\n> Где заказ?\n> Какой трек-номер?\n\n"
        "Заказ в пути.\n\n> И когда доставят?\n\nЗавтра.\n"
    )
    split = split_reply(body)
    assert split.text == "Заказ в пути.\n\nЗавтра."
    assert split.line is None  # not one piece of the file
    assert split.quote is not None
    assert split.quote.author == "Иван Петров"
    assert split.quote.text == "Где заказ?\nКакой трек-номер?\n\nИ когда доставят?"
    only_below = split_reply("> Где заказ?\n\nЗаказ в пути.\nОльга")
    assert (only_below.text, only_below.line) == ("Заказ в пути.\nОльга", 2)
    assert only_below.quote is not None and only_below.quote.author is None


def test_wrapped_quote_lines_stay_in_the_quote():
    split = split_reply(
        "Ответ.\n\n> очень длинная строка клиента, которую\nперенесла почтовая программа\n> конец\n"
    )
    assert split.text == "Ответ."
    assert split.quote is not None
    assert split.quote.text == "очень длинная строка клиента, которую\nперенесла почтовая программа\nконец"


def test_text_that_merely_looks_like_a_quote_start_is_kept():
    body = (
        "Ваш заказ от 22.11.2026 14:05 привезут завтра:\nкурьер позвонит заранее.\n\n"
        "Напишите на help@romashka.ru:\nмы ответим."
    )
    split = split_reply(body)
    assert split.text == body and split.quote is None


def test_no_subject_for_the_quote_without_a_reply_prefix():
    text = mail("Ответ.\n\nИван <ivan@example.ru> написал:\n> Вопрос", Subject="Ваш вопрос")
    client, _op = read(text, "x.eml", []).transcripts[0].messages
    assert client.subject is None  # the reply's subject was rewritten: the original is unknown
    text = mail("Ответ.\n\nИван <ivan@example.ru> написал:\n> Вопрос", Subject="Ответ: Fwd: Вопрос")
    assert read(text, "x.eml", []).transcripts[0].messages[0].subject == "Вопрос"


# ------------------------------------------------------------------ roles, ids, lines


def test_roles_are_swapped_for_a_clients_letter_quoting_an_operator():
    body = (
        "Спасибо, всё получил.\n\n"
        "22.11.2026, 14:05, Ольга Кузнецова <olga@romashka.ru>:\n> Заказ отправлен.\n"
    )
    text = mail(body, From="Иван Петров <ivan@example.ru>")
    first, second = read(text, "x.eml", ["Ольга"]).transcripts[0].messages
    assert (first.author, first.role) == ("Ольга Кузнецова", "operator")
    assert (second.author, second.role) == ("Иван Петров", "client")
    # without configured operators the sender is the operator
    first, second = read(text, "x.eml", []).transcripts[0].messages
    assert (first.role, second.role) == ("client", "operator")
    # the sender is a configured operator: no swap
    first, second = read(mail(body), "x.eml", ["Ольга"]).transcripts[0].messages
    assert second.role == "operator" and second.author == "Ольга Кузнецова"


def test_conversation_id_fallbacks():
    t = read(mail("Текст.", In_Reply_To="<q1@example.ru>"), "x.eml", []).transcripts[0]
    assert t.conversation_id == "<q1@example.ru>"
    t = read(mail("Текст.", Message_ID=None), "mail/reply-17.eml", []).transcripts[0]
    assert t.conversation_id == "reply-17"


def test_bad_date_is_a_problem_and_time_none():
    reading = read(mail("Текст.", Date="вчера вечером"), "x.eml", [])
    assert reading.transcripts[0].messages[0].time is None
    assert len(reading.problems) == 1
    assert reading.problems[0].line == 2 and "Date" in reading.problems[0].reason


def test_source_line_skips_leading_blank_lines_and_handles_crlf():
    text = mail("\n\nЗдравствуйте!\n\nОтвет.\n")
    op = read(text.replace("\n", "\r\n"), "x.eml", []).transcripts[0].messages[0]
    assert op.text == "Здравствуйте!\n\nОтвет."
    assert text.splitlines()[op.source_line - 1] == "Здравствуйте!"


def test_format_flowed_is_rejoined():
    text = mail(
        "Здравствуйте, Иван! \nЗаказ отправлен \nсегодня.\n\n-- \nОльга\n",
        Content_Type="text/plain; charset=utf-8; format=flowed",
    )
    op = read(text, "x.eml", []).transcripts[0].messages[0]
    assert op.text == "Здравствуйте, Иван! Заказ отправлен сегодня.\n\n-- \nОльга"
    assert op.source_line is None


def test_trailing_whitespace_lines_are_stripped():
    op = read(mail("Ответ.\n\nОльга\n   \n\n\t\n"), "x.eml", []).transcripts[0].messages[0]
    assert op.text == "Ответ.\n\nОльга"


# ------------------------------------------------------------------ HTML


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Первый абзац.</p><p>Второй<br>абзац.</p>", "Первый абзац.\n\nВторой\nабзац."),
        ("<div>Строка</div><div><br></div><div>Ещё   одна</div>", "Строка\n\nЕщё одна"),
        ("<ul><li>раз</li><li> два</li></ul><ol><li>три</li></ol>", "- раз\n- два\n1. три"),
        ("<style>p {color: red}</style><p>Текст &amp; &laquo;кавычки&raquo;&nbsp;!</p>",
         "Текст & «кавычки» !"),
        ("<p class=MsoNormal>Строка 1</p><p class=MsoNormal>&nbsp;</p><p class=MsoNormal>Строка 2</p>",
         "Строка 1\n\nСтрока 2"),
        ("Ответ<blockquote>Вопрос<br>ещё<blockquote>старое</blockquote></blockquote>",
         "Ответ\n\n> Вопрос\n> ещё\n>\n> > старое"),
        ("<pre>  как\n  есть</pre>", "  как\n  есть"),
        ("<p>незакрытый <b>тег", "незакрытый тег"),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


def test_html_body_drops_blockquote_from_the_operators_text():
    text = mail(
        "<p>Здравствуйте!</p><p>Ответ.</p><blockquote type=cite>Вопрос клиента</blockquote>",
        Content_Type="text/html; charset=utf-8",
    )
    client, op = read(text, "x.eml", []).transcripts[0].messages
    assert op.text == "Здравствуйте!\n\nОтвет."
    assert client.text == "Вопрос клиента"


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not an e-mail"),
        ("Здравствуйте!\nКак дела с заказом?\n", "not an e-mail"),
        ("Note: not a mail\n\nhello\n", "not an e-mail"),
        ("From: a@example.ru\nSubject: x\n", "no text body"),
        ("From: a@example.ru\nSubject: x\n\n  \n\n", "no text body"),
        (
            "From: a@example.ru\nContent-Type: application/pdf\n"
            "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n",
            "no text body",
        ),
        (
            "From: a@example.ru\nSubject: Fwd: x\n\n"
            "-------- Forwarded message --------\nFrom: b@example.ru\n\nText",
            "no text of the sender's own",
        ),
    ],
)
def test_unreadable_input(text, reason):
    with pytest.raises(ReaderError) as exc:
        read(text, "x.eml", [])
    assert reason in str(exc.value)
    assert "\n" not in str(exc.value)


def test_unknown_charset_falls_back():
    text = mail("0JfQtNGA0LDQstGB0YLQstGD0LnRgtC1IQ==\n", Content_Type="text/plain; charset=x-unknown",
                Content_Transfer_Encoding="base64")
    reading = read(text, "x.eml", [])
    assert reading.transcripts[0].messages[0].text == "Здравствуйте!"


def _check_reading(text: str) -> None:
    try:
        reading = read(text, "x.eml", ["Ольга"])
    except ReaderError as exc:
        assert "\n" not in str(exc)
        return
    (t,) = reading.transcripts
    assert t.channel == "email"
    assert t.messages and t.messages[-1].text.strip()
    for m in t.messages:
        assert m.source_line is None or m.source_line >= 1


@given(st.text())
def test_never_raises_on_any_text(text):
    _check_reading(text)


_PIECES = st.sampled_from(
    [
        "\n", "\r\n", " ", ">", "> ", ">>", ":", "-----Original Message-----", "From: ", "От: ", "Sent: ",
        "Дата: ", "Тема: ", "22.11.2026, 14:05, ", "Иван <ivan@example.ru>", "написал(а):", "wrote:",
        "On Mon, Nov 22, 2026 at 2:05 PM", "________________", "<p>", "</p>", "<br>", "<blockquote>",
        "</blockquote>", "=D0=97", "-- ", "текст", "Text",
    ]
)
_HEADERS = st.sampled_from(
    [
        "",
        "Content-Type: text/html; charset=utf-8\n",
        "Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: quoted-printable\n",
        "Content-Type: text/plain; format=flowed; delsp=yes\n",
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n",
        "Content-Type: multipart/alternative; boundary=b\n",
        "Content-Type: text/plain; charset=\"nonsense\"\n",
    ]
)


@given(
    _HEADERS,
    st.text(max_size=40),
    st.text(max_size=40),
    st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=40),
)
def test_never_raises_on_mail_like_text(content_headers, subject, sender, pieces):
    subject = subject.replace("\n", " ").replace("\r", " ")
    sender = sender.replace("\n", " ").replace("\r", " ")
    text = f"From: {sender}\nSubject: {subject}\nDate: {subject}\n{content_headers}\n" + "".join(pieces)
    _check_reading(text)
    html_to_text("".join(pieces))
    split_reply("".join(pieces).replace("\r\n", "\n"))


# ------------------------------------------------------------------ the examples


def test_example_good_reply():
    t, problems = read_file(EXAMPLES / "email-good-reply.eml")
    assert problems == []
    client, op = t.messages
    assert op.author == "Ольга Кузнецова" and client.author == "Николай Фёдоров"
    assert op.subject == f"RE: {client.subject}"
    assert timedelta(0) < op.time - client.time < timedelta(hours=24)
    assert op.text.startswith("Добрый день, Николай!")
    assert "+7 495" in op.text and "olga.kuznetsova@romashka.ru" in op.text


def test_example_late_reply():
    t, _ = read_file(EXAMPLES / "email-late-reply.eml")
    client, op = t.messages
    assert op.time - client.time > timedelta(days=3)
    assert not op.subject.upper().startswith("RE:")
    assert client.subject == "Ремонт пылесоса по гарантии"
    assert "@" not in op.text and "+7" not in op.text


def test_example_autoreply():
    t, _ = read_file(EXAMPLES / "email-autoreply.eml")
    (op,) = t.messages
    assert op.role == "operator" and op.author == "Марина Лебедева"
    assert "Auto-Submitted: auto-replied" in load(EXAMPLES / "email-autoreply.eml")
    assert "автоматический ответ" in op.text


# ------------------------------------------------------------------ issue 14: real mail clients


def test_apple_mail_quotes_its_attribution_line_and_the_clients_letter_is_kept():
    body = (
        "Здравствуйте, Иван!\n\nЗаказ 8812 передан в доставку, курьер позвонит завтра.\n\n"
        "С уважением,\nОльга Кузнецова\n\n"
        "> On 22 Nov 2026, at 19:21, Ivan Petrov <ivan@example.ru> wrote:\n"
        "> \n"
        "> Добрый вечер! Где мой заказ 8812?\n"
        "> Спасибо.\n"
    )
    split = split_reply(body, default_tz=MSK)
    assert split.text.startswith("Здравствуйте, Иван!") and split.text.endswith("Ольга Кузнецова")
    q = split.quote
    assert q is not None
    assert q.text == "Добрый вечер! Где мой заказ 8812?\nСпасибо."
    assert (q.author, q.time) == ("Ivan Petrov", datetime(2026, 11, 22, 19, 21, tzinfo=MSK))


def test_quoted_russian_attribution_line_keeps_the_letter_too():
    body = "Ответ.\n\n> 22.11.2026, 14:05, Иван Петров <ivan@example.ru>:\n> Где заказ?\n"
    q = split_reply(body, default_tz=MSK).quote
    assert q is not None and q.text == "Где заказ?" and q.author == "Иван Петров"


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Sent: March-09-12 4:22 PM", datetime(2012, 3, 9, 16, 22, tzinfo=MSK)),  # Outlook, en-CA
        ("Sent: Friday, March 9, 2012 4:22 PM", datetime(2012, 3, 9, 16, 22, tzinfo=MSK)),
        ("Sent: 3/9/2012 4:22:15 PM", datetime(2012, 3, 9, 16, 22, 15, tzinfo=MSK)),
        ("Отправлено: 9 марта 2012 г. 4:22 PM", datetime(2012, 3, 9, 16, 22, tzinfo=MSK)),
        ("Отправлено: 09.03.2012 4:22 пп", datetime(2012, 3, 9, 16, 22, tzinfo=MSK)),
        ("Отправлено: пятница, 9 марта 2012 г. 16:22", datetime(2012, 3, 9, 16, 22, tzinfo=MSK)),
        ("Date: 2012-03-09 12:05 AM", datetime(2012, 3, 9, 0, 5, tzinfo=MSK)),
    ],
)
def test_twelve_hour_times_in_quote_headers(date, expected):
    body = (f"Ответ.\n\n-----Original Message-----\nFrom: Ivan <ivan@example.ru>\n{date}\n"
            "Subject: Order\n\nWhere is my order?\n")
    q = split_reply(body, default_tz=MSK).quote
    assert q is not None and q.time == expected


def test_a_forward_with_the_letter_attached_and_nothing_written_says_so():
    text = (
        "From: Ольга <olga@romashka.ru>\nSubject: Fwd: Заказ 8812\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b1"\n\n'
        "--b1\nContent-Type: message/rfc822\n\n"
        "From: ivan@example.ru\nSubject: Заказ 8812\nContent-Type: text/plain; charset=utf-8\n\nГде заказ?\n"
        "--b1--\n"
    )
    with pytest.raises(ReaderError) as exc:
        read(text, "x.eml", [])
    reason = str(exc.value)
    assert "no text body" not in reason
    assert "forward" in reason and "attached" in reason


BODY_RU = "Здравствуйте, Иван!\n\nЗаказ 8812 передан в доставку, курьер позвонит завтра.\n\nС уважением,\nОльга\n"


@pytest.mark.parametrize(
    ("declared", "real"),
    [
        (None, "koi8_r"),  # no charset: US-ASCII by the standard, 8-bit in fact
        (None, "cp1251"),
        ("utf-8", "cp1251"),  # wrong
        ("x-unknown", "koi8_r"),  # unknown
        ("iso-8859-1", "cp1251"),  # a Latin charset over Cyrillic bytes
        ("us-ascii", "koi8_r"),
    ],
)
def test_an_8bit_body_in_a_wrong_unknown_or_missing_charset_is_detected_and_said(declared, real):
    ctype = "text/plain" + (f"; charset={declared}" if declared else "")
    head = ("From: Olga <olga@romashka.ru>\nSubject: RE: Order 8812\nDate: Mon, 23 Nov 2026 10:00:00 +0300\n"
            f"MIME-Version: 1.0\nContent-Type: {ctype}\nContent-Transfer-Encoding: 8bit\n\n")
    data = head.encode("ascii") + BODY_RU.encode(real)
    reading = read(data.decode("ascii", "surrogateescape"), "x.eml", [])  # as the CLI hands 8-bit mail over
    [t] = reading.transcripts
    assert t.messages[-1].text == BODY_RU.strip()
    [problem] = reading.problems
    label = {"koi8_r": "koi8-r", "cp1251": "cp1251"}[real]
    assert label in problem.reason and problem.note
    assert (declared or "no charset") in problem.reason


def test_an_8bit_body_in_its_declared_charset_says_nothing():
    head = ("From: Olga <olga@romashka.ru>\nSubject: RE: Order\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n\n")
    data = head.encode("ascii") + BODY_RU.encode("koi8_r")
    reading = read(data.decode("ascii", "surrogateescape"), "x.eml", [])
    assert reading.transcripts[0].messages[-1].text == BODY_RU.strip()
    assert reading.problems == []
