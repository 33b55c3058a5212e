"""Lemma templates: one entry for every inflected form, from form lists committed as data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from replycoach.core.errors import UserError
from replycoach.lint.engine import lint_text
from replycoach.playbook.forms import expand, lemmas_in
from replycoach.playbook.loader import load_playbook

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "forms" / "brand.yaml"


def test_a_template_stands_for_every_form_of_its_lemma():
    book = load_playbook([str(FIXTURE)])
    for reply in ("Przepraszam! Dorzucę kod -15% na kolejne zakupy. Ania",
                  "Przepraszamy! Dorzuciliśmy kod rabatowy do zamówienia. Ania",
                  "Przepraszam, dorzuce kodzik na nastepne zakupy. Ania"):
        assert lint_text(reply, book, {"language": "pl"}).checklist["compensation"], reply


def test_a_template_keeps_to_its_forms_and_its_words():
    source = expand("{dorzucić:1} kod*", {"dorzucić:1": ["dorzucę", "dorzucimy"]}, "test")
    regex = re.compile(source, re.I)
    assert regex.search("Dorzucimy kod rabatowy")
    assert not regex.search("Dorzuć kod")  # not a form in the list
    assert not regex.search("dorzucę kota")  # `kod*` needs the word to begin with kod
    assert lemmas_in("{a|b:1} x {c}") == ["a", "b:1", "c"]


def test_a_lemma_without_forms_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("extends: default\nlexicon:\n  pl:\n    fix: [{template: '{naprawić:1} to'}]\n",
                      encoding="utf-8")
    with pytest.raises(UserError, match=r"naprawić:1.*expand_forms"):
        load_playbook([str(broken)])


@pytest.mark.parametrize("lang", ["pl", "bg"])
def test_the_committed_forms_are_up_to_date_with_the_templates(lang):
    """`data/scripts/expand_forms.py` regenerates a pack's forms: every lemma a template uses has
    forms, and the file lists no lemma no template uses any more (it was generated from these)."""
    pack = yaml.safe_load((ROOT / "playbooks" / "default" / f"{lang}.yaml").read_text(encoding="utf-8"))
    used = {lemma for entries in (pack.get("lexicon") or {}).values() for entry in entries or ()
            if isinstance(entry, dict) and entry.get("template") for lemma in lemmas_in(entry["template"])}
    forms = yaml.safe_load((ROOT / "playbooks" / "default" / f"{lang}.forms.yaml").read_text(encoding="utf-8"))
    assert set(forms.get("forms") or {}) == used
    assert all(forms["forms"][lemma] for lemma in used)
