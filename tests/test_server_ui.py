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
