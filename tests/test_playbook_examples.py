"""The playbook's examples are the rules' specification: run every one of them.

Each bad example must trigger its rule, and each good example must not, under the context
the example set declares (default: a first public reply to a complaint).
"""

from __future__ import annotations

import pytest

from replycoach.kinds import rule_languages
from replycoach.lint.engine import Selection, lint_text
from replycoach.playbook.loader import load_playbook

BOOK = load_playbook(["default"])


def _cases():
    for lang in BOOK.languages:
        for rule_name, examples in sorted(BOOK.examples.get(lang, {}).items()):
            ctx = {"language": lang, **(examples.get("context") or {})}
            for verdict in ("bad", "good"):
                for i, item in enumerate(examples[verdict]):
                    text, own = (item, {}) if isinstance(item, str) else (item["text"], item["context"])
                    yield pytest.param(rule_name, lang, {**ctx, **own}, text, verdict == "bad",
                                       id=f"{lang}-{rule_name}-{verdict}{i}")


@pytest.mark.parametrize(("rule_name", "lang", "context", "text", "should_fire"), list(_cases()))
def test_example(rule_name, lang, context, text, should_fire):
    result = lint_text(text, BOOK, context, selection=Selection(select=frozenset({rule_name})))
    assert result.error is None, result.error
    fired = [d for d in result.diagnostics if d.rule == rule_name]
    if should_fire:
        assert fired, f"bad example did not trigger {rule_name}: {text!r}"
    else:
        assert not fired, f"good example triggered {rule_name}: {[d.match for d in fired]} in {text!r}"


def _rules_with_examples():
    for rule in BOOK.rules:
        if rule["kind"] == "near-duplicate":
            continue  # judged across files; covered by tests/test_canned.py
        yield rule["name"]


@pytest.mark.parametrize("rule_name", list(_rules_with_examples()))
@pytest.mark.parametrize("lang", ["en", "pl", "bg"])
def test_every_rule_has_examples_in_every_language(rule_name, lang):
    rule = BOOK.rule(rule_name)
    if lang not in rule_languages(BOOK, rule):
        pytest.fail(f"{rule_name} does not support {lang}: its lexicon is missing signals")
    examples = BOOK.examples.get(lang, {}).get(rule_name)
    assert examples and examples["bad"] and examples["good"], f"{rule_name} needs bad and good examples in {lang}"
