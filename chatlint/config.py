"""Configuration: the pydantic ``Config``, its discovery and loading, and the per-channel plan.

Sources, weakest first: the rule's own defaults, the channel profile in ``rules/profiles/``,
then the user's ``[tool.chatlint]`` table in ``pyproject.toml`` or a ``chatlint.toml``.
Everything is validated; an unknown key or a wrong type is a :class:`ConfigError` that names
the file, the key path and what was expected.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from .clock import WorkingHours
from .errors import ConfigError
from .findings import Channel, Severity
from .planning import (  # noqa: F401  (what this module has always given)
    CONFIG_FILES,
    DEFAULT_TEMPLATES,
    MAX_CONFIG_BYTES,
    MAX_DICTIONARY_BYTES,
    ConfigBase,
    DefaultConfig,
    Plan,
    Planned,
    check_selector,
    describe_errors,
    find_config_file,
    is_selected,
    operators_with,
    plain_default_config,
    profile,
    profile_params,
    read_toml,
)
from .registry import Rule


def _empty_list() -> list:
    """The default of a list field: a function of ours, whose signature pydantic reads from its
    code (for the builtin ``list`` it parses the text signature with ``tokenize``: 2 ms of a
    cold start for the seven list fields)."""
    return []


class RuleOptions(BaseModel):
    """A ``[rules.CODE]`` table: a severity and the rule's own parameters (checked per rule)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    severity: Severity | None = None


