"""``chatlint check --jobs N``: the inputs checked by N worker processes, the output streamed in
input order and byte-identical to ``--jobs 1``.

The default is every available core (``os.sched_getaffinity``) when there is more than one
unit of work and enough of it to pay for starting the workers (``AUTO_MIN_BYTES`` of input):
one small file is checked in this process.

Units of work:

* a file under ``SPLIT_BYTES`` is checked whole by a worker (message files and small exports,
  in batches of up to ``BATCH_FILES`` files or ``BATCH_BYTES`` bytes);
* a larger file (one large export) is read here, conversation by conversation as its reader
  streams it, and its conversations go to the workers in batches of about
  ``BATCH_MESSAGES`` messages: one export uses every core. A UTF-8 JSONL export is read here
  only for where each conversation's lines are (``jsonl.locate``: offsets, line numbers and
  CRCs), and the workers read their conversations' lines again (``jsonl.located``) from the
  same file (its device and inode; a line changed since is reported, not misread); its
  conversations are checked while it is still read, up to ``EARLY_MESSAGES`` messages, until
  their lines interleave (see Splitter); a conversation checked in parts is read here and its
  parts go to the workers.

The workers render what they found in the output format (:func:`chatlint.formats.prerender`):
this process writes their text in order, without unpickling or rendering findings, so it stays
cheap. At most ``AHEAD`` batches per worker are in flight (memory stays bounded whatever the
size of the input), and each is written as soon as it and everything before it is done.

Cross-conversation state stays exact: T013 (the same reply to different clients, social
channel) compares every conversation with the ones checked before it, so a conversation whose
plan has T013 is checked in this process, in input order, with the run's one
:class:`chatlint.archive.NearDuplicates` (a worker that meets one in a file it checks whole
hands the file back). Such conversations do not run in parallel; everything else does.

Workers start with ``fork`` where the platform has it (they inherit the loaded rules, plans,
configuration and the morphology dictionary, warmed here once; :class:`_Forked`), else with
``spawn`` (``concurrent.futures.ProcessPoolExecutor``).
"""

from __future__ import annotations

import os
import stat
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from . import _cli_env
from .errors import ConfigError, InputError, WorkerDied
from .formats import Failure, Options, Rendered, Report, joined, prerender

SPLIT_BYTES = 256 * 1024  # a file at least this large is split by conversation
AUTO_MIN_BYTES = 256 * 1024  # the default --jobs starts workers for at least this much input
BATCH_MESSAGES = 300  # messages of a large export per worker task
EARLY_MESSAGES = 20_000  # ... checked while the export is still being read, at most (see Splitter)
BATCH_FILES = 32  # small files per worker task
BATCH_FILES_LAST = 4  # ... fewer toward the end of the run, down to this many (see _slots)
BATCH_BYTES = 128 * 1024  # ... or this many bytes of them
AHEAD = 4  # tasks in flight per worker

Event = tuple[str, object]  # as chatlint.cli makes them
_SAMPLE = ("Здравствуйте, меня зовут Анна, чем я могу Вам помочь? Ваш заказ №4821 передан курьеру, щас уточню "
           "время доставки!!! Если будут вопросы, пишите )) Всего доброго!")
Slot = tuple  # ("events", [Event]) | ("call", fn -> events) | ("future", Future, fn(result) -> events)


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        count = getattr(os, "process_cpu_count", os.cpu_count)
        return max(1, count() or 1)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the check reports it


def _sizes(inputs: list[tuple[str, object]]) -> list[int | None]:
    """The size of each input that is a file (None for the others), stat'ed once for the run."""
    return [_size(p) if isinstance(p, Path) else None for _, p in inputs]


def jobs_for(args, inputs: list[tuple[str, object]], sizes: list[int | None] | None = None) -> int:
    """The number of worker processes: ``--jobs``, else every available core when there is
    more than one unit of work (two files, or one file large enough to split) and at least
    ``AUTO_MIN_BYTES`` of input; 1 (no workers) otherwise. ``sizes``: :func:`_sizes` of the
    inputs, when the caller has them."""
    if args.jobs is not None:
        return max(1, args.jobs)
    cores = available_cores()
    if cores < 2:
        return 1
    files = [s for s in (_sizes(inputs) if sizes is None else sizes) if s is not None]
    if (len(files) < 2 and not any(s >= SPLIT_BYTES for s in files)) or sum(files) < AUTO_MIN_BYTES:
        return 1
    return cores


