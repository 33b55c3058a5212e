"""Canned-response repositories: templates, collections, positions, bad input, near-duplicates.

A canned response is a template, so its slots are not text to lint; a collection holds many
responses in one YAML or JSON file, and each finding must point at the right line and
column of that file, whatever quoting style the response's text is written in.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replycoach.lint.runner import LintOptions, run_lint
from tests.helpers import run_cli

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "canned-repo"
TEMPLATE = {"template": True}


def lint(paths, **options):
    return run_lint([str(p) for p in paths], LintOptions(**options))


def findings(run, rule):
    return [d for r in run.results for d in r.diagnostics if d.rule == rule]


def at(path: Path, line: int, column: int, length: int) -> str:
    """The file's text at a 1-based line and column: what an editor would highlight."""
    return path.read_text(encoding="utf-8").split("\n")[line - 1][column - 1 : column - 1 + length]


@pytest.fixture
def repo(tmp_path):
    """A private copy of the example repository (never lint or fix it in place)."""
    target = tmp_path / "canned-repo"
    shutil.copytree(EXAMPLE, target)
    return target


# --- positions inside collections -----------------------------------------------------------

COLLECTION_YAML = """\
# saved replies
responses:
  - id: literal
    title: Block scalar
    text: |
      Hi {{ customer.name }}, sorry about the wait.
        Kindly DM us and I'll check today. - Ann
  - id: folded
    text: >-
      Hi {{ customer.name }}, sorry about
      the wait. Kindly DM us. - Ann
  - id: single
    text: 'Hi {{ customer.name }}, it''s on us. Kindly DM us. - Ann'
  - id: double
    text: "Hi {{ customer.name }},\\n\\u00e9 \\"quoted\\" Kindly DM us. - Ann"
  - id: plain
    text: Hi {{ customer.nam }}, sorry. Kindly DM us. - Ann
"""


def test_collection_findings_point_at_the_file_line_and_column_in_every_yaml_style(tmp_path):
    path = tmp_path / "replies.yaml"
    path.write_text(COLLECTION_YAML, encoding="utf-8")
    run = lint([path], select=frozenset({"corporate-speak", "unknown-placeholder"}))
    assert not run.problems
    kindly = findings(run, "corporate-speak")
    assert [d.line for d in kindly] == [7, 11, 13, 15, 17]
    for d in kindly:
        assert at(path, d.line, d.column, len("Kindly")) == "Kindly", d
        assert path.read_text(encoding="utf-8")[d.start : d.end] == "Kindly"  # file offsets, for --fix
    (typo,) = findings(run, "unknown-placeholder")
    assert (typo.line, at(path, typo.line, typo.column, 18)) == (17, "{{ customer.nam }}")
    assert {r.path for r in run.results} == {f"{path}#{i}" for i in ("literal", "folded", "single", "double", "plain")}


def test_json_collection_positions_survive_escapes_and_non_ascii(tmp_path):
    path = tmp_path / "replies.json"
    text = ('{"responses": [\n'
            '  {"id": "a", "title": "A", "text": "Hi {{ customer.name }},\\n\\u017c\\u00f3\\u0142w \\ud83d\\ude00 '
            '\\"ok\\" Kindly DM us. - Ann"},\n'
            '  {"id": "b", "text": "Zażółć {{ customer.first_name }}: kindly DM us. - Ann"}\n'
            ']}\n')
    path.write_text(text, encoding="utf-8")
    run = lint([path], select=frozenset({"corporate-speak"}), context={"language": "en"})
    assert not run.problems
    first, second = findings(run, "corporate-speak")
    assert first.line == 2 and at(path, 2, first.column, 6) == "Kindly"
    assert second.line == 3 and at(path, 3, second.column, 6) == "kindly"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40),
    after=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40),
    style=st.sampled_from([None, "'", '"', "|", ">", "json", "json-ascii"]),
    newline=st.booleans(),
)
def test_any_response_text_maps_back_to_its_place_in_the_file(tmp_path, before, after, style, newline):
    """Whatever the text and quoting, the finding's file offsets hold the matched word."""
    body = before + (" \n" if newline else " ") + "Kindly DM us " + after
    if style in ("json", "json-ascii"):
        path = tmp_path / "r.json"
        path.write_text(json.dumps([{"id": "x", "text": body}], ensure_ascii=style == "json-ascii", indent=1),
                        encoding="utf-8")
    else:
        path = tmp_path / "r.yaml"
        path.write_text(yaml.safe_dump([{"id": "x", "text": body}], default_style=style, allow_unicode=True,
                                       width=30), encoding="utf-8")
    if yaml.safe_load(path.read_text(encoding="utf-8"))[0]["text"] != body:
        return  # PyYAML itself does not round-trip this text; nothing to map
    run = lint([path], select=frozenset({"corporate-speak"}), context={**TEMPLATE, "language": "en"})
    assert not run.problems, run.problems
    text = path.read_text(encoding="utf-8")
    hits = [d for d in findings(run, "corporate-speak") if d.match == "Kindly"]
    assert hits, (text, [d.match for d in findings(run, "corporate-speak")])
    for d in hits:
        assert text[d.start : d.end] == "Kindly"
        assert at(path, d.line, d.column, 6) == "Kindly"


