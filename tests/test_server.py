"""``chatlint serve``: the HTTP API (in-process with Starlette's TestClient), its security
defaults, its log (a real uvicorn process whose output is read back), and the README's curl
examples run against it."""

from __future__ import annotations

import argparse
import http.client
import json
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from server_support import served

from chatlint import Config, lint_message
from chatlint.catalog import all_rules
from chatlint.docs import rule_text
from chatlint.formats import utf16_mapper, utf16_offset
from chatlint.server import DEFAULT_HOST, DEFAULT_MAX_BODY, DEFAULT_PORT, configure_parser

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARKER = "ЗАПРЕТНЫЙ-ТЕКСТ-7f3a"  # must never reach a log or a 422 body

pytest.importorskip("fastapi", reason="the server extra is not installed: pip install 'chatlint-ru[server]'")
TestClient = pytest.importorskip("starlette.testclient").TestClient

from chatlint.server import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(demo=True)) as c:
        yield c


def _post(client, path, body: bytes, content_type="application/json", **headers):
    return client.post(path, content=body, headers={"content-type": content_type, **headers})


# ------------------------------------------------------------------ the API


def test_check_returns_findings_with_utf16_offsets_and_summaries(client):
    text = "Заказ 1234 в пути 🚚, проверьте вашу почту!!!"
    r = client.post("/v1/check", json={"text": text, "channel": "chat"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    data = r.json()
    expected = lint_message(text, channel="chat")
    assert [f["code"] for f in data["findings"]] == [f.code for f in expected]
    assert data["counts"] == {"error": 0, "warning": len(expected), "info": 0}
    summaries = {code: rule_text(rule, "ru")[0] for code, rule in all_rules().items()}
    units = text.encode("utf-16-le")
    for got, f in zip(data["findings"], expected, strict=True):
        assert {k: got[k] for k in ("name", "severity", "message", "start", "end", "line", "column")} == {
            "name": f.name, "severity": f.severity, "message": f.message, "start": f.start, "end": f.end,
            "line": f.line, "column": f.column}
        assert got["summary"] == summaries[f.code]
        # UTF-16 offsets cut the same characters out of the UTF-16 text as str offsets do
        assert units[2 * got["start_utf16"]:2 * got["end_utf16"]].decode("utf-16-le") == text[f.start:f.end]
        for e in (got["fix"] or {"edits": []})["edits"]:
            assert units[2 * e["start_utf16"]:2 * e["end_utf16"]].decode("utf-16-le") == text[e["start"]:e["end"]]
    a001 = next(f for f in data["findings"] if f["code"] == "A001")
    assert (a001["start"], a001["start_utf16"]) == (31, 32)  # the truck emoji is two UTF-16 units


def test_check_first_last_and_channel_are_passed_on(client):
    text = "привет, держи ссылку 👍"
    for body in ({"text": text, "first": True}, {"text": text, "last": True, "channel": "messenger"}):
        got = [f["code"] for f in client.post("/v1/check", json=body).json()["findings"]]
        kw = {k: v for k, v in body.items() if k != "text"}
        assert got == [f.code for f in lint_message(text, **kw)]


def test_check_of_empty_and_odd_text(client):
    for text in ("", "\u200b\u202e", "\ud800 лишний суррогат", "😀" * 500):
        r = client.post("/v1/check", content=json.dumps({"text": text}), headers={"content-type": "application/json"})
        assert r.status_code == 200, text
        assert isinstance(r.json()["findings"], list)


def test_fix_applies_safe_fixes_and_says_what_changed(client):
    text = "Заказ 1234 в пути 🚚, проверьте вашу почту!!!"
    data = client.post("/v1/fix", json={"text": text}).json()
    assert data["text"] == "Заказ 1234 в пути 🚚, проверьте Вашу почту!"
    assert data["changed"] is True
    assert sorted(f["code"] for f in data["applied"]) == ["A001", "A006"]
    assert [f["code"] for f in data["findings"]] == ["E003"]  # the unsafe one is left
    unsafe = client.post("/v1/fix", json={"text": text, "unsafe": True}).json()
    assert "🚚" not in unsafe["text"] and unsafe["changed"]
    same = client.post("/v1/fix", json={"text": "Спасибо, всего доброго."}).json()
    assert same == {"text": "Спасибо, всего доброго.", "changed": False, "applied": [], "findings": []}


def test_rules_and_healthz(client):
    rules = client.get("/v1/rules").json()
    assert [r["code"] for r in rules] == list(all_rules())
    a001 = next(r for r in rules if r["code"] == "A001")
    assert set(a001) == {"code", "name", "severity", "fix", "channels", "summary", "why"}
    assert a001["fix"] == "safe" and a001["why"]
    assert client.get("/healthz").json()["status"] == "ok"


def test_summaries_are_russian_by_default_and_english_with_lang_en(client):
    text = "Заказ в пути, проверьте вашу почту!!!"
    cyrillic = re.compile(r"[а-яё]", re.I)
    a001, a006 = all_rules()["A001"], all_rules()["A006"]
    found = client.post("/v1/check", json={"text": text}).json()["findings"]
    assert {f["code"] for f in found} >= {"A001", "A006"}
    for f in found:
        assert cyrillic.search(f["summary"]) and "lower case" not in f["summary"]
    by_code = {f["code"]: f for f in found}
    assert by_code["A001"]["summary"] == rule_text(a001, "ru")[0] != a001.summary
    ru_rules = {r["code"]: r for r in client.get("/v1/rules").json()}
    assert (ru_rules["A006"]["summary"], ru_rules["A006"]["why"]) == rule_text(a006, "ru")
    assert cyrillic.search(ru_rules["A006"]["why"])

    with TestClient(create_app(Config(lang="en"))) as en:
        found = en.post("/v1/check", json={"text": text}).json()["findings"]
        by_code = {f["code"]: f for f in found}
        assert by_code["A001"]["summary"] == a001.summary
        assert "lower case" in by_code["A001"]["summary"]
        fixed = en.post("/v1/fix", json={"text": text}).json()
        assert {f["code"]: f["summary"] for f in fixed["applied"]}["A001"] == a001.summary
        en_rules = {r["code"]: r for r in en.get("/v1/rules").json()}
        assert (en_rules["A006"]["summary"], en_rules["A006"]["why"]) == (a006.summary, a006.section("Why"))
        assert set(en_rules["A006"]) == set(ru_rules["A006"])


def test_openapi_schema_describes_the_api(client):
    schema = client.get("/openapi.json").json()
    assert {"/v1/check", "/v1/fix", "/v1/rules", "/healthz"} <= set(schema["paths"])
    check = schema["paths"]["/v1/check"]["post"]
    assert {"200", "413", "422"} <= set(check["responses"])
    names = set(schema["components"]["schemas"])
    assert {"CheckRequest", "CheckResponse", "FindingOut", "FixRequest", "FixResponse"} <= names
    finding = schema["components"]["schemas"]["FindingOut"]["properties"]
    assert {"start_utf16", "end_utf16", "summary"} <= set(finding)
    assert "/" not in schema["paths"]  # the demo files are not API


@given(st.text(alphabet=st.sampled_from("aя 😀👍🏽\U0001f9d1\u200d\U0001f4bb\n\ud7ff\ue000"), max_size=40))
def test_utf16_mapper_counts_utf16_code_units(text):
    to16 = utf16_mapper(text)
    for i in range(len(text) + 2):
        expected = len(text[:i].encode("utf-16-le", "surrogatepass")) // 2
        assert to16(i) == utf16_offset(text, i) == expected


# ------------------------------------------------------------------ bad input


def test_body_over_the_limit_gets_413():
    with TestClient(create_app(max_body=1000)) as c:
        body = json.dumps({"text": MARKER * 100}).encode()
        r = _post(c, "/v1/check", body)
        assert r.status_code == 413
        assert MARKER not in r.text

        def chunks():  # no Content-Length: counted as it arrives
            for _ in range(10):
                yield b" " * 200

        r = c.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert _post(c, "/v1/check", json.dumps({"text": "Спасибо."}).encode()).status_code == 200


def test_malformed_and_wrong_content_get_422_without_the_input(client):
    cases = [
        b'{"text": "' + MARKER.encode() + b'"',                        # truncated JSON
        json.dumps({"text": 5, "note": MARKER}).encode(),              # wrong type, unknown key
        json.dumps({"text": MARKER, "channel": "fax"}).encode(),        # unknown channel
        json.dumps({"text": MARKER, "first": "yes"}).encode(),          # not a boolean
        json.dumps([MARKER]).encode(),                                  # not an object
        json.dumps({"message": MARKER}).encode(),                       # text missing
        b"\xff\xfe" + MARKER.encode("utf-16-le"),                       # not UTF-8
    ]
    for body in cases:
        r = _post(client, "/v1/check", body)
        assert r.status_code == 422, body
        assert MARKER not in r.text and MARKER.lower() not in r.text.lower()
        assert all({"loc", "msg", "type"} == set(d) for d in r.json()["detail"])
    r = _post(client, "/v1/check", json.dumps({"text": MARKER}).encode(), content_type="text/plain")
    assert r.status_code == 422 and MARKER not in r.text
    loc = _post(client, "/v1/fix", json.dumps({"text": 1}).encode()).json()["detail"][0]["loc"]
    assert loc == ["body", "text"]


# ------------------------------------------------------------------ auth, CORS, defaults


def test_bearer_token_guards_the_api_only():
    with TestClient(create_app(token="s3cret")) as c:
        body = {"text": "Спасибо."}
        r = c.post("/v1/check", json=body)
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
        assert c.post("/v1/check", json=body, headers={"authorization": "Bearer wrong"}).status_code == 401
        assert c.post("/v1/check", json=body, headers={"authorization": "s3cret"}).status_code == 401
        assert c.post("/v1/check", json=body, headers={"authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/v1/rules").status_code == 401
        assert c.get("/healthz").status_code == 200
        schema = c.get("/openapi.json").json()
        assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
        assert schema["paths"]["/v1/check"]["post"]["security"] == [{"bearer": []}]


def test_cors_only_for_listed_origins():
    allowed, other = "https://helpdesk.example.com", "https://evil.example.net"
    with TestClient(create_app(cors_origins=[allowed])) as c:
        r = c.post("/v1/check", json={"text": "Спасибо."}, headers={"origin": allowed})
        assert r.headers.get("access-control-allow-origin") == allowed
        r = c.post("/v1/check", json={"text": "Спасибо."}, headers={"origin": other})
        assert "access-control-allow-origin" not in r.headers
        pre = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
        ok = c.options("/v1/check", headers={"origin": allowed, **pre})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == allowed
        denied = c.options("/v1/check", headers={"origin": other, **pre})
        assert denied.status_code >= 400 and "access-control-allow-origin" not in denied.headers
    with TestClient(create_app()) as c:  # no origins configured: no CORS at all
        r = c.post("/v1/check", json={"text": "Спасибо."}, headers={"origin": allowed})
        assert "access-control-allow-origin" not in r.headers


def test_cors_preflight_needs_no_token():
    allowed = "https://helpdesk.example.com"
    with TestClient(create_app(cors_origins=[allowed], token="t")) as c:
        r = c.options("/v1/check", headers={"origin": allowed, "access-control-request-method": "POST",
                                             "access-control-request-headers": "authorization,content-type"})
        assert r.status_code == 200


def test_parser_defaults_are_safe(monkeypatch):
    args = configure_parser(argparse.ArgumentParser()).parse_args([])
    assert (args.host, args.port, args.max_body) == (DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY)
    assert args.host == "127.0.0.1" and args.port == 8750
    assert args.token is None and args.cors_origin == [] and args.demo is False
    args = configure_parser(argparse.ArgumentParser()).parse_args(
        ["--max-body", "1m", "--cors-origin", "https://a.example", "--cors-origin", "https://b.example"])
    assert args.max_body == 1024 * 1024 and args.cors_origin == ["https://a.example", "https://b.example"]


def test_configure_parser_imports_no_server_stack():
    code = ("import argparse, sys, chatlint.server as s; s.configure_parser(argparse.ArgumentParser()); "
            "print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette', 'httpx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch, capsys):
    from chatlint import server

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if not installed
    args = configure_parser(argparse.ArgumentParser()).parse_args([])
    assert server.run(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "pip install 'chatlint-ru[server]'" in err


def test_cli_has_the_serve_command():
    from chatlint.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    if "serve" not in sub.choices:
        pytest.skip("`chatlint serve` is not wired into chatlint/cli.py yet")
    args = build_parser().parse_args(["serve", "--port", "9999", "--demo"])
    assert (args.host, args.port, args.demo) == ("127.0.0.1", 9999, True)


def test_demo_page_and_files(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "chatlint-widget.js" in page.text or "demo.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    js = client.get("/chatlint-widget.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "export function attachChatlint" in js.text
    assert client.get("/chatlint-widget.css").headers["content-type"].startswith("text/css")
    with TestClient(create_app()) as plain:
        assert plain.get("/").status_code == 404


# ------------------------------------------------------------------ a real server and its log


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """``python -m chatlint.server`` (what ``chatlint serve`` runs) on a free port; yields
    (port, path of its combined stdout/stderr log)."""
    log_path = tmp_path_factory.mktemp("live") / "server.log"
    with served([], log_path) as (port, _):
        yield port, log_path


def _raw(port: int, method: str, path: str, body=None, headers=None, chunked=False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        resp = conn.getresponse()
        return resp.status, resp.read()
    except (BrokenPipeError, ConnectionResetError):
        return None, b""  # the server may close after a 413 while we still send
    finally:
        conn.close()


def test_the_server_log_never_holds_message_text(live):
    port, log_path = live
    json_ct = {"content-type": "application/json"}
    big = json.dumps({"text": (MARKER + " ") * 5000}).encode()
    assert len(big) > DEFAULT_MAX_BODY
    statuses = [
        _raw(port, "POST", "/v1/check", big, json_ct)[0],                                  # 413, Content-Length
        _raw(port, "POST", "/v1/check", iter([big[:40000], big[40000:]]), json_ct, chunked=True)[0],  # 413
        _raw(port, "POST", "/v1/check", b'{"text": "' + MARKER.encode(), json_ct)[0],      # 422 malformed
        _raw(port, "POST", "/v1/check", json.dumps({"text": 1, "x": MARKER}).encode(), json_ct)[0],  # 422
        _raw(port, "POST", "/v1/check", json.dumps({"text": MARKER}).encode(), json_ct)[0],  # 200
        _raw(port, "POST", "/v1/fix", json.dumps({"text": MARKER + " вашу!!"}).encode(), json_ct)[0],  # 200
        _raw(port, "GET", "/v1/check?text=" + urllib.request.quote(MARKER))[0],             # 405
        _raw(port, "GET", "/" + urllib.request.quote(MARKER))[0],                           # 404
    ]
    assert statuses[0] == 413 and statuses[1] in (413, None)
    assert statuses[2:] == [422, 422, 200, 200, 405, 404]

    deadline = time.monotonic() + 5
    while True:
        log = log_path.read_text(encoding="utf-8", errors="replace")
        if (log.count("POST /v1/") >= 6 and " 404 " in log) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert re.search(r"POST /v1/check 413 \d+B", log), log
    assert re.search(r"POST /v1/check 422 \d+B", log), log
    assert re.search(r"POST /v1/check 200 \d+B", log), log
    assert "GET - 404" in log
    for needle in (MARKER, MARKER.lower(), urllib.request.quote(MARKER), "вашу"):
        assert needle not in log, f"message text in the server log:\n{log}"


# ------------------------------------------------------------------ the README's examples


def _readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Pre-send check in the operator UI")
    return text[start:text.index("\n## ", start + 10)]


def _curl_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", _readme_section(), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith("curl ")]


def _replay(argv: list[str], port: int) -> bytes:
    """A curl command line without curl: -s, -H, -d and the URL."""
    url, headers, data = None, {}, None
    it = iter(argv[1:])
    for a in it:
        if a == "-H":
            k, v = next(it).split(":", 1)
            headers[k.strip()] = v.strip()
        elif a == "-d":
            data = next(it).encode()
        elif a == "-s":
            continue
        else:
            url = a
    url = url.replace(":8750", f":{port}").replace("localhost", "127.0.0.1")
    req = urllib.request.Request("http://" + url if "://" not in url else url, data=data, headers=headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200
        return r.read()


def _subset(example, actual, where="$"):
    if isinstance(example, dict):
        assert isinstance(actual, dict), where
        for k, v in example.items():
            assert k in actual, f"{where}.{k} is not in the response"
            _subset(v, actual[k], f"{where}.{k}")
    elif isinstance(example, list):
        assert isinstance(actual, list) and len(actual) == len(example), where
        for i, (e, a) in enumerate(zip(example, actual, strict=True)):
            _subset(e, a, f"{where}[{i}]")
    else:
        assert example == actual, f"{where}: README says {example!r}, the server says {actual!r}"


def test_readme_curl_examples_work_as_written(live):
    port, _ = live
    commands = _curl_commands()
    assert len(commands) >= 4 and any("/v1/check" in c for c in commands) and any("/v1/fix" in c for c in commands)
    outputs = []
    for cmd in commands:
        assert "localhost:8750" in cmd
        if shutil.which("curl"):
            local = cmd.replace("localhost:8750", f"127.0.0.1:{port}")
            done = subprocess.run(["bash", "-c", local + " -w '\\n%{http_code}'"], capture_output=True, timeout=30)
            body, _, status = done.stdout.rpartition(b"\n")
            assert done.returncode == 0 and status == b"200", (cmd, done.stdout, done.stderr)
        else:
            body = _replay(shlex.split(cmd), port)
        outputs.append(json.loads(body))
    # the README's sample response is what the first command prints (abridged)
    sample = re.search(r"```json\n(.*?)```", _readme_section(), re.S).group(1)
    _subset(json.loads(sample), outputs[0])
    fixed = outputs[[i for i, c in enumerate(commands) if "/v1/fix" in c][0]]
    assert fixed["changed"] is True and "Вашу" in fixed["text"]


def test_cli_json_findings_and_server_findings_are_the_same_records(client, tmp_path, monkeypatch, capsys):
    """One serialiser: on the same text the CLI's ``--format json`` finding and the server's
    carry the same fields and values (the CLI adds only ``path``), UTF-16 offsets on fix
    edits included."""
    from chatlint.cli import main

    text = "😀 привет!!! вы можете оплатить картой)))"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.txt").write_text(text, encoding="utf-8")
    main(["check", "m.txt", "--format", "json"])
    cli = json.loads(capsys.readouterr().out)
    server = client.post("/v1/check", json={"text": text}).json()["findings"]
    assert cli and len(cli) == len(server)
    for c, s in zip(cli, server, strict=True):
        assert c.pop("path") == "m.txt"
        assert c == s
    edits = [e for c in cli if c["fix"] for e in c["fix"]["edits"]]
    assert edits and all("start_utf16" in e and "end_utf16" in e for e in edits)
    assert any(e["start_utf16"] == e["start"] + 1 for e in edits)  # after the emoji: one unit more
