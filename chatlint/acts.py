"""The speech-act layer: how an operator greets, introduces themselves, offers help, holds,
apologises, thanks, offers a call, says goodbye, replies automatically, blames the client or
sends them elsewhere — recognised once per Document, for every rule that needs it.

Each act is a recogniser over lemmas and grammatical features (the linear phrase matcher of
:mod:`chatlint.phrases`), configured as data in ``rules/lexicons/`` (``etiquette.toml``,
``dialogue.toml``, ``blaming.toml``): a section per act with

- ``patterns``: phrases that make the act («всего доброго|хорошего», «~проверить:1per»);
- ``alone``: phrases that make the act only as a sentence of their own («Обращайтесь!»);
- ``not``: negative context: a match that overlaps one of these is not the act
  («здорово что…» is no greeting, «не извиняйтесь» no apology);
- ``opening = true``: the act opens its sentence (after a name set off by a comma, or
  «и», «ещё раз», «снова»: «Анна, добрый день!», «И Вам здравствуйте!»);
- ``inserts = true``: up to two words of ``[inserted] words`` may stand between any two
  elements of a pattern («Всего Вам самого доброго!», «Отличного Вам вечера!», «Спасибо,
  Иван, за обращение» — the client's name too).

:func:`acts` gives the :class:`Act` values of one kind with their span and their parts (the
name of an introduction, the return date of an auto-reply), memoised per Document
(``doc.memo``): each kind is computed once, only when a rule asks for it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from . import morph
from .compiled import regex
from .document import Document, Word
from .lexicon import phrase_hits
from .phrases import Phrase, compile_phrase
from .resources import lexicon, word_set

# Where each act's vocabulary lives: (lexicon file, section).
KINDS: dict[str, tuple[str, str]] = {
    "greeting": ("etiquette", "greeting"),
    "informal_greeting": ("etiquette", "informal_greeting"),
    "introduction": ("etiquette", "introduction"),
    "offer_of_help": ("etiquette", "offer_of_help"),
    "thanks": ("etiquette", "thanks"),
    "farewell": ("etiquette", "farewell"),
    "informal_farewell": ("etiquette", "informal_farewell"),
    "holding": ("dialogue", "holding"),
    "apology": ("dialogue", "apology"),
    "phone_offer": ("dialogue", "phone"),
    "autoreply": ("dialogue", "autoreply"),
    "redirect": ("dialogue", "redirect"),
    "transfer": ("dialogue", "transfer"),
    "blaming": ("blaming", "blaming"),
}


@dataclass(frozen=True, slots=True)
class Act:
    """One speech act in a message: its kind, its span, and named parts (offsets into the
    text): ``name`` for an introduction, ``date`` for an auto-reply's return date."""

    kind: str
    start: int
    end: int
    parts: tuple[tuple[str, int, int], ...] = ()

    def part(self, name: str) -> tuple[int, int] | None:
        for n, s, e in self.parts:
            if n == name:
                return s, e
        return None


# ------------------------------------------------------------------ the recogniser


@dataclass(frozen=True, slots=True)
class Recogniser:
    patterns: tuple[Phrase, ...]
    alone: tuple[Phrase, ...]
    negative: tuple[Phrase, ...]
    opening: bool
    keys: frozenset[str]  # a message without any of these words or lemmas has no such act

    def possible_in(self, forms_and_lemmas: frozenset[str]) -> bool:
        return not self.keys.isdisjoint(forms_and_lemmas)


def _selective_need(p: Phrase) -> frozenset[str]:
    """The need of a phrase whose shortest word is longest: short words («вы», «не», «я») are
    in most messages, «передать» is not. Every match of the phrase has one of its words."""
    return max(p.needs, key=lambda n: (min(map(len, n)), -len(n)))


def _keys(phrases: tuple[Phrase, ...]) -> frozenset[str]:
    """The words and lemmas a message needs one of to match some phrase: each phrase's most
    selective need (a message with «вы» and «быть» in it but no «передать» has no transfer);
    a phrase with no need makes any message a candidate (empty set: never reject)."""
    out: set[str] = set()
    for p in phrases:
        if not p.needs:
            return frozenset()
        out |= _selective_need(p)
    return frozenset(out)


@lru_cache(maxsize=1)
def inserted_words() -> frozenset[str]:
    return word_set("etiquette", "inserted", "words")


