"""Packaging (issue 14): the distribution has a registry name of its own (``chatlint`` there is
an unrelated package), the import name and the command stay ``chatlint``, the package is typed,
and no text tells a user to install the old name."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = "chatlint-ru"

# the old name after «pip install» (bare, quoted, with an extra) or as a requirement with an
# extra: the registry's unrelated package
OLD_NAME = re.compile(r"""pip install\s+(?:-\S+\s+)*['"]?chatlint(?![-\w])|(?<![-\w.])chatlint\[""")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_distribution_name_import_name_and_command():
    project = _project()
    assert project["name"] == DIST
    assert project["scripts"] == {"chatlint": "chatlint.__main__:command"}
    for extra in project["optional-dependencies"].values():
        for req in extra:
            assert not req.startswith("chatlint["), req  # a self-reference names the distribution


def test_the_package_is_typed():
    assert (ROOT / "chatlint" / "py.typed").is_file()
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]
    assert wheel["targets"]["wheel"]["packages"] == ["chatlint"]  # py.typed inside it ships


def _texts():
    for base in ("README.md", "CONTRIBUTING.md", "pyproject.toml", ".ci", "chatlint", "examples", "benchmarks",
                 "tests", "rules"):
        p = ROOT / base
        files = [p] if p.is_file() else [q for q in p.rglob("*") if q.is_file()]
        for q in files:
            if q.suffix in (".py", ".md", ".toml", ".txt", ".html", ".js", ".cfg", ".yml", ".yaml", "") \
                    and "__pycache__" not in q.parts and q != Path(__file__):
                try:
                    yield q, q.read_text(encoding="utf-8")
                except (UnicodeDecodeError, OSError):
                    continue


def test_no_text_tells_a_user_to_install_the_old_name():
    bad = [f"{q.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
           for q, text in _texts() for m in OLD_NAME.finditer(text)]
    assert not bad, bad


def test_the_old_name_pattern_can_fail():
    old = "chat" + "lint"  # spelled apart, so that the repository's own grep finds nothing here
    for text in (f"pip install {old}", f"pip install '{old}[server]'", f'test = ["{old}[server]"]',
                 f"pip install -U {old}"):
        assert OLD_NAME.search(text), text
    for text in ("pip install chatlint-ru", "pip install 'chatlint-ru[server]'", "pip install ."):
        assert not OLD_NAME.search(text), text


def test_server_hint_names_the_distribution():
    from chatlint import server

    assert server.EXTRA_HINT == f"pip install '{DIST}[server]'"
