"""Reports are written file by file, and say exactly what one rendering of the whole report says."""

from __future__ import annotations

import io
import json

from replycoach import __version__
from replycoach.cli.console import print_lines
from replycoach.lint.engine import lint_text
from replycoach.lint.formatters import json as json_report
from replycoach.lint.formatters import summary
from replycoach.lint.formatters import text as text_report

TEXTS = [
    ("a.txt", "We're sorry! DM us your \"order\" number\nand we'll sort it. ^JK", {"channel": "twitter"}),
    ("b.txt", "Przepraszamy za kłopot — napisz do nas na priv.", {"received_at": "2024-05-01T10:00:00Z",
                                                               "sent_at": "2024-05-01T12:30:30Z"}),
    ("c.txt", "СЪЖАЛЯВАМЕ!!! Пишете ни на лично съобщение. \t\\ tab and backslash", {}),
]


def results():
    return [lint_text(text, context=ctx, path=path) for path, text, ctx in TEXTS]


def whole_report(found, problems):
    return json.dumps({
        "version": __version__,
        "files": [json_report.file_dict(r) for r in found],
        "problems": [{"path": p.where, "message": p.message} for p in problems],
        "summary": {**summary(found), "problems": len(problems)},
    }, ensure_ascii=False, indent=2)


class Problem:
    where, message = "x.bin", "binary file, not a text reply"


def test_streamed_json_is_the_same_text_as_one_dump_of_the_report():
    found = results()
    assert any(isinstance(r.context.to_dict().get("minutes_waiting"), float) for r in found)
    for subset, problems in [(found, []), (found[:1], [Problem()]), ([], []), ([], [Problem()])]:
        assert "".join(json_report.iter_json(subset, problems)) == whole_report(subset, problems)
        json.loads(json_report.format_json(subset, problems))


def test_text_report_lines_come_one_file_at_a_time():
    found = results()
    lines = text_report.iter_text(found, [])
    first = next(lines)
    assert first[0][0] == "a.txt"  # rendered before the other files were looked at
    assert [first, *lines] == text_report.format_text(found, [])


def test_print_lines_takes_a_generator_and_prints_every_line(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    print_lines(([("line ", ""), (str(i), "bold")] for i in range(1500)), out)
    assert out.getvalue().splitlines() == [f"line {i}" for i in range(1500)]


def test_a_streamed_run_keeps_counts_not_results(tmp_path):
    """A streamed report holds no file's result once it is printed (the parent kept every one:
    ~2.3 KB a file, over 2 GB for a million files); its summary and exit status come from the
    tally, which must equal what the kept results say."""
    from replycoach.lint.runner import LintOptions, LintRun, run_lint, stream_lint

    for i in range(40):
        (tmp_path / f"r{i}.txt").write_text(TEXTS[i % 3][1] + "\n", encoding="utf-8")
    (tmp_path / "canned.yaml").write_text(  # near-duplicates: judged after the run, then counted
        "- id: a\n  text: Hi {{ customer.name }}, sorry about the wait! DM us and I'll fix it. - Ann\n"
        "- id: b\n  text: Hi {{ customer.name }}, sorry about the wait! DM us and I'll fix it. - Ann\n",
        encoding="utf-8")
    streamed = LintRun(keep_sources=False, keep_results=False)
    paths = [str(p) for p in sorted(tmp_path.iterdir())]
    printed = list(stream_lint(paths, LintOptions(), streamed))
    kept = run_lint(paths, LintOptions())
    assert streamed.results == [] and len(printed) == len(kept.results) == 42
    assert streamed.tally.summary() == summary(kept.results) == summary(printed)
    assert any(d.rule == "near-duplicate" for r in printed for d in r.diagnostics)
    assert streamed.tally.worst == max(d.severity for r in kept.results for d in r.diagnostics)
