"""lint_message, lint_transcript and fix_message: parse once, run the planned rules, collect sorted
findings."""

from __future__ import annotations

import gc
import warnings
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .dialogue import Dialogue, run_of
from .document import Document, parsed
from .findings import (
    PlainEdit,
    PlainFinding,
    PlainFix,
    applied_findings,
    apply_fixes,
    merge_same_span,
    plain_fix,
)
from .lexicon import mask_profanity

if TYPE_CHECKING:
    from .config import Config
    from .models import Finding
    from .transcript import Transcript


def _default_config():
    """The pydantic default configuration (imported on first use: the command line passes its
    own configuration and never needs it)."""
    from .config import default_config

    return default_config()


class RuleCrashWarning(RuntimeWarning):
    """A rule raised on some text. The other rules' findings are still returned."""


def _crashed(code: str, exc: BaseException, what: str) -> None:
    """Warn that rule ``code`` raised, naming only the rule and the exception's type.

    Never the message text nor the exception's text or repr (either may quote the customer's
    words): the warning goes to logs, and Python's warning registry keeps one entry per
    distinct message text, so a text-bearing warning would also grow without bound in a
    long-running server. With a fixed text the registry holds one entry per rule and type.
    """
    warnings.warn(
        f"chatlint: rule {code} failed on this {what} ({type(exc).__name__})", RuleCrashWarning, stacklevel=3
    )


def lint_message(
    text: str,
    channel: str | None = None,
    first: bool = False,
    last: bool = False,
    config: Config | None = None,
    merge_overlapping: bool = False,
) -> list[Finding]:
    """Check one operator message; findings come sorted by (start, code).

    ``channel`` defaults to the config's channel (``chat`` by default). Never raises on a
    ``str``; an unknown channel raises :class:`~chatlint.ConfigError`. With
    ``merge_overlapping``, findings of several rules on the same span come back as one, with
    one message and at most one fix (:func:`merge_findings`): what an operator UI shows.
    """
    from .models import public_findings

    return public_findings(check_message(text, channel, first, last, config, merge_overlapping))


def check_message(
    text: str,
    channel: str | None = None,
    first: bool = False,
    last: bool = False,
    config: Config | None = None,
    merge_overlapping: bool = False,
) -> list[PlainFinding]:
    """:func:`lint_message`'s findings as the engine keeps them (:class:`~chatlint.findings.PlainFinding`,
    the same fields): what the command line renders, without pydantic's models."""
    cfg = config if config is not None else _default_config()
    plan = cfg.plan(channel)
    found = run_plan(plan, text, first, last)
    return merge_same_span(found, supersedes_of(cfg)) if merge_overlapping else found


def supersedes_of(config: Config | None = None) -> dict[str, tuple[str, ...]]:
    """code -> the codes whose advice that rule's replaces on one span (``@rule(supersedes=…)``)."""
    cfg = config if config is not None else _default_config()
    return {code: r.supersedes for code, r in cfg.rules_by_code().items() if getattr(r, "supersedes", ())}


def merge_findings(findings: list[Finding], config: Config | None = None) -> list[Finding]:
    """One finding per span: several rules' findings on the very same span of a message
    become one consistent message with at most one fix (the rule that knows more — E004's
    bad-news context over E001's smiley kind — decides; see
    :func:`chatlint.findings.merge_groups`). For every front end: the server's ``merge``
    option, ``lint_message(..., merge_overlapping=True)``."""
    return merge_same_span(findings, supersedes_of(config))


def run_plan(plan, text: str, first: bool, last: bool) -> list[PlainFinding]:
    if not isinstance(text, str):
        raise TypeError(f"lint_message expects a str, not {type(text).__name__}")
    doc = parsed(text)
    out = _run_message_rules(plan, doc, first, last, None, None, None)
    out.sort(key=lambda f: (f.start, f.code, f.end))
    return out


def _run_message_rules(plan, doc: Document, first: bool, last: bool, index, speaker, conversation_id) -> list[Finding]:
    en = plan.lang == "en"
    out: list[Finding] = []
    position = doc.position
    n = len(doc.text)
    for item in plan.for_message(first, last):
        r = item.rule
        try:
            for hit in r.check(doc, item.ctx):
                if not _in_text(hit, n):
                    _crashed(r.code, BadSpan(), "text")
                    continue
                fix = hit.fix
                if fix is not None and fix.applicability == "safe":
                    fix = keep_meaning(doc, fix)
                out.append(_finding(item, hit, en, position, hit.start, hit.end, fix, index, speaker, conversation_id))
        except (Exception, SystemExit) as exc:  # a rule bug (a plugin's sys.exit too) must not take the others down
            _crashed(r.code, exc, "text")
    return out


def keep_meaning(doc: Document, fix: PlainFix) -> PlainFix:
    """A safe fix whose edits touch text that is not prose (a link, an e-mail address, code,
    a password or promo code after its label, a token mixing letters with digits or symbols:
    ``Document.protected_spans``) becomes unsafe: it may change what that text means, so
    ``--fix`` leaves it alone unless asked for unsafe fixes. Decided here, once, for every
    rule (a rule may still be more careful itself)."""
    if any(doc.protected(e.start, e.end) for e in fix.edits):
        return plain_fix(fix)._replace(applicability="unsafe")
    return fix


