"""A — the lexicon rules of address and tone, matched by lemma so that every form counts:
colloquial words (A003), profanity (A004), phrases that blame the client (A007)."""

from __future__ import annotations

from collections.abc import Iterator

from ..acts import acts
from ..document import Document
from ..inflect import agree
from ..lexicon import colloquial_words, mask, profane_spans
from ..registry import Context, Hit, ex, fix, quote, rule

# ------------------------------------------------------------------ A003


@rule(
    "A003",
    "colloquial-word",
    "warning",
    fix="unsafe",
    bad=[
        ex("⟦Щас⟧ посмотрю.", fixed="Сейчас посмотрю."),
        ex("⟦Ок⟧, оформляю.", fixed="Хорошо, оформляю."),
        ex("Всё ⟦норм⟧, заказ в пути.", fixed="Всё нормально, заказ в пути."),
        ex("Вся ⟦инфа⟧ есть на сайте.", fixed="Вся информация есть на сайте."),
        ex("Пришлём ⟦инфу⟧ на почту.", fixed="Пришлём информацию на почту."),
        ex("Установите нашу ⟦прогу⟧.", fixed="Установите нашу программу."),
        ex("Перезагрузите ⟦комп⟧, пожалуйста.", fixed="Перезагрузите компьютер, пожалуйста."),
        ex("Это, ⟦типа⟧, бесплатно.", fixed="Это, типа, бесплатно."),
        ex("⟦Сорри⟧ за ожидание.", fixed="Извините за ожидание."),
        ex("⟦Звякну⟧ Вам завтра.", fixed="Позвоню Вам завтра."),
    ],
    good=[
        ex("Сейчас посмотрю."),
        ex("Хорошо, оформляю."),
        ex("Это норма для такого тарифа."),
        ex("Доставка в Окский район бесплатна."),
        ex("Спасибо за ожидание."),
        ex("Нет такого типа доставки."),
        ex("Этот путь короче на два дня."),
        ex("Щавель добавим в заказ."),
        ex("Размер файла — не более 10 МБ."),
        ex("Размер файла — не более 10 мб."),
        ex("Нажмите «Ок», чтобы сохранить настройки."),
        ex("Это выше всех санитарных норм."),
    ],
)
def colloquial_word(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    Slang and colloquial words: «щас», «ок», «норм», «спс», «плз», «инфа», «чё», «ваще»,
    «сорри», «кста», «имхо», fillers such as «короче» and «типа» set off by commas, and
    colloquial dictionary words in every form («прога», «проги», «прогой»). Each entry of
    ``rules/lexicons/colloquial.toml`` has a formal replacement, put into the same case and
    number as the word it replaces («инфу» → «информацию»).

    **Why**

    Clients may write informally, but they expect the official style from the operator: it
    is what makes the service look solid. Slang reads as carelessness.

    **Example**

    «Щас пришлю инфу» → «Сейчас пришлю информацию»

    **Что проверяет**

    Сленг и разговорные слова («щас», «ок», «норм», «спс», «инфа», «сорри»), слова-паразиты
    вроде «короче» и «типа»; для каждого есть нейтральная замена в нужной форме («инфу» →
    «информацию»).

    **Почему это важно**

    Клиенту простителен разговорный тон, оператору — нет: деловой стиль делает сервис солидным,
    а сленг выглядит небрежностью.
    """
    for w, entry, gram in colloquial_words(doc):
        repl = agree(entry.replacement, gram, w.text) if entry.replacement else ""
        if repl:
            yield Hit(
                w.start,
                w.end,
                f"Разговорное слово {quote(w.text)}: пишите официально — {quote(repl)}",
                f"Colloquial word {quote(w.text)}: write formally — {quote(repl)}",
                fix(w.start, w.end, repl, safe=False, title=f"Заменить на {quote(repl)}"),
            )
        else:
            yield Hit(
                w.start,
                w.end,
                f"Разговорное слово {quote(w.text)}: уберите его",
                f"Colloquial word {quote(w.text)}: leave it out",
            )


# ------------------------------------------------------------------ A004

@rule(
    "A004",
    "profanity",
    "error",
    bad=[
        ex("Да идите вы на ⟦хуй⟧."),
        ex("⟦Охуеть⟧, опять эта ошибка."),
        ex("Не надо меня ⟦заебывать⟧."),
        ex("Вы что, ⟦идиот⟧?"),
        ex("Какие же ⟦дебилы⟧ это писали."),
        ex("⟦Х*йня⟧ какая-то с этим заказом."),
        ex("Ну и ⟦пиzдец⟧."),
    ],
    good=[
        ex("Хлеба в заказе нет."),
        ex("Ткань — шерстяное сукно."),
        ex("Употребление этого средства безопасно."),
        ex("Мандарины доставим завтра."),
        ex("Спасибо за ожидание."),
        ex("Дебетовая карта будет готова завтра."),
    ],
)
def profanity(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    Obscene and abusive words, matched by obscene roots with their prefixes («охуеть»,
    «заебал»), by lemma for abusive words («идиоты», «дебилом»), and through disguises:
    Latin look-alikes, digits and signs («пиzдец», «3@ебал»), asterisks («х*йня»). The
    message masks the word. The vocabulary is ``rules/lexicons/profanity.toml``.

    **Why**

    Whatever the client writes, the operator's answer stays dry and restrained: rudeness
    is answered with a calm, civil tone, never in kind.

    **Example**

    «Вы что, идиот?» → «Давайте общаться в цивилизованном формате»

    **Что проверяет**

    Нецензурная и оскорбительная лексика, в том числе замаскированная латиницей, цифрами,
    символами или звёздочками; в тексте замечания слово скрыто.

    **Почему это важно**

    Что бы ни написал клиент, оператор отвечает спокойно и корректно: на грубость не отвечают
    грубостью.
    """
    for s, e, t in profane_spans(doc):
        yield Hit(
            s,
            e,
            f"Недопустимое слово «{mask(t)}»: в переписке с клиентом — только нейтральная лексика",
            f"Obscene or abusive word «{mask(t)}»: keep to neutral words with clients",
        )


# ------------------------------------------------------------------ A007


@rule(
    "A007",
    "blaming-phrase",
    "warning",
    bad=[
        ex("⟦Вы не поняли⟧, заказ уже отправлен."),
        ex("⟦Вы, видимо, не поняли⟧ мой ответ."),
        ex("⟦Вы должны были проверить⟧ адрес."),
        ex("⟦Я же сказала⟧, что доставка завтра."),
        ex("⟦Читайте внимательнее⟧ условия акции."),
        ex("⟦Это не наша проблема⟧."),
        ex("⟦Как я уже писал⟧, возврат через 10 дней."),
        ex("⟦Вы же сами выбрали⟧ этот тариф."),
        ex("⟦Вы, видимо, невнимательно читали⟧ условия."),
        ex("Я ⟦ничего об этом не знаю⟧, спросите у курьера."),
    ],
    good=[
        ex("Правильно ли я Вас понимаю, что заказ не пришёл?"),
        ex("Если Вы не поняли что-то в инструкции, я помогу."),
        ex("Я сказала курьеру, что доставка завтра."),
        ex("Внимательно проверим Ваш заказ."),
        ex("Решим Вашу проблему сегодня."),
        ex("Вы сами можете выбрать тариф в личном кабинете."),
        ex("Пока ничего не знаю о сроках, уточню у склада."),
    ],
)
def blaming_phrase(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    Phrases that blame or lecture the client: «Вы не поняли», «Вы должны были», «я же
    сказала», «читайте внимательнее», «это не наша проблема», «как я уже писал», matched
    by lemma in every form and with a word allowed in between («Вы, видимо, не поняли»). The
    list is ``rules/lexicons/blaming.toml``. Also the brush-off
    of seed 002 («Ничего об этом не знаю!», «Ничем не могу помочь», «Вы же сами выбрали этот
    тариф»). These are the speech act "blaming" (:mod:`chatlint.acts`); a condition («Если Вы
    не поняли…») or a promise in the same sentence («Пока ничего не знаю, уточню у склада»)
    is no reproach.

    **Why**

    The operator leads the conversation and takes the misunderstanding on themselves: a
    clarifying question («Правильно ли я Вас понимаю, что…») keeps the client; a reproach
    loses them.

    **Example**

    «Вы не поняли» → «Возможно, я неточно объяснила: …»

    **Что проверяет**

    Фразы, которые обвиняют или поучают клиента: «Вы не поняли», «Вы должны были», «я же
    сказала», «читайте внимательнее», «это не наша проблема», «Вы же сами выбрали», — и фразы,
    которыми от клиента отмахиваются («Ничего об этом не знаю», «Ничем не могу помочь») — в
    любой форме, в том числе со вставкой («Вы, видимо, не поняли»).

    **Почему это важно**

    Разговор ведёт оператор, и недопонимание он берёт на себя: уточняющий вопрос («Правильно ли
    я Вас понимаю, что…») удерживает клиента, а упрёк отталкивает.
    """
    for act in acts(doc, "blaming"):
        s, e = act.start, act.end
        phrase = doc.text[s:e]
        yield Hit(
            s,
            e,
            f"Фраза {quote(phrase)} перекладывает вину на клиента: уточните вопрос, а не упрекайте",
            f"{quote(phrase)} blames the client: ask a clarifying question instead",
        )
