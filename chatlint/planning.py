"""What a configuration does, without pydantic: discovery of the configuration file, the
channel profiles, the per-channel plans of rules, and the behaviour every configuration shares
(:class:`ConfigBase`); :class:`DefaultConfig` is the configuration of a run without a
configuration file, as the command line uses it.

The pydantic model (:class:`chatlint.config.Config`) validates what a file or a caller gives;
importing pydantic and building its models is ~60 ms, a third of a cold ``chatlint check``
before the first file is read, which a run without a configuration file need not pay
(:mod:`chatlint.config` holds the model and re-exports everything here).
"""

from __future__ import annotations

import sys
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import all_rules
from .document import norm
from .errors import ConfigError, PackError
from .files import describe_oserror, read_regular
from .findings import CHANNELS
from .registry import Context, Rule, Settings
from .resources import load_data, word_set

CONFIG_FILES = ("chatlint.toml", "pyproject.toml")
MAX_CONFIG_BYTES = 10_000_000
MAX_DICTIONARY_BYTES = 20_000_000

# WhatsApp (iOS) marks a sender who is not in the phone's contacts with «~» and a (narrow)
# no-break space; exports also carry direction marks around names
_NAME_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


def _unmarked(name: str) -> str:
    n = name.translate({ord(c): None for c in _NAME_MARKS}).replace("\u202f", " ").replace("\u00a0", " ").strip()
    return n[1:].strip() if n.startswith("~") else n


def _name_key(name: str) -> str:
    return " ".join(_unmarked(name).replace("ё", "е").replace("Ё", "Е").split()).casefold()


class ConfigBase:
    """What every configuration does with its values: the operators' names, the rule packs,
    the spelling words, the rules it knows and its per-channel plans. The pydantic
    :class:`chatlint.config.Config` and the plain :class:`DefaultConfig` share it."""

    @property
    def operator_names(self) -> list[str]:
        """Every name an operator goes by (each person's own name and aliases): what roles are
        matched against in transcripts. An alias written with WhatsApp's «~ » mark of people
        not in the phone's contacts is also given without it."""
        ops = self.operators
        names = list(ops) if isinstance(ops, list) else [n for k, al in ops.items() for n in (k, *al)]
        return list(dict.fromkeys(n for name in names for n in (name, _unmarked(name)) if n))

    def operator_of(self, author: str | None) -> str | None:
        """The person a configured name of ``author`` belongs to (the table's key), or None
        when the operators are a plain list or ``author`` is none of them. The longest
        matching name wins («Дмитрий Орлов» before «Дмитрий»)."""
        ops = self.operators
        if not author or not isinstance(ops, dict):
            return None
        key = _name_key(author)
        best, best_len = None, -1
        for person, aliases in ops.items():
            for name in (person, *aliases):
                k = _name_key(name)
                if k and (key == k or key.startswith(k + " ")) and len(k) > best_len:
                    best, best_len = person, len(k)
        return best

    def with_operator_names(self, transcript):
        """``transcript`` with each operator's messages under the person's configured name (the
        key of ``[operators]``), whatever alias the export shows: one person, one row of
        ``--summary``, one speaker in the findings (the CLI and the Dask run both use it)."""
        changed = False
        messages = []
        for m in transcript.messages:
            if m.role == "operator" and (person := self.operator_of(m.author)) is not None and person != m.author:
                m = m.model_copy(update={"author": person})
                changed = True
            messages.append(m)
        return transcript.model_copy(update={"messages": tuple(messages)}) if changed else transcript

    @property
    def source(self) -> str | None:
        """The file this configuration was read from, if any."""
        return self._source

    @property
    def pack_rules(self) -> tuple[Rule, ...]:
        """The rules of the ``rule_packs`` (paths relative to the config file, else the
        current directory). Raises :class:`ConfigError` on a malformed pack."""
        if self._pack_rules is None:
            base = Path(self._source).parent if self._source else Path.cwd()
            builtin = all_rules()
            out: dict[str, Rule] = {}
            for i, raw in enumerate(self.rule_packs):
                from .packs import pack_rules  # only for a configuration with packs

                path = Path(raw) if Path(raw).is_absolute() else base / raw
                try:
                    rules = pack_rules(path)
                except PackError as exc:
                    raise ConfigError(f"{self._source or '<config>'}: rule_packs[{i}]: {exc}") from None
                for r in rules:
                    if r.code in builtin or r.code in out:
                        raise ConfigError(
                            f"{self._source or '<config>'}: rule_packs[{i}]: {path}: {r.code} is already a rule code"
                        )
                    out[r.code] = r
            self._pack_rules = tuple(out.values())
        return self._pack_rules

    @property
    def spelling_words(self) -> tuple[str, ...]:
        """The words of ``spelling.dictionary`` and of ``spelling.dictionary_file`` (read once,
        relative to the configuration file; raises :class:`ConfigError` when unreadable)."""
        if self._file_words is None:
            self._file_words = _read_dictionary_file(self)
        return (*self.spelling.dictionary, *self._file_words)

    def rules_by_code(self) -> dict[str, Rule]:
        """Every rule this configuration knows: the registry's and its packs'."""
        if self._only:
            return {r.code: r for r in self.pack_rules}
        rules = dict(all_rules())
        rules.update((r.code, r) for r in self.pack_rules)
        return rules

    def plan(self, channel: str | None = None) -> Plan:
        """The rules that run for ``channel``, with their parameters and severities (cached)."""
        ch = channel or self.channel
        plan = self._plans.get(ch)
        if plan is None:
            with self._lock:
                plan = self._plans.get(ch)
                if plan is None:
                    plan = _build_plan(self, ch)
                    self._plans[ch] = plan
        return plan


