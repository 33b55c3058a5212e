"""Test the playbook data itself (codespell-style): names, codes, patterns, phrases, rationale."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from replycoach.core.resources import builtin_dir
from replycoach.kinds import rule_languages
from replycoach.playbook.loader import load_playbook
from replycoach.playbook.model import referenced_signals

BOOK = load_playbook(["default"])
RULES_MD_NAMES = {
    "missing-apology", "non-apology", "late-apology", "vague-apology", "blames-customer", "argues-publicly",
    "condescending", "shouting", "hostile-or-profane", "threatens-customer", "asks-to-remove-criticism",
    "bribes-for-review", "no-private-channel", "asks-private-data-publicly", "exposes-personal-data",
    "passes-the-buck", "no-fix", "vague-promise", "no-next-update", "no-prevention", "absolute-promise",
    "no-compensation", "corporate-speak", "impersonal-address", "faceless-signature", "evasive-passive",
    "too-long", "late-reply", "unacknowledged-delay", "leftover-placeholder", "unknown-placeholder",
    "no-personalisation", "near-duplicate", "template-error",
}


def test_every_rule_of_the_design_is_in_the_playbook_under_its_public_name():
    assert {r["name"] for r in BOOK.rules} == RULES_MD_NAMES


def test_names_and_codes_are_unique():
    assert not [n for n, c in Counter(r["name"] for r in BOOK.rules).items() if c > 1]
    assert not [n for n, c in Counter(r["code"] for r in BOOK.rules).items() if c > 1]


@pytest.mark.parametrize("rule", BOOK.rules, ids=lambda r: r["name"])
def test_every_rule_explains_itself(rule):
    assert len(rule["rationale"]) > 40
    assert rule["sources"] and all(re.fullmatch(r"00[0-4]", s) for s in rule["sources"])
    assert rule["message"] and rule["summary"] and rule["suggestion"]


def test_every_signal_used_is_defined_and_every_defined_signal_is_used():
    used = set().union(*(referenced_signals(r) for r in BOOK.rules))
    used |= {s for item in BOOK.checklist.values() for s in item["signals"]}
    used |= {s for d in BOOK.signals.values() for s in d["suppressed_by"]}
    assert used <= set(BOOK.signals)
    triage_only = {name for name, d in BOOK.signals.items() if "complaint" in d["description"].lower()}
    assert set(BOOK.signals) - used - triage_only == set()


@pytest.mark.parametrize("lang", [*BOOK.languages, "*"])
def test_patterns_compile_and_phrases_are_not_duplicated(lang):
    for signal, entries in BOOK.lexicon.get(lang, {}).items():
        phrases = [e["phrase"].lower() for e in entries if e["phrase"]]
        dupes = [p for p, c in Counter(phrases).items() if c > 1]
        assert not dupes, f"{lang}/{signal}: duplicate phrases {dupes}"
        patterns = [e["pattern"] for e in entries if e["pattern"]]
        assert len(patterns) == len(set(patterns)), f"{lang}/{signal}: duplicate patterns"
        for pattern in patterns:
            re.compile(pattern)
    BOOK.matchers(lang)  # compiles the combined regex per signal


@pytest.mark.parametrize("lang", ["en", "pl", "bg"])
def test_every_language_covers_every_signal_a_rule_needs(lang):
    missing = [r["name"] for r in BOOK.rules if r["kind"] != "near-duplicate" and lang not in rule_languages(BOOK, r)]
    assert not missing, f"{lang} lacks signals for {missing}"


def test_checklist_is_the_five_p_spine():
    assert list(BOOK.checklist) == ["apology", "fix", "private_channel", "compensation", "prevention",
                                    "next_update", "signature", "personal_address"]


def test_playbooks_ship_as_package_data():
    root = builtin_dir("playbooks")
    assert (root / "default.yaml").is_file()
    assert {p.name for p in (root / "default").glob("*.yaml")} >= {"en.yaml", "pl.yaml", "bg.yaml", "common.yaml"}


def test_generated_rule_reference_is_up_to_date():
    from pathlib import Path

    from replycoach.lint.formatters.rules import rules_markdown

    docs = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == rules_markdown(BOOK), (
        "docs/rules.md is stale: run `replycoach rules docs -o docs/rules.md`")


def test_the_schema_knows_exactly_the_registered_kinds():
    """A kind is registered once (kinds.KINDS) and modelled once (playbook.schema): they must agree."""
    from replycoach.kinds import KINDS
    from replycoach.playbook.schema import RULE_KINDS

    assert set(RULE_KINDS) == set(KINDS)
    assert {rule["kind"] for rule in BOOK.rules} <= set(KINDS)
