"""``chatlint serve``: the HTTP API for pre-send checks in the operator UI (an optional extra).

::

    POST /v1/check   {text, channel?, first?, last?, merge?}  -> {findings, counts}
                     {..., conversation: [{role, text, time?}], now?, operator?}
                                                              -> {findings, counts, first, hints}
    POST /v1/fix     {text, channel?, first?, last?, unsafe?} -> {text, changed, applied, findings}
    GET  /v1/rules                                            -> [{code, name, severity, fix, channels, summary, why}]
    GET  /healthz                                             -> {status, version}
    GET  /openapi.json                                        -> the OpenAPI schema
    GET  /  (with --demo)                                     -> the demo page of examples/operator-ui

Findings carry the ``Finding`` fields plus ``start_utf16``/``end_utf16`` (and the same on each
fix edit), which a browser uses directly as JavaScript string indices, and the rule's
one-line ``summary``. Summaries and ``why`` are in the configuration's ``lang``: Russian
(the rules' docstrings, **Что проверяет**/**Почему это важно**) by default, the English docstrings with ``lang = "en"``.

Security defaults: binds to 127.0.0.1; request bodies over ``--max-body`` bytes get 413
(before the body is read when Content-Length says so); a body that is not UTF-8, malformed
or over-deep JSON, and wrong types get 422 with the error's location and kind but never the
input nor a key the client made up; without a token, a ``Host`` other than the bound address
or an ``--allowed-host`` gets 403 (DNS rebinding); ``/docs`` only with ``--docs``; checks run
in a thread pool within ``--max-check-ms`` (503 with Retry-After over it); CORS only for the origins given with
``--cors-origin``; an optional bearer token (``--token`` or ``CHATLINT_TOKEN``) for ``/v1/*``.
The server never writes message text to its log: one line per request with the method, a
known route (or ``-``), the status, the body size and the time; uvicorn's own access log
(which would show query strings) is off.

This module imports the standard library and pydantic (its request and response models are
defined here, at module level) at import time: ``chatlint check`` builds the ``serve``
sub-parser without paying for FastAPI or uvicorn.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from .findings import CHANNELS, Channel, Severity

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750
DEFAULT_MAX_BODY = 64 * 1024  # bytes: some 30,000 Cyrillic characters, far above any chat reply
DEFAULT_MAX_CHECK_MS = 2000  # a check's time budget (a chat reply takes ~1 ms): 503 over it
DEFAULT_THREADS = 4  # threads that run checks, off the event loop (in each worker process)
DEFAULT_WORKERS = 1  # server processes sharing the listening socket
# parsed conversation messages kept between checks (LRU), per process: a 300-600 character
# message parsed is some 40 KB and 150 objects that a full garbage collection walks
# (~50 us each), so 1024 is ~40 MB and ~45 ms (4096 was ~160 MB and ~200 ms)
DEFAULT_DOCUMENT_CACHE = 1024
MAX_WORKERS = 64
EXTRA_HINT = "pip install 'chatlint-ru[server]'"
TOKEN_ENV = "CHATLINT_TOKEN"
LOGGER_NAME = "chatlint.server"
_UI_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
             ".css": "text/css; charset=utf-8"}
_DEMO_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
             "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
_WARM_UP = ("Здравствуйте, меня зовут Анна, чем я могу вам помочь?!! :) 👍🏽 ;) Подробнее: "
            "https://shop.example.ru/a (см. ниже).\n* раз\n* два\n\nВАЖНО: Здрaвствуйте, щас 1) а 2) б 3) в.\n"
            "Итого: всё. Всего доброго, будут ещё вопросы - обращайтесь!")


# ------------------------------------------------------------------ CLI glue


def _max_body(value: str) -> int:
    """``--max-body``: bytes, with an optional k/m suffix (64k, 1m)."""
    v = value.strip().lower()
    scale = {"k": 1024, "m": 1024 * 1024}.get(v[-1:], 1)
    try:
        n = int(v[:-1] if scale != 1 else v) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size in bytes: {value!r} (e.g. 65536, 64k, 1m)") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1 byte")
    return n


def _bounded(name: str, low: int, high: int):
    def parse(value: str) -> int:
        try:
            n = int(value, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r} ({low}-{high})") from None
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"{n} is out of range ({low}-{high})")
        return n

    return parse


def _port(value: str) -> int:
    """``--port``: a TCP port, 1-65535."""
    try:
        n = int(value, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r} (1-65535)") from None
    if not 1 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"{n} is not a port number (1-65535)")
    return n


def configure_parser(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``serve`` options to ``p`` (standard library only: no server import here)."""
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to bind (default {DEFAULT_HOST}: this machine only)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port, 1-65535 (default {DEFAULT_PORT})")
    p.add_argument("--config", metavar="FILE",
                   help="a chatlint.toml or pyproject.toml (default: discovered from the current directory)")
    p.add_argument("--demo", action="store_true", help="also serve the operator-UI demo page at /")
    p.add_argument("--token", default=None,
                   help=f"require 'Authorization: Bearer TOKEN' on /v1/* (default: ${TOKEN_ENV}, else none; "
                        "prefer the variable: a command line is visible to other users)")
    p.add_argument("--max-body", type=_max_body, default=DEFAULT_MAX_BODY, metavar="BYTES",
                   help=f"largest request body; larger ones get 413 (default {DEFAULT_MAX_BODY // 1024}k)")
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="a web origin allowed to call the API from a browser (repeatable; default: none)")
    p.add_argument("--allow-extension", action="store_true",
                   help="allow the chatlint browser add-on's origin (chrome-extension://ID, the same on every "
                        "machine: chatlint extension id), as --cors-origin would")
    p.add_argument("--max-check-ms", type=_bounded("--max-check-ms", 1, 600_000), default=DEFAULT_MAX_CHECK_MS,
                   metavar="MS", help=f"time budget of one check; over it the answer is 503 with Retry-After "
                                      f"(default {DEFAULT_MAX_CHECK_MS})")
    p.add_argument("--threads", type=_bounded("--threads", 1, 64), default=DEFAULT_THREADS, metavar="N",
                   help=f"threads that run checks off the event loop, in each process (default {DEFAULT_THREADS})")
    p.add_argument("--workers", type=_bounded("--workers", 1, MAX_WORKERS), default=DEFAULT_WORKERS, metavar="N",
                   help="server processes that share the port, each with its own event loop, check threads and "
                        f"caches: one per core for more checks a second (default {DEFAULT_WORKERS}; needs fork(): "
                        "Linux, macOS)")
    p.add_argument("--document-cache", type=_bounded("--document-cache", 0, 1_000_000),
                   default=DEFAULT_DOCUMENT_CACHE, metavar="N",
                   help="parsed conversation messages kept between checks, in each process (an LRU in memory "
                        f"only; 0: none; default {DEFAULT_DOCUMENT_CACHE}: some 40 MB, ~40 KB a message)")
    p.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="a Host name the server answers to without a token, besides the bound address "
                        "(repeatable; other Host headers get 403: DNS rebinding)")
    p.add_argument("--docs", action="store_true",
                   help="serve the interactive API page at /docs (it loads scripts from a CDN; default off)")
    return p


