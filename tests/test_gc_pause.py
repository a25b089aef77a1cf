"""The conversation check pauses the cyclic garbage collector (engine.check_transcript): safe
only because the check makes no reference cycles, and only if the collector's state is
given back exactly as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from chatlint import Message, Transcript, lint_transcript, lint_transcripts, read_transcripts

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "transcripts"


def _archive() -> list[Transcript]:
    out: list[Transcript] = []
    for path in sorted(EXAMPLES.iterdir()):
        out.extend(read_transcripts(path))
    assert len(out) >= 5
    return out


def test_checking_conversations_leaves_no_reference_cycles():
    transcripts = _archive()
    social = [t.model_copy(update={"channel": "social"}) for t in transcripts]
    for _ in lint_transcripts(transcripts + social):  # warm: lazily compiled rules and caches
        pass
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in lint_transcripts(transcripts + social):
            pass
        found = gc.collect()
    finally:
        if enabled:
            gc.enable()
    assert found == 0, f"the conversation check left {found} objects in reference cycles"


@pytest.mark.parametrize("was_enabled", [True, False])
def test_the_collector_is_given_back_as_it_was(was_enabled):
    t = Transcript(conversation_id="c", messages=(
        Message(role="client", text="Здравствуйте, где мой заказ?"),
        Message(role="operator", text="Здравствуйте! Заказ уже в пути, приедет завтра."),
    ))
    enabled = gc.isenabled()
    (gc.enable if was_enabled else gc.disable)()
    try:
        lint_transcript(t)
        assert gc.isenabled() is was_enabled
        with pytest.raises(TypeError):
            lint_transcript("not a transcript")  # type: ignore[arg-type]
        assert gc.isenabled() is was_enabled
    finally:
        (gc.enable if enabled else gc.disable)()
