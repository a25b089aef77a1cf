"""A — address and tone: «Вы» with a capital, no «ты», no shouting, no «!!!»."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache

from .. import morph
from ..acts import informal_farewell_words
from ..caches import WORD_FORMS
from ..compiled import regex
from ..document import Document, in_label, in_quotes
from ..lexicon import form_test, notable_forms, phrase_hits
from ..phrases import Phrase, compile_phrase
from ..registry import Context, Field, Hit, Params, ex, fix, quote, rule
from ..resources import lexicon, word_set

_CYRILLIC = regex(r"[а-яё]", re.IGNORECASE)
# (four classes in a row, not «{4}»: the engine's repeat costs twice as much a character)
_CAPS_RUN = regex(r"[А-ЯЁ][А-ЯЁ][А-ЯЁ][А-ЯЁ]")

# ------------------------------------------------------------------ A001


@rule(
    "A001",
    "formal-you-lowercase",
    "warning",
    fix="safe",
    bad=[
        ex("Спасибо, что написали нам, мы свяжемся с ⟦вами⟧.", fixed="Спасибо, что написали нам, мы свяжемся с Вами."),
        ex("Ваш заказ готов, проверьте ⟦вашу⟧ почту.", fixed="Ваш заказ готов, проверьте Вашу почту."),
        ex("⟦вы⟧ можете оплатить картой.", fixed="Вы можете оплатить картой."),
    ],
    good=[
        ex("Спасибо, что написали нам, мы свяжемся с Вами."),
        ex("Ваш заказ готов, проверьте Вашу почту."),
        ex("Вас интересует доставка?"),
        ex("Проверьте раздел https://shop.example.ru/vas/help"),
        ex("Откройте блок «Реклама на вашем канале» и включите переключатель."),
        ex('Нажмите кнопку "Ваши заказы" в профиле.'),
        # a message to a group: the plural «вы» is written in lower case
        ex("Уважаемые клиенты!\n\nС 1 июня меняется график работы пунктов выдачи, подробности мы пришлём вам по почте."),
        ex("Добрый день, коллеги! Напоминаю вам про отчёт до пятницы."),
        ex("Всем привет! Спасибо, что вы с нами."),
    ],
)
def formal_you_lowercase(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A form of «вы» or «ваш» (вы, вас, вам, вами, ваш, вашего, вашему, ваша, вашей, ваше,
    ваши, ваших…) written in lower case.

    **Why**

    In a personal letter or chat to one client the polite «Вы» is written with a capital
    letter: it is the written form of respect, and clients notice its absence.

    **Example**

    «мы свяжемся с вами» → «мы свяжемся с Вами»

    **Что проверяет**

    Форма «вы» или «ваш» (вас, вам, вашего, ваши…) написана со строчной буквы.

    **Почему это важно**

    В личной переписке с клиентом вежливое «Вы» пишут с заглавной буквы: это письменный знак
    уважения, и его отсутствие клиенты замечают.
    """
    forms = word_set("address", "formal_you", "forms")
    if forms.isdisjoint(doc.vocabulary):
        return
    for w in doc.words:
        if w.norm in forms and w.text[0].islower():
            if in_label(doc, w.start, w.end):
                continue  # «Реклама на вашем канале»: a button or a section, quoted as it is named
            if addresses_a_group(doc):
                return  # «Уважаемые клиенты! … вам»: the plural «вы»
            cap = w.text[0].upper() + w.text[1:]
            yield Hit(
                w.start,
                w.end,
                f"{quote(w.text)} со строчной буквы: к клиенту обращаются на «Вы» с заглавной",
                f"{quote(w.text)} in lower case: address the client as «Вы», with a capital letter",
                fix(w.start, w.end, cap, title=f"Заменить на «{cap}»"),
            )


def addresses_a_group(doc: Document) -> bool:
    """The message opens by addressing a group: «Уважаемые клиенты!», «Добрый день,
    коллеги!», «Друзья, …», «Всем привет!» (in its first sentence or line). Its «вы» is the
    plural one, written in lower case."""
    return doc.memo(addresses_a_group, _addresses_a_group)


