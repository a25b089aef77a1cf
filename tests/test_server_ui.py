"""The server as the operator UI uses it (issue 17): one piece of advice per span (``merge``),
the conversation so far with the draft, the add-on's CORS origin."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the server extra is not installed: pip install 'chatlint-ru[server]'")
TestClient = pytest.importorskip("starlette.testclient").TestClient

from chatlint.server import create_app  # noqa: E402

WINK = "К сожалению, заказ задерживается ;)"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def test_merge_gives_one_finding_per_span(client):
    plain = client.post("/v1/check", json={"text": WINK}).json()["findings"]
    assert sorted(f["code"] for f in plain if f["start"] == 33) == ["E001", "E004"]
    assert all("merged" not in f or f["merged"] is None for f in plain)
    merged = client.post("/v1/check", json={"text": WINK, "merge": True}).json()
    on_wink = [f for f in merged["findings"] if f["start"] == 33]
    assert len(on_wink) == 1
    f = on_wink[0]
    assert f["code"] == "E004" and f["merged"] == ["E001", "E004"]
    assert f["fix"]["edits"][0]["replacement"] == ":(" and f["fix"]["applicability"] == "unsafe"
    assert merged["counts"]["warning"] == sum(1 for x in merged["findings"] if x["severity"] == "warning")


def test_merge_must_be_a_boolean(client):
    r = client.post("/v1/check", json={"text": WINK, "merge": "yes"})
    assert r.status_code == 422


# ------------------------------------------------------------------ the conversation so far

ASKED = {"role": "client", "text": "Здравствуйте! Где мой заказ 1234? Обещали вчера.", "time": "2026-11-27T10:00:00"}
GREETED = {"role": "operator", "text": "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?",
           "time": "2026-11-27T10:00:20"}


def _check(client, **body):
    r = client.post("/v1/check", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_first_follows_from_the_conversation(client):
    alone = _check(client, text="Заказ уже в пути.", conversation=[ASKED])
    assert alone["first"] is True
    assert {"G001", "G003", "G004"} <= {f["code"] for f in alone["findings"]}
    later = _check(client, text="Заказ уже в пути.", conversation=[ASKED, GREETED,
                   {"role": "client", "text": "Так где он?", "time": "2026-11-27T10:00:40"}])
    assert later["first"] is False
    assert not {"G001", "G003", "G004"} & {f["code"] for f in later["findings"]}
    # without a conversation nothing changes: the caller's first/last
    plain = _check(client, text="Заказ уже в пути.")
    assert "hints" not in plain or plain["hints"] is None


def test_client_waiting_gives_a_holding_hint_with_the_template(client):
    body = _check(client, text="", conversation=[ASKED, GREETED,
                  {"role": "client", "text": "Где заказ?", "time": "2026-11-27T10:01:00"}],
                  now="2026-11-27T10:04:05")
    (hint,) = [h for h in body["hints"] if h["kind"] == "holding"]
    assert hint["message"] == "Клиент ждёт 3 мин — отправьте сообщение об ожидании"
    assert hint["wait_s"] == 185 and hint["template"] and hint["at"] == "replace"
    # a holding draft already: no hint; a short wait: no hint
    held = _check(client, text="Одну минуту, уточню у склада.", conversation=[ASKED, GREETED,
                  {"role": "client", "text": "Где заказ?", "time": "2026-11-27T10:01:00"}], now="2026-11-27T10:04:05")
    assert not [h for h in held["hints"] if h["kind"] == "holding"]
    soon = _check(client, text="", conversation=[ASKED, GREETED,
                  {"role": "client", "text": "Где заказ?", "time": "2026-11-27T10:01:00"}], now="2026-11-27T10:01:10")
    assert not [h for h in soon["hints"] if h["kind"] == "holding"]


def test_dialogue_rules_see_the_draft_in_its_place(client):
    late = _check(client, text="Здравствуйте, меня зовут Анна, чем я могу Вам помочь?", conversation=[ASKED],
                  now="2026-11-27T10:03:00")
    t001 = [f for f in late["findings"] if f["code"] == "T001"]
    assert t001 and "3 мин" in t001[0]["message"] and t001[0]["message_index"] is None
    repeat = _check(client, text=GREETED["text"], conversation=[ASKED, GREETED,
                    {"role": "client", "text": "Где заказ?", "time": "2026-11-27T10:00:40"}],
                    now="2026-11-27T10:00:50")
    assert "T003" in {f["code"] for f in repeat["findings"]}


def test_greeting_and_farewell_templates_are_offered(client):
    body = _check(client, text="Заказ уже в пути.", conversation=[ASKED], operator="Анна")
    (hint,) = [h for h in body["hints"] if h["kind"] == "greeting"]
    assert hint["template"] == "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?" and hint["at"] == "start"
    greeted = _check(client, text="Добрый день! Заказ уже в пути.", conversation=[ASKED])
    assert not [h for h in greeted["hints"] if h["kind"] == "greeting"]
    closing = _check(client, text="Заказ доставят завтра.", conversation=[ASKED, GREETED], last=True)
    (bye,) = [h for h in closing["hints"] if h["kind"] == "farewell"]
    assert bye["at"] == "end" and "Всего доброго" in bye["template"]


def test_templates_come_from_the_configuration():
    from chatlint import Config

    cfg = Config(templates={"holding": "Секунду, смотрю заказ."})
    with TestClient(create_app(cfg)) as c:
        body = _check(c, text="", conversation=[ASKED], now="2026-11-27T10:05:00")
    (hint,) = [h for h in body["hints"] if h["kind"] == "holding"]
    assert hint["template"] == "Секунду, смотрю заказ."


def test_bad_conversation_gets_422_without_the_text(client):
    for bad in ([{"role": "boss", "text": "СЕКРЕТ"}], [{"role": "client", "text": 5}], "СЕКРЕТ",
                [{"role": "client", "text": "СЕКРЕТ", "time": "вчера"}]):
        r = client.post("/v1/check", json={"text": "Здравствуйте", "conversation": bad})
        assert r.status_code == 422, bad
        assert "СЕКРЕТ" not in r.text


def test_the_server_keeps_nothing(client):
    """Stateless: the same request gives the same answer, whatever came before it."""
    body = {"text": "Заказ уже в пути.", "conversation": [ASKED], "now": "2026-11-27T10:00:30"}
    a = _check(client, **body)
    _check(client, text="Другой текст", conversation=[ASKED, GREETED])
    assert _check(client, **body) == a


def test_document_cache_is_bounded_and_shared_only_inside_its_block():
    from chatlint.document import Document, DocumentCache, parsed, sharing_documents

    cache = DocumentCache(size=2)
    with sharing_documents(cache):
        a = parsed("Где заказ?")
        assert parsed("Где заказ?") is a
        parsed("Второе сообщение")
        parsed("Третье сообщение")
        assert len(cache) == 2 and parsed("Где заказ?") is not a  # the oldest went first
    assert parsed("Третье сообщение") is not cache.get("Третье сообщение")  # outside: a fresh parse
    assert isinstance(parsed("x"), Document)
    draft = Document("Черновик ответа")
    with sharing_documents(cache, {"Черновик ответа": draft}):
        assert parsed("Черновик ответа") is draft
    assert len(cache) == 2 and "Черновик ответа" not in cache._docs  # a draft stays out of the cache


def test_check_draft_reuses_the_conversation_parse_and_answers_the_same():
    from datetime import datetime

    from chatlint.document import DocumentCache
    from chatlint.live import check_draft
    from chatlint.transcript import Message

    conv = [Message(role="client", text=ASKED["text"], time=datetime(2026, 11, 27, 10, 0)),
            Message(role="operator", text=GREETED["text"], time=datetime(2026, 11, 27, 10, 0, 20)),
            Message(role="client", text="Где заказ?", time=datetime(2026, 11, 27, 10, 0, 40))]
    now = datetime(2026, 11, 27, 10, 3)
    cache = DocumentCache()
    fresh = check_draft(GREETED["text"], conv, now=now)
    cached = check_draft(GREETED["text"], conv, now=now, documents=cache)
    assert len(cache) >= 2  # the client's messages (the draft repeats the greeting: parsed once, not cached)
    again = check_draft(GREETED["text"], conv, now=now, documents=cache)
    assert fresh.findings == cached.findings == again.findings
    assert [h.record() for h in fresh.hints] == [h.record() for h in again.hints]