# --- templates: slots are slots ----------------------------------------------------------------


def test_placeholder_styles_are_slots_in_a_template_and_leftovers_in_a_reply(tmp_path):
    text = "Hi {{ CUSTOMER_NAME }} and {ticket.requester.first_name}, sorry your parcel is late. - Ann\n"
    template = tmp_path / "late.j2"
    template.write_text(text, encoding="utf-8")
    reply = tmp_path / "late.txt"
    reply.write_text(text, encoding="utf-8")
    run = lint([template, reply], select=frozenset({"shouting", "leftover-placeholder"}))
    by_path = {r.path: [d.rule for d in r.diagnostics] for r in run.results}
    assert by_path[str(template)] == []  # capitals inside a slot are not shouting
    assert by_path[str(reply)] == ["leftover-placeholder", "leftover-placeholder"]


def test_unknown_placeholder_checks_the_variables_the_config_declares(tmp_path):
    (tmp_path / ".replycoach.yaml").write_text(
        "context: {template: true}\ntemplate_variables: [customer.first_name, agent.name]\n", encoding="utf-8")
    reply = tmp_path / "r.md"
    reply.write_text("Hi {{ customer.first_name }} {{customer.name}} {order_id}, sorry. - {{ agent.name }}\n",
                     encoding="utf-8")
    run = lint([reply], select=frozenset({"unknown-placeholder"}))
    assert [d.match for d in findings(run, "unknown-placeholder")] == ["{{customer.name}}", "{order_id}"]


def test_default_variables_accept_common_helpdesk_slots(tmp_path):
    reply = tmp_path / "r.txt"
    reply.write_text("Hi {{ticket.requester.first_name}} / {name}, sorry. - {{ agent.name }}\n", encoding="utf-8")
    run = lint([reply], select=frozenset({"unknown-placeholder", "no-personalisation"}), context=TEMPLATE)
    assert findings(run, "unknown-placeholder") == [] and findings(run, "no-personalisation") == []


def test_template_error_points_at_the_broken_line_and_other_files_still_run(tmp_path):
    broken = tmp_path / "broken.j2"
    broken.write_text("Hi {{ customer.name }},\nsorry, {{ agent.name }.\n", encoding="utf-8")
    fine = tmp_path / "fine.txt"
    fine.write_text("Hi {{ customer.name }}, kindly wait.\n", encoding="utf-8")
    run = lint([broken, fine], select=frozenset({"template-error", "corporate-speak"}), context=TEMPLATE)
    (error,) = findings(run, "template-error")
    assert error.path == str(broken) and error.line == 2
    assert [d.path for d in findings(run, "corporate-speak")] == [str(fine)]


# --- bad input -----------------------------------------------------------------------------------


