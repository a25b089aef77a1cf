"""What an operator reads is plain Russian: no configuration key, no rule code, no markup.

Scanned: every rule's Russian summary and "why" (the widget shows them on demand), every
finding message and fix title the rules give on their own examples, and every Russian
string of the operator widget and the browser add-on. Codes belong in the details only
(the widget shows them there, next to the rule's name)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chatlint import Config
from chatlint.catalog import all_rules
from chatlint.config import RuleOptions, SpellingOptions
from chatlint.docs import rule_text
from chatlint.examples import example_config, findings_of

ROOT = Path(__file__).resolve().parent.parent
RULES = {code: r for code, r in all_rules().items() if r.check.__module__.startswith("chatlint.")}
UI_DIRS = [ROOT / "examples" / "operator-ui", ROOT / "examples" / "browser-extension"]
CYRILLIC = re.compile(r"[а-яё]", re.I)


def _config_keys() -> set[str]:
    keys = set(Config.model_fields) | set(SpellingOptions.model_fields) | set(RuleOptions.model_fields)
    for r in all_rules().values():
        keys |= set(r.params.model_fields)
    return keys


KEYS = _config_keys()
_KEY = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, KEYS), key=len, reverse=True)) + r")(?![\w-])")
_SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
_CODE = re.compile(r"\b[A-Z]\d{3}\b")
_QUOTED = re.compile(r"«[^«»]*»")  # a fragment of the operator's own text, quoted


def operator_text_problems(text: str) -> list[str]:
    """What makes ``text`` unfit for an operator: a configuration key, a rule code, a
    ``literal`` from the docs. Quoted fragments («…», the operator's own words) are skipped."""
    plain = _QUOTED.sub("«»", text)
    problems = []
    for m in _KEY.finditer(plain):
        problems.append(f"configuration key {m.group(0)!r}")
    for m in _SNAKE.finditer(plain):
        if m.group(0) not in KEYS:
            problems.append(f"identifier {m.group(0)!r}")
    for m in _CODE.finditer(plain):
        problems.append(f"rule code {m.group(0)!r}")
    if "``" in plain:
        problems.append("``markup``")
    return problems


def test_the_scan_can_fail():
    assert operator_text_problems("Абзац длиннее ``max_sentences`` предложений")
    assert operator_text_problems("Перечисление из min_items пунктов")
    assert operator_text_problems("вероятные опечатки — это P001")
    assert operator_text_problems("добавьте слово в dictionary")
    assert not operator_text_problems("Смайл «;)» не принят: допустимы только «:(», «:)»")
    assert not operator_text_problems("Разговорное слово «max_words»: пишите официально")  # quoted text


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_summaries_and_whys_are_plain_russian(code):
    for lang_text in rule_text(RULES[code], "ru"):
        assert not operator_text_problems(lang_text), (code, operator_text_problems(lang_text), lang_text)


@pytest.mark.parametrize("code", sorted(RULES))
def test_finding_messages_and_fix_titles_are_plain_russian(code):
    r = RULES[code]
    seen = 0
    for e in (*r.bad, *r.good):
        for f in findings_of(e, example_config(e)):
            for text in (f.message, f.fix.title if f.fix and f.fix.title else ""):
                assert not operator_text_problems(text), (f.code, operator_text_problems(text), text)
                seen += f.code == code
    assert seen or not r.bad, f"{code}: no finding of its own examples was scanned"


_JS_STRING = re.compile(r"""(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`)""", re.S)


def _ui_strings() -> list[tuple[str, str]]:
    """The Russian strings of the widget and the add-on: JavaScript string literals, and the
    text of their HTML pages and manifest."""
    out = []
    for folder in UI_DIRS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix == ".js":
                src = path.read_text(encoding="utf-8")
                src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
                src = re.sub(r"(?m)^\s*//.*$", "", src)
                for m in _JS_STRING.finditer(src):
                    s = next(g for g in m.groups() if g is not None)
                    if CYRILLIC.search(s):
                        out.append((path.name, s))
            elif path.suffix in (".html", ".json"):
                text = re.sub(r"<[^>]*>", "\n", path.read_text(encoding="utf-8"))
                out.extend((path.name, line.strip()) for line in text.splitlines() if CYRILLIC.search(line))
    return out


def test_widget_strings_are_plain_russian():
    strings = _ui_strings()
    assert len(strings) > 20, strings  # the scan sees the widget's texts
    bad = [(name, s, operator_text_problems(s)) for name, s in strings if operator_text_problems(s)]
    assert not bad, bad


def test_widget_has_no_english_error_text():
    """Server down or an HTTP error: the operator reads Russian, not «Failed to fetch»
    (the browser's own message is never shown)."""
    js = (ROOT / "examples" / "operator-ui" / "chatlint-widget.js").read_text(encoding="utf-8")
    assert not re.search(r"\b(err|error|exc|e)\.message\b|\$\{(err|error|e)\}", js)
