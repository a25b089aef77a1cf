"""HTML e-mail bodies as plain text: paragraphs and line breaks kept, lists as «- » lines,
quoted blocks (``<blockquote>``, Gmail's and Outlook's quote containers) as ``>`` lines."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# ------------------------------------------------------------------ HTML


class _HtmlText(HTMLParser):
    _BLOCKS = frozenset(
        "div p ul ol li tr table tbody thead tfoot h1 h2 h3 h4 h5 h6 pre section article header footer "
        "center address dl dt dd form fieldset figure main nav aside caption".split()
    )
    _SKIP = frozenset("style script head title template xml".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str, bool]] = []  # (quote depth, text, preformatted)
        self.cur: list[str] = []
        self.cur_depth = 0
        self.has_text = False
        self.depth = 0
        self.skip = 0
        self.pre = 0
        self.lists: list[list[int]] = []  # [counter] for <ol>, [-1] for <ul>
        self.blank = False

    # -- line building
    def _newline(self) -> None:
        self.lines.append((self.cur_depth, "".join(self.cur), self.pre > 0))
        self.cur = []
        self.cur_depth = self.depth
        self.has_text = False

    def _break(self) -> None:
        if self.has_text:
            self._newline()
        else:
            self.cur = []
            self.cur_depth = self.depth

    def _para(self) -> None:
        self._break()
        self.blank = True

    def _write(self, s: str) -> None:
        if not self.has_text:
            if self.blank and self.lines and self.lines[-1][1].strip():
                self.lines.append((min(self.depth, self.lines[-1][0]), "", False))
            self.blank = False
            self.cur_depth = self.depth
        self.cur.append(s)
        self.has_text = True

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
            return
        if tag == "br":
            if self.blank and not self.has_text:
                self.blank = False
            self._newline()
        elif tag == "hr":
            self._break()
            self._write("_" * 32)
            self._newline()
        elif tag == "blockquote":
            self._para()
            self.depth += 1
            self.cur_depth = self.depth
        elif tag == "p":
            cls = next((v or "" for k, v in attrs if k == "class"), "")
            if "msonormal" in cls.lower():
                self._break()
            else:
                self._para()
        elif tag in ("ul", "ol"):
            self._break()
            self.lists.append([0 if tag == "ol" else -1])
        elif tag == "li":
            self._break()
            if self.lists and self.lists[-1][0] >= 0:
                self.lists[-1][0] += 1
                self._write(f"{self.lists[-1][0]}. ")
            else:
                self._write("- ")
        elif tag == "pre":
            self._para()
            self.pre += 1
        elif tag in self._BLOCKS:
            self._break()
        elif tag in ("td", "th") and self.has_text:
            self.cur.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "blockquote":
            self._break()
            self.depth = max(0, self.depth - 1)
            self.cur_depth = self.depth
            self.blank = True
        elif tag == "p":
            self._break()
        elif tag in ("ul", "ol"):
            self._break()
            if self.lists:
                self.lists.pop()
        elif tag == "pre":
            self._break()
            self.pre = max(0, self.pre - 1)
        elif tag in self._BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            for i, chunk in enumerate(data.split("\n")):
                if i:
                    self._newline()
                if chunk:
                    self._write(chunk)
            return
        chunk = re.sub(r"[ \t\r\n\f\v]+", " ", data)
        if not self.has_text or (self.cur and self.cur[-1].endswith(" ")):
            chunk = chunk.lstrip(" ")
        if chunk:
            self._write(chunk)

    def text(self) -> str:
        self._break()
        out: list[str] = []
        for depth, line, pre in self.lines:
            line = line.replace("\xa0", " ").rstrip()
            line = line if pre else line.lstrip()
            depth = min(depth, 8)  # deeper history is dropped anyway
            rendered = ("> " * depth + line).rstrip() if line else ">" * depth
            if not rendered.strip(">") and out and not out[-1].strip(">") and out[-1] == rendered:
                continue  # collapse runs of blank lines
            out.append(rendered)
        return "\n".join(out).strip("\n")


def html_to_text(html: str) -> str:
    """An HTML letter as plain text: paragraphs and ``<br>`` become line breaks, lists get
    «- »/«1. » markers, and ``<blockquote>`` (Gmail's ``gmail_quote``, Thunderbird's
    ``type=cite``) becomes ``>``-quoted lines, which :func:`split_reply` then separates from
    the operator's own text. Never raises."""
    p = _HtmlText()
    try:
        p.feed(html)
        p.close()
    except Exception:  # html.parser is lenient; keep what was read on anything odd
        pass
    return p.text()
