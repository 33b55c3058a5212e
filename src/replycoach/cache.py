"""A small on-disk cache for validated data, keyed by the files it was built from.

Validating playbooks and configs needs yaml and pydantic, which cost more start-up time
than linting a reply. The validated result is plain JSON, stored with the (path, mtime,
size) of every file it was built from; any change to any of them rebuilds it. JSON, not
pickle: a cache file someone else wrote must not be able to run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from replycoach import __version__

FORMAT = 4


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


def cached(kind: str, key: str, build: Callable[[], tuple[dict, list[str]]]) -> dict:
    """Return `build()`'s data, from the cache while the files it read are unchanged.

    `build` returns (json-able data, paths of the files it read).
    """
    directory = cache_dir()
    entry = None
    if directory is not None:
        digest = hashlib.sha1(f"{FORMAT}:{__version__}:{kind}:{key}".encode()).hexdigest()[:20]
        entry = directory / f"{kind}-{digest}.json"
        try:
            with open(entry, encoding="utf-8") as fh:
                stored = json.load(fh)
            if all(_stamp(p) == s for p, s in zip(stored["files"], stored["stamps"], strict=True)):
                return stored["data"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    data, files = build()
    if entry is not None:
        try:
            stamps = [_stamp(p) for p in files]
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"files": files, "stamps": stamps, "data": data}, fh, ensure_ascii=False)
            os.replace(tmp, entry)
        except OSError:
            pass  # a read-only home is no reason to fail a lint
    return data
