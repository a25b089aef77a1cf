"""G — greeting and farewell: how an operator opens and closes a conversation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..acts import (
    Act,
    has_farewell,
    has_introduction,
    has_offer_of_help,
    informal_farewells,
    is_name,
    opening_greeting,
    opens_with_greeting,
)
from ..document import Document
from ..registry import Context, Hit, ex, fix, match_case, quote, rule, sentence_span

CANONICAL_OPENING = "Здравствуйте, меня зовут {ИМЯ}, чем я могу Вам помочь?"
CANONICAL_CLOSING = "Всего доброго, будут еще вопросы - обращайтесь!"


def _addressed(doc: Document, i: int, j: int) -> bool:
    """Words [i, j) stand next to the client's name, set off by a comma or «!»: «Анна, …»,
    «Привет, Анна!», «Анна, привет!» (a personal greeting, seed 003)."""
    words, text = doc.words, doc.text

    def name(w) -> bool:
        return w.is_capitalized and not w.placeholder and is_name(w.norm)

    if i > 0 and name(words[i - 1]) and any(c in text[words[i - 1].end : words[i].start] for c in ",!—"):
        return True
    if j < len(words) and name(words[j]) and any(c in text[words[j - 1].end : words[j].start] for c in ",!—"):
        return True
    return False


def _personal(doc: Document, act: Act | None = None) -> bool:
    """A social-network reply that greets the client by name: the informal greeting ``act``
    beside the name, or (no act) a message that opens with the name («Анна, спасибо…»)."""
    if act is not None:
        i, j = doc.word_range(act.start, act.end)
        return _addressed(doc, i, j)
    words = doc.words
    return len(words) > 1 and _addressed(doc, 1, 1) if words else False

# ------------------------------------------------------------------ G001


@rule(
    "G001",
    "greeting-missing",
    "warning",
    when="first",
    bad=[
        ex("⟦Меня зовут Анна, чем я могу Вам помочь?⟧", first=True),
        ex("⟦Ваш заказ уже в пути.⟧", first=True),
        ex("⟦⟧", first=True),
    ],
    good=[
        ex(CANONICAL_OPENING, first=True),
        ex("Добрый вечер! Меня зовут Олег, чем могу помочь?", first=True),
        ex("Анна, доброе утро! С Вами Олег, чем я могу Вам помочь?", first=True),
        ex("Ваш заказ уже в пути.", first=False),
        ex("Привет! Меня зовут Анна.", first=True),  # informal: G002's, not G001's
        ex("Доброго утра! Меня зовут Олег, чем могу помочь?", first=True),
        ex("Мария Петровна, ещё раз здравствуйте! Вам отвечает Ирина.", first=True),
        ex("И Вам здравствуйте! На связи Олег, чем я могу Вам помочь?", first=True),
        # seed 003: a reply in a social network may open with the client's name
        ex("Анна, спасибо за вопрос! Заказ уже в пути.", first=True, channel="social"),
    ],
)
def greeting_missing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The operator's first message of a conversation does not open with a greeting. An
    informal greeting («Привет») is reported by G002 instead. Greetings are the speech act
    "greeting" (:mod:`chatlint.acts`): «Здравствуйте», the time of day in every case form
    («Добрый день», «Доброго утра», «Доброй ночи»), welcoming phrases («Рады приветствовать
    Вас»), after the client's name or «И Вам», «Ещё раз» («Анна, добрый день!»). In the ``social``
    channel (seed 003: no scripts there, replies are personal) a reply that opens with the
    client's name («Анна, спасибо за вопрос!») or an informal greeting is greeting enough.

    **Why**

    The first words of the operator set the tone of the whole dialogue: whatever the client
    wrote («Привет», «Ау, есть кто?»), the reply opens formally, and that is what makes the
    service look solid to the client.

    **Example**

    «Ваш заказ уже в пути.» → «Здравствуйте, меня зовут Анна, чем я могу Вам помочь?»

    **Что проверяет**

    Первое сообщение оператора в диалоге не начинается с приветствия (неформальное «Привет» —
    другое замечание). Приветствием считаются «Здравствуйте», время суток в любом падеже («Добрый
    день», «Доброго утра»), «Рады приветствовать Вас», в том числе после имени клиента («Анна,
    добрый день!»). В соцсетях (там не место заученным скриптам) достаточно обратиться к клиенту
    по имени («Анна, спасибо за вопрос!») или поздороваться неформально.

    **Почему это важно**

    Первая фраза оператора задаёт тон всему разговору. Как бы ни обратился клиент — «Привет» или
    «Ау, есть кто?», — ответ начинается с официального приветствия, и по нему клиент судит о
    солидности сервиса.
    """
    if opens_with_greeting(doc):
        return
    if ctx.channel == "social" and _personal(doc):
        return  # seed 003: a personal reply by the client's name («Анна, …»)
    s, e = sentence_span(doc)
    yield Hit(
        s,
        e,
        "Первое сообщение не начинается с приветствия: начните со «Здравствуйте» или «Добрый день»",
        "The first message does not open with a greeting: start with «Здравствуйте» or «Добрый день»",
    )


