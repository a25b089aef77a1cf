"""Peak memory of ``chatlint check --format json`` on an archive of generated operator messages
(issue 18: under 500 MB for 1,000,000 messages, in one file and in 100 files).

Writes ``--messages`` operator messages (default 1,000,000) as chatlint JSONL conversations into a
temporary directory (never into the repository): conversations of 1-6 operator messages, each
after a short client line, the operator messages made of 1-3 sentences of ``corpus.py``'s
messages with their numbers changed (so that texts differ, as an archive's do). Then, for each
``--layout`` (``one``: one file; ``100``: 100 files; any number N: N files), it runs
``chatlint check --format json`` (``--jobs`` as given, else the default: every core) with the
output to /dev/null, and reports:

* the peak of the whole process tree's memory: the sum of the proportional set sizes (PSS,
  ``/proc/PID/smaps_rollup``: pages shared by the forked workers counted once) of the main
  process and its workers, sampled every 0.2 s;
* the largest single process's peak RSS (``getrusage`` of the children);
* the wall time, and the messages a second.

Usage::

    python benchmarks/memory.py                           # 1,000,000 messages; one file, 100 files
    python benchmarks/memory.py --messages 100000 --layout one --jobs 1
    python benchmarks/memory.py --messages 20000 --extra --summary    # another chatlint option
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import build_corpus  # noqa: E402

CLIENT_LINES = [
    "Здравствуйте, подскажите, где мой заказ?",
    "Добрый день, не проходит оплата картой",
    "Когда вернут деньги?",
    "Спасибо, а можно поменять адрес доставки?",
    "Не могу войти в личный кабинет",
    "Хорошо, жду.",
]
OPERATORS = ["Анна", "Ольга", "Дмитрий", "Мария", "Сергей", "Екатерина", "Илья", "Наталья"]
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")
_NUMBER = re.compile(r"\d+")


def sentences(seed: int = 2026) -> list[str]:
    """The sentences of 3,000 corpus messages."""
    out: list[str] = []
    for message in build_corpus(3000, seed):
        out.extend(s.strip() for s in _SENTENCE.split(message) if len(s.strip()) > 10)
    return out


def write_archive(directory: Path, messages: int, files: int, seed: int = 2026) -> dict:
    """Write ``messages`` operator messages into ``files`` JSONL files; their figures."""
    rng = Random(seed)
    pool = sentences(seed)
    directory.mkdir(parents=True, exist_ok=True)
    per_file = -(-messages // files)
    written = conversations = size = 0
    for k in range(files):
        path = directory / f"part-{k:04d}.jsonl"
        goal = min(messages, written + per_file)
        with open(path, "w", encoding="utf-8") as fh:
            while written < goal:
                conversations += 1
                cid = f"c{conversations:08d}"
                operator = rng.choice(OPERATORS)
                minute = 0
                for _ in range(min(goal - written, rng.randint(1, 6))):
                    fh.write(json.dumps({"conversation_id": cid, "role": "client", "author": "Клиент",
                                         "time": f"2026-11-{1 + conversations % 28:02d}T10:{minute:02d}:00+03:00",
                                         "text": rng.choice(CLIENT_LINES)}, ensure_ascii=False) + "\n")
                    text = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 3)))
                    text = _NUMBER.sub(lambda m: str(rng.randint(1, 10 ** len(m.group())) - 1), text)
                    fh.write(json.dumps({"conversation_id": cid, "role": "operator", "author": operator,
                                         "time": f"2026-11-{1 + conversations % 28:02d}T10:{minute + 1:02d}:00+03:00",
                                         "text": text}, ensure_ascii=False) + "\n")
                    minute = min(minute + 2, 57)
                    written += 1
        size += path.stat().st_size
    return {"messages": written, "conversations": conversations, "files": files, "bytes": size}


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    out = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            for child in fh.read().split():
                out.extend(_tree(int(child)))
    except OSError:
        pass
    return out


def measure(paths: list[Path], jobs: int | None, extra: list[str]) -> dict:
    """Run chatlint on ``paths``: the tree's peak PSS, the largest process's peak RSS, the time."""
    cmd = [sys.executable, "-m", "chatlint", "check", "--format", "json", *extra]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    cmd += [str(p) for p in paths]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        peak = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read().decode("utf-8", "replace")
    if code not in (0, 1):
        raise SystemExit(f"chatlint failed ({code}): {err[:500]}")
    largest = usage.ru_maxrss  # KB: the largest process of the tree
    return {"seconds": round(seconds, 1), "peak_tree_pss_mb": round(peak / 1024, 1),
            "largest_process_rss_mb": round(largest / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=1_000_000, help="operator messages (default 1,000,000)")
    ap.add_argument("--layout", nargs="+", default=["one", "100"],
                    help="one (one file) or a number of files; several to compare (default: one 100)")
    ap.add_argument("--jobs", type=int, default=None, help="chatlint's --jobs (default: chatlint's default)")
    ap.add_argument("--extra", nargs=argparse.REMAINDER, default=[], help="more chatlint check options")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    a = ap.parse_args(argv)
    if sys.platform != "linux":
        print("memory.py reads /proc: Linux only")
        return 0
    results = []
    with tempfile.TemporaryDirectory(prefix="chatlint-memory-") as tmp:
        for layout in a.layout:
            files = 1 if layout == "one" else int(layout)
            d = Path(tmp) / f"files-{files}"
            t0 = time.perf_counter()
            archive = write_archive(d, a.messages, files)
            archive["generated_s"] = round(time.perf_counter() - t0, 1)
            paths = sorted(d.glob("*.jsonl")) if files > 1 else [d / "part-0000.jsonl"]
            got = measure(paths if files <= 100 else [d], a.jobs, a.extra)
            got["messages_per_s"] = round(archive["messages"] / got["seconds"])
            results.append({"layout": layout, **archive, **got})
            for p in paths:
                p.unlink()
            if not a.json:
                r = results[-1]
                verdict = "PASS" if r["peak_tree_pss_mb"] < 500 else "FAIL"
                print(f"{r['messages']:,} operator messages in {r['conversations']:,} conversations, "
                      f"{r['files']} file(s), {r['bytes'] / 2**20:.0f} MiB: peak {r['peak_tree_pss_mb']} MB "
                      f"(all processes, PSS; < 500: {verdict}), largest process {r['largest_process_rss_mb']} MB "
                      f"RSS; {r['seconds']} s ({r['messages_per_s']:,} messages/s)", flush=True)
    if a.json:
        print(json.dumps({"jobs": a.jobs, "extra": a.extra, "runs": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
