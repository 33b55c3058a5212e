"""The one finding type that flows from the engine to every formatter.

Records on the lint path are NamedTuples and plain classes, not dataclasses: generating a
dataclass's methods at import costs ~0.5-1 ms a class, and the lint of one reply imported
nineteen of them (more than linting the reply itself).
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class Severity(IntEnum):
    """Ordered so that `max()` over findings gives the worst one."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {severity: severity.name.lower() for severity in Severity}  # Enum's .name is a slow descriptor


class Diagnostic(NamedTuple):
    """A finding: flat and immutable so formatters can't disagree about it.

    Lines and columns are 1-based (what editors and SARIF show); offsets are 0-based
    character offsets into the file text, which is what `--fix` needs.
    """

    rule: str
    code: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    match: str = ""
    suggestion: str = ""
    replacement: str | None = None
    # how the finding was reached, as (key, value) pairs (hashable): for a hit, found_by
    # (lexicon or detector) and the detector's score; for an absence, looked_for and closest
    evidence: tuple = ()

    def to_dict(self) -> dict:
        """The JSON shape: offsets and path left out (the file entry has the path)."""
        data = {
            "rule": self.rule, "code": self.code, "severity": self.severity.label, "message": self.message,
            "line": self.line, "column": self.column, "end_line": self.end_line, "end_column": self.end_column,
            "match": self.match, "suggestion": self.suggestion,
        }
        if self.replacement is not None:
            data["replacement"] = self.replacement
        data.update(self.evidence_dict())
        return data

    def evidence_dict(self) -> dict:
        """The evidence as JSON wants it: `closest` an object (or null), `looked_for` a list."""
        out = {}
        for key, value in self.evidence:
            if key == "closest":
                out[key] = dict(value) if value is not None else None
            else:
                out[key] = list(value) if isinstance(value, tuple) else value
        return out
