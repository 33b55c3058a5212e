"""The Polish pack on replies it has never seen.

The playbook's own examples (tests/test_playbook_examples.py) are what the lexicon was
written against; these replies were written separately, by industry (e-shop, bank, telco,
courier, food delivery), with the grammar varied on purpose: formal Pan/Pani/Państwo and
informal ty/wy, masculine and feminine past tenses, singular and plural, with and without
diacritics. Each case checks what a user sees: the checklist and which rules fire.
"""

from __future__ import annotations

import re
import time

import pytest

from replycoach.lint.engine import Selection, lint_text
from replycoach.playbook.loader import load_playbook

BOOK = load_playbook(["default"])


def lint(text: str, **context):
    return lint_text(text, BOOK, {"language": "pl", **context})


def fired(result) -> set[str]:
    return {d.rule for d in result.diagnostics}


# (id, reply, context, checklist items that must be True, ... that must be False,
#  rules that must fire, rules that must not fire)
CASES = [
    pytest.param(
        "Pani Katarzyno, bardzo przepraszamy za podwójne obciążenie karty. Nadpłatę zwrócimy na konto "
        "do jutra, a w ramach przeprosin nie pobierzemy opłaty za kartę w tym miesiącu. Prosimy o "
        "wiadomość prywatną z numerem rachunku. Pozdrawiam, Michał",
        {"fault": "company"},
        {"apology", "fix", "compensation", "private_channel", "signature", "personal_address"}, set(),
        set(), {"missing-apology", "no-fix", "no-private-channel", "asks-private-data-publicly",
                "no-compensation", "faceless-signature", "impersonal-address"},
        id="bank-formal-feminine-complete",
    ),
    pytest.param(
        "Hej, wiemy że od rana nie działa internet w Gdańsku – sorry! Technicy wymieniają uszkodzony "
        "światłowód, kolejna informacja o 14:00. Za każdy dzień bez sieci oddamy Wam 1/30 abonamentu. ~Paweł",
        {"kind": "outage", "fault": "company"},
        {"apology", "next_update", "compensation", "signature"}, {"prevention"},
        {"no-prevention"}, {"missing-apology", "no-next-update", "no-compensation", "vague-promise"},
        id="telco-outage-informal-plural",
    ),
    pytest.param(
        "Kurier był pod adresem o 10:15, ale nikt nie otworzył. Powinna Pani była być w domu w oknie "
        "doręczenia, o którym informowaliśmy SMS-em.",
        {},
        set(), {"apology"},
        {"blames-customer", "missing-apology"}, set(),
        id="courier-blame-feminine",
    ),
    pytest.param(
        "Sam wybrałeś dostawę do paczkomatu, więc nie mamy wpływu na termin.",
        {},
        set(), {"apology"},
        {"blames-customer"}, set(),
        id="blame-informal-masculine",
    ),
    pytest.param(
        "Przykro nam, że tak Pani to odebrała. Nasz pracownik postępował zgodnie z procedurą.",
        {},
        set(), {"apology"},
        {"non-apology", "missing-apology", "corporate-speak"}, set(),
        id="non-apology-feelings-feminine",
    ),
    pytest.param(
        "Przepraszamy, ale nie możemy przyjąć zwrotu po 30 dniach. - Ola",
        {},
        set(), {"apology"},
        {"non-apology", "missing-apology"}, set(),
        id="non-apology-but",
    ),
    pytest.param(
        "Nie przepraszamy, bo produkt był opisany poprawnie.",
        {},
        set(), {"apology"},
        {"missing-apology"}, set(),
        id="refusing-is-not-an-apology",
    ),
    pytest.param(
        "Przepraszamy, że paczka utknęła! Wyślij nam na priv numer zamówienia, a od razu sprawdzę, "
        "co się dzieje. - Ola",
        {},
        {"apology", "private_channel", "signature", "fix"}, set(),
        set(), {"asks-private-data-publicly", "no-private-channel", "non-apology", "no-fix"},
        id="order-number-by-dm-same-sentence",
    ),
    pytest.param(
        "Przepraszamy! Proszę podać w komentarzu numer zamówienia i nazwisko, sprawdzimy to od ręki.",
        {},
        {"apology"}, {"private_channel"},
        # one finding says it: ask for the data in private (the reply promises a check, so
        # no-private-channel, which is about where the details go, stays quiet)
        {"asks-private-data-publicly"}, set(),
        id="order-number-in-public",
    ),
    pytest.param(
        "Przepraszamy za opoznienie, prosze napisac do nas na priv numer zamowienia. - Ania",
        {},
        {"apology", "private_channel", "signature"}, set(),
        set(), {"asks-private-data-publicly", "missing-apology", "unacknowledged-delay"},
        id="no-diacritics",
    ),
    pytest.param(
        "Szanowna Klientko, uprzejmie informujemy, iż przesyłka została przekazana do doręczenia. "
        "Przepraszamy za wszelkie powstałe utrudnienia.\n\nZespół Obsługi Klienta",
        {},
        {"apology"}, {"signature", "personal_address"},
        {"corporate-speak", "vague-apology", "faceless-signature", "impersonal-address"}, {"missing-apology"},
        id="corporate-vague-faceless",
    ),
    pytest.param(
        "@tomek_gra Sorki, nasz błąd – wysłaliśmy zły kabel HDMI. Właściwy wyjedzie jutro, a odesłanie "
        "starego jest na nasz koszt. Napisz na DM adres. - Iza",
        {"fault": "company"},
        {"apology", "fix", "compensation", "private_channel", "signature", "personal_address"}, set(),
        {"no-prevention"}, {"missing-apology", "no-fix", "shouting", "no-compensation", "evasive-passive"},
        id="handle-informal-good",
    ),
    pytest.param(
        "Pana komentarze naruszają regulamin strony. Kolejny taki wpis zostanie usunięty, a konto "
        "zgłoszone do administracji.",
        {},
        set(), {"apology"},
        {"threatens-customer"}, set(),
        id="threat-delete",
    ),
    pytest.param(
        "Skoro kurtka została już wymieniona, może zechciałaby Pani poprawić recenzję? - Ola",
        {},
        set(), set(),
        {"asks-to-remove-criticism"}, set(),
        id="asks-to-edit-review",
    ),
    pytest.param(
        "Pani Basiu, prosimy skasować ten komentarz – widać w nim Pani adres i telefon. Resztę ustalimy "
        "na priv. - Ola",
        {},
        {"private_channel", "personal_address", "signature"}, set(),
        set(), {"asks-to-remove-criticism", "impersonal-address"},
        id="asks-to-remove-exposed-data",
    ),
    pytest.param(
        "Niestety, w sprawie gwarancji musi się Pan skontaktować bezpośrednio z producentem.",
        {},
        set(), {"apology"},
        {"passes-the-buck"}, set(),
        id="passes-to-manufacturer",
    ),
    pytest.param(
        "Przepraszamy za kłopot z fakturą! Przekazałam sprawę Marcie z księgowości, odezwie się do Pani "
        "mailowo do środy. - Ania",
        {},
        {"apology", "fix", "next_update", "private_channel", "signature"}, set(),
        set(), {"passes-the-buck", "vague-apology", "vague-promise", "no-next-update", "no-private-channel"},
        id="named-colleague-follow-up",
    ),
    pytest.param(
        "Bardzo przepraszamy, sprawdzamy to i postaramy się odezwać jak najszybciej.",
        {},
        {"apology"}, {"fix"},
        {"vague-promise", "no-fix"}, set(),
        id="vague-promise-no-date",
    ),
    pytest.param(
        "Przepraszamy, to była nasza pomyłka przy pakowaniu. Gwarantujemy, że to się już nigdy nie powtórzy!",
        {},
        {"apology"}, set(),
        {"absolute-promise"}, {"missing-apology"},
        id="absolute-promise",
    ),
    pytest.param(
        "Przepraszamy, Panie Adamie – pomyliliśmy adresy dwóch paczek. Pana zamówienie wyślemy dziś "
        "ponownie, a w magazynie zmieniamy sposób etykietowania, żeby to się nie powtarzało. Na kolejne "
        "zakupy dorzucamy darmową dostawę. - Ewa",
        {"fault": "company"},
        {"apology", "fix", "prevention", "compensation", "personal_address", "signature"}, set(),
        set(), {"no-prevention", "no-compensation", "absolute-promise", "no-fix", "impersonal-address"},
        id="five-p-masculine-formal",
    ),
    pytest.param(
        "Dzień dobry, w wyniku błędu systemu doszło do podwójnego naliczenia opłaty.",
        {},
        set(), {"apology", "personal_address"},
        {"evasive-passive", "missing-apology", "impersonal-address"}, set(),
        id="evasive-passive",
    ),
    pytest.param(
        "Przykro nam, że aplikacja się zawiesza. Na jakim telefonie i od kiedy występuje problem? "
        "Napisz nam na priv. - Ola",
        {},
        {"apology", "private_channel"}, {"fix"},
        set(), {"no-fix", "no-next-update"},
        id="clarifying-question-instead-of-fix",
    ),
    pytest.param(
        "Nic takiego nie miało miejsca – nasz kurier zostawił awizo.",
        {"visibility": "public"},
        set(), set(),
        {"argues-publicly"}, set(),
        id="argues-in-public",
    ),
    pytest.param(
        "Spokojnie, nie ma się czym denerwować, to tylko kilka dni opóźnienia.",
        {},
        set(), set(),
        {"condescending"}, set(),
        id="condescending",
    ),
    pytest.param(
        "Jak ktoś nie umie czytać, to jego problem. Debile.",
        {},
        set(), set(),
        {"hostile-or-profane"}, set(),
        id="insult",
    ),
    pytest.param(
        "Pani Marto, kurier będzie jutro pod adresem ul. Kwiatowa 7 m. 12 między 9 a 12.",
        {"visibility": "public"},
        {"personal_address"}, set(),
        {"exposes-personal-data"}, set(),
        id="street-address-in-public",
    ),
    pytest.param(
        "Jeśli zmieni Pani ocenę w Google na wyższą, dostanie Pani voucher na 50 zł.",
        {},
        {"compensation"}, set(),
        {"bribes-for-review"}, set(),
        id="bribe",
    ),
    pytest.param(
        "Paczka została wysłana WCZORAJ, proszę sprawdzić skrzynkę.",
        {},
        set(), set(),
        {"shouting"}, set(),
        id="shouting-single-word",
    ),
    pytest.param(
        "Przepraszamy za opóźnienie, paczka wyjdzie jutro.\n\nPozdrawiam,\nAnia z Zespołu Obsługi Klienta",
        {},
        {"apology", "signature"}, set(),
        set(), {"faceless-signature"},
        id="person-from-a-team-is-a-signature",
    ),
    pytest.param(
        "Przepraszamy za opóźnienie, paczka wyjdzie jutro.\n\nPozdrawiamy,\nZespół sklepu Butik",
        {},
        {"apology"}, {"signature"},
        {"faceless-signature"}, set(),
        id="team-is-not-a-signature",
    ),
]