#: The replies of ``[templates]`` when the configuration gives none (the pydantic
#: ``ReplyTemplates``'s defaults and :class:`DefaultConfig`'s, written once).
DEFAULT_TEMPLATES = {
    "greeting": "Здравствуйте, меня зовут {ИМЯ}, чем я могу Вам помочь?",
    "holding": "Одну минуту, уточняю информацию по Вашему вопросу.",
    "farewell": "Всего доброго, будут ещё вопросы — обращайтесь!",
}


class _Values:
    """A frozen bundle of default values (the nested tables of :class:`DefaultConfig`)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError("a default configuration is frozen")


class DefaultConfig(ConfigBase):
    """``Config()`` without pydantic: every key at its default, no source file. What the
    command line checks with when no configuration file governs a file and no option changes
    a key (the usual run). ``tests/test_plain_records.py`` holds its values equal to the
    pydantic model's defaults; anything that changes a key builds the model instead."""

    def __init__(self) -> None:
        d = self.__dict__
        d.update(
            channel="chat", select=["ALL"], ignore=[], lang="ru", rules={}, operators=[], company_names=[],
            dictionary=[], allowed_smileys=None, allowed_emoji=None, abbreviations=[], rule_packs=[],
            working_hours={}, csv_columns={},
            spelling=_Values(dictionary=[], dictionary_file=None, ignore_latin=True, min_length=3),
            templates=_Values(**DEFAULT_TEMPLATES),
            _source=None, _pack_rules=None, _only=False, _plans={}, _file_words=None, _lock=threading.Lock(),
        )

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_"):
            raise TypeError("a default configuration is frozen")
        self.__dict__[name] = value


_plain_default: DefaultConfig | None = None


def plain_default_config() -> DefaultConfig:
    """The shared :class:`DefaultConfig` (its plans are cached across calls)."""
    global _plain_default
    if _plain_default is None:
        _plain_default = DefaultConfig()
    return _plain_default


@dataclass(frozen=True, slots=True)
class Planned:
    rule: Rule
    severity: str
    ctx: Context


@dataclass(frozen=True, slots=True)
class Plan:
    channel: str
    lang: str
    rules: tuple[Planned, ...]
    # The rules that run on a message by its position (first, last): first/last-only rules
    # drop out ahead of time rather than being skipped message by message.
    situations: dict[tuple[bool, bool], tuple[Planned, ...]]
    dialogue: tuple[Planned, ...] = ()  # the rules that check a whole conversation
    clock: Any = None  # the channel's working hours (chatlint.clock.Calendar); None: every second counts

    def for_message(self, first: bool, last: bool) -> tuple[Planned, ...]:
        return self.situations[(bool(first), bool(last))]


# ------------------------------------------------------------------ selection


