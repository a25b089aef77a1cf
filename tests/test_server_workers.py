"""``chatlint serve`` under load (issues 17 and 18): the conversations' document cache as a
setting, the warm-up's objects kept out of the garbage collector's way, check threads, and
``--workers N`` processes that share one listening socket with TCP_NODELAY on every
connection (uvicorn's own ``--workers`` leaves it off: encode/uvicorn#3149)."""

from __future__ import annotations

import gc
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from server_support import free_port, served

pytest.importorskip("fastapi", reason="the server extra is not installed: pip install 'chatlint-ru[server]'")
TestClient = pytest.importorskip("starlette.testclient").TestClient

from chatlint.server import create_app, listening_socket, worker_sockets  # noqa: E402
from chatlint.server import main as serve_main  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

CONVERSATION = [
    {"role": "client", "text": "Добрый вечер! Не могу оплатить заказ картой.", "time": "2026-11-27T18:00:00"},
    {"role": "operator", "text": "Здравствуйте, меня зовут Ольга. Подскажите номер заказа?",
     "time": "2026-11-27T18:00:30"},
    {"role": "client", "text": "Номер 77120.", "time": "2026-11-27T18:01:00"},
    {"role": "operator", "text": "Спасибо, проверяю оплату.", "time": "2026-11-27T18:01:20"},
    {"role": "client", "text": "Банк пишет, что платёж отклонён.", "time": "2026-11-27T18:02:00"},
    {"role": "operator", "text": "Вижу, платёж не прошёл из-за лимита карты.", "time": "2026-11-27T18:02:40"},
]
DRAFT = {"text": "Попробуйте, пожалуйста, оплатить ещё раз или выбрать оплату при получении.",
         "conversation": CONVERSATION, "now": "2026-11-27T18:03:00"}


# ------------------------------------------------------------------ the document cache


def test_the_document_cache_size_is_a_setting():
    app = create_app(document_cache=3)
    with TestClient(app) as c:
        r = c.post("/v1/check", json=DRAFT)
        assert r.status_code == 200, r.text
        assert app.state.documents.size == 3
        assert 0 < len(app.state.documents) <= 3
    default = create_app()
    assert default.state.documents.size == 1024


def test_a_document_cache_of_zero_keeps_nothing_and_checks_the_same():
    cached, uncached = create_app(), create_app(document_cache=0)
    assert uncached.state.documents is None
    with TestClient(cached) as a, TestClient(uncached) as b:
        for _ in range(2):  # the second check reads the cache
            assert a.post("/v1/check", json=DRAFT).json() == b.post("/v1/check", json=DRAFT).json()


@pytest.mark.parametrize("argv", [["--document-cache", "-1"], ["--document-cache", "lots"],
                                  ["--threads", "0"], ["--workers", "0"], ["--workers", "65"], ["--workers", "two"]])
def test_serve_options_are_checked(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        serve_main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert argv[0] in err and "Traceback" not in err


def test_create_app_rejects_a_negative_cache():
    with pytest.raises(ValueError, match="document_cache"):
        create_app(document_cache=-1)


# ------------------------------------------------------------------ the garbage collector


def test_the_warm_up_is_frozen_out_of_the_collectors_scans():
    gc.unfreeze()
    try:
        with TestClient(create_app(freeze=True)) as c:
            assert c.get("/healthz").status_code == 200
            assert gc.get_freeze_count() > 10_000  # the rules, lexicons and plans the warm-up loaded
    finally:
        gc.unfreeze()
    with TestClient(create_app()) as c:  # off by default: an app inside another program leaves its gc alone
        assert c.get("/healthz").status_code == 200
        assert gc.get_freeze_count() == 0


# ------------------------------------------------------------------ the listening socket


def test_the_listening_socket_gives_connections_with_nodelay():
    sock = listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY only for such sockets
        port = sock.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            conn, _ = sock.accept()
            with conn:
                assert conn.proto == socket.IPPROTO_TCP
                assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        sock.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT spreads connections on Linux")
def test_each_worker_listens_on_its_own_socket_of_one_port():
    socks = worker_sockets("127.0.0.1", 0, 3)
    try:
        assert len(socks) == 3
        assert len({s.getsockname() for s in socks}) == 1
        assert all(s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) for s in socks)
        # the port is theirs: a server started again on it is refused, not let in to share
        with pytest.raises(OSError):
            worker_sockets("127.0.0.1", socks[0].getsockname()[1], 2)
    finally:
        for s in socks:
            s.close()
    single = worker_sockets("127.0.0.1", 0, 1)  # one worker: one plain socket
    assert len(single) == 1 and not single[0].getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
    single[0].close()


def test_a_port_in_use_is_a_one_line_error(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = serve_main(["--port", str(port), "--workers", "2"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(port) in err[0] and "Traceback" not in err[0]


# ------------------------------------------------------------------ --workers N


def _children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    if not hasattr(os, "fork"):
        pytest.skip("--workers N needs fork()")
    log_path = tmp_path_factory.mktemp("workers") / "server.log"
    with served(["--workers", "2"], log_path, timeout=60) as (port, proc):
        yield proc, port, log_path


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_two_worker_processes_share_the_port(two_workers):
    proc, port, log_path = two_workers
    deadline = time.monotonic() + 30
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_children(proc.pid)) == 2
    # each worker answers on its own connections: open several, check on each
    conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(16)]
    try:
        for c in conns:
            c.request("POST", "/v1/check", body=__import__("json").dumps(DRAFT).encode(),
                      headers={"content-type": "application/json"})
            r = c.getresponse()
            assert r.status == 200 and b'"findings"' in r.read()
    finally:
        for c in conns:
            c.close()
    time.sleep(0.3)
    log = log_path.read_text(errors="replace")
    answered_by = set(re.findall(r"\[(\d+)\] INFO chatlint.server: POST /v1/check 200 ", log))
    assert answered_by <= {str(pid) for pid in _children(proc.pid)}
    if sys.platform.startswith("linux"):  # 16 connections over two sockets: both get some
        assert len(answered_by) == 2, log[-2000:]


def test_keep_alive_requests_do_not_wait_for_delayed_acks(two_workers):
    """With Nagle's algorithm on, every keep-alive reply after the first waits ~40 ms for the
    client's delayed ACK (the headers and the body go out as two writes)."""
    _, port, _ = two_workers
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    times = []
    try:
        for _ in range(15):
            t0 = time.perf_counter()
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            r.read()
            assert r.status == 200
            times.append(time.perf_counter() - t0)
    finally:
        conn.close()
    assert statistics.median(times[1:]) < 0.020, [round(t * 1000, 1) for t in times]


def test_a_dead_worker_is_replaced_and_terminating_the_server_stops_every_worker(tmp_path):
    if not hasattr(os, "fork") or not Path("/proc").is_dir():
        pytest.skip("--workers N needs fork(); the test reads /proc")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with open(tmp_path / "server.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "chatlint.server", "--port", str(port), "--workers", "2"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while len(_children(proc.pid)) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()
            time.sleep(0.1)
        # a worker that dies is replaced, and the port keeps answering
        killed = min(_children(proc.pid))
        os.kill(killed, signal.SIGKILL)
        while not (len(_children(proc.pid)) == 2 and killed not in _children(proc.pid)):
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()
            time.sleep(0.1)
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert "exited with status -9" in (tmp_path / "server.log").read_text()
        workers = _children(proc.pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
        time.sleep(0.2)
        alive = {pid for pid in workers if Path(f"/proc/{pid}").exists()
                 and Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"}
        assert not alive
    finally:
        if proc.poll() is None:
            proc.kill()
