"""Rule packs hardened: safe message templates, patterns on any str, Unicode-aware classes, a
fast test-rules on huge packs, non-regular files refused, and the `count` rule type."""

from __future__ import annotations

import os
import string
import subprocess
import sys
import time

import pytest

from chatlint import Config, lint_message
from chatlint.cli import main
from chatlint.errors import PackError
from chatlint.packs import load_pack, unicode_pattern

HEAD = '[pack]\nname = "t"\nprefix = "X"\n\n'


def rule(**fields) -> str:
    base = {"code": "X001", "name": "r", "type": "pattern", "pattern": "запрет", "message": "Нельзя: {match}"}
    base.update(fields)
    lines = ["[[rules]]"]
    for k, v in base.items():
        if v is None:
            continue
        if isinstance(v, str):
            lines.append(f"{k} = '{v}'" if "'" not in v and "\n" not in v else f"{k} = {v!r}")
        elif isinstance(v, bool):
            lines.append(f"{k} = {'true' if v else 'false'}")
        elif isinstance(v, list):
            items = ", ".join("'" + x + "'" for x in v)
            lines.append(f"{k} = [{items}]")
        else:
            lines.append(f"{k} = {v}")
    return "\n".join(lines) + "\n"


def pack(tmp_path, *rules: str, name="p.toml"):
    p = tmp_path / name
    p.write_text(HEAD + "\n".join(rules), encoding="utf-8")
    return p


def found(p, text, code="X001", **kw):
    cfg = Config(rule_packs=[str(p)])
    return [f for f in lint_message(text, config=cfg, **kw) if f.code == code]


# ------------------------------------------------------------------ templates


@pytest.mark.parametrize("template", [
    "Нельзя {match:>99999999999}",
    "Нельзя {match.__class__.__mro__}",
    "Нельзя {match!r}",
    "Нельзя {match[0]}",
    "Нельзя {0}",
    "Нельзя {}",
    "Нельзя {match:{match}}",
    "Нельзя {count}",
    "Нельзя {match",
])
def test_templates_take_bare_fields_only(tmp_path, template):
    p = pack(tmp_path, rule(message=template))
    with pytest.raises(PackError) as err:
        load_pack(p)
    msg = str(err.value)
    assert str(p) in msg and "rules[0] (X001).message" in msg and "{match}" in msg


def test_english_template_is_checked_too(tmp_path):
    p = pack(tmp_path, rule(message_en="No {match.__class__}"))
    with pytest.raises(PackError, match=r"X001\)\.message_en"):
        load_pack(p)


def test_literal_braces_and_plain_field_render(tmp_path):
    p = pack(tmp_path, rule(message="{{код}} {match} {{конец}}"))
    (f,) = found(p, "Это запрет.")
    assert f.message == "{код} «запрет» {конец}"


# ------------------------------------------------------------------ RE2 on any text


def test_pattern_fires_on_text_with_lone_surrogates(tmp_path, recwarn):
    p = pack(tmp_path, rule(pattern="запрещ\\w*"))
    text = "Это \udc80 запрещено \ud800 у нас."
    (f,) = found(p, text)
    assert text[f.start:f.end] == "запрещено"
    assert not [w for w in recwarn if "X001" in str(w.message)]


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    ("\\bкот\\b", "Кот и котёнок, кот.", ["Кот", "кот"]),
    ("\\bкот\\w*", "Котёнок и скот, котик", ["Котёнок", "котик"]),
    ("\\w+ка\\b", "Заявка и каково", ["Заявка"]),
    ("[\\w-]+@\\w+", "пиши на почта-тест@домен", ["почта-тест@домен"]),
    ("[[:alpha:]]+", "Ёлка 12", ["Ёлка"]),
    ("\\bкосяк\\b|\\bбаг\\b", "Косяк, баг и багаж", ["Косяк", "баг"]),
    ("сумма\\s+\\d+", "сумма\u00a0500 ₽", ["сумма\u00a0500"]),
    ("\\Q\\w\\E", "буква \\w тут", ["\\w"]),
    ("(?i)\\bкот\\b", "КОТ и скот", ["КОТ"]),
    ("^\\bкот\\b", "кот и кот", ["кот"]),
])
def test_classes_and_word_boundaries_are_unicode_aware(tmp_path, pattern, text, expected):
    p = pack(tmp_path, rule(pattern=pattern))
    assert [text[f.start:f.end] for f in found(p, text)] == expected


