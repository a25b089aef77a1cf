"""The quick paths of the speech acts find what the plain scans find: a phrase tried only where
its first word (``Phrase.start_keys``) or, for a phrase any word may start («<name> на
связи»), its first required word (``Phrase.anchor``) occurs, looked up in the document's index
of forms and lemmas.

Each property compares the quick path with a plain scan trying every phrase at every word of
every sentence, on generated text made of the lexicons' own words; a quick path that dropped
a case fails it (tried by breaking each one)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint import acts as A
from chatlint.document import Document
from chatlint.phrases import compile_phrase

_RECOGNISERS = {kind: A.recogniser(kind) for kind in A.KINDS}  # compiled first: their lemmas registered


def _vocabulary() -> list[str]:
    out: set[str] = set()
    for r in _RECOGNISERS.values():
        for p in r.patterns + r.alone + r.negative:
            for e in p.elements:
                out |= e.values | e.lemmas
    # inflected forms, capitalised words (names), placeholders, verbs in the 3rd person
    out |= {"специалиста", "оператором", "службы", "поддержки", "менеджера", "магазина", "пишет", "работает"}
    out |= {"Анна", "Олег", "Мария", "{ИМЯ}", "Вас", "Вам", "Здравствуйте", "Меня", "Добрый", "Спасибо"}
    return sorted(out)


_WORDS = _vocabulary()
_SEPS = [" ", " ", " ", ", ", ". ", "! ", "? ", "\n", " — "]


_PHRASES = [p for r in _RECOGNISERS.values() for p in r.patterns + r.alone + r.negative]
_NAMES = ["Анна", "Олег", "{ИМЯ}", "Вас", "Меня"]


@st.composite
def phrase_words(draw) -> list[str]:
    """The words of one phrase's match (or nearly: an optional element kept or not, a word of
    any element), so that generated text matches phrases often."""
    out = []
    for e in draw(st.sampled_from(_PHRASES)).elements:
        if e.optional and draw(st.booleans()):
            continue
        if e.kind == "lex":
            out.append(draw(st.sampled_from(sorted(e.values | e.lemmas))))
        else:
            out.append(draw(st.sampled_from(_NAMES + ["пишет", "работает", "специалиста"])))
    return out


@st.composite
def messages(draw):
    pieces = draw(st.lists(st.one_of(phrase_words(), st.lists(st.sampled_from(_WORDS), max_size=3)), min_size=1, max_size=5))
    ws = [w for piece in pieces for w in piece] or ["Здравствуйте"]
    return "".join(w + draw(st.sampled_from(_SEPS)) for w in ws)


def _plain_spans(doc: Document, phrases, opening: bool) -> list[tuple[int, int]]:
    """Every phrase tried at every word of every sentence: what ``acts._spans`` must give."""
    words = doc.words
    out: set[tuple[int, int]] = set()
    for s in doc.sentences:
        for p in phrases:
            cursor = -1
            for i in range(s.first_word, s.last_word):
                if i < cursor or (opening and i - s.first_word >= A._OPENING_WINDOW):
                    continue
                j = p.match_at(words, i, s.last_word)
                if j is not None:
                    out.add((words[i].start, words[j - 1].end))
                    if not opening:
                        cursor = j
    return sorted(out)


@settings(max_examples=400, deadline=None)
@given(messages())
def test_every_act_phrase_matches_where_a_plain_scan_finds_it(text):
    doc = Document(text)
    for kind, r in _RECOGNISERS.items():
        for phrases, opening in ((r.patterns, r.opening), (r.alone, r.opening), (r.negative, False)):
            assert A._spans(doc, phrases, opening) == _plain_spans(doc, phrases, opening), (kind, text)


def _realisation(p, rnd: random.Random) -> list[str]:
    out = []
    for e in p.elements:
        if e.optional and rnd.random() < 0.5:
            continue
        if e.kind == "lex":
            out.append(rnd.choice(sorted(e.values | e.lemmas)))
        else:
            out.append(rnd.choice(_NAMES + ["пишет", "работает", "специалиста"]))
    return out


def test_every_act_phrase_in_generated_text_is_found_where_a_plain_scan_finds_it():
    """Each phrase of each act in a few generated texts: its words (optional elements kept or
    not), among other words of the lexicons, once or twice."""
    rnd = random.Random(18)
    for kind, r in _RECOGNISERS.items():
        for phrases, opening in ((r.patterns, r.opening), (r.alone, r.opening), (r.negative, False)):
            for p in phrases:
                for _ in range(6):
                    ws = rnd.sample(_WORDS, rnd.randint(0, 3)) + _realisation(p, rnd) + rnd.sample(_WORDS, rnd.randint(0, 2))
                    if rnd.random() < 0.3:
                        ws += _realisation(p, rnd)
                    text = "".join(w + rnd.choice(_SEPS) for w in ws)
                    doc = Document(text)
                    assert A._spans(doc, phrases, opening) == _plain_spans(doc, phrases, opening), (kind, p.source, text)


def test_a_phrase_any_word_may_start_is_anchored_on_its_first_required_word():
    r = _RECOGNISERS["introduction"]
    by_source = {p.source: p for p in r.patterns + r.negative}
    p = by_source["<name> *? ~специалист|~оператор|~консультант|~менеджер|~сотрудник|~бухгалтер|~инженер|~юрист|~куратор|~администратор"]
    assert p.start_keys is None and p.anchor is not None
    keys, low, high = p.anchor
    assert "специалист" in keys and (low, high) == (1, 2)
    doc = Document("Анна Петрова специалист поддержки. Олег, оператор, на связи.")
    assert A._spans(doc, (p,), False) == _plain_spans(doc, (p,), False) != []
    assert by_source["<name> на связи"].anchor[1:] == (1, 1)


def _plain_match_at(p, words, i: int, stop: int) -> int | None:
    """``Phrase.match_at`` as the automaton over (element, words skipped) states, every element
    asked through ``Element.matches``: the reference for the matcher's quick paths."""
    els, n = p.elements, len(p.elements)
    states = {(k, 0) for k in p.closures[0]}
    best = None
    pos = i
    while states and pos < stop:
        w = words[pos]
        nxt = set()
        for k, skipped in states:
            if k < n and els[k].matches(w):
                nxt |= {(k2, 0) for k2 in p.closures[k + 1]}
            if 0 < k < n and skipped < p.gap:
                nxt.add((k, skipped + 1))
        states = nxt
        pos += 1
        if any(k == n for k, _ in states):
            best = pos
    return None if best is None or best == i else best