def _loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def run(args: argparse.Namespace) -> int:
    """``chatlint serve``: run the server until interrupted. Exit code 2 when it cannot start."""
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        print(f"chatlint: error: `chatlint serve` needs the server extra: {EXTRA_HINT}", file=sys.stderr)
        return 2

    from .config import load_config
    from .errors import ConfigError

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"chatlint: configuration error: {exc}", file=sys.stderr)
        return 2
    token = args.token if args.token is not None else os.environ.get(TOKEN_ENV) or None
    cors = list(args.cors_origin)
    if getattr(args, "allow_extension", False):
        from .extension import ExtensionError, origin

        try:
            cors.append(origin())
        except ExtensionError as exc:
            print(f"chatlint: error: --allow-extension: {exc}", file=sys.stderr)
            return 2
    workers = getattr(args, "workers", DEFAULT_WORKERS)
    if workers > 1 and not hasattr(os, "fork"):
        print(f"chatlint: error: --workers {workers} needs fork(), which this platform lacks: use --workers 1",
              file=sys.stderr)
        return 2
    try:
        app = create_app(config, demo=args.demo, token=token, max_body=args.max_body,
                         cors_origins=cors, max_check_ms=args.max_check_ms,
                         threads=getattr(args, "threads", DEFAULT_THREADS), host=args.host,
                         allowed_hosts=args.allowed_host, docs=args.docs,
                         document_cache=getattr(args, "document_cache", DEFAULT_DOCUMENT_CACHE), freeze=True)
    except ConfigError as exc:  # a rule pack of the configuration is broken
        print(f"chatlint: configuration error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, FileNotFoundError) as exc:
        print(f"chatlint: error: {exc}", file=sys.stderr)
        return 2
    from . import compiled

    compiled.keep()  # (a server stopped by SIGTERM ends without atexit)

    _configure_logging()
    import logging

    log = logging.getLogger(LOGGER_NAME)
    if not _loopback(args.host) and not token:
        log.warning("listening on %s without a token: anyone who can reach it can use it (see --token)", args.host)
        if args.host in ("0.0.0.0", "::") and not args.allowed_host:
            log.warning("bound to every interface without a token: only requests whose Host header is a name "
                        "given with --allowed-host are answered (the others get 403)")
    where = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}"
    if workers > 1:
        try:
            socks = worker_sockets(args.host, args.port, workers)
        except OSError as exc:
            print(f"chatlint: error: cannot listen on {args.host} port {args.port}: {exc.strerror or exc} "
                  "(is another server on it? choose another --port)", file=sys.stderr)
            return 2
        log.info("chatlint %s on %s%s, %d worker processes", _version(), where,
                 " (demo page at /)" if args.demo else "", workers)
        _configure_logging(with_pid=True)
        return _supervise(app, socks, workers, config)
    log.info("chatlint %s on %s%s", _version(), where, " (demo page at /)" if args.demo else "")
    try:
        uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_config=None,
                    server_header=False, lifespan="on")
    except SystemExit as exc:  # uvicorn exits 1 when it cannot bind; it has logged why
        return 2 if exc.code else 0
    except KeyboardInterrupt:
        return 0
    return 0