def test_adjacent_bounded_matches_are_all_found(tmp_path):
    p = pack(tmp_path, rule(pattern="\\bда\\b"))
    assert len(found(p, "да да да,да")) == 4


@pytest.mark.parametrize("pattern", ["кот\\bы", "\\Bкот", "[\\W]"])
def test_unsupported_boundaries_are_pack_errors(tmp_path, pattern):
    with pytest.raises(PackError, match=r"rules\[0\] \(X001\)\.pattern"):
        load_pack(pack(tmp_path, rule(pattern=pattern)))


def test_unicode_pattern_leaves_plain_patterns_alone():
    assert unicode_pattern("обращени[еяю]") == ("обращени[еяю]", False)


# ------------------------------------------------------------------ non-regular files


def test_pack_that_is_a_fifo_or_a_loop_is_one_line_not_a_hang(tmp_path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.toml"
    loop.symlink_to(tmp_path / "loop.toml")
    for path, what in ((fifo, "FIFO"), (loop, "symbolic link loop"), ("/dev/zero", "character device")):
        with pytest.raises(PackError, match=what):
            load_pack(path)
    r = subprocess.run([sys.executable, "-m", "chatlint", "test-rules", str(fifo), "/dev/zero"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 2 and "FIFO" in r.stderr and "device" in r.stderr


# ------------------------------------------------------------------ test-rules on a huge pack


def test_test_rules_lints_each_example_with_its_own_rule_only(tmp_path, capsys, monkeypatch):
    """Each example runs its own rule, not the pack's thousands (10,000 rules: ~10 s of CPU
    instead of hours; 1,000 here to keep the suite fast)."""
    from chatlint import engine

    sizes = []
    run = engine._run_message_rules

    def counting(plan, doc, first, last, *rest):
        sizes.append(len(plan.for_message(first, last)))
        return run(plan, doc, first, last, *rest)

    monkeypatch.setattr(engine, "_run_message_rules", counting)
    letters = "абвгдежзиклмнопрстуфхцчшщэюя"

    def word(i):
        out = ""
        for _ in range(3):
            out += letters[i % len(letters)]
            i //= len(letters)
        return "зю" + out

    n = 1000
    rules = []
    for i in range(n):
        code = f"X{string.ascii_uppercase[i // 1000]}{i % 1000:03d}"
        w = word(i)
        rules.append(f'[[rules]]\ncode = "{code}"\nname = "r{i}"\ntype = "words"\nmatch = ["{w}"]\n'
                     f'message = "Не пишите {{match}}"\nbad = ["Тут ⟦{w}⟧."]\ngood = ["Тут нет."]\n')
    p = pack(tmp_path, *rules)
    t0 = time.perf_counter()
    assert main(["test-rules", str(p)]) == 0
    elapsed = time.perf_counter() - t0
    out = capsys.readouterr().out
    assert out.count(": ok\n") == n
    assert len(sizes) >= 2 * n and set(sizes) == {1}
    assert elapsed < 30, f"test-rules took {elapsed:.1f} s on {n} rules"


# ------------------------------------------------------------------ count rules


def count_rule(**fields):
    base = {"type": "count", "pattern": "!", "max": 2, "message": "«!»: {count}, можно {max}"}
    base.update(fields)
    return rule(**base)


def test_count_max_per_message(tmp_path):
    p = pack(tmp_path, count_rule())
    assert found(p, "Здравствуйте! Готово!") == []
    (f,) = found(p, "Здравствуйте! Готово! Ждём! Спасибо!")
    text = "Здравствуйте! Готово! Ждём! Спасибо!"
    assert (f.start, f.end) == (text.index("! С"), len(text))
    assert f.message == "«!»: 4, можно 2"


def test_count_per_sentence_and_paragraph(tmp_path):
    p = pack(tmp_path, count_rule(pattern="очень", max=1, scope="sentence", message="{count} раза «очень»"))
    text = "Очень-очень рады. Очень ждём вас."
    (f,) = found(p, text)
    assert text[f.start:f.end] == "очень" and f.start == 6 and f.message == "2 раза «очень»"
    p2 = pack(tmp_path, count_rule(code="X002", pattern="!", max=1, scope="paragraph"), name="p2.toml")
    text = "Привет! Рады!\n\nЖдём! Пока."
    (f,) = found(p2, text, code="X002")
    assert text[f.start:f.end] == "!" and f.start == text.index("Рады!") + 4


def test_count_min_and_phrases(tmp_path):
    p = pack(tmp_path, count_rule(pattern=None, match=["~спасибо|~благодарить"], max=None, min=1,
                                  message="Поблагодарите клиента: {count} раз"))
    assert found(p, "Благодарим за ожидание.") == []
    (f,) = found(p, "  Ваш заказ готов.  ")
    assert (f.start, f.end) == (2, 18) and f.message == "Поблагодарите клиента: 0 раз"
    assert found(p, "   ") == [] or all(f.start <= f.end for f in found(p, "   "))


@pytest.mark.parametrize(("fields", "expected"), [
    ({"max": None}, "needs `max`, `min` or both"),
    ({"min": 3, "max": 2}, "`min` (3) is above `max` (2)"),
    ({"match": ["да"]}, "either `pattern`"),
    ({"replacement": "x"}, "nothing to replace"),
    ({"max": True}, "valid integer"),
    ({"max": -1}, "greater than or equal to 0"),
    ({"scope": "word"}, "scope"),
])
def test_count_rules_are_validated(tmp_path, fields, expected):
    with pytest.raises(PackError, match=expected.replace("(", r"\(").replace(")", r"\)").replace("`", "`")):
        load_pack(pack(tmp_path, count_rule(**fields)))


def test_count_fields_belong_to_count_rules(tmp_path):
    with pytest.raises(PackError, match="`max` belongs to"):
        load_pack(pack(tmp_path, rule(max=2)))


def test_a_pack_with_many_broken_rules_is_one_short_line(tmp_path):
    broken = [rule(code=f"X{i:03d}", name="Not-Kebab") for i in range(1, 500)]
    with pytest.raises(PackError) as err:
        load_pack(pack(tmp_path, *broken))
    msg = str(err.value)
    assert "\n" not in msg and msg.count("kebab-case") == 5 and msg.endswith("… and 494 more problems")


@pytest.mark.parametrize("kind", ["fifo", "loop"])
def test_a_configured_pack_that_is_not_a_regular_file_is_one_line(tmp_path, kind):
    target = tmp_path / "team.toml"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to(target)
    (tmp_path / "chatlint.toml").write_text('rule_packs = ["team.toml"]\n', encoding="utf-8")
    (tmp_path / "m.txt").write_text("Добрый день!!!", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "chatlint", "check", str(tmp_path / "m.txt")],
                       capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    (line,) = r.stderr.strip().splitlines()
    assert "rule_packs[0]" in line and ("FIFO" in line if kind == "fifo" else "symbolic link loop" in line)


# ------------------------------------------------------------------ the translation, against Python's re


def test_translated_patterns_match_like_unicode_regexes():
    """On Cyrillic/Latin text, the RE2 translation finds what Python's (Unicode-aware) ``re``
    finds, for the shapes the translation handles."""
    import re

    from hypothesis import given
    from hypothesis import strategies as st

    from chatlint.packs import Regex

    re2 = pytest.importorskip("re2")
    alphabet = "абвгдАБВГДёЁabcdXY019_ -.,!\u00a0\n"
    shapes = [r"\bаб\w*\b", r"\w+", r"\bа\b|\bб\b", r"[\w-]+", r"\s+", r"\W+", r"[[:alpha:]]+", r"\bX\w\b",
              r"а\w*", r"\b\d+\b"]
    compiled = []
    for shape in shapes:
        translated, bounded = unicode_pattern(shape)
        opts = re2.Options()
        opts.log_errors = False
        compiled.append((shape.replace("[[:alpha:]]", "[^\\W\\d_]"), Regex(re2.compile(translated, opts), bounded)))

    @given(st.text(alphabet=alphabet, max_size=40))
    def check(text):
        for py, regex in compiled:
            expected = [m.span() for m in re.finditer(py, text) if m.end() > m.start()]
            assert list(regex.spans(text, 1000)) == expected, (py, text)

    check()
