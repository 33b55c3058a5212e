"""Turning what the command line names into lint targets: files, folders walked, stdin.

Every problem with an input is reported against that input and the rest of the run goes on.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from replycoach.core.memo import Memo
from replycoach.lint.config import Config
from replycoach.lint.sources import SourceText, Unit

TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")
COLLECTION_SUFFIXES = (".yaml", ".yml", ".json")
CONVERSATION_SUFFIXES = (".jsonl", ".ndjson", ".csv")  # lint.history's; kept here so start-up need not import it
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"}


class Target(NamedTuple):
    """One input of a run, as the command line or a folder's walk names it."""

    display: str  # how the report names it
    path: str | None  # what to read; None for stdin (or an input with a problem)
    problem: str | None  # why it can't be read at all ("no such file or directory")
    explicit: bool  # named on the command line, not found in a folder


STDIN = Target("<stdin>", None, None, True)


def expand(paths: list[str], config_for, stdin_name: str | None = None) -> Iterator[Target]:
    """One Target per input: folders become the reply files under them.

    Paths are strings, as given or as a folder's walk spells them: pre-commit and the
    benchmarks name thousands of files, and building a Path for each cost more than the
    stat() that tells a file from a folder (11,390 files: 0.115 -> 0.053 s)."""
    for raw in paths:
        if raw == "-":
            yield STDIN if stdin_name is None else STDIN._replace(display=stdin_name)
            continue
        try:  # one stat() per input: pre-commit hands over thousands of files
            mode = os.stat(raw).st_mode
        except (OSError, ValueError):
            mode = None
        if mode is not None and stat.S_ISDIR(mode):
            found = False
            path = Path(raw)
            config = config_for(path / "_")
            unreadable: list[OSError] = []
            for file in _walk(path, config, unreadable):
                found = True
                yield Target(file, file, None, False)
            for error in unreadable:  # a folder os.walk could not list: said, not skipped silently
                yield Target(error.filename or raw, None, f"cannot read this folder: {error.strerror or error}", True)
            if not found and not unreadable:
                yield Target(raw, None, f"no reply files here (looked for {', '.join(config.extensions)})", True)
        elif mode is not None:
            if not excluded(raw, config_for(raw)):  # pre-commit names files one by one
                yield Target(raw, raw, None, True)
        else:
            yield Target(raw, None, "no such file or directory", True)


def _walk(root: Path, config: Config, unreadable: list[OSError]) -> Iterator[str]:
    """The reply files under `root`, spelled as `str(Path)` would spell them; the folders
    that could not be listed go to `unreadable`."""
    for folder, dirs, files in os.walk(root, onerror=unreadable.append):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        base = str(Path(folder))  # once per folder (Path drops "./" and trailing slashes)
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(config.extensions):
                continue
            path = name if base == "." else os.path.join(base, name)
            if config.exclude:
                found = Path(path)
                if _exclusion(config).match(str(found.relative_to(root))) or excluded(found, config):
                    continue
            yield path


def excluded(path: Path | str, config: Config) -> bool:
    """Whether the config's `exclude` matches the file's name or its path from the config's folder."""
    if not config.exclude:
        return False
    matcher = _exclusion(config)
    if matcher.match(os.path.basename(path)):
        return True
    if config.path:  # abspath, not resolve: no file-system calls for each of a thousand files
        base = os.path.dirname(config.path) + os.sep
        absolute = os.path.abspath(path)
        if absolute.startswith(base):
            return matcher.match(Path(absolute[len(base):]).as_posix()) is not None
    return False


# keyed by a config's `exclude` globs: the regex is made of them and nothing else
_EXCLUSIONS = Memo(lambda globs: re.compile("|".join(fnmatch.translate(p) for p in globs)), limit=1000)


def _exclusion(config: Config) -> re.Pattern:
    """The config's `exclude` globs as one regex (fnmatch semantics)."""
    return _EXCLUSIONS[config.exclude]


def units_of(source: SourceText, path: Path | str | None, explicit: bool = True,
             problems: list[str] | None = None) -> list[Unit]:
    """Split a source into replies: collections into their responses, conversation histories
    into their agent replies (what could not be read goes to `problems`), templates marked."""
    name = os.path.basename(path).lower() if path else ""
    if name.endswith(CONVERSATION_SUFFIXES):
        from replycoach.lint.history import conversation_units

        return conversation_units(source, problems if problems is not None else [])
    if name.endswith(COLLECTION_SUFFIXES):
        from replycoach.lint.canned import read_collection  # start-up: most runs have no collection

        return read_collection(source, explicit)
    context = {"template": True} if name.endswith(TEMPLATE_SUFFIXES) else {}
    return [Unit(source.path, source.text, context)]
