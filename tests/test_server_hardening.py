"""The server hardened: checks off the event loop within a time budget, 422 for any malformed
body without echoing it, Host checks against DNS rebinding, /docs off by default, plugins that
exit or report bad spans, and /v1/fix's applied fixes of every round."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

from chatlint import Config, lint_message
from chatlint.registry import NoParams, Rule

pytest.importorskip("fastapi", reason="the server extra is not installed: pip install 'chatlint-ru[server]'")
uvicorn = pytest.importorskip("uvicorn")
TestClient = pytest.importorskip("starlette.testclient").TestClient

from chatlint.server import create_app  # noqa: E402
from chatlint.server import main as serve_main  # noqa: E402

SECRET = "СЕКРЕТНЫЙ-КЛЮЧ-91c2"


def make_rule(code: str, check) -> Rule:
    return Rule(code=code, name=f"test-{code.lower()}", severity="warning",
                channels=frozenset({"chat", "messenger", "social", "email"}), params=NoParams, check=check,
                doc="**What it checks**\n\nA test rule.\n\n**Why**\n\nTests.\n\n**Example**\n\n-",
                bad=(), good=(), fix=None, when=None, group="Z")


def busy(seconds: float) -> None:
    """CPU work that holds the GIL (as a pathological rule or text would), not a sleep."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        sum(range(200))


