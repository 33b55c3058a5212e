"""GitHub Actions workflow commands: one annotation per finding, on the pull request's diff."""

from __future__ import annotations

from pathlib import Path

from replycoach.core.diagnostic import Severity
from replycoach.lint.formatters.paths import _relative_path, repository_root
from replycoach.lint.results import FileResult

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
# GitHub shows at most 10 annotations of each type per step and drops the rest silently
# (docs.github.com, "workflow commands"; the example repository's 26 warnings showed 10)
ANNOTATIONS_PER_TYPE = 10


def format_github(results: list[FileResult], problems: list, root: Path | None = None) -> str:
    """GitHub Actions workflow commands: one annotation per finding, at its file and line.

    Paths are made relative to the repository root (where the workflow checked it out), so
    the annotations land on the pull request's diff. Past GitHub's ten of a type, findings
    are printed as plain `path:line:col: CODE [rule] message` lines in the log, and a notice
    says how many there are and where they are.
    """
    root = root or repository_root()
    out: list[str] = []
    shown = {"error": 0, "warning": 0, "notice": 0}
    beyond: list[str] = []
    for result in results:
        for d in result.diagnostics:
            level = LEVEL[d.severity]
            path = _relative_path(d.path, root)
            message = d.message + (f" Suggestion: {d.suggestion}" if d.suggestion else "")
            if shown[level] < ANNOTATIONS_PER_TYPE - (level == "notice"):  # one notice kept for "N more"
                shown[level] += 1
                props = (f"file={_gh_prop(path)},line={d.line},col={d.column},endLine={d.end_line},"
                         f"endColumn={d.end_column},title={_gh_prop(f'{d.code} {d.rule}')}")
                out.append(f"::{level} {props}::{_gh_data(message)}")
            else:
                beyond.append(f"{path}:{d.line}:{d.column}: {d.code} [{d.rule}] {' '.join(d.message.split())}")
    for p in problems:
        where = f"file={_gh_prop(_relative_path(p.where, root))}," if Path(p.where).exists() else ""
        message = p.message if where else f"{p.where}: {p.message}"
        out.append(f"::error {where}title=replycoach::{_gh_data(message)}")
    if beyond:
        out.append(f"::notice title=replycoach::{_gh_data(_more(len(beyond)))}")
        out.extend(beyond)
    return "\n".join(out)


def _more(count: int) -> str:
    return (f"{count} more finding{'s' if count != 1 else ''} not shown as annotations (GitHub shows "
            f"{ANNOTATIONS_PER_TYPE} of each type per step): they are listed in this step's log below, "
            "and all findings are in the job summary.")


def format_step_summary(results: list[FileResult], problems: list, root: Path | None = None) -> str:
    """The Markdown a job summary shows (`$GITHUB_STEP_SUMMARY`): the counts, then every finding."""
    root = root or repository_root()
    rows = [(_relative_path(d.path, root), d.line, d.severity.label, d.code, d.rule, d.message)
            for result in results for d in result.diagnostics]
    counts = {label: sum(1 for row in rows if row[2] == label) for label in ("error", "warning", "info")}
    out = ["### replycoach", "",
           f"{len(results)} file{'s' if len(results) != 1 else ''} checked: {counts['error']} errors, "
           f"{counts['warning']} warnings, {counts['info']} info"
           + (f", {len(problems)} unreadable input{'s' if len(problems) != 1 else ''}" if problems else ""), ""]
    if rows:
        out += ["| file | line | severity | rule | message |", "|---|---|---|---|---|"]
        out += [f"| {_cell(path)} | {line} | {severity} | {code} {rule} | {_cell(message)} |"
                for path, line, severity, code, rule, message in rows]
        out.append("")
    if problems:
        out += ["Not linted:", ""] + [f"- {_cell(str(p))}" for p in problems] + [""]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped, no HTML."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;")


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")
