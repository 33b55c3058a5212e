"""A lint run: inputs expanded, configs found, playbooks loaded, every unit linted.

Problems with one input are collected and the run goes on; the CLI decides the exit code
from what comes back.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from replycoach.core.diagnostic import Diagnostic
from replycoach.core.errors import NotACollection, UserError
from replycoach.lint.config import Config, ConfigFinder
from replycoach.lint.engine import FileResult, Selection, applies, lint_document
from replycoach.lint.inputs import SourceText, Unit, expand, read_source, units_of
from replycoach.playbook.loader import Playbook, load_playbook
from replycoach.reply.context import normalise
from replycoach.reply.document import Document

# YAML files a pre-commit hook hands over that are never canned responses: skipped quietly.
NOT_RESPONSES = frozenset({
    ".replycoach.yaml", ".replycoach.yml", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml",
    ".yamllint", ".yamllint.yaml", "package.json", "package-lock.json", "tsconfig.json",
})


class LintOptions:
    __slots__ = ("context", "select", "ignore", "config", "playbooks", "jobs")

    def __init__(self, context: dict | None = None, select: frozenset[str] = frozenset(),
                 ignore: frozenset[str] = frozenset(), config: Path | None = None, playbooks: tuple[str, ...] = (),
                 jobs: int = 0) -> None:
        self.context = context or {}  # from flags, already normalised
        self.select = select
        self.ignore = ignore
        self.config = config
        self.playbooks = playbooks
        self.jobs = jobs  # 0: decide from the batch size


class Problem(NamedTuple):
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class LintRun:
    __slots__ = ("results", "problems", "playbook", "fail_on", "sources")

    def __init__(self, keep_sources: bool = True) -> None:
        self.results: list[FileResult] = []
        self.problems: list[Problem] = []
        self.playbook: Playbook | None = None
        self.fail_on = "error"
        # what was read, for --fix/--diff; a plain report keeps none (workers then send none back)
        self.sources: dict[str, SourceText] | None = {} if keep_sources else None


class LineIndex:
    """1-based line and column of offsets into one file's text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


class Linted:
    """One linted unit and what a run-level rule (near-duplicate) needs to judge it."""

    __slots__ = ("unit", "doc", "result", "playbook", "selection", "index", "shingles")

    def __init__(self, unit: Unit, doc: Document, result: FileResult, playbook: Playbook, selection: Selection,
                 index: LineIndex | None = None) -> None:
        self.unit, self.doc, self.result, self.playbook, self.selection = unit, doc, result, playbook, selection
        self.index = index
        self.shingles: frozenset[int] | None = None  # duplicates.shingles(doc), when a worker worked them out

    def place(self, diagnostic: Diagnostic) -> Diagnostic:
        """Move a finding from the response's own text to its place in the collection file."""
        span_map = self.unit.span_map
        if span_map is None or self.index is None or span_map.approximate:
            return diagnostic
        start, end = span_map.to_file(diagnostic.start, diagnostic.end)
        line, column = self.index.position(start)
        end_line, end_column = self.index.position(end)
        return diagnostic._replace(start=start, end=end, line=line, column=column,
                                   end_line=end_line, end_column=end_column)


