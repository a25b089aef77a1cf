"""A short text is parsed once per process (chatlint.document.parsed keeps the documents of
recently seen short texts): the same findings whatever was checked before, in any
configuration, and a bounded number of documents kept."""

from __future__ import annotations

from chatlint import Config, Message, Transcript, document, lint_message, lint_transcript
from chatlint.document import parsed

SHORT = "Спасибо за ожадание, сейчас праверю ваш заказ."


def test_a_short_text_is_parsed_once_a_long_one_each_time():
    assert parsed(SHORT) is parsed(SHORT)
    long = "Добрый день! " + "Заказ передан в службу доставки, курьер свяжется с Вами заранее. " * 4
    assert len(long) > document.SHORT_TEXT
    assert parsed(long) is not parsed(long)


def test_findings_do_not_depend_on_what_was_checked_before(monkeypatch):
    first = [(f.code, f.start, f.end, f.message) for f in lint_message(SHORT)]
    again = [(f.code, f.start, f.end, f.message) for f in lint_message(SHORT)]
    monkeypatch.setattr(document, "SHORT_TEXT", -1)  # a fresh parse every time
    fresh = [(f.code, f.start, f.end, f.message) for f in lint_message(SHORT)]
    assert first == again == fresh
    assert {"A001", "P001"} <= {c for c, *_ in first}


def test_each_configuration_gets_its_own_answer_from_a_shared_document():
    plain = Config()
    known = Config(spelling={"dictionary": ["ожадание", "праверить"]})
    p1 = [f.code for f in lint_message(SHORT, config=plain)]
    k1 = [f.code for f in lint_message(SHORT, config=known)]
    p2 = [f.code for f in lint_message(SHORT, config=plain)]
    assert "P001" in p1 and p1 == p2
    assert "P001" not in k1


def test_conversations_share_short_messages_and_keep_their_findings():
    def conversation(cid):
        return Transcript(conversation_id=cid, messages=(
            Message(role="client", text="Здравствуйте, где мой заказ?", time="2026-11-20T10:00:00+03:00"),
            Message(role="operator", text="Одну минуту, уточню информацию.", time="2026-11-20T10:00:30+03:00"),
            Message(role="operator", text="ваш заказ уже у курьера;)", time="2026-11-20T10:09:00+03:00"),
        ))

    a = [(f.message_index, f.code, f.start) for f in lint_transcript(conversation("a"))]
    b = [(f.message_index, f.code, f.start) for f in lint_transcript(conversation("b"))]
    assert a == b and a


def test_the_documents_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(document, "_SHORT", document.DocumentCache(8))
    for n in range(50):
        parsed(f"Заказ {n} передан курьеру.")
    assert len(document._SHORT) == 8
