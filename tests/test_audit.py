"""The audit's figures, checked against a fixture small enough to compute by hand.

tests/fixtures/audit/small.jsonl holds seven conversations that have a customer message:

    conv  channel   first customer message            first reply after   weekday
    c1    twitter   2024-03-04 10:00Z                 5 min               Mon
    c2    twitter   2024-03-05 09:00Z                 10 min              Tue
    c3    facebook  2024-03-09 12:00Z                 30 min              Sat
    c4    email     2024-03-06 08:00+01:00 (07:00Z)   90 min              Wed
    c5    email     2024-03-10 10:00 (no zone)        200 min             Sun
    c6    twitter   2024-03-07 10:00Z                 never               Thu
    c7    twitter   2024-03-08 10:00Z                 never (its only     Fri
                                                      reply has no time)

Answered: 5, 10, 30, 90, 200 minutes. Median 30. Mean 335 / 5 = 67. The 90th
percentile by linear interpolation (type 7): position (5 - 1) * 0.9 = 3.6, so
90 + 0.6 * (200 - 90) = 156. Within target (public 60 min, e-mail 24 h): all five
answered, 5 of 7 conversations. Within the 157-minute reference: 4 of 7.
"""

from __future__ import annotations

import gzip
import itertools
import json
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replycoach.audit.auditor import AuditOptions, run_audit
from replycoach.audit.figures import quantile
from replycoach.conversations.problems import Problems
from replycoach.conversations.reading import read_csv, read_jsonl
from replycoach.core.errors import UserError
from tests.helpers import FIXTURES

SMALL = FIXTURES / "audit" / "small.jsonl"
SMALL_CSV = FIXTURES / "audit" / "small.csv"


@pytest.fixture(scope="module")
def report():
    return run_audit(str(SMALL), AuditOptions(jobs=1))


def test_first_reply_figures_match_the_hand_computation(report):
    first = report["first_reply"]
    assert report["input"]["conversations"] == 8  # c1-c8; c9 has no messages at all
    assert first["conversations"] == 7
    assert first["answered"] == 5
    assert first["never_answered"] == 2
    assert first["median_minutes"] == 30
    assert first["p90_minutes"] == 156
    assert first["mean_minutes"] == 67
    assert first["within_target"] == 5
    assert first["within_target_share"] == round(5 / 7, 4)
    assert first["within_industry_average_share"] == round(4 / 7, 4)


def test_histogram_counts_every_answered_conversation_once_with_the_reference_as_an_edge(report):
    bins = report["first_reply"]["histogram"]
    assert sum(b["count"] for b in bins) == 5
    by_range = {(b["from_minutes"], b["to_minutes"]): b["count"] for b in bins}
    assert by_range[(0, 15)] == 2  # 5 and 10 minutes
    assert by_range[(30, 60)] == 1  # 30 minutes: a bin includes its lower edge
    assert by_range[(60, 120)] == 1
    assert by_range[(157, 240)] == 1  # 200 minutes, past the industry average


def test_loudness_gap_compares_public_and_private(report):
    gap = report["loudness_gap"]
    # public: c1, c2, c3 answered (5, 10, 30), c6 and c7 never
    assert gap["public"] == {"conversations": 5, "median_minutes": 10, "reply_rate": 0.6}
    # private (e-mail): c4 and c5, 90 and 200 minutes
    assert gap["private"] == {"conversations": 2, "median_minutes": 145, "reply_rate": 1.0}
    assert gap["median_difference_minutes"] == 135
    assert gap["reply_rate_difference"] == pytest.approx(-0.4)


def test_channels_and_weekends_split_the_same_conversations(report):
    channels = report["by_channel"]
    assert {k: v["conversations"] for k, v in channels.items()} == {"twitter": 4, "email": 2, "facebook": 1}
    assert channels["twitter"]["median_minutes"] == 7.5  # 5 and 10
    days = report["by_day"]
    # c3 is a Saturday in UTC; c5 a Sunday as written (no zone); c4 is a Wednesday either way
    assert days["weekend"]["conversations"] == 2
    assert days["weekend"]["median_minutes"] == 115  # 30 and 200
    assert days["weekday"]["conversations"] == 5
    assert days["weekday"]["reply_rate"] == 0.6


def test_authors_of_first_replies_and_all_their_replies(report):
    authors = {a["author"]: a for a in report["by_author"]}
    assert authors["Tom"]["first_replies"] == 3  # c1, c2, c4
    assert authors["Tom"]["median_minutes"] == 10  # 5, 10, 90
    assert authors["Ewa"]["first_replies"] == 2  # c3, c5
    assert authors["Ewa"]["replies"] == 3  # plus the follow-up in c2
    assert authors["Tom"]["replies"] == 3  # c7's early message is skipped, c8 has no customer