def _specificity(selector: str, rule: Rule) -> int | None:
    """How specifically ``selector`` names ``rule`` (None: it does not)."""
    if selector == "ALL":
        return 0
    if selector == rule.name:
        return 100
    if rule.code.startswith(selector):
        return len(selector)
    return None


def check_selector(selector: str, rules: dict[str, Rule]) -> bool:
    if selector == "ALL":
        return True
    return any(r.name == selector or r.code.startswith(selector) for r in rules.values())


def is_selected(rule: Rule, select: list[str], ignore: list[str], profile_off: bool) -> bool:
    """ruff's rule: the most specific selector wins, ``ignore`` wins a tie.

    A rule the channel profile turns off comes back only when selected by its full code
    or name.
    """
    best_sel = max((s for x in select if (s := _specificity(x, rule)) is not None), default=None)
    best_ign = max((s for x in ignore if (s := _specificity(x, rule)) is not None), default=None)
    if best_sel is None:
        return False
    if best_ign is not None and best_ign >= best_sel:
        return False
    if profile_off and best_sel < len(rule.code):
        return False
    return True


# ------------------------------------------------------------------ profiles


def profile(channel: str) -> dict[str, Any]:
    """The shipped profile of a channel (``rules/profiles/CHANNEL.toml``)."""
    return load_data(f"profiles/{channel}.toml")


def profile_params(code: str, channel: str) -> dict[str, Any]:
    """The parameters a channel's profile gives rule ``code`` (its severity left out)."""
    opts = dict(profile(channel).get("rules", {}).get(code, {}))
    opts.pop("severity", None)
    return opts


def _build_plan(cfg: ConfigBase, channel: str) -> Plan:
    if channel not in CHANNELS:
        raise ConfigError(f"unknown channel {channel!r}: expected one of {', '.join(CHANNELS)}")
    rules = cfg.rules_by_code()
    prof = profile(channel)
    prof_settings = prof.get("settings", {})
    prof_rules: dict[str, dict[str, Any]] = prof.get("rules", {})
    disabled = set(prof.get("profile", {}).get("disable", []))

    abbreviations = set(word_set("address", "abbreviations", "words", fold=False)) | set(cfg.abbreviations)
    settings = Settings(
        allowed_smileys=frozenset(
            cfg.allowed_smileys if cfg.allowed_smileys is not None else prof_settings.get("allowed_smileys", [])
        ),
        allowed_emoji=frozenset(
            cfg.allowed_emoji if cfg.allowed_emoji is not None else prof_settings.get("allowed_emoji", [])
        ),
        abbreviations=frozenset(abbreviations),
        company_names=tuple(cfg.company_names),
        dictionary=frozenset(
            norm(w)
            for w in [
                *cfg.dictionary, *cfg.spelling_words, *cfg.operator_names,
                *(p for c in cfg.company_names for p in c.split())
            ]
        ),
        spelling_ignore_latin=cfg.spelling.ignore_latin,
        spelling_min_length=cfg.spelling.min_length,
    )
    planned = []
    for code, r in rules.items():
        if channel not in r.channels:
            continue
        if not is_selected(r, cfg.select, cfg.ignore, code in disabled):
            continue
        user = cfg.rules.get(code) or cfg.rules.get(r.name)
        prof_opts = dict(prof_rules.get(code, {}))
        severity = prof_opts.pop("severity", r.severity)
        params = dict(prof_opts)
        if user is not None:
            extra = dict(user.model_extra or {})
            params.update(extra)
            if user.severity:
                severity = user.severity
        try:
            p = r.params(**params)
        except Exception as exc:  # validated at load time; a profile error lands here
            if not is_validation_error(exc):
                raise
            raise ConfigError(describe_errors(exc, f"profiles/{channel}.toml", f"rules.{code}")) from None
        planned.append(Planned(r, severity, Context(channel, p, settings)))
    on_message = [p for p in planned if p.rule.scope == "message"]
    situations = {
        (f, la): tuple(p for p in on_message if p.rule.when is None or (f if p.rule.when == "first" else la))
        for f in (False, True)
        for la in (False, True)
    }
    dialogue = tuple(p for p in planned if p.rule.scope == "dialogue")
    hours = cfg.working_hours.get(channel) or cfg.working_hours.get("default")  # type: ignore[call-overload]
    return Plan(channel, cfg.lang, tuple(planned), situations, dialogue, hours.calendar() if hours else None)


