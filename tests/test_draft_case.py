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


# --- impossible dates, deep nesting, typos ------------------------------------------------------


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("case.yaml", "channel: twitter\ncomplaint: {text: late, received_at: 2024-02-30T00:00:00Z}\n",
     "complaint.received_at: '2024-02-30T00:00:00Z' is not a real date and time: day is out of range for month"),
    ("case.yaml", "channel: twitter\ncomplaint:\n  text: late\n  received_at: 2024-02-10T25:00:00Z\n",
     "complaint.received_at: '2024-02-10T25:00:00Z' is not a real date and time: hour must be in 0..23"),
    ("case.yaml", "channel: twitter\ncomplaint: {text: late}\nnow: 2024-02-30 10:00:00\n",
     "now: '2024-02-30 10:00:00' is not a real date and time: day is out of range for month"),
    ("case.yaml", "channel: twitter\ncomplaint: {text: late}\nresolution: {action: I'll fix it, eta: 2024-13-01}\n",
     "resolution.eta: '2024-13-01' is not a real date: month must be in 1..12"),
    ("case.json", '{"channel": "twitter", "complaint": {"text": "late", "received_at": "2024-02-30T00:00:00Z"}}',
     "complaint.received_at: '2024-02-30T00:00:00Z' is not a real date and time: day is out of range for month"),
    ("case.json", '{"channel": "twitter", "complaint": {"text": "late", "received_at": "2024-02-10T25:00:00Z"}}',
     "complaint.received_at: '2024-02-10T25:00:00Z' is not a real date and time: hour must be in 0..23"),
    ("case.json", '{"channel": "twitter", "complaint": {"text": "late"}, "now": "2023-02-29T08:00:00Z"}',
     "now: '2023-02-29T08:00:00Z' is not a real date and time: day is out of range for month"),
    ("case.json", '{"channel": "twitter", "complaint": {"text": "x"}, '
                  '"resolution": {"action": "a", "eta": "2024-02-30"}}',
     "resolution.eta: '2024-02-30' is not a real date: day is out of range for month"),
])
def test_an_impossible_date_names_the_file_the_key_and_the_value(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_case(str(path))
    assert str(info.value).startswith(f"{path}: {expected}"), str(info.value)
    assert "\n" not in str(info.value)


def test_an_impossible_yaml_date_also_says_where_in_the_file(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("channel: twitter\ncomplaint:\n  text: late\n  received_at: 2024-02-30T00:00:00Z\n")
    with pytest.raises(UserError, match=r"\(line 4, column 16\)$"):
        load_case(str(path))


def _deep_json(depth: int, inner: str = "") -> str:
    return "[" * depth + inner + "]" * depth


@pytest.mark.parametrize(("name", "text"), [
    ("deep.json", '{"channel": "twitter", "complaint": {"text": ' + _deep_json(1_000) + "}}"),
    ("deep.json", '{"channel": "twitter", "complaint": {"text": ' + _deep_json(100_000) + "}}"),
    ("deep.json", '{"channel": "twitter", "complaint": {"text": "x"}, "_note": ' + _deep_json(300) + "}"),
    ("deep.json", '{"channel": "twitter", "complaint": {"text": "x"}, "issue": ' + '{"a": ' * 500 + "1" + "}" * 501),
    ("deep.yaml", "channel: twitter\ncomplaint:\n  text: " + _deep_json(1_000) + "\n"),
    ("deep.yaml", "channel: twitter\ncomplaint:\n  text: x\nissue:\n"
     + "".join(" " * i + "a:\n" for i in range(1, 1_000)) + " " * 1_000 + "b: 1\n"),
    ("deep.yaml", "channel: twitter\ncomplaint:\n  text: x\nissue:\n"
     + "".join("  " * i + "a:\n" for i in range(1, 300)) + "  " * 300 + "b: 1\n"),
    ("deep.yaml", "channel: twitter\ncomplaint: {text: x}\n_note: " + _deep_json(200) + "\n"),
])
def test_a_deeply_nested_case_is_an_input_error_not_a_crash(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_case(str(path))
    assert str(info.value).startswith(f"{path}: "), str(info.value)
    message = str(info.value).removeprefix(f"{path}: ")
    assert "nested" in message or "nesting depth" in message, message
    assert "\n" not in message


def test_a_yaml_alias_inside_itself_is_an_input_error(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("channel: twitter\ncomplaint: &c {text: late, more: *c}\n")
    with pytest.raises(UserError, match=r"complaint\.more: refers to itself"):
        load_case(str(path))


def test_shared_yaml_aliases_are_checked_without_walking_every_copy(tmp_path):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "case.yaml"
    path.write_text("\n".join(["channel: twitter", "complaint: {text: late}", "laughs:", "  " + "\n  ".join(lines),
                               ""]))
    with pytest.raises(UserError, match="expands to more than 1,000,000 values through its aliases"):
        load_case(str(path))


def test_deep_nesting_from_the_command_line_data_is_caught_too():
    data = {"channel": "twitter", "complaint": {"text": "x"}, "issue": {"summary": json.loads(_deep_json(50))}}
    assert problem(data).startswith("case.yaml: issue.summary")
    assert "nested more than" in problem(data)


TYPOS = [
    ({"chanel": "twitter", "complaint": {"text": "late"}}, "chanel", "channel"),
    ({"channel": "twitter", "complant": {"text": "late"}}, "complant", "complaint"),
    ({**GOOD, "agent": {"nmae": "Tom"}}, "agent.nmae", "name"),
    ({**GOOD, "resolution": {"acton": "I'll send it"}}, "resolution.acton", "action"),
    ({**GOOD, "compensation": {"ofer": "10% off"}}, "compensation.ofer", "offer"),
    ({"channel": "twitter", "complaint": {"txt": "late"}}, "complaint.txt", "text"),
    ({**GOOD, "private_channel": {"knd": "dm"}}, "private_channel.knd", "kind"),
    ({**GOOD, "customer": {"name[0]": "A"}}, "customer.name[0]", "name"),
]


@pytest.mark.parametrize(("data", "field", "meant"), TYPOS)
def test_an_unknown_key_close_to_a_known_one_is_named_as_a_typo_at_every_level(data, field, meant):
    assert problem(data) == f"case.yaml: {field}: unknown field (did you mean `{meant}`?)"


@pytest.mark.parametrize("key", ["date", "str", "function-before", "x[1]"])
def test_an_unknown_key_is_named_whatever_it_looks_like(key):
    assert problem({**GOOD, key: 1}).startswith(f"case.yaml: {key}: unknown field (expected one of: channel, ")


def test_deep_yaml_is_an_input_error_with_the_pure_python_loader_too(tmp_path, monkeypatch):
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)  # a machine without libyaml
    path = tmp_path / "case.yaml"
    path.write_text("channel: twitter\ncomplaint:\n  text: " + _deep_json(1_000) + "\n")
    with pytest.raises(UserError, match="nested too deeply"):
        load_case(str(path))
    path.write_text("channel: twitter\ncomplaint: {text: late, received_at: 2024-02-30T00:00:00Z}\n")
    with pytest.raises(UserError, match=r"complaint\.received_at: '2024-02-30T00:00:00Z' is not a real date"):
        load_case(str(path))
