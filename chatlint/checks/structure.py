"""S — structure: the five rules of writing in a chat (paragraphs, blank lines, lists,
parentheses, the «Итого:» summary) and sentence length."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache

from .. import morph
from ..acts import acts, is_farewell_only, opens_with_greeting
from ..caches import WORD_FORMS
from ..compiled import regex
from ..document import Block, Document
from ..inflect import count
from ..layout import ends_thought
from ..registry import Context, Field, Hit, Params, ex, fix, quote, rule
from ..resources import word_set

# ------------------------------------------------------------------ S001


class ParagraphParams(Params):
    max_sentences: int = Field(ge=1, le=1000)
    """The most sentences a paragraph may hold (per channel: ``rules/profiles/``)."""


@rule(
    "S001",
    "paragraph-too-long",
    "warning",
    params=ParagraphParams,
    bad=[
        ex("Заказ собран. Курьер заберёт его сегодня. Доставка займёт два дня. ⟦Трек-номер придёт по СМС.⟧"),
        ex("Раз. Два. Три. ⟦Четыре.⟧", rules={"S001": {"max_sentences": 3}}),
    ],
    good=[
        ex("Заказ собран. Курьер заберёт его сегодня. Доставка займёт два дня.\n\nТрек-номер придёт по СМС."),
        ex("Раз. Два. Три. Четыре.", rules={"S001": {"max_sentences": 4}}),
        ex("Стоимость 1 500 руб. (в т. ч. НДС). Доставка бесплатно."),
    ],
)
def paragraph_too_long(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A prose paragraph of more than ``max_sentences`` sentences (each channel's profile sets
    it), counted with razdel. Paragraphs come from the layout (``chatlint/layout.py``): lists, headings, links,
    code and quotes are not prose, a line break that S002 reports ends a paragraph, and a
    lead-in («Как это сделать:») before a list counts as the list's title, not a sentence. The
    span starts at the first sentence too many.

    **Why**

    Every new thought starts a new paragraph, and a paragraph holds at most three
    sentences: a chat window is narrow, and a wall of text is skimmed, not read.

    **Example**

    four sentences in a row → the fourth moves to a paragraph of its own

    **Что проверяет**

    Абзац текста длиннее трёх предложений (в письме — четырёх); списки, заголовки,
    ссылки, код и цитаты не считаются, а вводная строка с двоеточием перед списком — заголовок
    списка, а не предложение.

    **Почему это важно**

    Одна мысль — один абзац, не длиннее трёх предложений: окно чата узкое, и сплошной текст
    клиент пробегает глазами, не вчитываясь.
    """
    limit = ctx.params.max_sentences
    blocks = doc.blocks
    for k, b in enumerate(blocks):
        if b.kind != "paragraph":
            continue
        sents = b.sentences
        n = len(sents)
        if n > limit and _leads_into_list(doc, blocks, k):
            n -= 1  # «Как это сделать:» before a list is the list's title, not a sentence of its own
        if n > limit:
            yield Hit(
                sents[limit].start,
                b.end,
                f"Абзац из {count(n, 'предложение', 'gent')}: в абзаце не больше {limit}",
                f"A paragraph of {n} sentences: at most {limit} per paragraph",
            )


def _leads_into_list(doc: Document, blocks: list[Block], k: int) -> bool:
    """Block ``k`` ends with a lead-in («…нужно:») and a list follows it."""
    b = blocks[k]
    if not doc.text[b.start : b.end].rstrip("*_ ").endswith(":"):
        return False
    return k + 1 < len(blocks) and blocks[k + 1].is_list and blocks[k + 1].chunk - b.chunk <= 1


# ------------------------------------------------------------------ S002



