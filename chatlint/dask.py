"""A distributed run on Dask (issue 18): an archive of conversations checked on a cluster.

    chatlint check --dask tcp://scheduler:8786 archive/ --output findings.parquet
    chatlint check --dask local:4 archive/ --output findings.parquet     # a LocalCluster, 4 processes

Needs the optional extra ``dask`` (``pip install 'chatlint-ru[dask]'``: ``dask[distributed]``
and ``pyarrow``); nothing here is imported by ``chatlint check`` without ``--dask``.

**Input**: a partitioned archive, files or directories of ``*.jsonl`` / ``*.ndjson`` /
``*.parquet`` partitions (sorted by path; hidden files skipped), each row a message with the
chatlint message schema ``conversation_id, role, author, time, text, channel``. A JSONL
partition is read by the CLI's own JSONL reader (SPEC §6), a Parquet partition row by row
through the same reader (``time``: a timestamp, an ISO 8601 string or unix seconds; the row
number is the ``file_line``). A conversation must lie in one partition (partition by
``conversation_id``): one found in two partitions is reported. ``channel`` (chat, messenger,
social, email) sets the conversation's channel unless ``--channel`` is given; null: the
config's.

**Work**: one task per partition; a worker reads it and checks each conversation with
:func:`chatlint.engine.check_transcript`, the call the CLI makes, with the same configuration
(``--config`` or the one found from the first partition's folder, ``--select``, ``--ignore``,
``--channel``, ``--lang``, ``--operator``). So the findings are the CLI's (``chatlint check
--format json`` on the same files) exactly, with one difference by design: the
cross-conversation rule T013 (one reply pasted to many clients, social channel) compares
conversations within a partition, not across the archive.

**Output**: one Parquet file, findings in partition order, then conversation order as read,
then as the engine sorts them; one row group per partition. Its schema, :data:`FINDINGS_SCHEMA`,
is stable (columns are only ever added):

===================  ==================================  ==============================================
column               type                                meaning
===================  ==================================  ==============================================
path                 string                              the partition file
conversation_id      string                              the conversation
message_index        int32                               the message's position in the conversation (0-based)
file_line            int32, null                         the message's line in a JSONL partition, row (1-based) in a Parquet one
speaker              string, null                        the message's author
code                 string                              rule code (``S001``)
name                 string                              rule name (``paragraph-too-long``)
severity             string                              error | warning | info (after the config)
message              string                              the finding's text (Russian; English with lang="en")
start, end           int32                               ``str`` offsets into the message text, end exclusive
start_utf16,         int32                               the same in UTF-16 code units (JavaScript indices)
end_utf16
line, column         int32                               1-based, of ``start`` in the message
fix_applicability    string, null                        safe | unsafe; null: no fix
fix_title            string, null                        the fix's title
fix_edits            list<struct<start: int32,           the fix's edits (offsets into the message text)
                     end: int32, replacement: string>>
===================  ==================================  ==============================================

**Aggregates**: each task also sums its conversations per operator
(:class:`chatlint.summary.OperatorStats`: conversations, messages, findings by rule group,
response times, greeting and farewell right), and the parts are merged as a reduction
(:func:`chatlint.summary.merge`); ``--summary`` prints them (``chatlint check --summary``'s
figures without the scorecard).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .errors import ChatlintError, ConfigError

#: The distribution and extra that bring Dask and pyarrow.
INSTALL = "pip install 'chatlint-ru[dask]'"
PARTITION_SUFFIXES = (".jsonl", ".ndjson", ".parquet")
MESSAGE_COLUMNS = ("conversation_id", "role", "author", "time", "text", "channel")
CHANNELS = ("chat", "messenger", "social", "email")

#: (column, arrow type name) of the findings file; see the module's docstring.
FINDINGS_COLUMNS = (
    ("path", "string"),
    ("conversation_id", "string"),
    ("message_index", "int32"),
    ("file_line", "int32"),
    ("speaker", "string"),
    ("code", "string"),
    ("name", "string"),
    ("severity", "string"),
    ("message", "string"),
    ("start", "int32"),
    ("end", "int32"),
    ("start_utf16", "int32"),
    ("end_utf16", "int32"),
    ("line", "int32"),
    ("column", "int32"),
    ("fix_applicability", "string"),
    ("fix_title", "string"),
    ("fix_edits", "list<struct<start: int32, end: int32, replacement: string>>"),
)


class DaskError(ChatlintError):
    """A distributed run that cannot go on: the reason and what to do, in one line."""


def _require():
    """dask.distributed and pyarrow, or a :class:`DaskError` with the pip command."""
    missing = []
    for name in ("distributed", "pyarrow"):
        try:
            __import__(name)
        except ImportError:
            missing.append("dask[distributed]" if name == "distributed" else name)
    if missing:
        raise DaskError(f"--dask needs {' and '.join(missing)}, not installed: {INSTALL}")
    import distributed
    import pyarrow

    return distributed, pyarrow


def findings_schema():
    """:data:`FINDINGS_COLUMNS` as a ``pyarrow.Schema``."""
    import pyarrow as pa

    edit = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("replacement", pa.string())])
    types = {"string": pa.string(), "int32": pa.int32()}
    return pa.schema([(name, pa.list_(edit) if kind.startswith("list") else types[kind])
                      for name, kind in FINDINGS_COLUMNS])


# ------------------------------------------------------------------ settings shipped to workers


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build the run's configuration (a :class:`chatlint.Config` holds
    locks and compiled plans: it is built once per worker process from these, not pickled)."""

    config: str | None = None  # a chatlint.toml / pyproject.toml (absolute), None: defaults
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    channel: str | None = None
    lang: str | None = None
    operators: tuple[str, ...] = ()

    def build(self):
        cfg = _CONFIGS.get(self)
        if cfg is None:
            from .config import default_config, load_config, operators_with

            cfg = load_config(self.config) if self.config else default_config()
            changes: dict = {}
            if self.select is not None:
                changes["select"] = list(self.select)
            if self.channel:
                changes["channel"] = self.channel
            if self.lang:
                changes["lang"] = self.lang
            if self.operators:
                changes["operators"] = operators_with(cfg.operators, list(self.operators))
            if self.ignore:
                changes["ignore"] = list(cfg.ignore) + list(self.ignore)
            cfg = cfg.with_changes(**changes) if changes else cfg
            _CONFIGS[self] = cfg
        return cfg