# Not held out: replies that exposed a gap while probing the pack, kept so it stays closed.
REGRESSIONS = [
    pytest.param(
        "Cześć Marta! Sorry, że router znowu się rozłącza. Technik przyjedzie w czwartek między 10 a 14, "
        "a za ten miesiąc obniżymy Ci abonament o połowę. ~Ala",
        {"fault": "company"}, {"fix", "compensation", "signature", "personal_address"}, set(),
        set(), {"no-fix", "no-compensation"}, id="technician-visit-is-a-fix",
    ),
    pytest.param(
        "Hej Piotrek, sorry za zamieszanie z biletami! Zwrot za bilety poszedł dziś. Daj znać na DM, gdyby "
        "nie przyszedł. /Kuba",
        {}, {"apology", "fix", "private_channel", "signature"}, set(),
        set(), {"no-fix", "vague-apology"}, id="refund-went-out-and-named-mix-up",
    ),
    pytest.param(
        "Dzięki, że dałaś znać, Zosiu! Przepraszamy, że paczkomat był pełny. Kod odbioru wysłaliśmy SMS-em. "
        "- Mateusz, kierownik zmiany",
        {}, {"personal_address", "signature"}, set(),
        set(), {"impersonal-address", "faceless-signature"}, id="vocative-after-comma-and-signature-with-role",
    ),
    pytest.param(
        "Przepraszamy, NIE wysłaliśmy jeszcze paczki, a nie my decydujemy o trasie kuriera.",
        {}, {"apology"}, {"fix"},
        {"no-fix"}, {"blames-customer"}, id="negated-fix-and-nie-my-mid-sentence",
    ),
    pytest.param(
        "Przepraszamy, terminal nadal nie działa. Działa już tylko płatność gotówką.",
        {}, {"apology"}, {"fix"},
        {"no-fix"}, set(), id="only-cash-works-is-not-resolved",
    ),
]


