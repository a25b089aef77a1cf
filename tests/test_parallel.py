"""``chatlint check --jobs`` (issue 18): every core by default, work split by file and by
conversation of a large export, the output streamed in order and byte-identical to ``--jobs 1``
in every format, T013's cross-conversation state exact."""

from __future__ import annotations

import json
from argparse import Namespace
from pathlib import Path

import pytest

import chatlint.parallel as parallel
from chatlint.cli import main
from chatlint.formats import FORMATS

OPENINGS = [
    "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?",
    "Привет! Щас посмотрю ваш заказ",
    "Добрый день! Ольга, служба поддержки.",
]
ANSWERS = [
    "Ваш заказ {n} передан в службу доставки, курьер позвонит за час до приезда!!!",
    "Возврат по заказу {n} оформлен, деньги придут на карту в течение пяти рабочих дней.",
    "по тарифу {n} скидка действует до конца месяца, вы можете подключить её в личном кабинете )))",
    "Приносим извинения за задержку, передали Ваш вопрос в отдел логистики, ответим в личных сообщениях.",
]
CLOSINGS = ["Всего доброго, будут еще вопросы - обращайтесь!", "Пока!", "Хорошего дня!"]
CLIENTS = ["Мария", "Олег", "Ирина", "Павел", "Светлана"]


def rows(n_conversations: int, start: int = 0) -> list[dict]:
    """A deterministic export: conversations of a few messages, each with its faults."""
    out = []
    for c in range(start, start + n_conversations):
        client = CLIENTS[c % len(CLIENTS)]
        said = [("client", client, "Здравствуйте, у меня вопрос по заказу"),
                ("operator", "Анна", OPENINGS[c % len(OPENINGS)]),
                ("client", client, "Где мой заказ?"),
                ("operator", "Анна", ANSWERS[c % len(ANSWERS)].format(n=4000 + c))]
        if c % 4:
            said.append(("operator", "Анна", CLOSINGS[c % len(CLOSINGS)]))
        for k, (role, author, text) in enumerate(said):
            out.append({"conversation_id": f"conv-{c}", "role": role, "author": author,
                        "time": f"2026-11-2{c % 7}T1{c % 10}:{k * (1 + c % 3):02d}:00", "text": text})
    return out


def write_jsonl(path: Path, data: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data), encoding="utf-8")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def small_units(monkeypatch):
    """Every file split by conversation, a few conversations a task: the workers' paths
    run on test-sized inputs."""
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 1)
    monkeypatch.setattr(parallel, "BATCH_MESSAGES", 7)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_one_large_export_split_by_conversation_is_byte_identical(tmp_path, monkeypatch, capsys, small_units, fmt):
    monkeypatch.chdir(tmp_path)
    data = rows(40)
    data.insert(9, "{broken")  # a reader problem in the middle: its place in the output stays
    (tmp_path / "export.jsonl").write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in data),
        encoding="utf-8")
    one = run(capsys, "--jobs", "1", "--format", fmt, "export.jsonl")
    two = run(capsys, "--jobs", "2", "--format", fmt, "export.jsonl")
    three = run(capsys, "--jobs", "3", "--format", fmt, "--no-source", "export.jsonl")
    assert one == two
    assert one[0] == 2 and "export.jsonl: line 10" in one[2]
    assert one[1].count("conv-") > 20 or fmt == "text"
    assert three == run(capsys, "--jobs", "1", "--format", fmt, "--no-source", "export.jsonl")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_many_files_are_byte_identical(tmp_path, monkeypatch, capsys, fmt):
    monkeypatch.chdir(tmp_path)
    msgs = tmp_path / "messages"
    msgs.mkdir()
    for i in range(45):  # more than one batch of files
        text = f"{OPENINGS[i % 3]} {ANSWERS[i % 4].format(n=i)}"
        (msgs / f"m{i:03d}.txt").write_text(text, encoding="utf-8")
    (msgs / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8broken")
    write_jsonl(tmp_path / "chats.jsonl", rows(6))
    argv = ["--format", fmt, "messages", "chats.jsonl", "missing.txt"]
    one = run(capsys, "--jobs", "1", *argv)
    assert one == run(capsys, "--jobs", "2", *argv)
    assert one[0] == 2 and "missing.txt" in one[2]


@pytest.mark.parametrize("early", [0, 9, 20_000])
def test_an_export_whose_conversations_interleave_is_byte_identical(tmp_path, monkeypatch, capsys, small_units,
                                                                   early):
    # conversations checked while the file was read, then found to go on further down: checked
    # again whole (``early``: how many messages may be checked while the file is read)
    monkeypatch.setattr(parallel, "EARLY_MESSAGES", early)
    monkeypatch.chdir(tmp_path)
    data = [json.dumps(r, ensure_ascii=False) for r in rows(30)]
    data[60:60] = [json.dumps(dict(r, text=r["text"] + " (дополнение)"), ensure_ascii=False) for r in rows(3)]
    data.insert(70, "[1, 2]")  # conv-0..2 went on at line 61; a problem at line 71
    (tmp_path / "export.jsonl").write_text("\n".join(data) + "\n", encoding="utf-8")
    for fmt in ("json", "text"):
        one = run(capsys, "--jobs", "1", "--format", fmt, "export.jsonl")
        assert one == run(capsys, "--jobs", "2", "--format", fmt, "export.jsonl")
        assert "line 71" in one[1] + one[2]
    assert "(дополнение)" in one[1] and "conv-29" in one[1]  # the text's source lines


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_an_export_replaced_or_removed_while_checked_is_reported_not_misread(tmp_path, monkeypatch, capsys,
                                                                           small_units, how):
    # the workers read the conversations' lines again by where the main process found them: a
    # file removed, or replaced by another (a writer's save: a new file renamed over it), since
    import chatlint.readers.jsonl as jsonl

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "EARLY_MESSAGES", 0)  # every conversation read again once the file is read
    export = tmp_path / "export.jsonl"
    write_jsonl(export, rows(12))
    locate = jsonl.locate

    def then_changed(*args, **kwargs):
        changed = False
        for item in locate(*args, **kwargs):
            if not changed and getattr(item, "final", False):  # the file read: its conversations to check
                changed = True
                if how == "removed":
                    export.unlink()
                else:
                    write_jsonl(tmp_path / "new.jsonl", [dict(r, text=r["text"] + " (новая версия)") for r in rows(12)])
                    (tmp_path / "new.jsonl").replace(export)
            yield item

    monkeypatch.setattr(jsonl, "locate", then_changed)
    code, out, err = run(capsys, "--jobs", "2", "export.jsonl")
    assert code == 2 and "новая версия" not in out and "Traceback" not in err
    assert err.count("replaced or removed while the file was checked; conversation conv-") == 12
    assert "export.jsonl: line 1: replaced or removed while the file was checked; conversation conv-0 skipped" in err