def _addresses_a_group(doc: Document) -> bool:
    words = doc.words
    if not words or not doc.sentences:
        return False
    s = doc.sentences[0]
    first = words[s.first_word : min(s.last_word, s.first_word + 6)]
    if not first:
        return False
    text = doc.text
    nouns = word_set("address", "formal_you", "group_nouns")
    leads = word_set("address", "formal_you", "group_leads")
    everyone = word_set("address", "formal_you", "group_all")
    for k, w in enumerate(first):
        if w.placeholder:
            continue
        if w.norm in everyone:
            # «Всем привет», «Здравствуйте все»: next to a greeting word
            near = {x.norm for x in first[max(0, k - 2) : k + 3] if x is not w}
            if near & leads:
                return True
            continue
        if not _plural_vocative(w.norm, nouns):
            continue
        after = text[w.end : w.end + 2].lstrip(" ")[:1]
        if k > 0 and first[k - 1].norm in _GROUP_ADJECTIVES:
            return True  # «Уважаемые клиенты», «Дорогие друзья»
        if after in (",", "!") and (k == 0 or any(x.norm in leads for x in first[:k])):
            return True  # «Коллеги, …», «Добрый день, коллеги!»
    return False


_GROUP_ADJECTIVES = frozenset(("уважаемые", "дорогие", "любимые", "милые"))


@lru_cache(maxsize=WORD_FORMS)
def _plural_vocative(form: str, nouns: frozenset[str]) -> bool:
    """A plural nominative (the vocative) of one of ``nouns``: «клиенты», «друзья»."""
    if morph.lemmas(form).isdisjoint(nouns):
        return False  # no parse of it has one of them for its normal form (lemmas: all of theirs)
    return any(
        p.normal_form.replace("ё", "е") in nouns and {"plur", "nomn"} <= p.tag.grammemes
        for p in morph.parses(form)
    )


# ------------------------------------------------------------------ A002


