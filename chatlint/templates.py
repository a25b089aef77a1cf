"""``chatlint templates PATH...``: the operator replies that repeat across conversations — a
team's de facto scripts — with their counts and their findings, so that a canned answer is
fixed once instead of in thousands of chats (issue 15).

Replies are grouped as T013 groups them (:mod:`chatlint.archive`: words and word pairs, one-permutation
MinHash with LSH, every pair verified on the exact sets), so a template with a changed name,
order number or a word or two is one group with several wordings. Memory is bounded by the
number of groups kept (``max_groups``), not by the size of the archive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .archive import Group, NearDuplicates, Ref, words
from .transcript import Transcript


@dataclass
class Miner:
    """Reads conversations one at a time and groups their operator replies."""

    similarity: float = 0.5
    min_words: int = 6
    max_groups: int = 50_000  # ~3.5 KB a group: some 175 MB at most, whatever the archive's size
    conversations: int = 0
    replies: int = 0

    def __post_init__(self) -> None:
        self.index = NearDuplicates(self.similarity, self.max_groups)
        self.channel: dict[int, str | None] = {}

    def add(self, t: Transcript, path: str | None = None, channel: str | None = None) -> None:
        self.conversations += 1
        client: str | None = None
        for i, m in enumerate(t.messages):
            if m.role == "client":
                client = m.author or f"#{i}"
                continue
            if m.role != "operator":
                continue
            ws = words(m.text)
            if len(ws) < self.min_words:
                continue
            self.replies += 1
            g = self.index.add(m.text, Ref(t.conversation_id, client, i, path), self.index.find(m.text, ws))
            if g is not None:
                self.channel.setdefault(g.gid, channel or t.channel)

    def templates(self, min_count: int = 3) -> list[Group]:
        """Groups sent at least ``min_count`` times in at least two conversations, the most
        frequent first."""
        out = [g for g in self.index.groups.values() if g.count >= min_count and g.conversations >= 2]
        out.sort(key=lambda g: (-g.count, g.gid))
        return out


def records(miner: Miner, config, min_count: int = 3, top: int | None = None) -> list[dict]:
    """The templates as data (``--format json``): text, counts, where, findings."""
    from .engine import lint_message

    out = []
    for g in miner.templates(min_count)[: top if top else None]:
        channel = miner.channel.get(g.gid)
        findings = lint_message(g.text, channel=channel, config=config)
        out.append(
            {
                "text": g.text,
                "count": g.count,
                "conversations": g.conversations,
                "wordings": len(g.wordings),
                "channel": channel or config.channel,
                "examples": [
                    {"path": r.path, "conversation_id": r.conversation, "message_index": r.index} for r in g.refs[:5]
                ],
                "findings": [
                    {"code": f.code, "name": f.name, "severity": f.severity, "message": f.message,
                     "start": f.start, "end": f.end, "line": f.line, "column": f.column}
                    for f in findings
                ],
            }
        )
    return out


def _short(text: str, width: int = 160) -> str:
    from .formats import printable

    one = " ".join(printable(text).split())
    return one if len(one) <= width else one[: width - 1] + "…"


def render(recs: list[dict], miner: Miner, min_count: int, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(recs, ensure_ascii=False, indent=2) + "\n"
    from .formats import printable

    lines = [
        f"{len(recs)} repeated replies ({min_count}+ copies in 2+ conversations) among {miner.replies} operator "
        f"replies in {miner.conversations} conversations"
    ]
    for n, r in enumerate(recs, 1):
        lines.append("")
        ex = r["examples"][0] if r["examples"] else {}
        lines.append(f"{n:>3}. {r['count']} copies in {r['conversations']} conversations, "
                     f"{r['wordings']} wording{'s' if r['wordings'] != 1 else ''} ({r['channel']})")
        lines.append(f"     «{_short(r['text'])}»")
        if ex:
            where = ", ".join(
                x for x in (printable(str(ex["path"])) if ex["path"] else "",
                            f"conversation {printable(str(ex['conversation_id']))}" if ex["conversation_id"] else "",
                            f"message {ex['message_index'] + 1}") if x
            )
            lines.append(f"     first: {where}")
        if not r["findings"]:
            lines.append("     no findings")
        for f in r["findings"]:
            lines.append(f"     {f['line']}:{f['column']} {f['code']} {f['name']} ({f['severity']}): {printable(f['message'])}")
    return "\n".join(lines) + "\n"