def test_conversations_of_an_export_are_checked_while_it_is_read_until_they_interleave(tmp_path, monkeypatch,
                                                                                      capsys, small_units):
    monkeypatch.chdir(tmp_path)
    sent: list[tuple[str, bool]] = []
    frame = parallel._frame

    def spy(value):  # the conversations the main process sends, and whether the file was read by then
        if type(value) is tuple and len(value) == 2 and value[0] is parallel._check_conversations:
            sent.extend((x.cid, x.final) for x in value[1][3])
        return frame(value)

    monkeypatch.setattr(parallel, "_frame", spy)
    data = rows(20)
    write_jsonl(tmp_path / "export.jsonl", data)
    assert run(capsys, "--jobs", "1", "export.jsonl") == run(capsys, "--jobs", "2", "export.jsonl")
    early = [cid for cid, final in sent if not final]
    assert len(early) >= 15 and early == [f"conv-{c}" for c in range(len(early))]
    assert not {cid for cid, final in sent if final} & set(early)  # their early checks kept
    sent.clear()
    write_jsonl(tmp_path / "export.jsonl", data[:6] + data[2:3] + data[6:])  # conv-0 goes on after conv-1 began
    assert run(capsys, "--jobs", "1", "export.jsonl") == run(capsys, "--jobs", "2", "export.jsonl")
    assert not [cid for cid, final in sent if not final]


def test_an_export_of_one_message_conversations_is_split_in_linear_time(tmp_path, monkeypatch, capsys):
    # conversations of one message each (a feed of first replies): what the main process does
    # for each early one stays constant, not a sum over the batch being gathered
    from chatlint.readers import Located

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 1)
    calls = 0
    length = Located.__len__

    def counted(self):
        nonlocal calls
        calls += 1
        return length(self)

    monkeypatch.setattr(Located, "__len__", counted)
    data = [dict(r, conversation_id=f"ticket-{k}") for k, r in enumerate(rows(300))]
    write_jsonl(tmp_path / "export.jsonl", data)
    assert run(capsys, "--jobs", "2", "--summary", "export.jsonl")[0] == 1
    assert calls < 12 * len(data)


def test_summary_and_statistics_are_identical(tmp_path, monkeypatch, capsys, small_units):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chatlint.toml").write_text('operators = ["Анна"]\n', encoding="utf-8")
    write_jsonl(tmp_path / "a.jsonl", rows(25))
    write_jsonl(tmp_path / "b.jsonl", rows(10, start=25))
    for extra in (["--summary"], ["--summary", "--format", "json"], ["--summary", "--format", "csv"],
                  ["--statistics"], ["--statistics", "--format", "json"]):
        one = run(capsys, "--jobs", "1", *extra, "a.jsonl", "b.jsonl")
        assert one == run(capsys, "--jobs", "2", *extra, "a.jsonl", "b.jsonl"), extra
        assert one[1]


def test_t013_across_conversations_stays_exact_in_a_split_export(tmp_path, monkeypatch, capsys, small_units):
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "page.jsonl", rows(30))
    one = run(capsys, "--jobs", "1", "--channel", "social", "--format", "json", "page.jsonl")
    two = run(capsys, "--jobs", "2", "--channel", "social", "--format", "json", "page.jsonl")
    assert one == two
    t013 = [f for f in json.loads(one[1]) if f["code"] == "T013"]
    assert len({f["conversation_id"] for f in t013}) > 10  # the copies of earlier conversations' replies


