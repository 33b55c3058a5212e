"""The case file: what a user gets back when it is wrong (one line naming file and field)."""

from __future__ import annotations

import json

import pytest

from replycoach.core.errors import UserError
from replycoach.draft.case import load_case, validate_case

from .helpers import FIXTURES

GOOD = {"channel": "twitter", "complaint": {"text": "My parcel is late."}}


def problem(data) -> str:
    with pytest.raises(UserError) as info:
        validate_case(data, "case.yaml")
    return str(info.value)


@pytest.mark.parametrize(("data", "expected"), [
    ({}, "case.yaml: channel: required"),
    ({"channel": "myspace", "complaint": {"text": "x"}}, "case.yaml: channel: expected one of "),
    ({"channel": "twitter"}, "case.yaml: complaint.text: required unless kind is outage"),
    ({"channel": "twitter", "complaint": "late!"}, "case.yaml: complaint: expected a mapping (text, received_at)"),
    ({"channel": "twitter", "complaint": {"text": 5}}, "case.yaml: complaint.text: expected text, got a number"),
    ({**GOOD, "complaint": {"text": "x", "received_at": "yesterday"}},
     "case.yaml: complaint.received_at: expected an ISO-8601 time"),
    ({**GOOD, "chanel": "x"}, "case.yaml: chanel: unknown field (did you mean `channel`?)"),
    ({**GOOD, "customer": {"nmae": "Anna"}}, "case.yaml: customer.nmae: unknown field (did you mean `name`?)"),
    ({**GOOD, "language": "german"}, "case.yaml: language: expected a language code"),
    ({**GOOD, "fault": "theirs"}, "case.yaml: fault: expected one of company, customer, third_party, unknown"),
    ({**GOOD, "agent": {}}, "case.yaml: agent.name: required"),
    ({**GOOD, "resolution": {"eta": "tomorrow"}}, "case.yaml: resolution.action: required"),
    ({**GOOD, "private_channel": {"kind": "pigeon"}}, "case.yaml: private_channel.kind: expected one of dm, email"),
    ({**GOOD, "customer": {"handle": "anna k"}}, "case.yaml: customer.handle: expected a handle"),
    ({**GOOD, "now": "2024-05-01T10:00:00Z", "complaint": {"text": "x", "received_at": "2024-05-02T10:00:00Z"}},
     "case.yaml: complaint.received_at: is later than now"),
    ([1, 2], "case.yaml: expected a mapping of case fields"),
])
def test_a_bad_case_is_one_line_naming_the_field(data, expected):
    message = problem(data)
    assert message.startswith(expected), message
    assert "\n" not in message and "Traceback" not in message


def test_outage_needs_no_complaint_text_and_yaml_numbers_become_text():
    case = validate_case({"channel": "email", "kind": "outage", "issue": {"order_id": 48213}}, "c")
    assert case.kind == "outage" and case.issue.order_id == "48213"


def test_underscore_keys_are_comments_in_json():
    assert validate_case({**GOOD, "_comment": "a note for colleagues"}, "c").channel == "twitter"


def test_values_are_forgiving_about_case_and_blank_strings():
    case = validate_case({"channel": "Twitter", "fault": "Third-Party", "customer": {"name": "  "},
                          "complaint": {"text": " late "}}, "c")
    assert (case.channel, case.fault, case.customer.name, case.complaint.text) == ("twitter", "third_party", None,
                                                                                   "late")
    assert case.public


def test_visibility_follows_the_channel_unless_the_case_says_otherwise():
    assert not validate_case({"channel": "email", "complaint": {"text": "x"}}, "c").public
    assert validate_case({"channel": "facebook", "complaint": {"text": "x"}}, "c").public
    assert not validate_case({"channel": "facebook", "visibility": "private", "complaint": {"text": "x"}}, "c").public


def test_files_json_and_yaml_load(tmp_path):
    assert load_case(str(FIXTURES / "draft" / "late-twitter.yaml")).customer.first_name == "Anna"
    assert load_case(str(FIXTURES / "draft" / "plain-email.json")).agent.first_name == "Sam"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    assert load_case(str(path)).channel == "twitter"


@pytest.mark.parametrize(("name", "expected"), [
    ("broken.json", "broken.json: invalid JSON (line 1, column"),
    ("broken.yaml", "broken.yaml: invalid YAML"),
    ("missing.yaml", "missing.yaml: case file not found"),
])
def test_unreadable_files_name_the_file(name, expected):
    with pytest.raises(UserError) as info:
        load_case(str(FIXTURES / "draft" / name))
    assert str(info.value).startswith(str(FIXTURES / "draft" / expected))


def test_empty_binary_and_directory_inputs(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    binary = tmp_path / "case.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    for path, expected in ((empty, "is empty"), (binary, "not UTF-8"), (tmp_path, "is a directory")):
        with pytest.raises(UserError, match=expected):
            load_case(str(path))
