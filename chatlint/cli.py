"""The ``chatlint`` command: check | report | rules | explain | test-rules | templates | serve | extension.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings; 2 usage, configuration or
input error (one line per bad file on stderr; the other files are still checked).
"""

from __future__ import annotations

import argparse
import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__, _cli_env  # noqa: F401  (_cli_env first: before any pydantic model is built)
from .errors import ConfigError, InputError, PackError, ReaderError, WorkerDied
from .findings import CHANNELS, SEVERITIES
from .formats import FORMATS, Failure, Options, Rendered, Report, Status
from .readers import MAX_WHOLE_BYTES, READERS, FileSource, detection

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MAX_MESSAGE_BYTES = 1_000_000  # a single operator message larger than this is not a message
# a transcript export larger than this (4 GiB) should be split; transcripts are read as a
# stream, so memory does not depend on the size (see readers.MAX_CONVERSATION_MESSAGES): an
# archive of a million messages fits in one file
MAX_INPUT_BYTES = 4 * 2**30
SMALL_BYTES = 65536  # a file smaller than this is read whole at once (and detected from those bytes)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: one line and exit 2, like every other error
        self.print_usage(sys.stderr)
        print(f"chatlint: error: {message}", file=sys.stderr)
        sys.exit(EXIT_ERROR)


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole ``chatlint`` parser. Given the ``command`` about to run (the first word of the
    arguments, see :func:`_command_of`), the ``serve`` options are added only for ``serve``: they
    live in :mod:`chatlint.server`, whose import a ``check`` need not pay for."""
    p = _Parser(prog="chatlint", description="A style linter for the replies of Russian-speaking support operators.")
    p.add_argument("--version", action="version", version=f"chatlint {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    c = sub.add_parser("check", help="check operator messages (files, directories, or - for stdin)")
    c.add_argument("paths", nargs="*", metavar="PATH",
                   help="files, directories (searched for the files of the --as format: with auto, "
                        + " ".join(f"*{sfx}" for sfx in _suffixes("auto")) + "), or -")
    c.add_argument("--format", choices=tuple(FORMATS), default="text",
                   help="output format: " + "; ".join(f"{f.name}: {f.help}" for f in FORMATS.values()))
    c.add_argument("--statistics", action="store_true", help="print the number of findings per rule instead")
    c.add_argument("--channel", choices=CHANNELS, help="channel profile")
    c.add_argument("--as", dest="as_", choices=("auto", *READERS), default="auto",
                   help="how to read the inputs (default: auto, by content and name; a .txt file without "
                        "timestamped speaker lines is one operator message): "
                        + "; ".join(f"{r.name}: {r.help}" for r in READERS.values()))
    c.add_argument("--first", action="store_true", help="the message is the operator's first in the conversation")
    c.add_argument("--last", action="store_true", help="the message is the operator's closing one")
    c.add_argument("--select", type=_codes, metavar="CODES", help="only these rules: codes, prefixes, names (S,E001)")
    c.add_argument("--ignore", type=_codes, metavar="CODES", help="skip these rules (added to the config's ignore)")
    c.add_argument("--config", metavar="FILE", help="a chatlint.toml or pyproject.toml (default: discovered)")
    c.add_argument("--fix", action="store_true", help="rewrite the files with the safe fixes applied")
    c.add_argument("--unsafe-fixes", action="store_true", help="with --fix, also apply unsafe fixes")
    c.add_argument("--diff", action="store_true",
                   help="print the fixes --fix would make as a unified diff instead of writing them")
    c.add_argument("--follow-symlinks", action="store_true",
                   help="with --fix, rewrite the file a symbolic link points to (default: refuse)")
    c.add_argument("--fail-on", choices=SEVERITIES, default="warning",
                   help="lowest severity that makes the exit code 1 (default: warning)")
    c.add_argument("--no-source", action="store_true", help="text format: do not show the offending lines")
    c.add_argument("--summary", action="store_true",
                   help="per-operator figures over the transcripts instead of the findings (with --format json: data)")
    c.add_argument("--operator", action="append", metavar="NAME",
                   help="an operator's name in the transcripts (repeatable; added to the config's operators)")
    c.add_argument("--by", choices=("operator", "channel", "day", "week"), default="operator",
                   help="with --summary: one row per operator (default), channel, day or week")
    c.add_argument("--scorecard", metavar="FILE",
                   help="with --summary: the QA scorecard (TOML; default: the shipped rules/scorecards/default.toml)")
    c.add_argument("--lang", choices=("ru", "en"),
                   help="the language of the findings' messages and of the closing line (default: the config's "
                        "lang, else ru)")
    c.add_argument("--output", "-o", metavar="FILE",
                   help="write the output (any --format) to FILE, replaced atomically when the run is done; "
                        "never one of the inputs")
    c.add_argument("--encoding", metavar="CODEC",
                   help="the inputs' encoding (default: detected: UTF-8 with or without a BOM, UTF-16 with a BOM, "
                        "cp1251, koi8-r; the output says when it was not UTF-8)")
    c.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="check in N worker processes, files and the conversations of a large export (default: "
                        "every available core when there is more than one unit of work)")
    c.add_argument("--dask", metavar="ADDRESS",
                   help="check a partitioned archive (JSONL/Parquet) on a Dask cluster: a scheduler address "
                        "(tcp://host:8786) or local:N (N local worker processes); --output FILE: the "
                        "findings as Parquet")

    tp = sub.add_parser("templates", help="the operator replies repeated across conversations (de facto scripts), "
                                          "with their counts and findings")
    tp.add_argument("paths", nargs="+", metavar="PATH", help="transcript files or directories")
    tp.add_argument("--format", choices=("text", "json"), default="text")
    tp.add_argument("--channel", choices=CHANNELS, help="channel profile for the findings")
    tp.add_argument("--as", dest="as_", choices=("auto", *READERS), default="auto", help="how to read the inputs")
    tp.add_argument("--config", metavar="FILE", help="a chatlint.toml or pyproject.toml (default: discovered)")
    tp.add_argument("--operator", action="append", metavar="NAME", help="an operator's name (repeatable)")
    tp.add_argument("--encoding", metavar="CODEC", help="the inputs' encoding (default: detected)")
    tp.add_argument("--lang", choices=("ru", "en"), help="the language of the findings' messages")
    tp.add_argument("--min-count", type=int, default=3, metavar="N", help="copies that make a template (default 3)")
    tp.add_argument("--min-words", type=int, default=6, metavar="N", help="shorter replies are left out (default 6)")
    tp.add_argument("--similarity", type=float, default=0.5, metavar="J",
                    help="word-pair Jaccard similarity that makes two replies one template (default 0.5)")
    tp.add_argument("--top", type=int, default=50, metavar="N", help="show the N most frequent (default 50; 0: all)")
    tp.add_argument("--max-groups", type=int, default=50_000, metavar="N",
                    help="distinct replies kept in memory (default 50,000, ~3.5 KB each); past it the oldest one-off "
                         "replies are forgotten first")

    rep = sub.add_parser("report", help="score conversations on a QA scorecard: one HTML file (or an .xlsx workbook)")
    rep.add_argument("paths", nargs="+", metavar="PATH", help="transcript files or directories (as for check)")
    rep.add_argument("-o", "--output", required=True, metavar="FILE",
                     help="report.html (self-contained, opens offline) or report.xlsx (sheets per operator and "
                          "per conversation)")
    rep.add_argument("--lang", choices=("ru", "en"), help="the report's language (default: the config's lang, else ru)")
    rep.add_argument("--scorecard", metavar="FILE",
                     help="the QA scorecard (TOML; default: the shipped rules/scorecards/default.toml)")
    rep.add_argument("--details", type=int, default=300, metavar="N",
                     help="HTML: the N lowest-scored conversations get a drill-down with the transcript (default 300)")
    rep.add_argument("--channel", choices=CHANNELS, help="channel profile")
    rep.add_argument("--as", dest="as_", choices=("auto", *READERS), default="auto", help="how to read the inputs")
    rep.add_argument("--config", metavar="FILE", help="a chatlint.toml or pyproject.toml (default: discovered)")
    rep.add_argument("--select", type=_codes, metavar="CODES", help="only these rules")
    rep.add_argument("--ignore", type=_codes, metavar="CODES", help="skip these rules")
    rep.add_argument("--operator", action="append", metavar="NAME", help="an operator's name (repeatable)")
    rep.add_argument("--encoding", metavar="CODEC", help="the inputs' encoding (default: detected)")
    rep.add_argument("--jobs", "-j", type=int, metavar="N", help="check files in N parallel processes")

    r = sub.add_parser("rules", help="list every rule: code, name, default severity, fix, channels")
    r.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    t = sub.add_parser("test-rules", help="run the bad/good examples of declarative rule packs")
    t.add_argument("packs", nargs="+", metavar="PACK", help="rule pack files (TOML)")

    e = sub.add_parser("explain", help="what a rule checks, why, and its examples")
    e.add_argument("rule", metavar="CODE", help="a rule code (S001) or name (paragraph-too-long)")

    s = sub.add_parser("serve", help="HTTP API for pre-send checks in the operator UI (extra: chatlint-ru[server])")
    if command in (None, "serve"):
        from . import server  # its options only: FastAPI and uvicorn load in `serve` itself

        server.configure_parser(s)
    x = sub.add_parser("extension", help="the browser add-on for the helpdesk: build its zip, print its id",
                       description="the chatlint browser add-on (examples/browser-extension)")
    if command in (None, "extension"):
        from . import extension  # the standard library only

        extension.configure_parser(x)
    return p


def _command_of(argv: Sequence[str] | None) -> str | None:
    """The subcommand named by ``argv`` (the first word that is not an option: the top-level
    options take no value), or None when there is none."""
    args = sys.argv[1:] if argv is None else argv
    return next((a for a in args if not a.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130
    except WorkerDied as exc:  # --jobs: a worker process was killed (by hand, or out of memory)
        print(f"chatlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # stdout closed early (e.g. piped to head): not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return EXIT_OK


def _main(argv: Sequence[str] | None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    parser = build_parser(_command_of(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    if args.command not in ("check", "report"):  # the collector paused for the start-up (chatlint._cli_env)
        _cli_env.started(freeze=False)  # runs again; check and report give it back as they check
    if args.command == "rules":
        return _cmd_rules(args)
    if args.command == "report":
        return _cmd_report(args)
    if args.command == "explain":
        return _cmd_explain(args)
    if args.command == "test-rules":
        return _cmd_test_rules(args)
    if args.command == "templates":
        return _cmd_templates(args)
    if args.command == "serve":
        from . import server

        return server.run(args)
    if args.command == "extension":
        from . import extension

        return extension.run(args)
    return _cmd_check(args)


# ------------------------------------------------------------------ rules, explain


def _cmd_rules(args) -> int:
    from . import docs

    if args.format == "markdown":
        sys.stdout.write(docs.rules_markdown())
    elif args.format == "json":
        import json

        from .catalog import all_rules

        data = [docs.rule_record(r) for r in all_rules().values()]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(docs.rules_table())
    return EXIT_OK


def _cmd_explain(args) -> int:
    from . import docs
    from .catalog import all_rules

    rules = all_rules()
    key = args.rule.strip()
    r = rules.get(key.upper()) or next((x for x in rules.values() if x.name == key.lower()), None)
    if r is None:
        print(f"chatlint: unknown rule {key!r}: see `chatlint rules` for the list", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(docs.explain(r))
    return EXIT_OK


def _cmd_test_rules(args) -> int:
    from .catalog import all_rules
    from .config import Config
    from .examples import example_problems
    from .packs import load_pack

    builtin = all_rules()
    failures = errors = 0
    for raw in args.packs:
        path = Path(raw)
        try:
            spec, rules = load_pack(path)
        except PackError as exc:
            print(f"chatlint: {exc}", file=sys.stderr)
            errors += 1
            continue
        clash = next((r.code for r in rules if r.code in builtin), None)
        if clash is not None:
            print(f"chatlint: {path}: {clash} is already a rule code", file=sys.stderr)
            errors += 1
            continue
        cfg = Config()
        for r in rules:
            alone = cfg.only((r,))  # this rule alone: a 10,000-rule pack runs each example once, not 10,000 times
            problems = []
            if not r.bad or not r.good:
                problems.append("needs at least one bad and one good example")
            for kind, examples in (("bad", r.bad), ("good", r.good)):
                for k, example in enumerate(examples):
                    problems.extend(f"{kind}[{k}] {p}" for p in example_problems(r, kind, example, alone))
                if kind == "bad":
                    unpinned = [k for k, e in enumerate(examples) if not e.spans]
                    unfixed = [k for k, e in enumerate(examples) if r.fix and e.fixed is None]
                    if unpinned:
                        problems.append(f"bad{unpinned} mark no span: write ⟦…⟧ around what the rule must report")
                    if unfixed:
                        problems.append(f"bad{unfixed} give no fixed text: a rule with a replacement pins fixed = \"…\"")
            status = "ok" if not problems else "FAILED"
            print(f"{raw}: {r.code} {r.name}: {len(r.bad)} bad, {len(r.good)} good: {status}")
            for p in problems:
                print(f"    {p}")
            failures += bool(problems)
    if errors:
        return EXIT_ERROR
    if failures:
        print(f"{failures} rule(s) failed their examples.")
        return EXIT_FINDINGS
    return EXIT_OK


# ------------------------------------------------------------------ check


# An event of checking one input, in order: ("error", Failure) an input (or part of one) that
# failed: a line for stderr, a record in every output format, and the exit code 2; ("note", line) a line for stderr;
# ("assumed", Failure(kind="note")) what was assumed about an input (its encoding): a note on
# stderr that formats carry too (SARIF); ("report", Report) findings (one message
# file, or one conversation of a transcript); ("stats", Stats) a file's --summary figures;
# ("stdout", text) the fixed text of stdin; ("config", line) a broken configuration: stop.
Event = tuple[str, object]


class _Checker:
    """Checks one input at a time with the options of ``chatlint check``. Lives in the main
    process, or once per worker process with ``--jobs``: configs are loaded once per file
    tree and kept."""

    #: None, or the lint of a message file is handed to the caller of :meth:`check`: it yields
    #: ``(defer_lint, lint_message, text, keywords)`` and is sent the findings back (or thrown
    #: what the lint raised), as a ``--jobs`` worker does (:func:`chatlint.parallel._check_files`)
    defer_lint: object = None

    def __init__(self, args) -> None:
        self.args = args
        self.configs: dict[str, object] = {}
        self._config_keys: dict[str, str] = {}  # a file's folder (as given) → its config file
        self._summaries: dict[int, dict[str, str]] = {}
        self._rules: dict[int, dict] = {}
        # cross-conversation state (T013), as lint_transcripts keeps it: across every file this
        # process checks (with --jobs, per worker process)
        self.archive = None
        self._card = None

    def scorecard(self):
        """The QA scorecard of ``--summary`` (``--scorecard``, else the shipped default)."""
        if self._card is None:
            from .scoring import load_scorecard

            self._card = load_scorecard(getattr(self.args, "scorecard", None))
        return self._card

    def config_for(self, path: Path | str | None, link: bool | None = None):
        """The configuration of ``path`` (None: the working directory's); ``link``: whether
        ``path`` is a symbolic link, when the caller knows (else it is looked up)."""
        args = self.args
        if args.config:
            key = "--config"
        else:
            folder = self._folder(path, link)
            key = self._config_keys.get(folder) if folder is not None else None
            if key is None:
                key = self._config_key(path, folder)
        if key not in self.configs:
            if not key and not self._changes_keys():
                # no configuration file and no option that changes a key: the defaults, without
                # pydantic (its import and models are a third of the start before the first file)
                from .planning import plain_default_config

                self.configs[key] = plain_default_config()
                return self.configs[key]
            from .config import default_config, load_config, operators_with

            if key == "--config":
                cfg = load_config(args.config)
            elif key:
                cfg = load_config(key)
            else:
                cfg = default_config()
            changes: dict = {}
            if args.select is not None:
                changes["select"] = args.select
            if args.channel:
                changes["channel"] = args.channel
            if getattr(args, "lang", None):
                changes["lang"] = args.lang
            if getattr(args, "operator", None):
                changes["operators"] = operators_with(cfg.operators, args.operator)
            if args.ignore:
                changes["ignore"] = list(cfg.ignore) + list(args.ignore)
            self.configs[key] = cfg.with_changes(**changes) if changes else cfg
        return self.configs[key]

    def _changes_keys(self) -> bool:
        """Some option changes a configuration key (``--select``, ``--channel``, ``--lang``,
        ``--operator``, ``--ignore``): the configuration is then validated as a file would be."""
        args = self.args
        return bool(args.select is not None or args.channel or getattr(args, "lang", None)
                    or getattr(args, "operator", None) or args.ignore)

    @staticmethod
    def _folder(path: Path | str | None, link: bool | None) -> str | None:
        """The folder whose configuration ``path`` shares with its neighbours, or None when it
        is resolved on its own (a symbolic link: its target's folder decides; the working
        directory; a name such as «..»). Its ``os.path`` name (no Path made: a ``--jobs``
        worker is given its files as strings), a key of this process's table only."""
        if path is None or os.path.basename(path) in ("", ".", ".."):
            return None
        if link if link is not None else os.path.islink(path):
            return None
        return os.path.dirname(path)

    def _config_key(self, path: Path | str | None, folder: str | None) -> str:
        """The configuration file that governs ``path`` ("" for none), discovered once per
        directory (``folder``, see :meth:`_folder`): the files of one folder share it, and
        discovery (resolving the path, a stat per folder up to the root, reading a
        pyproject.toml that is not ours) would otherwise be repeated for each of them."""
        from .planning import find_config_file

        try:
            start = (Path.cwd() if path is None else Path(path)).resolve()
        except (OSError, RuntimeError):  # a symlink loop: the open reports it
            start = Path(os.path.abspath(Path.cwd() if path is None else path))
        found = find_config_file(start)
        key = str(found) if found else ""
        if folder is not None and not start.is_dir():
            self._config_keys[folder] = key
        return key

    def summaries(self, cfg) -> dict[str, str]:
        """The rules' one-line summaries in the config's language, for ``--format json``/``jsonl``
        (whose records are the server's: one serialiser); empty for the other formats."""
        if self.args.format not in ("json", "jsonl") or self.args.statistics:
            return {}
        key = id(cfg)
        if key not in self._summaries:
            from .docs import rule_text

            self._summaries[key] = {code: rule_text(r, cfg.lang)[0] for code, r in cfg.rules_by_code().items()}
        return self._summaries[key]

    def check(self, display: str, path: Path | str | None) -> Iterator[Event]:
        """The events of checking one input, as they come (a transcript conversation by
        conversation: memory does not grow with the size of the file). ``path``: None for
        stdin; a ``str`` is a path as ``str(Path)`` writes it (a ``--jobs`` batch: no Path is
        made for a file that does not need one)."""

        try:
            if path is None:
                st = None
                cfg = self.config_for(None)
            else:
                # one lstat tells a link (for the configuration) and, for a file that is no link,
                # what it is (a directory, a FIFO: not opened); a failure is reported by the open
                try:
                    st = os.lstat(path)
                except (OSError, ValueError):
                    st = None
                link = st is not None and stat.S_ISLNK(st.st_mode)
                cfg = self.config_for(path, link)
                if link:
                    st = None  # the open follows it
            fh, size = _opened(path, st)
            with fh:
                yield from self._check(display, path, fh, cfg, size)
        except (InputError, ReaderError) as exc:
            yield "error", Failure(display, getattr(exc, "reason", str(exc)), getattr(exc, "line", None))
        except ConfigError as exc:
            yield "config", f"chatlint: configuration error: {exc}"
        except OSError as exc:
            if exc.filename is not None:  # no read of this input (a file of ours that is missing): a bug
                raise
            # reading the input failed further in (EIO: a failing disk, a network mount gone)
            from .files import describe_oserror

            yield "error", Failure(display, f"cannot read: {describe_oserror(exc)}")

    def _check(self, display: str, path: Path | str | None, fh, cfg, size: int | None = None) -> Iterator[Event]:
        if size is None:
            size = os.fstat(fh.fileno()).st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"too large ({size / 2**20:.1f} MiB > {MAX_INPUT_BYTES >> 20} MiB): split the export")
        encoding = _encoding or _late()[0]

        try:
            head = fh.read(SMALL_BYTES)
        except OSError as exc:  # opened but unreadable (EIO): as a small file's read in _opened
            from .files import describe_oserror

            raise InputError(f"cannot read: {describe_oserror(exc)}") from None
        # a file read whole by now (most message files): detected and decoded from these bytes,
        # not read from the file again (the same functions, on a file in memory)
        whole = head if len(head) == size < SMALL_BYTES else None
        # most message files are UTF-8 by their bytes: decoded once (encoding.plain_utf8)
        text = encoding.plain_utf8(whole) if whole is not None and self.args.encoding is None else None
        if text is not None:
            enc = encoding.UTF8
            head_text = text
        else:
            try:
                enc = encoding.detect_file(fh if whole is None else io.BytesIO(whole), self.args.encoding)
            except encoding.EncodingError as exc:
                enc, undecodable = None, exc
            codec = "utf-8-sig" if enc is None or enc.is_utf8 else enc.codec
            head_text = head.decode(codec, "ignore").lstrip("\ufeff")
        fmt = self.args.as_
        if fmt == "auto":
            found = detection(display, head_text, "") if path is None else detection(str(path), head_text, _suffix(path))
            if not found.trusted:  # never checked (or --fix'ed) as one message by a guess
                raise InputError(
                    f"looks like a conversation, not one operator message ({found.conversation}): give its "
                    "format with --as (transcript, whatsapp, telegram, csv, jsonl, email), or --as message to "
                    "check the whole file as one message"
                )
            fmt = found.format
            if fmt == "telegram" and found.by == "name" and isinstance(display, Found) \
                    and not any(k in head_text for k in ('"messages"', '"chats"', '"personal_information"')):
                # a .json under a directory that is no chat export (a manifest, a package.json)
                yield "note", (f"{display}: note: skipped: JSON without Telegram's \"messages\" or \"chats\", not "
                               "a chat export (name the file, or give --as telegram, to check it)")
                return
        spec = READERS[fmt]
        if spec.eight_bit and self.args.encoding is None and (enc is None or enc.how == "detected"):
            enc = None  # 8-bit e-mail: the reader decodes each part per its declared charset
        elif enc is None:
            raise undecodable
        elif text is None and (line := encoding.note(display, enc)) is not None:
            yield "assumed", Failure(display, line[len(display) + len(": note: "):], kind="note")
        if fmt == "message":
            if size > MAX_MESSAGE_BYTES:
                raise InputError(
                    f"too large for one operator message ({size / 1e6:.1f} MB > "
                    f"{MAX_MESSAGE_BYTES / 1e6:.0f} MB); for a transcript give its format with --as"
                )
            if text is None:
                if whole is None:
                    fh.seek(0)
                assert enc is not None
                text, _ = encoding.decode(fh.read() if whole is None else whole, enc.codec)
            yield from self._message(display, path, text, cfg, enc)
            return
        module = spec.reader()
        options = spec.options(cfg) if spec.options else {}
        if hasattr(module, "stream"):
            assert enc is not None
            items = self.stream(module, FileSource(fh, enc.codec), display, spec, cfg, options)
        else:
            if size > MAX_WHOLE_BYTES:
                raise InputError(f"too large for {fmt} ({size / 1e6:.1f} MB > {MAX_WHOLE_BYTES / 1e6:.0f} MB, "
                                 "read whole): split the export")
            fh.seek(0)
            data = fh.read()
            if enc is None:
                # an e-mail may carry 8-bit text in its declared charset: read it as the
                # standard library's BytesParser does, and let the reader decode each part
                text = data.decode("ascii", "surrogateescape")
            else:
                text, _ = encoding.decode(data, enc.codec)
            del data
            reading = module.read(text, display, cfg.operator_names, **options)
            items = [*reading.problems, *reading.transcripts]
        yield from self._transcripts(display, items, spec, cfg)

    def stream(self, module, source: FileSource, display: str, spec, cfg, options: dict) -> Iterable:
        """The items (problems, transcripts) of a file its reader streams."""
        return module.stream(source, display, cfg.operator_names, **options)

    def _message(self, display: str, path: Path | str | None, text: str, cfg, enc=None) -> Iterator[Event]:
        lint_message = _lint_message or _late()[1]
        args = self.args
        kw = dict(channel=cfg.channel, first=args.first, last=args.last, config=cfg)
        if args.fix or args.diff:
            from .engine import fix_rounds
            from .files import Refused, write_fixed

            fixed, rounds = fix_rounds(text, unsafe=args.unsafe_fixes, **kw)
            n_fixed = sum(len(applied) for _, applied in rounds)
            if args.diff:
                if fixed != text:
                    yield "diff", _unified_diff(display, text, fixed)
            elif path is None:
                yield "stdout", fixed
                text = fixed
            elif fixed != text:
                try:
                    write_fixed(Path(path), fixed, follow_symlinks=args.follow_symlinks,
                                encoding=enc.codec if enc is not None else "utf-8")
                except Refused as exc:
                    yield "error", Failure(display, f"--fix: {exc}", kind="unfixed")
                    n_fixed = 0
                except OSError as exc:
                    yield "error", Failure(display, f"--fix: cannot write the fixed text: {exc.strerror or exc}",
                                           kind="unfixed")
                    n_fixed = 0
                else:
                    text = fixed
            left = len(lint_message(text if not args.diff else fixed, **kw))
            yield "fixed", (n_fixed, left)
            if args.diff:
                return
        if self.defer_lint is not None:
            findings = yield self.defer_lint, lint_message, text, kw
        else:
            findings = lint_message(text, **kw)
        yield "report", self.present(Report(display, text, findings, summaries=self.summaries(cfg)))

    def present(self, report: Report):
        """A report as this process hands it on: as is here; rendered by a ``--jobs`` worker."""
        return report

    def file_state(self, display: str, cfg) -> FileState:
        return FileState(display, self.args, cfg)

    def needs_order(self, t, spec, cfg) -> bool:
        """Whether a conversation must be checked in input order with the run's cross-conversation
        state (a rule of its plan reads the conversations before it: :data:`CROSS_CONVERSATION`):
        ``--jobs`` checks it in the main process."""
        plan = cfg.plan(conversation_channel(self.args, t, spec))
        return any(item.rule.code in CROSS_CONVERSATION for item in plan.dialogue)

    def _transcripts(self, display: str, items, spec, cfg) -> Iterator[Event]:
        """Check the conversations of one file one at a time: the reader's problems as they
        come, a report per conversation with findings, the --summary figures at the end."""
        from .readers import Problem

        args = self.args
        if args.fix or args.diff:
            yield "note", f"{display}: note: --fix rewrites message files only; this transcript ({spec.name}) is checked"
        state = self.file_state(display, cfg)
        for item in items:
            if isinstance(item, Problem):
                yield from state.problem(item)
                continue
            yield from state.add(self.conversation(display, item, spec, cfg))
        yield from state.end()

    def conversation(self, display: str, t, spec, cfg) -> Checked:
        """Check one conversation of a file (here, or in a ``--jobs`` worker process)."""
        from .engine import check_transcript

        args = self.args
        # the channel: --channel, else the export's own (e-mail; messengers), else the config's
        channel = conversation_channel(args, t, spec)
        if channel != t.channel:
            t = t.model_copy(update={"channel": channel})
        if isinstance(cfg.operators, dict):
            t = cfg.with_operator_names(t)
        if self.archive is None:
            from .archive import NearDuplicates

            self.archive = NearDuplicates()
        docs: dict = {}  # the parsed messages, shared with the scorecard (--summary, report)
        found, notes = check_transcript(t, cfg, self.archive, docs)
        authors = {m.author for m in t.messages if m.role == "operator" and m.author} if cfg.operators else set()
        report = None
        if found:
            messages = {(f.conversation_id, f.message_index): t.messages[f.message_index]
                        for f in found if f.message_index is not None}
            report = self.present(Report(display, "", found, messages, verbatim=spec.verbatim,
                                         summaries=self.summaries(cfg)))
        done = Checked(notes, authors, report)
        if args.summary:
            from .scoring import score_conversation

            scored = score_conversation(t, found, self.scorecard(), cfg, display, docs)
            if getattr(args, "report", False):  # chatlint report: the conversation goes with its score
                done.conversation = (t, found, scored)
            else:
                from .summary import add_conversation

                done.stats = {}
                add_conversation(done.stats, t, found, self.rules(cfg), cfg.plan(t.channel).clock)
                done.scored = scored
        return done

    def rules(self, cfg) -> dict:
        key = id(cfg)
        if key not in self._rules:
            self._rules[key] = cfg.rules_by_code()
        return self._rules[key]


