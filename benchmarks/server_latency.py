"""``chatlint serve`` latency on loopback (SPEC §8: p99 under 20 ms at 200 requests a second).

A measurement, not a test. It starts the server (``python -m chatlint.server``, what
``chatlint serve`` runs; ``--workers N`` processes), warms it up, then sends
``POST /v1/check`` requests on a fixed **open-loop** schedule: request *i* is due at
``t0 + i / rate`` whatever happened to the earlier ones. One single-threaded asyncio client
sends each request at its due time on an idle keep-alive connection (at most
``--connections``; when all are busy the request waits, and the wait counts). Latency is
measured from the **due time**, not from the moment the request went out, so a stall that
delays the following requests shows up in their latencies too (no coordinated omission).
Beside the client's figures it reports the server's own time of each request (from its
request log) and the server's CPU time per request (from ``/proc``), which tell a slow
server from a busy machine. The bodies are typical operator messages of 300–600 characters
from ``benchmarks/corpus.py``, used in turn.

Usage::

    python benchmarks/server_latency.py                 # 200 req/s for 10 s, text report
    python benchmarks/server_latency.py --json          # the same numbers as one JSON object
    python benchmarks/server_latency.py --rate 400 --duration 20 --connections 16
    python benchmarks/server_latency.py --workers 2     # two server processes
    python benchmarks/server_latency.py --runs 5        # five measurements in a row, each judged
    python benchmarks/server_latency.py --throughput    # the most checks a second (closed loop)
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
import asyncio
import json
import math
import os
import platform
import socket
import subprocess
import sys
import tempfile
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


def start_server(log_path: Path, serve_args: list[str]) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("CHATLINT_TOKEN", None)
    cmd = [sys.executable, "-m", "chatlint.server", "--host", "127.0.0.1", "--port", str(port), *serve_args]
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
    """One single-threaded asyncio client on a fixed open-loop schedule, over at most
    ``connections`` keep-alive connections (raw HTTP/1.1: a request is a few bytes to write and a
    Content-Length reply to read, so the client's own work stays small beside the server's).

    Earlier versions ran one ``http.client`` connection per thread: with eight threads in one
    interpreter a thread whose request was due waited for the GIL (up to the 5 ms switch
    interval) while another parsed its reply, and that wait was counted as the server's."""

    def __init__(self, base: str, path: str, bodies: list[bytes], connections: int):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or 80
        self.path, self.connections = path, connections
        head = f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
        token = os.environ.get("CHATLINT_TOKEN")
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        self.requests = [(head + f"Content-Length: {len(b)}\r\n\r\n").encode() + b for b in bodies]

    async def _connect(self):
        reader, writer = await asyncio.open_connection(self.host, self.port)
        sock = writer.get_extra_info("socket")
        if sock is not None:  # a request is one write: never wait for Nagle
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reader, writer

    @staticmethod
    async def _exchange(conn, data: bytes) -> int:
        reader, writer = conn
        writer.write(data)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        if b"connection: close" in head.lower():
            raise ConnectionResetError("the server closed the connection")
        return status

    async def _one(self, idle: list, i: int) -> int | str:
        conn = idle.pop() if idle else None
        for attempt in (0, 1):
            try:
                if conn is None:
                    conn = await self._connect()
                status = await self._exchange(conn, self.requests[i % len(self.requests)])
                idle.append(conn)
                return status
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                if conn is not None:
                    conn[1].close()
                conn = None
                if attempt:
                    return type(exc).__name__
        return "unreachable"

    def closed_loop(self, n: int) -> None:
        async def run():
            idle: list = []
            for i in range(n):
                await self._one(idle, i)
            for _, writer in idle:
                writer.close()

        asyncio.run(run())

    def saturate(self, duration: float) -> list[tuple[float, float, int | str]]:
        """Closed loop on every connection at once for ``duration`` seconds: each sends its
        next request as soon as the reply to the last one is read. (start, done, status)."""

        async def run():
            loop = asyncio.get_running_loop()
            results: list = []
            end = loop.time() + duration

            async def one_connection(k: int):
                idle: list = []
                i = k
                while loop.time() < end:
                    t = loop.time()
                    status = await self._one(idle, i)
                    results.append((t, loop.time(), status))
                    i += self.connections
                for _, writer in idle:
                    writer.close()

            await asyncio.gather(*(one_connection(k) for k in range(self.connections)))
            return results

        cpu = time.process_time()
        results = asyncio.run(run())
        self.cpu_s = time.process_time() - cpu
        return results

    def open_loop(self, rate: float, total: int) -> list[tuple[float, float, float, int | str]]:
        """(due, sent, done, status) of every request, times in seconds from the start.

        Request *i* is due at ``t0 + i / rate``; it goes out on an idle connection, or a new one
        while fewer than ``connections`` are open, else it waits for the first to come free (the
        wait counts in its latency: no coordinated omission)."""

        async def run():
            loop = asyncio.get_running_loop()
            results: list = [None] * total
            idle: list = []
            free = asyncio.Semaphore(self.connections)
            t0 = loop.time() + 0.2

            async def request(i: int, due: float):
                async with free:
                    sent = loop.time()
                    status = await self._one(idle, i)
                results[i] = (due - t0, sent - t0, loop.time() - t0, status)

            tasks = []
            for i in range(total):
                due = t0 + i / rate
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                tasks.append(asyncio.ensure_future(request(i, due)))
            await asyncio.gather(*tasks)
            for _, writer in idle:
                writer.close()
            return results

        cpu = time.process_time()
        results = asyncio.run(run())
        self.cpu_s = time.process_time() - cpu
        return results


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of process ``pid`` and its children so far (Linux ``/proc``;
    None elsewhere): the server's cost of a request, which the machine's other load does not
    change the way it changes a latency."""
    if pid is None:
        return None
    try:
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            me = int(stat.parent.name)
            if me == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
                total += (int(fields[11]) + int(fields[12])) / tick
        return total
    except (OSError, ValueError, IndexError):
        return None


def server_times(log_path: Path | None, endpoint: str) -> list[float]:
    """The server's own time of every ``endpoint`` request answered 200 so far, from its
    request log (``POST /v1/check 200 16675B 2.9ms``: from the app's first byte to its last)."""
    if log_path is None or not log_path.exists():
        return []
    key = f" POST {endpoint} 200 "
    out = []
    for line in log_path.read_text(errors="replace").splitlines():
        if key in line and line.endswith("ms"):
            try:
                out.append(float(line.rsplit(" ", 1)[1][:-2]))
            except ValueError:
                pass
    return out


def summarize(results, rate: float, duration: float, lengths: list[int], args, server: str,
              server_ms: list[float] | None = None, client_cpu_s: float | None = None,
              server_cpu_s: float | None = None) -> dict:
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
        "workers": args.workers,
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
        "server_ms": stats(sorted(server_ms)) if server_ms else None,
        "client_cpu_s": round(client_cpu_s, 3) if client_cpu_s is not None else None,
        "server_cpu_ms_per_request": round(server_cpu_s * 1000 / len(results), 3) if server_cpu_s else None,
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
        f"chatlint serve latency: POST {s['endpoint']} on loopback, "
        f"{s['connections']} keep-alive connections at most",
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
        *([row("server", s["server_ms"]) + "   (the server's own time, from its log)"] if s["server_ms"] else []),
        f"  send lag   p50 {s['send_lag_ms']['p50']:7.2f}  p99 {s['send_lag_ms']['p99']:7.2f}  "
        f"max {s['send_lag_ms']['max']:7.2f}   (client behind schedule)"
        + (f"; client CPU {s['client_cpu_s']:.2f} s" if s["client_cpu_s"] is not None else ""),
        *([f"  server CPU {s['server_cpu_ms_per_request']:.2f} ms a request (user + system, all its processes)"]
          if s["server_cpu_ms_per_request"] else []),
        f"target: p99 < {TARGET_P99_MS:g} ms at {TARGET_RATE} req/s, no errors: "
        f"{'PASS' if s['target']['pass'] else 'FAIL'}",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rate", type=float, default=TARGET_RATE, help="requests per second (default 200)")
    p.add_argument("--duration", type=float, default=10.0, help="seconds of measured load (default 10)")
    p.add_argument("--connections", type=int, default=8, help="keep-alive connections at most (default 8)")
    p.add_argument("--warmup", type=int, default=400, help="closed-loop requests before measuring (default 400)")
    p.add_argument("--messages", type=int, default=64, help="distinct corpus messages to cycle (default 64)")
    p.add_argument("--endpoint", choices=("/v1/check", "/v1/fix"), default="/v1/check")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="start the server with --workers N (processes; default 1)")
    p.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                   help="one more argument for the server it starts (repeatable: --serve-arg=--threads "
                        "--serve-arg=2)")
    p.add_argument("--url", help="use a server already running at this base URL instead of starting one")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--conversation", type=int, default=0, metavar="N",
                   help="send the N messages of the conversation so far with each draft (default 0: none)")
    p.add_argument("--throughput", action="store_true",
                   help="measure the most requests a second instead: every connection sends its next request "
                        "as soon as it has the reply (closed loop)")
    p.add_argument("--runs", type=int, default=1, metavar="K",
                   help="measure K times in a row against the same server; PASS needs every run to pass")
    args = p.parse_args(argv)

    bodies, texts = messages(args.messages, args.conversation)
    args.bodies = bodies
    proc = None
    summaries = []
    with tempfile.TemporaryDirectory() as tmp:
        log_path = None
        if args.url:
            base, server = args.url.rstrip("/"), args.url
        else:
            log_path = Path(tmp) / "server.log"
            serve_args = ["--workers", str(args.workers), *args.serve_arg]
            proc, base = start_server(log_path, serve_args)
            server = "python -m chatlint.server " + " ".join(serve_args)
        try:
            client = Client(base, args.endpoint, bodies, args.connections)
            client.closed_loop(args.warmup)
            total = max(1, int(args.rate * args.duration))
            for _ in range(max(1, args.runs) if args.throughput else 0):
                cpu = cpu_seconds(proc.pid if proc is not None else None)
                done = client.saturate(args.duration)
                cpu_after = cpu_seconds(proc.pid if proc is not None else None)
                ok = sorted((b - a) * 1000 for a, b, status in done if status == 200)
                span = max(b for _, b, _ in done) - min(a for a, _, _ in done)
                summaries.append({
                    "server": server, "workers": args.workers, "connections": args.connections,
                    "conversation_messages": args.conversation, "requests": len(done), "ok": len(ok),
                    "throughput_per_s": round(len(ok) / span, 1),
                    "latency_ms": {k: round(percentile(ok, q), 3) for k, q in (("p50", 50), ("p99", 99))},
                    "server_cpu_ms_per_request": round((cpu_after - cpu) * 1000 / len(done), 3)
                    if cpu is not None and cpu_after is not None else None,
                    "target": {"pass": True}})
                if not args.json:
                    t = summaries[-1]
                    print(f"throughput: {server}, {args.connections} connections each with one request in "
                          f"flight, {args.duration:g} s: {t['throughput_per_s']} requests/s, ok {t['ok']} of "
                          f"{t['requests']}; latency p50 {t['latency_ms']['p50']:.2f} ms, p99 "
                          f"{t['latency_ms']['p99']:.2f} ms; server CPU {t['server_cpu_ms_per_request']} ms a request")
            for _ in range(0 if args.throughput else max(1, args.runs)):
                before = len(server_times(log_path, args.endpoint))
                cpu = cpu_seconds(proc.pid if proc is not None else None)
                results = client.open_loop(args.rate, total)
                cpu_after = cpu_seconds(proc.pid if proc is not None else None)
                time.sleep(0.2)  # the last log lines
                own = server_times(log_path, args.endpoint)[before:]
                summaries.append(summarize(results, args.rate, args.duration, [len(t) for t in texts], args,
                                           server, own, client.cpu_s,
                                           cpu_after - cpu if cpu is not None and cpu_after is not None else None))
                if not args.json:
                    sys.stdout.write(render(summaries[-1]))
                    sys.stdout.flush()
        finally:
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    if args.throughput:
        if args.json:
            print(json.dumps(summaries[0] if len(summaries) == 1 else {"runs": summaries}, ensure_ascii=False,
                             indent=2))
        return 0
    passed = sum(s["target"]["pass"] for s in summaries)
    if args.json:
        out = summaries[0] if len(summaries) == 1 else {
            "runs": summaries, "passed": passed, "pass": passed == len(summaries),
            "p99_ms": [s["latency_ms"]["p99"] for s in summaries]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    elif len(summaries) > 1:
        print(f"{passed} of {len(summaries)} runs PASS; latency p99 ms: "
              + ", ".join(f"{s['latency_ms']['p99']:.2f}" for s in summaries)
              + "; p99.9 ms: " + ", ".join(f"{s['latency_ms']['p99.9']:.2f}" for s in summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