_CONFIGS: dict[Settings, object] = {}


# The two operator helpers of ``chatlint check`` (cli.py), kept in step with it here: a front
# end does not import another's private names.


# ------------------------------------------------------------------ partitions


def partitions(paths: Iterable[str | Path]) -> list[str]:
    """The partition files of ``paths`` (files, or directories searched recursively for
    :data:`PARTITION_SUFFIXES`, sorted, hidden ones skipped), as absolute paths."""
    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                q for q in p.rglob("*")
                if q.suffix.lower() in PARTITION_SUFFIXES and q.is_file()
                and not any(part.startswith(".") for part in q.relative_to(p).parts)
            )
            if not found:
                raise DaskError(f"{raw}: no partition files ({', '.join('*' + s for s in PARTITION_SUFFIXES)}) in it")
            out.extend(str(q.resolve()) for q in found)
        elif p.is_file():
            if p.suffix.lower() not in PARTITION_SUFFIXES:
                raise DaskError(f"{raw}: not a partition: --dask reads {', '.join(PARTITION_SUFFIXES)} files "
                                "with the chatlint message schema")
            out.append(str(p.resolve()))
        else:
            raise DaskError(f"{raw}: no such file or directory")
    return out


def _json_value(v):
    if isinstance(v, datetime | date):
        return v.isoformat()
    return v


