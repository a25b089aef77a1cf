"""End to end, the operator's compact checker (issue 17): ten findings at 420 px and 1280 px
with the send button in view (screenshots in ``$CHATLINT_ARTIFACTS``, default
``tests/artifacts/``), identical findings grouped, the list capped with «ещё N», details on
demand, codes only there, the popover on an underlined span by keyboard, unsafe fixes behind
a preview, Russian text when the server is down, WCAG AA contrast.

Same browser and server as ``test_e2e_browser.py`` (system Chromium, no download; skipped
with the reason unless ``CHATLINT_REQUIRE_BROWSER=1``)."""

from __future__ import annotations

import re

import pytest
from test_e2e_browser import ARTIFACTS, browser, expect, server  # noqa: F401  (fixtures)

# ten findings as the demo's first reply, five minutes after the client wrote: «Привет», no
# introduction, no offer of help, a late first answer, «ты» twice, «ваш», «щас», two «*» markers
TEN = ("Привет! ты должен был проверить почту, ваш заказ щас у курьера. Если ты не против, пришлю трек-номер.\n"
       "* адрес;\n* телефон.")
CODE = re.compile(r"\b[A-Z]\d{3}\b")


def _open(browser, server, width, height=800):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ru-RU")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/")
    expect(page.locator("textarea#reply")).to_be_visible()
    # the client wrote five minutes ago
    page.evaluate("document.querySelector('.bubble-client').dataset.time = "
                  "new Date(Date.now() - 300000).toISOString()")
    return context, page, errors


def _type(page, text):
    reply = page.locator("textarea#reply")
    reply.fill(text)
    expect(page.locator(".cl-status")).to_contain_text("замечани", timeout=10_000)
    return reply


def _in_view(page, locator) -> bool:
    """Whether ``locator`` is inside the viewport and on top at its centre (not covered)."""
    return page.evaluate(
        """(el) => {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) return false;
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return hit === el || el.contains(hit);
        }""",
        locator.element_handle(),
    )


@pytest.mark.parametrize("width", [420, 1280])
def test_ten_findings_compact_with_send_in_view(browser, server, width):  # noqa: F811
    context, page, errors = _open(browser, server, width)
    try:
        _type(page, TEN)
        assert page.evaluate("window.chatlintWidget.result.findings.length") == 10
        items = page.locator("li.cl-item")
        expect(items).to_have_count(4)  # the cap
        expect(page.get_by_role("button", name=re.compile(r"^ещё \d+$"))).to_be_visible()
        rows = page.locator(".cl-row")
        for k in range(rows.count()):
            assert not CODE.search(rows.nth(k).inner_text()), rows.nth(k).inner_text()
        expect(page.locator(".cl-row", has_text="Обращение на «ты» ×2")).to_have_count(1)
        send = page.get_by_role("button", name="Отправить", exact=True)
        assert _in_view(page, send), f"the send button is out of view at {width} px"
        assert page.evaluate("scrollY") == 0 or _in_view(page, send)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"operator-ui-10-findings-{width}.png"))

        page.get_by_role("button", name=re.compile(r"^ещё \d+$")).click()
        expect(items).to_have_count(8)  # 10 findings, 2 pairs grouped
        expect(page.get_by_role("button", name=re.compile(r"^ещё"))).to_be_hidden()
        assert _in_view(page, send), f"the send button is out of view at {width} px with every line shown"
        page.screenshot(path=str(ARTIFACTS / f"operator-ui-10-findings-{width}-all.png"))
    finally:
        context.close()
    assert not errors, errors


def test_details_on_demand_hold_the_code_and_why(browser, server):  # noqa: F811
    context, page, errors = _open(browser, server, 900)
    try:
        _type(page, "Здравствуйте, проверьте вашу почту.")
        item = page.locator("li.cl-item[data-code='A001']")
        details = item.locator(".cl-details")
        expect(details).to_be_hidden()
        toggle = item.get_by_role("button", name=re.compile("^Подробнее"))
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(details).to_be_visible()
        expect(details).to_contain_text("A001")
        expect(details.locator(".cl-summary")).not_to_be_empty()
    finally:
        context.close()
    assert not errors, errors


def test_unsafe_fix_is_clickable_behind_a_preview(browser, server):  # noqa: F811
    context, page, errors = _open(browser, server, 900)
    try:
        reply = _type(page, "Здравствуйте, щас посмотрю.")
        item = page.locator("li.cl-item[data-code='A003']")
        item.get_by_role("button", name=re.compile("^Исправить")).click()
        preview = page.get_by_role("dialog", name=re.compile("проверьте смысл"))
        expect(preview).to_be_visible()
        expect(preview).to_contain_text("сейчас")
        expect(reply).to_have_value("Здравствуйте, щас посмотрю.")  # nothing changed yet
        preview.get_by_role("button", name="Отмена").click()
        expect(preview).to_be_hidden()
        item.get_by_role("button", name=re.compile("^Исправить")).click()
        preview.get_by_role("button", name="Применить").click()
        expect(reply).to_have_value("Здравствуйте, сейчас посмотрю.")
    finally:
        context.close()
    assert not errors, errors


