// The conversation visible in the helpdesk page, read when the options name its messages with a
// CSS selector (and the operator's with another): sent with each check, so that the server
// knows whether this is the first reply, how long the client has waited, and what the
// conversation asks for. Without the selectors nothing but the draft is sent.

export const MAX_MESSAGES = 50;     // the latest messages, oldest first
export const MAX_CHARS = 20000;     // of their text in all: the request stays far below the server's 64 KB

/** Whether `selector` is a CSS selector this browser accepts ("" is: it means "none"). */
export function validSelector(selector) {
  const s = String(selector || "").trim();
  if (!s) return true;
  try {
    document.createDocumentFragment().querySelector(s);
    return true;
  } catch {
    return false;
  }
}

function matches(node, selector) {
  try {
    return !!(node.matches(selector) || node.closest(selector));
  } catch {
    return false;
  }
}

/** A message element's text without its <time> elements' text, and the time they give. */
function messageOf(node) {
  const times = [...node.querySelectorAll("time")];
  let text = node.innerText || node.textContent || "";
  for (const t of times) {
    const shown = (t.innerText || t.textContent || "").trim();
    if (shown) text = text.replace(shown, "");
  }
  const stamp = times.map((t) => t.getAttribute("datetime")).find(Boolean);
  const time = stamp ? new Date(stamp) : null;
  return { text: text.trim(), time: time && !Number.isNaN(time.getTime()) ? time.toISOString() : null };
}

/** [{role, text, time?}] of the visible messages matching `threadSelector` (the operator's
 * are those matching `operatorSelector`, or inside one), oldest first; null when the thread
 * is not configured. The reply field itself, and anything of ours, is never part of it. */
export function readThread(root, { threadSelector, operatorSelector } = {}, field = null) {
  const selector = String(threadSelector || "").trim();
  if (!selector) return null;
  let nodes;
  try {
    nodes = [...root.querySelectorAll(selector)];
  } catch {
    return null;
  }
  nodes = nodes.filter((n) => !(field && (n.contains(field) || field.contains(n)))
    && !n.closest("chatlint-checker") && n.getClientRects().length);
  nodes = nodes.filter((n) => !nodes.some((m) => m !== n && m.contains(n)));   // the outermost matches
  const operator = String(operatorSelector || "").trim();
  const out = [];
  let chars = 0;
  for (let i = nodes.length - 1; i >= 0 && out.length < MAX_MESSAGES; i--) {
    const { text, time } = messageOf(nodes[i]);
    if (!text) continue;
    if (chars + text.length > MAX_CHARS) break;
    chars += text.length;
    const message = { role: operator && matches(nodes[i], operator) ? "operator" : "client", text };
    if (time) message.time = time;
    out.push(message);
  }
  return out.reverse();
}