@lru_cache(maxsize=1)
def _filler() -> str:
    return "|".join(sorted(inserted_words())) + "?"


def _with_inserts(source: str) -> str:
    """The pattern with up to two optional inserted words between its elements."""
    parts = source.split()
    fill = _filler()
    out = [parts[0]]
    for p in parts[1:]:
        out += [fill, fill, p]
    return " ".join(out)


def _required_head(source: str) -> str:
    parts = source.split()
    k = 0
    while k < len(parts) - 1 and parts[k].endswith("?") and len(parts[k]) > 1:
        k += 1
    return " ".join(parts[k:])


@lru_cache(maxsize=32)
def recogniser(kind: str) -> Recogniser:
    name, section = KINDS[kind]
    data = lexicon(name)[section]
    gap = data.get("gap", 0)
    inserts = bool(data.get("inserts", False))

    def comp(sources: list[str]) -> tuple[Phrase, ...]:
        # a leading optional element only widens the span: leave it out, so that the match
        # can start at a required word (the matcher skips positions whose head cannot match)
        sources = [_required_head(p) for p in sources]
        return tuple(compile_phrase(_with_inserts(p) if inserts else p, gap) for p in sources)

    patterns, alone = comp(data.get("patterns", [])), comp(data.get("alone", []))
    keys = _keys(patterns + alone)
    return Recogniser(
        patterns,
        alone,
        tuple(compile_phrase(p, gap) for p in data.get("not", [])),
        bool(data.get("opening", False)),
        keys if keys else frozenset(),
    )


def acts(doc: Document, kind: str) -> list[Act]:
    """The acts of one kind in ``doc``, left to right (computed once per document)."""
    key = _ACT_KEYS.get(kind) or ("act", kind)
    memo = doc._memo  # Document.memo without its lambda: the acts are asked for very often
    found = memo.get(key)
    if found is None:
        found = memo[key] = _ACT_FINDERS.get(kind, _generic)(doc, kind)
    return found


_ACT_KEYS = {kind: ("act", kind) for kind in KINDS}


def first_act(doc: Document, kind: str) -> Act | None:
    found = acts(doc, kind)
    return found[0] if found else None


def has_act(doc: Document, kind: str) -> bool:
    return bool(acts(doc, kind))


# How far into its sentence an opening act may start: «Анна Сергеевна, ещё раз здравствуйте».
_OPENING_WINDOW = 5


def _spans(
    doc: Document, phrases: tuple[Phrase, ...], opening: bool = False, lemma_set: frozenset[str] | None = None
) -> list[tuple[int, int]]:
    """Every match of every phrase, sentence by sentence, as (start, end) offsets; the caller
    keeps the leftmost of overlapping ones. An ``opening`` act is only tried near the start
    of each sentence.

    A phrase is tried only where a word can start it (``Phrase.start_keys`` looked up in the
    document's index of forms and lemmas), so the cost follows the words that matter, not
    words × phrases. Within a sentence the matches of one phrase are its leftmost-longest
    non-overlapping ones, as ``Phrase.finditer`` gives."""
    if not phrases:
        return []
    if lemma_set is None:
        lemma_set = doc.lemma_set
    plan = _start_plan(phrases)
    # the phrases the message has every needed word of: looked up by each phrase's most
    # selective need (its longest words: «понять», not «вы»), then checked whole
    hits = plan.keys & lemma_set
    if not hits and not plan.always:
        return []  # the common case: none of the phrases' selective words
    found = set(plan.always)
    by_key = plan.by_key
    for key in hits:
        found.update(by_key[key])
    # the phrases whose every need is met; the word index only for them («добрый» is in most
    # messages, the «денёчка» of «добрый денёчка» is not: no index for that)
    found = [k for k in found if phrases[k].possible_in(lemma_set)]
    if not found:
        return []
    index, sentence_of = _word_index(doc)
    words = doc.words
    sentences = doc.sentences
    out: set[tuple[int, int]] = set()
    for k in found:
        p = phrases[k]
        keys = p.start_keys
        if keys is None and p.anchor is not None:
            # «<name> на связи»: a match starts a few words before an «на»
            anchor, low, high = p.anchor
            at = [v for key in anchor if (v := index.get(key)) is not None]
            if not at:
                continue
            starts = sorted({
                i - o
                for v in at
                for i in ((v,) if v.__class__ is int else v)
                for o in range(low, high + 1)
                if i >= o
            })
        elif keys is None:
            starts = [i for i in range(len(words)) if sentence_of[i] >= 0]
        else:
            lists = [index[key] for key in keys & lemma_set if key in index]  # (index keys: in lemma_set)
            if not lists:
                continue
            if len(lists) == 1:
                starts = lists[0]
                if starts.__class__ is int:
                    starts = (starts,)
            else:
                starts = sorted({i for v in lists for i in ((v,) if v.__class__ is int else v)})
        cursor = -1  # end of the last match, within the current sentence
        current = -1
        for i in starts:
            n = sentence_of[i]
            if n < 0:
                continue
            s = sentences[n]
            if n != current:
                current, cursor = n, -1
            if i < cursor or (opening and i - s.first_word >= _OPENING_WINDOW):
                continue
            j = p.match_at(words, i, s.last_word)
            if j is not None:
                out.add((words[i].start, words[j - 1].end))
                if not opening:
                    cursor = j
    return sorted(out)