def test_a_split_export_sends_where_its_conversations_are_not_their_messages(tmp_path, monkeypatch, capsys,
                                                                             small_units):
    monkeypatch.chdir(tmp_path)
    sent: list[str] = []
    frame = parallel._frame

    def spy(value):  # what the main process sends (workers send their results with it too)
        if type(value) is tuple and len(value) == 2 and value[0] is parallel._check_conversations:
            sent.extend(type(x).__name__ for x in value[1][3])
        return frame(value)

    monkeypatch.setattr(parallel, "_frame", spy)
    write_jsonl(tmp_path / "export.jsonl", rows(20))
    assert run(capsys, "--jobs", "1", "export.jsonl") == run(capsys, "--jobs", "2", "export.jsonl")
    assert sent and set(sent) == {"Located"}
    sent.clear()
    # a channel whose conversations need the run's order (T013): read and checked here, as before
    one = run(capsys, "--jobs", "1", "--channel", "social", "export.jsonl")
    assert one == run(capsys, "--jobs", "2", "--channel", "social", "export.jsonl")
    assert "Located" not in sent


@pytest.mark.parametrize("early", [0, 20_000])
def test_a_conversation_too_long_for_one_check_is_spread_over_the_workers_in_parts(tmp_path, monkeypatch, capsys,
                                                                                  small_units, early):
    # an export without conversation ids is one conversation (the file's name), checked in parts
    # of MAX_CONVERSATION_MESSAGES: the parts go to the workers in batches, as other conversations
    # do, not the whole file to one worker in one task (whose result would hold every finding)
    import chatlint.readers.common as common

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(common, "MAX_CONVERSATION_MESSAGES", 12)
    monkeypatch.setattr(parallel, "EARLY_MESSAGES", early)
    sizes: list[int] = []
    frame = parallel._frame

    def spy(value):  # the messages of each task the main process sends
        if type(value) is tuple and len(value) == 2 and value[0] is parallel._check_conversations:
            sizes.append(sum(len(x) if type(x).__name__ == "Located" else len(x.messages) for x in value[1][3]))
        return frame(value)

    monkeypatch.setattr(parallel, "_frame", spy)
    data = [{k: v for k, v in r.items() if k != "conversation_id"} for r in rows(12)]
    write_jsonl(tmp_path / "export.jsonl", data[:20] + [rows(1, 90)[0]] + data[20:])  # and one other before the rest
    one = run(capsys, "--jobs", "1", "export.jsonl")
    assert one == run(capsys, "--jobs", "2", "export.jsonl")
    assert "conversation export has more than 12 messages: checked in 6 parts" in one[2]
    assert len(sizes) > 2 and max(sizes) <= 12 + parallel.BATCH_MESSAGES


@pytest.mark.parametrize("codec", ["cp1251", "utf-16"])
def test_an_export_not_in_utf8_is_sent_as_transcripts(tmp_path, monkeypatch, capsys, small_units, codec):
    # offsets are UTF-8 bytes: a file in another encoding is read here, as before
    monkeypatch.chdir(tmp_path)
    sent: list[str] = []
    frame = parallel._frame

    def spy(value):
        if type(value) is tuple and len(value) == 2 and value[0] is parallel._check_conversations:
            sent.extend(type(x).__name__ for x in value[1][3])
        return frame(value)

    monkeypatch.setattr(parallel, "_frame", spy)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in rows(12))
    (tmp_path / "export.jsonl").write_bytes(text.encode(codec))
    one = run(capsys, "--jobs", "1", "export.jsonl")
    assert one == run(capsys, "--jobs", "2", "export.jsonl")
    assert one[1].count("conv-") > 12 and sent and set(sent) == {"Transcript"}


