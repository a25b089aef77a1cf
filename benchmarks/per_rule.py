"""Where the per-message time goes: the Document's parts and each default rule, in ms per
message over the benchmark corpus (warm caches). A measurement, not a test.

    python benchmarks/per_rule.py [--n 1200]

Each rule is timed on a document whose words, blocks and smileys are already parsed, so its
figure is the rule's own work plus any shared derived set it is the first to need
(vocabulary, lemma set).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import razdel  # noqa: E402
from corpus import build_corpus  # noqa: E402

from chatlint import lint_message  # noqa: E402
from chatlint.config import default_config  # noqa: E402
from chatlint.document import Document  # noqa: E402


def per_message_ms(fn, msgs) -> float:
    start = time.perf_counter()
    for m in msgs:
        fn(m)
    return (time.perf_counter() - start) / len(msgs) * 1e3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1200)
    args = ap.parse_args()
    msgs = build_corpus(args.n)
    for m in msgs:
        lint_message(m)
    rows = [
        ("razdel floor", lambda m: (list(razdel.tokenize(m)), list(razdel.sentenize(m)))),
        ("Document.words", lambda m: Document(m).words),
        ("Document.blocks (+words, sentences)", lambda m: Document(m).blocks),
        ("Document.smileys", lambda m: Document(m).smileys),
        ("lint_message (all default rules)", lambda m: lint_message(m)),
    ]
    for name, fn in rows:
        print(f"{name:40s} {per_message_ms(fn, msgs):.3f} ms")
    plan = default_config().plan("chat")
    timings = []
    for item in plan.rules:
        if item.rule.scope != "message":
            continue  # dialogue rules read a whole conversation: benchmarks/transcripts.py
        total = 0.0
        for m in msgs:
            d = Document(m)
            d.words, d.blocks, d.smileys  # noqa: B018
            t0 = time.perf_counter()
            list(item.rule.check(d, item.ctx))
            total += time.perf_counter() - t0
        timings.append((total / len(msgs) * 1e3, item.rule.code, item.rule.name))
    print("\nper rule (ms per message, slowest first):")
    for ms, code, name in sorted(timings, reverse=True):
        print(f"  {code} {name:28s} {ms:.3f}")


if __name__ == "__main__":
    main()
