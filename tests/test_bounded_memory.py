"""Every cache has a bound (issue 18): the word-form caches share ``CHATLINT_CACHE_MB``."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import chatlint
from chatlint import caches


def _all_modules():
    for info in pkgutil.walk_packages(chatlint.__path__, "chatlint."):
        if info.name in ("chatlint.dask", "chatlint.__main__") or ".report.xlsx" in info.name:
            continue  # optional extras, and the entry point (it runs the CLI)
        try:
            yield importlib.import_module(info.name)
        except ImportError:
            continue


def test_every_lru_cache_is_bounded_by_the_word_form_budget():
    found = {}
    for module in _all_modules():
        for name, value in vars(module).items():
            info = getattr(value, "cache_info", None)
            if info is None or getattr(value, "__module__", None) != module.__name__:
                continue
            found[f"{module.__name__}.{name}"] = info().maxsize
    assert len(found) > 20
    unbounded = [k for k, v in found.items() if v is None]
    too_large = [k for k, v in found.items() if v is not None and v > caches.WORD_FORMS]
    assert not unbounded and not too_large, (unbounded, too_large)
    assert found["chatlint.morph.parses"] == caches.WORD_FORMS


def test_the_default_budget_is_a_few_tens_of_mb():
    assert caches.budget_mb("") == caches.DEFAULT_MB == 64
    assert caches.WORD_FORMS * caches.BYTES_PER_WORD <= 64 * 2**20
    assert 20_000 < caches.word_forms(64) < 40_000
    assert caches.word_forms(0.001) == caches.MIN_WORD_FORMS


@pytest.mark.parametrize("raw", ["lots", "-5", "0", "nan", "inf"])
def test_a_bad_budget_is_one_line_and_the_default(raw, capsys):
    assert caches.budget_mb(raw) == caches.DEFAULT_MB
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CHATLINT_CACHE_MB" in err and repr(raw) in err


def test_the_environment_sets_the_bound_of_every_word_form_cache(tmp_path):
    code = ("from chatlint import morph, lexicon, archive; "
            "print(morph.parses.cache_info().maxsize, lexicon.is_profane.cache_info().maxsize, "
            "archive._word_hash.cache_info().maxsize)")
    env = {"CHATLINT_CACHE_MB": "8", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                         check=True)
    n = caches.word_forms(8)
    assert out.stdout.split() == [str(n)] * 3
    bad = subprocess.run([sys.executable, "-m", "chatlint", "rules"], capture_output=True, text=True,
                         env={"CHATLINT_CACHE_MB": "много"}, cwd=tmp_path)
    assert bad.returncode == 0 and "Traceback" not in bad.stderr


# ------------------------------------------------------------------ --summary aggregates as it goes

EXPORTS = Path(__file__).resolve().parent.parent / "examples" / "transcripts"


def test_the_tally_gives_build_reports_figures_without_keeping_the_conversations():
    from chatlint.config import default_config
    from chatlint.readers import read_transcripts
    from chatlint.scoring import ReportTally, build_report, load_scorecard, score_each

    card = load_scorecard(None)
    transcripts = [t for p in sorted(EXPORTS.iterdir()) if p.suffix in (".jsonl", ".csv", ".txt")
                   for t in read_transcripts(p)]
    convs = [c for _, c in score_each(transcripts, card, default_config())]
    assert len(convs) > 5
    tally = ReportTally(card)
    for c in convs:
        tally.add(c)
    lean, full = tally.report(), build_report(convs, card)
    assert lean.conversations == () and len(full.conversations) == len(convs)
    assert lean.model_dump(exclude={"conversations"}) == full.model_dump(exclude={"conversations"})


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_check_summary_never_lists_every_conversation(monkeypatch, capsys, fmt):
    from chatlint import scoring
    from chatlint.cli import main

    main(["check", "--summary", "--format", fmt, str(EXPORTS)])
    before = capsys.readouterr()
    assert before.out

    def kept(*a, **k):
        raise AssertionError("check --summary kept every conversation")

    monkeypatch.setattr(scoring, "build_report", kept)
    main(["check", "--summary", "--format", fmt, str(EXPORTS)])
    assert capsys.readouterr() == before


# ------------------------------------------------------------------ JSON Lines


def test_jsonl_is_the_json_arrays_records_one_a_line(tmp_path, monkeypatch, capsys):
    import json

    from chatlint.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Привет!!! щас посмотрю ваш заказ )))", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Здравствуйте, меня зовут Анна, чем я могу Вам помочь?", encoding="utf-8")
    argv = ["check", "a.txt", "b.txt", "missing.txt", str(EXPORTS / "chat-widget.jsonl")]
    code_json = main([*argv, "--format", "json"])
    records = json.loads(capsys.readouterr().out)
    code_lines = main([*argv, "--format", "jsonl"])
    out = capsys.readouterr().out
    assert code_lines == code_json == 2
    assert out.endswith("\n") and [json.loads(line) for line in out.splitlines()] == records
    assert records[-1]["error"] and any(r.get("conversation_id") for r in records)
    assert main(["check", "b.txt", "--format", "jsonl"]) == 0
    assert capsys.readouterr().out == ""


# ------------------------------------------------------------------ grouping an archive's rows


def test_grouped_ids_past_the_spill_live_on_disk_and_come_back_in_order(monkeypatch):
    """JSONL/CSV rows are grouped by conversation; past the buffer, the ids go to the temporary
    file too (only the last few stay in memory), with the same conversations in the same order."""
    import json

    import chatlint.readers.common as common
    from chatlint.readers import READERS

    data = []
    for k in range(60):  # interleaved: each conversation's rows come back again later
        for c in (k % 7, (k * 3) % 11, k):
            data.append({"conversation_id": f"id-{c}", "role": "operator" if k % 2 else "client",
                         "author": "Анна" if k % 2 else "Клиент", "text": f"Сообщение {k} в диалоге {c}"})
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data)
    module = READERS["jsonl"].reader()
    whole = module.read(text, "x.jsonl", ["Анна"])
    monkeypatch.setattr(common, "MAX_BUFFERED_CHARS", 200)
    monkeypatch.setattr(common.Grouper, "RECENT_IDS", 2)
    seen = []
    real_spill = common.Grouper._spill

    def spill(self):
        real_spill(self)
        seen.append((len(self.order), len(self.recent)))

    monkeypatch.setattr(common.Grouper, "_spill", spill)
    assert module.read(text, "x.jsonl", ["Анна"]) == whole
    assert len(whole.transcripts) == 60 and len(seen) > 5
    assert all(held == 0 and recent <= 2 for held, recent in seen)  # ids on disk, not in a dict
