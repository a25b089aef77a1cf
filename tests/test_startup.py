"""Start-up cost (issue 18): what a fresh process loads, pinned by ``sys.modules`` in a
subprocess, not by a timing (a shared machine decides timings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _loaded(code: str, *, cwd: Path | None = None, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; it prints a JSON value, returned parsed."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH")]))
    full_env.pop("PYMORPHY3_DICT_PATH", None)
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                       cwd=cwd or ROOT, env=full_env, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


HEAVY = ("pydantic", "pydantic_core", "fastapi", "uvicorn", "starlette", "importlib.metadata",
         "pymorphy3", "razdel", "chatlint.config", "chatlint.engine", "chatlint.checks",
         "chatlint.server", "chatlint.readers", "chatlint.formats", "chatlint.scoring", "chatlint.dask")


def test_import_chatlint_loads_nothing_heavy():
    got = _loaded(f"""
        import json, sys
        import chatlint
        print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
    """)
    assert got == []


def test_public_names_load_on_first_use():
    got = _loaded("""
        import json, sys
        import chatlint
        before = "chatlint.engine" in sys.modules
        from chatlint import Finding, lint_message
        findings = lint_message("Здравствуйте!!! Сейчас проверю)))", channel="chat")
        print(json.dumps([before, "chatlint.engine" in sys.modules, isinstance(findings[0], Finding),
                          sorted(chatlint.__all__) == sorted(n for n in chatlint.__all__ if hasattr(chatlint, n)),
                          set(chatlint.__all__) <= set(dir(chatlint))]))
    """)
    assert got == [False, True, True, True, True]


def test_submodules_are_attributes_on_first_use():
    got = _loaded("""
        import json, sys
        import chatlint
        found = [f.code for f in chatlint.engine.lint_message("Здравствуйте!!! Сейчас проверю)))", channel="chat")]
        print(json.dumps([bool(found), "chatlint.engine" in sys.modules, hasattr(chatlint, "no_such_module")]))
    """)
    assert got == [True, True, False]


def test_unknown_attribute_is_an_attribute_error():
    import chatlint

    with pytest.raises(AttributeError, match="no_such_name"):
        chatlint.no_such_name  # noqa: B018


def test_check_one_file_does_not_load_the_server_nor_scan_entry_points(tmp_path):
    (tmp_path / "one.txt").write_text("Добрый день! Уточните, пожалуйста, номер заказа.\n", encoding="utf-8")
    got = _loaded("""
        import contextlib, io, json, sys
        from chatlint.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["check", "one.txt"])
        print(json.dumps([code, sorted(m for m in ("chatlint.server", "fastapi", "uvicorn", "chatlint.scoring",
                                                   "chatlint.dask", "chatlint.report", "chatlint.packs")
                                     if m in sys.modules),
                          "pymorphy3" in sys.modules]))
    """, cwd=tmp_path)
    assert got == [0, [], True]


def test_entry_point_scan_is_skipped_without_plugins_and_runs_with_one(tmp_path):
    """No distribution declares ``chatlint.rules``: no scan. A plugin installed on the path (a
    dist-info folder with the group in its entry_points.txt) is still found and loaded."""
    code = """
        import json, sys
        from chatlint import catalog
        import chatlint.morph
        chatlint.morph.analyzer()
        catalog.all_rules()
        print(json.dumps([catalog.may_have_plugins(), "chatlint_startup_plugin" in sys.modules]))
    """
    assert _loaded(code) == [False, False]

    site = tmp_path / "site"
    (site / "chatlint_startup_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "chatlint_startup_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: chatlint-startup-plugin\nVersion: 1.0\n", encoding="utf-8")
    (site / "chatlint_startup_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[chatlint.rules]\nstartup = chatlint_startup_plugin\n", encoding="utf-8")
    (site / "chatlint_startup_plugin.py").write_text("LOADED = True\n", encoding="utf-8")
    assert _loaded(code, env={"PYTHONPATH": str(site)}) == [True, True]


def test_morphology_dictionary_found_without_entry_points():
    got = _loaded("""
        import json, sys
        from chatlint.morph import lemmas
        print(json.dumps([sorted(lemmas("заказы")), "importlib.metadata" in sys.modules]))
    """)
    assert got == [["заказ"], False]


def test_the_command_skips_pydantics_plugin_scan_unless_the_environment_decides(tmp_path):
    (tmp_path / "one.txt").write_text("Добрый день! Сейчас проверю)))\n", encoding="utf-8")
    code = """
        import contextlib, io, json, os, sys
        from chatlint.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["check", "--select", "ALL", "one.txt"])  # (an option: a validated configuration)
        metadata = "importlib.metadata" in sys.modules
        from pydantic.plugin import _loader
        print(json.dumps([code, os.environ.get("PYDANTIC_DISABLE_PLUGINS"), metadata, _loader._plugins is None]))
    """
    # pydantic's loader is not even imported (it imports importlib.metadata): a stand-in answers
    assert _loaded(code, cwd=tmp_path) == [1, "__all__", False, True]
    # a value the user set (even empty: plugins on) is kept, and pydantic scans as it always does
    assert _loaded(code, cwd=tmp_path, env={"PYDANTIC_DISABLE_PLUGINS": ""}) == [1, "", True, False]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_default_check_of_message_files_never_imports_pydantic(tmp_path, jobs):
    """Without a configuration file or an option that changes a key, the command checks with
    the plain defaults (chatlint.planning.DefaultConfig) and renders the engine's plain
    findings: pydantic's import and models (~60 ms, a third of the start before the first
    file) are paid by neither the main process nor a worker. An import of pydantic anywhere
    in the run leaves a mark (the hook is inherited by the forked workers)."""
    for i in range(4):
        (tmp_path / f"m{i}.txt").write_text(f"Привет! Щас посмотрю заказ {i})))\n", encoding="utf-8")
    mark = tmp_path / "imported"
    code = f"""
        import contextlib, io, json, sys
        class Hook:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("pydantic", "pydantic_core"):
                    open({str(mark)!r}, "a").write(name + "\\n")
                return None
        sys.meta_path.insert(0, Hook())
        from chatlint.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["check", "--jobs", {jobs!r}, "--format", "json", "."])
        found = json.loads(out.getvalue())
        print(json.dumps([code, len(found), sorted({{f["code"] for f in found}})]))
    """
    code_, n, codes = _loaded(code, cwd=tmp_path)
    assert code_ == 1 and n >= 8 and {"G002", "A003"} <= set(codes)
    assert not mark.exists(), mark.read_text()


def test_the_stand_in_plugin_loader_answers_as_pydantics(monkeypatch):
    """The stand-in's get_plugins is the real one's with plugins disabled, and any other name
    (or plugins enabled again) loads the real module in its place."""
    import importlib
    import sys

    from chatlint import _cli_env

    real = importlib.import_module("pydantic.plugin._loader")
    if isinstance(real, _cli_env._PluginLoader):
        real = _cli_env._real_loader()
    stand_in = _cli_env._PluginLoader(_cli_env._LOADER)
    for value in _cli_env._NO_PLUGINS:
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", value)
        assert tuple(real.get_plugins()) == stand_in.get_plugins() == ()
    monkeypatch.setitem(sys.modules, _cli_env._LOADER, stand_in)
    with pytest.raises(AttributeError):
        stand_in.__path__  # noqa: B018  (a module, not a package: nothing loads for the import system)
    assert sys.modules[_cli_env._LOADER] is stand_in
    assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"
    assert not isinstance(sys.modules[_cli_env._LOADER], _cli_env._PluginLoader)


def test_no_model_parses_its_source_at_import():
    """pydantic's ``use_attribute_docstrings`` reads and parses a model's module source when the
    class is built (``chatlint explain`` reads docstrings itself, on demand: docs.attribute_docs)."""
    got = _loaded("""
        import json, sys
        import chatlint.cli, chatlint.config, chatlint.server
        from pydantic import BaseModel
        def subclasses(c):
            for s in c.__subclasses__():
                yield s
                yield from subclasses(s)
        print(json.dumps(sorted({f"{m.__module__}.{m.__qualname__}" for m in subclasses(BaseModel)
                                 if m.__module__.startswith("chatlint")
                                 and m.model_config.get("use_attribute_docstrings")})))
    """)
    assert got == []


def test_reply_templates_keep_their_descriptions():
    from chatlint.config import ReplyTemplates

    assert {k: f.description for k, f in ReplyTemplates.model_fields.items()} == {
        "greeting": "Offered when the operator's first reply has no greeting.",
        "holding": "Offered when the client has waited long for an answer.",
        "farewell": "Offered when the closing reply has no farewell.",
    }


def test_shipped_packs_still_found_by_the_catalog(tmp_path, monkeypatch):
    from chatlint import catalog, resources

    monkeypatch.setattr(resources, "rules_dir", lambda: tmp_path)
    assert catalog._shipped_packs() == []
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "team.toml").write_text("[pack]\n", encoding="utf-8")
    assert catalog._shipped_packs() == [tmp_path / "packs" / "team.toml"]


def _command(code: str, cwd: Path) -> tuple[list, str]:
    """Run ``code`` (which calls the command's entry point) in a fresh interpreter: the JSON
    value it prints last, and its stderr."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                       cwd=cwd, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1]), r.stderr


_GC_SPY = """
    import contextlib, gc, io, json, sys
    import chatlint.cli as cli
    from chatlint.__main__ import main

    original = cli._Checker._message
    def spy(self, display, *a, **k):  # each file says how the collector stands when it is checked
        yield "note", f"{display}: gc enabled={int(gc.isenabled())} frozen={int(gc.get_freeze_count() > 0)}"
        yield from original(self, display, *a, **k)
    cli._Checker._message = spy
    sys.argv = ["chatlint", *ARGV]
    with contextlib.redirect_stdout(io.StringIO()):
        code = main() if ENTRY else cli.main(ARGV)
    print(json.dumps([code, gc.isenabled()]))
"""


def _gc_states(tmp_path: Path, argv: list[str], entry: bool = True) -> tuple[list, list[str]]:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("Добрый день! Сейчас проверю)))\n", encoding="utf-8")
    got, err = _command(_GC_SPY.replace("ARGV", repr(argv)).replace("ENTRY", repr(entry)), tmp_path)
    return got, sorted(line for line in err.splitlines() if "gc enabled" in line)


def test_the_command_pauses_the_collector_for_its_start_up_only(tmp_path):
    """The ``chatlint`` command starts up with the cyclic collector paused (nothing it loads is
    garbage); it runs again, with the start-up's objects frozen, once the first check has built
    what the rules compile lazily."""
    got, states = _gc_states(tmp_path, ["check", "--jobs", "1", "a.txt", "b.txt", "c.txt"])
    assert got == [1, True]
    assert states == ["a.txt: gc enabled=0 frozen=0", "b.txt: gc enabled=1 frozen=1",
                      "c.txt: gc enabled=1 frozen=1"]


def test_workers_fork_with_the_collector_running_and_the_start_up_frozen(tmp_path):
    got, states = _gc_states(tmp_path, ["check", "--jobs", "2", "a.txt", "b.txt", "c.txt"])
    assert got == [1, True]
    assert states == [f"{n}: gc enabled=1 frozen=1" for n in ("a.txt", "b.txt", "c.txt")]


def test_the_collector_is_left_alone_when_the_cli_is_called_as_a_library(tmp_path):
    got, states = _gc_states(tmp_path, ["check", "--jobs", "1", "a.txt", "b.txt", "c.txt"], entry=False)
    assert got == [1, True]
    assert states == [f"{n}: gc enabled=1 frozen=0" for n in ("a.txt", "b.txt", "c.txt")]


def test_other_commands_run_with_the_collector_on(tmp_path):
    got, _ = _command("""
        import contextlib, gc, io, json, sys
        import chatlint.cli as cli
        from chatlint.__main__ import main
        seen = []
        original = cli._cmd_rules
        cli._cmd_rules = lambda args: seen.append(gc.isenabled()) or original(args)
        sys.argv = ["chatlint", "rules"]
        with contextlib.redirect_stdout(io.StringIO()):
            code = main()
        print(json.dumps([code, seen, gc.isenabled()]))
    """, tmp_path)
    assert got == [0, [True], True]


def test_the_lazily_built_tag_table_gives_pymorphy3s_parses():
    """morph.analyzer() builds pymorphy3's table of tags on first use of each tag: every parse
    (dictionary words, predicted ones, «ё», names) is pymorphy3's own."""
    import pymorphy3

    from chatlint import morph

    ours = morph._load()
    stock = pymorphy3.MorphAnalyzer(path=morph._dictionary_path(), lang="ru")
    assert isinstance(ours.dictionary.gramtab, morph._Tags)
    assert type(stock.dictionary.gramtab) is list
    words = ("заказ заказы курьеру доставки оплатите позвоню извините приедет сожелению обезательно Анна "
             "ёжик стекло бегущий постаматах видеоредакторов щас норм пжлст iphone 42 по-русски").split()
    def shown(p):
        return p.word, str(p.tag), p.normal_form, p.score, [(type(m[0]).__name__, *m[1:]) for m in p.methods_stack]

    for w in words:
        assert [shown(p) for p in ours.parse(w.lower())] == [shown(p) for p in stock.parse(w.lower())], w
        assert [str(x.tag) for x in ours.parse(w.lower())[0].lexeme] == \
               [str(x.tag) for x in stock.parse(w.lower())[0].lexeme]
    table = ours.dictionary.gramtab
    assert table[7] is table[7] and str(table[7]) == str(stock.dictionary.gramtab[7])
    assert [str(t) for t in table[:5]] == [str(t) for t in stock.dictionary.gramtab[:5]]
    assert [str(t) for t in table] == [str(t) for t in stock.dictionary.gramtab]


def test_the_tag_table_falls_back_to_pymorphy3s_own_loader(monkeypatch):
    from pymorphy3.opencorpora_dict import storage, wrapper

    from chatlint import morph

    def other(path, *args, **kwargs):  # a pymorphy3 whose loader has another shape
        return storage.load_dict(path, *args, **kwargs)

    monkeypatch.setattr(wrapper, "load_dict", other)
    analyzer = morph._load()
    assert type(analyzer.dictionary.gramtab) is list
    assert wrapper.load_dict is other
    assert {p.normal_form for p in analyzer.parse("заказы")} == {"заказ"}


# ------------------------------------------------------------------ the end of the command


def _run(args: list[str], cwd: Path, code: str | None = None) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("PYTHONUNBUFFERED", None)  # the output buffered, as in a pipe: what the end must flush
    cmd = [sys.executable, "-m", "chatlint", *args] if code is None else [sys.executable, "-c", textwrap.dedent(code), *args]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
    return r.returncode, r.stdout, r.stderr


# the command ending the usual way: main()'s code given to sys.exit, the interpreter torn down
_PLAIN_EXIT = """
    import sys
    from chatlint.__main__ import main
    sys.argv = ["chatlint", *sys.argv[1:]]
    sys.exit(main())
"""


@pytest.mark.parametrize("argv", [
    ["check", "a.txt", "b.txt"],  # findings: exit 1
    ["check", "--format", "json", "a.txt", "missing.txt"],  # an input error: exit 2
    ["check", "--jobs", "2", "--format", "sarif", "."],
    ["check", "good.txt"],  # nothing found: exit 0
    ["check", "-o", "out.json", "--format", "json", "a.txt"],  # the output file written and in place
    ["rules", "--format", "json"],
    ["check", "--bogus"],  # a usage error
])
def test_the_command_ends_as_the_interpreters_exit_would(tmp_path, argv):
    (tmp_path / "a.txt").write_text("Здравствуйте!!! Щас проверю ваш заказ )))\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("привет\nваш заказ передан в доставку", encoding="utf-8")
    (tmp_path / "good.txt").write_text("Здравствуйте! Ваш заказ передан в службу доставки.", encoding="utf-8")
    fast = _run(argv, tmp_path)
    written = (tmp_path / "out.json").read_text(encoding="utf-8") if (tmp_path / "out.json").exists() else None
    (tmp_path / "out.json").unlink(missing_ok=True)
    assert fast == _run(argv, tmp_path, _PLAIN_EXIT)
    if "-o" in argv:
        assert written == (tmp_path / "out.json").read_text(encoding="utf-8") and '"code"' in written
    assert not list(tmp_path.glob(".*.chatlint-tmp"))


def test_the_command_runs_the_atexit_functions_and_removes_temporary_files(tmp_path):
    (tmp_path / "a.txt").write_text("Здравствуйте!!!", encoding="utf-8")
    code, out, err = _run(["check", "a.txt"], tmp_path, """
        import atexit, sys, tempfile
        from chatlint.__main__ import command
        left = tempfile.TemporaryDirectory(dir=".")  # removed by its finalizer at exit
        print(left.name, file=sys.stderr)
        atexit.register(print, "atexit ran", file=sys.stderr)
        sys.argv = ["chatlint", *sys.argv[1:]]
        command()
        print("not reached")
    """)
    assert code == 1 and "not reached" not in out and "a.txt:1:" in out
    assert err.endswith("atexit ran\n")
    assert not (tmp_path / err.splitlines()[0]).exists()


def test_the_command_exits_the_usual_way_while_another_thread_runs(tmp_path):
    (tmp_path / "a.txt").write_text("Здравствуйте!!!", encoding="utf-8")
    code, out, err = _run(["check", "a.txt"], tmp_path, """
        import sys, threading, time
        from chatlint.__main__ import command
        def late():
            time.sleep(0.3)
            print("the thread finished", file=sys.stderr)
        threading.Thread(target=late).start()
        sys.argv = ["chatlint", *sys.argv[1:]]
        command()
    """)
    assert code == 1 and err.endswith("the thread finished\n")
