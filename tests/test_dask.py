"""chatlint.dask and ``chatlint check --dask`` (issue 18): a partitioned archive checked on a
LocalCluster of 2 worker processes gives the CLI's findings exactly, written as Parquet with
the documented schema, and per-operator figures merged from the partitions."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tomllib
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from archive_gen import conversation

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("distributed", reason="the dask extra is not installed: pip install 'chatlint-ru[dask]'")
pytest.importorskip("pyarrow", reason="the dask extra is not installed: pip install 'chatlint-ru[dask]'")

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from chatlint.dask import FINDINGS_COLUMNS, Settings, check_partition, findings_schema, read_findings  # noqa: E402

# the fields a Parquet row shares with a record of `chatlint check --format json`
SHARED = [name for name, _ in FINDINGS_COLUMNS if not name.startswith("fix_") and name != "path"]


def _rows(seed: int, conversations: int) -> list[list[dict]]:
    rng = random.Random(seed)
    base = datetime(2026, 11, 2, 9, 0)
    out = []
    for k in range(conversations):
        rows = conversation(rng, k, base + timedelta(days=rng.randrange(20), minutes=rng.randrange(600)))
        for r in rows:
            r["channel"] = "chat"
        out.append(rows)
    # messages our generator never writes: a list, links, a long line, emoji, a blank «вы»
    extra = [
        {"conversation_id": "x1", "role": "client", "author": "Ольга", "time": "2026-11-03T10:00:00",
         "text": "Здравствуйте, как оформить возврат? 😕", "channel": "chat"},
        {"conversation_id": "x1", "role": "operator", "author": "Мария Ким", "time": "2026-11-03T10:04:30",
         "text": "добрый день, вам нужно:\n1) открыть https://shop.example/returns;\n2) выбрать заказ\n"
                 "3) нажать «Вернуть»!!! Готово 👍👍👍", "channel": "chat"},
        {"conversation_id": "x1", "role": "operator", "author": "Мария Ким", "time": "2026-11-03T10:05:00",
         "text": "ОБЯЗАТЕЛЬНО сохраните чек;) пока", "channel": "chat"},
    ]
    out.append(extra)
    return out


def _write_jsonl(path: Path, conversations: list[list[dict]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for rows in conversations:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _write_parquet(path: Path, conversations: list[list[dict]]) -> None:
    rows = [r for c in conversations for r in c]
    table = pa.table({
        "conversation_id": [r["conversation_id"] for r in rows],
        "role": [r["role"] for r in rows],
        "author": [r["author"] for r in rows],
        "time": pa.array([datetime.fromisoformat(r["time"]) for r in rows], pa.timestamp("s")),
        "text": [r["text"] for r in rows],
        "channel": [r["channel"] for r in rows],
    })
    pq.write_table(table, path)


def _chatlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "chatlint", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=600)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> dict:
    """Three JSONL partitions and one Parquet partition (with the same rows as a JSONL copy
    the CLI can read), one conversation split across two partitions; checked once by the
    CLI and once on a 2-worker LocalCluster."""
    root = tmp_path_factory.mktemp("dask")
    conv = _rows(18, 80)
    parts = root / "archive"
    parts.mkdir()
    twin = root / "twin"  # the CLI cannot read Parquet: the Parquet partition's rows as JSONL
    twin.mkdir()
    split = conv[5]
    _write_jsonl(parts / "p-00.jsonl", conv[:20] + [split[:2]])
    _write_jsonl(parts / "p-01.jsonl", [split[2:]] + conv[20:40])
    _write_jsonl(parts / "p-02.jsonl", conv[40:60])
    _write_parquet(parts / "p-03.parquet", conv[60:])
    _write_jsonl(twin / "p-03.jsonl", conv[60:])
    jsonls = [str(parts / f"p-0{i}.jsonl") for i in range(3)]
    cli = _chatlint("check", "--format", "json", *jsonls, str(twin / "p-03.jsonl"), cwd=root)
    assert cli.returncode in (0, 1), cli.stderr
    out = root / "findings.parquet"
    run = _chatlint("check", "--dask", "local:2", str(parts), "--output", str(out), "--summary",
                    "--format", "json", cwd=root)
    return {"root": root, "parts": parts, "twin": twin, "cli": json.loads(cli.stdout), "run": run, "out": out}


def test_dask_findings_equal_the_cli_exactly(archive):
    run = archive["run"]
    assert run.returncode == 1, run.stderr  # findings at warning level: exit 1, as the CLI
    rows = read_findings(archive["out"])
    cli = archive["cli"]
    assert len(rows) == len(cli) > 100
    twin = str(archive["twin"] / "p-03.jsonl")
    for got, want in zip(rows, cli, strict=True):
        if want["path"] == twin:
            assert got["path"].endswith("p-03.parquet")  # the Parquet partition, row numbers as lines
        else:
            assert got["path"] == str(Path(want["path"]).resolve())
        assert {k: got[k] for k in SHARED} == {k: want[k] for k in SHARED}
        fix = want["fix"]
        assert got["fix_applicability"] == (fix["applicability"] if fix else None)
        assert got["fix_title"] == (fix["title"] if fix else None)
        assert got["fix_edits"] == ([{k: e[k] for k in ("start", "end", "replacement")} for e in fix["edits"]]
                                    if fix else None)
    assert {r["code"] for r in rows} >= {"A001", "A006", "G003", "G006", "T001"}


def test_findings_file_has_the_documented_schema(archive):
    schema = pq.read_schema(archive["out"])
    assert schema.equals(findings_schema())
    assert [n for n, _ in FINDINGS_COLUMNS] == schema.names
    documented = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _ in FINDINGS_COLUMNS:
        assert f"`{name}`" in documented, f"README does not document the findings column {name}"


def test_per_operator_figures_are_merged_from_the_partitions(archive):
    """--summary: the partitions' figures merged; findings by operator and group as the CLI's
    findings count them, every conversation once per partition it is in."""
    records = json.loads(archive["run"].stdout)
    got: Counter = Counter()
    for r in records:
        for group, n in r["findings"].items():
            got[group] += n
    want = Counter(f["code"][0] for f in archive["cli"])
    assert +got == want
    by_name = {r["operator"]: r for r in records}
    for name in ("Мария Ким", "Олег Дронов"):
        assert by_name[name]["messages"] > 0 and by_name[name]["conversations"] > 0
    assert sum(r["conversations"] for r in records) == 81 + 1  # the split one counted in both parts


def test_a_conversation_split_across_partitions_is_reported(archive):
    err = archive["run"].stderr
    assert "c00005" in err and "split across partitions" in err
    assert "2 workers" in err


def test_parquet_partition_reads_as_its_jsonl_twin(tmp_path):
    """In process, no cluster: a Parquet partition (timestamps, a null author) gives the
    findings of the same rows as JSONL; its row numbers are its lines."""
    conv = _rows(7, 12)
    conv[0][1]["author"] = None
    _write_parquet(tmp_path / "a.parquet", conv)
    _write_jsonl(tmp_path / "a.jsonl", conv)
    a = check_partition(str(tmp_path / "a.parquet"), Settings()).table.drop_columns(["path"])
    b = check_partition(str(tmp_path / "a.jsonl"), Settings()).table.drop_columns(["path"])
    assert a.num_rows > 5
    assert a.equals(b)


def test_channel_column_chooses_the_profile(tmp_path):
    rows = [
        {"conversation_id": "m", "role": "client", "author": "Ира", "text": "Здравствуйте, где заказ?",
         "channel": "messenger"},
        {"conversation_id": "m", "role": "operator", "author": "Анна", "text": "Здравствуйте! Заказ уже в пути 🙂",
         "channel": "messenger"},
    ]
    _write_jsonl(tmp_path / "m.jsonl", [rows])
    _write_jsonl(tmp_path / "c.jsonl", [[{**r, "channel": "chat"} for r in rows]])
    msg = check_partition(str(tmp_path / "m.jsonl"), Settings()).table.column("code").to_pylist()
    chat = check_partition(str(tmp_path / "c.jsonl"), Settings()).table.column("code").to_pylist()
    forced = check_partition(str(tmp_path / "m.jsonl"), Settings(channel="chat")).table.column("code").to_pylist()
    assert "E003" in chat and "E003" not in msg  # emoji are fine in a messenger, not in a chat
    assert forced == chat


def test_partition_problems_are_lines_not_tracebacks(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"conversation_id": "1", "role": "operator", "text": "Добрый день!"}\nnot json\n', encoding="utf-8")
    r = check_partition(str(p), Settings())
    assert r.error is None and len(r.problems) == 1 and "line 2" in r.problems[0]
    q = tmp_path / "broken.parquet"
    q.write_bytes(b"PAR1 not really")
    r = check_partition(str(q), Settings())
    assert r.error is not None and "broken.parquet" in r.error and "\n" not in r.error


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--dask", "local:2", "ARCH"], "--dask writes the findings to a Parquet file"),
        (["--dask", "local:0", "ARCH", "--output", "f.parquet"], "local:N with N worker processes"),
        (["--dask", "local:2", "ARCH", "--output", "f.parquet", "--fix"], "--fix cannot go with it"),
        (["--dask", "local:2", "ARCH/missing", "--output", "f.parquet"], "no such file or directory"),
        (["--dask", "local:2", "ARCH/notes.txt", "--output", "f.parquet"], "not a partition"),
        (["--dask", "local:2", "ARCH", "--output", "ARCH/old.parquet"], "is an input"),
    ],
)
def test_usage_errors_are_one_line(tmp_path, capsys, args, expected):
    from chatlint.cli import main

    (tmp_path / "a.jsonl").write_text('{"conversation_id": "1", "role": "operator", "text": "Добрый день!"}\n',
                                      encoding="utf-8")
    (tmp_path / "notes.txt").write_text("Добрый день!", encoding="utf-8")
    (tmp_path / "old.parquet").write_bytes(b"PAR1")
    argv = ["check", *[a.replace("ARCH", str(tmp_path)) for a in args]]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1, err


def test_without_the_extra_the_error_names_the_pip_command(tmp_path, capsys, monkeypatch):
    from chatlint.cli import main

    (tmp_path / "a.jsonl").write_text('{"conversation_id": "1", "role": "operator", "text": "Добрый день!"}\n',
                                      encoding="utf-8")
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    assert main(["check", "--dask", "local:2", str(tmp_path), "--output", str(tmp_path / "f.parquet")]) == 2
    err = capsys.readouterr().err
    dist = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
    assert f"pip install '{dist}[dask]'" in err and "dask[distributed]" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "f.parquet").exists()