def test_t013_stays_exact_across_files_checked_whole(tmp_path, monkeypatch, capsys):
    """A worker that meets a social conversation hands its file back: one archive for the run,
    so a reply copied from an earlier file is still found."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "chatlint.toml").write_text('channel = "social"\n', encoding="utf-8")
    for k in range(4):
        write_jsonl(tmp_path / "page" / f"{k}.jsonl", rows(3, start=3 * k))
    write_jsonl(tmp_path / "chat.jsonl", rows(5))
    files = ["page/0.jsonl", "chat.jsonl", "page/1.jsonl", "page/2.jsonl", "page/3.jsonl"]
    one = run(capsys, "--jobs", "1", "--format", "json", *files)
    two = run(capsys, "--jobs", "2", "--format", "json", *files)
    assert one == two
    found = json.loads(one[1])
    assert any(f["code"] == "T013" and f["path"] == "page/3.jsonl" and "conv-0" in f["message"] for f in found)


def namespace(jobs=None) -> Namespace:
    return Namespace(jobs=jobs)


def test_jobs_default_to_every_available_core_with_more_than_one_unit(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "available_cores", lambda: 4)
    big = tmp_path / "big.jsonl"
    write_jsonl(big, rows(400))
    assert big.stat().st_size >= parallel.SPLIT_BYTES
    small = [tmp_path / f"{i}.txt" for i in range(3)]
    for p in small:
        p.write_text(OPENINGS[0], encoding="utf-8")
    assert parallel.jobs_for(namespace(), [("big.jsonl", big)]) == 4  # one export: its conversations
    assert parallel.jobs_for(namespace(), [("0.txt", small[0])]) == 1  # one small file
    assert parallel.jobs_for(namespace(), [(str(p), p) for p in small]) == 1  # too little to start workers
    assert parallel.jobs_for(namespace(), [(str(p), p) for p in [*small, big]]) == 4
    assert parallel.jobs_for(namespace(3), [("0.txt", small[0])]) == 3  # asked for
    monkeypatch.setattr(parallel, "available_cores", lambda: 1)
    assert parallel.jobs_for(namespace(), [("big.jsonl", big)]) == 1


def test_available_cores_is_the_affinity(monkeypatch):
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    assert parallel.available_cores() == 3


def test_default_run_on_a_large_export_uses_the_workers(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 1)
    monkeypatch.setattr(parallel, "AUTO_MIN_BYTES", 1)
    write_jsonl(tmp_path / "export.jsonl", rows(12))
    submitted = []
    real = parallel._Pool.submit
    monkeypatch.setattr(parallel._Pool, "submit", lambda self, fn, arg: submitted.append(fn) or real(self, fn, arg))
    default = run(capsys, "--format", "json", "export.jsonl")
    assert submitted and set(submitted) == {parallel._check_conversations}
    assert default == run(capsys, "--jobs", "1", "--format", "json", "export.jsonl")


def test_spawned_workers_where_fork_is_missing_give_the_same_output(tmp_path, monkeypatch, capsys, small_units):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel.sys, "platform", "darwin")  # no fork: spawn, the workers load everything
    write_jsonl(tmp_path / "a.jsonl", rows(8))
    (tmp_path / "m.txt").write_text(OPENINGS[1], encoding="utf-8")
    one = run(capsys, "--jobs", "1", "--format", "json", "a.jsonl", "m.txt")
    assert one == run(capsys, "--jobs", "2", "--format", "json", "a.jsonl", "m.txt")
    assert one[1].count('"code"') > 10


def _paths(tmp_path: Path, *names: str) -> list[tuple[str, Path]]:
    for name in names:
        (tmp_path / name).write_text(OPENINGS[0], encoding="utf-8")
    return [(name, tmp_path / name) for name in names]


def test_the_warm_up_covers_the_channels_the_inputs_use(tmp_path):
    from chatlint.config import Config

    cfg = Config()
    args = Namespace(channel=None)
    messages = _paths(tmp_path, "a.txt", "b.txt", "c")
    # message files: the config's channel's message rules, no conversation check
    assert parallel.warm_channels(args, cfg, messages) == (["chat"], [])
    # exports: their channels (e-mail, Telegram's messenger; JSONL and CSV the config's)
    exports = _paths(tmp_path, "x.eml", "y.JSON", "z.jsonl", "w.csv")
    assert parallel.warm_channels(args, cfg, messages + exports) == (["chat", "email", "messenger"],
                                                                    ["chat", "email", "messenger"])
    assert parallel.warm_channels(args, cfg, _paths(tmp_path, "x.eml")) == (["chat", "email"], ["email"])
    # --channel decides for every input; stdin and unreadable inputs add nothing
    assert parallel.warm_channels(Namespace(channel="social"), cfg, messages + exports) == (["social"], ["social"])
    assert parallel.warm_channels(Namespace(channel="social"), cfg, [*messages, ("-", None)]) == (["social"], [])
    assert parallel.warm_channels(Namespace(channel="email"), Config(channel="email"), messages) == (["email"], [])


@pytest.mark.parametrize(("names", "plans"), [
    (("a.txt", "b.txt"), {"chat"}),
    (("a.txt", "x.eml", "y.jsonl"), {"chat", "email"}),
])
def test_the_warm_up_builds_the_plans_of_those_channels_only(tmp_path, monkeypatch, names, plans):
    from chatlint.cli import _Checker, build_parser

    monkeypatch.chdir(tmp_path)
    from chatlint import config, planning

    monkeypatch.setattr(config, "_default", None)  # a default config of its own: no plans built by other tests
    monkeypatch.setattr(planning, "_plain_default", None)  # (the run's, without pydantic: see planning)
    inputs = _paths(tmp_path, *names)
    args = build_parser("check").parse_args(["check", *names])
    monkeypatch.setattr(parallel, "_worker", None)
    monkeypatch.setattr(parallel, "_freeze", lambda: None)  # no gc.freeze in the test process
    pool = parallel._Pool(args, 2, inputs, _Checker)
    pool._warm_up()
    cfg = parallel._worker.config_for(inputs[0][1])
    assert set(cfg._plans) == plans


def test_each_input_is_sized_once_by_the_default_run(tmp_path, monkeypatch, capsys):
    """The default --jobs sizes the inputs to decide, and the batches reuse those sizes: one
    stat per file in the main process, the output as with --jobs 1."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    monkeypatch.setattr(parallel, "AUTO_MIN_BYTES", 1)
    for i in range(5):
        (tmp_path / f"m{i}.txt").write_text(f"{OPENINGS[i % 3]} {ANSWERS[i % 4].format(n=i)}", encoding="utf-8")
    sized: list[Path] = []
    real = parallel._size
    monkeypatch.setattr(parallel, "_size", lambda p: sized.append(p) or real(p))
    default = run(capsys, "--format", "json", ".")
    assert sorted(p.name for p in sized) == [f"m{i}.txt" for i in range(5)]
    assert default == run(capsys, "--jobs", "1", "--format", "json", ".")


