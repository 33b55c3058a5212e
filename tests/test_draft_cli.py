"""`replycoach draft` as a user runs it: streams, formats, exit codes, bad input, user templates."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from replycoach.cli.app import whole_app

from .helpers import FIXTURES, run_cli, run_cli_process

CASES = FIXTURES / "draft"
LATE = str(CASES / "late-twitter.yaml")


def draft(*args: str, env: dict | None = None):
    return CliRunner().invoke(whole_app(), ["draft", *args], env=env)


def test_text_mode_prints_the_reply_alone_on_stdout_and_coaching_on_stderr():
    result = draft("--case", LATE)
    assert result.exit_code == 0, result.stderr
    reply = result.stdout.strip()
    assert reply.startswith("@anna_k") and "Anna" in reply and reply.endswith("Tom")
    assert "situation" not in result.stdout and "checklist" not in result.stdout
    assert "situation  complaint" in result.stderr
    assert "late" in result.stderr and "3 h 30 min since the complaint, target 60 min" in result.stderr
    assert "\x1b[" not in result.stderr  # not a terminal: plain text


def test_the_public_reply_never_contains_the_customers_personal_data():
    reply = draft("--case", LATE).stdout
    for secret in ("48213", "anna.nowak@example.org", "7700"):
        assert secret not in reply


def test_json_mode_has_the_documented_shape_and_the_same_reply():
    result = draft("--case", LATE, "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert {"situation", "reasons", "language", "reply", "timing", "checklist", "diagnostics"} <= set(report)
    assert {"received_at", "minutes_waiting", "target_minutes", "late"} <= set(report["timing"])
    assert report["timing"]["minutes_waiting"] == 210 and report["timing"]["late"] is True
    assert report["situation"] == "complaint" and report["language"] == "en"
    assert report["reply"] == draft("--case", LATE).stdout.strip()
    assert not [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert report["checklist"]["apology"] and report["checklist"]["private_channel"]


def test_a_late_reply_thanks_the_customer_for_waiting():
    reply = json.loads(draft("--case", LATE, "--format", "json").stdout)["reply"].lower()
    assert "waiting" in reply or "patience" in reply


def test_the_same_case_drafts_the_same_reply_in_separate_processes():
    first, second = run_cli_process("draft", "--case", LATE), run_cli_process("draft", "--case", LATE)
    assert first.returncode == 0 and first.stdout == second.stdout and first.stdout.strip()


def test_quick_mode_drafts_without_a_file():
    result = draft("--complaint", "My parcel never arrived and nobody answers the phone", "--channel", "twitter",
                   "--agent", "Kim", "--now", "2024-05-06T10:00:00Z")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("Kim")
    assert "situation  complaint" in result.stderr
    assert "resolution: missing" in result.stderr


def test_the_agent_can_come_from_the_environment():
    result = draft("--complaint", "My parcel never arrived", "--channel", "facebook",
                   env={"REPLYCOACH_AGENT": "Priya"})
    assert result.stdout.strip().endswith("Priya")


def test_off_topic_posts_get_no_reply_and_an_explanation():
    result = draft("--complaint", "The government is ruining this country, wake up people!", "--channel", "facebook")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "off-topic" in result.stderr and "not recommended" in result.stderr


@pytest.mark.parametrize(("args", "expected"), [
    (["--case", str(CASES / "nope.yaml")], f"replycoach: {CASES / 'nope.yaml'}: case file not found"),
    (["--case", str(CASES / "broken.json")], f"replycoach: {CASES / 'broken.json'}: invalid JSON"),
    (["--case", LATE, "--lang", "xx"], "replycoach: command line: language: expected one of"),
    (["--case", LATE, "--channel", "x"], "replycoach: command line: --channel: only with --complaint"),
    (["--complaint", "late"], "replycoach: command line: --channel: required with --complaint"),
    (["--complaint", "late", "--channel", "myspace"], "replycoach: command line: channel: expected one of"),
    ([], "replycoach: command line: give --case FILE"),
])
def test_bad_input_is_one_line_and_exit_2(args, expected):
    result = draft(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(expected), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_field_error_in_a_case_file_names_file_and_field(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("channel: twitter\ncomplaint: {text: late}\ncompensation: {offer: 20}\n")
    result = draft("--case", str(case))
    assert result.exit_code == 2
    assert result.stderr == f"replycoach: {case}: compensation.offer: expected text, got a number (20)\n"


@pytest.mark.parametrize(("source", "expected"), [
    ("{{ ''.__class__.__mro__ }}", "stopped by the sandbox"),
    ("{% include '/etc/passwd' %}", "outside the template folder"),
    ("{{ customer.shoe_size }}", "uses an undefined variable"),
])
def test_user_templates_that_misbehave_are_reported_in_one_line(tmp_path, source, expected):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "complaint.j2").write_text(source)
    result = draft("--case", LATE, "--templates", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"replycoach: {tmp_path / 'en' / 'complaint.j2'}")
    assert expected in result.stderr and result.stderr.count("\n") == 1
    assert "root:" not in result.stderr


def test_a_user_template_that_loops_forever_is_stopped():
    result = run_cli("draft", "--case", LATE, "--templates", str(CASES / "looping-templates"))
    assert result.returncode == 2
    assert "takes too long" in result.stderr and result.stdout == ""


def test_user_templates_replace_built_in_ones_and_can_reuse_their_parts(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "complaint.j2").write_text(
        '{% import "parts.j2" as p with context %}{% call p.layout() %}'
        "{{ p.apology() }} Our own words. {{ p.fix() }} {{ p.private() }}{% endcall %}")
    result = draft("--case", LATE, "--templates", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "Our own words." in result.stdout and result.stdout.strip().endswith("Tom")


def test_a_draft_the_case_makes_wrong_exits_1_and_says_why(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("channel: twitter\ncomplaint: {text: My parcel is late}\nagent: {name: Tom}\n"
                    "issue: {summary: your parcel is late}\n"
                    "resolution: {action: \"As stated in our terms, you should have paid for express\"}\n")
    result = draft("--case", str(case))
    assert result.exit_code == 1
    assert "blames-customer" in result.stderr


def test_colour_only_on_a_terminal_and_never_with_no_color():
    coloured = draft("--case", LATE, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in coloured.stderr and "replycoach draft · complaint" in coloured.stderr
    assert "\x1b[" not in coloured.stdout
    plain = draft("--case", LATE, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain.stderr


NAMESPACE_DOUBLING = ("{% set ns = namespace(x=['a']) %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}"
                      "{% endfor %}{{ ns.x|length }}")


@pytest.mark.parametrize("source", [
    '{{ "{0:3000000000}".format(1) }}',
    '{{ "%(a)3000000000d" % {"a": 1} }}',
    NAMESPACE_DOUBLING,
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
])
def test_a_user_template_that_breaks_a_size_cap_is_one_line_and_exit_2(tmp_path, source):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "complaint.j2").write_text(source)
    result = draft("--case", LATE, "--templates", str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"replycoach: {tmp_path / 'en' / 'complaint.j2'}")
    assert "stopped by the sandbox" in result.stderr and "is not allowed in a reply template" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("source", ['{{ "{0:3000000000}".format(1) }}', NAMESPACE_DOUBLING])
def test_a_memory_hungry_template_is_stopped_within_a_small_memory_limit(tmp_path, source):
    """The two templates of the bug report took 2.9 GB and 1.5 GB; a draft must stay under 1 GB."""
    import os
    import subprocess
    import sys

    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "complaint.j2").write_text(source)
    script = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
              "from replycoach.cli import run; sys.exit(run(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", script, "draft", "--case", LATE, "--templates", str(tmp_path)],
                            capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"replycoach: {tmp_path / 'en' / 'complaint.j2'}")
    assert "stopped by the sandbox" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(("flag", "expected"), [
    ("2024-02-30T00:00:00Z", "now: '2024-02-30T00:00:00Z' is not a real date and time: day is out of range for month"),
    ("2024-02-10T25:00:00Z", "now: '2024-02-10T25:00:00Z' is not a real date and time: hour must be in 0..23"),
])
def test_an_impossible_now_flag_is_a_clear_input_error(flag, expected):
    result = draft("--case", LATE, "--now", flag)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"replycoach: command line: {expected}\n"


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("case.yaml", "channel: twitter\ncomplaint: {text: late, received_at: 2024-02-30T00:00:00Z}\n",
     "complaint.received_at: '2024-02-30T00:00:00Z' is not a real date and time: day is out of range for month"),
    ("case.yaml", "channel: twitter\ncomplaint: {text: late}\nnow: 2024-02-10T25:00:00Z\n",
     "now: '2024-02-10T25:00:00Z' is not a real date and time: hour must be in 0..23"),
    ("case.json", '{"channel": "twitter", "complaint": {"text": "late", "received_at": "2024-02-30T00:00:00Z"}}',
     "complaint.received_at: '2024-02-30T00:00:00Z' is not a real date and time: day is out of range for month"),
    ("case.json", '{"channel": "twitter", "complaint": {"text": ' + "[" * 1000 + "]" * 1000 + "}}", "nested"),
    ("case.yaml", "channel: twitter\ncomplaint:\n  text: " + "[" * 1000 + "]" * 1000 + "\n", "nesting depth"),
    ("case.yaml", "chanel: twitter\ncomplaint: {text: late}\n", "chanel: unknown field (did you mean `channel`?)"),
])
def test_bad_case_files_are_one_line_naming_file_and_key_and_exit_2(tmp_path, name, text, expected):
    case = tmp_path / name
    case.write_text(text, encoding="utf-8")
    result = draft("--case", str(case))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"replycoach: {case}: ")
    assert expected in result.stderr.removeprefix(f"replycoach: {case}: ")
    assert result.stderr.count("\n") == 1 and "internal error" not in result.stderr