class BadSpan(ValueError):
    """A rule reported a span (or a fix edit) with start > end or outside the text: dropped."""


def _in_text(hit, n: int) -> bool:
    """Whether a hit's span and its fix's edits are well-formed spans inside a text of ``n``
    characters (a plugin's bug must not reach the output or a fix)."""
    if not (isinstance(hit.start, int) and isinstance(hit.end, int) and 0 <= hit.start <= hit.end <= n):
        return False
    fix = hit.fix
    return fix is None or all(0 <= e.start <= e.end <= n for e in fix.edits)


def lint_transcript(transcript: Transcript, config: Config | None = None) -> list[Finding]:
    """Check a conversation: the message rules on every operator message (``first``/``last``
    set on the operator's first and last ones) and the dialogue rules on the whole.

    Findings carry ``message_index``, ``speaker`` and ``conversation_id``; their spans are
    offsets into their message. Sorted by (message_index, start, code). The channel is the
    transcript's own, else the config's.
    """
    from .models import public_findings

    return public_findings(check_transcript(transcript, config)[0])


def lint_transcripts(transcripts: Iterable[Transcript], config: Config | None = None) -> Iterator[list[Finding]]:
    """Check many conversations as one archive: yields each conversation's findings, in order,
    as :func:`lint_transcript` would give them, plus the cross-conversation rules (T013: the
    same or nearly the same reply sent to different clients in the social channel), whose
    state (:class:`chatlint.archive.NearDuplicates`) is bounded in memory however long the
    iterable. The batch API the CLI uses; it streams, so an archive need not fit in memory."""
    from .archive import NearDuplicates
    from .models import public_findings

    archive = NearDuplicates()
    for t in transcripts:
        yield public_findings(check_transcript(t, config, archive)[0])


def check_transcript(
    transcript: Transcript, config: Config | None = None, archive=None, docs: dict[int, Document] | None = None
) -> tuple[list[PlainFinding], list[str]]:
    """:func:`lint_transcript`'s findings as the engine keeps them (plain records, as
    :func:`check_message`) plus notes on what could not be checked (once per
    conversation: e.g. "timing rules skipped: 3 of 9 messages have no time"). ``archive``: the
    cross-conversation state of :func:`lint_transcripts` (None: this conversation alone).
    ``docs``: a dict to keep the parsed messages in, by index (the scorecard reads the same
    documents and their speech acts afterwards instead of parsing the messages again)."""
    from .transcript import Transcript

    if not isinstance(transcript, Transcript):
        raise TypeError(f"lint_transcript expects a Transcript, not {type(transcript).__name__}")
    # A conversation's documents live until its dialogue rules are done: thousands of small
    # objects that would push the cyclic garbage collector through collection after collection
    # of objects it cannot free (promoting them into full collections of the whole process,
    # some 15 % of the check). The check makes no reference cycles (a test holds it to that),
    # so reference counting frees everything, and the collector is paused for one
    # conversation at most: whatever a plugin leaves in cycles is collected after it.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _check_transcript(transcript, config, archive, docs)
    finally:
        if paused:
            gc.enable()


def _check_transcript(transcript: Transcript, config, archive, docs) -> tuple[list[Finding], list[str]]:
    cfg = config if config is not None else _default_config()
    plan = cfg.plan(transcript.channel)
    msgs = transcript.messages
    cid = transcript.conversation_id
    # the operator's messages with text to check (a photo or a file sent without a caption has
    # none: it counts in the dialogue, but no message rule reads it)
    ops = [i for i, m in enumerate(msgs) if m.role == "operator" and (not m.media or m.text.strip())]
    out: list[Finding] = []
    notes: list[str] = []
    docs = {} if docs is None else docs
    # The greeting rules judge the operator's first *run* of messages (no client message in
    # between: «Здравствуйте!» then «Меня зовут Анна, чем могу помочь?»), the farewell rules
    # the last run. A run of one message is checked as itself; a longer run as one text.
    first_run = run_of(msgs, ops, forward=True)
    last_run = run_of(msgs, ops, forward=False)
    first_op = first_run[0] if len(first_run) == 1 else -1
    last_op = last_run[0] if len(last_run) == 1 else -1
    for i in ops:
        m = msgs[i]
        doc = docs[i] = parsed(m.text)
        out.extend(_run_message_rules(plan, doc, i == first_op, i == last_op, i, m.author, cid))
    if len(first_run) > 1:
        out.extend(_run_positional(plan, "first", msgs, first_run, docs, cid))
    if len(last_run) > 1:
        out.extend(_run_positional(plan, "last", msgs, last_run, docs, cid))
    if plan.dialogue and (ops or any(m.role == "client" for m in msgs)):  # T009: nobody answered
        d = Dialogue(transcript, docs, clock=plan.clock)
        d.archive = archive
        en = plan.lang == "en"
        skipped = []
        for item in plan.dialogue:
            r = item.rule
            if r.needs_time and not d.timed:
                skipped.append(r.code)
                continue
            try:
                for hit in r.check(d, item.ctx):
                    k = hit.index if hit.index is not None and 0 <= hit.index < len(msgs) else (ops or [0])[0]
                    if not _in_text(hit, len(msgs[k].text)):
                        _crashed(r.code, BadSpan(), "conversation")
                        continue
                    out.append(
                        _finding(item, hit, en, d.doc(k).position, hit.start, hit.end, hit.fix, k, msgs[k].author, cid)
                    )
            except (Exception, SystemExit) as exc:  # a rule bug must not take the others down
                _crashed(r.code, exc, "conversation")
        where = f"conversation {cid}: " if cid else ""
        if skipped:
            notes.append(f"{where}timing rules {', '.join(skipped)} skipped: {d.timing_problem}")
        elif d.backward_note is not None and any(item.rule.needs_time for item in plan.dialogue):
            notes.append(f"{where}{d.backward_note}")
    out.sort(key=lambda f: (f.message_index, f.start, f.code, f.end))
    return out, notes


