"""The quick paths of the message rules find what the plain scans find: the per-form tests
asked only of the forms not known to be plain (``lexicon.notable_forms``), the disguised-word
hint looked for from its rarer side, the runs of letters with «ё» found from each «ё».

Each property compares the quick path with the plain one on generated text; a quick path
that dropped a case would fail it (tried by breaking each one)."""

from __future__ import annotations

import re
from itertools import islice

from hypothesis import example, given, settings
from hypothesis import strategies as st
from strategies import TEXTS

from chatlint import lexicon
from chatlint.checks import address, spelling, structure
from chatlint.config import default_config
from chatlint.document import Document

# words some per-form test flags (profane, unknown, a common slip, «ты»), with plain ones
_FLAGGED = ["идиот", "дебилом", "ожадание", "утсройство", "вообщем", "незнаю", "течении", "ты", "можешь", "напиши"]
_PLAIN = ["Здравствуйте", "заказ", "доставка", "Вы", "вам", "кто-нибудь", "ИНН", "ёлка", "Ещё", "SMS", "{ИМЯ}"]
_JUNK = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁaxz@$*0-", min_size=1, max_size=8)
words = st.lists(st.one_of(st.sampled_from(_FLAGGED + _PLAIN), _JUNK), max_size=12)
seps = st.sampled_from([" ", ", ", "-", ". ", "\n", "!"])


@st.composite
def messages(draw):
    ws = draw(words)
    return "".join(w + draw(seps) for w in ws)


@settings(max_examples=300, deadline=None)
@given(messages())
def test_every_form_test_flags_the_same_forms_among_the_notable_ones(text):
    doc = Document(text)
    notable = lexicon.notable_forms(doc)
    assert notable <= doc.vocabulary
    for test in lexicon._FORM_TESTS:
        assert {f for f in notable if test(f)} == {f for f in doc.vocabulary if test(f)}, test


def test_the_rules_tests_are_registered_and_plain_forms_are_remembered():
    for test in (lexicon.is_profane, lexicon._slang_form, spelling._unknown, spelling._may_slip, address._informal_form):
        assert test in lexicon._FORM_TESTS
    doc = Document("Здравствуйте, незнаю, идиот ли ожадание, напиши")
    assert lexicon.notable_forms(doc) == {"незнаю", "идиот", "ожадание", "напиши"}
    assert "здравствуйте" in lexicon._PLAIN_FORMS
    assert lexicon.notable_forms(Document("Здравствуйте!")) == frozenset()


def test_a_test_registered_later_forgets_the_plain_forms_and_refreshes_a_document():
    doc = Document("Здравствуйте, заказ готов")
    assert lexicon.notable_forms(doc) == frozenset()
    saved = list(lexicon._FORM_TESTS)
    try:
        lexicon.form_test(lambda f: f == "заказ")
        assert "заказ" not in lexicon._PLAIN_FORMS
        assert lexicon.notable_forms(doc) == {"заказ"}
    finally:
        lexicon._FORM_TESTS[:] = saved
        lexicon._PLAIN_FORMS.clear()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="аяЁё ZzQ09@$*_-.,\n", max_size=40))
def test_the_disguise_hint_looked_for_from_its_rare_side_is_the_pair_search(text):
    assert bool(lexicon._DISGUISE_HINT.search(text)) == bool(lexicon._DISGUISE_PAIR.search(text))


_LETTER_RUN = re.compile(r"[^\W\d_]+")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="аеёЁЕ z_1²½-. \n", max_size=40))
def test_the_runs_with_yo_found_from_each_yo_are_those_of_every_run(text):
    assert spelling._yo_words(Document(text)) == [t for t in _LETTER_RUN.findall(text) if "ё" in t or "Ё" in t]


_SLANG = ["щас", "Ок", "норм", "инфу", "прогу", "проги", "компом", "комп", "чуваки", "прикольно", "тупит",
          "звякну", "типа", "короче", "Всё", "норма", "санитарных", "Сорри", "клёвый", "инет"]
slang_text = st.lists(st.one_of(st.sampled_from(_SLANG + _PLAIN), _JUNK), max_size=10).map(" ".join)


def _plain_colloquial_words(doc):
    """The scan of every word, as colloquial_words did it before asking for its forms first."""
    lex = lexicon.colloquial_lexicon()
    by_form = not lex.form_keys.isdisjoint(doc.vocabulary)
    by_lemma = not lex.lemma_keys.isdisjoint(doc.lemma_set)
    for w in doc.words:
        if w.placeholder:
            continue
        hit = lex.forms.get(w.norm) if by_form else None
        if hit is not None:
            if not lexicon._slang_reading(doc, w):
                continue
            entry, gram = hit
        elif by_lemma:
            found = lex.lemma_keys & lexicon.morph.lemmas(w.norm)
            if not found:
                continue
            lemma = min(found)
            entry, gram = lex.lemmas[lemma], lexicon.grammemes_of(w.norm, lemma)
        else:
            continue
        if entry.parenthetical and not lexicon._set_off(doc, w):
            continue
        yield w, entry, gram