def _batch_files(tmp_path: Path) -> list[tuple[str, str]]:
    """Message files with and without findings, a file that cannot be read (an event between
    two reports), a transcript, and a social-channel export a worker hands back."""
    (tmp_path / "social").mkdir()
    (tmp_path / "social" / "chatlint.toml").write_text('channel = "social"\n', encoding="utf-8")
    write_jsonl(tmp_path / "social" / "page.jsonl", rows(3))
    write_jsonl(tmp_path / "chats.jsonl", rows(4))
    names = []
    for i, text in enumerate([OPENINGS[1], ANSWERS[0].format(n=1), "Добрый день! Заказ передан в доставку.",
                              ANSWERS[2].format(n=2)]):
        (tmp_path / f"m{i}.txt").write_text(text, encoding="utf-8")
        names.append(f"m{i}.txt")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8broken")
    order = [names[0], names[1], "bad.txt", names[2], "social/page.jsonl", names[3], "chats.jsonl", names[0]]
    return [(name, str(tmp_path / name)) for name in order]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_batch_with_its_reports_joined_writes_what_its_reports_one_by_one_write(tmp_path, monkeypatch, fmt):
    """The worker's batch, its reports joined (:func:`chatlint.formats.joined`), and a file handed
    back: the format's output is the one of each file's events, in order, as a worker renders
    them one by one."""
    from chatlint import formats
    from chatlint.cli import _Checker, build_parser
    from chatlint.formats import Options, Rendered, Status

    monkeypatch.chdir(tmp_path)
    batch = _batch_files(tmp_path)
    args = build_parser("check").parse_args(["check", "--format", fmt, "."])
    monkeypatch.setattr(parallel, "_worker", None)
    parallel._init(args, _Checker)
    inline = _Checker(args)
    done = parallel._check_files(batch)
    assert done.count(4) == 1 and sum(type(e) is int for e in done) == 1  # the social export, handed back
    joined = list(parallel._handed_back(batch, done, inline))

    plain = []  # each file checked alone by a worker's checker, nothing joined, nothing deferred
    monkeypatch.setattr(parallel._worker, "defer_lint", None)
    for display, path in batch:
        if display.startswith("social/"):
            plain.extend(inline.check(display, Path(path)))
        else:
            plain.extend(parallel._worker.check(display, Path(path)))
    rendered = [e for e in plain if e[0] == "report" and isinstance(e[1], Rendered)]
    assert sum(1 for e in joined if e[0] == "report") < len(rendered)  # the worker's reports were joined
    assert [e for e in joined if e[0] != "report"] == [e for e in plain if e[0] != "report"]

    def output(events) -> str:
        status = Status()
        status.failures.extend(v for k, v in events if k == "error")
        reps = [v for k, v in events if k == "report"]
        return "".join(formats.stream(fmt, reps, Options(status=status)))

    assert output(joined) == output(plain)

    def count(events) -> int:
        return sum(r.findings if isinstance(r, Rendered) else len(r.findings) for k, r in events if k == "report")

    assert count(joined) == count(plain) > 0


def _worker_for(monkeypatch, tmp_path, *options: str):
    from chatlint.cli import _Checker, build_parser

    monkeypatch.chdir(tmp_path)
    args = build_parser("check").parse_args(["check", *options, "."])
    monkeypatch.setattr(parallel, "_worker", None)
    parallel._init(args, _Checker)
    return _Checker


def test_a_batch_is_read_then_linted_then_rendered(tmp_path, monkeypatch):
    """A worker reads every file of its batch up to its lint, then lints them, then renders
    them: each step's code runs from file to file (a transcript is checked when it is read)."""
    import chatlint.cli as cli

    batch = _batch_files(tmp_path)
    _worker_for(monkeypatch, tmp_path)
    steps: list[tuple[str, str]] = []
    opened, lint, present = cli._opened, cli._lint_message or cli._late()[1], parallel._worker.present

    def spy_opened(path, st=None):
        steps.append(("read", Path(path).name))
        return opened(path, st)

    def spy_lint(text, **kw):
        steps.append(("lint", text))
        return lint(text, **kw)

    def spy_present(report):
        steps.append(("render", report.path))
        return present(report)

    monkeypatch.setattr(cli, "_opened", spy_opened)
    monkeypatch.setattr(cli, "_lint_message", spy_lint)
    monkeypatch.setattr(parallel._worker, "present", spy_present)
    done = parallel._check_files(batch)
    messages = [name for name, _ in batch if name.startswith("m")]
    texts = [(tmp_path / name).read_text(encoding="utf-8") for name in messages]
    assert [s for s in steps if s[0] == "read"] == [("read", Path(p).name) for _, p in batch]
    mine = [s for s in steps if s in {("render", m) for m in messages} or s[0] == "lint"]
    assert mine == [("lint", t) for t in texts] + [("render", m) for m in messages]
    # the lints come after the last read, the message files' renderings after the last lint
    last_read = max(i for i, s in enumerate(steps) if s[0] == "read")
    assert steps.index(("lint", texts[0])) > last_read
    assert sum(type(e) is int for e in done) == 1


