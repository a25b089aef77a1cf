"""chatlint.compiled: a constant pattern built from what an earlier process kept is the pattern
``re.compile`` makes (equal, same matches, same groups); a cache that is off, damaged or
foreign is no error; and a fresh process really reads it back instead of compiling."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatlint import compiled, datacache

ROOT = Path(__file__).resolve().parent.parent

PATTERNS = [
    (r"(?<![\w@.-])(?P<user>[a-z0-9._%+-]+)@(?P<host>[a-z0-9.-]+\.[a-z]{2,})(?!\w)", re.I),
    (r"[:;=](?<![\w:;=][:;=])['’]?-?(?:\)+|\(+|[DРP](?!\w))", 0),
    (r"(?<!\w)(?:здравствуйте|добрый\s+(?:день|вечер))(?!\w)", re.I | re.U),
    ("[\U00010000-\U0010ffff]", 0),
    (r"^\s*(?:[-*•]|\d+[.)])\s+", re.M),
    (r"(a)(b)?(?P<c>c)|(?P=c)x", 0),
    (r"""(?x) \d{1,2} [./-] \d{1,2}   # a date
         (?: ,? [ T]+ \d{1,2}:\d{2} )?""", 0),
]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A cache folder of the test's own, and chatlint.compiled as a new process finds it."""
    monkeypatch.setenv("CHATLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(compiled, "_table", None)
    monkeypatch.setattr(compiled, "_used", set())
    monkeypatch.setattr(compiled, "_new", True)  # (no atexit from a test: _store is called by hand)
    monkeypatch.setattr(compiled, "_off", False)
    monkeypatch.setattr(compiled, "_keep", True)
    monkeypatch.setattr(compiled, "_rebuilt", False)
    return tmp_path / "cache"


def _reopen(monkeypatch) -> None:
    compiled._store()
    monkeypatch.setattr(compiled, "_table", None)


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_a_pattern_read_back_is_the_one_re_compile_makes(fresh, monkeypatch, pattern, flags):
    first = compiled.regex(pattern, flags)
    _reopen(monkeypatch)
    calls = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda *a: calls.append(a) or real(*a))
    again = compiled.regex(pattern, flags)
    assert calls == []  # built from what was kept, not compiled
    monkeypatch.undo()
    expected = re.compile(pattern, flags)
    assert first == again == expected
    assert (again.flags, again.groups, again.groupindex) == (expected.flags, expected.groups, expected.groupindex)


@given(st.text(alphabet="abcх@.-:;)(D 12/.,Tздравствуйте\n", max_size=40))
def test_patterns_read_back_match_as_re_does(text):
    for pattern, flags in PATTERNS:
        got = [(m.span(), m.groups()) for m in compiled.regex(pattern, flags).finditer(text)]
        assert got == [(m.span(), m.groups()) for m in re.compile(pattern, flags).finditer(text)]


_NO_CODE = [1, 2, 3, 999_999]  # code the C engine refuses


def _kept_with_bad_code(monkeypatch, *patterns: str) -> None:
    """Two patterns kept, then ``patterns`` of them stored with code that does not build, and
    the table read again as a new process would."""
    compiled.regex(r"(\d+)-(\d+)")
    compiled.regex(r"x(y)")
    _reopen(monkeypatch)
    table = compiled._load()
    for pattern in patterns:
        groups = re.compile(pattern).groups
        table[(pattern, 0)] = (32, _NO_CODE, groups, {}, (None,) * (groups + 1))
    compiled._store()
    monkeypatch.setattr(compiled, "_table", None)


def test_a_damaged_table_is_built_again(fresh, monkeypatch):
    _kept_with_bad_code(monkeypatch, r"(\d+)-(\d+)")
    assert compiled.regex(r"(\d+)-(\d+)") == re.compile(r"(\d+)-(\d+)")
    assert compiled.regex(r"(\d+)-(\d+)").fullmatch("12-34").groups() == ("12", "34")
    assert not compiled._off
    compiled.regex(r"x(y)")
    _reopen(monkeypatch)
    assert compiled._load()[(r"(\d+)-(\d+)", 0)][1] != _NO_CODE  # stored whole again
    assert set(compiled._load()) == {(r"(\d+)-(\d+)", 0), (r"x(y)", 0)}


def test_internals_other_than_these_turn_it_off_for_the_process(fresh, monkeypatch):
    compiled.regex(r"x(y)")
    compiled.regex(r"a+")
    _reopen(monkeypatch)

    def other(*args):
        raise TypeError("compile() takes other arguments")

    monkeypatch.setattr(compiled, "_sre", SimpleNamespace(compile=other, MAGIC=compiled._sre.MAGIC))  # (re's own _sre untouched)
    assert compiled.regex(r"x(y)").fullmatch("xy").groups() == ("y",)
    assert compiled._off
    calls = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda *a: calls.append(a) or real(*a))
    assert compiled.regex(r"a+").fullmatch("aa")
    assert calls == [(r"a+", 0)]  # re.compile alone: nothing computed twice


