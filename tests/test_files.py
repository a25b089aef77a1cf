"""chatlint.files.walk: the Paths it finds are those of the directory entries (what
``Path(entry.path)`` gives), whatever the root is written as."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chatlint.files import walk


def _listed(root: Path) -> list[Path]:
    """The plain walk: every entry's Path parsed from its whole path (``os.scandir``'s)."""
    found, stack = [], [root]
    while stack:
        d = stack.pop()
        with os.scandir(d) as it:
            for e in it:
                if e.name.startswith("."):
                    continue
                if e.is_dir(follow_symlinks=False):
                    stack.append(Path(e.path))
                elif e.name.endswith(".txt") and e.is_file():
                    found.append(Path(e.path))
    return sorted(found, key=lambda p: p.parts)


@pytest.mark.parametrize("root", [".", "./", "..", "../", "../a", "../a/", "b", "b/", "./b//", "../c", "../c/link",
                                  "../c/link/", "ABS", "ABS/", "//ABS"])
def test_found_paths_are_the_entries_paths(tmp_path, monkeypatch, root):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "c").mkdir()
    for name in ("a/x.txt", "a/b/y.txt", "c/z.txt", "a/.hidden.txt"):
        (tmp_path / name).write_text("Добрый день!", encoding="utf-8")
    (tmp_path / "c" / "link").symlink_to("../a")  # a directory's link: not followed inside a walk
    (tmp_path / "c" / "lx.txt").symlink_to("../a/x.txt")  # a file's link: listed
    monkeypatch.chdir(tmp_path / "a")
    root = root.replace("ABS", str(tmp_path))
    got = [p for p, problem in walk(Path(root), (".txt",)) if problem is None]
    expected = _listed(Path(root))
    assert got == expected and [str(p) for p in got] == [str(p) for p in expected]
    assert got


@pytest.mark.parametrize("suffixes", [(".txt",), (".txt", ".json", ".jsonl"), ("", ".txt"), (".", ".gz")])
def test_found_files_are_those_whose_splitext_suffix_is_asked_for_in_parts_order(tmp_path, suffixes):
    """The walk takes a name's suffix as ``os.path.splitext`` does (the last dot's, none for
    a name without one; hidden names skipped) and sorts what it found as Paths' parts sort."""
    names = ["a.txt", "b.TXT", "c.tar.txt", "d.", "e..txt", "f", "g.json", "h.jsonl", "i.txt.gz", "j k.txt",
             ".hidden.txt", "z", "ж.txt", "Б.json", "a-b.txt", "a.b", "ab.txt"]
    folders = ("", "a", "a/b", "a-b", "a.d", "zz")  # folders sort among the files by their names
    for sub in folders:
        (tmp_path / sub).mkdir(parents=True, exist_ok=True)
    for sub in folders:
        for name in names:
            (tmp_path / sub / name).write_text("Добрый день!", encoding="utf-8")
    expected, stack = [], [tmp_path]
    while stack:
        d = stack.pop()
        for e in os.scandir(d):
            if e.name.startswith("."):
                continue
            if e.is_dir(follow_symlinks=False):
                stack.append(Path(e.path))
            elif os.path.splitext(e.name)[1].lower() in suffixes and e.is_file():
                expected.append(Path(e.path))
    expected.sort(key=lambda p: p.parts)
    got = [p for p, problem in walk(tmp_path, suffixes) if problem is None]
    assert got == expected and [str(p) for p in got] == [str(p) for p in expected]
    assert got
