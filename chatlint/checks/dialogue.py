"""T rules: the dialogue and its timing (transcripts only).

Each check reads a whole :class:`~chatlint.dialogue.Dialogue` and points at one message
(``Hit.index``); spans are offsets into that message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from ..acts import acts, is_holding, phone_offer, phrase_spans, words_of
from ..compiled import regex
from ..dialogue import Dialogue, is_media_placeholder, question_span
from ..document import Document
from ..inflect import duration
from ..lexicon import profane_spans
from ..morph import cyrillic_lemmas
from ..registry import Context, Field, Hit, Params, dlg, quote, rule

GREETING = "Здравствуйте, меня зовут Анна. Чем могу помочь?"
MOSCOW = ZoneInfo("Europe/Moscow")
HOLD = "Одну минуту, уточню информацию."


def _minutes(seconds: float) -> str:
    return duration(seconds)


def _minutes_en(seconds: float) -> str:
    if seconds < 120 and seconds % 60:
        return f"{int(seconds)} s"
    if seconds < 2 * 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


# ------------------------------------------------------------------ T001


class FirstResponseParams(Params):
    first_response_s: int = Field(ge=1, le=30 * 86400)
    """Seconds the client may wait for the operator's first reply (per channel: ``rules/profiles/``)."""


@rule(
    "T001",
    "slow-first-response",
    "warning",
    scope="dialogue",
    needs_time=True,
    params=FirstResponseParams,
    bad=[
        dlg((0, "c", "Добрый день! Есть ли доставка в Казань?"), (150, "o", "⟦" + GREETING + "⟧")),
        # a night message answered at 09:03 with no working hours configured: 7 hours
        dlg((47400, "c", "Добрый вечер, заказ не пришёл."), (72180, "o", "⟦" + GREETING + "⟧"), channel="messenger"),
    ],
    good=[
        # a Friday-evening letter answered on Monday at 10:00: one working hour
        dlg(
            (None, "c", "Добрый вечер! Пришлите, пожалуйста, счёт на оплату по договору 14/2."),
            (None, "o", "Здравствуйте! Счёт во вложении."),
            channel="email",
            headers={0: {"time": datetime(2026, 11, 27, 19, 0, tzinfo=MOSCOW)},
                     1: {"time": datetime(2026, 11, 30, 10, 0, tzinfo=MOSCOW)}},
            working_hours={"email": {"hours": "09:00-18:00", "timezone": "Europe/Moscow"}},
        ),
        # … the same with working hours from 09:00 (Moscow): 3 working minutes
        dlg(
            (47400, "c", "Добрый вечер, заказ не пришёл."),
            (72180, "o", GREETING),
            channel="messenger",
            working_hours={"messenger": {"hours": "09:00-21:00", "timezone": "Europe/Moscow"}},
        ),
        dlg((0, "c", "Добрый день! Есть ли доставка в Казань?"), (40, "o", GREETING)),
        dlg((0, "c", "Здравствуйте, заказ не пришёл."), (200, "o", GREETING), channel="messenger"),
        dlg((0, "o", "Здравствуйте! Ваш заказ готов к выдаче."), (600, "c", "Спасибо, а до скольки?"),
            (630, "o", "До 21:00.")),
    ],
)
def slow_first_response(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The operator's first reply came later than ``first_response_s`` after the client's
    first message that asks for something (each channel's profile sets it: a minute in a
    chat, a day by e-mail). A conversation the operator opened is not checked. With
    ``working_hours`` configured for the channel only working time counts: a message sent at
    night waits from the start of the working day (seed 004: out-of-hours messages are
    answered the next working day).

    **Why**

    In a chat the client expects an answer within a minute, as in a live conversation; a
    client who waits longer closes the window and goes to a competitor who answered.

    **Example**

    Client at 14:05:00, operator's greeting at 14:07:30 → answer (or at least greet and ask
    to wait) within the first minute.

    **Что проверяет**

    Первый ответ оператора пришёл позже допустимого после первого сообщения клиента
    (минута в чате, сутки в почте).

    **Почему это важно**

    В чате клиент ждёт ответа в течение минуты, как в живом разговоре; не дождавшись, он
    закрывает окно и уходит к конкуренту, который ответил быстрее.
    """
    clients = d.client_indexes
    ops = d.operator_indexes
    if not clients or not ops or ops[0] < clients[0]:
        return  # no client, no reply, or the operator opened the conversation
    o = ops[0]
    c = next((i for i in clients if i < o and d.needs_answer(i)), None)
    if c is None:
        return  # nothing before the first reply asked for one
    waited = d.wait(c, o)
    limit = ctx.params.first_response_s
    if waited > limit:
        s, e = d.first_line_span(o)
        yield Hit(
            s,
            e,
            f"Первый ответ через {_minutes(waited)} после обращения клиента (норма — {_minutes(limit)})",
            f"First reply {_minutes_en(waited)} after the client wrote (limit {_minutes_en(limit)})",
            index=o,
        )


# ------------------------------------------------------------------ T002


class ResponseParams(Params):
    response_s: int = Field(ge=1, le=30 * 86400)
    """Seconds a client message may wait for the operator (after the first reply)."""
    hold_s: int = Field(ge=1, le=30 * 86400)
    """Seconds the operator may take after a holding message before writing again."""


@rule(
    "T002",
    "slow-response-no-hold",
    "warning",
    scope="dialogue",
    needs_time=True,
    channels=("chat", "messenger", "social"),
    params=ResponseParams,
    bad=[
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", GREETING),
            (60, "c", "Заказ 5531, оформлял в понедельник."),
            (260, "o", "⟦Ваш заказ передан в доставку, курьер привезёт его завтра.⟧"),
        ),
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", GREETING),
            (60, "c", "Заказ 5531."),
            (90, "o", HOLD),
            (900, "o", "⟦Заказ передан в доставку.⟧"),
        ),
        # a photo alone shows the problem: it starts the clock
        dlg(
            (0, "c", "Здравствуйте, пришёл не тот чайник."),
            (30, "o", GREETING),
            (60, "c", "[Фото]"),
            (420, "o", "⟦Вижу, прислали не ту модель: оформим замену за наш счёт.⟧"),
            headers={2: {"media": True}},
        ),
        # a filler buys a moment, not minutes
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", GREETING),
            (60, "c", "Заказ 5531."),
            (70, "o", "Секунду."),
            (310, "o", "⟦Заказ передан в доставку.⟧"),
        ),
        # … and only once: a second «Секунду» is no pause
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", GREETING),
            (60, "c", "Заказ 5531."),
            (70, "o", "Секунду."),
            (120, "o", "Секунду."),
            (170, "o", "⟦Заказ передан в доставку.⟧"),
        ),
    ],
    good=[
        # thanks and acknowledgements need no answer: days of silence after them are no wait
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", GREETING),
            (60, "c", "Заказ 5531."),
            (90, "o", "Заказ передан в доставку, курьер привезёт его завтра."),
            (120, "c", "Спасибо, понял 👍"),
            (3 * 86400, "o", "Подскажите, пожалуйста, курьер доставил заказ?"),
            (3 * 86400 + 60, "c", "Ок!"),
            (5 * 86400, "o", "Будем рады видеть Вас снова."),
        ),
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", GREETING),
            (60, "c", "Заказ 5531, оформлял в понедельник."),
            (90, "o", HOLD),
            (260, "o", "Ваш заказ передан в доставку, курьер привезёт его завтра."),
        ),
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", GREETING),
            (60, "c", "Заказ 5531."),
            (100, "o", "Ваш заказ передан в доставку, курьер привезёт его завтра."),
        ),
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", GREETING),
            (60, "c", "Заказ 5531."),
            (80, "o", "Проверяю, минуточку."),
            (90, "c", "Хорошо, жду."),
            (240, "o", "Ваш заказ передан в доставку, курьер привезёт его завтра."),
        ),
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", GREETING),
            (60, "c", "Заказ 5531."),
            (300, "o", "Заказ передан в доставку."),
            channel="messenger",
        ),
        # holding messages worded otherwise, with inserted words
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", GREETING),
            (60, "c", "Заказ 5531."),
            (90, "o", "Секунду, пожалуйста, сверюсь с графиком доставки."),
            (260, "o", "Ваш заказ передан в доставку, курьер привезёт его завтра."),
        ),
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", GREETING),
            (60, "c", "Заказ 5531."),
            (90, "o", "Передаю вопрос коллеге со склада, вернусь к Вам в течение 5 минут."),
            (350, "o", "Ваш заказ передан в доставку, курьер привезёт его завтра."),
        ),
    ],
)
def slow_response_no_hold(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The client's clock: a client message that needs an answer (a question, a request, a
    photo of the problem — not thanks, an acknowledgement such as «Ок, понял», an emoji alone
    or a closing remark) waits for the operator's answer. The operator's first word must come
    within ``response_s``; a holding message pauses the clock («Одну минуту, уточню
    информацию», «Мне потребуется немного времени…»), and after it the operator has ``hold_s``
    to answer or hold again. A filler («Секунду», «Одну минуту, пожалуйста») buys no more
    than ``response_s`` and pauses the clock only once in a wait: «Секунду» followed by a
    quarter of an hour of silence is a quarter of an hour of silence. The finding reports the
    total wait and the longest silence; it points at the message that ended that silence.
    The first reply of the conversation is T001's. Holding messages are the speech act
    "holding" (``rules/lexicons/dialogue.toml``): asking to wait («Одну минуту»,
    «Подождите, пожалуйста»), promising to come back («Вернусь к Вам через 5 минут»), saying
    what is being done («Уточняю у склада», «Передаю вопрос коллеге»), in the first person
    or the imperative by grammar — «Уточните номер заказа» asks the client and holds nothing.
    With ``working_hours`` configured for the channel, only working time counts.

    **Why**

    An answer within a minute is the norm of a chat. When the search takes longer, the
    operator says so at once: a client who knows they are waiting for an answer waits; a
    client facing silence leaves. A client's «Спасибо» needs no answer, so it starts no wait.

    **Example**

    Client at 14:06:00, answer at 14:09:20 → at 14:06:30 «Одну минуту, уточню информацию.»

    **Что проверяет**

    Сообщение клиента, которое ждёт ответа (вопрос, просьба, фото проблемы, но не «Спасибо» или
    «Ок»), ждало оператора дольше допустимого (минута в чате), или после сообщения об ожидании
    оператор молчал дольше обещанного. «Секунду» без продолжения паузой считается лишь однажды
    и не дольше минуты в чате. В сообщении — общее время ожидания и самая долгая пауза.

    **Почему это важно**

    В чате принято отвечать в течение минуты. Если на поиск нужно больше времени, оператор сразу
    предупреждает об этом: клиент, который знает, что ответ готовится, подождёт, а молчание его
    отпугнёт. Благодарность клиента ответа не требует, и ожидание с неё не начинается.
    """
    ops = d.operator_indexes
    if not ops:
        return
    p = ctx.params
    limits = {"reply": p.response_s, "filler": p.response_s, "hold": p.hold_s}
    for w in d.waits:
        worst = None
        for a, b, kind in w.silences:
            if kind == "reply" and a < ops[0]:
                continue  # the first reply of the conversation is T001's
            silence = d.wait(a, b)
            if silence > limits[kind] and (worst is None or silence > worst[0]):
                worst = (silence, a, b, kind)
        if worst is None:
            continue
        silence, a, b, kind = worst
        # the total wait: to the answer, or to the operator's last word when none came
        total = d.wait(w.client, w.end if w.end is not None else (w.pauses or (b,))[-1])
        s, e = d.first_line_span(b)
        if kind == "reply" and b == w.end:
            ru = (f"Клиент ждал ответа {_minutes(total)} без сообщения об ожидании: отвечайте в течение "
                  f"{_minutes(p.response_s)} или напишите {quote('Одну минуту, уточню информацию')}")
            en = (f"The client waited {_minutes_en(total)} with no holding message: answer within "
                  f"{_minutes_en(p.response_s)} or say you need a moment")
        elif kind == "reply":
            ru = (f"Клиент ждал ответа {_minutes(total)}, первое слово оператора — через {_minutes(silence)} "
                  f"(норма — {_minutes(p.response_s)}): сразу напишите {quote('Одну минуту, уточню информацию')}")
            en = (f"The client waited {_minutes_en(total)}, the operator's first word came after "
                  f"{_minutes_en(silence)} (limit {_minutes_en(p.response_s)}): say you need a moment at once")
        else:
            what = "короткого «подождите»" if kind == "filler" else "сообщения об ожидании"
            what_en = "a filler" if kind == "filler" else "the holding message"
            ru = (f"Клиент ждал ответа {_minutes(total)}, самая долгая пауза — {_minutes(silence)} после {what} "
                  f"(норма — {_minutes(limits[kind])}): сообщите клиенту, что ещё ищете ответ")
            en = (f"The client waited {_minutes_en(total)}, the longest silence {_minutes_en(silence)} after "
                  f"{what_en} (limit {_minutes_en(limits[kind])}): tell the client you are still on it")
        yield Hit(s, e, ru, en, index=b)


