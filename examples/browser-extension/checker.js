// The checker next to one reply field: after a pause in typing it asks the service worker
// (which asks the configured chatlint server), underlines the findings in the field and lists
// them next to it, one line each, with a fix button. Its panel lives in a shadow root (open: tests and assistive tools reach it), so the
// helpdesk's styles and ours never mix. Message text only ever goes in as text nodes.
import { isTextarea, readField, rangeOf, replaceText } from "./text.js";
import { readThread } from "./thread.js";

const SEVERITY_MARK = { error: "✖", warning: "▲", info: "●" };
const SEVERITY_LABEL = { error: "ошибка", warning: "предупреждение", info: "совет" };
const RANK = { info: 0, warning: 1, error: 2 };
const MAX_LINES = 4;
const HINT_BUTTON = { holding: "Вставить сообщение об ожидании", greeting: "Вставить приветствие",
  farewell: "Вставить прощание" };
const MIRRORED = ["boxSizing", "fontFamily", "fontSize", "fontWeight", "fontStyle", "letterSpacing", "wordSpacing",
  "lineHeight", "textTransform", "textIndent", "textAlign", "tabSize", "paddingTop", "paddingRight",
  "paddingBottom", "paddingLeft", "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth"];

const PANEL_CSS = `
:host { all: initial; }
.panel { position: absolute; z-index: 2147483000; box-sizing: border-box; width: 22rem; max-width: calc(100vw - 16px);
  font: 14px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2328;
  background: #fff; border: 1px solid #8c959f; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.18);
  padding: 6px 8px; }
.panel[hidden] { display: none; }
.head { display: flex; align-items: center; gap: 6px; }
.status { flex: 1; margin: 0; color: #4a525c; }
.status[data-kind="error"] { color: #b71c1c; font-weight: 600; }
.status[data-kind="ok"] { color: #1b5e20; }
.close { border: 0; background: none; font: inherit; font-size: 16px; color: #4a525c; cursor: pointer; }
ul { list-style: none; margin: 4px 0 0; padding: 0; }
li { display: flex; gap: 6px; align-items: center; min-height: 28px; border-top: 1px solid #eceff3; }
.sev { flex: none; width: 1.1em; text-align: center; color: #8a4f00; }
.error .sev { color: #b71c1c; } .info .sev { color: #1659b0; }
.msg { flex: 1; min-width: 0; }
.error .msg { font-weight: 600; }
button.fix, button.apply, button.cancel { flex: none; font: inherit; font-size: 13px; padding: 2px 8px; border-radius: 4px;
  border: 1px solid #1659b0; background: #1659b0; color: #fff; cursor: pointer; max-width: 45%;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
button.unsafe, button.cancel { background: #fff; color: #1659b0; }
.more { font: inherit; font-size: 13px; border: 0; background: none; color: #1659b0; text-decoration: underline;
  cursor: pointer; padding: 4px 0 0; }
.more[hidden], .preview[hidden] { display: none; }
.preview { margin: 6px 0 0; padding: 6px; background: #f3f7fd; border: 1px solid #1659b0; border-radius: 6px; }
.preview p { margin: 0 0 6px; }
.hints li { border-top: 0; color: #1f2328; }
.preview del { color: #b71c1c; } .preview ins { color: #1b5e20; font-weight: 600; }
.hidden-text { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
button:focus-visible { outline: 3px solid #ffbf47; outline-offset: 1px; }
.mirror { position: absolute; z-index: 2147482999; pointer-events: none; overflow: hidden; color: transparent;
  white-space: pre-wrap; overflow-wrap: break-word; border-style: solid; border-color: transparent; background: none; }
mark { color: transparent; background: rgba(183, 28, 28, .10); text-decoration: underline wavy #8a4f00;
  text-decoration-thickness: 1.5px; text-underline-offset: 3px; text-decoration-skip-ink: none; }
mark.error { text-decoration-color: #b71c1c; } mark.info { text-decoration-style: dotted; text-decoration-color: #1659b0; background: none; }
`;

const PAGE_CSS = `
::highlight(chatlint-error) { text-decoration: underline wavy #b71c1c; text-decoration-thickness: 1.5px; background-color: rgba(183,28,28,.10); }
::highlight(chatlint-warning) { text-decoration: underline wavy #8a4f00; text-decoration-thickness: 1.5px; background-color: rgba(217,130,0,.12); }
::highlight(chatlint-info) { text-decoration: underline dotted #1659b0; }
`;

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

/** The short line of a message: before «: » outside «quotes», without a trailing (remark). */
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