# ------------------------------------------------------------------ G002


@rule(
    "G002",
    "greeting-informal",
    "warning",
    fix="unsafe",
    bad=[
        ex("⟦Привет⟧! Меня зовут Анна, чем могу помочь?", first=True, fixed="Здравствуйте! Меня зовут Анна, чем могу помочь?"),
        ex("⟦Здрасьте⟧, сейчас посмотрю.", fixed="Здравствуйте, сейчас посмотрю."),
        ex("⟦Доброго времени суток⟧! Чем могу помочь?", fixed="Здравствуйте! Чем могу помочь?"),
        ex("⟦Хай⟧, Вы по поводу заказа?", fixed="Здравствуйте, Вы по поводу заказа?"),
        ex("⟦Здравствуй⟧, Иван!", fixed="Здравствуйте, Иван!"),
        ex("Анна, ⟦привет⟧! Заказ готов.", fixed="Анна, здравствуйте! Заказ готов."),
        ex("⟦Привет⟧. Да, мы уже исправляем ошибку.", channel="social", fixed="Здравствуйте. Да, мы уже исправляем ошибку."),
        ex("⟦Приветик⟧ :) Сейчас гляну заказ.", fixed="Здравствуйте :) Сейчас гляну заказ."),
    ],
    good=[
        ex(CANONICAL_OPENING, first=True),
        ex("Доброе утро! Заказ уже собран."),
        ex("Передайте привет коллегам, пожалуйста."),
        ex("Приветственный бонус начислен на Ваш счёт."),
        ex("Здорово, что заказ нашёлся!"),
        ex("Курьер передаёт Вам привет и просит открыть калитку."),
        # seed 003: in a social network a personal greeting by the client's name is fine
        ex("Привет, Анна! Заказ уже едет.", channel="social"),
    ],
)
def greeting_informal(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A message opens with an informal greeting: «Привет», «Приветик», «Хай», «Здрасьте»,
    «Ку», «Салют», «Доброго времени суток», or the «ты»-form «Здравствуй».

    **Why**

    Clients often write informally, but only from their side: from the operator they expect
    the official style, and the greeting is the first place where it shows. The formal
    greetings are «Здравствуйте», «Добрый день», «Добрый вечер», «Доброе утро». Informal
    greetings are the speech act "informal_greeting" (negative context keeps «Здорово, что
    заказ нашёлся!» and «Курьер передаёт Вам привет» out). In the ``social`` channel an
    informal greeting by the client's name («Привет, Анна!», «Анна, привет!») is fine: seed
    003 says a social network's replies are personal and may be informal; a bare «Привет.»
    is still reported.

    **Example**

    «Привет! Чем помочь?» → «Здравствуйте! Чем я могу Вам помочь?»

    **Что проверяет**

    Сообщение начинается с неформального приветствия: «Привет», «Хай», «Здрасьте», «Доброго
    времени суток» или «Здравствуй» на «ты».

    **Почему это важно**

    Клиенты сами нередко пишут по-свойски, но от оператора ждут делового тона, и первым его
    выдаёт приветствие. Уместны «Здравствуйте», «Добрый день», «Добрый вечер», «Доброе утро».
    В соцсетях ответ личный и может быть неформальным: «Привет, Анна!» с именем клиента там
    уместно (seed 003), безличное «Привет.» — нет.
    """
    act = opening_greeting(doc, "informal_greeting")
    if act is None:
        return
    if ctx.channel == "social" and _personal(doc, act):
        return  # seed 003: «Привет, Анна!» is a personal greeting, fine in a social network
    original = doc.text[act.start : act.end]
    at_start = not doc.text[: act.start].strip()
    yield Hit(
        act.start,
        act.end,
        f"Неформальное приветствие {quote(original)}: оператор здоровается официально («Здравствуйте», «Добрый день»)",
        f"Informal greeting {quote(original)}: greet the client formally («Здравствуйте», «Добрый день»)",
        fix(act.start, act.end, "Здравствуйте" if at_start else match_case("здравствуйте", original), safe=False,
            title="Заменить на «Здравствуйте»"),
    )


# ------------------------------------------------------------------ G003


@rule(
    "G003",
    "introduction-missing",
    "warning",
    when="first",
    bad=[
        ex("⟦Здравствуйте!⟧ Чем я могу Вам помочь?", first=True),
        ex("⟦Добрый день, слушаю Вас.⟧", first=True),
        ex("⟦Здравствуйте!⟧ Консультант перезвонит Вам завтра.", first=True),
    ],
    good=[
        ex(CANONICAL_OPENING, first=True),
        ex("Добрый день! С Вами Олег, чем могу помочь?", first=True),
        ex("Здравствуйте! На связи Мария. Чем могу помочь?", first=True),
        ex("Здравствуйте! Вам отвечает Екатерина, отдел доставки.", first=True),
        ex("Добрый день! Консультант Ирина, слушаю Вас.", first=True),
        ex("Здравствуйте, Анна — старший менеджер. Чем я могу Вам помочь?", first=True),
        ex("Здравствуйте! Чем я могу Вам помочь?", first=False),
    ],
)
def introduction_missing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The operator's first message does not introduce the operator by name («меня зовут
    Анна», «с Вами Анна», «на связи Анна», «Вам отвечает Анна», «консультант Анна», «Анна,
    служба поддержки»). A template placeholder such as ``{ИМЯ}`` counts as a name. The
    speech act "introduction" gives the name as its ``name`` part; «Консультант перезвонит
    Вам» names nobody and «курьера зовут Олег» introduces someone else.

    **Why**

    The canonical chat opening names the operator: the client talks to a person, not to a
    faceless window, and knows whom to ask for later.

    **Example**

    «Здравствуйте! Чем могу помочь?» → «Здравствуйте, меня зовут Анна, чем я могу Вам помочь?»

    **Что проверяет**

    Оператор не называет своё имя в первом сообщении («меня зовут Анна», «с Вами Анна», «на
    связи Анна»); шаблонная подстановка вроде «{ИМЯ}» считается именем.

    **Почему это важно**

    Представившись, оператор показывает, что клиенту отвечает живой человек, а не безликое окно,
    и клиент знает, к кому обратиться в следующий раз.
    """
    if has_introduction(doc):
        return
    s, e = sentence_span(doc)
    yield Hit(
        s,
        e,
        "Оператор не представился: добавьте «меня зовут …» в первое сообщение",
        "The operator does not introduce themselves: add «меня зовут …» to the first message",
    )


# ------------------------------------------------------------------ G004


@rule(
    "G004",
    "offer-of-help-missing",
    "warning",
    when="first",
    bad=[
        ex("⟦Здравствуйте, меня зовут Анна.⟧", first=True),
        ex("Добрый день, меня зовут Олег. ⟦Слушаю.⟧", first=True),
    ],
    good=[
        ex(CANONICAL_OPENING, first=True),
        ex("Здравствуйте, меня зовут Анна. Чем могу помочь?", first=True),
        ex("Здравствуйте, меня зовут Анна. Чем я могу быть Вам полезна?", first=True),
        ex("Здравствуйте, меня зовут Анна. Буду рада помочь — опишите, что произошло.", first=True),
        ex("Здравствуйте, меня зовут Анна. Чем ещё я могу Вам помочь?", first=True),
        ex("Здравствуйте, меня зовут Анна. Расскажите, пожалуйста, что случилось.", first=True),
        ex("Здравствуйте, меня зовут Анна.", first=False),
    ],
)
def offer_of_help_missing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The operator's first message has no offer of help («чем я могу Вам помочь?», «чем могу
    помочь?», «чем могу быть полезна?») nor an invitation to tell the problem («Буду рада
    помочь — опишите, что произошло», «Расскажите, что случилось»): the speech act
    "offer_of_help", with inserted words («Чем ещё я могу Вам помочь?»).

    **Why**

    The canonical opening ends with an offer of help: it hands the floor to the client and
    makes the operator the one who leads the conversation.

    **Example**

    «Здравствуйте, меня зовут Анна.» → «Здравствуйте, меня зовут Анна, чем я могу Вам помочь?»

    **Что проверяет**

    В первом сообщении оператора нет предложения помощи («Чем я могу Вам помочь?», «Чем могу
    быть полезна?»).

    **Почему это важно**

    Вопрос «Чем могу помочь?» завершает приветствие: он передаёт слово клиенту и сразу делает
    оператора тем, кто ведёт разговор.
    """
    if has_offer_of_help(doc):
        return
    s, e = sentence_span(doc, -1) if doc.sentences else (0, len(doc.text))
    yield Hit(
        s,
        e,
        "В первом сообщении нет предложения помощи: добавьте «чем я могу Вам помочь?»",
        "The first message offers no help: add «чем я могу Вам помочь?»",
    )


# ------------------------------------------------------------------ G005


@rule(
    "G005",
    "company-in-greeting",
    "warning",
    channels=("chat",),
    when="first",
    bad=[
        ex("Здравствуйте, компания «⟦Ромашка⟧», меня зовут Анна, чем я могу Вам помочь?", first=True,
           company_names=["Ромашка"]),
        ex("Добрый день! Интернет-магазин ⟦РОМАШКА⟧, меня зовут Анна. Чем могу помочь?", first=True,
           company_names=["Ромашка"]),
    ],
    good=[
        ex(CANONICAL_OPENING, first=True, company_names=["Ромашка"]),
        ex("Здравствуйте, меня зовут Анна, чем я могу Вам помочь?\n\nВ «Ромашке» сейчас скидки.", first=True,
           company_names=["Ромашка"]),
        ex("Здравствуйте, компания «Ромашка», меня зовут Анна.", first=True, channel="email",
           company_names=["Ромашка"]),
    ],
)
def company_in_greeting(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The greeting (the first paragraph) of the operator's first chat message names the
    company, as listed in the ``company_names`` setting. Inflected forms count
    («Ромашки», «Ромашке»).

    **Why**

    Unlike a phone call, an online greeting does not carry the company's name: the client
    is already on the company's site, and the name only delays the answer.

    **Example**

    «Здравствуйте, компания «Ромашка», меня зовут Анна…» → «Здравствуйте, меня зовут Анна…»

    **Что проверяет**

    Приветствие (первый абзац) первого сообщения в чате называет компанию (название из
    настроек проекта) — в любой форме («Ромашки», «Ромашке»).

    **Почему это важно**

    По телефону компанию называют, а в чате — нет: клиент и так находится на её сайте, а лишнее
    название лишь оттягивает ответ.
    """
    names = ctx.settings.company_names
    if not names or not doc.blocks:
        return
    b = doc.blocks[0]
    segment = doc.text[b.start : b.end]
    for name in names:
        for m in _company_pattern(name).finditer(segment):
            s, e = b.start + m.start(), b.start + m.end()
            yield Hit(
                s,
                e,
                f"Название компании {quote(doc.text[s:e])} в приветствии: в чате компанию не называют",
                f"Company name {quote(doc.text[s:e])} in the greeting: online greetings carry no company name",
            )
            return


