"""chatlint.datacache and the word-frequency list it keeps between runs: what is read back
answers every question as the list built from wordfreq's file does; a cache that is off,
unwritable, foreign or damaged is no error."""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatlint import datacache, spelling


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATLINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def fresh_list(monkeypatch):
    """The frequency list loaded anew by the test (and the process's own restored after)."""
    monkeypatch.setattr(spelling, "_freq", None)
    monkeypatch.setattr(spelling, "_low", [])


_FORMS = st.dictionaries(st.binary(min_size=1, max_size=12), st.floats(3.0, 8.5, allow_nan=False), max_size=60)


@given(_FORMS, st.lists(st.binary(max_size=12), max_size=30))
def test_stored_list_answers_as_the_dictionary(freq, others):
    stored = spelling._Stored.from_parts(spelling._Stored.parts(freq))
    assert len(stored) == len(freq)
    for form, z in freq.items():
        assert stored.get(form) == z
    for form in others:
        assert stored.get(form, -1.0) == freq.get(form, -1.0)
    assert max(stored.values(), default=3.0) == max(freq.values(), default=3.0)
    assert stored.tops == spelling._tops(freq)


def test_the_list_is_kept_and_read_back_the_same(cache, fresh_list):
    built = spelling._load_frequencies()
    if not built:
        pytest.skip("wordfreq is not installed")
    assert isinstance(built, dict)
    assert len(list(cache.glob("wordfreq-ru-*.marshal"))) == 1
    stored = spelling._load_frequencies()
    assert isinstance(stored, spelling._Stored)
    assert len(stored) == len(built)
    for form, z in built.items():
        assert stored.get(form) == z
    rng = random.Random(7)
    for _ in range(2000):
        form = bytes(rng.choice(list(built))[: rng.randrange(1, 12)]) + rng.choice([b"", "а".encode(), b"x"])
        assert stored.get(form, 0.0) == built.get(form, 0.0)
    assert max(stored.values()) == max(built.values())
    assert stored.tops == spelling._tops(built)


def _decisions(words: list[str]) -> list:
    for value in vars(spelling).values():  # what was worked out with the other list
        if hasattr(value, "cache_clear"):
            value.cache_clear()
    spelling._low.clear()
    return [(spelling.suggest(w), spelling.correction(w), spelling.zipf(w)) for w in words]


def test_decisions_with_the_kept_list_are_those_with_the_built_one(cache, fresh_list, monkeypatch):
    words = ["превет", "спосибо", "пожалуста", "заказь", "досвидания", "интернэт", "моно", "посе", "оплотить",
             "и", "аааааааааа", "привет", "ёлка", "елка"]
    built = spelling._load_frequencies()  # built and kept
    if not built:
        pytest.skip("wordfreq is not installed")
    monkeypatch.setattr(spelling, "_freq", built)
    with_built = _decisions(words)
    monkeypatch.setattr(spelling, "_freq", spelling._load_frequencies())  # read back
    assert isinstance(spelling._freq, spelling._Stored)
    assert _decisions(words) == with_built
    monkeypatch.setattr(spelling, "_freq", None)
    _decisions([])


def test_off_unwritable_foreign_or_damaged_is_no_error(tmp_path, monkeypatch, fresh_list):
    monkeypatch.setenv("CHATLINT_CACHE_DIR", "")
    assert datacache.directory() is None
    datacache.store("t", ("k",), [1, 2])
    assert datacache.load("t", ("k",)) is None

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("CHATLINT_CACHE_DIR", str(blocked / "cache"))
    datacache.store("t", ("k",), [1, 2])  # cannot make the folder: nothing kept, no error
    assert datacache.load("t", ("k",)) is None

    folder = tmp_path / "cache"
    monkeypatch.setenv("CHATLINT_CACHE_DIR", str(folder))
    datacache.store("t", ("k",), [1, 2])
    assert datacache.load("t", ("k",)) == [1, 2]
    assert datacache.load("t", ("other",)) is None
    (path,) = folder.glob("t-*.marshal")
    path.write_bytes(path.read_bytes()[:7])  # cut short
    assert datacache.load("t", ("k",)) is None
    path.write_bytes(b"\x00garbage")
    assert datacache.load("t", ("k",)) is None
    assert not [p for p in folder.iterdir() if p.name.startswith(".tmp-")]


