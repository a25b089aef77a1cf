"""``chatlint serve`` latency on loopback (SPEC §8: p99 under 20 ms at 200 requests a second).

A measurement, not a test. It starts the server (``python -m chatlint.server``, what
``chatlint serve`` runs: uvicorn, one worker, its default log), warms it up, then sends
``POST /v1/check`` requests on a fixed **open-loop** schedule: request *i* is due at
``t0 + i / rate`` whatever happened to the earlier ones. A few keep-alive connections in
threads take the requests in order; each waits for its due time, sends, and reads the reply.
Latency is measured from the **due time**, not from the moment the request went out, so a
stall that delays the following requests shows up in their latencies too (no coordinated
omission). The bodies are typical operator messages of 300–600 characters from
``benchmarks/corpus.py``, used in turn.

Usage::

    python benchmarks/server_latency.py                 # 200 req/s for 10 s, text report
    python benchmarks/server_latency.py --json          # the same numbers as one JSON object
    python benchmarks/server_latency.py --rate 400 --duration 20 --connections 16
    python benchmarks/server_latency.py --threadpool    # lint in the thread pool, to compare
    python benchmarks/server_latency.py --url http://127.0.0.1:8750   # a server already running
    python benchmarks/server_latency.py --conversation 30   # each draft with the 30 messages before it

``--conversation N`` (issue 17): every request carries the conversation so far — N messages,
client and operator in turn, with times, the operator's taken from the corpus — plus ``now``
and ``merge``, as the operator widget sends them; the server then also runs the dialogue rules
on the conversation with the draft in its place and computes the hints.

Only the standard library and what ``chatlint-ru[server]`` installs are used.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from corpus import build_corpus  # noqa: E402

TARGET_P99_MS = 20.0
TARGET_RATE = 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(threadpool: bool, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("CHATLINT_TOKEN", None)
    if threadpool:
        # the same app with the lint in Starlette's thread pool; uvicorn as `serve` runs it
        code = ("import sys, uvicorn; from chatlint.server import create_app, _configure_logging; "
                "_configure_logging(); uvicorn.run(create_app(threadpool=True), host='127.0.0.1', "
                f"port={port}, access_log=False, log_config=None, server_header=False)")
        cmd = [sys.executable, "-c", code]
    else:
        cmd = [sys.executable, "-m", "chatlint.server", "--host", "127.0.0.1", "--port", str(port)]
    log = open(log_path, "wb")  # noqa: SIM115  (closed by the child's exit)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1):
                return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                sys.exit("the server did not start:\n" + log_path.read_text(errors="replace"))
            time.sleep(0.1)


# the client's side of a conversation (our own wording), used in turn
CLIENT_LINES = (
    "Здравствуйте! Заказ 48213 должны были доставить вчера, но курьер так и не приехал.",
    "А можно узнать, где он сейчас?",
    "Трек-номер не открывается, пишет «не найдено».",
    "Хорошо, а если я не смогу быть дома до шести?",
    "Можно тогда перенести доставку на субботу?",
    "Спасибо. А деньги за доставку вернут?",
    "Понятно. Пришлите, пожалуйста, подтверждение на почту.",
    "Письмо так и не пришло, проверила спам.",
)


def conversation(size: int, corpus: list[str], offset: int) -> list[dict]:
    """``size`` messages, client first, operator and client in turn, 40 s apart."""
    out = []
    for k in range(size):
        client = k % 2 == 0
        text = CLIENT_LINES[(offset + k // 2) % len(CLIENT_LINES)] if client else corpus[(offset + k) % len(corpus)]
        minute, second = divmod(40 * k, 60)
        out.append({"role": "client" if client else "operator", "text": text,
                    "time": f"2026-11-27T10:{minute:02d}:{second:02d}"})
    return out


def messages(n: int, size: int = 0) -> tuple[list[bytes], list[str]]:
    corpus = build_corpus(n=max(n, 50))[:n]
    bodies = []
    for i, t in enumerate(corpus):
        body: dict = {"text": t, "channel": "chat"}
        if size:
            conv = conversation(size, corpus, i)
            minute, second = divmod(40 * size + 20, 60)
            body.update(conversation=conv, now=f"2026-11-27T10:{minute:02d}:{second:02d}", merge=True)
        bodies.append(json.dumps(body, ensure_ascii=False).encode())
    return bodies, corpus


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return math.nan
    k = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[k - 1]


class Client:
    """Keep-alive connections in threads, fed from one open-loop schedule."""

    def __init__(self, base: str, path: str, bodies: list[bytes], connections: int):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port or 80
        self.path, self.bodies, self.connections = path, bodies, connections
        self.headers = {"content-type": "application/json", "connection": "keep-alive"}
        token = os.environ.get("CHATLINT_TOKEN")
        if token:
            self.headers["authorization"] = f"Bearer {token}"

    def _one(self, conn, body) -> tuple[http.client.HTTPConnection, int | str]:
        for attempt in (0, 1):
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                conn.request("POST", self.path, body=body, headers=self.headers)
                resp = conn.getresponse()
                resp.read()
                return conn, resp.status
            except (OSError, http.client.HTTPException) as exc:
                if conn is not None:
                    conn.close()
                conn = None
                if attempt:
                    return None, type(exc).__name__
        return conn, "unreachable"

    def closed_loop(self, n: int) -> None:
        conn = None
        for i in range(n):
            conn, _ = self._one(conn, self.bodies[i % len(self.bodies)])
        if conn is not None:
            conn.close()

    def open_loop(self, rate: float, total: int) -> list[tuple[float, float, float, int | str]]:
        """(due, sent, done, status) of every request, times in seconds from the start."""
        counter = itertools.count()
        lock = threading.Lock()
        results: list[tuple[float, float, float, int | str]] = [None] * total  # type: ignore[list-item]
        t0 = time.perf_counter() + 0.2

        def worker():
            conn = None
            while True:
                with lock:
                    i = next(counter)
                if i >= total:
                    break
                due = t0 + i / rate
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                sent = time.perf_counter()
                conn, status = self._one(conn, self.bodies[i % len(self.bodies)])
                done = time.perf_counter()
                results[i] = (due - t0, sent - t0, done - t0, status)
            if conn is not None:
                conn.close()

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(self.connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results


def summarize(results, rate: float, duration: float, lengths: list[int], args, server: str) -> dict:
    ok = [r for r in results if r[3] == 200]
    latency = sorted((r[2] - r[0]) * 1000 for r in ok)
    service = sorted((r[2] - r[1]) * 1000 for r in ok)
    lag = sorted((r[1] - r[0]) * 1000 for r in results)
    errors: dict[str, int] = {}
    for r in results:
        if r[3] != 200:
            errors[str(r[3])] = errors.get(str(r[3]), 0) + 1
    span = max(r[2] for r in results) - min(r[0] for r in results)

    def stats(values):
        raw = {
            "p50": percentile(values, 50), "p90": percentile(values, 90), "p99": percentile(values, 99),
            "p99.9": percentile(values, 99.9), "max": values[-1] if values else math.nan,
            "mean": sum(values) / len(values) if values else math.nan,
        }
        return {k: round(v, 3) for k, v in raw.items()}

    lat = stats(latency)
    return {
        "server": server,
        "mode": "threadpool" if args.threadpool else "inline",
        "endpoint": args.endpoint,
        "conversation_messages": args.conversation,
        "request_bytes": {"median": sorted(map(len, args.bodies))[len(args.bodies) // 2]},
        "rate_target": rate,
        "rate_achieved": round(len(results) / span, 1) if span > 0 else None,
        "duration_s": duration,
        "requests": len(results),
        "ok": len(ok),
        "errors": errors,
        "connections": args.connections,
        "message_chars": {"min": min(lengths), "median": sorted(lengths)[len(lengths) // 2], "max": max(lengths),
                          "distinct": len(lengths)},
        "latency_ms": lat,
        "service_ms": stats(service),
        "send_lag_ms": {"p50": round(percentile(lag, 50), 3), "p99": round(percentile(lag, 99), 3),
                        "max": round(lag[-1], 3)},
        "target": {"p99_ms": TARGET_P99_MS, "rate": TARGET_RATE,
                   "pass": bool(not errors and rate >= TARGET_RATE and lat["p99"] < TARGET_P99_MS)},
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "uvicorn_extras": {m: _has(m) for m in ("uvloop", "httptools")},
    }


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def render(s: dict) -> str:
    def row(name, d):
        return (f"  {name:<10} p50 {d['p50']:7.2f}  p90 {d['p90']:7.2f}  p99 {d['p99']:7.2f}  "
                f"p99.9 {d['p99.9']:7.2f}  max {d['max']:7.2f}  mean {d['mean']:6.2f}")

    mc = s["message_chars"]
    lines = [
        f"chatlint serve latency: POST {s['endpoint']} on loopback, {s['mode']} lint, "
        f"{s['connections']} keep-alive connections",
        f"  server {s['server']}; Python {s['python']}; {s['machine']}; "
        f"uvloop {'yes' if s['uvicorn_extras']['uvloop'] else 'no'}, "
        f"httptools {'yes' if s['uvicorn_extras']['httptools'] else 'no'}",
        f"  open loop: {s['requests']} requests at {s['rate_target']:g}/s for {s['duration_s']:g} s "
        f"(achieved {s['rate_achieved']}/s); messages {mc['min']}-{mc['max']} chars "
        f"(median {mc['median']}, {mc['distinct']} distinct)"
        + (f"; with {s['conversation_messages']} conversation messages a request "
           f"(median body {s['request_bytes']['median']} bytes)" if s["conversation_messages"] else ""),
        f"  ok {s['ok']}, errors {sum(s['errors'].values())} {s['errors'] or ''}".rstrip(),
        "milliseconds:",
        row("latency", s["latency_ms"]) + "   (from the scheduled send time)",
        row("service", s["service_ms"]) + "   (from the actual send)",
        f"  send lag   p50 {s['send_lag_ms']['p50']:7.2f}  p99 {s['send_lag_ms']['p99']:7.2f}  "
        f"max {s['send_lag_ms']['max']:7.2f}   (client behind schedule)",
        f"target: p99 < {TARGET_P99_MS:g} ms at {TARGET_RATE} req/s, no errors: "
        f"{'PASS' if s['target']['pass'] else 'FAIL'}",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rate", type=float, default=TARGET_RATE, help="requests per second (default 200)")
    p.add_argument("--duration", type=float, default=10.0, help="seconds of measured load (default 10)")
    p.add_argument("--connections", type=int, default=8, help="keep-alive connections/threads (default 8)")
    p.add_argument("--warmup", type=int, default=400, help="closed-loop requests before measuring (default 400)")
    p.add_argument("--messages", type=int, default=64, help="distinct corpus messages to cycle (default 64)")
    p.add_argument("--endpoint", choices=("/v1/check", "/v1/fix"), default="/v1/check")
    p.add_argument("--threadpool", action="store_true", help="run the lint in the thread pool (comparison)")
    p.add_argument("--url", help="use a server already running at this base URL instead of starting one")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--conversation", type=int, default=0, metavar="N",
                   help="send the N messages of the conversation so far with each draft (default 0: none)")
    args = p.parse_args(argv)

    bodies, texts = messages(args.messages, args.conversation)
    args.bodies = bodies
    proc = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            base, server = args.url.rstrip("/"), args.url
        else:
            proc, base = start_server(args.threadpool, Path(tmp) / "server.log")
            server = "python -m chatlint.server (uvicorn, 1 worker)" + (", thread pool" if args.threadpool else "")
        try:
            client = Client(base, args.endpoint, bodies, args.connections)
            client.closed_loop(args.warmup)
            total = max(1, int(args.rate * args.duration))
            results = client.open_loop(args.rate, total)
        finally:
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    summary = summarize(results, args.rate, args.duration, [len(t) for t in texts], args, server)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