@settings(max_examples=300, deadline=None)
@given(slang_text)
def test_colloquial_words_looked_for_among_their_forms_are_those_of_every_word(text):
    assert list(lexicon.colloquial_words(Document(text))) == list(_plain_colloquial_words(Document(text)))


def test_colloquial_lemmas_are_cyrillic_so_the_lexicon_lemmas_hold_them():
    assert all(re.search("[а-яё]", k) for k in lexicon.colloquial_lexicon().lemma_keys)
    assert [w.text for w, *_ in lexicon.colloquial_words(Document("Щас звякну, комп тупит"))] == ["Щас", "звякну", "комп", "тупит"]


def _summary_blocks_plain(doc):
    """The summary blocks without the quick reject of a message with no label word."""
    labels = structure.word_set("etiquette", "summary", "labels")
    out = []
    for k, b in enumerate(doc.blocks):
        i, j = doc.word_range(b.start, b.end)
        if b.kind == "paragraph" and i < j and doc.words[i].norm in labels and structure._summary_label(doc, b, labels):
            out.append(k)
    return out


def _plain_items(doc, s, p):
    """S003's items after a colon as it read with a generator of the colons."""
    sent = doc.text[s.start : s.end]
    if sent.rstrip().endswith("?"):
        return None
    colons = (m.start() for m in re.finditer(":", sent))
    colons = (i for i in colons if not (structure._TIME_COLON.match(sent, max(0, i - 1)) or sent[i + 1 : i + 3] == "//"))
    for colon in islice(colons, 4):
        body = sent[colon + 1 :].strip().rstrip(".!…;")
        if structure._items_ok(doc, s.start + colon + 1, body, structure._ITEM_SPLIT, p):
            return s.start + colon + 1, 0
    return None


def _plain_enumerations(doc, p):
    """S003 as it read before looking up each paragraph's marks in place: every paragraph
    sliced and tried, every sentence of a paragraph with a colon tried."""
    text = doc.text
    summaries = {doc.blocks[k].start for k in _summary_blocks_plain(doc)}
    for b in doc.paragraphs:
        if b.start in summaries:
            continue
        seg = text[b.start : b.end]
        ords = list(structure._ORDINALS.finditer(seg)) if "-" in seg else []
        if len(ords) >= p.min_items:
            yield (b.start + ords[0].start(), b.start + ords[-1].end())
            continue
        marks = structure._inline_markers(seg)
        if len(marks) >= p.min_items:
            yield (b.start + marks[0], b.end)
            continue
        if seg.count(";") >= p.min_items - 1:
            body = seg.rstrip(".!…; ")
            if structure._items_ok(doc, b.start, body, structure._SEMICOLON, p):
                yield (b.start, b.end)
                continue
        if ":" not in seg:
            continue
        for s in b.sentences:
            n = _plain_items(doc, s, p)
            if n:
                yield (n[0], s.end)
                break


_ENUM = ["Итого:", "Доступны цвета:", "красный,", "синий", "и", "белый;", "Во-первых,", "во-вторых,", "в-третьих",
         "1)", "2)", "3)", "1.", "2.", "3.", "9:00", "https://example.ru", "оформили?", "заказ", "Резюме:", "суть"]
enum_text = st.lists(st.one_of(st.sampled_from(_ENUM), st.sampled_from([" ", "\n", "\n\n", ". ", "; ", ": ", ":", "://"])),
                     max_size=24).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(enum_text)
@example("Варианты 1) курьер 2) постамат 3) самовывоз")
@example("Шаги 1. Откройте профиль 2. Нажмите кнопку 3. Готово")
@example("Примечание: ниже подробно всё, что есть у нас на складе сейчас: красный, синий, белый")
@example("Цвета: красный, синий и белый\n\nИтого: красный, синий, белый")
def test_enumerations_found_with_marks_looked_up_in_place_are_the_plain_ones(text):
    ctx = next(i.ctx for i in default_config().plan("chat").rules if i.rule.code == "S003")
    fast = [(h.start, h.end) for h in structure.enumeration_not_list(Document(text), ctx)]
    assert fast == list(_plain_enumerations(Document(text), ctx.params))
    assert structure._summary_blocks(Document(text)) == _summary_blocks_plain(Document(text))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="!?.,…ЁАЯаяZ ", max_size=30))
def test_the_written_out_checks_of_a005_and_a006_are_the_plain_ones(text):
    assert address._may_have_runs(text) == any(run in text for run in address._RUN_STARTS)
    assert bool(address._CAPS_RUN.search(text)) == bool(re.search("[А-ЯЁ]{4}", text))