class Linter:
    """Holds what is shared across the files of a run: configs and loaded playbooks."""

    def __init__(self, options: LintOptions) -> None:
        self.options = options
        self.configs = ConfigFinder(options.config)
        self._playbooks: dict[tuple[str, ...], Playbook] = {}
        self._selections: dict[int, tuple[Config, Selection]] = {}

    def playbook_for(self, config: Config) -> Playbook:
        specs = tuple(self.options.playbooks) or tuple(config.playbook_specs())
        key = (*specs, "\0", *config.template_variables)  # the config's variables change the rules' data
        if key not in self._playbooks:
            base = config.base_dir if not self.options.playbooks else Path.cwd()
            playbook = load_playbook(list(specs), base)
            if config.template_variables:
                playbook.settings = {**playbook.settings, "template_variables": list(config.template_variables)}
            self._playbooks[key] = playbook
        return self._playbooks[key]

    def selection_for(self, config: Config) -> Selection:
        """One Selection per config (configs are shared per folder): the engine keys its rule
        plans by the selection, and recognises the same one at once."""
        known = self._selections.get(id(config))
        if known is not None and known[0] is config:
            return known[1]
        selection = Selection(
            select=self.options.select or config.select,
            ignore=self.options.ignore | config.ignore,
            severity=config.severity,
        )
        self._selections[id(config)] = (config, selection)
        return selection

    def lint_unit(self, unit: Unit, config: Config, playbook: Playbook) -> Linted:
        doc = Document.parse(unit.text, unit.path, unit.line_offset, unit.front_matter)
        front = normalise(doc.front_matter, f"{unit.path}: front matter") if doc.front_matter else {}
        layers = [config.context, normalise(unit.context, unit.path), front, self.options.context]
        selection = self.selection_for(config)
        result = lint_document(doc, playbook, layers, selection)
        if unit.label:
            result.path = f"{unit.path}#{unit.label}"
        return Linted(unit, doc, result, playbook, selection)

    def lint_path(self, display: str, path: Path | str | None, explicit: bool = True,
                  sources: dict[str, SourceText] | None = None) -> Iterator[Linted | Problem]:
        try:
            config = self.configs.for_path(path)
            playbook = self.playbook_for(config)
            source = read_source(path, display, config.max_file_bytes)
            units = units_of(source, path)
        except NotACollection as exc:
            if explicit and (path is None or os.path.basename(path) not in NOT_RESPONSES):
                yield Problem(exc.where or display, exc.message)
            return
        except UserError as exc:
            yield Problem(exc.where or display, exc.message)
            return
        if sources is not None:
            sources[display] = source
        index = LineIndex(source.text) if any(u.span_map is not None for u in units) else None
        for unit in units:
            try:
                linted = self.lint_unit(unit, config, playbook)
            except UserError as exc:
                yield Problem(exc.where or display, exc.message)
                continue
            linted.index = index
            if unit.span_map is not None:
                linted.result.diagnostics = [linted.place(d) for d in linted.result.diagnostics]
            yield linted


def run_lint(paths: list[str], options: LintOptions) -> LintRun:
    run = LintRun()
    for _ in stream_lint(paths, options, run):
        pass
    return run


def stream_lint(paths: list[str], options: LintOptions, run: LintRun) -> Iterator[FileResult]:
    """Lint into `run`, yielding each file's result, in input order, as soon as it is final.

    A result is final when no run-level rule (near-duplicate) can add to it; from the first
    one that such a rule may judge, the rest wait for the end of the run, so the order
    holds. A batch of replies is reported while it is linted (the report no longer waits
    for the last file, and its formatting overlaps the workers'); a canned-response
    repository, where near-duplicates are judged, is reported at the end, as before.
    `run.results` and `run.problems` are complete once the stream ends.
    """
    try:
        linter = Linter(options)
        targets = list(expand(paths, linter.configs.for_path))
        run.playbook = linter.playbook_for(linter.configs.for_path(None))
    except UserError as exc:
        run.problems.append(Problem(exc.where or "config", exc.message))
        return
    run.fail_on = (linter.configs.explicit or linter.configs.for_path(None)).fail_on
    judged: list[Linted] = []  # the units run-level rules may judge
    held = 0  # run.results[held:] wait for the run-level rules once one of them may be judged
    from replycoach.lint.parallel import lint_all  # big batches on every core, results in input order

    for (display, _path, problem, _explicit), items in lint_all(linter, targets, options.jobs, run.sources):
        if problem:
            run.problems.append(Problem(display, problem))
            continue
        for item in items:
            if isinstance(item, Problem):
                run.problems.append(item)
            elif item.result.error:
                run.problems.append(Problem(item.result.path, item.result.error))
            else:
                run.results.append(item.result)
                if item.doc is not None and may_be_judged_across_files(item):  # a worker sends no doc when not
                    judged.append(item)
                if not judged:
                    held = len(run.results)
                    yield item.result
    _run_level_rules(judged)
    yield from run.results[held:]


def may_be_judged_across_files(item) -> bool:
    """Whether a run-level rule (near-duplicate) applies to a linted unit."""
    return bool(_run_level_rules_of(item))


def _run_level_rules_of(item) -> list[dict]:
    """The run-level rules (near-duplicate) that apply to a linted unit: the one definition
    behind what a worker sends back whole, what the report holds back, and what is judged."""
    context = item.result.context
    if context is None:
        return []
    run_level = item.playbook.derived("run_level_rules", lambda: [
        rule for rule in item.playbook.rules if rule["kind"] == "near-duplicate" and rule["enabled"]])
    return [rule for rule in run_level if item.selection.allows(rule) and applies(rule, context)]


def _run_level_rules(linted: list[Linted]) -> None:
    """Rules judged across the units of a run rather than one at a time (near-duplicate)."""
    groups: dict[int, list[tuple[Linted, dict]]] = {}
    for item in linted:
        for rule in _run_level_rules_of(item):
            groups.setdefault(id(rule), []).append((item, rule))
    if not groups:
        return
    from replycoach.lint.duplicates import near_duplicates

    for members in groups.values():
        near_duplicates([item for item, _ in members], members[0][1])