@dataclass(frozen=True, slots=True)
class _StartPlan:
    """A tuple of phrases indexed by the most selective of the words each one needs."""

    phrases: tuple[Phrase, ...]
    keys: frozenset[str]
    by_key: dict[str, list[int]]  # a needed form or lemma → indices of the phrases needing it
    always: tuple[int, ...]  # phrases that need no particular word


_START_PLANS: dict[int, _StartPlan] = {}


def _start_plan(phrases: tuple[Phrase, ...]) -> _StartPlan:
    """The index of a phrase tuple, built once (lexicon tuples live as long as the process;
    the cache is keyed by identity and bounded). Each phrase is filed under the need whose
    shortest word is longest: short words («вы», «не», «я») are in most messages, so a
    phrase filed under them would be looked at in most messages."""
    plan = _START_PLANS.get(id(phrases))
    if plan is not None and plan.phrases is phrases:
        return plan
    by_key: dict[str, list[int]] = {}
    always = []
    for k, p in enumerate(phrases):
        if not p.needs:
            always.append(k)
            continue
        for key in _selective_need(p):
            by_key.setdefault(key, []).append(k)
    if len(_START_PLANS) > 256:
        _START_PLANS.clear()
    plan = _START_PLANS[id(phrases)] = _StartPlan(phrases, frozenset(by_key), by_key, tuple(always))
    return plan


def _word_index(doc: Document) -> tuple[dict[str, int | list[int]], list[int]]:
    """Each word form and each lexicon lemma (``morph.relevant_lemmas``) with the indices of
    the words that have it, and each word's sentence (-1: none); once per document, again
    if lexicon lemmas were registered since."""
    generation = morph.keys_generation()
    cached = doc.__dict__.get("_act_word_index")
    if cached is not None and cached[0] == generation:
        return cached[1]
    words = doc.words
    # A key found once (most of them) maps to its position, an int, not to a list of one:
    # a document lives as long as its conversation is checked, and every container it keeps
    # is one more object for the garbage collector to track, promote and scan.
    index: dict[str, int | list[int]] = {}
    get = index.get
    for i, form in enumerate([w[3] for w in words]):  # w.norm
        got = get(form)
        if got is None:
            index[form] = i
        elif got.__class__ is int:
            index[form] = [got, i]
        else:
            got.append(i)
    extra: dict[str, list[int]] = {}
    for form, lemmas in doc.lexicon_lemmas.items():
        positions = get(form)
        if positions is None:
            continue  # a part of a hyphenated word: words are indexed whole
        for lemma in lemmas:
            if lemma != form:
                got = extra.setdefault(lemma, [])
                if positions.__class__ is int:
                    got.append(positions)
                else:
                    got.extend(positions)
    for lemma, positions in extra.items():  # in text order, also where several forms share it
        got = index.get(lemma)
        if got is not None:
            positions += [got] if got.__class__ is int else got
        if len(positions) == 1:
            index[lemma] = positions[0]
        else:
            index[lemma] = sorted(set(positions))
    sentence_of = [-1] * len(words)
    for k, s in enumerate(doc.sentences):
        sentence_of[s.first_word : s.last_word] = [k] * (s.last_word - s.first_word)
    doc.__dict__["_act_word_index"] = (generation, (index, sentence_of))
    return index, sentence_of


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    s, e = span
    return any(a < e and s < b for a, b in others)