def _parquet_lines(path: str) -> tuple[list[str], dict[str, str]]:
    """A Parquet partition as JSONL lines (one a row, for the JSONL reader) and the channel of
    each conversation."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises its own types for a broken file
        raise DaskError(f"{path}: not a readable Parquet file ({exc}); give chatlint message partitions") from None
    names = set(table.column_names)
    if "text" not in names:
        raise DaskError(f"{path}: no `text` column (columns: {', '.join(table.column_names)}); "
                        f"the message schema is {', '.join(MESSAGE_COLUMNS)}")
    cols = [c for c in MESSAGE_COLUMNS if c in names]
    data = {c: table.column(c).to_pylist() for c in cols}
    lines = []
    for i in range(table.num_rows):
        row = {c: _json_value(data[c][i]) for c in cols}
        lines.append(json.dumps(row, ensure_ascii=False))
    return lines, _channels(data.get("conversation_id"), data.get("channel"))


def _channels(cids, chans) -> dict[str, str]:
    out: dict[str, str] = {}
    if cids is None or chans is None:
        return out
    for cid, ch in zip(cids, chans, strict=True):
        if cid is not None and isinstance(ch, str) and ch.strip().lower() in CHANNELS:
            out.setdefault(str(cid).strip(), ch.strip().lower())
    return out


def read_partition(path: str, operators: Sequence[str]) -> tuple[Iterator, dict[str, str]]:
    """The reader's items (problems and transcripts) of one partition, and its conversations'
    channels."""
    from .readers import jsonl
    from .readers.common import TextSource

    if path.lower().endswith(".parquet"):
        lines, channels = _parquet_lines(path)
        return jsonl.stream(TextSource("\n".join(lines)), path, operators), channels
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise DaskError(f"{path}: not UTF-8 (byte {exc.start}): convert the partition to UTF-8") from None
    except OSError as exc:
        raise DaskError(f"{path}: cannot read: {exc.strerror or exc}") from None
    cids, chans = [], []
    if '"channel"' in text:
        for line in text.split("\n"):
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict):
                cids.append(row.get("conversation_id"))
                chans.append(row.get("channel"))
    return jsonl.stream(TextSource(text), path, operators), _channels(cids, chans)


# ------------------------------------------------------------------ one partition, on a worker


@dataclass
class PartResult:
    """What a task sends back: the findings (an Arrow table), the per-operator figures, the
    reader's problems, the conversations seen, the worst severity."""

    path: str
    table: object
    stats: dict
    problems: list[str] = field(default_factory=list)
    conversations: list[str] = field(default_factory=list)
    messages: int = 0
    worst: int = -1
    seconds: float = 0.0
    error: str | None = None


