"""Declarative rule packs, `chatlint test-rules`, entry-point plugins."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from chatlint import Config, ConfigError, lint_message, load_config
from chatlint.cli import main
from chatlint.packs import PackError, load_pack

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "packs" / "acme-support.toml"


def write(tmp_path, body: str, name="pack.toml") -> Path:
    p = tmp_path / name
    p.write_text('[pack]\nname = "t"\nprefix = "X"\n\n' + body, encoding="utf-8")
    return p


def test_sample_pack_has_five_rules_and_passes_test_rules(capsys):
    _, rules = load_pack(ACME)
    assert len(rules) >= 5
    assert main(["test-rules", str(ACME)]) == 0
    out = capsys.readouterr().out
    assert out.count(": ok") == len(rules)


def test_sample_pack_through_the_config(tmp_path):
    (tmp_path / "chatlint.toml").write_text(f'rule_packs = ["{ACME.as_posix()}"]\n', encoding="utf-8")
    cfg = load_config(tmp_path / "chatlint.toml")
    found = {f.code: f for f in lint_message("Исправим все косяки, заказ скоро приедет. Карта 4276 1234 5678 9012.", config=cfg)}
    assert {"X002", "X003", "X005"} <= set(found)
    assert found["X002"].fix.edits[0].replacement == "недочёты"  # inflected to the plural
    assert found["X002"].fix.applicability == "unsafe"
    assert cfg.plan("chat") is cfg.plan("chat")


def test_pack_paths_are_relative_to_the_config_file(tmp_path, monkeypatch):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "p.toml").write_text(ACME.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.chatlint]\nrule_packs = ["packs/p.toml"]\nselect = ["X003"]\n', encoding="utf-8")
    monkeypatch.chdir(ROOT)
    cfg = load_config(tmp_path / "pyproject.toml")
    assert [f.code for f in lint_message("Карта 4276 1234 5678 9012", config=cfg)] == ["X003"]


def test_test_rules_reports_failing_examples(tmp_path, capsys):
    p = write(tmp_path, '[[rules]]\ncode = "X001"\nname = "x"\ntype = "words"\nmessage = "m"\nmatch = ["~окно"]\nbad = ["Откройте дверь."]\ngood = ["Откройте окна."]\n')
    assert main(["test-rules", str(p)]) == 1
    out = capsys.readouterr().out
    assert "bad[0] did not fire: «Откройте дверь.»" in out
    assert "good[0] fired: «Откройте окна.»" in out


def test_test_rules_checks_the_marked_span_and_the_fixed_text(tmp_path, capsys):
    rule = '[[rules]]\ncode = "X001"\nname = "x"\ntype = "words"\nmessage = "m"\nmatch = ["~косяк"]\nreplacement = "недочёт"\n'
    good = 'good = ["Это наш недочёт."]\n'
    ok = write(tmp_path, rule + 'bad = [{ text = "Это наш ⟦косяк⟧.", fixed = "Это наш недочёт." }]\n' + good, "ok.toml")
    assert main(["test-rules", str(ok)]) == 0
    off = write(tmp_path, rule + 'bad = [{ text = "Это ⟦наш⟧ косяк.", fixed = "Это наш промах." }]\n' + good, "off.toml")
    assert main(["test-rules", str(off)]) == 1
    out = capsys.readouterr().out
    assert "bad[0] marks «Это ⟦наш⟧ косяк.» but reported «Это наш ⟦косяк⟧.»" in out
    assert "fixing «Это ⟦наш⟧ косяк.» gave «Это наш недочёт.», not «Это наш промах.»" in out
    bare = write(tmp_path, rule + 'bad = ["Это наш косяк."]\n' + good, "bare.toml")
    assert main(["test-rules", str(bare)]) == 1
    out = capsys.readouterr().out
    assert "bad[0] mark no span" in out and "bad[0] give no fixed text" in out
    broken = write(tmp_path, rule + 'bad = ["Это наш ⟦косяк."]\n' + good, "broken.toml")
    assert main(["test-rules", str(broken)]) == 2
    assert "rules[0] (X001).bad[0]: ⟦ without ⟧" in capsys.readouterr().err


def test_every_pack_in_the_repository_pins_spans_and_fixes():
    """The sample packs (and any shipped pack) pass their own examples, which mark their spans
    and, for rules with a replacement, their fixed texts."""
    from chatlint.examples import example_problems
    from chatlint.packs import shipped_packs

    paths = sorted((ROOT / "examples" / "packs").glob("*.toml")) + shipped_packs()
    assert paths
    for path in paths:
        _, rules = load_pack(path)
        cfg = Config(rule_packs=[str(path)])
        for r in rules:
            for k, e in enumerate(r.bad):
                assert e.spans, f"{path.name} {r.code} bad[{k}] marks no span"
                assert e.fixed is not None or not r.fix, f"{path.name} {r.code} bad[{k}] pins no fixed text"
                assert not example_problems(r, "bad", e, cfg)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[[rules]]\ncode = "X001"\nname = "a"\ntype = "words"\nmessage = "m"\nmatch = ["~"]\n', "rules[0] (X001).match[0]: not a word form or ~lemma"),
        ('[[rules]]\ncode = "X001"\nname = "a"\ntype = "words"\nmessage = "m"\n', "rules[0] (X001): a words rule needs `match`"),
        ('[[rules]]\ncode = "X001"\nname = "a"\ntype = "words"\nmessage = "m"\nmatch = ["x"]\ncolour = 1\n', "rules[0] (X001).colour: unknown field"),
        ('[[rules]]\ncode = "X001"\nname = "a"\ntype = "magic"\nmessage = "m"\n', "rules[0] (X001).type: Input should be 'words', 'required', 'pattern' or 'count'"),
        ('[[rules]]\ncode = "Y001"\nname = "a"\ntype = "words"\nmessage = "m"\nmatch = ["x"]\n', "rules[0] (Y001).code: does not start with the pack's prefix 'X'"),
        ('[[rules]]\ncode = "X001"\nname = "a"\ntype = "pattern"\nmessage = "m"\npattern = "(a)\\\\1"\n', "rules[0] (X001).pattern: not a valid RE2 expression"),
        ('[[rules]]\ncode = "X001"\nname = "a"\ntype = "words"\nmessage = "m {oops}"\nmatch = ["x"]\n', "rules[0] (X001).message: only {match} may stand in braces"),
        ('[[rules]]\ncode = "X001"\nname = "a"\ntype = "words"\nmessage = "m"\nmatch = ["~банк:NUON"]\n', "unknown grammeme NUON"),
        ('[[rules]\n', "not valid TOML"),
    ],
)
def test_malformed_pack_names_file_rule_and_field(tmp_path, body, expected):
    p = write(tmp_path, body)
    with pytest.raises(PackError) as exc:
        load_pack(p)
    assert str(exc.value).startswith(str(p))
    assert expected in str(exc.value)


def test_malformed_pack_in_config_is_a_config_error(tmp_path, capsys):
    write(tmp_path, '[[rules]]\ncode = "X001"\nname = "a"\ntype = "words"\nmessage = "m"\n', "bad.toml")
    (tmp_path / "chatlint.toml").write_text('rule_packs = ["bad.toml"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"chatlint.toml: rule_packs\[0\]: .*bad.toml: rules\[0\] \(X001\)"):
        load_config(tmp_path / "chatlint.toml")
    (tmp_path / "m.txt").write_text("текст", encoding="utf-8")
    assert main(["check", str(tmp_path / "m.txt")]) == 2
    assert "rules[0] (X001)" in capsys.readouterr().err


def test_pack_code_may_not_shadow_a_builtin(tmp_path):
    p = tmp_path / "p.toml"
    p.write_text('[pack]\nname="t"\nprefix="S"\n[[rules]]\ncode="S001"\nname="a"\ntype="words"\nmessage="m"\nmatch=["x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="S001 is already a rule code"):
        Config(rule_packs=[str(p)]).plan("chat")


def test_grammatical_constraints_in_pack_patterns(tmp_path):
    p = write(tmp_path, '[[rules]]\ncode = "X001"\nname = "a"\ntype = "words"\nmessage = "{match}"\nmatch = ["~банк:plur"]\n')
    cfg = Config(rule_packs=[str(p)], select=["X001"])
    assert [f.message for f in lint_message("Банки закрыты, в банке выходной.", config=cfg)] == ["«Банки»"]


def test_required_phrase_for_last_message(tmp_path):
    p = write(tmp_path, '[[rules]]\ncode = "X001"\nname = "a"\ntype = "required"\nwhen = "last"\nmessage = "нет"\ngap = 1\nmatch = ["~оценить ~наш? ~работа"]\n')
    cfg = Config(rule_packs=[str(p)], select=["X001"])
    assert lint_message("Всего доброго!", last=True, config=cfg)
    assert not lint_message("Всего доброго!", last=False, config=cfg)
    assert not lint_message("Оцените, пожалуйста, нашу работу. Всего доброго!", last=True, config=cfg)


def test_pathological_pattern_cannot_hang_the_linter(tmp_path):
    """RE2 matches in linear time: the classic catastrophic patterns stay fast on 10,000
    characters. The budget is generous (the benchmark reports the figure precisely)."""
    p = write(
        tmp_path,
        '[[rules]]\ncode = "X001"\nname = "a"\ntype = "pattern"\nmessage = "m"\npattern = "(a+)+$"\n'
        '[[rules]]\ncode = "X002"\nname = "b"\ntype = "pattern"\nmessage = "m"\npattern = "(\\\\w+\\\\s?)*!$"\n'
        '[[rules]]\ncode = "X003"\nname = "c"\ntype = "pattern"\nmessage = "m"\npattern = "(x+x+)+y"\n',
    )
    cfg = Config(rule_packs=[str(p)], select=["X"])
    text = "a" * 9_999 + "b"
    lint_message(text, config=cfg)  # warm
    for t in (text, "слово " * 1666 + "?", "x" * 10_000):
        start = time.perf_counter()
        lint_message(t, config=cfg)
        assert time.perf_counter() - start < 0.5


def test_entry_point_plugins_register_rules(monkeypatch):
    """A `chatlint.rules` entry point is imported and its rules appear; a broken one is
    skipped with a warning the caller sees (nothing is printed by the library)."""
    import importlib.metadata as md

    from chatlint import catalog, registry

    monkeypatch.syspath_prepend(str(ROOT / "examples" / "plugin"))
    good = md.EntryPoint(name="example", value="chatlint_example_plugin", group=catalog.ENTRY_POINT_GROUP)
    broken = md.EntryPoint(name="broken", value="chatlint_no_such_module", group=catalog.ENTRY_POINT_GROUP)
    monkeypatch.setattr(md, "entry_points", lambda group=None: [good, broken] if group == catalog.ENTRY_POINT_GROUP else [])
    monkeypatch.setattr(registry, "REGISTRY", dict(registry.REGISTRY))
    sys.modules.pop("chatlint_example_plugin", None)
    with pytest.warns(catalog.PluginWarning, match="plugin 'broken'"):
        assert catalog.load_plugins() == ["example"]
    rules = registry.REGISTRY
    assert "Z001" in rules
    cfg = Config(select=["Z001"])
    monkeypatch.setattr(catalog, "all_rules", lambda: dict(rules))
    import chatlint.planning as planning

    monkeypatch.setattr(planning, "all_rules", lambda: dict(rules))
    assert [f.code for f in lint_message("Заказ 12345678 уже в пути.", config=cfg)] == ["Z001"]
    sys.modules.pop("chatlint_example_plugin", None)


def test_packs_in_the_shipped_rules_directory_are_found(tmp_path, monkeypatch):
    from chatlint import packs, resources

    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "team.toml").write_text(ACME.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(resources, "rules_dir", lambda: tmp_path)
    found = packs.shipped_packs()
    assert found == [tmp_path / "packs" / "team.toml"]
    assert [r.code for r in packs.pack_rules(found[0])][:2] == ["X001", "X002"]
