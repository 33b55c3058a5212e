"""Compiled regexes kept between runs, so a lint does not pay Python's regex compiler each time.

`re.compile` parses a pattern and generates its matching code in pure Python: the lexicon
regexes cost 0.3 to 3 ms each, which was a quarter of linting one reply (~80 patterns met)
and most of a batch over three languages (~500). The result of that work is a list of
integers that `_sre.compile` turns into a pattern object in microseconds. This module
keeps those lists in the user cache directory, in a directory named for the exact Python
build (the code format is not stable across versions), one JSON file per *group* of
patterns that are used together (a language's lexicon, the modules' own patterns), so a
run opens a handful of files, not one per pattern.

Data, not code: `_sre.compile` validates the code it is given and refuses anything that
could make the matcher read out of bounds, and a record is found by its exact pattern
and flags. Any failure (missing, stale, foreign or unreadable file, or a Python whose `re`
internals differ) falls back to plain `re.compile`. Patterns compiled in a run are added
to their group's file when the process ends (`save`). Same switches as the other caches:
`REPLYCOACH_NO_CACHE`, `REPLYCOACH_CACHE_DIR`.
"""

from __future__ import annotations

import binascii
import json
import os
import re
import sys
import zlib
from array import array

try:  # the compiler behind re.compile; its shape has been the same from 3.11 to 3.13
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python: compile the ordinary way
    _sre = None

MAX_PATTERNS = 4000  # per group; past this a group's file starts again from what the run used
_TAG = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-w-{zlib.crc32(sys.version.encode()):08x}" if _sre else ""
# A pattern's code is stored as base64 of its machine words: JSON decodes a string ~6x
# faster than a list of numbers, and only the patterns a run uses are unpacked.
_WORD = "I" if _sre and array("I").itemsize == _sre.CODESIZE else "L"
if _sre and array(_WORD).itemsize != _sre.CODESIZE:  # pragma: no cover - no such build known
    _sre = None
_groups: dict[str, dict] = {}  # group -> {key: record}, as read from its file
_added: dict[str, dict] = {}  # group -> {key: record} compiled in this run
_registered = False


def compile(source: str, flags: int = 0, group: str = "module") -> re.Pattern:
    """`re.compile(source, flags)`, from the cache when this pattern was compiled before."""
    if _sre is None:
        return re.compile(source, flags)
    flags = int(flags)
    key = f"{flags}:{source}"
    records = _groups.get(group)
    if records is None:
        records = _groups[group] = _read(group)
    record = records.get(key)
    if record is not None:
        try:
            final, packed, groups, groupindex, indexgroup = record
            code = array(_WORD, binascii.a2b_base64(packed)).tolist()
            return _sre.compile(source, final, code, groups, groupindex, tuple(indexgroup))
        except (ValueError, TypeError, RuntimeError, OverflowError, binascii.Error):
            pass  # not a record this Python can use: compile it afresh below
    try:
        parsed = _parser.parse(source, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        final = flags | parsed.state.flags
        pattern = _sre.compile(source, final, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    except re.error:
        raise
    except Exception:
        return re.compile(source, flags)
    packed = binascii.b2a_base64(array(_WORD, code).tobytes(), newline=False).decode("ascii")
    record = [final, packed, parsed.state.groups - 1, groupindex, indexgroup]
    records[key] = record
    if _directory() is not None:
        _added.setdefault(group, {})[key] = record
        _register()
    return pattern


def preload(group: str) -> None:
    """Read a group's file now (a parent does, so that forked workers share what it read)."""
    if _sre is not None and group not in _groups:
        _groups[group] = _read(group)


def save() -> None:
    """Add the patterns compiled in this run to their groups' files (merged with what is there)."""
    directory = _directory()
    added = dict(_added)
    _added.clear()
    if directory is None:
        return
    for group, new in added.items():
        records = _read(group)
        if len(records) + len(new) > MAX_PATTERNS:
            records = {}
        records.update(new)
        _write(_group_path(directory, group), {"tag": _TAG, "patterns": records})


def _register() -> None:
    global _registered
    if not _registered:
        import atexit

        atexit.register(save)
        _registered = True


def _directory() -> str | None:
    from replycoach.cache import cache_dir

    base = cache_dir()
    return None if base is None else os.path.join(base, f"regex-{_TAG}")


def _group_path(directory: str, group: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in group)
    return os.path.join(directory, f"{safe}.json")


def _read(group: str) -> dict:
    directory = _directory()
    if directory is None:
        return {}
    try:
        with open(_group_path(directory, group), encoding="utf-8") as fh:
            stored = json.load(fh)
        if stored.get("tag") == _TAG and isinstance(stored.get("patterns"), dict):
            return stored["patterns"]
    except (OSError, ValueError, AttributeError):
        pass
    return {}


def _write(path: str, record: dict) -> None:
    import tempfile

    try:
        directory = os.path.dirname(path)
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(record, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        pass  # a read-only cache is no reason to fail a lint
