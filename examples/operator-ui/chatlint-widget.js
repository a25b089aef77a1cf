/**
 * chatlint operator widget: a pre-send check for a support operator's reply box.
 *
 * A plain ES module, no framework, no build step. It attaches to a <textarea> and its send
 * button, asks `chatlint serve` (POST /v1/check) after a short pause in typing and before
 * sending, underlines the findings in the text itself (a mirrored backdrop behind the
 * textarea), lists them compactly (one line per finding: severity mark, short message, fix
 * button; identical findings as one line «… ×2»; details and "why" behind «?»; at most
 * `maxItems` lines, then «ещё N»), shows the same line and fix in a popover when the caret is
 * in an underlined span (Alt+Enter moves the keyboard into it, Esc back), applies safe fixes
 * on click and unsafe ones after a preview («проверьте смысл»), and blocks sending while
 * there are `error` findings unless the operator confirms. It asks the server for one
 * finding per span (`merge: true`). Failures read in Russian («Сервер проверки недоступен»).
 *
 *   import { attachChatlint } from "./chatlint-widget.js";
 *   const widget = attachChatlint(document.querySelector("#reply"), {
 *     endpoint: "",                    // base URL of chatlint serve ("" = same origin)
 *     sendButton: document.querySelector("#send"),
 *     onSend: (text) => { ... },       // called when the message may leave
 *     channel: "chat", first: false, last: false,   // or later: widget.setContext({...})
 *     token: null,                     // bearer token, when the server requires one
 *   });
 *
 * Offsets: the server gives `start_utf16`/`end_utf16`, which are JavaScript string indices.
 * Message text is only ever inserted as text nodes, never as HTML.
 */

const SEVERITY_LABEL = { error: "ошибка", warning: "предупреждение", info: "совет" };
const SEVERITY_MARK = { error: "✖", warning: "▲", info: "●" };   // shape as well as colour
const RANK = { info: 0, warning: 1, error: 2 };
const MIRRORED = [
  "boxSizing", "fontFamily", "fontSize", "fontWeight", "fontStyle", "fontVariant", "fontStretch",
  "fontFeatureSettings", "fontKerning", "letterSpacing", "wordSpacing", "lineHeight", "textTransform",
  "textIndent", "textAlign", "tabSize", "direction", "paddingTop", "paddingBottom", "paddingLeft",
  "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth",
];

let nextId = 0;

/** Attach the widget to `textarea`; returns the widget (see ChatlintWidget's methods). */
export function attachChatlint(textarea, options = {}) {
  return new ChatlintWidget(textarea, options);
}

/** What went wrong, in the operator's words: never the browser's own «Failed to fetch». */
export function failureText(err) {
  const status = err && err.status;
  if (!status) return "Сервер проверки недоступен";
  if (status === 401 || status === 403) return "Нет доступа к серверу проверки: проверьте ключ доступа в настройках";
  if (status === 413) return "Сообщение слишком длинное для проверки";
  if (status === 503 || status === 429) return "Сервер проверки перегружен, повторите через несколько секунд";
  if (status === 422) return "Сервер проверки не принял запрос";
  return `Сервер проверки ответил ошибкой ${status}`;
}

/** The short line of a finding's message: what is wrong, before the advice after «: » (a colon
 * inside «quotes» is the operator's text), without a trailing remark in parentheses. */
export function shortMessage(message) {
  const text = String(message || "");
  let depth = 0;
  let cut = text.length;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "«") depth++;
    else if (ch === "»") depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === ":" || ch === ";") && text[i + 1] === " ") {
      cut = i;
      break;
    }
  }
  let head = text.slice(0, cut).trim();
  const paren = head.match(/^(.*\S)\s+\([^()«»]*(«[^«»]*»[^()«»]*)*\)$/);
  if (paren) head = paren[1];
  return head || text;
}

