"""One line per finding, `path:line:col: CODE [rule] message`, for editors and problem matchers.

The shape ruff, flake8 and reviewdog's `efm` read: nothing else goes to standard output
(problems go to standard error), so a matcher never has to skip a header or a summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from replycoach.lint.results import FileResult


def iter_concise(results: Iterable[FileResult]) -> Iterator[str]:
    for result in results:
        for d in result.diagnostics:
            message = " ".join(d.message.split())  # one line, whatever the message holds
            yield f"{d.path}:{d.line}:{d.column}: {d.code} [{d.rule}] {message}"
