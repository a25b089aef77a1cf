"""The CLI hardened: ``--fix`` cannot damage or escalate, and every bad input is one line, exit 2,
the other files still checked, never a hang."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from chatlint.cli import main

BAD = "Здравствуйте!!! Заказ готов!!!\n"
GOOD = "Здравствуйте! Заказ готов!\n"


def run(*args, stdin: str | None = None, timeout: float = 60, cwd=None):
    """The real entry point in a subprocess (so that a hang is a timeout, not a stuck suite)."""
    return subprocess.run([sys.executable, "-m", "chatlint", *map(str, args)], input=stdin, capture_output=True,
                          text=True, timeout=timeout, cwd=cwd)


def write(path: Path, text: str = BAD) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if "chatlint-tmp" in p.name)


# ------------------------------------------------------------------ --fix cannot damage


def test_fix_ignores_a_planted_temp_symlink(tmp_path, capsys):
    victim = write(tmp_path / "victim.conf", "do not touch\n")
    m = write(tmp_path / "m.txt")
    (tmp_path / "m.txt.chatlint-tmp").symlink_to(victim)
    main(["check", "--fix", str(m)])
    assert victim.read_text(encoding="utf-8") == "do not touch\n"
    assert m.read_text(encoding="utf-8") == GOOD
    assert (tmp_path / "m.txt.chatlint-tmp").is_symlink()  # untouched, and no temp file of ours is left
    assert [n for n in leftovers(tmp_path) if n != "m.txt.chatlint-tmp"] == []


def test_no_temp_file_is_left_when_the_write_fails(tmp_path, monkeypatch, capsys):
    m = write(tmp_path / "m.txt")

    def broken(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    assert main(["check", "--fix", str(m)]) == 2
    err = capsys.readouterr().err
    assert "m.txt: --fix: cannot write the fixed text: No space left on device" in err
    assert m.read_text(encoding="utf-8") == BAD
    assert leftovers(tmp_path) == []


def test_fix_keeps_mode_owner_and_group(tmp_path, capsys):
    m = write(tmp_path / "m.txt")
    os.chmod(m, 0o640)
    if os.geteuid() == 0:
        os.chown(m, 1234, 2345)
    before = os.stat(m)
    assert main(["check", "--fix", str(m)]) == 0
    after = os.stat(m)
    assert m.read_text(encoding="utf-8") == GOOD
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert after.st_ino != before.st_ino  # a new file renamed over the old one: atomic


def test_fix_keeps_a_byte_order_mark_and_leaves_nothing_behind(tmp_path, capsys):
    m = tmp_path / "m.txt"
    m.write_bytes(b"\xef\xbb\xbf" + BAD.encode("utf-8"))
    assert main(["check", "--fix", str(m)]) == 0
    assert m.read_bytes() == b"\xef\xbb\xbf" + GOOD.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.txt"]


def test_read_only_file_is_refused_even_for_root(tmp_path, capsys):
    m = write(tmp_path / "m.txt")
    os.chmod(m, 0o444)
    assert main(["check", "--fix", str(m)]) == 2
    err = capsys.readouterr().err
    assert "m.txt: --fix: read-only" in err
    assert m.read_text(encoding="utf-8") == BAD


def test_symlink_is_refused_unless_followed(tmp_path, capsys):
    target = write(tmp_path / "real.txt")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert main(["check", "--fix", str(link)]) == 2
    assert "link.txt: --fix: a symbolic link: not rewritten (give --follow-symlinks" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == BAD
    assert main(["check", "--fix", "--follow-symlinks", str(link)]) == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8") == GOOD


def test_hard_linked_file_is_refused(tmp_path, capsys):
    m = write(tmp_path / "m.txt")
    os.link(m, tmp_path / "other.txt")
    assert main(["check", "--fix", str(m)]) == 2
    assert "has 2 hard links" in capsys.readouterr().err
    assert (tmp_path / "other.txt").read_text(encoding="utf-8") == BAD == m.read_text(encoding="utf-8")


def test_transcripts_are_never_rewritten(tmp_path, capsys):
    t = write(tmp_path / "chat.txt", "14.11.2026, 18:41 - Клиент: Где заказ?\n"
                                     "14.11.2026, 18:42 - Анна: Заказ готов!!! Заберите его!!!\n")
    before = t.read_bytes()
    main(["check", "--fix", "--as", "whatsapp", str(t)])
    assert t.read_bytes() == before
    assert "--fix rewrites message files only" in capsys.readouterr().err


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path, capsys):
    m = write(tmp_path / "m.txt")
    assert main(["check", "--diff", str(m)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"--- a/{m}\n+++ b/{m}\n@@ ")
    assert "-Здравствуйте!!! Заказ готов!!!\n+Здравствуйте! Заказ готов!\n" in out
    assert "Would fix 2 findings in 1 file (0 left)" in err
    assert m.read_text(encoding="utf-8") == BAD


def test_fix_ends_with_a_summary(tmp_path, capsys):
    a = write(tmp_path / "a.txt")
    b = write(tmp_path / "b.txt", "Заказ готов!!!\n")
    c = write(tmp_path / "c.txt", GOOD)
    main(["check", "--fix", str(a), str(b), str(c)])
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("Fixed 3 findings in 2 files (")


def test_fix_on_stdin_prints_the_fixed_text_alone(tmp_path):
    r = run("check", "--fix", "-", stdin="Добрый день!!!")
    assert r.returncode == 0 and r.stdout == "Добрый день!"
    other = write(tmp_path / "m.txt")
    r = run("check", "--fix", "-", other, stdin="Добрый день!!!")
    assert r.returncode == 2 and r.stdout == "" and "give - as the only input" in r.stderr
    assert other.read_text(encoding="utf-8") == BAD


# ------------------------------------------------------------------ bad inputs


def test_fifo_device_and_symlink_loop_are_one_line_each(tmp_path):
    good = write(tmp_path / "good.txt", "Заказ готов!!!\n")
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    r = run("check", "--no-source", fifo, "/dev/zero", loop, good, timeout=60)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert lines == [
        f"{fifo}: a FIFO (named pipe), not a regular file: not checked",
        "/dev/zero: a character device, not a regular file: not checked",
        f"{loop}: cannot read: a symbolic link loop (too many levels of symbolic links)",
    ]
    assert f"{good}:1:12: A006" in r.stdout  # the good file is still checked


def test_unreadable_subdirectory_is_reported(tmp_path, monkeypatch, capsys):
    (tmp_path / "a").mkdir()
    write(tmp_path / "a" / "m.txt", "Заказ готов!!!\n")
    locked = tmp_path / "b"
    locked.mkdir()
    write(locked / "hidden.txt")
    real = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["check", "--no-source", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert err.strip().splitlines() == [f"{locked}: cannot read the directory: permission denied"]
    assert f"{tmp_path / 'a' / 'm.txt'}:1:12: A006" in out  # the readable rest is checked


def test_a_thousand_level_tree_is_walked(capsys):
    import tempfile

    # outside pytest's tmp_path: pytest's own cleanup (shutil.rmtree) recurses and would fail
    # on such a tree in a later run, whoever runs it
    tmp_path = deep = Path(tempfile.mkdtemp(prefix="chatlint-deep-"))
    try:
        for _ in range(1000):  # one level at a time: os.makedirs itself recurses
            os.mkdir(deep / "d")
            deep = deep / "d"
        write(deep / "m.txt", "Заказ готов!!!\n")
        assert main(["check", "--no-source", str(tmp_path)]) == 1
        out = capsys.readouterr().out
        assert "m.txt:1:12: A006" in out
    finally:  # bottom-up, one level at a time
        (deep / "m.txt").unlink(missing_ok=True)
        while deep != tmp_path:
            os.rmdir(deep)
            deep = deep.parent
        os.rmdir(tmp_path)


def test_directory_walk_is_sorted_and_skips_hidden(tmp_path, capsys):
    for name in ("b.txt", "a/c.txt", ".hidden/x.txt", "a/.y.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        write(tmp_path / name, "Заказ готов!!!\n")
    main(["check", "--no-source", "--as", "message", str(tmp_path)])
    out = capsys.readouterr().out
    files = [line.split(":")[0] for line in out.splitlines() if ": A006" in line]
    assert files == [str(tmp_path / "a" / "c.txt"), str(tmp_path / "b.txt")]


@pytest.mark.parametrize("port", ["99999", "-1", "0x50", "http"])
def test_serve_port_out_of_range_is_a_usage_error(port, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--port", port])
    assert exc.value.code == 2
    assert "--port" in capsys.readouterr().err


def test_a_file_whose_read_fails_is_one_line_whatever_its_size(tmp_path, monkeypatch, capsys):
    """A regular file that opens but cannot be read (EIO: a failing disk, «/proc/self/mem») is
    an input error of its own, whether it is small (read whole when opened) or not (its first
    bytes read by the check): never a traceback, exit 2, the other files still checked."""
    import errno
    import io

    from chatlint import cli

    text = "Добрый день! Заказ передан курьеру, ожидайте звонка.\n"
    (tmp_path / "a-small.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b-large.txt").write_text(text * 2000, encoding="utf-8")
    (tmp_path / "c-fine.txt").write_text(text, encoding="utf-8")
    assert (tmp_path / "b-large.txt").stat().st_size >= cli.SMALL_BYTES

    class _Failing(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

    real_opened, real_read = cli._opened, os.read

    def opened(path, st=None):
        if path is not None and path.name == "b-large.txt":
            fh, size = real_opened(path, st)
            fh.close()
            return io.BufferedReader(_Failing()), size
        return real_opened(path, st)

    small = (tmp_path / "a-small.txt").stat().st_ino

    def read(fd, n):
        if os.fstat(fd).st_ino == small:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_read(fd, n)

    monkeypatch.setattr(cli, "_opened", opened)
    monkeypatch.setattr(os, "read", read)
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--jobs", "1", "a-small.txt", "b-large.txt", "c-fine.txt"])
    out, err = capsys.readouterr()
    assert code == 2
    assert [ln for ln in err.splitlines() if "cannot read" in ln] == [
        "a-small.txt: cannot read: Input/output error",
        "b-large.txt: cannot read: Input/output error",
    ]
    assert "Traceback" not in err + out


def test_a_read_that_fails_further_into_an_export_is_one_line(tmp_path, monkeypatch, capsys):
    """A JSONL export whose disk fails after its first 64 KB (read by its reader, after the
    check's first look): one line «cannot read: …» for the file, exit 2, and the next file is
    still checked: never a traceback."""
    import errno
    import io
    import json

    from chatlint import cli

    rows = []
    for c in range(200):
        rows.append({"conversation_id": f"c{c}", "role": "client", "author": "Клиент", "text": "Где мой заказ?"})
        rows.append({"conversation_id": f"c{c}", "role": "operator", "author": "Анна",
                     "text": "Здравствуйте! Заказ передан курьеру, ожидайте звонка сегодня;) " + "подробнее " * 40})
    (tmp_path / "a-export.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                              encoding="utf-8")
    (tmp_path / "b-fine.txt").write_text("Добрый день! Заказ передан курьеру;)\n", encoding="utf-8")
    assert (tmp_path / "a-export.jsonl").stat().st_size > 2 * cli.SMALL_BYTES

    class _FailsLater(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data, self.pos = data, 0

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return True

        def seek(self, pos, whence=0):
            self.pos = pos if whence == 0 else (self.pos + pos if whence == 1 else len(self.data) + pos)
            return self.pos

        def tell(self):
            return self.pos

        def readinto(self, b) -> int:
            if self.pos >= cli.SMALL_BYTES + 8192:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            n = min(len(b), len(self.data) - self.pos, cli.SMALL_BYTES + 8192 - self.pos)
            b[:n] = self.data[self.pos : self.pos + n]
            self.pos += n
            return n

    real_opened = cli._opened

    def opened(path, st=None):
        fh, size = real_opened(path, st)
        if path is not None and path.name == "a-export.jsonl":
            data = fh.read()
            fh.close()
            return io.BufferedReader(_FailsLater(data)), size
        return fh, size

    monkeypatch.setattr(cli, "_opened", opened)
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--jobs", "1", "a-export.jsonl", "b-fine.txt"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in err
    assert [ln for ln in err.splitlines() if "cannot read" in ln] == ["a-export.jsonl: cannot read: Input/output error"]
    assert "b-fine.txt:" in out  # the next file is checked