# ------------------------------------------------------------------ worker processes


#: What a worker's checker yields to ask for the lint of a message file (``defer_lint``).
LINT = object()


class _HandBack(Exception):
    """A worker met a conversation that must be checked in the main process."""


def _kinds(base: type) -> tuple[type, type]:
    """The two checkers of a parallel run, made from ``chatlint check``'s checker ``base``
    (:class:`chatlint.cli._Checker`, given by the CLI: this module never imports it)."""
    if base in _made:
        return _made[base]

    class WorkerChecker(base):
        """The checker of a worker process: reports leave it rendered, and a conversation that
        needs the run's order is handed back."""

        defer_lint = LINT  # its message files are linted by _check_files, a batch at a time

        def __init__(self, args) -> None:
            super().__init__(args)
            self.options = Options(show_source=not args.no_source)

        def present(self, report: Report):
            args = self.args
            if args.summary:  # the main process only needs the worst severity (the exit code)
                from .findings import SEVERITY_RANK

                worst = max((SEVERITY_RANK[f.severity] for f in report.findings), default=-1)
                return Rendered(args.format, "", len(report.findings), 0, worst)
            if args.statistics:  # counted by rule in the main process
                return report
            return prerender(args.format, report, self.options) or report

        def conversation(self, display, t, spec, cfg):
            if self.needs_order(t, spec, cfg):
                raise _HandBack
            return super().conversation(display, t, spec, cfg)

    class Splitter(base):
        """Reads a large export in the main process and hands its conversations to the workers
        in batches (a conversation that needs the run's order is checked by ``inline``, here).
        Its events are slots, resolved in order by :func:`events`."""

        def __init__(self, args, inline, pool: _Pool) -> None:
            super().__init__(args)
            self.inline = inline
            self.pool = pool
            self.path: Path | None = None
            self.identity: tuple[int, int] | None = None  # the file's (device, inode), as read here

        def split(self, display: str, path: Path) -> Iterator[Event]:
            self.path = path
            return self.check(display, path)

        def stream(self, module, source, display, spec, cfg, options):
            # a reader that can say where each conversation's lines are (``locate``) reads the
            # file here for the conversations' ids, and the workers read their lines again
            # (their messages are not sent down the pipes), unless the run's order is needed
            # (a worker opens the file by its path, and checks it is still the file read here)
            if hasattr(module, "locate") and source.locatable and not self.needs_order(_NO_CHANNEL, spec, cfg):
                try:
                    st = os.fstat(source.fh.fileno())
                except (AttributeError, OSError, ValueError):  # read whole into memory (io.BytesIO) just now
                    try:
                        st = os.stat(self.path)
                    except (OSError, TypeError, ValueError):
                        st = None
                if st is not None and stat.S_ISREG(st.st_mode):
                    self.identity = (st.st_dev, st.st_ino)
                    return self._parted(module, source, display, cfg,
                                        module.locate(source, display, cfg.operator_names, early=True, **options))
            self.identity = None
            return super().stream(module, source, display, spec, cfg, options)

        @staticmethod
        def _parted(module, source, display: str, cfg, items: Iterable) -> Iterator:
            """``items``, where a conversation too long to be checked whole (checked in parts of
            ``MAX_CONVERSATION_MESSAGES``) is read here, its parts given as transcripts (and its
            note): they go to the workers in batches as other conversations do, instead of the
            whole conversation to one worker in one task (no parallelism, and a result holding the
            findings of all its messages at once: an export without conversation ids is one)."""
            from .readers import Located, common

            for item in items:
                if type(item) is Located and item.final and len(item) > common.MAX_CONVERSATION_MESSAGES:
                    yield from module.located(source.fh, display, cfg.operator_names, item)
                else:
                    yield item

        def _transcripts(self, display: str, items, spec, cfg) -> Iterator[Event]:
            from .readers import Located, Problem, common

            args = self.args
            if args.fix or args.diff:
                yield "note", (f"{display}: note: --fix rewrites message files only; this transcript ({spec.name}) "
                               "is checked")
            state = self.file_state(display, cfg)
            batch: list = []
            size = 0
            # conversations given early (Located, final=False: the file is still being read),
            # checked by the workers meanwhile: by id, (their messages, the task, their place in it)
            early: dict[str, tuple[int, object, int]] = {}
            ahead: list = []  # ... those not sent yet
            gathered = 0  # ... and their messages
            sent = 0  # messages sent early: at most EARLY_MESSAGES (their results wait here)
            last = None  # the last task sent early

            def submit(conversations: list):
                task = (display, str(self.path), spec.name, conversations, self.identity)
                return self.pool.submit(_check_conversations, task)

            def checked(group: list) -> Iterator[Event]:  # what one conversation's check gave
                for c in group:
                    yield from state.problem(c) if isinstance(c, Problem) else state.add(c)

            def flush() -> Iterator[Event]:
                nonlocal batch, size
                if batch:
                    future = submit(batch)
                    yield "slot", ("future", future, lambda done: (e for group in done for e in checked(group)))
                    batch, size = [], 0

            for item in items:
                if isinstance(item, Problem):
                    yield from flush()
                    yield "slot", ("events", list(state.problem(item)))
                elif isinstance(item, Located) and not item.final:
                    # (a conversation checked in parts is read here once the file is: see _parted)
                    n = len(item)
                    if sent + n <= EARLY_MESSAGES and n <= common.MAX_CONVERSATION_MESSAGES:
                        ahead.append(item)
                        sent += n
                        gathered += n
                        if gathered >= BATCH_MESSAGES:
                            last = submit(ahead)
                            early.update((c.cid, (len(c), last, i)) for i, c in enumerate(ahead))
                            ahead, gathered = [], 0
                    if last is not None:
                        last.done()  # the results the workers sent meanwhile read (their pipes emptied)
                elif isinstance(item, Located):  # located: not needing the run's order (stream)
                    ahead.clear()  # the file is read: what was not sent early goes as the rest
                    got = early.pop(item.cid, None)
                    if got is not None and got[0] == len(item):  # checked early, and whole
                        yield from flush()
                        yield "slot", ("future", got[1], lambda done, i=got[2]: checked(done[i]))
                        continue
                    batch.append(item)
                    size += len(item)
                    if size >= BATCH_MESSAGES:
                        yield from flush()
                elif self.needs_order(item, spec, cfg):
                    yield from flush()
                    yield "slot", ("call", lambda t=item: state.add(self.inline.conversation(display, t, spec, cfg)))
                else:
                    batch.append(item)
                    size += len(item.messages)
                    if size >= BATCH_MESSAGES:
                        yield from flush()
            yield from flush()
            yield "slot", ("call", state.end)

    _made[base] = WorkerChecker, Splitter
    return _made[base]