# ------------------------------------------------------------------ T008

_STATED_TIME = regex(
    r"(?:через|в\s+течени[ие]|не\s+позднее|не\s+позже|до|к|около|примерно|за)\s+"
    r"(?:\d|полчаса|час|пол|пару|несколько|одн|дв|тр|пят|дес|пятнадцат|двадцат|сорок|завтр|сегодн|вечер|конц|обед)",
    re.I,
)


def _callback_or_time(doc: Document) -> bool:
    """A holding message that offers to call back or says when the answer will come."""
    return phone_offer(doc) is not None or _STATED_TIME.search(doc.text) is not None


class LongHoldParams(Params):
    max_hold_s: int = Field(ge=1, le=30 * 86400)
    """Seconds a client may be kept waiting in all, holding messages or not, before the operator
    offers to call back or names a time."""


@rule(
    "T008",
    "hold-too-long",
    "warning",
    scope="dialogue",
    needs_time=True,
    channels=("chat", "messenger", "social"),
    params=LongHoldParams,
    bad=[
        # the repeated-holding case: every silence is short, the total is not
        dlg(
            (0, "c", "Здравствуйте, почему не проходит оплата картой?"),
            (20, "o", GREETING),
            (40, "c", "Карта Мир, пишет «операция отклонена»."),
            (60, "o", "Одну минуту, уточню у платёжного отдела."),
            (300, "o", "Ещё немного подождите, пожалуйста, проверяю."),
            (540, "o", "Уточняю, оставайтесь, пожалуйста, в чате."),
            (780, "o", "⟦Платёж отклонил банк: попробуйте другую карту.⟧"),
        ),
    ],
    good=[
        dlg(
            (0, "c", "Здравствуйте, почему не проходит оплата картой?"),
            (20, "o", GREETING),
            (40, "c", "Карта Мир, пишет «операция отклонена»."),
            (60, "o", "Одну минуту, уточню у платёжного отдела."),
            (300, "o", "Проверка займёт около получаса: давайте я перезвоню Вам с ответом?"),
            (2000, "o", "Платёж отклонил банк: попробуйте другую карту."),
        ),
        dlg(
            (0, "c", "Здравствуйте, почему не проходит оплата картой?"),
            (20, "o", GREETING),
            (40, "c", "Карта Мир, пишет «операция отклонена»."),
            (60, "o", "Уточняю у платёжного отдела, вернусь к Вам в течение 20 минут."),
            (1200, "o", "Платёж отклонил банк: попробуйте другую карту."),
        ),
        dlg(
            (0, "c", "Здравствуйте, почему не проходит оплата картой?"),
            (20, "o", GREETING),
            (40, "c", "Карта Мир."),
            (60, "o", "Одну минуту, уточню."),
            (200, "o", "Платёж отклонил банк: попробуйте другую карту."),
        ),
    ],
)
def hold_too_long(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The client was kept on hold too long in all: from the client's message to the operator's
    answer more than ``max_hold_s`` passed (ten minutes in a chat), with holding
    messages in between — each pause short enough for T002, their sum not — and no holding
    message offered to call back or said when the answer would come («вернусь к Вам в течение
    20 минут», «давайте я перезвоню Вам с ответом»). The finding points at the first operator
    message sent after the limit.

    **Why**

    Seed 002's mystery shopper was asked to wait, waited, was asked to wait again and finally
    hung up: a string of «ещё немного подождите» is still a long wait. When the answer takes
    long, take the client's number and call back, or say when the answer will come, rather
    than keep them waiting.

    **Example**

    «Одну минуту…», «Ещё немного подождите…», «Уточняю…» and the answer twelve minutes
    later → «Проверка займёт около получаса: давайте я перезвоню Вам с ответом?»

    **Что проверяет**

    Клиент ждал ответа слишком долго в сумме (в чате — больше десяти минут): оператор писал «подождите» снова и снова,
    но не предложил перезвонить и не назвал срок ответа.

    **Почему это важно**

    Череда «ещё немного подождите» — всё равно долгое ожидание, и клиент в конце концов уходит.
    Вместо этого возьмите номер и перезвоните с ответом или честно назовите срок.
    """
    limit = ctx.params.max_hold_s
    for w in d.waits:
        if not w.pauses:
            continue
        touches = [*w.pauses, *([w.end] if w.end is not None else [])]
        for k in touches:
            if _callback_or_time(d.doc(k)):
                break
            total = d.wait(w.client, k)
            if total > limit:
                s, e = d.first_line_span(k)
                yield Hit(
                    s,
                    e,
                    f"Клиент ждёт ответа уже {_minutes(total)} (норма — {_minutes(limit)}): вместо новых просьб "
                    "подождать возьмите номер и перезвоните с ответом или назовите срок",
                    f"The client has waited {_minutes_en(total)} on hold (limit {_minutes_en(limit)}): take their "
                    "number and call back, or say when the answer will come",
                    index=k,
                )
                break


# ------------------------------------------------------------------ T003

_NON_WORD = regex(r"[^\w]+")


@lru_cache(maxsize=4096)  # the server checks the same conversation with every keystroke
def _normalised(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.lower().replace("ё", "е")).split())


class RepeatParams(Params):
    min_words: int = Field(3, ge=1, le=1000)
    """Messages shorter than this many words («Спасибо!», «Одну минуту.») may repeat."""


@rule(
    "T003",
    "repeated-message",
    "warning",
    scope="dialogue",
    params=RepeatParams,
    bad=[
        dlg(
            (0, "c", "Здравствуйте, сколько стоит доставка?"),
            (20, "o", "Стоимость доставки указана на странице заказа."),
            (50, "c", "А в Казань?"),
            (70, "o", "⟦Стоимость доставки указана на странице заказа!⟧"),
        )
    ],
    good=[
        dlg(
            (0, "c", "Здравствуйте, сколько стоит доставка?"),
            (20, "o", "Доставка по Москве стоит 300 рублей."),
            (50, "c", "А в Казань?"),
            (70, "o", "В Казань — 450 рублей, срок 3 дня."),
        ),
        dlg(
            (0, "c", "Проверьте заказ 1 и заказ 2."),
            (20, "o", "Одну минуту."),
            (50, "o", "Заказ 1 в пути."),
            (70, "o", "Одну минуту."),
        ),
        dlg(
            (0, "c", "Проверьте заказ 1 и заказ 2."),
            (20, "o", "Одну минуту, уточню информацию."),
            (50, "o", "Заказ 1 в пути."),
            (70, "o", "Одну минуту, уточню информацию."),
        ),
    ],
)
def repeated_message(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The operator sent the same text more than once in a conversation (compared in lower
    case, without punctuation and extra spaces): a template instead of an answer. Short
    messages under ``min_words`` words and holding messages may repeat. In the ``social`` channel, where every
    reply is public, it is an error.

    **Why**

    A client who gets the same canned reply twice knows nobody reads them; a templated
    answer that ignores the question makes things worse than no answer at all.

    **Example**

    The same «Стоимость доставки указана на странице заказа» to two different questions →
    answer the second question itself.

    **Что проверяет**

    Оператор отправил в диалоге один и тот же текст больше одного раза — шаблон вместо ответа
    (короткие сообщения в несколько слов повторять можно).

    **Почему это важно**

    Получив одну и ту же заготовку дважды, клиент понимает, что его сообщения не читают;
    шаблонный ответ мимо вопроса хуже, чем никакого.
    """
    seen: dict[str, int] = {}
    for i in d.operator_indexes:
        key = _normalised(d.messages[i].text)
        if len(key.split()) < ctx.params.min_words or is_holding(d.doc(i)):
            continue  # short courtesies and holding messages («Одну минуту, уточню…») may repeat
        if key in seen:
            s, e = d.first_line_span(i)
            yield Hit(
                s,
                e,
                f"Повтор сообщения №{seen[key] + 1}: шаблон вместо ответа на вопрос клиента",
                f"Repeats message #{seen[key] + 1}: a template instead of an answer",
                index=i,
            )
        else:
            seen[key] = i


# ------------------------------------------------------------------ T004


@rule(
    "T004",
    "client-left-unanswered",
    "warning",
    scope="dialogue",
    bad=[
        dlg(
            (0, "c", "Здравствуйте, можно оплатить картой при получении?"),
            (30, "o", "Здравствуйте, меня зовут Анна. Да, курьер принимает карты."),
            (60, "c", "⟦А когда приедет курьер?⟧"),
        ),
        dlg((0, "c", "Подскажите, как отменить заказ"), (30, "o", GREETING), (60, "c", "⟦Заказ 77, подскажите как⟧")),
        dlg((0, "c", "Добрый день"), (30, "o", GREETING), (60, "c", "⟦Когда приедет курьер?⟧"), (90, "c", "Жду ответа")),
        # the photo the operator asked for, and then nothing
        dlg(
            (0, "c", "Здравствуйте, чайник пришёл с трещиной."),
            (30, "o", "Здравствуйте, меня зовут Анна. Пришлите, пожалуйста, фото упаковки."),
            (60, "c", "⟦[Фото]⟧"),
            headers={2: {"media": True}},
        ),
    ],
    good=[
        # a «?» inside a link is no question (T004 took «…/maps?q=…» for one)
        dlg(
            (0, "c", "Здравствуйте, где ваш пункт выдачи?"),
            (30, "o", "Здравствуйте, меня зовут Анна. Пункт выдачи на Ленина, 5."),
            (60, "c", "Нашёл, вот он: https://yandex.ru/maps?q=Ленина+5"),
        ),
        dlg(
            (0, "c", "Здравствуйте, можно оплатить картой при получении?"),
            (30, "o", "Здравствуйте, меня зовут Анна. Да, курьер принимает карты."),
            (60, "c", "Спасибо, всего доброго."),
        ),
        dlg(
            (0, "c", "А когда приедет курьер?"),
            (30, "o", "Курьер приедет завтра с 10 до 14 часов."),
        ),
        dlg((0, "c", "Где заказ?"), (30, "o", "Заказ в пути."), (60, "c", "Как всегда, спасибо!")),
    ],
)
def client_left_unanswered(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The conversation ends on a client's question (a question mark, a sentence opening with
    «когда», «где», «можно»…, or a request such as «подскажите») that the operator never
    answered: the client wrote after the operator's last message, and one of those messages
    asks something («Когда приедет курьер?» followed by «Жду ответа» counts). The finding
    points at the question. So does a photo or a file the client sent without a word (often
    the very photo the operator asked for) when nothing came after it.

    **Why**

    A question left hanging is a lost client: the operator closes every conversation, and
    the last word is an answer and a farewell, not the client's unanswered question.

    **Example**

    Client: «А когда приедет курьер?» — and nothing after it → answer, then say goodbye.

    **Что проверяет**

    Диалог заканчивается вопросом клиента, на который оператор так и не ответил, или фото
    либо файлом от клиента, после которых ответа не было.

    **Почему это важно**

    Вопрос без ответа — потерянный клиент: разговор завершает оператор, и последними в нём
    должны быть ответ и прощание, а не повисший вопрос клиента.
    """
    ops = d.operator_indexes
    if not ops:
        return
    tail = [i for i in range(ops[-1] + 1, len(d.messages)) if d.messages[i].role == "client"]
    for i in tail:  # the client's messages after the operator's last one: the first question
        span = question_span(d.doc(i))
        if span is not None:
            yield Hit(
                span[0],
                span[1],
                "Вопрос клиента остался без ответа: разговор закончился на нём",
                "The client's question was left unanswered: the conversation ends on it",
                index=i,
            )
            return
    for i in tail:  # else a photo or a file with nothing to say but itself: it shows the problem
        m = d.messages[i]
        if m.media and (not m.text.strip() or is_media_placeholder(m.text)):
            yield Hit(
                0,
                len(m.text),
                "Клиент прислал фото или файл, а ответа не было: разговор закончился на нём",
                "The client sent a photo or a file and got no answer: the conversation ends on it",
                index=i,
            )
            return


# ------------------------------------------------------------------ T005


def rude_span(doc: Document) -> tuple[int, int] | None:
    """Where a client message is rude: profanity (A004's lexicon) or an insult."""

    def compute(d: Document) -> tuple[int, int] | None:
        prof = profane_spans(d)
        if prof:
            return prof[0][0], prof[0][1]
        insults = words_of("insults")
        for w in d.words:
            if w.norm in insults or not insults.isdisjoint(cyrillic_lemmas(w.norm)):
                return w.start, w.end
        spans = phrase_spans(d, "insults")
        return spans[0] if spans else None

    return doc.memo("rude-span", compute)


def _unrestrained(doc: Document) -> tuple[int, int, str, str] | None:
    """The first thing in an operator message that is not dry and restrained."""
    smileys = doc.first_smileys(1)
    if smileys:
        s = smileys[0]
        return s.start, s.end, "смайлик", "a smiley"
    bang = doc.text.find("!")
    if bang >= 0:
        return bang, bang + 1, "восклицательный знак", "an exclamation mark"
    for a in acts(doc, "blaming"):
        s, e = a.start, a.end
        return s, e, f"упрёк {quote(doc.text[s:e])}", f"the reproach {quote(doc.text[s:e])}"
    return None


@rule(
    "T005",
    "reply-to-rudeness",
    "warning",
    scope="dialogue",
    bad=[
        dlg(
            (0, "c", "Вы там совсем тупые? Третий день жду заказ!"),
            (30, "o", "Ой, не переживайте так ⟦:)⟧ Сейчас всё узнаем!"),
        ),
        dlg(
            (0, "c", "Вы идиоты, где мой заказ?"),
            (30, "o", "⟦Вы не поняли⟧, заказ ещё в пути."),
        ),
    ],
    good=[
        dlg(
            (0, "c", "Вы там совсем тупые? Третий день жду заказ!"),
            (30, "o", "Давайте общаться в цивилизованном формате. Назовите, пожалуйста, номер заказа."),
        ),
        dlg(
            (0, "c", "Третий день жду заказ, где он?"),
            (30, "o", "Здравствуйте! Сейчас проверю :)"),
        ),
        dlg(
            (0, "c", "Как мне достать товар из постамата? Вы там вообще работаете по субботам?"),
            (30, "o", "Здравствуйте! Да, постамат работает круглосуточно."),
        ),
    ],
)
def reply_to_rudeness(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    After a rude client message (profanity, or an insult such as «тупые», «идиоты»,
    «вы там совсем…»), the operator's next message is not dry and restrained: it has a
    smiley or an emoji, an exclamation mark, or a reproach (A007's phrases).

    **Why**

    The only answer to rudeness is a dry, restrained style: no jokes, no emotion, no
    reproach back. A calm «Давайте общаться в цивилизованном формате» followed by the
    substance brings the conversation back; a smiley or an exclamation escalates it.

    **Example**

    «Ой, не переживайте так :)» → «Давайте общаться в цивилизованном формате. Назовите,
    пожалуйста, номер заказа.»

    **Что проверяет**

    После грубого сообщения клиента следующий ответ оператора несдержан: в нём есть смайлик или
    эмодзи, восклицательный знак или упрёк.

    **Почему это важно**

    Грубому клиенту оператор отвечает подчёркнуто сухо и сдержанно: без шуток, эмоций и
    встречных упрёков. Спокойное «Давайте общаться в цивилизованном формате» и ответ по существу
    возвращают разговор в рабочее русло, а смайлик или восклицание только накаляют его.
    """
    ops = d.operator_indexes
    for c in d.client_indexes:
        if rude_span(d.doc(c)) is None:
            continue
        o = next((i for i in ops if i > c), None)
        if o is None:
            continue
        bad = _unrestrained(d.doc(o))
        if bad is None:
            continue
        s, e, what, what_en = bad
        yield Hit(
            s,
            e,
            f"Ответ на грубость должен быть сухим и сдержанным, а здесь {what}: например, "
            "«Давайте общаться в цивилизованном формате…»",
            f"Answer rudeness dryly and with restraint, not with {what_en}: e.g. «Давайте общаться в "
            "цивилизованном формате…»",
            index=o,
        )


# ------------------------------------------------------------------ T006


class EarlyPhoneParams(Params):
    min_operator_messages: int = Field(2, ge=1, le=10_000)
    """A call offered in one of the operator's first this-many replies is too early."""


def _client_asked_for_call(d: Dialogue, before: int) -> bool:
    return any(phrase_spans(d.doc(c), "call_request") for c in d.client_indexes if c < before)


_WAIT_LEMMAS = frozenset({"ждать", "подождать", "ожидание", "ожидать", "держать", "очередь", "линия"})


def _instead_of_hold(d: Dialogue, i: int) -> bool:
    """A callback offered instead of keeping the client waiting (seed 002: take the number
    and call back rather than keep the client on hold): the offer's message holds or speaks of
    the wait («оставьте номер, чтобы не ждать: перезвоню с ответом»), or the operator's
    message before it was a holding one."""
    doc = d.doc(i)
    if is_holding(doc) or any(not _WAIT_LEMMAS.isdisjoint(cyrillic_lemmas(w.norm)) for w in doc.words):
        return True
    before = [k for k in d.operator_indexes if k < i]
    return bool(before) and is_holding(d.doc(before[-1]))


@rule(
    "T006",
    "phone-offer-too-early",
    "warning",
    scope="dialogue",
    channels=("chat", "messenger", "social"),
    params=EarlyPhoneParams,
    bad=[
        dlg(
            (0, "c", "Здравствуйте, подойдёт ли этот фильтр к моему кофейнику?"),
            (20, "o", "Здравствуйте, меня зовут Анна. ⟦Давайте я Вам перезвоню⟧ и всё объясню?"),
        ),
    ],
    good=[
        dlg(
            (0, "c", "Здравствуйте, подойдёт ли этот фильтр к моему кофейнику?"),
            (20, "o", "Здравствуйте, меня зовут Анна. Назовите, пожалуйста, модель кофейника."),
            (50, "c", "Модель КФ-12, но я не уверен."),
            (70, "o", "Фильтр подходит к моделям КФ-10 и КФ-12."),
            (100, "c", "А если модель другая?"),
            (120, "o", "Можем обсудить по телефону: оставьте, пожалуйста, Ваш номер."),
        ),
        dlg(
            (0, "c", "Здравствуйте, где мой заказ?"),
            (20, "o", "Здравствуйте, меня зовут Анна. Назовите, пожалуйста, номер заказа: курьер позвонит Вам за час."),
        ),
        dlg(
            (0, "c", "Здравствуйте, можете мне перезвонить?"),
            (20, "o", "Здравствуйте, меня зовут Анна. Конечно, оставьте, пожалуйста, номер телефона."),
        ),
        # seed 002: a callback instead of a long hold
        dlg(
            (0, "c", "Здравствуйте, почему с карты списали деньги дважды?"),
            (20, "o", "Здравствуйте, меня зовут Анна. Проверка займёт около получаса: оставьте, пожалуйста, "
                      "номер, чтобы не ждать в чате, — я перезвоню с ответом."),
        ),
        dlg(
            (0, "c", "Здравствуйте, где мой возврат?"),
            (20, "o", "Здравствуйте, меня зовут Анна. Одну минуту, уточню в бухгалтерии."),
            (80, "o", "Бухгалтерия ответит не раньше обеда. Давайте я Вам перезвоню, как только будет ответ?"),
        ),
    ],
)
def phone_offer_too_early(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A phone call is proposed in one of the operator's first ``min_operator_messages``
    replies (default 2), unless the client asked for a call first, or the call is a callback
    offered instead of a long hold (the message holds or speaks of the wait, or follows a
    holding message). Offers are the "phone_offer" speech act: asking for the number,
    proposing to call or call back, asking whether a call is convenient («Удобно ли Вам, если
    я перезвоню?», «Оставьте номер, наберу Вас»), not a mention such as «курьер позвонит Вам».

    **Why**

    The client chose the chat on purpose: it is more convenient for them (seed 001 warns
    against turning every dialogue into a phone call). A call is the right offer when the
    client hesitates after a few answers, not instead of them. But seed 002 recommends taking
    the number and calling back rather than keeping the client waiting: a callback offered
    instead of a long hold is no pushiness, at any point.

    **Example**

    «Давайте я Вам перезвоню» in the first reply → answer in the chat; offer a call when the
    client is still unsure.

    **Что проверяет**

    Оператор предлагает созвониться в одном из первых двух
    ответов, хотя клиент о звонке не просил (обратный звонок вместо долгого ожидания —
    не в счёт).

    **Почему это важно**

    Клиент пишет в чат не случайно: ему удобнее переписываться (seed 001 не советует сводить
    каждый диалог к звонку). Звонок уместно предложить, когда клиент колеблется после
    нескольких ответов, а не вместо них. Но взять номер и перезвонить лучше, чем держать
    клиента в ожидании (seed 002): такое предложение уместно в любой момент.
    """
    for n, i in enumerate(d.operator_indexes):
        if n >= ctx.params.min_operator_messages:
            return
        span = phone_offer(d.doc(i))
        if span is not None and not _client_asked_for_call(d, i) and not _instead_of_hold(d, i):
            yield Hit(
                span[0],
                span[1],
                f"Звонок предложен слишком рано ({n + 1}-й ответ оператора): клиент выбрал чат — сначала "
                "ответьте в чате",
                f"A call offered too early (operator reply #{n + 1}): the client chose the chat, answer there first",
                index=i,
            )


# ------------------------------------------------------------------ T007


class SuggestPhoneParams(Params):
    max_operator_messages: int = Field(8, ge=1, le=10_000)
    """A dialogue with more operator messages than this should offer a call."""
    max_chars: int = Field(3000, ge=1, le=10_000_000)
    """… or one whose messages are longer than this many characters in total."""


@rule(
    "T007",
    "phone-offer-suggested",
    "info",
    scope="dialogue",
    channels=("chat", "messenger"),
    params=SuggestPhoneParams,
    bad=[
        dlg(
            *[
                turn
                for k in range(8)
                for turn in (
                    (k * 60, "c", f"А вариант {k + 1} подойдёт для дачи?"),
                    (k * 60 + 30, "o", f"Вариант {k + 1} рассчитан на городскую квартиру."),
                )
            ],
            (480, "c", "А вариант 9 подойдёт для дачи?"),
            (510, "o", "⟦Вариант 9 рассчитан на городскую квартиру.⟧"),
        )
    ],
    good=[
        dlg(
            *[
                turn
                for k in range(9)
                for turn in (
                    (k * 60, "c", f"А вариант {k + 1} подойдёт для дачи?"),
                    (k * 60 + 30, "o", f"Вариант {k + 1} рассчитан на городскую квартиру."),
                )
            ],
            (600, "o", "Давайте обсудим варианты по телефону: оставьте, пожалуйста, Ваш номер."),
        ),
        dlg(
            *[
                turn
                for k in range(9)
                for turn in (
                    (k * 60, "c", f"А вариант {k + 1} подойдёт для дачи?"),
                    (k * 60 + 30, "o", f"Вариант {k + 1} рассчитан на городскую квартиру."),
                )
            ],
            (600, "o", "Удобно ли Вам, если я перезвоню и расскажу про все варианты?"),
        ),
        dlg((0, "c", "Сколько стоит доставка?"), (20, "o", "Доставка по городу стоит 300 рублей.")),
    ],
)
def phone_offer_suggested(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A long dialogue — more than ``max_operator_messages`` operator messages (8) or over
    ``max_chars`` characters (3000) — in which the operator never offers a phone call. The
    finding points at the operator message that made the dialogue long. An offer is the
    speech act "phone_offer": asking for the number, proposing to call or call back, asking
    whether a call is convenient («Удобно ли Вам, если я перезвоню?», «Продиктуйте номер,
    наберу Вас»).

    **Why**

    When the client cannot decide after many messages, a short call closes the question
    faster than another screen of text; a long chat that never offers one loses a client who
    was ready to buy.

    **Example**

    After the ninth answer about the same choice → «Давайте обсудим по телефону: оставьте,
    пожалуйста, Ваш номер.»

    **Что проверяет**

    В длинном диалоге — больше восьми сообщений оператора или
    3000 символов — оператор ни разу не предложил созвониться.

    **Почему это важно**

    Если клиент долго не может решиться, короткий звонок закроет вопрос быстрее, чем ещё один
    экран текста; затянутый чат без такого предложения упускает клиента, готового к покупке.
    """
    ops = d.operator_indexes
    if not ops or any(phone_offer(d.doc(i)) is not None for i in ops):
        return
    p = ctx.params
    chars = 0
    count = 0
    for i, m in enumerate(d.messages):
        chars += len(m.text)
        if m.role != "operator":
            continue
        count += 1
        if count > p.max_operator_messages or chars > p.max_chars:
            s, e = d.first_line_span(i)
            yield Hit(
                s,
                e,
                "Диалог затянулся, а звонок так и не предложен: предложите клиенту обсудить вопрос по телефону",
                "A long dialogue with no call offered: suggest discussing it by phone",
                index=i,
            )
            return


# ------------------------------------------------------------------ T009


@rule(
    "T009",
    "no-operator-reply",
    "error",
    scope="dialogue",
    bad=[
        dlg((0, "c", "⟦Здравствуйте, хочу вернуть куртку, какие нужны документы?⟧")),
        dlg(
            (0, "c", "[Фото]"),
            (30, "c", "⟦Добрый день, пришла коробка с вмятиной, что делать?⟧"),
            (7200, "c", "Ау?"),
            headers={0: {"media": True}},
        ),
    ],
    good=[
        dlg((0, "c", "Здравствуйте, хочу вернуть куртку, какие нужны документы?"), (40, "o", GREETING)),
        dlg((0, "c", "Спасибо, всё получил!")),
    ],
)
def no_operator_reply(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A conversation in which the client wrote something that needs an answer (a question, a
    request, a photo of the problem — not just thanks) and no operator ever replied. The
    finding points at the first client message that asked for something with text, and the
    conversation counts in every summary.

    **Why**

    Seed 002 names the "dead" contact address — letters nobody reads, answers never sent — as
    a typical failure, and seed 004 warns that a good share of clients who get no answer never
    write again. A chat nobody picked up is the worst answer of all, and it must not vanish
    from the figures just because there is no operator message to attach it to.

    **Example**

    «Здравствуйте, хочу вернуть куртку, какие нужны документы?» — and no reply → answer every
    conversation, at the latest the next working day.

    **Что проверяет**

    Клиент написал то, что требует ответа, а оператор так и не ответил ни разу.

    **Почему это важно**

    «Мёртвый» адрес, на который никто не отвечает, — типичная ошибка поддержки: не получив
    ответа, клиент уходит к тем, кто отвечает. Такой разговор учитывается во всех сводках.
    """
    if d.operator_indexes:
        return
    asking = [i for i in d.client_indexes if d.needs_answer(i)]
    if not asking:
        return
    with_text = [i for i in asking if d.messages[i].text.strip() and not is_media_placeholder(d.messages[i].text)]
    i = with_text[0] if with_text else asking[0]
    s, e = d.first_line_span(i)
    yield Hit(
        s,
        e,
        "Клиенту никто не ответил: в разговоре нет ни одного сообщения оператора",
        "Nobody answered the client: the conversation has no operator message",
        index=i,
    )


# ------------------------------------------------------------------ T010

_STOP = frozenset(
    "здравствуйте добрый день вечер утро привет подскажите пожалуйста скажите а и но что как где когда "
    "почему можно ли мне меня мой мою моя мое вы вас вам ваш это этот эта там тут уже еще так же бы".split()
)


_RECENT = 5  # how many earlier questions a re-ask is compared with


def _content_stems(doc: Document) -> frozenset[str]:
    # once per document: T010 compares every client question with the ones before it
    return doc.memo(("T010", "stems"), lambda d: frozenset(
        w.norm[:5] for w in d.words if len(w.norm) > 2 and w.norm not in _STOP and not w.norm.isdigit()))


def _numbers(doc: Document) -> frozenset[str]:
    return doc.memo(("T010", "numbers"), lambda d: frozenset(re.findall(r"\d+", d.text)))


def _repeats(earlier: Document, later: Document) -> bool:
    """Whether ``later`` asks the content of ``earlier`` again (most content words shared, and
    no other number: «Где заказ 5531?» then «Где заказ 7702?» asks about another order)."""
    na, nb = _numbers(earlier), _numbers(later)
    if na and nb and na != nb:
        return False
    a, b = _content_stems(earlier), _content_stems(later)
    shared = a & b
    return len(shared) >= 2 and len(shared) / len(a | b) >= 0.5


@rule(
    "T010",
    "question-ignored",
    "warning",
    scope="dialogue",
    bad=[
        dlg(
            (0, "c", "Здравствуйте, хочу оформить возврат."),
            (30, "o", GREETING),
            (60, "c", "⟦Какие документы нужны для возврата?⟧"),
            (90, "o", "Возврат можно оформить в любом нашем магазине."),
            (120, "c", "Так какие документы нужны для возврата?"),
            (150, "o", "Паспорт и чек."),
        ),
        dlg(
            (0, "c", "Здравствуйте, хочу оформить возврат."),
            (30, "o", GREETING),
            (60, "c", "⟦Сколько денег вернут за брак?⟧"),
            (400, "c", "Вы тут?"),
            (420, "o", "Полную стоимость товара."),
        ),
    ],
    good=[
        # the same words about another order: a new question, not a re-ask
        dlg(
            (0, "c", "Здравствуйте, где мой заказ 5531?"),
            (30, "o", "Здравствуйте, меня зовут Анна. Заказ 5531 в пути, привезём завтра."),
            (60, "c", "А где мой заказ 7702?"),
            (90, "o", "Заказ 7702 ждёт Вас в пункте выдачи."),
        ),
        dlg(
            (0, "c", "Здравствуйте, хочу оформить возврат."),
            (30, "o", GREETING),
            (60, "c", "Какие документы нужны для возврата?"),
            (90, "o", "Паспорт и чек."),
            (120, "c", "А чек можно электронный?"),
            (150, "o", "Да, подойдёт и электронный."),
        ),
        dlg(
            (0, "c", "Здравствуйте, хочу оформить возврат."),
            (30, "o", GREETING),
            (60, "c", "Сколько денег вернут за брак?"),
            (70, "o", "Одну минуту, уточню."),
            (200, "c", "Алло?"),
            (220, "o", "Полную стоимость товара."),
        ),
    ],
)
def question_ignored(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The client asks again, which shows that an earlier question went unanswered: a nudge
    («Ответьте, пожалуйста», «Вы тут?», «Алло», «Есть кто?») while the operator has said
    nothing since the question (a holding message counts as having said something), or the
    same question repeated after the operator's reply («Так какие документы нужны?»). The
    finding points at the ignored question. A question the conversation ends on is T004's.

    **Why**

    A client who has to ask twice feels unheard (seed 004: answer every question, even a
    vague one; ask to clarify if it is unclear). The re-asked question is the one the
    operator skipped.

    **Example**

    «Какие документы нужны для возврата?» — «Возврат можно оформить в любом магазине» — «Так
    какие документы нужны?» → answer the question asked: «Паспорт и чек».

    **Что проверяет**

    Клиент переспрашивает («Ответьте», «Вы тут?», «Алло») или повторяет свой вопрос после ответа
    оператора: значит, вопрос остался без ответа. Замечание указывает на этот вопрос.

    **Почему это важно**

    Клиенту, которому приходится спрашивать дважды, кажется, что его не слушают. Отвечать
    нужно на каждый вопрос, а непонятный — попросить уточнить.
    """
    ops = d.operator_indexes
    if not ops:
        return
    last_op = ops[-1]
    said = []  # said[k]: operator messages before message k (whether the operator spoke between two)
    n = 0
    for m in d.messages:
        said.append(n)
        n += m.role == "operator"
    questions: list[int] = []  # client messages with a question, not yet reported
    reported: set[int] = set()
    for j in d.client_indexes:
        if j > last_op:
            break  # after the operator's last word: T004's
        doc = d.doc(j)
        nudge = bool(phrase_spans(doc, "reask"))
        hit = None
        for i in reversed(questions[-_RECENT:]):  # the last few questions: linear in a long chat
            if i in reported:
                continue
            spoke = said[j] > said[i + 1]
            if nudge and not spoke:
                hit = i
                break
            if spoke and not nudge and question_span(doc) is not None and _repeats(d.doc(i), doc):
                hit = i
                break
        if hit is not None:
            reported.add(hit)
            span = question_span(d.doc(hit)) or d.first_line_span(hit)
            yield Hit(
                span[0],
                span[1],
                "Клиенту пришлось переспросить: вопрос остался без ответа",
                "The client had to ask again: this question went unanswered",
                index=hit,
            )
        if not nudge and question_span(doc) is not None:
            questions.append(j)


# ------------------------------------------------------------------ T011


@rule(
    "T011",
    "repeated-transfer",
    "warning",
    scope="dialogue",
    bad=[
        dlg(
            (0, "c", "Здравствуйте, мне дважды списали оплату за заказ 7712."),
            (30, "o", "Здравствуйте, меня зовут Анна. Перевожу Вас на специалиста по платежам."),
            (90, "o", "Здравствуйте, меня зовут Олег. Какой банк выпустил карту?"),
            (120, "c", "Сбербанк."),
            (150, "o", "Это вопрос возврата средств: ⟦переключаю Вас на бухгалтерию⟧."),
        ),
    ],
    good=[
        dlg(
            (0, "c", "Здравствуйте, мне дважды списали оплату за заказ 7712."),
            (30, "o", "Здравствуйте, меня зовут Анна. Перевожу Вас на специалиста по платежам."),
            (90, "o", "Здравствуйте, меня зовут Олег. Второй платёж вернётся на карту в течение 3 дней."),
        ),
        dlg(
            (0, "c", "Здравствуйте, мне дважды списали оплату за заказ 7712."),
            (30, "o", "Здравствуйте, меня зовут Анна. Одну минуту, уточню у бухгалтерии."),
            (90, "o", "Второй платёж вернётся на карту в течение 3 дней."),
        ),
    ],
)
def repeated_transfer(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The client is handed over a second time (and every time after) in one conversation: the
    speech act "transfer" — «Перевожу Вас на специалиста», «Соединяю Вас с отделом
    возвратов», «Дальше Вам ответит мой коллега», «Ваше обращение передано в технический
    отдел». The finding points at the second hand-over. Asking a colleague and coming back
    with the answer («Передаю вопрос коллеге, вернусь к Вам») is holding, not a transfer.

    **Why**

    Seed 002 lists switching a client over several times among the typical errors of a
    support line: each hand-over means a new person, a new wait and the story told again. One
    transfer to the right specialist is service; a second one means the first was a guess.

    **Example**

    «Перевожу Вас на специалиста по платежам» … «Переключаю Вас на бухгалтерию» → find out
    who handles the question before the first transfer, or get the answer from the colleague
    yourself.

    **Что проверяет**

    Клиента переводят к другому сотруднику или в другой отдел второй раз за разговор.

    **Почему это важно**

    Каждый перевод — новый собеседник, новое ожидание и пересказ с начала. Один перевод к нужному
    специалисту — это забота, второй — признак того, что первый был наугад.
    """
    seen = 0
    for i in d.operator_indexes:
        for a in acts(d.doc(i), "transfer"):
            seen += 1
            if seen >= 2:
                yield Hit(
                    a.start,
                    a.end,
                    f"Клиента переводят уже {seen}-й раз за разговор: выясните, кто решит вопрос, до первого перевода",
                    f"The client is handed over for the {_ordinal_en(seen)} time: find who can solve it before the "
                    "first transfer",
                    index=i,
                )
            break  # one hand-over a message


def _ordinal_en(n: int) -> str:
    return {2: "second", 3: "third"}.get(n, f"{n}th")


# ------------------------------------------------------------------ T012


@rule(
    "T012",
    "client-redirected",
    "warning",
    scope="dialogue",
    bad=[
        dlg(
            (0, "c", "Здравствуйте, есть ли у вас туры в Калининград на май?"),
            (30, "o", "Здравствуйте, меня зовут Анна. Одну минуту, уточню."),
            (90, "o", "Вам ⟦нужно позвонить по⟧ номеру 8 800 555-01-01, там работает отдел внутреннего туризма."),
        ),
        dlg(
            (0, "c", "Добрый день, курьер повредил коробку, что делать?"),
            (30, "o", "⟦Это не к нам⟧, пишите в службу доставки."),
        ),
    ],
    good=[
        dlg(
            (0, "c", "Здравствуйте, есть ли у вас туры в Калининград на май?"),
            (30, "o", "Здравствуйте, меня зовут Анна. Да, есть: от 32 000 рублей на двоих, подобрать даты?"),
        ),
        dlg(
            (0, "c", "Добрый день, курьер повредил коробку, что делать?"),
            (30, "o", "Сочувствую! Пришлите, пожалуйста, фото коробки: оформлю претензию сама и вернусь с ответом."),
        ),
    ],
)
def client_redirected(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The operator sends the client elsewhere instead of solving the question: to another
    phone number, department, company or channel («Вам нужно позвонить по номеру…»,
    «Обратитесь в банк», «Это не к нам»: the speech act "redirect"). The finding points at
    the redirect, once per conversation.

    **Why**

    Seed 002's mystery shopper, having waited on the line, was told to call another number
    where "the manager for that country sits" — a number the company could have answered
    from itself. Sending the client elsewhere moves the work onto them; when another team
    must act, the operator hands the question over (or transfers the client) and stays with
    it.

    **Example**

    «Вам нужно позвонить по номеру 8 800 …» → «Передаю Ваш вопрос в отдел внутреннего
    туризма, коллега напишет Вам здесь в течение часа.»

    **Что проверяет**

    Оператор отправляет клиента в другое место — на другой номер, в другой отдел, компанию или
    канал — вместо того чтобы решить вопрос.

    **Почему это важно**

    Отправляя клиента звонить по другому номеру, компания перекладывает свою работу на него.
    Если нужен другой отдел, оператор сам передаёт вопрос (или переводит клиента) и доводит
    его до ответа.
    """
    for i in d.operator_indexes:
        found = acts(d.doc(i), "redirect")
        if found:
            a = found[0]
            yield Hit(
                a.start,
                a.end,
                "Клиента отправляют в другое место вместо решения: передайте вопрос коллегам сами и вернитесь с ответом",
                "The client is sent elsewhere instead of being helped: hand the question over yourself and come back "
                "with the answer",
                index=i,
            )
            return


# ------------------------------------------------------------------ T013


class ScriptParams(Params):
    min_words: int = Field(6, ge=1, le=1000)
    """Replies shorter than this many words («Спасибо, Анна!», «Ждём Вас!») may repeat."""


_POST = "Здравствуйте! Заказал кроссовки неделю назад, до сих пор не отправили. Что происходит?"


@rule(
    "T013",
    "script-across-clients",
    "error",
    scope="dialogue",
    channels=("social",),
    params=ScriptParams,
    bad=[
        # the same reply under three clients' comments in one thread of a public page
        dlg(
            (0, "c", _POST),
            (600, "o", "Иван, здравствуйте! Приносим извинения за задержку, передали Ваш вопрос в отдел логистики, "
                       "ответим в личных сообщениях."),
            (700, "c", "У меня то же самое с заказом от понедельника."),
            (1300, "o", "⟦Мария, здравствуйте! Приносим извинения за задержку, передали Ваш вопрос в отдел "
                        "логистики, ответим в личных сообщениях.⟧"),
            (1400, "c", "А мне вообще никто не отвечает третий день!"),
            (2000, "o", "⟦Олег, здравствуйте! Приносим извинения за задержку, передали вопрос в отдел логистики, "
                        "ответим Вам в личных сообщениях.⟧"),
            channel="social",
            headers={0: {"author": "Иван"}, 2: {"author": "Мария"}, 4: {"author": "Олег"}},
        ),
    ],
    good=[
        dlg(
            (0, "c", _POST),
            (600, "o", "Иван, здравствуйте! Заказ 4471 ждал размер со склада, сегодня его передали курьеру."),
            (700, "c", "У меня то же самое с заказом от понедельника."),
            (1300, "o", "Мария, Ваш заказ уже в пункте выдачи на Садовой, код придёт в СМС."),
            channel="social",
            headers={0: {"author": "Иван"}, 2: {"author": "Мария"}},
        ),
    ],
)
def script_across_clients(d: Dialogue, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    In the social channel, the same or nearly the same operator reply (words and word pairs shared,
    Jaccard similarity 0.5 or more: a changed name, order number or a word or two do not
    hide it) sent to different clients — under different posts, or to different people in
    one thread. Under :func:`chatlint.lint_transcripts` (and ``chatlint check``) the copies
    are looked for across every conversation of the archive; each copy after the first is a
    finding that points to the earlier ones. Replies under ``min_words`` words may repeat;
    holding messages count (a canned «передали Ваш вопрос, ответим в личных сообщениях» is the
    commonest script of a public page); a repeat to the same client is T003's.

    **Why**

    Seed 003: in social networks there is no place for scripts. A company's account is read as
    a living person with a character of its own, and every reply is public: readers scrolling
    the page see the same canned answer under every complaint, and a templated reply makes
    things worse than none.

    **Example**

    «Приносим извинения за задержку, передали Ваш вопрос в отдел логистики…» under three
    clients' comments → answer each client about their own order.

    **Что проверяет**

    В соцсетях оператор отправил разным клиентам один и тот же или почти тот же ответ (имя,
    номер заказа или пара слов не в счёт). Замечание — на каждой копии после первой, со ссылкой
    на предыдущие.

    **Почему это важно**

    В соцсетях нет места скриптам: аккаунт компании воспринимается как живой человек, а все
    ответы публичны — одинаковая заготовка под каждой жалобой видна всем и только вредит.
    """
    from ..archive import NearDuplicates, Ref, words

    archive = d.archive if d.archive is not None else NearDuplicates(max_groups=1000)
    cid = d.transcript.conversation_id
    client: str | None = None
    for i, m in enumerate(d.messages):
        if m.role == "client":
            client = m.author or f"#{i}"
            continue
        if m.role != "operator":
            continue
        ws = words(m.text)
        if len(ws) < ctx.params.min_words:
            continue  # a canned «we are looking into it» is a script too: holding messages count
        found = archive.find(m.text, ws)
        group = found[0]
        if group is not None:
            me = _normalised(m.text)
            others = [
                r for r in group.refs
                if (r.conversation, r.client) != (cid, client)
                and not (r.conversation == cid and r.index < len(d.messages)
                         and _normalised(d.messages[r.index].text) == me)  # an exact repeat here is T003's
            ]
            if others:
                where = [f"сообщение {r.index + 1}" if r.conversation == cid else
                         f"разговор {quote(str(r.conversation))}, сообщение {r.index + 1}" for r in others[:2]]
                where_en = [f"message {r.index + 1}" if r.conversation == cid else
                            f"conversation {quote(str(r.conversation))}, message {r.index + 1}" for r in others[:2]]
                more = group.count - len(where)
                tail = f" и ещё {more}" if more > 0 else ""
                tail_en = f" and {more} more" if more > 0 else ""
                s, e = d.first_line_span(i)
                yield Hit(
                    s,
                    e,
                    f"Почти тот же ответ уже получили другие клиенты ({'; '.join(where)}{tail}): в соцсетях шаблон "
                    "видят все — ответьте этому клиенту лично",
                    f"Nearly the same reply already went to other clients ({'; '.join(where_en)}{tail_en}): in a "
                    "social network everyone sees the template, answer this client personally",
                    index=i,
                )
        archive.add(m.text, Ref(cid, client, i), found)
