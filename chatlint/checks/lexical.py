"""A — the lexicon rules of address and tone, matched by lemma so that every form counts:
colloquial words (A003), profanity (A004), phrases that blame the client (A007)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .. import morph
from ..document import Document, Word, norm
from ..inflect import agree, grammemes_of
from ..phrases import Phrase, compile_phrase
from ..registry import Context, Hit, ex, rule
from ..resources import lexicon
from ._util import fix, quote

# ------------------------------------------------------------------ A003


@dataclass(frozen=True, slots=True)
class Colloquial:
    replacement: str
    parenthetical: bool


@dataclass(frozen=True, slots=True)
class ColloquialLexicon:
    forms: dict[str, tuple[Colloquial, frozenset[str]]]  # surface form → entry, grammemes
    lemmas: dict[str, Colloquial]  # lemma → entry
    lemma_keys: frozenset[str]
    form_keys: frozenset[str]


@lru_cache(maxsize=1)
def colloquial_lexicon() -> ColloquialLexicon:
    forms: dict[str, tuple[Colloquial, frozenset[str]]] = {}
    lemmas: dict[str, Colloquial] = {}
    for entry in lexicon("colloquial")["entry"]:
        c = Colloquial(entry.get("replacement", ""), bool(entry.get("parenthetical", False)))
        for form, gram in entry.get("forms", {}).items():
            forms[norm(form)] = (c, frozenset(g.strip() for g in gram.split(",") if g.strip()))
        for lemma in entry.get("lemmas", []):
            lemmas[norm(lemma)] = c
    morph.register_keys(lemmas)
    return ColloquialLexicon(forms, lemmas, frozenset(lemmas), frozenset(forms))


def _set_off(doc: Document, w: Word) -> bool:
    """Set off by commas or dashes, as a filler is: «Это, типа, бесплатно», «Короче, …»."""
    text = doc.text
    i = w.start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    j = w.end
    while j < len(text) and text[j] in " \t":
        j += 1
    before = text[i] if i >= 0 else ""
    after = text[j] if j < len(text) else ""
    return before in (",", "—", "–", "(") or after in (",", "—", "–", ")", "!")


def colloquial_words(doc: Document) -> Iterator[tuple[Word, Colloquial, frozenset[str]]]:
    """(word, entry, grammemes for the replacement) for every colloquial word of the text."""
    lex = colloquial_lexicon()
    by_form = not lex.form_keys.isdisjoint(doc.vocabulary)
    by_lemma = not lex.lemma_keys.isdisjoint(doc.lemma_set) if lex.lemma_keys else False
    if not (by_form or by_lemma):
        return
    for w in doc.words:
        if w.placeholder:
            continue
        hit = lex.forms.get(w.norm) if by_form else None
        if hit is not None:
            entry, gram = hit
        elif by_lemma:
            found = lex.lemma_keys & morph.lemmas(w.norm)
            if not found:
                continue
            lemma = min(found)
            entry, gram = lex.lemmas[lemma], grammemes_of(w.norm, lemma)
        else:
            continue
        if entry.parenthetical and not _set_off(doc, w):
            continue
        yield w, entry, gram


@rule(
    "A003",
    "colloquial-word",
    "warning",
    fix="unsafe",
    prepare=colloquial_lexicon,
    bad=[
        ex("Щас посмотрю."),
        ex("Ок, оформляю."),
        ex("Всё норм, заказ в пути."),
        ex("Вся инфа есть на сайте."),
        ex("Пришлём инфу на почту."),
        ex("Установите нашу прогу."),
        ex("Перезагрузите комп, пожалуйста."),
        ex("Это, типа, бесплатно."),
        ex("Сорри за ожидание."),
        ex("Звякну Вам завтра."),
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

# Letters and signs used to disguise a word, mapped back to the Cyrillic letter they stand for.
_SUBSTITUTE = str.maketrans(
    {
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о", "p": "р",
        "t": "т", "u": "и", "x": "х", "y": "у", "@": "а", "0": "о", "3": "з", "6": "б", "$": "с",
        "4": "ч", "ё": "е", "z": "з", "i": "и", "n": "п", "r": "г",
    }
)
_LOOSE_WORD = re.compile(r"[\w@$*]*[^\W\d_][\w@$*]*")
_DISGUISE_HINT = re.compile(r"[а-яёА-ЯЁ][@$*0-9a-zA-Z]|[@$*0-9a-zA-Z][а-яёА-ЯЁ]")


@dataclass(frozen=True, slots=True)
class ProfanityLexicon:
    root: re.Pattern[str]
    masked: re.Pattern[str]
    lemmas: frozenset[str]
    exceptions: frozenset[str]


@lru_cache(maxsize=1)
def profanity_lexicon() -> ProfanityLexicon:
    data = lexicon("profanity")
    prefixes = sorted((re.escape(p) for p in data["prefixes"]), key=len, reverse=True)
    roots = "|".join(f"(?:{r})" for r in data["roots"])
    root = re.compile(f"(?:{'|'.join(prefixes)})(?:{roots})")
    # Self-censored spellings: «х*й», «б**дь», «п***ц»: a first letter of an obscene root,
    # asterisks, and the rest.
    masked = re.compile(r"(?:х\*+[йяеюи]?|п\*+[зцд]?|бл?\*+[дт]?|е\*+[алу]?|[её]\*+)[а-я*]*")
    lemmas = frozenset(norm(w) for w in data["words"])
    exceptions = frozenset(norm(w) for w in data["exceptions"])
    return ProfanityLexicon(root, masked, lemmas, exceptions)


@lru_cache(maxsize=100_000)
def is_profane(form: str) -> bool:
    """True for an obscene or abusive word form (already lower case)."""
    lex = profanity_lexicon()
    plain = form.translate(_SUBSTITUTE)
    if plain in lex.exceptions:
        return False
    if "*" in plain:
        return lex.masked.fullmatch(plain) is not None
    if lex.root.match(plain):
        return not (morph.lemmas(plain) & lex.exceptions)
    return not lex.lemmas.isdisjoint(morph.lemmas(plain)) if plain.isalpha() else False


def mask(word: str) -> str:
    """«идиот» → «и****»: the finding's message never repeats the word."""
    return word[:1] + "*" * max(1, len(word) - 1)


