"""P — spelling: probable typos with a confident correction (P001), unknown words where a
team asks for them (P003), and grammar slips a word list cannot see (P004)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .. import morph, spelling
from ..caches import WORD_FORMS
from ..compiled import regex
from ..document import Document, Word, in_label, norm
from ..lexicon import colloquial_lexicon, form_test, is_profane, notable_forms
from ..registry import Context, Hit, ex, fix, quote, rule
from ..resources import lexicon

_CYRILLIC_WORD = regex(r"[а-яё]+(?:-[а-яё]+)*", re.IGNORECASE)
_LATIN = regex(r"[a-z]", re.IGNORECASE)
_BACKTICKS = regex(r"`[^`\n]{1,200}`")
# A suggestion is a search of some tens of thousands of look-ups (tens of ms): only the first
# MAX_SEARCHES unknown words of a message, of at most MAX_SEARCH_LENGTH letters, get one, so that
# a message of random letters stays cheap; the same words always do, whatever is cached.
MAX_SEARCHES = 10
MAX_SEARCH_LENGTH = 20


@dataclass(frozen=True, slots=True)
class Unknown:
    word: Word
    suggestion: str | None  # the confident correction in the word's case, if any


def _skip_spans(doc: Document) -> list[tuple[int, int]]:
    """Spans whose words are not the operator's prose: code (blocks and `inline`) and quoted
    client text."""
    spans = [(b.start, b.end) for b in doc.blocks if b.kind in ("code", "quote")]
    if "`" in doc.text:
        spans.extend(m.span() for m in _BACKTICKS.finditer(doc.text))
    spans.sort()
    return spans


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect_right(spans, (start, 1 << 62)) - 1
    return k >= 0 and spans[k][0] <= start and end <= spans[k][1]


@lru_cache(maxsize=1)
def _reported_elsewhere() -> frozenset[str]:
    """Words other rules report, and that P001 must not «correct»: slang (A003), informal
    greetings and farewells (G002, G007: «приветик» is not a typo of «приветив»)."""
    words = set(colloquial_lexicon().form_keys)
    etiquette = lexicon("etiquette")
    for section in ("informal_greeting", "informal_farewell"):
        for pattern in etiquette.get(section, {}).get("patterns", []):
            for token in pattern.split():
                words.update(norm(w.lstrip("~")) for w in token.split("|") if w.lstrip("~").isalpha())
    return frozenset(words)


@form_test
@lru_cache(maxsize=WORD_FORMS)
def _unknown(form: str) -> bool:
    return _CYRILLIC_WORD.fullmatch(form) is not None and not spelling.is_known(form)


def unknown_words(doc: Document, ctx: Context) -> list[Unknown]:
    """The document's unknown Cyrillic words (computed once per document and settings), with
    the confident correction of each, if there is one.

    Left alone: links and e-mail addresses (not words), placeholders, numbers with units
    (tokens with digits), code and quoted client text, quoted UI labels («Мои заказы»),
    words shorter than ``min_length``, names and brands capitalised inside a sentence, words
    in capitals that have no confident correction (abbreviations: ИНН, СБП), the project's
    dictionary (every form), slang that A003 reports, profanity that A004 reports, and the
    slips P004 reports."""
    settings = ctx.settings  # keyed by identity: hashing the settings costs more than the check
    found = doc.memo(("spelling", id(settings)), lambda d: (settings, _find_unknown(d, ctx)))
    return found[1] if found[0] is settings else _find_unknown(doc, ctx)


_LETTER_RUN = regex(r"[^\W\d_]+")
_LETTER_AT = regex(r"[^\W\d_]").match
_YO = regex("[ёЁ]")


def _yo_words(doc: Document) -> list[str]:
    """The runs of letters that hold «ё», found from each «ё» outwards (a pattern with «ё» in
    the middle of two letter runs backtracks over every word without one: the square of its
    length; listing every run of letters to keep the few with «ё» costs four times as much)."""
    text = doc.text
    if "ё" not in text and "Ё" not in text:
        return []
    out = []
    end = 0
    for m in _YO.finditer(text):
        i = m.start()
        if i < end:
            continue  # a second «ё» of the run just taken
        start = i
        while start > end and _LETTER_AT(text, start - 1):
            start -= 1
        end = _LETTER_RUN.match(text, i).end()
        out.append(text[start:end])
    return out


def _find_unknown(doc: Document, ctx: Context) -> list[Unknown]:
    settings = ctx.settings
    unknown = set(filter(_unknown, notable_forms(doc)))
    yo = any(spelling.misplaced_yo(t.lower()) for t in _yo_words(doc))
    latin = not settings.spelling_ignore_latin
    if not unknown and not yo and not latin:
        return []
    own = settings.dictionary
    own_forms = spelling.own_forms(own) if own else frozenset()
    slang = _reported_elsewhere()
    slips = spelling.data().misspellings
    skip = _skip_spans(doc)
    sentence_starts: set[int] | None = None
    searches = 0
    out: list[Unknown] = []
    for idx, w in enumerate(doc.words):
        if w.placeholder:
            continue
        n = w.norm
        if n not in unknown and not yo and not latin:
            continue
        if len(n) < settings.spelling_min_length:
            continue
        if yo and ("ё" in w.text or "Ё" in w.text):
            right = spelling.misplaced_yo(w.text.lower())
            if right is not None and not (n in own or n in own_forms) and w.text[:1].islower():
                out.append(Unknown(w, spelling.restore_case(right, w.text)))
                continue
        if not _unknown(n):
            if not settings.spelling_ignore_latin and _latin_unknown(w, own, own_forms):
                out.append(Unknown(w, None))
            continue
        if n in own or n in own_forms or n in slang or n in slips or _glued_not(n) or is_profane(n):
            continue
        if skip and _inside(skip, w.start, w.end):
            continue
        if in_label(doc, w.start, w.end):
            continue
        t = w.text
        caps = len(t) > 1 and t.isupper()
        if caps and (len(t) <= 5 or t in settings.abbreviations):
            continue  # an abbreviation: ИНН, СБП, ОСАГО
        if t[0].isupper() and not caps:
            if sentence_starts is None:
                sentence_starts = {s.first_word for s in doc.sentences}
            if idx not in sentence_starts:
                continue  # a name or a brand inside a sentence
        suggestion = None
        if searches < MAX_SEARCHES and len(n) <= MAX_SEARCH_LENGTH:
            searches += 1
            word = spelling.correction(n)  # suggest + confident, with less search
            if word is not None and not is_profane(word):  # a fix never writes an obscene word
                suggestion = spelling.restore_case(word, t)
        if caps and suggestion is None:
            continue  # an abbreviation (a typo in capitals still has its correction)
        out.append(Unknown(w, suggestion))
    return out


_LATIN_WORD = regex(r"[a-z]+(?:['’-][a-z]+)*", re.IGNORECASE)


def _latin_unknown(w: Word, own: frozenset[str], own_forms: frozenset[str]) -> bool:
    """With ``ignore_latin = false``: a Latin-script word that the project's dictionary does
    not list (P003 shows it; there is no English dictionary to correct it against)."""
    return _LATIN_WORD.fullmatch(w.text) is not None and not w.text.isupper() and w.norm not in own


# ------------------------------------------------------------------ P001


@rule(
    "P001",
    "probable-typo",
    "warning",
    fix="unsafe",
    bad=[
        ex("Спасибо за ⟦ожадание⟧.", fixed="Спасибо за ожидание."),
        ex("Перезагрузите ⟦утсройство⟧.", fixed="Перезагрузите устройство."),
        ex("Курьер привезёт заказ ⟦завтар⟧.", fixed="Курьер привезёт заказ завтра."),
        ex("Ваше ⟦сообшение⟧ получено.", fixed="Ваше сообщение получено."),
        ex("Всё ⟦делаеться⟧ автоматически.", fixed="Всё делается автоматически."),
        ex("⟦ДОСТАВККА⟧ БЕСПЛАТНАЯ.", fixed="ДОСТАВКА БЕСПЛАТНАЯ."),
        ex("Наберите номер ⟦телёфона⟧.", fixed="Наберите номер телефона."),  # «ё» where «е» is
    ],
    good=[
        ex("Спасибо за ожидание."),
        ex("Оплата через СБП и Apple Pay доступна."),
        ex("Подключите роутер к сети: https://example.ru/nastroyka"),
        ex("Заказ доставит КурьерЭкспресс.", dictionary=["КурьерЭкспресс"]),
        ex("Заказ доставят курьерэкспрессом.", dictionary=["курьерэкспресс"]),
        ex("Вам ответит Аделаида Кшиштофовна.", operators=["Кшиштофовна"]),
        ex("Скачайте приложение Мойзаказик."),
        ex("Какой-нибудь промокод подойдёт для заказа в интернет-магазине."),
        ex("Кешбэк придёт после получения заказа в постамате."),
        ex("Видеоредактор и автостарт включаются в настройках."),
        ex("Нажмите «Оформить предзкаказ» на странице товара."),
        ex("Выполните команду `sudo apt-get install chatlint` и перезапустите."),
        ex("Лимит — 5ГБ в месяц, скорость до 100мбит/с."),
        ex("Всё пришлём ещё раз, её тоже."),
    ],
)
def probable_typo(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A word that is in no dictionary — pymorphy3's, the support vocabulary of
    ``rules/lexicons/spelling.toml``, or the project's ``dictionary`` (every inflected
    form) — and that is one likely slip away from a known word: a missed, doubled or swapped
    letter, a neighbouring key, a sound-alike letter. The correction is offered as an unsafe
    fix. Words with no clear correction are left to P003 (off unless selected). Hyphenated
    words with known parts or particles, productive prefixes («видео-», «авто-», «пере-»),
    numbers with units, links, code, quoted labels and names inside a sentence are not typos;
    a typo in capitals is. Corrections are searched for the first ten unknown words of a
    message, of at most twenty letters.

    **Why**

    A literate answer is part of the service's solidity: a typo makes the client doubt the
    rest of the answer. Check the spelling of every letter before sending it.

    **Example**

    «Спасибо за ожадание» → «Спасибо за ожидание»

    **Что проверяет**

    Слово, которого нет ни в общем словаре, ни в словаре поддержки, ни в словаре
    проекта, и которое отличается от известного слова одной вероятной опечаткой
    (пропущенная, лишняя или переставленная буква, соседняя клавиша, похожий звук).
    Исправление предлагается как небезопасное.

    **Почему это важно**

    Грамотность — часть солидности сервиса: заметив опечатку, клиент начинает сомневаться и в
    остальном ответе.
    """
    for u in unknown_words(doc, ctx):
        if u.suggestion is None:
            continue
        w = u.word
        yield Hit(
            w.start,
            w.end,
            f"Вероятная опечатка в слове {quote(w.text)}: возможно, {quote(u.suggestion)}",
            f"Probable typo in {quote(w.text)}: perhaps {quote(u.suggestion)}",
            fix(w.start, w.end, u.suggestion, safe=False, title=f"Заменить на {quote(u.suggestion)}"),
        )


