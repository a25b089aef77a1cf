"""Configuration: discovery, validation with file/key/problem, selectors, profiles, overrides."""

from __future__ import annotations

import pytest

from chatlint import Config, ConfigError, lint_message, load_config
from chatlint.catalog import all_rules
from chatlint.config import default_config, is_selected

RULES = all_rules()


def codes(text, **kw):
    return {f.code for f in lint_message(text, **kw)}


def test_pyproject_table_is_loaded(tmp_path):
    p = tmp_path / "pyproject.toml"
    p.write_text('[tool.chatlint]\nchannel = "messenger"\nignore = ["A001"]\n\n[tool.chatlint.rules.S001]\nmax_sentences = 5\nseverity = "error"\n', encoding="utf-8")
    cfg = load_config(p)
    assert cfg.channel == "messenger" and cfg.ignore == ["A001"] and cfg.source == str(p)
    text = "Раз. Два. Три. Четыре. Пять. Шесть."
    (f,) = [f for f in lint_message(text, config=cfg) if f.code == "S001"]
    assert f.severity == "error" and "6 предложений" in f.message


def test_chatlint_toml_and_discovery_walks_up(tmp_path, monkeypatch):
    (tmp_path / "chatlint.toml").write_text('lang = "en"\n', encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    cfg = load_config()
    assert cfg.lang == "en"
    assert load_config(deep).lang == "en"
    (f,) = [f for f in lint_message("вы", config=cfg) if f.code == "A001"]
    assert f.message.startswith("«вы» in lower case")


def test_pyproject_without_table_is_skipped_in_discovery(tmp_path, monkeypatch):
    (tmp_path / "chatlint.toml").write_text('lang = "en"\n', encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    monkeypatch.chdir(sub)
    assert load_config().lang == "en"


def test_no_config_gives_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_config().model_dump() == Config().model_dump()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[tool.chatlint]\nchanel = "chat"\n', "tool.chatlint.chanel: unknown key"),
        ('[tool.chatlint]\nchannel = "fax"\n', "tool.chatlint.channel: Input should be 'chat', 'messenger', 'social' or 'email'"),
        ('[tool.chatlint]\nselect = "S"\n', "tool.chatlint.select: Input should be a valid list"),
        ('[tool.chatlint]\nselect = ["Z"]\n', "tool.chatlint.select: unknown rule selector 'Z'"),
        ('[tool.chatlint.rules.S001]\nmax_sentences = "four"\n', "tool.chatlint.rules.S001.max_sentences: Input should be a valid integer"),
        ('[tool.chatlint.rules.S001]\nmax_sentence = 4\n', "tool.chatlint.rules.S001.max_sentence: unknown key"),
        ('[tool.chatlint.rules.S001]\nseverity = "fatal"\n', "tool.chatlint.rules.S001.severity: Input should be 'error', 'warning' or 'info'"),
        ('[tool.chatlint.rules.Q123]\nseverity = "error"\n', "tool.chatlint.rules.Q123: unknown rule"),
        ('[tool.chatlint\nchannel = 1\n', "not valid TOML"),
    ],
)
def test_invalid_config_names_file_key_and_problem(tmp_path, content, expected):
    p = tmp_path / "pyproject.toml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(p)
    msg = str(exc.value)
    assert msg.startswith(str(p) + ": ")
    assert expected in msg
    assert "\n" not in msg


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "nope.toml")


def test_rule_options_by_name(tmp_path):
    p = tmp_path / "chatlint.toml"
    p.write_text('[rules.paragraph-too-long]\nmax_sentences = 1\n', encoding="utf-8")
    assert "S001" in codes("Раз. Два.", config=load_config(p))


def test_selectors_most_specific_wins_ignore_wins_ties():
    r = RULES["S001"]
    assert is_selected(r, ["ALL"], [], False)
    assert not is_selected(r, ["ALL"], ["S"], False)
    assert is_selected(r, ["S001"], ["S"], False)  # more specific select wins
    assert not is_selected(r, ["S"], ["S00"], False)
    assert not is_selected(r, ["S001"], ["S001"], False)  # a tie: ignore wins
    assert is_selected(r, ["paragraph-too-long"], ["S"], False)
    assert not is_selected(r, ["A"], [], False)


def test_profile_disabled_rule_comes_back_only_by_full_code():
    text = "Заказ в пути 🚚"
    assert "E003" not in codes(text, channel="messenger")
    assert "E003" not in codes(text, channel="messenger", config=Config(select=["E"]))
    assert "E003" in codes(text, channel="messenger", config=Config(select=["E003"]))


def test_channel_profiles_set_parameters():
    text = "Раз. Два. Три. Четыре."
    assert "S001" in codes(text, channel="chat")
    assert "S001" not in codes(text, channel="email")  # email allows four sentences


def test_allowed_smileys_and_emoji_settings():
    assert "E001" not in codes("Готово ;)", config=Config(allowed_smileys=[":)", ";)"]))
    assert "E003" not in codes("Готово 👍", config=Config(allowed_emoji=["👍"]))
    assert "E003" in codes("Готово 👍", config=Config(allowed_emoji=["🙂"]))


def test_config_is_frozen_and_plans_are_cached():
    cfg = Config()
    assert cfg.plan("chat") is cfg.plan("chat")
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        cfg.lang = "en"


def test_unknown_channel_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown channel 'fax'"):
        lint_message("текст", channel="fax")


def test_with_changes_validates():
    cfg = default_config().with_changes(select=["S"])
    assert cfg.select == ["S"]
    with pytest.raises(ConfigError, match="select: unknown rule selector"):
        default_config().with_changes(select=["QQ"])


def test_english_messages():
    cfg = Config(lang="en")
    for f in lint_message("привет!!! ты где))) ;)", config=cfg):
        assert not any("а" <= ch <= "я" for ch in f.message.split("«")[0]), f.message


def test_each_threshold_has_one_home():
    """No profile repeats a Python default: a parameter every channel's profile sets has no
    Python default (the profiles are its home), and one that keeps a Python default is set
    by a profile only where that channel differs."""
    from chatlint.catalog import all_rules
    from chatlint.config import profile_params
    from chatlint.findings import CHANNELS

    required = []
    for code, r in all_rules().items():
        channels = [ch for ch in CHANNELS if ch in r.channels]
        for name, f in r.params.model_fields.items():
            values = {ch: profile_params(code, ch)[name] for ch in channels if name in profile_params(code, ch)}
            if f.is_required():
                required.append(f"{code}.{name}")
                missing = sorted(set(channels) - set(values))
                assert not missing, f"{code}.{name} has no value in the profiles of {missing}"
            else:
                repeats = sorted(ch for ch, v in values.items() if v == f.default)
                assert not repeats, f"{code}.{name}: the profiles of {repeats} repeat its Python default"
                assert len(values) < len(channels), f"{code}.{name}: every profile sets it; drop its Python default"
    assert {"S001.max_sentences", "E005.max_per_message", "T001.first_response_s", "T002.hold_s"} <= set(required)


def test_a_user_value_completes_the_profiles_and_is_checked_against_them(tmp_path):
    p = tmp_path / "chatlint.toml"
    p.write_text('[rules.T002]\nhold_s = 120\n', encoding="utf-8")
    cfg = load_config(p)
    assert cfg.plan("chat").rules  # response_s still comes from each profile
    p.write_text('[rules.T002]\nhold_s = 0\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules\.T002\.hold_s"):
        load_config(p)
