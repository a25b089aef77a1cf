"""The Russian rule documentation (``rules/docs/ru.toml``): complete, no unknown codes, and
used by ``rule_text`` and ``chatlint explain``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chatlint import Config
from chatlint.catalog import all_rules
from chatlint.docs import RU_DOCS, explain, ru_docs, rule_text
from chatlint.resources import rules_dir

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "packs" / "acme-support.toml"
CYRILLIC = re.compile(r"[а-яё]", re.I)


def _shipped_rules() -> dict:
    """The rules chatlint registers by default: built-in and shipped packs (``rules/packs/``),
    not the entry-point plugins that happen to be installed."""
    return {code: r for code, r in all_rules().items() if r.check.__module__.startswith("chatlint.")}


def test_ru_toml_is_shipped_with_the_rules():
    assert (rules_dir() / RU_DOCS).is_file()
    assert (ROOT / "rules" / RU_DOCS).is_file()  # in the wheel as chatlint/rules/docs/ru.toml


def test_every_rule_has_a_russian_summary_and_why():
    rules = _shipped_rules()
    assert {"T001", "T007", "M001", "M005"} <= set(rules)
    missing = sorted(code for code in rules if code not in ru_docs())
    assert not missing, f"rules/docs/ru.toml has no entry for {missing}"
    for code in rules:
        entry = ru_docs()[code]
        assert set(entry) == {"summary", "why"}, code
        for key in ("summary", "why"):
            text = entry[key]
            assert text and text == text.strip() and "\n" not in text, (code, key)
            assert CYRILLIC.search(text), (code, key)
            assert text[-1] in ".…»", (code, key, "ends without a full stop")
            assert text.count("``") % 2 == 0, (code, key, "unbalanced ``code``")


def test_ru_toml_has_no_unknown_codes():
    unknown = sorted(set(ru_docs()) - set(_shipped_rules()))
    assert not unknown, f"rules/docs/ru.toml describes codes no rule has: {unknown}"


def test_russian_texts_name_only_what_the_docstring_names():
    """A setting or placeholder in ``double backticks`` must exist in the rule's English doc:
    renaming a parameter cannot leave the Russian text behind."""
    for code, r in _shipped_rules().items():
        for key, text in ru_docs()[code].items():
            for name in re.findall(r"``(.+?)``", text):
                assert f"``{name}``" in r.doc, (code, key, name)


def test_rule_text_by_language():
    r = all_rules()["S001"]
    ru_summary, ru_why = rule_text(r, "ru")
    assert CYRILLIC.search(ru_summary) and CYRILLIC.search(ru_why)
    assert (ru_summary, ru_why) == (ru_docs()["S001"]["summary"], ru_docs()["S001"]["why"])
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


def test_ru_docs_is_read_once():
    assert ru_docs() is ru_docs()


def test_explain_adds_the_russian_block_after_the_english_parts():
    r = all_rules()["A001"]
    out = explain(r)
    ru = ru_docs()["A001"]
    assert out.index("EXAMPLE") < out.index("ПО-РУССКИ") < out.index("BAD (the rule fires)")
    block = out[out.index("ПО-РУССКИ"):out.index("BAD (the rule fires)")]
    flat = " ".join(block.split())
    assert f"Что проверяет: {ru['summary']}" in flat
    assert f"Почему это важно: {ru['why']}" in flat
    assert all(line.startswith("    ") for line in block.splitlines()[1:] if line and not line.startswith("PARAMETERS"))


def test_explain_of_a_pack_rule_has_no_russian_block():
    r = Config(rule_packs=[str(ACME)]).pack_rules[0]
    assert "ПО-РУССКИ" not in explain(r)