_made: dict[type, tuple[type, type]] = {}
_NO_CHANNEL = type("NoChannel", (), {"channel": None})()  # a conversation of a file with no channel of its own
_worker = None  # a worker process's checker


def _init(args, base: type) -> None:
    global _worker
    if _worker is None or _worker.args is not args:
        _worker = _kinds(base)[0](args)


def _check_files(batch: list[tuple[str, str]]) -> list[Event | int]:
    """Check whole files: the events of the batch in order, where a file to check in the main
    process (:class:`_HandBack`) is its index in the batch. Reports rendered here that follow
    one another are one (:func:`chatlint.formats.joined`): the main process writes a text a
    batch, not one a file (unless ``--summary``, whose reports carry no text).

    The batch is checked in three passes (the worker's checker defers the lint of a message
    file: :data:`LINT`): every file read up to its lint (a transcript is checked whole), then
    the lints, then what follows them (the reports rendered). Each pass runs the same code
    from file to file while it is in the CPU's caches; file by file, the lint evicted the code
    of reading and rendering at every file (on 2,000 message files, ~90 µs of each file's
    ~0.5 ms outside the lint, ~65 µs in passes). The events are each file's own, in the order
    of the files, as when the files were checked one after the other."""
    assert _worker is not None
    files: list[tuple[list, Iterator, tuple | None] | None] = []  # None: handed back
    for display, path in batch:
        gen = _worker.check(display, path)  # the path as a string (see _Checker.check)
        events: list = []
        try:
            files.append((events, gen, _advance(gen, events)))
        except _HandBack:
            files.append(None)
    linted: list[tuple[object, BaseException | None]] = []
    for file in files:
        if file is not None and file[2] is not None:
            _, lint, text, kw = file[2]
            try:
                linted.append((lint(text, **kw), None))
            except Exception as exc:  # raised where the check asked for it (its handling is the check's)
                linted.append((None, exc))
    done = iter(linted)
    out: list[Event | int] = []
    run: list[Rendered] = []  # rendered reports that follow one another, joined once the run ends
    join = not _worker.args.summary

    def end_run() -> None:
        if run:
            out.append(("report", joined(*run)))
            run.clear()

    for i, file in enumerate(files):
        if file is not None and file[2] is not None:
            events, gen, _ = file
            try:
                _advance(gen, events, *next(done))
            except _HandBack:
                file = None
        if file is None:
            end_run()
            out.append(i)
            continue
        for event in file[0]:
            if join and event[0] == "report" and type(event[1]) is Rendered:
                run.append(event[1])
            else:
                end_run()
                out.append(event)
    end_run()
    return out


