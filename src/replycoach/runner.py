"""A lint run: inputs expanded, configs found, playbooks loaded, every unit linted.

Problems with one input are collected and the run goes on; the CLI decides the exit code
from what comes back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from replycoach.config import Config, ConfigFinder
from replycoach.context import normalise
from replycoach.document import Document
from replycoach.engine import FileResult, Selection, lint_document
from replycoach.errors import UserError
from replycoach.canned import NotACollection
from replycoach.inputs import Unit, expand, read_source, units_of
from replycoach.playbook import Playbook, load_playbook


@dataclass
class LintOptions:
    context: dict = field(default_factory=dict)  # from flags, already normalised
    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    config: Path | None = None
    playbooks: tuple[str, ...] = ()
    jobs: int = 0  # 0: decide from the batch size


@dataclass
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class LintRun:
    results: list[FileResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    playbook: Playbook | None = None
    fail_on: str = "error"


class Linter:
    """Holds what is shared across the files of a run: configs and loaded playbooks."""

    def __init__(self, options: LintOptions) -> None:
        self.options = options
        self.configs = ConfigFinder(options.config)
        self._playbooks: dict[tuple[str, ...], Playbook] = {}

    def playbook_for(self, config: Config) -> Playbook:
        specs = tuple(self.options.playbooks) or tuple(config.playbook_specs())
        if specs not in self._playbooks:
            base = config.base_dir if not self.options.playbooks else Path.cwd()
            playbook = load_playbook(list(specs), base)
            if config.template_variables:
                playbook.settings = {**playbook.settings, "template_variables": list(config.template_variables)}
            self._playbooks[specs] = playbook
        return self._playbooks[specs]

    def selection_for(self, config: Config) -> Selection:
        return Selection(
            select=self.options.select or config.select,
            ignore=self.options.ignore | config.ignore,
            severity=config.severity,
        )

    def lint_unit(self, unit: Unit, config: Config, playbook: Playbook) -> FileResult:
        doc = Document.parse(unit.text, unit.path, unit.line_offset, unit.front_matter)
        front = normalise(doc.front_matter, f"{unit.path}: front matter") if doc.front_matter else {}
        layers = [config.context, normalise(unit.context, unit.path), front, self.options.context]
        result = lint_document(doc, playbook, layers, self.selection_for(config))
        if unit.label:
            result.path = f"{unit.path}#{unit.label}"
        return result

    def lint_path(self, display: str, path: Path | None, explicit: bool = True) -> Iterator[FileResult | Problem]:
        try:
            config = self.configs.for_path(path)
            playbook = self.playbook_for(config)
            source = read_source(path, display, config.max_file_bytes)
            units = units_of(source, path)
        except NotACollection as exc:
            if explicit:
                yield Problem(exc.where or display, exc.message)
            return
        except UserError as exc:
            yield Problem(exc.where or display, exc.message)
            return
        for unit in units:
            try:
                yield self.lint_unit(unit, config, playbook)
            except UserError as exc:
                yield Problem(exc.where or display, exc.message)


def run_lint(paths: list[str], options: LintOptions) -> LintRun:
    run = LintRun()
    try:
        linter = Linter(options)
        targets = list(expand(paths, linter.configs.for_path))
        run.playbook = linter.playbook_for(linter.configs.for_path(None))
    except UserError as exc:
        run.problems.append(Problem(exc.where or "config", exc.message))
        return run
    run.fail_on = (linter.configs.explicit or linter.configs.for_path(None)).fail_on
    for display, path, problem, explicit in targets:
        if problem:
            run.problems.append(Problem(display, problem))
            continue
        for item in linter.lint_path(display, path, explicit):
            if isinstance(item, Problem):
                run.problems.append(item)
            elif item.error:
                run.problems.append(Problem(item.path, item.error))
            else:
                run.results.append(item)
    return run
