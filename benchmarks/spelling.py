"""Spelling: precision, recall and suggestion quality of P001/P004, and their cost. A
measurement, not a test.

Two sets, both built here at run time from hand-written templates (no outside text):

* **correct**: support answers rich in today's domain vocabulary (e-commerce, payments,
  delivery, telecom, software UI), hyphenated words, prefixes, abbreviations, units, links,
  names and quoted labels — every one spelled correctly. Any spelling finding on them is a
  false alarm.
* **corrupted**: the same messages with one word corrupted the way operators mistype:
  a deleted letter, two letters swapped, a neighbouring key (ЙЦУКЕН), a doubled or undoubled
  letter, a sound-alike vowel or consonant, a wrong «ё», «не» glued to a verb. A corruption
  that happens to be another real word is dropped (no spell checker can see it) and counted.

Figures: false alarms per 100 correct messages; recall (the corrupted word is reported by
P001 or P004); top suggestion right (its fix restores the word), over all corruptions and
over the detected ones; both per kind of corruption; and the cost per message of the default
lint with and without the spelling rules, beside razdel's floor.

Usage::

    python benchmarks/spelling.py [--seed 13] [--json] [--show 20]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SPELLING = ("P001", "P004")

# ------------------------------------------------------------------ the correct set

SLOTS = {
    "name": ["Анна", "Мария", "Дмитрий", "Ольга", "Сергей", "Екатерина", "Игорь", "Алина"],
    "order": ["48213", "77-1029", "A-55310", "902114", "31877"],
    "days": ["1–2 рабочих дня", "3–5 рабочих дней", "два дня", "сутки", "10 дней"],
    "sum": ["1 490 ₽", "2 300 руб.", "349 рублей", "12 000 ₽", "590 ₽"],
    "app": ["в мобильном приложении", "в личном кабинете", "на сайте", "в веб-версии", "в десктопной версии"],
    "pickup": ["в постамате", "в пункте выдачи", "в ПВЗ", "у курьера", "в отделении"],
    "bank": ["Сбербанка", "Тинькофф", "ВТБ", "Альфа-Банка"],
    "link": ["https://shop.example.ru/orders", "https://help.example.ru/faq/oplata", "www.example.ru/dostavka"],
    "email": ["support@example.ru", "help@shop.example.ru"],
    "ui": ["«Мои заказы»", "«Оформить возврат»", "«Настройки» → «Уведомления»", "«Оплата и доставка»",
           "«Привязать карту»"],
}

TEMPLATES = [
    # e-commerce and delivery
    "Ваш заказ {order} уже передан в службу доставки, трек-номер придёт в СМС.",
    "Заказ можно забрать {pickup} в течение пяти дней после поступления.",
    "Срок хранения заказа {pickup} — пять дней, затем он вернётся на склад.",
    "Промокод применяется в корзине до оплаты и не суммируется с другими акциями.",
    "Кешбэк начислится баллами после получения заказа, обычно за {days}.",
    "Если товар пришёл с браком, оформите возврат в разделе {ui}.",
    "Деньги за возврат вернутся на карту в течение {days}.",
    "Курьер позвонит за час до доставки и уточнит удобное время.",
    "Постамат откроется после ввода кода из СМС или сканирования QR-кода.",
    "На маркетплейсе этот товар продаёт другой продавец, поэтому сроки могут отличаться.",
    "Предзаказ оформляется без предоплаты, а оплатить его можно при получении.",
    "Стоимость доставки до двери — {sum}, самовывоз бесплатный.",
    "Мы проверили трекинг: посылка прибыла на сортировочный центр и скоро поступит {pickup}.",
    "Артикул товара указан в карточке под названием, его можно скопировать.",
    "Вы можете отказаться от части товаров при получении, остальное оплатите на месте.",
    "Интернет-магазин работает круглосуточно, а доставка — с 9:00 до 21:00.",
    "Подарочный сертификат действует год и используется в несколько приёмов.",
    "Если какой-нибудь товар закончится, мы предложим замену или вернём деньги.",
    "Выберите какой-либо удобный постамат на карте, и курьер доставит заказ туда.",
    "Кое-что из заказа пришло отдельной посылкой, второй трек-номер уже в личном кабинете.",
    # payments
    "Оплата прошла успешно, чек отправлен на {email}.",
    "Платёж может быть захолдирован банком до 72 часов, затем сумма спишется окончательно.",
    "Автоплатёж можно отключить {app} в разделе {ui}.",
    "Эквайринг на сайте обслуживает банк-партнёр, поэтому в выписке указано его название.",
    "Оплатить можно картой, через СБП или по QR-коду в приложении банка.",
    "Если деньги списались дважды, вторая сумма вернётся автоматически за {days}.",
    "Комиссия за перевод не взимается, лимит — {sum} в сутки.",
    "Чтобы привязать карту, нажмите {ui} и подтвердите платёж кодом из СМС.",
    "Рассрочка оформляется онлайн, первый платёж — через месяц после покупки.",
    "Чек по онлайн-кассе приходит на почту и сохраняется в истории заказов.",
    "Перевыпуск карты бесплатный, новая карта будет готова через {days}.",
    "Бесконтактная оплата работает после привязки карты в кошельке смартфона.",
    "Выписку по счёту можно скачать в формате PDF {app}.",
    "Возврат по оплате через {bank} занимает до {days}.",
    # telecom and internet
    "Перезагрузите роутер: выключите его из розетки на 30 секунд и включите снова.",
    "Скорость по тарифу — до 100 Мбит/с, по Wi-Fi она может быть ниже из-за стен.",
    "Проверьте, горит ли индикатор WAN на роутере, и пришлите фото.",
    "Мы видим аварию на линии в Вашем районе, инженеры уже работают.",
    "Безлимитный интернет на тарифе включает раздачу до 10 ГБ в месяц.",
    "Роуминг подключается автоматически, в поездке ничего настраивать не нужно.",
    "Сим-карту можно заменить на eSIM в салоне связи или в приложении.",
    "Пришлите, пожалуйста, результат проверки скорости и пинга со смартфона.",
    "Абонентская плата списывается первого числа, баланс можно пополнить {app}.",
    "После смены тарифа перезвоните нам, если интернет не заработает в течение часа.",
    "Телевизионная приставка подключается кабелем HDMI к телевизору и к роутеру.",
    # software and accounts
    "Выйдите из аккаунта и авторизуйтесь заново, чтобы обновить данные.",
    "Очистите кеш браузера и куки, затем перезайдите в личный кабинет.",
    "Двухфакторная аутентификация включается в настройках безопасности.",
    "Пришлите, пожалуйста, скриншот ошибки и версию приложения из раздела «О программе».",
    "Мы выпустили обновление, которое исправляет этот баг, установите его из магазина приложений.",
    "Синхронизация между устройствами занимает до нескольких минут.",
    "Уведомления можно настроить в разделе {ui} {app}.",
    "Видеоредактор доступен в веб-версии, а в мобильном приложении пока нет.",
    "Автозапуск плеера отключается в настройках профиля.",
    "Если страница не прокручивается, попробуйте обновить её или открыть в другом браузере.",
    "Пароль должен содержать не менее восьми символов, включая цифры.",
    "Мы передали Ваш тикет разработчикам, ответ придёт на {email}.",
    "Логи приложения помогут нам найти причину сбоя, отправьте их через меню «Помощь».",
    "Чат-бот отвечает на частые вопросы, а оператор подключится, если бот не справится.",
    "Подписку можно отменить в любой момент, доступ сохранится до конца оплаченного периода.",
    "Пробный период длится 14 дней, списание начнётся только после него.",
    "Аудиоконтент и видеоконтент загружаются в медиатеку по ссылке {link}.",
    "Монетизация канала подключается после проверки модераторами.",
    # general service
    "Меня зовут {name}, я помогу разобраться с вопросом.",
    "Спасибо за ожидание, я уточнила информацию.",
    "Приношу извинения за неудобства, мы уже исправляем ситуацию.",
    "Подробная инструкция есть на странице {link}.",
    "Если останутся вопросы, напишите нам на {email} или в этот чат.",
    "К сожалению, оформить компенсацию без обращения нельзя, но я помогу его составить.",
    "Передала Ваше обращение в профильный отдел, срок ответа — {days}.",
    "Ваш запрос зарегистрирован под номером {order}.",
    "Уточните, пожалуйста, номер заказа и телефон, указанный при оформлении.",
    "Я перезвоню Вам, как только получу ответ от специалистов.",
    "Мы ценим Ваш отзыв и обязательно учтём его.",
    "Всего доброго, будут ещё вопросы — обращайтесь!",
]

HANDWRITTEN = [
    "Здравствуйте! Меня зовут Анна, чем я могу Вам помочь?",
    "Заказ собран и ждёт курьера. Как только его заберут, трек-номер появится в личном кабинете.",
    "Кешбэк за покупку по акции начисляется в течение 30 дней. Проверить баланс баллов можно в приложении.",
    "К сожалению, постамат переполнен. Мы перенаправили посылку в ближайший пункт выдачи на ул. Ленина, д. 5.",
    "Автоплатёж не сработал, потому что на карте было недостаточно средств. Пополните баланс, и платёж пройдёт повторно.",
    "Промокод действует только на первый заказ в интернет-магазине. Для повторных покупок есть программа лояльности.",
    "Проверили Ваш роутер удалённо: прошивка устарела. Обновим её сегодня ночью, интернет пропадёт на 5 минут.",
    "Маркетплейс берёт комиссию с продавца, для покупателя цена не меняется.",
    "Видеозвонок с оператором доступен в приложении с 10:00 до 19:00 по московскому времени.",
    "Мы заблокировали карту по Вашему звонку. Перевыпуск бесплатный, новую карту доставит курьер.",
    "Вложение не открылось: пришлите, пожалуйста, файл в формате PDF или JPG до 10 МБ.",
    "Если какое-то уведомление приходит дважды, отключите push-уведомления в браузере.",
    "Возврат оформлен, деньги поступят на карту в течение 3–5 рабочих дней.",
    "Эквайринг подключается за один день: договор, тестовый платёж, и можно принимать оплату.",
    "Для входа используйте логин и пароль от старого аккаунта, данные перенесены автоматически.",
    "Доставка крупногабаритных товаров выполняется до подъезда, подъём на этаж оплачивается отдельно.",
    "Статус заказа обновится, как только склад передаст его в доставку.",
    "В приложении появился тёмный режим: включить его можно в разделе «Оформление».",
    "По тарифу «Домашний» скорость до 500 Мбит/с, оборудование предоставляется бесплатно.",
    "Уточнила у логистов: фура с товаром задерживается на таможне, новый срок — пятница.",
    "Мы возместим стоимость доставки промокодом на следующий заказ.",
    "Чтобы скачать чек, откройте заказ и нажмите «Скачать чек» внизу страницы.",
    "Переподключите кабель к порту LAN 1 и проверьте, загорелся ли индикатор.",
    "Оператор связи не видит регистрацию сим-карты в сети: перезагрузите телефон.",
    "Программа лояльности начисляет 5% бонусами от каждой покупки, ими можно оплатить до 30% следующего заказа.",
    "Ваш отзыв опубликуют после модерации, обычно в течение суток.",
    "Вы можете продлить хранение посылки в постамате ещё на два дня через приложение.",
    "Кое-какие функции в бета-версии пока работают нестабильно, мы это исправляем.",
    "Автопродление подписки выключено, доступ закончится 30 ноября.",
    "Интернет-банк временно недоступен из-за технических работ, они закончатся к 6:00.",
    "В чате можно отправить фото или видео до 50 МБ, документы — в формате PDF.",
    "Привязать новую карту можно в разделе «Способы оплаты», старая удалится автоматически.",
    "Мы получили Ваше письмо и уже разбираемся, ответ пришлём сегодня до конца дня.",
    "Предоплата не требуется: оплатите заказ при получении картой или наличными.",
    "Оформила перерасчёт абонентской платы за дни без интернета, сумма вернётся на баланс.",
    "Синхронизируйте контакты заново: выйдите из аккаунта на всех устройствах и войдите снова.",
    "Если у Вас iPhone, обновите iOS до последней версии, на старых версиях приложение не запускается.",
    "Вайфай-роутер лучше поставить выше и подальше от микроволновки.",
    "Курьерская доставка в Ваш город занимает 2–3 дня, а доставка в постамат — до 5 дней.",
    "Спасибо, что подождали! Я всё проверила: заказ уже едет к Вам.",
]


def correct_set(seed: int, n: int = 340) -> list[str]:
    """``n`` correct messages: the hand-written ones, then 2–3 templated sentences each."""
    rnd = random.Random(seed)
    out = list(HANDWRITTEN)
    seen = set(out)
    while len(out) < n:
        k = rnd.choice((2, 2, 3))
        parts = [t.format(**{s: rnd.choice(v) for s, v in SLOTS.items()}) for t in rnd.sample(TEMPLATES, k)]
        msg = " ".join(parts)
        if msg not in seen:
            seen.add(msg)
            out.append(msg)
    return out


# ------------------------------------------------------------------ corruptions

ROWS = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")
SOUND = {"а": "о", "о": "а", "е": "и", "и": "е", "я": "е", "ш": "щ", "щ": "ш", "т": "д", "д": "т", "з": "с", "с": "з"}
VOWELS = "аеиоуыэюя"


def _neighbour(c: str, rnd: random.Random) -> str | None:
    for row in ROWS:
        i = row.find(c)
        if i >= 0:
            options = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            return rnd.choice(options) if options else None
    return None


def corrupt(word: str, kind: str, rnd: random.Random) -> str | None:
    """``word`` (lower case) corrupted one way, or None when that kind does not apply."""
    n = len(word)
    inner = range(1, n - 1)  # operators rarely miss the first or last letter
    if kind == "deletion":
        i = rnd.choice(inner)
        return word[:i] + word[i + 1 :]
    if kind == "transposition":
        i = rnd.choice(range(1, n - 2))
        if word[i] == word[i + 1]:
            return None
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "adjacent-key":
        i = rnd.choice(inner)
        b = _neighbour(word[i], rnd)
        return None if b is None else word[:i] + b + word[i + 1 :]
    if kind == "doubled-letter":
        doubled = [i for i in range(n - 1) if word[i] == word[i + 1]]
        if doubled:  # «касса» → «каса»
            i = rnd.choice(doubled)
            return word[:i] + word[i + 1 :]
        cons = [i for i in inner if word[i] not in VOWELS and word[i] not in "ьъй"]
        if not cons:
            return None
        i = rnd.choice(cons)
        return word[:i] + word[i] + word[i:]
    if kind == "sound-alike":
        idx = [i for i in inner if word[i] in SOUND]
        if not idx:
            return None
        i = rnd.choice(idx)
        return word[:i] + SOUND[word[i]] + word[i + 1 :]
    if kind == "yo":
        idx = [i for i in inner if word[i] == "е"]
        if not idx:
            return None
        i = rnd.choice(idx)
        return word[:i] + "ё" + word[i + 1 :]
    raise ValueError(kind)


KINDS = ("deletion", "transposition", "adjacent-key", "doubled-letter", "sound-alike", "yo")


def corrupted_set(messages: list[str], seed: int) -> tuple[list[dict], Counter]:
    """One corruption per message and kind where it applies: dicts of text, start, end, the
    original word, kind. Corruptions that make another known word are dropped (counted)."""
    from chatlint import spelling
    from chatlint.document import Document, in_label

    rnd = random.Random(seed)
    out: list[dict] = []
    dropped: Counter[str] = Counter()
    for mi, text in enumerate(messages):
        doc = Document(text)
        candidates = [
            w for w in doc.words
            if not w.placeholder and len(w.text) >= 5 and w.text.isalpha() and w.text.islower()
            and all("а" <= c <= "я" or c == "ё" for c in w.text) and spelling.is_known(w.norm)
            and not doc.in_opaque(w.start, w.end) and not in_label(doc, w.start, w.end)
        ]  # quoted UI labels are left alone on purpose: a typo there is the application's
        if not candidates:
            continue
        kind = KINDS[mi % len(KINDS)]
        w = rnd.choice(candidates)
        bad = corrupt(w.text, kind, rnd)
        if bad is None or bad == w.text:
            continue
        if spelling.misplaced_yo(bad) is None and spelling.is_known(bad.replace("ё", "е")):
            dropped[kind] += 1  # a real word: invisible to any spell checker
            continue
        out.append({"text": text[: w.start] + bad + text[w.end :], "start": w.start, "end": w.start + len(bad),
                    "word": w.text, "bad": bad, "kind": kind})
    # «не» glued to a verb
    for text in messages:
        doc = Document(text)
        for i, w in enumerate(doc.words[:-1]):
            if w.norm == "не" and w.text == "не":
                nxt = doc.words[i + 1]
                if text[w.end : nxt.start] == " " and nxt.text.islower():
                    from chatlint import morph

                    ps = [p for p in morph.parses(nxt.norm) if p.is_known]
                    if ps and all(p.tag.POS in ("VERB", "INFN") for p in ps):
                        glued = "не" + nxt.text
                        if spelling.is_known(glued.replace("ё", "е")):
                            dropped["glued-не"] += 1
                            continue
                        out.append({"text": text[: w.start] + glued + text[nxt.end :], "start": w.start,
                                    "end": w.start + len(glued), "word": "не " + nxt.text, "bad": glued,
                                    "kind": "glued-не"})
                        break
    return out, dropped


# ------------------------------------------------------------------ measuring


def _fold(s: str) -> str:
    return s.lower().replace("ё", "е")


def measure(seed: int, show: int) -> dict:
    from chatlint import lint_message

    correct = correct_set(seed)
    false: list[tuple[str, str, str]] = []
    for text in correct:
        for f in lint_message(text):
            if f.code in SPELLING:
                false.append((f.code, text[f.start : f.end], f.message))

    corrupted, dropped = corrupted_set(correct, seed)
    per_kind: dict[str, Counter] = {}
    misses: list[str] = []
    wrong: list[str] = []
    for c in corrupted:
        k = per_kind.setdefault(c["kind"], Counter())
        k["n"] += 1
        found = [f for f in lint_message(c["text"]) if f.code in SPELLING and f.start <= c["start"] and c["end"] <= f.end]
        if not found:
            misses.append(f"{c['kind']}: {c['bad']} (for {c['word']})")
            continue
        k["found"] += 1
        f = found[0]
        fixed = c["text"][: f.start] + f.fix.edits[0].replacement + c["text"][f.end :] if f.fix else None
        if fixed is not None and _fold(fixed) == _fold(c["text"][: c["start"]] + c["word"] + c["text"][c["end"] :]):
            k["right"] += 1
        else:
            wrong.append(f"{c['kind']}: {c['bad']} → {f.fix.edits[0].replacement if f.fix else '—'} (for {c['word']})")
    n = sum(k["n"] for k in per_kind.values())
    found = sum(k["found"] for k in per_kind.values())
    right = sum(k["right"] for k in per_kind.values())
    return {
        "correct_messages": len(correct),
        "false_alarms": len(false),
        "false_per_100": 100 * len(false) / len(correct),
        "false_examples": false[:show],
        "corrupted": n,
        "dropped_real_words": dict(dropped),
        "recall": found / n if n else 0.0,
        "top_right_of_all": right / n if n else 0.0,
        "top_right_of_found": right / found if found else 0.0,
        "per_kind": {kind: dict(k) for kind, k in sorted(per_kind.items())},
        "misses": misses[:show],
        "wrong_suggestions": wrong[:show],
        "cost": cost(correct),
    }


def cost(messages: list[str], repeat: int = 3) -> dict:
    """Per-message time of razdel's floor, the default lint without the spelling rules, and
    with them (best of ``repeat`` rounds each, warm, one process)."""
    import razdel

    from chatlint import Config, lint_message

    without = Config(ignore=list(SPELLING))
    default = Config()

    def floor(t: str) -> None:
        list(razdel.tokenize(t))
        list(razdel.sentenize(t))

    runs = {"floor": floor, "lint without spelling": lambda t: lint_message(t, config=without),
            "lint with spelling": lambda t: lint_message(t, config=default)}
    for fn in runs.values():  # warm every cache
        for t in messages:
            fn(t)
    best = {k: float("inf") for k in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            gc.collect()
            gc.disable()
            t0 = time.perf_counter()
            for t in messages:
                fn(t)
            best[name] = min(best[name], time.perf_counter() - t0)
            gc.enable()
    ms = {k: 1000 * v / len(messages) for k, v in best.items()}
    return {
        "ms_per_message": ms,
        "ratio_with_spelling": ms["lint with spelling"] / ms["floor"],
        "ratio_without_spelling": ms["lint without spelling"] / ms["floor"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show", type=int, default=15, help="how many misses and false alarms to list")
    args = ap.parse_args(argv)
    r = measure(args.seed, args.show)
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=1))
        return 0
    print(f"correct set: {r['correct_messages']} messages, {r['false_alarms']} spelling findings "
          f"({r['false_per_100']:.2f} per 100 messages)")
    for code, span, msg in r["false_examples"]:
        print(f"  {code} «{span}»: {msg}")
    print(f"\ncorrupted set: {r['corrupted']} typos (dropped as real words: {r['dropped_real_words']})")
    print(f"{'kind':<16} {'n':>4} {'found':>6} {'top right':>10}")
    for kind, k in r["per_kind"].items():
        print(f"{kind:<16} {k.get('n', 0):>4} {k.get('found', 0):>6} {k.get('right', 0):>10}")
    print(f"recall {r['recall']:.3f}; top suggestion right {r['top_right_of_all']:.3f} of all, "
          f"{r['top_right_of_found']:.3f} of those found")
    if r["misses"]:
        print("\nmissed (first ones):")
        for m in r["misses"]:
            print("  " + m)
    if r["wrong_suggestions"]:
        print("\nwrong or no suggestion (first ones):")
        for m in r["wrong_suggestions"]:
            print("  " + m)
    c = r["cost"]
    print("\ncost per message (warm, best of 3):")
    for k, v in c["ms_per_message"].items():
        print(f"  {k:<24} {v:.3f} ms")
    print(f"  lint/floor: {c['ratio_with_spelling']:.2f}× with spelling, {c['ratio_without_spelling']:.2f}× without")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
