"""`replycoach lint` on a conversation history (the audit's JSON Lines or CSV): each agent reply
judged with the message it answers, its stage from its position, its timing from the clock;
and the evidence a finding carries (what came closest, lexicon or detector)."""

from __future__ import annotations

import json

from tests.helpers import run_cli

CONVERSATIONS = [
    {"id": "c1", "channel": "twitter", "messages": [
        {"role": "customer", "author": "sam", "at": "2024-05-06T09:00:00Z",
         "text": "@Shop my order 4471 arrived with a cracked screen"},
        {"role": "agent", "author": "Shop", "at": "2024-05-06T09:20:00Z",
         "text": "@sam I'm so sorry the screen arrived cracked! I'll send a new one today. - Nora"},
        {"role": "customer", "author": "sam", "at": "2024-05-06T09:30:00Z",
         "text": "@Shop the new screen is perfect, love it. Thank you!"},
        {"role": "agent", "author": "Shop", "at": "2024-05-06T09:35:00Z", "text": "@sam Any time! - Nora"},
    ]},
    {"id": "c2", "channel": "twitter", "messages": [
        {"role": "customer", "author": "kim", "at": "2024-05-06T09:00:00Z",
         "text": "@Shop where is my parcel, ordered 2 weeks ago"},
        {"role": "agent", "author": "Shop", "at": "2024-05-07T15:00:00Z",
         "text": "@kim We apologize for any inconvenience. Please contact customer service."},
    ]},
]


def _jsonl(tmp_path, rows, newline="\n"):
    path = tmp_path / "history.jsonl"
    path.write_bytes(newline.join(json.dumps(r) for r in rows).encode("utf-8") + newline.encode())
    return path


def _files(result) -> dict[str, dict]:
    return {f["path"].rsplit("#", 1)[1]: f for f in json.loads(result.stdout)["files"]}


def test_each_agent_reply_is_judged_in_its_conversation(tmp_path):
    result = run_cli("lint", "--format", "json", str(_jsonl(tmp_path, CONVERSATIONS)))
    files = _files(result)
    assert set(files) == {"c1:2", "c1:4", "c2:2"}  # conversation and message position
    first, follow_up, late = files["c1:2"], files["c1:4"], files["c2:2"]
    assert first["context"]["stage"] == "first" and follow_up["context"]["stage"] == "follow-up"
    assert first["context"]["channel"] == "twitter"
    assert "stage" not in first["context"]["assumed"] and "kind" in first["context"]["from_message"]
    # a thank-you answered in a follow-up is not a complaint left without an apology
    assert not {d["rule"] for d in follow_up["diagnostics"]} & {"missing-apology", "no-fix"}
    late_rules = {d["rule"] for d in late["diagnostics"]}
    assert "late-reply" in late_rules  # 30 hours after the message, from the timestamps
    assert result.returncode == 1
    assert all(d["line"] == 2 for d in late["diagnostics"])  # the line that holds the conversation


def test_csv_history_works_as_well(tmp_path):
    path = tmp_path / "history.csv"
    rows = ["conversation_id,channel,role,author,at,text"]
    for conv in CONVERSATIONS:
        for m in conv["messages"]:
            text = m["text"].replace('"', '""')
            rows.append(f'{conv["id"]},{conv["channel"]},{m["role"]},{m["author"]},{m["at"]},"{text}"')
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    files = _files(run_cli("lint", "--format", "json", str(path)))
    assert set(files) == {"c1:2", "c1:4", "c2:2"}
    assert "late-reply" in {d["rule"] for d in files["c2:2"]["diagnostics"]}


def test_unreadable_lines_are_reported_and_the_rest_is_linted(tmp_path):
    path = _jsonl(tmp_path, CONVERSATIONS)
    path.write_text(path.read_text() + "{not json\n")
    result = run_cli("lint", "--format", "json", str(path))
    assert result.returncode == 2
    assert len(json.loads(result.stdout)["files"]) == 3
    assert "line 3" in result.stderr and "not valid JSON" in result.stderr


def test_fix_never_rewrites_a_history(tmp_path):
    path = _jsonl(tmp_path, CONVERSATIONS)
    before = path.read_bytes()
    run_cli("lint", "--fix", str(path))
    assert path.read_bytes() == before


def test_an_absence_finding_says_what_came_closest(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("@sam Sorry about that, we'll look into it. - Nora\r\n")
    result = json.loads(run_cli("lint", "--format", "json", str(reply)).stdout)["files"][0]
    no_fix = next(d for d in result["diagnostics"] if d["rule"] == "no-fix")
    assert no_fix["looked_for"] == ["fix", "resolved"]
    assert no_fix["closest"]["signal"] == "vague-promise" and "look into it" in no_fix["closest"]["text"]
    assert "closest: “we'll look into it”" in no_fix["message"]
    vague = next(d for d in result["diagnostics"] if d["rule"] == "vague-promise")
    assert vague["found_by"] == "lexicon" and "score" not in vague
    assert result["checklist_found_by"]["apology"] == {"signal": "apology", "found_by": "lexicon"}
    assert "fix" not in result["checklist_found_by"]
    text = run_cli("lint", str(reply)).stdout
    assert "closest: “we'll look into it”, vague promise" in text
