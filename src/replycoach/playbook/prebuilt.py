"""The built-in playbook, validated when replycoach is built and shipped as data.

Validating the built-in playbook (YAML, pydantic, the analysis of every lexicon entry) took
1.1 s of a 1.35 s first lint of one reply on the 2-core development machine, and every lint
paid it where the cache cannot be written (a read-only HOME, `REPLYCOACH_NO_CACHE=1`, a fresh
CI runner). This file holds what `loader._build` returns for it, with the playbooks folder
written as a token so the data moves with the installation, and the SHA-256 of every file
that decides it: the playbook's files and the modules in `core.cache.CODE`. When one of them
differs (an edited playbook, a development checkout), the file is not used and the playbook
is built as before; `data/scripts/build_prebuilt.py` writes it again, and a test fails while
it is out of date. JSON, not pickle: shipped data must not be able to run code.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

from replycoach import __version__
from replycoach.core.cache import CODE, FORMAT
from replycoach.core.resources import builtin_dir

FILE = "default.prebuilt.json.gz"
TOKEN = "@@PLAYBOOKS@@"
_PACKAGE = Path(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def path() -> Path:
    return builtin_dir("playbooks") / FILE


def load() -> tuple[dict, list[str]] | None:
    """(data, files) as `_build` would return them for the built-in playbook, or None when
    the shipped file is missing, damaged or made from other files than these."""
    try:
        with gzip.open(path(), "rb") as fh:
            text = fh.read().decode("utf-8")
        header, _, body = text.partition("\n")
        stored = json.loads(header)
        if stored.get("format") != FORMAT or stored.get("version") != __version__:
            return None
        if stored.get("digests") != digests(_named_files(stored.get("digests", {}))):
            return None
        record = json.loads(body.replace(TOKEN, _escaped(builtin_dir("playbooks"))))
        return record["data"], record["files"]
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None


def write(data: dict, files: list[str]) -> Path:
    """Store `_build`'s result for the built-in playbook (the build script calls this)."""
    folder = _escaped(builtin_dir("playbooks"))
    # keys in their order: the checklist, rules and conditions are listed in the playbook's order
    body = json.dumps({"data": data, "files": files}, ensure_ascii=False, separators=(",", ":"))
    if TOKEN in body:
        raise ValueError(f"the playbook holds {TOKEN!r}, which marks the playbooks folder here")
    names = [_name(Path(f)) for f in [*files, *CODE]]
    header = json.dumps({"format": FORMAT, "version": __version__, "digests": digests(names)}, sort_keys=True)
    target = path()
    with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write((header + "\n" + body.replace(folder, TOKEN)).encode("utf-8"))
    return target


def digests(names: list[str]) -> dict[str, str]:
    """SHA-256 of each named file ("playbooks/..." or "code/..."); a missing one has none."""
    out = {}
    for name in names:
        try:
            with open(_file(name), "rb") as fh:
                out[name] = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            out[name] = ""
    return out


def _named_files(stored: dict) -> list[str]:
    return sorted(stored) if isinstance(stored, dict) else []


def _name(file: Path) -> str:
    """A file's name independent of where replycoach is installed."""
    playbooks = builtin_dir("playbooks").resolve()
    file = file.resolve()
    if file.is_relative_to(playbooks):
        return "playbooks/" + file.relative_to(playbooks).as_posix()
    return "code/" + file.relative_to(_PACKAGE).as_posix()


def _file(name: str) -> Path:
    area, _, rest = name.partition("/")
    if area == "playbooks":
        return builtin_dir("playbooks") / rest
    if area == "code":
        return _PACKAGE / rest
    raise ValueError(f"not a prebuilt file name: {name!r}")


def _escaped(folder: Path) -> str:
    """The folder as it is spelled inside a JSON string."""
    return json.dumps(str(folder))[1:-1]