@rule(
    "S002",
    "paragraphs-not-separated",
    "warning",
    channels=("chat", "messenger", "social"),
    fix="safe",
    bad=[
        ex("Заказ уже в пути.⟦\n⟧Курьер позвонит за час до доставки.", fixed="Заказ уже в пути.\n\nКурьер позвонит за час до доставки."),
        ex("Здравствуйте!⟦\r\n⟧Заказ уже в пути.", fixed="Здравствуйте!\r\n\r\nЗаказ уже в пути."),
    ],
    good=[
        ex("Заказ уже в пути.\n\nКурьер позвонит за час до доставки."),
        ex("Выберите способ доставки:\n- курьер;\n- самовывоз."),
        ex("Заказ уже в пути, курьер\nпозвонит за час до доставки."),  # a wrapped line
    ],
)
def paragraphs_not_separated(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    Two prose paragraphs separated by a single line break instead of a blank line: the first
    ends a thought («.», «!», «?», «…», a smiley) and the next starts a new one. Read from
    the layout, so list lines (with or without markers: shortcuts, settings, steps one per
    line), «ключ: значение» lines, a heading and its content, a link on its own line, quotes
    and code are exempt, and so is a line that merely wraps a sentence. Reported: the break
    between a list and the prose after it, and — in chat, messenger and social channels — the
    break after a greeting line («Здравствуйте!⏎Заказ…»): the greeting is a paragraph of its
    own there. The rule is off in e-mail, where «Здравствуйте,⏎» on its own line is how a
    letter starts.

    **Why**

    A blank line between paragraphs lets the client see where one thought ends and the
    next begins; without it the paragraphs merge into one block.

    **Example**

    «Заказ в пути.⏎Курьер позвонит.» → «Заказ в пути.⏎⏎Курьер позвонит.»

    **Что проверяет**

    Два абзаца текста разделены одним переводом строки вместо пустой строки; строки списков (в том
    числе без маркеров), «ключ: значение», заголовки, ссылки, цитаты, код и перенос внутри
    предложения не в счёт, а строка приветствия и текст после списка — в счёт.

    **Почему это важно**

    Пустая строка показывает клиенту, где кончается одна мысль и начинается другая; без неё
    абзацы сливаются в один блок.
    """
    text = doc.text
    lines = doc.lines
    blocks = doc.blocks
    for k in range(1, len(blocks)):
        a, b = blocks[k - 1], blocks[k]
        if a.chunk != b.chunk:
            continue
        if b.kind != "paragraph":
            # only the greeting line stands apart from whatever follows it («Здравствуйте!⏎
            # Откройте приложение.⏎Нажмите…»)
            if not (k == 1 and b.kind in ("list", "plainlist", "heading") and a.kind in ("paragraph", "heading")
                    and _greeting_line(doc, a)):
                continue
        elif _signature_tail(doc, blocks, k):
            continue  # «Хорошего дня!⏎Анна»: the name under the closing
        if a.kind == "paragraph":
            # prose after prose: only where the first one ends a thought («…в пути.⏎Курьер…»),
            # or is the greeting line that opens the message («Здравствуйте⏎Заказ…»)
            if not ends_thought(doc, a.end) and not (k == 1 and _greeting_line(doc, a)):
                continue
        elif a.is_list:
            if text[b.start : b.end].rstrip("*_ ").endswith(":"):
                continue  # a lead-in after a list opens the next list, as its title
        elif not (k == 1 and a.kind == "heading" and _greeting_line(doc, a)):
            continue  # a heading, a link, a quote or code before the text: not two paragraphs
        prev = lines[a.lines[-1]]
        yield Hit(
            prev.end,
            prev.break_end,
            "Абзацы разделены одним переводом строки: поставьте между ними пустую строку",
            "Paragraphs separated by a single line break: put a blank line between them",
            fix(prev.end, prev.end, text[prev.end : prev.break_end], title="Вставить пустую строку"),
        )


def _signature_tail(doc: Document, blocks: list[Block], k: int) -> bool:
    """Block ``k`` and the rest are a short signature under a closing line: a name, a role,
    a company («Хорошего дня!⏎Анна», «С уважением,⏎Анна, служба поддержки»)."""
    rest = blocks[k:]
    if len(rest) > 3 or any(b.kind != "paragraph" or len(doc.words_in(b.start, b.end)) > 6 for b in rest):
        return False
    if any(ends_thought(doc, b.end) for b in rest):
        return False
    a = blocks[k - 1]
    return is_farewell_only(doc, a.start, a.end)


def _greeting_line(doc: Document, b: Block) -> bool:
    """The message's first line is a greeting and little else («Добрый день!», «Здравствуйте,»)."""
    return len(doc.words_in(b.start, b.end)) <= 4 and opens_with_greeting(doc)


# ------------------------------------------------------------------ S003


class EnumerationParams(Params):
    min_items: int = Field(3, ge=2, le=100)
    """How many inline items make an enumeration that should be a list."""
    max_item_words: int = Field(6, ge=1, le=1000)
    """Items after a colon longer than this are clauses, not an enumeration."""


_ORDINALS = regex(
    r"[вВ](?<![\w-][вВ])(?:о-первых|о-вторых|-третьих|-четв[её]ртых|-пятых|-шестых|-седьмых)(?![\w-])",
    re.IGNORECASE,
)
_INLINE_MARKER = regex(r"(?<!\S)(?:\d{1,2}|[а-яёa-z])\)(?=\s)", re.IGNORECASE)
_ITEM_SPLIT = regex(r"\s*[,;]\s*|\s+(?:и|или|а также)\s+", re.IGNORECASE)
_TIME_COLON = regex(r"\d:\d")
_INLINE_NUMBER = regex(r"(?<![\w.,])(\d{1,2})\.(?=\s+\w)")
_SEMICOLON = regex(r"\s*;\s*")
_SUBORDINATORS = frozenset({"что", "чтобы", "если", "когда", "потому", "так", "хотя"})


@rule(
    "S003",
    "enumeration-not-list",
    "info",
    params=EnumerationParams,
    bad=[
        ex("Доступны цвета:⟦ красный, синий, зелёный и белый.⟧"),
        ex("⟦Во-первых, проверьте адрес, во-вторых, телефон, в-третьих⟧, время доставки."),
        ex("Есть три варианта ⟦1) курьер 2) постамат 3) самовывоз.⟧"),
    ],
    good=[
        ex("Доступны цвета:\n- красный;\n- синий;\n- зелёный."),
        ex("Время работы: с 9:00 до 18:00, без выходных."),
        ex("Уточните, пожалуйста: Вы оформляли заказ, оплатили его и получили чек?"),
        ex("Во-первых, это бесплатно."),
    ],
)
def enumeration_not_list(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    An inline enumeration of ``min_items`` (3 by default) or more items that should be a
    bulleted list: short items after a colon, «во-первых… во-вторых… в-третьих…»,
    «1) … 2) … 3)» or «1. … 2. … 3.» inside a line, or short parts separated by «;». An item
    with a verb of its own, a link or more than ``max_item_words`` words makes a clause, not
    an enumeration («Уточню: заказ, как правило, приходит за два дня»). Questions and the
    «Итого:» summary are exempt.

    **Why**

    As soon as an answer lists goods, features, pros or cons, it becomes a bulleted list:
    the client scans a list at a glance, but has to untangle a sentence.

    **Example**

    «Доступны цвета: красный, синий, зелёный.» → «Доступны цвета:⏎- красный;⏎- синий;⏎- зелёный.»

    **Что проверяет**

    Перечисление из трёх и более пунктов внутри предложения, которое
    стоит оформить маркированным списком: короткие пункты после двоеточия, «во-первых…
    во-вторых…» или «1) … 2) … 3)».

    **Почему это важно**

    Перечень товаров, характеристик, плюсов или минусов оформляют маркированным списком: список
    клиент охватывает одним взглядом, а перечисление внутри предложения приходится распутывать.
    """
    p: EnumerationParams = ctx.params
    text = doc.text
    if ":" not in text and ";" not in text and ")" not in text and "1." not in text and "-" not in text:
        return  # no colon, «;», inline number or «во-первых»: nothing to look at
    blocks = summary_blocks(doc)
    summaries = {doc.blocks[k].start for k in blocks} if blocks else ()
    find = text.find
    for b in doc.paragraphs:
        if b.start in summaries:
            continue
        start, end = b.start, b.end
        # what each kind of enumeration needs, looked up in place: most paragraphs have none
        dash = find("-", start, end) >= 0
        colon = find(":", start, end) >= 0
        semicolons = text.count(";", start, end) >= p.min_items - 1
        if not (dash or colon or semicolons or find(")", start, end) >= 0 or find("1.", start, end) >= 0):
            continue
        seg = text[start:end]
        # (each «во-первых» holds one «-»: fewer dashes than items, fewer ordinals)
        ords = list(_ORDINALS.finditer(seg)) if dash and seg.count("-") >= p.min_items else []
        if len(ords) >= p.min_items:
            yield _enumeration_hit(b.start + ords[0].start(), b.start + ords[-1].end(), len(ords))
            continue
        # (fewer «)» than items and no «1.»: at most one «)»-marker short of a list, no numbers)
        marks = _inline_markers(seg) if seg.count(")") >= p.min_items or "1." in seg else ()
        if len(marks) >= p.min_items:
            yield _enumeration_hit(b.start + marks[0], b.end, len(marks))
            continue
        if semicolons:
            body = seg.rstrip(".!…; ")
            if _items_ok(doc, b.start, body, _SEMICOLON, p):
                yield _enumeration_hit(b.start, b.end, len([it for it in _SEMICOLON.split(body) if it.strip()]))
                continue
        if not colon:
            continue
        for s in b.sentences:
            if find(":", s.start, s.end) < 0:
                continue  # no colon, no items after one
            n = _enumeration_items(doc, s, p)
            if n:
                yield _enumeration_hit(n[0], s.end, n[1])
                break


def _inline_markers(seg: str) -> list[int]:
    """Offsets of «1)», «2)», «3)» or «1.», «2.», «3.» numbering items inside a line, in order."""
    out: list[int] = []
    if ")" in seg:
        out = [m.start() for m in _INLINE_MARKER.finditer(seg)]
    if len(out) < 2:
        out = []
        if "1." not in seg:
            return out  # an inline numbered list starts at «1.»
        expect = 1
        for m in _INLINE_NUMBER.finditer(seg):
            if int(m.group(1)) == expect:
                out.append(m.start())
                expect += 1
    return out


def _enumeration_items(doc: Document, s, p: EnumerationParams) -> tuple[int, int] | None:
    """(start, count) of an enumeration inside sentence ``s``: short items after a colon."""
    text = doc.text
    sent = text[s.start : s.end]
    if sent.rstrip().endswith("?"):
        return None
    # the first few colons only: each try splits the rest of the sentence, so trying every
    # colon of «:):):)…» would take the square of its length (a sentence has one or two);
    # a colon of a time («9:00») or a link («https://») opens nothing
    tries = 0
    colon = sent.find(":")
    while colon >= 0 and tries < 4:
        if not (_TIME_COLON.match(sent, max(0, colon - 1)) or sent[colon + 1 : colon + 3] == "//"):
            tries += 1
            body = sent[colon + 1 :].strip().rstrip(".!…;")
            if _items_ok(doc, s.start + colon + 1, body, _ITEM_SPLIT, p):
                return s.start + colon + 1, len([it for it in _ITEM_SPLIT.split(body) if it.strip()])
        colon = sent.find(":", colon + 1)
    return None


def _items_ok(doc: Document, offset: int, body: str, splitter: re.Pattern[str], p: EnumerationParams) -> bool:
    """Every item is short, holds no link and no verb of its own: a list of things, not clauses
    («Уточню: заказ, как правило, приходит за два дня» is one clause)."""
    parts = splitter.split(body)
    if len(parts) < p.min_items:
        return False  # too few separators for as many items
    items = [it for it in parts if it.strip()]
    if len(items) < p.min_items or any(len(it.split()) > p.max_item_words for it in items):
        return False
    if any(ch.isdigit() for ch in body):
        return False  # an address, company details, a schedule: data in a line, not a list of things
    start = doc.text.find(body, offset)
    if start >= 0 and doc.in_opaque(start, start + len(body)):
        return False
    return not any(_clause_word(w.norm) for w in doc.words_in(start, start + len(body))) if start >= 0 else False


@lru_cache(maxsize=WORD_FORMS)
def _clause_word(word: str) -> bool:
    """A finite verb, an imperative, a gerund or a predicative makes an item a clause."""
    test = _clause_tag if word not in _SUBORDINATORS else _subordinator_tag
    if morph.no_reading(word, test):
        return False  # no reading of it is one: which one is the most probable does not matter
    ps = morph.parses(word)
    return bool(ps) and test(ps[0].tag)


def _clause_tag(tag) -> bool:
    return tag.POS in ("VERB", "GRND", "PRED")


def _subordinator_tag(tag) -> bool:
    return tag.POS in ("VERB", "GRND", "PRED", "CONJ")


def _enumeration_hit(start: int, end: int, n: int) -> Hit:
    return Hit(
        start,
        end,
        f"Перечисление из {count(n, 'пункт', 'gent')} в строку: оформите его маркированным списком",
        f"An inline enumeration of {n} items: make it a bulleted list",
    )


# ------------------------------------------------------------------ S004


_ARITHMETIC = regex(r"[\d\s.,+\-*/×÷=()%−–—^]*\d[\d\s.,+\-*/×÷=()%−–—^]*;?")


def _arithmetic(doc: Document, it) -> bool:
    """A «list item» that is a line of arithmetic: an operator for a marker, then only
    numbers and operators («+ 2 = 10», «- 5 + 3», «* 3»)."""
    return it.marker.strip() in ("+", "-", "*", "×", "−", "–", "—", "/") and _ARITHMETIC.fullmatch(
        doc.text, it.content_start, it.end
    ) is not None



@rule(
    "S004",
    "list-marker",
    "warning",
    fix="safe",
    bad=[
        ex("Что нужно:\n⟦*⟧ паспорт;\n⟦*⟧ заявление.", fixed="Что нужно:\n- паспорт;\n- заявление."),
        ex("Что нужно:\n⟦•⟧ паспорт;\n⟦•⟧ заявление.", fixed="Что нужно:\n- паспорт;\n- заявление."),
        ex("Что нужно:\n⟦—⟧ паспорт;\n⟦—⟧ заявление.", fixed="Что нужно:\n- паспорт;\n- заявление."),
        ex("Что нужно:\n- паспорт;\n⟦1.⟧ заявление.", fixed="Что нужно:\n- паспорт;\n- заявление."),
        ex("Что нужно:\n⟦✅⟧ паспорт;\n⟦✅⟧ заявление.", fixed="Что нужно:\n- паспорт;\n- заявление."),
        ex("Горячие клавиши плеера:\n⟦Пробел — пауза\nF — полный экран\nM — без звука⟧", fixed="Горячие клавиши плеера:\nПробел — пауза\nF — полный экран\nM — без звука"),
        ex("Настройки по умолчанию:\n\n⟦Качество: авто\nСубтитры: выкл\nСкорость: 1x⟧", fixed="Настройки по умолчанию:\n\nКачество: авто\nСубтитры: выкл\nСкорость: 1x"),
        ex("Чтобы сменить пароль:\n⟦Откройте профиль\nНажмите «Безопасность»\nВведите новый пароль⟧", fixed="Чтобы сменить пароль:\nОткройте профиль\nНажмите «Безопасность»\nВведите новый пароль"),
    ],
    good=[
        ex("Что нужно:\n- паспорт;\n- заявление."),
        ex("Заказ собран.\nКурьер позвонит за час.\nОплата при получении."),
        ex("Уточните, пожалуйста:\nномер заказа и телефон."),
        ex("Что нужно:\n1. паспорт;\n2. заявление."),
        ex("Что нужно:\nа) паспорт;\nб) заявление."),
        ex("Наши контакты:\nТелефон: 8 800 555-35-35\nПочта: help@example.ru\nСайт: example.ru"),
    ],
)
def list_marker(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A list line that starts with a marker other than «-», a letter or a digit («*», «•»,
    «·», «—», «–», «+», «►», emoji bullets), a list that mixes marker kinds, or a list of
    three or more lines written without any markers (shortcuts, settings, steps one per
    line): one finding for the whole list, without a fix (steps want numbers, options «-»).

    **Why**

    Every item of a bulleted list starts with «-», a letter or a digit: these markers look
    the same in every chat window and every font, while bullets and emoji may not.

    **Example**

    «• паспорт» → «- паспорт»

    **Что проверяет**

    Строка списка начинается не с «-», буквы или цифры («*», «•», «—», «+», эмодзи), в одном
    списке смешаны разные маркеры, или список из трёх и более строк написан вовсе без маркеров.

    **Почему это важно**

    Дефис, буква или цифра в начале пункта одинаково выглядят в любом окне чата и любом шрифте,
    а значки и эмодзи могут отобразиться иначе или не отобразиться вовсе.
    """
    for b in doc.blocks:
        if b.kind == "plainlist":
            if len(b.items) >= _MIN_PLAIN_ITEMS and not _contact_block(doc, b):
                yield _plain_list_hit(b)
            continue
        if b.kind != "list":
            continue
        kinds = [it.marker_kind if it.marker_kind != "other" else "dash" for it in b.items]
        main = kinds[0]
        for it, kind in zip(b.items, kinds, strict=True):
            if _arithmetic(doc, it):
                continue  # «+ 2 = 10», «* 3»: an operator, not a marker; «-» would change the sum
            if it.marker_kind == "other":
                yield Hit(
                    it.marker_start,
                    it.marker_end,
                    f"Маркер списка {quote(it.marker)}: пункты начинают с «-», буквы или цифры",
                    f"List marker {quote(it.marker)}: start items with «-», a letter or a digit",
                    fix(it.marker_start, it.marker_end, "-", title="Заменить маркер на «-»"),
                )
            elif kind != main:
                f = fix(it.marker_start, it.marker_end, "-", title="Заменить маркер на «-»") if main == "dash" else None
                yield Hit(
                    it.marker_start,
                    it.marker_end,
                    f"Маркер {quote(it.marker)} не такой, как у первого пункта: в одном списке один вид маркеров",
                    f"Marker {quote(it.marker)} differs from the first item's: one kind of marker per list",
                    f,
                )


