"""`replycoach lint`: the flags of a lint run and of its report; the run itself is `lint.runner`'s."""

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from replycoach.cli.app import _split, fail
from replycoach.cli.formats import OutputFormat, _printable
from replycoach.core.errors import UserError


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


ContextOption = Annotated[str | None, typer.Option(show_default=False)]


def lint(
    paths: Annotated[list[str], typer.Argument(help="Reply files, directories to walk, or - for stdin.",
                                               show_default=False)],
    output_format: Annotated[OutputFormat | None, typer.Option(
        "--format", "-f", help="Output format (default: github inside GitHub Actions, else text).",
        show_default=False)] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the replies (en, pl, bg); "
                                             "detected when not given.", show_default=False)] = None,
    channel: Annotated[str | None, typer.Option(help="Channel: twitter, x, facebook, instagram, tiktok, review, "
                                                "email, chat, sms, phone ...", show_default=False)] = None,
    visibility: Annotated[str | None, typer.Option(help="public or private (derived from the channel).",
                                                   show_default=False)] = None,
    kind: Annotated[str | None, typer.Option(help="complaint, question, outage, off-topic or praise.",
                                             show_default=False)] = None,
    fault: Annotated[str | None, typer.Option(help="company, customer, third_party or unknown.",
                                              show_default=False)] = None,
    tone: Annotated[str | None, typer.Option(help="The customer's tone: calm, angry, abusive, ultimatum.",
                                             show_default=False)] = None,
    stage: Annotated[str | None, typer.Option(help="first, follow-up or resolution.", show_default=False)] = None,
    template: Annotated[bool, typer.Option("--template", help="The files are canned-response templates: their "
                                           "{{ slots }} are filled in when sent (what the pre-commit hook "
                                           "passes).")] = False,
    in_reply_to: Annotated[str | None, typer.Option(
        "--in-reply-to", metavar="FILE",
        help="The customer's message this replies to (a text file, or - for stdin). Its kind, tone and whether "
             "it gives details to act on are read from it, unless given as flags or front matter.",
        show_default=False)] = None,
    select: Annotated[list[str] | None, typer.Option(help="Only these rules (names, codes or families; "
                                                     "repeat or comma-separate).", show_default=False)] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Skip these rules (names, codes or families).",
                                                     show_default=False)] = None,
    config: Annotated[Path | None, typer.Option(help="Config file (default: the nearest .replycoach.yaml or "
                                                "pyproject.toml [tool.replycoach] above each file).",
                                                show_default=False)] = None,
    playbook: Annotated[list[str] | None, typer.Option(help="Playbook name or YAML file, instead of the "
                                                       "config's (repeatable).", show_default=False)] = None,
    no_checklist: Annotated[bool, typer.Option("--no-checklist", help="Don't print the 5P checklist.")] = False,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the playbook's plain-words replacements in "
                                      "place, then report what remains.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print what --fix would change as a unified diff; "
                                       "write nothing.")] = False,
    output_file: Annotated[Path | None, typer.Option("--output-file", "-o", help="Write the report to this file "
                                                     "instead of standard output.", show_default=False)] = None,
    stdin_filename: Annotated[str | None, typer.Option(
        "--stdin-filename", metavar="PATH", help="The name of the reply read from - (standard input): shown in the "
        "report, and where its config is looked for.", show_default=False)] = None,
    fail_on: Annotated[FailOn | None, typer.Option("--fail-on", help="The least severe finding that fails the run "
                                                   "(exit status 1); default: the config's fail_on, else error.",
                                                   show_default=False)] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when findings fail the run "
                                            "(2 still means an input, flag or config is wrong).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Text: only files with findings, without the "
                                        "checklist or the summary line.")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="Print how often each rule fired, "
                                             "most frequent first, instead of the findings.")] = False,
    diff_base: Annotated[str | None, typer.Option(
        "--diff-base", metavar="REF", help="Only findings on lines changed since this git ref (a branch, tag or "
        "commit), as a pull request's review wants; a finding about the whole reply counts when its file "
        "changed.", show_default=False)] = None,
) -> None:
    """Lint replies against the playbook: what will make the complaint worse, and what is missing.

    Exit status: 0 when no finding reaches the failing severity (errors by default; see
    --fail-on and --exit-zero), 1 when one does, 2 when an input, flag or config is wrong.
    """
    from replycoach.cli.report import ReportOptions, _exit_code, _report, report_to
    from replycoach.lint.runner import LintOptions, run_lint
    from replycoach.reply.context import normalise

    if output_format is None:  # as yamllint does: annotations where GitHub shows them
        output_format = OutputFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else OutputFormat.text
    if stdin_filename is not None and fix:
        raise fail("--fix does not write standard input (--stdin-filename only names it); use --diff")
    if statistics and output_format in (OutputFormat.sarif, OutputFormat.github, OutputFormat.concise):
        raise fail(f"--statistics is a text or JSON report, not {output_format.value}")
    report = ReportOptions(output_format, checklist=not (no_checklist or quiet), quiet=quiet, statistics=statistics)

    flags = {"language": lang, "channel": channel, "visibility": visibility, "kind": kind, "fault": fault,
             "tone": tone, "stage": stage, "template": True if template else None}
    if in_reply_to is not None:
        if in_reply_to == "-" and "-" in paths:
            raise fail("--in-reply-to - and a reply on stdin (-) can't both read stdin")
        flags["in_reply_to"] = _read_message(in_reply_to)
    try:
        context = normalise({k: v for k, v in flags.items() if v is not None}, "command line")
    except UserError as exc:
        raise fail(str(exc)) from None
    options = LintOptions(context=context, select=_split(select), ignore=_split(ignore), config=config,
                          playbooks=tuple(playbook or ()), stdin_name=stdin_filename, diff_base=diff_base)
    if fix and diff:
        raise fail("--fix and --diff don't go together (--diff shows what --fix would write)")
    if not (fix or diff) and output_format in (OutputFormat.text, OutputFormat.json, OutputFormat.concise):
        from replycoach.lint.runner import LintRun, stream_lint

        run = LintRun(keep_sources=False, keep_results=False)
        with report_to(output_file):
            _report(run, report, stream=stream_lint(paths, options, run))
        raise typer.Exit(_exit_code(run, fail_on and fail_on.value, exit_zero))
    run = run_lint(paths, options)
    if fix or diff:
        from replycoach.lint.fixer import fix_run

        run, outcome = fix_run(run, lambda: run_lint(paths, options), write=fix)
        for message in outcome.messages:
            print(f"replycoach: {message}", file=sys.stderr)
        if diff:
            sys.stdout.write(outcome.diff)
            for problem in run.problems:
                print(f"replycoach: {_printable(str(problem))}", file=sys.stderr)
            raise typer.Exit(2 if run.problems else int(bool(outcome.diff)))
    with report_to(output_file):
        _report(run, report)
    raise typer.Exit(_exit_code(run, fail_on and fail_on.value, exit_zero))


def _read_message(source: str) -> str:
    """The customer's message for --in-reply-to: a file's text with its front matter dropped."""
    from replycoach.lint.sources import read_message

    try:
        return read_message(source)
    except UserError as exc:
        raise fail(str(exc)) from None


