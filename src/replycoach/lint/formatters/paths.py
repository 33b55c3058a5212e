"""Paths as code hosts want them: relative to the repository root, as GitHub and SARIF resolve them."""

from __future__ import annotations

from pathlib import Path


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (the working directory) holding `.git`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def _artifact(path: str, root: Path) -> dict:
    """A SARIF artifact location: relative to %SRCROOT% when inside the repository."""
    from urllib.parse import quote

    if path.startswith("<"):  # an absolute URI (a relative one needs a base); --stdin-filename names it
        return {"uri": "urn:replycoach:stdin",
                "description": {"text": "standard input (name it with --stdin-filename)"}}
    resolved = Path(path).resolve()
    try:
        return {"uri": quote(resolved.relative_to(root).as_posix()), "uriBaseId": "%SRCROOT%"}
    except ValueError:
        return {"uri": resolved.as_uri()}


def _relative_path(path: str, root: Path) -> str:
    """`path` relative to `root` in POSIX form, or absolute when it lies outside."""
    if path.startswith("<"):
        return path
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return resolved.as_posix()