#: Dialogue rules that read the state of the conversations checked before (T013: the same reply
#: to different clients): their findings depend on the order of the whole run.
CROSS_CONVERSATION = frozenset({"T013"})


def conversation_channel(args, t, spec) -> str:
    """The channel a conversation is checked in: ``--channel``, else the export's own (e-mail,
    a messenger, a CSV/JSONL column), else the reader's."""
    return args.channel or t.channel or spec.channel


@dataclass(slots=True)
class Checked:
    """One conversation checked: what the file's loop needs of it, wherever it was checked."""

    notes: list[str]  # "timing rules skipped" and the like
    authors: set[str]  # its operators' names (when operators are configured)
    report: object = None  # a Report (or a worker's Rendered) when it has findings
    stats: dict | None = None  # --summary: its per-operator figures
    scored: object = None  # --summary: its score
    conversation: tuple | None = None  # chatlint report: (transcript, findings, score)


class FileState:
    """What a transcript file's conversations add up to, in the file's order: the notes shown
    (at most ``MAX_NOTES``), its operators' names, its ``--summary`` figures and scores."""

    def __init__(self, display: str, args, cfg) -> None:
        self.display = display
        self.cfg = cfg
        self.summary = bool(args.summary)
        self.notes = 0
        self.operators: set[str] = set()
        self.stats: dict = {}

    def problem(self, item) -> Iterator[Event]:
        if item.note:
            yield "note", f"{self.display}: note: {item}"
        else:
            yield "error", Failure(self.display, item.reason, item.line, kind="partial")

    def add(self, done: Checked) -> Iterator[Event]:
        for n in done.notes:
            if self.notes < MAX_NOTES:
                yield "note", f"{self.display}: note: {n}"
            self.notes += 1
        self.operators |= done.authors
        if done.report is not None:
            yield "report", done.report
        if done.conversation is not None:
            yield "conversation", done.conversation
        elif done.stats is not None:
            from .summary import OperatorStats

            for name, st in done.stats.items():
                self.stats.setdefault(name, OperatorStats()).merge(st)
            yield "score", done.scored  # tallied as it comes (never a list of every conversation)

    def end(self) -> Iterator[Event]:
        if self.notes > MAX_NOTES:
            yield "note", f"{self.display}: note: … and {self.notes - MAX_NOTES} more conversations like these"
        for n in _ambiguous_operators(self.operators, self.cfg.operator_names):
            yield "note", f"{self.display}: note: {n}"
        if self.summary:
            yield "stats", self.stats


