"""Compiled regexes kept between runs, so a lint does not pay Python's regex compiler each time.

`re.compile` parses a pattern and generates its matching code in pure Python: the lexicon
regexes cost 0.3 to 3 ms each, which was a quarter of linting one reply (~80 patterns met)
and most of a batch over three languages (~500). The result of that work is a list of
integers that `_sre.compile` turns into a pattern object in microseconds. This module
stores those lists in the user cache directory, one small JSON file per pattern, under a
directory named for the exact Python build (its regex code format is not stable across
versions).

Data, not code: `_sre.compile` validates the code it is given and refuses anything that
could make the matcher read out of bounds, each file must name the very pattern and flags
asked for, and any failure (missing, stale, foreign or unreadable file, or a Python whose
`re` internals differ) falls back to plain `re.compile`. Same switches as the other caches:
`REPLYCOACH_NO_CACHE`, `REPLYCOACH_CACHE_DIR`.
"""

from __future__ import annotations

import json
import os
import re
import sys
import zlib

try:  # the compiler behind re.compile; its shape has been the same from 3.11 to 3.13
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python: compile the ordinary way
    _sre = None

_TAG = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{zlib.crc32(sys.version.encode()):08x}" if _sre else ""


def compile(source: str, flags: int = 0) -> re.Pattern:  # noqa: A001 - a drop-in for re.compile
    """`re.compile(source, flags)`, from the cache when this pattern was compiled before."""
    if _sre is None:
        return re.compile(source, flags)
    flags = int(flags)
    path = _path(source, flags)
    if path is not None:
        try:
            with open(path, encoding="utf-8") as fh:
                stored = json.load(fh)
            if stored["source"] == source and stored["flags"] == flags:
                return _sre.compile(source, stored["final"], stored["code"], stored["groups"],
                                    stored["groupindex"], tuple(stored["indexgroup"]))
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, OverflowError):
            pass
    try:
        parsed = _parser.parse(source, flags)
        code = _compiler._code(parsed, flags)
        groupindex = parsed.state.groupdict
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        final = flags | parsed.state.flags
        pattern = _sre.compile(source, final, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - internals not as expected: the public way still works
        return re.compile(source, flags)
    if path is not None:
        _store(path, {"source": source, "flags": flags, "final": final, "code": code,
                      "groups": parsed.state.groups - 1, "groupindex": dict(groupindex), "indexgroup": indexgroup})
    return pattern


def _path(source: str, flags: int) -> str | None:
    from replycoach.cache import cache_dir

    base = cache_dir()
    if base is None:
        return None
    data = source.encode("utf-8", "surrogatepass")
    return os.path.join(base, f"regex-{_TAG}", f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}-{flags:x}.json")


def _store(path: str, record: dict) -> None:
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
