"""M rules: e-mail etiquette (channel ``email``).

M001, M002 and M004 read the e-mail's headers and times, so they are dialogue rules (an
``.eml`` file is a conversation: the client's quoted letter and the operator's reply); M003
and M005 read the text of the operator's letter and also run on a plain message checked with
``--channel email``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from ..acts import first_act, has_act
from ..caches import WORD_FORMS
from ..compiled import regex
from ..dialogue import Dialogue
from ..document import Document
from ..inflect import duration
from ..morph import parses
from ..registry import Context, Field, Hit, Params, dlg, ex, quote, rule

EMAIL = ("email",)

SIGNATURE = "С уважением,\nАнна Смирнова, служба поддержки «Ромашка»\n+7 495 123-45-67, anna@romashka.ru"
REPLY_BODY = "\n\nВаш заказ отправлен сегодня, номер для отслеживания — 8812.\n\n" + SIGNATURE
REPLY = "Здравствуйте, Иван!" + REPLY_BODY
# A finding about a whole letter (its subject, its time) points at the letter's first line.
REPLY_MARKED = "⟦Здравствуйте, Иван!⟧" + REPLY_BODY
QUESTION = "Добрый день! Когда отправите заказ 8812?"

_REPLY_PREFIX = regex(r"^\s*(?:(?:re|ре|ответ|отв|aw|sv|fwd?|пересл)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*)+", re.I)
_HAS_REPLY_PREFIX = regex(r"^\s*(?:re|ре|ответ|отв|aw|sv)\s*(?:\[\d+\]|\(\d+\))?\s*:", re.I)


def base_subject(subject: str) -> str:
    """A subject without its «Re:»/«Fwd:»/«Ответ:» prefixes, whitespace collapsed."""
    return " ".join(_REPLY_PREFIX.sub("", subject).split())


# ------------------------------------------------------------------ M001


@rule(
    "M001",
    "subject-missing",
    "warning",
    scope="dialogue",
    channels=EMAIL,
    bad=[dlg((0, "o", REPLY_MARKED), channel="email", headers={0: {"subject": ""}})],
    good=[
        dlg((0, "o", REPLY), channel="email", headers={0: {"subject": "Доставка заказа 8812"}}),
        dlg((0, "o", REPLY), channel="email"),
    ],
)
def subject_missing(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    An operator's e-mail with an empty subject. (Messages that are not e-mails, with no
    subject header at all in the data, are not checked.)

    **Why**

    The subject is what the client sees in the inbox: a letter without one looks like spam,
    gets lost, and cannot be found later.

    **Example**

    Subject: (empty) → «Доставка заказа 8812».

    **Что проверяет**

    Письмо оператора с пустой темой.

    **Почему это важно**

    Тему клиент видит в списке входящих: письмо без неё похоже на спам, теряется среди других, и
    его потом не найти.
    """
    for i in d.operator_indexes:
        subject = d.messages[i].subject
        if subject is not None and not subject.strip():
            s, e = d.first_line_span(i)
            yield Hit(s, e, "Письмо без темы: укажите тему письма", "An e-mail without a subject: add one", index=i)


# ------------------------------------------------------------------ M002


