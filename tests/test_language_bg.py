"""Bulgarian replies the playbook examples don't contain: held-out phrasings, registers and forms.

Bulgarian inflects (articles are suffixes, adjectives agree, verbs carry the person), so the
cases vary formal Вие and informal ти, masculine and feminine, singular and plural, and
brands from shops to banks and couriers. Each case states what a support lead would expect:
which checklist items are ticked and which rules fire or stay quiet. No case passes
`language`, so every one also checks that the reply is recognised as Bulgarian.
"""

from __future__ import annotations

import pytest

from replycoach.lint.engine import lint_text
from replycoach.playbook.loader import load_playbook

BOOK = load_playbook(["default"])

LATE = {"channel": "facebook", "received_at": "2024-05-03T08:00:00Z", "sent_at": "2024-05-03T12:00:00Z"}

CASES = [
    # (reply, context, checklist items expected True, expected False, rules that fire, rules that must not)
    ("@georgi_ivanov Здравейте, Георги! Много съжаляваме, че картата ви е таксувана два пъти. Пишете ни на "
     "лично часа на плащането и до края на деня ще възстановим сумата. - Десислава",
     {}, {"apology", "fix", "private_channel", "signature", "personal_address"}, set(), set(),
     {"missing-apology", "no-private-channel", "asks-private-data-publicly", "no-fix", "faceless-signature"}),
    # non-apologies must not count as apologies
    ("Съжаляваме, че оставате с такова мнение за нас. Продуктите ни минават строг контрол.",
     {}, set(), {"apology"}, {"non-apology", "missing-apology"}, set()),
    ("Извиняваме се, ако публикацията ни е обидила някого.",
     {}, set(), {"apology"}, {"non-apology"}, set()),
    ("Съжалявам, обаче не приемаме връщане на използвани продукти.",
     {}, set(), {"apology"}, {"non-apology"}, set()),
    ("Съжаляваме, че сте недоволна от обслужването в магазина.",
     {}, set(), {"apology"}, {"non-apology", "missing-apology"}, set()),
    # vague apology still counts as an apology, but is flagged
    ("Извиняваме се за евентуалните неудобства. Пишете ни на лично и ще проверим поръчката. - Светла",
     {}, {"apology", "private_channel", "signature"}, set(), {"vague-apology"}, {"missing-apology"}),
    # personal data: in public it is an error, with a private channel in the same sentence it is fine
    ("Моля, напишете тук адреса и телефона си, за да пратим куриер.",
     {}, set(), set(), {"asks-private-data-publicly"}, set()),
    ("Съжаляваме за объркването! Изпратете ни номера на товарителницата в Messenger и веднага ще я проследя. "
     "- Калоян",
     {}, {"apology", "private_channel", "fix", "signature"}, set(), set(),
     {"asks-private-data-publicly", "no-private-channel"}),
    ("Съжалявам! Споделете ни номера на поръчката на лично съобщение, за да проверя какво се е случило. ^ЦК",
     {}, {"apology", "private_channel", "signature"}, set(), set(), {"asks-private-data-publicly"}),
    ("Бихте ли ни казали имейла, с който сте се регистрирали?",
     {"channel": "email"}, set(), set(), set(), {"asks-private-data-publicly", "no-private-channel"}),
    ("Товарителница 1058743921 е доставена днес в 14:20.",
     {}, set(), set(), {"exposes-personal-data"}, set()),
    ("Съжаляваме! Обадете се на нашия телефон 0700 20 200 и колегите ще ви помогнат веднага. - Ина",
     {}, {"apology", "private_channel"}, set(), set(), {"exposes-personal-data", "no-private-channel"}),
    # blame, in several registers and genders; owning the mistake with the same verb is fine
    ("Не си прочела описанието, там ясно пише, че моделът е с малък номер.",
     {}, set(), set(), {"blames-customer"}, set()),
    ("Трябваше да си избереш експресна доставка, ако ти е спешно.",
     {}, set(), set(), {"blames-customer"}, set()),
    ("Трябваше да ви предупредим за забавянето. Съжаляваме! Ще ви върнем таксата за доставка до петък. "
     "- Ивелина",
     {"fault": "company"}, {"apology", "fix", "compensation", "signature"}, set(), set(),
     {"blames-customer", "no-compensation", "no-fix"}),
    ("Трябваше да сте получили имейл с потвърждение. Съжаляваме, че не е стигнал до вас, ще ви го изпратим "
     "отново днес. - Ани",
     {}, {"apology", "fix"}, set(), set(), {"blames-customer", "missing-apology", "no-fix"}),
    ("Това не отговаря на истината – поръчката е доставена на 12 март.",
     {"visibility": "public"}, set(), set(), {"argues-publicly"}, set()),
    ("Не пишете глупости, пратката ви е доставена.",
     {}, set(), set(), {"hostile-or-profane"}, set()),
    ("Моля, успокойте се. Просто проверете папката със спам.",
     {}, set(), set(), {"condescending"}, set()),
    ("Ако не спрете с обидите, ще бъдем принудени да ви блокираме.",
     {}, set(), set(), {"threatens-customer"}, set()),
    ("Проблемът с приложението е отстранен. Ще се радваме, ако актуализирате отзива си. - Симона",
     {}, {"fix"}, set(), {"asks-to-remove-criticism"}, set()),
    ("Моля, изтрийте коментара, в който сте написали ЕГН-то си. Пишете ни на лично и ще помогнем. - Симона",
     {}, {"private_channel"}, set(), set(), {"asks-to-remove-criticism"}),
    ("Ако смените оценката си на пет звезди, ще ви подарим ваучер за 20 лв.",
     {}, {"compensation"}, set(), {"bribes-for-review"}, set()),
    # a company mistake answered the 5P way
    ("Съжаляваме, че вместо 39 номер ви изпратихме 41! Днес куриер ще вземе грешния чифт и ще ви донесе "
     "правилния, а като извинение ви подаряваме 15% отстъпка. Вече проверяваме размера два пъти преди "
     "опаковане, за да не се повтори. - Елена",
     {"fault": "company"}, {"apology", "fix", "compensation", "prevention", "signature"}, set(), set(),
     {"no-fix", "no-compensation", "no-prevention", "missing-apology", "late-apology"}),
    ("Здравейте! Тази сутрин сайтът не работеше около три часа и съжаляваме за това. Вече работи нормално, "
     "а като компенсация днес всички поръчки са с 20% намаление. - Ники",
     {"kind": "outage", "fault": "company"}, {"apology", "fix", "compensation", "signature"}, {"prevention"},
     {"no-prevention"}, {"missing-apology", "late-apology", "no-fix", "no-compensation"}),
    ("Съжаляваме, че ви изпратихме грешен цвят! Ще го сменим още утре. - Мила",
     {"fault": "company"}, {"apology", "fix"}, {"compensation", "prevention"},
     {"no-compensation", "no-prevention"}, set()),
    # corporate speak, with plain replacements, and a faceless sign-off
    ("Уважаеми клиенте, бихме искали да Ви уведомим, че Вашето запитване е препратено към компетентния "
     "отдел.\n\nОбслужване на клиенти",
     {}, set(), {"signature"}, {"corporate-speak", "faceless-signature"}, set()),
    # timing: a late reply that owns the wait, and one that doesn't
    ("Извинявай, че ти пишем чак сега! Прати ни съобщение и ще сменим зарядното. - Вики",
     LATE, {"apology", "private_channel", "fix"}, set(), {"late-reply"}, {"unacknowledged-delay"}),
    ("Здравейте, Петър! Съжаляваме за счупения екран. Пишете ни на лично и ще уредим ремонт. - Вики",
     LATE, {"apology", "personal_address"}, set(), {"late-reply", "unacknowledged-delay"}, set()),
    # promises: vague without a time, fine with one
    ("Благодарим за сигнала. Ще разгледаме случая при първа възможност.",
     {}, set(), {"next_update"}, {"vague-promise"}, set()),
    ("Съжалявам за прекъсването! Техник ще дойде утре между 10 и 12 ч., а аз ще ви се обадя след "
     "посещението. - Стефан",
     {}, {"apology", "fix", "next_update", "private_channel", "signature"}, set(), set(),
     {"vague-promise", "no-fix", "no-next-update", "no-private-channel"}),
    ("За този проблем се обърнете към производителя, ние не носим отговорност.",
     {}, set(), set(), {"passes-the-buck"}, set()),
    ("Гарантирам ви, че това никога повече няма да се случи. - Иво",
     {}, set(), set(), {"absolute-promise"}, set()),
    # asking first is a valid next step
    ("Съжаляваме! Кога точно направихте поръчката и с каква карта платихте? - Ани",
     {}, {"apology"}, set(), set(), {"no-fix", "no-next-update"}),
    ("Поради технически проблем пратката ви е била забавена.",
     {}, set(), set(), {"evasive-passive"}, set()),
    ("Благодарим ви МНОГО за търпението. - Ани",
     {}, set(), set(), {"shouting"}, set()),
    # sign-offs
    ("Съжаляваме, че поръчката закъснява. Пишете ни на лично и ще я проследя.\n\nПоздрави,\nРадослава",
     {}, {"signature"}, set(), set(), {"faceless-signature"}),
    ("Съжаляваме, че поръчката закъснява. Пишете ни на лично и ще я проследя. /Пламен/",
     {}, {"signature"}, set(), set(), {"faceless-signature"}),
    ("Съжаляваме, че поръчката закъснява. Пишете ни на лично и ще я проследим.\nЕкипът на Модна къща",
     {}, set(), {"signature"}, {"faceless-signature"}, set()),
    ("Здравейте, [ИМЕ], съжаляваме за забавянето на поръчка № ХХХХХ.",
     {}, set(), set(), {"leftover-placeholder"}, set()),
]


