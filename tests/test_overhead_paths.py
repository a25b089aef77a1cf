"""The quick paths of the CLI's per-file work give what the plain ones give: a text excerpt
made of plain characters (shown as themselves, one column each) is not translated, and a CSV
header is looked for only in a line that holds a word of a text column's name."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint.formats import text as T
from chatlint.readers import csv as C
from chatlint.readers import detection

# Cyrillic and Latin letters, spaces, tabs, controls, zero-width and bidi marks, combining
# accents, wide CJK and emoji, line breaks of every kind
_CHARS = "абвгдеёжзЖЁ xyzAZ09.,!?…—«»\t\x00\x07\u200b\u200d\u200e\u202e\u0301\ufe0f字😀👍🏻\r\n"
texts = st.text(alphabet=_CHARS, max_size=300)


def _plain_excerpt(monkeypatch_plain, text: str, lines, line_no: int, start: int, end: int) -> list[str]:
    saved = T._plain
    T._plain = monkeypatch_plain
    try:
        return T._excerpt(text, lines, line_no, start, end)
    finally:
        T._plain = saved


@settings(max_examples=500, deadline=None)
@given(texts, st.data())
def test_an_excerpt_of_plain_characters_is_the_translated_one(text, data):
    lines = T._line_spans(text)
    line_no = data.draw(st.integers(1, len(lines)))
    ls, le = lines[line_no - 1]
    start = data.draw(st.integers(ls, le))
    end = data.draw(st.integers(start, len(text)))
    quick = T._excerpt(text, lines, line_no, start, end)
    assert quick == _plain_excerpt(lambda s: False, text, lines, line_no, start, end)


def test_the_plain_characters_are_only_those_shown_as_themselves_in_one_column():
    assert T._plain("Здравствуйте, Анна! Заказ №4821 — «в пути»…")
    for odd in ("\t", "\x07", "\u200b", "\u0301", "字", "😀", "\ufe0f"):
        assert not T._plain(f"текст {odd} текст"), repr(odd)
    assert all(T._printable(ch) == ch and T._width(ch) == 1 for ch in T._PLAIN)
    assert all(T._printable(ch) == ch and T._width(ch) == 1 for ch in T._COMMON)
    assert T._ALL_COMMON("Здравствуйте, Анна! Заказ №4821 — «в пути»…") and not T._ALL_COMMON("текст\tтекст")


@settings(max_examples=500, deadline=None)
@given(texts)
def test_a_text_of_common_characters_is_plain_as_each_character_says(text):
    each = all(T._printable(ch) == ch and T._width(ch) == 1 for ch in text)
    assert T._plain(text) == each


def _plain_header_fields(line: str) -> set[str] | None:
    """header_fields without its quick rejection."""
    best = max(C.DELIMITERS, key=line.count)
    cells = [c.strip().strip('"') for c in line.split(best)]
    fields = {f for c in cells if (f := C._ALIAS_FIELD.get(C._key(c)) or C._SECONDARY_FIELD.get(C._key(c)))}
    return fields if len(cells) >= 2 and "text" in fields and len(fields) >= 2 else None


_NAMES = sorted({a for aliases in C.ALIASES.values() for a in aliases} | {a for v in C.SECONDARY_ALIASES.values()
                                                                          for a in v})


def _cased(name: str, how: int) -> str:
    name = name.replace("е", "ё") if how % 3 == 0 else name
    name = name.upper() if how % 2 else name.title()
    return name.replace("_", [" ", "-", ".", "_", " / ", "\ufeff_"][how % 6])


cells = st.one_of(
    st.builds(_cased, st.sampled_from(_NAMES), st.integers(0, 11)),
    st.text(alphabet="абвтекстсообщениеTEXTbodymessage _-./ё\ufeff\"", max_size=20),
    st.sampled_from(["Здравствуйте", "заказ передан курьеру", " \"текст\" ", "Body", "сообщение!"]),
)


@settings(max_examples=800, deadline=None)
@given(st.lists(cells, min_size=1, max_size=6), st.sampled_from(C.DELIMITERS))
def test_a_header_is_found_as_without_the_quick_rejection(parts, delimiter):
    line = delimiter.join(parts)
    assert C.header_fields(line) == _plain_header_fields(line)


def test_every_name_of_the_text_column_makes_a_header():
    for alias in C.ALIASES["text"]:
        for how in range(12):
            line = f"Время;{_cased(alias, how)};Автор"
            assert C.header_fields(line) == {"time", "text", "author"}, line


def test_detection_takes_the_suffix_it_is_given():
    text = "Здравствуйте, заказ передан курьеру.\n"
    assert detection("a.eml", text, ".txt") == detection("a.txt", text)
    assert detection("export", '{"text": "Привет", "role": "operator"}\n', ".JSONL").format == "jsonl"


class _CountingFile:
    """A file that counts its reads (what ``chatlint check`` asks of the disk)."""

    def __init__(self, fh) -> None:
        self.fh = fh
        self.reads = 0

    def read(self, n: int = -1) -> bytes:
        self.reads += 1
        return self.fh.read(n)

    def __getattr__(self, name: str):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.fh.close()


def _check_counting_reads(monkeypatch, capsys, path) -> tuple[list[int], list[dict]]:
    import json

    from chatlint import cli

    opened: list[_CountingFile] = []
    real = cli._opened

    def counting(p, st=None):
        fh, size = real(p, st)
        opened.append(_CountingFile(fh))
        return opened[-1], size

    monkeypatch.setattr(cli, "_opened", counting)
    cli.main(["check", "--jobs", "1", "--format", "json", str(path)])
    return [f.reads for f in opened], json.loads(capsys.readouterr().out)


def test_a_small_message_file_is_read_from_disk_once(tmp_path, monkeypatch, capsys):
    from chatlint import lint_message

    for name, text, codec in (("utf8.txt", "Добрый день!!! Заказ щас передам курьеру)))", "utf-8"),
                              ("cp1251.txt", "Добрый день!!! Заказ щас передам курьеру)))", "cp1251"),
                              ("bom.txt", "\ufeffДобрый день!!! Заказ передан", "utf-8")):
        path = tmp_path / name
        path.write_bytes(text.encode(codec))
        reads, found = _check_counting_reads(monkeypatch, capsys, path)
        assert reads == [1], name
        assert [(f["code"], f["start"]) for f in found] == \
            [(f.code, f.start) for f in lint_message(text.lstrip("\ufeff"))], name


def test_a_message_file_past_the_first_read_is_read_again_whole(tmp_path, monkeypatch, capsys):
    from chatlint import lint_message

    text = "Добрый день!!! Заказ щас передам курьеру))) " * 1600  # ~70 KB: more than the first read
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    reads, found = _check_counting_reads(monkeypatch, capsys, path)
    assert reads[0] > 1
    assert [(f["code"], f["start"]) for f in found] == [(f.code, f.start) for f in lint_message(text)]


def test_a_whole_utf8_file_is_decoded_once_to_detect_it(monkeypatch):
    """The sample is the whole file and detection decoded it: no second pass over it; a file
    longer than the sample, or not UTF-8, is still decoded whole to find a bad byte."""
    import io

    from chatlint import encoding as E

    passes: list[str] = []
    real = E._first_undecodable
    monkeypatch.setattr(E, "_first_undecodable", lambda fh, codec: passes.append(codec) or real(fh, codec))
    assert E.detect_file(io.BytesIO("Добрый день!".encode())).how == "utf-8"
    assert passes == []
    assert E.detect_file(io.BytesIO("Добрый день!".encode("cp1251"))).codec == "cp1251"
    assert passes == ["cp1251"]
    long = ("Добрый день! " * 20000).encode()  # longer than the sample: the rest is decoded too
    assert len(long) > E.SAMPLE_BYTES
    assert E.detect_file(io.BytesIO(long)).how == "utf-8"
    assert passes == ["cp1251", "utf-8"]
    with pytest.raises(E.EncodingError, match="invalid byte 0xff"):
        E.detect_file(io.BytesIO(long + b"\xff\xfe" * 3))


def test_each_format_module_is_looked_up_once_to_prerender(monkeypatch):
    import importlib

    from chatlint.findings import Finding
    from chatlint.formats import FORMATS, Options, Report, prerender

    imported: list[str] = []
    real = importlib.import_module
    monkeypatch.setattr(importlib, "import_module", lambda name, *a: imported.append(name) or real(name, *a))
    report = Report("m.txt", "Привет!!!", [Finding(code="S001", name="x", severity="warning", message="m",
                                                  start=6, end=9, line=1, column=7)])
    first = {name: prerender(name, report, Options()) for name in FORMATS}
    again = {name: prerender(name, report, Options()) for name in FORMATS}
    assert first == again
    assert len(imported) <= len(FORMATS)


def _regex_line_spans(text: str) -> list[tuple[int, int]]:
    """The lines as the line-break pattern finds them (the plain path of _line_spans)."""
    spans, pos = [], 0
    for m in T._NEWLINE.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="аб x\n\r\u2028", max_size=40))
def test_the_lines_of_a_text_without_cr_are_the_patterns_lines(text):
    assert T._line_spans(text) == _regex_line_spans(text)
    assert T._line_spans(text.replace("\r", "")) == _regex_line_spans(text.replace("\r", ""))


def test_a_small_file_is_read_in_one_read_and_one_that_reads_short_is_opened_again(tmp_path, monkeypatch):
    import os

    from chatlint import cli

    path = tmp_path / "m.txt"
    data = "Добрый день! Заказ передан курьеру.\n".encode() * 20
    path.write_bytes(data)
    fh, size = cli._opened(path)
    with fh:
        assert (fh.read(), size) == (data, len(data))
    # a file that reads otherwise than its size said (changed meanwhile): read from the file
    real = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real(fd, n)[:10])
    fh, size = cli._opened(path)
    with fh:
        assert (fh.read(), size) == (data, len(data))
    monkeypatch.undo()
    big = tmp_path / "big.txt"
    big.write_bytes(data * 200)  # past SMALL_BYTES: a file object
    fh, size = cli._opened(big)
    with fh:
        assert size == len(data) * 200 > cli.SMALL_BYTES and fh.read() == data * 200


def test_github_annotations_resolve_a_reports_path_once(tmp_path, monkeypatch):
    from chatlint import lint_message
    from chatlint.formats import Report, github

    text = "Добрый день!!! Щас проверю ваш заказ)))\n"
    rep = Report(str(tmp_path / "m.txt"), text, lint_message(text))
    assert len(rep.findings) > 1
    plain = "".join(github.annotation(rep, f) + "\n" for f in rep.findings)
    calls: list[str] = []
    real = github.artifact_path
    monkeypatch.setattr(github, "artifact_path", lambda p: calls.append(p) or real(p))
    assert github.chunk(rep)[0] == plain
    assert calls == [rep.path]
