"""chatlint performance benchmark (SPEC §8): measurements, not tests.

In one process, side by side over the same synthetic corpus
(``benchmarks/corpus.py``):

* the razdel floor: ``list(razdel.tokenize(t)); list(razdel.sentenize(t))``;
* the whole default lint: ``chatlint.lint_message(t, channel="chat")``, after a
  warm-up pass over the corpus (caches and morphology warm).

Per-message latency is taken with ``time.perf_counter_ns`` with the garbage
collector disabled; floor and lint rounds alternate ``--repeat`` times and the
best round (lowest total) of each is reported.  It also measures the cold start
of ``python -m chatlint check one.txt`` in a subprocess.

Usage::

    python benchmarks/bench.py [--n 1200] [--repeat 3] [--json] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib.util
import io
import json
import math
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import razdel  # noqa: E402
from corpus import build_corpus  # noqa: E402

TARGET_RATIO = 2.0          # lint total time / floor total time, same texts, same process
TARGET_P50_MS = 1.2         # lint p50 per message, warm
TARGET_P99_MS = 5.0         # lint p99 per message, warm
TARGET_COLD_S = 0.5         # `chatlint check one.txt` wall time, fresh process
TARGET_LONG_MPS = 900       # messages/s of ~600 characters on one core (transcript target, approximated)
LONG_CHARS = 550            # "~600 characters" subset for the throughput approximation


# ---------------------------------------------------------------------------
# measurement helpers
# ---------------------------------------------------------------------------


def floor_one(text: str) -> None:
    list(razdel.tokenize(text))
    list(razdel.sentenize(text))


def own_segmentation():
    """chatlint's own tokens and sentences (``chatlint.segment``: the same output as razdel's,
    from razdel's patterns and rules without its per-boundary objects), timed beside the floor
    so that the ratio is read knowing how much of the floor chatlint itself spends."""
    try:
        from chatlint.segment import sentenize, tokenize
    except ImportError:
        return None

    def one(text: str) -> None:
        tokenize(text)
        sentenize(text)

    return one


def time_round(fn, texts: list[str]) -> list[int]:
    """Per-message wall time in ns for one pass over ``texts``, gc disabled."""
    clock = time.perf_counter_ns
    out = [0] * len(texts)
    gc.collect()
    gc.disable()
    try:
        for i, text in enumerate(texts):
            t0 = clock()
            fn(text)
            out[i] = clock() - t0
    finally:
        gc.enable()
    return out


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    k = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[k - 1]


def summarize(samples_ns: list[int]) -> dict:
    ms = sorted(x / 1e6 for x in samples_ns)
    total_s = sum(samples_ns) / 1e9
    return {
        "messages": len(samples_ns),
        "total_s": total_s,
        "msgs_per_s": len(samples_ns) / total_s if total_s else float("inf"),
        "mean_ms": statistics.fmean(ms),
        "p50_ms": percentile(ms, 50),
        "p90_ms": percentile(ms, 90),
        "p99_ms": percentile(ms, 99),
        "max_ms": ms[-1],
    }


def subset_rate(samples_ns: list[int], mask: list[bool]) -> dict:
    chosen = [s for s, m in zip(samples_ns, mask, strict=True) if m]
    if not chosen:
        return {"messages": 0, "msgs_per_s": None, "p50_ms": None}
    total = sum(chosen) / 1e9
    return {"messages": len(chosen), "msgs_per_s": len(chosen) / total,
            "p50_ms": percentile(sorted(x / 1e6 for x in chosen), 50)}


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def try_import_chatlint():
    """Return (lint_message, version, None) or (None, None, reason)."""
    try:
        import chatlint
        from chatlint import lint_message
    except Exception as exc:  # noqa: BLE001 - any failure means "not available yet"
        return None, None, f"{type(exc).__name__}: {exc}"
    version = getattr(chatlint, "__version__", None)
    if version is None:
        try:
            from importlib.metadata import version as _v
            version = _v("chatlint-ru")
        except Exception:  # noqa: BLE001
            version = "unknown"
    return lint_message, version, None


def check_lint_runs(lint, texts: list[str]) -> tuple[list[int], list[str]]:
    """Warm-up pass: returns indices that lint without raising, and error summaries."""
    ok, errors = [], []
    for i, text in enumerate(texts):
        try:
            lint(text)
        except Exception as exc:  # noqa: BLE001
            if len(errors) < 5:
                errors.append(f"message {i}: {type(exc).__name__}: {exc}")
            continue
        ok.append(i)
    return ok, errors


def run_cmd_median(cmd: list[str], runs: int, cwd: str, env: dict) -> dict:
    walls, rcs, stderr = [], [], ""
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
        walls.append(time.perf_counter() - t0)
        rcs.append(proc.returncode)
        if proc.stderr and not stderr:
            stderr = proc.stderr
    return {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
            "runs": runs, "exit_codes": sorted(set(rcs)), "stderr": stderr}


def cold_start(text: str, runs: int) -> dict:
    """Time `python -m chatlint check one.txt` in fresh processes (plus `python -c pass` for reference)."""
    result: dict = {"command": "python -m chatlint check one.txt", "error": None}
    if importlib.util.find_spec("chatlint.__main__") is None:
        result["error"] = "chatlint has no __main__ module yet (python -m chatlint is not runnable)"
        return result
    env = os.environ.copy()
    # an installed wheel has its bytecode compiled (pip writes it); without this, a shell that
    # sets PYTHONDONTWRITEBYTECODE would time Python compiling chatlint's source every run
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with tempfile.TemporaryDirectory(prefix="chatlint-bench-") as tmp:
        path = os.path.join(tmp, "one.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        cmd = [sys.executable, "-m", "chatlint", "check", path]
        # one untimed run to write .pyc files and warm the OS file cache: "cold" means a new
        # process, not a machine that has never seen the files
        subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, timeout=120)
        res = run_cmd_median(cmd, runs, tmp, env)
        base = run_cmd_median([sys.executable, "-c", "pass"], runs, tmp, env)
        imp = run_cmd_median([sys.executable, "-c", "import chatlint"], runs, tmp, env)
        # `import chatlint` loads nothing until a name is used (PEP 562): what a lint needs
        # imported (the engine, the rules, pydantic; not the morphology dictionary) is this
        imp_lint = run_cmd_median([sys.executable, "-c", "from chatlint import lint_message"], runs, tmp, env)
    result.update(median_s=res["median_s"], min_s=res["min_s"], max_s=res["max_s"], runs=runs,
                  exit_codes=res["exit_codes"], python_startup_median_s=base["median_s"],
                  import_chatlint_median_s=imp["median_s"], import_lint_median_s=imp_lint["median_s"])
    bad = [rc for rc in res["exit_codes"] if rc not in (0, 1)]
    first_err = next((ln for ln in reversed(res["stderr"].strip().splitlines()) if ln.strip()), "")
    if bad:
        result["error"] = f"exit code {bad[0]}" + (f": {first_err}" if first_err else "")
    elif "Traceback (most recent call last)" in res["stderr"]:
        result["error"] = f"traceback on stderr: {first_err}"
    return result


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------


PATHOLOGICAL = [
    ("(a+)+$", "a" * 9_999 + "b"),
    ("(\\w+\\s?)*!$", "слово " * 1_666 + "?"),
    ("(x+x+)+y", "x" * 10_000),
    ("(.*a){20}", "a" * 10_000),
]


def pathological_patterns(runs: int = 20) -> list[dict]:
    """lint_message on a 10,000-character message with a catastrophic-backtracking pattern
    in a rule pack (each pattern its own pack rule). With Python's re some of these would
    run for years; the pack's RE2 engine matches in linear time."""
    import tempfile

    from chatlint import Config, lint_message

    out = []
    with tempfile.TemporaryDirectory() as d:
        for k, (pattern, text) in enumerate(PATHOLOGICAL):
            path = os.path.join(d, f"p{k}.toml")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write('[pack]\nname = "bench"\nprefix = "X"\n[[rules]]\ncode = "X001"\nname = "p"\n'
                         f'type = "pattern"\nmessage = "m"\npattern = {json.dumps(pattern)}\n')
            pack_only = Config(rule_packs=[path], select=["X001"])
            everything = Config(rule_packs=[path])
            row = {"pattern": pattern, "chars": len(text)}
            for name, cfg in (("pack_rule_ms", pack_only), ("all_rules_ms", everything)):
                lint_message(text, config=cfg)
                samples = []
                for _ in range(runs):
                    t0 = time.perf_counter_ns()
                    lint_message(text, config=cfg)
                    samples.append((time.perf_counter_ns() - t0) / 1e6)
                row[name] = statistics.median(samples)
            out.append(row)
    return out


def verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("PASS" if ok else "FAIL")


def fmt(v, spec: str = ".3f") -> str:
    return "—" if v is None else format(v, spec)


def print_report(r: dict) -> None:
    env, corp = r["environment"], r["corpus"]
    print("chatlint benchmark (SPEC §8) — measurements, not tests")
    print(f"Python {env['python']} ({env['implementation']}) on {env['platform']}")
    print(f"CPU: {env['cpu']} ({env['cpu_count']} logical); razdel {env['razdel']}; "
          f"chatlint {env['chatlint'] or 'not importable'}")
    print(f"corpus: {corp['messages']} messages (seed {corp['seed']}), length min/median/max "
          f"{corp['min_chars']}/{corp['median_chars']}/{corp['max_chars']} chars; "
          f"{r['repeat']} alternating rounds, best round of each; gc disabled in timed loops")
    if r["lint_unavailable"]:
        print(f"\n!! chatlint could not be imported ({r['lint_unavailable']});"
              " reporting the razdel floor only.")
    for e in r["lint_errors"]:
        print(f"!! lint_message raised on {e}")
    if r["lint_errors"]:
        print(f"!! {r['excluded_messages']} message(s) excluded from both floor and lint timings")

    print()
    print(f"{'':26}{'msgs/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}{'mean ms':>9}{'total s':>9}")
    rows = [("razdel floor", r["floor"])]
    if r.get("segmentation"):
        rows.append(("  chatlint's segmentation", r["segmentation"]))
    if r["lint"]:
        rows.append(("chatlint lint_message", r["lint"]))
    for name, s in rows:
        print(f"{name:26}{s['msgs_per_s']:>9.0f}{s['p50_ms']:>9.3f}{s['p90_ms']:>9.3f}{s['p99_ms']:>9.3f}"
              f"{s['max_ms']:>9.3f}{s['mean_ms']:>9.3f}{s['total_s']:>9.3f}")
    lf = r["long_subset"]
    print(f"\nmessages ≥ {LONG_CHARS} chars ({lf['floor']['messages']}): floor p50 "
          f"{fmt(lf['floor']['p50_ms'])} ms (SPEC's reference: ~0.55 ms at 600 chars), "
          f"{fmt(lf['floor']['msgs_per_s'], '.0f')} msgs/s"
          + (f"; lint p50 {fmt(lf['lint']['p50_ms'])} ms, {fmt(lf['lint']['msgs_per_s'], '.0f')} msgs/s"
             if lf.get("lint") else ""))
    if r.get("segmentation") and r["lint"]:
        seg, fl, li = r["segmentation"]["total_s"], r["floor"]["total_s"], r["lint"]["total_s"]
        print(f"\nchatlint's own tokens and sentences (the same as razdel's) take {seg / fl:.2f}× the floor's "
              f"time; everything else in lint_message (layout, smileys, morphology, rules, findings) "
              f"takes {(li - seg) / fl:.2f}× the floor")
    if r["ratio"]:
        ra = r["ratio"]
        print(f"ratio lint/floor: total time {ra['total']:.2f}×, p50 {ra['p50']:.2f}×, "
              f"median per-message {ra['median_per_message']:.2f}×")

    print("\nSPEC §8 targets")
    for t in r["targets"]:
        print(f"  {t['name']:<58}{t['value_text']:>12}   {verdict(t['pass'])}")
    if r.get("pathological"):
        print("\npathological patterns in a rule pack (RE2), one 10,000-character message, median of 20:")
        for row in r["pathological"]:
            print(f"  {row['pattern']:<16} pack rule alone {row['pack_rule_ms']:8.3f} ms;"
                  f" with every default rule {row['all_rules_ms']:8.3f} ms")
    cs = r["cold_start"]
    if cs and cs.get("median_s") is not None:
        print(f"  (cold start: min {cs['min_s']:.3f} s, max {cs['max_s']:.3f} s over {cs['runs']} runs, "
              f"exit codes {cs['exit_codes']}; `python -c pass` {cs['python_startup_median_s']:.3f} s, "
              f"`python -c 'import chatlint'` {cs['import_chatlint_median_s']:.3f} s, "
              f"`python -c 'from chatlint import lint_message'` {cs['import_lint_median_s']:.3f} s)")
    if cs and cs.get("error"):
        print(f"  !! cold start: {cs['error']}")


