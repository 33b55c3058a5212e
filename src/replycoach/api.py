"""The Python API: lint a reply held in a string, or many, with what the CLI would use.

    import replycoach
    result = replycoach.lint_text("Kindly note we apologize ...", context={"channel": "twitter"})
    for d in result.diagnostics: print(d.rule, d.line, d.message)

Results are the `FileResult` and `Diagnostic` the formatters print. A loaded playbook
pickles as its plain data, so a process pool, Dask or Spark can send it to workers once:
`load(...)` there, then pass it as `playbook=` to every call.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from replycoach.lint.engine import lint_document
from replycoach.lint.plan import Selection
from replycoach.lint.results import FileResult
from replycoach.playbook.model import Playbook
from replycoach.reply.context import normalise
from replycoach.reply.document import Document

__all__ = ["FileResult", "Playbook", "lint_many", "lint_text", "load"]


class Loaded:
    """A playbook with the config it came with: the rules a config selects, its context."""

    def __init__(self, playbook: Playbook, selection: Selection, context: dict) -> None:
        self.playbook, self.selection, self.context = playbook, selection, context


def load(config: str | Path | None = None, playbooks: tuple[str, ...] = ()) -> Loaded:
    """The playbook a config names (its `playbooks:`), with its select/ignore/severity and
    `context:`; without a config, the built-in playbook. Raises UserError on a bad file."""
    from replycoach.lint.config import Config, load_config
    from replycoach.lint.runner import Linter, LintOptions

    settings = load_config(Path(config)) if config is not None else Config()
    if settings.error is not None:
        raise settings.error
    linter = Linter(LintOptions(playbooks=tuple(playbooks)))  # a config's playbook, as `lint` loads it
    playbook, selection = linter.playbook_for(settings), linter.selection_for(settings)
    unknown = selection.unknown_names(playbook)
    if unknown:
        from replycoach.core.errors import UserError

        raise UserError(f"no rule, code or family named {', '.join(unknown)}", str(config))
    return Loaded(playbook, selection, settings.context)


def lint_text(text: str, context: dict | None = None, config: str | Path | None = None,
              playbook: Loaded | Playbook | None = None, path: str = "<text>",
              front_matter: bool = False) -> FileResult:
    """Lint one reply. `context` as in front matter (`channel`, `kind`, `in_reply_to` ...);
    `config` a `.replycoach.yaml` or `pyproject.toml`; or a `playbook` from `load()`."""
    loaded = _loaded(playbook, config)
    doc = Document.parse(text, loaded.playbook.conventions, path, front_matter=front_matter)
    front = normalise(doc.front_matter, f"{path}: front matter") if doc.front_matter else {}
    layers = [loaded.context, front, normalise(context or {}, path)]
    return lint_document(doc, loaded.playbook, layers, loaded.selection)


def lint_many(replies: Iterable[str | tuple[str, dict]], context: dict | None = None,
              config: str | Path | None = None, playbook: Loaded | Playbook | None = None) -> Iterator[FileResult]:
    """Lint replies one after another, yielding each result as it is made (nothing is kept):
    a reply is a string, or (text, its own context) over the shared `context`. The playbook is
    loaded once; to use every core, split the replies and call this in each worker."""
    loaded = _loaded(playbook, config)
    for index, reply in enumerate(replies):
        text, own = (reply, {}) if isinstance(reply, str) else reply
        yield lint_text(text, {**(context or {}), **own}, playbook=loaded, path=f"<reply {index + 1}>")


def _loaded(playbook: Loaded | Playbook | None, config) -> Loaded:
    if isinstance(playbook, Loaded):
        return playbook
    if isinstance(playbook, Playbook):
        return Loaded(playbook, Selection(), {})
    return load(config)
