"""What a lint run produces: a result per reply, problems with inputs, and the run that holds them."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from replycoach.core.diagnostic import Diagnostic
from replycoach.reply.context import Context


class FileResult:
    """One reply's verdict: its language and context, the checklist, and its findings (or an error)."""

    __slots__ = ("checklist", "checklist_found_by", "context", "diagnostics", "error", "language", "path")

    def __init__(self, path: str, language: str | None = None, context: Context | None = None,
                 checklist: dict[str, bool] | None = None, diagnostics: list[Diagnostic] | None = None,
                 error: str | None = None, checklist_found_by: dict[str, dict] | None = None) -> None:
        self.path = path
        self.language = language
        self.context = context
        self.checklist = checklist if checklist is not None else {}
        self.diagnostics = diagnostics if diagnostics is not None else []
        self.error = error
        # per checked item: the signal that ticked it, and whether the lexicon or the detector found it
        self.checklist_found_by = checklist_found_by if checklist_found_by is not None else {}

    def __repr__(self) -> str:
        return f"FileResult({self.path!r}, {self.language!r}, diagnostics={self.diagnostics!r}, error={self.error!r})"

    def __reduce__(self):
        """Pickled as plain tuples (a worker sends thousands): pickle writes and reads those in C,
        where a FileResult and its Diagnostic NamedTuples each went through Python (~34 -> ~12 us
        a result, both ends together)."""
        return (_rebuilt, (self.path, self.language, self.context, self.checklist,
                           list(map(tuple, self.diagnostics)), self.error, self.checklist_found_by))


_new_diagnostic = partial(tuple.__new__, Diagnostic)  # what `Diagnostic._make` calls, without its Python frame


def _rebuilt(path, language, context, checklist, diagnostics, error, checklist_found_by) -> FileResult:
    return FileResult(path, language, context, checklist, list(map(_new_diagnostic, diagnostics)), error,
                      checklist_found_by)


class Problem(NamedTuple):
    """An input that could not be linted (missing, binary, too big, a broken config ...)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class LintRun:
    """A run's results and problems, filled while it runs; the CLI decides the exit code from it."""

    __slots__ = ("aborted", "fail_on", "playbook", "problems", "results", "sources")

    def __init__(self, keep_sources: bool = True) -> None:
        self.results: list[FileResult] = []
        self.problems: list[Problem] = []
        self.playbook = None
        self.fail_on = "error"
        self.aborted = False  # stopped before any file: a usage or config error, nothing to report
        # what was read, for --fix/--diff; a plain report keeps none (workers then send none back)
        self.sources: dict | None = {} if keep_sources else None