@pytest.mark.parametrize(("text", "context", "true_items", "false_items", "must_fire", "must_not_fire"),
                         CASES + REGRESSIONS)
def test_held_out_reply(text, context, true_items, false_items, must_fire, must_not_fire):
    result = lint(text, **context)
    assert result.error is None
    checklist = result.checklist
    assert {k for k in true_items if not checklist[k]} == set(), checklist
    assert {k for k in false_items if checklist[k]} == set(), checklist
    rules = fired(result)
    assert must_fire - rules == set(), f"expected to fire: {must_fire - rules}; fired: {sorted(rules)}"
    assert must_not_fire & rules == set(), f"should not fire: {must_not_fire & rules}"


@pytest.mark.parametrize("text", [c.values[0] for c in CASES], ids=[c.id for c in CASES])
def test_language_is_detected_as_polish(text):
    assert lint_text(text, BOOK, {}).language == "pl"


@pytest.mark.parametrize("text", ["Nie wiem, który kurier to był.", "Czy próbował Pan zalogować się ponownie?",
                                  "Nie przesadzajmy, to tylko dwa dni opóźnienia."])
def test_short_reply_with_only_o_acute_or_a_capitalised_function_word_is_polish(text):
    assert lint_text(text, BOOK, {}).language == "pl"


