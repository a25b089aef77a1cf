"""End to end: ``chatlint report`` on examples/transcripts/ and on a generated archive of 2,000
conversations, the HTML opened in the system's headless Chromium with every network request
refused: it must render with no console error and no request at all (one self-contained file).
Screenshots of the overview and of one conversation go to ``$CHATLINT_ARTIFACTS`` (default
``tests/artifacts/``).

Skipped, with the reason, when Playwright or a Chromium binary is missing, unless
``CHATLINT_REQUIRE_BROWSER=1`` (as in tests/test_e2e_browser.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from archive_gen import write_archive

from chatlint.cli import main

pytest.importorskip("matplotlib", reason="the report extra is not installed: pip install 'chatlint-ru[report]'")

from browser_support import ARTIFACTS, CHROME_ARGS, ROOT, sync_playwright  # noqa: E402
from browser_support import chromium as _chromium  # noqa: E402
from browser_support import need as _need  # noqa: E402


@pytest.fixture(scope="module")
def browser():
    chromium = _chromium()
    _need(sync_playwright is not None, "playwright is not installed (pip install 'chatlint-ru[e2e]')")
    _need(chromium is not None, "no Chromium binary (Debian: apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=CHROME_ARGS)
        try:
            yield b
        finally:
            b.close()


def _open(browser, path: Path):
    """The report in a fresh page with the network blocked: every request but the file itself
    is aborted and recorded; console errors and page errors are recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU", offline=True)
    page = context.new_page()
    problems: list[str] = []
    requests: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return context, page, problems, requests


def test_report_of_the_examples_opens_offline_with_no_errors(browser, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", str(ROOT / "examples" / "transcripts"), "-o", str(out)]) == 0
    assert "12 диалогов" in capsys.readouterr().err
    context, page, problems, requests = _open(browser, out)
    try:
        assert page.title() == "Оценка качества диалогов"
        assert page.locator("#overview svg.chart").count() == 2
        assert page.locator("#kpi-conversations b").inner_text() == "12"
        assert page.locator("section.operator").count() >= 5
        first = page.locator("article.conv").first
        assert first.get_attribute("data-score") == "0.0"  # lowest first
        assert first.locator("mark").count() >= 1  # the findings highlighted in the transcript
        assert first.locator("td.fail").count() >= 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#overview").screenshot(path=str(ARTIFACTS / "report-overview.png"))
        page.goto(out.resolve().as_uri() + "#conv-0")
        first.screenshot(path=str(ARTIFACTS / "report-conversation.png"))
        assert not problems, problems
        assert not requests, f"the report asked the network for {requests}"
    finally:
        context.close()


def test_report_of_2000_conversations_opens_offline_with_no_errors(browser, tmp_path, capsys):
    write_archive(tmp_path / "archive", 2000, files=4)
    out = tmp_path / "report.html"
    assert main(["report", str(tmp_path / "archive"), "-o", str(out), "--details", "200"]) == 0
    assert "2000 диалогов" in capsys.readouterr().err
    context, page, problems, requests = _open(browser, out)
    try:
        assert page.locator("#kpi-conversations b").inner_text() == "2000"
        assert page.locator("article.conv").count() == 200
        scores = [float(x) for x in page.locator("article.conv").evaluate_all("els => els.map(e => e.dataset.score)")]
        assert scores == sorted(scores)  # lowest first
        assert "Показаны 200 худших из 2000" in page.locator("#conversations").inner_text()
        channels = page.locator("#overview table.groups tr[data-key]").evaluate_all("els => els.map(e => e.dataset.key)")
        assert channels == ["chat", "messenger", "total"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#overview").screenshot(path=str(ARTIFACTS / "report-2000-overview.png"))
        oleg = page.locator('section.operator[data-operator="Олег Дронов"]')  # the generator's weakest operator
        assert oleg.locator("svg.chart").count() == 2 and oleg.locator("ul.remedies li").count() == 3
        oleg.screenshot(path=str(ARTIFACTS / "report-2000-operator.png"))
        assert page.locator('section.operator[data-operator="(no operator reply)"]').count() == 1
        assert not problems, problems
        assert not requests, f"the report asked the network for {requests}"
    finally:
        context.close()