@pytest.mark.parametrize(("text", "context", "ticked", "unticked", "fires", "quiet"), CASES,
                         ids=[f"bg-held-out-{i}" for i in range(len(CASES))])
def test_held_out_reply(text, context, ticked, unticked, fires, quiet):
    result = lint_text(text, BOOK, context)
    assert result.error is None, result.error
    assert result.language == "bg", "Cyrillic reply not recognised as Bulgarian"
    rules = {d.rule for d in result.diagnostics}
    assert {k for k in ticked if not result.checklist[k]} == set(), f"expected ticked: {result.checklist}"
    assert {k for k in unticked if result.checklist[k]} == set(), f"expected unticked: {result.checklist}"
    assert fires - rules == set(), f"expected to fire, got {sorted(rules)}"
    assert quiet & rules == set(), f"expected quiet: {sorted(quiet & rules)}"


def test_corporate_phrases_get_plain_bulgarian_replacements():
    text = "Уважаеми клиенти, уведомяваме Ви, че във връзка с горепосоченото доставките спират."
    fixes = {d.match.lower(): d.replacement for d in lint_text(text, BOOK).diagnostics if d.rule == "corporate-speak"}
    assert fixes.get("уважаеми клиенти") == "здравейте"
    assert fixes.get("уведомяваме ви, че") == ""  # a pure deletion
    assert fixes.get("във връзка с горепосоченото") == "затова"


