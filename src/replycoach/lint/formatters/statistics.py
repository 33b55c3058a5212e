"""`--statistics`: how often each rule fired in a run, most frequent first (as ruff prints it)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from replycoach.lint.formatters.styles import Line
from replycoach.lint.results import Tally


def _rows(tally: Tally) -> list[tuple[int, str, str]]:
    return sorted(((count, code, rule) for (code, rule), count in tally.by_rule.items()),
                  key=lambda row: (-row[0], row[1]))


def iter_statistics(tally: Tally, problems: list) -> Iterator[Line]:
    rows = _rows(tally)
    width = max((len(str(count)) for count, _, _ in rows), default=1)
    for count, code, rule in rows:
        yield [(str(count).rjust(width), "bold"), ("  ", ""), (code, "dim"), ("  ", ""), (rule, "")]
    total = sum(count for count, _, _ in rows)
    yield [(f"{total} finding{'s' if total != 1 else ''} in {tally.files} file{'s' if tally.files != 1 else ''}"
            + (f", {len(problems)} unreadable input{'s' if len(problems) != 1 else ''}" if problems else ""),
            "bold")]


def statistics_json(tally: Tally, problems: list) -> str:
    return json.dumps({"rules": [{"code": code, "rule": rule, "count": count} for count, code, rule in _rows(tally)],
                       "summary": {**tally.summary(), "problems": len(problems)}}, ensure_ascii=False, indent=2)
