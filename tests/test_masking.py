"""No finding message, fix title, explanation or rule reference ever shows profanity unmasked
(one helper, lexicon.mask_profanity, used by the engine and the docs)."""

from __future__ import annotations

import re

from chatlint import lint_message
from chatlint.catalog import all_rules
from chatlint.docs import explain, rule_record, rule_text, rules_markdown
from chatlint.lexicon import is_profane, mask_profanity

WORD = re.compile(r"[\w@$*]*[^\W\d_][\w@$*]*")


def unmasked(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if "*" not in w and is_profane(w.lower())]


def test_mask_keeps_length_and_leaves_other_words():
    assert mask_profanity("Ну и пиzдец, заказ опять потерян") == "Ну и п*****, заказ опять потерян"
    assert mask_profanity("Заказ в пути") == "Заказ в пути"
    assert len(mask_profanity("Какие же дебилы")) == len("Какие же дебилы")


def test_every_finding_message_and_fix_title_is_masked():
    text = "Ну и пиzдец, блядство какое-то, охуеть, дебилы."
    findings = lint_message(text)
    assert {f.code for f in findings} >= {"A004", "P002"}
    for f in findings:
        assert not unmasked(f.message), f
        if f.fix and f.fix.title:
            assert not unmasked(f.fix.title), f
    en = lint_message(text, config=None)
    assert all(not unmasked(f.message) for f in en)


def test_explanations_and_references_are_masked():
    assert unmasked(all_rules()["A004"].doc)  # the source keeps the words…
    for r in all_rules().values():  # …no output does
        assert not unmasked(explain(r)), r.code
        assert not unmasked(" ".join(rule_text(r, "ru")) + " ".join(rule_text(r, "en"))), r.code
        assert not unmasked(str(rule_record(r))), r.code
    assert not unmasked(rules_markdown())


def test_quoted_fragments_in_messages_are_one_line():
    from chatlint.registry import quote

    assert quote("В связи с\nотпусками") == "«В связи с отпусками»"
    assert quote("Нажмите «Ок»") == "«Нажмите „Ок“»"
    for f in lint_message("Здравствуйте!\nЗаказ ОБЯЗАТЕЛЬНО\nпридёт завтра.\nЭто ОЧЕНЬ\nважно."):
        assert "\n" not in f.message, f


def test_webinar_is_not_profanity():
    assert lint_message("Запись вебинара пришлём завтра.") == []