# The labels of a contact or requisites block («Телефон: …», «Почта: …», «ИНН: …»).
_CONTACT_KEYS = frozenset(
    "телефон тел моб мобильный факс почта e-mail email mail эл сайт адрес whatsapp telegram "
    "viber skype vk вконтакте телеграм ватсап вотсап график режим часы время инн кпп огрн огрнип "
    "бик банк счет р/с к/с рс кс окпо контакты менеджер отдел офис склад пункт юридический "
    "фактический почтовый".split()
)
# A phone number or an e-mail address on a line of its own (a link is not a contact: a list
# of links after a lead-in is a list).
_CONTACT_VALUE = regex(r"\+?\d[\d ()‑-]{6,}\d|[\w.+-]+@[\w-]+\.\w")


def _contact_block(doc: Document, b: Block) -> bool:
    """A block of contacts or requisites, one per line («Телефон: 8 800 …», «Почта: …»,
    «Сайт: …»): it is laid out as it should be, with no markers."""
    text = doc.text
    for it in b.items:
        line = text[it.content_start : it.end]
        key = re.split(r"[:—–]", line, maxsplit=1)[0].strip().lower()
        first = key.split()[0].strip(".") if key.split() else ""
        if first not in _CONTACT_KEYS and not _CONTACT_VALUE.search(line):
            return False
    return True