@pytest.mark.parametrize("apology", [
    "Съжаляваме за грешния размер.", "Съжалявам за грешния размер.", "Извиняваме се за грешния размер.",
    "Извинявам се за грешния размер.", "Извинете ни за грешния размер.", "Приемете извиненията ни за размера.",
    "Грешката е изцяло наша.", "Сбъркахме размера, простете ни.", "Много ни е неприятно, че пратката се забави.",
])
def test_apology_is_found_in_every_person_and_form(apology):
    assert lint_text(apology, BOOK, {"kind": "complaint"}).checklist["apology"]


@pytest.mark.parametrize("not_an_apology", [
    "За съжаление размерът е изчерпан.",  # "unfortunately" shares the stem but apologises for nothing
    "Съжаляваме, че се чувстваш така.",
    "Съжаляваме, ако сте останали с грешно впечатление.",
])
def test_regret_that_is_not_an_apology(not_an_apology):
    assert not lint_text(not_an_apology, BOOK).checklist["apology"]


HOSTILE = {  # name: (text, seconds any one entry may take on it; a catastrophic one takes minutes)
    "one letter, 200 kB": ("а" * 200_000, 1.0),
    "one apology, 200 kB": ("съжаляваме " * 18_000, 1.0),
    "abbreviations, 40 kB": ("ул. бл. ап. тел. " * 2_400, 0.5),
    "short words, 40 kB": ("за да не се " * 3_300, 0.5),
    "unclosed question, 40 kB": ("Кога ли " * 5_000, 0.5),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_every_pattern_stays_fast_on_hostile_input(name):
    """No entry may backtrack catastrophically: 200 kB of one letter or one word in well under a second."""
    import re
    import time

    from replycoach.matching import entry_regex

    text, limit = HOSTILE[name]
    for signal, entries in BOOK.lexicon["bg"].items():
        for entry in entries:
            regex = re.compile(entry_regex(entry), re.I | re.M)
            start = time.perf_counter()
            for _ in regex.finditer(text):
                pass
            took = time.perf_counter() - start
            assert took < limit, f"{signal}: {entry.get('phrase') or entry['pattern'][:60]} took {took:.2f}s on {name}"