def test_late_reply_that_thanks_for_waiting_is_not_flagged():
    times = {"channel": "facebook", "received_at": "2024-05-06T08:00:00Z", "sent_at": "2024-05-06T12:00:00Z"}
    thanked = lint("Dziękujemy za cierpliwość, Pani Aniu! Przepraszamy, zamówienie wyjdzie dziś. - Kasia", **times)
    silent = lint("Pani Aniu, przepraszamy, zamówienie wyjdzie dziś. - Kasia", **times)
    assert "unacknowledged-delay" not in fired(thanked)
    assert "unacknowledged-delay" in fired(silent)


def test_corporate_phrase_gets_a_plain_replacement():
    result = lint_text("W związku z powyższym zwrot zlecimy jutro. - Ola", BOOK, {"language": "pl"},
                       selection=Selection(select=frozenset({"corporate-speak"})))
    [diagnostic] = result.diagnostics
    assert diagnostic.match == "W związku z powyższym"
    assert diagnostic.replacement == "dlatego"


def test_apology_is_found_in_every_form():
    forms = ["Przepraszam", "Przepraszamy", "Przepraszając", "Nasze przeprosiny", "Chcemy przeprosić",
             "Przykro mi", "Bardzo nam przykro", "Wybaczcie", "Najmocniej przepraszamy", "Sorki"]
    missing = [f for f in forms if not lint(f"{f} za zgubioną paczkę.").checklist["apology"]]
    assert missing == []


def test_private_channel_is_found_in_formal_and_informal_register():
    replies = ["Napiszcie do nas na priv.", "Prosimy o prywatną wiadomość.", "Proszę napisać do nas maila.",
               "Zapraszamy do kontaktu telefonicznego.", "Odezwij się na DM.", "Skontaktujemy się z Panią.",
               "Zadzwonimy do Pana jutro.", "Proszę wypełnić formularz reklamacyjny.",
               "Wyślij nam wiadomość prywatną.", "Skontaktuj się z nami przez Messengera."]
    missing = [r for r in replies if not lint(r).checklist["private_channel"]]
    assert missing == []


# Every Polish pattern must stay fast on hostile input: no nested unbounded quantifiers. 20 kB
# keeps the suite quick; a pattern that backtracks quadratically or worse blows far past the
# bound at this size already (on 200 kB the slowest entry takes about 0.4 s, linearly).
_HOSTILE = ["a" * 20_000, "przepraszam " * 1_700, "Pani " * 4_000, ("nie " * 3 + "x, ") * 2_000]


def test_patterns_do_not_backtrack_catastrophically():
    from replycoach.matching import entry_regex

    slow = []
    for signal, entries in BOOK.lexicon["pl"].items():
        for entry in entries:
            regex = re.compile(entry_regex(entry), re.I | re.M)
            for text in _HOSTILE:
                began = time.perf_counter()
                for _ in regex.finditer(text):
                    pass
                if time.perf_counter() - began > 0.25:
                    slow.append((signal, entry.get("pattern") or entry.get("phrase"), text[:12]))
    assert slow == []


def test_a_word_scores_for_one_language_only():
    """Detection counts Polish and English function words separately; a word in both lists
    would make a mixed reply score for both."""
    packs = BOOK.language_packs
    assert packs["pl"]["words"] and packs["en"]["words"]
    assert not {w.lower() for w in packs["pl"]["words"]} & {w.lower() for w in packs["en"]["words"]}
