"""Per-file overhead of the CLI (issue 18): what is cached or computed faster must give the
same output as the plain computation it replaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint.formats import text as text_format


def _reference_excerpt(text, lines, line_no, start, end):
    """The excerpt computed one character at a time, as before the translate tables."""
    p, w = text_format._printable, text_format._width
    ls, le = lines[line_no - 1]
    raw = text[ls:le]
    if len(raw) > 200:
        lo = max(ls, start - 60)
        hi = min(le, max(end, start) + 60)
        raw = ("…" if lo > ls else "") + text[lo:hi] + ("…" if hi < le else "")
        prefix_chars = ("…" if lo > ls else "") + text[lo:start]
    else:
        prefix_chars = text[ls:start]
    shown = "".join(p(c) for c in raw)
    pad = sum(w(c) for c in "".join(p(c) for c in prefix_chars))
    marks = max(1, sum(w(c) for c in "".join(p(c) for c in text[start:min(end, le)])))
    num = str(line_no)
    more = "…" if end > le else ""
    return [f" {num} | {shown}", f" {' ' * len(num)} | {' ' * pad}{'^' * marks}{more}"]


# every kind of character the excerpt treats apart: tabs, controls, bidi and zero-width
# marks, combining accents, emoji with joiners and variation selectors, wide CJK, Cyrillic
SPECIAL = "\t\x00\x1b\u200b\u200d\u200e\u202e\u2066\ufeff\ufe0f\u0301\u20dd👍🏽👨‍👩‍👧漢字ｶＡ\ud800Ёё"
chars = st.one_of(st.sampled_from(SPECIAL), st.characters(), st.sampled_from("абвгд еёжз xyz.,!?"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(chars, max_size=260), min_size=1, max_size=3), st.data())
def test_excerpt_is_the_per_character_computation(lines_text, data):
    text = "\n".join(lines_text)
    lines = text_format._line_spans(text)
    line_no = data.draw(st.integers(1, len(lines)))
    ls, le = lines[line_no - 1]
    start = data.draw(st.integers(ls, le))
    end = data.draw(st.integers(start, len(text)))
    assert text_format._excerpt(text, lines, line_no, start, end) == _reference_excerpt(text, lines, line_no, start, end)


def test_the_translate_tables_stay_bounded(monkeypatch):
    monkeypatch.setattr(text_format, "_MAX_CHARS", 10)
    table = text_format._PerChar(text_format._printable)
    assert "".join(chr(c) for c in range(0x4E00, 0x4E40)).translate(table) == "".join(
        chr(c) for c in range(0x4E00, 0x4E40))
    assert len(table) == 10


BAD = "привет!!! вы можете оплатить картой)))\n"


def test_config_discovery_once_per_folder_and_still_per_folder(tmp_path, monkeypatch, capsys):
    """Three folders of files: discovery runs once per folder (not per file), each folder gets
    its own configuration, and a file that is a link into another folder gets that folder's."""
    import os

    from chatlint import planning as config_module  # discovery lives there (no pydantic)
    from chatlint.cli import main

    monkeypatch.chdir(tmp_path)
    for folder in ("plain", "english", "other"):
        (tmp_path / folder).mkdir()
        for i in range(4):
            (tmp_path / folder / f"m{i}.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "english" / "chatlint.toml").write_text('lang = "en"\n', encoding="utf-8")
    # pyproject.toml without [tool.chatlint]: not ours, read once for its folder, not per file
    (tmp_path / "other" / "pyproject.toml").write_text('[tool.black]\nline-length = 100\n', encoding="utf-8")
    (tmp_path / "links").mkdir()
    os.symlink(tmp_path / "english" / "m0.txt", tmp_path / "links" / "linked.txt")

    calls: list[str] = []
    real = config_module.find_config_file
    monkeypatch.setattr(config_module, "find_config_file", lambda start: calls.append(str(start)) or real(start))
    reads: list[str] = []
    real_read = config_module.read_toml
    monkeypatch.setattr(config_module, "read_toml", lambda p: reads.append(str(p)) or real_read(p))

    assert main(["check", "--jobs", "1", "plain", "english", "other", "links/linked.txt"]) == 1
    out = capsys.readouterr().out
    english = [ln for ln in out.splitlines() if "G002" in ln and "Informal greeting" in ln]
    russian = [ln for ln in out.splitlines() if "G002" in ln and "Неформальное приветствие" in ln]
    assert sorted(ln.split(":")[0] for ln in english) == [
        "english/m0.txt", "english/m1.txt", "english/m2.txt", "english/m3.txt", "links/linked.txt"]
    assert len(russian) == 8
    # one discovery per folder, one for the link (resolved on its own), one for the current
    # folder (the closing line's language)
    assert len(calls) == 5
    assert reads.count(str(tmp_path / "other" / "pyproject.toml")) == 1


def test_detection_splits_the_head_once():
    from chatlint.readers import Head, detection

    h = Head(".txt", "Клиент: добрый день\nОператор: здравствуйте\n")
    assert h.lines is h.lines and h.lines == ("Клиент: добрый день", "Оператор: здравствуйте")
    assert h.first == "Клиент: добрый день" and h.open and h.unnamed
    assert detection("a.txt", "Клиент: добрый день\nОператор: здравствуйте\n").conversation is not None
