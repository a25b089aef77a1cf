"""A rule that compiles a ``~lemma`` phrase lazily (a plugin's, typically) must fire on the
very first message: the Document's lemma set cannot be stale when new lexicon keys appear."""

from __future__ import annotations

from collections.abc import Iterator

from chatlint import Config, lint_message
from chatlint.document import Document
from chatlint.lexicon import phrase_hits
from chatlint.phrases import compile_phrase
from chatlint.registry import Context, Hit, ex, rule


def test_a_document_sees_keys_registered_after_it_computed_its_lemmas():
    doc = Document("Холодильники привезём в среду.")
    assert "холодильник" not in doc.lemma_set  # no lexicon looks for it yet
    phrases = (compile_phrase("~холодильник"),)  # a rule compiles its phrase only now
    assert list(phrase_hits(doc, phrases)) == [(0, 12)]


def test_a_plugin_rule_with_a_lazily_compiled_lemma_phrase_fires_on_its_first_message(monkeypatch):
    from chatlint import catalog, config, registry

    monkeypatch.setattr(registry, "REGISTRY", dict(registry.REGISTRY))
    compiled = []

    @rule("Z901", "vacuum-cleaner", "info", bad=[ex("Пылесосы в наличии.")], good=[ex("Чайники в наличии.")])
    def vacuum_cleaner(doc: Document, ctx: Context) -> Iterator[Hit]:
        """**What it checks** a test rule. **Why** a test. **Example** none."""
        if not compiled:
            compiled.append(compile_phrase("~пылесос"))  # lazily, on the first message
        for s, e in phrase_hits(doc, tuple(compiled)):
            yield Hit(s, e, "пылесос", "vacuum cleaner")

    rules = dict(registry.REGISTRY)
    monkeypatch.setattr(catalog, "all_rules", lambda: rules)
    monkeypatch.setattr(config, "all_rules", lambda: rules)
    cfg = Config()  # every rule: the built-in ones read the Document's lemmas before Z901 runs
    text = "Здравствуйте! Пылесосы привезём завтра, щас уточню время."
    first = [f.code for f in lint_message(text, config=cfg)]
    assert "A003" in first  # a lexicon rule did look at the lemmas first
    assert "Z901" in first
