"""Compiled regexes kept between runs, so a lint does not pay Python's regex compiler each time.

`re.compile` parses a pattern and generates its matching code in pure Python: the lexicon
regexes cost 0.3 to 3 ms each, which was a quarter of linting one reply (~80 patterns met)
and most of a batch over three languages (~500). The result of that work is a list of
integers that `_sre.compile` turns into a pattern object in microseconds. This module
keeps those lists in the user cache directory, in a directory named for the exact Python
build (the code format is not stable across versions), one file per *group* of patterns
that are used together (a language's lexicon, the modules' own patterns), so a run opens a
handful of files, not one per pattern.

A group file is a small JSON index (pattern, flags, where its code is) followed by the
code of every pattern as machine words: a language's file is a few hundred kilobytes, and
decoding it as JSON numbers took longer than linting a reply. Only the patterns a run uses
are unpacked.

Data, not code: `_sre.compile` validates the code it is given and refuses anything that
could make the matcher read out of bounds, and a record is found by its exact pattern
and flags. Any failure (missing, stale, foreign or unreadable file, or a Python whose `re`
internals differ) falls back to plain `re.compile`. Patterns compiled in a run are added
to their group's file when the process ends (`save`). Same switches as the other caches:
`REPLYCOACH_NO_CACHE`, `REPLYCOACH_CACHE_DIR`.
"""

from __future__ import annotations

import contextlib
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
MAGIC = b"replycoach-regex-1\n"
_TAG = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{zlib.crc32(sys.version.encode()):08x}" if _sre else ""
_WORD = "I" if _sre and array("I").itemsize == _sre.CODESIZE else "L"
if _sre and array(_WORD).itemsize != _sre.CODESIZE:  # pragma: no cover - no such build known
    _sre = None


class _Group:
    """One group's records as read from its file: key -> (final flags, code words, groups, groupindex, indexgroup).

    Code stays a slice of the file's bytes until a pattern is used.
    """

    __slots__ = ("records", "blob")

    def __init__(self, records: dict | None = None, blob: memoryview | bytes = b"") -> None:
        self.records: dict[str, list] = records or {}
        self.blob = blob

    def code(self, record: list) -> list[int]:
        where = record[1]
        if isinstance(where, array):  # compiled in this run
            return where.tolist()
        start, count = where  # read from the file: [first word, words] in the blob
        code = array(_WORD)
        chunk = self.blob[start * code.itemsize : (start + count) * code.itemsize]
        if len(chunk) != count * code.itemsize:
            raise ValueError("code outside the file")
        code.frombytes(chunk)  # not array(_WORD, chunk): that reads a memoryview byte by byte
        return code.tolist()


_groups: dict[str, _Group] = {}
_compiled: dict[str, re.Pattern] = {}  # key -> pattern, for callers that ask again (like re's own cache)
_added: dict[tuple[str, str], dict] = {}  # (directory, group) -> {key: record} compiled in this run


def compile(source: str, flags: int = 0, group: str = "module") -> re.Pattern:
    """`re.compile(source, flags)`, from the cache when this pattern was compiled before."""
    if _sre is None:
        return re.compile(source, flags)
    flags = int(flags)
    key = f"{flags}:{source}"
    pattern = _compiled.get(key)
    if pattern is not None:
        return pattern
    pattern = _compiled[key] = _compile(source, flags, key, group)
    return pattern


def _compile(source: str, flags: int, key: str, group: str) -> re.Pattern:
    stored = _group(group)
    record = stored.records.get(key)
    if record is not None:
        try:
            final, _, groups, groupindex, indexgroup = record
            return _sre.compile(source, final, stored.code(record), groups, groupindex, tuple(indexgroup))
        except (ValueError, TypeError, RuntimeError, OverflowError):
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
    record = [final, array(_WORD, code), parsed.state.groups - 1, groupindex, indexgroup]
    stored.records[key] = record
    directory = _directory()
    if directory is not None:  # remembered with its folder: the cache setting may change before exit
        _added.setdefault((directory, group), {})[key] = record
        from replycoach.core.cache import save_at_exit

        save_at_exit(save)
    return pattern


