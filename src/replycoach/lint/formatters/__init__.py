"""Renderers from lint results to text: pure functions, one module per output format.

Formatters decide nothing (what is a finding, how severe, the exit code): they only say it.
The text format is built as styled segments so the same lines print plain on a pipe and
in colour on a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

from replycoach.core.diagnostic import Severity
from replycoach.lint.results import FileResult

_COUNTED = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "infos"}


def summary(results: Iterable[FileResult]) -> dict:
    counts = {"files": 0, "errors": 0, "warnings": 0, "infos": 0}
    for result in results:
        counts["files"] += 1
        for d in result.diagnostics:
            counts[_COUNTED[d.severity]] += 1
    return counts
