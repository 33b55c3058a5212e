"""A reply in a language the playbook has no rules for is said to be so, not judged by the
rules of the language it resembles; Bulgarian stays Bulgarian, Polish without diacritics Polish."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run_cli

OTHERS = {
    "Russian": "Здравствуйте! Приносим извинения, ваш заказ уже в пути, пишите если что.",
    "Ukrainian": "Вибачте, будь ласка, ваше замовлення вже в дорозі. Дякуємо!",
    "Serbian": "Хвала, ваша поруџбина је већ послата. Извините због кашњења.",
    "Macedonian": "Извинете, вашата нарачка ќе биде испорачана утре.",
    "Spanish": "Hola, sentimos mucho la demora. Su pedido ya está en camino, gracias por la paciencia.",
    "German": "Entschuldigung, Ihre Bestellung ist leider verspätet. Wir melden uns, bitte haben Sie Geduld.",
    "French": "Bonjour, nous sommes désolés pour le retard de votre commande.",
}
OURS = [
    ("bg", "Здравейте, съжаляваме за забавянето! Ще ви изпратим нова пратка днес. Поздрави, Ани"),
    ("bg", "@kaloyan_dd Съжалявам, че пак ви се случва. Кажете какво точно не става и ще го оправим."),
    ("bg", "Извинете, да, вашата поръчка е при нас. Пишете ни на лично."),
    ("pl", "Przepraszamy za opoznienie, juz sprawdzamy zamowienie i dzis wyslemy nowe. Pozdrawiam, Ola"),
    ("pl", "zaplacilem 45 zl za miejsce przy oknie, a na karcie mam srodek. co to ma byc?"),
    ("en", "Sorry Anna, your parcel to Rue de la Paix is late; we'll send a new one today. - Ann"),
    ("en", "@AppleSupport why aren't apps updating? Stay Safe"),
]


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_a_reply_in_a_language_without_rules_is_named_not_linted(tmp_path, name):
    (tmp_path / "reply.txt").write_text(OTHERS[name] + "\n", encoding="utf-8")
    result = run_cli("lint", "--format", "json", "reply.txt", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert result.returncode == 2 and report["files"] == []
    assert report["problems"] == [{"path": "reply.txt", "message": (
        f"written in {name}, which the playbook has no rules for (it has bg, en, pl): not linted; --lang or "
        "`language:` in front matter lints it as one of those")}]
    assert [line for line in result.stderr.splitlines() if "reply.txt" in line] == [
        f"replycoach: reply.txt: {report['problems'][0]['message']}"]


def test_lang_lints_it_anyway(tmp_path):
    (tmp_path / "reply.txt").write_text(OTHERS["Russian"] + "\n", encoding="utf-8")
    result = run_cli("lint", "--format", "json", "--lang", "bg", "reply.txt", cwd=tmp_path)
    assert result.returncode in (0, 1) and json.loads(result.stdout)["files"][0]["language"] == "bg"


@pytest.mark.parametrize(("language", "text"), OURS)
def test_replies_in_our_languages_keep_their_language(tmp_path, language, text):
    (tmp_path / "reply.txt").write_text(text + "\n", encoding="utf-8")
    result = run_cli("lint", "--format", "json", "reply.txt", cwd=tmp_path)
    assert json.loads(result.stdout)["files"][0]["language"] == language, result.stderr