@rule(
    "A002",
    "informal-you",
    "error",
    bad=[
        ex("⟦Ты⟧ ⟦можешь⟧ оплатить заказ картой."),
        ex("Спасибо за ⟦твой⟧ вопрос."),
        ex("⟦Подожди⟧ минутку, сейчас проверю."),
        ex("Если ⟦хочешь⟧, оформим возврат."),
        ex("⟦Перешли⟧ мне, пожалуйста, скриншот ошибки."),
        ex("⟦Напиши⟧, когда ⟦получишь⟧ заказ."),
    ],
    good=[
        ex("Вы можете оплатить заказ картой."),
        ex("Спасибо за Ваш вопрос."),
        ex("Подождите минутку, сейчас проверю."),
        ex("Будь то доставка или самовывоз, цена одна."),
        ex("Правила меняются часто: век живи — век учись. Мы обновили инструкцию для Вас."),
        ex("Хочешь не хочешь, а обновление придётся установить: без него приложение не запустится."),
        ex("Я связался с рестораном «Суши Мастер» по Вашему заказу."),
        ex("Ресторан Суши Мастер уже готовит заказ."),
        ex("Документы перешли в отдел проверки, ответ будет завтра."),
        ex("Ошибку нашли и исправили в новой версии."),
        ex("Нашли ошибку в приложении, исправим до пятницы."),
        ex("Недавно мы перешли на новую систему оплаты."),
        ex("Клиент пишет: «ты можешь объяснить, где заказ?» Отвечаем по шаблону."),
        ex("Заказы, которые Вы оформили вчера, уже перешли в сборку."),
    ],
)
def informal_you(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The client is addressed as «ты»: a form of «ты» or «твой», or a verb in the second
    person singular («можешь», «хочешь») or the singular imperative («подожди», «напиши»),
    recognised with pymorphy3.

    **Why**

    The client may write informally, but the operator answers in the official style: the
    client is always «Вы». Familiarity from the operator reads as disrespect.

    **Example**

    «Подожди минутку» → «Подождите минутку»

    **Что проверяет**

    Оператор обращается к клиенту на «ты»: «ты», «твой», глагол во втором лице единственного
    числа («можешь») или повелительное наклонение на «ты» («подожди», «напиши»).

    **Почему это важно**

    Клиент может писать как угодно, но оператор всегда обращается к нему на «Вы»: фамильярность
    с его стороны воспринимается как неуважение.
    """
    informal = set(filter(_informal_form, notable_forms(doc)))
    if not informal:
        return  # the common case: no form of «ты» among the message's words
    sentence_starts = None
    idioms = None
    for idx, w in enumerate(doc.words):
        if w.placeholder or w.norm not in informal:
            continue
        kind = _informal_form(w.norm)
        if in_quotes(doc, w.start, w.end):
            continue  # «Клиент пишет: «ты можешь…»»: reported words, not the operator's address
        if idioms is None:
            idioms = list(phrase_hits(doc, _idioms()))
        if any(s <= w.start and w.end <= e for s, e in idioms):
            continue  # «век живи — век учись», «хочешь не хочешь»: a saying, not an address
        kind_ru, kind_en = kind
        if kind_en == "verb":
            # «Суши Мастер», «Лети» (a brand): a capitalised verb form inside a sentence, or
            # one in «quotes», is a name; «Бывай» and other goodbyes are G007's.
            if sentence_starts is None:
                sentence_starts = {s.first_word for s in doc.sentences}
            if w.text[0].isupper() and idx not in sentence_starts:
                continue
            if w.start > 0 and doc.text[w.start - 1] in "«\"“„'":
                continue
            if w.norm in _farewell_words():
                continue
            if morph.has_past_plural(w.norm) and not _imperative_in_context(doc, idx):
                continue  # «Документы перешли в отдел», «Ошибку нашли и исправили»: past tense
        yield Hit(
            w.start,
            w.end,
            f"Обращение на «ты» ({kind_ru} {quote(w.text)}): к клиенту обращаются на «Вы»",
            f"The client is addressed as «ты» ({kind_en} {quote(w.text)}): use «Вы»",
        )


@lru_cache(maxsize=1)
def _idioms() -> tuple[Phrase, ...]:
    return tuple(compile_phrase(p) for p in lexicon("address")["informal_you"].get("idioms", []))


# After an imperative that could also be a past plural («перешли», «нашли»), these words
# make the imperative reading the likely one: «Перешли мне скриншот», «Пришли, пожалуйста, чек».
_IMPERATIVE_COMPANIONS = frozenset({"мне", "нам", "пожалуйста", "скорее", "срочно"})


def _imperative_in_context(doc: Document, idx: int) -> bool:
    """An ambiguous form reads as a «ты» imperative only when it opens its sentence, with no
    subject, and is followed by «мне», «пожалуйста» and the like or by «!»."""
    words = doc.words
    w = words[idx]
    sent = next((s for s in doc.sentences if s.first_word <= idx < s.last_word), None)
    if sent is None or sent.first_word != idx:
        return False
    nxt = words[idx + 1] if idx + 1 < sent.last_word else None
    if nxt is not None and nxt.norm in _IMPERATIVE_COMPANIONS:
        return True
    return doc.text[w.end : sent.end].rstrip().endswith("!")


_KINDS: dict[str, tuple[str, str] | tuple[()]] = {}


def _farewell_words() -> frozenset[str]:
    return informal_farewell_words()[0]


@form_test
def _informal_form(n: str) -> tuple[str, str] | tuple[()]:
    """Per word form, once: is it a «ты»-pronoun, a «ты»-verb, or neither (cache, bounded)."""
    kind = _KINDS.get(n)
    if kind is None:
        if len(_KINDS) > 200_000:
            _KINDS.clear()
        kind = _KINDS[n] = _informal_kind(n)
    return kind


def _informal_kind(n: str) -> tuple[str, str] | tuple[()]:
    if n in word_set("address", "informal_you", "forms"):
        return ("местоимение", "pronoun")
    if (
        len(n) > 2
        and n not in word_set("address", "informal_you", "verb_exceptions")
        and _CYRILLIC.match(n)
        and morph.is_informal_verb(n)
    ):
        return ("глагол", "verb")
    return ()


# ------------------------------------------------------------------ A005


class ShoutingParams(Params):
    min_letters: int = Field(4, ge=2, le=100)
    """A capitalised word of at least this many letters is shouting."""
    max_caps_share: float = Field(0.6, ge=0.0, le=1.0)
    """A message whose letters are more than this share capitals is shouting as a whole."""


@rule(
    "A005",
    "shouting",
    "warning",
    params=ShoutingParams,
    fix="unsafe",
    bad=[
        ex("Оплата прошла, заказ ⟦ОБЯЗАТЕЛЬНО⟧ придёт завтра.", fixed="Оплата прошла, заказ обязательно придёт завтра."),
        ex("⟦ПОЖАЛУЙСТА, ПРОВЕРЬТЕ ПОЧТУ, МЫ ОТПРАВИЛИ ЧЕК⟧.", fixed="ПОЖАЛУЙСТА, ПРОВЕРЬТЕ ПОЧТУ, МЫ ОТПРАВИЛИ ЧЕК."),
        ex("Заказ ⟦ОТМЕНЁН⟧.", fixed="Заказ отменён.", abbreviations=["ЕГЭ"]),
    ],
    good=[
        ex("Укажите ИНН и КПП организации, мы пришлём код по СМС."),
        ex("Заказ оформлен на ООО «Ромашка»."),
        ex("Обновите прошивку через HDMI-кабель."),
        ex("Результаты ЕГЭШКИ придут завтра.", abbreviations=["ЕГЭШКИ"]),
        ex("ИТОГО: заказ приедет завтра."),
        ex("Проверьте настройки:\nАвтоплей – ВЫКЛ\nСубтитры – ВКЛ"),
        ex("ШАГ 1\nОткройте раздел «Видео»."),
        ex("См. раздел «ПРАВИЛА ВОЗВРАТА ТОВАРА» в договоре."),
        ex("Нажмите кнопку ПРОДОЛЖИТЬ внизу экрана."),
    ],
)
def shouting(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A Cyrillic word of four or more letters written in capitals that is not a known
    abbreviation (ИНН, СМС, ООО…; extend the list with ``abbreviations``), or a message
    written mostly in capitals.

    **Why**

    Capitals read as raised voice. The operator's style is calm and official; emphasis
    comes from clear wording, not from capitals.

    **Example**

    «заказ ОБЯЗАТЕЛЬНО придёт» → «заказ обязательно придёт»

    **Что проверяет**

    Кириллическое слово из четырёх и более заглавных букв, которое не является известной
    аббревиатурой (ИНН, СМС, ООО…; список можно дополнить в настройках), или сообщение, набранное
    в основном заглавными.

    **Почему это важно**

    Заглавные буквы читаются как крик. Оператор пишет ровно и по-деловому: важное выделяют
    точной формулировкой, а не регистром.
    """
    p: ShoutingParams = ctx.params
    abbreviations = ctx.settings.abbreviations
    text = doc.text
    if not _CAPS_RUN.search(text):  # no capitalised word of 4+ letters: nothing can be shouting
        return
    caps_words = []
    for w in doc.words:
        t = w.text
        if not w.placeholder and t.isupper():
            letters = sum(1 for ch in t if ch.isalpha())
            if letters >= p.min_letters and _CYRILLIC.search(t) and not _is_abbreviation(t, abbreviations, p.min_letters):
                if not _caps_label(doc, w.start, w.end):
                    caps_words.append(w)
    if len(caps_words) >= 2 and _mostly_capitals(doc, p.max_caps_share):
        first, last = caps_words[0], doc.words[-1]
        start = min(first.start, _first_letter(text))
        yield Hit(
            start,
            last.end,
            "Сообщение написано заглавными буквами: это читается как крик",
            "The message is written in capitals: it reads as shouting",
        )
        return
    for w in caps_words:
        low = w.text.lower()
        yield Hit(
            w.start,
            w.end,
            f"Слово {quote(w.text)} заглавными буквами читается как крик",
            f"The word {quote(w.text)} in capitals reads as shouting",
            fix(w.start, w.end, low, safe=False, title=f"Заменить на «{low}»"),
        )


def _mostly_capitals(doc: Document, share: float) -> bool:
    """At least 20 cased letters in the words, more than ``share`` of them capitals (the
    letters of a word in capitals all count as capitals)."""
    upper = lower = 0
    for w in doc.words:
        if w.placeholder:
            continue
        t = w.text
        if t.isupper():
            upper += sum(1 for ch in t if ch.isalpha())
            continue
        for ch in t:
            if ch.isupper():
                upper += 1
            elif ch.islower():
                lower += 1
    total = upper + lower
    return total >= 20 and upper / total > share


# A value that is a state or a label: «Автоплей – ВЫКЛ», «Статус: АКТИВЕН».
_STATE_VALUE = regex(r"[:–—-][ \t]*[\w ]{0,30}$")


def _caps_label(doc: Document, start: int, end: int) -> bool:
    """Capitals that name rather than shout: a heading line («ШАГ 1», «ВЫВОД»), a quoted
    title or button («ПРЯМЫЕ ЗАПРЕТЫ»), a label opening a line («ИТОГО:», «ВАЖНО:»), or a
    short state after a separator at the end of a line («Автоплей – ВЫКЛ»)."""
    if in_label(doc, start, end):
        return True
    text = doc.text
    if "_" in text[start:end] or _AFTER_UI_NOUN.search(text, max(0, start - 12), start):
        return True  # «ОШИБКА_АВТОРИЗАЦИИ» is an identifier; «кнопку ПРОДОЛЖИТЬ» names a button
    ln = doc.lines[doc.line_index(start)]
    # (every test below looks at a bounded stretch of the line, or bisects: a line of a
    # thousand capitalised words must not cost a million steps)
    if doc.line_lead(start) >= start and _COLON_NEXT.match(text, end, ln.end):
        return True
    if (
        _STATE_VALUE.search(text, max(ln.start, start - 40), start)
        and _AT_MOST_TWO_WORDS.fullmatch(text, start, ln.end)
        and text.find(":", end, ln.end) < 0
    ):
        return True
    headings = doc.memo(_heading_spans, _heading_spans)
    k = bisect_right(headings, (start, len(text) + 1)) - 1
    return k >= 0 and headings[k][0] <= start < headings[k][1]


_COLON_NEXT = regex(r"[ \t]*:")
_AFTER_UI_NOUN = regex(r"(?:кнопк[аиуеой]|пункт[ауе]?|вкладк[аиуе]|раздел[ауе]?|меню|пол[еяю]|статус[ае]?)[ \t]+$", re.I)
_AT_MOST_TWO_WORDS = regex(r"[ \t]*\S+(?:[ \t]+\S+)?[ \t]*")


def _heading_spans(doc: Document) -> list[tuple[int, int]]:
    return sorted((b.start, b.end) for b in doc.blocks if b.kind == "heading")


def _first_letter(text: str) -> int:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return i
    return 0


def _is_abbreviation(word: str, abbreviations: frozenset[str], min_letters: int) -> bool:
    if word in abbreviations:
        return True
    # «HDMI-кабель», «СМС-код»: check each part of a hyphenated word
    parts = word.split("-")
    return len(parts) > 1 and all(
        p in abbreviations or sum(ch.isalpha() for ch in p) < min_letters for p in parts
    )


# ------------------------------------------------------------------ A006

_RUN_STARTS = ("!!", "??", "!?", "?!", "....", ",,", "…", ".…")


def _may_have_runs(text: str) -> bool:
    """Whether some of ``_RUN_STARTS`` is in ``text`` (written out: a third less than a
    generator over them; «.…» holds «…»)."""
    return "!!" in text or "??" in text or "!?" in text or "?!" in text or "...." in text or ",," in text or "…" in text
_PUNCT_RUN = regex(r"[!?]{2,}|\.{4,}|,{2,}|…[.…]+|\.+…")


def _collapse(run: str) -> str | None:
    """The single mark a run collapses to, or None when the run is acceptable."""
    if run in ("?!", "!?"):
        return None
    chars = set(run)
    if chars == {"!"}:
        return "!"
    if chars == {"?"}:
        return "?"
    if chars <= {"!", "?"}:
        return "?!"
    if chars == {","}:
        return ","
    if "…" in chars:
        return "…"
    return "..."


@rule(
    "A006",
    "excessive-punctuation",
    "warning",
    fix="safe",
    bad=[
        ex("Заказ уже в пути⟦!!!⟧", fixed="Заказ уже в пути!"),
        ex("Вы получили письмо⟦???⟧", fixed="Вы получили письмо?"),
        ex("Как же так⟦?!!⟧", fixed="Как же так?!"),
        ex("Подождите, пожалуйста⟦.....⟧", fixed="Подождите, пожалуйста..."),
    ],
    good=[
        ex("Заказ уже в пути!"),
        ex("Вы получили письмо?"),
        ex("Неужели?!"),
        ex("Подождите, пожалуйста..."),
        ex("Спасибо)))"),  # bracket smileys are E002's
    ],
)
def excessive_punctuation(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    Runs of punctuation such as «!!», «???», «?!!», «.....», «,,». A single «?!» and the
    three-dot ellipsis are fine.

    **Why**

    Repeated marks add emotion where the operator's style should stay calm and businesslike;
    one mark says the same thing.

    **Example**

    «Заказ уже в пути!!!» → «Заказ уже в пути!»

    **Что проверяет**

    Повторяющиеся знаки препинания: «!!», «???», «?!!», «.....», «,,» (одиночное «?!» и
    многоточие из трёх точек допустимы).

    **Почему это важно**

    Нагромождение знаков добавляет эмоций там, где тон оператора должен оставаться спокойным и
    деловым; один знак говорит то же самое.
    """
    text = doc.text
    if not _may_have_runs(text):
        return
    for m in _PUNCT_RUN.finditer(text):
        s, e = m.span()
        repl = _collapse(m.group())
        if repl is None or doc.in_opaque(s, e):
            continue
        yield Hit(
            s,
            e,
            f"Лишние знаки препинания {quote(m.group())}: достаточно одного «{repl}»",
            f"Excessive punctuation {quote(m.group())}: one «{repl}» is enough",
            fix(s, e, repl, title=f"Заменить на «{repl}»"),
        )
