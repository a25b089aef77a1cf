// The content module: on a site the operator allowed in the options (and nowhere else), a
// checker attaches to each reply field — a <textarea> or a contenteditable element — the
// first time it gets focus.
import { FieldChecker } from "./checker.js";
import { loadSettings, siteAllowed } from "./settings.js";

const checkers = new WeakMap();

function replyField(target) {
  if (!(target instanceof HTMLElement)) return null;
  if (target instanceof HTMLTextAreaElement) return target.readOnly || target.disabled ? null : target;
  const editable = target.closest("[contenteditable]:not([contenteditable='false'])");
  if (!editable) return null;
  let root = editable;
  while (root.parentElement && root.parentElement.isContentEditable) root = root.parentElement;
  return root;
}

export async function start() {
  const settings = await loadSettings();
  if (!siteAllowed(location.origin, settings.sites)) return false;
  const attach = (target) => {
    const field = replyField(target);
    if (field && !checkers.has(field)) {
      checkers.set(field, new FieldChecker(field, {
        thread: { threadSelector: settings.threadSelector, operatorSelector: settings.operatorSelector },
      }));
    }
  };
  document.addEventListener("focusin", (e) => attach(e.target), true);
  if (document.activeElement) attach(document.activeElement);
  document.documentElement.dataset.chatlint = "on";   // for the page's own scripts and tests
  return true;
}