def test_a_batch_gives_each_files_events_as_checked_one_after_the_other(tmp_path, monkeypatch):
    """The deferred lint changes nothing a file's check gives: its notes before the lint (an
    encoding assumed), an error the check turns a lint's failure into, and the others' reports."""
    import chatlint.cli as cli

    batch = _batch_files(tmp_path)
    (tmp_path / "cp.txt").write_bytes("Добрый день! Ваш заказ передан в доставку.".encode("cp1251"))
    (tmp_path / "gone.txt").mkdir()
    batch[3:3] = [("cp.txt", str(tmp_path / "cp.txt")), ("gone.txt", str(tmp_path / "gone.txt")),
                  ("nowhere.txt", str(tmp_path / "nowhere.txt"))]
    _worker_for(monkeypatch, tmp_path)  # the text format: its reports joined are their texts one after the other
    lint = cli._lint_message or cli._late()[1]

    def failing(text, **kw):  # reading the text failed further in (EIO), in the middle of the batch
        if text.startswith("Добрый день! Ваш"):
            raise OSError(5, "Input/output error")
        return lint(text, **kw)

    monkeypatch.setattr(cli, "_lint_message", failing)
    done = parallel._check_files(batch)
    monkeypatch.setattr(parallel._worker, "defer_lint", None)
    alone = []
    for i, (display, path) in enumerate(batch):
        try:
            alone.extend(parallel._worker.check(display, Path(path)))
        except parallel._HandBack:
            alone.append(i)
    kinds = [e if type(e) is int else e[0] for e in done]
    assert kinds.count("error") == 4 and "assumed" in kinds and 7 in kinds  # bad, cp (EIO), gone, nowhere
    assert [e for e in done if type(e) is int or e[0] != "report"] == \
        [e for e in alone if type(e) is int or e[0] != "report"]
    texts = [r.text for k, r in (e for e in done if type(e) is not int) if k == "report"]
    assert "".join(texts) == "".join(r.text for k, r in (e for e in alone if type(e) is not int) if k == "report")

    def broken(text, **kw):
        raise RuntimeError("a rule failed")

    monkeypatch.setattr(parallel._worker, "defer_lint", parallel.LINT)
    monkeypatch.setattr(cli, "_lint_message", broken)
    with pytest.raises(RuntimeError, match="a rule failed"):  # as when the files were checked one by one
        parallel._check_files(batch)


def test_a_worker_is_given_its_files_as_strings_and_each_folder_keeps_its_config(tmp_path, monkeypatch):
    """A worker checks the paths of its batch as the strings they came as (no Path made for
    a message file), with the configuration of each file's folder as a Path would get: a
    folder's own, a file of the working directory (whose folder is written "") apart from a
    file of the root's, a link by its target's folder."""
    import os

    import chatlint.cli as cli
    from chatlint.cli import _Checker, build_parser

    work = tmp_path / "work"
    for folder in ("english", "plain", "links"):
        (work / folder).mkdir(parents=True)
    (work / "english" / "chatlint.toml").write_text('lang = "en"\n', encoding="utf-8")
    text = "привет!!! вы можете оплатить картой)))\n"
    for name in ("english/m0.txt", "english/m1.txt", "plain/m0.txt", "m.txt"):
        (work / name).write_text(text, encoding="utf-8")
    os.symlink(work / "english" / "m0.txt", work / "links" / "linked.txt")
    names = ["english/m0.txt", "m.txt", str(work / "plain" / "m0.txt"), "links/linked.txt", str(work / "english/m1.txt"),
             "plain/m0.txt", "english/m1.txt"]
    batch = [(name, name) for name in names]
    _worker_for(monkeypatch, work)
    given: list[type] = []
    check = parallel._worker.check
    monkeypatch.setattr(parallel._worker, "check", lambda display, path: given.append(type(path)) or check(display, path))
    done = parallel._check_files(batch)
    assert given == [str] * len(batch)
    monkeypatch.chdir(work)
    alone = _Checker(build_parser("check").parse_args(["check", "."]))
    reports = [cli._Checker.present(alone, r) for k, r in (e for d, p in batch for e in alone.check(d, cli.Path(p)))
               if k == "report"]
    from chatlint.formats import text as text_format

    expected = "".join(text_format.chunk(r, parallel._worker.options)[0] for r in reports if r.findings)
    assert [k for k, _ in done] == ["report"] and done[0][1].text == expected
    english = {ln.split(":")[0] for ln in expected.splitlines() if "Informal greeting" in ln}
    assert english == {"english/m0.txt", "links/linked.txt", str(work / "english/m1.txt"), "english/m1.txt"}


@pytest.mark.parametrize("path", ["", ".", "..", "/", "//", "a", "a.txt", ".txt", "..txt", "a.", "a..", "a.b.txt",
                                  "dir.d/x", "dir.d/x.TXT", "/abs/x.json", "../x.eml", "a/.hidden", "a b/c d.txt"])
def test_the_suffix_of_a_path_string_is_the_paths(path):
    from pathlib import PurePath

    from chatlint.cli import _suffix

    p = PurePath(path)
    assert _suffix(str(p)) == p.suffix == _suffix(p)


