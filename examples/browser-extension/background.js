// The add-on's service worker: the only place that talks to the network. A content script
// hands it a draft; it checks that the tab's site is one the operator allowed, then posts the
// draft to the configured chatlint server (and nowhere else) and returns the answer.
import { loadSettings, serverBase, siteAllowed } from "./settings.js";

const PATHS = new Set(["/v1/check", "/v1/fix"]);

async function ask(message, sender) {
  const settings = await loadSettings();
  const origin = sender.origin || (sender.tab && sender.tab.url && new URL(sender.tab.url).origin);
  if (!origin || !siteAllowed(origin, settings.sites)) return { error: "site" };
  const base = serverBase(settings.serverUrl);
  if (!base) return { error: "settings" };
  if (!PATHS.has(message.path)) return { error: "path" };
  const headers = { "content-type": "application/json" };
  if (settings.token) headers.authorization = `Bearer ${settings.token}`;
  const body = { ...message.body };
  if (!body.channel && settings.channel) body.channel = settings.channel;
  try {
    const res = await fetch(base + message.path, {
      method: "POST", headers, body: JSON.stringify(body), credentials: "omit", cache: "no-store",
      referrerPolicy: "no-referrer",
    });
    if (!res.ok) return { error: "http", status: res.status };
    return { data: await res.json() };
  } catch {
    return { error: "network" };
  }
}

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (!message || message.type !== "chatlint") return false;
  ask(message, sender).then(reply);
  return true;   // the answer comes asynchronously
});