def _finding(item, hit, en: bool, position, start: int, end: int, fix, index, speaker, cid) -> PlainFinding:
    """The one place a finding is built: from a planned rule, its hit, and where the hit lands
    (``start``/``end``/``fix`` already moved into the message ``index``, whose ``position``
    gives line and column). A plain record (:class:`~chatlint.findings.PlainFinding`): the
    public API makes pydantic's ``Finding`` of it, the command line renders it as it is."""
    r = item.rule
    line, column = position(start)
    if fix is not None:
        fix = plain_fix(fix)
        if fix.title:
            title = mask_profanity(fix.title)
            if title != fix.title:
                fix = fix._replace(title=title)
    return PlainFinding(
        r.code, r.name, item.severity, mask_profanity(hit.en if en else hit.ru), start, end, line, column,
        fix, index, speaker, cid,
    )


_RUN_SEPARATOR = "\n\n"


def _run_positional(plan, when: str, msgs, run: list[int], docs: dict[int, Document], cid) -> list[Finding]:
    """The ``when`` ("first"/"last") rules on a run of operator messages read as one text;
    each finding goes back to the message its span starts in (a fix only when all its edits
    are in that message)."""
    offsets = []
    pos = 0
    for i in run:
        offsets.append(pos)
        pos += len(msgs[i].text) + len(_RUN_SEPARATOR)
    joined = Document(_RUN_SEPARATOR.join(msgs[i].text for i in run))
    items = tuple(p for p in plan.for_message(when == "first", when == "last") if p.rule.when == when)
    en = plan.lang == "en"
    out: list[Finding] = []
    for item in items:
        r = item.rule
        try:
            hits = list(r.check(joined, item.ctx))
        except (Exception, SystemExit) as exc:  # a rule bug must not take the others down
            _crashed(r.code, exc, "text")
            continue
        for hit in hits:
            k = max(0, bisect_right(offsets, hit.start) - 1)
            i, off = run[k], offsets[k]
            n = len(msgs[i].text)
            start = min(max(hit.start - off, 0), n)
            end = min(max(hit.end - off, start), n)
            fix = hit.fix
            if fix is not None and fix.applicability == "safe":
                fix = keep_meaning(joined, fix)
            if fix is not None:
                if all(off <= e.start <= e.end <= off + n for e in fix.edits):
                    fix = PlainFix(
                        tuple(PlainEdit(e.start - off, e.end - off, e.replacement) for e in fix.edits),
                        fix.applicability,
                        fix.title,
                    )
                else:
                    fix = None
            out.append(_finding(item, hit, en, docs[i].position, start, end, fix, i, msgs[i].author, cid))
    return out


def fix_message(
    text: str,
    channel: str | None = None,
    first: bool = False,
    last: bool = False,
    config: Config | None = None,
    unsafe: bool = False,
) -> str:
    """Lint and apply fixes until nothing fixable is left (at most 16 rounds); idempotent."""
    return fix_rounds(text, channel, first, last, config, unsafe)[0]


def fix_rounds(
    text: str,
    channel: str | None = None,
    first: bool = False,
    last: bool = False,
    config: Config | None = None,
    unsafe: bool = False,
) -> tuple[str, list[tuple[str, list[PlainFinding]]]]:
    """:func:`fix_message`, and what each round applied: a list of (the text before the
    round, the findings of that text whose fixes the round applied, as plain records)."""
    cfg = config if config is not None else _default_config()
    plan = cfg.plan(channel)
    seen = {text}
    rounds: list[tuple[str, list[PlainFinding]]] = []
    for _ in range(16):
        findings = run_plan(plan, text, first, last)
        fixed = apply_fixes(text, findings, unsafe=unsafe)
        if fixed == text or fixed in seen:  # done, or a cycle (a rule bug): stop here
            return text, rounds
        rounds.append((text, applied_findings(findings, unsafe=unsafe)))
        seen.add(fixed)
        text = fixed
    return text, rounds
