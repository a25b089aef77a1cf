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
import re
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


def _configure(context, server, site, thread="", operator=""):
    page = context.new_page()
    page.goto(f"chrome-extension://{extension_id()}/options.html")
    expect(page.locator("#serve-command")).to_contain_text(origin())
    page.locator("#serverUrl").fill(server)
    page.locator("#sites").fill(site)
    page.locator("#threadSelector").fill(thread)
    page.locator("#operatorSelector").fill(operator)
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


def test_addon_sends_the_visible_conversation_when_told_where_it_is(chromium_with_addon, chatlint_server, helpdesk):
    """With the thread's selectors in the options, each check carries the conversation on the
    page: the first reply is checked as the first (a greeting is asked for, with its template),
    the client's wait is read from the messages' <time datetime>, and an operator's message that
    appears in the thread makes the next reply no longer the first."""
    context = chromium_with_addon
    page = context.new_page()
    page.goto(f"chrome-extension://{extension_id()}/options.html")
    page.locator("#threadSelector").fill(".thread .msg[")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status")).to_contain_text("Не похоже на CSS-селектор")
    page.locator("#threadSelector").fill(".thread .msg")
    page.locator("#operatorSelector").fill("")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status")).to_contain_text("Укажите оба селектора")
    page.close()
    _configure(context, chatlint_server, f"http://127.0.0.1:{helpdesk}", ".thread .msg", ".msg.operator")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"http://127.0.0.1:{helpdesk}/index.html")
        expect(page.locator("html[data-chatlint='on']")).to_have_count(1, timeout=10_000)
        page.evaluate("document.querySelector('.thread time').setAttribute('datetime', "
                      "new Date(Date.now() - 20 * 60000).toISOString())")
        chat = page.locator("#chat-reply")
        chat.click()
        chat.press_sequentially("Письмо отправили повторно, проверьте почту.", delay=5)
        panel = page.locator("chatlint-checker .panel").first
        expect(panel.locator("li[data-code='G001']")).to_have_count(1, timeout=10_000)  # the first reply
        hints = panel.locator("ul.hints")
        expect(hints).to_contain_text("Клиент ждёт 20 мин")  # the time read from the page
        hints.get_by_role("button", name="Вставить приветствие").click()
        expect(chat).to_have_value(re.compile(r"^Здравствуйте, меня зовут .*Письмо отправили повторно"))

        page.evaluate("""() => {
          const m = document.createElement('div');
          m.className = 'msg operator';
          m.textContent = 'Здравствуйте, меня зовут Ирина, сейчас проверю.';
          document.querySelector('.thread').append(m);
        }""")
        chat.fill("")
        chat.press_sequentially("Письмо отправили повторно, проверьте почту.", delay=5)
        expect(panel).to_be_visible(timeout=10_000)
        expect(panel.locator("li[data-code='G001']")).to_have_count(0, timeout=10_000)
        expect(hints).not_to_contain_text("Поздоровайтесь")
        page.close()
        assert not errors, errors
    finally:
        _configure(context, chatlint_server, f"http://127.0.0.1:{helpdesk}")


# every element with text of its own inside the add-on's shadow roots (or the options page):
# its colour against the first opaque background up the tree (the widget's test does the same)
CONTRAST = """(selector) => {
  const lum = (c) => {
    const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const rgba = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const background = (el) => {
    for (let n = el; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const roots = selector ? [...document.querySelectorAll(selector)].map((h) => h.shadowRoot) : [document];
  const out = [];
  for (const root of roots) {
    for (const el of root.querySelectorAll("*")) {
      if (!el.getClientRects().length || el.closest(".mirror, .hidden-text, style, script, [hidden]")) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const fg = rgba(getComputedStyle(el).color).slice(0, 3);
      const a = lum(fg), b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      out.push([el.tagName + "." + el.className, el.textContent.trim().slice(0, 30), Math.round(ratio * 100) / 100]);
    }
  }
  return out;
}"""


def test_addon_text_contrast_meets_wcag_aa(chromium_with_addon, chatlint_server, helpdesk):
    """Normal-size text needs 4.5:1 (WCAG 2.1 AA, 1.4.3): the panel's status, every line, the
    hints, the fix buttons, «ещё N», the unsafe fix's preview, and the options page."""
    context = chromium_with_addon
    _configure(context, chatlint_server, f"http://127.0.0.1:{helpdesk}", ".thread .msg", ".msg.operator")
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{helpdesk}/index.html")
        expect(page.locator("html[data-chatlint='on']")).to_have_count(1, timeout=10_000)
        chat = page.locator("#chat-reply")
        chat.click()
        chat.press_sequentially("заказ в пути, а вы щас проверьте почту!!! ;)", delay=2)
        panel = page.locator("chatlint-checker .panel").first
        expect(panel.locator("ul.hints li")).not_to_have_count(0, timeout=10_000)
        more = panel.get_by_role("button", name=re.compile(r"^ещё \d+$"))
        expect(more).to_be_visible()
        measured_folded = page.evaluate(CONTRAST, "chatlint-checker")
        more.click()
        panel.locator("button.fix.unsafe").last.click()
        expect(panel.get_by_role("dialog")).to_be_visible()
        measured = measured_folded + page.evaluate(CONTRAST, "chatlint-checker")
        assert len({m[0] for m in measured}) >= 6 and len(measured) > 12, measured
        low = [m for m in measured if m[2] < 4.5]
        assert not low, low
        options = context.new_page()
        options.goto(f"chrome-extension://{extension_id()}/options.html")
        expect(options.locator("#serve-command")).to_contain_text(origin())
        on_options = options.evaluate(CONTRAST, None)
        assert len(on_options) > 8, on_options
        low = [m for m in on_options if m[2] < 4.5]
        assert not low, low
        options.close()
        page.close()
    finally:
        _configure(context, chatlint_server, f"http://127.0.0.1:{helpdesk}")


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
