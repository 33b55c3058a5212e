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


@pytest.fixture(scope="module", params=["\n", "\r\n"], ids=["LF", "CRLF"])
def examples_as_files(request, tmp_path_factory):
    """Every example written as a user's file: its context as front matter, a final newline,
    and LF or CRLF line ends; linted in one run. {file name: (rule, should fire, fired rules)}."""
    import yaml

    from replycoach.lint.runner import LintOptions, run_lint

    newline = request.param
    folder = tmp_path_factory.mktemp("examples")
    expected = {}
    for n, case in enumerate(_cases()):
        rule_name, _, context, text, should_fire = case.values
        front = yaml.safe_dump({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in context.items()},
                               allow_unicode=True)
        name = f"{n:04d}.txt"
        (folder / name).write_bytes(f"---\n{front}---\n{text}\n".replace("\n", newline).encode("utf-8"))
        expected[name] = (rule_name, should_fire, case.id)
    run = run_lint([str(folder)], LintOptions())
    assert not run.problems, run.problems
    assert len(run.results) == len(expected) > 400
    fired = {r.path.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]: {d.rule for d in r.diagnostics} for r in run.results}
    return {name: (*expected[name], fired.get(name, set())) for name in expected}


def test_every_example_holds_in_a_file_with_a_final_newline_and_crlf(examples_as_files):
    wrong = [(case_id, "did not fire" if should else "fired") for rule, should, case_id, fired
             in examples_as_files.values() if (rule in fired) != should]
    assert not wrong, wrong
