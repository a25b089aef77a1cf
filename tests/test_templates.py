"""``chatlint templates``: repeated operator replies across conversations, with counts and
findings (issue 15). The archive is benchmarks/templates.py's generator, smaller."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from chatlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("templates_bench", ROOT / "benchmarks" / "templates.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_planted_templates_are_found_whole_and_distinct_replies_make_no_group(tmp_path, capsys):
    truth = bench.build(tmp_path, conversations=600, distinct=200)
    assert main(["templates", str(tmp_path), "--format", "json", "--top", "0", "--min-count", "2"]) == 0
    groups = json.loads(capsys.readouterr().out)
    of = truth["template_of"]
    assert not [g for g in groups if g["text"] in truth["uniques"]]  # no false group
    assert len(groups) == len(bench.TEMPLATES)
    for g in groups:
        k = of[g["text"]]
        assert g["count"] == truth["planted"][k] and g["conversations"] == truth["planted"][k]
        assert g["wordings"] >= 3  # the exact copies and both rewordings in one group
        assert g["examples"][0]["path"].endswith(".jsonl")


def test_text_output_shows_count_text_and_findings(tmp_path, capsys):
    rows = []
    for k, name in enumerate(["Иван", "Мария", "Олег"]):
        rows.append({"conversation_id": f"c{k}", "role": "client", "author": name, "time": "2026-11-23T10:00:00",
                     "text": "Где мой заказ?"})
        rows.append({"conversation_id": f"c{k}", "role": "operator", "author": "Анна", "time": "2026-11-23T10:01:00",
                     "text": f"{name}, здравствуйте!!! Ваш заказ {k + 7} передан в службу доставки, ожидайте звонка."})
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    assert main(["templates", str(tmp_path / "a.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "3 copies in 3 conversations" in out
    assert "A006 excessive-punctuation" in out
    assert "«Иван, здравствуйте!!! Ваш заказ 7 передан" in out


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["templates", str(tmp_path / "missing.jsonl")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.jsonl" in err[0]
    assert main(["templates", str(tmp_path), "--similarity", "3"]) == 2


def test_memory_is_bounded_by_max_groups_and_templates_survive(tmp_path, capsys):
    truth = bench.build(tmp_path, conversations=900, distinct=600)
    assert main(["templates", str(tmp_path), "--format", "json", "--top", "0", "--max-groups", "100"]) == 0
    groups = json.loads(capsys.readouterr().out)
    # 600 one-off replies churn through 100 places; the six templates keep theirs
    assert sorted(truth["template_of"][g["text"]] for g in groups) == list(range(len(bench.TEMPLATES)))
    assert main(["templates", str(tmp_path), "--max-groups", "5"]) == 2
