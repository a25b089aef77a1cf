"""E — smileys and emoji: «:)» and «:(» only, no bracket smileys, emoji where the channel allows."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache

from ..compiled import regex
from ..document import Document, Smiley
from ..lexicon import phrase_hits
from ..phrases import Phrase, compile_phrase, first_match
from ..registry import Context, Field, Hit, Params, ex, fix, quote, rule
from ..resources import lexicon

_NOSE = regex(r"(?<=[:;=8BxXхХ%*])['’]?-")
_SAD = set("(/\\|")


def canonical(emoticon: str) -> str:
    """«:-)))» → «:)», «;-)» → «;)»: drop the nose and repeated mouths."""
    t = _NOSE.sub("", emoticon)
    if len(t) > 2 and t[-1] in ")(" and t[1:] == t[-1] * (len(t) - 1):
        t = t[:2]
    return t


def polarity(emoticon: str) -> str | None:
    """"+" for a smile, "-" for a sad face, None when unclear (a tongue, a kiss, a smirk)."""
    t = canonical(emoticon)
    last = t[-1]
    if last == ")" or last in "DДd" or t in ("^_^", "^^", "^.^"):
        return "+"
    if last in "(" or t.endswith("'("):
        return "-"
    if last in _SAD:
        return "-"
    return None


_ALLOWED: dict[int, tuple[object, frozenset[str]]] = {}


def _allowed(settings) -> frozenset[str]:
    """The allowed smileys in their canonical form, once per settings object (kept by
    identity, as hashing the settings costs more than building the set; bounded)."""
    got = _ALLOWED.get(id(settings))
    if got is not None and got[0] is settings:
        return got[1]
    value = frozenset(canonical(s) for s in settings.allowed_smileys)
    if len(_ALLOWED) >= 64:
        _ALLOWED.clear()
    _ALLOWED[id(settings)] = (settings, value)
    return value


@rule(
    "E001",
    "smiley-not-allowed",
    "warning",
    fix="unsafe",
    bad=[
        ex("Скидка уже действует ⟦;)⟧", fixed="Скидка уже действует :)"),
        ex("Отлично, всё получилось ⟦:D⟧", fixed="Отлично, всё получилось :)"),
        ex("Ждём Вас в магазине ⟦=)⟧", fixed="Ждём Вас в магазине :)"),
        ex("Заказ оформлен ⟦^_^⟧", fixed="Заказ оформлен :)"),
        ex("Ой, извините ⟦%)⟧", fixed="Ой, извините :)"),
        ex("Держите промокод ⟦:P⟧", fixed="Держите промокод :P"),
    ],
    good=[
        ex("Скидка уже действует :)"),
        ex("Очень жаль, что так вышло :("),
        ex("Отлично :-)"),
        ex("Время работы: 9:00–18:00 (по Москве)"),
        ex("Скидка 50%) на второй товар", ),
        ex("Подробнее: https://example.ru/a;)b"),
        ex("Скидка уже действует ;)", allowed_smileys=[":)", ";)"]),
    ],
)
def smiley_not_allowed(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A text emoticon outside the allowed set (by default «:)» and «:(», with «:-)» and «:-(»
    as variants): «;)», «%)», «*)», «:D», «xD», «:P», «=)», «^_^», «:*», «8)»…

    **Why**

    A smile belongs in a sales conversation, and «:(» lets the operator sympathise; every
    other smiley is rare and reads as informal, so it is better left out.

    **Example**

    «Скидка уже действует ;)» → «Скидка уже действует :)»

    **Что проверяет**

    Текстовый смайлик вне разрешённого набора (по умолчанию «:)» и «:(», а также «:-)» и «:-(»):
    «;)», «%)», «:D», «xD», «:P», «^_^» и т. п.

    **Почему это важно**

    Улыбка «:)» к месту в разговоре о покупке, а «:(» помогает выразить сочувствие; прочие
    смайлики встречаются редко и звучат несерьёзно, поэтому без них лучше обойтись.
    """
    emoticons = doc.emoticons
    if not emoticons:
        return
    allowed = _allowed(ctx.settings)
    for sm in emoticons:
        c = canonical(sm.text)
        if c in allowed:
            continue
        pol = polarity(sm.text)
        target = ":)" if pol == "+" else ":(" if pol == "-" else None
        f = None
        if target is not None and target in allowed:
            f = fix(sm.start, sm.end, target, safe=False, title=f"Заменить на «{target}»")
        yield Hit(
            sm.start,
            sm.end,
            f"Смайл {quote(sm.text)} не принят в переписке с клиентом: допустимы только {_listing(allowed)}",
            f"The smiley {quote(sm.text)} is not used with clients: only {_listing(allowed)} are",
            f,
        )