# ------------------------------------------------------------------ P003


@rule(
    "P003",
    "unknown-word",
    "info",
    bad=[
        ex("Заказ передан в ⟦лапоткомплект⟧.", select=["P003"]),
        ex("Проверьте ⟦зюквырку⟧ в настройках.", select=["P003"]),
    ],
    good=[
        ex("Заказ передан в лапоткомплект.", select=["P003"], dictionary=["лапоткомплект"]),
        ex("Спасибо за ожадание.", select=["P003"]),  # a probable typo: P001's
        ex("Подключите автоплатёж в личном кабинете.", select=["P003"]),
    ],
)
def unknown_word(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A Cyrillic word that no dictionary knows and that has no clear correction (those are
    P001's). Off by default: select ``P003`` where a team wants every unknown word shown, for
    instance to grow its ``dictionary``.

    **Why**

    An unknown word is sometimes a typo no single edit explains, sometimes the company's own
    word: a team that reviews them keeps its dictionary complete and its texts literate.

    **Example**

    «Проверьте зюквырку» → add the word to ``dictionary``, or correct it

    **Что проверяет**

    Кириллическое слово, которого нет ни в одном словаре и для которого нет явного
    исправления (вероятные опечатки отмечает другое правило). По умолчанию выключено: его
    включают, если команда хочет видеть все неизвестные слова.

    **Почему это важно**

    Неизвестное слово — либо опечатка, либо слово компании: просматривая их, команда
    пополняет свой словарь и пишет грамотно.
    """
    for u in unknown_words(doc, ctx):
        if u.suggestion is not None:
            continue
        w = u.word
        yield Hit(
            w.start,
            w.end,
            f"Неизвестное слово {quote(w.text)}: проверьте написание или добавьте его в словарь",
            f"Unknown word {quote(w.text)}: check the spelling or add it to the dictionary",
        )


# ------------------------------------------------------------------ P004


@lru_cache(maxsize=WORD_FORMS)
def _glued_not(form: str) -> str | None:
    """«незнаю» → «знаю»: an unknown word that is «не» glued to a verb form, the verb."""
    if not form.startswith("не") or len(form) < 5 or "-" in form or spelling.is_known(form):
        return None
    rest = form[2:]
    tags = morph.known_tags(rest)
    if tags and all(t.POS in ("VERB", "INFN", "GRND") for t in tags):
        return rest
    return None


_MODALS = frozenset(
    "должен должна должно должны может могут можно нужно надо необходимо следует стоит "
    "придется придётся начнет начнёт начнут будет будут хочу хотим сможет сможете смогут "
    "удастся удалось пытается попробуйте постарайтесь".split()
)


@lru_cache(maxsize=WORD_FORMS)
def _tsya_for_tsya(form: str) -> str | None:
    """«появится» after «должен» → «появиться»: a 3rd-person reflexive verb where only an
    infinitive can stand, when the infinitive exists and the form is nothing else."""
    if not form.endswith("тся"):
        return None
    inf = form[:-3] + "ться"
    if morph.foreign(form) and not morph.parses(form):  # (a Cyrillic word always has some)
        return None
    if not all(t.POS == "VERB" and "3per" in t for t in morph.known_tags(form)):
        return None
    if any(t.POS == "INFN" for t in morph.known_tags(inf)):
        return inf
    return None


@form_test
@lru_cache(maxsize=WORD_FORMS)
def _may_slip(n: str) -> int:
    """1: a word P004 may report wherever it stands (a common misspelling, «течении», «не»
    glued to a verb); 2: a «-тся» form that may want to be an infinitive after a modal; 0."""
    if n in spelling.data().misspellings or n == "течении" or (n[:2] == "не" and _glued_not(n)):
        return 1
    return 2 if n[-3:] == "тся" and _tsya_for_tsya(n) else 0


@rule(
    "P004",
    "grammar-slip",
    "warning",
    fix="unsafe",
    bad=[
        ex("Ответим ⟦в течении⟧ дня.", fixed="Ответим в течение дня."),
        ex("Деньги вернутся ⟦в течении⟧ 3 рабочих дней.", fixed="Деньги вернутся в течение 3 рабочих дней."),
        ex("Статус должен ⟦обновится⟧ через час.", fixed="Статус должен обновиться через час."),
        ex("Я ⟦незнаю⟧, когда приедет курьер.", fixed="Я не знаю, когда приедет курьер."),
        ex("⟦Вообщем⟧, заказ уже в пути.", fixed="В общем, заказ уже в пути."),
        ex("⟦Извените⟧ за ожидание.", fixed="Извините за ожидание."),
        ex("Подождите, ⟦пожалуста⟧.", fixed="Подождите, пожалуйста."),
        ex("⟦Здраствуйте⟧, чем могу помочь?", fixed="Здравствуйте, чем могу помочь?"),
        ex("⟦ЗДРАСТВУЙТЕ⟧!", fixed="ЗДРАВСТВУЙТЕ!"),
    ],
    good=[
        ex("Ответим в течение дня."),
        ex("В течении болезни наступил перелом."),
        ex("Статус обновится через час."),
        ex("Статус должен обновиться через час."),
        ex("Я не знаю, когда приедет курьер."),
        ex("Ненавидеть очереди — нормально."),
        ex("В общем, заказ уже в пути."),
        ex("Извините за ожидание."),
        ex("Здравствуйте, чем могу помочь?"),
    ],
)
def grammar_slip(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    Slips a spelling dictionary alone misses: «в течении дня» for «в течение дня» (a span of
    time), «-тся» for «-ться» where only an infinitive can stand («должен обновится»), «не»
    written together with a verb («незнаю»), and misspellings so common that frequency lists
    take them for words: «вообщем», «извените», «пожалуста», «здраствуйте» and its family
    (``rules/lexicons/spelling.toml``). Each comes with its correction as an unsafe fix.

    **Why**

    These are the errors clients notice first, in the words an operator writes most often:
    a greeting with a typo spoils the whole answer.

    **Example**

    «Ответим в течении дня» → «Ответим в течение дня»

    **Что проверяет**

    Ошибки, которые не ловит словарь: «в течении дня» вместо «в течение дня», «-тся» вместо
    «-ться» там, где нужен инфинитив («должен обновится»), «не» слитно с глаголом («незнаю»),
    и частые ошибки в словах «в общем», «извините», «пожалуйста», «здравствуйте».

    **Почему это важно**

    Клиент замечает эти ошибки первыми, ведь они в самых частых словах: приветствие с ошибкой
    портит весь ответ.
    """
    slips = spelling.data().misspellings
    during = spelling.data().during_next
    vocab = doc.vocabulary
    targets = set(filter(_may_slip, notable_forms(doc)))
    if not targets:
        return  # the common case: one pass over the message's distinct words
    if _MODALS.isdisjoint(vocab):
        targets = {n for n in targets if _may_slip(n) == 1}
    words = doc.words
    text = doc.text
    for i, w in enumerate(words):
        n = w.norm
        if n not in targets or w.placeholder:
            continue
        right = slips.get(n)
        if right:
            yield _slip(w, spelling.restore_case(right, w.text))
            continue
        if n == "течении" and i > 0 and i + 1 < len(words) and words[i - 1].norm == "в":
            prev, nxt = words[i - 1], words[i + 1]
            after = text[w.end : w.end + 3].lstrip()[:1]
            if text[prev.end : w.start].isspace() and (after.isdigit() or (
                    nxt.norm in during and not text[w.end : nxt.start].strip())):
                fixed = w.text[:-1] + ("е" if w.text[-1].islower() else "Е")
                yield Hit(
                    prev.start,
                    w.end,
                    f"«{prev.text} {w.text}» о времени пишется через «е»: «{prev.text} {fixed}»",
                    f"«{prev.text} {w.text}» meaning «during» ends in «е»: «{prev.text} {fixed}»",
                    fix(w.start, w.end, fixed, safe=False, title=f"Заменить на «{fixed}»"),
                )
            continue
        verb = _glued_not(n)
        if verb is not None:
            fixed = w.text[:2] + " " + w.text[2:]
            yield Hit(
                w.start,
                w.end,
                f"«Не» с глаголом пишется раздельно: {quote(fixed)}",
                f"«Не» is written apart from a verb: {quote(fixed)}",
                fix(w.start, w.end, fixed, safe=False, title=f"Заменить на {quote(fixed)}"),
            )
            continue
        if i > 0 and n.endswith("тся") and words[i - 1].norm in _MODALS:
            inf = _tsya_for_tsya(n)
            if inf is not None:
                fixed = spelling.restore_case(inf, w.text)
                yield Hit(
                    w.start,
                    w.end,
                    f"Здесь нужен инфинитив: {quote(fixed)} (что сделать?), а не {quote(w.text)}",
                    f"An infinitive is needed here: {quote(fixed)}, not {quote(w.text)}",
                    fix(w.start, w.end, fixed, safe=False, title=f"Заменить на {quote(fixed)}"),
                )


def _slip(w: Word, right: str) -> Hit:
    return Hit(
        w.start,
        w.end,
        f"Ошибка в слове {quote(w.text)}: правильно {quote(right)}",
        f"Misspelling {quote(w.text)}: the word is {quote(right)}",
        fix(w.start, w.end, right, safe=False, title=f"Заменить на {quote(right)}"),
    )