@contextlib.contextmanager
def for_imports(group: str):
    """Let the libraries imported in this block find their regexes compiled, as ours do.

    pydantic, Jinja and PyYAML compile their regexes through `re` when they are imported
    (YAML's printable-character class alone takes ~6 ms to compile), ~20 ms of a
    `replycoach draft`. `re` keeps what it compiles in its own cache, keyed by type,
    pattern and flags: seeded here from this group's file, a library's `re.compile` finds
    its pattern built from stored code instead of compiling it. What the block compiled
    that the file lacked is added to it (at exit, as for `compile`). Without re's cache as
    this module knows it (another Python), the block just runs.
    """
    cache = getattr(re, "_cache", None)
    if _sre is None or not isinstance(cache, dict):
        yield
        return
    stored = _group(group)
    for key in stored.records:
        flags, _, source = key.partition(":")
        with contextlib.suppress(Exception):  # a record this Python can't use: re compiles it as usual
            cache.setdefault((str, source, int(flags)), compile(source, int(flags), group))
    before = set(cache)
    try:
        yield
    finally:
        with contextlib.suppress(Exception):  # recording is a nicety: never the reason a command fails
            for kind, source, flags in [key for key in cache if key not in before]:
                if kind is str and isinstance(flags, int):
                    compile(source, flags, group)  # recorded for the next run


def preload(group: str) -> None:
    """Read a group's file now (a parent does, so that forked workers share what it read)."""
    if _sre is not None:
        _group(group)


def _group(group: str) -> _Group:
    """A group's records, its file read on first use in this process."""
    stored = _groups.get(group)
    if stored is None:
        stored = _groups[group] = _read(_directory(), group)
    return stored


def save() -> None:
    """Add the patterns compiled in this run to their groups' files (merged with what is there)."""
    added = dict(_added)
    _added.clear()
    for (directory, group), new in added.items():
        stored = _read(directory, group)
        records = {} if len(stored.records) + len(new) > MAX_PATTERNS else stored.records
        index: dict[str, list] = {}
        words = array(_WORD)
        for key, record in [*records.items(), *new.items()]:
            try:
                code = array(_WORD, stored.code(record))
            except (ValueError, TypeError, OverflowError):
                continue  # a damaged record is dropped, not copied
            if not code or (key in new and record is not new[key]):
                continue
            index[key] = [record[0], [len(words), len(code)], *record[2:]]
            words.extend(code)
        _write(_group_path(directory, group), index, words.tobytes())


def _directory() -> str | None:
    from replycoach.core.cache import cache_dir

    base = cache_dir()
    return None if base is None else os.path.join(base, f"regex-{_TAG}")


def _group_path(directory: str, group: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in group)
    return os.path.join(directory, f"{safe}.bin")


def _read(directory: str | None, group: str) -> _Group:
    if directory is None:
        return _Group()
    try:
        with open(_group_path(directory, group), "rb") as fh:
            data = fh.read()
        if not data.startswith(MAGIC):
            return _Group()
        start = len(MAGIC) + 8
        length = int.from_bytes(data[len(MAGIC) : start], "little")
        header = json.loads(data[start : start + length].decode("utf-8"))
        if header.get("tag") == _TAG and isinstance(header.get("patterns"), dict):
            return _Group(header["patterns"], memoryview(data)[start + length :])
    except (OSError, ValueError, AttributeError, UnicodeDecodeError):
        pass
    return _Group()


def _write(path: str, index: dict, blob: bytes) -> None:
    from replycoach.core.cache import write_atomically

    header = json.dumps({"tag": _TAG, "patterns": index}, ensure_ascii=False, separators=(",", ":")).encode()
    with contextlib.suppress(OSError):  # a read-only cache is no reason to fail a lint
        write_atomically(path, MAGIC + len(header).to_bytes(8, "little") + header + blob)
