// The add-on's settings (chrome.storage.local): the chatlint server, its token, the sites the
// operator allows. Shared by the service worker, the content module and the options page.

export const DEFAULTS = Object.freeze({
  serverUrl: "http://127.0.0.1:8750",
  token: "",
  sites: [],          // origins, one a line in the options: https://desk.example.ru, https://*.usedesk.ru
  channel: "chat",
  threadSelector: "",   // CSS selector of each message of the visible conversation ("": send none)
  operatorSelector: "", // CSS selector of the operator's messages among them
});

export async function loadSettings() {
  const stored = await chrome.storage.local.get(Object.keys(DEFAULTS));
  return { ...DEFAULTS, ...stored };
}

export async function saveSettings(settings) {
  await chrome.storage.local.set(settings);
}

/** A site line as an origin pattern: "https://desk.example.ru", "https://*.usedesk.ru",
 * "http://127.0.0.1:8080"; null when it is not one (the options page says so). */
export function parseSite(line) {
  const s = String(line || "").trim().replace(/\/+$/, "");
  const m = s.match(/^(https?):\/\/(\*\.)?([a-z0-9.-]+|\[[0-9a-f:]+\])(:\d{1,5})?$/i);
  if (!m) return null;
  return { scheme: m[1].toLowerCase(), wildcard: !!m[2], host: m[3].toLowerCase(), port: m[4] || "" };
}

/** Whether a page's origin is one of the allowed sites. */
export function siteAllowed(origin, sites) {
  let url;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const scheme = url.protocol.replace(":", "");
  const host = url.hostname.toLowerCase();
  const port = url.port ? `:${url.port}` : "";
  return (sites || []).some((line) => {
    const site = parseSite(line);
    if (!site || site.scheme !== scheme || site.port !== port) return false;
    return site.wildcard ? host.endsWith(`.${site.host}`) : host === site.host;
  });
}

/** The server's base URL, or null when it is not an http(s) URL. */
export function serverBase(serverUrl) {
  try {
    const url = new URL(String(serverUrl || "").trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.origin + url.pathname.replace(/\/+$/, "");
  } catch {
    return null;
  }
}
