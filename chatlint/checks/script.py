"""P — script: words that mix Cyrillic and Latin letters (spelling is in :mod:`.spelling`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..caches import WORD_FORMS
from ..compiled import regex
from ..document import Document
from ..registry import Context, Hit, ex, fix, quote, rule

_CYR = regex(r"[а-яё]", re.IGNORECASE)
_LAT = regex(r"[a-z]", re.IGNORECASE)

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
    if not doc.mixes_alphabets:
        return
    for w in doc.words:
        if w.placeholder:
            continue
        for offset, part in _mixed_parts(w.text):
            yield _mixed(w.start + offset, part)


@lru_cache(maxsize=WORD_FORMS)
def _mixed_parts(word: str) -> tuple[tuple[int, str], ...]:
    """The parts of a (hyphenated) word that mix Cyrillic and Latin letters, with their
    offsets in the word; cached per word form."""
    out = []
    pos = 0
    for part in word.split("-"):
        if _CYR.search(part) and _LAT.search(part):
            out.append((pos, part))
        pos += len(part) + 1
    return tuple(out)


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
