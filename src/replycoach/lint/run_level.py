"""Rules judged across the replies of a run rather than one at a time (kinds with `scope: run`).

A near-duplicate is a property of two canned responses, not of one: such rules need every
linted unit of the run, with its parsed document, before they can say anything. This module
is the one definition of which units they judge, used by the runner (which holds those
results back until the end), by the workers (which send such units back whole) and here.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from replycoach.core.diagnostic import Diagnostic
from replycoach.kinds import kind_of
from replycoach.lint.plan import Selection, applies
from replycoach.lint.results import FileResult
from replycoach.lint.sources import Unit
from replycoach.reply.document import Document


class LineIndex:
    """1-based line and column of offsets into one file's text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


class Linted:
    """One linted unit: its result, and what a run-level rule needs to judge it.

    A unit linted by a worker comes back as its result alone (`unit` and `doc` None) unless a
    run-level rule may judge it.
    """

    __slots__ = ("doc", "index", "playbook", "result", "selection", "shingles", "unit")

    def __init__(self, result: FileResult, playbook, selection: Selection, unit: Unit | None = None,
                 doc: Document | None = None, index: LineIndex | None = None) -> None:
        self.result, self.playbook, self.selection = result, playbook, selection
        self.unit, self.doc, self.index = unit, doc, index
        self.shingles: frozenset[int] | None = None  # duplicates.shingles(doc), when a worker worked them out

    def place(self, diagnostic: Diagnostic) -> Diagnostic:
        """Move a finding from the response's own text to its place in the collection file."""
        span_map = self.unit.span_map if self.unit is not None else None
        if span_map is None or self.index is None or span_map.approximate:
            return diagnostic
        start, end = span_map.to_file(diagnostic.start, diagnostic.end)
        line, column = self.index.position(start)
        end_line, end_column = self.index.position(end)
        return diagnostic._replace(start=start, end=end, line=line, column=column,
                                   end_line=end_line, end_column=end_column)


def rules_judging(item: Linted) -> list[dict]:
    """The run-level rules that apply to a linted unit."""
    context = item.result.context
    if context is None:
        return []
    playbook = item.playbook
    run_level = playbook.derived("run_level_rules", lambda: [
        rule for rule in playbook.rules if kind_of(rule).scope == "run" and rule["enabled"]])
    return [rule for rule in run_level if item.selection.allows(rule) and applies(rule, context.value)]


def judged_across_files(item: Linted) -> bool:
    """Whether a run-level rule applies to a linted unit."""
    return bool(rules_judging(item))


def judge(linted: list[Linted]) -> None:
    """Add the run-level rules' findings to the units they judge, rule by rule.

    Grouped by playbook object and rule name: units linted under another playbook (another
    folder's config) are judged apart, as each playbook's rules are its own.
    """
    groups: dict[tuple, list[tuple[Linted, dict]]] = {}
    for item in linted:
        for rule in rules_judging(item):
            groups.setdefault((item.playbook, rule["name"]), []).append((item, rule))
    for members in groups.values():
        rule = members[0][1]
        kind_of(rule).judge_run([item for item, _ in members], rule)
