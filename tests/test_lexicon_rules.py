"""The lexicon rules match by lemma: inflected forms they have never seen in their examples
count, and words that merely share letters with an entry do not."""

from __future__ import annotations

import pytest

from chatlint import apply_fixes, lint_message


def codes(text: str, **kw) -> set[str]:
    return {f.code for f in lint_message(text, **kw)}


def only(code: str, text: str, **kw):
    return [f for f in lint_message(text, **kw) if f.code == code]


# A003: (inflected text, the replacement its fix must offer) — at least three forms a family.
A003_INFLECTIONS = {
    "инфа": [("Нет инфы по заказу.", "информации"), ("Дадим инфу завтра.", "информацию"),
             ("Поделюсь инфой.", "информацией"), ("Инфа обновится.", "Информация")],
    "прога": [("Скачайте проги.", "программы"), ("Зайдите в прогу.", "программу"),
              ("Работаем с этой прогой.", "программой"), ("В проге есть чат.", "программе")],
    "комп": [("Перезагрузите компа.", "компьютера"), ("С компом всё хорошо.", "компьютером"),
             ("Компы обновим.", "Компьютеры")],
    "звякнуть": [("Звякну Вам завтра.", "Позвоню"), ("Звякните нам.", "Позвоните"),
                 ("Курьер звякнул утром.", "позвонил"), ("Мы звякнем вечером.", "позвоним")],
    "прикольный": [("Прикольная акция!", "Интересная"), ("Есть прикольные чехлы.", "интересные"),
                   ("Выберите прикольную открытку.", "интересную")],
    "тыща": [("Скидка тыща рублей.", "тысяча"), ("Не хватает тыщи.", "тысячи"), ("Доплатите тыщу.", "тысячу")],
}


@pytest.mark.parametrize(
    ("text", "replacement"),
    [pytest.param(t, r, id=f"{family}-{k}") for family, cases in A003_INFLECTIONS.items() for k, (t, r) in enumerate(cases)],
)
def test_a003_matches_every_form_and_inflects_the_replacement(text, replacement):
    (f,) = only("A003", text)
    assert f.fix is not None and f.fix.applicability == "unsafe"
    assert f.fix.edits[0].replacement == replacement
    fixed = apply_fixes(text, [f], unsafe=True)
    assert replacement in fixed and not only("A003", fixed)


@pytest.mark.parametrize(
    "text",
    ["Всё норм.", "Спс за ожидание!", "Щас проверю.", "Ок, сделаем.", "Это, короче, бесплатно.", "Сорян за задержку."],
)
def test_a003_slang_matches_its_surface_forms(text):
    assert only("A003", text)


@pytest.mark.parametrize(
    "text",
    [
        "Доставка в Окский район.",       # «ок»
        "Это норма для тарифа.",          # «норм»
        "Нормы доставки изменились.",
        "Щавель закончился.",             # «щас»
        "Спасибо за ожидание.",           # «спс»
        "Нет такого типа карты.",         # «типа» not as a filler
        "Этот маршрут короче.",           # «короче» as a comparative
        "Испечём блины к празднику.",     # «блин»
        "Информация будет завтра.",
    ],
)
def test_a003_silent_on_words_that_only_share_letters(text):
    assert not only("A003", text)


A004_INFLECTIONS = {
    "идиот": ["Вы идиот.", "Какие идиоты это писали.", "Не считайте нас идиотами.", "Спросите у идиота."],
    "дебил": ["Дебилы.", "Как с дебилом говорю.", "Для дебилов писали."],
    "хуй-root": ["Охуеть можно.", "Нахуя это?", "Похуй."],
    "еб-root": ["Заебали уже.", "Не выебывайтесь.", "Заебись."],
    "пизд-root": ["Пиздец.", "Не пизди.", "Распиздяи."],
    "disguised": ["Пиzдец.", "Х*йня.", "3@ебали.", "xуйня какая-то."],
}


@pytest.mark.parametrize(
    "text", [pytest.param(t, id=f"{fam}-{k}") for fam, ts in A004_INFLECTIONS.items() for k, t in enumerate(ts)]
)
def test_a004_matches_inflections_and_masks_the_word(text):
    (f,) = only("A004", text)
    word = text[f.start : f.end]
    assert word[1:].lower() not in f.message.lower()  # masked: only the first letter is shown
    assert f"«{word[0]}" in f.message and "*" in f.message


@pytest.mark.parametrize(
    "text",
    ["Хлеба нет.", "Сукно плотное.", "Употребление разрешено.", "Мандарины привезём.", "Небо ясное.",
     "Себе оставьте копию.", "Ребёнку подойдёт.", "Учебник в наличии.", "Дебетовая карта готова.",
     "Команда поддержки на связи.", "Рубль укрепился.", "Корабля нет в наличии."],
)
def test_a004_silent_on_look_alikes(text):
    assert not only("A004", text)


A007_INFLECTIONS = [
    "Вы не поняли условия.", "Вы не понимаете, как это работает.", "Вы, похоже, не поняли.",
    "Вы должны были проверить.", "Вы должны были знать об этом.",
    "Я же сказал, что нельзя.", "Я же говорила про сроки.", "Я же писала Вам вчера.",
    "Читайте внимательнее.", "Прочитайте внимательно договор.",
    "Это не наша проблема.", "Это не наши проблемы.",
]


@pytest.mark.parametrize("text", A007_INFLECTIONS)
def test_a007_matches_inflected_phrases(text):
    assert only("A007", text)


@pytest.mark.parametrize(
    "text",
    ["Я сказала курьеру адрес.", "Вы поняли верно.", "Если Вы не поняли, я объясню.",
     "Мы должны были привезти вчера, извините."],
)
def test_a007_silent(text):
    assert not only("A007", text)


E004_INFLECTIONS = [
    "К сожалению, заказ задерживается :)", "Извините за ожидание :)", "Приносим извинения :)",
    "Мы не можем вернуть деньги :)", "Не получилось доставить :)", "Произошёл сбой 🙂",
    "Ошибки в оплате :)", "Отказали в возврате :)", "Возникла задержка доставки :)",
]


@pytest.mark.parametrize("text", E004_INFLECTIONS)
def test_e004_matches_inflected_markers(text):
    assert only("E004", text)


@pytest.mark.parametrize(
    "text",
    ["Заказ доставлен :)", "К сожалению, заказ задерживается :(", "Сбой устранили, всё работает :)",
     "Извините за ожидание.\n\nЗато скидка уже Ваша :)"],
)
def test_e004_silent(text):
    assert not only("E004", text)


@pytest.mark.parametrize(
    "text", ["Курьер уже выехл к Вам.", "Спасибо за ожадание.", "Ожидайте звонка курьра."]
)
def test_p001_flags_typos(text):
    assert only("P001", text)


@pytest.mark.parametrize(
    "text",
    ["Заказ доставит СДЭК.", "Скачайте iPhone-приложение.", "Ссылка: https://example.ru/zakaz",
     "Ждём на ул. Ленина, д. 5.", "Стоимость 1 500 руб.", "Всё норм."],
)
def test_p001_silent(text):
    assert not only("P001", text)


def test_p003_custom_dictionary():
    from chatlint import Config

    assert only("P003", "Заказ передан в лапоткомплект.", config=Config(select=["P003"]))
    assert not only("P003", "Заказ передан в лапоткомплект.", config=Config(select=["P003"], dictionary=["Лапоткомплект"]))