def slow_config(seconds: float) -> Config:
    from chatlint.registry import Hit

    def check(doc, ctx):
        if "медленно" in doc.text:
            busy(seconds)
        yield Hit(0, min(1, len(doc.text)), "медленно", "slow")

    return Config().only((make_rule("Z901", check),))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A real uvicorn server on 127.0.0.1 in a thread of this process."""

    def __init__(self, app):
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None,
                                                    access_log=False, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def post(url: str, payload: dict, timeout: float = 30):
    req = urllib.request.Request(url, data=json.dumps(payload).encode(), headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


# ------------------------------------------------------------------ off the event loop, with a budget


def test_healthz_answers_within_50ms_while_a_slow_check_is_in_flight():
    app = create_app(slow_config(2.0), max_check_ms=10_000)
    with LiveServer(app) as live:
        result = {}
        t = threading.Thread(target=lambda: result.setdefault("r", post(live.url("/v1/check"), {"text": "медленно"})))
        t0 = time.perf_counter()
        t.start()
        time.sleep(0.3)  # the check is running now
        latencies = []
        for _ in range(5):
            s = time.perf_counter()
            with urllib.request.urlopen(live.url("/healthz"), timeout=5) as r:
                assert r.status == 200
            latencies.append(time.perf_counter() - s)
            time.sleep(0.05)
        assert t.is_alive(), "the slow check should still be in flight"
        t.join(30)
        assert result["r"][0] == 200 and time.perf_counter() - t0 >= 2.0
    # The loop is free: it answers in well under 50 ms (the best of five, so that a busy
    # machine's scheduling does not decide the test) and never waits for the 2 s check.
    assert min(latencies) < 0.050 and max(latencies) < 1.0, latencies


def test_a_check_over_budget_gets_503_with_retry_after_and_the_server_lives_on():
    app = create_app(slow_config(1.5), max_check_ms=200)
    with LiveServer(app) as live:
        t0 = time.perf_counter()
        status, headers, body = post(live.url("/v1/check"), {"text": "медленно"})
        assert status == 503 and time.perf_counter() - t0 < 1.2
        assert int({k.lower(): v for k, v in headers.items()}["retry-after"]) >= 1
        assert "200 ms" in json.loads(body)["detail"]
        status, _, body = post(live.url("/v1/check"), {"text": "быстро"})
        assert status == 200 and json.loads(body)["findings"][0]["code"] == "Z901"


# ------------------------------------------------------------------ 422 for any malformed body


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def _post(client, body: bytes, path="/v1/check", **headers):
    return client.post(path, content=body, headers={"content-type": "application/json", **headers})


@pytest.mark.parametrize("body", [
    b'{"text": "\xff\xfe' + SECRET.encode() + b'"}',                       # invalid UTF-8 in a string
    b'{"text": "a", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}",            # over-deep JSON
    b'{"text": "a", "x": ' + b'{"a":' * 3000 + b"1" + b"}" * 3000 + b"}",  # over-deep objects
    b"[" * 20000 + b"]" * 20000,
])
def test_invalid_utf8_and_over_deep_json_get_422(client, body):
    r = _post(client, body)
    assert r.status_code == 422, r.text
    assert SECRET not in r.text
    assert all(set(d) == {"loc", "msg", "type"} for d in r.json()["detail"])


def test_a_422_never_echoes_the_request_key_names(client):
    for path in ("/v1/check", "/v1/fix"):
        r = _post(client, json.dumps({"text": "Добрый день", SECRET: 1, "x" + SECRET: {"y": 2}}).encode(), path)
        assert r.status_code == 422
        assert SECRET not in r.text and SECRET.lower() not in r.text.lower()
        assert {d["msg"] for d in r.json()["detail"]} == {"unknown field"}
    r = _post(client, json.dumps({"text": 5}).encode())
    assert r.json()["detail"][0]["loc"] == ["body", "text"]  # our own field names are named


def test_lone_surrogates_in_json_strings_still_work(client):
    r = _post(client, b'{"text": "\\u0417\\u0430\\u043a\\u0430\\u0437!!! \\ud800"}')
    assert r.status_code == 200 and r.json()["findings"]


# ------------------------------------------------------------------ DNS rebinding, /docs


def test_without_a_token_only_the_bound_host_and_configured_names_are_answered():
    app = create_app(host="127.0.0.1", allowed_hosts=["chat.example.ru"])
    with TestClient(app, base_url="http://127.0.0.1:8750") as c:
        assert c.get("/healthz").status_code == 200
        for host in ("localhost:8750", "[::1]:8750", "chat.example.ru", "CHAT.example.ru:443"):
            assert c.get("/healthz", headers={"host": host}).status_code == 200, host
        for host in ("evil.example", "127.0.0.1.evil.example:8750", "", "attacker.test:8750"):
            r = c.post("/v1/check", json={"text": "Добрый день"}, headers={"host": host})
            assert r.status_code == 403, host
            assert "Host" in r.json()["detail"]


def test_with_a_token_the_host_is_not_checked():
    app = create_app(host="127.0.0.1", token="t0ken")
    with TestClient(app, base_url="http://127.0.0.1:8750") as c:
        r = c.post("/v1/check", json={"text": "Добрый день"}, headers={"host": "any.example",
                                                                         "authorization": "Bearer t0ken"})
        assert r.status_code == 200


def test_docs_page_is_off_unless_asked_for():
    with TestClient(create_app()) as c:
        assert c.get("/docs").status_code == 404
        assert c.get("/openapi.json").status_code == 200
    with TestClient(create_app(docs=True)) as c:
        assert c.get("/docs").status_code == 200


@pytest.mark.parametrize("argv", [["--max-check-ms", "0"], ["--workers", "0"], ["--workers", "many"],
                                  ["--port", "70000"]])
def test_serve_options_are_checked(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        serve_main(argv)
    assert exc.value.code == 2


# ------------------------------------------------------------------ plugins that misbehave


def exiting(doc, ctx):
    raise SystemExit(3)
    yield  # pragma: no cover


def bad_spans(doc, ctx):
    from chatlint.registry import Hit

    n = len(doc.text)
    yield Hit(5, 2, "наоборот", "reversed")
    yield Hit(-1, 3, "до начала", "before the start")
    yield Hit(0, n + 10, "за концом", "past the end")
    yield Hit(0, 1, "хорошо", "fine")


def test_a_plugin_that_exits_or_reports_bad_spans_cannot_take_the_server_down():
    cfg = Config().only((make_rule("Z902", exiting), make_rule("Z903", bad_spans)))
    with pytest.warns(RuntimeWarning):
        found = lint_message("Добрый день", config=cfg)
    assert [(f.code, f.start, f.end) for f in found] == [("Z903", 0, 1)]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the crash warnings (threads share the filters)
        with LiveServer(create_app(cfg)) as live:
            for _ in range(3):
                status, _, body = post(live.url("/v1/check"), {"text": "Добрый день"})
                assert status == 200
                data = json.loads(body)
                assert [(f["code"], f["start"], f["end"]) for f in data["findings"]] == [("Z903", 0, 1)]
            with urllib.request.urlopen(live.url("/healthz"), timeout=5) as r:
                assert r.status == 200


# ------------------------------------------------------------------ /v1/fix: every round


def test_fix_lists_the_fixes_of_every_round(tmp_path):
    pack = tmp_path / "rounds.toml"
    pack.write_text(
        '[pack]\nname = "rounds"\nprefix = "Q"\n\n'
        '[[rules]]\ncode = "Q001"\nname = "first"\ntype = "pattern"\npattern = \'\\bёж\\b\'\n'
        'replacement = "ёжик"\nmessage = "Раз: {match}"\n\n'
        '[[rules]]\ncode = "Q002"\nname = "second"\ntype = "pattern"\npattern = \'\\bёжик\\b\'\n'
        'replacement = "ежище"\nmessage = "Два: {match}"\n', encoding="utf-8")
    cfg = Config(rule_packs=[str(pack)], select=["Q"])
    with TestClient(create_app(cfg)) as c:
        data = c.post("/v1/fix", json={"text": "Вот ёж.", "unsafe": True}).json()
    assert data["text"] == "Вот ежище." and data["changed"] is True
    assert [(a["code"], a["round"], a["start"], a["end"]) for a in data["applied"]] == [
        ("Q001", 0, 4, 6), ("Q002", 1, 4, 8)]
