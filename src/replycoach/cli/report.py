"""How `replycoach lint` reports a run: the chosen format, problems on stderr, the exit status.

Like the other `cli*` modules it does not use `from __future__ import annotations` (see app.py).
"""

import contextlib
import os
import sys
from typing import NamedTuple

from replycoach.cli.formats import OutputFormat, _printable


class ReportOptions(NamedTuple):
    format: OutputFormat
    checklist: bool = True
    quiet: bool = False  # text: only files with findings, no summary line
    statistics: bool = False  # how often each rule fired, instead of the findings


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
    _say_problems(run)
    return None


def _exit_code(run, fail_on: str | None = None, exit_zero: bool = False) -> int:
    """2 when an input, flag or config was wrong; else 1 when a finding reaches `fail_on` (the
    flag's, else the config's), unless `exit_zero`."""
    from replycoach.core.diagnostic import Severity

    if run.problems:
        return 2
    worst = run.tally.worst
    return int(not exit_zero and worst is not None and worst >= Severity.parse(fail_on or run.fail_on))


@contextlib.contextmanager
def report_to(path):
    """Standard output, or with `path` a file that appears whole when the report is done (a
    temporary file beside it, then a rename), so a failed run leaves no half report."""
    if path is None:
        yield
        return
    import tempfile

    from replycoach.core.errors import UserError

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".replycoach-report-")
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    saved = sys.stdout
    try:
        with open(fd, "w", encoding="utf-8", newline="") as stream:
            sys.stdout = stream
            yield
        os.replace(temporary, path)
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    finally:
        sys.stdout = saved
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _report(run, options: ReportOptions, stream=None) -> None:
    """Print a run's report; with `stream` (text, JSON, concise), file by file while the run fills `run`."""
    output_format = options.format
    results = run.results if stream is None else stream
    if output_format in (OutputFormat.text, OutputFormat.concise) or options.statistics:
        results = _unless_aborted(run, results)
        if results is None:
            return
    if options.statistics:
        _statistics(run, results, output_format)
    elif output_format is OutputFormat.text:
        from replycoach.cli.console import print_lines
        from replycoach.lint.formatters.text import iter_text

        print_lines(iter_text(results, run.problems, options.checklist, totals=run.tally, quiet=options.quiet))
        _say_problems(run, problems=not sys.stdout.isatty())  # on a terminal the report shows the problems
        return
    elif output_format is OutputFormat.concise:
        from replycoach.lint.formatters.concise import iter_concise

        for line in iter_concise(results):
            sys.stdout.write(_printable(line) + "\n")
    elif output_format is OutputFormat.json:
        from replycoach.lint.formatters.json import iter_json

        for chunk in iter_json(results, run.problems, totals=run.tally):  # a big report stays small
            sys.stdout.write(chunk)
        sys.stdout.write("\n")
    elif output_format is OutputFormat.sarif:
        from replycoach.lint.formatters.sarif import format_sarif

        sys.stdout.write(format_sarif(run.results, run.problems, run.playbook) + "\n")
    else:
        from replycoach.lint.formatters.github import format_github

        text = format_github(run.results, run.problems)
        if text:
            sys.stdout.write(text + "\n")
        _write_step_summary(run)
    _say_problems(run)


def _write_step_summary(run) -> None:
    """In a GitHub Actions step, add the findings to the job summary (the file it names)."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from replycoach.lint.formatters.github import format_step_summary

    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(format_step_summary(run.results, run.problems))
    except OSError as exc:
        print(f"replycoach: GITHUB_STEP_SUMMARY {target}: cannot write: {exc.strerror or exc}", file=sys.stderr)


def _statistics(run, results, output_format: OutputFormat) -> None:
    from replycoach.lint.formatters.statistics import iter_statistics, statistics_json

    for _ in results:  # the run fills its tally as the stream goes
        pass
    if output_format is OutputFormat.json:
        sys.stdout.write(statistics_json(run.tally, run.problems) + "\n")
    else:
        from replycoach.cli.console import print_lines

        print_lines(iter_statistics(run.tally, run.problems))


def _say_problems(run, problems: bool = True) -> None:
    for skipped in run.skipped:
        print(f"replycoach: {_printable(str(skipped))}", file=sys.stderr)
    for problem in run.problems if problems else ():
        print(f"replycoach: {_printable(str(problem))}", file=sys.stderr)
