"""GitHub Actions workflow commands: one annotation per finding, on the pull request's diff."""

from __future__ import annotations

from pathlib import Path

from replycoach.core.diagnostic import Severity
from replycoach.lint.formatters.paths import _relative_path, repository_root
from replycoach.lint.results import FileResult


def format_github(results: list[FileResult], problems: list, root: Path | None = None) -> str:
    """GitHub Actions workflow commands: one annotation per finding, at its file and line.

    Paths are made relative to the repository root (where the workflow checked it out), so
    the annotations land on the pull request's diff.
    """
    root = root or repository_root()
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    out = []
    for result in results:
        for d in result.diagnostics:
            props = (f"file={_gh_prop(_relative_path(d.path, root))},line={d.line},col={d.column},"
                     f"endLine={d.end_line},endColumn={d.end_column},title={_gh_prop(f'{d.code} {d.rule}')}")
            message = d.message + (f" Suggestion: {d.suggestion}" if d.suggestion else "")
            out.append(f"::{level[d.severity]} {props}::{_gh_data(message)}")
    for p in problems:
        where = f"file={_gh_prop(_relative_path(p.where, root))}," if Path(p.where).exists() else ""
        message = p.message if where else f"{p.where}: {p.message}"
        out.append(f"::error {where}title=replycoach::{_gh_data(message)}")
    return "\n".join(out)


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")
