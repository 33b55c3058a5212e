"""How `replycoach lint` reports a run: the chosen format, problems on stderr, the exit status.

Like the other `cli*` modules it does not use `from __future__ import annotations` (see app.py).
"""

import sys

from replycoach.cli.formats import OutputFormat, _printable


def _unless_aborted(run, results):
    """The results to report, or None (the problem said on stderr) when the run stopped before any file."""
    results = iter(results) if not isinstance(results, list) else results
    if isinstance(results, list):
        aborted = run.aborted
    else:
        first = next(results, None)
        aborted = run.aborted and first is None
        if first is not None:
            import itertools

            results = itertools.chain([first], results)
    if not aborted:
        return results
    for problem in run.problems:
        print(f"replycoach: {_printable(str(problem))}", file=sys.stderr)
    return None


def _exit_code(run) -> int:
    from replycoach.core.diagnostic import Severity

    if run.problems:
        return 2
    worst = run.tally.worst
    return int(worst is not None and worst >= Severity.parse(run.fail_on))


def _report(run, output_format: OutputFormat, checklist: bool = True, stream=None) -> None:
    """Print a run's report; with `stream` (text and JSON), file by file while the run fills `run`."""

    results = run.results if stream is None else stream
    if output_format is OutputFormat.text:
        results = _unless_aborted(run, results)
        if results is None:
            return
    if output_format is OutputFormat.text:
        from replycoach.cli.console import print_lines
        from replycoach.lint.formatters.text import iter_text

        print_lines(iter_text(results, run.problems, checklist, totals=run.tally))
        if run.problems and not sys.stdout.isatty():
            for problem in run.problems:
                print(f"replycoach: {_printable(str(problem))}", file=sys.stderr)
        return
    if output_format is OutputFormat.json:
        from replycoach.lint.formatters.json import iter_json

        for chunk in iter_json(results, run.problems, totals=run.tally):  # a big report stays small
            sys.stdout.write(chunk)
        text = ""
        sys.stdout.write("\n")
    elif output_format is OutputFormat.sarif:
        from replycoach.lint.formatters.sarif import format_sarif

        text = format_sarif(run.results, run.problems, run.playbook)
    else:
        from replycoach.lint.formatters.github import format_github

        text = format_github(run.results, run.problems)
    if text:
        sys.stdout.write(text + "\n")
    for problem in run.problems:
        print(f"replycoach: {_printable(str(problem))}", file=sys.stderr)
