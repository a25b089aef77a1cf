"""What the browser tests share: finding the system Chromium, skipping (or, under
``CHATLINT_REQUIRE_BROWSER=1``, failing) when Playwright or the browser is missing, the
browser's flags, where screenshots go, and ``chatlint serve`` in a subprocess."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = expect = None

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = os.environ.get("CHATLINT_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(os.environ.get("CHATLINT_ARTIFACTS") or ROOT / "tests" / "artifacts")
CHROME_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium() -> str | None:
    """The browser to drive: ``$CHATLINT_CHROMIUM``, else the first Chromium on PATH."""
    env = os.environ.get("CHATLINT_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def need(condition: bool, reason: str) -> None:
    """Skip without ``condition``; fail instead when CI said the browser must be there."""
    if not condition:
        if REQUIRED:
            pytest.fail(f"CHATLINT_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(args: list[str], log_path: Path) -> Iterator[str]:
    """``python -m chatlint.server --port N *args`` from the checkout, until it answers
    /healthz; yields its base URL and stops it afterwards."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("CHATLINT_TOKEN", None)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "chatlint.server", "--port", str(port), *args],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chatlint serve did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
