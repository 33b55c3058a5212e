"""`replycoach audit`: the thin command over `replycoach.audit` and `replycoach.audit_report`.

Only typer and the standard library at the top: the audit's machinery (the engine, rich
for the progress bar) is imported when the command runs, so `replycoach lint` does not
pay for it.
"""

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class AuditFormat(str, Enum):
    text = "text"
    json = "json"


class InputFormat(str, Enum):
    auto = "auto"
    jsonl = "jsonl"
    csv = "csv"


def audit(
    path: Annotated[str, typer.Argument(help="Conversations: JSONL (one conversation a line) or CSV (one "
                                              "message a row), optionally .gz; - for stdin.",
                                        show_default=False)],
    output_format: Annotated[AuditFormat, typer.Option("--format", "-f", help="text (a summary) or json "
                                                       "(every figure).")] = AuditFormat.text,
    html: Annotated[Path | None, typer.Option("--html", help="Also write a self-contained HTML report "
                                              "with charts here.", show_default=False)] = None,
    input_format: Annotated[InputFormat, typer.Option("--input-format", help="Read the input as this "
                                                      "format (default: from the file name).")
                            ] = InputFormat.auto,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the agents' replies (en, pl, "
                                             "bg); detected per reply when not given.",
                                             show_default=False)] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="How many worst replies to show.")] = 5,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes for linting "
                                      "(0: all cores, when the input is big enough).")] = 0,
    no_lint: Annotated[bool, typer.Option("--no-lint", help="Only the timing figures; don't lint the "
                                          "replies.")] = False,
    playbook: Annotated[list[str] | None, typer.Option(help="Playbook name or YAML file (repeatable).",
                                                       show_default=False)] = None,
    config: Annotated[Path | None, typer.Option(help="Config file (default: the nearest .replycoach.yaml "
                                                "above the input).", show_default=False)] = None,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress", help="Show a progress bar "
                                           "(default: when stderr is a terminal).",
                                           show_default=False)] = None,
) -> None:
    """Audit past conversations: first-reply times, the public/private gap, and reply quality.

    Exit status: 0 when the audit ran (it reports, it does not judge; skipped rows are
    counted in the report), 2 when the input cannot be read or an option is wrong.
    """
    from replycoach.audit.auditor import AuditOptions, run_audit
    from replycoach.core.errors import UserError

    if html is not None and path != "-" and Path(path).resolve() == html.resolve():
        _fail(f"--html {html} would overwrite the input file")
    options = AuditOptions(input_format=input_format.value, language=lang.strip().lower() if lang else None,
                           top=top, jobs=jobs, lint=not no_lint, playbooks=tuple(playbook or ()),
                           config=config)
    show_bar = sys.stderr.isatty() if progress is None else progress
    bar = _ProgressBar() if show_bar else None
    try:
        report = run_audit(path, options, progress=bar.update if bar else None,
                           started=bar.start if bar else None)
    except UserError as exc:
        _fail(str(exc))
    finally:
        if bar:
            bar.stop()

    from replycoach.audit import report as audit_report

    if html is not None:
        try:
            html.write_text(audit_report.to_html(report), encoding="utf-8")
        except OSError as exc:
            _fail(f"{html}: cannot write the report: {exc.strerror or exc}")
    if output_format is AuditFormat.json:
        sys.stdout.write(audit_report.to_json(report) + "\n")
    else:
        from replycoach.cli.console import print_lines

        print_lines(audit_report.summary_lines(report))
    if html is not None:
        print(f"replycoach: HTML report written to {html}", file=sys.stderr)


def _fail(message: str) -> None:
    print(f"replycoach: {message}", file=sys.stderr)
    raise typer.Exit(2)


class _ProgressBar:
    """A rich progress bar on stderr, by bytes read (unknown total on stdin)."""

    def __init__(self) -> None:
        self._progress = None
        self._task = None

    def start(self, source) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("auditing"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                                  console=Console(file=sys.stderr), transient=True)
        self._progress.start()
        self._task = self._progress.add_task("audit", total=source.size)

    def update(self, done: int, total: int | None) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=total)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
