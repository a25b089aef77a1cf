"""``chatlint report`` against ``chatlint check`` on the same generated archive (issue 16: the
report must finish within 2× the check's time). A measurement, not a test.

The archive (``tests/archive_gen.py``, the one the report's tests use): ``--conversations``
conversations (default 10,000) of six operators over four weeks, the chat ones in JSONL files
of about 500, the messenger ones as one WhatsApp export each, with the operators named in a
``chatlint.toml``. Each command runs as a subprocess (cold, as a user runs it) with the same
``--jobs``; check prints its findings to /dev/null, report writes the HTML (and, with
``--xlsx``, the workbook too). The best of ``--repeat`` runs counts.

Usage::

    python benchmarks/report.py [--conversations 10000] [--jobs 1] [--repeat 1] [--xlsx] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from archive_gen import write_archive  # noqa: E402


def _timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its workers): on a shared machine the CPU
    time is the steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "chatlint", *argv], cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"chatlint {argv[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conversations", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--xlsx", action="store_true", help="also time -o report.xlsx")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="chatlint-report-bench-") as tmp:
        archive = Path(tmp) / "archive"
        files = write_archive(archive, args.conversations, files=max(1, args.conversations // 750))
        jobs = ["--jobs", str(args.jobs)]
        times: dict[str, float] = {}
        cpu: dict[str, float] = {}
        runs = {
            "check": ["check", str(archive), *jobs],
            "report_html": ["report", str(archive), "-o", str(Path(tmp) / "report.html"), *jobs],
        }
        if args.xlsx:
            runs["report_xlsx"] = ["report", str(archive), "-o", str(Path(tmp) / "report.xlsx"), *jobs]
        for _ in range(max(1, args.repeat)):
            for name, argv in runs.items():
                took, used = _timed(argv)
                times[name] = min(times.get(name, took), took)
                cpu[name] = min(cpu.get(name, used), used)
        size = (Path(tmp) / "report.html").stat().st_size
    result = {
        "conversations": args.conversations, "files": len(files), "jobs": args.jobs,
        "seconds": {k: round(v, 2) for k, v in times.items()},
        "cpu_seconds": {k: round(v, 2) for k, v in cpu.items()},
        "ratio_html": round(times["report_html"] / times["check"], 2),
        "cpu_ratio_html": round(cpu["report_html"] / cpu["check"], 2),
        "html_mb": round(size / 1e6, 2),
    }
    if args.xlsx:
        result["ratio_xlsx"] = round(times["report_xlsx"] / times["check"], 2)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.conversations:,} conversations in {len(files)} files, --jobs {args.jobs}")
    for name, took in times.items():
        print(f"  chatlint {name.replace('_', ' -o .'):<18} {took:7.2f} s wall  {cpu[name]:7.2f} s CPU")
    mark = "PASS" if result["ratio_html"] <= 2 else "FAIL"
    print(f"  report/check: {result['ratio_html']:.2f}× wall, {result['cpu_ratio_html']:.2f}× CPU (target ≤ 2×) "
          f"{mark}; report.html {result['html_mb']} MB")
    if args.xlsx:
        print(f"  report.xlsx/check: {result['ratio_xlsx']:.2f}×")


if __name__ == "__main__":
    main()
