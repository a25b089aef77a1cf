"""The spelling suggestion's search (chatlint.spelling.suggest) skips the second edits that
cannot give a known word — those right of the longest prefix some known word starts with —
and must find what the plain search over every second edit finds (the plain search is kept
here as the reference)."""

from __future__ import annotations

import gzip
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint import spelling as sp

_WORDS = (
    "здравствуйте пожалуйста обязательно заранее сожалению проверьте приедет доставка оплатить "
    "заказ информация уточнить подождите курьер возврат карта перевод тариф подключение "
    "приложение договор квитанция отделение поддержка спасибо извините минуту обращение"
).split()


def plain_suggest(form: str) -> sp.Suggestion | None:
    if not sp._CYRILLIC_WORD.fullmatch(form) or len(form) > 40:
        return None
    best: dict[str, float] = {}

    def consider(v: str, cost: float) -> None:
        if cost >= best.get(v, 9.0):
            return
        pen = sp._penalty(v)
        if pen is None:
            return
        best[v] = min(best.get(v, 9.0), cost + pen)

    first = list(sp.edits(form))
    for v, c in first:
        consider(v, c)
    for v, c in first:
        if c <= sp._SECOND:
            for v2, c2 in sp.edits(v):
                if c + c2 <= sp._MAX_TOTAL and v2 != form:
                    consider(v2, c + c2)
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda kv: (kv[1], kv[0]))
    word, cost = ranked[0]
    return sp.Suggestion(word, cost, ranked[1][1] if len(ranked) > 1 else None)


def plain_edits(word: str, upto: int | None = None, spent: float | None = None, total: float = sp._MAX_TOTAL):
    """The letter-by-letter generator (every letter's cost worked out where it is written)."""
    n = len(word)
    last = n if upto is None else min(n, upto + 1)
    bounded = spent is not None
    known = sp._known_prefix
    for i in range(last):
        c = word[i]
        head = word[:i]
        if (i > 0 and word[i - 1] == c) or (i + 1 < n and word[i + 1] == c):
            cost = 0.4
        elif c in "ьъ":
            cost = 0.45 if word.startswith("ся", i + 1) else 0.6
        else:
            cost = 0.85
        if not bounded or spent + cost <= total:
            yield head + word[i + 1 :], cost
        for b in sp.ALPHABET:
            if b == c:
                continue
            cost = sp._sub_cost(c, b)
            if bounded and (spent + cost > total or (i and not known(head + b))):
                continue
            yield head + b + word[i + 1 :], cost
        if i + 1 < n and word[i + 1] != c and (not bounded or spent + 0.6 <= total):
            yield head + word[i + 1] + c + word[i + 2 :], 0.6
    for i in range(n + 1 if upto is None else min(n, upto) + 1):
        head = word[:i]
        left = word[i - 1] if i > 0 else ""
        right = word[i] if i < n else ""
        for b in sp.ALPHABET:
            if b == left or b == right:
                cost = 0.4
            elif b == "ь" and word.startswith("ся", i):
                cost = 0.35
            elif b in sp._SILENT and word.startswith(sp._SILENT[b][1], i) and head.endswith(sp._SILENT[b][0]):
                cost = 0.4
            elif b in "ьъ":
                cost = 0.6
            else:
                cost = 0.75
            if bounded and (spent + cost > total or (i and not known(head + b))):
                continue
            yield head + b + word[i:], cost


# words with what the costs depend on: doubled letters, «ь»/«ъ», «-ся», silent consonants
_EDITED = st.one_of(
    st.sampled_from(_WORDS + ["здраствуйте", "поздно", "честно", "солнце", "учиться", "сьесть", "оббъём", "касса"]),
    st.text(alphabet="аоеисятьъвздлнцкс", min_size=1, max_size=9),
)


@settings(max_examples=300, deadline=None)
@given(_EDITED, st.one_of(st.none(), st.integers(0, 10)), st.one_of(st.none(), st.sampled_from([0.1, 0.35, 0.4, 0.45])),
       st.sampled_from([sp._MAX_TOTAL, 1.0, 0.9, 0.75]))
def test_edits_are_the_letter_by_letter_ones(word, upto, spent, total):
    assert list(sp.edits(word, upto, spent, total)) == list(plain_edits(word, upto, spent, total))


@settings(max_examples=300, deadline=None)
@given(_EDITED, st.sampled_from([0.1, 0.35, 0.4, 0.45, 0.5, 0.55]))
def test_cheap_edits_are_the_cheap_ones_of_every_edit(word, most):
    assert list(sp._cheap_edits(word, most)) == [(v, c) for v, c in plain_edits(word) if c <= most]


