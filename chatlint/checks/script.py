"""P — spelling and script: words that mix Cyrillic and Latin letters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .. import morph
from ..document import Document
from ..lexicon import colloquial_lexicon
from ..registry import Context, Hit, ex, fix, quote, rule

_CYR = re.compile(r"[а-яё]", re.IGNORECASE)
_LAT = re.compile(r"[a-z]", re.IGNORECASE)
_MIXED = re.compile(r"[а-яёА-ЯЁ][a-zA-Z]|[a-zA-Z][а-яёА-ЯЁ]")

# Latin letters that look like Cyrillic ones, and back.
_LAT_TO_CYR = str.maketrans(
    "aceopxyAEOPCXBHKMTy", "асеорхуАЕОРСХВНКМТу"
)
_CYR_TO_LAT = str.maketrans("асеорхуАЕОРСХВНКМТ", "aceopxyAEOPCXBHKMT")
_LAT_LOOKALIKE = set("aceopxyAEOPCXBHKMT")
_CYR_LOOKALIKE = set("асеорхуАЕОРСХВНКМТ")


@rule(
    "P002",
    "mixed-script-word",
    "warning",
    fix="safe",
    bad=[
        ex("⟦Здрaвствуйте⟧!", fixed="Здравствуйте!"),  # Latin «a»
        ex("Ваш ⟦зaкaз⟧ готов.", fixed="Ваш заказ готов."),
        ex("Скачайте ⟦прилoжение⟧.", fixed="Скачайте приложение."),
        ex("Проверьте настройки Wi-Fi в разделе «⟦Cеть⟧».", fixed="Проверьте настройки Wi-Fi в разделе «Сеть»."),  # Latin «C»
    ],
    good=[
        ex("Здравствуйте!"),
        ex("Подключите Wi-Fi-роутер к сети."),
        ex("Модель iPhone 15 есть в наличии."),
        ex("Ссылка: https://example.ru/заказ"),
    ],
)
def mixed_script_word(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A word that mixes Cyrillic and Latin letters, such as «Здрaвствуйте» with a Latin «a».
    Each part of a hyphenated word is checked on its own («Wi-Fi-роутер» is fine).

    **Why**

    Look-alike letters from another alphabet are invisible to the operator but break the
    client's search, spell checkers and screen readers, and look sloppy once noticed.

    **Example**

    «Здрaвствуйте» (Latin a) → «Здравствуйте»

    **Что проверяет**

    Слово, в котором смешаны кириллица и латиница, например «Здрaвствуйте» с латинской «a»
    (части слова через дефис проверяются по отдельности).

    **Почему это важно**

    Похожие буквы чужого алфавита оператор не видит, но они мешают клиенту искать по тексту,
    ломают проверку орфографии и озвучивание программами экранного доступа, а заметив их, клиент
    сочтёт текст неряшливым.
    """
    if not _MIXED.search(doc.text):
        return
    for w in doc.words:
        if w.placeholder:
            continue
        t = w.text
        pos = w.start
        for part in t.split("-"):
            if _CYR.search(part) and _LAT.search(part):
                yield _mixed(pos, part)
            pos += len(part) + 1


def _mixed(start: int, part: str) -> Hit:
    end = start + len(part)
    cyr = len(_CYR.findall(part))
    lat = len(_LAT.findall(part))
    if cyr >= lat:
        minority = {ch for ch in part if _LAT.match(ch)}
        ok, mapped, script_ru, script_en = minority <= _LAT_LOOKALIKE, part.translate(_LAT_TO_CYR), "латинские", "Latin"
    else:
        minority = {ch for ch in part if _CYR.match(ch)}
        ok, mapped, script_ru, script_en = minority <= _CYR_LOOKALIKE, part.translate(_CYR_TO_LAT), "кириллические", "Cyrillic"
    letters = "".join(sorted(minority))
    f = fix(start, end, mapped, title=f"Заменить на «{mapped}»") if ok and mapped != part else None
    return Hit(
        start,
        end,
        f"В слове {quote(part)} смешаны алфавиты: {script_ru} буквы «{letters}»",
        f"The word {quote(part)} mixes alphabets: {script_en} letters «{letters}»",
        f,
    )


# ------------------------------------------------------------------ P001

_CYRILLIC_WORD = re.compile(r"[а-яё]+(?:-[а-яё]+)*", re.IGNORECASE)


@lru_cache(maxsize=200_000)
def is_known(form: str) -> bool:
    """pymorphy3's dictionary knows the word form (each part of a hyphenated one)."""
    analyzer = morph.analyzer()
    try:
        return all(analyzer.word_is_known(part) for part in form.split("-") if part)
    except (KeyError, ValueError, IndexError):
        return True  # pymorphy3 cannot even read it: not a Russian typo


@lru_cache(maxsize=200_000)
def _unknown_cyrillic(form: str) -> bool:
    return _CYRILLIC_WORD.fullmatch(form) is not None and not is_known(form)


def _reported_elsewhere() -> frozenset[str]:
    return colloquial_lexicon().form_keys


@rule(
    "P001",
    "unknown-word",
    "info",
    bad=[
        ex("Заказ уже в ⟦пулти⟧."),
        ex("Спасибо за ⟦ожадание⟧."),
        ex("⟦Здраствуйте⟧, чем могу помочь?"),
    ],
    good=[
        ex("Заказ уже в пути."),
        ex("Оплата через СБП и Apple Pay доступна."),
        ex("Подключите роутер к сети: https://example.ru/nastroyka"),
        ex("Заказ 12345 доставит КурьерЭкспресс.", dictionary=["КурьерЭкспресс"]),
        ex("Заказ доставит курьерэкспресс.", dictionary=["курьерэкспресс"]),
        ex("Вам ответит Аделаида Кшиштофовна.", operators=["Кшиштофовна"]),
        ex("Скачайте приложение Мойзаказик."),  # a capitalised name inside a sentence
    ],
)
def unknown_word(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A Cyrillic word that pymorphy3's dictionary does not know, and that the ``dictionary``
    setting does not list: most often a typo. Latin words, numbers, links, abbreviations in
    capitals, names inside a sentence, the ``operators`` and ``company_names`` of the config,
    and slang that A003 reports are left alone.

    **Why**

    A literate answer is part of the service's solidity: a typo makes the client doubt the
    rest of the answer.

    **Example**

    «Спасибо за ожадание» → «Спасибо за ожидание»

    **Что проверяет**

    Кириллическое слово, которого нет ни в словаре pymorphy3, ни в настройке ``dictionary``, —
    чаще всего опечатка.

    **Почему это важно**

    Грамотность — часть солидности сервиса: заметив опечатку, клиент начинает сомневаться и в
    остальном ответе.
    """
    own = ctx.settings.dictionary
    slang = _reported_elsewhere()
    if not any(_unknown_cyrillic(n) for n in doc.vocabulary):
        return
    words = doc.words
    sentence_starts: set[int] | None = None
    for idx, w in enumerate(words):
        if w.placeholder:
            continue
        t = w.text
        n = w.norm
        if n in own or n in slang or not _unknown_cyrillic(n):
            continue
        if len(t) > 1 and t.isupper():
            continue  # an abbreviation: ИНН, СБП
        if t[0].isupper():
            if sentence_starts is None:
                sentence_starts = {s.first_word for s in doc.sentences}
            if idx not in sentence_starts:
                continue  # a name or a brand inside a sentence
        yield Hit(
            w.start,
            w.end,
            f"Неизвестное слово {quote(t)}: возможно, опечатка",
            f"Unknown word {quote(t)}: possibly a typo",
        )