_MORE = [
    compile_phrase(source, gap)
    for source, gap in [
        ("я? могу|можем вам? помочь", 0),
        ("вы * не ~понять", 1),
        ("~вы не? ~понять|~прочитать:VERB", 2),
        ("<name> на связи", 1),
        ("спасибо за ~обращение", 0),
        ("*:VERB,3per ~оператор", 0),
    ]
]


def test_the_matcher_matches_where_the_plain_automaton_does():
    """Every phrase of the acts (with and without inserted words, gaps, optional elements),
    at every word of generated texts, with the sentence's end as the stop or not."""
    rnd = random.Random(8)
    phrases = _PHRASES + _MORE
    for p in phrases:
        for _ in range(4):
            other = rnd.choice(phrases)
            ws = rnd.sample(_WORDS, rnd.randint(0, 2)) + _realisation(p, rnd) + _realisation(other, rnd)
            ws += _realisation(p, rnd)[: rnd.randint(0, 3)]
            words = Document(" ".join(ws)).words
            for stop in (len(words), max(0, len(words) - 2)):
                for i in range(stop):
                    assert p.match_at(words, i, stop) == _plain_match_at(p, words, i, stop), (p.source, ws, i)


def _plain_word_index(doc: Document) -> dict[str, list[int]]:
    """Each form and each lexicon lemma with the positions of its words, word by word."""
    out: dict[str, list[int]] = {}
    for i, w in enumerate(doc.words):
        for key in {w.norm} | doc.lexicon_lemmas.get(w.norm, frozenset()):
            out.setdefault(key, []).append(i)
    return out


@settings(max_examples=300, deadline=None)
@given(messages())
def test_the_word_index_holds_every_position_of_every_form_and_lemma(text):
    doc = Document(text + " " + text[: len(text) // 2])  # forms seen once, twice and more
    index, sentence_of = A._word_index(doc)
    assert {k: [v] if isinstance(v, int) else v for k, v in index.items()} == _plain_word_index(doc)
    assert sentence_of == [
        next((k for k, s in enumerate(doc.sentences) if s.first_word <= i < s.last_word), -1)
        for i in range(len(doc.words))
    ]


def _plain_informal_farewell_forms(doc: Document) -> list[int]:
    """The words that are informal farewells or hyphenated ones all of whose parts are, looked
    for word by word (before the acts' standalone and companion checks)."""
    words_set = A.informal_farewell_words()[0]
    return [i for i, w in enumerate(doc.words) if all(p in words_set for p in w.norm.split("-"))]


_FAREWELL_WORDS = sorted(A.informal_farewell_words()[0]) + ["пока-пока", "давай-давай", "чао-какао", "всем-пока"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FAREWELL_WORDS + _WORDS[:40] + ["Анна", "ладно", "спасибо"]), min_size=1, max_size=10),
       st.sampled_from([" ", ", ", "! ", ". ", " — "]))
