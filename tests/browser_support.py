"""What the browser tests share: finding the system Chromium, skipping (or, under
``CHATLINT_REQUIRE_BROWSER=1``, failing) when Playwright or the browser is missing, the
browser's flags, where screenshots go, and ``chatlint serve`` in a subprocess."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from server_support import free_port, served  # noqa: F401  (free_port: the e2e tests take it from here)

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


@contextmanager
def serving(args: list[str], log_path: Path) -> Iterator[str]:
    """``python -m chatlint.server --port N *args`` from the checkout, until it answers
    /healthz; yields its base URL and stops it afterwards."""
    with served(args, log_path) as (port, _):
        yield f"http://127.0.0.1:{port}"
