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


def _plain_is_profane(form: str) -> bool:
    """is_profane's definition, every word parsed."""
    from chatlint import morph
    from chatlint.lexicon import _SUBSTITUTE, profanity_lexicon

    lex = profanity_lexicon()
    plain = form.translate(_SUBSTITUTE)
    if plain in lex.exceptions:
        return False
    if "*" in plain:
        return lex.masked.fullmatch(plain) is not None
    if lex.root.match(plain):
        return not (morph.lemmas(plain) & lex.exceptions)
    return not lex.lemmas.isdisjoint(morph.lemmas(plain)) if plain.isalpha() else False


def _disguised_words() -> list[str]:
    """Profane words, exceptions and plain words, each also with letters written in Latin or
    as digits and signs (what operators' and clients' disguises look like), and other scripts."""
    from random import Random

    from chatlint import morph
    from chatlint.lexicon import profanity_lexicon

    lex = profanity_lexicon()
    an = morph.analyzer()
    words = ["команда", "мандарин", "хлебать", "ебонит", "сукно", "заказ", "доставка", "оскорблять", "вебинар"]
    words += sorted(lex.lemmas) + sorted(lex.exceptions)
    for lemma in ("сука", "идиот", "дебил", "говно", "хлебнуть", "мандат"):
        words += [f.word for f in an.parse(lemma)[0].lexeme][:12]
    rng = Random(7)
    out = []
    for w in words:
        out.append(w)
        for _ in range(4):
            chars = list(w)
            for _ in range(rng.choice((1, 1, 2))):
                chars[rng.randrange(len(chars))] = rng.choice("aeopcxyktsgvdjflwz0346@$*ѐ'")
            out.append("".join(chars))
    return out


def test_is_profane_without_parsing_foreign_words_is_the_plain_test():
    from chatlint.lexicon import is_profane as cached

    words = _disguised_words()
    assert sum(map(_plain_is_profane, words)) > 50  # profane words, disguised or not, among them
    for w in words:
        assert cached.__wrapped__(w) == _plain_is_profane(w), w
