// The demo page of `chatlint serve --demo`: a chat with one client message and the operator's
// reply box, checked by the widget in its conversation: the chat log goes with every check, so
// the first reply is checked as the first, the client's wait gives a hint with a holding
// template, and greeting/farewell templates are offered. A bearer token, if the server needs one, goes after #:
// http://127.0.0.1:8750/#token=SECRET (the fragment never reaches the server's log).
import { attachChatlint } from "./chatlint-widget.js";

const textarea = document.getElementById("reply");
const log = document.getElementById("chat-log");
const channel = document.getElementById("channel");
const last = document.getElementById("last");
const token = new URLSearchParams(location.hash.slice(1)).get("token");

// the client wrote a minute and a half ago (a demo: the wait is under way when the page opens)
for (const li of log.querySelectorAll(".bubble")) {
  if (!li.dataset.time) li.dataset.time = new Date(Date.now() - 90_000).toISOString();
}

/** The conversation so far, from the chat log: role, text (without the author line) and time. */
function conversation() {
  return [...log.querySelectorAll(".bubble")].map((li) => ({
    role: li.dataset.role || "client",
    text: [...li.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(""),
    time: li.dataset.time || null,
  }));
}

function addBubble(text) {
  const li = document.createElement("li");
  li.className = "bubble bubble-operator";
  li.dataset.role = "operator";
  li.dataset.time = new Date().toISOString();
  const author = document.createElement("span");
  author.className = "bubble-author";
  author.textContent = "Оператор";
  li.append(author, document.createTextNode(text));
  log.append(li);
  li.scrollIntoView({ block: "nearest" });
}

const widget = attachChatlint(textarea, {
  endpoint: "",
  sendButton: document.getElementById("send"),
  token,
  channel: channel.value,
  last: last.checked,
  conversation,
  operator: "Анна",
  onSend(text) {
    addBubble(text);
    textarea.value = "";
    widget.reset();
    widget.setContext({});
    textarea.focus();
  },
});

const context = () => widget.setContext({ channel: channel.value, last: last.checked });
channel.addEventListener("change", context);
last.addEventListener("change", context);
window.chatlintWidget = widget;  // for the console and the end-to-end test