MAX_NOTES = 3  # "timing rules skipped" notes shown per file; the rest are counted


class _Miner(_Checker):
    """``chatlint templates``: reads inputs as ``check`` does, and feeds the operator replies
    to a :class:`chatlint.templates.Miner` instead of linting every conversation."""

    def __init__(self, args, miner) -> None:
        super().__init__(args)
        self.miner = miner

    def summaries(self, cfg) -> dict[str, str]:
        return {}

    def _message(self, display, path, text, cfg, enc=None) -> Iterator[Event]:
        yield "note", f"{display}: note: a single message, not a transcript: skipped"

    def _transcripts(self, display: str, items, spec, cfg) -> Iterator[Event]:
        from .readers import Problem

        for item in items:
            if isinstance(item, Problem):
                yield ("note" if item.note else "error"), (f"{display}: note: {item}" if item.note else f"{display}: {item}")
                continue
            self.miner.add(item, display, self.args.channel or item.channel or spec.channel)


def _cmd_templates(args) -> int:
    from .templates import Miner, records, render

    if (not 0.1 <= args.similarity <= 1.0 or args.min_count < 2 or args.min_words < 1 or args.top < 0
            or args.max_groups < 100):
        print("chatlint: error: --similarity takes 0.1..1, --min-count 2 or more, --min-words 1 or more, --top 0 "
              "or more, --max-groups 100 or more", file=sys.stderr)
        return EXIT_ERROR
    for name, value in (("select", None), ("ignore", None), ("fix", False), ("diff", False), ("summary", False),
                        ("statistics", True), ("unsafe_fixes", False), ("first", False), ("last", False)):
        setattr(args, name, value)
    miner = Miner(similarity=args.similarity, min_words=args.min_words, max_groups=args.max_groups)
    checker = _Miner(args, miner)
    failed = False
    cfg = None
    for display, path in _expand(args.paths, args.as_):
        if isinstance(path, InputError):
            failed = True
            print(f"chatlint: {display}: {path}", file=sys.stderr)
            continue
        for kind, payload in checker.check(display, path):
            if kind == "error":
                failed = True
                print(f"chatlint: {payload}", file=sys.stderr)
            elif kind == "config":
                print(payload, file=sys.stderr)
                return EXIT_ERROR
            elif kind == "note":
                print(payload, file=sys.stderr)
            elif kind == "assumed":
                print(f"{payload.path}: note: {payload.reason}", file=sys.stderr)
        if cfg is None:
            try:
                cfg = checker.config_for(path)
            except ConfigError as exc:
                print(f"chatlint: configuration error: {exc}", file=sys.stderr)
                return EXIT_ERROR
    if cfg is None:
        from .config import default_config

        cfg = default_config()
    recs = records(miner, cfg, args.min_count, args.top)
    sys.stdout.write(render(recs, miner, args.min_count, args.format))
    return EXIT_ERROR if failed else EXIT_OK


