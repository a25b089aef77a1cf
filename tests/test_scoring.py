"""QA scorecards (issue 16): the scorecard file, a score per conversation, figures per group."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import chatlint
from chatlint import Message, Transcript
from chatlint.catalog import all_rules
from chatlint.scoring import (
    NOBODY,
    ScorecardError,
    load_scorecard,
    mean_interval,
    parse_scorecard,
    score,
    wilson,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "rules" / "scorecards" / "default.toml"
T0 = datetime(2026, 11, 23, 10, 0)


def conv(cid: str, *lines: tuple[str, str, str, int], channel=None) -> Transcript:
    """(role, author, text, seconds after T0) per message."""
    msgs = tuple(Message(role=r, author=a, text=x, time=T0 + timedelta(seconds=s)) for r, a, x, s in lines)
    return Transcript(conversation_id=cid, messages=msgs, channel=channel)


GOOD = conv(
    "good",
    ("client", "Ирина", "Добрый день! Подскажите, где мой заказ 5512?", 0),
    ("operator", "Анна", "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?", 15),
    ("operator", "Анна", "Ваш заказ 5512 передан в службу доставки, курьер привезёт его завтра до обеда.", 45),
    ("client", "Ирина", "Спасибо большое", 70),
    ("operator", "Анна", "Всего доброго, будут ещё вопросы - обращайтесь!", 80),
)
RUDE_TY = conv(
    "ty",
    ("client", "Пётр", "Добрый день, у меня не проходит оплата картой.", 0),
    ("operator", "Олег", "Здравствуйте, меня зовут Олег, чем я могу Вам помочь?", 20),
    ("operator", "Олег", "Ты карту правильно вводишь? Проверь срок действия.", 50),
    ("operator", "Олег", "Всего доброго, будут ещё вопросы - обращайтесь!", 90),
)
NO_FAREWELL = conv(
    "nobye",
    ("client", "Ирина", "Здравствуйте, можно поменять размер куртки?", 0),
    ("operator", "Анна", "Здравствуйте, меня зовут Анна, чем я могу Вам помочь?", 10),
    ("operator", "Анна", "Да, обменять куртку можно в течение 14 дней в любом нашем магазине.", 40),
)
UNANSWERED = conv("silent", ("client", "Марина", "Добрый вечер, когда откроется пункт выдачи на Лесной?", 0))


def test_default_scorecard_is_valid_and_names_only_existing_rules():
    card = load_scorecard()
    assert card.name == "default"
    rules = all_rules()
    assert all(code in rules for c in card.criteria for code in c.rules)
    ids = {c.id for c in card.criteria}
    # the criteria, each mapped to rules
    assert {"greeting", "introduction", "offer_of_help", "first_response", "holding", "tone", "structure",
            "spelling", "farewell", "transfers", "questions_answered"} <= ids
    assert {c.id for c in card.criteria if c.critical} == {"rudeness", "informal_you", "client_answered"}


def test_public_api_scores_a_conversation_that_meets_the_standard():
    report = chatlint.score([GOOD])
    (c,) = report.conversations
    assert c.score == 100.0 and not c.critical
    assert c.status("greeting") == "pass" and c.status("email_form") == "na"
    assert c.operators == ("Анна",) and c.day == T0.date() and c.week == "2026-W48"
    assert c.why(load_scorecard()) == "все применимые критерии выполнены"


def test_critical_failure_scores_zero_and_says_why():
    report = score([RUDE_TY])
    (c,) = report.conversations
    assert c.score == 0.0
    assert c.critical == ("informal_you",)
    res = next(r for r in c.criteria if r.id == "informal_you")
    assert res.status == "fail" and res.evidence[0].code == "A002" and res.evidence[0].fragment == "Ты"
    card = load_scorecard()
    assert c.why(card) == "0: нарушен критический критерий: «Обращение на «ты»»"
    assert c.why(card, "en") == "0: critical criterion failed: «Addressing the client as «ты»»"


def test_a_failed_criterion_costs_its_weight():
    card = load_scorecard()
    (c,) = score([NO_FAREWELL], card).conversations
    assert c.status("farewell") == "fail"
    applicable = sum(x.weight for x in c.criteria if x.status != "na")
    assert c.score == round(100 * (applicable - 10) / applicable, 1)


def test_changing_a_weight_in_a_scorecard_file_changes_the_score(tmp_path):
    base = score([NO_FAREWELL], DEFAULT).conversations[0].score
    data = DEFAULT.read_text(encoding="utf-8")
    heavier = tmp_path / "heavy-farewell.toml"
    # the farewell criterion: weight 10 → 50 (the file's own text, one number changed)
    block = data.split('id = "farewell"')[1].split("[[criteria]]")[0]
    heavier.write_text(data.replace(block, block.replace("weight = 10", "weight = 50")), encoding="utf-8")
    (c,) = score([NO_FAREWELL], heavier).conversations
    applicable = sum(x.weight for x in c.criteria if x.status != "na")
    assert next(x.weight for x in c.criteria if x.id == "farewell") == 50
    assert c.score == round(100 * (applicable - 50) / applicable, 1)
    assert c.score < base
    # and weight 0: the failure no longer costs anything
    free = tmp_path / "free-farewell.toml"
    free.write_text(data.replace(block, block.replace("weight = 10", "weight = 0")), encoding="utf-8")
    assert score([NO_FAREWELL], free).conversations[0].score == 100.0
    # the same through the model: a copy with one weight changed
    assert score([NO_FAREWELL], load_scorecard().with_weight("farewell", 50)).conversations[0].score == c.score


def test_a_conversation_nobody_answered_is_scored_and_counted():
    report = score([GOOD, UNANSWERED])
    c = next(x for x in report.conversations if x.conversation_id == "silent")
    assert c.score == 0.0 and c.critical == ("client_answered",)
    assert c.status("greeting") == "na"  # no operator message to greet with
    assert c.owners == (NOBODY,)
    assert [a.key for a in report.by_operator] == sorted(["Анна", NOBODY])
    assert report.total.conversations == 2 and report.total.critical == 1


def test_timing_criteria_are_not_applicable_without_times():
    untimed = Transcript(conversation_id="x", messages=tuple(m.model_copy(update={"time": None}) for m in GOOD.messages))
    (c,) = score([untimed]).conversations
    assert c.status("first_response") == "na" and c.status("holding") == "na"
    assert c.day is None and c.score == 100.0


def test_email_criteria_apply_to_email_only():
    mail = conv(
        "mail",
        ("client", "Ирина", "Добрый день! Когда будет возврат?", 0),
        ("operator", "Анна", "Здравствуйте, Ирина! Возврат придёт в течение трёх дней.", 3600),
        channel="email",
    )
    (c,) = score([mail]).conversations
    assert c.status("email_form") == "fail"  # no subject, no signature
    assert c.status("introduction") == "na"  # G003 runs in chats and messengers only


def test_aggregates_carry_counts_intervals_and_remedies():
    report = score([GOOD, NO_FAREWELL, RUDE_TY, UNANSWERED])
    anna = next(a for a in report.by_operator if a.key == "Анна")
    assert anna.conversations == 2 and anna.small  # fewer than min_conversations (10)
    assert anna.criteria["farewell"].successes == 1 and anna.criteria["farewell"].n == 2
    low, high = wilson(1, 2)
    assert (anna.criteria["farewell"].low, anna.criteria["farewell"].high) == (round(low, 4), round(high, 4))
    top = anna.top_failed[0]
    assert top.id == "farewell" and top.rules == ("G006",)
    assert top.remedy.startswith("G006: ") and "Пример:" in top.remedy
    assert anna.responses >= 1 and anna.response_p50 is not None
    assert [a.key for a in report.by_channel] == ["chat"]
    assert [a.key for a in report.by_day] == ["2026-11-23"] and [a.key for a in report.by_week] == ["2026-W48"]
    assert report.total.conversations == 4
    assert report.total.mean == round(sum(c.score for c in report.conversations) / 4, 1)
    en = score([GOOD, NO_FAREWELL], config=chatlint.Config(lang="en"))
    assert en.by_operator[0].top_failed[0].title == "Farewell"
    assert "Example:" in en.by_operator[0].top_failed[0].remedy


def test_wilson_and_t_intervals():
    assert wilson(0, 0) is None
    low, high = wilson(8, 10)
    assert round(low, 3) == 0.490 and round(high, 3) == 0.943  # the textbook figures
    lo, hi = wilson(3, 3)
    assert hi == 1.0 and 0.43 < lo < 0.44  # three good chats do not prove 100 %
    assert mean_interval([80.0]) is None
    assert mean_interval([70.0, 80.0, 90.0]) == (55.2, 100.0)  # 80 ± 4.303 · 10 / √3


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda d: d["criteria"][0].update(rules=["G999"]),
         "criteria[0] (id 'greeting').rules[0]: unknown rule 'G999': use a code from `chatlint rules`"),
        (lambda d: d["criteria"][1].update(wieght=3),
         "criteria[1] (id 'introduction').wieght: unknown key: remove it or fix its spelling"),
        (lambda d: d["criteria"][2].update(weight=-1),
         "criteria[2] (id 'offer_of_help').weight: Input should be greater than or equal to 0"),
        (lambda d: d["criteria"][3].pop("title"), "criteria[3] (id 'first_response').title: missing: add it"),
        (lambda d: d["criteria"][4].update(id="greeting"), "criterion id 'greeting' is used twice"),
        (lambda d: d["scorecard"].update(pass_score=120), "scorecard.pass_score: Input should be less than or equal to 100"),
    ],
)
def test_a_bad_scorecard_names_the_file_the_key_and_what_to_do(edit, expected):
    data = tomllib.loads(DEFAULT.read_text(encoding="utf-8"))
    edit(data)
    with pytest.raises(ScorecardError) as exc:
        parse_scorecard(data, "team.toml")
    assert str(exc.value).startswith("team.toml: ")
    assert expected in str(exc.value)


def test_an_unreadable_scorecard_file_is_one_line(tmp_path):
    bad = tmp_path / "card.toml"
    bad.write_text("[scorecard\nname = 1", encoding="utf-8")
    with pytest.raises(ScorecardError, match=r"card.toml: not valid TOML"):
        load_scorecard(bad)
    with pytest.raises(ScorecardError, match=r"no such scorecard file"):
        load_scorecard(tmp_path / "missing.toml")
    with pytest.raises(ScorecardError, match=r"no shipped scorecard 'strict': expected one of default"):
        load_scorecard("strict")
    assert isinstance(ScorecardError("x"), chatlint.ConfigError)


def test_a_russian_remedy_is_russian():
    from chatlint.scoring import remedy_text

    card = load_scorecard()
    holding = next(c for c in card.criteria if c.id == "holding")
    ru, en = remedy_text(card, holding, ["T002"]), remedy_text(card, holding, ["T002"], "en")
    assert ru.startswith("T002: В чате принято отвечать") and "Client at" not in ru  # the English example is left out
    assert "Example: Client at 14:06:00" in en
    mail = next(c for c in card.criteria if c.id == "email_form")
    assert "\\n" not in remedy_text(card, mail, ["M003"], "en")