# ------------------------------------------------------------------ loading


# the members of a union-typed key (``operators``: a list or a table), as pydantic names them
# in an error's location: not part of the key's path
_UNION_MEMBERS = frozenset({"list[str]", "dict[str,list[str]]"})


def describe_errors(exc, source: str, prefix: str) -> str:
    parts = []
    errors = exc.errors()
    # a value of one union member with a wrong item: that member's error alone, not the other
    # member's "should be a valid dictionary"
    def member_itself(e) -> bool:  # the value is not of this member's type at all
        return str(e["loc"][-1]) in _UNION_MEMBERS

    specific = {e["loc"][0] for e in errors if _UNION_MEMBERS.intersection(map(str, e["loc"])) and not member_itself(e)}
    for err in errors:
        if member_itself(err) and err["loc"][0] in specific:
            continue
        loc = ".".join(str(x) for x in err["loc"] if str(x) not in _UNION_MEMBERS)
        key = f"{prefix}.{loc}" if prefix and loc else (prefix or loc)
        if err["type"] == "extra_forbidden":
            parts.append(f"{source}: {key}: unknown key")
        else:
            got = err.get("input")
            shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
            parts.append(f"{source}: {key}: {err['msg']}{shown}")
    return "; ".join(parts)


def is_validation_error(exc: BaseException) -> bool:
    """``exc`` is pydantic's ``ValidationError`` (pydantic is imported only once a model was
    used, so an exception of any other kind is not one)."""
    core = sys.modules.get("pydantic_core")
    return core is not None and isinstance(exc, core.ValidationError)


def _read_dictionary_file(cfg: ConfigBase) -> tuple[str, ...]:
    raw = cfg.spelling.dictionary_file
    if raw is None:
        return ()
    source = cfg._source or "<config>"
    key = "tool.chatlint.spelling.dictionary_file" if source.endswith("pyproject.toml") else "spelling.dictionary_file"
    base = Path(cfg._source).parent if cfg._source and cfg._source != "<config>" else Path.cwd()
    path = Path(raw) if Path(raw).is_absolute() else base / raw
    try:
        data = read_regular(path, MAX_DICTIONARY_BYTES)
    except FileNotFoundError:
        raise ConfigError(f"{source}: {key}: no such file {str(path)!r}") from None
    except OSError as exc:
        raise ConfigError(f"{source}: {key}: cannot read {str(path)!r}: {describe_oserror(exc)}") from None
    if len(data) > MAX_DICTIONARY_BYTES:
        raise ConfigError(f"{source}: {key}: {str(path)!r} is larger than {MAX_DICTIONARY_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{source}: {key}: {str(path)!r} line {line}: not UTF-8 (save it as UTF-8)") from None
    words = []
    for line in text.splitlines():
        w = line.split("#", 1)[0].strip()
        if w:
            words.append(w)
    return tuple(words)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        data = read_regular(path, MAX_CONFIG_BYTES)
        if len(data) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: too large for a configuration file (> {MAX_CONFIG_BYTES // 1_000_000} MB)")
        return tomllib.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {describe_oserror(exc)}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: the file is not UTF-8") from None


def find_config_file(start: Path) -> Path | None:
    """Walk up from ``start`` to the first chatlint.toml or pyproject.toml with [tool.chatlint]."""
    here = start if start.is_dir() else start.parent
    for d in (here, *here.parents):
        for name in CONFIG_FILES:
            p = d / name
            if p.is_file():
                if name == "pyproject.toml":
                    try:
                        data = read_toml(p)
                    except ConfigError:
                        return p  # report the broken file rather than skipping it
                    tool = data.get("tool", {})
                    if isinstance(tool, dict) and "chatlint" not in tool:
                        continue  # not ours; a `tool` that is not a table is reported by _from_file
                return p
    return None


def operators_with(configured, names):
    """The config's ``operators`` with the ``--operator`` names added (to a list, or as people
    without aliases to a table): the CLI and the Dask run both use it."""
    names = [n.strip() for n in names if n.strip()]
    if isinstance(configured, dict):
        return {**configured, **{n: [] for n in names if n not in configured}}
    return list(dict.fromkeys([*configured, *names]))