def test_every_edit_cost_is_listed():
    costs = {c for a in sp.ALPHABET for _, c in sp._sub_row(a)} | {c for _, c in sp._PLAIN_INSERTIONS}
    assert costs | {0.4, 0.45, 0.35, 0.85} <= sp._EDIT_COSTS


def typos(n: int, seed: int = 5) -> list[str]:
    """Words with one or two slips of the kinds the search weighs: a letter left out, doubled,
    swapped with its neighbour, or replaced by one that sounds alike."""
    rng = Random(seed)
    out = []
    for _ in range(n):
        w = rng.choice(_WORDS)
        for _ in range(rng.choice((1, 1, 2))):
            i = rng.randrange(1, len(w) - 1)
            kind = rng.randrange(4)
            if kind == 0:
                w = w[:i] + w[i + 1 :]
            elif kind == 1:
                w = w[:i] + w[i] + w[i:]
            elif kind == 2:
                w = w[:i - 1] + w[i] + w[i - 1] + w[i + 1 :]
            else:
                w = w[:i] + {"а": "о", "о": "а", "е": "и", "и": "е", "я": "е"}.get(w[i], "ы") + w[i + 1 :]
        out.append(w)
    return out


# a step to the word further left than the first unknown prefix («обезательно»), and a slip
# right where the known prefix ends («кввитацния», «воозвраат»)
@pytest.mark.parametrize(
    "form", typos(24) + ["обезательно", "полцены", "зарание", "проверте", "прийдет", "кввитацния", "воозвраат"]
)
def test_bounded_search_finds_what_the_plain_search_finds(form):
    assert sp.suggest.__wrapped__(form) == plain_suggest(form)


def test_known_prefixes():
    assert sp._known_prefix("обяза")
    assert sp._known_prefix("ещ")  # short prefixes are always known
    assert sp._known_prefix("елк")  # only «ёлка» has it: «е» read as «ё» too
    assert not sp._known_prefix("обезат")
    assert sp._known_length("обезательно") == len("обез")


def test_shipped_vocabulary_forms_are_current():
    """lexicons/spelling-forms.txt is what the lexicon and the dictionary give: after changing
    the spelling vocabulary, regenerate it with ``python -m chatlint.spelling``."""
    from chatlint.resources import rules_dir

    shipped = (rules_dir() / sp.FORMS_FILE).read_text(encoding="utf-8")
    header = shipped.splitlines()[0]
    assert f"lexicon {sp._lexicon_digest()}," in header, "regenerate with: python -m chatlint.spelling"
    if header != sp._forms_header():
        # made with another release of pymorphy3 or of its dictionary than this environment's:
        # not used here (the paradigms are built instead), which the next test covers
        assert sp._shipped_forms() is None
        return
    assert shipped == sp.forms_text(), "regenerate with: python -m chatlint.spelling"
    forms = sp._shipped_forms()
    assert forms is not None
    for head in sp.data().lemmas:
        assert forms.get(head, frozenset()) == {f for f in sp._built_forms(head) if f[:2] == head}


def test_forms_from_another_lexicon_or_dictionary_are_not_used(monkeypatch):
    monkeypatch.setattr(sp, "_forms_header", lambda: "# made from something else")
    sp._shipped_forms.cache_clear()
    sp._vocabulary_by_head.cache_clear()
    try:
        assert sp._shipped_forms() is None
        assert sp.in_vocabulary("ретаргетингам")  # built from the paradigms instead
    finally:
        sp._shipped_forms.cache_clear()
        sp._vocabulary_by_head.cache_clear()


def test_frequencies_keep_each_folded_form_at_its_highest_bucket():
    buckets = [["Ёлка", "привет"], [], ["елка", "ПОКА", "а\nб"], ["привет", "мир"], ["ёж", "ёж", "еж", "ёлка", "всё"],
               ["все", "ещё"]]
    plain: dict[str, float] = {}
    for centibels, words in enumerate(buckets):
        for w in words:
            plain.setdefault(w.lower().replace("ё", "е"), 9.0 - centibels / 100)
    assert sp._frequencies_from_buckets(buckets) == plain
    assert sp._frequencies_from_buckets(buckets[:2]) == {"елка": 9.0, "привет": 9.0}