def test_bad_files_get_one_line_each_and_the_rest_is_still_checked(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("Przepraszam, ż".encode("iso-8859-2"))
    (tmp_path / "broken.yaml").write_text("responses:\n  - id: a\n    text: [unclosed\n", encoding="utf-8")
    (tmp_path / "broken.json").write_text('[{"id": "a", "text": "hi"', encoding="utf-8")
    (tmp_path / "notext.yaml").write_text("- id: a\n  text: hello there\n- id: b\n  title: B\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text("Hi Anna, kindly DM us.\n", encoding="utf-8")
    names = ["binary.txt", "latin1.txt", "broken.yaml", "broken.json", "notext.yaml", "good.txt"]
    result = run_cli("lint", *names, "--select", "corporate-speak", cwd=tmp_path)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("replycoach: ")]
    assert len(errors) == 5, result.stderr
    assert "binary.txt: binary file" in result.stderr
    assert "latin1.txt: not valid UTF-8" in result.stderr
    assert "broken.yaml: invalid YAML (line 4" in result.stderr
    assert "broken.json: invalid JSON (line 1" in result.stderr
    assert "notext.yaml: response #2 ('b') has no `text`" in result.stderr
    assert "Traceback" not in result.stderr
    assert "good.txt" in result.stdout and "corporate-speak" in result.stdout  # still linted


def test_yaml_that_is_not_a_collection(tmp_path):
    (tmp_path / "workflow.yml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    named = lint([tmp_path / "workflow.yml", tmp_path / ".pre-commit-config.yaml"])
    assert not named.problems  # not an error: pre-commit names such files too
    assert [p.where for p in named.skipped] == [str(tmp_path / "workflow.yml")]  # named: say so
    assert "not a canned-response collection" in named.skipped[0].message
    (tmp_path / "reply.txt").write_text("Hi Anna, sorry. - Ann\n", encoding="utf-8")
    walked = lint([tmp_path])
    assert not walked.problems and [r.path for r in walked.results] == [str(tmp_path / "reply.txt")]


def test_bad_context_in_one_response_spares_the_others(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("- id: a\n  context: {channel: carrier-pigeon}\n  text: Hi {{ customer.name }}, kindly wait.\n"
                    "- id: b\n  text: Hi {{ customer.name }}, kindly wait.\n", encoding="utf-8")
    run = lint([path], select=frozenset({"corporate-speak"}))
    assert len(run.problems) == 1 and "carrier-pigeon" in run.problems[0].message
    assert [r.path for r in run.results] == [f"{path}#b"]


# --- near-duplicates -------------------------------------------------------------------------------

LATE = ("Hi {{ customer.first_name }}, I'm sorry your parcel is late. It missed the van at our warehouse, "
        "so I've booked it on tomorrow's first delivery. DM us if it hasn't arrived by 6 pm. - {{ agent.name }}")


def test_near_duplicates_are_reported_on_both_with_the_others_place(tmp_path):
    (tmp_path / "a.txt").write_text(LATE + "\n", encoding="utf-8")
    copy = LATE.replace("{{ customer.first_name }}", "{first_name}").replace("6 pm", "7 pm")
    (tmp_path / "b.yaml").write_text(f"- id: other\n  text: x y z\n- id: copy\n  text: >-\n    {copy}\n",
                                     encoding="utf-8")
    (tmp_path / "c.txt").write_text("Hi {{ customer.first_name }}, thanks for the photos of the damaged mug. "
                                    "A new one leaves today and you can keep the broken one. - Ann\n",
                                    encoding="utf-8")
    run = lint([tmp_path], context=TEMPLATE, select=frozenset({"near-duplicate"}))
    dups = {d.path: d for d in findings(run, "near-duplicate")}
    assert set(dups) == {str(tmp_path / "a.txt"), str(tmp_path / "b.yaml")}
    assert f"the same as {tmp_path / 'b.yaml'}:5 (copy)" in dups[str(tmp_path / "a.txt")].message
    assert f"the same as {tmp_path / 'a.txt'}:1)" in dups[str(tmp_path / "b.yaml")].message
    assert dups[str(tmp_path / "b.yaml")].line == 5 and dups[str(tmp_path / "b.yaml")].column == 5
    assert all(d.severity.label == "info" for d in dups.values())


def test_near_duplicate_needs_the_threshold_and_templates(tmp_path):
    (tmp_path / "a.txt").write_text(LATE + "\n", encoding="utf-8")
    rewritten = ("Hi {{ customer.first_name }}, sorry, your parcel is stuck with the courier. I've asked them "
                 "to deliver it tomorrow and I'll message you when it's on the van. - {{ agent.name }}")
    (tmp_path / "b.txt").write_text(rewritten + "\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(LATE + "\n", encoding="utf-8")
    templates = lint([tmp_path], context=TEMPLATE, select=frozenset({"near-duplicate"}))
    assert sorted(d.path for d in findings(templates, "near-duplicate")) == [str(tmp_path / "a.txt"),
                                                                          str(tmp_path / "c.txt")]
    sent_replies = lint([tmp_path], select=frozenset({"near-duplicate"}))  # not templates: not canned
    assert findings(sent_replies, "near-duplicate") == []


def test_near_duplicate_can_be_silenced_inline(tmp_path):
    (tmp_path / "a.txt").write_text(LATE + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("<!-- replycoach: ignore near-duplicate -->\n" + LATE + "\n", encoding="utf-8")
    run = lint([tmp_path], context=TEMPLATE, select=frozenset({"near-duplicate"}))
    assert [d.path for d in findings(run, "near-duplicate")] == [str(tmp_path / "a.txt")]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.frozensets(st.integers(0, 12), min_size=0, max_size=10), min_size=2, max_size=25),
       st.sampled_from([0.5, 0.7, 0.85, 1.0]))
def test_prefix_filter_finds_exactly_the_pairs_brute_force_finds(sets, threshold):
    from replycoach.kinds.duplicates import MIN_SHINGLES, similar_pairs

    expected = {}
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            a, b = sets[i], sets[j]
            if len(a) >= MIN_SHINGLES and len(b) >= MIN_SHINGLES and len(a & b) / len(a | b) >= threshold:
                expected[(i, j)] = len(a & b) / len(a | b)
    assert similar_pairs(sets, threshold) == pytest.approx(expected)


# --- the example repository -------------------------------------------------------------------------


def test_example_repository_flags_the_flawed_responses_and_passes_the_good_ones(repo):
    run = lint([repo / "responses"])
    assert not run.problems, run.problems
    rules = {}
    for result in run.results:
        rules.setdefault(result.path.split("#")[0], set()).update(d.rule for d in result.diagnostics)
    responses = repo / "responses"
    assert {"corporate-speak", "vague-apology"} <= rules[str(responses / "en/damaged-item.txt")]
    assert {"unknown-placeholder", "template-error"} <= rules[str(responses / "en/wrong-size.j2")]
    assert {"near-duplicate", "corporate-speak"} <= rules[str(responses / "collections/outage.yaml")]
    assert "unknown-placeholder" in rules[str(responses / "collections/questions.json")]
    errors = {r.path for r in run.results for d in r.diagnostics if d.severity.label == "error"}
    for good in ("en/late-parcel.md", "en/refund-update.j2", "pl/opozniona-paczka.md", "bg/zakasnyala-pratka.md"):
        assert str(responses / good) not in errors, good
    assert {r.language for r in run.results} == {"en", "pl", "bg"}


def test_example_repository_readme_is_excluded_by_its_config(repo):
    run = lint([repo])
    assert str(repo / "README.md") not in {r.path for r in run.results}
    assert not run.problems


def test_config_exclude_applies_to_files_named_one_by_one(tmp_path):
    """pre-commit names every changed file; the repository's `exclude` must still hold."""
    (tmp_path / ".replycoach.yaml").write_text("exclude: [README.md, 'drafts/*']\n", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    for name in ("README.md", "drafts/new.txt", "kept.txt"):
        (tmp_path / name).write_text("Hi Anna, kindly wait.\n", encoding="utf-8")
    run = lint([tmp_path / "README.md", tmp_path / "drafts" / "new.txt", tmp_path / "kept.txt"])
    assert [r.path for r in run.results] == [str(tmp_path / "kept.txt")] and not run.problems


def test_a_batch_is_reported_while_linted_but_near_duplicates_wait_for_the_whole_run(tmp_path):
    """Sent replies come out file by file as they are linted; canned responses, which the
    near-duplicate rule compares across the run, come out only once it has seen them all,
    and then with the finding on the first file too."""
    from replycoach.lint.runner import LintRun, stream_lint

    (tmp_path / "a.txt").write_text(LATE + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(LATE.replace("6 pm", "7 pm") + "\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Sorry about the mug, Ann. A new one leaves today. - Tom\n", encoding="utf-8")

    replies = LintRun()
    stream = stream_lint([str(tmp_path)], LintOptions(), replies)
    first = next(stream)
    assert first.path == str(tmp_path / "a.txt") and len(replies.results) == 1  # nothing else linted yet
    assert [first, *stream] == replies.results and len(replies.results) == 3

    canned = LintRun()
    stream = stream_lint([str(tmp_path)], LintOptions(context=TEMPLATE), canned)
    first = next(stream)
    assert len(canned.results) == 3  # the whole run was linted before the first result came out
    assert [d.rule for d in first.diagnostics].count("near-duplicate") == 1
    assert [first, *stream] == canned.results
    assert run_lint([str(tmp_path)], LintOptions(context=TEMPLATE)).results[0].diagnostics == first.diagnostics