# A list written without markers is reported from this many lines on: two lines after a
# lead-in may as well be two sentences.
_MIN_PLAIN_ITEMS = 3


def _plain_list_hit(b: Block) -> Hit:
    # No fix: the lines were told to be a list by their shape, and only a person can say
    # whether «-» or numbers suit them (steps are numbered, options are not).
    n = len(b.items)
    return Hit(
        b.start,
        b.end,
        f"Список из {count(n, 'пункт', 'gent')} без маркеров: начните каждый пункт с «-», буквы или цифры",
        f"A list of {n} items without markers: start each item with «-», a letter or a digit",
    )


# ------------------------------------------------------------------ S005

# An item ending in an abbreviation keeps its period: «… и т. д.;»
_ABBREV_END = regex(
    r"(?:^|[\s.])(?:д|п|др|пр|г|гг|ул|руб|коп|тыс|млн|млрд|шт|мин|сек|ч|кв|стр|см|т\.?\s?е|т\.?\s?к)\.$"
)


@rule(
    "S005",
    "list-item-punctuation",
    "info",
    fix="safe",
    bad=[
        ex("Что нужно:\n- паспор⟦т⟧\n- заявление.", fixed="Что нужно:\n- паспорт;\n- заявление."),
        ex("Что нужно:\n- паспорт⟦,⟧\n- заявление;", fixed="Что нужно:\n- паспорт;\n- заявление;"),
        ex("Что нужно:\n- паспорт⟦.⟧\n- заявление.", fixed="Что нужно:\n- паспорт;\n- заявление."),
        ex("Что нужно:\n- паспорт;\n- заявлени⟦е⟧", fixed="Что нужно:\n- паспорт;\n- заявление."),
    ],
    good=[
        ex("Что нужно:\n- паспорт;\n- заявление."),
        ex("Что нужно:\n- паспорт;\n- заявление;"),
        ex("Что нужно:\n- паспорт, СНИЛС и т. д.;\n- заявление (любой формы)"),
        ex("Нельзя публиковать:\n- Чужой контент. Например, чужую музыку.\n- Рекламу казино. Даже в описании.\n- Спам."),
    ],
)
def list_item_punctuation(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A list item that does not end with «;». The last item may end with «;» or «.» (or with
    a closing parenthesis, after which no period is placed). An item of several sentences
    ends as a sentence does, with «.», and is left alone.

    **Why**

    Each item of a list ends with a semicolon, so that the list reads as one structured
    sentence and the client sees where each item ends.

    **Example**

    «- паспорт⏎- заявление» → «- паспорт;⏎- заявление.»

    **Что проверяет**

    Пункт списка не заканчивается точкой с запятой (последний пункт может заканчиваться «;» или
    «.»); пункт из нескольких предложений заканчивается точкой, как предложение.

    **Почему это важно**

    Точка с запятой после каждого пункта связывает список в одно предложение и показывает
    клиенту, где заканчивается каждый пункт.
    """
    text = doc.text
    for b in doc.blocks:
        if b.kind != "list":
            continue
        n = len(b.items)
        for k, it in enumerate(b.items):
            if it.end <= it.content_start:
                continue
            last = k == n - 1
            ch = text[it.end - 1]
            if ch == ";" or (last and ch in ".)"):
                continue
            if ch in ":!?…" or ch in "»\"" or not (ch.isalnum() or ch in ",.)"):
                continue  # a heading item, an exclamation, a quote, a smiley: leave it be
            if _sentences_in(b, it.content_start, it.end) > 1:
                continue  # an item of several sentences ends as a sentence does, with «.»
            want = "." if last else ";"
            item_text = text[it.content_start : it.end]
            if ch == "," or (ch == "." and not _ABBREV_END.search(item_text)):
                f = fix(it.end - 1, it.end, want, title=f"Заменить на «{want}»")
            else:
                f = fix(it.end, it.end, want, title=f"Поставить «{want}»")
            yield Hit(
                it.end - 1,
                it.end,
                "Пункт списка должен заканчиваться «;»" + (" (последний — «;» или «.»)" if last else ""),
                "A list item ends with «;»" + (" (the last one with «;» or «.»)" if last else ""),
                f,
            )


def _sentences_in(b: Block, start: int, end: int) -> int:
    """How many of block ``b``'s sentences (in text order) start in [start, end)."""
    lo = bisect_left(b.sentences, start, key=lambda st: st.start)
    hi = bisect_left(b.sentences, end, key=lambda st: st.start)
    return hi - lo


# ------------------------------------------------------------------ S006


@rule(
    "S006",
    "period-after-parenthesis",
    "info",
    fix="unsafe",
    bad=[
        ex("Заказ приедет завтра (курьер позвонит заранее)⟦.⟧", fixed="Заказ приедет завтра (курьер позвонит заранее)"),
        ex("Оплата картой (онлайн)⟦.⟧ Доставка бесплатная.", fixed="Оплата картой (онлайн) Доставка бесплатная."),
        ex("Подробности ( https://example.ru/delivery )⟦.⟧", fixed="Подробности ( https://example.ru/delivery )"),
    ],
    good=[
        ex("Заказ приедет завтра (курьер позвонит заранее)"),
        ex("Спасибо :). Ждём Вас."),
        ex("Заказ приедет завтра (или послезавтра)..."),
        ex("Откройте [инструкцию](https://example.ru/help/return). Доставка бесплатная."),
    ],
)
def period_after_parenthesis(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A period right after the closing parenthesis of a parenthetical remark.

    **Why**

    Opinions and side information go in parentheses, and after the parentheses no period
    is placed: the remark closes the thought by itself.

    **Example**

    «…завтра (курьер позвонит заранее).» → «…завтра (курьер позвонит заранее)»

    **Что проверяет**

    Точка сразу после закрывающей скобки пояснения.

    **Почему это важно**

    Пояснения и личное мнение оператор выносит в скобки, а закрывающая скобка сама завершает
    мысль — точка после неё лишняя.
    """
    text = doc.text
    n = len(text)
    for _open, close in doc.paren_pairs:
        i = close + 1
        if i < n and text[i] == "." and (i + 1 >= n or text[i + 1] != "."):
            yield Hit(
                i,
                i + 1,
                "Точка после скобок не ставится",
                "No period after a closing parenthesis",
                # unsafe: where a sentence goes on after it («(онлайн). Доставка…»), removing
                # the period glues two sentences together; the operator decides
                fix(i, i + 1, "", safe=False, title="Удалить точку"),
            )


# ------------------------------------------------------------------ S007–S009: the summary


def _summary_label(doc: Document, b: Block, labels: frozenset[str]) -> bool:
    """True when block ``b`` opens with «Итого:», «Резюме:» or «Суть:»."""
    i, j = doc.word_range(b.start, b.end)
    if i >= j:
        return False
    w = doc.words[i]
    if w.start != b.start or w.norm not in labels:
        return False
    return doc.text[w.end : w.end + 2].lstrip(" ")[:1] == ":"


def summary_blocks(doc: Document) -> list[int]:
    """Indices of the blocks that open with a summary label (computed once per document)."""
    return doc.memo(summary_blocks, _summary_blocks)


def _summary_blocks(doc: Document) -> list[int]:
    labels = word_set("etiquette", "summary", "labels")
    if labels.isdisjoint(doc.vocabulary):
        return []  # no «итого», «резюме» or «суть» anywhere: most messages
    words = doc.words
    out = []
    for k, b in enumerate(doc.blocks):
        if b.kind != "paragraph":
            continue
        i, j = doc.word_range(b.start, b.end)
        if i < j and words[i].norm in labels and _summary_label(doc, b, labels):
            out.append(k)
    return out


def _content_chunks(doc: Document, need: int) -> bool:
    """At least ``need`` blank-line-separated chunks of the answer itself: not counting code,
    quotations, a greeting-only first chunk, a farewell-only chunk, nor the signature after
    the closing («С уважением,⏎⏎Служба поддержки⏎⏎ООО «Ромашка»»). The speech acts are
    asked only when the count is in doubt (a chunk of more than 15 words always counts)."""
    kinds = _chunk_kinds(doc)
    sizes = []
    for k, (s, e) in enumerate(doc.chunks):
        if not kinds[k] <= _NOT_TEXT:  # code, a quotation of the client, a signature: not paragraphs
            i, j = doc.word_range(s, e)
            sizes.append((k, s, e, j - i))
    if len(sizes) < need:
        return False
    if sum(1 for *_, n in sizes if n > 15) >= need:
        return True
    n = 0
    signed = False
    left = len(sizes)
    for k, s, e, words in sizes:
        if n + left < need:
            return False  # too few chunks left to count, whatever they are
        left -= 1
        short = words <= 15
        if short and k == 0 and opens_with_greeting(doc):
            continue
        if short and (is_farewell_only(doc, s, e) or _thanks_only(doc, s, e)):
            signed = signed or k > 0
            continue
        if signed and words <= _SIGNATURE_WORDS:
            continue  # a name, a position, a company or a phone under the closing
        signed = False
        n += 1
        if n >= need:
            return True  # the rest cannot take a chunk back
    return False


_NOT_TEXT = frozenset({"code", "quote", "signature"})


def _chunk_kinds(doc: Document) -> list[set[str]]:
    out: list[set[str]] = [set() for _ in doc.chunks]
    for b in doc.blocks:
        out[b.chunk].add(b.kind)
    return out


def _prose_chars(doc: Document) -> int:
    """The length of the answer itself: code, quotations and the signature aside."""
    return sum(b.end - b.start for b in doc.blocks if b.kind not in _NOT_TEXT)


def _thanks_only(doc: Document, start: int, end: int) -> bool:
    """A short chunk that only thanks («Спасибо за обращение!»): a closing, not content."""
    i, j = doc.word_range(start, end)
    if j - i > 6:
        return False
    return any(start <= a.start < end for a in acts(doc, "thanks"))


# The most words of a chunk of a signature under a closing formula.
_SIGNATURE_WORDS = 6


class SummaryParams(Params):
    min_paragraphs: int = Field(3, ge=1, le=1000)
    """A message of this many paragraphs (greeting and farewell aside) needs a summary."""
    min_chars: int = Field(600, ge=1, le=10_000_000)
    """So does a message longer than this many characters."""


_LONG = (
    "Заказ №123 собран и передан в службу доставки.\n\n"
    "Курьер позвонит за час до приезда.\n\n"
    "Оплатить можно картой или наличными при получении."
)


@rule(
    "S007",
    "summary-missing",
    "info",
    params=SummaryParams,
    bad=[ex("Заказ №123 собран и передан в службу доставки.\n\nКурьер позвонит за час до приезда.\n\n⟦Оплатить можно картой или наличными при получении.⟧"), ex("Здравствуйте!\n\nЗаказ №123 собран и передан в службу доставки.\n\nКурьер позвонит за час до приезда.\n\nОплатить можно картой или наличными при получении.\n\n⟦Всего доброго!⟧")],
    good=[
        ex(_LONG + "\n\nИтого: заказ приедет завтра, оплата при получении."),
        ex("Здравствуйте!\n\nЗаказ собран.\n\nВсего доброго!"),
        ex(_LONG, rules={"S007": {"min_paragraphs": 4}}),
    ],
)
def summary_missing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A message of ``min_paragraphs`` (3) or more paragraphs, not counting a greeting-only
    first and a farewell-only last one, or longer than ``min_chars`` (600) characters, has
    no summary paragraph starting with «Итого:», «Резюме:» or «Суть:».

    **Why**

    A long answer ends with «Итого:» and the gist in one or two sentences: it is the part
    the client is sure to read, and it makes the whole answer land.

    **Example**

    three paragraphs of details → the same, then «Итого: заказ приедет завтра.»

    **Что проверяет**

    В сообщении из трёх и более абзацев или длиннее 600
    символов нет итогового абзаца, начинающегося с «Итого:», «Резюме:» или «Суть:».

    **Почему это важно**

    Длинный ответ завершают «Итого:» и суть в одном-двух предложениях: эту часть клиент прочтёт
    наверняка, и благодаря ей до него дойдёт весь ответ.
    """
    p: SummaryParams = ctx.params
    # (the blocks never overlap: a text no longer than min_chars has no more prose than that)
    long_text = len(doc.text) > p.min_chars and _prose_chars(doc) > p.min_chars
    if not long_text and len(doc.chunks) < p.min_paragraphs:
        return
    if summary_blocks(doc):
        return
    if not long_text and not _content_chunks(doc, p.min_paragraphs):
        return
    if not doc.chunks:
        return
    s, e = doc.chunks[-1]
    yield Hit(
        s,
        e,
        "Длинный ответ без резюме: добавьте в конце абзац «Итого: …» из одного-двух предложений",
        "A long answer without a summary: end it with «Итого: …» in one or two sentences",
    )


class SummaryLengthParams(Params):
    max_sentences: int = Field(2, ge=1, le=1000)
    """The most sentences a summary may hold."""


@rule(
    "S008",
    "summary-too-long",
    "info",
    params=SummaryLengthParams,
    bad=[ex("Итого: заказ собран. Он приедет завтра. ⟦Оплата при получении.⟧")],
    good=[ex("Итого: заказ приедет завтра. Оплата при получении.")],
)
def summary_too_long(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    The summary paragraph («Итого:», «Резюме:», «Суть:») has more than ``max_sentences``
    (2 by default) sentences.

    **Why**

    The summary states the gist briefly: one sentence, two at most. A long summary is just
    another paragraph.

    **Example**

    «Итого: заказ собран. Он приедет завтра. Оплата при получении.» → «Итого: заказ приедет
    завтра, оплата при получении.»

    **Что проверяет**

    Итоговый абзац («Итого:», «Резюме:», «Суть:») длиннее двух
    предложений.

    **Почему это важно**

    Итог — это суть в одном-двух предложениях; длинный итог превращается в ещё один абзац,
    который клиент пропустит.
    """
    limit = ctx.params.max_sentences
    for k in summary_blocks(doc):
        b = doc.blocks[k]
        if len(b.sentences) > limit:
            yield Hit(
                b.sentences[limit].start,
                b.end,
                f"Резюме из {count(len(b.sentences), 'предложение', 'gent')}: изложите суть в одном-двух",
                f"A summary of {len(b.sentences)} sentences: give the gist in one or two",
            )


@rule(
    "S009",
    "summary-not-last",
    "info",
    bad=[ex("⟦Итого: заказ приедет завтра.⟧\n\nКурьер позвонит за час.")],
    good=[
        ex("Курьер позвонит за час.\n\nИтого: заказ приедет завтра."),
        ex("Курьер позвонит за час.\n\nИтого: заказ приедет завтра.\n\nВсего доброго, будут еще вопросы - обращайтесь!"),
    ],
)
def summary_not_last(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A summary paragraph that is followed by anything but a farewell.

    **Why**

    The summary is written at the end: what comes last is what the client remembers, and
    only the farewell may follow it.

    **Example**

    «Итого: …⏎⏎Курьер позвонит.» → «Курьер позвонит.⏎⏎Итого: …»

    **Что проверяет**

    После итогового абзаца идёт что-то кроме прощания.

    **Почему это важно**

    Итог пишут в самом конце: клиент лучше всего запоминает последнее, и после итога уместно
    только прощание.
    """
    blocks = doc.blocks
    for k in summary_blocks(doc):
        rest = blocks[k + 1 :]
        if rest and not all(is_farewell_only(doc, b.start, b.end) for b in rest):
            b = blocks[k]
            yield Hit(
                b.start,
                b.end,
                "После резюме идёт текст: «Итого» ставят в конце, за ним может быть только прощание",
                "Text follows the summary: «Итого» comes last, followed only by a farewell",
            )
            return


# ------------------------------------------------------------------ S010


class SentenceParams(Params):
    max_words: int = Field(35, ge=1, le=10_000)
    """The most words a sentence may hold."""


@rule(
    "S010",
    "sentence-too-long",
    "info",
    params=SentenceParams,
    bad=[
        ex(
            "⟦Мы проверили Ваш заказ и выяснили, что он был передан в службу доставки вчера вечером, но из-за высокой загрузки склада и праздничных дней курьер сможет привезти его только в четверг или пятницу, при этом точное время доставки он сообщит Вам по телефону заранее.⟧"
        ),
    ],
    good=[
        ex("Мы проверили Ваш заказ. Курьер привезёт его в четверг и заранее позвонит."),
        ex("Раз два три четыре пять.", rules={"S010": {"max_words": 5}}),
    ],
)
def sentence_too_long(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A sentence of more than ``max_words`` (35 by default) words.

    **Why**

    The client reads the chat on the go, often on a phone: a long sentence is hard to
    follow. Split it, or turn its parts into a list.

    **Example**

    one sentence of 40 words → two or three short sentences

    **Что проверяет**

    Предложение длиннее 35 слов.

    **Почему это важно**

    Клиент часто читает чат на ходу, с телефона, и за длинным предложением ему трудно уследить.
    Разбейте его на несколько или оформите части списком.
    """
    limit = ctx.params.max_words
    for s in doc.sentences:
        n = s.last_word - s.first_word
        if n > limit:
            yield Hit(
                s.start,
                s.end,
                f"Предложение из {count(n, 'слово', 'gent')}: не больше {limit}, разбейте его",
                f"A sentence of {n} words: at most {limit}, split it",
            )