def test_a_damaged_list_file_is_built_again(cache, fresh_list):
    built = spelling._load_frequencies()
    if not built:
        pytest.skip("wordfreq is not installed")
    (path,) = cache.glob("wordfreq-ru-*.marshal")
    path.write_bytes(path.read_bytes()[: os.path.getsize(path) // 2])
    again = spelling._load_frequencies()
    assert isinstance(again, dict) and again == built


def test_the_cache_folder_is_the_users_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("CHATLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert datacache.directory() == str(tmp_path / "chatlint")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert datacache.directory() == str(tmp_path / "home" / ".cache" / "chatlint")


def test_rule_data_read_back_is_the_parsed_toml(cache, monkeypatch):
    import tomllib

    from chatlint import resources

    shipped = resources.rules_dir()
    names = sorted(str(p.relative_to(shipped)) for p in shipped.rglob("*.toml"))
    assert names
    parsed = {n: tomllib.loads((shipped / n).read_text(encoding="utf-8")) for n in names}
    assert {n: resources.load_data.__wrapped__(n) for n in names} == parsed  # parsed, and kept
    assert len(list(cache.glob("rules-*.marshal"))) == len(names)

    def unparsed(fh):
        raise AssertionError("parsed again, not read back")

    monkeypatch.setattr(resources.tomllib, "load", unparsed)
    assert {n: resources.load_data.__wrapped__(n) for n in names} == parsed  # read back


def test_changed_rule_data_is_parsed_again(cache, monkeypatch, tmp_path):
    from chatlint import resources

    folder = tmp_path / "rules"
    (folder / "lexicons").mkdir(parents=True)
    monkeypatch.setattr(resources, "rules_dir", lambda: folder)
    toml = folder / "lexicons" / "x.toml"
    toml.write_text('[a]\nwords = ["один"]\n', encoding="utf-8")
    assert resources.load_data.__wrapped__("lexicons/x.toml") == {"a": {"words": ["один"]}}
    assert resources.load_data.__wrapped__("lexicons/x.toml") == {"a": {"words": ["один"]}}  # (kept)
    toml.write_text('[a]\nwords = ["один", "два"]\n', encoding="utf-8")
    assert resources.load_data.__wrapped__("lexicons/x.toml") == {"a": {"words": ["один", "два"]}}


def test_a_file_others_may_write_is_not_read(cache):
    datacache.store("t", ("k",), [1, 2])
    (path,) = cache.glob("t-*.marshal")
    os.chmod(path, 0o666)
    assert datacache.load("t", ("k",)) is None
    os.chmod(path, 0o600)
    assert datacache.load("t", ("k",)) == [1, 2]


def test_a_list_kept_by_another_version_of_the_code_that_builds_it_is_built_again(cache, fresh_list, tmp_path,
                                                                                 monkeypatch):
    # the key is what the list was built from: wordfreq's file, and chatlint's code that reads
    # and folds it (an upgrade or an edit of it must not be answered by what older code built)
    code = tmp_path / "spelling.py"
    code.write_text("# chatlint.spelling as installed", encoding="utf-8")
    monkeypatch.setattr(spelling, "__file__", str(code))
    built = spelling._load_frequencies()
    assert built and os.listdir(cache)
    monkeypatch.setattr(spelling, "_read_frequencies", lambda path: {"новое".encode(): 7.0})
    assert isinstance(spelling._load_frequencies(), spelling._Stored)  # the same code: read back
    code.write_text("# chatlint.spelling, another version", encoding="utf-8")
    os.utime(code, ns=(1_000_000_000, 1_000_000_000))
    assert spelling._load_frequencies() == {"новое".encode(): 7.0}


def test_a_flipped_bit_that_marshal_still_reads_is_never_read_as_another_table(cache):
    # a value whose bytes marshal reads back after most single-bit flips (strings, numbers):
    # without a checksum, some flips give another value silently
    value = {"forms": "здравствуйте спасибо пожалуйста", "z": [3.5, 4.25, 7.0], "n": 12345}
    datacache.store("probe", ("k",), value)
    assert datacache.load("probe", ("k",)) == value
    [path] = [cache / name for name in os.listdir(cache) if name.startswith("probe-")]
    data = path.read_bytes()
    rng = random.Random(7)
    for _ in range(300):
        i = rng.randrange(len(data))
        path.write_bytes(data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1:])
        assert datacache.load("probe", ("k",)) in (None, value)
    path.write_bytes(data)
    assert datacache.load("probe", ("k",)) == value


def test_a_relative_cache_folder_stays_where_it_was_first_found(monkeypatch, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    monkeypatch.setenv("CHATLINT_CACHE_DIR", "rel-cache-probe")
    datacache.store("probe", ("k",), [1, 2])
    monkeypatch.chdir(tmp_path / "b")  # a process that changes directory reads what it kept
    assert datacache.directory() == str(tmp_path / "a" / "rel-cache-probe")
    assert datacache.load("probe", ("k",)) == [1, 2]
    assert not (tmp_path / "b" / "rel-cache-probe").exists()


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.delenv("CHATLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert datacache.directory() == str(tmp_path / "home" / ".cache" / "chatlint")


def test_a_damaged_file_is_never_unmarshalled(cache, tmp_path):
    """marshal trusts the lengths it reads: one flipped bit in a list's or a string's length
    had it allocate ~12 GB (the out-of-memory killer took the process) before any checksum was
    looked at. Every flip of the file, each read by a process limited to 1 GiB of address space:
    none is unmarshalled, none is read as a value."""
    import subprocess
    import sys
    import textwrap

    value = {"forms": "здравствуйте спасибо пожалуйста", "z": [3.5, 4.25, 7.0], "n": 12345, "w": ["да", "нет"] * 8}
    datacache.store("probe", ("k",), value)
    [path] = [cache / name for name in os.listdir(cache) if name.startswith("probe-")]
    script = textwrap.dedent(f"""
        import marshal, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from chatlint import datacache
        calls = []
        real = marshal.loads
        marshal.loads = lambda data: calls.append(len(data)) or real(data)
        path = {str(path)!r}
        data = open(path, "rb").read()
        value = {value!r}
        for i in range(len(data)):
            for bit in range(8):
                open(path, "wb").write(data[:i] + bytes([data[i] ^ (1 << bit)]) + data[i + 1:])
                assert datacache.load("probe", ("k",)) is None, (i, bit)
        assert not calls, calls[:5]
        open(path, "wb").write(data)
        assert datacache.load("probe", ("k",)) == value and len(calls) == 1
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CHATLINT_CACHE_DIR": str(cache)})
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
