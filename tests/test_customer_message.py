"""The customer's message a reply answers (`--in-reply-to`, front matter `in_reply_to`) and
`replycoach triage`: what the message is decides which "something is missing" rules apply.

These tests are about the plumbing, so their messages are ones the classifier reads with
confidence; how often it reads messages right is measured by `bench/quality.py`."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run_cli

REPLY = "Hi Sam, glad you like it! We'll pass it on to the team. - Nora\n"


def _rules(result) -> set[str]:
    return {d["rule"] for f in json.loads(result.stdout)["files"] for d in f["diagnostics"]}


def test_praise_needs_no_apology_once_the_message_is_known(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text(REPLY)
    message = tmp_path / "message.txt"
    message.write_text("Love your Leeds store, the staff were so helpful today. Thank you!\n")
    alone = run_cli("lint", "--format", "json", str(reply))
    assert "missing-apology" in _rules(alone)  # a reply alone is assumed to answer a complaint
    answered = run_cli("lint", "--format", "json", "--in-reply-to", str(message), str(reply))
    assert answered.returncode == 0, answered.stdout
    assert "missing-apology" not in _rules(answered)
    context = json.loads(answered.stdout)["files"][0]["context"]
    assert context["kind"] == "praise" and "kind" in context["from_message"]
    assert "kind" not in context["assumed"]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_message_in_front_matter_works_in_a_real_file(tmp_path, newline):
    text = ("---\nin_reply_to: |\n  Love your Leeds store, the staff were so helpful today. Thank you!\n"
            "---\n" + REPLY)
    path = tmp_path / "reply.txt"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    result = run_cli("lint", "--format", "json", str(path))
    assert "missing-apology" not in _rules(result)
    assert json.loads(result.stdout)["files"][0]["context"]["kind"] == "praise"


def test_what_the_user_says_beats_what_the_message_suggests(tmp_path):
    message = tmp_path / "message.txt"
    message.write_text("Love your Leeds store, the staff were so helpful today. Thank you!\n")
    reply = tmp_path / "reply.txt"
    reply.write_text(REPLY)
    result = run_cli("lint", "--format", "json", "--kind", "complaint", "--in-reply-to", str(message), str(reply))
    context = json.loads(result.stdout)["files"][0]["context"]
    assert context["kind"] == "complaint" and "kind" not in context["from_message"]
    assert "missing-apology" in _rules(result)


def test_the_message_can_come_from_stdin(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text(REPLY)
    result = run_cli("lint", "--format", "json", "--in-reply-to", "-", str(reply),
                     input="Love your Leeds store, the staff were so helpful today. Thank you!\n")
    assert json.loads(result.stdout)["files"][0]["context"]["kind"] == "praise"


def test_an_unreadable_message_is_one_clear_line(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text(REPLY)
    result = run_cli("lint", "--in-reply-to", str(tmp_path / "missing.txt"), str(reply))
    assert result.returncode == 2
    assert "missing.txt" in result.stderr and "Traceback" not in result.stderr
    both = run_cli("lint", "--in-reply-to", "-", "-", input="hello")
    assert both.returncode == 2 and "stdin" in both.stderr


def test_a_finding_that_rests_on_an_assumed_kind_is_at_most_a_warning(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Thanks for getting in touch. - Nora\n")
    alone = json.loads(run_cli("lint", "--format", "json", str(reply)).stdout)["files"][0]
    missing = next(d for d in alone["diagnostics"] if d["rule"] == "missing-apology")
    assert missing["severity"] == "warning"
    message = tmp_path / "message.txt"
    message.write_text("My order 4471 arrived with a cracked screen and nobody answers my e-mails.\n")
    told = json.loads(run_cli("lint", "--format", "json", "--in-reply-to", str(message), str(reply)).stdout)
    missing = next(d for d in told["files"][0]["diagnostics"] if d["rule"] == "missing-apology")
    assert told["files"][0]["context"]["kind"] == "complaint"
    assert missing["severity"] == "warning"  # read from the message, not stated: still not an error


@pytest.mark.parametrize(("lang", "text", "situation"), [
    ("en", "You morons lost my parcel AGAIN. Refund by Friday or I go to the press.", "hostile"),
    ("en", "Do you have the blue one in size 10?", "question"),
    ("pl", "Czy wysyłacie też do Czech? Nie widzę tego na stronie.", "question"),
    ("bg", "Правителството ни краде, събудете се!", "off-topic"),
    ("en", "Still no parcel. Email me at jane.doe@example.org", "personal-data-exposed"),
])
def test_triage_names_the_situation_and_the_language(tmp_path, lang, text, situation):
    path = tmp_path / "message.txt"
    path.write_text(text + "\n")
    result = run_cli("triage", "--format", "json", str(path))
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout)["messages"][0]
    assert (entry["language"], entry["situation"]) == (lang, situation), entry["reasons"]
    assert entry["reply"] == (situation != "off-topic")


def test_triage_text_says_why_and_what_to_do(tmp_path):
    path = tmp_path / "message.txt"
    path.write_text("The government is ruining this country, wake up people!\n")
    result = run_cli("triage", str(path))
    assert result.returncode == 0
    assert "off-topic" in result.stdout and "government" in result.stdout
    assert "no reply recommended" in result.stdout


def test_triage_reports_the_readable_messages_and_fails_on_the_rest(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Where is my refund for order 8812? It has been three weeks.\n")
    result = run_cli("triage", "--format", "json", str(good), str(tmp_path / "gone.txt"))
    assert result.returncode == 2
    assert [m["path"] for m in json.loads(result.stdout)["messages"]] == [str(good)]
    assert "gone.txt" in result.stderr


def test_triage_refuses_a_language_the_playbook_lacks(tmp_path):
    path = tmp_path / "m.txt"
    path.write_text("Hallo\n")
    result = run_cli("triage", "--lang", "de", str(path))
    assert result.returncode == 2 and "de" in result.stderr
