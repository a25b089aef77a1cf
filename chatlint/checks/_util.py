"""Small helpers shared by the checks."""

from __future__ import annotations

from ..document import Document, Word
from ..findings import Edit, Fix


def fix(start: int, end: int, replacement: str, safe: bool = True, title: str | None = None) -> Fix:
    return Fix(
        edits=[Edit(start=start, end=end, replacement=replacement)],
        applicability="safe" if safe else "unsafe",
        title=title,
    )


def sentence_span(doc: Document, index: int = 0) -> tuple[int, int]:
    """The span of sentence ``index`` (or of the whole text when there are no sentences)."""
    sents = doc.sentences
    if not sents:
        return 0, len(doc.text)
    s = sents[index]
    return s.start, s.end


def quote(text: str) -> str:
    return f"«{text}»"


def match_case(replacement: str, original: str) -> str:
    """``replacement`` with the first letter's case of ``original``."""
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement[:1].lower() + replacement[1:]


def words_text(doc: Document, words: list[Word]) -> str:
    if not words:
        return ""
    return doc.text[words[0].start : words[-1].end]
