"""The CLI against its peers, whole process, on the same generated files (issue 18: on 2,000
message files chatlint at least 5× faster than proselint and 8× faster than textlint).

The files: ``--files`` operator messages of ``benchmarks/corpus.py`` (300–600 characters each),
one ``.txt`` file each, in a temporary directory. Each tool runs with its default options,
cold (a new process; after one untimed run that writes bytecode and brings the files into the
OS cache, for every tool alike), as a subprocess over all the files at once, ``--runs`` times;
the median wall time is reported and the ratios to chatlint's.

- chatlint: ``python -m chatlint check DIR`` (this checkout's, as installed);
- proselint: installed by pip into ``CACHE/proselint`` (``pip install --target``), run as
  ``python -m proselint check FILES``;
- textlint: installed by npm into ``CACHE/textlint`` with three rules that apply to any
  language (``sentence-length``, ``max-comma``, ``no-exclamation-question-mark``), run as
  ``textlint --rule … FILES``.

``CACHE`` is ``--cache`` (default ``~/.cache/chatlint-peers``): the peers are installed there
once, from the registries, so the ratio is reproducible. A peer that cannot be installed
(no npm, no network) is skipped with a line saying why.

    python benchmarks/cli_peers.py                     # 2,000 files, 3 runs
    python benchmarks/cli_peers.py --files 500 --runs 5 --json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import build_corpus  # noqa: E402

TEXTLINT_RULES = ("sentence-length", "max-comma", "no-exclamation-question-mark")
TEXTLINT_PACKAGES = ("textlint@15", *(f"textlint-rule-{r}" for r in TEXTLINT_RULES))


def install_proselint(cache: Path) -> tuple[list[str] | None, str]:
    """The command prefix that runs proselint, or None and why not."""
    target = cache / "proselint"
    if not (target / "proselint").is_dir():
        r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), "proselint"],
                           capture_output=True, text=True)
        if r.returncode != 0 or not (target / "proselint").is_dir():
            shutil.rmtree(target, ignore_errors=True)
            return None, "pip install --target could not install proselint: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    env_prefix = ["env", f"PYTHONPATH={target}", sys.executable, "-m", "proselint"]
    r = subprocess.run([*env_prefix, "version"], capture_output=True, text=True)
    return env_prefix + ["check"], r.stdout.strip() or r.stderr.strip()


def install_textlint(cache: Path) -> tuple[list[str] | None, str]:
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm not found"
    prefix = cache / "textlint"
    binary = prefix / "node_modules" / ".bin" / "textlint"
    if not binary.exists():
        prefix.mkdir(parents=True, exist_ok=True)
        r = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix),
                            *TEXTLINT_PACKAGES], capture_output=True, text=True)
        if r.returncode != 0 or not binary.exists():
            return None, "npm install could not install textlint: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    r = subprocess.run([str(binary), "--version"], capture_output=True, text=True, cwd=prefix)
    cmd = [str(binary)]
    for rule in TEXTLINT_RULES:
        cmd += ["--rule", rule]
    return cmd, r.stdout.strip()


def _env() -> dict[str, str]:
    """The environment the tools run in: bytecode is written and read, as an installed package
    has it (a shell that sets PYTHONDONTWRITEBYTECODE would otherwise time a Python tool
    compiling its own source on every run)."""
    env = os.environ.copy()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(cmd: list[str], runs: int, cwd: Path) -> tuple[float, list[float], int]:
    """The median wall time of ``runs`` runs of ``cmd``, after one untimed run (bytecode written,
    the files in the OS cache, for every tool alike: "cold" is a new process, not a machine that
    has never seen the files)."""
    env = _env()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    times = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        times.append(time.perf_counter() - start)
        code = r.returncode
        if r.returncode not in (0, 1):
            raise RuntimeError(f"{cmd[0]} exited {r.returncode}: {r.stderr.strip()[-300:]}")
    return statistics.median(times), times, code


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "chatlint-peers"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)

    work = Path(tempfile.mkdtemp(prefix="chatlint-peers-"))
    try:
        files_dir = work / "messages"
        files_dir.mkdir()
        texts = build_corpus(args.files)
        names = []
        for i, t in enumerate(texts):
            p = files_dir / f"m{i:05d}.txt"
            p.write_text(t, encoding="utf-8")
            names.append(str(p))
        tools: list[tuple[str, list[str] | None, str]] = [
            ("chatlint", [sys.executable, "-m", "chatlint", "check", str(files_dir)], "this checkout"),
        ]
        cmd, note = install_proselint(cache)
        tools.append(("proselint", cmd + names if cmd else None, note))
        cmd, note = install_textlint(cache)
        tools.append(("textlint (3 rules)", cmd + names if cmd else None, note))

        result = {"files": len(texts), "runs": args.runs, "cpus": os.cpu_count(), "tools": {}}
        if not args.json:
            print(f"{len(texts)} message files ({sum(map(len, texts)) / len(texts):.0f} characters on average), "
                  f"median of {args.runs} runs after one untimed run each, whole process, {os.cpu_count()} CPUs")
        base = None
        for name, cmd, note in tools:
            if cmd is None:
                result["tools"][name] = {"skipped": note}
                if not args.json:
                    print(f"  {name:20s} skipped: {note}")
                continue
            cwd = cache / "textlint" if name.startswith("textlint") else work
            med, times, code = timed(cmd, args.runs, cwd)
            if base is None:
                base = med
            result["tools"][name] = {"version": note, "median_s": round(med, 3), "runs_s": [round(t, 3) for t in times],
                                     "ratio_to_chatlint": round(med / base, 2), "exit": code}
            if not args.json:
                print(f"  {name:20s} {med:7.2f} s  (×{med / base:.2f} chatlint's)   [{note}]")
        if args.json:
            print(json.dumps(result, indent=2, ensure_ascii=False))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
