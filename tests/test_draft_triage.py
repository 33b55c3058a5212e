"""Triage: which situation a case is, why, and that the words come from the playbook."""

from __future__ import annotations

import pytest

from replycoach.core.errors import UserError
from replycoach.draft.case import validate_case
from replycoach.playbook.loader import load_playbook
from replycoach.triage import triage

BOOK = load_playbook()


def classify(text: str, lang: str = "en", channel: str = "twitter", book=BOOK, **fields):
    case = validate_case({"channel": channel, "complaint": {"text": text}, **fields}, "case")
    return triage(case, book, lang)


@pytest.mark.parametrize(("lang", "text", "situation"), [
    ("en", "My order arrived with a cracked screen.", "complaint"),
    ("en", "Worst company ever.", "needs-details"),
    ("en", "You morons lost my parcel.", "hostile"),
    ("en", "Fix my refund in 24 hours or I'll post this everywhere.", "hostile"),
    ("en", "The president and his government are a disgrace, wake up people!", "off-topic"),
    ("en", "Still no parcel. Email me at jane.doe@example.org", "personal-data-exposed"),
    ("pl", "Paczka przyszła uszkodzona.", "complaint"),
    ("pl", "Jestem na was wściekła.", "needs-details"),
    ("pl", "Macie czas do jutra, bo idę do mediów. Gdzie moja paczka?", "hostile"),
    ("pl", "Ten rząd to banda złodziei, obudźcie się!", "off-topic"),
    ("pl", "Zamówienie nie dotarło, dzwońcie: 601 234 567", "personal-data-exposed"),
    ("bg", "Пратката пристигна повредена.", "complaint"),
    ("bg", "Ужас с вас.", "needs-details"),
    ("bg", "Пълни идиоти сте, пак закъсняла поръчка.", "hostile"),
    ("bg", "Правителството ни краде, събудете се!", "off-topic"),
    ("bg", "Поръчката не дойде, обадете ми се на 0888 123 456", "personal-data-exposed"),
])
def test_situations_in_three_languages(lang, text, situation):
    assert classify(text, lang).situation == situation


def test_reasons_say_what_in_the_complaint_decided_it():
    verdict = classify("You morons, you have 12 hours or I go to the press.")
    assert verdict.situation == "hostile" and verdict.tone == "ultimatum"
    assert any("morons" in r for r in verdict.reasons)
    assert any("12 hours" in r for r in verdict.reasons)


def test_what_the_case_states_beats_what_the_text_suggests():
    assert classify("My parcel is late", kind="off-topic").situation == "off-topic"
    assert classify("My parcel is late", kind="outage").situation == "outage"
    assert classify("Love you guys", kind="praise").situation == "praise"
    # a vague complaint the agent already understands is a complaint
    assert classify("Worst company ever.", issue={"summary": "your parcel is late"}).situation == "complaint"
    # a political word in a complaint about an order does not make it off-topic
    assert classify("Your delivery is late because of the new government tax.").situation == "complaint"


def test_personal_data_is_only_exposed_in_public():
    text = "My parcel is late, call me on +44 7700 900123."
    assert classify(text, channel="twitter").situation == "personal-data-exposed"
    assert classify(text, channel="email").situation == "complaint"


def test_the_cases_own_data_is_recognised_however_it_is_written():
    verdict = classify("late parcel, ring me 07700-900-123!!", customer={"phone": "07700 900123"})
    assert verdict.situation == "personal-data-exposed" and verdict.exposed == ("phone-number",)


def test_a_brand_phrase_added_to_the_playbook_changes_triage(tmp_path):
    text = "You absolute muppets lost my parcel."
    assert classify(text).situation == "complaint"
    playbook = tmp_path / "brand.yaml"
    playbook.write_text("extends: default\nlanguage: en\nlexicon:\n  profanity: [muppet*]\n")
    book = load_playbook([str(playbook)])
    assert classify(text, book=book).situation == "hostile"


def test_triage_settings_must_name_real_signals(tmp_path):
    playbook = tmp_path / "bad.yaml"
    playbook.write_text("extends: default\nsettings:\n  triage:\n    abuse: [no-such-signal]\n")
    with pytest.raises(UserError, match=r"settings\.triage\.abuse: undefined signal 'no-such-signal'"):
        classify("my parcel is late", book=load_playbook([str(playbook)]))