@lru_cache(maxsize=256)
def _company_pattern(name: str) -> re.Pattern[str]:
    # The name as a word, allowing a Russian case ending on its last word («Ромашке»).
    words = name.split()
    stem = re.escape(" ".join(words)).replace(r"\ ", r"\s+")
    last = words[-1]
    if re.fullmatch(r"[А-Яа-яЁё]+", last) and len(last) > 3 and last[-1].lower() in "аяоеьйиы":
        stem = re.escape(" ".join(words[:-1] + [last[:-1]])).replace(r"\ ", r"\s+") + r"[а-яё]{0,3}"
    return re.compile(r"(?<!\w)" + stem + r"(?!\w)", re.IGNORECASE)


# ------------------------------------------------------------------ G006


@rule(
    "G006",
    "farewell-missing",
    "warning",
    when="last",
    bad=[
        ex("⟦Заказ оформлен.⟧", last=True),
        ex("⟦Спасибо.⟧", last=True),
        # thanks for contacting is thanks, not a goodbye
        ex("⟦Спасибо за обращение!⟧", last=True),
    ],
    good=[
        ex(CANONICAL_CLOSING, last=True),
        ex("Заказ оформлен. Хорошего дня!", last=True),
        ex("Рада была помочь! До свидания.", last=True),
        ex("Всего Вам самого доброго!", last=True),
        ex("Отличного Вам вечера!", last=True),
        ex("Спасибо за обращение! Удачного Вам дня!", last=True),
        ex("Если появятся вопросы, пишите.", last=True),
        ex("Возврат оформлен. Ждём Вас снова!", last=True),
        ex("Приятных покупок!", last=True),
        ex("Пока!", last=True),  # informal: G007's, not G006's
        ex("Заказ оформлен.", last=False),
    ],
)
def farewell_missing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The operator's closing message has no farewell at all («Всего доброго», «До свидания»,
    «Хорошего дня», «будут ещё вопросы — обращайтесь»). An informal goodbye is G007's.
    Farewells are the speech act "farewell": wishes with inserted words («Всего Вам самого
    доброго!», «Отличного Вам вечера!»), invitations to come back or to write again («Ждём
    Вас снова», «Если появятся вопросы, пишите»), wishes for purchases or the weekend
    («Приятных покупок!», «Хороших выходных!»). «Спасибо за обращение» alone is thanks (the
    act "thanks"), not a farewell: a closing with thanks and no goodbye or wish still lacks one.

    **Why**

    However a conversation ends, the operator politely takes leave of the client: the
    farewell is the last impression, and it invites the client to come back.

    **Example**

    «Заказ оформлен.» → «Заказ оформлен. Всего доброго, будут еще вопросы - обращайтесь!»

    **Что проверяет**

    В завершающем сообщении оператора нет прощания («Всего доброго», «До свидания», «Хорошего
    дня», «Ждём Вас снова», «Если появятся вопросы, пишите»). «Спасибо за обращение» без
    прощания или пожелания — благодарность, а не прощание.

    **Почему это важно**

    Чем бы ни закончился разговор, оператор вежливо прощается: это последнее впечатление клиента
    и приглашение вернуться — например, «Всего доброго, будут ещё вопросы — обращайтесь!».
    """
    if has_farewell(doc):
        return
    s, e = sentence_span(doc, -1) if doc.sentences else (0, len(doc.text))
    yield Hit(
        s,
        e,
        "Нет прощания в последнем сообщении: например, «Всего доброго, будут ещё вопросы — обращайтесь!»",
        "The closing message has no farewell: e.g. «Всего доброго, будут еще вопросы — обращайтесь!»",
    )


# ------------------------------------------------------------------ G007


@rule(
    "G007",
    "farewell-informal",
    "warning",
    fix="unsafe",
    bad=[
        ex("Всё готово, ⟦пока⟧!", last=True, fixed="Всё готово, всего доброго!"),
        ex("Ну ⟦давай⟧, удачи)", fixed="Ну всего доброго, удачи)"),
        ex("⟦Чао⟧!", fixed="Всего доброго!"),
        ex("Заказ в пути. ⟦Покеда⟧!", fixed="Заказ в пути. Всего доброго!"),
        ex("⟦Пока-пока⟧!", fixed="Всего доброго!"),
        ex("Вам тоже ⟦пока⟧!", fixed="Вам тоже всего доброго!"),
    ],
    good=[
        ex(CANONICAL_CLOSING, last=True),
        ex("Пока заказ в пути, можно изменить адрес."),
        ex("Давайте проверим номер заказа."),
        ex("Давай посмотрим вместе."),  # «ты»-form: A002's, not a goodbye
    ],
)
def farewell_informal(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A goodbye between friends: «Пока», «Покеда», «Бывай», «Чао», «Давай» as a goodbye.
    Words with another meaning count only when the sentence is a goodbye and nothing else
    («Пока!», but not «Пока заказ в пути…»).

    **Why**

    The farewell closes the conversation in the same official style it opened with; a
    familiar goodbye undoes the impression of a solid service.

    **Example**

    «Всё готово, пока!» → «Всё готово. Всего доброго!»

    **Что проверяет**

    Прощание как с приятелем: «Пока», «Покеда», «Бывай», «Чао», «Давай» (многозначные слова —
    только если фраза целиком прощание: «Пока!», но не «Пока заказ в пути…»).

    **Почему это важно**

    Разговор заканчивается в том же деловом тоне, в каком начался; фамильярное «пока»
    перечёркивает впечатление надёжного сервиса.
    """
    for w in informal_farewells(doc):
        yield Hit(
            w.start,
            w.end,
            f"Неформальное прощание {quote(w.text)}: попрощайтесь официально («Всего доброго», «До свидания»)",
            f"Informal goodbye {quote(w.text)}: take leave formally («Всего доброго», «До свидания»)",
            fix(w.start, w.end, match_case("Всего доброго", w.text), safe=False, title="Заменить на «Всего доброго»"),
        )
