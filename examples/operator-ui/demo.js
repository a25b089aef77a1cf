// The demo page of `chatlint serve --demo`: a chat with one client message and the operator's
// reply box, checked by the widget. A bearer token, if the server needs one, goes after #:
// http://127.0.0.1:8750/#token=SECRET (the fragment never reaches the server's log).
import { attachChatlint } from "./chatlint-widget.js";

const textarea = document.getElementById("reply");
const log = document.getElementById("chat-log");
const channel = document.getElementById("channel");
const first = document.getElementById("first");
const last = document.getElementById("last");
const token = new URLSearchParams(location.hash.slice(1)).get("token");

function addBubble(text) {
  const li = document.createElement("li");
  li.className = "bubble bubble-operator";
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
  first: first.checked,
  last: last.checked,
  onSend(text) {
    addBubble(text);
    textarea.value = "";
    widget.reset();
    first.checked = false;
    widget.setContext({ first: false });
    textarea.focus();
  },
});

const context = () => widget.setContext({ channel: channel.value, first: first.checked, last: last.checked });
channel.addEventListener("change", context);
first.addEventListener("change", context);
last.addEventListener("change", context);
window.chatlintWidget = widget;  // for the console and the end-to-end test
