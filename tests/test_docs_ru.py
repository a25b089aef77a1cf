"""The Russian rule documentation, next to each rule in its docstring (**Что проверяет**,
**Почему это важно**): complete, one home per rule, and used by ``rule_text`` and
``chatlint explain``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chatlint import Config
from chatlint.catalog import all_rules
from chatlint.docs import RU_SUMMARY, RU_WHY, explain, rule_text, russian_text
from chatlint.resources import rules_dir

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "packs" / "acme-support.toml"
CYRILLIC = re.compile(r"[а-яё]", re.I)


def _shipped_rules() -> dict:
    """The rules chatlint registers by default: built-in and shipped packs (``rules/packs/``),
    not the entry-point plugins that happen to be installed."""
    return {code: r for code, r in all_rules().items() if r.check.__module__.startswith("chatlint.")}


def test_every_rule_has_a_russian_summary_and_why():
    rules = _shipped_rules()
    assert {"T001", "T007", "M001", "M005"} <= set(rules)
    missing = sorted(code for code in rules if russian_text(rules[code]) is None)
    assert not missing, f"rules without **{RU_SUMMARY}** and **{RU_WHY}** in their docstring: {missing}"
    for code, r in rules.items():
        for text in russian_text(r):
            assert text and text == text.strip() and "\n" not in text, code
            assert CYRILLIC.search(text), code
            assert text[-1] in ".…»", (code, text, "ends without a full stop")
            assert text.count("``") % 2 == 0, (code, text, "unbalanced ``code``")


def test_the_russian_texts_have_one_home():
    """The Russian texts live in the docstrings only: the old hand-edited file is gone."""
    assert not (rules_dir() / "docs" / "ru.toml").exists()
    assert not (ROOT / "rules" / "docs").exists()


def test_russian_texts_name_only_what_the_docstring_names():
    """A setting or placeholder in ``double backticks`` must exist in the rule's English parts:
    renaming a parameter cannot leave the Russian text behind."""
    for code, r in _shipped_rules().items():
        english = "\n".join(r.section(t) for t in ("What it checks", "Why", "Example"))
        for text in russian_text(r):
            for name in re.findall(r"``(.+?)``", text):
                assert f"``{name}``" in english, (code, text, name)


def test_rule_text_by_language():
    r = all_rules()["G002"]
    ru_summary, ru_why = rule_text(r, "ru")
    assert CYRILLIC.search(ru_summary) and CYRILLIC.search(ru_why)
    assert ru_summary.startswith("Сообщение начинается с неформального приветствия")
    assert (ru_summary, ru_why) == (" ".join(r.section(RU_SUMMARY).split()), " ".join(r.section(RU_WHY).split()))
    assert rule_text(r) == rule_text(r, "ru")
    assert rule_text(r, "en") == (r.summary, r.section("Why"))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_pack_rules_fall_back_to_their_own_description(lang):
    rules = Config(rule_packs=[str(ACME)]).pack_rules
    assert rules
    for r in rules:
        summary, why = rule_text(r, lang)
        assert (summary, why) == (r.summary, r.section("Why"))
        assert summary and why


@pytest.mark.parametrize("code", ["A001", "E001"])
def test_explain_adds_the_russian_block_after_the_english_parts(code):
    r = all_rules()[code]
    out = explain(r)
    ru = dict(zip(("summary", "why"), russian_text(r), strict=True))
    assert out.index("EXAMPLE") < out.index("ПО-РУССКИ") < out.index("BAD (the rule fires)")
    block = out[out.index("ПО-РУССКИ"):out.index("BAD (the rule fires)")]
    flat = " ".join(block.split())
    assert f"Что проверяет: {ru['summary']}" in flat
    assert f"Почему это важно: {ru['why']}" in flat
    assert all(line.startswith("    ") for line in block.splitlines()[1:] if line and not line.startswith("PARAMETERS"))


def test_explain_of_a_pack_rule_has_no_russian_block():
    r = Config(rule_packs=[str(ACME)]).pack_rules[0]
    assert "ПО-РУССКИ" not in explain(r)