def test_every_skipped_item_is_counted_with_its_line(report):
    skipped = {s["reason"]: (s["count"], s["first_lines"]) for s in report["skipped"]}
    assert skipped == {
        "bad-json": (1, [7]),
        "not-a-conversation": (1, [10]),
        "missing-timestamp": (1, [8]),
        "unknown-role": (1, [8]),
        "no-messages": (1, [12]),
        "no-customer-message": (1, [11]),
        "agent-before-customer": (1, [8]),
    }
    role = next(s for s in report["skipped"] if s["reason"] == "unknown-role")
    assert role["examples"] == ["'bot'"]
    notes = {n["note"]: n for n in report["notes"]}
    assert notes["naive-timestamp"]["count"] == 2 and notes["naive-timestamp"]["first_lines"] == [5]
    assert "UTC+01:00" in notes["mixed-offsets"]["description"]


def test_replies_are_linted_with_the_playbook(report):
    quality = report["quality"]
    assert quality["agent_replies"] == 6
    assert quality["linted"] == 6
    checklist = {c["name"]: c for c in quality["checklist"]}
    # "I'm so sorry" (c1), "I'm sorry about the trouble" (c2 follow-up), "I'm sorry the invoice" (c4)
    assert checklist["apology"]["count"] == 3
    assert checklist["apology"]["rate"] == 0.5
    rules = {r["rule"]: r for r in quality["rules"]}
    assert rules["missing-apology"]["replies"] == 3
    assert rules["argues-publicly"]["replies"] == 1  # c3: "that's not true, we never ..."
    worst = quality["worst"][0]
    assert (worst["conversation"], worst["line"]) == ("c3", 3)
    assert any(f["rule"] == "argues-publicly" and "not true" in f["match"] for f in worst["findings"])


def test_csv_gives_the_figures_of_the_same_conversations():
    report = run_audit(str(SMALL_CSV), AuditOptions(jobs=1))
    first = report["first_reply"]
    # c1-c6 only: the same five answers, and c6 never answered
    assert (first["conversations"], first["answered"], first["never_answered"]) == (6, 5, 1)
    assert (first["median_minutes"], first["p90_minutes"], first["mean_minutes"]) == (30, 156, 67)
    skipped = {s["reason"]: (s["count"], s["first_lines"]) for s in report["skipped"]}
    # line numbers count physical lines: row 7 spans lines 7-8 (a quoted line break)
    assert skipped == {"missing-conversation-id": (1, [16]), "bad-timestamp": (1, [17])}
    assert report["quality"]["linted"] == 6


def test_csv_rows_of_a_conversation_may_interleave_within_the_window():
    rows = ("conversation_id,role,at,text\n"
            "a,customer,2024-01-01T10:00:00Z,hi\n"
            "b,customer,2024-01-01T10:01:00Z,hi\n"
            "c,customer,2024-01-01T10:02:00Z,hi\n"
            "a,agent,2024-01-01T10:03:00Z,hello\n")
    problems = Problems()
    wide = list(read_csv(rows.splitlines(keepends=True), problems, window=3))
    assert sorted((c.id, len(c.messages)) for c in wide) == [("a", 2), ("b", 1), ("c", 1)]
    assert not problems.skips
    narrow = list(read_csv(rows.splitlines(keepends=True), problems, window=1))
    assert [(c.id, len(c.messages)) for c in narrow] == [("a", 1), ("b", 1), ("c", 1)]
    assert problems.skips["conversation-split"].count == 1
    assert problems.skips["conversation-split"].lines == [5]


def test_csv_without_required_columns_is_an_input_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,who,when\n1,customer,2024-01-01T00:00:00Z\n", encoding="utf-8")
    with pytest.raises(UserError, match="lacks columns conversation_id, role, at, text"):
        run_audit(str(path), AuditOptions(jobs=1))


def test_reading_is_lazy_so_memory_does_not_grow_with_the_file():
    line = json.dumps({"id": "x", "messages": [{"role": "customer", "at": "2024-01-01T00:00:00Z"}]}).encode()
    endless = ((n, line) for n in itertools.count(1))
    first = list(itertools.islice(read_jsonl(endless, Problems()), 3))
    assert len(first) == 3


def test_parallel_workers_and_the_repeat_memo_give_the_serial_figures(tmp_path):
    lines = SMALL.read_text(encoding="utf-8").splitlines()
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as out:
        for copy in range(40):
            for text in lines[:6]:  # the six clean conversations
                conv = json.loads(text)
                conv["id"] = f"{conv['id']}-{copy}"
                out.write(json.dumps(conv) + "\n")
    serial = run_audit(str(big), AuditOptions(jobs=1))
    parallel = run_audit(str(big), AuditOptions(jobs=2))
    assert parallel["run"]["workers"] == 2
    # 6 replies x 40 copies; each distinct reply (same text, same wait) is linted once
    assert serial["quality"]["linted"] == 240
    assert serial["run"]["distinct_replies_linted"] == 6
    assert serial["quality"]["checklist"][0]["count"] == 120
    for report in (serial, parallel):
        report.pop("run")
    assert parallel == serial


