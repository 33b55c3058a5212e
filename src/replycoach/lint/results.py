"""What a lint run produces: a result per reply, problems with inputs, and the run that holds them."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from replycoach.core.diagnostic import Diagnostic, Severity
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


class Tally:
    """What a run's summary and exit status need of its results: counts, and the worst severity."""

    __slots__ = ("by_rule", "errors", "files", "infos", "warnings", "worst")

    def __init__(self) -> None:
        self.files = self.errors = self.warnings = self.infos = 0
        self.worst: Severity | None = None
        self.by_rule: dict[tuple[str, str], int] = {}  # (code, rule) -> findings, for --statistics

    def add(self, result: FileResult) -> None:
        self.files += 1
        by_rule = self.by_rule
        for d in result.diagnostics:
            key = (d.code, d.rule)
            by_rule[key] = by_rule.get(key, 0) + 1
            severity = d.severity
            if severity >= Severity.ERROR:
                self.errors += 1
            elif severity >= Severity.WARNING:
                self.warnings += 1
            else:
                self.infos += 1
            if self.worst is None or severity > self.worst:
                self.worst = severity

    def summary(self) -> dict:
        return {"files": self.files, "errors": self.errors, "warnings": self.warnings, "infos": self.infos}


class Skipped(NamedTuple):
    """An input that is not for linting (a YAML file that is no collection): said, not an error."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: skipped: {self.message}"


class LintRun:
    """A run's results and problems, filled while it runs; the CLI decides the exit code from it.

    A run that reports as it goes (text and JSON) keeps no results, only their `tally`: the
    parent kept every result, ~2.3 KB a file, so 1,000,000 files grew it by over 2 GB. The
    replies a run-level rule judges (canned responses) are kept until it has.
    """

    __slots__ = ("aborted", "fail_on", "keep_results", "playbook", "problems", "results", "skipped", "sources",
                 "tally")

    def __init__(self, keep_sources: bool = True, keep_results: bool = True) -> None:
        self.keep_results = keep_results
        self.results: list[FileResult] = []  # every result, when `keep_results`
        self.tally = Tally()  # every result, counted
        self.problems: list[Problem] = []
        self.skipped: list[Skipped] = []  # inputs that are not replies, said on stderr
        self.playbook = None
        self.fail_on = "error"
        self.aborted = False  # stopped before any file: a usage or config error, nothing to report
        # what was read, for --fix/--diff; a plain report keeps none (workers then send none back)
        self.sources: dict | None = {} if keep_sources else None