def _sentence_of(doc: Document, offset: int):
    """The sentence holding ``offset`` (bisection: linear in the number of acts overall)."""
    sents = doc.sentences
    starts = doc.memo("act-sentence-starts", lambda d: [x.start for x in d.sentences])
    k = bisect_right(starts, offset) - 1
    if k >= 0 and sents[k].start <= offset < sents[k].end:
        return sents[k]
    return None


# Words that may come before an opening act in its sentence: «И Вам здравствуйте», «Ещё раз
# добрый день», «Ну, здравствуйте».
_LEADS = frozenset("и ну еще раз снова вновь вам тебе тоже всем всех ой а да".split())


def _opens_sentence(doc: Document, i: int) -> bool:
    """Word ``i`` opens its sentence, but for a name set off by a comma or a lead word."""
    words = doc.words
    s = _sentence_of(doc, words[i].start)
    if s is None:
        return i == 0
    k = s.first_word
    if i - k > 4:
        return False
    text = doc.text
    for j in range(k, i):
        w = words[j]
        if w.norm in _LEADS:
            continue
        # a name set off by a comma or a dash: «Анна, добрый день», «Анна Сергеевна, здравствуйте»
        if w.is_capitalized and (any(c in text[w.end : words[j + 1].start] for c in ",—–-!") or
                                 words[j + 1].is_capitalized and j + 1 < i):
            continue
        return False
    return True


def _alone(doc: Document, span: tuple[int, int]) -> bool:
    """The match is its sentence, but for names, lead words and inserted words."""
    s = _sentence_of(doc, span[0])
    if s is None:
        return False
    companions = inserted_words() | _LEADS | _COMPANIONS
    for w in doc.sentence_words(s):
        if span[0] <= w.start < span[1]:
            continue
        if w.norm in companions or w.placeholder or (w.is_capitalized and w.start != doc.words[s.first_word].start):
            continue
        return False
    return True


_COMPANIONS = frozenset("ладно хорошо тогда всего ок окей спасибо удачи".split())


def _generic(doc: Document, kind: str) -> list[Act]:
    r = recogniser(kind)
    if not doc.words:
        return []
    lemma_set = doc.lemma_set
    if r.keys and r.keys.isdisjoint(lemma_set):
        return []
    spans = _spans(doc, r.patterns, r.opening, lemma_set)
    if r.alone:
        spans += [sp for sp in _spans(doc, r.alone, r.opening, lemma_set) if _alone(doc, sp)]
    spans = list(set(spans))
    if not spans:
        return []
    spans.sort(key=lambda sp: (sp[0], -sp[1]))
    spans = _merged(spans)
    negative = _spans(doc, r.negative, False, lemma_set)
    out: list[Act] = []
    last_end = -1
    for sp in spans:
        if sp[0] < last_end:
            continue  # overlapping matches of one act are one act
        if negative and _overlaps(sp, negative):
            continue
        if r.opening and not _opens_sentence(doc, doc.word_range(sp[0], sp[1])[0]):
            continue
        act = _refine(doc, kind, sp)
        if act is None:
            continue
        out.append(act)
        last_end = sp[1]
    return out


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping matches of one act as one span («Вы, видимо, невнимательно» and
    «невнимательно читали» are one reproach)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _refine(doc: Document, kind: str, sp: tuple[int, int]) -> Act | None:
    refine = _REFINERS.get(kind)
    return refine(doc, sp) if refine else Act(kind, sp[0], sp[1])


# ------------------------------------------------------------------ per-act refinements


_WISH_FORMS = frozenset("доброго доброй добрых".split())


def _greeting(doc: Document, sp: tuple[int, int]) -> Act | None:
    # «Доброго дня!» greets only when it opens the message; later in it, it is a wish (farewell)
    i = doc.word_range(*sp)[0]
    if doc.words[i].norm in _WISH_FORMS and doc.sentences and sp[0] >= doc.sentences[0].end:
        return None
    return Act("greeting", sp[0], sp[1])


