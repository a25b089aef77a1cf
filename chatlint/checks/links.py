"""L — links and content: answer in the chat instead of sending the client away."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document
from ..registry import Context, Field, Hit, Params, ex, rule


class BareLinkParams(Params):
    max_words: int = Field(3, ge=0, le=1000)
    """A link with this many other words or fewer is a bare link."""


@rule(
    "L001",
    "bare-link",
    "warning",
    params=BareLinkParams,
    bad=[
        ex("⟦https://shop.example.ru/catalog/phones/123⟧"),
        ex("Вот ссылка: ⟦www.example.ru/delivery⟧"),
        ex("Смотрите здесь ⟦https://example.ru/help?id=5⟧"),
    ],
    good=[
        ex(
            "Этот телефон с экраном 6,1 дюйма и батареей на 4000 мАч стоит 25 990 ₽: "
            "https://shop.example.ru/catalog/phones/123"
        ),
        ex("Спасибо, заказ оформлен."),
        ex("Напишите нам на support@example.ru"),
    ],
)
def bare_link(doc: Document, ctx: Context) -> Iterator[Hit]:
    """**What it checks**

    A message that is only a link, or a link with ``max_words`` (3) or fewer other words.

    **Why**

    When a client asks about a product's features, the operator does not send them off to
    a link: pick the key characteristics and write them in the chat, with the link beside
    them for details.

    **Example**

    «Вот: https://…/phones/123» → «Экран 6,1", батарея 4000 мАч, цена 25 990 ₽: https://…/phones/123»

    **Что проверяет**

    Сообщение состоит только из ссылки или из ссылки и не более трёх других слов.

    **Почему это важно**

    Ссылка вместо ответа перекладывает поиск на клиента: когда он спрашивает о свойствах товара,
    главное оператор пишет прямо в чате, а ссылку добавляет для подробностей.
    """
    links = doc.links
    if not links:
        return
    if len(doc.words) > ctx.params.max_words:
        return
    s, e = links[0]
    yield Hit(
        s,
        e,
        "Ссылка без пояснений: напишите главное в чате, а ссылку дайте для подробностей",
        "A bare link: give the key facts in the chat, and the link for details",
    )