def profane_spans(doc: Document) -> list[tuple[int, int, str]]:
    text = doc.text
    spans = [(w.start, w.end, w.text) for w in doc.words if not w.placeholder and is_profane(w.norm)]
    if _DISGUISE_HINT.search(text):
        # Disguised words («пиzдец», «х*йня», «3@ебал») are split by razdel: scan them whole.
        plain = {(w.start, w.end) for w in doc.words}
        for m in _LOOSE_WORD.finditer(text):
            s, e = m.span()
            if (s, e) in plain or doc.in_opaque(s, e):
                continue
            if is_profane(m.group().lower()):
                spans = [x for x in spans if not (s <= x[0] and x[1] <= e)]  # the whole word wins
                spans.append((s, e, m.group()))
        spans.sort()
    return spans


@rule(
    "A004",
    "profanity",
    "error",
    bad=[
        ex("Да идите вы на хуй."),
        ex("Охуеть, опять эта ошибка."),
        ex("Не надо меня заебывать."),
        ex("Вы что, идиот?"),
        ex("Какие же дебилы это писали."),
        ex("Х*йня какая-то с этим заказом."),
        ex("Ну и пиzдец."),
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
    """
    for s, e, t in profane_spans(doc):
        yield Hit(
            s,
            e,
            f"Недопустимое слово «{mask(t)}»: в переписке с клиентом — только нейтральная лексика",
            f"Obscene or abusive word «{mask(t)}»: keep to neutral words with clients",
        )


# ------------------------------------------------------------------ A007


@lru_cache(maxsize=1)
def blaming_phrases() -> tuple[Phrase, ...]:
    data = lexicon("blaming")
    return tuple(compile_phrase(p, data.get("gap", 0)) for p in data["patterns"])


@lru_cache(maxsize=1)
def _blaming_not_after() -> frozenset[str]:
    return frozenset(norm(w) for w in lexicon("blaming").get("not_after", []))


def phrase_hits(doc: Document, phrases: tuple[Phrase, ...]) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of phrase matches, sentence by sentence."""
    candidates = [p for p in phrases if p.possible_in(doc.lemma_set)]
    if not candidates:
        return
    words = doc.words
    for s in doc.sentences:
        taken = -1
        for p in candidates:
            for i, j in p.finditer(words, s.first_word, s.last_word):
                if i <= taken:
                    continue
                taken = j - 1
                yield words[i].start, words[j - 1].end


@rule(
    "A007",
    "blaming-phrase",
    "warning",
    prepare=lambda: (blaming_phrases(), _blaming_not_after()),
    bad=[
        ex("Вы не поняли, заказ уже отправлен."),
        ex("Вы, видимо, не поняли мой ответ."),
        ex("Вы должны были проверить адрес."),
        ex("Я же сказала, что доставка завтра."),
        ex("Читайте внимательнее условия акции."),
        ex("Это не наша проблема."),
        ex("Как я уже писал, возврат через 10 дней."),
    ],
    good=[
        ex("Правильно ли я Вас понимаю, что заказ не пришёл?"),
        ex("Если Вы не поняли что-то в инструкции, я помогу."),
        ex("Я сказала курьеру, что доставка завтра."),
        ex("Внимательно проверим Ваш заказ."),
        ex("Решим Вашу проблему сегодня."),
    ],
)
def blaming_phrase(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    Phrases that blame or lecture the client: «Вы не поняли», «Вы должны были», «я же
    сказала», «читайте внимательнее», «это не наша проблема», «как я уже писал», matched
    by lemma in every form and with a word allowed in between («Вы, видимо, не поняли»). The
    list is ``rules/lexicons/blaming.toml``.

    **Why**

    The operator leads the conversation and takes the misunderstanding on themselves: a
    clarifying question («Правильно ли я Вас понимаю, что…») keeps the client; a reproach
    loses them.

    **Example**

    «Вы не поняли» → «Возможно, я неточно объяснила: …»
    """
    not_after = _blaming_not_after()
    for s, e in phrase_hits(doc, blaming_phrases()):
        i, _ = doc.word_range(s, e)
        if i > 0 and doc.words[i - 1].norm in not_after:
            continue  # «Если Вы не поняли…»: an offer, not a reproach
        phrase = doc.text[s:e]
        yield Hit(
            s,
            e,
            f"Фраза {quote(phrase)} перекладывает вину на клиента: уточните вопрос, а не упрекайте",
            f"{quote(phrase)} blames the client: ask a clarifying question instead",
        )
