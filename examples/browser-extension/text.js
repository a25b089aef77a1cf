// The text of a reply field and offsets into it, for a <textarea> and for a contenteditable
// element alike. Offsets are JavaScript string indices (UTF-16), as the server gives them.

const BLOCKS = new Set(["DIV", "P", "LI", "UL", "OL", "BLOCKQUOTE", "PRE", "H1", "H2", "H3", "H4", "H5", "H6", "TR"]);

export function isTextarea(field) {
  return field instanceof HTMLTextAreaElement;
}

/** {text, segments}: the field's text; for a contenteditable, the text nodes with the offset
 * each starts at (a <br> and the edge between two blocks count as a line break). */
export function readField(field) {
  if (isTextarea(field)) return { text: field.value, segments: null };
  const parts = [];
  const segments = [];
  let length = 0;
  const push = (s) => {
    parts.push(s);
    length += s.length;
  };
  const walk = (node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        segments.push({ node: child, start: length });
        push(child.data);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.tagName === "BR") {
          push("\n");
          continue;
        }
        const block = BLOCKS.has(child.tagName);
        if (block && length && !parts[parts.length - 1].endsWith("\n")) push("\n");
        walk(child);
        if (block && length && !parts[parts.length - 1].endsWith("\n") && child.nextSibling) push("\n");
      }
    }
  };
  walk(field);
  return { text: parts.join(""), segments };
}

/** (node, offset) of a text offset in a contenteditable's segments. */
function point(segments, offset, preferEnd) {
  let best = null;
  for (const s of segments) {
    const end = s.start + s.node.data.length;
    if (offset >= s.start && offset <= end) {
      if (offset === end && !preferEnd) {
        best = best || { node: s.node, offset: offset - s.start };
        continue;
      }
      return { node: s.node, offset: offset - s.start };
    }
    if (s.start > offset) return best || { node: s.node, offset: 0 };
  }
  if (best) return best;
  const last = segments[segments.length - 1];
  return last ? { node: last.node, offset: last.node.data.length } : null;
}

/** A DOM Range over [start, end) of a contenteditable's text, or null. */
export function rangeOf(segments, start, end) {
  if (!segments || !segments.length) return null;
  const a = point(segments, start, false);
  const b = point(segments, end, true);
  if (!a || !b) return null;
  const range = document.createRange();
  try {
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
  } catch {
    return null;
  }
  return range;
}

/** Replace [start, end) of the field's text with `replacement` as if typed (the page's own
 * editor sees an input event, and Ctrl+Z undoes it). */
export function replaceText(field, start, end, replacement) {
  field.focus();
  if (isTextarea(field)) {
    field.setSelectionRange(start, end);
    if (!document.execCommand("insertText", false, replacement)) {
      field.setRangeText(replacement, start, end, "end");
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    return true;
  }
  const { segments } = readField(field);
  const range = rangeOf(segments, start, end);
  if (!range) return false;
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  if (!document.execCommand("insertText", false, replacement)) {
    range.deleteContents();
    range.insertNode(document.createTextNode(replacement));
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  return true;
}