def test_no_cache_is_no_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATLINT_CACHE_DIR", "")  # caching off
    monkeypatch.setattr(compiled, "_table", None)
    monkeypatch.setattr(compiled, "_off", False)
    monkeypatch.setattr(compiled, "_keep", True)
    monkeypatch.setattr(compiled, "_new", True)
    assert compiled.regex(r"x+y") == re.compile(r"x+y")
    compiled._store()
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("CHATLINT_CACHE_DIR", str(tmp_path / "file" / "cache"))  # cannot be made
    compiled._store()


def test_kept_patterns_are_bounded(fresh, monkeypatch):
    monkeypatch.setattr(compiled, "MAX_KEPT", 3)
    for k in range(5):
        compiled.regex(f"a{{{k}}}")
    compiled._table.update({(f"old{k}", 0): compiled._arguments(f"old{k}", 0) for k in range(5)})
    _reopen(monkeypatch)
    assert set(compiled._load()) == {(f"a{{{k}}}", 0) for k in range(5)}  # the used ones only


def test_a_new_process_reads_back_chatlints_patterns_instead_of_compiling_them(tmp_path):
    env = dict(os.environ, CHATLINT_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    probe = (
        "import re, re._compiler as c, sys\n"
        "n = [0]\n"
        "real = c.compile\n"
        "def counted(*a):\n"
        "    n[0] += 1\n"
        "    return real(*a)\n"
        "c.compile = counted\n"
        "import chatlint.document, chatlint.checks\n"
        "from chatlint import compiled\n"
        "print(n[0], len(compiled._used))\n"
    )
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    compiled_first, used_first = map(int, first.stdout.split())
    compiled_second, used_second = map(int, second.stdout.split())
    assert used_first == used_second > 50  # chatlint's constant patterns
    assert compiled_second <= compiled_first - used_first  # none of them compiled again
    assert any(name.startswith("regex-") for name in os.listdir(tmp_path / "cache"))
    assert datacache.directory() != str(tmp_path / "cache")  # (the test's folder, not the suite's)


def _kept_file(folder: Path) -> Path:
    (path,) = [p for p in folder.iterdir() if p.name.startswith("regex-")]
    return path


def test_a_damaged_table_that_still_builds_is_not_used(fresh, monkeypatch):
    """Damage that leaves valid code (one literal changed on disk) must not build another
    pattern silently: the table is checked whole when read, and built again."""
    assert compiled.regex("ф").fullmatch("ф")
    _reopen(monkeypatch)
    path = _kept_file(fresh)
    data = path.read_bytes()
    literal = (0x444).to_bytes(4, "little")  # «ф» in the code, as marshal writes an int
    assert data.count(literal) == 1
    path.write_bytes(data.replace(literal, (0x445).to_bytes(4, "little")))  # «х»: still valid code
    got = compiled.regex("ф")
    assert got == re.compile("ф")
    assert got.fullmatch("ф") and not got.fullmatch("х")
    _reopen(monkeypatch)
    monkeypatch.setattr(compiled, "_table", None)
    assert compiled.regex("ф").fullmatch("ф")  # stored whole again


def _counted_arguments(monkeypatch) -> list:
    calls = []
    real = compiled._arguments
    monkeypatch.setattr(compiled, "_arguments", lambda *a: calls.append(a) or real(*a))
    return calls


def test_nothing_is_computed_when_it_cannot_be_kept(tmp_path, monkeypatch):
    """With the cache off, or a folder that cannot be made, a pattern costs what re.compile
    costs: not re.compile and the arguments computed again for a table never stored."""
    monkeypatch.setattr(compiled, "_used", set())
    monkeypatch.setattr(compiled, "_new", True)
    calls = _counted_arguments(monkeypatch)
    (tmp_path / "file").write_text("")
    for folder in ("", str(tmp_path / "file" / "cache")):
        monkeypatch.setenv("CHATLINT_CACHE_DIR", folder)
        monkeypatch.setattr(compiled, "_table", None)
        monkeypatch.setattr(compiled, "_off", False)
        monkeypatch.setattr(compiled, "_keep", True)
        assert compiled.regex(r"(k)\d+") == re.compile(r"(k)\d+")
        assert compiled.regex(r"(k)\d+", re.I).fullmatch("K12")
    assert calls == []


def test_a_forked_child_computes_nothing_it_would_not_store(fresh, monkeypatch):
    """Forked workers end with os._exit (no atexit, nothing stored): what they compile is not
    computed twice; what the table holds is still read."""
    compiled.regex(r"kept(\d)")
    _reopen(monkeypatch)
    calls = _counted_arguments(monkeypatch)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            ok = compiled.regex(r"kept(\d)").fullmatch("kept1") and compiled.regex(r"new(\d)").fullmatch("new2")
            kept = (r"kept(\d)", 0) in compiled._table
            os.write(write, f"{bool(ok)} {len(calls)} {kept}".encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as fh:
        got = fh.read()
    os.waitpid(pid, 0)
    assert got == "True 0 True"


def test_what_another_process_stored_meanwhile_is_kept(fresh, monkeypatch):
    """Two processes that read the table at start and store at exit (a long `chatlint serve`
    and a `chatlint check`, a main process and its spawned workers): the last one to store
    keeps what the other stored meanwhile instead of writing over it."""
    compiled.regex(r"first(\d)")
    first = compiled._table  # this process read the table (empty) before the other stored
    monkeypatch.setattr(compiled, "_table", None)
    compiled.regex(r"second(\d)")
    compiled._store()  # the other process ends first
    monkeypatch.setattr(compiled, "_table", first)
    compiled._store()
    monkeypatch.setattr(compiled, "_table", None)
    assert set(compiled._load()) == {(r"first(\d)", 0), (r"second(\d)", 0)}


def test_a_table_built_again_after_damage_takes_nothing_back_from_the_damaged_file(fresh, monkeypatch):
    _kept_with_bad_code(monkeypatch, r"(\d+)-(\d+)", r"x(y)")
    assert compiled.regex(r"(\d+)-(\d+)").fullmatch("1-2")  # built again
    _reopen(monkeypatch)
    assert (r"x(y)", 0) not in compiled._load()  # its damaged neighbour not merged back



def _constant(node, constants: dict, imported: set) -> bool:
    """Whether an expression is made of literals and module constants that are themselves
    made of literals (``re.escape(…)``, ``X.pattern``, a comprehension over ``range`` and
    library functions of a character allowed)."""
    import ast
    import builtins

    def ok(n) -> bool:
        return _constant(n, constants, imported)

    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id == "regex" or node.id in constants and ok(constants[node.id])
    if isinstance(node, ast.JoinedStr | ast.FormattedValue | ast.BinOp | ast.Tuple | ast.Starred):
        return all(ok(v) for v in ast.iter_child_nodes(node) if isinstance(v, ast.expr))
    if isinstance(node, ast.Attribute):  # re.I, _SECRET.pattern
        return isinstance(node.value, ast.Name) and node.value.id == "re" or ok(node.value)
    if isinstance(node, ast.Call):  # re.escape(CONSTANT), X.pattern.replace("a", "b"), "".join(...) of constants
        return ok(node.func) and all(ok(a) for a in node.args)
    if isinstance(node, ast.GeneratorExp | ast.ListComp):
        names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        bound = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        return all(n in bound or n in imported or hasattr(builtins, n) or n in constants and ok(constants[n]) for n in names)
    return False


def test_every_call_site_is_a_module_constant_built_from_literals():
    """Only patterns of chatlint's source are kept: every ``regex(...)`` call is a module-level
    statement, and its pattern is made of literals and constants of the module (never a
    config's words, never a checked text)."""
    import ast

    seen = 0
    for path in sorted((ROOT / "chatlint").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants: dict = {}
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                constants[stmt.targets[0].id] = stmt.value
        imported = {(a.asname or a.name).split(".")[0] for stmt in tree.body if isinstance(stmt, ast.Import | ast.ImportFrom)
                    for a in stmt.names} | {f.name for f in tree.body if isinstance(f, ast.FunctionDef)}
        at_top = {id(n) for stmt in tree.body if isinstance(stmt, ast.Assign) for n in ast.walk(stmt.value)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "regex":
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                assert id(node) in at_top, f"{where}: regex() outside a module-level assignment"
                assert all(_constant(a, constants, imported) for a in node.args), f"{where}: not built from constants"
                assert not node.keywords, where
                seen += 1
    assert seen >= 120


def test_a_server_stopped_by_sigterm_has_kept_its_patterns(tmp_path):
    """uvicorn ends a server stopped by SIGTERM (systemd, docker stop) with the signal itself:
    no atexit, so a table stored only at exit was never stored by a server, and each start
    computed it again for nothing. The server keeps it once it has loaded what it runs."""
    from server_support import served

    cache = tmp_path / "cache"
    with served([], tmp_path / "server.log", env={"CHATLINT_CACHE_DIR": str(cache)}):
        pass  # (stopped with SIGTERM on leaving)
    kept = [name for name in os.listdir(cache) if name.startswith("regex-")]
    assert kept