_BUCKET_WORDS = st.lists(st.text(alphabet="аеёжЁЕЖaZ\n-", max_size=4), max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(_BUCKET_WORDS, max_size=6))
def test_frequencies_from_undecoded_buckets_are_the_decoded_ones(buckets):
    """The list read as UTF-8 (msgpack's raw strings) gives every folded form the frequency
    the decoded list gives it: capitals, «ё» and «Ё», a form in several buckets, line breaks."""
    packed = sp._frequencies_from_packed([[w.encode() for w in words] for words in buckets])
    assert {form.decode(): z for form, z in packed.items()} == sp._frequencies_from_buckets(buckets)


def test_wordfreq_list_read_undecoded_is_the_decoded_list(monkeypatch):
    import importlib.util
    import os

    import msgpack

    spec = importlib.util.find_spec("wordfreq")
    if spec is None:
        pytest.skip("wordfreq is not installed")
    path = os.path.join(next(iter(spec.submodule_search_locations)), "data", "small_ru.msgpack.gz")
    with gzip.open(path, "rb") as fh:
        buckets = msgpack.load(fh, raw=False)
    plain = sp._frequencies_from_buckets(buckets[1:])
    assert len(plain) > 50_000
    # wordfreq's list is lower case: read without a string per form (the decoding path unused)
    monkeypatch.setattr(sp, "_frequencies_from_buckets", None)
    read = sp._read_frequencies(path)  # (what the cache keeps is built from this)
    assert {form.decode(): z for form, z in read.items()} == plain
    monkeypatch.undo()
    assert sp.zipf("спасибо") == plain["спасибо"] and sp.zipf("нетакогослова") == 0.0
    assert sp.zipf("еще") == plain["еще"] >= sp.zipf("ещё") == 0.0  # looked up folded, as the search asks


def test_a_missing_or_damaged_forms_file_falls_back_to_the_paradigms(monkeypatch, tmp_path):
    (tmp_path / "lexicons").mkdir()
    real = sp.FORMS_FILE
    for content in (None, b"\xff\xfe not utf-8", b""):
        if content is not None:
            (tmp_path / real).write_bytes(content)
        monkeypatch.setattr(sp, "FORMS_FILE", str(tmp_path / real))  # an absolute path wins over rules_dir
        sp._shipped_forms.cache_clear()
        try:
            assert sp._shipped_forms() is None
        finally:
            sp._shipped_forms.cache_clear()
    monkeypatch.setattr(sp, "FORMS_FILE", real)
    sp._vocabulary_by_head.cache_clear()
    assert sp.in_vocabulary("ретаргетингам")


# typos of every kind the search weighs, and forms whose best correction is unsure or far
_DECISIONS = typos(160, seed=11) + [
    "обезательно", "полцены", "зарание", "проверте", "прийдет", "кввитацния", "воозвраат", "покеда", "сожелению",
    "адресс", "недоступин", "здраствуйте", "пожалуста", "извените", "щас", "спс", "оч", "ваще", "кароче", "плиз",
    "зделать", "вообщем", "ихний", "ложить", "тарифф", "оплотить", "приложенеи", "абонемент", "абанемент", "ё",
]


@pytest.mark.parametrize("form", _DECISIONS)
def test_the_pruned_search_takes_the_same_decision(form):
    s = sp.suggest.__wrapped__(form)
    assert sp.correction.__wrapped__(form) == (s.word if sp.confident(s) else None)


def _penalized_words() -> list[str]:
    words = ["и", "в", "не", "на", "что", "заказ", "доставка", "тарифу", "ретаргетингам", "анна", "москва", "ибо"]
    words += [w.decode() for w in sorted(sp._freq, key=sp._freq.get, reverse=True)[:3000]]  # the list's most frequent
    return words + typos(200, seed=3) + [w for w in sp._vocabulary_by_head("до")][:200]


def test_no_penalty_is_below_the_lowest_penalty_of_its_length():
    """What the per-length bound of the search rests on; a floor one length off fails here."""
    sp.zipf("а")
    words = [w for w in _penalized_words() if sp._CYRILLIC_WORD.fullmatch(w) and "-" not in w]
    for w in words:
        pen = sp._penalty(w)
        assert pen is None or pen >= sp._lowest_penalty_of(len(w)), (w, pen, sp._lowest_penalty_of(len(w)))
    assert sp._tops(sp._freq) == sp._tops(dict(sp._freq))  # the lengths' highest read from the buckets, as from the forms
    # the floor of every length as the highest frequency of all its forms gives it
    highest: dict[int, float] = {}
    for form, z in sp._freq.items():
        highest[len(form)] = max(z, highest.get(len(form), 0.0))
    for n in range(0, 45):
        assert sp._lowest_penalty_of(n) == min(-0.15, -0.25, -0.12 * (highest.get(2 * n, 3.0) - 3.0)), n
    # the bound is tight: the most frequent word of each length gets it
    for n in (1, 2, 5, 8):
        best = max((w for w in words if len(w) == n and sp.zipf(w)), key=sp.zipf)
        assert sp._penalty(best) == sp._lowest_penalty_of(n) or sp.in_vocabulary(best)


