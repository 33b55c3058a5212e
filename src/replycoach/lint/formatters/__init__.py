"""Renderers from lint results to text: pure functions, one module per output format.

Formatters decide nothing (what is a finding, how severe, the exit code): they only say it.
The text format is built as styled segments so the same lines print plain on a pipe and
in colour on a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

from replycoach.lint.results import FileResult, Tally


def summary(results: Iterable[FileResult]) -> dict:
    """The counts a report ends with, as a streamed run's `Tally` keeps them."""
    tally = Tally()
    for result in results:
        tally.add(result)
    return tally.summary()