def _farewell(doc: Document, sp: tuple[int, int]) -> Act | None:
    i = doc.word_range(*sp)[0]
    if doc.words[i].norm in _WISH_FORMS and any(g.start <= sp[0] < g.end for g in acts(doc, "greeting")):
        return None  # «Доброго дня! Чем могу помочь?»: the greeting, not a goodbye
    return Act("farewell", sp[0], sp[1])


_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
_ROLE_WORDS = frozenset(
    "меня зовут с вами на связи вас приветствует консультирует вам отвечает пишет мое имя это я "
    "специалист оператор консультант менеджер служба службы поддержки поддержка отдел отдела "
    "компании магазина из ваш ваша персональный старший клиентской заботы".split()
)


@lru_cache(maxsize=10_000)
def is_name(form: str) -> bool:
    """A word that can be a person's first name (or surname): a dictionary name, or a word
    the dictionary does not know."""
    ps = morph.parses(form)
    if any(not _NAME_TAGS.isdisjoint(p.tag.grammemes) for p in ps):
        return True
    return not any(p.is_known for p in ps) and form.isalpha()


def _introduction(doc: Document, sp: tuple[int, int]) -> Act | None:
    i, j = doc.word_range(*sp)
    for w in doc.words[i:j]:
        if w.placeholder or (w.is_capitalized and w.norm not in _ROLE_WORDS and is_name(w.norm)):
            return Act("introduction", sp[0], sp[1], (("name", w.start, w.end),))
    return None


def _apology(doc: Document, sp: tuple[int, int]) -> Act | None:
    # «Извините, а Вы уже оплатили?» asks for attention, it does not apologise
    s = _sentence_of(doc, sp[0])
    if s is not None and doc.text[s.start : s.end].rstrip().endswith("?"):
        i, j = doc.word_range(sp[0], s.end)
        if not any(w.norm in _APOLOGY_OBJECT for w in doc.words[i:j]):
            return None
    return Act("apology", sp[0], sp[1])


_APOLOGY_OBJECT = frozenset("за что задержку ожидание".split())

_MONTHS = "январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр"
_DATE = regex(
    rf"\b\d{{1,2}}[./]\d{{1,2}}(?:[./]\d{{2,4}})?\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}(?:-?го)?\s+(?:{_MONTHS})[а-я]*"
    rf"|\b(?:понедельник|вторник|сред[уы]|четверг|пятниц[уы]|суббот[уы]|воскресенье)\b",
    re.I,
)
# A date belongs to the absence when one of these words stands right before it: «до 5
# декабря», «вернусь 12.01», «буду в офисе с 3 декабря».
_RETURN_LEADS = frozenset(
    "до по с со после вернусь вернемся выйду выйдем буду будем возвращаюсь выхожу возвращения числа "
    "включительно вторника понедельника".split()
)
_RETURN_WORDS = frozenset(
    "вернусь вернемся вернуться выйду выйдем возвращения возвращаюсь выхожу буду будем отпуске "
    "командировке офисе отсутствую отсутствовать связи доступа месте отвечу ответим больничном "
    "недоступна недоступен".split()
)


def _led_dates(doc: Document) -> tuple[tuple[int, int] | None, dict[int, tuple[int, int]]]:
    """The dates led by «до», «с», «вернусь»… (one pass): the first one in a sentence about
    the absence or the return, and the first one of each sentence (by its start)."""
    text = doc.text
    first: tuple[int, int] | None = None
    by_sentence: dict[int, tuple[int, int]] = {}
    for m in _DATE.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()].lower().replace("ё", "е")
        lead = re.findall(r"[а-я]+", before)[-3:]
        if not lead or not (_RETURN_LEADS & set(lead)):
            continue
        s = _sentence_of(doc, m.start())
        key = s.start if s is not None else 0
        by_sentence.setdefault(key, (m.start(), m.end()))
        if first is None:
            span = (s.start, s.end) if s is not None else (0, len(text))
            if not _RETURN_WORDS.isdisjoint(w.norm for w in doc.words_in(*span)):
                first = (m.start(), m.end())
    return first, by_sentence