def test_joined_reports_keep_their_counts_and_the_worst_severity():
    from chatlint.formats import Rendered, joined

    a = Rendered("json", '{"a": 1}', 1, 1, 1)
    none = Rendered("json", "", 0, 0, -1)
    b = Rendered("json", '{"b": 2}', 2, 0, 2)
    assert joined(a, b) == Rendered("json", '{"a": 1},\n{"b": 2}', 3, 1, 2)
    assert joined(none, a) == a and joined(a, none) == a and joined(a) is a
    assert joined(a, none, b, a) == Rendered("json", '{"a": 1},\n{"b": 2},\n{"a": 1}', 4, 2, 2)
    assert joined(Rendered("json", "", 0, 0, 2), a) == Rendered("json", '{"a": 1}', 1, 1, 2)
    assert joined(Rendered("text", "x\n", 1, 0, 0), Rendered("text", "y\n", 1, 1, 1)) == Rendered("text", "x\ny\n", 2, 1, 1)


# ------------------------------------------------------------------ the forked workers


def _pid_and(arg):
    import os

    return os.getpid(), arg


def _fail(arg):
    raise ValueError(f"bad {arg}")


def _exit_now(arg):
    import os

    os._exit(3)


def _echo_size(arg):
    return b"y" * len(arg)


@pytest.fixture
def forked():
    pools = []

    def make(jobs=2):
        pool = parallel._Forked(jobs, lambda: None, ())
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.shutdown()


def test_forked_workers_answer_each_task_in_submission_order_and_share_the_work(forked):
    import os

    pool = forked(2)
    tasks = [pool.submit(_pid_and, k) for k in range(40)]
    results = [t.result() for t in tasks]
    assert [arg for _, arg in results] == list(range(40))
    pids = {pid for pid, _ in results}
    assert len(pids) == 2 and os.getpid() not in pids
    assert all(t.done() for t in tasks)


def test_large_tasks_and_results_both_ways_do_not_block_the_pipes(forked):
    pool = forked(2)
    big = b"x" * (3 << 20)  # far more than a pipe holds, tasks held and results coming at once
    tasks = [pool.submit(_echo_size, big[: (1 << 20) + k]) for k in range(8)]
    assert [len(t.result()) for t in tasks] == [(1 << 20) + k for k in range(8)]


def test_an_exception_in_a_worker_is_raised_by_its_result_with_the_workers_traceback(forked):
    pool = forked(2)
    bad = pool.submit(_fail, 7)
    good = pool.submit(_pid_and, 8)
    with pytest.raises(ValueError, match="bad 7") as info:
        bad.result()
    assert "_fail" in str(info.value.__cause__)
    assert good.result()[1] == 8  # the worker goes on


def test_a_worker_that_dies_fails_its_tasks_instead_of_hanging(forked):
    pool = forked(1)
    dead = pool.submit(_exit_now, None)
    after = pool.submit(_pid_and, 1)
    with pytest.raises(parallel.WorkerDied, match="exit code 3"):
        dead.result()
    with pytest.raises(parallel.WorkerDied):
        after.result()


def test_the_batches_get_smaller_toward_the_end_and_hold_every_file_once(tmp_path, monkeypatch):
    from chatlint.cli import _Checker, build_parser

    names = [f"m{i:04d}.txt" for i in range(300)]
    inputs = _paths(tmp_path, *names)
    inputs.insert(150, ("missing.txt", parallel.InputError("no such file")))
    args = build_parser("check").parse_args(["check", *names])
    batches = []

    class Pool:
        jobs = 2
        base = _Checker

        def submit(self, fn, files):
            batches.append([name for name, _ in files])

    slots = list(parallel._slots(args, inputs, _Checker(args), Pool()))
    assert [n for b in batches for n in b] == names  # in order, each once
    sizes = [len(b) for b in batches]
    assert sizes[:4] == [parallel.BATCH_FILES] * 4
    assert sum(sizes[:5]) == 150  # the missing file ends a batch
    tail = sizes[5:]  # [32, 29, 22, 16, 12, 9, 7, 5, 4, 4, 4, 4, 2]: a quarter of what is left
    assert all(a >= b for a, b in zip(tail, tail[1:], strict=False)) and tail[0] == parallel.BATCH_FILES
    assert tail[-1] <= parallel.BATCH_FILES_LAST and tail[-2] == parallel.BATCH_FILES_LAST < tail[-6]
    assert sum(s[0] == "events" for s in slots) == 1


def test_workers_stopped_idle_are_not_waited_for_but_reaped_later(forked):
    import os
    import time

    pool = forked(2)
    assert [t.result()[1] for t in [pool.submit(_pid_and, k) for k in range(6)]] == list(range(6))
    pids = {w.pid for w in pool.workers}
    pool.shutdown()
    assert pids <= set(parallel._ending)  # the run's end does not wait for their teardown
    deadline = time.monotonic() + 30
    while pids & set(parallel._ending) and time.monotonic() < deadline:
        time.sleep(0.01)
        parallel._reap()
    assert not pids & set(parallel._ending)
    for pid in pids:  # reaped: no zombie left
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_workers_stopped_with_tasks_left_are_waited_for(forked):
    import os

    pool = forked(1)
    pool.submit(_pid_and, 1)  # held, not read back
    pids = {w.pid for w in pool.workers}
    pool.shutdown()
    assert not pids & set(parallel._ending)
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)

