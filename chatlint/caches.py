"""The bounds of chatlint's caches (a leaf: imports nothing of chatlint).

Most of what chatlint caches is kept per word form: its pymorphy3 parses and lemmas, whether
it is known to the spelling rules, profane, a name, its hashes for T013... About
``BYTES_PER_WORD`` bytes a distinct word form over all those caches together (tracemalloc on
20,000 distinct dictionary forms through ``lint_message``), so an archive's long tail of
words would grow a process by hundreds of MB. Every such cache holds at most
:data:`WORD_FORMS` entries, least recently used dropped first.

``CHATLINT_CACHE_MB`` (environment, default 64) is the memory for them all: 64 MB is about
32,000 word forms, which keeps the common vocabulary of support chats warm; a larger value
speeds up an archive with a very long tail of words a little, a smaller one saves memory in
many small processes (server workers). Read once, when chatlint is imported.

The other caches are bounded by what they hold: the server's parsed conversations
(:class:`chatlint.document.DocumentCache`, 1,024 documents), the documents of recently seen
short texts (:func:`chatlint.document.parsed`: 1,024 texts of at most 200 characters, about
6 KB each once checked: a client's «Спасибо!» is parsed once per process), the T013 archive
(:class:`chatlint.archive.NearDuplicates`, 20,000 groups), the dictionary readings of the last
4,096 words looked up (:func:`chatlint.morph._readings`: a new word is asked about twice, for
its lemmas and for its tags), lexicons, plans and rule texts (one entry per rule, channel or
configuration).
"""

from __future__ import annotations

import math
import os
import sys

ENV = "CHATLINT_CACHE_MB"
DEFAULT_MB = 64
BYTES_PER_WORD = 2_100
MIN_WORD_FORMS = 1_000


def budget_mb(raw: str | None = None) -> float:
    """The megabytes given in ``CHATLINT_CACHE_MB`` (``raw`` instead, when given), else the
    default; a value that is not a positive number is reported on one line and ignored."""
    if raw is None:
        raw = os.environ.get(ENV)
    if raw is None or not raw.strip():
        return DEFAULT_MB
    try:
        mb = float(raw)
    except ValueError:
        mb = math.nan
    if not math.isfinite(mb) or mb <= 0:
        sys.stderr.write(f"chatlint: warning: {ENV}={raw!r} is not a positive number of megabytes: "
                         f"the default {DEFAULT_MB} is used\n")
        return DEFAULT_MB
    return mb


def word_forms(mb: float) -> int:
    """How many word forms each word-form cache holds for ``mb`` megabytes in all."""
    return max(MIN_WORD_FORMS, int(mb * 2**20 / BYTES_PER_WORD))


#: The bound of every cache kept per word form.
WORD_FORMS = word_forms(budget_mb())
