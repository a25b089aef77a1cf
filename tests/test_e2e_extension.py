"""End to end, the browser add-on (``examples/browser-extension``): Chromium launched with the
unpacked add-on (``--load-extension``; Manifest V3 needs a persistent context, and Chromium's
new headless mode runs extensions), its options page filled in (server URL, allowed site), then
a local page imitating a helpdesk reply box — a textarea and a contenteditable editor — where a
bad reply is typed, the findings appear next to the field, underlined, and a fix is applied.
The server is ``chatlint serve --cors-origin chrome-extension://ID``; the helpdesk page's own
server sees no request but the page's.

Skipped, with the reason, when Playwright or Chromium is missing, unless
``CHATLINT_REQUIRE_BROWSER=1`` (``.ci/run``): then that is a failure."""

from __future__ import annotations

import http.server
import threading
from functools import partial

import pytest
from browser_support import serving
from test_e2e_browser import (
    ARTIFACTS,
    CHROME_ARGS,
    CHROMIUM,
    REQUIRED,
    ROOT,
    _free_port,
    _need,
    expect,
    sync_playwright,
)

from chatlint.extension import build, extension_dir, extension_id, origin

HELPDESK = ROOT / "tests" / "data" / "helpdesk"


@pytest.fixture(scope="module")
def chatlint_server(tmp_path_factory):
    with serving(["--allow-extension"], tmp_path_factory.mktemp("serve-ext") / "server.log") as base:
        yield base


class _Quiet(http.server.SimpleHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def log_message(self, *args):  # noqa: ARG002
        pass

    def do_GET(self):  # noqa: N802
        self.seen.append(("GET", self.path))
        super().do_GET()

    def do_POST(self):  # noqa: N802
        self.seen.append(("POST", self.path))
        self.send_error(405)


@pytest.fixture(scope="module")
def helpdesk():
    port = _free_port()
    handler = partial(_Quiet, directory=str(HELPDESK))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def chromium_with_addon(tmp_path_factory):
    _need(sync_playwright is not None, "playwright is not installed (pip install 'chatlint-ru[e2e]')")
    _need(CHROMIUM is not None, "no Chromium binary (Debian: apt-get install chromium)")
    ext = str(extension_dir())
    profile = tmp_path_factory.mktemp("profile")
    with sync_playwright() as p:
        try:
            context = p.chromium.launch_persistent_context(
                str(profile), executable_path=CHROMIUM, headless=True, locale="ru-RU",
                args=[*CHROME_ARGS, f"--disable-extensions-except={ext}", f"--load-extension={ext}"],
                ignore_default_args=["--disable-extensions"],
            )
        except Exception as exc:  # pragma: no cover - depends on the browser build
            if REQUIRED:
                raise
            pytest.skip(f"this Chromium cannot run extensions headless: {type(exc).__name__}")
        try:
            workers = context.service_workers or [context.wait_for_event("serviceworker", timeout=15_000)]
            assert any(extension_id() in w.url for w in workers), [w.url for w in workers]
            yield context
        finally:
            context.close()


def _configure(context, server, site):
    page = context.new_page()
    page.goto(f"chrome-extension://{extension_id()}/options.html")
    expect(page.locator("#serve-command")).to_contain_text(origin())
    page.locator("#serverUrl").fill(server)
    page.locator("#sites").fill(site)
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status")).to_contain_text("Сохранено")
    page.get_by_role("button", name="Проверить связь").click()
    expect(page.get_by_role("status")).to_contain_text("Сервер проверки отвечает")
    page.locator("#sites").fill("это не адрес")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status")).to_contain_text("Не похоже на адрес сайта")
    page.close()


def test_addon_checks_a_helpdesk_reply_box(chromium_with_addon, chatlint_server, helpdesk):
    context = chromium_with_addon
    _configure(context, chatlint_server, f"http://127.0.0.1:{helpdesk}")
    _Quiet.seen.clear()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type in ("warning", "error") else None)
    page.goto(f"http://127.0.0.1:{helpdesk}/index.html")
    expect(page.locator("html[data-chatlint='on']")).to_have_count(1, timeout=10_000)

    # the textarea: a bad reply, its findings next to the field, a safe fix
    chat = page.locator("#chat-reply")
    chat.click()
    chat.press_sequentially("Здравствуйте, проверьте вашу почту!!!", delay=10)
    panel = page.locator("chatlint-checker .panel").first
    expect(panel).to_be_visible(timeout=10_000)
    expect(panel).to_contain_text("замечани")
    item = panel.locator("li[data-code='A001']")
    expect(item).to_contain_text("со строчной буквы")
    expect(page.locator("chatlint-checker mark", has_text="вашу")).to_have_count(1)
    box_panel, box_field = panel.bounding_box(), chat.bounding_box()
    assert box_panel["y"] >= box_field["y"] + box_field["height"] - 1  # next to (below) the field
    item.get_by_role("button", name="Исправить").click()
    expect(chat).to_have_value("Здравствуйте, проверьте Вашу почту!!!")
    panel.locator("li[data-code='A006']").get_by_role("button", name="Исправить").click()
    expect(chat).to_have_value("Здравствуйте, проверьте Вашу почту!")
    expect(panel).to_contain_text("Замечаний нет", timeout=10_000)

    # the contenteditable editor: an unsafe fix behind its preview
    mail = page.locator("#mail-reply")
    mail.click()
    mail.press_sequentially("Добрый день! Письмо щас отправим повторно.", delay=10)
    panel2 = page.locator("chatlint-checker .panel").nth(1)
    item = panel2.locator("li[data-code='A003']")
    expect(item).to_be_visible(timeout=10_000)
    assert page.evaluate("CSS.highlights.has('chatlint-warning') && CSS.highlights.get('chatlint-warning').size") >= 1
    expect(panel).to_be_hidden()  # the textarea's panel, with nothing left to say, folded away
    item.get_by_role("button", name="Исправить").click()
    expect(panel2.get_by_role("dialog")).to_contain_text("проверьте смысл")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-extension-helpdesk.png"))
    panel2.get_by_role("button", name="Применить").click()
    expect(mail).to_have_text("Добрый день! Письмо сейчас отправим повторно.")

    # the helpdesk's own server saw the page only: the text went to chatlint serve alone
    assert all(method == "GET" for method, _ in _Quiet.seen), _Quiet.seen
    page.close()
    assert not errors, errors


def test_addon_stays_off_on_sites_not_allowed(chromium_with_addon, chatlint_server, helpdesk):
    context = chromium_with_addon
    _configure(context, chatlint_server, f"http://127.0.0.1:{helpdesk}")
    page = context.new_page()
    page.goto(f"http://localhost:{helpdesk}/index.html")  # another origin, not in the list
    chat = page.locator("#chat-reply")
    chat.click()
    chat.press_sequentially("Здравствуйте, проверьте вашу почту!!!", delay=5)
    page.wait_for_timeout(1500)
    expect(page.locator("chatlint-checker")).to_have_count(0)
    expect(page.locator("html[data-chatlint]")).to_have_count(0)
    page.close()


def test_the_zip_holds_the_addon(tmp_path):
    names = build(tmp_path / "chatlint-extension.zip")
    assert "manifest.json" in names and "background.js" in names and "options.html" in names
    again = build(tmp_path / "again.zip")
    assert (tmp_path / "chatlint-extension.zip").read_bytes() == (tmp_path / "again.zip").read_bytes()
    assert again == names
