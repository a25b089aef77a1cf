"""Where the per-message time goes: the Document's parts and each default rule, in ms per
message over the benchmark corpus (warm caches). A measurement, not a test.

    python benchmarks/per_rule.py [--n 1200] [--channel chat]

Each rule is timed on a document whose words, blocks and smileys are already parsed, so its
figure is the rule's own work plus any shared derived set it is the first to need
(vocabulary, lemma set). Then the rules in sequence on one document, as ``lint_message`` runs
them (their sum is the rules' share of a message), with and without the speech acts computed
first (without: the rules' own code).

The dialogue rules (T…, and the cross-conversation T013 in the social channel) are timed the
same way on conversations (``benchmarks/transcripts.py``'s: the corpus' operator messages
between short client lines, 6-14 operator messages each, with times), in ms per conversation:
each on a :class:`chatlint.dialogue.Dialogue` whose messages are already parsed, with the
cross-conversation state of ``lint_transcripts`` on.
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
    ap.add_argument("--channel", default="chat", help="the channel profile of the dialogue rules (social: T013 too)")
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
    in_sequence(msgs, plan)
    dialogue_rules(args.n, args.channel)


def in_sequence(msgs, plan) -> None:
    """The rules as ``lint_message`` runs them: one after another on the same parsed document
    (a shared result — the lemma set, a speech act, the notable forms — is paid by the first
    rule to ask), best of three rounds; then the same with every speech act computed first, so
    that each figure is the rule's own code. Plain messages and first+last ones."""
    from chatlint.acts import KINDS, acts, informal_farewells

    def rounds(first_last: bool, with_acts: bool) -> dict[str, float]:
        items = list(plan.for_message(first_last, first_last))
        best: dict[str, float] = {}
        for _ in range(3):
            spent = dict.fromkeys((it.rule.code for it in items), 0.0)
            for m in msgs:
                d = Document(m)
                d.words, d.blocks, d.smileys  # noqa: B018
                if with_acts:
                    for kind in KINDS:
                        acts(d, kind)
                    informal_farewells(d)
                for it in items:
                    t0 = time.perf_counter()
                    list(it.rule.check(d, it.ctx))
                    spent[it.rule.code] += time.perf_counter() - t0
            for code, s in spent.items():
                best[code] = min(best.get(code, s), s)
        return {code: s / len(msgs) * 1e3 for code, s in best.items()}

    for label, first_last in (("plain messages", False), ("first+last messages", True)):
        for with_acts in (False, True):
            got = rounds(first_last, with_acts)
            what = "the rules' own code (speech acts computed first)" if with_acts else "as lint_message runs them"
            top = " ".join(f"{code} {ms:.3f}" for code, ms in sorted(got.items(), key=lambda x: -x[1])[:12])
            print(f"\nrules in sequence, {label}, {what}: {sum(got.values()):.3f} ms per message")
            print(f"  {top} …")


def dialogue_rules(n: int, channel: str) -> None:
    """Each dialogue rule's time per conversation, on conversations of the corpus' messages."""
    from transcripts import conversations

    from chatlint import Message, Transcript, lint_transcripts
    from chatlint.archive import NearDuplicates
    from chatlint.dialogue import Dialogue

    convs = [
        Transcript(conversation_id=rows[0]["conversation_id"], channel=channel, messages=tuple(
            Message(**{k: v for k, v in r.items() if k != "conversation_id"}) for r in rows))
        for rows in conversations(n)
    ]
    for _ in lint_transcripts(convs[:20]):  # warm caches
        pass
    plan = default_config().plan(channel)
    dialogues = []
    for t in convs:
        d = Dialogue(t, clock=plan.clock)
        for i, m in enumerate(t.messages):
            if m.role == "operator":
                d.doc(i).words  # noqa: B018
        dialogues.append(d)
    start = time.perf_counter()
    for _ in lint_transcripts(convs):
        pass
    total = (time.perf_counter() - start) / len(convs) * 1e3
    print(f"\ndialogue rules ({channel}; {len(convs)} conversations, "
          f"{sum(len(t.messages) for t in convs) / len(convs):.1f} messages each):")
    print(f"  lint_transcripts (everything)          {total:.3f} ms per conversation")
    timings = []
    for item in plan.dialogue:
        archive = NearDuplicates()
        spent = 0.0
        for d in dialogues:
            d.archive = archive
            t0 = time.perf_counter()
            list(item.rule.check(d, item.ctx))
            spent += time.perf_counter() - t0
        timings.append((spent / len(dialogues) * 1e3, item.rule.code, item.rule.name))
    print("  per rule (ms per conversation, slowest first):")
    for ms, code, name in sorted(timings, reverse=True):
        print(f"    {code} {name:28s} {ms:.3f}")


if __name__ == "__main__":
    main()
