"""Project configuration: `.replycoach.yaml` or `[tool.replycoach]` in `pyproject.toml`.

Found by searching upward from each linted file, like yamllint and ruff do, so a
canned-response repository carries its own settings. Validated with pydantic on first use
and then served from the cache until the file changes.
"""

from __future__ import annotations

import os
from pathlib import Path

from replycoach.core.cache import cached
from replycoach.core.errors import UserError
from replycoach.core.memo import Memo

CONFIG_NAMES = (".replycoach.yaml", ".replycoach.yml")
DEFAULT_EXTENSIONS = (".txt", ".md", ".markdown", ".j2", ".jinja", ".jinja2", ".yaml", ".yml", ".json")
DEFAULT_MAX_BYTES = 5_000_000


class Config:
    """One config file's settings (or the defaults, `path` None)."""

    __slots__ = ("path", "playbooks", "select", "ignore", "severity", "context", "template_variables",
                 "max_file_bytes", "fail_on", "extensions", "exclude", "error")

    def __init__(self, path: str | None = None, playbooks: tuple[str, ...] = (), select: frozenset[str] = frozenset(),
                 ignore: frozenset[str] = frozenset(), severity: dict[str, str] | None = None,
                 context: dict | None = None, template_variables: tuple[str, ...] = (),
                 max_file_bytes: int = DEFAULT_MAX_BYTES, fail_on: str = "error",
                 extensions: tuple[str, ...] = DEFAULT_EXTENSIONS, exclude: tuple[str, ...] = ()) -> None:
        self.path = path
        self.playbooks = playbooks
        self.select = select
        self.ignore = ignore
        self.severity = severity if severity is not None else {}
        self.context = context if context is not None else {}
        self.template_variables = template_variables
        self.max_file_bytes = max_file_bytes
        self.fail_on = fail_on
        self.extensions = extensions
        self.exclude = exclude
        self.error: UserError | None = None  # a config file that could not be read: its files are not linted

    @property
    def base_dir(self) -> Path:
        return Path(self.path).parent if self.path else Path.cwd()

    def playbook_specs(self) -> list[str]:
        return [str((self.base_dir / p).resolve()) if p != "default" else p for p in self.playbooks] or ["default"]


def _schema():
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field

    class ConfigFile(BaseModel):
        model_config = ConfigDict(extra="forbid")
        playbooks: list[str] = []
        select: list[str] = []
        ignore: list[str] = []
        severity: dict[str, Literal["error", "warning", "info"]] = {}
        context: dict[str, str | bool] = {}
        template_variables: list[str] = []
        max_file_bytes: int = Field(default=DEFAULT_MAX_BYTES, gt=0)
        fail_on: Literal["error", "warning", "info"] = "error"
        extensions: list[str] = list(DEFAULT_EXTENSIONS)
        exclude: list[str] = []

    return ConfigFile


def _read(path: Path) -> tuple[dict, list[str]]:
    from pydantic import ValidationError

    from replycoach.core.validation import describe_validation_error
    from replycoach.reply.context import normalise

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read config: {exc}", str(path)) from None
    if path.name == "pyproject.toml":
        import tomllib

        try:
            raw = tomllib.loads(text).get("tool", {}).get("replycoach", {})
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"invalid TOML: {exc}", str(path)) from None
    else:
        from replycoach.core.yamlio import load_yaml

        raw = load_yaml(text, str(path)) or {}
    if not isinstance(raw, dict):
        raise UserError("the config must be a mapping of settings", str(path))
    try:
        model = _schema().model_validate(raw)
    except ValidationError as exc:
        hint = describe_validation_error(exc, text if path.suffix != ".toml" else "")
        if "unknown key" in hint:
            hint += " (known keys: playbooks, select, ignore, severity, context, template_variables, " \
                    "max_file_bytes, fail_on, extensions, exclude)"
        raise UserError(hint, str(path)) from None
    data = model.model_dump()
    data["context"] = normalise(data["context"], f"{path}: context")
    return data, [str(path)]


def load_config(path: Path) -> Config:
    path = path.resolve()
    if not path.is_file():
        raise UserError("config file not found", str(path))
    data = cached("config", str(path), lambda: _read(path))
    return Config(
        path=str(path),
        playbooks=tuple(data["playbooks"]),
        select=frozenset(data["select"]),
        ignore=frozenset(data["ignore"]),
        severity=dict(data["severity"]),
        context=dict(data["context"]),
        template_variables=tuple(data["template_variables"]),
        max_file_bytes=data["max_file_bytes"],
        fail_on=data["fail_on"],
        extensions=tuple(e if e.startswith(".") else f".{e}" for e in data["extensions"]),
        exclude=tuple(data["exclude"]),
    )


def _load_or_broken(path: Path) -> Config:
    try:
        return load_config(path)
    except UserError as exc:
        broken = Config(path=str(path))
        broken.error = exc
        return broken


def find_config(start: Path) -> Path | None:
    """The nearest config at or above `start`; a pyproject counts only with [tool.replycoach]."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
        if (folder / ".git").exists() and os.environ.get("REPLYCOACH_CONFIG_STOP_AT_GIT", "1") == "1":
            return None
    return None


def _has_tool_section(pyproject: Path) -> bool:
    try:
        with open(pyproject, "rb") as fh:
            return b"[tool.replycoach" in fh.read()
    except OSError:
        return False


class ConfigFinder:
    """The config of each file of a run: the upward search is made once per folder."""

    def __init__(self, explicit: Path | None = None) -> None:
        self.explicit = load_config(explicit) if explicit else None
        # keyed by a config file's resolved path: each is loaded once a run; a broken one
        # becomes a Config carrying its error, so the files under it are reported, not the run
        self._files = Memo(_load_or_broken, limit=10_000)
        # keyed by a resolved folder: the nearest config at or above it
        self._folders = Memo(self._config_above, limit=100_000)
        # keyed by a folder as the paths spell it: no resolve() per file, and a Path's hash
        # is worked out afresh on every lookup (a third of the parent's lookups in a big batch)
        self._given = Memo(lambda given: self._folders[Path(given or ".").resolve()], limit=100_000)

    def for_path(self, path: Path | str | None) -> Config:
        if self.explicit is not None:
            return self.explicit
        if path:
            return self._given[os.path.dirname(path)]
        return self._folders[Path.cwd().resolve()]

    def _config_above(self, directory: Path) -> Config:
        found = find_config(directory)
        return Config() if found is None else self._files[found]