def test_informal_farewells_are_the_words_a_plain_scan_finds(ws, sep):
    doc = Document(sep.join(ws) + "!")
    found = A.informal_farewells(doc)
    candidates = _plain_informal_farewell_forms(doc)
    assert {w.start for w in found} <= {doc.words[i].start for i in candidates}
    assert [w.start for w in found] == [w.start for w in _plain_informal_farewells(doc)]
    # every candidate standing alone in its sentence is one
    alone = Document("\n\n".join(doc.words[i].text for i in candidates))
    assert len(A.informal_farewells(alone)) == len(candidates)


def _plain_informal_farewells(doc: Document) -> list:
    """The farewells as found before the vocabulary's quick intersection: every form of the
    word index all of whose parts are farewell words, then the same standalone test."""
    words_set, standalone, companions = A.informal_farewell_words()
    index, sentence_of = A._word_index(doc)
    forms = [f for f in index if all(p in words_set for p in f.split("-"))]
    words, sentences = doc.words, doc.sentences
    at = [(v,) if (v := index[f]).__class__ is int else v for f in forms]
    out = []
    for i in sorted({i for f, v in zip(forms, at, strict=True) for i in v if words[i].norm == f}):
        n = sentence_of[i]
        if n < 0:
            continue
        w = words[i]
        if any(p in standalone for p in w.norm.split("-")):
            s = sentences[n]
            ws = words[s.first_word : s.last_word]
            k = i - s.first_word
            others = ws[:k] + ws[k + 1 :]
            if not all(A._farewell_companion(o, companions, words_set) for o in others) and not A._closing_word(
                doc, ws, k, s.end
            ):
                continue
        out.append(w)
    return out


def _plain_may_hold(doc: Document, i: int, j: int, kind: str) -> bool:
    """Some word of [i, j) is a key of the act, as a form or by a lexicon lemma, word by word."""
    from chatlint import morph

    if kind == "informal_farewell":
        return any(w.norm in A.informal_farewell_words()[0] for w in doc.words[i:j])
    keys = _RECOGNISERS[kind].keys
    return not keys or any(w.norm in keys or not keys.isdisjoint(morph.relevant_lemmas(w.norm)) for w in doc.words[i:j])


_INFLECTED = ["хорошего", "приятного", "отличных", "выходных", "обращайтесь", "пишите", "помогу", "ждём", "вопросов",
              "возникнут", "дня", "вечера", "заказ", "рада", "пока", "пока-пока", "Анна", "доставка", "консультанта"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_INFLECTED), min_size=1, max_size=8), st.integers(0, 8), st.integers(0, 8))
def test_the_cheap_reject_of_a_closing_keeps_every_range_with_a_key(ws, a, b):
    text = " ".join(ws)
    doc = Document(text)
    i, j = sorted((min(a, len(doc.words)), min(b, len(doc.words))))
    forms = {w.norm for w in doc.words[i:j]}
    for kind in ("farewell", "informal_farewell", "greeting", "offer_of_help"):
        assert A._may_hold(doc, forms, kind) == _plain_may_hold(doc, i, j, kind), (kind, text, i, j)


def test_a_phrase_missing_a_needed_word_costs_no_word_index():
    # «добрый» files «добрый денёчка» (an informal greeting) under this message, which lacks
    # «денёчка»: the phrase is dropped before the document's word index is built
    doc = Document("Добрый день! Заказ уже в пути.")
    assert A.acts(doc, "informal_greeting") == []
    assert "_act_word_index" not in doc.__dict__
    assert [a.kind for a in A.acts(doc, "greeting")] == ["greeting"]  # this one needs it
    assert "_act_word_index" in doc.__dict__


def test_shared_elements_compile_the_same_phrases():
    """Elements are built once per distinct source token and shared between phrases: each
    phrase of the acts equals one built from freshly made elements."""
    from chatlint import phrases

    build = phrases._element.__wrapped__
    shared = 0
    for p in _PHRASES:
        fresh = tuple(build(raw) for raw in p.source.split())
        assert p.elements == fresh, p.source
        shared += sum(e is phrases._element(raw) for e, raw in zip(p.elements, p.source.split(), strict=True))
    assert shared == sum(len(p.elements) for p in _PHRASES)  # every element is the cached one
    # a malformed token is an error every time it is met, not once
    for _ in range(2):
        try:
            compile_phrase("заказ ~")
        except phrases.PatternError:
            continue
        raise AssertionError("a malformed element compiled")
