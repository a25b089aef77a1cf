"""A generated archive of support conversations (chatlint JSONL) for the report's tests and
``benchmarks/report.py``: operators of varying quality over several channels and weeks, our own
Russian wording (good openings and closings, slips: «ты», slang, bracket smileys, lower-case
«вы», no farewell, slow answers, a client left without a reply). Deterministic for a seed."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

OPERATORS = {  # name: how often they slip (0: never, 1: always)
    "Анна Светлова": 0.05, "Игорь Белов": 0.25, "Мария Ким": 0.12, "Олег Дронов": 0.6, "Светлана Рыбакова": 0.35,
    "Павел Жуков": 0.18,
}
CHANNELS = ("chat", "chat", "chat", "messenger")
QUESTIONS = (
    "Добрый день! Подскажите, пожалуйста, где мой заказ {n}?",
    "Здравствуйте, не проходит оплата картой, что делать?",
    "Добрый вечер, можно ли вернуть куртку, если она не подошла по размеру?",
    "Здравствуйте! Как поменять адрес доставки в заказе {n}?",
    "Добрый день, почему не начислились бонусы за покупку?",
)
ANSWERS = (
    "Ваш заказ {n} передан в службу доставки, курьер привезёт его завтра с 10 до 14 часов.",
    "Проверьте, пожалуйста, срок действия карты и лимит на покупки в интернете. Если всё в порядке, "
    "попробуйте оплатить через СБП.",
    "Вернуть товар можно в течение 14 дней в любом нашем магазине или через пункт выдачи, сохраните чек.",
    "Адрес доставки можно изменить в личном кабинете в разделе «Мои заказы» до передачи заказа курьеру.",
    "Бонусы начисляются через 14 дней после получения заказа, они появятся в личном кабинете автоматически.",
)
SLIPS = (
    "Ты посмотри в личном кабинете, там всё написано.",
    "Щас гляну, норм всё будет)))",
    "проверьте вашу почту, мы отправили письмо!!!",
    "Короче, ждите, курьер сам позвонит.",
)


def conversation(rng: random.Random, k: int, start: datetime) -> list[dict]:
    op = rng.choice(list(OPERATORS))
    slip = OPERATORS[op]
    channel = rng.choice(CHANNELS)
    cid = f"c{k:05d}"
    n = rng.randint(10000, 99999)
    q = rng.randrange(len(QUESTIONS))
    t = start
    rows = []

    def add(role: str, author: str, text: str, wait: int) -> None:
        nonlocal t
        t += timedelta(seconds=wait)
        rows.append({"conversation_id": cid, "channel": channel, "role": role, "author": author,
                     "time": t.isoformat(), "text": text})

    client = rng.choice(("Ирина", "Пётр", "Наталья", "Алексей", "Юлия"))
    add("client", client, QUESTIONS[q].format(n=n), 0)
    if rng.random() < 0.02:  # nobody answered
        return rows
    fast = rng.random() > slip / 2
    first = name = op.split()[0]
    greeting = (f"Здравствуйте, меня зовут {name}, чем я могу Вам помочь?" if rng.random() > slip
                else rng.choice(("Привет! Чем помочь?", "Добрый день.", f"Здравствуйте, {first} на связи.")))
    add("operator", op, greeting, rng.randint(10, 50) if fast else rng.randint(120, 900))
    answer = ANSWERS[q].format(n=n)
    if rng.random() < slip:
        answer = rng.choice(SLIPS) + " " + answer
    add("operator", op, answer, rng.randint(20, 55) if fast else rng.randint(90, 600))
    add("client", client, rng.choice(("Спасибо!", "Понятно, спасибо большое.", "Хорошо, спасибо")), rng.randint(15, 60))
    if rng.random() > slip / 1.5:
        add("operator", op, "Всего доброго, будут ещё вопросы - обращайтесь!", rng.randint(5, 30))
    return rows


def _whatsapp(rows: list[dict]) -> str:
    """A WhatsApp (Android) export of one conversation: the messenger channel."""
    lines = []
    for r in rows:
        t = datetime.fromisoformat(r["time"])
        lines.append(f"{t:%d.%m.%Y, %H:%M} - {r['author']}: {r['text']}")
    return "\n".join(lines) + "\n"


def write_archive(path: Path, conversations: int, seed: int = 16, files: int = 1) -> list[Path]:
    """Write ``conversations`` conversations into ``path`` (a directory), spread over four
    weeks from 2026-11-02: the chat ones in ``files`` JSONL files, the messenger ones as one
    WhatsApp export each, with a ``chatlint.toml`` naming the operators; returns the files."""
    rng = random.Random(seed)
    path.mkdir(parents=True, exist_ok=True)
    (path / "chatlint.toml").write_text(
        "operators = [" + ", ".join(f'"{n}"' for n in OPERATORS) + "]\n", encoding="utf-8")
    base = datetime(2026, 11, 2, 9, 0)
    chats: list[list[dict]] = []
    out = []
    for k in range(conversations):
        start = base + timedelta(days=rng.randrange(28), minutes=rng.randrange(600))
        rows = conversation(rng, k, start)
        # a WhatsApp export names no roles: a chat nobody answered would name no operator
        if rows[0]["channel"] == "messenger" and len(rows) > 1:
            p = path / f"whatsapp-{k:05d}.txt"
            p.write_text(_whatsapp(rows), encoding="utf-8")
            out.append(p)
        else:
            chats.append(rows)
    per = -(-len(chats) // files)
    for f in range(files):
        p = path / f"archive-{f:03d}.jsonl"
        with open(p, "w", encoding="utf-8") as fh:
            for rows in chats[f * per:(f + 1) * per]:
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.append(p)
    return out
