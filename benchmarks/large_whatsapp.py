"""Peak memory and wall time of ``chatlint check`` on a large WhatsApp export (issue 11).

Writes a synthetic WhatsApp "Export chat" file (Android, Russian, 24 h) of about ``--mb``
megabytes into a temporary directory (never into the repository), with a ``chatlint.toml``
naming the operators, then runs ``/usr/bin/time -v chatlint check FILE --as whatsapp`` for
each requested output (``--format text`` by default) with stdout to /dev/null, and prints the
maximum resident set size and the wall time of each run.

The chat: one client writing to a shop's support account over many days, a support episode
every few hours (a pause of hours between episodes, a night's pause between days), 2-7
client messages and 2-8 operator messages of 300-600 characters (``corpus.py``) per episode,
multi-line messages, media placeholders and system lines now and then.

Usage::

    python benchmarks/large_whatsapp.py --mb 200                      # text output
    python benchmarks/large_whatsapp.py --mb 200 --runs text json summary
    python benchmarks/large_whatsapp.py --mb 20 --keep /tmp/chat.txt  # also keep the file
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import build_corpus  # noqa: E402

CLIENT_LINES = [
    "Добрый день, заказ 48213 до сих пор не пришёл, подскажите, что с ним?",
    "А можно поменять адрес доставки? Я переехал",
    "спасибо",
    "Хорошо, жду ответа.",
    "Оплатил картой, но деньги списались два раза(",
    "Когда вернут деньги за возврат?\nЯ отправил товар ещё в понедельник",
    "Ок",
    "А курьер позвонит перед приездом?",
    "Подскажите, пожалуйста, есть ли этот чайник в белом цвете",
    "Мне нужен чек для бухгалтерии",
]
NOTES = ["<Без медиафайлов>", "Данное сообщение удалено"]
RUNS = {
    "text": [],
    "json": ["--format", "json"],
    "summary": ["--summary"],
    "github": ["--format", "github"],
}


def write_export(path: Path, megabytes: float, seed: int = 2026) -> tuple[int, int]:
    """Write the chat; returns (messages, bytes)."""
    rng = Random(seed)
    texts = build_corpus(3000, seed)
    target = int(megabytes * 1_000_000)
    t = datetime(2024, 1, 9, 9, 0)
    n = size = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        head = "09.01.2024, 09:00 - Сообщения и звонки защищены сквозным шифрованием. Подробнее.\n"
        fh.write(head)
        size = len(head.encode("utf-8"))
        while size < target:
            lines = []
            for _ in range(rng.randint(2, 8)):
                for _ in range(rng.randint(1, 2)):
                    t += timedelta(seconds=rng.randint(20, 400))
                    body = rng.choice(NOTES) if rng.random() < 0.03 else rng.choice(CLIENT_LINES)
                    lines.append(f"{t:%d.%m.%Y, %H:%M} - Мария Клиентова: {body}\n")
                t += timedelta(seconds=rng.randint(15, 300))
                who = rng.choice(["Анна", "Ольга"])
                lines.append(f"{t:%d.%m.%Y, %H:%M} - {who}: {rng.choice(texts)}\n")
            chunk = "".join(lines).encode("utf-8")
            if size + len(chunk) > target:
                break
            fh.write(chunk.decode("utf-8"))
            size += len(chunk)
            n += len(lines)
            t += timedelta(hours=rng.randint(2, 20))
    return n, path.stat().st_size


def measure(path: Path, config: Path, extra: list[str]) -> dict:
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "chatlint", "check", str(path), "--as", "whatsapp",
           "--config", str(config), *extra]
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    elapsed = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", proc.stderr)
    return {
        "exit": proc.returncode,
        "max_rss_mb": int(rss.group(1)) / 1024 if rss else None,
        "wall_s": wall,
        "time_v_elapsed": elapsed.group(1) if elapsed else None,
        "stderr_tail": [ln for ln in proc.stderr.splitlines() if not ln.startswith("\t")][-3:],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=float, default=200.0, help="size of the export in MB (default 200)")
    p.add_argument("--runs", nargs="+", choices=sorted(RUNS), default=["text"])
    p.add_argument("--keep", metavar="PATH", help="copy the generated export here as well")
    args = p.parse_args(argv)
    if not shutil.which("time") and not os.path.exists("/usr/bin/time"):
        print("/usr/bin/time is needed (GNU time, for -v)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="chatlint-bench-") as tmp:
        chat = Path(tmp) / "chat.txt"
        config = Path(tmp) / "chatlint.toml"
        config.write_text('operators = ["Анна", "Ольга"]\n', encoding="utf-8")
        start = time.perf_counter()
        n, size = write_export(chat, args.mb)
        print(f"export: {size / 1e6:.1f} MB, {n:,} messages (written in {time.perf_counter() - start:.0f} s)")
        if args.keep:
            shutil.copy(chat, args.keep)
        for run in args.runs:
            r = measure(chat, config, RUNS[run])
            print(f"{run:8} exit {r['exit']}  max RSS {r['max_rss_mb']:.0f} MB  wall {r['wall_s']:.1f} s"
                  f"  ({r['time_v_elapsed']})")
            for line in r["stderr_tail"]:
                print(f"         stderr: {line[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
