"""``chatlint serve`` in a subprocess for the tests that talk to a real server: a free port, the
server started from the checkout and waited for until it answers /healthz, stopped afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(args: list[str], log_path: Path, env: dict[str, str] | None = None,
           timeout: float = 30) -> Iterator[tuple[int, subprocess.Popen]]:
    """``python -m chatlint.server --port N *args`` from the checkout (``env``: more variables;
    no ``CHATLINT_TOKEN``), its output in ``log_path``, until it answers /healthz; yields
    (port, process) and stops it afterwards (SIGTERM, then SIGKILL after 15 s)."""
    port = free_port()
    full = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {})}
    full.pop("CHATLINT_TOKEN", None)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "chatlint.server", "--port", str(port), *args],
                                cwd=ROOT, env=full, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chatlint serve did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.1)
        yield port, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
