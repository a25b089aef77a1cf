"""``chatlint templates`` on a generated archive: does it find the planted templates (exact
and reworded), does it make no false group among distinct replies, how long does it take and
how much memory does it use (a measurement, not a test; ``tests/test_templates.py`` checks
the same on a small archive).

The archive: ``--conversations`` chatlint-JSONL conversations (default 10,000) in files of
500, each a client's question and one operator reply of at least six words, plus a short
courtesy («Всего доброго!», left out as too short) in some. ``--distinct`` replies (default
1,000) are each sent once; they are composed of three or four sentences drawn from slot lists
(who, what, when), so that two of them share a word pair only by chance. The rest are copies
of six planted templates: each copy gets the client's name and an order number, and a third of
the copies use one of two rewordings (a word or two changed, a clause added or dropped).

Usage::

    python benchmarks/templates.py [--conversations 10000] [--distinct 1000] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES = ["Анна", "Иван", "Мария", "Олег", "Светлана", "Дмитрий", "Екатерина", "Павел", "Наталья", "Сергей",
         "Ольга", "Артём", "Юлия", "Максим", "Ирина", "Алексей"]

# Six canned replies as a team writes them, each with two rewordings.
TEMPLATES = [
    ("{name}, здравствуйте! Ваш заказ {n} передан в службу доставки, курьер позвонит Вам за час до приезда.",
     "{name}, добрый день! Ваш заказ {n} передан в службу доставки, курьер позвонит Вам за час до приезда.",
     "{name}, здравствуйте! Заказ {n} передан в службу доставки, курьер позвонит за час до приезда."),
    ("Приносим извинения за задержку. Мы передали Ваше обращение {n} в отдел качества, ответ придёт на почту "
     "в течение трёх рабочих дней.",
     "Приносим извинения за задержку. Мы передали Ваше обращение {n} в отдел качества, ответ придёт на "
     "электронную почту в течение трёх рабочих дней.",
     "Извините за задержку. Мы передали Ваше обращение {n} в отдел качества, ответ придёт на почту в течение "
     "трёх рабочих дней."),
    ("Для возврата товара заполните заявление в личном кабинете и приложите фото чека, деньги вернутся на карту "
     "в течение 10 дней.",
     "Для возврата товара заполните заявление в личном кабинете и приложите фото чека, деньги вернутся на Вашу "
     "карту в течение 10 дней.",
     "Для возврата заполните заявление в личном кабинете и приложите фотографию чека, деньги вернутся на карту "
     "в течение 10 дней."),
    ("К сожалению, этой модели сейчас нет в наличии. Оформите подписку на странице товара, и мы пришлём "
     "уведомление, как только она появится.",
     "К сожалению, этой модели пока нет в наличии. Оформите подписку на странице товара, и мы пришлём "
     "уведомление, как только она появится.",
     "К сожалению, этой модели сейчас нет в наличии. Подпишитесь на странице товара, и мы пришлём уведомление, "
     "как только она появится на складе."),
    ("Проверили платёж {n}: деньги списаны банком, но до нас ещё не дошли. Обычно это занимает до трёх суток, "
     "после зачисления заказ подтвердится автоматически.",
     "Проверили платёж {n}: деньги списаны банком, но до нас пока не дошли. Обычно это занимает до трёх суток, "
     "после зачисления заказ подтвердится автоматически.",
     "Проверили Ваш платёж {n}: деньги списаны банком, но до нас ещё не дошли. Как правило, это занимает до трёх "
     "суток, после зачисления заказ подтвердится автоматически."),
    ("Спасибо за отзыв, {name}! Нам очень жаль, что покупка Вас расстроила. Передали Ваши замечания руководителю "
     "магазина, он свяжется с Вами сегодня.",
     "Спасибо за отзыв, {name}! Нам очень жаль, что покупка Вас огорчила. Передали Ваши замечания руководителю "
     "магазина, он свяжется с Вами сегодня.",
     "Благодарим за отзыв, {name}! Нам очень жаль, что покупка Вас расстроила. Передали Ваши замечания "
     "руководителю магазина, он свяжется с Вами в течение дня."),
]

# Slot lists for the distinct replies: who — does what — when (or where).
WHO = ["Курьер", "Склад", "Сервисный центр", "Бухгалтерия", "Банк-эмитент", "Мастер", "Отдел логистики",
       "Пункт выдачи", "Производитель", "Транспортная компания", "Юрист магазина", "Кассир", "Инженер",
       "Администратор зала", "Служба качества", "Поставщик", "Менеджер салона", "Почтовое отделение",
       "Ветеринарная клиника", "Турагентство", "Диспетчер", "Страховая компания", "Автосервис", "Ателье",
       "Типография", "Химчистка", "Аптека", "Фотостудия", "Кондитерская", "Мебельная фабрика", "Провайдер",
       "Лаборатория", "Нотариус", "Ювелирная мастерская", "Оптика", "Цветочный магазин", "Автошкола",
       "Питомник", "Пекарня", "Прачечная"]
WHAT = ["привезёт стиральную машину", "пересчитает остатки", "заменит дисплей", "вернёт переплату",
        "разблокирует карту", "установит смеситель", "отгрузит паллеты", "продлит хранение посылки",
        "пришлёт гарантийный талон", "пересоберёт маршрут", "подпишет акт сверки", "выдаст кассовый чек",
        "откалибрует датчик", "забронирует столик у окна", "проверит шов на куртке", "заменит партию плитки",
        "перенесёт примерку", "выдаст бандероль", "сделает прививку щенку", "поменяет даты тура",
        "направит машину эвакуатора", "оформит страховой случай", "поменяет тормозные колодки",
        "подошьёт брюки", "напечатает визитки", "почистит пуховик", "отложит лекарство",
        "пришлёт готовые снимки", "испечёт торт с ягодами", "доделает шкаф-купе", "восстановит интернет",
        "расшифрует анализы", "заверит доверенность", "уменьшит кольцо", "подберёт линзы", "соберёт букет",
        "назначит экзамен по вождению", "привьёт котёнка", "отложит багеты", "выведет пятно с пледа"]
WHEN = ["в четверг после обеда", "к вечеру пятницы", "до конца месяца", "в субботу утром", "через неделю",
        "завтра к десяти", "в понедельник до полудня", "после праздников", "сегодня до восьми",
        "на следующей неделе", "к среде", "в течение двух часов", "до двадцатого числа", "в воскресенье",
        "ближе к выходным", "сразу после оплаты", "в день обращения", "к началу сезона", "до отпуска",
        "после проверки документов", "вечером во вторник", "рано утром", "к обеду", "не позже пятницы",
        "на этой неделе", "к Новому году", "после инвентаризации", "через три дня", "в порядке очереди",
        "до закрытия смены", "в выходные", "к концу квартала", "после звонка диспетчера", "к приезду гостей",
        "к утру", "на днях", "после ремонта линии", "к девяти вечера", "в ближайший вторник", "утром в среду"]


def distinct_replies(n: int, rng: Random) -> list[str]:
    """``n`` replies of three or four «who does what when» sentences, no two sharing a sentence."""
    used: set[tuple[int, int, int]] = set()
    out = []
    while len(out) < n:
        sentences = []
        for _ in range(rng.choice((3, 4))):
            while True:
                key = (rng.randrange(len(WHO)), rng.randrange(len(WHAT)), rng.randrange(len(WHEN)))
                if key not in used:
                    used.add(key)
                    break
            sentences.append(f"{WHO[key[0]]} {WHAT[key[1]]} {WHEN[key[2]]}.")
        out.append(" ".join(sentences))
    return out


def build(directory: Path, conversations: int, distinct: int, seed: int = 2026) -> dict:
    """Write the archive; return what was planted."""
    rng = Random(seed)
    uniques = distinct_replies(distinct, rng)
    planted = [0] * len(TEMPLATES)
    replies: list[tuple[str, int | None]] = [(u, None) for u in uniques]
    which: dict[str, int] = {}
    for k in range(conversations - distinct):
        t = k % len(TEMPLATES)
        variant = TEMPLATES[t][0] if rng.random() < 2 / 3 else rng.choice(TEMPLATES[t][1:])
        text = variant.format(name=rng.choice(NAMES), n=rng.randint(10_000, 99_999))
        replies.append((text, t))
        which[text] = t
        planted[t] += 1
    rng.shuffle(replies)
    t0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    per_file = 500
    for f in range(0, len(replies), per_file):
        with open(directory / f"archive-{f // per_file + 1:03d}.jsonl", "w", encoding="utf-8") as fh:
            for k, (text, _) in enumerate(replies[f : f + per_file], f):
                cid = f"conv-{k + 1}"
                t = t0 + timedelta(minutes=7 * k)
                rows = [
                    {"conversation_id": cid, "role": "client", "author": rng.choice(NAMES), "time": t.isoformat(),
                     "text": "Здравствуйте, подскажите, что с моим вопросом?"},
                    {"conversation_id": cid, "role": "operator", "author": "Оператор",
                     "time": (t + timedelta(seconds=40)).isoformat(), "text": text},
                ]
                if k % 3 == 0:
                    rows.append({"conversation_id": cid, "role": "operator", "author": "Оператор",
                                 "time": (t + timedelta(seconds=90)).isoformat(), "text": "Всего доброго!"})
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return {"planted": planted, "uniques": set(uniques), "template_of": which}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--conversations", type=int, default=10_000)
    ap.add_argument("--distinct", type=int, default=1_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        truth = build(d, args.conversations, args.distinct)
        cmd = [sys.executable, "-m", "chatlint", "templates", str(d), "--format", "json", "--top", "0",
               "--min-count", "2"]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
        elapsed = time.perf_counter() - t0
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        groups = json.loads(proc.stdout)
        # the texts of the groups' other copies, to show how alike a false group's replies are
        wanted = {e["conversation_id"] for g in groups if g["text"] in truth["uniques"] for e in g["examples"]}
        texts = {}
        for path in d.glob("*.jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                r = json.loads(line)
                if r["conversation_id"] in wanted and r["role"] == "operator" and len(r["text"].split()) > 5:
                    texts[r["conversation_id"]] = r["text"]
    found = []
    for k in range(len(TEMPLATES)):
        mine = [g for g in groups if truth["template_of"].get(g["text"]) == k]
        found.append({"template": k + 1, "planted": truth["planted"][k], "groups": len(mine),
                      "in_largest": max((g["count"] for g in mine), default=0),
                      "wordings": max((g["wordings"] for g in mine), default=0)})
    from chatlint.archive import jaccard, shingles

    false_groups = [g for g in groups if g["text"] in truth["uniques"]]
    alike = sorted(
        round(min(jaccard(shingles(g["text"]), shingles(texts[e["conversation_id"]])) for e in g["examples"]
                  if e["conversation_id"] in texts), 2)
        for g in false_groups
    )
    result = {
        "conversations": args.conversations,
        "distinct_replies": args.distinct,
        "run_s": round(elapsed, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "groups": len(groups),
        "templates": found,
        "false_groups": len(false_groups),
        "false_group_similarity": alike,  # the least word/word-pair Jaccard inside each
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"chatlint templates on {args.conversations} conversations ({args.distinct} distinct replies): "
          f"{elapsed:.2f} s, peak RSS {peak_mb:.0f} MB, {len(groups)} groups")
    for f in found:
        share = f["in_largest"] / f["planted"] if f["planted"] else 0
        print(f"  template {f['template']}: planted {f['planted']}, found in {f['groups']} group(s), "
              f"largest {f['in_largest']} ({share:.1%}), {f['wordings']}+ wordings")
    print(f"  false groups among the distinct replies: {len(false_groups)}"
          + (f" (their replies alike at Jaccard {', '.join(map(str, alike))}: composed by chance of the same "
             "slot words)" if alike else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
