// The options page: the chatlint server (URL and token), the sites to check on, the channel.
import { loadSettings, parseSite, saveSettings, serverBase } from "./settings.js";
import { validSelector } from "./thread.js";

const form = document.getElementById("options");
const result = document.getElementById("result");
const fields = ["serverUrl", "token", "sites", "channel", "threadSelector", "operatorSelector"]
  .map((id) => document.getElementById(id));
const [serverUrl, token, sites, channel, threadSelector, operatorSelector] = fields;

function say(text, kind) {
  result.textContent = text;
  result.dataset.kind = kind;
}

async function show() {
  const s = await loadSettings();
  serverUrl.value = s.serverUrl;
  token.value = s.token;
  sites.value = (s.sites || []).join("\n");
  channel.value = s.channel;
  threadSelector.value = s.threadSelector || "";
  operatorSelector.value = s.operatorSelector || "";
  document.getElementById("serve-command").textContent =
    `chatlint serve --allow-extension\n(или: chatlint serve --cors-origin chrome-extension://${chrome.runtime.id})`;
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const lines = sites.value.split("\n").map((l) => l.trim()).filter(Boolean);
  const bad = lines.filter((l) => !parseSite(l));
  if (bad.length) {
    say(`Не похоже на адрес сайта: ${bad.join(", ")}. Пример: https://desk.example.ru`, "error");
    return;
  }
  if (!serverBase(serverUrl.value)) {
    say("Адрес сервера должен начинаться с http:// или https://", "error");
    return;
  }
  const thread = threadSelector.value.trim(), operator = operatorSelector.value.trim();
  const badSelector = [thread, operator].find((sel) => !validSelector(sel));
  if (badSelector !== undefined) {
    say(`Не похоже на CSS-селектор: ${badSelector}. Пример: .chat-thread .message`, "error");
    return;
  }
  if (!thread !== !operator) {
    say("Укажите оба селектора переписки — сообщений и сообщений оператора — или ни одного", "error");
    return;
  }
  await saveSettings({ serverUrl: serverBase(serverUrl.value), token: token.value.trim(), sites: lines,
    channel: channel.value, threadSelector: thread, operatorSelector: operator });
  say("Сохранено. Обновите вкладки хелпдеска, чтобы проверка включилась.", "ok");
});

document.getElementById("test").addEventListener("click", async () => {
  const base = serverBase(serverUrl.value);
  if (!base) {
    say("Адрес сервера должен начинаться с http:// или https://", "error");
    return;
  }
  try {
    const res = await fetch(`${base}/healthz`, { credentials: "omit", cache: "no-store" });
    say(res.ok ? "Сервер проверки отвечает." : `Сервер проверки ответил ошибкой ${res.status}`, res.ok ? "ok" : "error");
  } catch {
    say("Сервер проверки недоступен: он запущен и разрешает запросы этого дополнения?", "error");
  }
});

show();