def _advance(gen: Iterator, events: list, value: object = None, error: BaseException | None = None) -> tuple | None:
    """Run a file's check (``gen``, a generator) on, its events added to ``events``, until it
    asks for a lint (the request returned: :data:`LINT`) or ends (None). ``value``:
    what its last request gets (the findings), or ``error``: what the lint raised."""
    try:
        item = gen.send(value) if error is None else gen.throw(error)
        while item[0] is not LINT:
            events.append(item)
            item = next(gen)
    except StopIteration:
        return None
    return item


def _check_conversations(task: tuple) -> list[list]:
    """Check a batch of conversations of one large file, read by the main process: transcripts,
    or where their lines are (:class:`chatlint.readers.Located`: read here, with the notes and
    problems of reading them in their place). For each, what its check gave (a transcript
    read in parts gives more than one). ``identity``: the (device, inode) of the file the main
    process read; a file removed or replaced since (a new file renamed over it) is not read
    here: each conversation is reported skipped."""
    from .readers import READERS, Problem
    from .transcript import Transcript

    assert _worker is not None
    display, path, reader, batch, identity = task
    cfg = _worker.config_for(Path(path))
    spec = READERS[reader]
    if all(type(t) is Transcript for t in batch):
        return [[_worker.conversation(display, t, spec, cfg)] for t in batch]
    module = spec.reader()
    try:
        fh = open(path, "rb")  # noqa: SIM115  (closed below)
    except OSError:
        fh = None
    if fh is not None:
        st = os.fstat(fh.fileno())
        if (st.st_dev, st.st_ino) != identity:
            fh.close()
            fh = None

    def check(where) -> list:
        if type(where) is Transcript:  # a part of a long conversation, read by the main process
            return [_worker.conversation(display, where, spec, cfg)]
        if fh is None:
            return [Problem(where.lines[1] if len(where) else None,
                            f"replaced or removed while the file was checked; conversation {where.cid} skipped")]
        return [_worker.conversation(display, item, spec, cfg) if type(item) is Transcript else item
                for item in module.located(fh, display, cfg.operator_names, where)]

    try:
        return [check(where) for where in batch]
    finally:
        if fh is not None:
            fh.close()


# ------------------------------------------------------------------ the main process


