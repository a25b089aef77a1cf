"""A rule that compiles a ``~lemma`` phrase lazily (a plugin's, typically) must fire on the
very first message: the Document's lemma set cannot be stale when new lexicon keys appear."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint import Config, lint_message
from chatlint.document import Document
from chatlint.lexicon import phrase_hits
from chatlint.phrases import compile_phrase
from chatlint.registry import Context, Hit, ex, rule

# forms with and without lexicon lemmas («помочь», «менеджер», «хороший» are looked for),
# hyphenated ones (their parts count), Latin and mixed ones
_FORMS = ["помогу", "помочь", "менеджера", "хорошего", "дня", "заказ", "заказа", "кто-нибудь", "из-за",
          "Здравствуйте", "спасибо", "обращайтесь", "ok", "SMS", "Здрaвствуйте", "{ИМЯ}", "ёлка", "вопросы"]
compile_phrase("~помочь ~менеджер ~хороший ~вопрос")  # their lemmas looked for, whichever tests ran before


def test_a_document_sees_keys_registered_after_it_computed_its_lemmas():
    doc = Document("Холодильники привезём в среду.")
    assert "холодильник" not in doc.lemma_set  # no lexicon looks for it yet
    phrases = (compile_phrase("~холодильник"),)  # a rule compiles its phrase only now
    assert list(phrase_hits(doc, phrases)) == [(0, 12)]


def test_a_plugin_rule_with_a_lazily_compiled_lemma_phrase_fires_on_its_first_message(monkeypatch):
    from chatlint import catalog, planning, registry

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
    monkeypatch.setattr(planning, "all_rules", lambda: rules)
    cfg = Config()  # every rule: the built-in ones read the Document's lemmas before Z901 runs
    text = "Здравствуйте! Пылесосы привезём завтра, щас уточню время."
    first = [f.code for f in lint_message(text, config=cfg)]
    assert "A003" in first  # a lexicon rule did look at the lemmas first
    assert "Z901" in first


def _plain_lemmas(doc: Document) -> dict[str, frozenset[str]]:
    """Each form of the vocabulary with its lexicon lemmas, asked form by form."""
    from chatlint import morph

    return {f: ls for f in doc.vocabulary if (ls := morph.relevant_lemmas(f))}


def test_forms_known_to_have_no_lemma_are_asked_again_once_their_lemma_is_registered():
    # the first document files «утюги» among the forms without lexicon lemmas…
    first = Document("Утюги привезём в пятницу.")
    assert "утюг" not in first.lemma_set
    assert "утюги" in __import__("chatlint.document", fromlist=["x"])._no_lemmas[1]
    compile_phrase("~утюг")  # …until a phrase looks for «утюг»: another document sees it
    second = Document("Утюги уже на складе.")
    assert "утюг" in second.lemma_set and second.lexicon_lemmas["утюги"] == {"утюг"}
    assert second.lexicon_lemmas == _plain_lemmas(second)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_FORMS), min_size=1, max_size=12))
def test_the_lemma_set_is_the_forms_and_the_lemmas_asked_form_by_form(words):
    for text in (" ".join(words), " ".join(reversed(words)) + " ещё"):  # the second one: forms known
        doc = Document(text)
        plain = _plain_lemmas(doc)
        assert doc.lexicon_lemmas == plain
        assert doc.lemma_set == doc.vocabulary.union(*plain.values())


def test_the_forms_without_lemmas_are_bounded(monkeypatch):
    from chatlint import document, morph

    monkeypatch.setattr(document, "WORD_FORMS", 3)
    monkeypatch.setattr(document, "_no_lemmas", (morph.keys_generation(), {"аа", "бб"}))
    for text in ("утром вечером", "раз два три четыре пять", "один два", "утром днём"):
        doc = Document(text)
        assert doc.lexicon_lemmas == _plain_lemmas(doc)
        assert len(document._no_lemmas[1]) <= 3, text  # five forms at once: none of them kept
    assert document._no_lemmas[1] and document._no_lemmas[1] <= {"один", "два", "утром", "днем"}


def test_a_thread_still_on_an_older_generation_cannot_hide_a_newer_lemma(monkeypatch):
    """Threads (``chatlint serve``) share the forms known to have no lexicon lemma. A thread
    that read the generation before a phrase registered «чайник» may file «чайники» under the
    old generation at any moment; a document of the new generation must still find its lemma
    (the older set is never read for a newer generation, and the generation never goes back)."""
    from chatlint import document, morph

    old = morph.keys_generation()
    assert "чайник" not in Document("Чайники в наличии.").lemma_set  # «чайники» filed: no lexicon looks for «чайник» yet
    compile_phrase("~чайник")
    new = morph.keys_generation()
    assert new > old
    real_forget = document._forget_no_lemmas

    def forget_then_a_stale_thread(generation):
        out = real_forget(generation)
        # another thread, still on the old generation, runs between this one's steps
        real_forget(old)
        document._remember_no_lemmas(old, {"чайники"})
        return out

    monkeypatch.setattr(document, "_forget_no_lemmas", forget_then_a_stale_thread)
    doc = Document("Чайники привезём завтра.")
    assert doc.lexicon_lemmas == {"чайники": frozenset({"чайник"})}
    assert document._no_lemmas[0] >= new  # the stale thread moved nothing back
