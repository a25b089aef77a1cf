"""``chatlint check --dask`` on a generated archive: messages a second per worker and the
scaling from 1 to 2 workers (issue 18: the 1-million-message run completes on a 2-worker
LocalCluster, 2 workers at least ×1.7 faster than 1).

The archive: ``tests/archive_gen.py``'s conversations (the report's: six operators of varying
quality, clients' questions, greetings, answers with slips, farewells, times), about 4.7
messages each, written as ``--partitions`` JSONL (or ``--parquet``) partitions into a temporary
directory (or ``--keep DIR``). Each worker count runs :func:`chatlint.dask.run` on a fresh
``LocalCluster`` (single-threaded worker processes), timed from before the cluster starts to
the last row group written, and the findings files are compared (the same rows whatever the
number of workers). "busy" is the sum of the partitions' own times on the workers: messages/s
per worker by it leaves out the cluster's start and the workers' first load of the
dictionaries.

    python benchmarks/dask_archive.py                          # 1,000,000 messages, 1 and 2 workers
    python benchmarks/dask_archive.py --messages 100000 --workers 2 --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from archive_gen import conversation  # noqa: E402


def write_archive(root: Path, messages: int, partitions: int, parquet: bool, seed: int = 18) -> int:
    """About ``messages`` messages (whole conversations) in ``partitions`` partitions; returns
    the number of messages written."""
    rng = random.Random(seed)
    base = datetime(2026, 11, 2, 9, 0)
    per = -(-messages // partitions)
    written = 0
    k = 0
    for p in range(partitions):
        rows: list[dict] = []
        while len(rows) < per and written + len(rows) < messages:
            rows.extend(conversation(rng, k, base + timedelta(days=rng.randrange(28), minutes=rng.randrange(600))))
            k += 1
        if not rows:
            break
        written += len(rows)
        if parquet:
            import pyarrow as pa
            import pyarrow.parquet as pq

            cols = {c: [r[c] for r in rows] for c in ("conversation_id", "role", "author", "text", "channel")}
            cols["time"] = pa.array([datetime.fromisoformat(r["time"]) for r in rows], pa.timestamp("s"))
            pq.write_table(pa.table(cols), root / f"part-{p:04d}.parquet")
        else:
            with open(root / f"part-{p:04d}.jsonl", "w", encoding="utf-8") as fh:
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--partitions", type=int, default=0, help="default: one per 10,000 messages (at least 8)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--parquet", action="store_true", help="Parquet partitions instead of JSONL")
    ap.add_argument("--keep", metavar="DIR", help="write the archive and findings here and keep them")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    try:
        from chatlint.dask import DaskError, _require, read_findings, run
        _require()
    except Exception as exc:  # DaskError: the extra is missing
        print(f"dask_archive: skipped: {exc}")
        return 0

    parts = args.partitions or max(8, args.messages // 10_000)
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="chatlint-dask-"))
    root.mkdir(parents=True, exist_ok=True)
    archive = root / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    archive.mkdir()
    t0 = time.perf_counter()
    n = write_archive(archive, args.messages, parts, args.parquet)
    gen = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in archive.iterdir())
    result = {
        "messages": n, "partitions": parts, "format": "parquet" if args.parquet else "jsonl",
        "archive_mb": round(size / 1e6, 1), "generated_s": round(gen, 1), "cpus": os.cpu_count(), "runs": [],
    }
    if not args.json:
        print(f"archive: {n:,} messages in {parts} {result['format']} partitions, {size / 1e6:.0f} MB "
              f"(generated in {gen:.0f} s), {os.cpu_count()} CPUs")
    first_rows = None
    try:
        for w in args.workers:
            busy = [0.0]

            def progress(r, busy=busy):
                busy[0] += r.seconds

            out = root / f"findings-{w}.parquet"
            try:
                res = run([archive], f"local:{w}", out, progress=progress)
            except DaskError as exc:
                print(f"dask_archive: {exc}")
                return 2
            rows = read_findings(out) if n <= 200_000 else None
            same = None
            if rows is not None:
                if first_rows is None:
                    first_rows = rows
                else:
                    same = rows == first_rows
            run_ = {
                "workers": w, "wall_s": round(res.seconds, 1), "busy_s": round(busy[0], 1),
                "messages_per_s": round(n / res.seconds), "messages_per_s_per_worker": round(n / res.seconds / w),
                "messages_per_busy_s": round(n / busy[0]) if busy[0] else None,
                "findings": res.findings, "conversations": res.conversations, "same_findings_as_first": same,
            }
            result["runs"].append(run_)
            if not args.json:
                print(f"{w} worker{'s' * (w != 1)}: {res.seconds:7.1f} s wall, {n / res.seconds:8,.0f} messages/s, "
                      f"{n / res.seconds / w:8,.0f} per worker ({n / busy[0]:,.0f} per busy worker-second); "
                      f"{res.findings:,} findings in {res.conversations:,} conversations"
                      + ("" if same is None else f"; findings identical to the first run: {same}"))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    runs = result["runs"]
    if len(runs) > 1:
        base = runs[0]
        for r in runs[1:]:
            r["speedup"] = round(base["wall_s"] / r["wall_s"], 2)
            if not args.json:
                print(f"scaling {base['workers']} → {r['workers']} workers: ×{r['speedup']:.2f} (wall)")
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
