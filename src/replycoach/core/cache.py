"""A small on-disk cache for validated data, keyed by the files it was built from.

Validating playbooks and configs needs yaml and pydantic, which cost more start-up time
than linting a reply. The validated result is plain JSON, stored with the (path, mtime,
size) of every file it was built from; any change to any of them rebuilds it. JSON, not
pickle: a cache file someone else wrote must not be able to run code.

Big data that a run mostly doesn't need (a playbook's lexicons for languages the reply
isn't in, its worked examples) can be `split` off: stored one file per sub-key and read
only when used. Decoding the whole built-in playbook took ~9 ms, more than the lint of a
short reply; the parts a lint of one English reply reads take ~1.5 ms.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from replycoach import __version__

FORMAT = 8
# The modules whose code decides what a cached entry holds (validation, defaults, the
# lexicon analysis): their stamps are checked with the data's own files, so editing one (a
# development install, or an upgrade that kept the version number) rebuilds the cache.
_PACKAGE = os.path.dirname(os.path.dirname(__file__))
CODE = tuple(os.path.join(_PACKAGE, *f"{name}.py".split("/"))
             for name in ("playbook/schema", "playbook/loader", "playbook/forms", "lint/config", "matching/analysis",
                          "matching/screens", "matching/entries"))


def cache_dir() -> Path | None:
    if os.environ.get("REPLYCOACH_NO_CACHE"):
        return None
    explicit = os.environ.get("REPLYCOACH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "replycoach"


def _stamp(path: str) -> list:
    st = os.stat(path)
    return [path, st.st_mtime_ns, st.st_size]


def cached(kind: str, key: str, build: Callable[[], tuple[dict, list[str]]], split: tuple[str, ...] = ()) -> dict:
    """Return `build()`'s data, from the cache while the files it read are unchanged.

    `build` returns (json-able data, paths of the files it read). Each key in `split` must
    hold a dict in that data; it comes back as a read-only mapping whose values are loaded
    from their own files on first use (as plain dicts when there is no cache).
    """
    directory = cache_dir()
    if directory is None:
        return build()[0]
    ident = f"{FORMAT}:{__version__}:{kind}:{key}"
    raw = ident.encode("utf-8", "surrogatepass")
    entry = directory / f"{kind}-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.json"
    try:
        with open(entry, encoding="utf-8") as fh:
            stored = json.load(fh)
        if stored["ident"] == ident and all(
                _stamp(p) == s for p, s in zip(stored["files"], stored["stamps"], strict=True)):
            data = stored["data"]
            rebuilt: list[dict] = []

            def rebuild() -> dict:  # a part is missing or from another build: build and store afresh
                if not rebuilt:
                    rebuilt.append(_build_and_store(entry, ident, build, split))
                return rebuilt[0]

            for name in split:
                data[name] = _Parts(entry, name, data[name], stored["token"], lambda name=name: rebuild()[name])
            return data
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return _build_and_store(entry, ident, build, split)


def _build_and_store(entry: Path, ident: str, build: Callable[[], tuple[dict, list[str]]],
                     split: tuple[str, ...]) -> dict:
    data, files = build()
    try:
        files = [*files, *CODE]
        stamps = [_stamp(p) for p in files]
        token = os.urandom(8).hex()
        core = dict(data)
        for name in split:  # parts first: a reader that finds the new core finds its parts
            for sub, value in data[name].items():
                _write(_part_path(entry, name, sub), {"token": token, "data": value})
            core[name] = sorted(data[name])
        _write(entry, {"ident": ident, "files": files, "stamps": stamps, "token": token, "data": core})
    except OSError:
        pass  # a read-only home is no reason to fail a lint
    return data


def _part_path(entry: Path, name: str, sub: str) -> Path:
    tag = zlib.crc32(sub.encode("utf-8", "surrogatepass"))
    return entry.with_name(f"{entry.stem}.{name}-{tag:08x}.json")


def _write(path: Path, record: dict) -> None:
    write_atomically(path, json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write a cache file whole or not at all (a temporary file beside it, then a rename), so
    a concurrent run reads either the old file or the new one. Raises OSError."""
    import tempfile

    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


class _Parts(Mapping):
    """One split-off key of cached data: its sub-keys are known, their values read when asked for.

    A part written by another build than the core (a concurrent run, a half-cleared cache)
    carries another token; then the data is built again rather than mixed.
    """

    def __init__(self, entry: Path, name: str, keys: list[str], token: str, rebuild: Callable[[], dict]) -> None:
        self._entry, self._name, self._keys, self._token, self._rebuild = entry, name, keys, token, rebuild
        self._values: dict = {}

    def __getitem__(self, sub: str):
        if sub in self._values:
            return self._values[sub]
        if sub not in self._keys:
            raise KeyError(sub)
        try:
            with open(_part_path(self._entry, self._name, sub), encoding="utf-8") as fh:
                stored = json.load(fh)
            if stored["token"] != self._token:
                raise ValueError("part of another build")
            value = stored["data"]
        except (OSError, ValueError, KeyError, TypeError):
            value = self._rebuild()[sub]
        self._values[sub] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, sub: object) -> bool:
        return sub in self._keys


_savers: list[Callable[[], None]] = []


def save_at_exit(save: Callable[[], None]) -> None:
    """Have `save` run when the run ends: what a cache learned in this process, written back.

    The CLI runs the savers as it exits; a forked worker, which ends without exit handlers,
    calls `save_all` after each chunk.
    """
    if save in _savers:
        return
    if not _savers:
        import atexit

        atexit.register(save_all)
    _savers.append(save)


def save_all() -> None:
    import contextlib

    for save in list(_savers):
        with contextlib.suppress(Exception):  # keeping a cache is a nicety: never the reason a run fails
            save()
