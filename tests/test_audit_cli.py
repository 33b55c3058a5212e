"""`replycoach audit` as a user runs it: exit codes, formats, the HTML report, bad input."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import FIXTURES, run_cli

SMALL = FIXTURES / "audit" / "small.jsonl"


def test_text_summary_reports_the_figures_and_exits_zero_despite_skipped_rows():
    result = run_cli("audit", str(SMALL), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"median\s+30 min", out)
    assert re.search(r"90th percentile\s+2 h 36 min", out)  # 156 minutes
    assert re.search(r"never answered\s+2 ", out)
    assert "Private complaints wait 2 h 15 min longer" in out
    assert "not valid JSON  (line 7)" in out
    assert "\x1b[" not in out
    assert "Traceback" not in result.stderr


def test_json_has_every_figure_and_nothing_else_on_stdout():
    result = run_cli("audit", str(SMALL), "--format", "json", "--jobs", "1")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["first_reply"]["p90_minutes"] == 156
    assert set(report) >= {"input", "settings", "first_reply", "loudness_gap", "by_visibility", "by_channel",
                           "by_day", "by_author", "quality", "skipped", "notes"}
    assert report["settings"]["industry_average_minutes"] == 157


def test_no_lint_reports_timing_only():
    result = run_cli("audit", str(SMALL), "--format", "json", "--no-lint")
    assert result.returncode == 0
    assert "quality" not in json.loads(result.stdout)


def test_html_report_is_one_self_contained_file(tmp_path):
    html = tmp_path / "report.html"
    result = run_cli("audit", str(SMALL), "--html", str(html), "--jobs", "1")
    assert result.returncode == 0
    assert f"HTML report written to {html}" in result.stderr
    page = html.read_text(encoding="utf-8")
    assert page.count("<svg") == 3  # first-reply histogram, loudness gap, checklist
    assert "target 60 min" in page and "industry average 157 min" in page
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=|@import|url\(""", page)
    # the only URL is the SVG namespace name, which is never fetched
    assert set(re.findall(r"https?://[^\s\"'<]+", page)) == {"http://www.w3.org/2000/svg"}


def test_html_escapes_everything_users_wrote(tmp_path):
    hostile = tmp_path / "hostile.jsonl"
    conv = {"id": "<i>id</i>", "channel": "twitter", "messages": [
        {"role": "customer", "author": "x", "at": "2024-01-01T10:00:00Z", "text": "help"},
        {"role": "agent", "author": "<b>agent</b>", "at": "2024-01-01T11:00:00Z",
         "text": "<script>alert(1)</script> that's not true, you should have read the terms"},
    ]}
    hostile.write_text(json.dumps(conv) + "\n", encoding="utf-8")
    html = tmp_path / "report.html"
    result = run_cli("audit", str(hostile), "--html", str(html))
    assert result.returncode == 0, result.stderr
    page = html.read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>agent</b>" not in page and "<i>id</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;agent&lt;/b&gt;" in page


def test_the_input_file_is_never_modified(tmp_path):
    before = SMALL.read_bytes()
    result = run_cli("audit", str(SMALL), "--html", str(SMALL))
    assert result.returncode == 2
    assert "would overwrite the input file" in result.stderr
    assert SMALL.read_bytes() == before


@pytest.mark.parametrize(("make", "expected"), [
    (lambda d: d / "missing.jsonl", "no such file"),
    (lambda d: d, "is a directory"),
])
def test_missing_or_unreadable_input_is_one_line_and_exit_two(tmp_path, make, expected):
    result = run_cli("audit", str(make(tmp_path)))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and lines[0].startswith("replycoach: ")


def test_garbage_is_one_line_and_exit_two(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("shopping list\neggs\n", encoding="utf-8")
    result = run_cli("audit", str(path))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "CSV header lacks columns" in result.stderr and "Traceback" not in result.stderr


def test_unknown_language_is_an_option_error():
    result = run_cli("audit", str(SMALL), "--lang", "xx")
    assert result.returncode == 2
    assert "no playbook lexicon" in result.stderr


def test_csv_from_stdin():
    data = (FIXTURES / "audit" / "small.csv").read_bytes()
    result = run_cli("audit", "-", "--input-format", "csv", "--format", "json", "--no-lint", input=data)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["first_reply"]["median_minutes"] == 30