class SpellingOptions(BaseModel):
    """The ``[spelling]`` table (``[tool.chatlint.spelling]``): the project's own words and how
    the spelling rules (P001, P003) treat words."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    dictionary: list[str] = Field(default_factory=_empty_list)
    """Extra known words in their dictionary form; every inflected form is accepted."""
    dictionary_file: str | None = None
    """A UTF-8 file of extra known words, one a line (``#`` starts a comment), relative to the
    configuration file."""
    ignore_latin: bool = True
    """Leave Latin-script words alone (names, products); false: P003 shows the unknown ones."""
    min_length: int = Field(3, ge=1, le=50)
    """Words shorter than this are never checked."""


class ReplyTemplates(BaseModel):
    """The ``[templates]`` table: the replies the operator UI offers to insert in one click
    (``/v1/check`` with a conversation). ``{ИМЯ}`` is replaced by the operator's name when the
    request gives one."""

    # the descriptions are given as Field(description=...), not by use_attribute_docstrings:
    # that reads and parses this module's source at import (a sixth of a cold start's import)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    greeting: str = Field(DEFAULT_TEMPLATES["greeting"], max_length=2000,
                          description="Offered when the operator's first reply has no greeting.")
    holding: str = Field(DEFAULT_TEMPLATES["holding"], max_length=2000,
                         description="Offered when the client has waited long for an answer.")
    farewell: str = Field(DEFAULT_TEMPLATES["farewell"], max_length=2000,
                          description="Offered when the closing reply has no farewell.")

class Config(ConfigBase, BaseModel):
    """chatlint's configuration (SPEC §5). Build it with :func:`load_config` or directly."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    channel: Channel = "chat"
    select: list[str] = Field(default_factory=lambda: ["ALL"])
    ignore: list[str] = Field(default_factory=_empty_list)
    lang: Literal["ru", "en"] = "ru"
    rules: dict[str, RuleOptions] = Field(default_factory=dict)
    # the operators' names (a list), or one entry per person with the other names they appear
    # under in exports (a table: ``"Дмитрий Орлов" = ["Дмитрий", "~ Dima"]``): see
    # :attr:`operator_names` and :meth:`operator_of`
    operators: list[str] | dict[str, list[str]] = Field(default_factory=_empty_list)
    company_names: list[str] = Field(default_factory=_empty_list)
    dictionary: list[str] = Field(default_factory=_empty_list)
    allowed_smileys: list[str] | None = None
    allowed_emoji: list[str] | None = None
    abbreviations: list[str] = Field(default_factory=_empty_list)
    spelling: SpellingOptions = Field(default_factory=SpellingOptions)
    templates: ReplyTemplates = Field(default_factory=ReplyTemplates)
    rule_packs: list[str] = Field(default_factory=_empty_list)
    # Response-time clocks count working time only (chatlint/clock.py): per channel, or "default"
    working_hours: dict[Literal["chat", "messenger", "social", "email", "default"], WorkingHours] = Field(
        default_factory=dict
    )
    # CSV transcripts: our field (time, author, role, text, conversation_id) → the file's header
    csv_columns: dict[Literal["time", "author", "role", "text", "conversation_id"], str] = Field(default_factory=dict)

    _source: str | None = PrivateAttr(default=None)
    _pack_rules: tuple[Rule, ...] | None = PrivateAttr(default=None)
    _only: bool = PrivateAttr(default=False)  # see only()
    _plans: dict[str, Plan] = PrivateAttr(default_factory=dict)
    _file_words: tuple[str, ...] | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @field_validator("select", "ignore")
    @classmethod
    def _strip(cls, v: list[str]) -> list[str]:
        return [s.strip() for s in v if s.strip()]

    @field_validator("operators", mode="before")
    @classmethod
    def _aliases(cls, v: Any) -> Any:
        if isinstance(v, dict):  # an alias may be given alone, as a string
            return {k: [a] if isinstance(a, str) else a for k, a in v.items()}
        return v

    def with_changes(self, **changes: Any) -> Config:
        """A copy with some keys replaced, validated like a loaded file (the source is kept)."""
        data = self.model_dump(exclude_unset=True)
        data.update(changes)
        new = _validate(data, self._source or "<config>", prefix="")
        if self._source is None:
            new._source = None
        return new

    def only(self, rules: tuple[Rule, ...]) -> Config:
        """A copy that knows and runs only ``rules`` (already loaded pack rules), no other rule:
        ``chatlint test-rules`` checks each rule's examples with it, without planning the
        thousands of other rules a large pack may hold."""
        new = self.model_copy(update={"select": [r.code for r in rules], "ignore": [], "rule_packs": []})
        new._pack_rules = tuple(rules)
        new._only = True
        new._plans = {}
        new._lock = threading.Lock()
        return new


def _validate(data: dict[str, Any], source: str, prefix: str) -> Config:
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: {prefix or 'configuration'}: expected a table")
    try:
        cfg = Config(**data)
    except ValidationError as exc:
        raise ConfigError(describe_errors(exc, source, prefix)) from None
    except TypeError as exc:
        raise ConfigError(f"{source}: {prefix or 'configuration'}: {exc}") from None
    cfg._source = source
    _check_rules(cfg, source, prefix)
    cfg.spelling_words  # noqa: B018  (a missing or unreadable dictionary file fails the load)
    return cfg


def _check_rules(cfg: Config, source: str, prefix: str) -> None:
    rules = cfg.rules_by_code()
    p = f"{prefix}." if prefix else ""
    for key in ("select", "ignore"):
        for sel in getattr(cfg, key):
            if not check_selector(sel, rules):
                raise ConfigError(
                    f"{source}: {p}{key}: unknown rule selector {sel!r} "
                    "(use a code such as S001, a prefix such as S, a rule name, or ALL)"
                )
    by_name = {r.name: r for r in rules.values()}
    for key, opts in cfg.rules.items():
        r = rules.get(key) or by_name.get(key)
        if r is None:
            raise ConfigError(f"{source}: {p}rules.{key}: unknown rule (see `chatlint rules`)")
        user = opts.model_extra or {}
        # checked on top of each channel's profile: a threshold that differs by channel has
        # its values there only (no Python default), so the user's keys complete them
        for channel in sorted(r.channels) or [cfg.channel]:
            try:
                r.params(**{**profile_params(r.code, channel), **user})
            except ValidationError as exc:
                raise ConfigError(describe_errors(exc, source, f"{p}rules.{key}")) from None


def _from_file(path: Path) -> Config | None:
    """The config in ``path``; None for a pyproject.toml without ``[tool.chatlint]``."""
    data = read_toml(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}: tool: expected a table ([tool]), got {type(tool).__name__}")
        if "chatlint" not in tool:
            return None
        return _validate(tool["chatlint"], str(path), "tool.chatlint")
    return _validate(data, str(path), "")


def load_config(path: str | Path | None = None) -> Config:
    """Load a configuration file, or discover one upwards from the current directory.

    ``path`` may be a ``pyproject.toml`` (its ``[tool.chatlint]`` table), a ``chatlint.toml``
    (top-level keys), or a directory to start the discovery from. Without any file the
    defaults are returned. Raises :class:`ConfigError` on an invalid file.
    """
    if path is None:
        found = find_config_file(Path.cwd().resolve())
        if found is None:
            return default_config()
        return _from_file(found) or default_config()
    p = Path(path)
    if p.is_dir():
        found = find_config_file(p.resolve())
        if found is None:
            return default_config()
        return _from_file(found) or default_config()
    cfg = _from_file(p)
    if cfg is None:
        raise ConfigError(f"{p}: no [tool.chatlint] table")
    return cfg


_default: Config | None = None


def default_config() -> Config:
    """The shared default configuration (its plans are cached across calls)."""
    global _default
    if _default is None:
        _default = Config()
    return _default