def check_partition(path: str, settings: Settings) -> PartResult:
    """Check every conversation of one partition (runs on a worker)."""
    import pyarrow as pa

    from .archive import NearDuplicates
    from .engine import check_transcript
    from .errors import ReaderError
    from .findings import SEVERITY_RANK, utf16_mapper
    from .readers import Problem
    from .summary import add_conversation

    t0 = time.perf_counter()
    cfg = settings.build()
    rules = cfg.rules_by_code()
    cols: dict[str, list] = {name: [] for name, _ in FINDINGS_COLUMNS}
    stats: dict = {}
    problems: list[str] = []
    conversations: list[str] = []
    messages = 0
    worst = -1
    archive = NearDuplicates()
    try:
        items, channels = read_partition(path, cfg.operator_names)
        for item in items:
            if isinstance(item, Problem):
                problems.append(f"{path}: {'note: ' if item.note else ''}{item}")
                continue
            t = item
            channel = settings.channel or channels.get(t.conversation_id or "") or t.channel or cfg.channel
            if channel != t.channel:
                t = t.model_copy(update={"channel": channel})
            if isinstance(cfg.operators, dict):
                t = cfg.with_operator_names(t)
            if not conversations or conversations[-1] != t.conversation_id:  # parts of a long one
                conversations.append(t.conversation_id or "")
            messages += len(t.messages)
            found, _notes = check_transcript(t, cfg, archive)
            add_conversation(stats, t, found, rules, cfg.plan(t.channel).clock)
            mappers: dict[int, Callable] = {}
            for f in found:
                m = t.messages[f.message_index]
                to16 = mappers.get(f.message_index)
                if to16 is None:
                    to16 = mappers[f.message_index] = utf16_mapper(m.text)
                worst = max(worst, SEVERITY_RANK[f.severity])
                cols["path"].append(path)
                cols["conversation_id"].append(f.conversation_id)
                cols["message_index"].append(f.message_index)
                cols["file_line"].append(m.source_line)
                cols["speaker"].append(f.speaker)
                cols["code"].append(f.code)
                cols["name"].append(f.name)
                cols["severity"].append(f.severity)
                cols["message"].append(f.message)
                cols["start"].append(f.start)
                cols["end"].append(f.end)
                cols["start_utf16"].append(to16(f.start))
                cols["end_utf16"].append(to16(f.end))
                cols["line"].append(f.line)
                cols["column"].append(f.column)
                fix = f.fix
                cols["fix_applicability"].append(fix.applicability if fix else None)
                cols["fix_title"].append(fix.title if fix else None)
                cols["fix_edits"].append(
                    [{"start": e.start, "end": e.end, "replacement": e.replacement} for e in fix.edits] if fix else None
                )
    except (ReaderError, DaskError) as exc:
        error = str(exc) if isinstance(exc, DaskError) else f"{path}: {exc}"
        return PartResult(path, findings_schema().empty_table(), {}, problems, [], 0, -1,
                          time.perf_counter() - t0, error)
    table = pa.table(cols, schema=findings_schema())
    return PartResult(path, table, stats, problems, conversations, messages, worst, time.perf_counter() - t0)


# ------------------------------------------------------------------ the run, on the client


@dataclass
class RunResult:
    output: str
    partitions: int
    conversations: int
    messages: int
    findings: int
    worst: int  # the highest severity rank found (-1: none)
    stats: dict  # operator -> chatlint.summary.OperatorStats, merged
    problems: list[str]
    errors: list[str]  # partitions that could not be read
    duplicates: list[str]  # conversations found in more than one partition
    seconds: float
    workers: int


def parse_address(address: str) -> tuple[str | None, int | None]:
    """``local:N`` → (None, N); anything else is a scheduler address (``tcp://host:8786``)."""
    address = address.strip()
    if address.startswith("local"):
        _, _, n = address.partition(":")
        if not n:
            return None, os.cpu_count() or 1
        if not n.isdigit() or int(n) < 1:
            raise DaskError(f"--dask {address}: give local:N with N worker processes (N ≥ 1), e.g. local:2")
        return None, int(n)
    if not address:
        raise DaskError("--dask: give a scheduler address (tcp://host:8786) or local:N")
    return address, None


