"""The ``chatlint`` command: check | rules | explain.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings; 2 usage, configuration or
input error (one line per bad file on stderr; the other files are still checked).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MAX_MESSAGE_BYTES = 1_000_000  # a single operator message larger than this is not a message
MESSAGE_SUFFIXES = (".txt",)


class InputError(Exception):
    """An input that cannot be checked: the message is the one-line reason."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: one line and exit 2, like every other error
        self.print_usage(sys.stderr)
        print(f"chatlint: error: {message}", file=sys.stderr)
        sys.exit(EXIT_ERROR)


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="chatlint", description="A style linter for the replies of Russian-speaking support operators.")
    p.add_argument("--version", action="version", version=f"chatlint {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    c = sub.add_parser("check", help="check operator messages (files, directories, or - for stdin)")
    c.add_argument("paths", nargs="*", metavar="PATH", help="files, directories (searched for *.txt), or -")
    c.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text",
                   help="output format: text (default), json, sarif (SARIF 2.1.0), github (workflow annotations)")
    c.add_argument("--statistics", action="store_true", help="print the number of findings per rule instead")
    c.add_argument("--channel", choices=("chat", "messenger", "social", "email"), help="channel profile")
    c.add_argument("--as", dest="as_", choices=("auto", "message"), default="auto",
                   help="how to read the inputs (default: auto; a .txt file is one operator message)")
    c.add_argument("--first", action="store_true", help="the message is the operator's first in the conversation")
    c.add_argument("--last", action="store_true", help="the message is the operator's closing one")
    c.add_argument("--select", type=_codes, metavar="CODES", help="only these rules: codes, prefixes, names (S,E001)")
    c.add_argument("--ignore", type=_codes, metavar="CODES", help="skip these rules (added to the config's ignore)")
    c.add_argument("--config", metavar="FILE", help="a chatlint.toml or pyproject.toml (default: discovered)")
    c.add_argument("--fix", action="store_true", help="rewrite the files with the safe fixes applied")
    c.add_argument("--unsafe-fixes", action="store_true", help="with --fix, also apply unsafe fixes")
    c.add_argument("--fail-on", choices=("error", "warning", "info"), default="warning",
                   help="lowest severity that makes the exit code 1 (default: warning)")
    c.add_argument("--no-source", action="store_true", help="text format: do not show the offending lines")

    r = sub.add_parser("rules", help="list every rule: code, name, default severity, fix, channels")
    r.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    t = sub.add_parser("test-rules", help="run the bad/good examples of declarative rule packs")
    t.add_argument("packs", nargs="+", metavar="PACK", help="rule pack files (TOML)")

    e = sub.add_parser("explain", help="what a rule checks, why, and its examples")
    e.add_argument("rule", metavar="CODE", help="a rule code (S001) or name (paragraph-too-long)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    if args.command == "rules":
        return _cmd_rules(args)
    if args.command == "explain":
        return _cmd_explain(args)
    if args.command == "test-rules":
        return _cmd_test_rules(args)
    return _cmd_check(args)


# ------------------------------------------------------------------ rules, explain


def _cmd_rules(args) -> int:
    from . import docs

    if args.format == "markdown":
        sys.stdout.write(docs.rules_markdown())
    elif args.format == "json":
        import json

        from .registry import all_rules

        data = [
            {
                "code": r.code, "name": r.name, "severity": r.severity, "fix": r.fix,
                "channels": docs.default_channels(r), "summary": r.summary,
            }
            for r in all_rules().values()
        ]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(docs.rules_table())
    return EXIT_OK


def _cmd_explain(args) -> int:
    from . import docs
    from .registry import all_rules

    rules = all_rules()
    key = args.rule.strip()
    r = rules.get(key.upper()) or next((x for x in rules.values() if x.name == key.lower()), None)
    if r is None:
        print(f"chatlint: unknown rule {key!r}: see `chatlint rules` for the list", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(docs.explain(r))
    return EXIT_OK


def _cmd_test_rules(args) -> int:
    from .config import Config, ConfigError
    from .engine import lint_message
    from .packs import PackError, load_pack

    failures = errors = 0
    for raw in args.packs:
        path = Path(raw)
        try:
            spec, rules = load_pack(path)
        except PackError as exc:
            print(f"chatlint: {exc}", file=sys.stderr)
            errors += 1
            continue
        try:
            cfg = Config(rule_packs=[str(path.resolve())])
            cfg.pack_rules  # noqa: B018  (loads the pack, reports a code clash)
        except ConfigError as exc:
            print(f"chatlint: {exc}", file=sys.stderr)
            errors += 1
            continue
        for r in rules:
            problems = []
            if not r.bad or not r.good:
                problems.append("needs at least one bad and one good example")
            for kind, examples in (("bad", r.bad), ("good", r.good)):
                for k, ex in enumerate(examples):
                    found = [
                        f for f in lint_message(ex.text, channel=ex.channel, first=ex.first, last=ex.last, config=cfg)
                        if f.code == r.code
                    ]
                    if kind == "bad" and not found:
                        problems.append(f"bad[{k}] did not fire: «{ex.text}»")
                    elif kind == "good" and found:
                        problems.append(f"good[{k}] fired: «{ex.text}»: {found[0].message}")
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


def _cmd_check(args) -> int:
    from .config import Config, ConfigError, default_config, find_config_file, load_config
    from .engine import fix_message, lint_message
    from .findings import SEVERITY_RANK
    from .formats import Report

    if not args.paths:
        print("chatlint: error: nothing to check: give files, directories, or - for stdin", file=sys.stderr)
        return EXIT_ERROR

    overrides: dict = {}
    if args.select is not None:
        overrides["select"] = args.select
    if args.channel:
        overrides["channel"] = args.channel

    configs: dict[str, Config] = {}

    def config_for(path: Path | None) -> Config:
        if args.config:
            key = "--config"
        else:
            found = find_config_file((path or Path.cwd()).resolve())
            key = str(found) if found else ""
        if key not in configs:
            if key == "--config":
                cfg = load_config(args.config)
            elif key:
                cfg = load_config(key)
            else:
                cfg = default_config()
            ignore = list(cfg.ignore) + list(args.ignore or [])
            changes = dict(overrides)
            if args.ignore:
                changes["ignore"] = ignore
            configs[key] = cfg.with_changes(**changes) if changes else cfg
        return configs[key]

    errors = 0
    reports: list[Report] = []
    worst = -1
    for display, path in _expand(args.paths):
        try:
            text = _read_stdin() if path is None else _read_message(path)
            cfg = config_for(path)
        except InputError as exc:
            print(f"{display}: {exc}", file=sys.stderr)
            errors += 1
            continue
        except ConfigError as exc:
            print(f"chatlint: configuration error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        kw = dict(channel=cfg.channel, first=args.first, last=args.last, config=cfg)
        if args.fix:
            fixed = fix_message(text, unsafe=args.unsafe_fixes, **kw)
            if path is None:
                sys.stdout.write(fixed)
                findings = lint_message(fixed, **kw)
                for f in findings:
                    worst = max(worst, SEVERITY_RANK[f.severity])
                continue
            if fixed != text:
                try:
                    _write_message(path, fixed)
                except OSError as exc:
                    print(f"{display}: cannot write the fixed text: {exc.strerror or exc}", file=sys.stderr)
                    errors += 1
                    continue
                text = fixed
        findings = lint_message(text, **kw)
        for f in findings:
            worst = max(worst, SEVERITY_RANK[f.severity])
        reports.append(Report(display, text, findings))

    if not (args.fix and args.paths == ["-"]):
        sys.stdout.write(_render(args, reports))
    if errors:
        return EXIT_ERROR
    if worst >= SEVERITY_RANK[args.fail_on]:
        return EXIT_FINDINGS
    return EXIT_OK


def _render(args, reports) -> str:
    if args.statistics:
        from .formats.statistics import render as render_statistics

        return render_statistics(reports, fmt="json" if args.format == "json" else "text")
    if args.format == "json":
        from .formats.json import render as render_json

        return render_json(reports)
    if args.format == "sarif":
        from .formats.sarif import render as render_sarif

        return render_sarif(reports)
    if args.format == "github":
        from .formats.github import render as render_github

        return render_github(reports)
    from .formats.text import render as render_text

    return render_text(reports, show_source=not args.no_source)


def _expand(paths: list[str]) -> Iterator[tuple[str, Path | None]]:
    """(display name, path) of every input; None for stdin. Directories: *.txt, sorted."""
    for raw in paths:
        if raw == "-":
            yield "-", None
            continue
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                q for q in p.rglob("*")
                if q.is_file() and q.suffix.lower() in MESSAGE_SUFFIXES and not any(part.startswith(".") for part in q.parts)
            )
            yield from ((str(q), q) for q in found)
        else:
            yield raw, p


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise InputError("binary file (NUL bytes): not a text message")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}): save the file as UTF-8"
        ) from None


def _read_message(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_MESSAGE_BYTES:
            raise InputError(
                f"too large for one operator message ({size / 1e6:.1f} MB > {MAX_MESSAGE_BYTES / 1e6:.0f} MB)"
            )
        with open(path, "rb") as fh:
            data = fh.read(MAX_MESSAGE_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    return _decode(data)


def _read_stdin() -> str:
    data = sys.stdin.buffer.read(MAX_MESSAGE_BYTES + 1)
    if len(data) > MAX_MESSAGE_BYTES:
        raise InputError(f"too large for one operator message (> {MAX_MESSAGE_BYTES / 1e6:.0f} MB)")
    return _decode(data)


def _write_message(path: Path, text: str) -> None:
    with open(path, "rb") as fh:
        bom = fh.read(3) == b"\xef\xbb\xbf"
    tmp = path.with_name(path.name + ".chatlint-tmp")
    with open(tmp, "wb") as fh:
        fh.write((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
