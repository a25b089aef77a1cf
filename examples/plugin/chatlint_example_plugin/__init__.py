"""An example chatlint plugin: importing this module registers its rules.

chatlint imports every module named in the ``chatlint.rules`` entry-point group (see
pyproject.toml); a rule is a function decorated with ``chatlint.registry.rule``, reading the
shared Document and yielding Hits, exactly like the built-in rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from chatlint.document import Document
from chatlint.registry import Context, Hit, ex, rule

_ORDER_NUMBER = re.compile(r"(?<!№ )(?<!\d)\d{8}(?!\d)")


@rule(
    "Z001",
    "bare-order-number",
    "info",
    bad=[ex("Заказ ⟦12345678⟧ уже в пути.")],
    good=[ex("Заказ № 12345678 уже в пути."), ex("Звоните 88005553535.")],
)
def bare_order_number(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    An eight-digit order number written without «№».

    **Why**

    Our clients search their mail for «№ 12345678»; the sign makes the number findable.

    **Example**

    «Заказ 12345678» → «Заказ № 12345678»
    """
    for m in _ORDER_NUMBER.finditer(doc.text):
        yield Hit(
            m.start(),
            m.end(),
            "Номер заказа пишите со знаком «№»",
            "Write the order number with «№»",
        )