def run(
    paths: Iterable[str | Path],
    address: str = "local:2",
    output: str | Path = "findings.parquet",
    settings: Settings | None = None,
    progress: Callable[[PartResult], None] | None = None,
) -> RunResult:
    """Check the archive at ``paths`` on a Dask cluster (``address``: a scheduler's, or
    ``local:N`` for a LocalCluster of N single-threaded worker processes), write the findings
    to ``output`` (Parquet, :data:`FINDINGS_COLUMNS`) and return the merged figures."""
    distributed, pa = _require()
    import pyarrow.parquet as pq

    from .summary import merge

    parts = partitions(paths)
    if settings is None:
        settings = Settings(config=_discovered(parts))
    scheduler, n = parse_address(address)
    t0 = time.perf_counter()
    cluster = None
    try:
        if scheduler is None:
            cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                               dashboard_address=None)
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(scheduler, timeout="20s")
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise DaskError(f"--dask {address}: cannot reach the scheduler ({exc}); "
                        "start one (dask scheduler) or use local:N") from None
    try:
        workers = len(client.scheduler_info().get("workers", {}))
        futures = client.map(check_partition, parts, settings=settings, pure=False)
        output = str(output)
        tmp = output + ".part"
        writer = pq.ParquetWriter(tmp, findings_schema())
        stats_parts, problems, errors, seen = [], [], [], {}
        duplicates: list[str] = []
        conversations = messages = findings = 0
        worst = -1
        try:
            for fut in futures:  # in partition order; the workers run ahead
                try:
                    r: PartResult = fut.result()
                except Exception as exc:  # a worker lost, or a bug: the partition is named
                    raise DaskError(f"{parts[len(stats_parts)]}: the check failed on the cluster: "
                                    f"{type(exc).__name__}: {exc}") from None
                fut.release()
                if r.error:
                    errors.append(r.error)
                problems.extend(r.problems)
                if r.table.num_rows:
                    writer.write_table(r.table)
                findings += r.table.num_rows
                messages += r.messages
                conversations += len(r.conversations)
                worst = max(worst, r.worst)
                stats_parts.append(r.stats)
                for cid in r.conversations:
                    if cid in seen and seen[cid] != r.path and len(duplicates) < 20:
                        duplicates.append(f"{cid} (in {seen[cid]} and {r.path})")
                    seen.setdefault(cid, r.path)
                if progress is not None:
                    progress(r)
        finally:
            writer.close()
        os.replace(tmp, output)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return RunResult(output, len(parts), conversations, messages, findings, worst, merge(stats_parts),
                     problems, errors, duplicates, time.perf_counter() - t0, workers)


def _discovered(parts: list[str]) -> str | None:
    """The configuration the CLI would find for the first partition."""
    from .config import find_config_file

    if not parts:
        return None
    found = find_config_file(Path(parts[0]).parent)
    return str(found) if found else None


def read_findings(path: str | Path) -> list[dict]:
    """The rows of a findings file (for tests and small archives)."""
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def main_check(args) -> int:
    """``chatlint check --dask ADDRESS PATH... --output FILE``."""
    from .findings import SEVERITY_RANK

    try:
        settings = Settings(
            config=str(Path(args.config).resolve()) if args.config else None,
            select=tuple(args.select) if args.select is not None else None,
            ignore=tuple(args.ignore or ()),
            channel=args.channel,
            lang=getattr(args, "lang", None),
            operators=tuple(args.operator or ()),
        )
        parts = partitions(args.paths)
        if settings.config is None:
            settings = Settings(**{**settings.__dict__, "config": _discovered(parts)})
        settings.build()  # a broken config fails here, once, not on every worker
        result = run(parts, args.dask, args.output, settings)
    except DaskError as exc:
        print(f"chatlint: error: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"chatlint: configuration error: {exc}", file=sys.stderr)
        return 2
    for line in result.problems[:20]:
        print(line, file=sys.stderr)
    if len(result.problems) > 20:
        print(f"… and {len(result.problems) - 20} more problems", file=sys.stderr)
    for e in result.errors:
        print(e, file=sys.stderr)
    for d in result.duplicates:
        print(f"chatlint: warning: conversation {d} is split across partitions: its parts were checked "
              "apart; partition the archive by conversation_id", file=sys.stderr)
    print(f"chatlint: {result.findings} findings in {result.conversations} conversations "
          f"({result.messages} messages, {result.partitions} partitions) on {result.workers} workers "
          f"in {result.seconds:.1f} s → {result.output}", file=sys.stderr)
    if args.summary:
        from .summary import render

        sys.stdout.write(render(result.stats, "json" if args.format == "json" else "text"))
    if result.errors:
        return 2
    return 1 if result.worst >= SEVERITY_RANK[args.fail_on] else 0
