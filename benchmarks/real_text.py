"""Precision on real operator text: a measurement, not a test.

Reads the development set in ``../shared/realdev/`` (real replies written by support staff,
judged finding by finding; see its README), lints every message the way the judgements were
made::

    lint_message(text, channel=channel, first=position in {first, only},
                 last=position in {last, only})

and prints:

* false alarms per 100 messages (findings judged FALSE that are still raised), with and
  without P001 (the spelling rule has an issue of its own);
* the share of TRUE findings still raised;
* a table per code: raised, TRUE kept / TRUE judged, FALSE still raised, DEBATABLE, new;
* every finding no judgement covers ("new"), with its text, so a person can judge it.

A finding matches a judgement by (id, code, start, end), else by (id, code, span text).
The texts are never copied into the project: they are read at run time, and where the
folder is absent the script says so and exits 0.

Usage::

    python benchmarks/real_text.py [--dir ../shared/realdev] [--json] [--quiet] [--code S002]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DIR = ROOT.parent / "shared" / "realdev"
EXCLUDED = ("P001",)  # measured, but judged in its own issue
# Codes that took over part of an older code's findings: a judgement of the older code also
# judges the newer code's finding on the same span («Здраствуйте» was P001's, is P004's).
SUCCESSORS = {"P004": "P001"}


def _load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _show(s: str, width: int = 90) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= width else s[: width - 1] + "…"


def measure(folder: Path, codes: set[str] | None = None) -> dict:
    from chatlint import lint_message

    messages = _load(folder / "messages.jsonl")
    judgements = _load(folder / "judgements.jsonl")
    by_pos: dict[tuple, dict] = {}
    by_text: dict[tuple, list[dict]] = defaultdict(list)
    true_total: Counter[str] = Counter()
    for j in judgements:
        if j["verdict"] == "MISS":
            continue
        by_pos[(j["id"], j["code"], j.get("start"), j.get("end"))] = j
        by_text[(j["id"], j["code"], j.get("span_text"))].append(j)
        if j["verdict"] == "TRUE":
            true_total[j["code"]] += 1

    raised: Counter[str] = Counter()
    verdicts: dict[str, Counter[str]] = defaultdict(Counter)
    new: list[dict] = []
    for m in messages:
        pos = m.get("position", "unknown")
        findings = lint_message(
            m["text"], channel=m.get("channel", "chat"), first=pos in ("first", "only"), last=pos in ("last", "only")
        )
        used: set[int] = set()
        for f in findings:
            if codes and f.code not in codes:
                continue
            raised[f.code] += 1
            span = m["text"][f.start : f.end]
            j = None
            for code in filter(None, (f.code, SUCCESSORS.get(f.code))):
                j = by_pos.get((m["id"], code, f.start, f.end))
                if j is None or id(j) in used:
                    j = next((c for c in by_text.get((m["id"], code, span), ()) if id(c) not in used), None)
                if j is not None:
                    break
            if j is None:
                verdicts[f.code]["NEW"] += 1
                new.append({"id": m["id"], "code": f.code, "start": f.start, "end": f.end, "span": span,
                            "message": f.message})
                continue
            used.add(id(j))
            verdicts[f.code][j["verdict"]] += 1

    n = len(messages)
    false_all = sum(v["FALSE"] for v in verdicts.values())
    false_ex = sum(v["FALSE"] for c, v in verdicts.items() if c not in EXCLUDED)
    true_kept = sum(v["TRUE"] for v in verdicts.values())
    true_all = sum(c for code, c in true_total.items() if not codes or code in codes)
    return {
        "messages": n,
        "findings": sum(raised.values()),
        "false": false_all,
        "false_per_100": 100 * false_all / n if n else 0.0,
        "false_excluding": false_ex,
        "false_per_100_excluding": 100 * false_ex / n if n else 0.0,
        "excluded": list(EXCLUDED),
        "true_kept": true_kept,
        "true_total": true_all,
        "true_kept_share": true_kept / true_all if true_all else 1.0,
        "per_code": {
            c: {"raised": raised[c], "true": verdicts[c]["TRUE"], "true_total": true_total[c],
                "false": verdicts[c]["FALSE"], "debatable": verdicts[c]["DEBATABLE"], "new": verdicts[c]["NEW"]}
            for c in sorted(set(raised) | set(true_total)) if not codes or c in codes
        },
        "new": new,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the realdev folder (default: %(default)s)")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--quiet", action="store_true", help="leave out the list of unjudged findings")
    ap.add_argument("--code", action="append", help="only these codes (repeatable)")
    args = ap.parse_args(argv)
    folder: Path = args.dir
    if not (folder / "messages.jsonl").is_file() or not (folder / "judgements.jsonl").is_file():
        print(f"real_text: no development set at {folder} (messages.jsonl, judgements.jsonl); nothing measured")
        return 0
    r = measure(folder, set(args.code) if args.code else None)
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=1))
        return 0
    print(f"{'code':<6} {'raised':>6} {'TRUE kept':>10} {'FALSE':>6} {'DEBAT.':>6} {'new':>5}")
    for code, c in r["per_code"].items():
        print(f"{code:<6} {c['raised']:>6} {c['true']:>4} / {c['true_total']:<4} {c['false']:>6} "
              f"{c['debatable']:>6} {c['new']:>5}")
    if not args.quiet and r["new"]:
        print(f"\nFindings no judgement covers ({len(r['new'])}): judge each by hand")
        for f in r["new"]:
            print(f"  {f['id']} {f['code']} [{f['start']}:{f['end']}] «{_show(f['span'], 50)}» — {_show(f['message'])}")
    print(f"\nmessages {r['messages']}, findings {r['findings']}, unjudged {len(r['new'])}")
    print(f"TRUE findings kept: {r['true_kept']} of {r['true_total']} ({100 * r['true_kept_share']:.1f}%)")
    print(f"false alarms per 100 messages: {r['false_per_100_excluding']:.1f} without "
          f"{', '.join(r['excluded'])} ({r['false_excluding']}); {r['false_per_100']:.1f} with all ({r['false']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