def _ambiguous_operators(authors: set[str], operators: list[str]) -> list[str]:
    """Configured operator names that matched several of the operators' ``authors`` of one
    file («Анна» matches «Анна Смирнова» and «Анна Петрова»): one of them may be a client
    read as an operator."""
    from .readers import is_operator_name

    if not operators:
        return []
    notes = []
    for op in operators:
        matched = sorted(a for a in authors if is_operator_name(a, [op]))
        if len(matched) > 1:
            shown = ", ".join(f"«{a}»" for a in matched[:4])
            notes.append(
                f"operator name «{op}» matches {len(matched)} people ({shown}): if one is a client, "
                "list the operators' full names in `operators`"
            )
    return notes


def _events(args, inputs: list[tuple[str, Path | None]]) -> Iterator[Event]:
    """Every input's events, in input order, whatever ``--jobs`` (:mod:`chatlint.parallel`)."""
    from .parallel import events

    return events(args, inputs, _Checker)


class _Stop(Exception):
    """A broken configuration: the run stops (exit code 2)."""


def _cmd_check(args) -> int:

    if not args.paths:
        print("chatlint: error: nothing to check: give files, directories, or - for stdin", file=sys.stderr)
        return EXIT_ERROR
    if args.summary and not FORMATS[args.format].summary:
        shown = "|".join(f.name for f in FORMATS.values() if f.summary)
        print(f"chatlint: error: --summary prints {shown} (--format {shown})", file=sys.stderr)
        return EXIT_ERROR
    if args.encoding is not None:
        from .encoding import EncodingError, check_name

        try:
            check_name(args.encoding)
        except EncodingError as exc:
            print(f"chatlint: error: --encoding: {exc}", file=sys.stderr)
            return EXIT_ERROR
    if args.jobs is not None and args.jobs < 1:
        print("chatlint: error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_ERROR
    if args.dask is not None:
        _cli_env.started(freeze=False)
        return _cmd_check_dask(args)

    if args.fix and not args.diff and "-" in args.paths and len(args.paths) > 1:
        print("chatlint: error: --fix with - prints the fixed text alone on stdout: give - as the only input",
              file=sys.stderr)
        return EXIT_ERROR
    if args.diff and args.fix:
        print("chatlint: error: --diff shows the fixes instead of writing them: give --diff or --fix", file=sys.stderr)
        return EXIT_ERROR
    if (args.follow_symlinks or args.unsafe_fixes) and not (args.fix or args.diff):
        print("chatlint: error: --follow-symlinks and --unsafe-fixes go with --fix (or --diff)", file=sys.stderr)
        return EXIT_ERROR

    card = None
    if args.summary:
        try:
            card = _Checker(args).scorecard()
        except ConfigError as exc:
            print(f"chatlint: scorecard error: {exc}", file=sys.stderr)
            return EXIT_ERROR
    elif args.scorecard or args.by != "operator":
        print("chatlint: error: --scorecard and --by go with --summary", file=sys.stderr)
        return EXIT_ERROR
    write = sys.stdout.write
    output = None
    if args.output is not None:
        from .files import AtomicOutput, output_problem

        target = Path(args.output)
        problem = output_problem(target, args.paths, _suffixes(args.as_))
        if problem is None:
            try:
                output = AtomicOutput(target)
            except OSError as exc:
                from .files import describe_oserror

                problem = f"cannot write there: {describe_oserror(exc)}"
        if problem is not None:
            print(f"chatlint: error: --output {args.output}: {problem}", file=sys.stderr)
            return EXIT_ERROR
        write = output.write
    try:
        code = _check_into(args, write, card)
    except _Stop:  # a broken configuration: nothing was checked, a previous report stays
        if output is not None:
            output.discard()
        return EXIT_ERROR
    except BaseException:
        if output is not None:
            output.discard()
        raise
    if output is not None:
        output.commit()
    return code


def _check_into(args, write, card=None) -> int:
    """Check the inputs, writing what ``chatlint check`` prints on stdout with ``write``."""
    from .findings import SEVERITY_RANK

    errors = 0
    worst = -1
    stats: dict = {}  # --summary: per operator, over every file
    on_score = None  # --summary: what to do with each conversation's score
    status = Status()
    fixed = [0, 0, 0]  # findings fixed, files changed, findings left

    def reports() -> Iterator[Report]:
        nonlocal errors, worst
        for kind, value in _events(args, list(_expand(args.paths, args.as_))):
            if kind == "report":
                if isinstance(value, Rendered):  # rendered by a --jobs worker
                    worst = max(worst, value.worst)
                else:
                    worst = max(worst, max((SEVERITY_RANK[f.severity] for f in value.findings), default=-1))
                yield value
            elif kind == "error":
                errors += 1
                status.failures.append(value)
                print(value, file=sys.stderr)
            elif kind == "note":
                print(value, file=sys.stderr)
            elif kind == "assumed":  # a note that the formats carry too (SARIF)
                status.notes.append(value)
                print(f"{value.path}: note: {value.reason}", file=sys.stderr)
            elif kind == "stats":
                from .summary import OperatorStats

                for name, st in value.items():
                    stats.setdefault(name, OperatorStats()).merge(st)
            elif kind == "score":
                on_score(value)
            elif kind == "stdout":
                write(value)
            elif kind == "diff":
                write(value)
            elif kind == "fixed":
                n, left = value
                fixed[0] += n
                fixed[1] += n > 0
                fixed[2] += left
            elif kind == "config":
                print(value, file=sys.stderr)
                raise _Stop

    if args.summary:
        from .scoring import ReportTally
        from .summary import merge, render_scored

        lang = _lang(args)
        tally = ReportTally(card, lang)  # figures as the conversations come: memory by groups, not conversations
        if args.format == "csv":  # one row per conversation: spooled to a temporary file as they come
            import shutil
            import tempfile

            from .formats.csv import rows_to_csv
            from .report import tables

            shell = tally.report()  # the scorecard's criteria and the language, for the rows
            with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as rows:
                def on_score(c) -> None:
                    tally.add(c)
                    rows.write(rows_to_csv([tables.conversation_row(c, shell, card)]))

                for _ in reports():
                    pass
                write(rows_to_csv([tables.conversation_header(shell)]))
                rows.seek(0)
                shutil.copyfileobj(rows, _Writer(write))
            if status.failures:
                write(_with_failures("", args.format, status, lang))
        else:
            on_score = tally.add
            for _ in reports():
                pass
            out = render_scored(merge([stats]), tally.report(), card, args.format, args.by, lang)
            if status.failures:
                out = _with_failures(out, args.format, status, lang)
            write(out)
    elif args.diff or (args.fix and args.paths == ["-"]):
        for _ in reports():
            pass
    else:
        for chunk in _render(args, reports(), status):
            write(chunk)
    if args.fix or args.diff:
        n, m, left = fixed
        verb = "Would fix" if args.diff else "Fixed"
        print(f"{verb} {n} finding{'s' * (n != 1)} in {m} file{'s' * (m != 1)} ({left} left)", file=sys.stderr)
        if args.diff:
            return EXIT_ERROR if errors else (EXIT_FINDINGS if n else EXIT_OK)
    if errors:
        return EXIT_ERROR
    if worst >= SEVERITY_RANK[args.fail_on]:
        return EXIT_FINDINGS
    return EXIT_OK


class _Writer:
    """A file-like ``write`` (for shutil.copyfileobj)."""

    def __init__(self, write) -> None:
        self.write = write


def _cmd_check_dask(args) -> int:
    """``chatlint check --dask ADDRESS PATH... --output FILE`` (:mod:`chatlint.dask`)."""
    if not args.output:
        print("chatlint: error: --dask writes the findings to a Parquet file: chatlint check --dask local:2 ARCHIVE "
              "--output findings.parquet", file=sys.stderr)
        return EXIT_ERROR
    unsupported = [name for name, on in (("--fix", args.fix), ("--diff", args.diff), ("--jobs", args.jobs),
                                         ("--statistics", args.statistics), ("--first", args.first),
                                         ("--last", args.last), ("--scorecard", args.scorecard),
                                         ("--encoding", args.encoding)) if on]
    if args.as_ not in ("auto", "jsonl"):
        unsupported.append(f"--as {args.as_}")
    if "-" in args.paths:
        unsupported.append("- (stdin)")
    if unsupported:
        print(f"chatlint: error: --dask reads JSONL/Parquet partitions and writes Parquet: {', '.join(unsupported)} "
              "cannot go with it", file=sys.stderr)
        return EXIT_ERROR
    from .dask import PARTITION_SUFFIXES, main_check
    from .files import output_problem

    problem = output_problem(Path(args.output), args.paths, PARTITION_SUFFIXES)
    if problem is not None:
        print(f"chatlint: error: --output {args.output}: {problem}", file=sys.stderr)
        return EXIT_ERROR
    return main_check(args)


def _cmd_report(args) -> int:
    """``chatlint report PATH... -o report.html|report.xlsx``: check and score every
    conversation, keep the ``--details`` lowest with their transcripts, write one file."""
    import heapq

    out = Path(args.output)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("html", "htm", "xlsx"):
        print(f"chatlint: error: -o {args.output}: write a .html or an .xlsx file", file=sys.stderr)
        return EXIT_ERROR
    if args.details < 0 or (args.jobs is not None and args.jobs < 1):
        print("chatlint: error: --details must be 0 or more and --jobs at least 1", file=sys.stderr)
        return EXIT_ERROR
    if args.encoding is not None:
        from .encoding import EncodingError, check_name

        try:
            check_name(args.encoding)
        except EncodingError as exc:
            print(f"chatlint: error: --encoding: {exc}", file=sys.stderr)
            return EXIT_ERROR
    # the options of `check --summary`, with the report's own
    check = build_parser().parse_args(["check", "--summary", *args.paths])
    for key in ("channel", "as_", "config", "select", "ignore", "lang", "scorecard", "operator", "encoding", "jobs"):
        setattr(check, key, getattr(args, key))
    check.report = True
    try:
        card = _Checker(check).scorecard()
    except ConfigError as exc:
        print(f"chatlint: scorecard error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    lang = _lang(check)
    from .report.progress import Progress
    from .scoring import build_report

    errors = 0
    failures: list[str] = []  # shown in the report too: a figure over part of the inputs says so
    scores = []
    lowest: list = []  # a max-heap (negated) of the --details lowest: (key, order, detail)
    with Progress(lang) as bar:
        try:
            for ev, value in _events(check, list(_expand(check.paths, check.as_))):
                if ev == "conversation":
                    t, found, scored = value
                    n = len(scores)
                    scores.append(scored)
                    key = 101.0 if scored.score is None else scored.score
                    if args.details:
                        item = (-key, -n, (t, found, scored))
                        if len(lowest) < args.details:
                            heapq.heappush(lowest, item)
                        elif item > lowest[0]:
                            heapq.heapreplace(lowest, item)
                    bar.update()
                elif ev == "error":
                    errors += 1
                    failures.append(str(value))
                    bar.write(str(value))
                elif ev == "note":
                    bar.write(str(value))
                elif ev == "config":
                    bar.write(str(value))
                    return EXIT_ERROR
        except _Stop:
            return EXIT_ERROR
        details = [d for _, _, d in sorted(lowest, key=lambda x: (-x[0], -x[1]))]
        report = build_report(scores, card, lang)
        try:
            if kind == "xlsx":
                from .report import xlsx

                xlsx.write(report, card, out, failures)
            else:
                from .report import html

                text = html.render(report, card, details, progress=bar.update, failures=failures)
                out.write_text(text, encoding="utf-8")
        except ImportError as exc:
            bar.write(f"chatlint: error: the report needs the extra: pip install 'chatlint-ru[report]' ({exc.name})")
            return EXIT_ERROR
        except OSError as exc:
            bar.write(f"chatlint: error: -o {args.output}: cannot write: {exc.strerror or exc}")
            return EXIT_ERROR
    from .report.tables import fmt_score

    mean = fmt_score(report.total.mean)
    done = (f"{out}: {len(scores)} диалогов, средний балл {mean}" if lang == "ru"
            else f"{out}: {len(scores)} conversations, mean score {mean}")
    if failures:
        done += (f"; не прочитано: {len(failures)} (ошибки выше)" if lang == "ru"
                 else f"; not read: {len(failures)} (see the errors above)")
    print(done, file=sys.stderr)
    return EXIT_ERROR if errors else EXIT_OK


def _render(args, reports: Iterator[Report], status: Status) -> Iterator[str]:
    """The output, in pieces, as the reports come; ``status`` is filled as they are consumed,
    and every format reports what failed at its end."""
    lang = _lang(args)
    if args.statistics:
        from .formats.statistics import render as render_statistics

        fmt = "json" if args.format == "json" else "text"
        return iter([render_statistics(reports, fmt=fmt, status=status, lang=lang)])
    from .formats import stream

    return stream(args.format, reports, Options(show_source=not args.no_source, status=status, lang=lang))


def _lang(args) -> str:
    """The language of the run's own lines (the closing line): ``--lang``, else the ``lang``
    of the configuration that applies in the working directory (Russian by default)."""
    if getattr(args, "lang", None):
        return args.lang
    try:
        return _Checker(args).config_for(None).lang
    except ConfigError:
        return "ru"


def _with_failures(out: str, fmt: str, status: Status, lang: str) -> str:
    """The ``--summary`` output with what failed: ``error`` records after the JSON records, a
    closing line after the table."""
    from .formats import failed_phrase

    if fmt == "csv":
        from .formats.csv import rows_to_csv

        return out + rows_to_csv([f.path, "", "", "", "", "", "", "", "", "error", f.reason] for f in status.failures)
    if fmt == "json":
        import json

        data = json.loads(out)
        data.extend(f.record() for f in status.failures)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if lang == "ru":
        return out + f"Проверено не всё: {failed_phrase(status, lang)} (ошибки выше).\n"
    return out + f"Not everything was checked: {failed_phrase(status, lang)} (see the errors above).\n"


class Found(str):
    """The display name of a file found in a directory (not named by the user): a ``.json``
    there that is no chat export is skipped with a note, not an error."""


def _expand(paths: list[str], as_: str = "auto") -> Iterator[tuple[str, Path | None]]:
    """(display name, path) of every input; None for stdin. Directories are searched for the
    files chatlint reads (sorted; hidden ones skipped): the suffixes of the ``--as`` format in
    the readers' table (every format's with ``auto``)."""
    suffixes = _suffixes(as_)
    for raw in paths:
        if raw == "-":
            yield "-", None
            continue
        p = Path(raw)
        if p.is_dir():
            from .files import walk

            for q, problem in walk(p, suffixes):
                yield Found(q), (q if problem is None else InputError(problem))
        else:
            yield raw, p


def _suffixes(as_: str) -> tuple[str, ...]:
    from .readers import suffixes_for

    return suffixes_for(as_)


_encoding = _lint_message = None  # chatlint.encoding, chatlint.engine.check_message: see _late


def _suffix(path: Path | str) -> str:
    """``path.suffix`` of a Path, or of a ``str`` written as ``str(Path)`` writes paths (no
    Path made for it: see :meth:`_Checker.check`)."""
    if not isinstance(path, str):
        return path.suffix
    name = path[path.rfind("/") + 1:]
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _late():
    """The modules every check needs and ``chatlint check`` does not import at start-up
    (``chatlint rules`` never needs them), imported at the first check and kept: an import
    statement in a function costs a microsecond or two per call, for each of thousands of files."""
    global _encoding, _lint_message
    from . import encoding
    from .engine import check_message  # lint_message's findings as plain records (no pydantic)

    _encoding, _lint_message = encoding, check_message
    return encoding, check_message


def _open_input(path: Path | None):
    """The input as a seekable binary file: a regular file opened for reading (never a FIFO
    or a device: they could block or never end), or stdin spooled to a temporary file (read
    in chunks up to the size limit), so that readers can stream it and read it twice."""
    return _opened(path)[0]


def _opened(path: Path | None, st: os.stat_result | None = None):
    """:func:`_open_input`, and the size of the file opened; ``st``: the path's ``lstat``,
    when the caller made it and it is no symbolic link (else the path is stat'ed here)."""
    if path is None:
        import tempfile

        spool = tempfile.TemporaryFile(prefix="chatlint-stdin-")
        total = 0
        while chunk := sys.stdin.buffer.read(1 << 20):
            total += len(chunk)
            if total > MAX_INPUT_BYTES:
                spool.close()
                raise InputError(f"too large (> {MAX_INPUT_BYTES >> 20} MiB)")
            spool.write(chunk)
        spool.seek(0)
        return spool, total
    try:
        if st is None:
            st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("is a directory")
        if not stat.S_ISREG(st.st_mode):
            from .files import kind_of

            raise InputError(f"{kind_of(st.st_mode)}, not a regular file: not checked")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        small = None
        try:
            now = os.fstat(fd)
            if not stat.S_ISREG(now.st_mode):
                raise InputError("not a regular file")
            if now.st_size < SMALL_BYTES:
                # a small file (most message files): read whole here, in one read, and handed on
                # in memory (no buffered file object to make); one that read otherwise than its
                # size said (it changed meanwhile) is opened as any other
                small = os.read(fd, SMALL_BYTES)
                if len(small) != now.st_size:
                    small = None
                    os.lseek(fd, 0, os.SEEK_SET)
            fh = os.fdopen(fd, "rb") if small is None else None
        except BaseException:
            os.close(fd)
            raise
        if small is not None:
            os.close(fd)
            return io.BytesIO(small), now.st_size
        return fh, now.st_size
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as exc:
        from .files import describe_oserror

        raise InputError(f"cannot read: {describe_oserror(exc)}") from None


def _unified_diff(display: str, before: str, after: str) -> str:
    import difflib

    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{display}", tofile=f"b/{display}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


if __name__ == "__main__":
    sys.exit(main())