def _plain_content_chunks(doc, need):
    """S007's count of the answer's chunks, counted to the end."""
    kinds = structure._chunk_kinds(doc)
    sizes = []
    for k, (s, e) in enumerate(doc.chunks):
        if not kinds[k] <= structure._NOT_TEXT:
            i, j = doc.word_range(s, e)
            sizes.append((k, s, e, j - i))
    if len(sizes) < need:
        return False
    if sum(1 for *_, n in sizes if n > 15) >= need:
        return True
    n = 0
    signed = False
    for k, s, e, words in sizes:
        short = words <= 15
        if short and k == 0 and structure.opens_with_greeting(doc):
            continue
        if short and (structure.is_farewell_only(doc, s, e) or structure._thanks_only(doc, s, e)):
            signed = signed or k > 0
            continue
        if signed and words <= structure._SIGNATURE_WORDS:
            continue
        signed = False
        n += 1
    return n >= need


_CHUNKS = ["Здравствуйте!", "Заказ собран.", "Курьер позвонит за час до приезда.", "Всего доброго!", "Анна",
           "Спасибо за обращение!", "Пока!", "С уважением,\nСлужба поддержки", "> Где мой заказ?", "`код`",
           "Оплатить можно картой или наличными при получении заказа у курьера в любой день недели кроме воскресенья."]
chunked = st.lists(st.sampled_from(_CHUNKS), max_size=7).map("\n\n".join)


@settings(max_examples=300, deadline=None)
@given(chunked, st.integers(1, 5))
def test_the_chunk_count_that_stops_once_decided_is_the_full_count(text, need):
    assert structure._content_chunks(Document(text), need) == _plain_content_chunks(Document(text), need)


def test_the_allowed_smileys_are_kept_per_settings_object():
    from types import SimpleNamespace

    from chatlint.checks import smileys

    a = SimpleNamespace(allowed_smileys=(":-)", ":(((" ))
    b = SimpleNamespace(allowed_smileys=(";)",))
    assert smileys._allowed(a) == {":)", ":("}
    assert smileys._allowed(b) == {";)"}
    assert smileys._allowed(a) is smileys._allowed(a)
    a.allowed_smileys = (":)",)  # settings are never changed in place; a new object is a new entry
    c = SimpleNamespace(allowed_smileys=(":)",))
    assert smileys._allowed(c) == {":)"}


def test_the_plain_forms_are_bounded_by_the_word_form_budget(monkeypatch):
    monkeypatch.setattr(lexicon, "WORD_FORMS", 5)
    lexicon._PLAIN_FORMS.clear()
    lexicon.notable_forms(Document("Здравствуйте, заказ собран"))
    assert "заказ" in lexicon._PLAIN_FORMS
    lexicon.notable_forms(Document("Оплата прошла, чек придёт на почту сегодня вечером"))
    assert lexicon._PLAIN_FORMS == set()  # over the bound: forgotten, and 8 forms are too many to keep
    assert lexicon.notable_forms(Document("Заказ собран, идиот")) == {"идиот"}
    assert lexicon._PLAIN_FORMS == {"заказ", "собран"}


_PHONE_PLAIN = re.compile(r"(?<![\w+])\+\d{1,3}[\s\u00a0(.-]*\d{2,5}[\s\u00a0).-]*\d{2,4}[\s\u00a0.-]*\d{2}[\s\u00a0.-]*\d{2}\b")


_PHONE_PARTS = ["+", "++", "a+", "_", "7", "375", " ", "\u00a0", "(495)", "495", "123", "-", ".", "45", "67", "8", "x"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PHONE_PARTS), max_size=14).map("".join), st.integers(0, 30))
@example("++7 495 123 45 67", 0)
@example("a+7 (495) 123-45-67", 1)
@example("x +375 29 123.45.67", 0)
def test_the_phone_search_from_its_plus_finds_what_the_plain_one_finds(text, pos):
    from chatlint.checks import mail

    got = mail._PHONE.search(text, pos)
    want = _PHONE_PLAIN.search(text, pos)
    assert (got and got.span()) == (want and want.span())


def _plain_full_name(doc, start):
    words = [w for w in doc.words if w.start >= start and not w.placeholder]
    for a, b in zip(words, words[1:], strict=False):
        if not (a.is_capitalized and b.is_capitalized):
            continue
        if doc.text[a.end : b.start].strip():
            continue
        from chatlint.checks import mail

        if mail._is_person_word(a.text) or mail._is_person_word(b.text):
            return True
    return False


_SIGNED = ["Анна", "Смирнова", "Иван", "Петров", "{ИМЯ}", "С", "уважением,", "Служба", "Поддержки", "ООО", "Ромашка",
           "заказ", "Татьяна", ",", "\n", "—", "Сергеевна"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SIGNED), max_size=12).map(" ".join), st.integers(0, 40))
def test_a_full_name_found_word_by_word_is_the_pairwise_one(text, start):
    from chatlint.checks import mail

    assert mail._has_full_name(Document(text), start) == _plain_full_name(Document(text), start)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_blocks_never_overlap_so_the_prose_is_no_longer_than_the_text(text):
    doc = Document(text)
    spans = sorted((b.start, b.end) for b in doc.blocks)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert structure._prose_chars(doc) <= len(text)
