"""The speech-act layer (chatlint/acts.py) on its labelled corpus and on the cases the rules
depend on: parts of acts, inserted words, negative context, position."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from chatlint.acts import KINDS, acts, first_act, has_act
from chatlint.document import Document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "acts"
_spec = importlib.util.spec_from_file_location("acts_bench", ROOT / "benchmarks" / "acts.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_every_act_has_a_corpus():
    assert {p.stem for p in CORPUS.glob("*.tsv")} == set(KINDS)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.tsv")), ids=lambda p: p.stem)
def test_corpus_precision_and_recall(path):
    rows = bench.load(path)
    r = bench.measure(path.stem, rows)
    assert r["positives"] >= 80 and r["near_misses"] >= 80, r
    assert r["precision"] >= 0.95 and r["recall"] >= 0.95, [e for e in r["errors"]]


def test_corpus_texts_are_unique():
    for path in CORPUS.glob("*.tsv"):
        texts = [t for _, t, _ in bench.load(path)]
        dupes = {t for t in texts if texts.count(t) > 1}
        assert not dupes, (path.stem, dupes)


def span(text: str, kind: str) -> str | None:
    a = first_act(Document(text), kind)
    return None if a is None else text[a.start : a.end]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Всего Вам самого доброго!", "farewell"),
        ("Отличного Вам вечера!", "farewell"),
        ("Удачного Вам дня!", "farewell"),
        ("Спасибо, Иван, за обращение!", "thanks"),
        ("Чем ещё я могу Вам помочь?", "offer_of_help"),
        ("Секунду, пожалуйста, уточню.", "holding"),
        ("Вы, видимо, невнимательно читали условия.", "blaming"),
    ],
)
def test_inserted_words_keep_the_act(text, kind):
    assert has_act(Document(text), kind)


def test_introduction_gives_the_name():
    text = "Добрый день! На связи Екатерина, отдел доставки."
    a = first_act(Document(text), "introduction")
    s, e = a.part("name")
    assert text[s:e] == "Екатерина"
    assert first_act(Document("Здравствуйте, меня зовут {ИМЯ}."), "introduction").part("name") is not None


def test_autoreply_return_date_belongs_to_the_absence():
    text = "Это автоматический ответ. Я в отпуске, буду в офисе с 3 декабря."
    a = first_act(Document(text), "autoreply")
    s, e = a.part("date")
    assert text[s:e] == "3 декабря"
    other = "Я в отпуске. Ваш заказ от 3 декабря передан коллеге."
    assert first_act(Document(other), "autoreply").part("date") is None


def test_wish_of_the_day_greets_at_the_start_and_takes_leave_at_the_end():
    opening = Document("Доброго дня! Чем могу помочь?")
    assert has_act(opening, "greeting") and not has_act(opening, "farewell")
    closing = Document("Заказ отправлен. Доброго дня!")
    assert has_act(closing, "farewell") and not has_act(closing, "greeting")


def test_thanks_for_contacting_is_not_a_farewell():
    doc = Document("Спасибо за обращение!")
    assert has_act(doc, "thanks") and not has_act(doc, "farewell")


def test_acts_are_memoised_per_document():
    doc = Document("Здравствуйте! Одну минуту, уточню.")
    assert acts(doc, "holding") is acts(doc, "holding")