def test_popover_on_the_underlined_span_by_keyboard(browser, server):  # noqa: F811
    context, page, errors = _open(browser, server, 900)
    try:
        text = "Здравствуйте, проверьте вашу почту."
        reply = _type(page, text)
        reply.focus()
        at = text.index("вашу") + 2
        page.evaluate(f"document.querySelector('#reply').setSelectionRange({at}, {at})")
        reply.press("Alt+Enter")
        popover = page.locator(".cl-popover")
        expect(popover).to_be_visible()
        expect(popover).to_contain_text("со строчной буквы")
        fix = popover.get_by_role("button", name=re.compile("Вашу"))
        expect(fix).to_be_focused()
        page.keyboard.press("Escape")
        expect(popover).to_be_hidden()
        expect(reply).to_be_focused()
        reply.press("Alt+Enter")
        expect(fix).to_be_focused()
        page.keyboard.press("Enter")
        expect(reply).to_have_value("Здравствуйте, проверьте Вашу почту.")
    finally:
        context.close()
    assert not errors, errors


def test_server_down_is_said_in_russian(browser, server):  # noqa: F811
    context, page, errors = _open(browser, server, 900)
    try:
        page.route("**/v1/check", lambda route: route.abort())
        page.locator("textarea#reply").fill("Здравствуйте, проверьте вашу почту.")
        status = page.locator(".cl-status")
        expect(status).to_contain_text("Сервер проверки недоступен", timeout=10_000)
        expect(status).not_to_contain_text("Failed")
        expect(status).to_have_attribute("role", "status")  # a polite live region: announced
    finally:
        context.close()
    assert not errors, errors


CONTRAST = """() => {
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
  const out = [];
  const roots = [...document.querySelectorAll(".cl-panel, .cl-popover, .reply-controls")];
  for (const root of roots) {
    for (const el of [root, ...root.querySelectorAll("*")]) {
      if (!el.offsetParent && el !== root) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.closest(".cl-visually-hidden")) continue;
      const fg = rgba(getComputedStyle(el).color).slice(0, 3);
      const a = lum(fg), b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      out.push([el.className || el.tagName, el.textContent.trim().slice(0, 30), Math.round(ratio * 100) / 100]);
    }
  }
  return out;
}"""


def test_text_contrast_meets_wcag_aa(browser, server):  # noqa: F811
    context, page, errors = _open(browser, server, 900)
    try:
        reply = _type(page, TEN)
        page.get_by_role("button", name=re.compile(r"^ещё \d+$")).click()
        page.locator("li.cl-item").first.get_by_role("button", name=re.compile("^Подробнее")).click()
        reply.focus()
        at = TEN.index("ваш") + 1
        page.evaluate(f"document.querySelector('#reply').setSelectionRange({at}, {at})")
        reply.press("Alt+Enter")
        expect(page.locator(".cl-popover")).to_be_visible()
        measured = page.evaluate(CONTRAST)
        assert len(measured) > 15, measured
        low = [m for m in measured if m[2] < 4.5]
        assert not low, low
    finally:
        context.close()
    assert not errors, errors


def test_conversation_hints_insert_templates(browser, server):  # noqa: F811
    """The demo sends its chat log with every check: the first reply is checked as the first,
    the client's five-minute wait gives a hint whose button inserts the holding template, and a
    reply without a greeting gets the greeting template (with the operator's name)."""
    context, page, errors = _open(browser, server, 900)
    try:
        reply = page.locator("textarea#reply")
        reply.fill("Заказ уже у курьера.")
        hints = page.locator(".cl-hints")
        expect(hints).to_contain_text("Клиент ждёт 5 мин — отправьте сообщение об ожидании", timeout=10_000)
        expect(page.locator("li.cl-item[data-code='G003']")).to_have_count(1)  # first follows from the log
        hints.get_by_role("button", name="Вставить приветствие").click()
        expect(reply).to_have_value("Здравствуйте, меня зовут Анна, чем я могу Вам помочь? Заказ уже у курьера.")
        reply.fill("")
        expect(hints.get_by_role("button", name="Вставить сообщение об ожидании")).to_be_visible(timeout=10_000)
        hints.get_by_role("button", name="Вставить сообщение об ожидании").click()
        expect(reply).to_have_value("Одну минуту, уточняю информацию по Вашему вопросу.")
        expect(hints).not_to_contain_text("Клиент ждёт", timeout=10_000)  # a holding draft: no hint
    finally:
        context.close()
    assert not errors, errors