def return_date(doc: Document, absence: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The date of return in an auto-reply: a date led by «до», «с», «вернусь»… in the
    sentence of the absence (``absence``, a span) or in one about the return — not any date
    of the letter («заказ от 3 декабря»)."""
    first, by_sentence = doc.memo("act-led-dates", _led_dates)
    if first is not None:
        return first
    if absence is not None:
        s = _sentence_of(doc, absence[0])
        if s is not None:
            return by_sentence.get(s.start)
    return None


def _autoreply(doc: Document, sp: tuple[int, int]) -> Act | None:
    date = return_date(doc, sp)
    return Act("autoreply", sp[0], sp[1], (("date", *date),) if date else ())


_DURATION_HEADS = frozenset("одну пару парочку один".split())
_DURATION_LEADS = frozenset("через за около до на всего каждые каждую занимает займет занимают займут длится".split())


def _holding(doc: Document, sp: tuple[int, int]) -> Act | None:
    # «Одну минуту» holds; «Курьер будет через пару минут», «Оплата займёт одну минуту» do not
    i, _ = doc.word_range(*sp)
    if doc.words[i].norm in _DURATION_HEADS and i > 0 and doc.words[i - 1].norm in _DURATION_LEADS:
        return None
    return Act("holding", sp[0], sp[1])


_PROMISE = frozenset("уточню узнаю выясню проверю посмотрю уточним узнаем выясним проверим".split())


def _blaming(doc: Document, sp: tuple[int, int]) -> Act | None:
    i, _ = doc.word_range(*sp)
    if i > 0 and doc.words[i - 1].norm in blaming_not_after():
        return None  # «Если Вы не поняли…»: an offer, not a reproach
    s = _sentence_of(doc, sp[0])
    if s is not None and any(w.norm in _PROMISE for w in doc.sentence_words(s)):
        return None  # «Пока ничего не знаю о сроках, уточню у склада»: honest, not a brush-off
    return Act("blaming", sp[0], sp[1])


@lru_cache(maxsize=1)
def blaming_not_after() -> frozenset[str]:
    return word_set("blaming", "blaming", "not_after")


_REFINERS = {
    "greeting": _greeting,
    "farewell": _farewell,
    "introduction": _introduction,
    "apology": _apology,
    "autoreply": _autoreply,
    "blaming": _blaming,
    "holding": _holding,
}


# ------------------------------------------------------------------ informal farewells


@lru_cache(maxsize=1)
def informal_farewell_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = lexicon("etiquette")["informal_farewell"]
    words = frozenset(w for entry in data["words"] for w in entry.split("|"))
    return words, frozenset(data["standalone_only"]), frozenset(data["companions"])


def _informal_farewell_acts(doc: Document, kind: str) -> list[Act]:
    return [Act("informal_farewell", w.start, w.end) for w in _find_informal_farewells(doc)]


def informal_farewells(doc: Document) -> list[Word]:
    """Words used as a familiar goodbye: «Пока!», «Чао», «Давай)» (not «пока заказ в пути»)."""
    return doc.memo(informal_farewells, lambda d: list(_find_informal_farewells(d)))


def _find_informal_farewells(doc: Document) -> Iterator[Word]:
    words_set, standalone, companions = informal_farewell_words()
    vocabulary = doc.vocabulary
    hits = words_set.intersection(vocabulary)
    if not hits:
        return  # (a hyphenated word's parts are in the vocabulary too)
    # the words that are farewells, or hyphenated ones all of whose parts are («пока-пока»)
    forms = [f for f in hits if "-" not in f]
    if "-" in doc.text:
        forms += [f for f in vocabulary if "-" in f and all(p in words_set for p in f.split("-"))]
    index, sentence_of = _word_index(doc)
    forms = [f for f in forms if f in index]  # (a hyphenated word's part is no word of its own)
    if not forms:
        return
    words = doc.words
    sentences = doc.sentences
    at = [(v,) if (v := index[f]).__class__ is int else v for f in forms]
    for i in sorted({i for f, v in zip(forms, at, strict=True) for i in v if words[i].norm == f}):
        n = sentence_of[i]
        if n < 0:
            continue
        w = words[i]
        parts = w.norm.split("-")
        if any(p in standalone for p in parts):
            s = sentences[n]
            ws = words[s.first_word : s.last_word]
            k = i - s.first_word
            others = ws[:k] + ws[k + 1 :]
            alone = all(_farewell_companion(o, companions, words_set) for o in others)
            if not alone and not _closing_word(doc, ws, k, s.end):
                continue
        yield w


def _closing_word(doc: Document, ws: list[Word], k: int, sentence_end: int) -> bool:
    """«Всё готово, пока!»: the last word of its sentence, set off by a comma or a dash."""
    if k != len(ws) - 1 or k == 0:
        return False
    text = doc.text
    before = text[ws[k - 1].end : ws[k].start]
    after = text[ws[k].end : sentence_end].strip()
    return any(c in before for c in ",—–-.…") and all(not c.isalnum() for c in after)


def _farewell_companion(w: Word, companions: frozenset[str], farewells: frozenset[str]) -> bool:
    return w.norm in companions or w.norm in farewells or (w.is_capitalized and not w.placeholder) or w.placeholder


_ACT_FINDERS = {"informal_farewell": _informal_farewell_acts}


# ------------------------------------------------------------------ what the rules ask


def _in_first_sentence(doc: Document, act: Act) -> bool:
    return bool(doc.sentences) and act.start < doc.sentences[0].end


def opening_greeting(doc: Document, kind: str = "greeting") -> Act | None:
    """The greeting (``kind`` "greeting" or "informal_greeting") that opens the message."""
    for a in acts(doc, kind):
        if _in_first_sentence(doc, a):
            return a
    return None


def opens_with_greeting(doc: Document) -> bool:
    return opening_greeting(doc) is not None or opening_greeting(doc, "informal_greeting") is not None


def has_introduction(doc: Document) -> bool:
    """The operator gives their name: «меня зовут Анна», «с Вами Олег», «на связи Мария»."""
    return has_act(doc, "introduction")


def has_offer_of_help(doc: Document) -> bool:
    """The operator offers help or invites the client to tell the problem."""
    return has_act(doc, "offer_of_help")


def has_farewell(doc: Document) -> bool:
    return has_act(doc, "farewell") or has_act(doc, "informal_farewell")


def is_farewell_only(doc: Document, start: int, end: int, max_words: int = 15) -> bool:
    """True when [start, end) is a short closing: a farewell and little else."""
    i, j = doc.word_range(start, end)
    if j - i > max_words or j == i:
        return False
    forms = {w[3] for w in doc.words[i:j]}  # w.norm
    if not _may_hold(doc, forms, "farewell") and not _may_hold(doc, forms, "informal_farewell"):
        return False
    return any(start <= a.start < end for a in acts(doc, "farewell")) or any(
        start <= a.start < end for a in acts(doc, "informal_farewell")
    )


def _may_hold(doc: Document, forms: set[str], kind: str) -> bool:
    """Whether words of ``forms`` (some of ``doc``'s) have any key word of the act, as a
    form or a lexicon lemma (a cheap reject before the act): set operations, the lemmas
    those of ``doc.lexicon_lemmas``."""
    if kind == "informal_farewell":
        return not informal_farewell_words()[0].isdisjoint(forms)
    keys = recogniser(kind).keys
    if not keys or not keys.isdisjoint(forms):
        return True
    lemmas = doc.lexicon_lemmas
    return any(not keys.isdisjoint(lemmas[f]) for f in forms if f in lemmas)


def is_holding(doc: Document) -> bool:
    """A holding message: the operator asks to wait, promises to come back, says what is being done."""
    return has_act(doc, "holding")


def phone_offer(doc: Document) -> tuple[int, int] | None:
    """The span where the operator offers a phone call or a callback, or None."""
    a = first_act(doc, "phone_offer")
    return (a.start, a.end) if a else None


# ------------------------------------------------------------------ other lexicon sections of dialogue.toml


@lru_cache(maxsize=16)
def phrases_of(section: str) -> tuple[Phrase, ...]:
    """The compiled patterns of ``rules/lexicons/dialogue.toml`` ``[section]``."""
    data = lexicon("dialogue")[section]
    gap = data.get("gap", 0)
    return tuple(compile_phrase(p, gap) for p in data.get("patterns", []))


def words_of(section: str) -> frozenset[str]:
    return word_set("dialogue", section, "words")


def phrase_spans(doc: Document, section: str) -> list[tuple[int, int]]:
    """Where the phrases of a ``dialogue.toml`` section occur in ``doc`` (memoised per document)."""

    def compute(d: Document) -> list[tuple[int, int]]:
        return list(phrase_hits(d, phrases_of(section)))

    return doc.memo(("dialogue-phrases", section), compute)