def _listing(allowed: frozenset[str]) -> str:
    return ", ".join(f"«{a}»" for a in sorted(allowed)) or "никакие"


@rule(
    "E002",
    "bracket-smiley",
    "warning",
    fix="unsafe",
    bad=[
        ex("Спасибо⟦)))⟧", fixed="Спасибо :)"),
        ex("Хорошо⟦)⟧", fixed="Хорошо :)"),
        ex("Очень жаль⟦((⟧", fixed="Очень жаль :("),
        ex("Всё готово (см. письмо)⟦))⟧", fixed="Всё готово (см. письмо) :)"),
    ],
    good=[
        ex("Доставка бесплатная (при заказе от 1000 ₽)"),
        ex("Варианты: 1) курьер; 2) самовывоз."),
        ex("а) оплатить картой;\nб) оплатить при получении."),
        ex("Подробности ((в письме) и в личном кабинете)"),
        ex("Спасибо :)"),
    ],
)
def bracket_smiley(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A Russian bracket smiley: a run of «)» or «(» that closes or opens no parenthesis
    («Спасибо)))», «Хорошо)», «Жаль((»). Genuine parentheses, «1)» and «а)» markers are
    never taken for smileys.

    **Why**

    Only «:)» and «:(» are accepted in the operator's chat style; a bare bracket looks like
    a typo or like chatting with a friend.

    **Example**

    «Спасибо)))» → «Спасибо :)»

    **Что проверяет**

    «Скобочный» смайлик: скобки «)» или «(», которые ничего не открывают и не закрывают
    («Спасибо)))», «Хорошо)», «Жаль((»); настоящие скобки и маркеры «1)», «а)» не в счёт.

    **Почему это важно**

    В деловом чате оператору допустимы только «:)» и «:(»; одинокая скобка похожа на опечатку
    или на переписку с приятелем.
    """
    allowed = _allowed(ctx.settings)
    text = doc.text
    for sm in doc.bracket_smileys:
        target = ":)" if sm.text[0] == ")" else ":("
        f = None
        if target in allowed:
            prev = text[sm.start - 1] if sm.start > 0 else " "
            repl = target if prev.isspace() else " " + target
            f = fix(sm.start, sm.end, repl, safe=False, title=f"Заменить на «{target}»")
        yield Hit(
            sm.start,
            sm.end,
            f"Скобка вместо смайла {quote(sm.text)}: используйте «{target}»",
            f"A bracket used as a smiley {quote(sm.text)}: write «{target}»",
            f,
        )


@rule(
    "E003",
    "emoji-not-allowed",
    "warning",
    channels=("chat", "email", "messenger", "social"),
    fix="unsafe",
    bad=[
        ex("Заказ уже в пути ⟦🚚⟧", fixed="Заказ уже в пути"),
        ex("Спасибо ⟦👍🏽⟧", fixed="Спасибо"),
        ex("Хорошего дня ⟦👨\u200d👩\u200d👧⟧", fixed="Хорошего дня"),
        ex("Готово ⟦✅⟧", channel="email", fixed="Готово"),
        ex("Ура, заказ доставлен ⟦🎉🎉🎉⟧", fixed="Ура, заказ доставлен"),
        ex("Спасибо ⟦🙏⟧👍 ⟦🎉⟧", allowed_emoji=["👍"], fixed="Спасибо👍"),
    ],
    good=[
        ex("Заказ уже в пути :)"),
        ex("Выполните `echo 🚚` в консоли"),
        ex("Заказ уже в пути 🚚", channel="messenger"),
        ex("Спасибо 👍", channel="social"),
        ex("Спасибо 👍", allowed_emoji=["👍"]),
        ex("Цена 100 ₽, товар № 5 © «Ромашка»"),
    ],
)
def emoji_not_allowed(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A Unicode emoji in a chat or an e-mail (a ZWJ sequence, a flag or a skin-toned emoji
    counts as one; a run of adjacent emoji, «🎉🎉🎉», is one finding). Messenger and
    social-network channels allow emoji; ``allowed_emoji`` lists the ones a project accepts
    everywhere.

    **Why**

    Messengers and social networks are informal channels where emoji are part of the
    language; the site chat and e-mail keep the official style, where a text smile is the
    most an operator uses.

    **Example**

    «Заказ уже в пути 🚚» → «Заказ уже в пути»

    **Что проверяет**

    Эмодзи в чате на сайте или в письме (составной эмодзи, флаг или эмодзи с оттенком кожи
    считаются за один); в мессенджерах и соцсетях эмодзи разрешены, а список допустимых везде
    задаётся в настройках.

    **Почему это важно**

    В мессенджерах и соцсетях эмодзи — часть привычного неформального языка, а чат на сайте и
    электронная почта сохраняют официальный стиль, где оператор позволяет себе самое большее
    текстовую улыбку.
    """
    allowed = ctx.settings.allowed_emoji
    text = doc.text
    for start, end, shown in _disallowed_emoji(doc, allowed):
        s = start
        while s > 0 and text[s - 1] in " \t":
            s -= 1
        if len(shown) == 1:
            ru = f"Эмодзи {shown[0]} не принято в этом канале: в чате и письме обходятся без них"
            en = f"The emoji {shown[0]} is not used in this channel"
        else:
            more = "…" if len(shown) > _SHOWN else ""
            ru = f"Эмодзи {''.join(shown[:_SHOWN])}{more} не приняты в этом канале: в чате и письме обходятся без них"
            en = f"The emoji {''.join(shown[:_SHOWN])}{more} are not used in this channel"
        yield Hit(start, end, ru, en, fix(s, end, "", safe=False, title="Удалить эмодзи"))


_SHOWN = 5  # emoji quoted in a finding about a run of them


def _disallowed_emoji(doc: Document, allowed) -> Iterator[tuple[int, int, list[str]]]:
    """Maximal runs of adjacent emoji the channel does not allow, as (start, end, the first
    few of them): «🎉🎉🎉» is one finding with one fix, and a text of a million emoji costs
    one pass over its characters, not a million findings."""
    text = doc.text
    cur: list | None = None  # [start, end, shown]

    def add(a: int, b: int, shown: str):
        nonlocal cur
        if cur is not None and cur[1] == a:
            cur[1] = b
            if len(cur[2]) <= _SHOWN:
                cur[2].append(shown)
            return None
        done, cur = cur, [a, b, [shown]]
        return done

    for part in doc.emoji_parts:
        if isinstance(part, Smiley):
            if part.text in allowed or part.text.replace("\ufe0f", "") in allowed:
                continue
            done = add(part.start, part.end, part.text)
            if done:
                yield tuple(done)
            continue
        a, b = part  # one emoji per character
        if not allowed:
            done = add(a, b, text[a])
            if done:
                yield tuple(done)
            if b - a > 1 and len(cur[2]) <= _SHOWN:
                cur[2].extend(text[a + 1 : min(b, a + _SHOWN + 1)])
            continue
        for k in range(a, b):
            if text[k] not in allowed:
                done = add(k, k + 1, text[k])
                if done:
                    yield tuple(done)
    if cur is not None:
        yield tuple(cur)


class SmileyCountParams(Params):
    max_per_message: int = Field(ge=0, le=1000)
    """How many smileys and emoji a message that delivers bad news may carry."""
    max_in_a_row: int = Field(2, ge=1, le=1000)
    """How many smileys and emoji may stand side by side (more is a stack: «:) :) :)», «😊😊»)."""


@rule(
    "E005",
    "too-many-smileys",
    "info",
    params=SmileyCountParams,
    bad=[
        ex("Заказ готов, ждём Вас ⟦:) :) :)⟧"),
        ex("Спасибо! Всё получилось ⟦😊😊😊⟧"),
        ex("К сожалению, заказ задерживается :( Курьер в пробке :( Приедет к вечеру ⟦:(⟧"),
    ],
    good=[
        ex("Здравствуйте :) Заказ готов, ждём Вас :)"),
        ex("Спасибо! Всё получилось 😊👍"),
        # seed 001: «:)» as often as it fits — a few fitting smileys in a friendly message
        ex("Здравствуйте :) Заказ готов :) Ждём Вас :)"),
        ex("Добрый день! 🙂 Подарок упакован 🎁 Курьер будет в 15:00 👍", channel="messenger"),
        ex("К сожалению, заказ задерживается :( Курьер в пробке :(", rules={"E005": {"max_per_message": 2}}),
    ],
)
def too_many_smileys(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    Smileys and emoji stacked side by side («:) :) :)», «😊😊😊»: more than ``max_in_a_row``
    with nothing but spaces between them), and, in a message that delivers bad news (the
    markers of E004: «к сожалению», «задержка», «не можем»…), more than ``max_per_message``
    smileys and emoji (set per channel). A few fitting smileys spread over a friendly message
    are fine.

    **Why**

    Seed 001 encourages the smiley «:)» as often as it fits the context: a friendly message
    with a smile after each good piece of news is what it asks for. What reads as careless is
    a stack of smileys in one place, and a message of bad news dotted with them (one «:(» of
    sympathy is enough).

    **Example**

    «Заказ готов, ждём Вас :) :) :)» → «Заказ готов, ждём Вас :)»

    **Что проверяет**

    Смайлы и эмодзи, стоящие подряд («:) :) :)», «😊😊😊»: больше двух без слов между
    ними), а в сообщении с плохой новостью («к сожалению», «задержка», «не можем»…) — больше
    допустимого числа смайлов и эмодзи (в чате — двух). Несколько уместных
    смайликов в дружелюбном сообщении — норма.

    **Почему это важно**

    Памятка (seed 001) советует улыбаться смайлом «:)» так часто, как это уместно: дружелюбное
    сообщение с улыбкой после каждой хорошей новости — то, что нужно. Небрежно выглядят стопка
    смайлов в одном месте и сообщение с плохой новостью, усыпанное ими: для сочувствия
    достаточно одного «:(».
    """
    count = doc.smiley_count
    if count < 2:
        return
    p = ctx.params
    for start, end, n in _stacks(doc):
        if n > p.max_in_a_row:
            yield Hit(
                start,
                end,
                f"Смайлы подряд ({n}): достаточно одного",
                f"{n} smileys in a row: one is enough",
            )
    if count > p.max_per_message and _bad_news(doc):
        extra = doc.first_smileys(p.max_per_message + 1)[p.max_per_message]
        yield Hit(
            extra.start,
            doc.last_smiley().end,
            f"Слишком много смайлов в сообщении с плохой новостью ({count}): допустимо не больше {p.max_per_message}",
            f"Too many smileys in a message of bad news ({count}): at most {p.max_per_message}",
        )


def _stacks(doc: Document) -> Iterator[tuple[int, int, int]]:
    """Runs of smileys and emoji with only spaces between them, as (start, end, how many)."""
    items = [(s.start, s.end, 1) for s in doc.emoticons]
    items += [(s.start, s.end, 1) for s in doc.bracket_smileys]
    items += [(p.start, p.end, 1) if isinstance(p, Smiley) else (p[0], p[1], p[1] - p[0]) for p in doc.emoji_parts]
    items.sort()
    text = doc.text
    run: list[int] | None = None
    for s, e, n in items:
        if run is not None and s >= run[1] and not text[run[1] : s].strip():
            run[1], run[2] = e, run[2] + n
            continue
        if run is not None:
            yield run[0], run[1], run[2]
        run = [s, e, n]
    if run is not None:
        yield run[0], run[1], run[2]


def _bad_news(doc: Document) -> bool:
    return doc.memo("bad-news", lambda d: next(iter(phrase_hits(d, negative_phrases())), None) is not None)


# ------------------------------------------------------------------ E004


@lru_cache(maxsize=1)
def negative_phrases() -> tuple[Phrase, ...]:
    data = lexicon("negative")
    return tuple(compile_phrase(p, data.get("gap", 0)) for p in data["patterns"])


@lru_cache(maxsize=1)
def resolved_phrases() -> tuple[Phrase, ...]:
    return tuple(compile_phrase(p) for p in lexicon("negative").get("resolved", []))


def _resolved(words, start: int, stop: int) -> bool:
    m = first_match(resolved_phrases(), words, start, stop)
    if m is None:
        return False
    return not any(w.norm == "не" for w in words[max(start, m[0] - 2) : m[0]])


@lru_cache(maxsize=1)
def positive_emoji() -> frozenset[str]:
    return frozenset(e.replace("\ufe0f", "") for e in lexicon("negative")["positive_emoji"])


def _smiles(sm: Smiley) -> bool:
    if sm.kind == "emoticon":
        return polarity(sm.text) == "+"
    if sm.kind == "bracket":
        return sm.text[0] == ")"
    return sm.text.replace("\ufe0f", "") in positive_emoji()


@rule(
    "E004",
    "smiley-in-negative-context",
    "warning",
    supersedes=("E001", "E002", "E003"),  # beside bad news a smiley goes, whatever its kind
    fix="unsafe",
    bad=[
        ex("К сожалению, заказ задерживается ⟦:)⟧", fixed="К сожалению, заказ задерживается :("),
        ex("Извините, мы не можем вернуть деньги ⟦:)⟧", fixed="Извините, мы не можем вернуть деньги :("),
        ex("Произошла ошибка при оплате ⟦🙂⟧", fixed="Произошла ошибка при оплате :("),
        ex("В возврате отказано. ⟦:)⟧", fixed="В возврате отказано. :("),
        ex("Приносим извинения за задержку⟦)))⟧", fixed="Приносим извинения за задержку :("),
        ex("К сожалению, заказ задерживается ⟦;)⟧", fixed="К сожалению, заказ задерживается :("),
    ],
    good=[
        ex("Заказ уже в пути :)"),
        ex("К сожалению, заказ задерживается :("),
        ex("К сожалению, заказ задерживается.\n\nЗато промокод уже у Вас :)"),
        ex("Ошибку исправили, всё работает :)"),
    ],
)
def smiley_in_negative_context(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A smile («:)», a bracket smiley, a smiling emoji) in a sentence that apologises or
    delivers bad news: «к сожалению», «извините», «не можем», «отказ», «ошибка»,
    «задержка»… (any form; the markers are ``rules/lexicons/negative.toml``). A smiley that
    starts a sentence belongs to the one before it.

    **Why**

    The smile is for moments where it fits the context; with bad news it reads as mockery.
    The sad «:(» is the one that lets the operator sympathise.

    **Example**

    «К сожалению, заказ задерживается :)» → «К сожалению, заказ задерживается :(»

    **Что проверяет**

    Улыбка («:)», скобочный смайлик или улыбающийся эмодзи) в предложении с извинением или
    плохой новостью: «к сожалению», «извините», «не можем», «отказ», «ошибка», «задержка»…

    **Почему это важно**

    Улыбка хороша там, где она к месту; рядом с плохой новостью она выглядит как насмешка.
    Посочувствовать клиенту можно грустным «:(».
    """
    if not doc.smiley_count:
        return
    negative = negative_phrases()  # first: compiling them may register lemmas the lemma set must hold
    lemma_set = doc.lemma_set
    phrases = [p for p in negative if p.possible_in(lemma_set)]
    if not phrases:
        return
    smiles = [sm for sm in doc.smileys if _smiles(sm)]
    sad = ":(" in _allowed(ctx.settings)
    sentences = doc.sentences
    starts = [s.start for s in sentences]
    words = doc.words
    for sm in smiles:
        k = bisect_right(starts, sm.start) - 1
        if k < 0:
            continue
        span = [sentences[k]]
        if k > 0 and (sentences[k].first_word >= len(words) or words[sentences[k].first_word].start > sm.start):
            span.insert(0, sentences[k - 1])  # «…задерживается. :)»: the smiley closes the previous one
        if not any(first_match(phrases, words, s.first_word, s.last_word) for s in span):
            continue
        if any(_resolved(words, s.first_word, s.last_word) for s in span):
            continue  # «Ошибку исправили :)»: the bad news is over
        # «задержку)))» → «задержку :(»: a bracket smiley glued to the word gets its space
        glued = sm.start > 0 and not doc.text[sm.start - 1].isspace()
        yield Hit(
            sm.start,
            sm.end,
            f"Смайл {quote(sm.text)} рядом с извинением или плохой новостью: уберите его или замените на «:(»",
            f"The smiley {quote(sm.text)} next to an apology or bad news: drop it or use «:(»",
            fix(sm.start, sm.end, " :(" if glued else ":(", safe=False, title="Заменить на «:(»") if sad else None,
        )