def test_no_penalty_is_below_the_lowest_penalty():
    floor = sp._lowest_penalty()
    words = ["и", "в", "не", "на", "что", "заказ", "доставка", "тарифу", "ретаргетингам", "анна", "москва", "ибо"]
    words += [w.decode() for w in sorted(sp._freq, key=sp._freq.get, reverse=True)[:3000]]  # the list's most frequent
    for w in words:
        pen = sp._penalty(w)
        assert pen is None or pen >= floor, (w, pen, floor)
    assert floor <= -0.12 * (max(sp._freq.values()) - 3.0) if sp._freq else floor <= -0.25


def test_a_runner_up_within_the_margin_is_never_pruned(monkeypatch):
    """The bound keeps every candidate that could end within MARGIN of the best: here «бое»,
    two edits from «бак» (1.15) but a word as frequent as any (the lowest penalty), ends 0.10
    behind «бок» (one edit, 0.45) and makes the correction unsure."""
    penalties = {"бок": 0.0, "бое": -0.6}
    monkeypatch.setattr(sp, "_penalty", penalties.get)
    monkeypatch.setattr(sp, "_lowest_penalty", lambda: -0.6)
    monkeypatch.setattr(sp, "_lowest_penalty_of", lambda length: -0.6)  # «бое» is as frequent as any word
    monkeypatch.setattr(sp, "_known_prefix", lambda prefix: True)
    monkeypatch.setattr(sp, "_known_length", len)
    monkeypatch.setattr(sp, "zipf", lambda word: 0.0)
    s = sp.suggest.__wrapped__("бак")
    assert (s.word, round(s.cost, 2), round(s.runner_up, 2)) == ("бок", 0.45, 0.55)
    assert not sp.confident(s)
    assert sp.correction.__wrapped__("бак") is None
    penalties["бое"] = -0.4  # now 0.30 behind: sure
    assert sp.correction.__wrapped__("бак") == "бок" == sp.suggest.__wrapped__("бак").word


def test_a_shorter_runner_up_of_a_second_edit_is_never_pruned(monkeypatch):
    """The per-length bound of a second edit's candidates takes the lowest floor of the
    lengths they can have: here «бии» («й» for «и» in «бийт», then «т» dropped: one letter
    shorter than the first edit «биит», and no cheap way the other way round), a word as
    frequent as any of three letters, ends 0.05 behind «бийта» (one edit) and makes the
    correction unsure."""
    penalties = {"бийта": -0.2, "бии": -0.6}
    monkeypatch.setattr(sp, "_penalty", penalties.get)
    monkeypatch.setattr(sp, "_vocabulary_by_head", lambda head: frozenset(penalties))  # (words of this test only)
    monkeypatch.setattr(sp, "_lowest_penalty", lambda: -0.6)
    monkeypatch.setattr(sp, "_lowest_penalty_of", lambda length: {3: -0.6, 5: -0.2}.get(length, 0.0))
    monkeypatch.setattr(sp, "_known_prefix", lambda prefix: True)
    monkeypatch.setattr(sp, "_known_length", len)
    monkeypatch.setattr(sp, "zipf", lambda word: 0.0)
    s = sp.suggest.__wrapped__("бийт")
    assert (s.word, round(s.cost, 2), round(s.runner_up, 2)) == ("бийта", 0.55, 0.6)
    assert sp.correction.__wrapped__("бийт") is None
    penalties["бии"] = -0.4  # now behind by more than the margin: sure
    assert sp.correction.__wrapped__("бийт") == "бийта"


def test_every_letter_lower_changes_is_a_capital():
    """What reading the frequency list as it is rests on: a text islower() accepts is one
    lower() leaves alone."""
    import sys

    changed = [c for c in map(chr, range(sys.maxunicode + 1)) if c.lower() != c and not (c.isupper() or c.istitle())]
    assert changed == []
