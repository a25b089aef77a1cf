"""``--as auto`` decides most message files with one look at the text (no colon, no «{», no
line that opens with a digit: no reader but CSV can claim it); the decision is the one every
sniffer gives when asked (:func:`chatlint.readers._detection`, the plain path)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint.readers import Head, _detection, _no_signature, detection

# pieces of message files and of every export's first lines: clock times, dates, WhatsApp's
# dated lines (with «14.05» times, bidi marks, «[»), speaker labels, CSV headers, JSON, e-mail
# headers, a BOM, and every line break ``str.splitlines`` knows
_PIECES = [
    "Здравствуйте", "заказ", "передан курьеру", "Анна", "Клиент", "Оператор", "time", "text", "автор", "текст",
    " ", "  ", "\t", ",", ";", ".", "-", " - ", "–", "[", "]", "{", "}", ":", ": ", '"', '"text"', '"messages"',
    "0", "7", "12", "2026", "12.05.2026", "12/05/26", "2026-05-12", "10:15", "14.05", "10:15:33", "2:05 PM",
    "\u200e", "\u200f", "\ufeff", "\u0663", "\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029",
    "From: ", "Subject: x", "from: ", "to: x", "MIME-Version: 1.0", "№4821", "Итого: ", "Анна Петрова: ",
    "Анна Петрова Ивановна: ", "Оператор Анна: ", "Клиент: ", "пожалуйста: ", "https://shop.example.ru", "1. ",
    "\u2003", "\xa0", "\x1f", "Анна, [27.11.2026, 10:15]", "Суть: ", "50677843", "1. ", "2) ", "10.05 ", "10-05",
    "1/2", "2026/05/12", "12:3", ":45", "9:45", "Анна, 9:45", "Анна Петрова, 10:15", "]", " ]", "(", ")", "!!!", "Анна, [27.11.2026 10:15]", "Анна, 10:15",
]
texts = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
suffixes = st.sampled_from(["", ".txt", ".TXT"])


def _plain(text: str, suffix: str):
    return _detection(Head(suffix.lower(), text[:65536]))


@settings(max_examples=3000, deadline=None)
@given(texts, suffixes)
def test_the_quick_decision_is_the_sniffers_decision(text, suffix):
    assert detection("m" + suffix, text) == _plain(text, suffix)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200), suffixes)
def test_the_quick_decision_is_the_sniffers_decision_on_any_text(text, suffix):
    assert detection("m" + suffix, text) == _plain(text, suffix)


def test_the_quick_path_takes_plain_messages_and_leaves_the_rest():
    message = "Здравствуйте! Ваш заказ №4821 передан курьеру, ожидайте звонка.\nХорошего дня!\n"
    assert _no_signature(Head(".txt", message))
    assert detection("m.txt", message) == _plain(message, ".txt")
    assert detection("m.txt", message).format == "message"
    # one speaker-like line is a line of a message; so are numbered lists and long numbers
    for text in ("Итого: заказ передан курьеру.\n", "Клиент: добрый день\n", "1. Откройте приложение.\n2. Войдите.\n",
                 "Номер заказа 50677843\n"):
        assert _no_signature(Head(".txt", text)), text
        assert detection("m.txt", text) == _plain(text, ".txt") == detection("m.txt", "Добрый день.\n")
    # a CSV header still decides on the quick path
    assert _no_signature(Head(".txt", "автор,текст\nАнна,Здравствуйте\n"))
    assert detection("m.txt", "автор,текст\nАнна,Здравствуйте\n").format == "csv"
    for text in ("Клиент: добрый день\nАнна: здравствуйте\n", "\u200e12.05.26, 14.05 - Анна\n", "x\n[12.05.26, 14.05] Анна\n",
                 '{"text": "x"}\n', "Анна, [27.11.2026 10:15]\n"):
        assert not _no_signature(Head(".txt", text)), text
    # WhatsApp lines with «14.05» times and no colon are a conversation, found on the plain path
    android = "Чат\n12.05.26, 14.05 - Анна\n12.05.26, 14.06 - Борис\n"
    assert detection("m.txt", android).format == "whatsapp" == _plain(android, ".txt").format


_BREAKS = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def test_every_line_break_opens_a_line_that_may_be_a_whatsapp_line():
    for br in _BREAKS:
        for text in (f"Чат{br}12.05.26, 14.05 - Анна{br}12.05.26, 14.06 - Борис",
                     f"Чат{br}\u200f[12.05.26, 14.05] Анна{br}[12.05.26, 14.06] Борис"):
            assert detection("m.txt", text) == _plain(text, ".txt") and detection("m.txt", text).format == "whatsapp"


def test_json_after_any_white_space_is_left_to_the_sniffers():
    for lead in ("", " ", "\u2003", "\x0c", "\ufeff", "\n\n"):
        for text in (lead + '{"text"}', lead + '{"messages": []}'):
            assert detection("m.txt", text) == _plain(text, ".txt")
        assert detection("m.txt", lead + '{"text"}').format == "jsonl"


def test_lines_that_open_a_conversation_are_left_to_the_sniffers():
    conversations = [
        "Анна Петрова: добрый день\nБорис: здравствуйте\nАнна Петрова: где заказ?\n",  # a speaker comes back
        "Итог\n  Оператор Анна:  готово\nКлиент:  спасибо\n",  # role words, indented
        "from: a@example.ru\nsubject: заказ\n\nтекст\n",  # e-mail headers in lower case
        "Анна, [27.11.2026 10:15]\nдобрый день\nБорис, [27.11.2026 10:16]\nздравствуйте\n",  # pasted, dated
        "Анна, 10:15\nдобрый день\nБорис, 10:16  \nздравствуйте\n",  # pasted, bare times
        "Чат\n\u200e[2026-05-12, 14.05] Анна\n[2026/05/12, 14.06] Борис\n",
        "Чат\n12/05/26, 14.05 - Анна\n12/05/26, 14.06 - Борис\n", "Чат\n12-05-26, 14.05 - Анна\n12-05-26, 14.06 - Борис\n",
    ]
    for text in conversations:
        assert not _no_signature(Head(".txt", text)), text
        assert detection("m.txt", text) == _plain(text, ".txt")
        assert detection("m.txt", text) != detection("m.txt", "Добрый день.\n"), text


def test_the_csv_quick_rejection_knows_every_word_of_the_text_column():
    from chatlint.readers import _CSV_TEXT_WORDS
    from chatlint.readers import csv as C

    assert _CSV_TEXT_WORDS == C._TEXT_WORDS
    for name in C.ALIASES["text"]:
        line = f"{name};author;time"
        assert detection("m.txt", line + "\nx;Анна;10:00\n").format == "csv", name
        assert detection("m.txt", line.upper() + "\nx;Анна;10:00\n").format == "csv", name
        inner = name[:1] + "\ufeff" + name[1:]  # a BOM inside a cell is folded away
        assert detection("m.txt", f"{inner};author\nx;Анна\n").format == "csv", name


def test_a_lazy_signature_is_its_compiled_pattern():
    import re

    from chatlint import readers

    lazy = readers._Lazy(r"^(?:From|To): (\w+)", re.I)
    assert lazy._compiled is None
    assert lazy.match("from: Анна").group(1) == "Анна" and lazy.search("x\nTo: y") is None
    assert lazy.pattern == r"^(?:From|To): (\w+)" and lazy.flags & re.I
    assert lazy._compiled == re.compile(r"^(?:From|To): (\w+)", re.I)


def test_message_files_leave_the_transcript_signatures_uncompiled(tmp_path):
    """The quick look settles a message file: the nine signatures of the transcript formats are
    not compiled (a fresh process: other tests compile them); a transcript compiles them."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    code = """
import json, sys
from chatlint import readers
lazy = [n for n, v in vars(readers).items() if isinstance(v, readers._Lazy)]
for text in sys.argv[1:]:
    readers.detection("m.txt", text)
print(json.dumps([len(lazy), sorted(n for n in lazy if getattr(readers, n)._compiled is not None)]))
"""
    env = {**os.environ, "PYTHONPATH": str(root)}
    messages = ["Здравствуйте! Ваш заказ передан курьеру, он позвонит за час.", "Добрый день,\nзаказ в пути."]
    run = [sys.executable, "-c", code]
    got = json.loads(subprocess.run([*run, *messages], capture_output=True, text=True, env=env, check=True).stdout)
    assert got == [9, []]
    transcript = "[10:15] Анна: Здравствуйте\n[10:16] Клиент: где заказ?\n"
    got = json.loads(subprocess.run([*run, transcript], capture_output=True, text=True, env=env, check=True).stdout)
    assert got[0] == 9 and "_TEXT_TRANSCRIPT" in got[1]