class _Pool:
    """The worker processes, started at the first task."""

    def __init__(self, args, jobs: int, inputs: list, base: type) -> None:
        self.args = args
        self.base = base
        self.jobs = jobs
        self.inputs = inputs
        self.executor = None

    def submit(self, fn: Callable, arg):
        if self.executor is None:
            self.executor = self._start()
        return self.executor.submit(fn, arg)

    def _start(self):
        if sys.platform == "linux":
            # fork: the workers inherit what is loaded here (warmed once) instead of loading it
            # each; this process runs no threads of its own, so forking is safe
            try:
                self._warm_up()
            finally:
                _freeze()
            return _Forked(self.jobs, _init, (self.args, self.base))
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _cli_env.started(freeze=False)
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init, initargs=(self.args, self.base))

    def _warm_up(self) -> None:
        """Load what every worker needs before they fork: the config and plans of the first
        file's tree, the rules' renderings, and the morphology dictionary."""
        global _worker
        from .morph import analyzer

        args = self.args
        first = next((p for _, p in self.inputs if isinstance(p, Path)), None)
        checker = _kinds(self.base)[0](args)
        try:
            cfg = checker.config_for(first)
            checker.summaries(cfg)
        except ConfigError:
            return  # the workers report it, file by file
        analyzer()
        from . import encoding, readers  # noqa: F401  (what reading a file needs)

        # the first check builds what the rules compile lazily (lexicons, phrase automata,
        # plans, the spelling dictionary): once here, not once per worker
        from .engine import check_message, check_transcript

        messages, conversations = warm_channels(args, cfg, self.inputs)
        for channel in messages:
            # as the run checks a message file (its --first, --last): the rules of a first or last
            # message only (greeting, introduction, farewell) are warmed by a transcript's check below
            found = check_message(_SAMPLE, channel=channel, first=args.first, last=args.last, config=cfg)
            checker.present(Report("warm-up.txt", _SAMPLE, found, summaries=checker.summaries(cfg)))
        for channel in conversations:
            from .transcript import Message, Transcript  # (a run of message files needs neither)

            said = (Message(role="client", author="Клиент", text="Здравствуйте, где мой заказ?"),
                    Message(role="operator", author="Анна", text=_SAMPLE))
            check_transcript(Transcript(conversation_id="warm-up", channel=channel, messages=said), cfg)
        _worker = checker

    def shutdown(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


# ------------------------------------------------------------------ forked workers


class _Task:
    """A task given to :class:`_Forked`: ``done()`` and ``result()``, as a
    ``concurrent.futures.Future`` answers them (the result, or the worker's exception raised)."""

    __slots__ = ("_pool", "_done", "_value", "_error")

    def __init__(self, pool: _Forked) -> None:
        self._pool = pool
        self._done = False
        self._value: object = None
        self._error: BaseException | None = None

    def done(self) -> bool:
        if not self._done:
            self._pool.poll(0)
        return self._done

    def result(self):
        while not self._done:
            self._pool.poll(None)
        if self._error is not None:
            raise self._error
        return self._value

    def _set(self, value=None, error: BaseException | None = None) -> None:
        self._value, self._error, self._done = value, error, True


class _RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker process (its ``__cause__`` here)."""

    def __str__(self) -> str:
        return self.args[0]


class _Worker:
    """One forked worker: its process id, the pipe its tasks go down (non-blocking: this
    process never waits on a full pipe while the worker waits on its full result pipe), the
    pipe its results come up, and the tasks it holds, oldest first."""

    __slots__ = ("pid", "tasks_fd", "results_fd", "outgoing", "incoming", "held")

    def __init__(self, pid: int, tasks_fd: int, results_fd: int) -> None:
        self.pid = pid
        self.tasks_fd = tasks_fd
        self.results_fd = results_fd
        self.outgoing = bytearray()  # what is still to be written down the task pipe
        self.incoming = bytearray()  # what came up the result pipe and is not a whole frame yet
        self.held: deque[_Task] = deque()


_HEADER = 8  # a frame: its length on 8 bytes (big-endian), then a pickle


def _frame(value: object) -> bytes:
    import pickle

    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(_HEADER, "big") + data


class _Forked:
    """``jobs`` worker processes forked from this one (what it loaded is theirs without a
    copy), fed over pipes by this process: the part of ``concurrent.futures.ProcessPoolExecutor``
    that ``--jobs`` uses (``submit``, ``shutdown``; tasks answer ``done()`` and ``result()``),
    without its threads, queues and locks (whose work took the main process twice the CPU
    of writing the output), and without importing ``multiprocessing`` and
    ``concurrent.futures`` (~10 ms before the workers start). A worker holds at most ``HOLD``
    tasks (the one it runs and the next, already in its pipe: it never waits for this process
    between two tasks, ~0.5 ms a task with one); the others wait here and go to the first
    worker with room. A second task is handed only while more tasks wait than there are
    workers: the last tasks of a run go one at a time to the first worker free, so that no
    worker idles at the end while another still has a queue (the batches of a large export
    do not get smaller toward its end, as those of files do: :func:`_slots`). An exception raised
    by a task is raised by its ``result()`` (its traceback as the cause); a worker that dies
    fails the tasks it held (:class:`WorkerDied`)."""

    HOLD = 2

    def __init__(self, jobs: int, initializer: Callable, initargs: tuple) -> None:
        import pickle  # noqa: F401  (here, once: not once in each worker, ~5 ms)
        import select  # noqa: F401

        _reap()
        self.waiting: deque[tuple[_Task, bytes]] = deque()
        self.workers: list[_Worker] = []
        for _ in range(jobs):
            self.workers.append(self._fork(initializer, initargs))

    def _fork(self, initializer: Callable, initargs: tuple) -> _Worker:
        tasks_r, tasks_w = os.pipe()
        results_r, results_w = os.pipe()
        _flush_std()  # nothing buffered here is written twice
        pid = os.fork()
        if pid == 0:  # the worker: it never returns from here
            code = 1
            try:
                os.close(tasks_w)
                os.close(results_r)
                for w in self.workers:  # its siblings' pipes are not its own
                    os.close(w.tasks_fd)
                    os.close(w.results_fd)
                initializer(*initargs)
                _serve(tasks_r, results_w)
                code = 0
            except (KeyboardInterrupt, BrokenPipeError):  # interrupted, or the main process stopped reading
                pass
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                _flush_std()  # what it printed last (os._exit flushes nothing)
                # its copies of the command's stdout and stderr closed now, not as the process
                # is torn down: a reader of the command's output sees it end with the command
                os.closerange(1, 3)
                os._exit(code)
        os.close(tasks_r)
        os.close(results_w)
        os.set_blocking(tasks_w, False)
        return _Worker(pid, tasks_w, results_r)

    def submit(self, fn: Callable, arg) -> _Task:
        task = _Task(self)
        self.waiting.append((task, _frame((fn, arg))))
        self.poll(0)
        return task

    def _hand_out(self) -> None:
        while self.waiting:
            live = [w for w in self.workers if w.pid]
            worker = min(live, key=lambda w: len(w.held), default=None)
            if worker is None or len(worker.held) >= self.HOLD or (worker.held and len(self.waiting) <= len(live)):
                return
            task, frame = self.waiting.popleft()
            worker.held.append(task)
            worker.outgoing += frame

    def poll(self, timeout: float | None) -> None:
        """Hand out the waiting tasks, write what the task pipes take, read what the workers
        sent: once, waiting at most ``timeout`` seconds (None: until something happens)."""
        import select

        self._hand_out()
        readers = [w.results_fd for w in self.workers if w.held]
        writers = [w.tasks_fd for w in self.workers if w.outgoing]
        if not readers and not writers:
            if self.waiting and not any(w.pid for w in self.workers):  # none is left to run them
                for task, _ in self.waiting:
                    task._set(error=WorkerDied("no worker process (--jobs) is left to check the files: run again "
                                               "with --jobs 1 to see why"))
                self.waiting.clear()
            return
        # poll, not select: select takes no descriptor past FD_SETSIZE (1,024), which a process
        # with many files open (an application calling the CLI, a long server) may give the pipes
        poller = select.poll()
        for fd in readers:
            poller.register(fd, select.POLLIN)
        for fd in writers:
            poller.register(fd, select.POLLOUT)
        ready = {fd for fd, _ in poller.poll(None if timeout is None else -int(-timeout * 1000 // 1))}
        # any event counts: a pipe whose other end closed says POLLHUP or POLLERR, and the read
        # (end of file) or the write (BrokenPipeError) that follows tells what happened
        readable = [fd for fd in readers if fd in ready]
        writable = [fd for fd in writers if fd in ready]
        for w in self.workers:
            if w.tasks_fd in writable:
                try:
                    del w.outgoing[:os.write(w.tasks_fd, w.outgoing)]
                except BlockingIOError:
                    pass
                except BrokenPipeError:
                    w.outgoing.clear()  # it died: its results pipe says so
            if w.results_fd in readable:
                self._read(w)
        self._hand_out()

    def _read(self, w: _Worker) -> None:
        import pickle

        data = os.read(w.results_fd, 1 << 20)
        if not data:
            self._died(w)
            return
        w.incoming += data
        while len(w.incoming) >= _HEADER:
            size = int.from_bytes(w.incoming[:_HEADER], "big")
            if len(w.incoming) < _HEADER + size:
                break
            ok, value, remote = pickle.loads(w.incoming[_HEADER:_HEADER + size])
            del w.incoming[:_HEADER + size]
            task = w.held.popleft()
            if ok:
                task._set(value)
            else:
                if remote:
                    value.__cause__ = _RemoteTraceback(remote)
                task._set(error=value)

    def _died(self, w: _Worker) -> None:
        """A worker's result pipe closed with tasks held: it died (killed, out of memory)."""
        try:
            _, status = os.waitpid(w.pid, 0)
            code = os.waitstatus_to_exitcode(status)
        except ChildProcessError:
            code = None
        w.pid = 0
        for task in w.held:
            task._set(error=WorkerDied(f"a worker process (--jobs) {_how(code)} before it finished its files, so the "
                                       "check is incomplete: run again, with --jobs 1 to see why if it recurs"))
        w.held.clear()
        w.outgoing.clear()

    def shutdown(self, wait: bool = True, cancel_futures: bool = True) -> None:
        """Stop the workers: their task pipes closed (a worker exits once it has read them out),
        their result pipes closed (a worker that still writes stops). Workers that were idle
        (every task done: the run's normal end) are not waited for while the kernel tears them
        down (~4 ms at the end of a run): they are reaped later (:func:`_reap`), or by the
        system once this process has ended; the others are waited for."""
        idle = not self.waiting and not any(w.held for w in self.workers)
        for w in self.workers:
            for fd in (w.tasks_fd, w.results_fd):
                try:
                    os.close(fd)
                except OSError:
                    pass
        for w in self.workers:
            if w.pid:
                if idle:
                    _ending.append(w.pid)
                else:
                    try:
                        os.waitpid(w.pid, 0)
                    except ChildProcessError:
                        pass
                w.pid = 0
        self.workers = []
        self.waiting.clear()


_ending: list[int] = []  # workers stopped idle and not waited for yet (see _Forked.shutdown)


def _reap() -> None:
    """Reap the workers of earlier runs that have ended (without waiting for the others)."""
    for pid in list(_ending):
        try:
            ended, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            ended = pid
        if ended:
            _ending.remove(pid)


def _how(code: int | None) -> str:
    """How a worker process ended, from its exit code (``os.waitstatus_to_exitcode``)."""
    if code is None:
        return "stopped"
    if code < 0:
        import signal

        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed ({name})"
    return f"stopped (exit code {code})"


def _flush_std() -> None:
    """Flush this process's ``sys.stdout`` and ``sys.stderr`` (as the interpreter does at exit,
    which a forked worker's ``os._exit`` skips), whatever they are or became."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass


def _serve(tasks_fd: int, results_fd: int) -> None:
    """A worker's loop: a task read from its pipe, run, its result (or its exception) written
    back, until the pipe is closed."""
    import pickle

    tasks = os.fdopen(tasks_fd, "rb")
    results = os.fdopen(results_fd, "wb")
    while True:
        head = tasks.read(_HEADER)
        if len(head) < _HEADER:
            return
        size = int.from_bytes(head, "big")
        data = tasks.read(size)
        if len(data) < size:  # the main process stopped while it wrote this task (its output closed, ...)
            return
        fn, arg = pickle.loads(data)
        try:
            out = _frame((True, fn(arg), None))
        except Exception as exc:  # raised by the task's result() in the main process
            import traceback

            remote = "".join(traceback.format_exception(exc))
            try:
                out = _frame((False, exc, remote))
            except Exception:  # an exception that does not pickle
                out = _frame((False, RuntimeError(f"{type(exc).__name__}: {exc}"), remote))
        _flush_std()  # what the task printed (a rule, a plugin, a warning) written before its result
        results.write(out)
        results.flush()


# the channel of a transcript format whose exports carry no channel of their own: by suffix
_EXPORT_CHANNELS = {".eml": "email", ".json": "messenger"}
_MESSAGE_SUFFIXES = ("", ".txt")  # a file that may be one operator message (or a text transcript)


def warm_channels(args, cfg, inputs: list[tuple[str, object]]) -> tuple[list[str], list[str]]:
    """What the warm-up before the fork builds, by the inputs' names: the channels whose
    message rules run (the config's, or ``--channel``; e-mail and messengers for their
    exports), and those whose conversation checks run (the channels of the transcript files
    among the inputs: none for message files). What is not warmed here is built by a worker
    when it meets it (a .txt that turns out to be a transcript, a JSONL row with a channel of
    its own), as a single process would."""
    suffixes = {p.suffix.lower() for _, p in inputs if isinstance(p, Path)}
    exports = suffixes - set(_MESSAGE_SUFFIXES)
    if args.channel:
        return [args.channel], [args.channel] if exports else []
    conversations = list(dict.fromkeys(_EXPORT_CHANNELS.get(sfx, cfg.channel) for sfx in sorted(exports)))
    return list(dict.fromkeys([cfg.channel, *conversations])), conversations


def _freeze() -> None:
    """Before the workers fork: what is loaded stays out of their collections (``gc.freeze``:
    fewer pages copied), and the collector paused for the command's start-up runs again."""
    if _cli_env.paused():
        _cli_env.started(freeze=True)  # nothing to collect: the start-up makes no garbage worth a pass
        return
    import gc

    gc.collect()
    gc.freeze()


def _slots(args, inputs: list, inline, pool: _Pool, sizes: list[int | None] | None = None) -> Iterator[Slot]:
    """The run as slots, in input order (work is submitted as the slots are made); ``sizes``:
    :func:`_sizes` of the inputs (stat'ed here when not given).

    Toward the end of the inputs the batches of files get smaller (a quarter of what is left
    per worker, down to ``BATCH_FILES_LAST``): the last task a worker takes is short, so that
    no worker finishes long before the others (a whole batch is ~20 ms of one core)."""
    batch: list[tuple[str, str]] = []
    size = 0

    def flush() -> Iterator[Slot]:
        nonlocal batch, size, limit
        if batch:
            files = batch
            future = pool.submit(_check_files, files)
            yield "future", future, lambda done: _handed_back(files, done, inline)
            batch, size = [], 0
        limit = max(BATCH_FILES_LAST, min(BATCH_FILES, left // (2 * pool.jobs)))

    left = sum(isinstance(p, Path) for _, p in inputs)  # the files not batched yet
    many = left > 1
    limit = max(BATCH_FILES_LAST, min(BATCH_FILES, left // (2 * pool.jobs)))
    splitter = _kinds(pool.base)[1](args, inline, pool)
    if sizes is None:
        sizes = _sizes(inputs)
    for (display, path), n in zip(inputs, sizes, strict=True):
        left -= isinstance(path, Path)
        if isinstance(path, InputError):
            yield from flush()
            yield "events", [("error", Failure(display, str(path)))]
        elif path is None:  # stdin: here
            yield from flush()
            yield "call", lambda d=display: inline.check(d, None)
        elif n >= SPLIT_BYTES:
            yield from flush()
            for kind, value in splitter.split(display, path):
                yield value if kind == "slot" else ("events", [(kind, value)])
        elif not many:
            yield "call", lambda d=display, p=path: inline.check(d, p)
        else:
            batch.append((display, str(path)))
            size += n
            if len(batch) >= limit or size >= BATCH_BYTES:
                yield from flush()
    yield from flush()


def _handed_back(files: list[tuple[str, str]], done: list[Event | int], inline) -> Iterator[Event]:
    """A batch's events (:func:`_check_files`), the files handed back checked here."""
    for event in done:
        if type(event) is int:  # a conversation in it needs the run's order: the whole file here
            display, path = files[event]
            yield from inline.check(display, Path(path))
        else:
            yield event


def _resolve(slot: Slot) -> Iterable[Event]:
    kind = slot[0]
    if kind == "events":
        return slot[1]
    if kind == "call":
        return slot[1]()
    try:
        done = slot[1].result()
    except Exception as exc:
        if type(exc).__name__ == "BrokenProcessPool":  # a spawned worker died (concurrent.futures)
            raise WorkerDied("a worker process (--jobs) stopped before it finished its files, so the check is "
                             "incomplete: run again, with --jobs 1 to see why if it recurs") from exc
        raise
    return slot[2](done)


def events(args, inputs: list[tuple[str, object]], base: type) -> Iterator[Event]:
    """Every input's events, in input order, the same whatever the number of workers;
    ``base``: the checker of ``chatlint check`` (:class:`chatlint.cli._Checker`)."""
    sizes = _sizes(inputs) if args.jobs is None or args.jobs > 1 else None
    jobs = jobs_for(args, inputs, sizes)
    inline = base(args)
    if jobs == 1:
        for display, path in inputs:
            if isinstance(path, InputError):
                _cli_env.started()
                yield "error", Failure(display, str(path))
                continue
            for event in inline.check(display, path):
                # the collector, paused for the start-up, runs again once the first check has
                # built what the rules compile lazily (a no-op after that)
                _cli_env.started()
                yield event
        _cli_env.started()
        return
    pool = _Pool(args, jobs, inputs, base)
    queue: deque[Slot] = deque()
    limit = jobs * AHEAD
    try:
        for slot in _slots(args, inputs, inline, pool, sizes):
            queue.append(slot)
            while queue and (len(queue) > limit or queue[0][0] != "future" or queue[0][1].done()):
                _cli_env.started()  # when no worker was needed yet (a no-op once they fork)
                yield from _resolve(queue.popleft())
        _cli_env.started()
        while queue:
            yield from _resolve(queue.popleft())
    finally:
        pool.shutdown()
