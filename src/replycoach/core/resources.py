"""Where the built-in playbooks and templates are.

In a wheel they sit inside the package (hatchling's force-include maps the top-level
folders there); in a source checkout or editable install they are the top-level folders of
the repository. Both are looked up, package first, so a wheel never reads a stray checkout.
"""

from __future__ import annotations

from pathlib import Path

from replycoach.core.errors import UserError
from replycoach.core.memo import Memo


def builtin_dir(name: str) -> Path:
    return _BUILTIN[name]


def _locate(name: str) -> Path:
    package = Path(__file__).resolve().parent.parent  # replycoach/, above core/
    for candidate in (package / name, package.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise UserError(f"the package's {name}/ folder is missing: reinstall replycoach "
                    "(pip install --force-reinstall replycoach)", "installation")


# keyed by the folder's name: where the install put it does not change while it runs
_BUILTIN = Memo(_locate, limit=8)
