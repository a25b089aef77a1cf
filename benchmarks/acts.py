"""Speech-act recognition on the labelled corpus: precision and recall per act (a
measurement; ``tests/test_acts.py`` keeps the same figures from regressing).

The corpus is ``tests/data/acts/<act>.tsv``, one message a line: ``label<TAB>text``, where
the label is 1 when the message performs the act and 0 for a near-miss that must not count
(«Здорово, что заказ нашёлся!» is no greeting). A literal ``\\n`` in a text is a line break.

Usage::

    python benchmarks/acts.py [--errors] [--act greeting] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "tests" / "data" / "acts"


def load(path: Path) -> list[tuple[int, str, int]]:
    """(label, text, line number) of one corpus file."""
    out = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        label, sep, text = raw.partition("\t")
        if not sep or label not in ("0", "1"):
            raise SystemExit(f"{path}:{n}: expected «0|1<TAB>text», got {raw[:40]!r}")
        out.append((int(label), text.replace("\\n", "\n"), n))
    return out


def measure(act: str, rows: list[tuple[int, str, int]]) -> dict:
    from chatlint.acts import has_act
    from chatlint.document import Document

    tp = fp = fn = tn = 0
    errors = []
    for label, text, n in rows:
        got = has_act(Document(text), act)
        if got and label:
            tp += 1
        elif got:
            fp += 1
            errors.append(("false positive", n, text))
        elif label:
            fn += 1
            errors.append(("missed", n, text))
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "act": act, "positives": tp + fn, "near_misses": fp + tn, "tp": tp, "fp": fp, "fn": fn,
        "precision": round(precision, 4), "recall": round(recall, 4), "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--act", help="one act only (the file name without .tsv)")
    ap.add_argument("--errors", action="store_true", help="list every misrecognised message")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    files = sorted(CORPUS.glob("*.tsv"))
    if args.act:
        files = [f for f in files if f.stem == args.act]
    results = [measure(f.stem, load(f)) for f in files]
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if k != "errors"} for r in results], indent=2))
        return 0
    print(f"{'act':20} {'pos':>5} {'near':>5} {'precision':>10} {'recall':>8}")
    for r in results:
        flag = "" if r["precision"] >= 0.95 and r["recall"] >= 0.95 else "   < 0.95"
        print(f"{r['act']:20} {r['positives']:5} {r['near_misses']:5} {r['precision']:10.3f} {r['recall']:8.3f}{flag}")
        if args.errors:
            for kind, n, text in r["errors"]:
                print(f"    {kind:15} line {n}: {text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