function plural(n, one, few, many) {
  const m10 = n % 10, m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

/** Rule docs use ``code`` for literals: show them as <code>, everything as text nodes. */
function richText(text) {
  const frag = document.createDocumentFragment();
  const parts = String(text || "").split(/``(.+?)``/);
  parts.forEach((part, i) => frag.append(i % 2 ? el("code", { text: part }) : document.createTextNode(part)));
  return frag;
}

export class ChatlintWidget {
  constructor(textarea, options = {}) {
    if (!(textarea instanceof HTMLTextAreaElement)) throw new TypeError("chatlint: attach to a <textarea>");
    this.ta = textarea;
    this.opts = {
      endpoint: "", delay: 300, token: null, sendButton: null, onSend: null, panel: null,
      channel: undefined, first: false, last: false, failOpen: true, sendOnEnter: false, explain: true,
      maxItems: 4,                             // lines shown before «ещё N»
      conversation: null,                      // () => [{role, text, time?}]: the conversation so far
      operator: null,                          // the operator's name, for the templates' {ИМЯ}
      recheckMs: 15000,                        // with a conversation: check again while idle (waits grow)
      ...options,
    };
    this.context = { channel: this.opts.channel, first: !!this.opts.first, last: !!this.opts.last };
    this.shown = { text: "", findings: [] };   // what the marks and the list show (offsets into ta.value)
    this.result = null;                        // the last completed check: {text, findings, failed}
    this.controller = null;
    this.timer = null;
    this.seq = 0;
    this.rules = null;
    this.groups = [];
    this.expanded = false;                     // «ещё N» pressed: every line shown
    this.popoverGroup = null;
    this.previewFindings = null;
    this.shownHints = [];
    this.recheck = null;
    this.id = `cl${++nextId}`;
    this._build();
    this._bind();
    if (this.opts.explain) this._loadRules();
    if (textarea.value) this.schedule(0);
  }

  // ------------------------------------------------------------------ public API

  /** Change channel / first / last (e.g. from the chat's state) and check again. */
  setContext(ctx) {
    Object.assign(this.context, ctx);
    this.result = null;
    this.schedule(0);
  }

  /** Check now; resolves to {text, findings, counts} or {failed: true}, or null when superseded. */
  async check() {
    clearTimeout(this.timer);
    this._abort();
    const text = this.ta.value;
    if (!text.trim() && !this.opts.conversation) {
      this.seq++;
      this.result = { text, findings: [], counts: null };
      this._show(this.result, true);
      return this.result;
    }
    const controller = new AbortController();
    this.controller = controller;
    const seq = ++this.seq;
    this.root.setAttribute("aria-busy", "true");
    try {
      const data = await this._post("/v1/check", { text, ...this._ctx() }, controller.signal);
      if (seq !== this.seq) return null;
      const findings = text.trim() ? prepare(text, data.findings) : [];
      const result = { text, findings, counts: data.counts, hints: data.hints || [] };
      this.result = result;
      if (this.ta.value === text) this._show(result, !text.trim());
      this._renderHints(result.hints);
      if (this.opts.conversation && this.opts.recheckMs > 0) {
        clearTimeout(this.recheck);
        this.recheck = setTimeout(() => { if (this.ta.value === text) this.check(); }, this.opts.recheckMs);
      }
      return result;
    } catch (err) {
      if (err.name === "AbortError" || seq !== this.seq) return null;
      this.result = { text, failed: true, findings: [] };
      this._setStatus(`${failureText(err)}. Сообщение можно отправить без проверки.`, "failed");
      return this.result;
    } finally {
      if (seq === this.seq) {
        this.root.removeAttribute("aria-busy");
        this.controller = null;
      }
    }
  }

  /** Check after the typing pause (`delay` ms). */
  schedule(delay = this.opts.delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), delay);
  }

  /** Check (unless the text was just checked) and send, or ask to confirm when there are errors. */
  async requestSend() {
    const text = this.ta.value;
    if (!text.trim()) return;
    let result = this.result && this.result.text === text ? this.result : null;
    if (!result) {
      this._setStatus("Проверяю перед отправкой…", "busy");
      result = await this.check();
    }
    if (!result || this.ta.value !== text) return;   // typing went on: the operator sends again
    if (result.failed && !this.opts.failOpen) return;
    const errors = result.findings.filter((f) => f.severity === "error");
    if (errors.length) this._askConfirm(text, errors);
    else this._send(text);
  }

  /** Apply one finding's safe fix (if the text still holds what it replaces), then check again. */
  applyFix(finding) {
    const fix = finding && finding.fix;
    if (!fix || !fix.edits.length) return false;
    const value = this.ta.value;
    if (fix.edits.some((e) => value.slice(e.start_utf16, e.end_utf16) !== e.original)) {
      this.check();
      return false;
    }
    const edits = [...fix.edits].sort((a, b) => b.start_utf16 - a.start_utf16);
    for (const e of edits) this.ta.setRangeText(e.replacement, e.start_utf16, e.end_utf16, "preserve");
    this._textChanged();
    this.ta.focus();
    this._setStatus(`Исправлено: ${fix.title || finding.message}`, "ok");
    this.check();
    return true;
  }

  /** Apply every safe fix through POST /v1/fix. */
  async fixAll() {
    const text = this.ta.value;
    this._abort();
    const seq = ++this.seq;
    try {
      const data = await this._post("/v1/fix", { text, ...this._ctx() });
      if (seq !== this.seq || this.ta.value !== text) return false;
      if (data.changed) {
        this.ta.setRangeText(data.text, 0, text.length, "end");
        this.ta.dispatchEvent(new Event("chatlint:fixed", { bubbles: true }));
      }
      const result = { text: data.text, findings: prepare(data.text, data.findings), counts: null };
      this.result = result;
      this._show(result);
      this.ta.focus();
      return true;
    } catch (err) {
      if (err.name !== "AbortError") this._setStatus(`Исправить не удалось: ${failureText(err)}`, "failed");
      return false;
    }
  }

  /** Insert a hint's template into the draft: at the start, at the end, or as the whole draft. */
  insertTemplate(hint) {
    const template = hint && hint.template;
    if (!template) return false;
    const value = this.ta.value;
    if (!value.trim() || hint.at === "replace") {
      if (value.trim()) this.ta.setRangeText(`${template} `, 0, 0, "end");
      else this.ta.setRangeText(template, 0, value.length, "end");
    } else if (hint.at === "start") {
      this.ta.setRangeText(`${template} `, 0, 0, "preserve");
    } else {
      const sep = /\s$/.test(value) ? "" : " ";
      this.ta.setRangeText(`${sep}${template}`, value.length, value.length, "end");
    }
    this._textChanged();
    this.ta.focus();
    const slot = this.ta.value.indexOf("{ИМЯ}");
    if (slot >= 0) this.ta.setSelectionRange(slot, slot + 5);   // the name to type
    this._setStatus(`Вставлено: «${template}»`, "ok");
    this._renderHints([]);
    this.check();
    return true;
  }

  _renderHints(hints) {
    this.shownHints = hints || [];
    const label = { holding: "Вставить сообщение об ожидании", greeting: "Вставить приветствие",
      farewell: "Вставить прощание" };
    this.hints.replaceChildren(...this.shownHints.map((h, k) => el("li", { class: `cl-hint cl-hint-${h.kind}` },
      el("span", { class: "cl-hint-text", text: h.message }),
      h.template ? el("button", { type: "button", class: "cl-btn cl-btn-quiet cl-insert", "data-hint": k,
        title: h.template, text: label[h.kind] || "Вставить" }) : null)));
  }

  /** Forget the findings (e.g. after the message was sent and the box cleared). */
  reset() {
    clearTimeout(this.timer);
    this._abort();
    this.seq++;
    this.result = null;
    this._hideConfirm(false);
    this._show({ text: this.ta.value, findings: [] }, true);
  }

  destroy() {
    clearTimeout(this.timer);
    clearTimeout(this.recheck);
    this._abort();
    for (const [target, type, fn, capture] of this.listeners) target.removeEventListener(type, fn, capture);
    if (this.resizeObserver) this.resizeObserver.disconnect();
    this.field.replaceWith(this.ta);
    this.panel.remove();
    this.ta.style.background = this.originalBackground;
    this.ta.classList.remove("cl-textarea");
    this.ta.removeAttribute("aria-describedby");
  }

  // ------------------------------------------------------------------ DOM

  _build() {
    const ta = this.ta;
    this.field = el("div", { class: "cl-field" });
    this.backdrop = el("div", { class: "cl-backdrop", "aria-hidden": "true" });
    this.highlights = el("div", { class: "cl-highlights" });
    this.backdrop.append(this.highlights);
    ta.replaceWith(this.field);
    this.field.append(this.backdrop, ta);
    ta.classList.add("cl-textarea");
    this.originalBackground = ta.style.background;
    const bg = getComputedStyle(ta).backgroundColor;
    this.backdrop.style.backgroundColor = bg && bg !== "rgba(0, 0, 0, 0)" ? bg : "#fff";
    ta.style.background = "transparent";

    this.status = el("p", { class: "cl-status", id: `${this.id}-status`, role: "status" });
    this.confirm = el("div", {
      class: "cl-confirm", role: "alertdialog", hidden: true,
      "aria-labelledby": `${this.id}-confirm-title`, "aria-describedby": `${this.id}-confirm-text`,
    });
    this.confirmTitle = el("p", { class: "cl-confirm-title", id: `${this.id}-confirm-title`,
      text: "В сообщении есть ошибки" });
    this.confirmText = el("p", { class: "cl-confirm-text", id: `${this.id}-confirm-text` });
    this.confirmEdit = el("button", { type: "button", class: "cl-btn cl-confirm-edit", text: "Вернуться к правке" });
    this.confirmSend = el("button", { type: "button", class: "cl-btn cl-btn-danger cl-confirm-send",
      text: "Отправить всё равно" });
    this.confirm.append(this.confirmTitle, this.confirmText,
      el("div", { class: "cl-confirm-actions" }, this.confirmEdit, this.confirmSend));
    this.list = el("ul", { class: "cl-findings", id: `${this.id}-findings`, "aria-label": "Замечания к сообщению" });
    this.moreButton = el("button", { type: "button", class: "cl-more", hidden: true, "aria-controls": `${this.id}-findings` });
    this.fixAllButton = el("button", { type: "button", class: "cl-btn cl-btn-quiet cl-fix-all", hidden: true,
      text: "Исправить всё безопасное" });
    this.preview = el("div", { class: "cl-preview", role: "dialog", hidden: true, "aria-modal": "false",
      "aria-labelledby": `${this.id}-preview-title` });
    this.previewText = el("p", { class: "cl-preview-text" });
    this.previewApply = el("button", { type: "button", class: "cl-btn cl-preview-apply", text: "Применить" });
    this.previewCancel = el("button", { type: "button", class: "cl-btn cl-btn-quiet cl-preview-cancel", text: "Отмена" });
    this.preview.append(el("p", { class: "cl-preview-title", id: `${this.id}-preview-title`,
      text: "Исправление может изменить смысл — проверьте смысл:" }), this.previewText,
    el("div", { class: "cl-preview-actions" }, this.previewApply, this.previewCancel));
    this.hints = el("ul", { class: "cl-hints", "aria-live": "polite", "aria-label": "Подсказки по диалогу" });
    this.panel = el("section", { class: "cl-panel", "aria-label": "Проверка сообщения" },
      this.status, this.hints, this.confirm, this.preview, this.list,
      el("div", { class: "cl-list-actions" }, this.moreButton, this.fixAllButton));

    this.popover = el("div", { class: "cl-popover", role: "dialog", hidden: true, "aria-label": "Замечание к выделенному",
      id: `${this.id}-popover` });
    this.popoverText = el("p", { class: "cl-popover-text" });
    this.popoverFix = el("button", { type: "button", class: "cl-btn cl-popover-fix" });
    this.popoverClose = el("button", { type: "button", class: "cl-btn cl-btn-quiet cl-popover-close", text: "Закрыть" });
    this.popoverHint = el("p", { class: "cl-popover-hint" });
    this.popover.append(this.popoverText, el("div", { class: "cl-popover-actions" }, this.popoverFix, this.popoverClose),
      this.popoverHint);
    this.field.append(this.popover);
    this.root = this.panel;
    if (this.opts.panel) this.opts.panel.append(this.panel);
    else this.field.after(this.panel);
    ta.setAttribute("aria-describedby", `${this.id}-status ${this.id}-findings`);
    this._mirror();
  }

  _bind() {
    this.listeners = [];
    const on = (target, type, fn, capture = false) => {
      target.addEventListener(type, fn, capture);
      this.listeners.push([target, type, fn, capture]);
    };
    on(this.ta, "input", () => {
      this._textChanged();
      this._abort();
      this.schedule();
    });
    on(this.ta, "scroll", () => this._syncScroll());
    on(this.ta, "keydown", (e) => {
      if (e.key === "Escape" && !this.popover.hidden) {
        e.preventDefault();
        this._closePopover(false);
        return;
      }
      if (e.key === "Enter" && e.altKey) {           // into the popover of the span under the caret
        const g = this._groupAtCaret();
        if (g) {
          e.preventDefault();
          this._openPopover(g, true);
        }
        return;
      }
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey || (this.opts.sendOnEnter && !e.shiftKey))) {
        e.preventDefault();
        this.requestSend();
      }
    });
    const button = this.opts.sendButton;
    const form = this.ta.form;
    if (form) {
      on(form, "submit", (e) => {
        e.preventDefault();
        this.requestSend();
      });
    } else if (button) {
      on(button, "click", (e) => {
        e.preventDefault();
        this.requestSend();
      });
    }
    on(this.list, "click", (e) => this._onListClick(e));
    on(this.hints, "click", (e) => {
      const btn = e.target.closest("button.cl-insert");
      const hint = btn && this.shownHints[Number(btn.dataset.hint)];
      if (hint) this.insertTemplate(hint);
    });
    on(this.moreButton, "click", () => {
      this.expanded = true;
      const first = this.groups.length > this.opts.maxItems ? this.opts.maxItems : 0;
      this._renderList();
      const next = this.list.children[first];
      const target = next && next.querySelector("button");
      if (target) target.focus();
    });
    on(this.previewApply, "click", () => this.previewFindings && this.applyFixes(this.previewFindings));
    on(this.previewCancel, "click", () => this._hidePreview(true));
    on(this.preview, "keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        this._hidePreview(true);
      }
    });
    for (const type of ["click", "keyup", "select"]) {
      on(this.ta, type, (e) => {
        if (type === "keyup" && (e.key === "Escape" || e.key === "Enter")) return;
        this._caretMoved();
      });
    }
    on(this.popoverFix, "click", () => {
      const g = this.popoverGroup;
      if (g) this._fixGroup(g, this.popoverFix);
    });
    on(this.popoverClose, "click", () => this._closePopover(true));
    on(this.popover, "keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        this._closePopover(true);
      }
    });
    on(this.fixAllButton, "click", () => this.fixAll());
    on(this.confirmEdit, "click", () => this._hideConfirm(true));
    on(this.confirmSend, "click", () => this._send(this.ta.value));
    on(this.confirm, "keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        this._hideConfirm(true);
      }
    });
    if (typeof ResizeObserver !== "undefined") {
      this.resizeObserver = new ResizeObserver(() => this._mirror());
      this.resizeObserver.observe(this.ta);
    }
    on(window, "resize", () => this._mirror());
  }

  /** Copy the textarea's box and font onto the backdrop, so the marks sit under the words. */
  _mirror() {
    const ta = this.ta;
    const cs = getComputedStyle(ta);
    const b = this.backdrop.style;
    for (const p of MIRRORED) b[p] = cs[p];
    const scrollbar = ta.offsetWidth - ta.clientWidth
      - parseFloat(cs.borderLeftWidth) - parseFloat(cs.borderRightWidth);
    b.paddingRight = `${parseFloat(cs.paddingRight) + Math.max(0, scrollbar)}px`;
    b.top = `${ta.offsetTop}px`;
    b.left = `${ta.offsetLeft}px`;
    b.width = `${ta.offsetWidth}px`;
    b.height = `${ta.offsetHeight}px`;
    b.borderRadius = cs.borderRadius;
    this._syncScroll();
  }

  _syncScroll() {
    this.backdrop.scrollTop = this.ta.scrollTop;
    this.backdrop.scrollLeft = this.ta.scrollLeft;
  }

  // ------------------------------------------------------------------ findings

  _ctx() {
    const body = { first: !!this.context.first, last: !!this.context.last, merge: true };
    if (this.opts.conversation) {
      body.conversation = this.opts.conversation() || [];
      body.now = new Date().toISOString();
      if (this.opts.operator) body.operator = this.opts.operator;
    }
    if (this.context.channel) body.channel = this.context.channel;
    return body;
  }

  async _post(path, body, signal) {
    const headers = { "content-type": "application/json" };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    const res = await fetch(`${this.opts.endpoint}${path}`, { method: "POST", headers, body: JSON.stringify(body), signal });
    if (!res.ok) throw Object.assign(new Error("http"), { status: res.status });
    return res.json();
  }

  async _loadRules() {
    try {
      const headers = this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {};
      const res = await fetch(`${this.opts.endpoint}/v1/rules`, { headers });
      if (!res.ok) return;
      this.rules = Object.fromEntries((await res.json()).map((r) => [r.code, r]));
      if (this.shown.findings.length) this._renderList();
    } catch {
      /* explanations are optional */
    }
  }

  _abort() {
    if (this.controller) {
      this.controller.abort();
      this.controller = null;
    }
  }

  /** The text changed since the findings were shown: keep the findings before and after the
   * edited region (shifted), drop those inside it, until the next check answers. */
  _textChanged() {
    const old = this.shown.text;
    const now = this.ta.value;
    if (old === now) return;
    this._hideConfirm(false);
    let p = 0;
    const max = Math.min(old.length, now.length);
    while (p < max && old.charCodeAt(p) === now.charCodeAt(p)) p++;
    let s = 0;
    while (s < max - p && old.charCodeAt(old.length - 1 - s) === now.charCodeAt(now.length - 1 - s)) s++;
    const oldEnd = old.length - s;
    const delta = now.length - old.length;
    const move = (a, b) => (b <= p ? [a, b] : a >= oldEnd ? [a + delta, b + delta] : null);
    const kept = [];
    for (const f of this.shown.findings) {
      if (f.whole) {
        kept.push({ ...f, start_utf16: 0, end_utf16: now.length });
        continue;
      }
      const span = move(f.start_utf16, f.end_utf16);
      if (!span) continue;
      let fix = f.fix;
      if (fix) {
        const edits = fix.edits.map((e) => {
          const m = move(e.start_utf16, e.end_utf16);
          return m && { ...e, start_utf16: m[0], end_utf16: m[1] };
        });
        fix = edits.every(Boolean) ? { ...fix, edits } : null;
      }
      kept.push({ ...f, start_utf16: span[0], end_utf16: span[1], fix });
    }
    this.shown = { text: now, findings: kept };
    this.result = null;
    this._renderMarks();
    this._renderList();
  }

  _show(result, quiet = false) {
    this.shown = { text: result.text, findings: result.findings };
    this._renderMarks();
    this._renderList();
    if (quiet) {
      this._setStatus("", "");
      return;
    }
    const n = result.findings.length;
    const errors = result.findings.filter((f) => f.severity === "error").length;
    if (!n) this._setStatus("Замечаний нет", "ok");
    else {
      let msg = `${n} ${plural(n, "замечание", "замечания", "замечаний")}`;
      if (errors) msg += `, из них ${errors} ${plural(errors, "ошибка", "ошибки", "ошибок")}`;
      this._setStatus(msg, errors ? "error" : "warning");
    }
  }

  _setStatus(text, kind) {
    this.status.textContent = text;
    this.status.dataset.kind = kind || "";
  }

  _renderMarks() {
    const text = this.ta.value;
    const spans = this.shown.findings
      .map((f, i) => ({ start: f.start_utf16, end: f.end_utf16, severity: f.severity, i, whole: f.whole }))
      .filter((s) => !s.whole && s.start >= 0 && s.end <= text.length && s.start <= s.end);
    const points = new Set([0, text.length]);
    for (const s of spans) {
      points.add(s.start);
      points.add(s.end);
    }
    const cuts = [...points].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let k = 0; k < cuts.length; k++) {
      const a = cuts[k];
      for (const s of spans) {
        if (s.start === a && s.end === a) {
          frag.append(el("mark", { class: `cl-mark cl-point cl-sev-${s.severity}`, "data-index": s.i }));
        }
      }
      if (k + 1 >= cuts.length) break;
      const b = cuts[k + 1];
      const covering = spans.filter((s) => s.start <= a && s.end >= b && s.start < s.end);
      const piece = text.slice(a, b);
      if (!covering.length) {
        frag.append(document.createTextNode(piece));
        continue;
      }
      const worst = covering.reduce((x, y) => (RANK[y.severity] > RANK[x.severity] ? y : x));
      frag.append(el("mark", {
        class: `cl-mark cl-sev-${worst.severity}`,
        "data-index": covering.map((s) => s.i).join(" "),
        text: piece,
      }));
    }
    // a final newline needs a character after it to take up its line
    if (text.endsWith("\n") || !text) frag.append(document.createTextNode(" "));
    this.highlights.replaceChildren(frag);
    this._syncScroll();
  }

  /** The findings as groups: identical findings (one rule, one short message) make one line. */
  _groups() {
    const items = this.shown.findings
      .map((f, i) => [f, i])
      .sort((a, b) => RANK[b[0].severity] - RANK[a[0].severity] || a[0].start_utf16 - b[0].start_utf16);
    const groups = new Map();
    for (const [f, i] of items) {
      const line = shortMessage(f.message);
      const key = `${f.code}\u0000${line}`;
      if (!groups.has(key)) groups.set(key, { line, findings: [], indices: [] });
      const g = groups.get(key);
      g.findings.push(f);
      g.indices.push(i);
    }
    return [...groups.values()];
  }

  _renderList() {
    const groups = this._groups();
    this.groups = groups;
    const cap = this.expanded ? groups.length : Math.min(groups.length, this.opts.maxItems);
    const safe = this.shown.findings.filter((f) => f.fix && f.fix.edits.length && f.fix.applicability === "safe");
    this.list.replaceChildren(...groups.slice(0, cap).map((g, k) => this._line(g, k)));
    const rest = groups.length - cap;
    this.moreButton.hidden = rest <= 0;
    if (rest > 0) this.moreButton.textContent = `ещё ${rest}`;
    this.fixAllButton.hidden = safe.length < 2;
    if (this.popoverGroup !== null) {
      // a new answer for the same text (a periodic re-check): the open popover stays, with
      // the keyboard where it was, as long as its finding is still there
      const old = this.popoverGroup;
      const same = groups.find((g) => g.findings[0].code === old.findings[0].code && g.line === old.line
        && g.findings[0].start_utf16 === old.findings[0].start_utf16);
      if (same) this.popoverGroup = same;
      else this._closePopover(this.popover.contains(document.activeElement));
    }
  }

  /** One line: severity mark, short message (locates the span), ×N, fix button, details toggle. */
  _line(g, k) {
    const f = g.findings[0];
    const li = el("li", { class: `cl-item cl-sev-${f.severity}`, "data-group": k, "data-code": f.code,
      "data-index": g.indices[0] });
    const row = el("div", { class: "cl-row" });
    row.append(el("span", { class: "cl-sev", "aria-hidden": "true", text: SEVERITY_MARK[f.severity] || "•" }),
      el("span", { class: "cl-visually-hidden", text: `${SEVERITY_LABEL[f.severity] || f.severity}: ` }));
    const count = g.findings.length > 1 ? ` ×${g.findings.length}` : "";
    const message = f.whole
      ? el("span", { class: "cl-message", text: g.line + count })
      : el("button", { type: "button", class: "cl-locate cl-message", text: g.line + count,
        title: "Показать в тексте" });
    row.append(message);
    const fixable = g.findings.filter((x) => x.fix && x.fix.edits.length);
    if (fixable.length) {
      const unsafe = fixable.some((x) => x.fix.applicability !== "safe");
      const title = fixable[0].fix.title || "Исправить";
      // the fix's own title, or «Исправить» where the panel is narrow (the title stays in the name)
      row.append(el("button", { type: "button", class: `cl-btn cl-fix${unsafe ? " cl-fix-unsafe" : ""}`,
        title, "aria-label": `Исправить: ${title}${g.findings.length > 1 ? ` (${g.findings.length})` : ""}` },
      el("span", { class: "cl-fix-long", text: unsafe ? `${title}…` : title }),
      el("span", { class: "cl-fix-short", text: unsafe ? "Исправить…" : "Исправить" })));
    }
    const detailsId = `${this.id}-details-${k}`;
    row.append(el("button", { type: "button", class: "cl-more-toggle", "aria-expanded": "false",
      "aria-controls": detailsId, title: "Подробнее", "aria-label": `Подробнее: ${g.line}`, text: "?" }));
    li.append(row);
    const details = el("div", { class: "cl-details", id: detailsId, hidden: true });
    if (f.message !== g.line) details.append(el("p", { class: "cl-full", text: f.message }));
    details.append(el("p", { class: "cl-summary" }, richText(f.summary)));
    const rule = this.rules && this.rules[f.code];
    if (rule && rule.why) details.append(el("p", { class: "cl-why" }, el("strong", { text: "Почему: " }), richText(rule.why)));
    const codes = (f.merged && f.merged.length ? f.merged : [f.code]).join(", ");
    details.append(el("p", { class: "cl-rule" }, el("span", { text: "Правило " }),
      el("code", { class: "cl-code", text: codes }), rule ? el("span", { text: ` (${rule.name})` }) : null));
    li.append(details);
    return li;
  }

  _onListClick(e) {
    const btn = e.target.closest("button");
    if (!btn) return;
    if (btn === this.moreButton) return;
    const li = btn.closest("li.cl-item");
    const g = li && this.groups && this.groups[Number(li.dataset.group)];
    if (!g) return;
    if (btn.classList.contains("cl-more-toggle")) {
      const details = li.querySelector(".cl-details");
      const open = btn.getAttribute("aria-expanded") !== "true";
      btn.setAttribute("aria-expanded", String(open));
      details.hidden = !open;
    } else if (btn.classList.contains("cl-fix")) {
      this._fixGroup(g, btn);
    } else if (btn.classList.contains("cl-locate")) {
      this._select(g.findings[0]);
      this._openPopover(g, false);
    }
  }

  /** A group's fix: safe ones at once; an unsafe one after a preview («проверьте смысл»). */
  _fixGroup(g, origin) {
    const fixable = g.findings.filter((x) => x.fix && x.fix.edits.length);
    if (!fixable.length) return false;
    if (fixable.some((x) => x.fix.applicability !== "safe")) {
      this._preview(fixable, origin);
      return false;
    }
    return this.applyFixes(fixable);
  }

  /** Apply several findings' fixes at once (each only if the text still holds what it replaces). */
  applyFixes(findings) {
    const value = this.ta.value;
    const edits = [];
    for (const f of findings) {
      const fix = f.fix;
      if (!fix || fix.edits.some((e) => value.slice(e.start_utf16, e.end_utf16) !== e.original)) continue;
      edits.push(...fix.edits);
    }
    if (!edits.length) {
      this.check();
      return false;
    }
    edits.sort((a, b) => b.start_utf16 - a.start_utf16);
    let limit = Infinity;
    for (const e of edits) {
      if (e.end_utf16 > limit) continue;   // overlaps an edit already made
      this.ta.setRangeText(e.replacement, e.start_utf16, e.end_utf16, "preserve");
      limit = e.start_utf16;
    }
    this._hidePreview();
    this._closePopover(false);
    this._textChanged();
    this.ta.focus();
    const f = findings[0];
    this._setStatus(`Исправлено: ${(f.fix && f.fix.title) || shortMessage(f.message)}`, "ok");
    this.check();
    return true;
  }

  /** The unsafe fix's preview: the sentence as it would read, «проверьте смысл», apply / cancel. */
  _preview(findings, origin) {
    const value = this.ta.value;
    const f = findings[0];
    const e = f.fix.edits[0];
    const a = Math.max(0, value.lastIndexOf("\n", e.start_utf16 - 1) + 1, e.start_utf16 - 40);
    const b = Math.min(value.length, ...[value.indexOf("\n", e.end_utf16), e.end_utf16 + 40].filter((x) => x >= 0));
    const before = el("del", { text: value.slice(e.start_utf16, e.end_utf16) || " " });
    const after = el("ins", { text: e.replacement || " " });
    this.previewText.replaceChildren(
      document.createTextNode(a > 0 ? "…" : ""), document.createTextNode(value.slice(a, e.start_utf16)),
      before, after, document.createTextNode(value.slice(e.end_utf16, b)),
      document.createTextNode(b < value.length ? "…" : ""));
    this.previewFindings = findings;
    this.previewOrigin = origin || null;
    this.preview.hidden = false;
    this.previewApply.focus();
  }

  _hidePreview(focusOrigin = false) {
    if (this.preview.hidden) return;
    this.preview.hidden = true;
    this.previewFindings = null;
    if (focusOrigin && this.previewOrigin && this.previewOrigin.isConnected) this.previewOrigin.focus();
    else if (focusOrigin) this.ta.focus();
  }

  // ------------------------------------------------------------------ popover on the underlined span

  /** The group whose span holds the caret (or the selection), if any. */
  _groupAtCaret() {
    if (!this.groups) return null;
    const a = this.ta.selectionStart, b = this.ta.selectionEnd;
    let best = null;
    for (const g of this.groups) {
      for (const f of g.findings) {
        if (f.whole) continue;
        if (f.start_utf16 <= a && b <= f.end_utf16 && (f.start_utf16 < f.end_utf16 ? a < f.end_utf16 || a === b : true)) {
          if (!best || RANK[f.severity] > RANK[best.findings[0].severity]) best = g;
        }
      }
    }
    return best;
  }

  _caretMoved() {
    const g = this._groupAtCaret();
    if (g) this._openPopover(g, false);
    else this._closePopover(false);
  }

  /** Show the line and fix of `g` next to its underline; `focus`: move the keyboard into it. */
  _openPopover(g, focus) {
    const f = g.findings[0];
    this.popoverGroup = g;
    const fixable = g.findings.filter((x) => x.fix && x.fix.edits.length);
    const unsafe = fixable.some((x) => x.fix.applicability !== "safe");
    this.popoverText.textContent = f.message;
    this.popoverFix.hidden = !fixable.length;
    if (fixable.length) this.popoverFix.textContent = `${fixable[0].fix.title || "Исправить"}${unsafe ? "…" : ""}`;
    this.popoverHint.textContent = fixable.length ? "Alt+Enter — к исправлению, Esc — закрыть" : "Esc — закрыть";
    this.popover.className = `cl-popover cl-sev-${f.severity}`;
    this.popover.hidden = false;
    const mark = this.highlights.querySelector(`mark[data-index~="${g.indices[0]}"]`);
    const box = this.field.getBoundingClientRect();
    if (mark) {
      const r = mark.getBoundingClientRect();
      this.popover.style.top = `${Math.round(r.bottom - box.top + 6)}px`;
      this.popover.style.left = `${Math.round(Math.max(0, Math.min(r.left - box.left, box.width - this.popover.offsetWidth)))}px`;
    } else {
      this.popover.style.top = `${this.ta.offsetTop + this.ta.offsetHeight}px`;
      this.popover.style.left = "0px";
    }
    if (focus) (fixable.length ? this.popoverFix : this.popoverClose).focus();
  }

  _closePopover(focusText) {
    if (this.popover.hidden) return;
    this.popover.hidden = true;
    this.popoverGroup = null;
    if (focusText) this.ta.focus();
  }

  _select(f) {
    this.ta.focus();
    this.ta.setSelectionRange(f.start_utf16, f.end_utf16);
  }

  // ------------------------------------------------------------------ sending

  _askConfirm(text, errors) {
    const shown = errors.slice(0, 3).map((f) => `«${f.message}»`).join("; ");
    this.confirmText.textContent =
      `${errors.length} ${plural(errors.length, "ошибка", "ошибки", "ошибок")}: ${shown}. ` +
      "Отправить сообщение без исправлений?";
    this.confirm.hidden = false;
    this.confirmEdit.focus();
  }

  _hideConfirm(focusText) {
    if (this.confirm.hidden) return;
    this.confirm.hidden = true;
    if (focusText) this.ta.focus();
  }

  _send(text) {
    this._hideConfirm(false);
    if (this.opts.onSend) this.opts.onSend(text);
    else this.ta.dispatchEvent(new CustomEvent("chatlint:send", { detail: { text }, bubbles: true }));
  }
}

/** Findings from the server, with what each fix edit replaces (to apply it safely later)
 * and a flag for findings about the whole message, such as a missing greeting: listed, not
 * underlined (a single-word message is still underlined). */
function prepare(text, findings) {
  const lead = text.length - text.trimStart().length;
  const tail = text.trimEnd().length;
  const severalWords = /\s/.test(text.trim());
  return findings.map((f) => ({
    ...f,
    // about the message or a paragraph as a whole (no greeting, a late first answer): listed,
    // not underlined — a wavy line under whole paragraphs hides the words' own marks
    whole: severalWords && ((f.start_utf16 <= lead && f.end_utf16 >= tail)
      || (!f.fix && f.end_utf16 - f.start_utf16 > 30 && /\s/.test(text.slice(f.start_utf16, f.end_utf16)))),
    fix: f.fix && {
      ...f.fix,
      edits: f.fix.edits.map((e) => ({ ...e, original: text.slice(e.start_utf16, e.end_utf16) })),
    },
  }));
}
