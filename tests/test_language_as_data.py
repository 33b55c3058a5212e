"""A language is data: a user playbook that brings German lints German, with no code change.

The pack gives German's name, the function words that tell it apart, its capitals and
abbreviations, and its signals' phrases. Nothing in replycoach's code mentions German.
"""

from __future__ import annotations

import json
from pathlib import Path

from replycoach.lint.engine import lint_text
from replycoach.playbook.loader import load_playbook
from tests.helpers import FIXTURES, run_cli

PACK = FIXTURES / "de" / "deutsch.yaml"
SORRY = "Es tut uns leid, dass Ihre Bestellung nicht angekommen ist. Wir schicken Ihnen heute eine neue. ^AK\n"
NO_SORRY = "Ihre Bestellung ist unterwegs und kommt bald bei Ihnen an. ^AK\n"


def lint_json(tmp_path: Path, text: str, *flags: str) -> dict:
    reply = tmp_path / "antwort.txt"
    reply.write_text(text, encoding="utf-8")
    result = run_cli("lint", str(reply), "--playbook", str(PACK), "--format", "json", *flags)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["files"][0]


def test_a_german_reply_is_detected_and_judged_by_the_german_signals(tmp_path):
    apologising = lint_json(tmp_path, SORRY, "--channel", "twitter")
    assert apologising["language"] == "de"
    assert "language" in apologising["context"]["assumed"]  # detected, not given
    assert apologising["checklist"]["apology"] and apologising["checklist"]["fix"]
    assert "missing-apology" not in {d["rule"] for d in apologising["diagnostics"]}

    silent = lint_json(tmp_path, NO_SORRY, "--channel", "twitter")
    assert silent["language"] == "de"
    assert "missing-apology" in {d["rule"] for d in silent["diagnostics"]}


def test_english_and_polish_replies_are_still_told_apart_from_german(tmp_path):
    assert lint_json(tmp_path, "We're sorry your order is late, we'll send a new one today. ^AK\n")["language"] == "en"
    assert lint_json(tmp_path, "Przepraszamy, że paczka nie dotarła. Wyślemy nową dziś. ^AK\n")["language"] == "pl"


def test_the_packs_capitals_and_abbreviations_work_in_german():
    book = load_playbook([str(PACK)])
    shouted = lint_text("Das ist ÜBERHAUPT NICHT akzeptabel, tut uns leid.", book, {"language": "de"})
    assert "shouting" in {d.rule for d in shouted.diagnostics}
    # "z.B." does not end a sentence: the private channel and the request stay in one sentence
    from replycoach.reply.document import Document

    doc = Document.parse("Schreiben Sie uns z.B. eine Direktnachricht mit der Nummer.", book.conventions)
    assert len(doc.sentences) == 1


def test_the_rule_reference_names_the_language_as_its_pack_does(tmp_path):
    listing = json.loads(run_cli("rules", "--playbook", str(PACK), "--format", "json").stdout)
    languages = {row["name"]: row["languages"] for row in listing}
    assert "de" in languages["missing-apology"]  # the pack gives every signal that rule looks for
    assert "de" not in languages["blames-customer"]  # no `blame` phrases in German: the rule stays off
    assert load_playbook([str(PACK)]).language_name("de") == "Deutsch"


def test_no_code_names_a_language():
    """The engine, matching and lint packages hold no language's code or letters: only the packs do.

    Docstrings and comments may show examples; the code's own strings may not."""
    import ast
    import re

    letters = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻА-Яа-я]")
    root = Path(__file__).resolve().parents[1] / "src" / "replycoach"
    for package in ("lint", "matching", "kinds", "reply", "playbook"):
        for module in (root / package).rglob("*.py"):
            tree = ast.parse(module.read_text(encoding="utf-8"))
            docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                          if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                          and node.body and isinstance(node.body[0], ast.Expr)
                          and isinstance(node.body[0].value, ast.Constant)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                    where = f"{module.relative_to(root)}:{node.lineno}"
                    assert node.value not in ("en", "pl", "bg"), f"{where} names a language ({node.value!r})"
                    assert not letters.search(node.value), f"{where} holds a language's letters ({node.value!r})"
