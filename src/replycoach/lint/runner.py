"""A lint run: inputs expanded, configs found, playbooks loaded, every unit linted.

Problems with one input are collected and the run goes on; the CLI decides the exit code
from what comes back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from replycoach.core.errors import NotACollection, UserError
from replycoach.core.memo import Memo
from replycoach.lint import run_level
from replycoach.lint.config import Config, ConfigFinder
from replycoach.lint.engine import lint_document
from replycoach.lint.inputs import Target, expand, units_of
from replycoach.lint.parallel import lint_all
from replycoach.lint.plan import Selection
from replycoach.lint.results import FileResult, LintRun, Problem, Skipped
from replycoach.lint.run_level import LineIndex, Linted
from replycoach.lint.sources import SourceText, Unit, read_source
from replycoach.playbook.loader import load_playbook
from replycoach.playbook.model import Playbook
from replycoach.reply.context import normalise
from replycoach.reply.document import Document

# YAML files a pre-commit hook hands over that are never canned responses: skipped quietly.
NOT_RESPONSES = frozenset({
    ".replycoach.yaml", ".replycoach.yml", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml",
    ".yamllint", ".yamllint.yaml", "package.json", "package-lock.json", "tsconfig.json",
})


class LintOptions:
    __slots__ = ("context", "select", "ignore", "config", "playbooks", "jobs", "stdin_name", "diff_base")

    def __init__(self, context: dict | None = None, select: frozenset[str] = frozenset(),
                 ignore: frozenset[str] = frozenset(), config: Path | None = None, playbooks: tuple[str, ...] = (),
                 jobs: int = 0, stdin_name: str | None = None, diff_base: str | None = None) -> None:
        self.context = context or {}  # from flags, already normalised
        self.select = select
        self.ignore = ignore
        self.config = config
        self.playbooks = playbooks
        self.jobs = jobs  # 0: decide from the batch size
        self.stdin_name = stdin_name  # what "-" is called, and where its config is looked for
        self.diff_base = diff_base  # a git ref: only findings on lines changed since it


class Linter:
    """Holds what is shared across the files of a run: configs and loaded playbooks."""

    def __init__(self, options: LintOptions) -> None:
        self.options = options
        self.configs = ConfigFinder(options.config)
        # keyed by (playbook specs, the config's folder, template variables): all a playbook is loaded from
        self._playbooks = Memo(self._load_playbook, limit=1000)
        # keyed by the config's file (None: the defaults): a run loads each config file once
        self._selections = Memo(self._selection, limit=1000)
        self._configs: dict[str | None, Config] = {}
        self._reported: set[str] = set()  # broken configs already reported this run
        self._checked: set[str | None] = set()  # configs whose rule names were checked against their playbook

    def playbook_for(self, config: Config) -> Playbook:
        specs = tuple(self.options.playbooks) or tuple(config.playbook_specs())
        base = config.base_dir if not self.options.playbooks else Path.cwd()
        return self._playbooks[(specs, str(base), config.template_variables)]

    def _load_playbook(self, key: tuple) -> Playbook:
        specs, base, template_variables = key
        playbook = load_playbook(list(specs), Path(base))
        if template_variables:  # the config's variables change the rules' data
            playbook.settings = {**playbook.settings, "template_variables": list(template_variables)}
        return playbook

    def selection_for(self, config: Config) -> Selection:
        """The rules a config's files run (configs are shared per folder, so this is a lookup)."""
        self._configs[config.path] = config
        return self._selections[config.path]

    def _selection(self, config_path: str | None) -> Selection:
        config = self._configs[config_path]
        return Selection(select=self.options.select or config.select, ignore=self.options.ignore | config.ignore,
                         severity=config.severity)

    def _broken(self, config: Config, display: str) -> Iterator[Problem]:
        """A file under a config that cannot be used: the config's error once, then each file."""
        if config.path not in self._reported:
            self._reported.add(config.path)
            yield Problem(config.error.where or config.path, config.error.message)
        yield Problem(display, f"not linted: its config {config.path} has an error (above)")

    def lint_unit(self, unit: Unit, config: Config, playbook: Playbook) -> Linted:
        doc = Document.parse(unit.text, playbook.conventions, unit.path, unit.line_offset, unit.front_matter)
        front = normalise(doc.front_matter, f"{unit.path}: front matter") if doc.front_matter else {}
        layers = [config.context, normalise(unit.context, unit.path), front, self.options.context]
        selection = self.selection_for(config)
        result = lint_document(doc, playbook, layers, selection)
        if unit.label:
            result.path = f"{unit.path}#{unit.label}"
        return Linted(result, playbook, selection, unit, doc)

    def lint_target(self, target: Target,
                    sources: dict[str, SourceText] | None = None) -> Iterator[Linted | Problem | Skipped]:
        """Lint what a target names: a file's replies (a collection has many), or its problem."""
        display, path, _, explicit = target
        try:
            config = self.configs.for_path(path if path is not None else self.options.stdin_name)
            if config.error is None:
                playbook = self.playbook_for(config)
                if config.path not in self._checked:
                    self._checked.add(config.path)
                    unknown = Selection(config.select, config.ignore, config.severity).unknown_names(playbook)
                    if unknown:
                        config.error = UserError(f"no rule, code or family named {', '.join(unknown)} "
                                                 "(in select, ignore or severity)", config.path)
            if config.error is not None:
                yield from self._broken(config, display)
                return
            source = read_source(path, display, config.max_file_bytes)
            unreadable: list[str] = []
            units = units_of(source, path, problems=unreadable)
        except NotACollection as exc:  # a CI workflow, a plain config: named by pre-commit or by hand
            if explicit and (path is None or os.path.basename(path) not in NOT_RESPONSES):
                yield Skipped(exc.where or display, exc.message)
            return
        except UserError as exc:
            yield Problem(exc.where or display, exc.message)
            return
        for message in unreadable:
            yield Problem(display, message)
        if sources is not None:
            sources[display] = source
        index = LineIndex(source.text) if any(u.span_map is not None for u in units) else None
        for unit in units:
            try:
                linted = self.lint_unit(unit, config, playbook)
            except UserError as exc:
                yield Problem(exc.where or display, exc.message)
                continue
            except RecursionError:
                yield Problem(display, "nested too deeply to read (thousands of levels)")
                continue
            except Exception as exc:  # a bug must not cost the other files their lint
                if os.environ.get("REPLYCOACH_DEBUG"):
                    raise
                yield Problem(display, f"not linted: internal error ({type(exc).__name__}: {str(exc)[:200]}); "
                                       "this is a bug, please report it (REPLYCOACH_DEBUG=1 shows the traceback)")
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
    `run.tally`, `run.problems` and (when the run keeps them) `run.results` are complete once
    the stream ends.
    """
    try:
        linter = Linter(options)
        targets = list(expand(paths, linter.configs.for_path, options.stdin_name))
        here = linter.configs.for_path(None)
        if here.error is not None:
            here = Config()  # the run's defaults; the files under the broken config report it
        run.playbook = linter.playbook_for(here)
        flags = Selection(select=options.select, ignore=options.ignore)
        unknown = flags.unknown_names(run.playbook)
        if unknown:
            raise UserError(f"no rule, code or family named {', '.join(unknown)} (see `replycoach rules`)",
                            "--select/--ignore")
        changed = None
        if options.diff_base:
            from replycoach.lint.changed import ChangedLines

            changed = ChangedLines(options.diff_base)
        language = options.context.get("language")
        if language and language not in run.playbook.languages:
            raise UserError(f"the playbook has no {language!r} language pack (it has "
                            f"{', '.join(run.playbook.languages)})", "--lang")
    except UserError as exc:
        run.problems.append(Problem(exc.where or "config", exc.message))
        run.aborted = True
        return
    run.fail_on = (linter.configs.explicit or here).fail_on
    judged: list[Linted] = []  # the units run-level rules may judge
    waiting: list[FileResult] = []  # results that wait for the run-level rules once one of them may be judged
    for target, items in lint_all(linter, targets, options.jobs, run.sources):  # big batches on every core
        if target.problem:
            run.problems.append(Problem(target.display, target.problem))
            continue
        for item in items:
            if isinstance(item, Problem):
                run.problems.append(item)
            elif isinstance(item, Skipped):
                run.skipped.append(item)
            elif item.result.error:
                run.problems.append(Problem(item.result.path, item.result.error))
            else:
                if run.keep_results:
                    run.results.append(item.result)
                if item.doc is not None and run_level.judged_across_files(item):  # a worker sends no doc when not
                    judged.append(item)
                if judged:
                    waiting.append(item.result)
                else:
                    run.tally.add(_on_changed_lines(item.result, changed))
                    yield item.result
    run_level.judge(judged)  # adds findings to the waiting results: counted after it
    for result in waiting:
        run.tally.add(_on_changed_lines(result, changed))
        yield result


def _on_changed_lines(result: FileResult, changed) -> FileResult:
    """The result with only the findings on changed lines (with --diff-base), once it is final."""
    if changed is not None and result.diagnostics:
        result.diagnostics = changed.kept(result.path, result.diagnostics)
    return result