def test_gzip_input_is_read_transparently(tmp_path):
    packed = tmp_path / "small.jsonl.gz"
    packed.write_bytes(gzip.compress(SMALL.read_bytes()))
    report = run_audit(str(packed), AuditOptions(jobs=1, lint=False))
    assert report["first_reply"]["median_minutes"] == 30
    assert "quality" not in report


@pytest.mark.parametrize(("content", "message"), [
    ("", "no conversations"),
    ("not json\nstill not\n", "no conversation could be read; e.g. line 1: not valid JSON"),
    ('[{"id": 1, "messages": []}]\n', "JSON array"),
])
def test_unusable_files_are_input_errors(tmp_path, content, message):
    path = tmp_path / "conversations.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match=message):
        run_audit(str(path), AuditOptions(jobs=1))


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        run_audit(str(tmp_path / "nope.jsonl"), AuditOptions(jobs=1))


def test_quantile_is_linear_interpolation_between_ranks():
    assert quantile([1, 2, 3, 4], 0.5) == 2.5
    assert quantile([5, 10, 30, 90, 200], 0.9) == pytest.approx(156)
    assert quantile([7], 0.9) == 7
    assert quantile([], 0.5) is None


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=2, max_size=60))
def test_quantile_agrees_with_the_standard_library(values):
    values.sort()
    assert quantile(values, 0.5) == pytest.approx(statistics.median(values))
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    assert quantile(values, 0.9) == pytest.approx(deciles[8], rel=1e-9, abs=1e-6)


def test_notes_for_what_is_kept_but_worth_knowing(tmp_path):
    path = tmp_path / "notes.jsonl"
    rows = [
        {"id": "a", "channel": "Trustpilot", "messages": [
            {"role": "Customer", "author": "x", "at": "2024-01-01T10:00:00Z", "text": "late"},
            {"role": "agent", "author": "", "at": "2024-01-01T10:30:00Z"}]},
        {"id": "b", "messages": [
            {"role": "customer", "author": "y", "at": "2024-01-02T10:00:00Z", "text": "broken"},
            {"role": "agent", "author": "Ann", "at": "2024-01-02T11:00:00Z",
             "text": "Sorry! I'll send a new one today. Ann"}]},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = run_audit(str(path), AuditOptions(jobs=1))
    notes = {n["note"]: (n["count"], n["first_lines"]) for n in report["notes"]}
    assert notes["unknown-channel"] == (1, [1])
    assert notes["missing-channel"] == (1, [2])
    assert notes["missing-author"] == (1, [1])
    assert notes["missing-text"] == (1, [1])
    assert report["first_reply"]["answered"] == 2  # a reply without text still answers
    assert report["quality"]["linted"] == 1 and report["quality"]["not_linted"] == 1
    assert set(report["by_visibility"]) == {"unknown"}


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    | st.sampled_from(["customer", "agent", "2024-01-01T10:00:00Z", "2024-01-01T10:00", "twitter", "email"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "channel", "messages", "role", "author", "at", "text"]), inner,
                      max_size=6),
    max_leaves=20,
)


@settings(deadline=None, max_examples=80)  # the first example loads and validates the playbook
@given(st.lists(JSONISH | st.text(max_size=30), min_size=1, max_size=8))
def test_any_jsonl_gives_a_report_or_one_input_error(lines):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.jsonl"
        path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
                        encoding="utf-8")
        try:
            report = run_audit(str(path), AuditOptions(jobs=1, lint=False))
        except UserError:
            return
    first = report["first_reply"]
    assert first["answered"] + first["never_answered"] == first["conversations"]
    assert report["input"]["conversations"] >= first["conversations"]


CELL = st.sampled_from(["c1", "c2", "", "customer", "agent", "bot", "2024-01-01T10:00:00Z", "2024-01-01T09:00:00+02:00",
                        "soon", "twitter", "email", '"', "a,b", "line\nbreak"]) | st.text(max_size=8)


@settings(deadline=None, max_examples=80)
@given(st.lists(st.lists(CELL, min_size=0, max_size=8), max_size=8))
def test_any_csv_gives_a_report_or_one_input_error(rows):
    import csv
    import io
    import tempfile
    from pathlib import Path

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["conversation_id", "channel", "role", "author", "at", "text"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        try:
            report = run_audit(str(path), AuditOptions(jobs=1, lint=False))
        except UserError:
            return
    first = report["first_reply"]
    assert first["answered"] + first["never_answered"] == first["conversations"]