/** What went wrong, in the operator's words. */
export function failureText(answer) {
  switch (answer && answer.error) {
    case "site": return "Проверка на этом сайте не включена в настройках";
    case "settings": return "Адрес сервера проверки не задан: откройте настройки дополнения";
    case "http":
      if (answer.status === 401 || answer.status === 403) return "Нет доступа к серверу проверки: проверьте ключ доступа в настройках";
      if (answer.status === 413) return "Сообщение слишком длинное для проверки";
      if (answer.status === 503) return "Сервер проверки перегружен, повторите через несколько секунд";
      return `Сервер проверки ответил ошибкой ${answer.status}`;
    default: return "Сервер проверки недоступен";
  }
}

function plural(n, one, few, many) {
  const m10 = n % 10, m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

let pageStyle = null;

export class FieldChecker {
  constructor(field, { delay = 400, thread = null } = {}) {
    this.field = field;
    this.delay = delay;
    this.thread = thread;   // {threadSelector, operatorSelector}: the page's conversation, sent with each check
    this.hintsShown = [];
    this.seq = 0;
    this.findings = [];
    this.text = "";
    this.expanded = false;
    this.host = el("chatlint-checker");
    this.shadow = this.host.attachShadow({ mode: "open" });
    this.shadow.append(el("style", { text: PANEL_CSS }));
    this.status = el("p", { class: "status", role: "status" });
    this.closeButton = el("button", { type: "button", class: "close", "aria-label": "Скрыть проверку", text: "×" });
    this.list = el("ul", { "aria-label": "Замечания к ответу" });
    this.hints = el("ul", { class: "hints", "aria-live": "polite", "aria-label": "Подсказки по переписке" });
    this.more = el("button", { type: "button", class: "more", hidden: true });
    this.preview = el("div", { class: "preview", role: "dialog", hidden: true, "aria-label": "Исправление — проверьте смысл" });
    this.panel = el("section", { class: "panel", "aria-label": "chatlint: проверка ответа", hidden: true },
      el("div", { class: "head" }, this.status, this.closeButton), this.hints, this.preview, this.list, this.more);
    this.mirror = el("div", { class: "mirror", "aria-hidden": "true" });
    this.shadow.append(this.mirror, this.panel);
    document.documentElement.append(this.host);
    this.onInput = () => this.schedule();
    this.onPlace = () => this.place();
    // a field left with nothing to say about it folds its panel away
    this.onLeave = () => { if (!this.findings.length && !this.status.dataset.kind.startsWith("fail")) this.panel.hidden = true; };
    field.addEventListener("input", this.onInput);
    field.addEventListener("focusout", this.onLeave);
    field.addEventListener("scroll", this.onPlace);
    window.addEventListener("resize", this.onPlace);
    window.addEventListener("scroll", this.onPlace, true);
    this.closeButton.addEventListener("click", () => { this.panel.hidden = true; });
    this.more.addEventListener("click", () => { this.expanded = true; this.renderList(); });
    this.list.addEventListener("click", (e) => this.onListClick(e));
    this.hints.addEventListener("click", (e) => {
      const btn = e.target.closest("button");
      const hint = btn && this.hintsShown[Number(btn.dataset.hint)];
      if (hint) this.insertTemplate(hint);
    });
    if (!isTextarea(field) && !pageStyle && globalThis.CSS && CSS.highlights) {
      pageStyle = el("style", { text: PAGE_CSS });
      document.head.append(pageStyle);
    }
    if (readField(field).text.trim()) this.schedule(0);
  }

  destroy() {
    this.field.removeEventListener("input", this.onInput);
    this.field.removeEventListener("focusout", this.onLeave);
    this.field.removeEventListener("scroll", this.onPlace);
    window.removeEventListener("resize", this.onPlace);
    window.removeEventListener("scroll", this.onPlace, true);
    this.clearHighlights();
    this.host.remove();
  }

  schedule(delay = this.delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), delay);
  }

  async check() {
    const { text } = readField(this.field);
    const seq = ++this.seq;
    if (!text.trim()) {
      this.show(text, []);
      this.panel.hidden = true;
      return;
    }
    const body = { text, merge: true };
    const conversation = this.thread ? readThread(document, this.thread, this.field) : null;
    if (conversation) body.conversation = conversation;
    const answer = await chrome.runtime.sendMessage({ type: "chatlint", path: "/v1/check", body });
    if (seq !== this.seq || readField(this.field).text !== text) return;
    if (!answer || answer.error) {
      this.show(text, []);
      this.setStatus(`${failureText(answer)}. Ответ можно отправить без проверки.`, "failed");
      this.panel.hidden = false;
      this.place();
      return;
    }
    this.show(text, answer.data.findings || [], answer.data.hints || []);
  }

  setStatus(text, kind) {
    this.status.textContent = text;
    this.status.dataset.kind = kind || "";
  }

  show(text, findings, hints = []) {
    this.text = text;
    this.renderHints(hints);
    this.findings = findings.map((f) => ({
      ...f,
      fix: f.fix && { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e, original: text.slice(e.start_utf16, e.end_utf16) })) },
    }));
    const n = findings.length;
    const errors = findings.filter((f) => f.severity === "error").length;
    if (!n) this.setStatus(text.trim() ? "Замечаний нет" : "", "ok");
    else this.setStatus(`${n} ${plural(n, "замечание", "замечания", "замечаний")}`
      + (errors ? `, из них ${errors} ${plural(errors, "ошибка", "ошибки", "ошибок")}` : ""), errors ? "error" : "warning");
    this.panel.hidden = !text.trim();
    this.renderList();
    this.renderMarks();
    this.place();
  }

  /** The conversation's hints (a holding message, a greeting, a farewell), each with a button
   * that inserts the configuration's template. */
  renderHints(hints) {
    this.hintsShown = hints.filter((h) => h && h.message);
    this.hints.replaceChildren(...this.hintsShown.map((h, k) => el("li", { class: `hint ${h.kind}` },
      el("span", { class: "msg", text: h.message }),
      h.template ? el("button", { type: "button", class: "fix unsafe", "data-hint": k, title: h.template,
        text: HINT_BUTTON[h.kind] || "Вставить" }) : null)));
  }

  /** Insert a hint's template: at the start of the draft, at its end, or as the whole draft. */
  insertTemplate(hint) {
    const { text } = readField(this.field);
    const template = hint.template;
    if (!text.trim() || hint.at === "replace") {
      if (text.trim()) replaceText(this.field, 0, 0, `${template} `);
      else replaceText(this.field, 0, text.length, template);
    } else if (hint.at === "start") {
      replaceText(this.field, 0, 0, `${template} `);
    } else {
      replaceText(this.field, text.length, text.length, `${/\s$/.test(text) ? "" : " "}${template}`);
    }
    this.renderHints([]);
    this.setStatus(`Вставлено: «${template}»`, "ok");
    this.schedule(0);
  }

  groups() {
    const items = [...this.findings].sort((a, b) => RANK[b.severity] - RANK[a.severity] || a.start_utf16 - b.start_utf16);
    const out = new Map();
    for (const f of items) {
      const line = shortMessage(f.message);
      const key = `${f.code}\u0000${line}`;
      if (!out.has(key)) out.set(key, { line, findings: [] });
      out.get(key).findings.push(f);
    }
    return [...out.values()];
  }

  renderList() {
    const groups = this.groups();
    this.shownGroups = groups;
    const cap = this.expanded ? groups.length : Math.min(groups.length, MAX_LINES);
    this.list.replaceChildren(...groups.slice(0, cap).map((g, k) => {
      const f = g.findings[0];
      const li = el("li", { class: f.severity, "data-group": k, "data-code": f.code, title: f.message },
        el("span", { class: "sev", "aria-hidden": "true", text: SEVERITY_MARK[f.severity] || "•" }),
        el("span", { class: "hidden-text", text: `${SEVERITY_LABEL[f.severity] || ""}: ` }),
        el("span", { class: "msg", text: g.line + (g.findings.length > 1 ? ` ×${g.findings.length}` : "") }));
      const fixable = g.findings.filter((x) => x.fix && x.fix.edits.length);
      if (fixable.length) {
        const unsafe = fixable.some((x) => x.fix.applicability !== "safe");
        const title = fixable[0].fix.title || "Исправить";
        li.append(el("button", { type: "button", class: `fix${unsafe ? " unsafe" : ""}`, title,
          "aria-label": `Исправить: ${title}`, text: unsafe ? `${title}…` : title }));
      }
      return li;
    }));
    const rest = groups.length - cap;
    this.more.hidden = rest <= 0;
    this.more.textContent = `ещё ${rest}`;
  }

  onListClick(e) {
    const btn = e.target.closest("button");
    const li = btn && btn.closest("li");
    const g = li && this.shownGroups[Number(li.dataset.group)];
    if (!g || !btn.classList.contains("fix")) return;
    const fixable = g.findings.filter((x) => x.fix && x.fix.edits.length);
    if (fixable.some((x) => x.fix.applicability !== "safe")) this.showPreview(fixable);
    else this.apply(fixable);
  }

  showPreview(findings) {
    const e = findings[0].fix.edits[0];
    const text = this.text;
    const a = Math.max(0, e.start_utf16 - 30), b = Math.min(text.length, e.end_utf16 + 30);
    const apply = el("button", { type: "button", class: "apply", text: "Применить" });
    const cancel = el("button", { type: "button", class: "cancel", text: "Отмена" });
    apply.addEventListener("click", () => this.apply(findings));
    cancel.addEventListener("click", () => { this.preview.hidden = true; });
    this.preview.replaceChildren(el("p", { text: "Исправление может изменить смысл — проверьте смысл:" }),
      el("p", {}, document.createTextNode((a ? "…" : "") + text.slice(a, e.start_utf16)),
        el("del", { text: text.slice(e.start_utf16, e.end_utf16) }), el("ins", { text: e.replacement }),
        document.createTextNode(text.slice(e.end_utf16, b) + (b < text.length ? "…" : ""))),
      el("div", {}, apply, document.createTextNode(" "), cancel));
    this.preview.hidden = false;
    apply.focus();
  }

  /** Apply the fixes (latest first, each only where the text still holds what it replaces). */
  apply(findings) {
    this.preview.hidden = true;
    const { text } = readField(this.field);
    const edits = findings.flatMap((f) => f.fix.edits).filter((e) => text.slice(e.start_utf16, e.end_utf16) === e.original)
      .sort((x, y) => y.start_utf16 - x.start_utf16);
    let limit = Infinity;
    for (const e of edits) {
      if (e.end_utf16 > limit) continue;
      replaceText(this.field, e.start_utf16, e.end_utf16, e.replacement);
      limit = e.start_utf16;
    }
    this.setStatus(`Исправлено: ${findings[0].fix.title || shortMessage(findings[0].message)}`, "ok");
    this.schedule(0);
  }

  clearHighlights() {
    if (globalThis.CSS && CSS.highlights && this.ranges) {
      for (const [name, ranges] of Object.entries(this.ranges)) {
        const h = CSS.highlights.get(name);
        if (h) for (const r of ranges) h.delete(r);
      }
    }
    this.ranges = null;
    this.mirror.replaceChildren();
  }

  renderMarks() {
    this.clearHighlights();
    const spans = this.findings.filter((f) => f.end_utf16 > f.start_utf16 && f.end_utf16 - f.start_utf16 <= 30);
    if (!isTextarea(this.field)) {
      if (!(globalThis.CSS && CSS.highlights)) return;
      const { segments } = readField(this.field);
      this.ranges = {};
      for (const f of spans) {
        const range = rangeOf(segments, f.start_utf16, f.end_utf16);
        if (!range) continue;
        const name = `chatlint-${f.severity}`;
        if (!CSS.highlights.has(name)) CSS.highlights.set(name, new Highlight());
        CSS.highlights.get(name).add(range);
        (this.ranges[name] = this.ranges[name] || []).push(range);
      }
      return;
    }
    const text = this.text;
    const sorted = [...spans].sort((a, b) => a.start_utf16 - b.start_utf16);
    const frag = document.createDocumentFragment();
    let pos = 0;
    for (const f of sorted) {
      if (f.start_utf16 < pos) continue;
      frag.append(document.createTextNode(text.slice(pos, f.start_utf16)),
        el("mark", { class: f.severity, text: text.slice(f.start_utf16, f.end_utf16) }));
      pos = f.end_utf16;
    }
    frag.append(document.createTextNode(text.slice(pos) + " "));
    this.mirror.replaceChildren(frag);
  }

  /** The panel just below the field (above it when there is no room), the mirror over it. */
  place() {
    const r = this.field.getBoundingClientRect();
    const x = window.scrollX, y = window.scrollY;
    if (isTextarea(this.field)) {
      const cs = getComputedStyle(this.field);
      const m = this.mirror.style;
      for (const p of MIRRORED) m[p] = cs[p];
      m.left = `${r.left + x}px`;
      m.top = `${r.top + y}px`;
      m.width = `${r.width}px`;
      m.height = `${r.height}px`;
      this.mirror.scrollTop = this.field.scrollTop;
    }
    if (this.panel.hidden) return;
    const height = this.panel.offsetHeight;
    const below = r.bottom + 6 + height <= window.innerHeight || r.top < height + 6;
    this.panel.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - this.panel.offsetWidth - 8)) + x}px`;
    this.panel.style.top = `${(below ? r.bottom + 6 : r.top - height - 6) + y}px`;
  }
}