def build_targets(r: dict) -> list[dict]:
    lint, ratio, cs, lf = r["lint"], r["ratio"], r["cold_start"], r["long_subset"]
    out = []

    def add(name, value, target_ok, unit_fmt):
        out.append({"name": name, "value": value, "pass": None if value is None else target_ok(value),
                    "value_text": "—" if value is None else unit_fmt(value)})

    add(f"lint/floor total-time ratio ≤ {TARGET_RATIO}", ratio["total"] if ratio else None,
        lambda v: v <= TARGET_RATIO, lambda v: f"{v:.2f}×")
    add(f"lint p50 per message < {TARGET_P50_MS} ms", lint["p50_ms"] if lint else None,
        lambda v: v < TARGET_P50_MS, lambda v: f"{v:.3f} ms")
    add(f"lint p99 per message < {TARGET_P99_MS} ms", lint["p99_ms"] if lint else None,
        lambda v: v < TARGET_P99_MS, lambda v: f"{v:.3f} ms")
    long_mps = lf["lint"]["msgs_per_s"] if lf.get("lint") else None
    add(f"lint ≥ {TARGET_LONG_MPS} msgs/s on ≥{LONG_CHARS}-char messages (approx.)", long_mps,
        lambda v: v >= TARGET_LONG_MPS, lambda v: f"{v:.0f}/s")
    cold = cs.get("median_s") if cs and not cs.get("error") else None
    add(f"cold `python -m chatlint check one.txt` median < {TARGET_COLD_S} s", cold,
        lambda v: v < TARGET_COLD_S, lambda v: f"{v:.3f} s")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1200, help="corpus size (default 1200)")
    ap.add_argument("--seed", type=int, default=2026, help="corpus seed (default 2026)")
    ap.add_argument("--repeat", type=int, default=3, help="alternating floor/lint rounds (default 3)")
    ap.add_argument("--cold-runs", type=int, default=5, help="timed cold-start runs (default 5; 0 skips)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--profile", action="store_true",
                    help="cProfile the lint loop; top 25 by cumulative time (to stderr with --json)")
    args = ap.parse_args(argv)
    if args.n < 1 or args.repeat < 1:
        ap.error("--n and --repeat must be at least 1")

    texts = build_corpus(args.n, args.seed)
    lengths = [len(t) for t in texts]
    lint, chatlint_version, unavailable = try_import_chatlint()

    lint_errors: list[str] = []
    keep = list(range(len(texts)))
    if lint is not None:
        keep, lint_errors = check_lint_runs(lint, texts)    # also the lint warm-up pass
        if not keep:
            unavailable = "lint_message raised on every message"
            lint = None
    texts_t = [texts[i] for i in keep]

    def lint_one(text: str) -> None:
        lint(text, channel="chat")

    for t in texts_t:                                       # floor warm-up pass
        floor_one(t)
    if lint is not None:
        for t in texts_t:                                   # second lint warm-up, on the timed set
            lint_one(t)

    segment_one = own_segmentation()
    floor_rounds, lint_rounds, segment_rounds = [], [], []
    for _ in range(args.repeat):
        floor_rounds.append(time_round(floor_one, texts_t))
        if lint is not None:
            lint_rounds.append(time_round(lint_one, texts_t))
        if segment_one is not None:
            segment_rounds.append(time_round(segment_one, texts_t))
    best_floor = min(floor_rounds, key=sum)
    best_lint = min(lint_rounds, key=sum) if lint_rounds else None
    best_segment = min(segment_rounds, key=sum) if segment_rounds else None

    floor_s = summarize(best_floor)
    lint_s = summarize(best_lint) if best_lint else None
    long_mask = [len(t) >= LONG_CHARS for t in texts_t]
    long_subset = {"floor": subset_rate(best_floor, long_mask)}
    if best_lint:
        long_subset["lint"] = subset_rate(best_lint, long_mask)
    ratio = None
    if lint_s:
        per_msg = [b / a for a, b in zip(best_floor, best_lint, strict=True) if a]
        ratio = {"total": lint_s["total_s"] / floor_s["total_s"], "p50": lint_s["p50_ms"] / floor_s["p50_ms"],
                 "median_per_message": statistics.median(per_msg)}

    cold = None
    if args.cold_runs > 0:
        if lint is None:
            cold = {"error": "skipped: chatlint is not importable"}
        else:
            median_text = sorted(texts, key=len)[len(texts) // 2]
            cold = cold_start(median_text, args.cold_runs)

    pathological = pathological_patterns() if lint is not None else None

    report = {
        "pathological": pathological,
        "environment": {
            "python": platform.python_version(), "implementation": platform.python_implementation(),
            "platform": platform.platform(), "cpu": cpu_model(), "cpu_count": os.cpu_count(),
            "razdel": getattr(razdel, "__version__", None) or _dist_version("razdel"),
            "chatlint": chatlint_version,
        },
        "corpus": {"messages": len(texts), "seed": args.seed, "timed_messages": len(texts_t),
                   "min_chars": min(lengths), "median_chars": int(statistics.median(lengths)),
                   "max_chars": max(lengths)},
        "repeat": args.repeat,
        "lint_unavailable": unavailable,
        "lint_errors": lint_errors,
        "excluded_messages": len(texts) - len(texts_t) if lint is not None else 0,
        "floor": floor_s,
        "lint": lint_s,
        "segmentation": summarize(best_segment) if best_segment else None,
        "long_subset": long_subset,
        "ratio": ratio,
        "cold_start": cold,
    }
    report["targets"] = build_targets(report)

    if args.json:
        out = dict(report)
        if out["cold_start"]:
            out["cold_start"] = {k: v for k, v in out["cold_start"].items() if k != "stderr"}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print_report(report)

    if args.profile:
        stream = sys.stderr if args.json else sys.stdout
        if lint is None:
            print("\n--profile: chatlint is not importable, nothing to profile", file=stream)
        else:
            prof = cProfile.Profile()
            prof.enable()
            for t in texts_t:
                lint_one(t)
            prof.disable()
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
            print(f"\ncProfile of one lint pass over {len(texts_t)} messages (top 25 by cumulative time):",
                  file=stream)
            print(buf.getvalue(), file=stream)
    return 0


def _dist_version(name: str) -> str | None:
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:  # noqa: BLE001
        return None


if __name__ == "__main__":
    sys.exit(main())