def listening_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A TCP socket listening on ``host``:``port`` for a worker process.

    Created with ``IPPROTO_TCP`` as its protocol, and with ``TCP_NODELAY`` set, so that every
    connection accepted from it answers without Nagle's algorithm. (uvicorn's ``--workers``
    binds its shared socket with protocol 0; accepted sockets inherit it, asyncio then skips
    ``TCP_NODELAY``, and each keep-alive reply after the first waits ~40 ms for the client's
    delayed ACK: encode/uvicorn#3149.) ``reuse_port``: ``SO_REUSEPORT``, so that several
    such sockets listen on one port and the kernel spreads the connections over them."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(address)
        sock.listen(2048)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


def worker_sockets(host: str, port: int, workers: int) -> list[socket.socket]:
    """The listening sockets of ``workers`` processes: on Linux one each, in one
    ``SO_REUSEPORT`` group (the kernel spreads new connections evenly over the workers; on a
    single shared socket the first worker to wake takes a whole burst of connections and
    keeps their keep-alive traffic); elsewhere one socket that they share. The port is
    first bound alone, so a port in use (by anyone, another chatlint included) is an error
    rather than a silent share."""
    if not (workers > 1 and sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")):
        return [listening_socket(host, port)]
    probe = listening_socket(host, port)  # fails when the port is taken; also picks a port for 0
    port = probe.getsockname()[1]
    probe.close()
    socks: list[socket.socket] = []
    try:
        for _ in range(workers):
            socks.append(listening_socket(host, port, reuse_port=True))
    except OSError:
        for sock in socks:
            sock.close()
        raise
    return socks


def _supervise(app, socks: list[socket.socket], workers: int, config) -> int:
    """Run ``workers`` forked processes, each a uvicorn server on its socket of ``socks`` (or
    the one they share); start another when one dies; on SIGTERM or SIGINT stop them all and
    return 0.

    The parent warms up (rules, lexicons, morphology, every channel's plan) and freezes what
    it loaded out of the garbage collector's scans before forking, so the workers start warm
    and share those pages until they write to them."""
    import gc
    import logging
    import signal

    import uvicorn

    log = logging.getLogger(LOGGER_NAME)
    _warm_up(config)
    gc.collect()
    gc.freeze()
    children: dict[int, tuple[int, float]] = {}  # pid -> (worker number, start time)
    stopping = False
    quick_deaths = 0

    def start(k: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                server = uvicorn.Server(uvicorn.Config(app, access_log=False, log_config=None,
                                                       server_header=False, lifespan="on"))
                for other in socks:
                    if other is not socks[k % len(socks)]:
                        other.close()
                server.run(sockets=[socks[k % len(socks)]])
                code = 0 if server.started else 1
            except BaseException:  # noqa: BLE001  (a worker never returns into the parent's code)
                code = 1
            finally:
                os._exit(code)
        children[pid] = (k, time.monotonic())
        log.info("worker %d started (pid %d)", k, pid)

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for k in range(workers):
            start(k)
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            k, started = children.pop(pid, (None, 0.0))
            if k is None or stopping:
                continue
            quick_deaths = quick_deaths + 1 if time.monotonic() - started < 5 else 0
            log.warning("worker %d (pid %d) exited with status %d", k, pid, os.waitstatus_to_exitcode(status))
            if quick_deaths >= 3:
                log.error("workers keep exiting at start: stopping the server")
                stop(signal.SIGTERM, None)
                return 1
            start(k)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sock in socks:
            sock.close()
    log.info("all workers stopped")
    return 0


def _warm_up(config) -> None:
    """Load morphology, lexicons, emoji data and every channel's plan (the first emoji alone
    costs ~15 ms otherwise)."""
    from .engine import lint_message

    for ch in CHANNELS:
        lint_message(_WARM_UP, channel=ch, first=True, last=True, config=config)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m chatlint.server``: the same as ``chatlint serve``."""
    p = configure_parser(argparse.ArgumentParser(prog="chatlint serve", description="HTTP API for pre-send checks"))
    return run(p.parse_args(argv))


def _version() -> str:
    from . import __version__

    return __version__


def _configure_logging(with_pid: bool = False) -> None:
    """One stream handler on stderr for chatlint and uvicorn; warnings without their text
    (a rule's crash warning may quote the message)."""
    import logging
    import warnings

    handler = logging.StreamHandler(sys.stderr)
    pid = "[%(process)d] " if with_pid else ""  # which worker process wrote the line
    handler.setFormatter(logging.Formatter(f"%(asctime)s {pid}%(levelname)s %(name)s: %(message)s"))
    for name in (LOGGER_NAME, "uvicorn", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers[:] = [handler]
        lg.setLevel(logging.INFO)
        lg.propagate = False
    logging.getLogger("uvicorn.access").disabled = True

    def showwarning(message, category, filename, lineno, file=None, line=None):  # noqa: ARG001
        logging.getLogger(LOGGER_NAME).warning(
            "%s at %s:%s (details withheld: they may quote a message)", category.__name__, filename, lineno
        )

    warnings.showwarning = showwarning


# ------------------------------------------------------------------ JSON of findings


def finding_records(text: str, findings: Iterable[Any], summaries: dict[str, str]) -> list[dict]:
    """Findings as JSON-able dicts: the one serialiser's records (the CLI's ``--format json``
    gives the same fields, plus ``path``)."""
    from .findings import finding_record

    return [finding_record(f, text, summaries.get(f.code, "")) for f in findings]


def _json_bytes(payload: Any) -> bytes:
    """Compact UTF-8 JSON; escapes instead when the text holds lone surrogates (valid JSON,
    JSON.parse turns them back into the same UTF-16 string)."""
    s = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def ui_dir() -> Path:
    """The operator-UI files: ``chatlint/operator_ui`` in a wheel, ``examples/operator-ui`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "operator_ui", here.parent / "examples" / "operator-ui"):
        if (candidate / "index.html").is_file():
            return candidate
    raise FileNotFoundError("the operator-UI demo files are missing (operator_ui/index.html): reinstall chatlint")


# ------------------------------------------------------------------ request and response models


MAX_CONVERSATION = 1000  # messages of the conversation so far in one request


class ConversationMessage(BaseModel):
    """A message of the conversation so far (``/v1/check``'s ``conversation``)."""

    model_config = ConfigDict(extra="forbid")
    role: Literal["operator", "client", "system"]
    text: StrictStr = ""
    time: datetime | None = Field(None, description="ISO 8601; naive times are read as UTC")
    author: StrictStr | None = None


class CheckRequest(BaseModel):
    """One operator message to check before it is sent."""

    model_config = ConfigDict(extra="forbid")
    text: StrictStr = Field(description="the operator's message")
    channel: Channel | None = Field(None, description="default: the configuration's channel (chat)")
    first: StrictBool = Field(False, description="the operator's first message in the conversation")
    last: StrictBool = Field(False, description="the operator's closing message")
    merge: StrictBool = Field(False, description="one finding per span: findings of several rules on the same "
                                                 "span come as one, with one message and at most one fix "
                                                 "(`merged` lists their codes)")
    conversation: list[ConversationMessage] | None = Field(
        None, max_length=MAX_CONVERSATION,
        description="the conversation so far, oldest first; the text is the operator's draft reply to it. "
                    "`first` then follows from it (no operator message yet), the dialogue rules see the draft in "
                    "its place, and `hints` say what the conversation asks for (a holding message, a greeting, "
                    "a farewell). Nothing is stored.")
    now: datetime | None = Field(None, description="with `conversation`: the draft's time (default: the "
                                                   "server's clock, when the conversation has times)")
    operator: StrictStr | None = Field(None, max_length=200,
                                       description="the operator's name, for the templates' {ИМЯ}")

class FixRequest(CheckRequest):
    """One operator message to fix: safe fixes only unless ``unsafe`` is true. It takes what
    ``/v1/check`` takes, so a client can send the same body to both; ``merge``,
    ``conversation``, ``now`` and ``operator`` do not change what is fixed."""

    unsafe: StrictBool = Field(False, description="also apply unsafe fixes (meaning may change)")

class EditOut(BaseModel):
    start: int
    end: int
    start_utf16: int
    end_utf16: int
    replacement: str

class FixOut(BaseModel):
    edits: list[EditOut]
    applicability: Literal["safe", "unsafe"]
    title: str | None = None

class FindingOut(BaseModel):
    """A finding: the ``Finding`` fields, UTF-16 offsets for browsers, the rule's summary."""

    code: str
    name: str
    severity: Severity
    message: str
    start: int = Field(description="0-based Python str offset (code points)")
    end: int
    start_utf16: int = Field(description="0-based UTF-16 offset: a JavaScript string index")
    end_utf16: int
    line: int
    column: int
    fix: FixOut | None = None
    summary: str = Field(description="what the rule checks, in one sentence (in the configuration's lang)")
    message_index: int | None = None
    speaker: str | None = None
    conversation_id: str | None = None
    round: int | None = Field(None, description="/v1/fix's applied: the fix round (0: the original text), whose "
                                                 "starting text the offsets are into")
    merged: list[str] | None = Field(None, description="with `merge`: the codes of the findings this one stands "
                                                       "for, when several rules hit its span")

class HintOut(BaseModel):
    """What the conversation asks of the draft, with a template to insert in one click."""

    kind: Literal["holding", "greeting", "farewell"]
    message: str = Field(description="in the operator's words, in the configuration's lang")
    template: str | None = Field(None, description="the text to insert (the configuration's templates)")
    at: Literal["start", "end", "replace"] = Field("end", description="where the template goes in the draft")
    wait_s: int | None = Field(None, description="holding: seconds the client has been waiting")

class CheckResponse(BaseModel):
    findings: list[FindingOut]
    counts: dict[str, int] = Field(description="findings by severity: error, warning, info")
    hints: list[HintOut] | None = Field(None, description="with a conversation: live hints")
    first: bool | None = Field(None, description="with a conversation: whether the draft was checked as the "
                                                 "operator's first message")

class FixResponse(BaseModel):
    text: str = Field(description="the fixed text")
    changed: bool
    applied: list[FindingOut] = Field(description="every fix applied, round by round: the findings whose fixes "
                                                  "were applied, each with its `round` (0: the original text; "
                                                  "offsets into the text that round started from)")
    findings: list[FindingOut] = Field(description="what is left in the fixed text (offsets into it)")

class RuleOut(BaseModel):
    code: str
    name: str
    severity: str
    fix: str | None
    channels: list[str]
    summary: str
    why: str

class Health(BaseModel):
    status: str
    version: str


# ------------------------------------------------------------------ the ASGI guard


class _Guard:
    """Pure ASGI middleware in front of the app: bearer auth on ``/v1/*``, the body limit,
    an access log line without any message text, and a last catch for unexpected errors
    (logged by type and frames, never by their message)."""

    def __init__(self, app, *, max_body: int, token: str | None, routes: frozenset[str], headers: dict,
                 hosts: frozenset[str] | None = None):
        import hmac
        import logging

        self.app = app
        self.max_body = max_body
        self.expected = f"Bearer {token}".encode() if token else None
        self.routes = routes
        self.headers = headers  # extra response headers by path
        self.hosts = hosts  # the Host names answered (None: any; a token guards the API instead)
        self.log = logging.getLogger(LOGGER_NAME)
        self._compare = hmac.compare_digest

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        method, path = scope["method"], scope["path"]
        state = {"status": 0, "started": False}
        size = 0
        extra = [(b"x-content-type-options", b"nosniff"), *self.headers.get(path, ())]

        async def send_logged(message):
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                state["started"] = True
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        try:
            if self.hosts is not None:
                got_host = dict(scope["headers"]).get(b"host", b"")
                if _host_of(got_host) not in self.hosts:
                    await _send_json(send_logged, 403, {"detail": "unexpected Host header: this server answers "
                                                                  "its bound address (see --allowed-host)"})
                    return
            if self.expected is not None and path.startswith("/v1/") and method != "OPTIONS":
                got = dict(scope["headers"]).get(b"authorization", b"")
                if not self._compare(got, self.expected):
                    await _send_json(send_logged, 401, {"detail": "missing or invalid bearer token"},
                                     [(b"www-authenticate", b'Bearer realm="chatlint"')])
                    return
            if method in ("POST", "PUT", "PATCH"):
                declared = _content_length(scope)
                if declared is not None and declared > self.max_body:
                    size = declared
                    await self._too_large(send_logged)
                    return
                chunks = []
                more = True
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_body:
                        await self._too_large(send_logged)
                        return
                    chunks.append(chunk)
                    more = message.get("more_body", False)
                body = b"".join(chunks)
                replayed = False

                async def replay():
                    nonlocal replayed
                    if not replayed:
                        replayed = True
                        return {"type": "http.request", "body": body, "more_body": False}
                    return await receive()

                await self.app(scope, replay, send_logged)
            else:
                await self.app(scope, receive, send_logged)
        except Exception as exc:  # noqa: BLE001  (the message of an exception may quote the text)
            import traceback

            frames = "; ".join(f"{Path(fr.filename).name}:{fr.lineno} {fr.name}"
                               for fr in traceback.extract_tb(exc.__traceback__)[-6:])
            self.log.error("internal error %s in %s %s (message withheld) at %s",
                           type(exc).__name__, method, self._route(path), frames)
            if not state["started"]:
                await _send_json(send_logged, 500, {"detail": "internal error"})
        finally:
            self.log.info("%s %s %d %dB %.1fms", method, self._route(path), state["status"], size,
                          (time.perf_counter() - t0) * 1000)

    def _route(self, path: str) -> str:
        return path if path in self.routes else "-"

    async def _too_large(self, send):
        await _send_json(send, 413, {"detail": f"request body too large (limit {self.max_body} bytes)"},
                         [(b"connection", b"close")])


def _content_length(scope) -> int | None:
    for k, v in scope["headers"]:
        if k == b"content-length":
            try:
                return int(v)
            except ValueError:
                return None
    return None


async def _send_json(send, status: int, payload: Any, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    body = _json_bytes(payload)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


# ------------------------------------------------------------------ the app


def create_app(
    config=None,
    *,
    demo: bool = False,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    cors_origins: Sequence[str] = (),
    threadpool: bool = True,
    max_check_ms: int = DEFAULT_MAX_CHECK_MS,
    threads: int = DEFAULT_THREADS,
    host: str | None = None,
    allowed_hosts: Sequence[str] = (),
    docs: bool = False,
    document_cache: int = DEFAULT_DOCUMENT_CACHE,
    freeze: bool = False,
):
    """The ASGI app (FastAPI). ``config``: a :class:`chatlint.Config` (default: the defaults).

    Checks run off the event loop, in a pool of ``threads`` threads, each within
    ``max_check_ms`` (like LanguageTool's ``maxCheckTimeMillis``): over it, the answer is 503
    with ``Retry-After`` and the server keeps answering (``/healthz`` included).
    ``threadpool`` is ignored (kept so that older callers, such as
    ``benchmarks/server_latency.py --threadpool``, still work).

    ``host``: the address the server is bound to; without a ``token``, requests whose
    ``Host`` header names neither it (nor, on loopback, ``localhost``) nor one of
    ``allowed_hosts`` get 403 (a DNS-rebinding page cannot reach the API). ``docs``: serve
    the interactive ``/docs`` page (it loads scripts from a CDN; off by default).

    ``document_cache``: how many parsed conversation messages to keep between checks (an LRU
    by text, in memory only, ``app.state.documents``; 0: none). ``freeze``: after the
    warm-up, move every object loaded so far out of the garbage collector's scans
    (``gc.freeze``; what ``chatlint serve`` does: the rules, lexicons and plans are never
    garbage, and a full collection that walks them stalls every request in flight). Off by
    default, since it is a process-wide setting of whatever program embeds the app.
    """
    import asyncio
    import inspect
    from concurrent.futures import ThreadPoolExecutor
    from contextlib import asynccontextmanager

    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import Response

    from . import __version__
    from .config import default_config
    from .docs import rule_record, rule_text
    from .document import DocumentCache
    from .engine import fix_rounds, lint_message, supersedes_of
    from .findings import merge_groups
    from .live import check_draft
    from .transcript import Message

    if max_body < 1:
        raise ValueError(f"max_body must be at least 1 byte, not {max_body}")
    if not 1 <= max_check_ms <= 600_000:
        raise ValueError(f"max_check_ms must be 1-600000, not {max_check_ms}")
    if not 1 <= threads <= 64:
        raise ValueError(f"threads must be 1-64, not {threads}")
    if document_cache < 0:
        raise ValueError(f"document_cache must be 0 or more, not {document_cache}")
    cfg = config if config is not None else default_config()
    rules = cfg.rules_by_code()
    # summaries and whys in the configuration's language: Russian (each rule's docstring) by
    # default, the English docstring parts with lang = "en"
    texts = {code: rule_text(r, cfg.lang) for code, r in rules.items()}
    summaries = {code: summary for code, (summary, _) in texts.items()}
    rule_list = [{**rule_record(r), "summary": texts[code][0], "why": texts[code][1]} for code, r in rules.items()]
    rules_bytes = _json_bytes(rule_list)
    supersedes = supersedes_of(cfg)
    # the conversations' parsed messages, reused from one keystroke's check to the next (in
    # memory only, bounded; never logged nor written anywhere)
    documents = DocumentCache(document_cache) if document_cache else None
    ui = ui_dir() if demo else None

    class JSONBody(Response):
        media_type = "application/json"

        def render(self, content: Any) -> bytes:
            return content if isinstance(content, bytes) else _json_bytes(content)

    pool: list[ThreadPoolExecutor] = []

    @asynccontextmanager
    async def lifespan(_app):
        # load morphology, lexicons, emoji data and every channel's plan before the first
        # operator types (the first emoji alone costs ~15 ms otherwise)
        _warm_up(cfg)
        if freeze:
            import gc

            gc.collect()
            gc.freeze()
        pool.append(ThreadPoolExecutor(max_workers=threads, thread_name_prefix="chatlint-check"))
        try:
            yield
        finally:
            pool.pop().shutdown(wait=False, cancel_futures=True)

    kwargs: dict[str, Any] = {}
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters:
        # FastAPI's OpenTelemetry hooks can record request bodies and validation inputs
        kwargs["telemetry"] = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}
    app = FastAPI(
        title="chatlint",
        version=__version__,
        summary="Pre-send style checks for support operators' messages",
        description="Findings come with UTF-16 offsets (`start_utf16`, `end_utf16`) for browsers. "
                    "With a token configured, `/v1/*` needs `Authorization: Bearer TOKEN`.",
        lifespan=lifespan,
        redoc_url=None,
        docs_url="/docs" if docs else None,
        **kwargs,
    )

    app.state.documents = documents

    @app.exception_handler(RequestValidationError)
    async def invalid(_request, exc: RequestValidationError):
        # FastAPI's default body echoes the input (the operator's text): keep location and kind only
        return JSONBody({"detail": safe_errors(exc.errors(), None)}, status_code=422)

    def counts(records: list[dict]) -> dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0}
        for r in records:
            c[r["severity"]] = c.get(r["severity"], 0) + 1
        return c

    def do_check(req: CheckRequest) -> JSONBody:
        if req.conversation is not None:
            return do_check_in_conversation(req)
        found = lint_message(req.text, channel=req.channel, first=req.first, last=req.last, config=cfg)
        if not req.merge:
            records = finding_records(req.text, found, summaries)
            return JSONBody({"findings": records, "counts": counts(records)})
        groups = merge_groups(found, supersedes)
        records = finding_records(req.text, [merged for merged, _ in groups], summaries)
        for record, (_, group) in zip(records, groups, strict=True):
            if len(group) > 1:
                record["merged"] = [f.code for f in group]
        return JSONBody({"findings": records, "counts": counts(records)})

    def do_check_in_conversation(req: CheckRequest) -> JSONBody:
        messages = [Message(text=m.text, role=m.role, author=m.author, time=m.time) for m in req.conversation or ()]
        result = check_draft(req.text, messages, channel=req.channel, last=req.last, now=req.now,
                             operator=req.operator, config=cfg, documents=documents)
        found = result.findings
        if req.merge:
            groups = merge_groups(found, supersedes)
            records = finding_records(req.text, [merged for merged, _ in groups], summaries)
            for record, (_, group) in zip(records, groups, strict=True):
                if len(group) > 1:
                    record["merged"] = [f.code for f in group]
        else:
            records = finding_records(req.text, found, summaries)
        return JSONBody({"findings": records, "counts": counts(records), "first": result.first,
                         "hints": [h.record() for h in result.hints]})

    def do_fix(req: FixRequest) -> JSONBody:
        kw = dict(channel=req.channel, first=req.first, last=req.last, config=cfg)
        fixed, rounds = fix_rounds(req.text, unsafe=req.unsafe, **kw)
        after = lint_message(fixed, **kw)
        applied = []
        for k, (text, found) in enumerate(rounds):
            for record in finding_records(text, found, summaries):
                record["round"] = k
                applied.append(record)
        return JSONBody({
            "text": fixed,
            "changed": fixed != req.text,
            "applied": applied,
            "findings": finding_records(fixed, after, summaries),
        })

    budget = max_check_ms / 1000
    busy = {"detail": f"the check did not finish within {max_check_ms} ms: retry later, or send a shorter text"}

    async def budgeted(fn, req) -> Response:
        if not pool:  # outside the lifespan (an app driven without it): run here
            return fn(req)
        try:
            return await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(pool[0], fn, req), budget)
        except TimeoutError:
            # the thread finishes on its own (a thread cannot be killed); the client is free now
            return JSONBody(busy, status_code=503, headers={"retry-after": str(max(1, round(budget * 2)))})

    def endpoint(model, fn):
        async def handle(request: Request):
            req, problems = parse_request(model, await request.body(), request.headers.get("content-type", ""))
            if problems:
                return JSONBody({"detail": problems}, status_code=422)
            return await budgeted(fn, req)

        handle.__annotations__ = {"request": Request}  # the class itself: FastAPI reads it
        return handle

    errors = {413: {"description": "body over the limit"},
              422: {"description": "not UTF-8, malformed or over-deep JSON, or wrong types"},
              503: {"description": f"the check took longer than {max_check_ms} ms (see Retry-After)"}}

    def body_schema(model) -> dict:
        return {"requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}

    app.add_api_route("/v1/check", endpoint(CheckRequest, do_check), methods=["POST"], response_model=CheckResponse,
                      response_class=JSONBody, responses=errors, summary="Check a message", name="check",
                      openapi_extra=body_schema(CheckRequest))
    app.add_api_route("/v1/fix", endpoint(FixRequest, do_fix), methods=["POST"], response_model=FixResponse,
                      response_class=JSONBody, responses=errors, summary="Apply the safe fixes", name="fix",
                      openapi_extra=body_schema(FixRequest))

    @app.get("/v1/rules", response_model=list[RuleOut], response_class=JSONBody, summary="Every rule")
    async def list_rules():
        return JSONBody(rules_bytes)

    @app.get("/healthz", response_model=Health, response_class=JSONBody, summary="Liveness")
    async def healthz():
        return JSONBody({"status": "ok", "version": __version__})

    headers: dict[str, list[tuple[bytes, bytes]]] = {}
    if ui is not None:
        from starlette.responses import FileResponse

        files = {p.name: p for p in sorted(ui.iterdir()) if p.is_file() and p.suffix in _UI_TYPES}
        page_headers = [(b"content-security-policy", _DEMO_CSP.encode()), (b"cache-control", b"no-cache"),
                        (b"referrer-policy", b"no-referrer")]

        def serve_file(path: Path):
            async def endpoint():
                return FileResponse(path, media_type=_UI_TYPES[path.suffix])

            return endpoint

        for name, path in files.items():
            url = "/" if name == "index.html" else f"/{name}"
            app.add_api_route(url, serve_file(path), methods=["GET"], include_in_schema=False)
            headers[url] = page_headers

    default_openapi = app.openapi

    def openapi():
        if app.openapi_schema is None:
            schema = default_openapi()
            # the request bodies are parsed by hand (422 for any malformed body): name their models
            components = schema.setdefault("components", {})
            for model in (CheckRequest, FixRequest):
                components.setdefault("schemas", {})[model.__name__] = model.model_json_schema()
            if token:
                components.setdefault("securitySchemes", {})["bearer"] = {"type": "http", "scheme": "bearer"}
                for path, ops in schema.get("paths", {}).items():
                    if path.startswith("/v1/"):
                        for op in ops.values():
                            op["security"] = [{"bearer": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi

    origins = [o.rstrip("/") for o in cors_origins if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["authorization", "content-type"], max_age=600)
    routes = frozenset(getattr(r, "path", "") for r in app.routes) | frozenset(headers)
    hosts = _allowed_hosts(host, allowed_hosts) if host is not None and not token else None
    app.add_middleware(_Guard, max_body=max_body, token=token, routes=routes, headers=headers, hosts=hosts)
    return app


def _allowed_hosts(host: str, names: Sequence[str]) -> frozenset[str]:
    """The ``Host`` header values (without port) a server bound to ``host`` answers without a
    token: the bound address, ``localhost`` names on loopback, and the configured names."""
    allowed = {host.lower().strip("[]")}
    if _loopback(host):
        allowed |= {"localhost", "127.0.0.1", "::1"}
    allowed |= {n.lower().strip().strip("[]") for n in names if n.strip()}
    allowed.discard("0.0.0.0")
    allowed.discard("::")
    return frozenset(allowed)


def _host_of(value: bytes) -> str:
    """The host part of a ``Host`` header (``[::1]:8750`` -> ``::1``), lower case."""
    v = value.decode("latin-1").strip().lower()
    if v.startswith("["):
        return v[1:v.find("]")] if "]" in v else v
    return v.rsplit(":", 1)[0] if v.count(":") == 1 else v


MAX_JSON_DEPTH = 32  # our requests are flat objects: anything deeper is not one of them


def _depth(text: str) -> int:
    """The deepest nesting of [ and { outside strings (a linear scan: json.loads recurses)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def parse_request(model, body: bytes, content_type: str):
    """(request, None), or (None, problems) for a 422: the body must be JSON (by Content-Type),
    UTF-8, at most ``MAX_JSON_DEPTH`` deep, and valid for ``model``. Problems carry a location,
    a message and a type, never the input, and no key name the client sent that the model
    does not have."""
    from pydantic import ValidationError

    media = content_type.split(";", 1)[0].strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        return None, [{"loc": ["header", "content-type"], "msg": "expected Content-Type: application/json",
                       "type": "content_type"}]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [{"loc": ["body"], "msg": f"the body is not UTF-8 (invalid byte at offset {exc.start})",
                       "type": "utf8_invalid"}]
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and _depth(text) > MAX_JSON_DEPTH:
        return None, [{"loc": ["body"], "msg": f"JSON nested deeper than {MAX_JSON_DEPTH} levels",
                       "type": "json_too_deep"}]
    try:
        data = json.loads(text)
    except RecursionError:
        return None, [{"loc": ["body"], "msg": "JSON nested too deep", "type": "json_too_deep"}]
    except ValueError as exc:
        msg = getattr(exc, "msg", "not valid JSON")
        where = f" at line {exc.lineno} column {exc.colno}" if hasattr(exc, "lineno") else ""
        return None, [{"loc": ["body"], "msg": f"invalid JSON: {msg}{where}", "type": "json_invalid"}]
    try:
        return model.model_validate(data), None
    except ValidationError as exc:
        return None, safe_errors(exc.errors(), model)


def safe_errors(errors, model) -> list[dict]:
    """Validation errors as ``{loc, msg, type}`` without the input and without any key the
    client made up (an unknown key is reported as ``<unknown>``: it may carry text)."""
    known = set(model.model_fields) if model is not None else {"body", "query", "header", "path"}
    out = []
    for e in errors:
        loc: list = ["body"] if model is not None else []
        for part in e.get("loc", ()):
            loc.append(part if isinstance(part, int) or part in known else "<unknown>")
        msg = "unknown field" if e.get("type") == "extra_forbidden" else str(e.get("msg", ""))
        out.append({"loc": loc, "msg": msg, "type": str(e.get("type", ""))})
    return out


if __name__ == "__main__":
    sys.exit(main())