def _killed(files):
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("output", [False, True])
def test_a_killed_worker_ends_the_run_with_a_one_line_error_not_a_traceback(tmp_path, monkeypatch, capsys, output):
    monkeypatch.chdir(tmp_path)
    msgs = tmp_path / "messages"
    msgs.mkdir()
    for i in range(40):
        (msgs / f"m{i:03d}.txt").write_text(f"{OPENINGS[i % 3]} {ANSWERS[i % 4].format(n=i)}", encoding="utf-8")
    monkeypatch.setattr(parallel, "_check_files", _killed)  # the workers are forked: they run it
    argv = ["--jobs", "2", "messages"] + (["--output", "out.json", "--format", "json"] if output else [])
    code, out, err = run(capsys, *argv)
    assert code == 2  # an error's exit code, not the findings'
    assert "Traceback" not in err and "WorkerDied" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("chatlint: error: ")
    assert "SIGKILL" in lines[0] and "--jobs 1" in lines[0]
    if output:  # the run stopped: no report, and no temporary file left beside it
        assert sorted(p.name for p in tmp_path.iterdir()) == ["messages"]


def test_a_broken_spawned_pool_is_the_same_one_line_error():
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    future = Future()
    future.set_exception(BrokenProcessPool("A process in the process pool was terminated abruptly"))
    with pytest.raises(parallel.WorkerDied, match="--jobs 1"):
        list(parallel._resolve(("future", future, lambda done: done)))


def test_forked_workers_work_in_a_process_with_descriptors_past_fd_setsize(forked):
    import os
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1100:
        pytest.skip("cannot open more than 1,024 descriptors here")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1100) if soft != resource.RLIM_INFINITY else soft, hard))
    held = []
    try:
        while not held or held[-1] < 1030:  # an application, a long server: select() takes no fd >= 1024
            held.append(os.open(os.devnull, os.O_RDONLY))
        pool = forked(2)
        assert min(w.results_fd for w in pool.workers) >= 1024
        tasks = [pool.submit(_pid_and, k) for k in range(10)]
        assert [t.result()[1] for t in tasks] == list(range(10))
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


_PRINTS = """
import sys
import warnings

import chatlint.parallel as parallel


def chatty(arg):  # a rule or a plugin that prints, and a warning: neither line-ended
    print(f"task {arg} said", end="")
    sys.stderr.write(f"task {arg} warned ")
    return arg


pool = parallel._Forked(2, lambda: None, ())
print([pool.submit(chatty, k).result() for k in range(4)], end=" ")
pool.shutdown()
"""


def test_what_a_task_prints_in_a_forked_worker_reaches_the_output():
    import os
    import subprocess
    import sys

    # stdout and stderr are pipes here: buffered (what os._exit does not flush)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    r = subprocess.run([sys.executable, "-c", _PRINTS], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    assert "[0, 1, 2, 3]" in r.stdout
    for k in range(4):
        assert f"task {k} said" in r.stdout and f"task {k} warned" in r.stderr


def test_a_worker_gets_its_next_task_queued_but_not_the_last_tasks_of_the_run():
    pool = object.__new__(parallel._Forked)  # no process: what is handed to whom
    pool.workers = [parallel._Worker(pid, 0, 0) for pid in (101, 102)]
    pool.waiting = parallel.deque((parallel._Task(pool), b"t%d" % k) for k in range(7))
    pool._hand_out()
    assert [len(w.held) for w in pool.workers] == [2, 2]  # the one it runs, and the next in its pipe
    assert bytes(pool.workers[0].outgoing) == b"t0t2" and len(pool.waiting) == 3
    pool.workers[0].held.clear()  # its two tasks done
    pool._hand_out()  # no second one: two tasks are left for two workers
    assert [len(w.held) for w in pool.workers] == [1, 2] and len(pool.waiting) == 2
    pool.workers[1].held.popleft()
    pool._hand_out()
    assert [len(w.held) for w in pool.workers] == [1, 1] and len(pool.waiting) == 2
    pool.workers[1].held.popleft()
    pool._hand_out()  # the last tasks go to the first worker free, each queued behind none
    assert [len(w.held) for w in pool.workers] == [1, 1] and len(pool.waiting) == 1
    assert bytes(pool.workers[1].outgoing) == b"t1t3t5"
    pool.workers[1].pid = 0  # a worker that died gets nothing
    pool.workers[1].held.clear()
    pool.waiting.extend((parallel._Task(pool), b"u%d" % k) for k in range(3))
    pool.workers[0].held.clear()
    pool._hand_out()
    assert len(pool.workers[0].held) == 2 and not pool.workers[1].held and len(pool.waiting) == 2


def test_a_worker_whose_task_pipe_closes_mid_task_stops_quietly():
    # the main process stopped (its output closed: `| head -1`, another worker killed) while it
    # was writing a large task: the worker reads part of a frame, then the end of the pipe
    import os

    tasks_r, tasks_w = os.pipe()
    results_r, results_w = os.pipe()
    frame = parallel._frame((_pid_and, "x" * 1000))
    os.write(tasks_w, frame[:300])
    os.close(tasks_w)
    try:
        parallel._serve(tasks_r, results_w)  # returns: no traceback of a truncated pickle
    finally:
        os.close(results_r)