@rule(
    "M002",
    "reply-subject",
    "warning",
    scope="dialogue",
    channels=EMAIL,
    bad=[
        dlg(
            (0, "c", QUESTION),
            (3600, "o", REPLY_MARKED),
            channel="email",
            headers={0: {"subject": "Заказ 8812"}, 1: {"subject": "Ваш заказ", "in_reply_to": "<q@mail.ru>"}},
        ),
        dlg(
            (0, "c", QUESTION),
            (3600, "o", REPLY_MARKED),
            channel="email",
            headers={0: {"subject": "Заказ 8812"}, 1: {"subject": "Заказ 8812", "in_reply_to": "<q@mail.ru>"}},
        ),
    ],
    good=[
        dlg(
            (0, "c", QUESTION),
            (3600, "o", REPLY),
            channel="email",
            headers={0: {"subject": "Заказ 8812"}, 1: {"subject": "RE: Заказ 8812", "in_reply_to": "<q@mail.ru>"}},
        ),
        dlg(
            (0, "c", QUESTION),
            (3600, "o", REPLY),
            channel="email",
            headers={0: {"subject": "Заказ 8812"}, 1: {"subject": "Re: Re: заказ  8812"}},
        ),
    ],
)
def reply_subject(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    An operator's reply whose subject does not keep the client's original as «RE: тема»:
    the subject was replaced, or the «RE:» prefix is missing. A message is a reply when it
    follows a client's letter in the conversation or has an ``In-Reply-To`` header.

    **Why**

    «RE: тема письма с вопросом» tells the client at a glance that this is the answer to
    their question, and keeps the letters of one question together in their mail client.

    **Example**

    Subject «Ваш заказ» in reply to «Заказ 8812» → «RE: Заказ 8812».

    **Что проверяет**

    Тема ответа не сохраняет исходную тему клиента в виде «RE: тема»: тема заменена или нет
    префикса «RE:».

    **Почему это важно**

    «RE:» с исходной темой сразу показывает клиенту, что это ответ на его вопрос, и держит
    письма об одном вопросе вместе в его почтовой программе.
    """
    original: str | None = None
    for i, m in enumerate(d.messages):
        if m.role == "client":
            if m.subject is not None and base_subject(m.subject):
                original = base_subject(m.subject)
            continue
        if m.role != "operator" or m.subject is None or not m.subject.strip():
            continue  # no subject at all is M001's
        is_reply = original is not None or m.in_reply_to
        if not is_reply or has_act(d.doc(i), "autoreply"):
            continue  # an auto-reply keeps the mail system's «Автоответ:» subject
        subject = m.subject
        expected = f"RE: {original}" if original else "RE: …"
        kept = original is None or base_subject(subject).casefold() == original.casefold()
        if kept and _HAS_REPLY_PREFIX.match(subject):
            continue
        s, e = d.first_line_span(i)
        yield Hit(
            s,
            e,
            f"Тема ответа {quote(subject)} должна сохранять тему вопроса: {quote(expected)}",
            f"The reply's subject {quote(subject)} should keep the question's: {quote(expected)}",
            index=i,
        )


# ------------------------------------------------------------------ M003

# A phone number with the country code. The pattern opens with the «+» (the engine skips to
# it in C) and then looks behind it: the same matches as ``(?<![\w+])\+…``, which is tried at
# every character.
_PHONE = regex(r"\+(?<![\w+]\+)\d{1,3}[\s\u00a0(.-]*\d{2,5}[\s\u00a0).-]*\d{2,4}[\s\u00a0.-]*\d{2}[\s\u00a0.-]*\d{2}\b")
_NAME_GRAMMEMES = ("Name", "Surn", "Patr")


@lru_cache(maxsize=WORD_FORMS)
def _is_person_word(word: str) -> bool:
    return any(g in p.tag for p in parses(word.lower()) for g in _NAME_GRAMMEMES)


class SignatureParams(Params):
    lines: int = Field(10, ge=1, le=1000)
    """Without a closing line («С уважением,», «--»), how many last non-empty lines of the
    letter may hold the signature."""


_CLOSING = regex(r"^\s*(?:с\s+уважением|с\s+наилучшими\s+пожеланиями|всего\s+доброго|--\s*$|—\s*$)", re.I)


def _signature_start(doc: Document, lines: int) -> int:
    """Where the signature starts: after the last closing line («С уважением,», «--») when
    there is one, else the last ``lines`` non-empty lines, but never the salutation line."""
    nonblank = [ln for ln in doc.lines if not ln.blank]
    if not nonblank:
        return len(doc.text)
    for ln in reversed(nonblank[1:]):
        if _CLOSING.match(doc.text[ln.start : ln.end]):
            return ln.start
    k = max(1 if len(nonblank) > 1 else 0, len(nonblank) - lines)
    return nonblank[k].start


def _has_full_name(doc: Document, start: int) -> bool:
    """Two capitalised words in a row (placeholders left out) from ``start`` on, with only
    spaces between them, one of them a first name, a surname or a patronymic."""
    text = doc.text
    prev = None  # the previous word, when it is capitalised
    for w in doc.words[doc.word_range(start, start)[0] :]:
        if w.placeholder:
            continue
        if not w.text[:1].isupper():
            prev = None
            continue
        if prev is not None and not text[prev.end : w.start].strip():
            # (a comma between, as in «Здравствуйте, Татьяна», is not a name and surname)
            if _is_person_word(prev.text) or _is_person_word(w.text):
                return True
        prev = w
    return False


def _has_contact(doc: Document, start: int) -> bool:
    if any(s >= start for s, _ in doc.emails):
        return True
    return _PHONE.search(doc.text, start) is not None


@rule(
    "M003",
    "signature-missing",
    "warning",
    channels=EMAIL,
    params=SignatureParams,
    bad=[
        ex("Здравствуйте, Иван!\n\nВаш заказ отправлен сегодня.\n\n⟦С уважением, служба поддержки⟧", channel="email"),
        ex("Здравствуйте, Татьяна!\n\n⟦Заказ отправлен, пишите на help@romashka.ru⟧", channel="email"),
        ex("Уважаемый Иван Петрович!\n\nЗаказ отправлен.\n\nС уважением,\nслужба поддержки\n⟦help@romashka.ru⟧",
           channel="email"),
        ex("Здравствуйте, Иван!\n\nВаш заказ отправлен сегодня.\n\nС уважением,\n⟦Анна Смирнова⟧", channel="email"),
        ex("Здравствуйте!\n\nЗаказ отправлен.\n\nАнна\n⟦тел. 123-45-67⟧", channel="email"),
    ],
    good=[
        ex(REPLY, channel="email"),
        ex("Добрый день!\n\nЗаказ отправлен.\n\n--\nОльга Кузнецова\nanna@romashka.ru", channel="email"),
        ex("Добрый день!\n\nЗаказ отправлен.\n\nС уважением,\nОльга Кузнецова\nведущий специалист\n"
           "отдел по работе с клиентами\nООО «Ромашка»\nг. Москва, ул. Ленина, д. 5, офис 12\n"
           "тел. +7 495 123-45-67\nмоб. +7 916 123-45-67\nolga@romashka.ru\nwww.romashka.ru", channel="email"),
    ],
)
def signature_missing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    An e-mail that does not end with a signature giving the sender's full name (first name
    and surname) and at least one contact: a phone number with the country code (+7 …) or an
    e-mail address. The signature is looked for in the last ``lines`` non-empty lines.

    **Why**

    Full contact details under every letter show a real, accountable person and let the
    client reach them another way; a phone without the country and city code is useless to a
    client in another city.

    **Example**

    «С уважением, служба поддержки» → «С уважением,\\nАнна Смирнова, служба поддержки
    «Ромашка»\\n+7 495 123-45-67, anna@romashka.ru»

    **Что проверяет**

    Письмо не заканчивается подписью с именем и фамилией отправителя и хотя бы одним контактом:
    телефоном с кодом страны (+7 …) или адресом электронной почты.

    **Почему это важно**

    Полные контакты под каждым письмом показывают, что за ответом стоит реальный ответственный
    человек, и дают клиенту другой способ связи; телефон без кода страны и города бесполезен
    клиенту из другого города.
    """
    if not doc.text.strip():
        return
    start = _signature_start(doc, ctx.params.lines)
    name = _has_full_name(doc, start)
    contact = _has_contact(doc, start)
    if name and contact:
        return
    missing_ru = " и ".join(x for x, ok in (("имени и фамилии", name), ("контакта (телефон с +7…, e-mail)", contact)) if not ok)
    missing_en = " and ".join(x for x, ok in (("full name", name), ("contact (phone with +country code, e-mail)", contact)) if not ok)
    last = [ln for ln in doc.lines if not ln.blank][-1]
    yield Hit(
        last.start,
        last.end,
        f"В подписи письма нет {missing_ru}",
        f"The e-mail's signature lacks a {missing_en}",
    )


# ------------------------------------------------------------------ M004

FRIDAY_EVENING = datetime(2026, 11, 27, 19, 0, tzinfo=ZoneInfo("Europe/Moscow"))
MONDAY_MORNING = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


class LateReplyParams(Params):
    max_delay_s: int = Field(86400, ge=1, le=30 * 86400)
    """A reply later than this many seconds after the client's letter needs an apology."""


@rule(
    "M004",
    "late-reply-no-apology",
    "warning",
    scope="dialogue",
    needs_time=True,
    channels=EMAIL,
    params=LateReplyParams,
    bad=[dlg((0, "c", QUESTION), (3 * 86400, "o", REPLY_MARKED), channel="email")],
    good=[
        dlg(
            (0, "c", QUESTION),
            (3 * 86400, "o", "Здравствуйте, Иван!\n\nИзвините за задержку с ответом. Заказ отправлен.\n\n" + SIGNATURE),
            channel="email",
        ),
        dlg((0, "c", QUESTION), (4 * 3600, "o", REPLY), channel="email"),
        # a Friday-evening letter answered on Monday morning: one working hour with a Mon-Fri calendar
        dlg(
            (None, "c", QUESTION),
            (None, "o", REPLY),
            channel="email",
            headers={0: {"time": FRIDAY_EVENING}, 1: {"time": MONDAY_MORNING}},
            working_hours={"email": {"days": ["mon", "tue", "wed", "thu", "fri"], "hours": "09:00-18:00",
                                     "timezone": "Europe/Moscow"}},
        ),
    ],
)
def late_reply_no_apology(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A reply sent more than ``max_delay_s`` (24 h) after the client's letter that does not
    apologise for the delay (with ``working_hours`` for the channel, 24 working hours: a
    Friday-evening letter answered on Monday morning is not late; seed 004 excepts weekends
    and holidays) («Извините за задержку…», «Приносим свои извинения…», «Прошу
    прощения за долгий ответ»: the speech act "apology"; «к сожалению» is regret, not an
    apology, and «Извините, а …?» only asks for attention).

    **Why**

    An e-mail is answered within a working day. When the answer is late, an apology shows
    the client that the delay was noticed and is not the norm.

    **Example**

    An answer three days later that starts with the substance → «Извините за задержку с
    ответом.» first.

    **Что проверяет**

    Ответ отправлен позже чем через сутки после письма клиента и не содержит
    извинения за задержку.

    **Почему это важно**

    На письмо отвечают в течение рабочего дня. Если ответ запоздал, извинение показывает
    клиенту, что задержку заметили и что она не в порядке вещей.
    """
    waiting_since: int | None = None
    for i, m in enumerate(d.messages):
        if m.role == "client":
            if waiting_since is None and d.needs_answer(i):  # «Спасибо!» starts no clock
                waiting_since = i
            continue
        if m.role != "operator":
            continue
        if waiting_since is not None:
            waited = d.wait(waiting_since, i)  # working time when the channel has working hours
            if waited > ctx.params.max_delay_s and not has_act(d.doc(i), "apology"):
                s, e = d.first_line_span(i)
                days = waited / 86400
                yield Hit(
                    s,
                    e,
                    f"Ответ через {duration(waited)} после письма клиента без извинения за задержку",
                    f"A reply {days:.1f} days after the client's letter with no apology for the delay",
                    index=i,
                )
        waiting_since = None


# ------------------------------------------------------------------ M005

_MONTHS = "январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр"
_DATE = regex(
    rf"\b\d{{1,2}}[./]\d{{1,2}}(?:[./]\d{{2,4}})?\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}(?:-?го)?\s+(?:{_MONTHS})",
    re.I,
)


@rule(
    "M005",
    "autoreply-without-date",
    "warning",
    channels=EMAIL,
    bad=[
        ex("Здравствуйте! ⟦Я нахожусь в отпуске⟧. По срочным вопросам пишите на help@romashka.ru.", channel="email"),
        ex("⟦Это автоматический ответ⟧. Меня нет в офисе, отвечу после возвращения.", channel="email"),
        # a date of the letter is no date of return
        ex("⟦Я в отпуске⟧. Ваш заказ от 3 декабря передан коллеге.", channel="email"),
    ],
    good=[
        ex("Здравствуйте! Я нахожусь в отпуске до 5 декабря. По срочным вопросам пишите на help@romashka.ru.",
           channel="email"),
        ex("Автоматический ответ: я в командировке до 05.12.2026, по срочным вопросам звоните +7 495 123-45-67.",
           channel="email"),
        ex(REPLY, channel="email"),
        ex("Меня не будет в офисе с 1 по 10 мая, буду на связи с 11 мая.", channel="email"),
        ex("Спасибо за письмо! Я сейчас в отпуске, вернусь 20 августа.", channel="email"),
    ],
)
def autoreply_without_date(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    An out-of-office auto-reply («автоматический ответ», «я в отпуске», «в командировке»,
    «отсутствую в офисе»: the speech act "autoreply") that does not give the date of return
    («до 5 декабря», «до 05.12.2026», «вернусь 20 августа»). The return date is the act's
    ``date`` part: a date that belongs to the absence, led by «до», «с», «по», «вернусь»,
    «буду» in a sentence about the absence or the return — «Ваш заказ от 3 декабря» is a
    date of the letter, not of the return.

    **Why**

    An auto-reply is for an absence of several days, and it is useful only when it says
    until when: the client then knows whether to wait or to use the contacts it gives.

    **Example**

    «Я нахожусь в отпуске.» → «Я нахожусь в отпуске до 5 декабря.»

    **Что проверяет**

    Автоответ об отсутствии («я в отпуске», «в командировке», «отсутствую в офисе») не называет
    дату возвращения («до 5 декабря», «вернусь 20 августа»); дата заказа или письма датой
    возвращения не считается.

    **Почему это важно**

    Автоответ ставят, когда уезжают на несколько дней, и пользы от него немного, если не
    сказано, до какого числа: зная дату, клиент решит, подождать или воспользоваться указанными
    в автоответе контактами.
    """
    act = first_act(doc, "autoreply")
    if act is None or act.part("date") is not None:
        return
    s, e = act.start, act.end
    yield Hit(
        s,
        e,
        f"Автоответ {quote(doc.text[s:e])} без даты возвращения: укажите, до какого числа Вас не будет",
        f"An auto-reply ({quote(doc.text[s:e])}) without the date of return: say until when",
    )
